"""Speed of the scenario simulation engine at 1,000,000 TEU a year, and what train loads save.

What is measured, and why:

* **Scenario** — ``titr-2024-base.yaml`` with every flow scaled so demand totals 1,000,000 TEU a
  year (about 18× the 2024 Middle Corridor volume): the "what breaks when volume grows?" question
  the engine exists for. Routes are split once with the logit of
  :mod:`corridor.simulation.runner` on uncongested costs (``_route_options``, ``_logit``,
  ``_assign``); that fixed assignment is what every run below simulates.
* **Engine** — :func:`corridor.simulation.engine.simulate_flows` for one simulated year (plus its
  60-day drain), seed 0, timed alone (no route search, no route-choice rounds), median of 3 runs.
  :func:`~corridor.simulation.runner.run_scenario` calls it once per route-choice round.
* **Naive baseline** — the same scenario with every TEU its own SimPy process, compactly
  re-implemented here: same routes and journey components, same run times and dwells, crossings
  as SimPy Resources of trains a day × dwell / 24 servers (Little's law; the engine paces
  crossings as a rate limit instead) × :data:`~corridor.simulation.engine.TEU_PER_TRAIN`
  container slots, water crossings as fleets sailing every round trip ÷ vessels with room for
  their TEU a sailing, each container boarding on its own, sailings held by storms with the same
  closure odds and spell lengths. It is slow, so it simulates 14 days of demand (plus the same
  drain); both models are compared per simulated day of demand, drain included. Journey
  components are built once per route, as the engine does. The engine is also timed on the
  same 14 days (a like-for-like ratio, printed for information), and the TEU each model delivers
  are printed side by side as a check that both simulate the same network.

* **Scaling in demand** (issue 17) — the same scenario scaled to 0.1, 1 and 10 M TEU a year,
  one simulated year each, CPU seconds (``time.process_time``) per simulated year and per million
  TEU. The baseline, in the same process, is the same engine with Python's cyclic garbage
  collector left running (the engine pauses it during a run): at 10 M TEU the queues hold tens of
  thousands of live train loads and events, and every collection pass walks all of them.

Targets (printed with PASS/FAIL; a miss does not fail the run, this is a measurement): at most
5 s of wall time per simulated year for the engine, at least 10× faster than the naive model,
and CPU growing linearly with demand: 10 M TEU costs at most 11× what 1 M TEU costs.

Run ``.venv/bin/python benchmarks/simulate.py``; importing the module runs nothing.
"""

from __future__ import annotations

import contextlib
import functools
import math
import random
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import simpy

from corridor import settings
from corridor.network.model import Network
from corridor.simulation import engine, runner
from corridor.simulation.engine import (
    DRAIN_H,
    TEU_PER_TRAIN,
    Assignment,
    CrossingCapacity,
    Fleet,
    ResourceKey,
    SimResult,
    simulate_flows,
)
from corridor.simulation.schema import Scenario, load_scenario
from corridor.uncertainty.journey import journey_model

SCENARIO = "titr-2024-base.yaml"
DEMAND_TEU = 1_000_000
SEED = 0
REPEATS = 3
NAIVE_DAYS = 14
START = date(2026, 1, 1)
YEAR_TARGET_S = 5.0
SPEEDUP_TARGET = 10.0

T = TypeVar("T")
Capacities = dict[tuple[str, str], CrossingCapacity]
Fleets = dict[tuple[str, str, str], Fleet]


@dataclass(frozen=True)
class Setup:
    """A scaled scenario with everything the engine needs to simulate its fixed assignment."""

    scenario: Scenario
    network: Network
    assignments: list[Assignment]
    capacities: Capacities
    fleets: Fleets
    dwell: dict[tuple[str, str], float]


