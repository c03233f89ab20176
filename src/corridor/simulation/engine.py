"""Discrete-event simulation of the corridors under a demand scenario (SimPy).

Containers travel in *train loads* (one block train, :data:`TEU_PER_TRAIN` TEU; the last load of
a flow carries what is left), which keeps a year of traffic to a few thousand moving objects. A
train load walks its route's components in order (see :mod:`corridor.uncertainty.journey`):

* a **run** (rail, road, sea leg) takes its median time; a rail section with a published line
  capacity (``links.csv``, train pairs a day) lets trains enter at most that often;
* a **crossing** (border, gauge change, port) lets train loads start their dwell at most
  ``trains_per_day`` times a day (``crossing_capacity.csv``), first come first served, then holds
  each for its dwell; places without a figure are unconstrained;
* a **wait** for a vessel first needs room in the port's container yard (``yards.csv``; a full
  yard holds trains back), then joins the queue of that crossing: a fleet of vessels
  (``fleets.csv``) sails in rotation, each sailing takes up to its TEU capacity, and storms
  (``weather.csv``) hold sailings while a port is closed. Water links without a fleet figure sail
  at their published frequency with unlimited room; a fleet of no vessel does not sail.

Every wait is split in two: **waiting for a departure** (the next sailing, a storm) and
**queueing for capacity** (a full vessel, a busy crossing, a full yard). Only the second is a
bottleneck. Dated disruptions (:class:`Window`) close a crossing or cut its capacity for a while,
or close a sea passage (:data:`PASSAGE`): loads whose ship would sail through it wait at the port
of loading until it reopens.

Arrivals: each flow releases exactly its demand over the period (TEU a year × years), at times
drawn independently from the flow's monthly seasonality (a Poisson process conditioned on its
count). Each flow and each port's weather draws from its own random stream, so two runs that
differ by one lever share everything else (common random numbers).
"""

from __future__ import annotations

import bisect
import gc
import heapq
import math
import random
from collections import defaultdict, deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import simpy

from corridor import settings
from corridor.network.model import Network
from corridor.routing.itinerary import Leg, Route
from corridor.routing.options import passage_name
from corridor.uncertainty.journey import journey_model

__all__ = [
    "DRAIN_H",
    "PASSAGE",
    "TEU_PER_TRAIN",
    "Assignment",
    "CrossingCapacity",
    "Fleet",
    "ResourceKey",
    "SimResult",
    "Stat",
    "WhenFull",
    "Window",
    "release_share",
    "simulate_flows",
]

PASSAGE = "passage"
"""The crossing kind of a sea passage (``babalmandab``, ``suez`` …) in dated windows: ships do not
sail through it while a window closes it."""
TEU_PER_TRAIN = 94
"""TEU in a block train: 45–50 cars (S28) with one 40ft box each."""
DRAIN_H = 60 * 24.0
"""After the period, trains already on their way get 60 days to arrive before throughput is counted."""

Events = Generator[simpy.Event, Any, None]


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
class WhenFull:
    """How a fleet that keeps no timetable sails (``when_full`` in ``sailings.csv``): a vessel at
    the quay leaves once its container room is full, or after ``max_wait_h`` with what it has."""

    vessels: int
    round_trip_h: float
    max_wait_h: float
    """The observed mean interval between departures (168 h / departures a week): the cargo the
    model does not simulate (wagons, trucks, tank cars) fills a ferry that containers do not."""


@dataclass(frozen=True)
class Assignment:
    """TEU a year sent along one route."""

    od: str
    route: Route
    teu_per_year: float
    seasonality: tuple[float, ...] = ()
    release: tuple[float, float] | None = None
    """Hours of the period (from, to) in which these train loads leave; ``None`` for all of it.
    They carry this window's part of the period's demand (by seasonality)."""


