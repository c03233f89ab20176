"""Mirror statistics kept apart, gaps bridged at the level ratio, and bands calibrated on the backtest."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from corridor.errors import OptionError
from corridor.forecasting.api import pair_forecast
from corridor.forecasting.calibration import (
    MIN_SPREAD,
    Miss,
    calibrate,
    calibration,
    conformal_q,
    rolling_coverage,
    spread,
)
from corridor.forecasting.data import TradeData, TradeFigure, load_trade
from corridor.forecasting.models import forecast
from helpers import run_cli as run


def _figure(year: int, value: float, country: str) -> TradeFigure:
    return TradeFigure(
        pair="AA-BB",
        year=year,
        flow="total",
        value_usd_m=value,
        reporter=f"{country} statistics",
        reporter_country=country,
        grade="C",
        source="test",
    )


def _mirrored() -> TradeData:
    """AA reports 2010–2016 at 100 a year; BB reports 1.5× as much, 2014–2020."""
    figures = [_figure(y, 100.0, "AA") for y in range(2010, 2017)]
    figures += [_figure(y, 150.0, "BB") for y in range(2014, 2021)]
    return TradeData(figures=tuple(figures), targets=(), conversions=())


def test_default_reporter_reaches_the_latest_year_and_bridges_without_a_jump() -> None:
    series = _mirrored().reconciled("AA-BB")
    assert series.reporter == "BB"
    assert sorted(series.values) == list(range(2010, 2021))
    # AA's early years are raised to BB's level (ratio 1.5 over 2014-2016): no step at the change
    assert all(v == pytest.approx(150.0) for v in series.values.values())
    assert series.bridged() == {y: "AA ×1.50" for y in range(2010, 2014)}


def test_a_chosen_reporter_keeps_its_own_figures() -> None:
    series = _mirrored().reconciled("AA-BB", reporter="aa")
    assert series.reporter == "AA"
    assert {y: series.values[y] for y in range(2010, 2017)} == {y: 100.0 for y in range(2010, 2017)}
    assert series.values[2020] == pytest.approx(100.0)  # BB's 150 at AA's level


def test_an_unknown_reporter_is_refused_with_those_that_exist() -> None:
    with pytest.raises(OptionError, match="reporters with figures: AA, BB"):
        _mirrored().reconciled("AA-BB", reporter="CC")


def test_no_bridge_without_overlap() -> None:
    figures = (_figure(2010, 100.0, "AA"), _figure(2011, 100.0, "AA"), _figure(2012, 300.0, "BB"))
    series = TradeData(figures=figures, targets=(), conversions=()).reconciled("AA-BB")
    assert series.reporter == "BB" and series.values == {2012: 300.0}


def test_kz_cn_history_is_one_reporters_and_says_so() -> None:
    """The 2022 → 2023 step was KZ+CN's median then China's alone; in China's statistics it is +31 %."""
    series = load_trade().reconciled("KZ-CN")
    assert series.reporter == "CN"
    assert series.origin[2022] == series.origin[2023] == "CN"
    steps = [series.values[y] / series.values[y - 1] for y in range(2018, 2025)]
    assert max(steps) < 1.35


def test_kz_cn_conversion_leaves_pipeline_energy_and_ores_out_of_containers() -> None:
    result = pair_forecast("KZ", "CN", 2030)
    groups = {s.group.group: s for s in result.conversion.splits}
    assert groups["pipeline_energy"].group.container_share == 0
    assert result.conversion.conversion.container_share < 0.5
    # everything containerised at the default density (the old conversion) gives a third more TEU or more
    everything = result.table.iloc[-1]["value_usd_m"] * 1e6 / 5400 / 10
    assert result.table.iloc[-1]["teu"] < everything * 0.75


def test_conformal_quantile_rank_and_refusal() -> None:
    assert conformal_q([0.1, 0.2, 0.3, 0.4], 0.8) == 0.4  # ceil(5 × 0.8) = 4th smallest
    assert conformal_q([float(i) for i in range(1, 10)], 0.8) == 8.0  # ceil(10 × 0.8) = 8th
    with pytest.raises(OptionError, match="needs at least"):
        conformal_q([0.1, 0.2], 0.8)


