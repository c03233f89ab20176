"""Throughput and memory of the vectorised Monte Carlo of door-to-door times, and what it saves.

What is measured, and why:

* **Route** — a real 10-leg route from the embedded network: the first pair of place ids (sorted)
  whose fastest route under corridor ``middle``, ``northern`` or none has exactly 10 legs, broken
  into uncertain components by :func:`corridor.uncertainty.journey.journey_model` (no departure
  date, so each journey draws a random month for the Caspian storms).
* **Vectorised** — :func:`corridor.uncertainty.montecarlo.simulate` over 2,000,000 journeys
  (seed 1) after a small warm-up, 3 times: journeys per second on **one core**. The engine is
  single-threaded NumPy; the script sets ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS`` and
  ``MKL_NUM_THREADS`` to 1 before NumPy is imported, so BLAS (the covariance product) uses one core too.
* **Baseline** — the same sampling model the slow way: a pure-Python loop per journey and per
  component with the :mod:`random` module (lognormal spread, uniform waits, late tails, storm
  spells in a random month per journey), 20,000 journeys. The script checks both agree (means
  within 3 %, P90 within 5 %) and exits non-zero if they do not; it prints the speed-up.
* **Memory** — one run of 10,000,000 journeys (100,000,000 with ``--huge``, about a minute):
  wall time and peak RSS before and after. Journeys are sampled in batches of
  :data:`~corridor.uncertainty.montecarlo.BATCH`, so the peak must not grow with the sample count.

Targets (printed with PASS/FAIL; a miss does not fail the run, this is a measurement):
at least 2,000,000 journeys/s on one core (median run) and at least 100× the loop.

Run ``.venv/bin/python benchmarks/montecarlo.py [--huge]``; importing the module runs nothing.
"""

from __future__ import annotations

import os

os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import math
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from corridor.errors import CorridorError
from corridor.routing.api import default_network, route
from corridor.routing.itinerary import Route
from corridor.uncertainty.journey import Component, JourneyModel, journey_model
from corridor.uncertainty.montecarlo import BATCH, HOURS_PER_MONTH, Reliability, simulate

LEGS = 10
CORRIDORS = ("middle", "northern", None)
SEED = 1
WARMUP = 200_000
VECTOR_N = 2_000_000
REPEATS = 3
LOOP_N = 20_000
MEMORY_N = 10_000_000
HUGE_N = 100_000_000
MEAN_TOLERANCE = 0.03
P90_TOLERANCE = 0.05
TARGET_RATE = 2_000_000
"""Journeys per second on one core (median run)."""
TARGET_SPEEDUP = 100

