"""The overland share: only the containers that take the land bridge become trains."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

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
from corridor.forecasting.scenario import write_scenario
from helpers import invoke as run
from helpers import make_conversion

SHARE = 0.25
CONVERSION = make_conversion(
    usd_per_tonne=500,
    container_share=0.5,
    tonnes_per_teu=10,
    teu_per_train=100,
    overland_share=SHARE,
)


def test_trains_come_from_the_overland_teu_only() -> None:
    path = forecast({2024: 100.0}, 2025, "target", target=(2025, 200.0))
    last = freight_table({2024: 100.0}, path, CONVERSION).iloc[-1]
    teu = 200e6 / 500 * 0.5 / 10  # 20,000 TEU, all containers
    assert last["teu"] == pytest.approx(teu)
    assert last["teu_overland"] == pytest.approx(teu * SHARE)
    assert last["trains_per_week"] == pytest.approx(teu * SHARE / 100 / WEEKS)
    for suffix in ("_low", "_high"):
        assert last[f"trains_per_week{suffix}"] == pytest.approx(last[f"teu{suffix}"] * SHARE / 100 / WEEKS)


def test_a_grouped_conversion_keeps_the_pair_rows_overland_share() -> None:
    group = CommodityGroup(
        group="boxes",
        description="test boxes",
        usd_per_tonne=4000,
        usd_per_tonne_source="test",
        container_share=0.9,
        container_share_source="test",
        tonnes_per_teu=8,
        tonnes_per_teu_source="test",
    )
    trade = TradeData(
        figures=(
            TradeFigure(
                pair="AA-BB", year=2024, flow="total", value_usd_m=100, reporter="test", grade="C", source="test"
            ),
        ),
        targets=(),
        conversions=(CONVERSION,),
        groups=(group,),
        compositions=(
            CompositionShare(pair="AA-BB", flow="total", year=2024, group="boxes", share=1.0, grade="C", source="test"),
        ),
    )
    conversion = pair_conversion(trade, "AA-BB")
    assert conversion.grouped and conversion.conversion.overland_share == SHARE
    groups = group_table(200.0, conversion.splits, conversion.conversion)
    teu = 200e6 / 4000 * 0.9 / 8
    assert groups["teu"].sum() == pytest.approx(teu)
    assert groups["trains_per_week"].sum() == pytest.approx(teu * SHARE / 100 / WEEKS)


@pytest.mark.parametrize("bad", ["0", "1.5"])
def test_an_overland_share_outside_0_1_names_file_line_and_field(tmp_path: Path, bad: str) -> None:
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir(), copy)
    lines = (copy / "trade_conversion.csv").read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("KZ-UZ,"))
    lines[index] = lines[index].replace(",1.0,", f",{bad},", 1)
    (copy / "trade_conversion.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_trade(copy)
    assert [(p.file, p.line, p.field) for p in caught.value.problems] == [
        ("trade_conversion.csv", index + 1, "overland_share")
    ]


def test_cn_eu_trains_carry_only_the_overland_share() -> None:
    row = load_trade().conversion("CN-EU")
    assert row.pair == "CN-EU" and 0 < row.overland_share < 1
    assert row.overland_share_source.startswith("derived:")
    table = pair_forecast("CN", "EU", 2030).table
    for _, r in table.iterrows():
        assert r["teu_overland"] == pytest.approx(r["teu"] * row.overland_share)
        assert r["trains_per_week"] == pytest.approx(r["teu"] * row.overland_share / row.teu_per_train / WEEKS)


def test_the_scenario_gets_the_overland_teu(tmp_path: Path) -> None:
    result = pair_forecast("CN", "EU", 2030)
    out = write_scenario(result.trade, result.pair, result.table, "ets", tmp_path / "cneu.yaml")
    demand = yaml.safe_load(out.read_text(encoding="utf-8"))["demand"]
    overland = float(result.table.iloc[-1]["teu_overland"])
    assert sum(f["teu_per_year"] for f in demand) == pytest.approx(overland, abs=1)
    assert {f["origin"] for f in demand} == {result.trade.hub("CN"), result.trade.hub("EU")}


def test_the_overland_column_shows_only_for_a_partial_share() -> None:
    cn_eu = run("forecast", "CN", "EU", "--to", "2027")
    assert cn_eu.returncode == 0, cn_eu.stderr
    share = load_trade().conversion("CN-EU").overland_share
    assert "overland TEU" in cn_eu.stdout and f"{share:.1%} overland (the rest by sea)" in cn_eu.stdout
    kz_uz = run("forecast", "KZ", "UZ", "--to", "2027")
    assert kz_uz.returncode == 0, kz_uz.stderr
    assert "overland TEU" not in kz_uz.stdout and "all overland" in kz_uz.stdout
