"""REST API (FastAPI): the CLI's answers over HTTP, with OpenAPI docs at ``/docs``.

Start it with ``corridor serve``; ``/`` is a web page over the same API. Every error a client
can cause is a 4xx with a message: unknown places and bad options are 422 (or 404 for a missing
scenario or job), a route that does not exist is 404 with the reason; the server never answers
500 with a traceback for bad input.
Request sizes are bounded (samples, horizon, years, scenario text, name lengths) so one call
cannot take the server down. Long computations can run as background jobs (``/jobs/...``, see
:mod:`corridor.interfaces.jobs`): 202 with a job id, then poll ``/jobs/{id}`` for progress.
"""

from __future__ import annotations

import logging
import pathlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from corridor.errors import CorridorError, NoRouteError, UnknownPlaceError
from corridor.interfaces.jobs import Job, JobQueue, Progress

if TYPE_CHECKING:
    from corridor.routing.api import Comparison, RouteSet

MAX_SAMPLES = 200_000
"""Monte Carlo journeys a request may ask for (per route)."""
MAX_YEARS = 2.0
"""Longest simulated period a request may ask for."""
MAX_VERSION = 1_000_000
"""Largest scenario version number a request may name (keeps it inside a database integer)."""
Name = Annotated[str, Path(min_length=1, max_length=100)]

log = logging.getLogger(__name__)


