"""Value → tonnes → TEU by commodity group, its data files and the single-factor fallback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corridor import settings
from corridor.errors import DataFileError
from corridor.forecasting.api import pair_forecast
from corridor.forecasting.data import (
    CommodityGroup,
    CompositionShare,
    TradeData,
    TradeFigure,
    load_trade,
)
from corridor.forecasting.freight import WEEKS, freight_table, group_table, pair_conversion
from corridor.forecasting.models import forecast
from helpers import invoke as run
from helpers import make_conversion


def _group(name: str, usd_per_tonne: float, container_share: float, tonnes_per_teu: float) -> CommodityGroup:
    return CommodityGroup(
        group=name,
        description="test group",
        usd_per_tonne=usd_per_tonne,
        usd_per_tonne_source="test",
        container_share=container_share,
        container_share_source="test",
        tonnes_per_teu=tonnes_per_teu,
        tonnes_per_teu_source="test",
    )


def _share(flow: str, group: str, share: float) -> CompositionShare:
    return CompositionShare(pair="AA-BB", flow=flow, year=2024, group=group, share=share, grade="C", source="test")


def _figure(flow: str, value: float) -> TradeFigure:
    return TradeFigure(pair="AA-BB", year=2024, flow=flow, value_usd_m=value, reporter="test", grade="C", source="test")


BASE = make_conversion(
    usd_per_tonne=1000,
    container_share=1.0,
    tonnes_per_teu=10,
    teu_per_train=100,
    overland_share=1.0,
)
GROUPS = (_group("bulk", 200, 0.1, 20), _group("boxes", 4000, 0.9, 8))


def _synthetic(*shares: CompositionShare) -> TradeData:
    figures = (_figure("total", 100), _figure("a_to_b", 75), _figure("b_to_a", 25))
    return TradeData(figures=figures, targets=(), conversions=(BASE,), groups=GROUPS, compositions=shares)


def test_grouped_conversion_equals_a_hand_computation() -> None:
    trade = _synthetic(_share("total", "bulk", 0.6), _share("total", "boxes", 0.4))
    conversion = pair_conversion(trade, "AA-BB")
    assert conversion.grouped and "AA-BB total 2024" in conversion.label
    table = freight_table(
        {2024: 100.0}, forecast({2024: 100.0}, 2025, "target", target=(2025, 200.0)), conversion.conversion
    )
    last = table.iloc[-1]
    value = 200e6
    tonnes = value * 0.6 / 200 + value * 0.4 / 4000
    teu = value * 0.6 / 200 * 0.1 / 20 + value * 0.4 / 4000 * 0.9 / 8
    assert last["tonnes"] == pytest.approx(tonnes)
    assert last["teu"] == pytest.approx(teu)
    assert last["trains_per_week"] == pytest.approx(teu / 100 / WEEKS)
    groups = group_table(200.0, conversion.splits, conversion.conversion)
    assert groups["tonnes"].sum() == pytest.approx(tonnes) and groups["teu"].sum() == pytest.approx(teu)
    assert groups.set_index("group").loc["boxes", "teu"] == pytest.approx(value * 0.4 / 4000 * 0.9 / 8)


def test_directions_are_weighted_by_the_trade_split() -> None:
    trade = _synthetic(_share("a_to_b", "bulk", 1.0), _share("b_to_a", "boxes", 1.0))
    conversion = pair_conversion(trade, "AA-BB")
    shares = {s.group.group: s.share for s in conversion.splits}
    assert shares == pytest.approx({"bulk": 0.75, "boxes": 0.25})
    assert "75% / 25%" in conversion.label


def test_a_single_direction_or_no_composition_falls_back_to_the_pair_row() -> None:
    for trade in (_synthetic(), _synthetic(_share("a_to_b", "bulk", 1.0))):
        conversion = pair_conversion(trade, "AA-BB")
        assert not conversion.grouped and conversion.conversion == BASE
        assert "single factor" in conversion.label


def _broken_copy(tmp_path: Path, row: str) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir(), copy)
    with (copy / "trade_composition.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    return copy


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_shares_not_summing_to_one_name_file_line_and_field(tmp_path: Path) -> None:
    copy = _broken_copy(tmp_path, "KZ-TR,total,2023,year,grain,0.7,C,test source")
    with pytest.raises(DataFileError) as caught:
        load_trade(copy)
    line = _line_count(copy / "trade_composition.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("trade_composition.csv", line, "share")
    assert "sum to 0.7000" in problem.message


def test_an_unknown_group_names_file_line_and_field(tmp_path: Path) -> None:
    copy = _broken_copy(tmp_path, "KZ-TR,total,2023,year,caviar,1.0,C,test source")
    with pytest.raises(DataFileError) as caught:
        load_trade(copy)
    line = _line_count(copy / "trade_composition.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("trade_composition.csv", line, "group")
    assert "caviar" in problem.message and "grain" in problem.message


def test_shipped_groups_and_compositions_carry_sources() -> None:
    trade = load_trade()
    assert trade.groups and trade.compositions
    for g in trade.groups:
        assert all(len(s) > 10 for s in (g.usd_per_tonne_source, g.container_share_source, g.tonnes_per_teu_source))
    assert all("http" in c.source or c.source.startswith("remainder") for c in trade.compositions)


def test_kz_uz_forecast_converts_by_group_and_others_fall_back() -> None:
    result = pair_forecast("KZ", "UZ", 2030)
    assert result.conversion.grouped and set(result.table["conversion"]) == {"grouped"}
    last = result.table.iloc[-1]
    value = last["value_usd_m"] * 1e6
    assert last["teu"] == pytest.approx(value * sum(s.teu_per_usd for s in result.conversion.splits))
    single = result.trade.conversion("KZ-UZ")
    assert last["teu"] != pytest.approx(value / single.usd_per_tonne * single.container_share / single.tonnes_per_teu)
    groups = result.groups()
    assert groups is not None and groups["teu"].sum() == pytest.approx(last["teu"])

    other = pair_forecast("UZ", "CN", 2030)
    assert not other.conversion.grouped and other.groups() is None
    c, row = other.trade.conversion("UZ-CN"), other.table.iloc[-1]
    assert row["teu"] == pytest.approx(
        row["value_usd_m"] * 1e6 / c.usd_per_tonne * c.container_share / c.tonnes_per_teu
    )


def test_without_the_commodity_files_kz_uz_uses_its_single_row(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir(), copy)
    (copy / "trade_composition.csv").unlink()
    result = pair_forecast("KZ", "UZ", 2030, data_dir=copy)
    assert not result.conversion.grouped and result.conversion.conversion.pair == "KZ-UZ"


def test_cli_says_which_conversion_and_splits_by_group(tmp_path: Path) -> None:
    scenario = tmp_path / "kzuz.yaml"
    result = run("forecast", "KZ", "UZ", "--to", "2030", "--by-group", "--scenario-out", str(scenario))
    assert result.returncode == 0, result.stderr
    assert "Conversion by commodity group" in result.stdout and "by commodity group" in result.stdout
    assert "other_bulk_mix" in result.stdout and "fruit_veg" in result.stdout
    assert "# Value to TEU converted by commodity group" in scenario.read_text(encoding="utf-8")
    fallback = run("forecast", "UZ", "CN", "--to", "2030", "--by-group")
    assert fallback.returncode == 0, fallback.stderr
    assert "single factor" in fallback.stdout and "No commodity composition for UZ-CN" in fallback.stdout
    rows = json.loads(run("forecast", "UZ", "CN", "--to", "2027", "--format", "json").stdout)
    assert {r["conversion"] for r in rows} == {"single factor"}
