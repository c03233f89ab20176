"""Vectorised Monte Carlo of door-to-door transit times.

:func:`simulate` samples whole journeys of a :class:`~corridor.uncertainty.journey.JourneyModel`
in batches with NumPy: a batch is a (components × journeys) matrix, so a million journeys cost
a few array operations, not a million Python loops. Memory stays bounded whatever the number of
samples: each batch is folded into running sums and a fixed-width histogram of total times, and
percentiles are read off the histogram (to within :data:`BIN_H`).

Reproducibility: one seed gives the same answer for the same number of samples. Each batch has
its own independent random stream, spawned from the seed with :class:`numpy.random.SeedSequence`.

Two engines sample the same model from the same draws: this NumPy one, and a compiled kernel
(:mod:`corridor.uncertainty.kernel`, several times faster) when numba (the ``fast`` extra) is
installed. Both map each batch's 16-bit draws through the same tables with the same float32
arithmetic, so they give the same histogram, percentiles and on-time odds: the engine is a
matter of speed, never of results.

Which leg makes the tail: each component's share of the total variance is
``cov(component, total) / var(total)``; the shares add up to one.
"""

from __future__ import annotations

import functools
import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corridor.errors import OptionError
from corridor.settings import HOURS_PER_MONTH, MAX_SAMPLES
from corridor.uncertainty.journey import Component, JourneyModel
from corridor.vocab import SamplingEngine

if TYPE_CHECKING:
    from corridor.uncertainty.kernel import Tables

__all__ = ["BATCH", "BIN_H", "KERNEL_MIN_SAMPLES", "LEVELS", "Floats", "Floats32", "Fold", "Reliability", "simulate"]

BATCH = 100_000
"""Journeys sampled per batch; bounds memory to a few tens of MB."""
BIN_H = 0.1
"""Histogram bin width, hours: the resolution of the percentiles."""
KERNEL_MIN_SAMPLES = 3_000_000
"""From this many journeys ``engine="auto"`` uses the compiled kernel. The kernel's first call in
a process costs about a second (importing numba, loading the kernel from numba's cache) and
then saves about 0.1 s per million journeys: a fresh process breaks even near 3 million, so
shorter runs (the CLI's default 100,000 a route) stay on NumPy. Pass ``engine="numba"`` in a
long-lived process that runs many simulations."""

Floats = NDArray[np.float64]
Floats32 = NDArray[np.float32]


@dataclass(frozen=True)
class Reliability:
    """Distribution of a route's door-to-door time from a Monte Carlo run."""

    samples: int
    seed: int
    mean_h: float
    std_h: float
    p10_h: float
    p50_h: float
    p90_h: float
    p95_h: float
    deadline_h: float | None
    on_time_probability: float | None
    drivers: tuple[tuple[str, float], ...]
    """``(component, share of variance)``, largest first."""
    ecdf_h: tuple[float, ...]
    ecdf_p: tuple[float, ...]

    def to_dict(self) -> dict[str, float]:
        """The JSON fields a route gains (``time_p50_h`` …)."""
        out = {
            "time_mean_h": round(self.mean_h, 2),
            "time_p10_h": round(self.p10_h, 2),
            "time_p50_h": round(self.p50_h, 2),
            "time_p90_h": round(self.p90_h, 2),
            "time_p95_h": round(self.p95_h, 2),
        }
        if self.on_time_probability is not None:
            out["on_time_probability"] = round(self.on_time_probability, 4)
        return out


LEVELS = 1 << 16
"""Random draws are 16-bit integers mapped through quantile tables (see :func:`_tables`)."""