class ErrorOut(BaseModel):
    """Every 4xx answer: a sentence saying what was wrong, sometimes with hints."""

    model_config = ConfigDict(extra="allow")

    detail: str
    suggestions: list[str] | None = Field(default=None, description="Nearest place names, for an unknown place")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error answers an operation may give."""
    what = {
        400: "The request body is not JSON",
        401: "No or wrong bearer token",
        403: "Writes are disabled on this server",
        404: "Not found (place pair without a route, scenario, job)",
        409: "Already exists",
        422: "Bad input, with a message",
        429: "Too many background jobs queued; retry later",
    }
    return {code: {"model": ErrorOut, "description": what[code]} for code in codes}


app = FastAPI(
    title="Corridor",
    version="0.1.0",
    description=(
        "Container routes, reliability, forecasts and capacity on the Eurasian land bridge. Reads are open; "
        "writes (scenario create, update, delete) need `Authorization: Bearer <CORRIDOR_TOKEN>`. Background "
        "jobs are kept in the memory of the server process: poll them on the process that accepted them."
    ),
    responses=_errors(400, 422),
)
jobs = JobQueue()
"""Background jobs of this server process (in memory: see :mod:`corridor.interfaces.jobs`)."""

WEB_DIR = pathlib.Path(__file__).with_name("web")
"""The web page: plain HTML, ES modules and vendored Leaflet, served as they are (no build step)."""
app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")


@app.get("/", include_in_schema=False)
def page() -> FileResponse:
    """The web page (map, route planner, scenarios, forecasts) over this API."""
    return FileResponse(WEB_DIR / "index.html")


@app.exception_handler(CorridorError)
async def _corridor_error(_request: Request, exc: CorridorError) -> JSONResponse:
    status = 404 if isinstance(exc, NoRouteError) else getattr(exc, "status", 422)
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, UnknownPlaceError):
        body["suggestions"] = exc.suggestions
    headers = {"Retry-After": "5"} if status == 429 else None
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


class PlaceOut(BaseModel):
    """A place as the API returns it."""

    id: str
    name: str
    name_ru: str
    name_local: str
    locode: str | None
    country: str
    kind: str
    lat: float
    lon: float


@app.get("/places", response_model=list[PlaceOut], summary="Find places by any name or UN/LOCODE")
def places(q: str = Query(min_length=1, max_length=100, description="Any part of a name, in any language")) -> Any:
    from corridor.network.places import find_places
    from corridor.routing.api import default_network

    return [p.model_dump(include=set(PlaceOut.model_fields)) for p in find_places(default_network(), q)]


Cargo = Literal["20ft", "40ft", "40ft-reefer"]
Place = Annotated[str, Query(min_length=1, max_length=100, description="A place name in any language, or a LOCODE")]
Countries = Annotated[list[str], Query(max_length=30, description="ISO country codes to avoid")]
Samples = Annotated[int, Query(ge=1, le=MAX_SAMPLES, description="Monte Carlo journeys per route")]
DeadlineH = Annotated[float | None, Query(gt=0, le=24 * 365, description="Hours after departure")]


@dataclass(frozen=True)
class Search:
    """What to search between two places: the query parameters of the route and compare endpoints."""

    origin: str
    destination: str
    cargo: Cargo
    avoid_countries: list[str]
    avoid_modes: list[str]
    avoid_passages: list[str]
    max_transshipments: int | None
    include_planned: bool


# The route endpoints are ``async def`` although they compute: FastAPI runs a plain ``def`` in a
# thread pool, and for a search of about a millisecond the thread hand-off and GIL contention cost
# more than the search (measured: 250-280 against 420-490 req/s on one uvicorn worker). The work
# is CPU-bound either way; more throughput comes from more worker processes, not threads.
async def _search(
    origin: Place,
    destination: Place,
    cargo: Cargo = "40ft",
    avoid: Countries = [],  # noqa: B006 - FastAPI copies defaults per request
    avoid_mode: list[str] = Query(default=[], max_length=5),
    avoid_passage: list[str] = Query(default=[], max_length=10),
    max_transshipments: int | None = Query(default=None, ge=0, le=20),
    include_planned: bool = False,
) -> Search:
    return Search(origin, destination, cargo, avoid, avoid_mode, avoid_passage, max_transshipments, include_planned)


Searched = Annotated[Search, Depends(_search)]


async def _found(q: Searched) -> RouteSet:
    """The Pareto set, for ``/route`` and ``/route.geojson``."""
    from corridor.routing.api import route as find

    return find(
        q.origin,
        q.destination,
        cargo=q.cargo,
        avoid_countries=q.avoid_countries,
        avoid_modes=q.avoid_modes,
        avoid_passages=q.avoid_passages,
        max_transshipments=q.max_transshipments,
        include_planned=q.include_planned,
    )


async def _compared(q: Searched) -> Comparison:
    """The best route of every corridor under the same constraints, for ``/compare`` and ``/compare.geojson``."""
    from corridor.routing.api import compare as run

    return run(
        q.origin,
        q.destination,
        cargo=q.cargo,
        avoid_countries=q.avoid_countries,
        avoid_modes=q.avoid_modes,
        avoid_passages=q.avoid_passages,
        max_transshipments=q.max_transshipments,
        include_planned=q.include_planned,
    )


Found = Annotated["RouteSet", Depends(_found)]
Compared = Annotated["Comparison", Depends(_compared)]


@app.get(
    "/route",
    summary="Pareto-optimal routes between two places (same JSON as the CLI)",
    responses=_errors(404),
)
async def route(found: Found, thin: bool = True, samples: Samples | None = None, deadline_h: DeadlineH = None) -> Any:
    shown = found.thinned() if thin else found.routes
    rows = _rated(shown, samples, deadline_h)
    return _plain({"origin": found.origin, "destination": found.destination, "routes": rows})


@app.get("/route.geojson", summary="The same routes as a GeoJSON FeatureCollection", responses=_errors(404))
async def route_geojson(
    found: Found,
    thin: bool = Query(default=False, description="Drop near-duplicates, numbering routes as /route does"),
) -> Any:
    from corridor.routing.itinerary import routes_geojson

    return _plain(routes_geojson(found.thinned() if thin else found.routes))


@app.get("/compare", summary="The best route of every corridor, with P50/P90 times", responses=_errors(404))
def compare(result: Compared, samples: Samples = 20_000, deadline_h: DeadlineH = None) -> Any:
    return _plain(
        {
            "origin": result.origin,
            "destination": result.destination,
            "routes": _rated(result.routes, samples, deadline_h),
            "unavailable": [{"corridor": c, "reason": r} for c, r in result.unavailable],
        }
    )


@app.get(
    "/compare.geojson",
    summary="The best route of every corridor as a GeoJSON FeatureCollection (numbered as /compare)",
    responses=_errors(404),
)
async def compare_geojson(result: Compared) -> Any:
    from corridor.routing.itinerary import routes_geojson

    return _plain(routes_geojson(result.routes))


def _plain(content: dict[str, Any]) -> JSONResponse:
    """Answer with JSON-native data as is: FastAPI's generic encoder walks every value of a
    route (thousands per answer) and took more time than the route search itself."""
    return JSONResponse(content)


def _records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame as plain JSON records (NumPy numbers become Python numbers)."""
    import json

    rows: list[dict[str, Any]] = json.loads(frame.to_json(orient="records"))
    return rows


