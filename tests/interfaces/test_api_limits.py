"""The service under hostile or heavy use: bounded bodies, heads and lanes; 4xx (never 500) for valid input.

The in-process tests use the ASGI app; the connection-level ones run the real server (uvicorn with
:class:`~corridor.interfaces.api.serving.GuardedHttpProtocol`, shorter limits) on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from corridor.errors import BusyError
from corridor.interfaces.api import app, limits, routes, serving
from corridor.interfaces.api.limits import MAX_BODY_BYTES, Lane

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("CORRIDOR_DB", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("CORRIDOR_TOKEN", TOKEN)
    return TestClient(app, raise_server_exceptions=False)


def test_an_oversized_body_is_413_before_parsing_and_before_the_token(client: TestClient) -> None:
    big = b"{" + b" " * (MAX_BODY_BYTES + 10)
    declared = client.post("/scenarios", content=big, headers={"content-type": "application/json"})
    assert declared.status_code == 413 and "limit" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b" " * (MAX_BODY_BYTES // 4)

    chunked = client.post("/simulate", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413


def test_head_is_answered_like_get(client: TestClient) -> None:
    head = client.head("/places", params={"q": "baku"})
    assert head.status_code == 200 and head.content == b""
    assert client.head("/nope").status_code == 404


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "POST"])
def test_a_nul_in_a_scenario_name_is_422_on_every_store_endpoint(client: TestClient, method: str) -> None:
    path = {"POST": "/scenarios/a%00b/simulate"}.get(method, "/scenarios/a%00b")
    body = {"PUT": {"yaml": "name: x"}, "POST": {}}.get(method)
    assert client.request(method, path, json=body, headers=AUTH).status_code == 422
    assert client.request(method, path, json=body).status_code in (401, 422)  # writes check the token first
    assert client.get("/scenarios/a%00b/results").status_code == 422


@pytest.mark.parametrize(
    "yaml",
    [
        "name: deep\nyear: 2024\ndemand: " + "[" * 5_000 + "]" * 5_000 + "\n",
        "name: big\nyear: " + "9" * 5_000 + "\ndemand: []\n",
        "name: nul\x00\nyear: 2024\n",
        "name: nan\nyear: 2024\ndemand:\n  - {origin: Xian, destination: Baku, teu_per_year: 1000, "
        "seasonality: [.nan, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}\n",
        "name: inf\nyear: 2024\ndemand:\n  - {origin: Xian, destination: Baku, teu_per_year: 1000}\n"
        "route_choice: {value_of_time_usd_per_teu_day: .inf}\n",
    ],
)
def test_scenarios_that_break_the_yaml_reader_are_422(client: TestClient, yaml: str) -> None:
    answer = client.post("/scenarios", json={"name": "hostile", "yaml": yaml}, headers=AUTH)
    assert answer.status_code == 422 and answer.json()["detail"]


def test_a_damaged_database_is_503_without_its_whereabouts(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "damaged.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8_000)
    monkeypatch.setenv("CORRIDOR_DB", f"sqlite:///{path}")
    for answer in (client.get("/scenarios"), client.get("/scenarios/x"), client.get("/scenarios/x/results")):
        assert answer.status_code == 503 and "damaged" in answer.json()["detail"]
        assert str(tmp_path) not in answer.text and "Retry-After" in answer.headers


def test_a_full_lane_is_429_with_retry_after(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    full = Lane("sampling", running=1, waiting=0)
    full._admitted = 1  # as if one request were running
    monkeypatch.setattr(routes, "SAMPLING", full)
    answer = client.get("/route", params={"origin": "Xian", "destination": "Baku", "samples": 100})
    assert answer.status_code == 429 and answer.headers["Retry-After"] == str(limits.RETRY_AFTER_S)
    assert client.get("/route", params={"origin": "Xian", "destination": "Baku"}).status_code == 200  # no sampling


def test_a_lane_admits_running_plus_waiting_then_refuses() -> None:
    import asyncio

    lane = Lane("test", running=1, waiting=1)
    gate = threading.Event()

    async def scenario() -> list[str]:
        first = asyncio.create_task(lane.run(gate.wait, 5))
        second = asyncio.create_task(lane.run(gate.wait, 5))
        await asyncio.sleep(0.05)
        with pytest.raises(BusyError):
            await lane.run(gate.wait, 5)
        gate.set()
        await asyncio.gather(first, second)
        return [str(lane.admitted)]

    assert asyncio.run(scenario()) == ["0"]


class _Quick(serving.GuardedHttpProtocol):
    head_timeout_s = 1.0
    write_stall_s = 1.0


_RUNNING: dict[str, Any] = {}
"""The uvicorn Server behind each URL the fixture gives (to look at its open connections)."""


@contextlib.contextmanager
def _serving() -> Iterator[str]:
    """The real server (guarded protocol, short limits, start-up included) on a free loopback port."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    instance = uvicorn.Server(serving.config("127.0.0.1", port, _Quick, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    _RUNNING[url] = instance
    try:
        yield url
    finally:
        instance.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with _serving() as url:
        yield url


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_a_half_sent_request_is_dropped_after_the_head_timeout(server: str) -> None:
    with socket.create_connection(("127.0.0.1", _port(server))) as slow:
        slow.sendall(b"GET /places?q=baku HTTP/1.1\r\nHost: x\r\n")  # never ends its head
        slow.settimeout(10)
        started = time.monotonic()
        assert slow.recv(100) == b""  # closed by the server
        assert time.monotonic() - started < 5
    assert httpx.get(f"{server}/places", params={"q": "baku"}).status_code == 200