@functools.cache
def _tables() -> tuple[Floats32, Floats32, Floats32]:
    """Normal, exponential and uniform quantiles at the midpoints of 2**16 equal-probability bins.

    Sampling by table look-up (inverse-transform with a 65,536-step CDF) costs one 16-bit
    random integer and one gather per draw instead of a ziggurat or a logarithm, which is what
    makes a million journeys take a fraction of a second. The tails are cut at the outermost bin
    (±4.3 standard deviations, 11.8 exponential means): far beyond the percentiles reported.
    """
    p = (np.arange(LEVELS) + 0.5) / LEVELS
    normal = np.array([NormalDist().inv_cdf(q) for q in p], dtype=np.float32)
    exponential = (-np.log1p(-p)).astype(np.float32)
    return normal, exponential, p.astype(np.float32)


class _Arrays:
    """The journey model's components as NumPy vectors, ready to sample.

    Rows are reordered so that the components with a late tail come first: their delays are then
    added to one contiguous block of the matrix instead of a scattered selection. ``order`` maps
    each row back to its component.
    """

    def __init__(self, model: JourneyModel) -> None:
        comps = model.components
        late_first = [i for i, c in enumerate(comps) if c.late_probability > 0]
        self.order = np.array(late_first + [i for i in range(len(comps)) if i not in set(late_first)], dtype=np.int64)
        ordered = [comps[i] for i in self.order]
        self.k = len(ordered)
        self.base32 = np.array([c.base_h for c in ordered], dtype=np.float32)
        self.sigma32 = np.array([c.sigma for c in ordered], dtype=np.float32)
        self.waits = np.flatnonzero([c.headway_h > 0 for c in ordered])
        self.late = len(late_first)
        self.late_table = self._late_tables(ordered[: self.late])
        self.late_offsets = (np.arange(self.late, dtype=np.int32) * LEVELS)[:, None]
        self.storms = [i for i, c in enumerate(ordered) if c.closure]
        self.closure = np.array([ordered[i].closure for i in self.storms], dtype=np.float32).reshape(
            len(self.storms), 12
        )
        self.spell = np.array([ordered[i].spell_h for i in self.storms], dtype=np.float32).reshape(len(self.storms), 12)
        self.offset = np.array([ordered[i].offset_h for i in self.storms])
        self.depart_month = None if model.depart is None else model.depart.month - 1 + (model.depart.day - 1) / 31
        # rows of 16-bit draws a journey needs: spread, wait position, late delay, storms
        self.rows = self.k + self.waits.size + self.late + 3 * len(self.storms)

    @staticmethod
    def _late_tables(comps: list[Component]) -> Floats32:
        """Quantiles of each late tail (0 with probability 1 − p, else exponential), flattened.

        One 16-bit draw then gives the whole late delay: the mixture's inverse CDF is
        0 below 1 − p and −mean · ln((1 − q) / p) above.
        """
        q = (np.arange(LEVELS) + 0.5) / LEVELS
        rows = []
        for c in comps:
            p = c.late_probability
            tail = np.where(q > 1 - p, -c.late_mean_h * np.log(np.maximum(1 - q, 1e-12) / p), 0.0)
            rows.append(tail.astype(np.float32))
        return np.concatenate(rows) if rows else np.zeros(0, dtype=np.float32)

    def draws(self, rng: np.random.Generator, n: int) -> NDArray[np.uint16]:
        """The (:attr:`rows` × n) 16-bit draws of ``n`` journeys, four from each 64-bit word of ``rng``."""
        words = -(-self.rows * n // 4)
        return rng.bit_generator.random_raw(words).view(np.uint16)[: self.rows * n].reshape(self.rows, n)

    def sample(self, draws: NDArray[np.uint16]) -> Floats32:
        """A (components × n) matrix of sampled hours, rows in :attr:`order` (float32 is precise enough)."""
        normal, _, uniform = _tables()
        n = draws.shape[1]
        k, w, late = self.k, self.waits.size, self.late
        x = normal[draws[:k]]
        x *= self.sigma32[:, None]
        np.exp(x, out=x)
        x *= self.base32[:, None]
        if w:
            # A random arrival waits uniformly up to the headway: twice the mean wait × U(0, 1).
            x[self.waits] *= 2 * uniform[draws[k : k + w]]
        if late:
            x[:late] += self.late_table[draws[k + w : k + w + late] + self.late_offsets]
        if self.storms:
            x[self.storms] += self._storm_delays(draws[k + w + late :], n)
        return x

    def _storm_delays(self, draws: NDArray[np.uint16], n: int) -> Floats32:
        _, exponential, _ = _tables()
        s = len(self.storms)
        fixed = self._fixed_months()
        if fixed is None:
            month = np.broadcast_to((draws[0].astype(np.int64) * 12) >> 16, (s, n))
        else:
            month = np.broadcast_to(fixed[:, None], (s, n))
        rows = np.arange(s)[:, None]
        closed = draws[s : 2 * s] < self.closure[rows, month] * LEVELS
        length = exponential[draws[2 * s : 3 * s]] * self.spell[rows, month]
        spell: Floats32 = np.where(closed, length, np.float32(0)).astype(np.float32)
        return spell

    def _fixed_months(self) -> NDArray[np.int64] | None:
        """Each storm port's month (0–11) given a departure date; None: one random month per journey.

        One season per journey: with no departure date every port of a journey shares a random
        month; with one, each port's month follows from the median time to reach it.
        """
        if self.depart_month is None:
            return None
        months: NDArray[np.int64] = (self.depart_month + self.offset / HOURS_PER_MONTH).astype(np.int64) % 12
        return months

    def kernel_tables(self) -> Tables:
        """The same model as flat tables for the compiled kernel (:mod:`corridor.uncertainty.kernel`)."""
        from corridor.uncertainty.kernel import Tables

        normal, exponential, uniform = _tables()
        k, w, late, s = self.k, self.waits.size, self.late, len(self.storms)
        sigmas, spread_of = np.unique(self.sigma32, return_inverse=True)
        wait_row = np.full(k, -1, dtype=np.int64)
        wait_row[self.waits] = k + np.arange(w)
        # one table per distinct late tail, and a table of zeros for the components without one
        tails = np.concatenate([self.late_table.reshape(late, LEVELS), np.zeros((1, LEVELS), dtype=np.float32)])
        late_tables, late_of = _distinct_rows(tails)
        late_row = np.arange(k, dtype=np.int64)  # no late tail: any row will do, it reads a zero
        late_row[:late] = k + w + np.arange(late)
        storm_of = np.full(k, -1, dtype=np.int64)
        storm_of[self.storms] = np.arange(s)
        first = k + w + late  # storm draws: s month rows (only the first is read), s closures, s lengths
        fixed = self._fixed_months()
        return Tables(
            median=self.base32,
            spread_of=spread_of.astype(np.int64),
            # np.exp of the same float32 products as sample(): the kernel looks up identical factors
            spreads=np.exp(normal[None, :] * sigmas[:, None]),
            wait_row=wait_row,
            uniform2=2 * uniform,
            late_row=late_row,
            late_of=np.concatenate([late_of[:late], np.full(k - late, late_of[-1])]).astype(np.int64),
            late=late_tables,
            late_floor=np.array([_last_zero(row) for row in late_tables], dtype=np.uint16),
            storm_of=storm_of,
            month_row=first if s and fixed is None else -1,
            storm_month=np.full(s, -1, dtype=np.int64) if fixed is None else fixed,
            closed_row=first + s + np.arange(s, dtype=np.int64),
            length_row=first + 2 * s + np.arange(s, dtype=np.int64),
            threshold=self.closure * LEVELS,
            spell=self.spell,
            exponential=exponential,
        )


def _distinct_rows(rows: Floats32) -> tuple[Floats32, NDArray[np.int64]]:
    """The distinct rows (first-seen order) and each row's index among them.

    Many components share a late tail (rail runs, say); one table each keeps the cache small.
    """
    index: dict[bytes, int] = {}
    firsts: list[int] = []
    for r, row in enumerate(rows):
        if index.setdefault(row.tobytes(), len(firsts)) == len(firsts):
            firsts.append(r)
    return rows[firsts], np.array([index[row.tobytes()] for row in rows], dtype=np.int64)


def _last_zero(tail: Floats32) -> int:
    """Last index before a late table's first non-zero quantile (the kernel clamps draws up to it)."""
    nonzero = np.flatnonzero(tail)
    return LEVELS - 1 if nonzero.size == 0 else max(int(nonzero[0]) - 1, 0)


class _Sums:
    """Running sums of a simulation: all the summary needs, whatever the number of journeys."""

    def __init__(self, k: int) -> None:
        self.counts = np.zeros(0, dtype=np.int64)
        self.top = -1
        """Highest histogram bin hit (the kernel grows :attr:`counts` ahead of it)."""
        self.sum_x, self.sum_xt = np.zeros(k), np.zeros(k)
        self.sum_t = self.sum_tt = 0.0
        self.on_time = 0

    def add(self, x: Floats32, deadline_h: float | None) -> None:
        """Fold a (components × journeys) matrix of sampled hours."""
        total = x.sum(axis=0, dtype=np.float64)
        self.sum_x += x.sum(axis=1, dtype=np.float64)
        self.sum_xt += x @ total.astype(np.float32)
        self.sum_t += float(total.sum())
        self.sum_tt += float(total @ total)
        if deadline_h is not None:
            self.on_time += int(np.count_nonzero(total <= deadline_h))
        fresh = np.bincount((total / BIN_H).astype(np.int64))
        if fresh.size > self.counts.size:
            self.counts = np.concatenate([self.counts, np.zeros(fresh.size - self.counts.size, dtype=np.int64)])
        self.counts[: fresh.size] += fresh
        self.top = max(self.top, fresh.size - 1)


Fold = Callable[[NDArray[np.uint16], _Sums, "float | None"], None]
"""Samples a batch from its draws and folds it into the running sums."""


def _numpy_fold(arrays: _Arrays) -> Fold:
    """The vectorised engine: a (components × journeys) matrix per batch."""

    def fold(draws: NDArray[np.uint16], sums: _Sums, deadline_h: float | None) -> None:
        sums.add(arrays.sample(draws), deadline_h)

    return fold


def _kernel_fold(arrays: _Arrays) -> Fold:
    """The compiled kernel, fed the same draws (imports numba: call only when it is wanted)."""
    from corridor.uncertainty.kernel import fold as compiled

    tables = arrays.kernel_tables()

    def fold(draws: NDArray[np.uint16], sums: _Sums, deadline_h: float | None) -> None:
        limit = math.inf if deadline_h is None else float(deadline_h)  # one compiled signature
        sums.counts, sum_t, sum_tt, on_time, top = compiled(
            draws, tables, limit, BIN_H, sums.counts, sums.sum_x, sums.sum_xt
        )
        sums.sum_t += sum_t
        sums.sum_tt += sum_tt
        sums.on_time += on_time
        sums.top = max(sums.top, top)

    return fold


def _numba_available() -> bool:
    """Whether the kernel module (hence numba) imports; the first time costs numba's import."""
    try:
        importlib.import_module("corridor.uncertainty.kernel")
    except ImportError:
        return False
    return True


def _choose_engine(name: str, samples: int) -> SamplingEngine:
    """The engine that runs: ``auto`` is numba when installed and ``samples`` ≥ :data:`KERNEL_MIN_SAMPLES`."""
    engine = SamplingEngine.parse(name, "Monte Carlo engine")
    if engine is SamplingEngine.numba and not _numba_available():
        raise OptionError("engine 'numba' needs numba: install the 'fast' extra (pip install 'corridor[fast]')")
    if engine is SamplingEngine.auto:
        fast = samples >= KERNEL_MIN_SAMPLES and _numba_available()
        return SamplingEngine.numba if fast else SamplingEngine.numpy
    return engine


def simulate(
    model: JourneyModel,
    samples: int = 100_000,
    seed: int = 0,
    deadline_h: float | None = None,
    progress: Callable[[int], None] | None = None,
    engine: SamplingEngine | str = SamplingEngine.auto,
) -> Reliability:
    """Sample ``samples`` journeys of ``model`` and summarise their door-to-door times.

    Parameters
    ----------
    model : JourneyModel
        From :func:`corridor.uncertainty.journey.journey_model`.
    samples : int
        Journeys to sample, 1 … :data:`MAX_SAMPLES`.
    seed : int
        Seed of the random streams; the same seed and ``samples`` give the same answer.
    deadline_h : float, optional
        Hours after departure by which the box must arrive; adds ``on_time_probability``.
    progress : callable, optional
        Called with the number of journeys done after each batch (for a progress bar).
    engine : {"auto", "numpy", "numba"}
        ``numpy``: the vectorised engine. ``numba``: the compiled kernel
        (:mod:`corridor.uncertainty.kernel`; needs the ``fast`` extra). ``auto``: the kernel from
        :data:`KERNEL_MIN_SAMPLES` journeys on when numba is installed, else NumPy. Both read the
        same random draws, so percentiles and on-time odds do not depend on the engine.

    Raises
    ------
    OptionError
        If ``samples`` is out of range, the deadline is not positive, the engine is unknown, or
        ``numba`` is asked for and not installed.
    """
    if not 1 <= samples <= MAX_SAMPLES:
        raise OptionError(f"samples must be between 1 and {MAX_SAMPLES:,}; got {samples:,}")
    if deadline_h is not None and deadline_h <= 0:
        raise OptionError("the deadline must be after the departure")
    arrays = _Arrays(model)
    fold = _kernel_fold(arrays) if _choose_engine(engine, samples) is SamplingEngine.numba else _numpy_fold(arrays)
    sums = _Sums(arrays.k)
    batches = math.ceil(samples / BATCH)
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(batches)):
        n = min(BATCH, samples - i * BATCH)
        fold(arrays.draws(np.random.default_rng(child), n), sums, deadline_h)
        if progress is not None:
            progress(i * BATCH + n)
    names = [model.components[i].name for i in arrays.order]
    return _summarise(names, samples, seed, deadline_h, sums)


