"""Run a scenario: apply its levers, split demand between routes, simulate, report bottlenecks.

Route choice is a logit on generalised cost per TEU: tariff and charges plus the value of time
× door-to-door days. Congestion feeds back: after each simulated year the mean queueing time at
every crossing and fleet is added to the routes that use it, and the shares are recomputed and
averaged with the previous ones (method of successive averages) until they settle, so a new
ferry or a tariff cut moves traffic between corridors.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from corridor import settings
from corridor.errors import CorridorError, NoRouteError
from corridor.network.io import load_network, read_table
from corridor.network.model import Network
from corridor.routing.api import COMPARE_ORDER, default_network, route
from corridor.routing.itinerary import DIRECT, Route
from corridor.simulation.engine import (
    Assignment,
    CrossingCapacity,
    Fleet,
    SimResult,
    Stat,
    simulate_flows,
)
from corridor.simulation.scenario import (
    ClosePassageLever,
    CrossingLever,
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
    "ROUTES_PER_CORRIDOR",
    "SPREAD_SAMPLES",
    "ScenarioResult",
    "load_capacities",
    "load_yards",
    "run_scenario",
]

ITERATIONS = 4
"""Route-choice rounds (each simulates the period once)."""


@dataclass(frozen=True)
class ScenarioResult:
    """Shares, throughput and bottlenecks of one scenario."""

    scenario: Scenario
    assignments: tuple[Assignment, ...]
    sim: SimResult

    @property
    def demand_teu(self) -> float:
        """TEU demanded over the simulated period, all corridors."""
        return sum(self.sim.demand_teu.values())

    @property
    def delivered_teu(self) -> float:
        """TEU delivered (within the period plus the drain), all corridors."""
        return sum(self.sim.delivered_teu.values())

    def corridors(self) -> pd.DataFrame:
        """Demand and delivered TEU per corridor."""
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
        return pd.DataFrame(rows)

    def resources(self) -> pd.DataFrame:
        """Every crossing and fleet used: capacity, utilisation, queueing."""
        import pandas as pd

        return pd.DataFrame([_resource_row(s, self.sim.horizon_h) for s in self.sim.stats])

    def bottlenecks(self, top: int = 5) -> pd.DataFrame:
        """Resources where train loads queue longest, worst first."""
        frame = self.resources()
        if frame.empty:  # no flow used a capacity-limited resource
            return frame
        frame = frame[frame["mean_wait_h"] > 0.5]
        return frame.sort_values(["mean_wait_h", "utilisation"], ascending=False).head(top)

    def lead_times(self) -> pd.DataFrame:
        """Door-to-door hours per origin–destination: mean, P50, P90."""
        import pandas as pd

        rows = []
        for od, values in sorted(self.sim.lead_times_h.items()):
            ordered = sorted(values)
            rows.append(
                {
                    "od": od,
                    "train_loads": len(values),
                    "mean_days": sum(values) / len(values) / 24,
                    "p50_days": ordered[len(values) // 2] / 24,
                    "p90_days": ordered[min(len(values) - 1, int(0.9 * len(values)))] / 24,
                }
            )
        return pd.DataFrame(rows)


def _resource_row(s: Stat, horizon_h: float) -> dict[str, object]:
    waits = sorted(s.waits)
    p90 = waits[min(len(waits) - 1, int(0.9 * len(waits)))] if waits else 0.0
    return {
        "resource": s.name,
        "kind": s.kind,
        "capacity": s.capacity,
        "train_loads": s.served,
        "utilisation": round(s.utilisation(horizon_h), 3),
        "mean_wait_h": round(s.mean_wait_h(), 1),
        "p90_wait_h": round(p90, 1),
        "max_queue": s.max_queue,
    }


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
        If a lever or a demand flow names something the network does not have.
    """
    net = _apply_tariffs(scenario, network or _network(scenario))
    capacities, fleets, dwell = _apply_capacity_levers(scenario, net)
    yards = load_yards(net.data_dir)
    options = _route_options(scenario, net)
    spread = _spreads(options, net, seed)
    delays: dict[str, float] = {}
    shares: dict[tuple[int, int], float] = {}
    result: SimResult | None = None
    assignments: list[Assignment] = []
    for round_ in range(ITERATIONS):
        fresh = _logit(scenario, options, delays, spread)
        shares = (
            fresh if not shares else {k: (shares.get(k, 0.0) * round_ + v) / (round_ + 1) for k, v in fresh.items()}
        )
        assignments = _assign(scenario, options, shares)

        def report(done: float, round_: int = round_) -> None:
            if progress is not None:
                progress((round_ + done) / ITERATIONS)

        result = simulate_flows(
            net,
            assignments,
            capacities,
            fleets,
            years=years,
            seed=seed,
            dwell_factor=dwell,
            yards=yards,
            progress=report,
        )
        delays = {s.name: s.mean_wait_h() for s in result.stats}
    assert result is not None
    return ScenarioResult(scenario, tuple(assignments), result)


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
    except CorridorError as exc:
        raise CorridorError(f"demand {flow.origin} → {flow.destination}: {exc}") from exc
    return list(found.thinned())