@dataclass(frozen=True)
class Window:
    """A dated disruption of one crossing: from ``start_h`` to ``end_h`` (hours since the period
    starts) its capacity is multiplied by ``capacity_factor``; 0 closes it."""

    start_h: float
    end_h: float
    capacity_factor: float
    label: str = ""
    """What and when, for the capacity column (``closed 2025-09-12 – 2025-09-25``)."""


@dataclass(frozen=True, slots=True)
class ResourceKey:
    """Which shared resource of a run a :class:`Stat` counts: a crossing or a port's container
    yard at ``place``, or a rail section or water line from ``place`` to ``to``.

    Route choice looks a route's delays up by the keys of its crossings and legs
    (:meth:`of_crossing`, :meth:`of_leg`); a key is never parsed, and :meth:`label` is for display only.
    """

    place: str
    """Place id: the crossing, the yard's port, or where the section or line starts."""
    kind: str
    """A crossing kind (``border``, ``port`` …), ``yard``, or the mode of a section or line
    (``rail``, ``ferry``, ``sea``)."""
    to: str = ""
    """Place id where a rail section or water line ends; empty for a crossing or yard."""

    @classmethod
    def of_crossing(cls, place: str, kind: str) -> ResourceKey:
        """The crossing of ``kind`` at place id ``place``."""
        return cls(place, kind)

    @classmethod
    def of_yard(cls, port: str) -> ResourceKey:
        """The container yard of port id ``port``."""
        return cls(port, "yard")

    @classmethod
    def of_leg(cls, leg: Leg) -> ResourceKey:
        """The rail section or water line a leg runs on (its ends and mode)."""
        return cls(leg.from_id, leg.mode, leg.to_id)

    def label(self, name: Callable[[str], str] = str) -> str:
        """``Brest border``, ``Aktau yard``, ``Kuryk → Alat ferry``: the resource for display,
        with ``name`` turning a place id into a place name (the ids themselves by default)."""
        where = f"{name(self.place)} → {name(self.to)}" if self.to else name(self.place)
        return f"{where} {self.kind}"


@dataclass
class Stat:
    """Running statistics of one resource (crossing, rail section, fleet or yard) over a run."""

    key: ResourceKey
    """Which resource, as route choice looks delays up."""
    name: str
    """Display name (:meth:`ResourceKey.label` with place names)."""
    kind: str
    capacity: str
    constrained: bool = True
    closed: bool = False
    """A fleet of no vessel: nothing crosses."""
    served: int = 0
    """Train loads through (all of their boxes)."""
    teu: float = 0.0
    queue_h: float = 0.0
    """Hours train loads queued for capacity, summed."""
    schedule_h: float = 0.0
    """Hours train loads waited for a departure (the next sailing, a storm), summed."""
    max_queue: int = 0
    departures: int = 0
    """Sailings of a water line within the period (0 for a crossing or yard)."""
    utilisation: float = 0.0
    """Share of the capacity offered during the period that was used (0 if unconstrained)."""
    waits: list[float] = field(default_factory=list)
    """Hours each train load queued for capacity."""
    queue_series: list[int] = field(default_factory=list)
    """Train loads queueing, sampled once a simulated day."""

    def mean_queue_h(self) -> float:
        """Average hours a train load queued here for capacity."""
        return self.queue_h / self.served if self.served else 0.0

    def mean_schedule_h(self) -> float:
        """Average hours a train load waited here for a departure."""
        return self.schedule_h / self.served if self.served else 0.0

    def mean_wait_h(self) -> float:
        """Average hours a train load spent waiting here, both kinds."""
        return self.mean_queue_h() + self.mean_schedule_h()