def _summarise(names: list[str], n: int, seed: int, deadline_h: float | None, sums: _Sums) -> Reliability:
    mean = sums.sum_t / n
    var = max(sums.sum_tt / n - mean * mean, 0.0)
    cov = sums.sum_xt / n - (sums.sum_x / n) * mean
    shares = cov / var if var > 0 else np.zeros_like(cov)
    drivers = tuple(sorted(((names[i], float(s)) for i, s in enumerate(shares) if s > 0), key=lambda d: -d[1]))
    cum = np.cumsum(sums.counts[: sums.top + 1]) / n
    step = max(1, -(-cum.size // 400))  # at most 400 points, plus the last
    keep = np.unique(np.append(np.arange(0, cum.size, step), cum.size - 1))  # always end at 1
    return Reliability(
        samples=n,
        seed=seed,
        mean_h=mean,
        std_h=math.sqrt(var),
        p10_h=_quantile(cum, 0.10),
        p50_h=_quantile(cum, 0.50),
        p90_h=_quantile(cum, 0.90),
        p95_h=_quantile(cum, 0.95),
        deadline_h=deadline_h,
        on_time_probability=None if deadline_h is None else sums.on_time / n,
        drivers=drivers,
        ecdf_h=tuple(float(h) for h in (keep + 1) * BIN_H),
        ecdf_p=tuple(float(p) for p in cum[keep]),
    )


def _quantile(cum: Floats, q: float) -> float:
    """Upper edge of the first histogram bin where the cumulative share reaches ``q``."""
    return float((np.searchsorted(cum, q) + 1) * BIN_H)
