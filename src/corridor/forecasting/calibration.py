"""Prediction intervals calibrated on the backtest: split conformal over rolling-origin misses.

A trend model's own interval on a short series can be far too narrow (ETS on ten points settles
on a deterministic damped trend: ±13 % at every horizon while it misses by 29 %). Instead, every
shipped pair's series is forecast from every origin with enough history (rolling origin), and each
miss is kept as ``log(observed / forecast median)``. Scaled by √horizon (the spread of a random
walk's error), the misses of all pairs are one calibration set; the band of a new forecast is
``median × exp(±q·√h)`` with ``q`` the split-conformal quantile of the scaled misses (Vovk et al.;
Lei et al. 2018, "Distribution-free predictive inference for regression", JASA 113:1094).

The coverage the README and the CLI quote is measured, not assumed: each pair's last years are
held out, the band is calibrated only on misses of years up to the last training year (what a
ministry could have known then), and the held-out years inside the band are counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from corridor.errors import OptionError
from corridor.forecasting.models import MIN_YEARS, Forecast, forecast

if TYPE_CHECKING:
    from corridor.forecasting.data import TradeData

__all__ = [
    "CALIBRATED",
    "Calibration",
    "Miss",
    "calibrate",
    "calibration",
    "conformal_q",
    "pair_coverage",
    "pooled_misses",
    "rolling_misses",
]

CALIBRATED = ("ets", "arima")
"""Methods whose interval is replaced by the calibrated one (gravity has its own bootstrap)."""


@dataclass(frozen=True)
class Miss:
    """One rolling-origin forecast error."""

    pair: str
    origin: int
    """Last year the model saw."""
    year: int
    log_error: float
    """``log(observed / forecast median)``."""

    @property
    def score(self) -> float:
        """The miss scaled to one year ahead: ``|log error| / √horizon``."""
        return abs(self.log_error) / math.sqrt(self.year - self.origin)


@dataclass(frozen=True)
class Calibration:
    """The scaled-miss quantile a band is built from, and the coverage measured on the backtest."""

    method: str
    level: float
    q: float
    """Quantile of the scaled misses: the band's half-width in log terms one year ahead."""
    misses: int
    pairs: int
    covered: int = 0
    """Held-out years inside the calibrated band in the backtest."""
    model_covered: int = 0
    """Held-out years inside the model's own band in the backtest."""
    held: int = 0
    """Held-out years scored in the backtest."""

    def coverage_note(self) -> str:
        """One line for the user: what the band rests on and how often it held."""
        base = (
            f"{self.level:.0%} band calibrated on {self.misses} backtest misses of {self.pairs} pairs "
            f"(±{math.expm1(self.q):.0%} one year ahead, growing with √years)"
        )
        if not self.held:
            return base + "; no pair had enough years for a coverage check"
        return (
            f"{base}; backtest coverage {self.covered} of {self.held} held-out years "
            f"({self.covered / self.held:.0%}; the model's own band: {self.model_covered} of {self.held})"
        )


def rolling_misses(history: dict[int, float], pair: str, method: str) -> list[Miss]:
    """Errors of ``method`` forecasting every later year of ``history`` from every usable origin."""
    years = sorted(history)
    misses = []
    for end in range(MIN_YEARS[method], len(years)):
        train = {y: history[y] for y in years[:end]}
        try:
            path = forecast(train, years[-1], method)
        except OptionError:
            continue  # a gap leaves too short a run before this origin
        for year, median in zip(path.years, path.median, strict=True):
            if year in history:
                misses.append(Miss(pair, years[end - 1], year, math.log(history[year] / median)))
    return misses


@lru_cache(maxsize=8)
def pooled_misses(trade: TradeData, method: str) -> tuple[Miss, ...]:
    """:func:`rolling_misses` of every shipped pair's total (its default reporter's series)."""
    return tuple(m for pair in trade.pairs() for m in rolling_misses(trade.series(pair), pair, method))


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


def calibrate(path: Forecast, q: float) -> Forecast:
    """``path`` with its band replaced by ``median × exp(±q·√h)``, h the years ahead."""
    start = path.years[0] - 1
    width = [q * math.sqrt(y - start) for y in path.years]
    low = tuple(m * math.exp(-w) for m, w in zip(path.median, width, strict=True))
    high = tuple(m * math.exp(w) for m, w in zip(path.median, width, strict=True))
    return replace(path, low=low, high=high)


def calibration(trade: TradeData, method: str, level: float = 0.8, holdout: int = 3) -> Calibration:
    """The calibration of ``method`` on all shipped pairs, with its backtest coverage."""
    pool = pooled_misses(trade, method)
    q = conformal_q([m.score for m in pool], level)
    covered = model_covered = held = 0
    for pair in trade.pairs():
        result = _held_out(trade.series(pair), pool, method, level, holdout)
        if result is not None:
            covered, model_covered, held = covered + result[0], model_covered + result[1], held + result[2]
    pairs = len({m.pair for m in pool})
    return Calibration(method, level, q, len(pool), pairs, covered, model_covered, held)


def pair_coverage(
    trade: TradeData, pair: str, method: str, level: float = 0.8, holdout: int = 3
) -> tuple[int, int] | None:
    """Held-out years of one pair inside the calibrated band, and how many were held out (None when
    the pair has too few years for the backtest)."""
    result = _held_out(trade.series(pair), pooled_misses(trade, method), method, level, holdout)
    return None if result is None else (result[0], result[2])


def _held_out(
    history: dict[int, float], pool: tuple[Miss, ...], method: str, level: float, holdout: int
) -> tuple[int, int, int] | None:
    """Held-out years inside the calibrated and the model band, and how many were scored."""
    years = sorted(history)
    if len(years) < MIN_YEARS[method] + holdout:
        return None
    train_end = years[-holdout - 1]
    known = [m.score for m in pool if m.year <= train_end]
    try:
        model = forecast({y: history[y] for y in years[:-holdout]}, years[-1], method, level)
        band = calibrate(model, conformal_q(known, level))
    except OptionError:
        return None
    inside = model_inside = 0
    for i, year in enumerate(model.years):
        if year in years[-holdout:]:
            value = history[year]
            inside += band.low[i] <= value <= band.high[i]
            model_inside += model.low[i] <= value <= model.high[i]
    return inside, model_inside, holdout
