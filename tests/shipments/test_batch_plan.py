"""Batch planning: lanes searched once, shares and hub emissions add up, errors pass through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.routing.api import default_network, route
from corridor.shipments.model import LCL_BOX_M3, LCL_CFS_USD_PER_WM, LCL_MIN_WM
from corridor.shipments.plan import BatchPlanner, ShipmentPlan, plan_shipments
from corridor.shipments.reading import RowError, read_shipments, read_shipments_text
from corridor.shipments.report import element_rows, report_data, result_row, totals, write_report

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "corridor" / "data" / "examples" / "shipments.csv"
HEADER = "reference,origin,destination,date,cargo,quantity,weight_kg,volume_m3,set_temp_c,avoid_countries\n"


def _plans(text: str, **kw: int) -> list[ShipmentPlan | RowError]:
    return plan_shipments(read_shipments_text(HEADER + text), **kw)


def test_identical_lanes_are_searched_once() -> None:
    items = read_shipments_text(
        HEADER + "a,Xian,Duisburg,,40ft\nb,Xian,Duisburg,,40ft,3\nc,xian,duisburg,,lcl,,100,1\n"
    )
    planner = BatchPlanner(default_network())
    out = planner.plan_all(items)
    assert planner.lanes_searched == 2  # 40ft once; the LCL rides in a 20 ft box, another search
    a, b, _ = out
    assert isinstance(a, ShipmentPlan) and isinstance(b, ShipmentPlan)
    assert b.cost_usd == pytest.approx(3 * a.cost_usd) and b.co2e_wtw_kg == pytest.approx(3 * a.co2e_wtw_kg)


def test_fcl_matches_the_single_route_planner_with_hubs_included() -> None:
    (plan,) = _plans("a,Shanghai,Belgrade,,40ft\n")
    assert isinstance(plan, ShipmentPlan)
    single = route("Shanghai", "Belgrade", cargo="40ft", avoid_modes=["air"]).best("time")
    assert plan.cost_usd == pytest.approx(single.total_cost_usd)
    assert plan.co2e_wtw_kg == pytest.approx(single.co2e_kg)
    assert plan.co2e_hub_kg == pytest.approx(single.co2e_hub_kg) and plan.co2e_hub_kg > 0
    assert all(leg.mode != "air" for leg in plan.route.legs)  # a box never flies


def test_lcl_pays_and_emits_its_share_of_a_20ft_box() -> None:
    box, lcl = _plans("a,Xian,Duisburg,,20ft\nb,Xian,Duisburg,,lcl,,2500,6\n")
    assert isinstance(box, ShipmentPlan) and isinstance(lcl, ShipmentPlan)
    assert lcl.charges_usd == pytest.approx(6 * sum(LCL_CFS_USD_PER_WM))  # 6 m³ > 2.5 t: 6 revenue tons
    assert lcl.cost_usd == pytest.approx(0.25 * box.cost_usd + lcl.charges_usd)
    assert lcl.co2e_wtw_kg == pytest.approx(0.25 * box.co2e_wtw_kg)
    assert lcl.tonnes == pytest.approx(2.5)
    assert sum(e.cost_usd for e in lcl.elements) + lcl.charges_usd == pytest.approx(lcl.cost_usd)


def test_small_lcl_pays_the_minimum_charge_but_emits_its_own_share() -> None:
    box, tiny = _plans("a,Tashkent,Baku,,20ft\nb,Tashkent,Baku,,lcl,,50,0.1\n")
    assert isinstance(box, ShipmentPlan) and isinstance(tiny, ShipmentPlan)
    assert tiny.charges_usd == pytest.approx(LCL_MIN_WM * sum(LCL_CFS_USD_PER_WM))  # 0.1 W/M billed as 1
    assert tiny.cost_usd == pytest.approx(box.cost_usd / LCL_BOX_M3 + tiny.charges_usd)  # freight as 1 m³
    assert tiny.share == pytest.approx(0.005) and tiny.share < 1 / LCL_BOX_M3  # 50 kg of a box's 10 t
    assert tiny.co2e_wtw_kg == pytest.approx(box.co2e_wtw_kg * 0.005)  # emissions: its own mass
    assert "minimum charge" in result_row(tiny)["notes"]


def test_a_shipment_with_a_deadline_gets_p50_p90_and_on_time_odds_without_samples() -> None:
    text = "reference,origin,destination,cargo,deadline\na,Xian,Duisburg,40ft,35d\nb,Xian,Duisburg,40ft,\n"
    with_deadline, without = plan_shipments(read_shipments_text(text))
    assert isinstance(with_deadline, ShipmentPlan) and isinstance(without, ShipmentPlan)
    assert with_deadline.timing is not None and without.timing is None
    row = result_row(with_deadline)
    assert row["p50_days"] < row["p90_days"] and 0 < row["on_time_probability"] <= 1


def test_air_cargo_flies_pays_by_chargeable_kg_and_emits_by_actual_kg() -> None:
    light, bulky = _plans("a,Astana,Belgrade,,air,,100,0.3\nb,Astana,Belgrade,,air,,100,1.2\n")
    assert isinstance(light, ShipmentPlan) and isinstance(bulky, ShipmentPlan)
    flight = [e for e in light.elements if e.mode == "air"]
    assert flight, "air cargo must fly"
    fly_light = next(e for e in light.elements if e.mode == "air")
    fly_bulky = next(e for e in bulky.elements if e.mode == "air")
    assert fly_bulky.cost_usd == pytest.approx(2 * fly_light.cost_usd)  # 200 vs 100 chargeable kg
    assert fly_bulky.co2e_wtw_kg == pytest.approx(fly_light.co2e_wtw_kg)  # same 100 kg flown
    assert fly_light.co2e_wtw_kg == pytest.approx(0.1 * fly_light.distance_km * 788 / 1000, rel=1e-6)


def test_lane_errors_are_told_per_row() -> None:
    out = _plans("a,Xain,Duisburg,,40ft\nb,Almaty,Kabul,,40ft,,,,,AF\nc,Xian,Duisburg,,40ft\nd,Xain,Duisburg,,40ft\n")
    a, b, c, d = out
    assert isinstance(a, RowError) and a.field == "origin" and "Xi'an" in a.reason
    assert isinstance(b, RowError) and b.field == "route" and "AF" in b.reason
    assert isinstance(c, ShipmentPlan)
    assert isinstance(d, RowError) and (d.line, d.reference) == (5, "d")


def test_elements_add_up_to_the_totals() -> None:
    (plan,) = _plans("a,Almaty,Istanbul,2026-03-02,40ft,2\n")
    assert isinstance(plan, ShipmentPlan)
    rows = element_rows([plan])
    assert sum(r["co2e_wtw_kg"] for r in rows) == pytest.approx(plan.co2e_wtw_kg, abs=0.01)
    hubs = [r for r in rows if r["element"] == "hub" and r["co2e_wtw_kg"] > 0]
    assert hubs and all(r["source"] for r in hubs)
    for r in rows:
        if r["element"] == "leg":  # activity × intensity = emissions, so an auditor can redo it
            assert r["activity"] * r["intensity_wtw"] / 1000 == pytest.approx(r["co2e_wtw_kg"], rel=1e-3, abs=0.01)
    by_mode = totals([plan])["mode"]
    assert sum(t["co2e_wtw_kg"] for t in by_mode) == pytest.approx(plan.co2e_wtw_kg, abs=0.05)
    keys = {t["key"] for t in by_mode}
    assert "rail" in keys and any(k.startswith("hub: ") for k in keys)  # hubs are totalled as their own rows


def test_sampled_lanes_get_p50_p90_and_on_time_odds() -> None:
    items = read_shipments_text("origin,destination,date,cargo,deadline\nXian,Duisburg,2026-01-12,40ft,60d\n")
    (plan,) = plan_shipments(items, samples=2_000)
    assert isinstance(plan, ShipmentPlan) and plan.timing is not None
    assert plan.timing.p50_h < plan.timing.p90_h
    assert plan.timing.on_time_probability is not None and plan.timing.on_time_probability > 0.95


def test_the_example_file_plans_and_reports(tmp_path: Path) -> None:
    items = read_shipments(EXAMPLE)
    assert 20 <= len(items) <= 50
    out = plan_shipments(items)
    rows = [result_row(o) for o in out]
    bad = [r for r in rows if r["status"] == "error"]
    assert bad and all(r["reference"].startswith("BAD") for r in bad)
    assert {r["cargo"] for r in rows if r["status"] == "ok"} >= {"40ft", "40ft-reefer", "lcl", "air"}
    written = write_report(tmp_path / "report.html", out, default_network())
    page = written[0].read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page.split("<h2>Factors used</h2>")[0]
    data = json.loads(written[1].read_text(encoding="utf-8"))
    assert data["planned"] == len(rows) - len(bad)
    assert data["co2e_wtw_kg"] == pytest.approx(sum(r["co2e_wtw_kg"] for r in rows if r["status"] == "ok"), abs=0.1)
    assert report_data(out, default_network())["factors"]


def test_shipments_are_priced_at_their_month_within_the_known_prices() -> None:
    network = default_network()
    book = network.tariff_book
    covered = book.coverage() if book is not None else None
    assert covered is not None
    first, last = covered
    inside = f"{last.year - 1}-07-15"
    rows = f"a,Xian,Duisburg,{inside},40ft\nb,Xian,Duisburg,{last.year + 2}-03-02,40ft\nc,Xian,Duisburg,,40ft\n"
    a, b, c = _plans(rows)
    assert isinstance(a, ShipmentPlan) and isinstance(b, ShipmentPlan) and isinstance(c, ShipmentPlan)
    assert a.route.priced_at == f"{last.year - 1}-07-01"
    single = route("Xian", "Duisburg", cargo="40ft", avoid_modes=["air"], date=a.route.priced_at).best("time")
    assert a.cost_usd == pytest.approx(single.total_cost_usd)
    assert b.route.priced_at == last.isoformat()  # a future shipment takes the latest prices known
    assert first.isoformat() <= a.route.priced_at
    assert "not forecast" in result_row(b)["notes"] and result_row(a)["notes"] is None  # said, per row
    assert "1 shipment(s) leave outside" in report_data([a, b, c], default_network())["pricing"]


def test_via_pins_the_gateway_and_a_typo_is_a_via_error() -> None:
    text = "origin,destination,cargo,via\nLianyungang,Istanbul,40ft,Altynkol\nLianyungang,Istanbul,40ft,Atlynkol\n"
    pinned, typo = plan_shipments(read_shipments_text(text))
    assert isinstance(pinned, ShipmentPlan) and "Altynkol" in pinned.route.places
    assert isinstance(typo, RowError) and typo.field == "via" and "Altynkol" in typo.reason


def test_boxes_never_fly_even_when_air_is_fastest() -> None:
    (box,) = _plans("a,Astana,Belgrade,,20ft\n")
    assert isinstance(box, ShipmentPlan) and all(leg.mode != "air" for leg in box.route.legs)
