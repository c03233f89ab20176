"""Kill the API server with SIGKILL while several processes write scenarios; nothing acknowledged is lost.

Writers record only the writes the server acknowledged (a 2xx answer). A request the server
may have received before it died has an unknown outcome: it may or may not be stored, but if
it is, it must be intact. After two kills and restarts on the same database, every
acknowledged write must be readable with its exact text and version, each scenario's versions
must run 1, 2, 3… without gaps or doubles, and nothing may be stored that no writer sent.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from helpers import CORRIDOR

pytestmark = [pytest.mark.e2e, pytest.mark.slow]  # a server process, killed with SIGKILL

# A short valid scenario: the server validates every write, and parsing a long one would dominate the time.
SCENARIO = "name: kill test\nyear: 2024\ndemand:\n  - {{origin: Xian, destination: Baku, teu_per_year: {teu}}}\n"
TOKEN = "kill-test-token"
WRITERS = 4
WRITES_PER_WRITER = 275
KILL_AT = (0.3, 0.65)
"""Shares of the acknowledged writes after which the server is killed."""
DEADLINE_S = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start ``corridor serve`` and wait until it answers."""
    env = {**os.environ, "CORRIDOR_TOKEN": TOKEN}
    with log.open("ab") as out:
        server = subprocess.Popen(
            [str(CORRIDOR), "serve", "--port", str(port), "--db", url], stdout=out, stderr=subprocess.STDOUT, env=env
        )
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        assert server.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/scenarios", timeout=5):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"the server did not start:\n{log.read_text()}")


def _send(port: int, method: str, path: str, body: dict[str, str]) -> tuple[int, Any] | None:
    """One write on a fresh connection: (status, JSON answer), or None if its outcome is unknown.

    A refused connection means the server is down and nothing was sent, so the write is tried
    again; a connection that breaks after the request went out may or may not have stored it.
    """
    give_up = time.monotonic() + DEADLINE_S
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.connect()
        except OSError:
            conn.close()
            assert time.monotonic() < give_up, "the server stayed down"
            time.sleep(0.05)
            continue
        try:
            headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
            conn.request(method, path, json.dumps(body), headers)
            response = conn.getresponse()
            return response.status, json.loads(response.read())
        except (OSError, http.client.HTTPException):
            return None
        finally:
            conn.close()


def _writer(port: int, writer: int, acked: Any, out: Path) -> None:
    """Create scenarios and add versions to them; record every attempt and every acknowledgement."""
    record: dict[str, Any] = {"acked": [], "sent": defaultdict(list), "unknown": 0, "unexpected": []}
    current = None
    for k in range(WRITES_PER_WRITER):
        body = SCENARIO.format(teu=1000 * writer + k + 1)
        create = current is None or k % 5 == 0
        name = f"w{writer}-{k}" if create else current
        assert name is not None
        record["sent"][name].append(body)
        if create:
            answer = _send(port, "POST", "/scenarios", {"name": name, "yaml": body})
        else:
            answer = _send(port, "PUT", f"/scenarios/{quote(name)}", {"yaml": body})
        if answer is None:
            record["unknown"] += 1
            current = None if create else current  # the name may not exist: start a new one
        elif 200 <= answer[0] < 300:
            record["acked"].append((name, answer[1]["version"], body))
            current = name
            with acked.get_lock():
                acked.value += 1
        else:
            record["unexpected"].append(answer)
    out.write_text(json.dumps(record))


def _rows(url: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = list(conn.execute(text("SELECT name, version, deleted, yaml FROM scenarios")))
            if engine.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        return rows
    finally:
        engine.dispose()


def test_acknowledged_writes_survive_sigkill_of_the_server(db_url: str, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "server.log"
    server = _serve(db_url, port, log)
    acked = multiprocessing.get_context("fork").Value("i", 0)
    total = WRITERS * WRITES_PER_WRITER
    ctx = multiprocessing.get_context("fork")
    writers = [
        ctx.Process(target=_writer, args=(port, w, acked, tmp_path / f"writer-{w}.json")) for w in range(WRITERS)
    ]
    try:
        for w in writers:
            w.start()
        for share in KILL_AT:
            while acked.value < share * total and any(w.is_alive() for w in writers):
                time.sleep(0.01)
            server.send_signal(signal.SIGKILL)
            server.wait()
            server = _serve(db_url, port, log)
        for w in writers:
            w.join(DEADLINE_S)
            assert w.exitcode == 0, f"writer failed; server log:\n{log.read_text()[-3000:]}"
    finally:
        server.terminate()
        server.wait(10)
        for w in writers:
            if w.is_alive():
                w.kill()
    records = [json.loads((tmp_path / f"writer-{w}.json").read_text()) for w in range(WRITERS)]
    _check(db_url, records)


def _check(url: str, records: list[dict[str, Any]]) -> None:
    assert [r["unexpected"] for r in records] == [[]] * WRITERS
    acked = [tuple(a) for r in records for a in r["acked"]]
    unknown = sum(r["unknown"] for r in records)
    sent = {name: set(bodies) for r in records for name, bodies in r["sent"].items()}
    assert len(acked) >= 1000
    stored: dict[tuple[str, int], str] = {}
    versions: dict[str, list[int]] = defaultdict(list)
    for name, version, deleted, body in _rows(url):
        assert not deleted and body in sent[name], (name, version)  # nothing nobody sent
        stored[(name, version)] = body
        versions[name].append(version)
    for name, version, body in acked:
        assert stored.get((name, version)) == body, (name, version)
    for name, numbers in versions.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), name
    assert len(acked) <= len(stored) <= len(acked) + unknown
    print(f"\n{len(acked)} acknowledged writes intact; {unknown} unknown outcomes, {len(stored) - len(acked)} stored")
