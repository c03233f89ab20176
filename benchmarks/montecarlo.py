"""Throughput and memory of the Monte Carlo of door-to-door times, and what it saves.

What is measured, and why:

* **Route** — a real 10-leg route from the embedded network: the first pair of place ids (sorted)
  whose fastest route under corridor ``middle``, ``northern`` or none has exactly 10 legs, broken
  into uncertain components by :func:`corridor.uncertainty.journey.journey_model` (no departure
  date, so each journey draws a random month for the Caspian storms).
* **Kernel** — :func:`corridor.uncertainty.montecarlo.simulate` with the compiled numba kernel
  (``engine="numba"``, what ``engine="auto"`` runs from ``KERNEL_MIN_SAMPLES`` journeys on) over
  2,000,000 journeys (seed 1) after a warm-up: journeys per second on **one core**. The script
  sets ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS`` and ``MKL_NUM_THREADS`` to 1 before NumPy
  is imported, so BLAS uses one core too; the kernel itself is single-threaded.
* **NumPy engine** — the same with ``engine="numpy"``, for reference. Both engines read the same
  random draws; the script checks their percentiles are identical.
* **Rounds** — kernel, NumPy engine and loop run one after another, 3 rounds, so that all three
  share the machine's load alike; rates are medians, by wall clock and by the process's CPU
  time (on a shared machine the CPU figure is the steadier measure of one core's throughput).
* **Compile** — the kernel's first call in a fresh process: cold (an empty ``NUMBA_CACHE_DIR``,
  so numba compiles and writes its cache) and warm (the same directory, so numba loads it);
  importing numba is timed apart. This is what a short CLI run would pay.
* **Baseline** — the same sampling model the slow way: a pure-Python loop per journey and per
  component with the :mod:`random` module (lognormal spread, uniform waits, late tails, storm
  spells in a random month per journey), 20,000 journeys. The script checks the kernel and the
  loop agree (means within 3 %, P90 within 5 %) and exits non-zero if they do not; it prints the
  speed-up of both engines over the loop.
* **Memory** — one kernel run of 10,000,000 journeys (100,000,000 with ``--huge``): wall time
  and peak RSS before and after. Journeys are sampled in batches of
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
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from corridor.errors import CorridorError
from corridor.routing.api import default_network, route
from corridor.routing.itinerary import Route
from corridor.settings import HOURS_PER_MONTH
from corridor.uncertainty.journey import Component, JourneyModel, journey_model
from corridor.uncertainty.montecarlo import BATCH, Reliability, simulate

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


@dataclass
class Rates:
    """Items per second of repeated runs, by wall clock and by this process's CPU time."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def time(self, items: int, call: Callable[[], T]) -> T:
        """Run ``call`` (which handles ``items``), record its rates and return its result."""
        start, cpu = time.perf_counter(), time.process_time()
        result = call()
        self.wall.append(items / (time.perf_counter() - start))
        self.cpu.append(items / (time.process_time() - cpu))
        return result


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


def bench_rounds(model: JourneyModel) -> tuple[Reliability, Reliability, list[float], dict[str, Rates]]:
    """Kernel, NumPy engine and loop, one after another, :data:`REPEATS` rounds (after warm-ups).

    Interleaving the three gives each the same share of whatever else the machine is doing.
    """
    for engine in ("numba", "numpy"):
        simulate(model, WARMUP, seed=SEED, engine=engine)
    rates = {"kernel": Rates(), "numpy": Rates(), "loop": Rates()}
    for _ in range(REPEATS):
        kernel = rates["kernel"].time(VECTOR_N, lambda: simulate(model, VECTOR_N, seed=SEED, engine="numba"))
        numpy = rates["numpy"].time(VECTOR_N, lambda: simulate(model, VECTOR_N, seed=SEED, engine="numpy"))
        loop = rates["loop"].time(LOOP_N, lambda: loop_journeys(model, LOOP_N, SEED))
    return kernel, numpy, loop, rates


