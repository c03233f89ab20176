"""Routing commands: ``route``, ``compare``, ``places`` and ``reliability``."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from corridor.errors import OptionError
from corridor.interfaces.cli.common import (
    DEFAULT_SAMPLES,
    CargoOption,
    DataOption,
    DateOption,
    DeadlineOption,
    DepartOption,
    EmptyReturnOption,
    Format,
    MonthOption,
    SamplesOption,
    SeedOption,
    err,
    friendly,
    in_flags,
    load,
    out,
    progress,
    split,
)
from corridor.routing.itinerary import routes_geojson
from corridor.vocab import Cargo, Objective, PlaceKind, RobustObjective

if TYPE_CHECKING:
    from corridor.network.model import Network, Place, Sailing
    from corridor.routing.api import Comparison, RouteSet
    from corridor.routing.itinerary import Route
    from corridor.uncertainty.api import RatedRoute

__all__ = ["compare", "places", "reliability", "route"]

Rated = dict[int, "RatedRoute"]
"""Monte Carlo results keyed by ``id(route)``: routes are frozen but not hashable by value."""

_OBJECTIVES = (*Objective.values(), *RobustObjective.values())


def _objective(text: str) -> str:
    """A deterministic or robust objective's wire value, from any case (a usage error, exit 2, if neither)."""
    key = text.strip().lower()
    if key not in _OBJECTIVES:
        raise typer.BadParameter(f"'{text}' is not one of {', '.join(_OBJECTIVES)}.")
    return key


ObjectiveOption = Annotated[
    str,
    typer.Option(
        help="What the best route minimises (p50/p90/p95 percentiles and on-time odds are robust objectives).",
        parser=_objective,
        metavar=f"[{'|'.join(_OBJECTIVES)}]",
    ),
]
AvoidOption = Annotated[
    list[str] | None,
    typer.Option(help="Countries to avoid, ISO codes: --avoid RU,BY. An empty value (--avoid '') is refused."),
]
AvoidModeOption = Annotated[list[str] | None, typer.Option(help="Modes to avoid: rail, road, ferry, sea.")]
AvoidPassageOption = Annotated[
    list[str] | None,
    typer.Option(help="Sea passages to avoid: suez, bab-el-mandeb, bosporus, hormuz, cape, gibraltar, malacca …"),
]
AllowPassageOption = Annotated[
    list[str] | None,
    typer.Option(
        help="Sea passages to use even at a --date when carriers avoid them (bab-el-mandeb from 15 Dec 2023)."
    ),
]
MaxTransshipmentsOption = Annotated[int | None, typer.Option(help="Most container lifts (mode or gauge changes).")]
PlannedOption = Annotated[bool, typer.Option(help="Also use planned links (Trans-Afghan railway).")]
DemandOption = Annotated[
    float | None,
    typer.Option(
        help="Cargo offered a week on each Caspian ferry that sails when full, TEU-equivalent each way: "
        "more cargo, shorter wait (default: the flow of the 2023 port statistics).",
        min=1,
        max=100_000,
    ),
]
ViaOption = Annotated[
    list[str] | None, typer.Option(help="Places the route must pass, in order: --via Altynkol or --via Aktau,Baku.")
]

NOMINAL_NOTE = (
    "nominal d: scheduled running times, mean waits for a departure and standard dwell, summed, without delays. "
    "P50/P90 d: the median and 90th percentile of {samples:,} simulated journeys (dwell spread, late holds, "
    "Caspian storms) — quote the P50."
)
"""What the two transit-time figures mean, printed under every table that shows them."""
NOMINAL_ONLY = (
    "nominal d: scheduled running times, mean waits for a departure and standard dwell, summed, without delays; "
    "add --samples N for the P50 to quote."
)


def _constraints(
    avoid: list[str] | None,
    avoid_mode: list[str] | None,
    avoid_passage: list[str] | None,
    max_transshipments: int | None,
    include_planned: bool,
    via: list[str] | None,
    allow_passage: list[str] | None = None,
) -> dict[str, Any]:
    """The constraint options every routing command takes, as keywords of :func:`corridor.route`."""
    return {
        "avoid_countries": _items(avoid),
        "avoid_modes": _items(avoid_mode),
        "avoid_passages": _items(avoid_passage),
        "max_transshipments": max_transshipments,
        "include_planned": include_planned,
        "via": _items(via),
        "allow_passages": _items(allow_passage),
    }


