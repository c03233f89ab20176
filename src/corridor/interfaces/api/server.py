"""The FastAPI application: the routers, the web page, and one answer for every error.

Every error a client can cause is a 4xx with a message: unknown places and bad options are 422
(or 404 for a missing scenario or job), a route that does not exist is 404 with the reason; the
server never answers 500 with a traceback for bad input.
"""

from __future__ import annotations

import asyncio
import logging
import pathlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

import corridor
from corridor.errors import (
    BusyError,
    ConflictError,
    CorridorError,
    NoRouteError,
    NotFoundError,
    StoreError,
    UnknownPlaceError,
)
from corridor.interfaces.api import background, batch, planning, routes, scenarios
from corridor.interfaces.api.common import errors
from corridor.interfaces.api.limits import RETRY_AFTER_S, Guard

__all__ = ["STATUS", "WEB_DIR", "app", "page", "status_of", "warm_up"]

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Read the network and the city gazetteer (11,904 cities, their names and other spellings).

    A route search runs on the event loop (faster there for a search of milliseconds), so the
    first query naming a city would otherwise read the gazetteer on the loop: about 1.3 s, more
    under load, with every other request waiting. Read here instead, before the server accepts
    connections; it costs about 30 MB of memory. A broken data directory is logged and left to
    the requests, which answer it with their usual 4xx.
    """
    from corridor.network.cities import alias_index, city_index
    from corridor.routing.api import default_network

    try:
        network = default_network()
    except CorridorError as exc:
        log.warning("data not loaded at start-up: %s", exc)
        return
    city_index(network.data_dir)
    alias_index(network.data_dir)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    await asyncio.to_thread(warm_up)
    yield


app = FastAPI(
    title="Corridor",
    version=corridor.__version__,
    description=(
        "Container routes, reliability, forecasts and capacity on the Eurasian land bridge. Reads are open; "
        "writes (scenario create, update, delete) need `Authorization: Bearer <CORRIDOR_TOKEN>`. Background "
        "jobs are kept in the memory of the server process: poll them on the process that accepted them."
    ),
    responses=errors(400, 408, 413, 422),
    docs_url=None,  # served below from local files: FastAPI's default page loads Swagger UI from a CDN
    redoc_url=None,
    lifespan=_lifespan,
)
app.add_middleware(Guard)
for part in (routes, planning, batch, background, scenarios):
    app.include_router(part.router)

WEB_DIR = pathlib.Path(__file__).parent.with_name("web")
"""The web page: plain HTML, ES modules and vendored Leaflet, served as they are (no build step)."""
app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")


DOCS_DIR = pathlib.Path(swagger_ui_bundle.swagger_ui_path)
"""Swagger UI's files as the swagger-ui-bundle package ships them."""
app.mount("/docs-files", StaticFiles(directory=DOCS_DIR), name="docs-files")


@app.get("/docs", include_in_schema=False)
def docs() -> HTMLResponse:
    """The interactive API documentation, with Swagger UI served by this server (works offline)."""
    return get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} API",
        swagger_js_url="/docs-files/swagger-ui-bundle.js",
        swagger_css_url="/docs-files/swagger-ui.css",
        swagger_favicon_url="/docs-files/favicon-32x32.png",
    )


@app.get("/", include_in_schema=False)
def page() -> FileResponse:
    """The web page (map, route planner, scenarios, forecasts) over this API."""
    return FileResponse(WEB_DIR / "index.html")


STATUS: tuple[tuple[type[CorridorError], int], ...] = (
    (NoRouteError, 404),
    (NotFoundError, 404),
    (ConflictError, 409),
    (BusyError, 429),
    (StoreError, 503),
)
"""HTTP status per error class (see :mod:`corridor.errors`); any other CorridorError is bad input, 422."""


def status_of(exc: CorridorError) -> int:
    """The HTTP status that answers ``exc``."""
    return next((status for cls, status in STATUS if isinstance(exc, cls)), 422)


@app.exception_handler(CorridorError)
async def _corridor_error(_request: Request, exc: CorridorError) -> JSONResponse:
    status = status_of(exc)
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, UnknownPlaceError):
        body["suggestions"] = exc.suggestions
    headers = {"Retry-After": str(RETRY_AFTER_S)} if status in (429, 503) else None
    return JSONResponse(status_code=status, content=body, headers=headers)


@app.exception_handler(RequestValidationError)
async def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": "; ".join(problems)})


@app.exception_handler(Exception)
async def _bug(_request: Request, exc: Exception) -> JSONResponse:
    """Last resort for a bug: the log gets the traceback, the client a sentence without one."""
    log.error("unhandled error", exc_info=exc)
    return JSONResponse(status_code=500, content={"detail": "internal error; the server log has the details"})
