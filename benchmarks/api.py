"""Throughput and latency of ``GET /route`` over HTTP, against the in-process call.

What is measured, and why:

* **Server** — ``uvicorn corridor.interfaces.api:app`` in a subprocess on 127.0.0.1 only, with
  ``--workers`` processes (2 by default: one per core of the target machine), access log off.
* **Load** — a bounded number of concurrent clients (8 by default: by Little's law, 500 req/s
  at a 16 ms mean latency is 8 requests in flight; more clients only queue), each on a
  keep-alive HTTP/1.1 connection that sends its next request as soon as the previous answer is
  read (and reconnects every 100 requests, see :data:`REQUESTS_PER_CONNECTION`), for
  ``--seconds``. The client is a few lines of asyncio streams rather than an HTTP library so
  that the load generator, which shares the machine's cores with the server, costs as little
  CPU as possible. Every request is a random pair from a fixed list of place pairs that have a
  route (seed 42), so the server does a real route search each time (nothing is cached per
  pair). Reported: requests per second, p50/p95/p99 latency (send to last byte), non-200 answers.
* **Baseline** — :func:`corridor.routing.api.route` called directly, in this process, on the
  same pairs: calls per second on one core with no HTTP, JSON or process boundary. The ratio
  HTTP/in-process shows what the web layer costs (it can exceed 1: the server has more cores).
* **Target** (issue #6) — at least 500 requests/s with p99 at most 50 ms on 2 cores: PASS/FAIL.

Run ``PYTHONPATH=src .venv/bin/python benchmarks/api.py`` (``--help`` for options); importing the
module runs nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from corridor.errors import CorridorError
from corridor.routing.api import default_network, route

SEED = 42
PAIRS = 200
TARGET_RPS = 500.0
TARGET_P99_MS = 50.0
HOST = "127.0.0.1"

Pair = tuple[str, str]


@dataclass(frozen=True)
class Load:
    """What the load generator saw."""

    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        """Latency (ms) below which a share ``q`` of requests finished."""
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def routable_pairs(n: int, seed: int = SEED) -> list[Pair]:
    """``n`` random origin–destination pairs of linked places that have a route."""
    net = default_network()
    linked = sorted({link.from_id for link in net.links} | {link.to_id for link in net.links})
    rng = random.Random(seed)
    pairs: list[Pair] = []
    while len(pairs) < n:
        a, b = rng.sample(linked, 2)
        try:
            route(a, b)
        except CorridorError:
            continue
        pairs.append((a, b))
    return pairs


def baseline(pairs: Sequence[Pair], seconds: float) -> tuple[float, float]:
    """In-process :func:`route` calls per second over ``pairs`` (after one warm pass), and CPU ms a call."""
    for a, b in pairs:
        route(a, b)
    rng = random.Random(SEED)
    calls, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        route(*rng.choice(pairs))
        calls += 1
    return calls / (time.perf_counter() - start), (time.process_time() - cpu) / calls * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    """uvicorn on 127.0.0.1 in a subprocess; returns once it answers."""
    command = [sys.executable, "-m", "uvicorn", "corridor.interfaces.api:app", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/places?q=baku", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start within 60 s")


def cpu_seconds(root: int) -> float:
    """User + system CPU time of process ``root`` and all its descendants (Linux ``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    tree, total, frontier = {root}, 0.0, [root]
    while frontier:
        parent = frontier.pop()
        total += stats.get(parent, (0, 0.0))[1]
        children = [pid for pid, (ppid, _) in stats.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return total


def path_for(pair: Pair) -> str:
    return "/route?" + urllib.parse.urlencode({"origin": pair[0], "destination": pair[1]})


REQUESTS_PER_CONNECTION = 100
"""A client opens a new connection after this many requests, as HTTP clients and browsers do.
The uvicorn workers share one listening socket, and 8 connections opened at the same moment
were sometimes all accepted by one worker (measured: about 530 req/s with one worker at 100 %
CPU and the other idle, against about 1,000 with both busy); reconnecting lets the idle worker
take its share, as it would with real traffic."""


async def _client(
    port: int, paths: Sequence[str], stop: float, rng: random.Random, load: dict[str, list[float]]
) -> None:
    """One client: keep-alive requests, reading each whole answer, until ``stop``."""
    while time.perf_counter() < stop:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            for _ in range(REQUESTS_PER_CONNECTION):
                if time.perf_counter() >= stop:
                    break
                await _request(reader, writer, rng.choice(paths), load)
        finally:
            writer.close()


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, load: dict[str, list[float]]
) -> None:
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()
    start = time.perf_counter()
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    await reader.readexactly(length)
    load["ok" if head.startswith(b"HTTP/1.1 200") else "bad"].append((time.perf_counter() - start) * 1000)


async def _generate(port: int, paths: Sequence[str], clients: int, seconds: float) -> Load:
    load: dict[str, list[float]] = {"ok": [], "bad": []}
    start = time.perf_counter()
    stop = start + seconds
    await asyncio.gather(*(_client(port, paths, stop, random.Random(SEED + k), load) for k in range(clients)))
    elapsed = time.perf_counter() - start
    return Load(len(load["ok"]) + len(load["bad"]), len(load["bad"]), elapsed, load["ok"] + load["bad"])


def generate(port: int, pairs: Sequence[Pair], clients: int, seconds: float) -> Load:
    """Run ``clients`` concurrent keep-alive clients for ``seconds``."""
    return asyncio.run(_generate(port, [path_for(p) for p in pairs], clients, seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--seconds", type=float, default=10.0, help="load duration (default 10)")
    args = parser.parse_args()

    pairs = routable_pairs(PAIRS)
    in_process, in_process_cpu = baseline(pairs, 3.0)
    port = free_port()
    server = start_server(port, args.workers)
    try:
        generate(port, pairs, args.clients, 2.0)  # warm-up: every worker builds its search graphs
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        load = generate(port, pairs, args.clients, args.seconds)
        server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu, time.process_time() - client_cpu
    finally:
        server.terminate()
        server.wait(timeout=30)

    report(load, pairs, args, server_cpu / load.requests * 1000, client_cpu / load.requests * 1000)
    print(f"baseline: in-process route() on one core  {in_process:,.0f} calls/s, {in_process_cpu:.2f} ms CPU a call")
    print(f"  ratio HTTP / in-process: throughput {load.rps / in_process:.2f}, ", end="")
    print(f"CPU a call {server_cpu / load.requests * 1000 / in_process_cpu:.2f}")
    p99 = load.percentile(0.99)
    ok = load.rps >= TARGET_RPS and p99 <= TARGET_P99_MS and load.errors == 0
    print(f"target >= {TARGET_RPS:.0f} req/s, p99 <= {TARGET_P99_MS:.0f} ms, no errors: {'PASS' if ok else 'FAIL'}")


def report(load: Load, pairs: Sequence[Pair], args: argparse.Namespace, server_ms: float, client_ms: float) -> None:
    """Print what the load generator saw and what it cost in CPU."""
    p50, p95, p99 = (load.percentile(q) for q in (0.50, 0.95, 0.99))
    print(f"GET /route, {len(pairs)} random routable pairs (seed {SEED}), {os.cpu_count()} CPUs on this machine")
    print(f"server: uvicorn, {args.workers} worker(s) on {HOST}; ", end="")
    print(f"load: {args.clients} keep-alive clients, {load.seconds:.1f} s")
    print(f"  requests       {load.requests:>10,}   errors (non-200) {load.errors}")
    print(f"  throughput     {load.rps:>10,.0f} req/s")
    print(f"  latency        p50 {p50:.1f} ms   p95 {p95:.1f} ms   p99 {p99:.1f} ms   ", end="")
    print(f"mean {statistics.fmean(load.latencies_ms):.1f} ms")
    print(f"  CPU per request: server {server_ms:.2f} ms, load generator {client_ms:.2f} ms; ", end="")
    print(f"load average while measuring {os.getloadavg()[0]:.1f} (other processes share the cores)")
    print(f"  server capacity if it had {args.workers} idle core(s): {args.workers * 1000 / server_ms:,.0f} req/s")


if __name__ == "__main__":
    main()
