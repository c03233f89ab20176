"""Will a reefer's genset last? Time between power or refuelling points against its autonomy.

A reefer container needs power all the way. Ships and the Caspian ferries that take reefers
have plugs, and so do the terminals where it is lifted (ports, gauge changes, rail–road
transshipments: the planner only lifts a reefer at places with reefer service). On a train it
runs on a diesel genset (China–Europe trains use diesel-electric reefers because the wagons
carry no power, SH06). Gensets are refuelled where the train stops for hours: the CRT reefer
train from Jiangxi to Moscow was refuelled at the Zabaikalsk border station (SH05); estimate:
every border station is such a point, since the train waits there for its handover and customs
(the dwell of each border is in the data). On a truck the driver refuels the genset at filling
stations, as reefer trucks do (SH11), so road legs need no check. A *genset stretch* is
therefore a run of rail legs from one power or refuelling point to the next (a wait at a border
is spent at a refuelling point and counts in no stretch); its 95th-percentile time (the Monte
Carlo engine, run on the stretch alone) is compared with the genset's autonomy, so the flag
means "a stretch between power or refuel points exceeds the autonomy".

Autonomy (estimate): a clip-on genset tank of 300 litres (no container genset's tank size was
found; the Thermo King SG-3000 manuals found do not state it; reefer units' tanks are 50–100
US gallons, 189–379 litres, SH11) at 3 litres an hour, the middle of the published 2–4 (SH04),
lasts 100 hours; the published "several days between refuels" (SH04) and "three to six days on
a tank" (SH11) agree. A self-powered rail reefer (Unit45) runs 22 days on its tank (SH05).
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor.network.model import Network
from corridor.routing.itinerary import Leg, Route

__all__ = [
    "GENSET_AUTONOMY_H",
    "GENSET_BURN_L_PER_H",
    "GENSET_MODES",
    "GENSET_TANK_L",
    "POWER_KINDS",
    "REEFER_SAMPLES",
    "REFUEL_KINDS",
    "SELF_POWERED_AUTONOMY_H",
    "ReeferCheck",
    "Stretch",
    "check_reefer",
    "genset_stretches",
]

GENSET_TANK_L = 300.0
"""estimate: clip-on genset tank (no published size found)."""
GENSET_BURN_L_PER_H = 3.0
"""Middle of the published 2–4 litres an hour (SH04)."""
GENSET_AUTONOMY_H = GENSET_TANK_L / GENSET_BURN_L_PER_H
"""Hours a clip-on genset runs on a full tank: 100."""
SELF_POWERED_AUTONOMY_H = 22 * 24.0
"""A self-powered diesel rail reefer (Unit45): 22 days on its tank (SH05)."""
GENSET_MODES = frozenset({"rail"})
"""Modes on which a reefer runs on its genset with no refuelling on the way (ships and ferries
have plugs; a truck driver refuels the genset at filling stations, SH11)."""
POWER_KINDS = frozenset({"port", "gauge-change", "transshipment"})
"""Crossings at terminals where a reefer is lifted and plugged in."""
REFUEL_KINDS = frozenset({"border"})
"""Crossings where the train waits and the genset is refuelled (Zabaikalsk, SH05; estimate for the others)."""
REEFER_SAMPLES = 20_000
"""Journeys sampled per stretch: the P95 of a stretch to within about 1 %."""


@dataclass(frozen=True)
class Stretch:
    """A run of legs on genset power, from one power point to the next."""

    start: str
    end: str
    legs: int
    time_h: float
    p95_h: float


@dataclass(frozen=True)
class ReeferCheck:
    """The longest genset stretch of a route against the genset's autonomy."""

    stretches: tuple[Stretch, ...]
    autonomy_h: float = GENSET_AUTONOMY_H

    @property
    def worst(self) -> Stretch | None:
        """The stretch with the longest P95 time (``None`` if the route never leaves power)."""
        return max(self.stretches, key=lambda s: s.p95_h, default=None)

    @property
    def may_run_dry(self) -> bool:
        """Whether a stretch's P95 time exceeds the autonomy of a clip-on genset."""
        worst = self.worst
        return worst is not None and worst.p95_h > self.autonomy_h

    def summary(self) -> str:
        """One line for a results table."""
        worst = self.worst
        if worst is None:
            return "on power or refuelled all the way"
        if not self.may_run_dry:
            verdict = "ok"
        elif worst.p95_h <= SELF_POWERED_AUTONOMY_H:
            verdict = "may run dry on a clip-on genset: plan a refuelling stop or use a self-powered unit"
        else:
            verdict = "may run dry even on a self-powered unit: plan refuelling stops"
        return (
            f"{verdict} (longest stretch between power or refuelling points {worst.start}–{worst.end}: "
            f"P95 {worst.p95_h:.0f} h against {self.autonomy_h:.0f} h)"
        )


def genset_stretches(route: Route) -> list[tuple[int, int]]:
    """``(first, last)`` leg indices (inclusive) of each run of genset legs, in route order.

    A run ends at a leg that is not rail, at a terminal where the box is lifted (a port call,
    gauge change or transshipment: it is plugged in there) and at a border station (the genset
    is refuelled while the train waits).
    """
    stops = {c.place_id for c in route.crossings if c.kind in POWER_KINDS | REFUEL_KINDS}
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, leg in enumerate(route.legs):
        if leg.mode not in GENSET_MODES:
            if start is not None:
                runs.append((start, i - 1))
            start = None
            continue
        start = i if start is None else start
        if leg.to_id in stops:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(route.legs) - 1))
    return runs


def check_reefer(route: Route, network: Network, *, seed: int = 0, samples: int = REEFER_SAMPLES) -> ReeferCheck:
    """P95 time of each genset stretch of ``route`` (a reefer route), against the autonomy.

    Parameters
    ----------
    route : Route
        A route planned for a reefer container.
    network : Network
        Supplies the variability of each leg and border.
    seed, samples : int
        Monte Carlo seed and journeys per stretch.
    """
    stretches = []
    for first, last in genset_stretches(route):
        part = _part(route, route.legs[first : last + 1])
        stretches.append(
            Stretch(
                part.origin, part.destination, len(part.legs), part.total_time_h, _p95(part, network, seed, samples)
            )
        )
    return ReeferCheck(tuple(stretches))


def _part(route: Route, legs: tuple[Leg, ...]) -> Route:
    """The stretch as a route of its own: its legs only.

    Every border ends a stretch, so none lies inside one; a wait at a border is spent at a
    refuelling point (however long, the genset can be topped up there) and counts in no stretch.
    """
    return Route(
        origin=legs[0].origin,
        destination=legs[-1].destination,
        corridor=route.corridor,
        cargo=route.cargo,
        legs=legs,
        crossings=(),
        transshipments=0,
        cargo_tonnes=route.cargo_tonnes,
        teu=route.teu,
    )


def _p95(part: Route, network: Network, seed: int, samples: int) -> float:
    from corridor.uncertainty.journey import journey_model
    from corridor.uncertainty.montecarlo import simulate

    return simulate(journey_model(part, network), samples, seed, None, None, "numpy").p95_h
