"""Shipped trade data and the forecast command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corridor import settings
from corridor.errors import DataFileError, OptionError
from corridor.forecasting.data import load_trade, normalise_pair, suggest_countries
from helpers import invoke as run


def test_shipped_trade_data_loads_with_sources() -> None:
    trade = load_trade()
    assert "KZ-UZ" in trade.pairs() and "KZ-RS" in trade.pairs()
    assert all(f.source.startswith("http") for f in trade.figures)
    target = trade.target("KZ-UZ")
    assert target is not None and (target.year, target.value_usd_m) == (2030, 10_000)
    series = trade.series("KZ-UZ")
    assert len(series) >= 6 and all(v > 0 for v in series.values())


def test_pairs_are_found_either_way_round_and_codes_are_checked() -> None:
    trade = load_trade()
    assert normalise_pair("uz", "kz", trade) == ("KZ-UZ", True)
    with pytest.raises(OptionError, match="did you mean"):
        normalise_pair("Kazakhstan", "UZ", trade)
    with pytest.raises(OptionError, match="no trade data"):
        normalise_pair("KZ", "FR", trade)


def test_the_eu_is_accepted_as_a_bloc_beside_iso_countries() -> None:
    trade = load_trade()
    assert normalise_pair("eu", "cn", trade) == ("CN-EU", True)
    with pytest.raises(OptionError, match="no trade data for KZ–EU"):
        normalise_pair("KZ", "EU", trade)
    with pytest.raises(OptionError, match="not an ISO 3166"):
        normalise_pair("CN", "EX", trade)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("KAZ", ["KZ"]), ("UZB", ["UZ"]), ("ZK", ["KZ"]), ("Kazakstan", ["KZ"]), ("uzbek", ["UZ"]), ("Turkiye", ["TR"])],
)
def test_country_suggestions_start_with_the_likely_country(typed: str, expected: list[str]) -> None:
    assert [c.alpha_2 for c in suggest_countries(typed)][: len(expected)] == expected


def test_an_unknown_code_suggests_codes_one_letter_away_not_fuzzy_names() -> None:
    suggested = [c.alpha_2 for c in suggest_countries("XX")]
    assert suggested and "MT" not in suggested
    assert all(sum(a != b for a, b in zip("XX", code, strict=True)) == 1 for code in suggested)
    with pytest.raises(OptionError, match=r"did you mean .*MX \(Mexico\)") as caught:
        normalise_pair("KZ", "XX", load_trade())
    assert "Malta" not in str(caught.value)


def test_broken_trade_file_names_line_and_field(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir(), copy)
    lines = (copy / "trade.csv").read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if ",total," in line)
    lines[index] = lines[index].replace(",total,", ",both,", 1)
    (copy / "trade.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_trade(copy)
    assert any(p.file == "trade.csv" and p.line == index + 1 and p.field == "flow" for p in caught.value.problems)


def test_forecast_command_prints_the_gap_to_the_target(tmp_path: Path) -> None:
    chart = tmp_path / "fan.png"
    result = run("forecast", "KZ", "UZ", "--to", "2030", "--plot", str(chart))
    assert result.returncode == 0, result.stderr
    assert "10,000 M USD by 2030" in result.stdout
    assert "of the target" in result.stdout and "Backtest MAPE" in result.stdout
    assert chart.stat().st_size > 10_000


def test_forecast_json_has_freight_columns() -> None:
    result = run("forecast", "KZ", "UZ", "--to", "2028", "--method", "arima", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    ahead = [r for r in rows if r["kind"] == "arima"]
    assert [r["year"] for r in ahead] == [2026, 2027, 2028]
    for r in ahead:
        assert r["value_usd_m_low"] <= r["value_usd_m"] <= r["value_usd_m_high"]
        assert r["teu"] > 0 and r["trains_per_week"] > 0


@pytest.mark.parametrize(
    "args",
    [
        ("forecast", "KZ", "XX"),
        ("forecast", "KZ", "UZ", "--to", "2020"),
        ("forecast", "KZ", "UZ", "--to", "2090"),
        ("forecast", "KZ", "GE"),
        ("forecast", "KZ", "UZ", "--method", "magic"),
    ],
)
def test_bad_forecast_input_is_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr


def test_forecast_writes_a_scenario_the_simulator_runs(tmp_path: Path) -> None:
    scenario = tmp_path / "kzuz.yaml"
    result = run("forecast", "KZ", "UZ", "--to", "2030", "--method", "target", "--scenario-out", str(scenario))
    assert result.returncode == 0, result.stderr
    from corridor.simulation.schema import load_scenario

    loaded = load_scenario(scenario)
    assert loaded.year == 2030 and len(loaded.demand) == 2
    assert {f.origin for f in loaded.demand} == {"almaty", "tashkent"}
    simulated = run("simulate", str(scenario), "--years", "0.1")
    assert simulated.returncode == 0, simulated.stderr
    assert "No capacity figure" in simulated.stdout  # the KZ–UZ border has no published capacity
