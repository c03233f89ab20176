"""Low–high cost ranges next to the point figure: index values either side of the date,
estimates, and sources that disagree."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corridor.network.io import load_network
from corridor.pricing.apply import price_network
from corridor.pricing.book import ESTIMATE_BAND
from corridor.routing.api import default_network, route

SEA_ONLY = ["rail", "road", "air", "ferry"]


def _sea_leg(when: str) -> tuple[float, float, float]:
    best = route("Shanghai", "Rotterdam", avoid_modes=SEA_ONLY, date=when).best("cost")
    leg = next(leg for leg in best.legs if leg.mode == "sea")
    assert leg.cost_low_usd is not None and leg.cost_high_usd is not None
    return leg.cost_low_usd, leg.cost_usd, leg.cost_high_usd


def test_an_index_linked_leg_spans_the_values_either_side_of_the_date() -> None:
    # WCI Shanghai-Rotterdam: 3,709 on 9 May 2024 (PR26), 7,322 on 27 Jun 2024 (PR12).
    low, point, high = _sea_leg("2024-06-01")
    assert (low, point, high) == pytest.approx((3709, 3709, 7322))
    # On a publication date the index value is known: no range.
    assert _sea_leg("2024-06-27") == pytest.approx((7322, 7322, 7322))
    # The market fell after the peak: 27 Jun 7,322 → 26 Sep 4,157 (PR13); the point stays the last value.
    assert _sea_leg("2024-08-01") == pytest.approx((4157, 7322, 7322))


def test_an_estimated_tariff_carries_the_estimate_band() -> None:
    net = price_network(default_network(), "2024-06-01")
    # LR-POTI-CONSTANTA is an estimate (no published Black Sea feeder rate).
    link = next(lk for lk in net.links if {lk.from_id, lk.to_id} == {"poti", "constanta"} and lk.mode == "sea")
    assert "estimate:" in link.tariff_source
    assert link.tariff_range == ESTIMATE_BAND
    # A published tariff in force has no range of its own: Georgian Railway, T05.
    ge = next(lk for lk in net.links if lk.mode == "rail" and net.places[lk.from_id].country == "GE")
    assert ge.tariff_range == (1.0, 1.0), ge.tariff_source


def test_route_totals_bracket_the_point_and_are_the_sums_of_their_parts() -> None:
    found = route("Xian", "Duisburg", date="2024-06")
    for r in found.routes:
        assert r.total_cost_low_usd <= r.total_cost_usd <= r.total_cost_high_usd
        parts = [*r.legs, *r.crossings]
        assert r.total_cost_low_usd == pytest.approx(sum(p.cost_low_usd or 0.0 for p in parts))
        assert r.total_cost_high_usd == pytest.approx(sum(p.cost_high_usd or 0.0 for p in parts))
        data = r.to_dict()
        assert data["total_cost_usd_low"] <= data["total_cost_usd"] <= data["total_cost_usd_high"]
        assert all(leg["cost_usd_low"] <= leg["cost_usd"] <= leg["cost_usd_high"] for leg in data["legs"])
    # Something on the way is uncertain (the Kazakh rate is carried past its 2023 validity).
    assert any(r.total_cost_high_usd > r.total_cost_usd * 1.01 for r in found.routes)


def _add_row(path: Path, base_id: str, **changes: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    extra = {**next(r for r in rows if r["id"] == base_id), **changes}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows([*rows, extra])


def test_sources_that_disagree_widen_the_range_to_cover_both(data_copy: Path) -> None:
    # A second, older Kuryk-Alat tariff still in force at 800 USD per FEU besides ASCO's 1,200 (T19).
    _add_row(
        data_copy / "tariffs.csv",
        "LR-KURYK-ALAT",
        id="LR-KURYK-ALAT-OTHER",
        amount_40ft="800",
        valid_from="2023-01-01",
        source="T20",
    )
    net = price_network(load_network(data_copy), "2024-06-01")
    link = next(lk for lk in net.links if lk.key == "kuryk-alat-ferry-direct")
    # The latest valid_from wins the point; the other source sets the low end.
    assert link.tariff_feu_usd == pytest.approx(1200)
    low, high = link.tariff_range
    assert low * 1200 == pytest.approx(800)
    assert high == pytest.approx(1.25)  # ASCO's page is undated, an estimate: ±25 %


def test_priced_copies_are_kept_per_network_and_never_answer_for_another() -> None:
    import gc
    from dataclasses import replace

    from corridor.pricing import apply
    from corridor.pricing.apply import network_at

    base = load_network()
    first = network_at(base, "2023-06")
    assert network_at(base, "2023-06") is first
    cheaper = replace(base, links=tuple(lk.scaled_tariff(0.5) for lk in base.links))
    again = network_at(cheaper, "2023-06")
    assert again is not first and network_at(cheaper, "2023-06") is again
    key = id(cheaper)
    del cheaper, again
    gc.collect()
    assert key not in apply._PRICED  # a collected network's copies go with it


def test_each_leg_says_how_old_its_price_is() -> None:
    best = route("Shanghai", "Rotterdam", avoid_modes=SEA_ONLY, date="2024-06-01").best("cost")
    sea = next(leg for leg in best.to_dict()["legs"] if leg["mode"] == "sea")
    assert sea["tariff_as_of"] == "2024-05-09"  # the WCI value it follows (PR26)