def _rated(routes: Any, samples: int | None, deadline_h: float | None) -> list[dict[str, Any]]:
    rows = []
    for r in routes:
        row = r.to_dict()
        if samples:
            from corridor.uncertainty.api import reliability

            row.update(reliability(r, samples, deadline_h=deadline_h).to_dict())
        rows.append(row)
    return rows


class ReliabilityIn(BaseModel):
    """Will a box arrive by a deadline? The options of ``corridor reliability``."""

    origin: str = Field(min_length=1, max_length=100)
    destination: str = Field(min_length=1, max_length=100)
    deadline: str = Field(min_length=1, max_length=40, description="25d, 600h or a date 2026-03-01")
    cargo: Cargo = "40ft"
    samples: int = Field(default=100_000, ge=1, le=MAX_SAMPLES, description="Monte Carlo journeys per corridor")
    depart: date | None = Field(default=None, description="Departure date: sets the Caspian weather month")
    month: str | None = Field(default=None, max_length=10, description="Or a departure month: jan … dec, 1 … 12")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    avoid: list[str] = Field(default=[], max_length=30, description="ISO country codes to avoid")
    include_planned: bool = False


class DriverOut(BaseModel):
    """A leg or stop and its share of the variance of the door-to-door time."""

    component: str
    share: float


class RatedRouteOut(BaseModel):
    """A corridor's best route (the CLI's JSON fields) with its time distribution and odds."""

    model_config = ConfigDict(extra="allow")

    corridor: str
    time_mean_h: float
    time_p10_h: float
    time_p50_h: float
    time_p90_h: float
    time_p95_h: float
    on_time_probability: float
    late_drivers: list[DriverOut] = Field(description="What makes it late, largest share first (top 3)")


class ReliabilityOut(BaseModel):
    """On-time odds per corridor, the answer of ``corridor reliability --format json`` plus drivers."""

    origin: str
    destination: str
    deadline_h: float
    samples: int
    seed: int
    routes: list[RatedRouteOut]


@app.get(
    "/reliability",
    response_model=ReliabilityOut,
    summary="On-time odds per corridor for a deadline, and the legs that drive the late tail",
    responses=_errors(404),
)
def reliability(query: Annotated[ReliabilityIn, Query()]) -> Any:
    return _reliability(query, None)


def _reliability(query: ReliabilityIn, progress: Progress | None) -> dict[str, Any]:
    """Monte Carlo every corridor's best route; ``progress`` gets the share of journeys done."""
    from corridor.routing.api import compare as run
    from corridor.uncertainty.api import parse_deadline, parse_month
    from corridor.uncertainty.api import reliability as sample

    if query.depart is not None and query.month is not None:
        raise CorridorError("give depart or month, not both")
    when = parse_month(query.month) if query.month is not None else query.depart
    deadline_h = parse_deadline(query.deadline, when)
    result = run(
        query.origin,
        query.destination,
        cargo=query.cargo,
        avoid_countries=query.avoid,
        include_planned=query.include_planned,
    )
    total = query.samples * len(result.routes)
    rows = []
    for n, r in enumerate(result.routes):
        done = n * query.samples

        def report(journeys: int, done: int = done) -> None:
            if progress is not None:
                progress((done + journeys) / total)

        rel = sample(r, query.samples, seed=query.seed, deadline_h=deadline_h, depart=when, progress=report)
        drivers = [{"component": name, "share": round(share, 4)} for name, share in rel.drivers[:3]]
        rows.append({**r.to_dict(), **rel.to_dict(), "late_drivers": drivers})
    return {
        "origin": result.origin,
        "destination": result.destination,
        "deadline_h": deadline_h,
        "samples": query.samples,
        "seed": query.seed,
        "routes": rows,
    }


