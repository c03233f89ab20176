"""Vectorised Monte Carlo of door-to-door transit times.

:func:`simulate` samples whole journeys of a :class:`~corridor.uncertainty.journey.JourneyModel`
in batches with NumPy: a batch is a (components × journeys) matrix, so a million journeys cost
a few array operations, not a million Python loops. Memory stays bounded whatever the number of
samples: each batch is folded into running sums and a fixed-width histogram of total times, and
percentiles are read off the histogram (to within :data:`BIN_H`).

Reproducibility: one seed gives the same answer for the same number of samples. Each batch has
its own independent random stream, spawned from the seed with :class:`numpy.random.SeedSequence`.

Which leg makes the tail: each component's share of the total variance is
``cov(component, total) / var(total)``; the shares add up to one.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from corridor.errors import OptionError
from corridor.uncertainty.journey import Component, JourneyModel

MAX_SAMPLES = 10**9
"""Most journeys one simulation may sample (about 10 minutes on one core)."""
BATCH = 100_000
"""Journeys sampled per batch; bounds memory to a few tens of MB."""
BIN_H = 0.1
"""Histogram bin width, hours: the resolution of the percentiles."""
HOURS_PER_MONTH = 730.5

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

    def sample(self, rng: np.random.Generator, n: int) -> Floats32:
        """A (components × n) matrix of sampled hours, rows in :attr:`order` (float32 is precise enough)."""
        normal, _, uniform = _tables()
        words = -(-self.rows * n // 4)  # four 16-bit draws per 64-bit word
        draws = rng.bit_generator.random_raw(words).view(np.uint16)[: self.rows * n].reshape(self.rows, n)
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
        # One season per journey: with no departure date every port of a journey shares a random
        # month; with one, each port's month follows from the median time to reach it.
        _, exponential, _ = _tables()
        s = len(self.storms)
        if self.depart_month is None:
            month = np.broadcast_to((draws[0].astype(np.int64) * 12) >> 16, (s, n))
        else:
            at = (self.depart_month + self.offset / HOURS_PER_MONTH).astype(np.int64) % 12
            month = np.broadcast_to(at[:, None], (s, n))
        rows = np.arange(s)[:, None]
        closed = draws[s : 2 * s] < self.closure[rows, month] * LEVELS
        length = exponential[draws[2 * s : 3 * s]] * self.spell[rows, month]
        spell: Floats32 = np.where(closed, length, np.float32(0)).astype(np.float32)
        return spell


def simulate(
    model: JourneyModel,
    samples: int = 100_000,
    seed: int = 0,
    deadline_h: float | None = None,
    progress: Callable[[int], None] | None = None,
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

    Raises
    ------
    OptionError
        If ``samples`` is out of range or the deadline is not positive.
    """
    if not 1 <= samples <= MAX_SAMPLES:
        raise OptionError(f"samples must be between 1 and {MAX_SAMPLES:,}; got {samples:,}")
    if deadline_h is not None and deadline_h <= 0:
        raise OptionError("the deadline must be after the departure")
    arrays = _Arrays(model)
    k = len(model.components)
    counts = np.zeros(0, dtype=np.int64)
    sum_x, sum_xt = np.zeros(k), np.zeros(k)
    sum_t = sum_tt = 0.0
    on_time = 0
    batches = math.ceil(samples / BATCH)
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(batches)):
        n = min(BATCH, samples - i * BATCH)
        x = arrays.sample(np.random.default_rng(child), n)
        total = x.sum(axis=0, dtype=np.float64)
        sum_x += x.sum(axis=1, dtype=np.float64)
        sum_xt += x @ total.astype(np.float32)
        sum_t += float(total.sum())
        sum_tt += float(total @ total)
        if deadline_h is not None:
            on_time += int(np.count_nonzero(total <= deadline_h))
        counts = _add_histogram(counts, total)
        if progress is not None:
            progress(i * BATCH + n)
    names = [model.components[i].name for i in arrays.order]
    return _summarise(names, samples, seed, deadline_h, on_time, counts, sum_x, sum_xt, sum_t, sum_tt)


def _add_histogram(counts: NDArray[np.int64], total: Floats) -> NDArray[np.int64]:
    fresh = np.bincount((total / BIN_H).astype(np.int64))
    if fresh.size > counts.size:
        counts = np.concatenate([counts, np.zeros(fresh.size - counts.size, dtype=np.int64)])
    counts[: fresh.size] += fresh
    return counts


def _summarise(
    names: list[str],
    n: int,
    seed: int,
    deadline_h: float | None,
    on_time: int,
    counts: NDArray[np.int64],
    sum_x: Floats,
    sum_xt: Floats,
    sum_t: float,
    sum_tt: float,
) -> Reliability:
    mean = sum_t / n
    var = max(sum_tt / n - mean * mean, 0.0)
    cov = sum_xt / n - (sum_x / n) * mean
    shares = cov / var if var > 0 else np.zeros_like(cov)
    drivers = tuple(sorted(((names[i], float(s)) for i, s in enumerate(shares) if s > 0), key=lambda d: -d[1]))
    cum = np.cumsum(counts) / n
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
        on_time_probability=None if deadline_h is None else on_time / n,
        drivers=drivers,
        ecdf_h=tuple(float(h) for h in (keep + 1) * BIN_H),
        ecdf_p=tuple(float(p) for p in cum[keep]),
    )


def _quantile(cum: Floats, q: float) -> float:
    """Upper edge of the first histogram bin where the cumulative share reaches ``q``."""
    return float((np.searchsorted(cum, q) + 1) * BIN_H)
