"""What bounds the server's memory and keeps it answering: request size and time, and a lane per kind of heavy work.

* :class:`Guard` (ASGI middleware) answers a body larger than :data:`MAX_BODY_BYTES` with 413
  before anything parses it and before the token is checked: a declared ``Content-Length`` at
  once, a chunked body as soon as it passes the limit. A body that stalls for
  :data:`BODY_TIMEOUT_S` is answered 408, and ``HEAD`` as ``GET`` without the body. (FastAPI's own
  ``max_body_size`` answers a declared oversize body in plain text, not the JSON ``detail`` every
  other error has, hence this.)
* :class:`Lane`: heavy work (Monte Carlo sampling, corridor comparisons, simulations, forecasts) runs on a small thread
  pool of its own, off the event loop, so cheap endpoints such as ``/places`` never wait behind
  it. A lane admits :attr:`Lane.running` computations at once and :attr:`Lane.waiting` more in
  line; past that it answers 429 with ``Retry-After`` (a :class:`~corridor.errors.BusyError`)
  instead of queueing without end.

Connection-level limits (header size and time, keep-alive, stalled readers, connection count)
are set where the server starts, in :mod:`corridor.interfaces.api.serving`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.exceptions import HTTPException

from corridor.errors import BusyError

MAX_BODY_BYTES = 256 * 1024
"""Largest request body (the largest legitimate one, a 100,000-character scenario in JSON, fits)."""
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
"""Largest shipment list for ``POST /jobs/batch``: about 100,000 CSV rows of ~150 bytes (a tender)."""
UPLOAD_PATHS = frozenset({"/jobs/batch"})
"""Endpoints that take a file upload and so get :data:`MAX_UPLOAD_BYTES` instead."""
BODY_TIMEOUT_S = 30.0
"""Longest wait for the next part of a request body before the request is answered 408."""
RETRY_AFTER_S = 5
"""What a 503 or 429 tells a client to wait before trying again, in seconds."""

T = TypeVar("T")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Lane:
    """A bounded pool of threads for one kind of heavy work.

    Parameters
    ----------
    kind : str
        What runs here (named in the 503 message and the thread names).
    running : int
        Computations at the same time (threads).
    waiting : int
        Computations admitted beyond those, waiting for a thread; more are refused.
    """

    def __init__(self, kind: str, running: int, waiting: int) -> None:
        self.kind = kind
        self.running = running
        self.waiting = waiting
        self._pool = ThreadPoolExecutor(max_workers=running, thread_name_prefix=f"corridor-{kind}")
        self._admitted = 0
        self._lock = threading.Lock()

    @property
    def admitted(self) -> int:
        """Computations running or waiting now."""
        return self._admitted

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """Run ``work(*args)`` on this lane's threads and wait for it without blocking the loop.

        Raises
        ------
        BusyError
            If ``running + waiting`` computations are already admitted.
        """
        with self._lock:
            if self._admitted >= self.running + self.waiting:
                raise BusyError(
                    f"the server is busy with {self._admitted} {self.kind} requests; try again in {RETRY_AFTER_S} s"
                )
            self._admitted += 1
        # Released when the work ends, not when the awaiting request does: a client that hangs
        # up leaves its computation running, and it still counts (a queued one is cancelled).
        future = self._pool.submit(work, *args)
        future.add_done_callback(self._release)
        return await asyncio.wrap_future(future)

    def _release(self, _future: Any) -> None:
        with self._lock:
            self._admitted -= 1


SAMPLING = Lane("sampling", running=2, waiting=6)
"""Monte Carlo journeys (``/route?samples``, ``/compare``, ``/reliability``): at most 200,000
journeys a route, 38–85 MB at the peak of one request (measured with tracemalloc, 2026-11-30,
Xian–Baku and Shanghai–Belgrade), so at most two at once."""
SEARCH = Lane("search", running=2, waiting=30)
"""Corridor comparisons (``/compare``, ``/compare.geojson``): a route search per corridor, about
0.1 s each; ``/route``'s single search (milliseconds) stays on the event loop, where it is faster."""
SIMULATION = Lane("simulation", running=1, waiting=4)
"""Simulations (``/simulate``, stored scenarios): pure Python that holds the GIL, so one at a time."""
FORECAST = Lane("forecast", running=2, waiting=8)
"""Trade forecasts (statsmodels fits, a fraction of a second each)."""


class _TooLarge(HTTPException):
    """The body passed the limit while it was read: 413 (FastAPI passes an HTTPException on as it is)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"the request body is larger than the limit of {limit:,} bytes")


class _Stalled(HTTPException):
    """The client stopped sending its body: 408 (raised inside FastAPI's body reading, which passes
    an HTTPException on as it is)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(status_code=408, detail=f"the request body stalled for {seconds:g} s")


class Guard:
    """ASGI middleware: a body over the limit is answered 413 (at once when declared), a stalled
    body 408; ``HEAD`` is answered as ``GET`` without the body (FastAPI routes ``HEAD`` nowhere,
    so it would be 405)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES, body_timeout: float = BODY_TIMEOUT_S) -> None:
        self.app = app
        self.max_body = max_body
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = MAX_UPLOAD_BYTES if scope.get("path") in UPLOAD_PATHS else self.max_body
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, 413, f"the request body is {declared:,} bytes; the limit is {limit:,}")
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}  # a copy: the server still knows it answers a HEAD

        body_done = False
        received = 0

        async def bounded_receive() -> Message:
            # Once the body is in, receive() only waits for the client to hang up: no time limit.
            nonlocal body_done, received
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.body_timeout)
            except TimeoutError:
                raise _Stalled(self.body_timeout) from None
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooLarge(limit)
            body_done = not message.get("more_body", False)
            return message

        async def bodiless_send(message: Message) -> None:
            if head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, bounded_receive, bodiless_send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP parser refuses it before this
    return None


async def _refuse(send: Send, status: int, detail: str) -> None:
    """Answer with a JSON error and close the connection (the unread body is not wanted)."""
    import json

    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
