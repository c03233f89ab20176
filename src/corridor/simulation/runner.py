"""Run a scenario: apply its levers, split demand between routes, simulate, report bottlenecks.

Route choice is a logit on generalised cost per TEU: tariff and charges plus the value of time
× door-to-door days. Congestion feeds back: after each simulated year the mean queueing time at
every crossing and fleet is added to the routes that use it, and the shares are recomputed and
averaged with the previous ones (method of successive averages) until they settle, so a new
ferry or a tariff cut moves traffic between corridors.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from corridor import settings
from corridor.errors import CorridorError, NoRouteError, SearchBudgetError
from corridor.network.io import load_network, read_table
from corridor.network.model import Network
from corridor.network.places import resolve_place
from corridor.routing.api import COMPARE_ORDER, default_network, route
from corridor.routing.itinerary import DIRECT, Route
from corridor.routing.options import passage_id, passage_name
from corridor.simulation.engine import (
    PASSAGE,
    Assignment,
    CrossingCapacity,
    Fleet,
    ResourceKey,
    SimResult,
    Stat,
    Window,
    release_share,
    simulate_flows,
)
from corridor.simulation.schema import (
    ClosePassageLever,
    CrossingLever,
    DisruptionLever,
    FerriesLever,
    Flow,
    OpenPlannedLever,
    Scenario,
    TariffLever,
)
from corridor.vocab import CrossingKind

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ITERATIONS",
    "MIN_ROUND_TRIP_H",
    "MIN_SHARE",
    "MIN_TRAINS_PER_DAY",
    "ROUTES_PER_CORRIDOR",
    "SPREAD_SAMPLES",
    "Plan",
    "ScenarioResult",
    "load_capacities",
    "load_yards",
    "prepare",
    "run_scenario",
    "simulate_plan",
]

ITERATIONS = 4
"""Route-choice rounds (each simulates the period once)."""


@dataclass(frozen=True)
class Plan:
    """A scenario checked against the network: levers applied, route options found, ready to run."""

    scenario: Scenario
    network: Network
    capacities: dict[tuple[str, str], CrossingCapacity]
    fleets: dict[tuple[str, str, str], Fleet]
    dwell: dict[tuple[str, str], float]
    windows: dict[tuple[str, str], tuple[Window, ...]]
    yards: dict[str, float]
    options: list[list[Route]]
    spread: dict[int, float]
    notes: tuple[str, ...]
    """What the levers did that the tables do not show (a line closed, a disruption's dates)."""

    @property
    def start(self) -> date:
        """First day of the simulated period: 1 January of the scenario's year."""
        return date(self.scenario.year, 1, 1)


@dataclass(frozen=True)
class ScenarioResult:
    """Shares, throughput and bottlenecks of one scenario."""

    scenario: Scenario
    assignments: tuple[Assignment, ...]
    sim: SimResult
    notes: tuple[str, ...] = ()

    @property
    def demand_teu(self) -> float:
        """TEU demanded (and released) over the simulated period, all corridors."""
        return sum(self.sim.demand_teu.values())

    @property
    def delivered_teu(self) -> float:
        """TEU delivered (within the period plus the drain), all corridors; never above the demand."""
        return sum(self.sim.delivered_teu.values())

    def corridors(self) -> pd.DataFrame:
        """Demand and delivered TEU per corridor (display names)."""
        import pandas as pd

        rows = [
            {
                "corridor": c,
                "demand_teu": round(d),
                "delivered_teu": round(self.sim.delivered_teu.get(c, 0.0)),
                "delivered_share": self.sim.delivered_teu.get(c, 0.0) / d if d else 0.0,
            }
            for c, d in sorted(self.sim.demand_teu.items(), key=lambda kv: -kv[1])
        ]
        return pd.DataFrame(rows, columns=["corridor", "demand_teu", "delivered_teu", "delivered_share"])

    def resources(self) -> pd.DataFrame:
        """Every crossing, rail section, fleet and yard used: capacity, TEU carried, utilisation,
        and the two kinds of wait (queueing for capacity, waiting for a departure), in hours."""
        import pandas as pd

        return pd.DataFrame([_resource_row(s) for s in self.sim.stats], columns=RESOURCE_COLUMNS)

    def lines(self) -> pd.DataFrame:
        """The resources with a capacity figure that this run used (or closed): TEU carried,
        utilisation, queue for capacity and wait for a departure; longest queue first."""
        frame = self.resources()
        frame = frame[frame["constrained"] & ((frame["train_loads"] > 0) | frame["closed"])]
        return frame.sort_values(["closed", "queue_h", "utilisation"], ascending=False)

    def bottlenecks(self, top: int = 5) -> pd.DataFrame:
        """Resources where train loads queue longest for capacity, worst first.

        Waiting for a departure (a weekly sailing, a storm) is not a bottleneck: more capacity
        would not shorten it.
        """
        frame = self.resources()
        frame = frame[(frame["queue_h"] > 0.5) | frame["closed"]]
        return frame.sort_values(["closed", "queue_h", "utilisation"], ascending=False).head(top)

    def lead_times(self) -> pd.DataFrame:
        """Door-to-door hours per origin–destination: mean, P50, P90 (train loads delivered)."""
        import pandas as pd

        # Flows are keyed as the scenario names their places (maybe an id, "Xian"); shown by display name.
        shown = {a.od: f"{a.route.origin} → {a.route.destination}" for a in self.assignments}
        rows = []
        for od, values in sorted(self.sim.lead_times_h.items()):
            ordered = sorted(values)
            rows.append(
                {
                    "od": shown.get(od, od),
                    "train_loads": len(values),
                    "mean_days": sum(values) / len(values) / 24,
                    "p50_days": ordered[len(values) // 2] / 24,
                    "p90_days": ordered[min(len(values) - 1, int(0.9 * len(values)))] / 24,
                }
            )
        return pd.DataFrame(rows, columns=["od", "train_loads", "mean_days", "p50_days", "p90_days"])

    def shares(self) -> dict[tuple[str, str], float]:
        """TEU a year assigned to each (origin → destination, corridor and its water crossings),
        over the whole period (the parts before, during and after a closure added up)."""
        out: dict[tuple[str, str], float] = {}
        start = date(self.scenario.year, 1, 1)
        for a in self.assignments:
            key = (a.od, _route_label(a.route))
            out[key] = out.get(key, 0.0) + a.teu_per_year * release_share(a, self.sim.horizon_h, start)
        return out


def _route_label(route: Route) -> str:
    """``Middle via Kuryk → Alat (ferry)``: the corridor and the sea or ferry legs that tell its routes apart."""
    water = [f"{leg.origin} → {leg.destination} ({leg.mode})" for leg in route.legs if leg.mode in ("sea", "ferry")]
    return f"{route.corridor} via {', '.join(water)}" if water else route.corridor


RESOURCE_COLUMNS = [
    "resource",
    "kind",
    "capacity",
    "train_loads",
    "teu",
    "utilisation",
    "queue_h",
    "departure_wait_h",
    "mean_wait_h",
    "p90_queue_h",
    "max_queue",
    "constrained",
    "closed",
]


def _resource_row(s: Stat) -> dict[str, object]:
    waits = sorted(s.waits)
    p90 = waits[min(len(waits) - 1, int(0.9 * len(waits)))] if waits else 0.0
    return {
        "resource": s.name,
        "kind": s.kind,
        "capacity": s.capacity,
        "train_loads": s.served,
        "teu": round(s.teu),
        "utilisation": round(s.utilisation, 3),
        "queue_h": round(s.mean_queue_h(), 1),
        "departure_wait_h": round(s.mean_schedule_h(), 1),
        "mean_wait_h": round(s.mean_wait_h(), 1),
        "p90_queue_h": round(p90, 1),
        "max_queue": s.max_queue,
        "constrained": s.constrained,
        "closed": s.closed,
    }


def prepare(scenario: Scenario, *, years: float = 1.0, seed: int = 0, network: Network | None = None) -> Plan:
    """Check a scenario against the network and find its route options, without simulating.

    Run it on every scenario of a comparison first, so that a mistake in the second file is
    reported before the first one runs.

    Raises
    ------
    CorridorError
        If a lever or a demand flow names something the network does not have, a lever removes
        more vessels than a line has, a disruption falls outside the period, or a flow is left
        without a route.
    """
    if not (math.isfinite(years) and years > 0):
        raise CorridorError(f"the simulated period must be a positive number of years, not {years}")
    net = _apply_tariffs(scenario, network or _network(scenario))
    capacities, fleets, dwell, notes = _apply_capacity_levers(scenario, net)
    windows, window_notes = _windows(scenario, net, years, capacities)
    options = _open_options(_route_options(scenario, net), fleets)
    notes += window_notes + _unused_windows(windows, options, net)
    spread = _spreads(options, net, seed)
    return Plan(scenario, net, capacities, fleets, dwell, windows, load_yards(net.data_dir), options, spread, notes)


def run_scenario(
    scenario: Scenario,
    *,
    years: float = 1.0,
    seed: int = 0,
    network: Network | None = None,
    progress: Callable[[float], None] | None = None,
) -> ScenarioResult:
    """Simulate a scenario; see the module docstring for the method.

    Raises
    ------
    CorridorError
        See :func:`prepare`.
    """
    return simulate_plan(
        prepare(scenario, years=years, seed=seed, network=network), years=years, seed=seed, progress=progress
    )


def simulate_plan(
    plan: Plan, *, years: float = 1.0, seed: int = 0, progress: Callable[[float], None] | None = None
) -> ScenarioResult:
    """Route choice and simulation of a prepared scenario (:data:`ITERATIONS` rounds).

    When a crossing closes for a while, the period is cut where closures start and end, and the
    train loads leaving in each part choose their routes separately: while a crossing is closed,
    a route through it costs the hours a load would wait there for the reopening (loads that left
    before the closure began are on their way and cannot choose again).
    """
    segments = _segments(plan, years)
    closes = any(w.capacity_factor <= 0 for windows in plan.windows.values() for w in windows)
    closures = [_closure_delays(plan, lo, hi) for lo, hi in segments] if closes else [{}]
    delays: dict[ResourceKey, float] = {}
    shares: list[dict[tuple[int, int], float]] = []
    result: SimResult | None = None
    assignments: list[Assignment] = []
    for round_ in range(ITERATIONS):
        fresh = [_logit(plan.scenario, plan.options, delays, plan.spread, extra) for extra in closures]
        shares = fresh if not shares else [_averaged(old, new, round_) for old, new in zip(shares, fresh, strict=True)]
        assignments = [
            a
            for (lo, hi), part in zip(segments, shares, strict=True)
            for a in _assign(plan.scenario, plan.options, part, None if len(segments) == 1 else (lo, hi))
        ]
        result = simulate_flows(
            plan.network,
            assignments,
            plan.capacities,
            plan.fleets,
            years=years,
            seed=seed,
            start=plan.start,
            dwell_factor=plan.dwell,
            yards=plan.yards,
            windows=plan.windows,
            progress=None if progress is None else functools.partial(_round_progress, progress, round_),
        )
        delays = {s.key: s.mean_wait_h() for s in result.stats}
    assert result is not None
    return ScenarioResult(plan.scenario, tuple(assignments), result, plan.notes)


def _averaged(
    old: dict[tuple[int, int], float], new: dict[tuple[int, int], float], round_: int
) -> dict[tuple[int, int], float]:
    """Method of successive averages: the new shares weigh 1 / (rounds so far + 1)."""
    return {k: (old.get(k, 0.0) * round_ + v) / (round_ + 1) for k, v in new.items()}


def _segments(plan: Plan, years: float) -> list[tuple[float, float]]:
    """The period (hours) cut where a closure starts or ends; one piece when nothing closes."""
    horizon = years * settings.HOURS_PER_YEAR
    cuts = {0.0, horizon}
    for windows in plan.windows.values():
        cuts |= {min(max(t, 0.0), horizon) for w in windows if w.capacity_factor <= 0 for t in (w.start_h, w.end_h)}
    ordered = sorted(cuts)
    return [(lo, hi) for lo, hi in itertools.pairwise(ordered) if hi > lo]


CLOSURE_SAMPLES = 24
"""Departure times per part of the period at which a closure's wait is averaged."""


def _closure_delays(plan: Plan, lo: float, hi: float) -> dict[int, float]:
    """Mean hours a train load leaving in [lo, hi) on each route option would wait at a closed
    crossing or sea passage (until it reopens), counted only while the closure is in force at departure."""
    times = [lo + (hi - lo) * (k + 0.5) / CLOSURE_SAMPLES for k in range(CLOSURE_SAMPLES)]
    return {
        id(r): sum(
            sum(max(0.0, w.end_h - t - offset) for t in times) / len(times)
            for key, offset in _checkpoints(r, plan.network)
            for w in plan.windows.get(key, ())
            if w.capacity_factor <= 0 and w.start_h <= lo < w.end_h
        )
        for routes in plan.options
        for r in routes
    }


def _checkpoints(route: Route, net: Network) -> list[tuple[tuple[str, str], float]]:
    """Every crossing and sea passage of ``route`` as (window key, median hours from departure to reach it)."""
    from corridor.uncertainty.journey import journey_model

    out = []
    legs = iter(route.legs)
    leg = next(legs)
    for c in journey_model(route, net, per_link=True).components:  # one run per leg, in order
        if c.kind == "run":
            out += [((p, PASSAGE), c.offset_h) for p in leg.passages]
            leg = next(legs, leg)
        elif c.place:
            out.append(((c.place, c.kind), c.offset_h))
    return out


def _round_progress(progress: Callable[[float], None], round_: int, done: float) -> None:
    progress((round_ + done) / ITERATIONS)


def _network(scenario: Scenario) -> Network:
    return default_network() if scenario.network == "default" else load_network(scenario.network)


ROUTES_PER_CORRIDOR = 4
"""Distinct Pareto routes per corridor a flow may split across (e.g. via Kuryk or via Aktau)."""


def _route_options(scenario: Scenario, net: Network) -> list[list[Route]]:
    planned = any(isinstance(lev, OpenPlannedLever) for lev in scenario.levers)
    passages = [lev.passage for lev in scenario.levers if isinstance(lev, ClosePassageLever)]
    wanted = scenario.route_choice.corridors or tuple(t for t in COMPARE_ORDER if t != "air")
    options = []
    for flow in scenario.demand:
        routes: list[Route] = []
        for tag in wanted:
            routes += _fastest(_routes(flow, net, planned, passages, tag), lambda r: True)
        if not scenario.route_choice.corridors:  # routes on shared links only: no corridor tag finds them
            routes += _fastest(_routes(flow, net, planned, passages, None), lambda r: r.corridor == DIRECT)
        if not routes:
            raise CorridorError(f"demand {flow.origin} → {flow.destination}: no container route on offer")
        options.append(routes)
    return options


def _routes(flow: Flow, net: Network, planned: bool, passages: list[str], corridor: str | None) -> list[Route]:
    """The thinned Pareto routes of a flow within one corridor (or any), none if there is no route."""
    try:
        found = route(
            flow.origin,
            flow.destination,
            network=net,
            cargo=flow.cargo,
            include_planned=planned,
            avoid_passages=passages,
            avoid_countries=list(flow.avoid_countries),
            corridor=corridor,
        )
    except NoRouteError:
        return []
    except SearchBudgetError as exc:
        if exc.partial:
            raise CorridorError(f"demand {flow.origin} → {flow.destination}: {exc}") from exc
        return []  # a corridor reached only by a long loop (inland pair by sea) offers no route
    except CorridorError as exc:
        raise CorridorError(f"demand {flow.origin} → {flow.destination}: {exc}") from exc
    if corridor is not None and found.only_wrong_way:
        return []  # as in compare: a corridor whose every route goes the wrong way is not on offer
    return list(found.thinned())


def _fastest(routes: list[Route], keep: Callable[[Route], bool]) -> list[Route]:
    """Up to :data:`ROUTES_PER_CORRIDOR` container routes (no flights) that ``keep`` accepts, fastest first."""
    chosen = [r for r in routes if keep(r) and all(leg.mode != "air" for leg in r.legs)]
    return sorted(chosen, key=lambda r: r.total_time_h)[:ROUTES_PER_CORRIDOR]


def _route_delay(route: Route, delays: dict[ResourceKey, float]) -> float:
    hours = sum(delays.get(ResourceKey.of_crossing(c.place_id, c.kind), 0.0) for c in route.crossings)
    for leg in route.legs:
        hours += delays.get(ResourceKey.of_leg(leg), 0.0)
    return hours


SPREAD_SAMPLES = 5_000
"""Monte Carlo journeys per route option for its P90 − P50 spread (the reliability term)."""


def _spreads(options: list[list[Route]], net: Network, seed: int) -> dict[int, float]:
    """P90 − P50 transit days of every route option, from the uncertainty model."""
    from corridor.uncertainty.api import reliability

    spreads = {}
    for routes in options:
        for r in routes:
            # Per link, as the scenarios were calibrated. Per service (the Monte Carlo's model)
            # shifts shares by ~3 % and, in seed 3 of the 2024 base, one Caspian storm spell
            # raises the Kuryk-Alat mean wait from 31 h to 226 h (seeds 1-6: 30-226 h, not 31-68 h).
            rel = reliability(r, SPREAD_SAMPLES, seed=seed, network=net, per_link=True)
            spreads[id(r)] = (rel.p90_h - rel.p50_h) / 24
    return spreads


def _logit(
    scenario: Scenario,
    options: list[list[Route]],
    delays: dict[ResourceKey, float],
    spread: dict[int, float] | None = None,
    extra: dict[int, float] | None = None,
) -> dict[tuple[int, int], float]:
    """Shares of each flow's routes from generalised cost: tariff + value of time × (days + weighted
    spread); ``extra`` adds hours by route (``id``), e.g. the wait for a closed crossing.

    A nested logit: corridors share the flow by the cost of their cheapest route, then each
    corridor's routes share its part. A plain logit over routes would hand a corridor more
    traffic just for having more near-identical variants (e.g. via Dostyk or via Altynkol).
    """
    choice = scenario.route_choice
    shares: dict[tuple[int, int], float] = {}
    for i, routes in enumerate(options):
        costs = []
        for r in routes:
            days = (r.total_time_h + _route_delay(r, delays) + (extra or {}).get(id(r), 0.0)) / 24
            days += choice.reliability_weight * (spread or {}).get(id(r), 0.0)
            costs.append(r.total_cost_usd / r.teu + choice.value_of_time_usd_per_teu_day * days)
        nests: dict[str, list[int]] = {}
        for j, r in enumerate(routes):
            nests.setdefault(r.corridor, []).append(j)
        best = [min(costs[j] for j in members) for members in nests.values()]
        for members, outer in zip(nests.values(), _logit_shares(best, choice.logit_scale), strict=True):
            inner = _logit_shares([costs[j] for j in members], choice.logit_scale)
            for j, w in zip(members, inner, strict=True):
                shares[(i, j)] = outer * w
    return shares


MIN_SHARE = 1e-6
"""Logit shares below this are dropped (the rest rescaled, so the flow's demand is kept): a route
a millionth as attractive as the others, e.g. through a passage closed all year (a share of about
1e-9), would otherwise send a crumb of a box as a train load of its own, which shows up as traffic
at the closure. One TEU a year in a million is below anything the model can resolve."""


def _logit_shares(costs: list[float], scale: float) -> list[float]:
    """Multinomial logit shares on costs relative to the cheapest (those under :data:`MIN_SHARE` as 0)."""
    cheapest = min(costs)
    weights = [math.exp(-scale * (c / cheapest - 1)) for c in costs]
    floor = MIN_SHARE * sum(weights)
    weights = [w if w >= floor else 0.0 for w in weights]
    total = sum(weights)
    return [w / total for w in weights]


def _assign(
    scenario: Scenario,
    options: list[list[Route]],
    shares: dict[tuple[int, int], float],
    release: tuple[float, float] | None = None,
) -> list[Assignment]:
    out = []
    for i, (flow, routes) in enumerate(zip(scenario.demand, options, strict=True)):
        for j, r in enumerate(routes):
            teu = flow.teu_per_year * shares[(i, j)]
            if teu > 0:
                out.append(Assignment(f"{flow.origin} → {flow.destination}", r, teu, flow.seasonality, release))
    return out


def _apply_tariffs(scenario: Scenario, net: Network) -> Network:
    levers = [lev for lev in scenario.levers if isinstance(lev, TariffLever)]
    if not levers:
        return net
    links = []
    for link in net.links:
        country = net.places[link.from_id].country
        factor = math.prod(lev.factor for lev in levers if lev.mode == link.mode and lev.country in ("*", country))
        links.append(link.scaled_tariff(factor) if factor != 1 else link)
    return replace(net, links=tuple(links))


def _place_id(net: Network, query: str, lever: str) -> str:
    """The id of the place a lever names, by any of its names (as demand rows name places)."""
    try:
        return resolve_place(net, query).id
    except CorridorError as exc:
        raise CorridorError(f"lever {lever}: {exc}") from exc


def _apply_capacity_levers(
    scenario: Scenario, net: Network
) -> tuple[
    dict[tuple[str, str], CrossingCapacity],
    dict[tuple[str, str, str], Fleet],
    dict[tuple[str, str], float],
    tuple[str, ...],
]:
    capacities, fleets = load_capacities(net.data_dir)
    dwell: dict[tuple[str, str], float] = {}
    notes: list[str] = []
    for lever in scenario.levers:
        if isinstance(lever, FerriesLever):
            notes += _change_fleet(lever, net, fleets)
        elif isinstance(lever, CrossingLever):
            key = (_place_id(net, lever.place, "crossing"), lever.crossing)
            if key in capacities and lever.capacity_factor != 1:
                c = capacities[key]
                capacities[key] = CrossingCapacity(c.place, c.kind, c.trains_per_day * lever.capacity_factor)
            dwell[key] = dwell.get(key, 1.0) * lever.dwell_factor
    return capacities, fleets, dwell, tuple(notes)


def _change_fleet(lever: FerriesLever, net: Network, fleets: dict[tuple[str, str, str], Fleet]) -> list[str]:
    """Add or withdraw vessels on every fleet sailing between the lever's two ports (in place)."""
    a, b = _place_id(net, lever.from_id, "ferries"), _place_id(net, lever.to_id, "ferries")
    ends = {a, b}
    hit = [k for k in fleets if {k[0], k[1]} == ends]
    line = f"{net.places[a].name} – {net.places[b].name}"
    if not hit:
        near = sorted({f"{net.places[k[0]].name} – {net.places[k[1]].name}" for k in fleets if ends & {k[0], k[1]}})
        hint = f"; fleets from these ports sail {', '.join(near)}" if near else ""
        raise CorridorError(f"lever ferries: no fleet sails {line} (see fleets.csv){hint}")
    notes = []
    for k in hit:
        f = fleets[k]
        if f.vessels + lever.change < 0:
            raise CorridorError(
                f"lever ferries: the {f.mode} line {line} has {f.vessels} vessels; change {lever.change} would leave "
                f"{f.vessels + lever.change}. Use change: -{f.vessels} to close the line"
            )
        fleets[k] = Fleet(f.from_id, f.to_id, f.mode, f.vessels + lever.change, f.teu_per_sailing, f.round_trip_h)
        if f.vessels + lever.change == 0:
            notes.append(f"{line} {f.mode}: no vessel left, the line is closed and no route uses it")
    return notes


def _open_options(options: list[list[Route]], fleets: dict[tuple[str, str, str], Fleet]) -> list[list[Route]]:
    """Route options without the water lines whose fleet has no vessel."""
    closed = {(f.from_id, f.to_id, f.mode) for f in fleets.values() if f.vessels <= 0}
    closed |= {(b, a, m) for a, b, m in closed}
    if not closed:
        return options
    kept = []
    for routes in options:
        open_ = [r for r in routes if not any((leg.from_id, leg.to_id, leg.mode) in closed for leg in r.legs)]
        if not open_:
            od = f"{routes[0].legs[0].origin} → {routes[0].legs[-1].destination}"
            raise CorridorError(f"demand {od}: every route on offer crosses a closed line (a fleet of no vessel)")
        kept.append(open_)
    return kept


def _windows(
    scenario: Scenario, net: Network, years: float, capacities: dict[tuple[str, str], CrossingCapacity]
) -> tuple[dict[tuple[str, str], tuple[Window, ...]], tuple[str, ...]]:
    """Dated disruptions as windows in hours from the period's start (1 January of the scenario's
    year), keyed by (place id, crossing kind) or, for a sea passage, (passage, ``passage``)."""
    out: dict[tuple[str, str], tuple[Window, ...]] = {}
    notes = []
    for lever in scenario.levers:
        if not isinstance(lever, DisruptionLever):
            continue
        key, name = _disrupted(lever, net)
        begin, end = ((d - date(scenario.year, 1, 1)).days * 24.0 for d in (lever.start, lever.end))
        if end <= 0 or begin >= years * settings.HOURS_PER_YEAR:
            raise CorridorError(
                f"lever disruption at {name}: {lever.start} – {lever.end} lies outside the simulated "
                f"period ({scenario.year}-01-01 + {years:g} years); set the scenario's year or --years"
            )
        what = "closed" if lever.capacity_factor == 0 else f"at {lever.capacity_factor:.0%} of its capacity"
        out[key] = (*out.get(key, ()), Window(begin, end, lever.capacity_factor, f"{what} {lever.start} – {lever.end}"))
        notes.append(f"{name} {what} from {lever.start} to {lever.end}" + (f" ({lever.note})" if lever.note else ""))
        if lever.capacity_factor > 0 and key not in capacities:
            notes.append(f"{name} has no capacity figure: a cut changes nothing")
    return out, tuple(notes)


def _disrupted(lever: DisruptionLever, net: Network) -> tuple[tuple[str, str], str]:
    """The key of the crossing or sea passage a disruption lever names, and its display name."""
    if lever.passage:
        try:
            passage = passage_id(net, lever.passage)
        except CorridorError as exc:
            raise CorridorError(f"lever disruption: {exc}") from exc
        return (passage, PASSAGE), f"{passage_name(passage)} (sea passage)"
    assert lever.crossing is not None  # the schema asks for one with a place
    place = _place_id(net, lever.place, "disruption")
    return (place, lever.crossing), f"{net.places[place].name} {lever.crossing}"


def _unused_windows(
    windows: dict[tuple[str, str], tuple[Window, ...]], options: list[list[Route]], net: Network
) -> tuple[str, ...]:
    """A note for every disrupted crossing that no route on offer passes: the lever changes nothing."""
    used = {(c.place_id, c.kind) for routes in options for r in routes for c in r.crossings}
    used |= {(p, PASSAGE) for routes in options for r in routes for p in r.passages}
    return tuple(
        f"no route on offer passes {passage_name(p) if kind == PASSAGE else net.places[p].name} ({kind}): "
        "its disruption changes nothing"
        for p, kind in windows
        if (p, kind) not in used
    )


MIN_TRAINS_PER_DAY = 0.1
"""Fewest trains a day a crossing may be given in ``crossing_capacity.csv``: one every ten days.
Why: the engine spaces trains ``24 / trains_per_day`` hours apart, so a value near zero makes
that spacing overflow (or divide by zero) and every train wait past the horizon; a crossing that
lets almost nothing through is closed, and a closure is a disruption lever. The file's smallest
figure is 4 trains a day."""
MIN_ROUND_TRIP_H = 1.0
"""Shortest round trip (hours) a fleet may be given in ``fleets.csv``. Why: a line sails every
``round_trip_h / vessels`` hours, so a value near zero schedules millions of sailings a simulated
year and the run never ends; no sea or ferry round trip between two ports takes under an hour
(the file's shortest is 40 h)."""


class _CapacityRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    place: str
    kind: CrossingKind
    trains_per_day: float = Field(ge=MIN_TRAINS_PER_DAY)
    source: str = Field(min_length=3)


class _FleetRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    from_id: str = Field(alias="from")
    to_id: str = Field(alias="to")
    mode: Literal["sea", "ferry"]
    vessels: int = Field(ge=0)
    teu_per_sailing: float = Field(gt=0)
    round_trip_h: float = Field(ge=MIN_ROUND_TRIP_H)
    source: str = Field(min_length=3)


def load_capacities(
    data_dir: str | Path | None = None,
) -> tuple[dict[tuple[str, str], CrossingCapacity], dict[tuple[str, str, str], Fleet]]:
    """Crossing capacities and fleets from ``crossing_capacity.csv`` and ``fleets.csv`` (validated)."""
    root = Path(data_dir) if data_dir else settings.data_dir()
    capacities: dict[tuple[str, str], CrossingCapacity] = {
        (r.place, r.kind): CrossingCapacity(r.place, r.kind, r.trains_per_day)
        for _, r in read_table(root, "crossing_capacity.csv", _CapacityRow)
    }
    fleets: dict[tuple[str, str, str], Fleet] = {
        (r.from_id, r.to_id, r.mode): Fleet(r.from_id, r.to_id, r.mode, r.vessels, r.teu_per_sailing, r.round_trip_h)
        for _, r in read_table(root, "fleets.csv", _FleetRow)
    }
    return capacities, fleets


class _YardRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    port: str
    teu: float = Field(gt=0)
    source: str = Field(min_length=3)


def load_yards(data_dir: str | Path | None = None) -> dict[str, float]:
    """Container yard sizes (TEU) by port from ``yards.csv`` (validated)."""
    root = Path(data_dir) if data_dir else settings.data_dir()
    return {r.port: r.teu for _, r in read_table(root, "yards.csv", _YardRow)}