def _fastest(routes: list[Route], keep: Callable[[Route], bool]) -> list[Route]:
    """Up to :data:`ROUTES_PER_CORRIDOR` container routes (no flights) that ``keep`` accepts, fastest first."""
    chosen = [r for r in routes if keep(r) and all(leg.mode != "air" for leg in r.legs)]
    return sorted(chosen, key=lambda r: r.total_time_h)[:ROUTES_PER_CORRIDOR]


def _route_delay(route: Route, delays: dict[str, float]) -> float:
    hours = sum(delays.get(f"{c.place_id} {c.kind}", 0.0) for c in route.crossings)
    for leg in route.legs:
        hours += delays.get(f"{leg.from_id}→{leg.to_id} {leg.mode}", 0.0)
    return hours


SPREAD_SAMPLES = 5_000
"""Monte Carlo journeys per route option for its P90 − P50 spread (the reliability term)."""


def _spreads(options: list[list[Route]], net: Network, seed: int) -> dict[int, float]:
    """P90 − P50 transit days of every route option, from the uncertainty model."""
    from corridor.uncertainty.api import reliability

    spreads = {}
    for routes in options:
        for r in routes:
            rel = reliability(r, SPREAD_SAMPLES, seed=seed, network=net)
            spreads[id(r)] = (rel.p90_h - rel.p50_h) / 24
    return spreads


def _logit(
    scenario: Scenario, options: list[list[Route]], delays: dict[str, float], spread: dict[int, float] | None = None
) -> dict[tuple[int, int], float]:
    """Shares of each flow's routes from generalised cost: tariff + value of time × (days + weighted spread)."""
    choice = scenario.route_choice
    shares: dict[tuple[int, int], float] = {}
    for i, routes in enumerate(options):
        costs = []
        for r in routes:
            days = (r.total_time_h + _route_delay(r, delays)) / 24
            days += choice.reliability_weight * (spread or {}).get(id(r), 0.0)
            costs.append(r.total_cost_usd / r.teu + choice.value_of_time_usd_per_teu_day * days)
        cheapest = min(costs)
        weights = [math.exp(-choice.logit_scale * (c / cheapest - 1)) for c in costs]
        total = sum(weights)
        for j, w in enumerate(weights):
            shares[(i, j)] = w / total
    return shares


def _assign(scenario: Scenario, options: list[list[Route]], shares: dict[tuple[int, int], float]) -> list[Assignment]:
    out = []
    for i, (flow, routes) in enumerate(zip(scenario.demand, options, strict=True)):
        for j, r in enumerate(routes):
            teu = flow.teu_per_year * shares[(i, j)]
            if teu > 0:
                out.append(Assignment(f"{flow.origin} → {flow.destination}", r, teu, flow.seasonality))
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


def _apply_capacity_levers(
    scenario: Scenario, net: Network
) -> tuple[dict[tuple[str, str], CrossingCapacity], dict[tuple[str, str, str], Fleet], dict[tuple[str, str], float]]:
    capacities, fleets = load_capacities(net.data_dir)
    dwell: dict[tuple[str, str], float] = {}
    for lever in scenario.levers:
        if isinstance(lever, FerriesLever):
            hit = [k for k in fleets if {k[0], k[1]} == {lever.from_id, lever.to_id}]
            if not hit:
                raise CorridorError(f"lever ferries: no fleet sails {lever.from_id}–{lever.to_id} (see fleets.csv)")
            for k in hit:
                f = fleets[k]
                fleets[k] = Fleet(
                    f.from_id, f.to_id, f.mode, max(0, f.vessels + lever.change), f.teu_per_sailing, f.round_trip_h
                )
        elif isinstance(lever, CrossingLever):
            if lever.place not in net.places:
                raise CorridorError(f"lever crossing: unknown place '{lever.place}'")
            key = (lever.place, lever.crossing)
            if key in capacities and lever.capacity_factor != 1:
                c = capacities[key]
                capacities[key] = CrossingCapacity(c.place, c.kind, c.trains_per_day * lever.capacity_factor)
            dwell[key] = dwell.get(key, 1.0) * lever.dwell_factor
    return capacities, fleets, dwell


class _CapacityRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    place: str
    kind: CrossingKind
    trains_per_day: float = Field(gt=0)
    source: str = Field(min_length=3)


class _FleetRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    from_id: str = Field(alias="from")
    to_id: str = Field(alias="to")
    mode: Literal["sea", "ferry"]
    vessels: int = Field(ge=0)
    teu_per_sailing: float = Field(gt=0)
    round_trip_h: float = Field(gt=0)
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
