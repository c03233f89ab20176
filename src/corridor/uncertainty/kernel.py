"""Compiled Monte Carlo kernel: the NumPy engine's arithmetic in one loop, compiled by numba.

Why a kernel
------------
The NumPy engine (:mod:`corridor.uncertainty.montecarlo`) samples a batch as a
(components × journeys) matrix. Each step — look up the normal spread, take its exponential,
multiply by the headway draw, add the late tail, add the storm spell, sum the column, fold the
totals into the histogram and the covariance sums — is a separate pass over a few MB of memory,
and NumPy's fancy indexing pays a per-element overhead on every pass. Here the same steps run
as plain loops that numba compiles to machine code: a chunk of :data:`CHUNK` journeys stays in
the processor's cache while every component is added to it, and the batch is read once.

Same draws, same answer
-----------------------
The kernel does not draw its own random numbers. It is handed the batch's 16-bit draws, made
by the NumPy engine's own code from the batch's ``SeedSequence.spawn`` child (PCG64), and maps
them through the same tables in the same order with the same float32 operations:

* the lognormal factor ``exp(sigma · z)`` is looked up in a table per distinct sigma that
  :func:`numpy.exp` filled from the normal quantile table (so it equals, bit for bit, the value
  the NumPy engine computes), then multiplied by the median;
* a wait is multiplied by ``2 · U`` from the uniform table;
* a late tail is looked up at ``max(draw, floor)``: the table is 0 up to ``floor``, so clamping
  the index gives the same 0 without a branch and without reading the mostly-zero part of the
  table (components without a late tail read a table of zeros: adding 0 changes nothing);
* a storm spell opens when the draw falls below ``closure · 2**16`` in the journey's month.

Each journey's total is summed in float64 in component order, as NumPy's ``sum(axis=0)`` does,
so totals, histogram, percentiles and on-time counts are identical whichever engine ran and
whether numba is installed or not; means and variance shares differ only in the last digits
(NumPy sums a batch pairwise and the covariance product in float32, the kernel sequentially in
float64). Drawing inside the kernel with numba's own generator would save the draw buffer but
tie the answer to the engine; with pre-drawn words one seed means one result everywhere.

Where the time goes
-------------------
About a quarter of a journey's cost is NumPy drawing its 64-bit words (PCG64, a few ns per
word, one word per four draws); the rest is the kernel's table look-ups — two or three per
component and journey, scattered over tables of 256 kB each, one at a time (the compiler does
not vectorise gathers here) — and the float64 sums. ``benchmarks/montecarlo.py`` measures it
against the NumPy engine and a pure-Python loop.

Compilation
-----------
numba is imported when this module is, and :mod:`corridor.uncertainty.montecarlo` imports it
only when the kernel is about to be used, so ``import corridor`` stays fast and works without
the ``fast`` extra. The functions compile on their first call (a few seconds) and are cached on
disk (``cache=True``: in ``__pycache__`` next to this file, else in the user's cache directory,
or in ``NUMBA_CACHE_DIR``); a later process loads them in well under a second, plus about half
a second to import numba. If no cache directory is writable they are compiled without a cache
rather than failing. Hence ``engine="auto"`` keeps short runs on NumPy
(:data:`~corridor.uncertainty.montecarlo.KERNEL_MIN_SAMPLES`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["CHUNK", "Draws", "Floats", "Floats32", "Ints", "Tables", "fold"]

F = TypeVar("F", bound=Callable[..., Any])

CHUNK = 2048
"""Journeys processed together: their times (components × CHUNK float32) fit in L2 cache."""

Floats = NDArray[np.float64]
Floats32 = NDArray[np.float32]
Ints = NDArray[np.int64]
Draws = NDArray[np.uint16]


def _jit(func: F, **options: Any) -> F:
    """Compile ``func`` lazily with numba, cached on disk when a cache directory is writable."""
    try:
        return cast(F, numba.njit(cache=True, nogil=True, **options)(func))
    except RuntimeError:  # numba raises this when no cache locator can write anywhere
        return cast(F, numba.njit(nogil=True, **options)(func))


def _jit_reassociating(func: F) -> F:
    """:func:`_jit`, letting sums be reordered so they run in vector registers, several at a time."""
    return _jit(func, fastmath={"reassoc"})


class Tables(NamedTuple):
    """A journey model as the kernel reads it (built by :meth:`montecarlo._Arrays.kernel_tables`).

    Per component ``c`` (in the engine's row order, late-tailed components first): its median
    hours, the row of :attr:`spreads` for its sigma, and the draw rows of its headway, late tail
    and storm (-1 when it has none). Draw row ``c`` is always its spread draw.
    """

    median: Floats32
    spread_of: Ints
    spreads: Floats32
    """exp(sigma · z) at each of the 2**16 normal quantiles, one row per distinct sigma."""
    wait_row: Ints
    uniform2: Floats32
    """2 · U at each uniform quantile: the wait for a random arrival is median × 2U."""
    late_row: Ints
    """Draw row of the late tail; any row for a component without one (its table is all 0)."""
    late_of: Ints
    """Row of :attr:`late` for the component."""
    late: Floats32
    """Distinct late-tail mixture quantiles (0 below 1 − p, exponential above), then a row of 0."""
    late_floor: Draws
    """Last index where each :attr:`late` row is 0: draws are clamped up to it."""
    storm_of: Ints
    """Index of the component's port in the storm arrays, or -1."""
    month_row: int
    """Draw row of the journey's random month, or -1 when every port's month is fixed."""
    storm_month: Ints
    """Month (0–11) of each port's weather given a departure date, or -1 for the journey's month."""
    closed_row: Ints
    length_row: Ints
    threshold: Floats32
    """closure probability × 2**16 by port and month: a draw below it means a closure spell."""
    spell: Floats32
    """Mean spell length, hours, by port and month."""
    exponential: Floats32


@_jit
def _component(
    x: Floats32, total: Floats, month: Ints, draws: Draws, start: int, count: int, c: int, t: Tables
) -> None:
    """Component ``c``'s hours for journeys ``start … start + count`` into ``x``, added to ``total``.

    The steps follow the NumPy engine's order (spread, wait, late tail, storm) so that every
    float32 rounding is the same. A component without a late tail reads a table of zeros.
    Indexing with unsigned 16-bit draws and slices spares numba its negative-index checks.
    """
    median, spread = t.median[c], t.spreads[t.spread_of[c]]
    late, floor = t.late[t.late_of[c]], t.late_floor[t.late_of[c]]
    end = start + count
    spread_draw, late_draw = draws[c, start:end], draws[t.late_row[c], start:end]
    if t.wait_row[c] < 0 and t.storm_of[c] < 0:  # most components: a tight loop without branches
        for j in range(count):
            v = median * spread[spread_draw[j]] + late[max(late_draw[j], floor)]
            x[j] = v
            total[j] += np.float64(v)
        return
    wait_draw, port = draws[max(t.wait_row[c], 0), start:end], t.storm_of[c]
    for j in range(count):
        v = median * spread[spread_draw[j]]
        if t.wait_row[c] >= 0:
            v = v * t.uniform2[wait_draw[j]]
        v = v + late[max(late_draw[j], floor)]
        if port >= 0:
            v = v + _spell(draws, start + j, month[j], port, t)
        x[j] = v
        total[j] += np.float64(v)


@_jit
def _spell(draws: Draws, d: int, month: int, port: int, t: Tables) -> np.float32:
    """Hours a port is shut for journey ``d``: exponential with the month's mean, or 0 if it is open."""
    m = month if t.storm_month[port] < 0 else t.storm_month[port]
    if np.float32(draws[t.closed_row[port], d]) < t.threshold[port, m]:
        hours: np.float32 = t.exponential[draws[t.length_row[port], d]] * t.spell[port, m]
        return hours
    return np.float32(0)


@_jit
def _chunk(x: Floats32, total: Floats, month: Ints, draws: Draws, start: int, count: int, t: Tables) -> None:
    """Every component's hours for one chunk of journeys into ``x``, their sums into ``total``.

    ``total`` adds the components one after another in float64, the order of NumPy's
    ``sum(axis=0)``, so both engines get the same totals.
    """
    total[:count] = 0.0
    if t.month_row >= 0:  # one season per journey when there is no departure date
        for j in range(count):
            month[j] = (np.int64(draws[t.month_row, start + j]) * 12) >> 16
    for c in range(t.median.size):
        _component(x[c], total, month, draws, start, count, c, t)


@_jit_reassociating
def _moments(x: Floats32, total: Floats, count: int, sum_x: Floats, sum_xt: Floats) -> None:
    """Add each component's sum and its products with the total (the covariance terms)."""
    for c in range(x.shape[0]):
        s = st = 0.0
        for j in range(count):
            s += x[c, j]
            st += np.float64(x[c, j]) * total[j]
        sum_x[c] += s
        sum_xt[c] += st


@_jit
def _histogram(total: Floats, count: int, bin_h: float, counts: Ints) -> tuple[Ints, int]:
    """Count the totals in bins of ``bin_h``; returns the counts (grown if needed) and the top bin."""
    top = -1
    for j in range(count):
        b = int(total[j] / bin_h)  # truncation, as NumPy's astype(int64)
        if b >= counts.size:
            counts = np.concatenate((counts, np.zeros(max(b + 1, 2 * counts.size) - counts.size, np.int64)))
        counts[b] += 1
        top = max(top, b)
    return counts, top


@_jit
def fold(
    draws: Draws,
    t: Tables,
    deadline_h: float,
    bin_h: float,
    counts: Ints,
    sum_x: Floats,
    sum_xt: Floats,
) -> tuple[Ints, float, float, int, int]:
    """Sample a batch of journeys from its (rows × journeys) draws and fold it into the running sums.

    ``sum_x`` and ``sum_xt`` (per component: sum of hours, sum of hours × total) are updated in
    place. Returns the histogram (a new, longer array when a total lands beyond its last bin),
    the sum and sum of squares of the totals, the journeys within ``deadline_h``, and the
    highest bin hit.
    """
    k, n = t.median.size, draws.shape[1]
    x = np.empty((k, CHUNK), np.float32)
    total = np.empty(CHUNK)
    month = np.zeros(CHUNK, np.int64)
    sum_t = sum_tt = 0.0
    on_time = top = 0
    for start in range(0, n, CHUNK):
        count = min(CHUNK, n - start)
        _chunk(x, total, month, draws, start, count, t)
        _moments(x, total, count, sum_x, sum_xt)
        for j in range(count):
            sum_t += total[j]
            sum_tt += total[j] * total[j]
            on_time += total[j] <= deadline_h
        counts, chunk_top = _histogram(total, count, bin_h, counts)
        top = max(top, chunk_top)
    return counts, sum_t, sum_tt, on_time, top
