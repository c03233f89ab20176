"""One call from two country codes to a freight forecast, shared by the CLI and the REST API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.forecasting.data import TradeData, TradeTarget, load_trade, normalise_pair
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

    def groups(self) -> pd.DataFrame | None:
        """Tonnes and TEU of each commodity group in the final year (median), if converted by group."""
        if not self.conversion.grouped:
            return None
        last = self.table.iloc[-1]
        return group_table(float(last["value_usd_m"]), self.conversion.splits, self.conversion.conversion)


def pair_forecast(
    a: str, b: str, to_year: int, method: str = "ets", level: float = 0.8, data_dir: str | Path | None = None
) -> PairForecast:
    """Forecast trade between countries ``a`` and ``b`` and convert it to freight.

    Raises
    ------
    OptionError
        Bad country codes, a pair without data, or a horizon or method the data cannot support.
    """
    trade = load_trade(data_dir)
    pair, _ = normalise_pair(a, b, trade)
    history = trade.series(pair)
    goal = trade.target(pair)
    target = (goal.year, goal.value_usd_m) if goal else None
    if method == "gravity":
        from corridor.forecasting.gravity import gravity_forecast, load_gravity

        path = gravity_forecast(trade, pair, to_year, level, load_gravity(trade, data_dir))
    else:
        path = forecast(history, to_year, method, level, target)
    conversion = pair_conversion(trade, pair)
    table = freight_table(history, path, conversion.conversion)
    table["conversion"] = "grouped" if conversion.grouped else "single factor"
    return PairForecast(trade, pair, history, goal, path, table, conversion)
