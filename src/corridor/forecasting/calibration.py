"""Prediction intervals calibrated on the backtest: normalised split conformal over rolling-origin misses.

A trend model's own interval on a short series can be far too narrow (ETS on ten points settles
on a deterministic damped trend: ±13 % at every horizon while it misses by 29 %). Instead, every
shipped pair's series is forecast from every origin with enough history (rolling origin), and each
miss is kept as ``log(observed / forecast median)``. The pairs differ: the yearly growth of
CN–EU, a large aggregate, has a standard deviation of about 8 %, KZ–TR's 21 %. So each miss is
scaled by the spread its forecast could expect, known at its origin: ``s = σ · √(h · (1 + h / T))``,
with ``σ`` the standard deviation of the yearly log growth over the ``T`` years the model was
fitted on and ``h`` the years ahead (the forecast standard deviation of a random walk with a drift
estimated from ``T`` years: Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd
ed., §5.5, "Distributional forecasts and prediction intervals"). The scaled misses of all pairs
are one calibration set; the band of a new forecast is ``median × exp(±q·s)`` with ``q`` the
split-conformal quantile of the scaled misses (normalised nonconformity scores: Lei et al. 2018,
"Distribution-free predictive inference for regression", JASA 113:1094, locally weighted).

The coverage the README and the CLI quote is measured, not assumed, and uses no hindsight: each
backtest forecast (every pair, every origin, every later year) is judged by a band calibrated only
on the misses of years up to its origin — what a ministry could have known then — and the
observed years inside it are counted. Origins with too few earlier misses for a quantile are
left out of the count.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from corridor.errors import OptionError
from corridor.forecasting.models import MIN_YEARS, Forecast, forecast, latest_run

if TYPE_CHECKING:
    from corridor.forecasting.data import TradeData

__all__ = [
    "CALIBRATED",
    "MIN_SPREAD",
    "Calibration",
    "Miss",
    "calibrate",
    "calibration",
    "conformal_q",
    "pair_coverage",
    "pooled_misses",
    "rolling_coverage",
    "rolling_misses",
    "spread",
]

CALIBRATED = ("ets", "arima")
"""Methods whose interval is replaced by the calibrated one (gravity has its own bootstrap)."""

MIN_SPREAD = 0.01
"""Least yearly log-growth spread a band is scaled by. estimate: a series of equal values (or
equal growth) would otherwise give a band of zero width; 1 % a year is below every shipped pair's
spread (CN–EU, the calmest, has about 8 %)."""


def spread(history: dict[int, float]) -> tuple[float, int]:
    """``(σ, T)``: the standard deviation of the yearly log growth over the latest unbroken run of
    ``history`` (at least :data:`MIN_SPREAD`) and the number of years in that run.

    Raises
    ------
    OptionError
        Fewer than three years in the run (two growth figures are needed for a spread).
    """
    run = latest_run(sorted(history))
    if len(run) < 3:
        raise OptionError(f"a spread needs three consecutive years; the latest run has {len(run)}")
    growth = np.diff(np.log([history[y] for y in run]))
    return max(float(np.std(growth, ddof=1)), MIN_SPREAD), len(run)


def horizon_scale(sigma: float, run: int, ahead: int) -> float:
    """``σ · √(h · (1 + h / T))``: the spread of a forecast ``ahead`` years out from ``run`` years."""
    return sigma * math.sqrt(ahead * (1 + ahead / run))


@dataclass(frozen=True)
class Miss:
    """One rolling-origin forecast error."""

    pair: str
    origin: int
    """Last year the model saw."""
    year: int
    log_error: float
    """``log(observed / forecast median)``."""
    sigma: float
    """Yearly log-growth spread of the years the model saw (:func:`spread`)."""
    run: int
    """How many years the model saw."""
    in_model_band: bool
    """Whether the model's own interval held the observed value."""

    @property
    def score(self) -> float:
        """The miss in units of the spread its forecast could expect: ``|log error| / (σ·√(h(1 + h/T)))``."""
        return abs(self.log_error) / horizon_scale(self.sigma, self.run, self.year - self.origin)


@dataclass(frozen=True)
class Calibration:
    """The scaled-miss quantile a band is built from, and the coverage measured on the backtest."""

    method: str
    level: float
    q: float
    """Quantile of the scaled misses: the band's half-width in units of :func:`horizon_scale`."""
    misses: int
    pairs: int
    covered: int = 0
    """Backtest forecasts inside the band calibrated on the misses known at their origin."""
    model_covered: int = 0
    """The same forecasts inside the model's own band."""
    held: int = 0
    """Backtest forecasts scored (those whose origin had enough earlier misses)."""

    def coverage(self) -> str:
        """The measured coverage, short: ``"26 of 36 (72 %)"``, or ``"not measured"``."""
        return f"{self.covered} of {self.held} ({self.covered / self.held:.0%})" if self.held else "not measured"

    def coverage_note(self) -> str:
        """One line for the user: what the band rests on and how often it held."""
        base = (
            f"{self.level:.0%} band calibrated on {self.misses} backtest misses of {self.pairs} pairs, "
            "each scaled by its series' yearly volatility and the years ahead"
        )
        if not self.held:
            return base + "; no origin had enough earlier misses for a coverage check"
        return (
            f"{base}; backtest coverage {self.covered} of {self.held} forecasts ({self.covered / self.held:.0%}: "
            f"every pair, origin and later year, each band calibrated only on misses known at its origin; "
            f"the model's own band: {self.model_covered} of {self.held})"
        )


