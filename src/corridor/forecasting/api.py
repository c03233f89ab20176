"""One call from two country codes to a freight forecast, shared by the CLI and the REST API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.forecasting.calibration import CALIBRATED, Calibration, calibrate, calibration
from corridor.forecasting.data import Series, TradeData, TradeTarget, load_trade, normalise_pair
from corridor.forecasting.freight import PairConversion, freight_table, group_table, pair_conversion
from corridor.forecasting.models import Forecast, forecast

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PairForecast", "pair_forecast"]


@dataclass(frozen=True)
class PairForecast:
    """A pair's history, forecast path, target, the yearly freight table and how it converted."""

    trade: TradeData
    pair: str
    history: dict[int, float]
    goal: TradeTarget | None
    path: Forecast
    table: pd.DataFrame
    conversion: PairConversion
    series: Series
    """Whose statistics the history is in and which years were bridged from the mirror figures."""
    calibration: Calibration | None = None
    """How the ets/arima band was calibrated on the backtest, and how often it held there."""

    def series_note(self) -> str:
        """One line on the history: the reporter chosen, the others, and the years bridged."""
        others = [r for r in self.trade.reporters(self.pair) if r != self.series.reporter]
        note = f"History in {self.series.reporter}'s statistics"
        if others:
            note += f" (mirror statistics also published by {', '.join(others)}; choose with --reporter)"
        bridged = self.series.bridged(since=min(self.history))
        if bridged:
            note += "; bridged years: " + ", ".join(f"{y} {how}" for y, how in bridged.items())
        return note + "."

    def groups(self) -> pd.DataFrame | None:
        """Tonnes and TEU of each commodity group in the final year (median), if converted by group."""
        if not self.conversion.grouped:
            return None
        last = self.table.iloc[-1]
        return group_table(float(last["value_usd_m"]), self.conversion.splits, self.conversion.conversion)


def pair_forecast(
    a: str,
    b: str,
    to_year: int,
    method: str = "ets",
    level: float = 0.8,
    data_dir: str | Path | None = None,
    reporter: str | None = None,
) -> PairForecast:
    """Forecast trade between countries ``a`` and ``b`` and convert it to freight.

    The history is one reporter country's statistics (``reporter``, default: the one reaching the
    latest year), its gaps bridged from the partner's level-adjusted figures
    (:meth:`TradeData.reconciled`). An ``ets`` or ``arima`` band is calibrated on the backtest of
    every shipped pair (:mod:`corridor.forecasting.calibration`).

    Raises
    ------
    OptionError
        Bad country codes, a pair without data, or a horizon or method the data cannot support.
    """
    trade = load_trade(data_dir)
    pair, _ = normalise_pair(a, b, trade)
    series = trade.reconciled(pair, reporter=reporter)
    history = series.values
    goal = trade.target(pair)
    target = (goal.year, goal.value_usd_m) if goal else None
    if method == "gravity":
        from corridor.forecasting.gravity import gravity_forecast, load_gravity

        path = gravity_forecast(trade, pair, to_year, level, load_gravity(trade, data_dir), reporter=reporter)
    else:
        path = forecast(history, to_year, method, level, target)
    calibrated = calibration(trade, method, level) if method in CALIBRATED else None
    if calibrated is not None:
        path = calibrate(path, calibrated.q, history)
    conversion = pair_conversion(trade, pair)
    table = freight_table(history, path, conversion.conversion)
    table["conversion"] = "grouped" if conversion.grouped else "single factor"
    return PairForecast(trade, pair, history, goal, path, table, conversion, series, calibrated)
