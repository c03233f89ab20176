"""What :class:`~corridor.interfaces.api.serving.GuardedHttpProtocol` needs from uvicorn's internals.

The guard subclasses uvicorn's ``HttpToolsProtocol``, which is not public API: uvicorn and
httptools are pinned in constraints.txt for that reason. An upgrade that renames a hook the guard
overrides, stops calling it, or answers a parser error another way would make a limit vanish
without an error (a head of any size, a client that never reads). These tests drive the real
protocol on a fake transport, with no network, and each failure names the internal that moved:
re-check the guard against the new uvicorn before moving the pin.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from corridor.interfaces.api import serving

HOOKS = (
    "connection_made",
    "connection_lost",
    "data_received",
    "on_url",
    "on_header",
    "on_headers_complete",
    "on_message_complete",
    "pause_writing",
    "resume_writing",
    "send_400_response",
)
"""Every HttpToolsProtocol method GuardedHttpProtocol overrides and extends through super()."""


class _Transport(asyncio.Transport):
    """Records what the protocol writes; closing or aborting only marks it closed."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def write(self, data: Any) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 40000), "sockname": ("127.0.0.1", 8000)}.get(name, default)


class _Short(serving.GuardedHttpProtocol):
    head_timeout_s = 0.05
    write_stall_s = 0.05


def _connect() -> tuple[serving.GuardedHttpProtocol, _Transport]:
    config = serving.config("127.0.0.1", 0, _Short, log_level="warning")
    config.load()
    protocol = _Short(config=config, server_state=ServerState(), app_state={}, _loop=asyncio.get_running_loop())
    transport = _Transport()
    protocol.connection_made(transport)
    return protocol, transport


def test_the_hooks_the_guard_overrides_are_uvicorns_own() -> None:
    moved = [name for name in HOOKS if name not in vars(HttpToolsProtocol)]
    assert not moved, f"uvicorn's HttpToolsProtocol no longer defines {moved}: the guard's override is dead code"
    assert issubclass(httptools.HttpParserCallbackError, httptools.HttpParserError), (
        "httptools no longer reports an exception raised in a callback as an HttpParserError"
    )
    assert "send_400_response" in inspect.getsource(HttpToolsProtocol.data_received), (
        "uvicorn no longer answers a parser error through send_400_response (the guard's 431 hangs on it)"
    )
    assert "disconnected" in inspect.getsource(RequestResponseCycle.__init__), (
        "RequestResponseCycle has no 'disconnected' flag (the guard sets it to drop a stalled answer)"
    )


def test_a_head_over_the_limit_in_one_read_is_431_through_the_parser_error_path() -> None:
    async def scenario() -> _Transport:
        protocol, transport = _connect()
        big = b"GET /places?q=baku HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n"
        protocol.data_received(big)
        return transport

    transport = asyncio.run(scenario())
    assert transport.written.startswith(b"HTTP/1.1 431"), bytes(transport.written[:80])
    assert transport.closed


def test_a_head_over_the_limit_in_pieces_is_431_before_it_ends() -> None:
    async def scenario() -> _Transport:
        protocol, transport = _connect()
        protocol.data_received(b"GET /places?q=baku HTTP/1.1\r\nHost: x\r\n")
        for _ in range(40):
            if transport.closed:
                break
            protocol.data_received(b"X-Pad: " + b"a" * 1_000 + b"\r\n")
        return transport

    transport = asyncio.run(scenario())
    assert transport.written.startswith(b"HTTP/1.1 431"), bytes(transport.written[:80])


def test_the_head_timer_starts_with_the_connection_and_stops_with_the_head() -> None:
    async def scenario() -> tuple[bool, bool, bool]:
        protocol, _ = _connect()
        armed = protocol._head_timer is not None
        protocol.data_received(b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        stopped = protocol._head_timer is None  # on_headers_complete ran
        await asyncio.sleep(0.2)  # the app answers; a kept-alive connection waits for its next head
        slow, slow_transport = _connect()
        slow.data_received(b"GET /nowhere HTTP/1.1\r\n")  # never finishes its head
        await asyncio.sleep(0.2)
        protocol.connection_lost(None)
        return armed, stopped, slow_transport.closed

    armed, stopped, dropped = asyncio.run(scenario())
    assert armed, "connection_made is no longer called by uvicorn (or no longer reached through super())"
    assert stopped, "on_headers_complete is no longer called at the end of a head"
    assert dropped, "a half-sent head was not dropped after head_timeout_s"


def test_a_stalled_reader_is_cut_off_through_pause_writing() -> None:
    async def scenario() -> bool:
        protocol, transport = _connect()
        protocol.data_received(b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        protocol.pause_writing()  # what asyncio calls when the send buffer is full
        await asyncio.sleep(0.2)
        return transport.closed and protocol.cycle.disconnected

    assert asyncio.run(scenario()), "pause_writing did not lead to the connection being aborted"