def first_call(cache_dir: str) -> tuple[float, float]:
    """Seconds to import numba, then to import the kernel and run it once, in a fresh process."""
    code = (
        "import time; t0 = time.perf_counter(); import numba; t1 = time.perf_counter();"
        "from corridor.routing.api import default_network, route;"
        "from corridor.uncertainty.journey import journey_model;"
        "from corridor.uncertainty.montecarlo import simulate;"
        "m = journey_model(route('Xian', 'Baku').best('time'), default_network());"
        "simulate(m, 10, engine='numpy'); t2 = time.perf_counter();"
        "simulate(m, 10, engine='numba'); print(t1 - t0, time.perf_counter() - t2)"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    imported, called = (float(v) for v in out.stdout.split())
    return imported, called


def bench_compile() -> None:
    """The kernel's first call: compiled into an empty cache, then loaded from it."""
    with tempfile.TemporaryDirectory() as cache_dir:
        _, cold = first_call(cache_dir)
        imported, warm = first_call(cache_dir)
    print(f"Kernel first call in a fresh process: import numba {imported:.2f} s, then ", end="")
    print(f"compile {cold:.2f} s (cold, empty cache) or load {warm:.2f} s (warm cache)")


def agree(kernel: Reliability, loop: Sequence[float]) -> bool:
    """Print the statistical comparison; True if means and P90s are within tolerance."""
    loop_mean, loop_p90 = statistics.fmean(loop), statistics.quantiles(loop, n=10)[-1]
    mean_diff = abs(kernel.mean_h - loop_mean) / loop_mean
    p90_diff = abs(kernel.p90_h - loop_p90) / loop_p90
    print(f"    mean: kernel {kernel.mean_h:7.1f} h  loop {loop_mean:7.1f} h  ", end="")
    print(f"diff {mean_diff:6.2%} (limit {MEAN_TOLERANCE:.0%})  {verdict(mean_diff <= MEAN_TOLERANCE)}")
    print(f"    P90:  kernel {kernel.p90_h:7.1f} h  loop {loop_p90:7.1f} h  ", end="")
    print(f"diff {p90_diff:6.2%} (limit {P90_TOLERANCE:.0%})  {verdict(p90_diff <= P90_TOLERANCE)}")
    return mean_diff <= MEAN_TOLERANCE and p90_diff <= P90_TOLERANCE


def same_answer(kernel: Reliability, numpy: Reliability) -> bool:
    """Print whether both engines gave the same percentiles (they read the same draws)."""
    pick = ("p10_h", "p50_h", "p90_h", "p95_h")
    same = all(getattr(kernel, p) == getattr(numpy, p) for p in pick)
    print(f"    kernel vs NumPy engine, same seed: P10/P50/P90/P95 identical: {verdict(same)}; ", end="")
    print(f"means differ by {abs(kernel.mean_h - numpy.mean_h):.1e} h")
    return same


def bench_memory(model: JourneyModel, n: int) -> None:
    """Wall time and peak RSS around one large kernel run."""
    before = peak_rss_mib()
    result, seconds = timed(lambda: simulate(model, n, seed=SEED, engine="numba"))
    after = peak_rss_mib()
    print(f"Memory: {n:,} journeys in batches of {BATCH:,}: {seconds:.1f} s ({n / seconds / 1e6:.2f} M/s)")
    print(f"    peak RSS before {before:.1f} MiB, after {after:.1f} MiB (+{after - before:.1f} MiB)")
    print(f"    mean {result.mean_h:.1f} h, P50 {result.p50_h:.1f} h, P90 {result.p90_h:.1f} h")


def report_rates(label: str, rates: Rates, loop: Rates) -> None:
    """Print an engine's median rate and speed-up over the loop, by wall clock and by CPU time."""
    print(f"{label}, {VECTOR_N:,} journeys x {REPEATS}:")
    for clock in ("wall", "cpu"):
        rate = statistics.median(getattr(rates, clock))
        speedup = rate / statistics.median(getattr(loop, clock))
        print(f"    {clock:4} median {rate / 1e6:5.2f} M/s ", end="")
        print(f"(target >= {TARGET_RATE / 1e6:.0f} M/s/core: {verdict(rate >= TARGET_RATE)}), ", end="")
        print(f"{speedup:4.0f}x the loop (target >= {TARGET_SPEEDUP}x: {verdict(speedup >= TARGET_SPEEDUP)})")


def main() -> int:
    huge = "--huge" in sys.argv[1:]
    best, origin, destination, corridor = ten_leg_route()
    model = journey_model(best, default_network())
    storms = sum(bool(c.closure) for c in model.components)
    print("Corridor Monte Carlo benchmark (one core: OMP/OPENBLAS/MKL_NUM_THREADS=1)")
    print(f"  route: {origin} -> {destination}, corridor {corridor or 'any'}: {len(best.legs)} legs, ", end="")
    print(f"{len(model.components)} components ({storms} with storms), deterministic {best.total_time_h:.1f} h\n")

    bench_compile()
    kernel, numpy, loop, rates = bench_rounds(model)
    walls, cpus = statistics.median(rates["loop"].wall), statistics.median(rates["loop"].cpu)
    print(f"Baseline pure-Python loop (random module), {LOOP_N:,} journeys x {REPEATS}: ", end="")
    print(f"median {walls:,.0f} /s wall, {cpus:,.0f} /s CPU\n")
    report_rates("Compiled kernel, simulate(engine='numba')", rates["kernel"], rates["loop"])
    report_rates("NumPy engine, simulate(engine='numpy'), for reference", rates["numpy"], rates["loop"])
    ok = agree(kernel, loop)
    ok = same_answer(kernel, numpy) and ok
    print()

    bench_memory(model, HUGE_N if huge else MEMORY_N)
    if not ok:
        print("\nThe engines or the loop disagree: see the comparison above.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