def rolling_misses(history: dict[int, float], pair: str, method: str, level: float = 0.8) -> list[Miss]:
    """Errors of ``method`` forecasting every later year of ``history`` from every usable origin."""
    years = sorted(history)
    misses = []
    for end in range(MIN_YEARS[method], len(years)):
        train = {y: history[y] for y in years[:end]}
        try:
            path = forecast(train, years[-1], method, level)
            sigma, run = spread(train)
        except OptionError:
            continue  # a gap leaves too short a run before this origin
        for year, median, low, high in zip(path.years, path.median, path.low, path.high, strict=True):
            if year in history:
                error = math.log(history[year] / median)
                inside = low <= history[year] <= high
                misses.append(Miss(pair, years[end - 1], year, error, sigma, run, inside))
    return misses


_POOLING = threading.Lock()


def pooled_misses(trade: TradeData, method: str, level: float = 0.8) -> tuple[Miss, ...]:
    """:func:`rolling_misses` of every shipped pair's total (its default reporter's series), computed
    once per process: about 20 model fits per method, 4–5 s on a busy 2-core machine, so requests
    arriving together wait for the one computation instead of each repeating it."""
    with _POOLING:
        return _pooled_misses(trade, method, level)


@lru_cache(maxsize=8)
def _pooled_misses(trade: TradeData, method: str, level: float) -> tuple[Miss, ...]:
    return tuple(m for pair in trade.pairs() for m in rolling_misses(trade.series(pair), pair, method, level))


def conformal_q(scores: list[float], level: float) -> float:
    """The split-conformal quantile: the ⌈(n+1)·level⌉-th smallest score.

    Raises
    ------
    OptionError
        Too few scores for that rank (fewer than ``level / (1 - level)``).
    """
    rank = math.ceil((len(scores) + 1) * level)
    if rank > len(scores):
        raise OptionError(
            f"a {level:.0%} band needs at least {rank} backtest misses to calibrate on; there are {len(scores)}"
        )
    return float(sorted(scores)[rank - 1])


def calibrate(path: Forecast, q: float, history: dict[int, float]) -> Forecast:
    """``path`` with its band replaced by ``median × exp(±q·σ·√(h(1 + h/T)))``, h the years ahead and
    ``(σ, T)`` the :func:`spread` of ``history`` (the years ``path`` was forecast from).

    Raises
    ------
    OptionError
        ``history``'s latest run is too short for a spread.
    """
    sigma, run = spread(history)
    start = path.years[0] - 1
    width = [q * horizon_scale(sigma, run, y - start) for y in path.years]
    low = tuple(m * math.exp(-w) for m, w in zip(path.median, width, strict=True))
    high = tuple(m * math.exp(w) for m, w in zip(path.median, width, strict=True))
    return replace(path, low=low, high=high)


def rolling_coverage(pool: tuple[Miss, ...], level: float) -> list[tuple[Miss, bool]]:
    """Each miss whose origin had enough earlier misses, and whether the band calibrated on those
    (the misses of years up to its origin) held it."""
    judged = []
    for miss in pool:
        try:
            q = conformal_q([m.score for m in pool if m.year <= miss.origin], level)
        except OptionError:
            continue  # too early: too few misses were known at this origin
        judged.append((miss, miss.score <= q))
    return judged


def calibration(trade: TradeData, method: str, level: float = 0.8) -> Calibration:
    """The calibration of ``method`` on all shipped pairs, with its measured backtest coverage."""
    pool = pooled_misses(trade, method, level)
    q = conformal_q([m.score for m in pool], level)
    judged = rolling_coverage(pool, level)
    covered = sum(inside for _, inside in judged)
    model_covered = sum(m.in_model_band for m, _ in judged)
    pairs = len({m.pair for m in pool})
    return Calibration(method, level, q, len(pool), pairs, covered, model_covered, len(judged))


def pair_coverage(trade: TradeData, pair: str, method: str, level: float = 0.8) -> tuple[int, int] | None:
    """Backtest forecasts of one pair inside the calibrated band (as in :func:`calibration`), and
    how many were scored (None when none could be)."""
    judged = [inside for m, inside in rolling_coverage(pooled_misses(trade, method, level), level) if m.pair == pair]
    return (sum(judged), len(judged)) if judged else None