def test_an_oversized_head_is_431(server: str) -> None:
    answer = httpx.get(f"{server}/places", params={"q": "baku"}, headers={"X-Big": "a" * 40_000})
    assert answer.status_code == 431


def test_a_client_that_never_reads_is_cut_off(server: str) -> None:
    """Its answers stop at the kernel's buffers; once the server's own buffer has been full for
    write_stall_s it aborts the connection (without the limit it would hold it, paused, for ever)."""
    connections = _RUNNING[server].server_state.connections
    requests = 200  # about 14 MB of answers (68 kB each), several times what loopback's buffers hold
    lazy = socket.socket()
    lazy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    lazy.connect(("127.0.0.1", _port(server)))
    with lazy:
        local = lazy.getsockname()
        lazy.sendall(b"GET /network.geojson HTTP/1.1\r\nHost: x\r\n\r\n" * requests)

        def open_() -> bool:
            return any(tuple(c.client) == local and not c.transport.is_closing() for c in list(connections))

        deadline = time.monotonic() + 60  # however slow the machine, the answers fill the buffers
        while not open_():
            assert time.monotonic() < deadline, "the server never took the connection"
            time.sleep(0.05)
        while open_():
            assert time.monotonic() < deadline, "the server kept a connection whose client never reads"
            time.sleep(0.2)
        lazy.settimeout(10)
        received = 0
        try:
            while chunk := lazy.recv(1 << 16):
                received += len(chunk)
        except ConnectionResetError:
            pass
    whole = len(httpx.get(f"{server}/network.geojson").content) * requests
    assert received < whole / 2, f"got {received:,} of {whole:,} bytes: the answers were not cut off"
    assert httpx.get(f"{server}/places", params={"q": "baku"}).status_code == 200


@pytest.mark.slow
def test_places_answers_quickly_while_heavy_requests_run(server: str) -> None:
    """/places within a bound while the sampling and simulation lanes are full and refusing more."""
    heavy = [
        ("GET", "/route", {"origin": "Xian", "destination": "Baku", "samples": 100_000}, None),
        ("POST", "/simulate", None, {"scenario": "titr-2024-base", "years": 0.05}),
    ]

    def load(k: int) -> int:
        method, path, params, body = heavy[k % len(heavy)]
        return httpx.request(method, f"{server}{path}", params=params, json=body, timeout=120).status_code

    latencies = []
    with ThreadPoolExecutor(12) as pool:  # 6 simulations: more than the lane admits (1 + 4)
        codes = pool.map(load, range(12))
        time.sleep(0.5)
        for _ in range(20):
            started = time.monotonic()
            assert httpx.get(f"{server}/places", params={"q": "baku"}, timeout=30).status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
        statuses = sorted(codes)
    assert set(statuses) <= {200, 429} and 429 in statuses and 200 in statuses, statuses
    assert max(latencies) < 1.5, f"/places took up to {max(latencies):.2f} s behind heavy requests"


@pytest.mark.slow
def test_places_answers_while_the_first_city_query_runs() -> None:
    """The gazetteer is read at start-up, off the loop: the first route from a city (searched on
    the event loop) does not read it there, so /places keeps answering meanwhile."""
    from corridor.network import cities

    gazetteer = (cities.load_cities, cities.city_index, cities.alias_index)
    for cache in gazetteer:
        cache.cache_clear()  # as in a fresh server process
    with _serving() as url:
        assert all(cache.cache_info().currsize == 1 for cache in gazetteer), "not read at start-up"
        city = {"origin": "Pavlodar", "destination": "Kutaisi"}  # cities, not network places
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(httpx.get, f"{url}/route", params=city, timeout=60)
            latencies = []
            while not first.done() or not latencies:
                started = time.monotonic()
                assert httpx.get(f"{url}/places", params={"q": "baku"}, timeout=30).status_code == 200
                latencies.append(time.monotonic() - started)
            assert first.result().status_code == 200, first.result().text
    assert max(latencies) < 1.5, f"/places took up to {max(latencies):.2f} s behind the first city query"


def test_a_stalled_body_is_408() -> None:
    import asyncio
    from collections.abc import MutableMapping

    guarded = limits.Guard(app, body_timeout=0.2)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/simulate",
        "raw_path": b"/simulate",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 2),
    }
    parts = [{"type": "http.request", "body": b'{"scenario": ', "more_body": True}]
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        if parts:
            return parts.pop()
        await asyncio.sleep(3600)  # the client never sends the rest
        raise AssertionError

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(asyncio.wait_for(guarded(scope, receive, send), 10))
    assert sent[0]["status"] == 408 and b"stalled" in sent[1]["body"]