class ForecastIn(BaseModel):
    """A country pair's trade forecast to a horizon year."""

    a: str = Field(min_length=2, max_length=40, description="ISO code, e.g. KZ")
    b: str = Field(min_length=2, max_length=40, description="ISO code, e.g. UZ")
    to: int = Field(default=2030, ge=2000, le=2100, description="Horizon year (at most 25 years beyond the data)")
    method: Literal["ets", "arima", "target", "gravity"] = "ets"


class ForecastOut(BaseModel):
    """A trade forecast: the yearly path and the target gap."""

    pair: str
    method: str
    rows: list[dict[str, Any]]
    target_usd_m: float | None
    target_year: int | None
    required_growth: float | None
    forecast_growth: float
    note: str = ""
    """What the method assumed (the gravity model's fit and where its GDP comes from)."""
    conversion: str = ""
    """How value became tonnes and TEU: by commodity group (with the composition used) or a single factor."""
    groups: list[dict[str, Any]] = []
    """The final year's value, tonnes and TEU per commodity group (empty for a single-factor conversion)."""


@app.get("/forecast", response_model=ForecastOut, summary="Trade → tonnes → TEU → trains to a horizon")
def forecast(query: Annotated[ForecastIn, Query()]) -> Any:
    return _forecast(query)


def _forecast(query: ForecastIn) -> ForecastOut:
    from corridor.forecasting.api import pair_forecast
    from corridor.forecasting.models import required_growth

    result = pair_forecast(query.a, query.b, query.to, query.method)
    goal, history = result.goal, result.history
    last_year = max(history)
    return ForecastOut(
        pair=result.pair,
        method=query.method,
        rows=_records(result.table),
        target_usd_m=goal.value_usd_m if goal else None,
        target_year=goal.year if goal else None,
        required_growth=required_growth(history[last_year], last_year, (goal.year, goal.value_usd_m)) if goal else None,
        forecast_growth=result.path.growth,
        note=result.path.note,
        conversion=result.conversion.label,
        groups=_records(groups) if (groups := result.groups()) is not None else [],
    )


class SimulateIn(BaseModel):
    """A scenario to simulate: a shipped one by name, bounded in length."""

    scenario: str = Field(min_length=1, max_length=100, description="Name of a shipped scenario")
    years: float = Field(default=1.0, gt=0, le=MAX_YEARS)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


@app.post("/simulate", summary="Simulate a shipped scenario: throughput and bottlenecks", responses=_errors(404))
def simulate(body: SimulateIn) -> Any:
    return _simulate(body, None)


class UnknownScenarioError(CorridorError):
    """A shipped scenario name that does not exist (404, with the names that do)."""

    status = 404


def _simulate(body: SimulateIn, progress: Progress | None) -> dict[str, Any]:
    from corridor import settings
    from corridor.simulation.scenario import load_scenario
    from corridor.simulation.scenarios import run_scenario

    folder = settings.data_dir() / "scenarios"
    path = folder / f"{body.scenario}.yaml"
    if "/" in body.scenario or "\\" in body.scenario or not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.yaml")))
        raise UnknownScenarioError(f"no scenario '{body.scenario}'; shipped ones: {known}")
    result = run_scenario(load_scenario(path), years=body.years, seed=body.seed, progress=progress)
    return {
        "scenario": result.scenario.name,
        "demand_teu": round(result.demand_teu),
        "delivered_teu": round(result.delivered_teu),
        "bottlenecks": _records(result.bottlenecks()),
        "lead_times": _records(result.lead_times()),
    }


class JobOut(BaseModel):
    """A background job: where it stands, and its result or error once finished."""

    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0, le=1, description="Share done: simulated time, or Monte Carlo journeys")
    created_at: str
    finished_at: str | None
    result: Any = Field(default=None, description="The synchronous endpoint's answer, once done")
    error: str | None = Field(default=None, description="Why it failed (a message, never a traceback)")


def _job_out(job: Job, *, with_result: bool = True) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=round(job.progress, 4),
        created_at=job.created_at.isoformat(),
        finished_at=job.finished_at.isoformat() if job.finished_at else None,
        result=job.result if with_result else None,
        error=job.error,
    )


