"""Where the time and money go: per-category totals and the UNESCAP time/cost–distance table.

The UNESCAP time/cost–distance method (UN ESCAP, *Time/Cost-Distance Methodology*) follows a
container along its route and plots cumulative time and cost against cumulative distance:
moving legs rise gently, while borders, gauge changes, port calls and waits for a departure
are vertical steps at one place. The steps are where a corridor loses its advantage.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor.routing.itinerary import Route
from corridor.vocab import CrossingKind

__all__ = ["CATEGORIES", "Step", "breakdown", "time_cost_distance"]

CATEGORIES = ("moving", "waiting", *CrossingKind.values(), "surcharges")
"""Breakdown categories: running legs, waiting for a sailing or flight, the crossing kinds and
route-wide surcharges (empty return)."""


@dataclass(frozen=True)
class Step:
    """One row of the time/cost–distance table: a leg or a stop, with running totals."""

    what: str
    kind: str
    distance_km: float
    time_h: float
    cost_usd: float
    cum_distance_km: float
    cum_time_h: float
    cum_cost_usd: float


def breakdown(route: Route) -> dict[str, tuple[float, float]]:
    """Hours and USD per category (see :data:`CATEGORIES`); they sum to the route's totals."""
    totals = {c: (0.0, 0.0) for c in CATEGORIES}
    moving = sum(leg.time_h - leg.wait_h for leg in route.legs), sum(leg.cost_usd for leg in route.legs)
    totals["moving"] = moving
    totals["waiting"] = (sum(leg.wait_h for leg in route.legs), 0.0)
    for c in route.crossings:
        t, usd = totals[c.kind]
        totals[c.kind] = (t + c.time_h, usd + c.cost_usd)
    totals["surcharges"] = (0.0, sum(s.cost_usd for s in route.surcharges))
    return totals


def time_cost_distance(route: Route) -> list[Step]:
    """The route as a sequence of stops and legs with cumulative distance, time and cost."""
    pending = list(route.crossings)
    steps: list[Step] = []
    km = hours = usd = 0.0

    def add(what: str, kind: str, dist: float, t: float, cost: float) -> None:
        nonlocal km, hours, usd
        km, hours, usd = km + dist, hours + t, usd + cost
        steps.append(Step(what, kind, dist, t, cost, km, hours, usd))

    def stops_at(place_id: str) -> None:
        for c in [c for c in pending if c.place_id == place_id]:
            pending.remove(c)
            add(c.label, c.kind, 0.0, c.time_h, c.cost_usd)

    for leg in route.legs:
        stops_at(leg.from_id)
        if leg.wait_h:
            add(leg.origin, "waiting", 0.0, leg.wait_h, 0.0)
        add(f"{leg.origin} → {leg.destination}", leg.mode, leg.distance_km, leg.time_h - leg.wait_h, leg.cost_usd)
    stops_at(route.legs[-1].to_id)
    for c in pending:  # every crossing sits at a leg's end, so none should be left
        add(c.label, c.kind, 0.0, c.time_h, c.cost_usd)
    for s in route.surcharges:
        add(s.kind, "surcharge", 0.0, 0.0, s.cost_usd)
    return steps
