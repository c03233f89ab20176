"""A route as a chain of uncertain times: what the Monte Carlo engine samples.

Each service (consecutive legs of one train, truck, ship or flight: see
:func:`corridor.routing.itinerary.services`) contributes a *wait* for its departure (trains and
trucks leave when loaded; ferries, ships and flights wait for the next sailing) and a *run*;
each crossing (border, gauge change, port call, transshipment) contributes a dwell. A
deterministic figure of the route is the median of its component's normal spread;
``variability.csv`` says how wide that spread is and how often a rare late delay comes on top
(so a journey's median lies above the deterministic total), and ``weather.csv`` how often a
port is shut by storms in each month. Because variability belongs to a service, a crossing or a
port, not to a link, cutting a line into more links changes no percentile.

The waits are where correlation enters: a storm closes every sailing from a port for the whole
spell, and the departure month sets the odds of a storm. With a departure date, the month at
each port is the departure date plus the route's median time to reach it; without one, each
sampled journey draws a month at random, so the whole journey shares one season.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from corridor import settings
from corridor.network.model import Network, Variability
from corridor.routing.itinerary import Crossing, Route

__all__ = ["Z90", "Component", "JourneyModel", "journey_model"]

Z90 = 1.2815515655446004
"""The 90th percentile of the standard normal: a lognormal factor with P90 = f has sigma ln(f)/Z90."""


@dataclass(frozen=True)
class Component:
    """One uncertain time in a journey."""

    name: str
    kind: str
    base_h: float
    """Deterministic (median) hours; for a wait, the mean wait for a random arrival."""
    sigma: float
    """Lognormal sigma of the multiplicative spread (0: no spread)."""
    late_probability: float
    late_mean_h: float
    headway_h: float = 0.0
    """For a wait: hours between departures; the wait is uniform on [0, headway) times the spread."""
    closure: tuple[float, ...] = ()
    """For a wait at a port with weather: closure probability in each month (Jan…Dec)."""
    spell_h: tuple[float, ...] = ()
    """Mean length of a closure spell in each month, hours."""
    offset_h: float = 0.0
    """Median hours from departure to the start of this component (sets its month)."""
    place: str = ""
    """For a crossing: the place id."""


@dataclass(frozen=True)
class JourneyModel:
    """The uncertain components of one route, in travel order."""

    route: Route
    components: tuple[Component, ...]
    depart: date | None


def journey_model(
    route: Route, network: Network, depart: date | None = None, *, per_link: bool = False
) -> JourneyModel:
    """Break ``route`` into uncertain components using the network's variability and weather.

    Parameters
    ----------
    route : Route
        A route from :func:`corridor.route` (its figures are the medians).
    network : Network
        Supplies ``variability`` and ``weather`` rows.
    depart : date, optional
        Departure date; sets the month of every sailing. Without it the month is random.
    per_link : bool
        One run per leg (link) instead of one per service: for the simulator, whose trains
        queue for the capacity of individual rail sections. Percentiles then depend on how
        lines are cut into links, so the Monte Carlo never uses it.
    """
    parts: list[Component] = []
    pending = list(route.crossings)
    clock = 0.0

    def add(component: Component) -> None:
        nonlocal clock
        parts.append(component)
        clock += component.base_h

    def stops(place_id: str) -> None:
        for c in [c for c in pending if c.place_id == place_id]:
            pending.remove(c)
            add(_crossing(network, c, clock))

    # Variability belongs to what is operated: one run per service (a train that runs on through
    # stations where nothing happens is one run, however many links the line is cut into), one
    # dwell per crossing, one wait per scheduled departure.
    for leg in route.legs if per_link else route.services:
        stops(leg.from_id)
        if leg.departures_per_week:
            add(_wait(network, leg.from_id, leg.mode, leg.departures_per_week, f"wait at {leg.origin}", clock))
        row = _row(network, "run", leg.mode, leg.from_id)
        name = f"{leg.origin} → {leg.destination} ({leg.mode})"
        add(_component(name, "run", leg.time_h - leg.wait_h, row, clock))
    stops(route.legs[-1].to_id)
    for c in pending:  # every crossing sits at a leg's end; kept so totals stay right
        add(_crossing(network, c, clock))
    return JourneyModel(route, tuple(parts), depart)


def _crossing(network: Network, c: Crossing, clock: float) -> Component:
    row = _row(network, c.kind, "*", c.place_id)
    base = _component(f"{c.place} {c.kind}", c.kind, c.time_h, row, clock)
    return replace(base, place=c.place_id)


def _wait(network: Network, port: str, mode: str, per_week: float, name: str, clock: float) -> Component:
    headway = settings.HOURS_PER_WEEK / per_week
    row = _row(network, "wait", mode, port)
    months = sorted((w for w in network.weather if w.port == port), key=lambda w: w.month)
    closure = tuple(w.closure_probability for w in months) if len(months) == 12 else ()
    spell = tuple(w.spell_mean_h for w in months) if len(months) == 12 else ()
    base = _component(name, "wait", headway / 2, row, clock)
    return replace(base, headway_h=headway, closure=closure, spell_h=spell)


def _component(name: str, kind: str, base_h: float, row: Variability | None, clock: float) -> Component:
    if row is None:
        return Component(name, kind, base_h, 0.0, 0.0, 0.0, offset_h=clock)
    sigma = math.log(row.p90_factor) / Z90
    return Component(name, kind, base_h, sigma, row.late_probability, row.late_mean_h, offset_h=clock)


def _row(network: Network, component: str, mode: str, place: str) -> Variability | None:
    """The most specific variability row: place beats mode beats the ``*`` default."""
    best: tuple[int, Variability] | None = None
    for row in network.variability:
        if row.component != component or row.place not in (place, "*") or row.mode not in (mode, "*"):
            continue
        rank = 2 * (row.place == place) + (row.mode == mode)
        if best is None or rank > best[0]:
            best = (rank, row)
    return best[1] if best else None