def _accepted(job: Job, response: Response) -> JobOut:
    response.headers["Location"] = f"/jobs/{job.id}"
    return _job_out(job)


JOB_ERRORS = _errors(429)


@app.post(
    "/jobs/simulate",
    status_code=202,
    response_model=JobOut,
    summary="Start a simulation in the background; poll the Location for progress",
    responses=JOB_ERRORS,
)
def simulate_job(body: SimulateIn, response: Response) -> Any:
    return _accepted(jobs.submit("simulate", lambda progress: _simulate(body, progress)), response)


@app.post(
    "/jobs/forecast",
    status_code=202,
    response_model=JobOut,
    summary="Start a forecast in the background; poll the Location for the result",
    responses=JOB_ERRORS,
)
def forecast_job(body: ForecastIn, response: Response) -> Any:
    return _accepted(jobs.submit("forecast", lambda _progress: _forecast(body).model_dump()), response)


@app.post(
    "/jobs/reliability",
    status_code=202,
    response_model=JobOut,
    summary="Start a reliability run in the background; progress counts Monte Carlo journeys",
    responses=JOB_ERRORS,
)
def reliability_job(body: ReliabilityIn, response: Response) -> Any:
    return _accepted(jobs.submit("reliability", lambda progress: _reliability(body, progress)), response)


@app.get("/jobs", response_model=list[JobOut], summary="Jobs this server remembers, oldest first (no results)")
def job_list() -> Any:
    return [_job_out(j, with_result=False) for j in jobs.list()]


@app.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="A job's status, progress, and result or error",
    responses=_errors(404),
)
def job(job_id: Annotated[str, Path(min_length=1, max_length=64)]) -> Any:
    return _job_out(jobs.get(job_id))


@app.get("/network.geojson", summary="Every place and link of the network as GeoJSON")
def network_geojson() -> Any:
    from corridor.network.resolve import find_lane
    from corridor.routing.api import default_network

    net = default_network()
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {"id": p.id, "name": p.name, "name_ru": p.name_ru, "kind": p.kind, "country": p.country},
        }
        for p in net.places.values()
    ]
    for link in net.links:
        lane = find_lane(net, link) if link.sea_route else None
        a, b = net.places[link.from_id], net.places[link.to_id]
        coords = [list(c) for c in lane.coordinates] if lane else [[a.lon, a.lat], [b.lon, b.lat]]
        props = {
            "from": link.from_id,
            "to": link.to_id,
            "mode": link.mode,
            "corridor": link.corridor,
            "status": link.status,
            "distance_km": link.distance_km,
        }
        features.append(
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": props}
        )
    return _plain({"type": "FeatureCollection", "features": features})


MAX_SCENARIO_BYTES = 100_000
"""Largest scenario YAML a client may store."""
TOKEN_ENV = "CORRIDOR_TOKEN"


_bearer = HTTPBearer(auto_error=False, description=f"The server's {TOKEN_ENV}; needed for writes only")


