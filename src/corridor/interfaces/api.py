"""REST API (FastAPI): the CLI's answers over HTTP, with OpenAPI docs at ``/docs``.

Start it with ``corridor serve``; ``/`` is a web page over the same API. Every error a client
can cause is a 4xx with a message: unknown places and bad options are 422 (or 404 for a missing
scenario), a route that does not exist is 404 with the reason; the server never answers 500
with a traceback for bad input.
Request sizes are bounded (samples, horizon, demand) so one call cannot take the server down.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from corridor.errors import CorridorError, NoRouteError, UnknownPlaceError

if TYPE_CHECKING:
    from corridor.routing.api import RouteSet

MAX_SAMPLES = 200_000
"""Monte Carlo journeys a request may ask for (per route)."""

app = FastAPI(
    title="Corridor",
    version="0.1.0",
    description="Container routes, reliability, forecasts and capacity on the Eurasian land bridge.",
)

WEB_DIR = Path(__file__).with_name("web")
"""The web page: plain HTML, ES modules and vendored Leaflet, served as they are (no build step)."""
app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")


@app.get("/", include_in_schema=False)
def page() -> FileResponse:
    """The web page (map, route planner, scenarios, forecasts) over this API."""
    return FileResponse(WEB_DIR / "index.html")


@app.exception_handler(CorridorError)
async def _corridor_error(_request: Request, exc: CorridorError) -> JSONResponse:
    from corridor.store import StoreError

    status = 404 if isinstance(exc, NoRouteError) else exc.status if isinstance(exc, StoreError) else 422
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, UnknownPlaceError):
        body["suggestions"] = exc.suggestions
    return JSONResponse(status_code=status, content=body)


@app.exception_handler(RequestValidationError)
async def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": "; ".join(problems)})


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


def _found(
    origin: str = Query(min_length=1, max_length=100),
    destination: str = Query(min_length=1, max_length=100),
    cargo: Cargo = "40ft",
    avoid: list[str] = Query(default=[], max_length=30, description="ISO country codes to avoid"),
    avoid_mode: list[str] = Query(default=[], max_length=5),
    avoid_passage: list[str] = Query(default=[], max_length=10),
    max_transshipments: int | None = Query(default=None, ge=0, le=20),
    include_planned: bool = False,
) -> RouteSet:
    """The Pareto set for the query parameters ``/route`` and ``/route.geojson`` share."""
    from corridor.routing.api import route as find

    return find(
        origin,
        destination,
        cargo=cargo,
        avoid_countries=avoid,
        avoid_modes=avoid_mode,
        avoid_passages=avoid_passage,
        max_transshipments=max_transshipments,
        include_planned=include_planned,
    )


Found = Annotated["RouteSet", Depends(_found)]
"""The route search both ``/route`` and ``/route.geojson`` run, from the same query parameters."""


@app.get("/route", summary="Pareto-optimal routes between two places (same JSON as the CLI)")
def route(
    found: Found,
    thin: bool = True,
    samples: int | None = Query(default=None, ge=1, le=MAX_SAMPLES),
    deadline_h: float | None = Query(default=None, gt=0, le=24 * 365),
) -> Any:
    shown = found.thinned() if thin else found.routes
    return {"origin": found.origin, "destination": found.destination, "routes": _rated(shown, samples, deadline_h)}


@app.get("/route.geojson", summary="The same routes as a GeoJSON FeatureCollection")
def route_geojson(
    found: Found,
    thin: bool = Query(default=False, description="Drop near-duplicates, numbering routes as /route does"),
) -> Any:
    from corridor.routing.itinerary import routes_geojson

    return routes_geojson(found.thinned() if thin else found.routes)


@app.get("/compare", summary="The best route of every corridor, with P50/P90 times")
def compare(
    origin: str = Query(min_length=1, max_length=100),
    destination: str = Query(min_length=1, max_length=100),
    cargo: Cargo = "40ft",
    samples: int = Query(default=20_000, ge=1, le=MAX_SAMPLES),
    deadline_h: float | None = Query(default=None, gt=0, le=24 * 365),
) -> Any:
    from corridor.routing.api import compare as run

    result = run(origin, destination, cargo=cargo)
    return {
        "origin": result.origin,
        "destination": result.destination,
        "routes": _rated(result.routes, samples, deadline_h),
        "unavailable": [{"corridor": c, "reason": r} for c, r in result.unavailable],
    }


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


@app.get("/forecast", response_model=ForecastOut, summary="Trade → tonnes → TEU → trains to a horizon")
def forecast(
    a: str = Query(min_length=2, max_length=40, description="ISO code, e.g. KZ"),
    b: str = Query(min_length=2, max_length=40, description="ISO code, e.g. UZ"),
    to: int = Query(default=2030, ge=2000, le=2100),
    method: Literal["ets", "arima", "target", "gravity"] = "ets",
) -> Any:
    from corridor.forecasting.api import pair_forecast
    from corridor.forecasting.models import required_growth

    result = pair_forecast(a, b, to, method)
    goal, history = result.goal, result.history
    last_year = max(history)
    return ForecastOut(
        pair=result.pair,
        method=method,
        rows=_records(result.table),
        target_usd_m=goal.value_usd_m if goal else None,
        target_year=goal.year if goal else None,
        required_growth=required_growth(history[last_year], last_year, (goal.year, goal.value_usd_m)) if goal else None,
        forecast_growth=result.path.growth,
        note=result.path.note,
    )


class SimulateIn(BaseModel):
    """A scenario to simulate: a shipped one by name, bounded in length."""

    scenario: str = Field(min_length=1, max_length=100, description="Name of a shipped scenario")
    years: float = Field(default=1.0, gt=0, le=2)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


@app.post("/simulate", summary="Simulate a shipped scenario: throughput and bottlenecks")
def simulate(body: SimulateIn) -> Any:
    from corridor import settings
    from corridor.simulation.scenario import load_scenario
    from corridor.simulation.scenarios import run_scenario

    path = settings.data_dir() / "scenarios" / f"{body.scenario}.yaml"
    if "/" in body.scenario or not path.is_file():
        known = sorted(p.stem for p in (settings.data_dir() / "scenarios").glob("*.yaml"))
        return JSONResponse(status_code=404, content={"detail": f"no scenario '{body.scenario}'", "known": known})
    result = run_scenario(load_scenario(path), years=body.years, seed=body.seed)
    return {
        "scenario": result.scenario.name,
        "demand_teu": round(result.demand_teu),
        "delivered_teu": round(result.delivered_teu),
        "bottlenecks": _records(result.bottlenecks()),
        "lead_times": _records(result.lead_times()),
    }


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
    return {"type": "FeatureCollection", "features": features}


MAX_SCENARIO_BYTES = 100_000
"""Largest scenario YAML a client may store."""
TOKEN_ENV = "CORRIDOR_TOKEN"


def _require_token(request: Request) -> None:
    """Writes need ``Authorization: Bearer <CORRIDOR_TOKEN>``; reads are open."""
    import hmac
    import os

    expected = os.environ.get(TOKEN_ENV)
    if not expected:
        raise HTTPException(status_code=403, detail=f"writes are disabled: set {TOKEN_ENV} on the server")
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="a valid bearer token is needed to write")


class ScenarioIn(BaseModel):
    """A scenario to store: its name and YAML text (see the README's scenario format)."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")
    yaml: str = Field(min_length=1, max_length=MAX_SCENARIO_BYTES)


class ScenarioUpdate(BaseModel):
    """A new version of a stored scenario."""

    yaml: str = Field(min_length=1, max_length=MAX_SCENARIO_BYTES)


class RunIn(BaseModel):
    """How to simulate a stored scenario."""

    years: float = Field(default=1.0, gt=0, le=2)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


@app.get("/scenarios", summary="Stored scenarios with their latest version")
def scenarios() -> Any:
    from corridor.store import list_scenarios

    return list_scenarios()


@app.get("/scenarios/{name}", summary="A stored scenario (latest version, or ?version=N)")
def scenario(name: str, version: int | None = Query(default=None, ge=1)) -> Any:
    from corridor.store import get_scenario

    return get_scenario(name, version)


@app.post("/scenarios", status_code=201, summary="Store a new scenario (needs a token)")
def create_scenario(body: ScenarioIn, request: Request) -> Any:
    from corridor.store import save_scenario

    _require_token(request)
    return {"name": body.name, "version": save_scenario(body.name, body.yaml, create=True)}


@app.put("/scenarios/{name}", summary="Store a new version of a scenario (needs a token)")
def update_scenario(name: str, body: ScenarioUpdate, request: Request) -> Any:
    from corridor.store import save_scenario

    _require_token(request)
    return {"name": name, "version": save_scenario(name, body.yaml, create=False)}


@app.delete("/scenarios/{name}", summary="Delete a scenario; its history stays (needs a token)")
def remove_scenario(name: str, request: Request) -> Any:
    from corridor.store import delete_scenario

    _require_token(request)
    return {"name": name, "version": delete_scenario(name), "deleted": True}


@app.post("/scenarios/{name}/simulate", summary="Simulate the latest version of a stored scenario")
def simulate_stored(name: str, body: RunIn) -> Any:
    from corridor.simulation.scenario import parse_scenario
    from corridor.simulation.scenarios import run_scenario
    from corridor.store import get_scenario, save_result

    stored = get_scenario(name)
    result = run_scenario(parse_scenario(stored["yaml"], name), years=body.years, seed=body.seed)
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


@app.get("/scenarios/{name}/results", summary="Stored results of a scenario (of every version, or ?version=N)")
def scenario_results(name: str, version: int | None = Query(default=None, ge=1)) -> Any:
    from corridor.store import get_scenario, load_results

    # 404 for a scenario (or version) that never existed; every scenario has a version 1, and a
    # deleted one keeps its history, results included.
    get_scenario(name, version or 1)
    return load_results(name, version)