T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and its wall time in seconds."""
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ten_leg_route() -> tuple[Route, str, str, str | None]:
    """The fastest route of the first (sorted) pair and corridor with exactly :data:`LEGS` legs."""
    ids = sorted(default_network().places)
    for origin in ids:
        for destination in ids:
            if origin == destination:
                continue
            for corridor in CORRIDORS:
                try:
                    best = route(origin, destination, corridor=corridor).best("time")
                except CorridorError:
                    continue
                if len(best.legs) == LEGS:
                    return best, origin, destination, corridor
    raise SystemExit(f"no route with {LEGS} legs in the embedded network")


def storm_month(component: Component, month: int | None, depart_month: float | None) -> int:
    """The month (0–11) of a port's weather: the journey's random month, or departure + offset."""
    if depart_month is None:
        assert month is not None
        return month
    return int(depart_month + component.offset_h / HOURS_PER_MONTH) % 12


def loop_journeys(model: JourneyModel, n: int, seed: int) -> list[float]:
    """Door-to-door hours of ``n`` journeys, one component at a time in pure Python."""
    rng = random.Random(seed)
    gauss, uniform, expo = rng.gauss, rng.random, rng.expovariate
    depart = model.depart
    depart_month = None if depart is None else depart.month - 1 + (depart.day - 1) / 31
    comps = model.components
    totals: list[float] = []
    for _ in range(n):
        month = rng.randrange(12) if depart_month is None else None
        total = 0.0
        for c in comps:
            t = c.base_h * math.exp(c.sigma * gauss(0.0, 1.0))
            if c.headway_h > 0:  # a random arrival waits U(0, headway): twice the mean wait × U(0, 1)
                t *= 2 * uniform()
            if c.late_probability > 0 and uniform() < c.late_probability:
                t += c.late_mean_h * expo(1.0)
            if c.closure:
                m = storm_month(c, month, depart_month)
                if uniform() < c.closure[m]:
                    t += c.spell_h[m] * expo(1.0)
            total += t
        totals.append(total)
    return totals


def bench_vectorised(model: JourneyModel) -> tuple[Reliability, list[float]]:
    """The last result and journeys/s of each of :data:`REPEATS` runs (after a warm-up)."""
    simulate(model, WARMUP, seed=SEED)
    runs = [timed(lambda: simulate(model, VECTOR_N, seed=SEED)) for _ in range(REPEATS)]
    return runs[-1][0], [VECTOR_N / s for _, s in runs]


def agree(vector: Reliability, loop: Sequence[float]) -> bool:
    """Print the statistical comparison; True if means and P90s are within tolerance."""
    loop_mean, loop_p90 = statistics.fmean(loop), statistics.quantiles(loop, n=10)[-1]
    mean_diff = abs(vector.mean_h - loop_mean) / loop_mean
    p90_diff = abs(vector.p90_h - loop_p90) / loop_p90
    print(f"    mean: vectorised {vector.mean_h:7.1f} h  loop {loop_mean:7.1f} h  ", end="")
    print(f"diff {mean_diff:6.2%} (limit {MEAN_TOLERANCE:.0%})  {verdict(mean_diff <= MEAN_TOLERANCE)}")
    print(f"    P90:  vectorised {vector.p90_h:7.1f} h  loop {loop_p90:7.1f} h  ", end="")
    print(f"diff {p90_diff:6.2%} (limit {P90_TOLERANCE:.0%})  {verdict(p90_diff <= P90_TOLERANCE)}")
    return mean_diff <= MEAN_TOLERANCE and p90_diff <= P90_TOLERANCE


def bench_memory(model: JourneyModel, n: int) -> None:
    """Wall time and peak RSS around one large run."""
    before = peak_rss_mib()
    result, seconds = timed(lambda: simulate(model, n, seed=SEED))
    after = peak_rss_mib()
    print(f"Memory: {n:,} journeys in batches of {BATCH:,}: {seconds:.1f} s ({n / seconds / 1e6:.2f} M/s)")
    print(f"    peak RSS before {before:.1f} MiB, after {after:.1f} MiB (+{after - before:.1f} MiB)")
    print(f"    mean {result.mean_h:.1f} h, P50 {result.p50_h:.1f} h, P90 {result.p90_h:.1f} h")


def main() -> int:
    huge = "--huge" in sys.argv[1:]
    best, origin, destination, corridor = ten_leg_route()
    model = journey_model(best, default_network())
    storms = sum(bool(c.closure) for c in model.components)
    print("Corridor Monte Carlo benchmark (one core: OMP/OPENBLAS/MKL_NUM_THREADS=1)")
    print(f"  route: {origin} -> {destination}, corridor {corridor or 'any'}: {len(best.legs)} legs, ", end="")
    print(f"{len(model.components)} components ({storms} with storms), deterministic {best.total_time_h:.1f} h\n")

    vector, rates = bench_vectorised(model)
    rate = statistics.median(rates)
    print(f"Vectorised simulate(), {VECTOR_N:,} journeys x {REPEATS}:")
    print(f"    best {max(rates) / 1e6:.2f} M/s, median {rate / 1e6:.2f} M/s   ", end="")
    print(f"(target >= {TARGET_RATE / 1e6:.0f} M/s/core on the median: {verdict(rate >= TARGET_RATE)})\n")

    loop, loop_s = timed(lambda: loop_journeys(model, LOOP_N, SEED))
    loop_rate = LOOP_N / loop_s
    speedup = rate / loop_rate
    print(f"Baseline pure-Python loop (random module), {LOOP_N:,} journeys: {loop_s:.2f} s, {loop_rate:,.0f} /s")
    print(f"    vectorised (median) / loop = {speedup:.0f}x   ", end="")
    print(f"(target >= {TARGET_SPEEDUP}x: {verdict(speedup >= TARGET_SPEEDUP)})")
    same = agree(vector, loop)
    print()

    bench_memory(model, HUGE_N if huge else MEMORY_N)
    if not same:
        print("\nThe vectorised engine and the loop disagree: see the comparison above.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
