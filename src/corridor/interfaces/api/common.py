"""What every part of the API shares: request limits, parameter types, error documentation, JSON answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from corridor.settings import MAX_REQUEST_SAMPLES

__all__ = [
    "DEFAULT_PAGE",
    "MAX_PAGE",
    "MAX_VERSION",
    "MAX_YEARS",
    "YEARS_DESCRIPTION",
    "Countries",
    "DeadlineH",
    "ErrorOut",
    "Limit",
    "Name",
    "Offset",
    "Place",
    "Samples",
    "errors",
    "paged",
    "plain",
    "records",
]

MAX_YEARS = 2.0
"""Longest simulated period a request may ask for. The command line allows 5 (``simulate
--years``): there it is the user's own machine; a server shares its simulation lane, and two
years of the 2030 tripled TITR scenario already take about 1.5 s."""
YEARS_DESCRIPTION = (
    f"Simulated period in years, a finite number above 0 and at most {MAX_YEARS:g} over the API "
    "(a shared server; the command line allows 5)"
)
MAX_VERSION = 1_000_000
"""Largest scenario version number a request may name (keeps it inside a database integer)."""
Name = Annotated[
    str,
    Path(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$", description="A name (no control characters)"),
]


DEFAULT_PAGE = 100
"""Rows in one answer of a list endpoint unless ``limit`` says otherwise."""
MAX_PAGE = 1_000
"""Most rows a list endpoint answers at once (a stored result is about 1-2 kB of JSON)."""
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Most rows in one answer")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Rows to skip (the Link header names the next page)")]


def paged(rows: list[Any], request: Request, response: Response, limit: int, offset: int) -> list[Any]:
    """``rows`` (one page, already cut by the caller) as they are, with a ``Link: <…>; rel="next"``
    header when a further page may exist."""
    if len(rows) == limit:
        following = request.url.include_query_params(offset=offset + limit, limit=limit)
        response.headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    return rows


Place = Annotated[str, Query(min_length=1, max_length=100, description="A place name in any language, or a LOCODE")]
Countries = Annotated[list[str], Query(max_length=30, description="ISO country codes to avoid")]
Samples = Annotated[int, Query(ge=1, le=MAX_REQUEST_SAMPLES, description="Monte Carlo journeys per route")]
DeadlineH = Annotated[float | None, Query(gt=0, le=24 * 365, description="Hours after departure")]


class ErrorOut(BaseModel):
    """Every 4xx answer: a sentence saying what was wrong, sometimes with hints."""

    model_config = ConfigDict(extra="allow")

    detail: str
    suggestions: list[str] | None = Field(default=None, description="Nearest place names, for an unknown place")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error answers an operation may give."""
    what = {
        400: "The request body is not JSON",
        401: "No or wrong bearer token",
        403: "Writes are disabled on this server",
        404: "Not found (place pair without a route, scenario, job)",
        408: "The request body stalled",
        409: "Already exists",
        413: "The request body is larger than the limit",
        422: "Bad input, with a message",
        429: "Too many heavy requests of this kind (or jobs) running and waiting; retry after Retry-After",
        503: "The database is unavailable, damaged or newer than this Corridor; retry after Retry-After",
    }
    return {code: {"model": ErrorOut, "description": what[code]} for code in codes}


def plain(content: dict[str, Any]) -> JSONResponse:
    """Answer with JSON-native data as is: FastAPI's generic encoder walks every value of a
    route (thousands per answer) and took more time than the route search itself."""
    return JSONResponse(content)


def records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame as plain JSON records (NumPy numbers become Python numbers)."""
    import json

    rows: list[dict[str, Any]] = json.loads(frame.to_json(orient="records"))
    return rows
