"""Backtest scores for every pair, and the ``corridor backtest`` command that prints them."""

from __future__ import annotations

import math

import pytest

from corridor.forecasting.data import load_trade
from corridor.forecasting.gravity import gravity_backtest, load_gravity
from corridor.forecasting.models import backtest
from corridor.forecasting.scores import SCORED, all_scores
from helpers import invoke as run


def test_every_pair_gets_a_score_or_a_reason_for_each_method() -> None:
    trade = load_trade()
    gravity = load_gravity(trade)
    scores = all_scores(trade, gravity)
    assert [(s.pair, s.method) for s in scores] == [(p, m) for p in trade.pairs() for m in SCORED]
    assert all((s.mape is None) == bool(s.reason) for s in scores)
    by_key = {(s.pair, s.method): s for s in scores}
    assert by_key[("KZ-UZ", "ets")].mape == pytest.approx(backtest(trade.series("KZ-UZ"), "ets"))
    assert by_key[("CN-EU", "gravity")].mape == pytest.approx(gravity_backtest(trade, "CN-EU", data=gravity))
    assert by_key[("KZ-GE", "ets")].reason == "no annual totals to forecast from"  # 2017 and 2018 only, both held out


def test_a_gap_just_before_the_held_out_years_is_scored_on_those_years_only() -> None:
    history = {year: 100.0 * 1.05 ** (year - 2010) for year in (*range(2010, 2017), 2018, 2019, 2020)}
    mape = backtest(history, "arima")  # the path runs 2017–2020; 2017 has no truth to score against
    assert math.isfinite(mape) and 0 <= mape < 5


def test_backtest_command_prints_a_markdown_row_per_pair() -> None:
    result = run("backtest", "--markdown")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| pair |") and "gravity MAPE" in lines[0]
    rows = {line.split("|")[1].strip() for line in lines[2:]}
    assert rows == set(load_trade().pairs())
    assert "needs at least 6 consecutive years" in result.stderr


def test_backtest_command_rejects_a_bad_holdout() -> None:
    result = run("backtest", "--holdout", "0")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