def _require_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Writes need ``Authorization: Bearer <CORRIDOR_TOKEN>``; reads are open."""
    import hmac
    import os

    expected = os.environ.get(TOKEN_ENV)
    if not expected:
        raise HTTPException(status_code=403, detail=f"writes are disabled: set {TOKEN_ENV} on the server")
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status_code=401,
            detail="a valid bearer token is needed to write",
            headers={"WWW-Authenticate": "Bearer"},
        )


WRITE = [Depends(_require_token)]


MAX_FLOWS = 20
"""Demand flows a scenario sent over the API may have: each adds route searches and trains."""
MAX_SCENARIO_TEU = 1_000_000
"""Total TEU a year such a scenario may ask for: simulation time grows with the trains to run
(the 2030 tripled TITR scenario, 169,500 TEU a year, takes about 1.5 s for two years)."""


def _servable(text: str, name: str) -> Any:
    """The scenario in ``text`` if this server may store and simulate it, else a 422 error.

    A client may not point the simulator at a data directory on the server (``network:`` other
    than ``default``), and the demand is bounded so one call cannot run for hours.
    """
    from corridor.simulation.scenario import parse_scenario

    scenario = parse_scenario(text, name)
    if scenario.network != "default":
        raise CorridorError("scenarios sent to the API run on the embedded network: use network: default")
    teu = sum(flow.teu_per_year for flow in scenario.demand)
    if len(scenario.demand) > MAX_FLOWS or teu > MAX_SCENARIO_TEU:
        raise CorridorError(
            f"a scenario may have at most {MAX_FLOWS} flows and {MAX_SCENARIO_TEU:,} TEU a year here; "
            f"this one has {len(scenario.demand)} flows and {teu:,.0f} TEU"
        )
    return scenario


class ScenarioIn(BaseModel):
    """A scenario to store: its name and YAML text (see the README's scenario format)."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")
    yaml: str = Field(min_length=1, max_length=MAX_SCENARIO_BYTES)


class ScenarioUpdate(BaseModel):
    """A new version of a stored scenario."""

    yaml: str = Field(min_length=1, max_length=MAX_SCENARIO_BYTES)


class RunIn(BaseModel):
    """How to simulate a stored scenario."""

    years: float = Field(default=1.0, gt=0, le=MAX_YEARS)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


@app.get("/scenarios", summary="Stored scenarios with their latest version")
def scenarios() -> Any:
    from corridor.store import list_scenarios

    return list_scenarios()


@app.get("/scenarios/{name}", summary="A stored scenario (latest version, or ?version=N)", responses=_errors(404))
def scenario(name: Name, version: int | None = Query(default=None, ge=1, le=MAX_VERSION)) -> Any:
    from corridor.store import get_scenario

    return get_scenario(name, version)


@app.post(
    "/scenarios",
    status_code=201,
    summary="Store a new scenario (needs a token)",
    responses=_errors(401, 403, 409),
    dependencies=WRITE,
)
def create_scenario(body: ScenarioIn) -> Any:
    from corridor.store import save_scenario

    _servable(body.yaml, body.name)
    return {"name": body.name, "version": save_scenario(body.name, body.yaml, create=True)}


@app.put(
    "/scenarios/{name}",
    summary="Store a new version of a scenario (needs a token)",
    responses=_errors(401, 403, 404),
    dependencies=WRITE,
)
def update_scenario(name: Name, body: ScenarioUpdate) -> Any:
    from corridor.store import save_scenario

    _servable(body.yaml, name)
    return {"name": name, "version": save_scenario(name, body.yaml, create=False)}


@app.delete(
    "/scenarios/{name}",
    summary="Delete a scenario; its history stays (needs a token)",
    responses=_errors(401, 403, 404),
    dependencies=WRITE,
)
def remove_scenario(name: Name) -> Any:
    from corridor.store import delete_scenario

    return {"name": name, "version": delete_scenario(name), "deleted": True}


@app.post(
    "/scenarios/{name}/simulate",
    summary="Simulate the latest version of a stored scenario",
    responses=_errors(404),
)
def simulate_stored(name: Name, body: RunIn) -> Any:
    from corridor.simulation.scenarios import run_scenario
    from corridor.store import get_scenario, save_result

    stored = get_scenario(name)
    result = run_scenario(_servable(stored["yaml"], name), years=body.years, seed=body.seed)
    summary = {
        "scenario": name,
        "version": stored["version"],
        "demand_teu": round(result.demand_teu),
        "delivered_teu": round(result.delivered_teu),
        "bottlenecks": _records(result.bottlenecks()),
    }
    # Anyone may simulate, so the result is kept (tied to the scenario version) without a token.
    result_id = save_result(name, stored["version"], summary, years=body.years, seed=body.seed)
    return {**summary, "result_id": result_id}


@app.get(
    "/scenarios/{name}/results",
    summary="Stored results of a scenario (of every version, or ?version=N)",
    responses=_errors(404),
)
def scenario_results(name: Name, version: int | None = Query(default=None, ge=1, le=MAX_VERSION)) -> Any:
    from corridor.store import get_scenario, load_results

    # 404 for a scenario (or version) that never existed; every scenario has a version 1, and a
    # deleted one keeps its history, results included.
    get_scenario(name, version or 1)
    return load_results(name, version)
