"""Reliability of routes: percentiles, on-time odds and robust choice between routes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from corridor.errors import OptionError
from corridor.network.model import Network
from corridor.routing.api import default_network
from corridor.routing.itinerary import Route
from corridor.uncertainty.journey import journey_model
from corridor.uncertainty.montecarlo import Reliability, simulate
from corridor.vocab import RobustObjective, SamplingEngine

__all__ = ["MONTHS", "RatedRoute", "most_reliable", "parse_deadline", "parse_month", "rate", "reliability"]

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class RatedRoute:
    """A route with the distribution of its door-to-door time."""

    route: Route
    reliability: Reliability


def reliability(
    route: Route,
    samples: int = 100_000,
    *,
    seed: int = 0,
    deadline_h: float | None = None,
    depart: date | None = None,
    network: Network | None = None,
    progress: Callable[[int], None] | None = None,
    engine: SamplingEngine | str = SamplingEngine.auto,
    per_link: bool = False,
) -> Reliability:
    """Monte Carlo distribution of ``route``'s door-to-door time.

    Parameters
    ----------
    route : Route
        From :func:`corridor.route` or :func:`corridor.compare`.
    samples : int
        Journeys to sample (see :data:`corridor.uncertainty.montecarlo.MAX_SAMPLES`).
    seed : int
        Same seed, same samples → same answer.
    deadline_h : float, optional
        Hours after departure; adds the on-time probability.
    depart : date, optional
        Departure date: sets the month, hence the Caspian weather, at each port.
    network : Network, optional
        Supplies variability and weather; defaults to the embedded network.
    progress : callable, optional
        Called with journeys done after each batch.
    engine : {"auto", "numpy", "numba"}
        Sampling engine (see :func:`corridor.uncertainty.montecarlo.simulate`); same results.
    per_link : bool
        Draw run times per link instead of per service (see
        :func:`corridor.uncertainty.journey.journey_model`); kept for the scenario runner's
        calibration, not for answers.
    """
    model = journey_model(route, network or default_network(), depart, per_link=per_link)
    return simulate(model, samples, seed, deadline_h, progress, engine)


def rate(
    routes: Sequence[Route],
    samples: int = 100_000,
    *,
    seed: int = 0,
    deadline_h: float | None = None,
    depart: date | None = None,
    network: Network | None = None,
    engine: SamplingEngine | str = SamplingEngine.auto,
) -> list[RatedRoute]:
    """:func:`reliability` of several routes, with the same seed for a fair comparison."""
    net = network or default_network()
    return [
        RatedRoute(
            r, reliability(r, samples, seed=seed, deadline_h=deadline_h, depart=depart, network=net, engine=engine)
        )
        for r in routes
    ]


def most_reliable(rated: Sequence[RatedRoute], objective: RobustObjective | str = RobustObjective.p90) -> RatedRoute:
    """The route with the smallest time percentile, or the highest on-time probability.

    Only the routes given are ranked (usually the Pareto set in mean time, cost and CO2e): a
    route off that set could in principle have a thinner tail.
    """
    wanted = RobustObjective.parse(objective, "robust objective")
    if wanted is RobustObjective.on_time:
        if any(r.reliability.on_time_probability is None for r in rated):
            raise OptionError("ranking by on-time probability needs a deadline")
        return max(rated, key=lambda r: (r.reliability.on_time_probability or 0.0, -r.reliability.p50_h))
    return min(rated, key=lambda r: getattr(r.reliability, f"{wanted.value}_h"))


def parse_deadline(text: str, depart: date | None = None) -> float:
    """Hours from departure: ``25d``, ``600h`` or a date ``2026-03-01`` (needs ``depart``, else today).

    Raises
    ------
    OptionError
        If the text is not a duration or date, or the deadline is not after the departure.
    """
    text = text.strip().lower()
    if match := re.fullmatch(r"(\d+(?:\.\d+)?)\s*([dh])", text):
        hours = float(match.group(1)) * (24 if match.group(2) == "d" else 1)
    else:
        try:
            when = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise OptionError(
                f"deadline takes a duration such as 25d or 600h, or a date 2026-03-01; got '{text}'"
            ) from None
        start = depart or date.today()
        hours = (when - start).days * 24.0
    if hours <= 0:
        raise OptionError("the deadline must be after the departure")
    return hours


def parse_month(text: str) -> date:
    """A representative departure date (the 15th) for a month given as ``jan`` … ``dec`` or ``1`` … ``12``."""
    key = text.strip().lower()[:3]
    if key.isdigit() and 1 <= int(key) <= 12:
        month = int(key)
    elif key in MONTHS:
        month = MONTHS.index(key) + 1
    else:
        raise OptionError(f"unknown month '{text}'; use jan … dec or 1 … 12")
    return date(date.today().year, month, 15)