@dataclass(frozen=True)
class SimResult:
    """What one simulated period produced.

    TEU are conserved: ``released = delivered + in transit + waiting`` (see :meth:`balance`).
    """

    horizon_h: float
    demand_teu: dict[str, float]
    """TEU released by corridor: the demand of the period."""
    delivered_teu: dict[str, float]
    """By corridor, within the period plus the drain."""
    lead_times_h: dict[str, list[float]]
    """By origin–destination."""
    stats: tuple[Stat, ...]
    drained_teu: float = 0.0
    """Of the delivered TEU, those that arrived after the period (during the drain)."""
    in_transit_teu: float = 0.0
    """TEU still moving (on a train, in a dwell) when the drain ends."""
    waiting_teu: float = 0.0
    """TEU still queueing (for a crossing, a vessel, room in a yard) when the drain ends."""

    def balance(self) -> float:
        """Released − delivered − in transit − waiting, in TEU: zero unless TEU were lost."""
        return sum(self.demand_teu.values()) - sum(self.delivered_teu.values()) - self.in_transit_teu - self.waiting_teu


class _Load:
    """One train load on its way: its TEU, when it was released, and whether it is waiting."""

    __slots__ = ("born", "teu", "waiting_until")

    def __init__(self, teu: float, born: float) -> None:
        self.teu, self.born = teu, born
        self.waiting_until = -math.inf
        """Queueing until then (``inf``: until something happens)."""


class _Gate:
    """A crossing or rail section paced to its capacity: train loads start their dwell (or run) at
    least ``spacing_h`` apart, first come first served, and dated windows close it or cut it.

    This is a rate limit, not a set of servers: a train load arriving at an idle place never
    waits, however small the capacity, so less capacity never means a shorter stay.
    """

    def __init__(self, stat: Stat, spacing_h: float, horizon_h: float, windows: tuple[Window, ...] = ()) -> None:
        self.stat, self.spacing_h, self.horizon_h, self.windows = stat, spacing_h, horizon_h, windows
        self.last_start = -math.inf
        self.starts: deque[float] = deque()
        self.in_period = 0

    def admit(self, now: float, teu: float) -> float:
        """Hours the train load arriving ``now`` queues before its turn."""
        stat = self.stat
        stat.served += 1
        stat.teu += teu
        if not stat.constrained:
            return 0.0
        start = self._open(max(now, self.last_start + self._spacing(self.last_start)))
        self.last_start = start
        self.in_period += start < self.horizon_h
        self.queued(now)
        self.starts.append(start)
        stat.max_queue = max(stat.max_queue, len(self.starts) - 1)
        stat.queue_h += start - now
        stat.waits.append(start - now)
        return start - now

    def queued(self, now: float) -> int:
        """Train loads that have arrived and not yet started."""
        while self.starts and self.starts[0] <= now:
            self.starts.popleft()
        return len(self.starts)

    def _spacing(self, at: float) -> float:
        if math.isinf(at):
            return 0.0
        factor = next((w.capacity_factor for w in self.windows if w.start_h <= at < w.end_h), 1.0)
        return self.spacing_h / factor if factor > 0 else 0.0

    def _open(self, at: float) -> float:
        """The first time from ``at`` when no closing window is in force."""
        moved = True
        while moved:
            moved = False
            for w in self.windows:
                if w.capacity_factor <= 0 and w.start_h <= at < w.end_h:
                    at, moved = w.end_h, True
        return at


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

    def _run(self) -> Events:
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
    """A water crossing: boxes queue, vessels take them when they sail, storms hold the sailings.

    ``headway_h`` is ``inf`` for a fleet of no vessel (the line is closed) and ``teu_per_sailing``
    is ``inf`` for a line without a fleet figure (room for everyone at each sailing).
    """

    def __init__(
        self,
        env: simpy.Environment,
        stat: Stat,
        headway_h: float,
        teu_per_sailing: float,
        weather: _PortWeather | None,
        horizon_h: float,
        when_full: WhenFull | None = None,
    ) -> None:
        self.env, self.stat, self.weather, self.horizon_h = env, stat, weather, horizon_h
        self.queue: deque[tuple[simpy.Event, float, _Load, list[float]]] = deque()
        self.headway_h, self.teu = headway_h, teu_per_sailing
        self.sailed: list[float] = []
        self.offered = self.carried = 0.0
        self.boarded = env.event()
        """Fires when a load joins the queue (a vessel waiting for a full load checks again)."""
        if when_full is not None:
            env.process(self._sail_when_full(when_full))
        elif not math.isinf(headway_h):
            env.process(self._sail())

    def board(self, load: _Load) -> simpy.Event:
        """An event that fires when the last box of ``load`` has sailed."""
        event = self.env.event()
        self.queue.append((event, self.env.now, load, [load.teu]))
        self.stat.max_queue = max(self.stat.max_queue, len(self.queue))
        self.boarded.succeed()
        self.boarded = self.env.event()
        return event

    def _sail(self) -> Events:
        while True:
            yield self.env.timeout(self.headway_h)
            yield from self._storm_hold()
            self._load_vessel()

    def _storm_hold(self) -> Events:
        if self.weather is not None and self.weather.closed:
            yield self.weather.reopened

    def _sail_when_full(self, rule: WhenFull) -> Events:
        """Vessels take turns at the quay; the one loading leaves once it is full or has waited
        ``rule.max_wait_h``, and is back a round trip later."""
        back = [0.0] * rule.vessels  # when each vessel is next at the quay
        while True:
            ready = heapq.heappop(back)
            if ready > self.env.now:
                yield self.env.timeout(ready - self.env.now)
            deadline = self.env.timeout(rule.max_wait_h)
            while self.waiting_teu() < self.teu and not deadline.processed:
                yield self.boarded | deadline
            yield from self._storm_hold()
            self._load_vessel()
            heapq.heappush(back, self.env.now + rule.round_trip_h)

    def _load_vessel(self) -> None:
        """Boxes board first come, first served; a train load may be split over sailings and moves
        on when its last box has crossed."""
        now, room = self.env.now, self.teu
        self.sailed.append(now)
        self.stat.departures += now <= self.horizon_h
        while self.queue and room > 0:
            event, since, load, left = self.queue[0]
            taken = min(room, left[0])
            left[0] -= taken
            room -= taken
            if left[0] > 0:
                break
            self.queue.popleft()
            self._record(since, load)
            event.succeed()
        if not math.isinf(self.teu) and now <= self.horizon_h:
            self.offered += self.teu
            self.carried += self.teu - room

    def _record(self, since: float, load: _Load) -> None:
        """Split the load's wait: until the first sailing after it came, then queueing for room."""
        now, stat = self.env.now, self.stat
        first = self.sailed[bisect.bisect_left(self.sailed, since)]
        stat.served += 1
        stat.teu += load.teu
        stat.schedule_h += first - since
        stat.queue_h += now - first
        stat.waits.append(now - first)

    def waiting_teu(self) -> float:
        return sum(left[0] for _, _, _, left in self.queue)