def _items(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated values as one list, keeping empty ones (``--avoid ''``,
    ``--avoid RU,,BY``) for :class:`~corridor.routing.options.RouteOptions` to refuse."""
    return [v.strip() for item in values or [] for v in item.split(",")]


@friendly
def route(
    origin: Annotated[str, typer.Argument(help="Where the container starts: any name, alias or UN/LOCODE.")],
    destination: Annotated[str, typer.Argument(help="Where it goes.")],
    cargo: CargoOption = Cargo.feu,
    avoid: AvoidOption = None,
    avoid_mode: AvoidModeOption = None,
    avoid_passage: AvoidPassageOption = None,
    allow_passage: AllowPassageOption = None,
    objective: ObjectiveOption = Objective.time.value,
    weights: Annotated[
        str | None, typer.Option(help="Weighted best instead of --objective, e.g. time=1,cost=2 (criteria normalised).")
    ] = None,
    max_transshipments: MaxTransshipmentsOption = None,
    include_planned: PlannedOption = False,
    via: ViaOption = None,
    all_routes: Annotated[bool, typer.Option("--all", help="Show the exact Pareto set, not the thinned one.")] = False,
    tolerance: Annotated[
        float,
        typer.Option(help="0: the exact Pareto set; 0.01: every Pareto route within 1 % (faster).", min=0, max=0.99),
    ] = 0.0,
    samples: SamplesOption = None,
    deadline: DeadlineOption = None,
    depart: DepartOption = None,
    month: MonthOption = None,
    seed: SeedOption = 0,
    date: DateOption = None,
    demand_teu_week: DemandOption = None,
    empty_return: EmptyReturnOption = False,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    data: DataOption = None,
) -> None:
    """Pareto-optimal door-to-door routes (time, cost, CO2e) and the best one's itinerary.

    With --samples (or a robust --objective p50/p90/p95/on-time) each route gets its transit-time
    distribution, and the best route is the one with the best percentile or on-time odds.
    A 20/40 ft container never flies; routes that go the wrong way for no gain are left out.
    """
    from corridor.routing.api import route as find

    constraints = _constraints(
        avoid, avoid_mode, avoid_passage, max_transshipments, include_planned, via, allow_passage
    )
    weighted = _weights(weights)
    found = find(
        origin,
        destination,
        cargo=cargo.value,
        tolerance=tolerance,
        date=date,
        demand_teu_week=demand_teu_week,
        network=load(data),
        empty_return=empty_return,
        **constraints,
    )
    shown = list(found.routes if all_routes else found.thinned())
    robust = objective in RobustObjective.values()
    if robust and samples is None:
        samples = DEFAULT_SAMPLES
    rated = _rate(shown, samples, deadline, depart, month, seed, data)
    best = _best(found, shown, objective, weighted, rated)
    shown = [best, *[r for r in shown if r is not best]]
    if fmt is Format.table:
        title = f"{found.origin} → {found.destination}, {cargo.value}: {len(found.routes)} Pareto-optimal routes"
        out.print(_routes_table(shown, title, best, rated))
        out.print(_itinerary(best))
        out.print(_prices_note(best))
        _wait_notes([best], load(data), demand_teu_week)
        _notes(samples if rated else None, [(r.corridor, why) for r, why in found.detours])
        _passage_notes(found.notes)
    else:
        _print_routes(fmt, found.origin, found.destination, shown, rated, found.notes)


def _prices_note(best: Route) -> str:
    """The pricing date and the tariff behind each leg of the best route, with its age; then which
    terminal a city's first/last mile reaches, and why."""
    from corridor.network.cities import is_city_leg

    lines = [
        f"[dim]Prices at {best.priced_at} (see the docs, 'Prices at a date'); "
        f"USD {best.total_cost_usd:,.0f}, range {best.total_cost_low_usd:,.0f}–{best.total_cost_high_usd:,.0f} "
        "(every part at its low or high end: sources that disagree, index values either side of the date, estimates):"
    ]
    lines += [
        f"  {leg.origin} → {leg.destination}: USD {leg.cost_usd:,.0f} "
        f"({leg.cost_low_usd or leg.cost_usd:,.0f}–{leg.cost_high_usd or leg.cost_usd:,.0f}) {leg.tariff_source}"
        for leg in best.legs
    ]
    lines += [
        f"  {s.kind}: USD {s.cost_usd:,.0f} ({s.cost_low_usd:,.0f}–{s.cost_high_usd:,.0f}) {s.source}"
        for s in best.surcharges
    ]
    lines += [f"{leg.origin} → {leg.destination}: {leg.notes}" for leg in best.legs if is_city_leg(leg)]
    return "\n".join(lines) + "[/dim]"


def _best(found: RouteSet, shown: list[Route], objective: str, weights: dict[str, float] | None, rated: Rated) -> Route:
    """The ★ route: the most reliable one for a robust objective, else the best of the Pareto set.

    The best of the full set is added to ``shown`` when thinning dropped it.
    """
    if objective in RobustObjective.values():
        from corridor.uncertainty.api import most_reliable

        return most_reliable(list(rated.values()), RobustObjective(objective)).route
    best = found.best(Objective(objective), weights)
    if best not in shown:
        shown.insert(0, best)
    return best


def _print_routes(
    fmt: Format, origin: str, destination: str, routes: Sequence[Route], rated: Rated, notes: Sequence[str] = ()
) -> None:
    """Routes as JSON (with their reliability and the query's notes) or as GeoJSON, on stdout."""
    if fmt is Format.json:
        print(json.dumps(_json(origin, destination, routes, rated, notes), ensure_ascii=False, indent=2))
    else:
        print(json.dumps(routes_geojson(routes), ensure_ascii=False))


def _weights(text: str | None) -> dict[str, float] | None:
    """Parse ``time=1,cost=2`` into weights, refused (exit 2) unless each is a finite number ≥ 0."""
    from corridor.routing.api import check_weights

    if not text:
        return None
    weights = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise OptionError(f"--weights takes name=number pairs such as time=1,cost=2; got '{part}'") from None
    check_weights(weights)
    return weights


@friendly
def compare(
    origin: Annotated[str, typer.Argument(help="Where the container starts.")],
    destination: Annotated[str, typer.Argument(help="Where it goes.")],
    cargo: CargoOption = Cargo.feu,
    objective: Annotated[
        str,
        typer.Option(
            help="Which route of each corridor is best.", parser=_objective, metavar=f"[{'|'.join(_OBJECTIVES)}]"
        ),
    ] = Objective.time.value,
    avoid: AvoidOption = None,
    avoid_mode: AvoidModeOption = None,
    avoid_passage: AvoidPassageOption = None,
    allow_passage: AllowPassageOption = None,
    max_transshipments: MaxTransshipmentsOption = None,
    include_planned: PlannedOption = False,
    via: ViaOption = None,
    map_file: Annotated[Path | None, typer.Option("--map", help="Write an HTML map of the routes here.")] = None,
    detail: Annotated[bool, typer.Option(help="Print each route's time/cost–distance table.")] = False,
    samples: Annotated[int, typer.Option(help="Monte Carlo journeys per corridor for P50/P90.")] = DEFAULT_SAMPLES,
    deadline: DeadlineOption = None,
    depart: DepartOption = None,
    month: MonthOption = None,
    seed: SeedOption = 0,
    date: DateOption = None,
    demand_teu_week: DemandOption = None,
    empty_return: EmptyReturnOption = False,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    data: DataOption = None,
) -> None:
    """The best route of every corridor side by side, with P50/P90 times and where the time and cost go."""
    from corridor.routing.api import compare as run

    if objective in RobustObjective.values():
        raise OptionError("compare ranks each corridor's routes by time, cost or co2; use `reliability` for odds")
    constraints = _constraints(
        avoid, avoid_mode, avoid_passage, max_transshipments, include_planned, via, allow_passage
    )
    result = run(
        origin,
        destination,
        objective=Objective(objective),
        cargo=cargo.value,
        date=date,
        demand_teu_week=demand_teu_week,
        network=load(data),
        empty_return=empty_return,
        **constraints,
    )
    if map_file is not None:
        from corridor.interfaces.map import route_map

        route_map(result.routes, map_file, f"{result.origin} → {result.destination}")
    rated = _rate(list(result.routes), samples, deadline, depart, month, seed, data)
    if fmt is not Format.table:
        _print_routes(fmt, result.origin, result.destination, result.routes, rated, result.notes)
        return
    title = f"{result.origin} → {result.destination}, {cargo.value}: best route per corridor (by {objective})"
    _print_comparison(result, title, rated, samples, detail=detail)
    _wait_notes(result.routes, load(data), demand_teu_week)
    if map_file is not None:
        out.print(f"Map written to {map_file}")


def _print_comparison(result: Comparison, title: str, rated: Rated, samples: int, *, detail: bool) -> None:
    """The comparison as tables: routes, where time and cost go, notes and (with detail) each route's steps."""
    out.print(_routes_table(result.routes, title, None, rated))
    out.print(_breakdown_table(result.routes))
    _notes(samples, [*result.unavailable, *result.detours])
    _passage_notes(result.notes)
    out.print(
        f"[dim]Prices at {result.priced_at}; `corridor route … --date` lists each leg's tariff and its age.[/dim]"
    )
    if detail:
        for r in result.routes:
            out.print(_distance_table(r))


@friendly
def places(
    query: Annotated[
        str | None, typer.Argument(help="Any part of a name, in any language, or a UN/LOCODE; none lists all.")
    ] = None,
    country: Annotated[list[str] | None, typer.Option(help="Only these countries, ISO codes (KZ,CN).")] = None,
    kind: Annotated[list[PlaceKind] | None, typer.Option(help="Only these kinds of place.")] = None,
    cities: Annotated[bool, typer.Option(help="Also search the gazetteer's cities (15,000+ people).")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or geojson.")] = Format.table,
    data: DataOption = None,
) -> None:
    """List the network's places, or find them (and cities) by any of their names or LOCODE."""
    from corridor.network.cities import cities_matching
    from corridor.network.places import find_places

    network = load(data)
    wanted = {c.upper() for c in split(country)}
    kinds = set(kind or ())
    found = list(network.places.values()) if not query else find_places(network, query, limit=50)
    found = [p for p in found if (not wanted or p.country in wanted) and (not kinds or p.kind in kinds)]
    if query and (cities or not found) and (not kinds or PlaceKind.city in kinds):
        found += [c.as_place() for c in cities_matching(network, query, wanted, limit=20)]
    if not found:
        err.print(_nothing_found(network, query, wanted))
        raise typer.Exit(1)
    if fmt is Format.json:
        out.print_json(data=[p.model_dump(mode="json") for p in found])
    elif fmt is Format.geojson:
        out.print_json(data=places_geojson(found))
    else:
        _print_places(found)


def _nothing_found(network: Network, query: str | None, countries: set[str]) -> str:
    where = f" in {', '.join(sorted(countries))}" if countries else ""
    if not query:
        return (
            f"no place matches the filters{where} (the network has {len(network.places)} places; cities need a query)"
        )
    return f"no place matches '{query}'{where} (the network has {len(network.places)} places; try --cities)"


def places_geojson(found: list[Place]) -> dict[str, Any]:
    """Places as a GeoJSON FeatureCollection of points (properties: id, names, country, kind)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": p.model_dump(mode="json", exclude={"lat", "lon"}),
            }
            for p in found
        ],
    }


def _print_places(found: list[Place]) -> None:
    table = Table(
        "id", "name", "русский", "local", "LOCODE", "country", "kind", "lat", "lon", title=f"{len(found)} places"
    )
    for p in found:
        table.add_row(
            p.id, p.name, p.name_ru, p.name_local, p.locode or "", p.country, p.kind, f"{p.lat:.4f}", f"{p.lon:.4f}"
        )
    out.print(table)


@friendly
def reliability(
    origin: Annotated[str, typer.Argument(help="Where the container starts.")],
    destination: Annotated[str, typer.Argument(help="Where it goes.")],
    deadline: Annotated[str, typer.Option(help="Deadline: 25d, 600h or a date 2026-03-01.")],
    cargo: CargoOption = Cargo.feu,
    samples: Annotated[int, typer.Option(help="Monte Carlo journeys per corridor.")] = 100_000,
    depart: DepartOption = None,
    month: MonthOption = None,
    seed: SeedOption = 0,
    avoid: AvoidOption = None,
    avoid_mode: AvoidModeOption = None,
    avoid_passage: AvoidPassageOption = None,
    allow_passage: AllowPassageOption = None,
    max_transshipments: MaxTransshipmentsOption = None,
    include_planned: PlannedOption = False,
    via: ViaOption = None,
    plot: Annotated[Path | None, typer.Option(help="Write the ECDF per corridor to FILE.html or FILE.png.")] = None,
    date: DateOption = None,
    demand_teu_week: DemandOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    data: DataOption = None,
) -> None:
    """On-time odds per corridor for a deadline, and the legs that drive the late tail."""
    from corridor.routing.api import compare as run

    constraints = _constraints(
        avoid, avoid_mode, avoid_passage, max_transshipments, include_planned, via, allow_passage
    )
    result = run(
        origin,
        destination,
        cargo=cargo.value,
        date=date,
        demand_teu_week=demand_teu_week,
        network=load(data),
        **constraints,
    )
    rated = _rate(list(result.routes), samples, deadline, depart, month, seed, data)
    if plot is not None:
        from corridor.uncertainty.plot import reliability_plot

        reliability_plot(list(rated.values()), plot, f"{result.origin} → {result.destination}")
    if fmt is Format.json:
        shown = _json(result.origin, result.destination, result.routes, rated, result.notes)
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    title = f"{result.origin} → {result.destination}: will a {cargo.value} arrive within {deadline}?"
    out.print(_reliability_table(result.routes, rated, title))
    out.print(
        f"[dim]{samples:,} journeys per corridor, seed {seed}; variability and weather from variability.csv and "
        "weather.csv[/dim]"
    )
    _wait_notes(result.routes, load(data), demand_teu_week)
    _why_not([*result.unavailable, *result.detours])
    _passage_notes(result.notes)
    if plot is not None:
        out.print(f"Plot written to {plot}")


def _reliability_table(routes: Sequence[Route], rated: Rated, title: str) -> Table:
    """On-time odds, percentiles in days and the top three drivers of the variance, per corridor."""
    table = Table(title=title, title_justify="left")
    for name in ("corridor", "on time", "mean d", "P10 d", "P50 d", "P90 d", "P95 d"):
        table.add_column(name, justify="left" if name == "corridor" else "right")
    table.add_column("what makes it late (share of variance)", justify="left")
    for r in routes:
        rel = rated[id(r)].reliability
        drivers = ", ".join(f"{name} {share:.0%}" for name, share in rel.drivers[:3])
        table.add_row(
            r.corridor,
            f"{rel.on_time_probability:.1%}",
            *(f"{h / 24:.1f}" for h in (rel.mean_h, rel.p10_h, rel.p50_h, rel.p90_h, rel.p95_h)),
            drivers,
        )
    return table


def _rate(
    routes: Sequence[Route],
    samples: int | None,
    deadline: str | None,
    depart: str | None,
    month: str | None,
    seed: int,
    data: Path | None,
) -> Rated:
    """Monte Carlo each route (keyed by ``id(route)``); empty when no samples were asked for."""
    from corridor.uncertainty.api import RatedRoute, parse_deadline
    from corridor.uncertainty.api import reliability as sample

    when = _depart(depart, month)
    if samples is None:
        if deadline is not None or when is not None:
            raise OptionError("--deadline, --depart and --month need --samples N (or a robust --objective)")
        return {}
    deadline_h = None if deadline is None else parse_deadline(deadline, when)
    network = load(data)
    rated = {}
    with progress(samples * len(routes)) as tick:
        for n, r in enumerate(routes):
            report = None if tick is None else functools.partial(_offset, tick, n * samples)
            rel = sample(r, samples, seed=seed, deadline_h=deadline_h, depart=when, network=network, progress=report)
            rated[id(r)] = RatedRoute(r, rel)
    return rated


def _offset(tick: Callable[[int], None], before: int, done: int) -> None:
    tick(before + done)


def _depart(depart: str | None, month: str | None) -> date | None:
    from datetime import datetime

    from corridor.uncertainty.api import parse_month

    if depart is not None and month is not None:
        raise OptionError("give --depart or --month, not both")
    if month is not None:
        return parse_month(month)
    if depart is None:
        return None
    try:
        return datetime.strptime(depart, "%Y-%m-%d").date()
    except ValueError:
        raise OptionError(f"--depart takes a date YYYY-MM-DD; got '{depart}'") from None


def _json(
    origin: str, destination: str, routes: Sequence[Route], rated: Rated, notes: Sequence[str] = ()
) -> dict[str, Any]:
    rows = []
    for r in routes:
        row = r.to_dict()
        if id(r) in rated:
            row.update(rated[id(r)].reliability.to_dict())
        rows.append(row)
    return {"origin": origin, "destination": destination, "notes": [in_flags(n) for n in notes], "routes": rows}


def _routes_table(routes: Sequence[Route], title: str, best: Route | None, rated: Rated | None = None) -> Table:
    """Routes side by side. With Monte Carlo results the P50 is the headline transit time and the
    deterministic sum is shown after it as "nominal"; without, the nominal figure is all there is."""
    rated = rated or {}
    odds = any(r.reliability.on_time_probability is not None for r in rated.values())
    numeric = [
        *(["P50 d", "P90 d"] if rated else []),
        *(["on time"] if odds else []),
        "nominal d",
        "USD",
        "USD low–high",
        "t CO2e",
        "km",
        "lifts",
    ]
    table = Table(title=title, title_justify="left")
    for name in ("", "corridor", *numeric, "via"):
        table.add_column(name, justify="right" if name in numeric else "left", style="bold" if name == "P50 d" else "")
    for r in routes:
        cells = []
        if id(r) in rated:
            rel = rated[id(r)].reliability
            cells += [f"{rel.p50_h / 24:.1f}", f"{rel.p90_h / 24:.1f}"]
            cells += [f"{rel.on_time_probability:.0%}"] if odds else []
        cells += [
            f"{r.total_time_days:.1f}",
            f"{r.total_cost_usd:,.0f}",
            f"{r.total_cost_low_usd:,.0f}–{r.total_cost_high_usd:,.0f}",
            f"{r.co2e_kg / 1000:.2f}",
            f"{r.distance_km:,.0f}",
            str(r.transshipments),
        ]
        table.add_row("★" if r is best else "", r.corridor, *cells, " – ".join(_via(r)))
    return table


def _notes(samples: int | None, reasons: Sequence[tuple[str, str]]) -> None:
    """What the transit-time columns mean, then why corridors or routes are not shown."""
    if samples:
        out.print(f"[dim]{NOMINAL_NOTE.format(samples=samples)}[/dim]")
    else:
        out.print(f"[dim]{NOMINAL_ONLY}[/dim]")
    _why_not(reasons)


def _wait_notes(routes: Sequence[Route], network: Network, demand_teu_week: float | None) -> None:
    """Which model set the wait for each sailing the routes take: a timetable, or a ferry that
    sails when full at the cargo offered (``--demand-teu-week`` or the statistics' flow)."""
    rows: dict[tuple[str, str, str], Sailing] = {(s.from_id, s.to_id, s.mode): s for s in network.sailings}
    seen: set[tuple[str, str, str]] = set()
    for leg in (leg for r in routes for leg in r.legs if leg.wait_model):
        key = (leg.from_id, leg.to_id, leg.mode)
        if key in seen:
            continue
        seen.add(key)
        row, per_week = rows.get(key), leg.departures_per_week or 0.0
        what = f"{leg.origin} → {leg.destination} {leg.mode}: {per_week:.1f} departures a week"
        what += f", mean wait {leg.wait_h:.1f} h"
        if leg.wait_model == "when_full" and row is not None:
            out.print(f"[dim]Wait: {what}; sails when full, {_flow(row, per_week, demand_teu_week)}.[/dim]")
        else:
            period = f" ({row.period})" if row is not None else ""
            out.print(f"[dim]Wait: {what}; timetable{period}.[/dim]")


def _flow(row: Sailing, per_week: float, demand_teu_week: float | None) -> str:
    from corridor.network.sailings import observed_teu_per_week

    if demand_teu_week is None:
        flow = f"at the {observed_teu_per_week(row) or 0:,.0f} TEU-equivalent a week observed in {row.period}"
    else:
        flow = f"at {demand_teu_week:,.0f} TEU-equivalent a week (--demand-teu-week)"
    cap = row.max_departures_per_week
    return flow + (", capped by the fleet and berths" if cap is not None and per_week >= cap else "")


def _passage_notes(notes: Sequence[str]) -> None:
    """What the query changed by itself (a passage avoided at its date), in this command's flags."""
    for note in notes:
        out.print(f"[yellow]Note: {in_flags(note)}[/yellow]")


def _why_not(reasons: Sequence[tuple[str, str]]) -> None:
    for corridor, why in dict.fromkeys(reasons):  # several routes of a corridor may share a reason
        out.print(f"[dim]{corridor}: {why}[/dim]")


def _via(route: Route) -> list[str]:
    """Places where something happens (border, gauge change, port), not every station."""
    stops = [route.places[0]]
    for c in route.crossings:
        if c.place not in stops:
            stops.append(c.place)
    stops = [*stops, route.places[-1]] if stops[-1] != route.places[-1] else stops
    return [_short(name) for name in stops]


_COUNTRY_TAG = re.compile(r" \([A-Z]{2}\)$")


def _short(name: str) -> str:
    """A place name without its terminal's name in brackets (``Shanghai (Yangshan)`` → ``Shanghai``),
    but with a country tag kept: the data tags exactly the names two countries share (``Dimitrovgrad
    (RS)`` and ``Dimitrovgrad (BG)``), so a summary never shows two places as one."""
    if _COUNTRY_TAG.search(name):
        return name
    return name.split(" (")[0]


def _itinerary(route: Route) -> Table:
    from corridor.routing.breakdown import time_cost_distance

    table = Table(title=f"Itinerary of the ★ route ({route.corridor}), nominal times", title_justify="left")
    for name in ("step", "kind", "km", "hours", "USD", "Σ km", "Σ days", "Σ USD"):
        table.add_column(name, justify="left" if name in ("step", "kind") else "right")
    for s in time_cost_distance(route):
        table.add_row(
            s.what,
            s.kind,
            f"{s.distance_km:,.0f}",
            f"{s.time_h:.1f}",
            f"{s.cost_usd:,.0f}",
            f"{s.cum_distance_km:,.0f}",
            f"{s.cum_time_h / 24:.1f}",
            f"{s.cum_cost_usd:,.0f}",
        )
    return table


def _breakdown_table(routes: Sequence[Route]) -> Table:
    from corridor.routing.breakdown import CATEGORIES, breakdown

    table = Table(title="Where the time (days) and cost (USD) go", title_justify="left")
    table.add_column("")
    for r in routes:
        table.add_column(r.corridor, justify="right")
    parts = [breakdown(r) for r in routes]
    for cat in CATEGORIES:
        table.add_row(cat, *[f"{p[cat][0] / 24:.1f} d  ${p[cat][1]:,.0f}" for p in parts])
    table.caption = "border: land crossings; a sea or ferry crossing's border formalities are part of the port dwell"
    table.caption_justify = "left"
    return table


def _distance_table(route: Route) -> Table:
    table = _itinerary(route)
    table.title = f"Time/cost–distance table (UNESCAP method): {route.corridor}"
    return table
