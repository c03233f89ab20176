"""Gravity model: PPML recovers known elasticities, intervals cover, clear errors on thin data."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from corridor import settings
from corridor.errors import OptionError
from corridor.forecasting.data import TradeData, TradeFigure, load_trade
from corridor.forecasting.gravity import (
    GravityData,
    Panel,
    build_panel,
    fit_ppml,
    gdp_at,
    gravity_backtest,
    gravity_forecast,
    load_gravity,
)
from helpers import invoke as run

TRUE_BETA = np.array([2.0, 0.9, 0.7, -1.1, 0.5])


def synthetic_panel(seed: int, rows: int = 2000, noise: float = 0.3) -> Panel:
    """Gravity data with mean-one lognormal errors, so E[trade | x] = exp(x β) as PPML assumes."""
    rng = np.random.default_rng(seed)
    x = np.column_stack(
        [
            np.ones(rows),
            rng.uniform(3, 10, rows),  # ln GDP (bn USD) of the first country
            rng.uniform(3, 10, rows),
            rng.uniform(6, 9, rows),  # ln distance (km)
            rng.integers(0, 2, rows).astype(float),
        ]
    )
    y = np.exp(x @ TRUE_BETA + rng.normal(-(noise**2) / 2, noise, rows))
    pairs = tuple(f"P{i % 200}" for i in range(rows))
    return Panel(x, y, pairs, tuple(2000 + i // 200 for i in range(rows)))


def test_ppml_recovers_known_coefficients() -> None:
    fit = fit_ppml(synthetic_panel(seed=1))
    se = np.sqrt(np.diag(fit.cov))
    assert np.all(np.abs(fit.params[1:] - TRUE_BETA[1:]) < 0.1), fit.params
    assert np.all(np.abs(fit.params - TRUE_BETA) < 4 * se), (fit.params, se)


def synthetic_world(seed: int, years: range = range(2008, 2025)) -> tuple[TradeData, GravityData]:
    """Six countries with GDP random walks, ten pairs with their own level, trade drawn by gravity."""
    rng = np.random.default_rng(seed)
    countries = ["AA", "BB", "CC", "DD", "EE", "FF"]
    gdp = {
        c: dict(zip(years, np.exp(rng.uniform(3, 8) + np.cumsum(rng.normal(0.05, 0.08, len(years)))), strict=True))
        for c in countries
    }
    pairs = [f"{a}-{b}" for i, a in enumerate(countries) for b in countries[i + 1 :]][:10]
    distances = {p: float(rng.uniform(500, 8000)) for p in pairs}
    borders = frozenset(frozenset(p.split("-")) for p in pairs[:3])
    figures = []
    for pair in pairs:
        a, b = pair.split("-")
        level = rng.normal(0, 0.3)  # what the gravity terms leave out: a pair effect
        for year in years:
            x = [1, math.log(gdp[a][year]), math.log(gdp[b][year]), math.log(distances[pair]), pair in pairs[:3]]
            value = math.exp(float(np.dot(TRUE_BETA, x)) - 4 + level + rng.normal(0, 0.1))
            fields = {"flow": "total", "reporter": "synthetic", "grade": "C", "source": "synthetic"}
            figures.append(TradeFigure.model_validate({"pair": pair, "year": year, "value_usd_m": value, **fields}))
    return TradeData(tuple(figures), (), ()), GravityData(gdp, borders, distances)


def test_gravity_intervals_cover_the_truth_near_their_nominal_rate() -> None:
    hits = trials = 0
    for seed in range(40):
        trade, data = synthetic_world(seed)
        for pair in ("AA-BB", "CC-DD"):
            truth = trade.series(pair)[2024]
            path = gravity_forecast(trade, pair, 2024, level=0.8, data=data, until=2023)
            trials += 1
            hits += path.low[0] <= truth <= path.high[0]
    assert 0.65 <= hits / trials <= 0.97, f"80 % gravity intervals covered {hits}/{trials}"


def test_gdp_is_interpolated_and_extrapolated_on_a_log_scale() -> None:
    series = {2020: 100.0, 2022: 121.0}
    assert gdp_at(series, 2021) == pytest.approx(110.0)
    assert gdp_at(series, 2024) is None
    assert gdp_at(series, 2024, extrapolate=True) == pytest.approx(146.41)
    bumpy = {2018: 100.0, 2019: 90.0, 2020: 120.0}  # the trend continues from the last figure
    assert gdp_at(bumpy, 2021, extrapolate=True) == pytest.approx(120.0 * math.sqrt(1.2))


def test_gravity_forecast_for_kz_uz_from_shipped_data() -> None:
    trade = load_trade()
    path = gravity_forecast(trade, "KZ-UZ", 2030)
    assert path.years == (2026, 2027, 2028, 2029, 2030)
    assert all(lo < m < hi for lo, m, hi in zip(path.low, path.median, path.high, strict=True))
    assert "UZ GDP sourced to" in path.note and "then trend" in path.note
    assert "CN-EU" in build_panel(trade, load_gravity(trade)).pairs  # EU GDP is shipped as a bloc
    assert 0 <= gravity_backtest(trade, "KZ-UZ") < 500


def data_copy(tmp_path: Path, keep: Callable[[str, str], bool]) -> Path:
    """The shipped data with only the lines of each CSV file that ``keep(file, line)`` accepts."""
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir(), copy)
    for name in ("gdp.csv", "trade.csv"):
        header, *lines = (copy / name).read_text(encoding="utf-8").splitlines()
        (copy / name).write_text("\n".join([header, *(x for x in lines if keep(name, x))]) + "\n", encoding="utf-8")
    return copy


def test_gravity_names_the_country_without_gdp(tmp_path: Path) -> None:
    trade = load_trade()
    no_eu = data_copy(tmp_path / "no_eu", lambda name, line: not line.startswith("EU,"))
    with pytest.raises(OptionError, match="no GDP figures for EU"):
        gravity_forecast(trade, "CN-EU", 2030, data=load_gravity(trade, no_eu))
    one_figure = data_copy(tmp_path, lambda name, line: not line.startswith("AZ,") or line.startswith("AZ,2023"))
    with pytest.raises(OptionError, match="one GDP figure for AZ"):
        gravity_forecast(trade, "KZ-AZ", 2030, data=load_gravity(trade, one_figure))


def test_gravity_cli_runs_and_bad_input_is_exit_2(tmp_path: Path) -> None:
    ok = run("forecast", "KZ", "UZ", "--to", "2030", "--method", "gravity")
    assert ok.returncode == 0, ok.stderr
    assert "PPML on" in ok.stdout and "gravity" in ok.stdout.split("Backtest MAPE")[1]
    no_serbia = data_copy(tmp_path / "a", lambda name, line: not line.startswith("RS,"))
    no_gdp = run("forecast", "KZ", "RS", "--method", "gravity", "--data", str(no_serbia))
    assert no_gdp.returncode == 2 and "no GDP figures for RS" in no_gdp.stderr, no_gdp.stderr
    only_kz_uz = data_copy(tmp_path / "b", lambda name, line: name != "trade.csv" or line.startswith("KZ-UZ,202"))
    thin = run("forecast", "KZ", "UZ", "--method", "gravity", "--data", str(only_kz_uz))
    assert thin.returncode == 2 and "needs at least" in thin.stderr, thin.stderr
    assert "Traceback" not in thin.stdout + thin.stderr
