"""Discrete-event simulation of the corridors under a demand scenario (SimPy).

Containers travel in *train loads* (one block train, :data:`TEU_PER_TRAIN` TEU), which keeps a
year of traffic to a few thousand moving objects. A train load walks its route's components in
order (see :mod:`corridor.uncertainty.journey`):

* a **run** (rail, road, sea leg) takes its median time;
* a **crossing** (border, gauge change, port) needs one of the place's *servers* for its dwell.
  The number of servers follows from the place's capacity in trains a day (Little's law:
  servers = trains a day × dwell / 24), from ``crossing_capacity.csv``; places without a figure
  are unconstrained;
* a **wait** for a feeder first needs room in the port's container yard (``yards.csv``; a full
  yard holds trains back), then joins the queue of that crossing: a fleet of vessels
  (``fleets.csv``) sails in rotation, each sailing takes up to its TEU capacity in whole train
  loads, and storms (``weather.csv``) cancel sailings while a port is closed. Water links without
  a fleet figure sail at their published frequency with unlimited room.

Queues form where demand exceeds what a place or fleet can do; their waits, utilisations and
backlogs are the answer to "what breaks when volume grows?".
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import simpy

from corridor import settings
from corridor.network.model import Network
from corridor.routing.itinerary import Route
from corridor.uncertainty.journey import Component, journey_model

__all__ = ["DRAIN_H", "TEU_PER_TRAIN", "Assignment", "CrossingCapacity", "Fleet", "SimResult", "Stat", "simulate_flows"]

TEU_PER_TRAIN = 94
"""TEU in a block train: 45–50 cars (S28) with one 40ft box each."""
DRAIN_H = 60 * 24.0
"""After the period, trains already on their way get 60 days to arrive before throughput is counted."""


@dataclass(frozen=True)
class CrossingCapacity:
    """How many train loads a place can handle a day in one role."""

    place: str
    kind: str
    trains_per_day: float


@dataclass(frozen=True)
class Fleet:
    """Vessels sailing a water link in rotation."""

    from_id: str
    to_id: str
    mode: str
    vessels: int
    teu_per_sailing: float
    round_trip_h: float


@dataclass(frozen=True)
class Assignment:
    """Train loads a year sent along one route."""

    od: str
    route: Route
    teu_per_year: float
    seasonality: tuple[float, ...] = ()


@dataclass
class Stat:
    """Running statistics of one resource over the simulation."""

    name: str
    kind: str
    capacity: str
    served: int = 0
    wait_h: float = 0.0
    max_queue: int = 0
    busy_h: float = 0.0
    servers: float = math.inf
    """Servers in use (whole number) for a crossing; 1 for a fleet; infinite if unconstrained."""
    waits: list[float] = field(default_factory=list)
    queue_series: list[int] = field(default_factory=list)
    """Train loads queueing, sampled once a simulated day."""

    def utilisation(self, horizon_h: float) -> float:
        """Share of the capacity used (busy server-hours over available server-hours)."""
        if math.isinf(self.servers) or self.servers <= 0:
            return 0.0
        return self.busy_h / (self.servers * (horizon_h + DRAIN_H))

    def mean_wait_h(self) -> float:
        """Average hours a train load queued here."""
        return self.wait_h / self.served if self.served else 0.0


@dataclass(frozen=True)
class SimResult:
    """What one simulated period produced."""

    horizon_h: float
    demand_teu: dict[str, float]
    delivered_teu: dict[str, float]
    """By corridor."""
    lead_times_h: dict[str, list[float]]
    """By origin–destination."""
    stats: tuple[Stat, ...]


class _PortWeather:
    """Storms at one port: closed spells come and go, shutting every sailing from the port.

    The share of time closed in a month is its closure probability (``weather.csv``); spells last
    the month's mean spell length on average (exponential), so open spells last
    spell × (1 − p) / p on average.
    """

    def __init__(
        self,
        env: simpy.Environment,
        closure: tuple[float, ...],
        spell_h: tuple[float, ...],
        rng: random.Random,
        start: date,
    ) -> None:
        self.env, self.closure, self.spell_h, self.rng, self.start = env, closure, spell_h, rng, start
        self.closed = False
        self.reopened = env.event()
        env.process(self._run())

    def _run(self) -> Generator[simpy.Event, None, None]:
        while True:
            month = (self.start.month - 1 + int(self.env.now // settings.HOURS_PER_MONTH)) % 12
            p, spell = min(self.closure[month], 0.99), self.spell_h[month]  # never shut for good
            open_mean = spell * (1 - p) / p if p > 0 else 24 * 30
            yield self.env.timeout(self.rng.expovariate(1 / open_mean))
            if p <= 0:
                continue
            self.closed = True
            yield self.env.timeout(self.rng.expovariate(1 / spell))
            self.closed = False
            self.reopened.succeed()
            self.reopened = self.env.event()


class _Sailings:
    """A water crossing: boxes queue, vessels take them when they sail, storms hold the sailings."""

    def __init__(
        self, env: simpy.Environment, stat: Stat, headway_h: float, teu_per_sailing: float, weather: _PortWeather | None
    ) -> None:
        self.env, self.stat, self.weather = env, stat, weather
        self.queue: list[list[Any]] = []  # [event, queued since, TEU still to ship]
        self.headway_h, self.teu = headway_h, teu_per_sailing
        env.process(self._sail())

    def board(self) -> simpy.Event:
        event = self.env.event()
        self.queue.append([event, self.env.now, float(TEU_PER_TRAIN)])
        self.stat.max_queue = max(self.stat.max_queue, len(self.queue))
        return event

    def _sail(self) -> Generator[simpy.Event, None, None]:
        while True:
            yield self.env.timeout(self.headway_h)
            if self.weather is not None and self.weather.closed:
                yield self.weather.reopened
            room = self.teu
            # Boxes board first come, first served; a train load may be split over sailings and
            # moves on when its last box has crossed.
            while self.queue and room > 0:
                head = self.queue[0]
                taken = min(room, head[2])
                head[2] -= taken
                room -= taken
                if head[2] <= 0:
                    event, since, _ = self.queue.pop(0)
                    self.stat.served += 1
                    self.stat.wait_h += self.env.now - since
                    self.stat.waits.append(self.env.now - since)
                    event.succeed()
            if not math.isinf(self.teu):  # utilisation of a fleet: TEU carried over TEU offered
                self.stat.busy_h += self.headway_h * (self.teu - room) / self.teu


def simulate_flows(
    network: Network,
    assignments: list[Assignment],
    capacities: dict[tuple[str, str], CrossingCapacity],
    fleets: dict[tuple[str, str, str], Fleet],
    *,
    years: float = 1.0,
    seed: int = 0,
    start: date = date(2026, 1, 1),
    dwell_factor: dict[tuple[str, str], float] | None = None,
    yards: dict[str, float] | None = None,
    progress: Callable[[float], None] | None = None,
) -> SimResult:
    """Run train loads of every assignment through shared crossings and fleets for ``years``.

    Parameters
    ----------
    network : Network
        Supplies weather for the water crossings.
    assignments : list of Assignment
        Routes and their TEU a year (from :func:`corridor.simulation.scenarios.run_scenario`).
    capacities, fleets : dict
        Crossing capacities (trains a day) and vessel fleets, keyed by place/kind and link.
    years : float
        Simulated period.
    seed : int
        Seed of arrivals and storms.
    dwell_factor : dict, optional
        ``(place, kind)`` → multiplier of the dwell (a modernised checkpoint).
    yards : dict, optional
        Port id → container yard size in TEU; boxes stack there until their ship sails, and a
        full yard holds arriving trains back.
    progress : callable, optional
        Called with the share of the period simulated.
    """
    rng = random.Random(seed)
    env = simpy.Environment()
    horizon = years * settings.HOURS_PER_YEAR
    stats: dict[str, Stat] = {}
    resources: dict[str, simpy.Resource] = {}
    sailings: dict[str, _Sailings] = {}
    storms: dict[str, _PortWeather | None] = {}
    delivered: dict[str, float] = defaultdict(float)
    lead: dict[str, list[float]] = defaultdict(list)
    factors = dwell_factor or {}
    yards = yards or {}

    def crossing(c: Component, place: str, kind: str) -> tuple[simpy.Resource | None, Stat, float]:
        """The place's servers and how long a train load holds one (paced to the capacity)."""
        key = f"{place} {kind}"
        dwell = c.base_h * factors.get((place, kind), 1.0)
        cap = capacities.get((place, kind))
        if key not in stats:
            label = "unconstrained" if cap is None else f"{cap.trains_per_day:g} trains/day"
            stats[key] = Stat(key, kind, label)
            if cap is not None:
                # Little's law gives trains a day × dwell / 24 servers; whole servers, each train
                # held long enough that the place handles exactly its capacity.
                servers = max(1, math.ceil(cap.trains_per_day * max(dwell, 0.1) / 24))
                stats[key].servers = servers
                resources[key] = simpy.Resource(env, capacity=servers)
        hold = dwell if cap is None else max(dwell, 24 * stats[key].servers / cap.trains_per_day)
        return resources.get(key), stats[key], hold

    yard_stores: dict[str, simpy.Container] = {}

    def yard(port: str) -> simpy.Container | None:
        """The port's container yard, where boxes wait for their ship (None if not modelled)."""
        if port not in yards:
            return None
        key = f"{port} yard"
        if key not in yard_stores:
            yard_stores[key] = simpy.Container(env, capacity=yards[port])
            stats[key] = Stat(key, "yard", f"{yards[port]:g} TEU", servers=1.0)
        return yard_stores[key]

    def water(leg_from: str, leg_to: str, mode: str, per_week: float) -> _Sailings:
        key = f"{leg_from}→{leg_to} {mode}"
        if key not in sailings:
            fleet = fleets.get((leg_from, leg_to, mode)) or fleets.get((leg_to, leg_from, mode))
            if fleet is not None and fleet.vessels > 0:
                headway = fleet.round_trip_h / fleet.vessels
                teu, label = fleet.teu_per_sailing, f"{fleet.vessels} vessels × {fleet.teu_per_sailing:g} TEU"
            else:
                headway, teu, label = settings.HOURS_PER_WEEK / per_week, math.inf, "unconstrained"
            if leg_from not in storms:
                months = sorted((w for w in network.weather if w.port == leg_from), key=lambda w: w.month)
                storms[leg_from] = None
                if len(months) == 12:
                    closure = tuple(w.closure_probability for w in months)
                    spell = tuple(w.spell_mean_h for w in months)
                    storms[leg_from] = _PortWeather(env, closure, spell, rng, start)
            stats[key] = Stat(key, mode, label, servers=1.0)
            sailings[key] = _Sailings(env, stats[key], headway, teu, storms[leg_from])
        return sailings[key]

    models = {id(a): journey_model(a.route, network) for a in assignments}
    # Rail sections with a published line capacity (train pairs a day, each direction).
    lines = {
        (link.from_id, link.to_id): link.capacity
        for link in network.links
        if link.mode == "rail" and link.capacity and link.capacity_unit == "train_pairs_per_day"
    }
    lines |= {(b, a): cap for (a, b), cap in lines.items()}

    def section(leg_from: str, leg_to: str, run_h: float) -> tuple[simpy.Resource | None, Stat | None, float]:
        per_day = lines.get((leg_from, leg_to))
        if per_day is None:
            return None, None, run_h
        key = f"{leg_from}→{leg_to} rail"
        if key not in stats:
            servers = max(1, math.ceil(per_day * run_h / 24))
            stats[key] = Stat(key, "rail", f"{per_day:g} trains/day", servers=servers)
            resources[key] = simpy.Resource(env, capacity=servers)
        return resources[key], stats[key], max(run_h, 24 * stats[key].servers / per_day)

    def occupy(res: simpy.Resource, stat: Stat, hold: float) -> Generator[simpy.Event, None, None]:
        """Queue for one of the resource's servers, then hold it; record the wait."""
        asked = env.now
        with res.request() as slot:
            stat.max_queue = max(stat.max_queue, len(res.queue))
            yield slot
            stat.served += 1
            stat.wait_h += env.now - asked
            stat.waits.append(env.now - asked)
            stat.busy_h += hold
            yield env.timeout(hold)

    def stack(store: simpy.Container, stat: Stat, boat: _Sailings) -> Generator[simpy.Event, None, None]:
        """Unload into the yard (waiting for room if it is full), then wait there for the ship."""
        asked = env.now
        yield store.put(TEU_PER_TRAIN)
        stat.served += 1
        stat.wait_h += env.now - asked
        stat.waits.append(env.now - asked)
        arrived = env.now
        yield boat.board()
        stat.busy_h += (env.now - arrived) * TEU_PER_TRAIN / store.capacity  # TEU-hours over capacity
        yield store.get(TEU_PER_TRAIN)

    def train(a: Assignment, born: float) -> Generator[simpy.Event, None, None]:
        model = models[id(a)]
        legs = iter(a.route.legs)
        leg = next(legs)
        for c in model.components:
            if c.kind == "run":
                line, stat_line, hold = (
                    section(leg.from_id, leg.to_id, c.base_h) if leg.mode == "rail" else (None, None, c.base_h)
                )
                if line is None or stat_line is None:
                    yield env.timeout(c.base_h)
                else:
                    yield from occupy(line, stat_line, hold)
                leg = next(legs, leg)
            elif c.kind == "wait":
                boat = water(leg.from_id, leg.to_id, leg.mode, leg.departures_per_week or 1.0)
                store = yard(leg.from_id) if leg.mode == "sea" else None  # rail ferries take wagons, not boxes
                if store is None:
                    yield boat.board()
                else:
                    yield from stack(store, stats[f"{leg.from_id} yard"], boat)
            else:
                res, stat, dwell = crossing(c, c.place, c.kind)
                if res is None:
                    stat.served += 1
                    yield env.timeout(dwell)
                else:
                    yield from occupy(res, stat, dwell)
        if env.now <= horizon + DRAIN_H:
            delivered[a.route.corridor] += TEU_PER_TRAIN
            lead[a.od].append(env.now - born)

    def source(a: Assignment) -> Generator[simpy.Event, None, None]:
        # Poisson arrivals whose rate follows the monthly seasonality, by thinning: candidates at
        # the peak rate, each kept with the month's share of the peak.
        peak = max(a.seasonality) if a.seasonality else 1.0
        mean_gap = settings.HOURS_PER_YEAR * TEU_PER_TRAIN / a.teu_per_year
        while env.now < horizon:
            yield env.timeout(rng.expovariate(peak / mean_gap))
            month = (start.month - 1 + int(env.now // settings.HOURS_PER_MONTH)) % 12
            factor = a.seasonality[month] if a.seasonality else 1.0
            if env.now < horizon and rng.random() < factor / peak:
                env.process(train(a, env.now))

    def monitor() -> Generator[simpy.Event, None, None]:
        while True:
            for key, stat in stats.items():
                if key in yard_stores:
                    stat.queue_series.append(len(yard_stores[key].put_queue))
                    stat.max_queue = max(stat.max_queue, len(yard_stores[key].put_queue))
                    continue
                waiting = resources[key].queue if key in resources else sailings[key].queue if key in sailings else []
                stat.queue_series.append(len(waiting))
            yield env.timeout(24.0)

    for a in assignments:
        env.process(source(a))
    env.process(monitor())
    steps = 20
    for k in range(1, steps + 1):
        env.run(until=(horizon + DRAIN_H) * k / steps)
        if progress is not None:
            progress(k / steps)
    demand: dict[str, float] = defaultdict(float)
    for a in assignments:
        demand[a.route.corridor] += a.teu_per_year * years
    return SimResult(horizon, dict(demand), dict(delivered), dict(lead), tuple(stats.values()))
