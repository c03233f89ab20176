"""Backtest scores of every scoring method on every shipped pair: the table behind ``corridor backtest``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridor.errors import OptionError

if TYPE_CHECKING:
    from corridor.forecasting.data import TradeData
    from corridor.forecasting.gravity import GravityData

__all__ = ["SCORED", "Score", "all_scores", "pair_scores"]

SCORED = ("ets", "arima", "gravity")
"""Methods that forecast a path of their own (``target`` only restates a goal, so it is not scored)."""


@dataclass(frozen=True)
class Score:
    """One method's backtest on one pair: the MAPE in percent, or why there is none."""

    pair: str
    method: str
    mape: float | None
    reason: str = ""


def pair_scores(trade: TradeData, pair: str, gravity: GravityData, holdout: int = 3) -> tuple[Score, ...]:
    """The MAPE of each method in :data:`SCORED` forecasting the pair's last ``holdout`` years.

    A method the data cannot support (too few consecutive years, no GDP for a country) gets no
    score and the reason, so one short series does not hide the others.
    """
    from corridor.forecasting.gravity import gravity_backtest
    from corridor.forecasting.models import backtest

    history = trade.series(pair)
    scores = []
    for method in SCORED:
        try:
            if method == "gravity":
                mape = gravity_backtest(trade, pair, holdout, gravity)
            else:
                mape = backtest(history, method, holdout)
            scores.append(Score(pair, method, mape))
        except OptionError as exc:
            scores.append(Score(pair, method, None, str(exc)))
    return tuple(scores)


def all_scores(trade: TradeData, gravity: GravityData, holdout: int = 3) -> list[Score]:
    """:func:`pair_scores` of every pair with trade figures, pairs in alphabetical order."""
    return [score for pair in trade.pairs() for score in pair_scores(trade, pair, gravity, holdout)]