@dataclass(frozen=True)
class _Step:
    """One step of a compiled journey: a fixed delay, a gate, or a water crossing."""

    hours: float
    gate: _Gate | None = None
    boat: _Sailings | None = None
    yard: tuple[simpy.Container, Stat] | None = None


@dataclass
class _Counts:
    delivered: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    released: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    lead: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    drained: float = 0.0
    live: set[_Load] = field(default_factory=set)


@dataclass(frozen=True)
class _Inputs:
    capacities: dict[tuple[str, str], CrossingCapacity]
    fleets: dict[tuple[str, str, str], Fleet]
    dwell_factor: dict[tuple[str, str], float]
    yards: dict[str, float]
    windows: dict[tuple[str, str], tuple[Window, ...]]


class _Model:
    """The shared resources of one run (built as routes first need them) and the train loads' walk."""

    def __init__(
        self, env: simpy.Environment, network: Network, inputs: _Inputs, horizon: float, seed: int, start: date
    ):
        self.env, self.network, self.inputs, self.horizon = env, network, inputs, horizon
        self.seed, self.start = seed, start
        self.stats: dict[ResourceKey, Stat] = {}
        self.gates: dict[ResourceKey, _Gate] = {}
        self.sailings: dict[ResourceKey, _Sailings] = {}
        self.yards: dict[str, tuple[simpy.Container, Stat]] = {}
        self.storms: dict[str, _PortWeather | None] = {}
        self.yard_teu_h: dict[ResourceKey, float] = defaultdict(float)
        self.journeys: dict[int, list[_Step]] = {}
        self.counts = _Counts()
        # Rail sections with a published line capacity (train pairs a day, each direction).
        lines = {
            (link.from_id, link.to_id): link.capacity
            for link in network.links
            if link.mode == "rail" and link.capacity and link.capacity_unit == "train_pairs_per_day"
        }
        self.lines = lines | {(b, a): cap for (a, b), cap in lines.items()}

    def name(self, place: str) -> str:
        known = self.network.places.get(place)
        return known.name if known is not None else passage_name(place)

    # --- resources ---------------------------------------------------------------------------------------------------

    def crossing(self, place: str, kind: str) -> _Gate:
        key = ResourceKey.of_crossing(place, kind)
        if key not in self.gates:
            cap = self.inputs.capacities.get((place, kind))
            windows = self.inputs.windows.get((place, kind), ())
            label = "unconstrained" if cap is None else f"{cap.trains_per_day:g} trains/day"
            label = "; ".join([*([label] if kind != PASSAGE else []), *(w.label for w in windows if w.label)])
            stat = Stat(key, key.label(self.name), kind, label, constrained=cap is not None or bool(windows))
            self.stats[key] = stat
            spacing = 0.0 if cap is None else 24 / cap.trains_per_day
            self.gates[key] = _Gate(stat, spacing, self.horizon, windows)
        return self.gates[key]

    def section(self, leg: Leg) -> _Gate | None:
        per_day = self.lines.get((leg.from_id, leg.to_id))
        if per_day is None:
            return None
        key = ResourceKey.of_leg(leg)
        if key not in self.gates:
            self.stats[key] = Stat(key, key.label(self.name), "rail", f"{per_day:g} trains/day")
            self.gates[key] = _Gate(self.stats[key], 24 / per_day, self.horizon)
        return self.gates[key]

    def water(self, leg: Leg) -> _Sailings:
        key = ResourceKey.of_leg(leg)
        if key not in self.sailings:
            fleets = self.inputs.fleets
            fleet = fleets.get((leg.from_id, leg.to_id, leg.mode)) or fleets.get((leg.to_id, leg.from_id, leg.mode))
            name = key.label(self.name)
            rule: WhenFull | None = None
            if fleet is None:
                stat = Stat(key, name, leg.mode, "unconstrained", constrained=False)
                headway, teu = settings.HOURS_PER_WEEK / (leg.departures_per_week or 1.0), math.inf
            elif fleet.vessels <= 0:
                stat = Stat(key, name, leg.mode, "closed: no vessel", closed=True)
                headway, teu = math.inf, fleet.teu_per_sailing
            else:
                rule = self.when_full(leg, fleet)
                label = f"{fleet.vessels} vessels × {fleet.teu_per_sailing:g} TEU" + (
                    ", sails when full" if rule else ""
                )
                stat = Stat(key, name, leg.mode, label)
                headway, teu = fleet.round_trip_h / fleet.vessels, fleet.teu_per_sailing
            self.stats[key] = stat
            self.sailings[key] = _Sailings(self.env, stat, headway, teu, self.weather(leg.from_id), self.horizon, rule)
        return self.sailings[key]

    def when_full(self, leg: Leg, fleet: Fleet) -> WhenFull | None:
        """How the fleet on ``leg`` sails if ``sailings.csv`` says the line keeps no timetable;
        ``None`` for a timetabled line (it sails in rotation, full or not)."""
        row = next(
            (r for r in self.network.sailings if (r.from_id, r.to_id, r.mode) == (leg.from_id, leg.to_id, leg.mode)),
            None,
        )
        if row is None or row.rule != "when_full":
            return None
        return WhenFull(fleet.vessels, fleet.round_trip_h, settings.HOURS_PER_WEEK / row.departures_per_week)

    def weather(self, port: str) -> _PortWeather | None:
        if port not in self.storms:
            months = sorted((w for w in self.network.weather if w.port == port), key=lambda w: w.month)
            self.storms[port] = None
            if len(months) == 12:
                closure = tuple(w.closure_probability for w in months)
                spell = tuple(w.spell_mean_h for w in months)
                rng = random.Random(f"{self.seed} weather {port}")
                self.storms[port] = _PortWeather(self.env, closure, spell, rng, self.start)
        return self.storms[port]

    def yard(self, leg: Leg) -> tuple[simpy.Container, Stat] | None:
        """The port's container yard, where boxes wait for their ship (rail ferries take wagons, not boxes)."""
        port, size = leg.from_id, self.inputs.yards.get(leg.from_id)
        if leg.mode != "sea" or size is None:
            return None
        if port not in self.yards:
            key = ResourceKey.of_yard(port)
            stat = Stat(key, key.label(self.name), "yard", f"{size:g} TEU")
            # at least one train load, or a load bigger than the yard would wait for room forever
            self.yards[port] = (simpy.Container(self.env, capacity=max(size, TEU_PER_TRAIN)), stat)
            self.stats[stat.key] = stat
        return self.yards[port]

    # --- journeys ----------------------------------------------------------------------------------------------------

    def closed_passages(self, leg: Leg) -> list[str]:
        """The sea passages of ``leg`` that a dated window closes for a while: a load waits for
        them at the start of the leg (a ship does not sail into a closed passage)."""
        return [p for p in leg.passages if (p, PASSAGE) in self.inputs.windows]

    def compiled(self, route: Route) -> list[_Step]:
        """The route's steps, compiled once per route."""
        if id(route) not in self.journeys:
            self.journeys[id(route)] = self.compile(route)
        return self.journeys[id(route)]

    def compile(self, route: Route) -> list[_Step]:
        """The route as steps: runs (through a rail section's gate if it has one), waits for a
        vessel, crossings."""
        steps: list[_Step] = []
        legs = iter(route.legs)
        leg = next(legs)
        for c in journey_model(route, self.network, per_link=True).components:  # one run per leg below
            if c.kind == "run":
                steps += [_Step(0.0, gate=self.crossing(p, PASSAGE)) for p in self.closed_passages(leg)]
                steps.append(_Step(c.base_h, gate=self.section(leg) if leg.mode == "rail" else None))
                leg = next(legs, leg)
            elif c.kind == "wait":
                steps.append(_Step(0.0, boat=self.water(leg), yard=self.yard(leg)))
            else:
                dwell = c.base_h * self.inputs.dwell_factor.get((c.place, c.kind), 1.0)
                steps.append(_Step(dwell, gate=self.crossing(c.place, c.kind)))
        return steps

    def carry(self, a: Assignment, steps: list[_Step], load: _Load) -> Events:
        """Walk one train load through its steps; count it delivered when it arrives.

        Fixed delays (runs, unconstrained crossings) add up into one timeout until the next step
        where the load can queue: fewer events, the same times.
        """
        env, counts = self.env, self.counts
        counts.live.add(load)
        pending = 0.0
        for step in steps:
            gate = step.gate
            if step.boat is None and (gate is None or not gate.stat.constrained):
                if gate is not None:
                    gate.admit(env.now + pending, load.teu)
                pending += step.hours
                continue
            if pending:
                yield env.timeout(pending)
                pending = 0.0
            if gate is not None:
                wait = gate.admit(env.now, load.teu)
                load.waiting_until = env.now + wait
                yield env.timeout(wait + step.hours)
            else:
                yield from self._cross_water(step, load)
        if pending:
            yield env.timeout(pending)
        counts.live.discard(load)
        counts.delivered[a.route.corridor] += load.teu
        counts.lead[a.od].append(env.now - load.born)
        if env.now > self.horizon:
            counts.drained += load.teu

    def _cross_water(self, step: _Step, load: _Load) -> Events:
        assert step.boat is not None
        load.waiting_until = math.inf
        if step.yard is None:
            yield step.boat.board(load)
        else:
            store, stat = step.yard
            asked = self.env.now
            yield store.put(load.teu)
            stat.served += 1
            stat.teu += load.teu
            stat.queue_h += self.env.now - asked
            stat.waits.append(self.env.now - asked)
            arrived = self.env.now
            yield step.boat.board(load)
            self.yard_teu_h[stat.key] += (self.env.now - arrived) * load.teu
            yield store.get(load.teu)
        load.waiting_until = -math.inf