@dataclass(frozen=True)
class NaiveResult:
    containers: int
    delivered_teu: float


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and its wall time in seconds."""
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def scaled(scenario: Scenario, total_teu: float) -> Scenario:
    """The scenario with every flow scaled by one factor so demand totals ``total_teu`` a year."""
    factor = total_teu / sum(f.teu_per_year for f in scenario.demand)
    flows = tuple(f.model_copy(update={"teu_per_year": f.teu_per_year * factor}) for f in scenario.demand)
    return scenario.model_copy(update={"demand": flows})


def setup(total_teu: float) -> Setup:
    """Scale the shipped scenario and split it over its routes once, as round 1 of ``run_scenario`` does."""
    scenario = scaled(load_scenario(settings.data_dir() / "scenarios" / SCENARIO), total_teu)
    plan = runner.prepare(scenario, seed=SEED)
    assignments = runner._assign(scenario, plan.options, runner._logit(scenario, plan.options, {}))
    return Setup(scenario, plan.network, assignments, plan.capacities, plan.fleets, plan.dwell)


def run_engine(s: Setup, years: float) -> SimResult:
    return simulate_flows(
        s.network, s.assignments, s.capacities, s.fleets, years=years, seed=SEED, start=START, dwell_factor=s.dwell
    )


# --- The naive baseline: one SimPy process per TEU ----------------------------------------------------------------


def storms(env: simpy.Environment, network: Network, port: str, rng: random.Random) -> Callable[[], simpy.Event]:
    """A port's storm spells; the returned call gives an event that fires once the port is open."""
    months = sorted((w for w in network.weather if w.port == port), key=lambda w: w.month)
    state: dict[str, simpy.Event | None] = {"reopened": None}

    def weather() -> Generator[simpy.Event, None, None]:
        while True:
            w = months[(START.month - 1 + int(env.now // settings.HOURS_PER_MONTH)) % 12]
            p, spell = w.closure_probability, w.spell_mean_h
            open_mean = spell * (1 - p) / p if p > 0 else 24 * 30
            yield env.timeout(rng.expovariate(1 / open_mean))
            if p <= 0:
                continue
            state["reopened"] = reopened = env.event()
            yield env.timeout(rng.expovariate(1 / spell))
            state["reopened"] = None
            reopened.succeed()

    if len(months) == 12:
        env.process(weather())
    return lambda: state["reopened"] or env.timeout(0)


def sailings(
    env: simpy.Environment, headway_h: float, teu: float, port_open: Callable[[], simpy.Event]
) -> deque[simpy.Event]:
    """A fleet: every ``headway_h`` a vessel takes up to ``teu`` waiting containers, first come first served."""
    queue: deque[simpy.Event] = deque()

    def sail() -> Generator[simpy.Event, None, None]:
        while True:
            yield env.timeout(headway_h)
            yield port_open()
            room = teu
            while queue and room >= 1:
                queue.popleft().succeed()
                room -= 1

    env.process(sail())
    return queue


def simulate_naive(s: Setup, days: float) -> NaiveResult:
    """Every TEU of ``days`` of demand walks its route alone; drained like the engine."""
    rng = random.Random(SEED)
    env = simpy.Environment()
    horizon = days * 24
    resources: dict[ResourceKey, simpy.Resource | None] = {}
    queues: dict[ResourceKey, deque[simpy.Event]] = {}
    ports: dict[str, Callable[[], simpy.Event]] = {}
    counts = {"containers": 0, "delivered": 0}

    def crossing(place: str, kind: str, dwell: float) -> simpy.Resource | None:
        key = ResourceKey.of_crossing(place, kind)
        if key not in resources:
            cap = s.capacities.get((place, kind))
            servers = 0.0 if cap is None else max(1.0, cap.trains_per_day * max(dwell, 0.1) / 24)
            resources[key] = None if cap is None else simpy.Resource(env, max(1, round(servers)) * TEU_PER_TRAIN)
        return resources[key]

    def water(a: str, b: str, mode: str, per_week: float) -> deque[simpy.Event]:
        key = ResourceKey(a, mode, b)
        if key not in queues:
            fleet = s.fleets.get((a, b, mode)) or s.fleets.get((b, a, mode))
            if fleet is not None and fleet.vessels > 0:
                headway, teu = fleet.round_trip_h / fleet.vessels, fleet.teu_per_sailing
            else:
                headway, teu = settings.HOURS_PER_WEEK / per_week, math.inf
            if a not in ports:
                ports[a] = storms(env, s.network, a, rng)
            queues[key] = sailings(env, headway, teu, ports[a])
        return queues[key]

    Step = tuple[str, float, simpy.Resource | deque[simpy.Event] | None]

    def plan(a: Assignment) -> list[Step]:
        """The route's components, with the crossing or fleet each one uses."""
        steps: list[Step] = []
        legs = iter(a.route.legs)
        leg = next(legs)
        for c in journey_model(a.route, s.network).components:
            if c.kind == "run":
                steps.append(("run", c.base_h, None))
                leg = next(legs, leg)
            elif c.kind == "wait":
                steps.append(("wait", 0.0, water(leg.from_id, leg.to_id, leg.mode, leg.departures_per_week or 1.0)))
            else:
                dwell = c.base_h * s.dwell.get((c.place, c.kind), 1.0)
                steps.append(("cross", dwell, crossing(c.place, c.kind, dwell)))
        return steps

    def container(steps: list[Step]) -> Generator[simpy.Event, None, None]:
        for kind, hours, where in steps:
            if kind == "run":
                yield env.timeout(hours)
            elif isinstance(where, deque):
                boarded = env.event()
                where.append(boarded)
                yield boarded
            elif where is None:
                yield env.timeout(hours)
            else:
                with where.request() as slot:
                    yield slot
                    yield env.timeout(hours)
        if env.now <= horizon + DRAIN_H:
            counts["delivered"] += 1

    def source(a: Assignment, steps: list[Step]) -> Generator[simpy.Event, None, None]:
        mean_gap = settings.HOURS_PER_YEAR / a.teu_per_year
        while env.now < horizon:
            month = (START.month - 1 + int(env.now // settings.HOURS_PER_MONTH)) % 12
            factor = a.seasonality[month] if a.seasonality else 1.0
            yield env.timeout(rng.expovariate(max(factor, 1e-6) / mean_gap))
            if env.now < horizon:
                counts["containers"] += 1
                env.process(container(steps))

    for a in s.assignments:
        env.process(source(a, plan(a)))
    env.run(until=horizon + DRAIN_H)
    return NaiveResult(counts["containers"], float(counts["delivered"]))


# --- Report -------------------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    s, setup_s = timed(lambda: setup(DEMAND_TEU))
    demand = sum(a.teu_per_year for a in s.assignments)
    print("Corridor simulation benchmark")
    print(f"  scenario: {s.scenario.name} scaled to {demand:,.0f} TEU/year over {len(s.scenario.demand)} flows")
    print(f"  {len(s.assignments)} routes, assignment fixed once (uncongested logit) in {setup_s:.2f} s\n")

    runs = [timed(lambda: run_engine(s, 1.0)) for _ in range(REPEATS)]
    year_s = statistics.median(t for _, t in runs)
    result = runs[0][0]
    delivered = sum(result.delivered_teu.values())
    loads = sum(len(v) for v in result.lead_times_h.values())
    print(f"Engine, 1 simulated year (+{DRAIN_H / 24:.0f}-day drain), median of {REPEATS}:")
    print(f"    {year_s:.2f} s per simulated year (runs {', '.join(f'{t:.2f}' for _, t in runs)} s)")
    print(
        f"    train loads: ~{demand / TEU_PER_TRAIN:,.0f} dispatched (demand / {TEU_PER_TRAIN} TEU), {loads:,} arrived"
    )
    print(f"    delivered {delivered:,.0f} of {demand:,.0f} TEU ({delivered / demand:.1%}); the rest is still queued")
    print(f"    target <= {YEAR_TARGET_S:g} s per simulated year: {verdict(year_s <= YEAR_TARGET_S)}\n")

    shorts = [timed(lambda: run_engine(s, NAIVE_DAYS / 365)) for _ in range(REPEATS)]
    short, short_s = shorts[0][0], statistics.median(t for _, t in shorts)
    naive, naive_s = timed(lambda: simulate_naive(s, NAIVE_DAYS))
    naive_day, engine_day = naive_s / NAIVE_DAYS, year_s / 365
    print(f"Naive baseline, one SimPy process per TEU, {NAIVE_DAYS} days of demand (+ same drain):")
    print(f"    {naive.containers:,} containers in {naive_s:.1f} s")
    print(
        f"    delivered {naive.delivered_teu:,.0f} TEU; engine on the same {NAIVE_DAYS} days "
        f"{sum(short.delivered_teu.values()):,.0f} TEU (same network, different batching)"
    )
    print(f"    per simulated day: naive {naive_day * 1000:.1f} ms, engine {engine_day * 1000:.2f} ms")
    speedup = naive_day / engine_day
    print(f"    naive / engine = {speedup:.0f}x; target >= {SPEEDUP_TARGET:g}x: {verdict(speedup >= SPEEDUP_TARGET)}")
    print(
        f"    like for like (engine on the same {NAIVE_DAYS} days + drain, median of {REPEATS}: {short_s:.3f} s): "
        f"naive / engine = {naive_s / short_s:.0f}x"
    )
    scaling()
    sweep_speedup()
    return 0


SCALES = (100_000, 1_000_000, 10_000_000)
LINEAR_TARGET = 11.0
"""CPU at 10 M TEU over CPU at 1 M TEU: 10 if linear; 11 allows 10 % of noise."""


def cpu(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and the CPU seconds it used."""
    start = time.process_time()
    result = call()
    return result, time.process_time() - start


def scaling() -> None:
    """CPU per simulated year at 0.1, 1 and 10 M TEU, with the collector paused (the engine) and running."""
    print("\nScaling in demand, 1 simulated year each (CPU seconds):")
    print(
        f"    {'TEU/year':>12} {'train loads':>12} {'engine':>8} {'per M TEU':>10} {'GC running':>11} {'per M TEU':>10}"
    )
    paused = engine._collector_paused
    cpus: dict[int, float] = {}
    for teu in SCALES:
        s = setup(teu)
        result, cpus[teu] = cpu(functools.partial(run_engine, s, 1.0))
        engine._collector_paused = contextlib.nullcontext  # type: ignore[assignment]
        try:
            _, running = cpu(functools.partial(run_engine, s, 1.0))
        finally:
            engine._collector_paused = paused
        loads = math.ceil(teu / TEU_PER_TRAIN)
        assert abs(result.balance()) < 1e-6 * teu, "TEU not conserved"
        print(
            f"    {teu:>12,} {loads:>12,} {cpus[teu]:>8.2f} {cpus[teu] / teu * 1e6:>10.3f} {running:>11.2f} "
            f"{running / teu * 1e6:>10.3f}"
        )
    ratio = cpus[SCALES[2]] / cpus[SCALES[1]]
    print(
        f"    10 M / 1 M TEU: {ratio:.1f}x the CPU for 10x the demand; target <= {LINEAR_TARGET:g}x: "
        f"{verdict(ratio <= LINEAR_TARGET)}"
    )


SWEEP_TARGET = 1.8
"""Speed-up of a sweep on two worker processes over one process."""


def sweep_speedup() -> None:
    """Time the same sweep (2030 triple scenario, 4 runs of a year) on one process and on two."""
    from corridor import settings
    from corridor.simulation.sweep import sweep

    scenario = [str(settings.data_dir() / "scenarios" / "titr-2030-triple.yaml")]
    timings = {}
    for where in ("local", "process"):
        start = time.perf_counter()
        sweep(scenario, replications=4, years=1.0, engine=where, workers=2)
        timings[where] = time.perf_counter() - start
    ratio = timings["local"] / timings["process"]
    print("\nSweep, 4 runs of the 2030 triple-volume scenario:")
    print(f"    one process {timings['local']:.2f} s, two worker processes {timings['process']:.2f} s")
    print(f"    speed-up {ratio:.2f}x; target >= {SWEEP_TARGET:g}x: {verdict(ratio >= SWEEP_TARGET)}")


if __name__ == "__main__":
    sys.exit(main())
