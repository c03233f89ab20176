"""Reads over the network: places, routes, corridor comparisons, reliability and the network itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from corridor.errors import CorridorError
from corridor.interfaces.api.common import (
    Countries,
    DeadlineH,
    Place,
    Samples,
    errors,
    plain,
)
from corridor.interfaces.api.limits import SAMPLING, SEARCH
from corridor.interfaces.jobs import Progress
from corridor.settings import MAX_REQUEST_SAMPLES
from corridor.vocab import Cargo

if TYPE_CHECKING:
    from corridor.routing.api import Comparison, RouteSet

__all__ = [
    "Compared",
    "DriverOut",
    "Found",
    "PlaceOut",
    "RatedRouteOut",
    "ReliabilityIn",
    "ReliabilityOut",
    "Search",
    "Searched",
    "compare",
    "compare_geojson",
    "network_geojson",
    "places",
    "reliability",
    "route",
    "route_geojson",
    "router",
    "run_reliability",
]

router = APIRouter()
T = TypeVar("T")


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


PLACES_SHOWN = 10
"""Most suggestions ``/places`` returns: network places first, then cities of the gazetteer."""


@router.get("/places", response_model=list[PlaceOut], summary="Find places and cities by any name or UN/LOCODE")
def places(q: str = Query(min_length=1, max_length=100, description="Any part of a name, in any language")) -> Any:
    from corridor.network.cities import cities_matching
    from corridor.network.places import find_places
    from corridor.routing.api import default_network

    network = default_network()
    found = find_places(network, q, limit=PLACES_SHOWN)
    if len(found) < PLACES_SHOWN:
        found += [c.as_place() for c in cities_matching(network, q, limit=PLACES_SHOWN - len(found))]
    return [p.model_dump(include=set(PlaceOut.model_fields)) for p in found]


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
    via: list[str] = field(default_factory=list)
    date: str | None = None
    allow_passages: list[str] = field(default_factory=list)
    empty_return: bool = False
    demand_teu_week: float | None = None


DEMAND_HELP = (
    "Cargo offered a week (TEU) on each sail-when-full crossing (Caspian ferries): sets the wait for a "
    "ship to fill, as the CLI's --demand-teu-week; default: the flow of the 2023 port statistics"
)


# The route endpoints are ``async def`` although they compute: FastAPI runs a plain ``def`` in a
# thread pool, and for a search of about a millisecond the thread hand-off and GIL contention cost
# more than the search (measured: 250-280 against 420-490 req/s on one uvicorn worker). The work
# is CPU-bound either way; more throughput comes from more worker processes, not threads.
def _known_parameters(request: Request) -> None:
    """Refuse a query parameter the operation does not take (422), e.g. ``weights=time=nan`` on
    ``/route``, or ``avoid_pasage=suez``: an ignored constraint would answer a different question."""
    operation = request.scope.get("route")
    dependant = getattr(operation, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    if unknown := sorted(set(request.query_params) - known):
        raise HTTPException(
            status_code=422,
            detail=f"unknown parameter {', '.join(unknown)}; this operation takes {', '.join(sorted(known))}",
        )


def _query_names(dependant: Any) -> set[str]:
    """The query parameters an operation reads, through all of its dependencies."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def _search(
    _checked: Annotated[None, Depends(_known_parameters)],
    origin: Place,
    destination: Place,
    cargo: Cargo = Cargo.feu,
    avoid: Countries = [],  # noqa: B006 - FastAPI copies defaults per request
    avoid_mode: list[str] = Query(default=[], max_length=5),
    avoid_passage: list[str] = Query(default=[], max_length=10),
    max_transshipments: int | None = Query(default=None, ge=0, le=20),
    include_planned: bool = False,
    via: list[str] = Query(default=[], max_length=5, description="Places the route must pass, in order"),
    date: str | None = Query(
        default=None,
        max_length=10,
        description="Price at this date (YYYY, YYYY-MM or YYYY-MM-DD); default: the latest date the data covers. "
        "Sea passages carriers avoid at that date (Bab-el-Mandeb from 15 Dec 2023) are avoided; see notes.",
    ),
    allow_passage: list[str] = Query(
        default=[], max_length=10, description="Sea passages to use even at a date when carriers avoid them"
    ),
    empty_return: bool = Query(
        default=False, description="Add bringing the empty box back to each route (surcharges, in the totals)"
    ),
    demand_teu_week: float | None = Query(default=None, gt=0, allow_inf_nan=False, description=DEMAND_HELP),
) -> Search:
    return Search(
        origin,
        destination,
        cargo,
        avoid,
        avoid_mode,
        avoid_passage,
        max_transshipments,
        include_planned,
        via,
        date,
        allow_passage,
        empty_return,
        demand_teu_week,
    )


Searched = Annotated[Search, Depends(_search)]