class _Source:
    """Releases one flow's train loads over the period: exactly its demand, at random times that
    follow its monthly seasonality."""

    def __init__(self, model: _Model, a: Assignment, years: float, seed: int) -> None:
        self.model, self.a = model, a
        route_id = "/".join(leg.from_id for leg in a.route.legs) + "/" + a.route.legs[-1].to_id
        window = "" if a.release is None else f" {a.release[0]:g}"
        rng = random.Random(f"{seed} demand {a.od} {route_id}{window}")
        inside = _within(_pieces(model.horizon, a.seasonality, model.start), a.release or (0.0, model.horizon))
        total = a.teu_per_year * years * release_share(a, model.horizon, model.start)
        full, rest = divmod(total, TEU_PER_TRAIN)
        sizes = [float(TEU_PER_TRAIN)] * int(full) + ([rest] if rest > 1e-9 else [])
        times = _arrival_times(len(sizes), inside, rng)
        self.loads = sorted(zip(times, sizes, strict=True))
        model.counts.released[a.route.corridor] += sum(sizes)
        self.steps = model.compiled(a.route)
        model.env.process(self._run())

    def _run(self) -> Events:
        env = self.model.env
        for at, teu in self.loads:
            if at > env.now:
                yield env.timeout(at - env.now)
            env.process(self.model.carry(self.a, self.steps, _Load(teu, env.now)))


