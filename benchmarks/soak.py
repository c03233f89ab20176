"""Server memory over time under a bounded, mixed and partly hostile load (``corridor serve`` on loopback).

What is measured, and why:

* **Server** — :func:`corridor.interfaces.api.serving.run` (the guarded uvicorn protocol and every
  limit of the README's service section) in a subprocess on 127.0.0.1 only, with a throwaway
  SQLite store.
* **Load** — ``--clients`` threads (8 by default) for ``--seconds`` (60 by default), each sending
  requests drawn (seed 42) from a mix: place look-ups, route searches, Monte Carlo routes of
  200,000 journeys, simulations, stored results, HEAD, oversized bodies (413), oversized heads
  (431) and half-sent requests left to the head timeout. Every loop is bounded by the deadline
  and by ``--max-requests``; nothing is sent anywhere but 127.0.0.1.
* **Measured** — the server's resident memory (RSS, psutil) every ``--every`` seconds, the
  answers by status code, and the peak. The **baseline** is the sample after ``--warmup``
  seconds of load (20 by default: the lanes full, the caches built), in the same run: memory is
  flat when the last three samples stay within ``--bound`` (1.5 × by default) of it; the
  benchmark prints PASS or FAIL.

Run ``PYTHONPATH=src .venv/bin/python benchmarks/soak.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable

import psutil

HOST = "127.0.0.1"
BIG_HEADER = b"\r\nX-Padding: " + b"a" * 40_000 + b"\r\n\r\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _raw(port: int, request: bytes, read: bool = True) -> str:
    """Send raw bytes; return the status code of the answer (or what happened instead)."""
    try:
        with socket.create_connection((HOST, port), timeout=60) as conn:
            conn.sendall(request)
            if not read:
                time.sleep(0.2)  # half-sent: the server drops it after its head timeout
                return "half-sent"
            head = conn.recv(64)
    except OSError as exc:
        return type(exc).__name__
    return head.split(b" ")[1].decode() if head.startswith(b"HTTP/") else "closed"


def _get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n".encode()


def _post(path: str, body: str, length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    head = f"POST {path} HTTP/1.1\r\nHost: soak\r\nConnection: close\r\nContent-Type: application/json\r\n"
    return f"{head}Content-Length: {size}\r\n\r\n{body}".encode()


def mix(port: int) -> list[tuple[int, str, Callable[[], str]]]:
    """(weight, name, request) of the load; the heavy ones are rarer, as in real use."""
    return [
        (30, "places", lambda: _raw(port, _get("/places?q=ba"))),
        (20, "route", lambda: _raw(port, _get("/route?origin=Shanghai&destination=Belgrade"))),
        (6, "route 200k samples", lambda: _raw(port, _get("/route?origin=Xian&destination=Baku&samples=200000"))),
        (3, "simulate", lambda: _raw(port, _post("/simulate", '{"scenario": "titr-2024-base", "years": 0.05}'))),
        (10, "head", lambda: _raw(port, _get("/places?q=baku").replace(b"GET", b"HEAD", 1))),
        (5, "1 GB body declared", lambda: _raw(port, _post("/scenarios", "{", length=10**9))),
        (
            5,
            "40 kB head",
            lambda: _raw(port, _get("/places?q=a").replace(b"\r\n\r\n", b"\r\nX: " + b"a" * 40_000 + b"\r\n\r\n")),
        ),
        (3, "half-sent head", lambda: _raw(port, b"GET /places?q=ba HTTP/1.1\r\nHost: x\r\n", read=False)),
        (5, "scenarios list", lambda: _raw(port, _get("/scenarios?limit=1000"))),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load (at most 600)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (at most 64)")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between memory samples")
    parser.add_argument("--max-requests", type=int, default=50_000, help="stop after this many requests")
    parser.add_argument("--bound", type=float, default=1.5, help="flat: last samples within this × the baseline")
    parser.add_argument("--warmup", type=float, default=20.0, help="seconds of load before the baseline sample")
    args = parser.parse_args(argv)
    seconds, clients = min(args.seconds, 600.0), min(args.clients, 64)
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CORRIDOR_DB": f"sqlite:///{tmp}/soak.db", "PYTHONPATH": "src"}
        code = f"from corridor.interfaces.api import serving; serving.run({HOST!r}, {port})"
        quiet = subprocess.DEVNULL
        server = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=quiet, stderr=quiet)
        try:
            return _soak(server, port, seconds, clients, args)
        finally:
            server.terminate()
            server.wait(30)


def _soak(server: subprocess.Popen[bytes], port: int, seconds: float, clients: int, args: argparse.Namespace) -> int:
    _wait_until_up(port)
    process = psutil.Process(server.pid)
    _raw(port, _get("/route?origin=Xian&destination=Baku&samples=200000"))  # warm-up: imports, caches
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    sent = [0]
    requests = mix(port)

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= args.max_requests:
                    return
                sent[0] += 1
            _, name, call = rng.choices(requests, weights=[w for w, _, _ in requests])[0]
            outcome = call()
            with lock:
                counts[f"{name}: {outcome}"] += 1

    threads = [threading.Thread(target=client, args=(42 + k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    samples = []
    started = time.monotonic()
    print(f"{'t (s)':>6}  {'RSS (MB)':>9}  {'requests':>9}")
    while any(t.is_alive() for t in threads):
        rss = process.memory_info().rss / 1e6
        samples.append(rss)
        print(f"{time.monotonic() - started:6.0f}  {rss:9.0f}  {sum(counts.values()):9d}", flush=True)
        time.sleep(args.every)
    for thread in threads:
        thread.join()
    baseline = int(args.warmup // args.every)
    return _report(samples[min(baseline, len(samples) - 1) :], counts, args.bound)


def _report(samples: list[float], counts: Counter[str], bound: float) -> int:
    print("\nAnswers:")
    for key, n in sorted(counts.items()):
        print(f"  {n:7d}  {key}")
    first, peak, last = samples[0], max(samples), max(samples[-3:])  # samples from the baseline on
    flat = last <= bound * first
    print(f"\nRSS first {first:.0f} MB, peak {peak:.0f} MB, last {last:.0f} MB: ratio last/first {last / first:.2f}")
    print(
        f"{'PASS' if flat else 'FAIL'}: memory {'stays' if flat else 'does not stay'} within {bound} × the first sample"
    )
    return 0 if flat else 1


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _raw(port, _get("/places?q=ba")) == "200":
            return
        time.sleep(0.5)
    raise SystemExit("the server did not start within 60 s")


if __name__ == "__main__":
    raise SystemExit(main())