def _ask(run: Callable[..., T], q: Search) -> T:
    """Call :func:`corridor.route` or :func:`corridor.compare` (same keywords) with a request's search."""
    return run(
        q.origin,
        q.destination,
        cargo=q.cargo,
        avoid_countries=q.avoid_countries,
        avoid_modes=q.avoid_modes,
        avoid_passages=q.avoid_passages,
        max_transshipments=q.max_transshipments,
        include_planned=q.include_planned,
        via=q.via,
        allow_passages=q.allow_passages,
        date=q.date,
        empty_return=q.empty_return,
        demand_teu_week=q.demand_teu_week,
    )


async def _found(q: Searched) -> RouteSet:
    """The Pareto set, for ``/route`` and ``/route.geojson``."""
    from corridor.routing.api import route

    return _ask(route, q)


async def _compared(q: Searched) -> Comparison:
    """The best route of every corridor under the same constraints, for ``/compare`` and ``/compare.geojson``.

    One search per corridor (70-135 ms measured, against 4-13 ms for ``/route``'s one search,
    which stays on the event loop): too long for the loop, so it runs on the search lane.
    """
    from corridor.routing.api import compare

    return await SEARCH.run(_ask, compare, q)


Found = Annotated["RouteSet", Depends(_found)]
Compared = Annotated["Comparison", Depends(_compared)]


@router.get(
    "/route",
    summary="Pareto-optimal routes between two places (same JSON as the CLI)",
    responses=errors(404, 429),
)
async def route(found: Found, thin: bool = True, samples: Samples | None = None, deadline_h: DeadlineH = None) -> Any:
    shown = found.thinned() if thin else found.routes
    rows = await SAMPLING.run(_rated, shown, samples, deadline_h) if samples else _rated(shown, None, None)
    return plain(
        {"origin": found.origin, "destination": found.destination, "notes": _query_notes(found.notes), "routes": rows}
    )


@router.get("/route.geojson", summary="The same routes as a GeoJSON FeatureCollection", responses=errors(404))
async def route_geojson(
    found: Found,
    thin: bool = Query(default=False, description="Drop near-duplicates, numbering routes as /route does"),
) -> Any:
    from corridor.routing.itinerary import routes_geojson

    return plain(routes_geojson(found.thinned() if thin else found.routes))


@router.get("/compare", summary="The best route of every corridor, with P50/P90 times", responses=errors(404, 429))
async def compare(result: Compared, samples: Samples = 20_000, deadline_h: DeadlineH = None) -> Any:
    return plain(
        {
            "origin": result.origin,
            "destination": result.destination,
            "notes": _query_notes(result.notes),
            "routes": await SAMPLING.run(_rated, result.routes, samples, deadline_h),
            "unavailable": [{"corridor": c, "reason": r} for c, r in result.unavailable],
            "detours": [{"corridor": c, "reason": r} for c, r in result.detours],
        }
    )


@router.get(
    "/compare.geojson",
    summary="The best route of every corridor as a GeoJSON FeatureCollection (numbered as /compare)",
    responses=errors(404, 429),
)
async def compare_geojson(result: Compared) -> Any:
    from corridor.routing.itinerary import routes_geojson

    return plain(routes_geojson(result.routes))


def _query_notes(notes: Any) -> list[str]:
    """The library's notes in this API's parameter names (``allow_passages`` is ``allow_passage`` here)."""
    return [note.replace("allow_passages=", "allow_passage=") for note in notes]


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
    cargo: Cargo = Cargo.feu
    samples: int = Field(default=100_000, ge=1, le=MAX_REQUEST_SAMPLES, description="Monte Carlo journeys per corridor")
    depart: date | None = Field(default=None, description="Departure date: sets the Caspian weather month")
    month: str | None = Field(default=None, max_length=10, description="Or a departure month: jan … dec, 1 … 12")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    avoid: list[str] = Field(default=[], max_length=30, description="ISO country codes to avoid")
    avoid_mode: list[str] = Field(default=[], max_length=5, description="Modes to avoid: rail, road, ferry, sea")
    avoid_passage: list[str] = Field(default=[], max_length=10, description="Sea passages to avoid: suez, cape …")
    max_transshipments: int | None = Field(default=None, ge=0, le=20)
    include_planned: bool = False
    via: list[str] = Field(default=[], max_length=5, description="Places the route must pass, in order")
    demand_teu_week: float | None = Field(default=None, gt=0, allow_inf_nan=False, description=DEMAND_HELP)


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


@router.get(
    "/reliability",
    response_model=ReliabilityOut,
    summary="On-time odds per corridor for a deadline, and the legs that drive the late tail",
    responses=errors(404, 429),
)
async def reliability(query: Annotated[ReliabilityIn, Query()]) -> Any:
    return await SAMPLING.run(run_reliability, query, None)


def run_reliability(query: ReliabilityIn, progress: Progress | None) -> dict[str, Any]:
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
        avoid_modes=query.avoid_mode,
        avoid_passages=query.avoid_passage,
        max_transshipments=query.max_transshipments,
        include_planned=query.include_planned,
        via=query.via,
        demand_teu_week=query.demand_teu_week,
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


@router.get("/network.geojson", summary="Every place and link of the network as GeoJSON")
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
    return plain({"type": "FeatureCollection", "features": features})
