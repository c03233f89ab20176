"""Forecasts of annual trade value: trend models with intervals, and the path a target needs.

* ``ets`` — exponential smoothing (statsmodels ``ETSModel``) on log values with an additive,
  damped trend: growth fades rather than compounding for ever; prediction intervals from the
  model, back-transformed (so they are skewed upwards, as trade shocks are).
* ``arima`` — ARIMA(1,1,0) with drift on log values, a second opinion on the trend.
* ``target`` — the constant growth rate that takes the last observed year to an announced target,
  and the path it implies; set beside a trend model it shows how far the trend falls short.

All take a ``{year: value}`` history and return a :class:`Forecast`; :func:`backtest` scores a
method by holding out the last years (MAPE).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import numpy as np

from corridor.errors import OptionError

__all__ = [
    "MAX_HORIZON",
    "METHODS",
    "MIN_YEARS",
    "Forecast",
    "backtest",
    "check_horizon",
    "forecast",
    "latest_run",
    "required_growth",
]

MIN_YEARS = {"ets": 6, "arima": 6, "target": 1}
"""Years of history each method needs."""
MAX_HORIZON = 25
"""Furthest forecast, years after the last observation."""


@dataclass(frozen=True)
class Forecast:
    """A yearly path: median and a prediction interval (equal to the median for ``target``)."""

    method: str
    years: tuple[int, ...]
    median: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    level: float
    """Coverage of the interval, e.g. 0.8 for P10–P90."""
    growth: float
    """Average yearly growth of the median path from the last observed year."""
    note: str = ""
    """What the method assumed, for the user (e.g. where the gravity model's GDP comes from)."""


def forecast(
    history: dict[int, float],
    to_year: int,
    method: str = "ets",
    level: float = 0.8,
    target: tuple[int, float] | None = None,
) -> Forecast:
    """Forecast ``history`` (``{year: value}``) to ``to_year`` with ``method``.

    Raises
    ------
    OptionError
        Unknown method, too little history, or a horizon before the data or too far ahead.
    """
    if method not in METHODS:
        raise OptionError(f"unknown method '{method}'; use one of {', '.join(METHODS)}")
    years = sorted(history)
    if not years:
        raise OptionError("no annual totals to forecast from")
    last = years[-1]
    check_horizon(last, to_year)
    years = latest_run(years)
    if len(years) < MIN_YEARS[method]:
        run = f"{years[0]}–{last}" if len(years) > 1 else str(last)
        raise OptionError(
            f"method {method} needs at least {MIN_YEARS[method]} consecutive years of history; the data has {run}"
        )
    values = np.array([history[y] for y in years], dtype=float)
    if method == "target":
        if target is None:
            raise OptionError("the target method needs a target (none is recorded for this pair)")
        return _target_path(years, values, to_year, target)
    return METHODS[method](years, values, to_year, level)


def check_horizon(last: int, to_year: int) -> None:
    """Reject a horizon not after the last observed year, or more than :data:`MAX_HORIZON` beyond it."""
    if to_year <= last:
        raise OptionError(f"to_year {to_year} is not after the last observed year {last}")
    if to_year - last > MAX_HORIZON:
        raise OptionError(f"to_year {to_year} is more than {MAX_HORIZON} years beyond the data ({last})")


def latest_run(years: list[int]) -> list[int]:
    """The latest unbroken run of ``years`` (sorted): the years a trend model is fitted on."""
    start = years[-1]
    while start - 1 in years:
        start -= 1
    return list(range(start, years[-1] + 1))


def _one_blas_thread() -> AbstractContextManager[object]:
    """Run a fit's BLAS calls on one thread: its matrices are a few rows, and OpenBLAS's threads
    cost more than they save (an ETS fit: 0.80 s against 0.18 s measured on the busy 2-core machine)."""
    from threadpoolctl import threadpool_limits

    limited: AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limited


def _ets(years: list[int], values: np.ndarray, to_year: int, level: float) -> Forecast:
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    series = pd.Series(np.log(values), index=pd.RangeIndex(len(values)))
    with warnings.catch_warnings(), _one_blas_thread():
        warnings.simplefilter("ignore")  # convergence chatter on short series
        fit = ETSModel(series, error="add", trend="add", damped_trend=True).fit(disp=False)
        frame = fit.get_prediction(start=len(values), end=len(values) + to_year - years[-1] - 1).summary_frame(
            alpha=1 - level
        )
    return _path(
        "ets",
        years,
        values,
        frame["mean"].to_numpy(),
        frame["pi_lower"].to_numpy(),
        frame["pi_upper"].to_numpy(),
        level,
    )


def _arima(years: list[int], values: np.ndarray, to_year: int, level: float) -> Forecast:
    from statsmodels.tsa.arima.model import ARIMA

    with warnings.catch_warnings(), _one_blas_thread():
        warnings.simplefilter("ignore")
        fit = ARIMA(np.log(values), order=(1, 1, 0), trend="t").fit()
        pred = fit.get_forecast(steps=to_year - years[-1])
        mean = np.asarray(pred.predicted_mean)
        bounds = np.asarray(pred.conf_int(alpha=1 - level))
    return _path("arima", years, values, mean, bounds[:, 0], bounds[:, 1], level)


def _path(
    method: str, years: list[int], values: np.ndarray, mean: np.ndarray, low: np.ndarray, high: np.ndarray, level: float
) -> Forecast:
    ahead = tuple(range(years[-1] + 1, years[-1] + 1 + len(mean)))
    median = np.exp(mean)
    growth = (median[-1] / values[-1]) ** (1 / len(ahead)) - 1
    return Forecast(method, ahead, tuple(median), tuple(np.exp(low)), tuple(np.exp(high)), level, float(growth))


def _target_path(years: list[int], values: np.ndarray, to_year: int, target: tuple[int, float]) -> Forecast:
    target_year, target_value = target
    if target_year <= years[-1]:
        raise OptionError(f"the target year {target_year} is not after the last observed year {years[-1]}")
    growth = (target_value / values[-1]) ** (1 / (target_year - years[-1])) - 1
    ahead = tuple(range(years[-1] + 1, to_year + 1))
    path = tuple(values[-1] * (1 + growth) ** (y - years[-1]) for y in ahead)
    return Forecast("target", ahead, path, path, path, 0.0, growth)


METHODS: dict[str, Callable[[list[int], np.ndarray, int, float], Forecast]] = {
    "ets": _ets,
    "arima": _arima,
    "target": lambda *args: Forecast("target", (), (), (), (), 0.0, 0.0),  # dispatched in forecast()
}


def backtest(history: dict[int, float], method: str, holdout: int = 3) -> float:
    """Mean absolute percentage error of ``method`` forecasting the last ``holdout`` years.

    The model is fitted on the years before them and forecasts all of them at once (1 to
    ``holdout`` years ahead), as a ministry would have done then.
    """
    years = sorted(history)
    train = {y: history[y] for y in years[:-holdout]}
    held = years[-holdout:]
    path = forecast(train, years[-1], method)
    # a gap just before the held-out years makes the path longer than they are: score their years only
    predicted = dict(zip(path.years, path.median, strict=True))
    return 100 * float(np.mean([abs(predicted[y] - history[y]) / history[y] for y in held]))


def required_growth(last_value: float, last_year: int, target: tuple[int, float]) -> float:
    """Yearly growth a target needs from the last observed value."""
    year, value = target
    return (value / last_value) ** (1 / (year - last_year)) - 1 if year > last_year else math.nan
