"""The HTTP server around the API: uvicorn with connection limits that keep one client from holding it.

uvicorn bounds the keep-alive wait and the connection count, but not the time or size of a
request's head, nor a client that stops reading its answer. :class:`GuardedHttpProtocol` adds
those three to uvicorn's httptools protocol (the parser it picks itself when installed):

========================  =====================================  ===========================================
limit                     value                                  what happens
========================  =====================================  ===========================================
request head size         :data:`MAX_HEAD_BYTES`                 431, connection closed
request head time         :data:`HEAD_TIMEOUT_S`                 connection closed (no answer: nothing to answer)
idle keep-alive           :data:`KEEP_ALIVE_S`                   connection closed
client not reading        :data:`WRITE_STALL_S`                  connection aborted, its buffered answer freed
open connections + tasks  :data:`MAX_CONNECTIONS`                503 (uvicorn's ``limit_concurrency``)
========================  =====================================  ===========================================

Request bodies (413, 408) and heavy work (503 with ``Retry-After``) are bounded in the app:
:mod:`corridor.interfaces.api.limits`.

``HttpToolsProtocol`` is uvicorn's internal API, not its public one: uvicorn and httptools are
pinned exactly in constraints.txt, and ``tests/interfaces/test_serving_contract.py`` drives the
guard on a fake transport and names the internal that moved if an upgrade changes one.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 32 * 1024
"""Largest request line plus headers (a browser sends under 8 kB)."""
HEAD_TIMEOUT_S = 10.0
"""Longest time from a connection's (or a kept-alive request's) first byte to the end of its headers."""
KEEP_ALIVE_S = 5
"""Longest idle time of a kept-alive connection between requests."""
WRITE_STALL_S = 30.0
"""Longest time a client may leave the server's send buffer full without reading."""
MAX_CONNECTIONS = 256
"""Open connections (and running requests) before new requests are answered 503."""


class _HeadTooLarge(Exception):
    """Raised from the parser's callback to stop parsing a head over the limit (answered 431)."""


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bounded request head and a timeout for stalled readers.

    The limits are class attributes so that a test can run a subclass with shorter ones.
    """

    max_head_bytes = MAX_HEAD_BYTES
    head_timeout_s = HEAD_TIMEOUT_S
    write_stall_s = WRITE_STALL_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._head_size = 0
        self._too_large = False
        self._heads = 0
        self._in_head = True
        self._head_timer: asyncio.TimerHandle | None = None
        self._stall_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._head_timer, self._stall_timer):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head and self._head_timer is None:
            self._arm_head_timer()  # a kept-alive connection's next request starts
        heads, in_head = self._heads, self._in_head
        super().data_received(data)
        if heads != self._heads:
            self._head_bytes = 0  # a head ended in this chunk: the rest is body (or a pipelined request)
        elif in_head and self._in_head:  # the whole chunk went to a head still unfinished
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head_bytes and not self.transport.is_closing():
                self._refuse_head()

    def on_url(self, url: bytes) -> None:
        self._head_size += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        # A head that arrived in one read is measured here: data_received only sees unfinished heads.
        size, self._head_size = self._head_size, 0
        if size > self.max_head_bytes:
            self._too_large = True
            raise _HeadTooLarge  # httptools stops parsing; uvicorn answers through send_400_response
        self._in_head = False
        self._heads += 1
        self._cancel_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes = True, 0

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._stall_timer is None:
            self._stall_timer = self.loop.call_later(self.write_stall_s, self._stalled)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._stall_timer is not None:
            self._stall_timer.cancel()
            self._stall_timer = None

    def send_400_response(self, msg: str) -> None:
        if self._too_large:
            self._refuse_head()
        else:
            super().send_400_response(msg)

    def _stalled(self) -> None:
        """Drop a connection whose client stopped reading, and its buffered answer, at once."""
        self._stall_timer = None
        if self.cycle is not None:
            self.cycle.disconnected = True  # the app's further sends are dropped, not errors
        self.transport.abort()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            self.transport.abort()

    def _refuse_head(self) -> None:
        text = f"request headers larger than {self.max_head_bytes} bytes".encode()
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: " + str(len(text)).encode() + b"\r\nconnection: close\r\n\r\n" + text
        )
        self.transport.close()


def config(host: str, port: int, protocol: type[GuardedHttpProtocol] = GuardedHttpProtocol, **options: Any) -> Any:
    """The uvicorn ``Config`` of :func:`run` (tests start a ``uvicorn.Server`` on it)."""
    import uvicorn

    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "http": protocol,
        "timeout_keep_alive": KEEP_ALIVE_S,
        "limit_concurrency": MAX_CONNECTIONS,
        **options,
    }
    from corridor.interfaces.api import app

    return uvicorn.Config(app, **settings)


def run(host: str, port: int) -> None:
    """Serve :data:`corridor.interfaces.api.app` on ``host:port`` with the limits above (blocks)."""
    import uvicorn

    uvicorn.Server(config(host, port)).run()