def release_share(a: Assignment, horizon_h: float, start: date) -> float:
    """The share of the period's demand that ``a`` releases: 1 without a release window, else the
    window's part of the period weighted by the monthly seasonality."""
    if a.release is None:
        return 1.0
    pieces = _pieces(horizon_h, a.seasonality, start)
    return sum(w for *_, w in _within(pieces, a.release)) / sum(w for *_, w in pieces)


Piece = tuple[float, float, float]
"""A stretch of the period: start hour, hours, and its weight (hours × the month's seasonality)."""


def _pieces(horizon: float, seasonality: tuple[float, ...], start: date) -> list[Piece]:
    """The period cut into calendar months (730.5 h), each weighted by its seasonality factor;
    evenly if every simulated month has a factor of 0."""
    months = max(1, math.ceil(horizon / settings.HOURS_PER_MONTH))
    spans = [min(settings.HOURS_PER_MONTH, horizon - m * settings.HOURS_PER_MONTH) for m in range(months)]
    factors = [seasonality[(start.month - 1 + m) % 12] if seasonality else 1.0 for m in range(months)]
    if sum(f * span for f, span in zip(factors, spans, strict=True)) <= 0:
        factors = [1.0] * months
    return [
        (m * settings.HOURS_PER_MONTH, span, span * f) for m, (span, f) in enumerate(zip(spans, factors, strict=True))
    ]