def test_calibrated_band_grows_as_a_random_walk_with_estimated_drift() -> None:
    history = {2010 + i: 100.0 * 1.05**i * (1.1 if i % 2 else 1.0) for i in range(10)}
    sigma, run = spread(history)
    assert run == 10 and sigma == pytest.approx(float(np.std(np.diff(np.log(list(history.values()))), ddof=1)))
    band = calibrate(forecast(history, 2023, "ets"), 0.5, history)
    for h, (low, mid, high) in enumerate(zip(band.low, band.median, band.high, strict=True), start=1):
        assert math.log(high / mid) == pytest.approx(0.5 * sigma * math.sqrt(h * (1 + h / 10)))
        assert math.log(mid / low) == pytest.approx(math.log(high / mid))


def test_a_flat_series_still_gets_a_band() -> None:
    history = {2010 + i: 100.0 * 1.05**i for i in range(8)}  # equal growth: no spread at all
    assert spread(history) == (MIN_SPREAD, 8)
    band = calibrate(forecast(history, 2020, "ets"), 1.0, history)
    assert all(high > mid * 1.005 for mid, high in zip(band.median, band.high, strict=True))


def test_miss_score_is_in_units_of_the_expected_spread() -> None:
    assert Miss("AA-BB", 2010, 2014, -0.4, 0.1, 4, False).score == pytest.approx(0.4 / (0.1 * math.sqrt(4 * 2)))


def test_rolling_coverage_judges_each_forecast_only_by_misses_known_at_its_origin() -> None:
    def miss(origin: int, year: int, error: float) -> Miss:
        return Miss("AA-BB", origin, year, error, 1.0, 1_000_000, False)

    early = tuple(miss(2000 + i, 2001 + i, 0.1) for i in range(4))  # four small misses up to 2004
    late = miss(2004, 2005, 0.5)  # a big one: its band knows only the four small ones
    huge = miss(2005, 2006, 9.0)  # in the pool, but from a later year than ``late``'s origin
    judged = dict(rolling_coverage((*early, late, huge), 0.8))
    assert judged[late] is False  # with hindsight (``huge`` in the set) it would count as held
    assert early[0] not in judged  # no misses were known at 2000: not scored
    assert judged[huge] is False


def test_calibration_on_shipped_data_reports_measured_coverage() -> None:
    cal = calibration(load_trade(), "ets")
    assert cal.held >= 30 and 0 <= cal.covered <= cal.held and 0 <= cal.model_covered <= cal.held
    # the issue: ETS's own band on short series is degenerate; the calibrated one holds more often
    assert cal.covered > cal.model_covered
    assert f"{cal.covered} of {cal.held}" in cal.coverage_note()


@pytest.mark.parametrize("method", ["ets", "arima"])
def test_calibrated_band_coverage_is_near_nominal_in_the_backtest(method: str) -> None:
    """Measured on every backtest forecast without hindsight: the 80 % band holds 69–72 % of them
    (2026-11-30). The bound is the binomial 99 % range of a true 80 % band on 36 forecasts (about
    ±17 points); the pooled √h scaling before gave ARIMA 58 % (and 3 of 9 on the last years)."""
    cal = calibration(load_trade(), method)
    assert 0.63 <= cal.covered / cal.held <= 0.97, cal.coverage_note()


def test_kz_uz_ets_band_is_no_longer_thirteen_percent_at_every_horizon() -> None:
    path = pair_forecast("KZ", "UZ", 2030).path
    first, last = (path.high[i] / path.median[i] - 1 for i in (0, -1))
    assert first > 0.15 and last > first * 1.5


def test_cli_forecast_kz_cn_explains_series_conversion_and_coverage() -> None:
    result = run("forecast", "KZ", "CN", "--to", "2030")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "History in CN's statistics" in text and "choose with --reporter" in text
    assert "pipeline_energy" in text or "by commodity group" in text
    assert "backtest coverage" in text


def test_cli_forecast_reporter_option_and_json() -> None:
    result = run("forecast", "KZ", "CN", "--reporter", "KZ", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[-1]["year"] == 2030
    bad = run("forecast", "KZ", "CN", "--reporter", "RU")
    assert bad.returncode == 2 and "reporters with figures: CN, KZ" in bad.stderr