def _within(pieces: list[Piece], window: tuple[float, float]) -> list[Piece]:
    """The parts of the pieces inside ``window``, weights scaled to the part."""
    out = []
    for begin, span, weight in pieces:
        lo, hi = max(begin, window[0]), min(begin + span, window[1])
        if hi > lo:
            out.append((lo, hi - lo, weight * (hi - lo) / span))
    return out


def _arrival_times(n: int, pieces: list[Piece], rng: random.Random) -> list[float]:
    """``n`` independent times within the pieces, with density following their weights.

    The k-th draw does not depend on n, so a larger demand adds train loads and moves none.
    """
    if n == 0:
        return []
    cumulative = list(_accumulate([w for *_, w in pieces]))
    out = []
    for _ in range(n):
        k = min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(pieces) - 1)
        out.append(pieces[k][0] + rng.random() * pieces[k][1])
    return out


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


def _monitor(model: _Model) -> Events:
    """Queue lengths once a simulated day, for the plots."""
    while True:
        now = model.env.now
        for key, stat in model.stats.items():
            if key in model.gates:
                stat.queue_series.append(model.gates[key].queued(now))
            elif key in model.sailings:
                stat.queue_series.append(len(model.sailings[key].queue))
            else:
                waiting = len(model.yards[key.place][0].put_queue)
                stat.queue_series.append(waiting)
                stat.max_queue = max(stat.max_queue, waiting)
        yield model.env.timeout(24.0)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a run allocates many short-lived generators and events
    whose collection passes cost more than the simulation (issue 17); nothing of it forms cycles
    that must be freed before the run ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
    windows: dict[tuple[str, str], tuple[Window, ...]] | None = None,
    progress: Callable[[float], None] | None = None,
) -> SimResult:
    """Run train loads of every assignment through shared crossings and fleets for ``years``.

    Parameters
    ----------
    network : Network
        Supplies weather for the water crossings and place names.
    assignments : list of Assignment
        Routes and their TEU a year (from :func:`corridor.simulation.runner.run_scenario`).
    capacities, fleets : dict
        Crossing capacities (trains a day) and vessel fleets, keyed by place/kind and link.
    years : float
        Simulated period (> 0); trains get :data:`DRAIN_H` more hours to arrive.
    seed : int
        Seed of arrivals and storms.
    start : date
        First day of the period (sets the months of seasonality, storms and dated windows).
    dwell_factor : dict, optional
        ``(place, kind)`` → multiplier of the dwell (a modernised checkpoint).
    yards : dict, optional
        Port id → container yard size in TEU; boxes stack there until their ship sails, and a
        full yard holds arriving trains back.
    windows : dict, optional
        ``(place, kind)`` → dated disruptions of that crossing.
    progress : callable, optional
        Called with the share of the period simulated.
    """
    env = simpy.Environment()
    horizon = years * settings.HOURS_PER_YEAR
    inputs = _Inputs(capacities, fleets, dwell_factor or {}, yards or {}, windows or {})
    model = _Model(env, network, inputs, horizon, seed, start)
    with _collector_paused():
        for a in assignments:
            _Source(model, a, years, seed)
        env.process(_monitor(model))
        steps = 20
        for k in range(1, steps + 1):
            env.run(until=(horizon + DRAIN_H) * k / steps)
            if progress is not None:
                progress(k / steps)
    return _result(model, horizon)


def _result(model: _Model, horizon: float) -> SimResult:
    """Utilisations over the period, and where the TEU are when the drain ends."""
    for gate in model.gates.values():
        if gate.spacing_h > 0:
            gate.stat.utilisation = min(1.0, gate.in_period * gate.spacing_h / horizon)
    for boat in model.sailings.values():
        boat.stat.utilisation = boat.carried / boat.offered if boat.offered else 0.0
    for store, stat in model.yards.values():
        stat.utilisation = model.yard_teu_h[stat.key] / (store.capacity * (horizon + DRAIN_H))
    counts, end = model.counts, model.env.now
    waiting = sum(load.teu for load in counts.live if load.waiting_until > end)
    return SimResult(
        horizon,
        dict(counts.released),
        dict(counts.delivered),
        dict(counts.lead),
        tuple(model.stats.values()),
        drained_teu=counts.drained,
        in_transit_teu=sum(load.teu for load in counts.live) - waiting,
        waiting_teu=waiting,
    )
