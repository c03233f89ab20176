"""Prices at a date: dated tariffs, indexes, exchange rates and their checks."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from corridor.errors import DataFileError, OptionError
from corridor.network.io import load_network
from corridor.pricing.apply import price_network
from corridor.pricing.book import parse_date
from corridor.routing.api import compare, default_network, route


def edit_row(path: Path, match: Callable[[dict[str, str]], bool], **changes: str) -> int:
    """Change cells of the first row ``match`` accepts; return its line number (header = 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    index = next(i for i, row in enumerate(rows) if match(row))
    rows[index].update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return index + 2


def test_dates_parse_as_year_month_or_day() -> None:
    assert parse_date("2024") == dt.date(2024, 1, 1)
    assert parse_date("2024-06") == dt.date(2024, 6, 1)
    assert parse_date("2024-06-15") == dt.date(2024, 6, 15)
    for bad in ("June 2024", "2024-13", "2024-02-30", ""):
        with pytest.raises(OptionError, match="YYYY-MM"):
            parse_date(bad)


def test_a_date_outside_the_data_is_refused_with_the_range() -> None:
    book = default_network().tariff_book
    assert book is not None
    start, end = book.coverage() or (None, None)
    for outside in ("2010-01", (end + dt.timedelta(days=1)).isoformat() if end else ""):
        with pytest.raises(OptionError, match=f"from {start} to {end}"):
            route("Xian", "Duisburg", date=outside)


def test_default_date_is_the_latest_the_data_covers_and_is_stated() -> None:
    book = default_network().tariff_book
    assert book is not None
    latest = book.default_date().isoformat()
    found = route("Xian", "Duisburg")
    assert found.priced_at == latest == found.routes[0].priced_at
    assert found.to_dict()["priced_at"] == latest


def test_the_same_route_costs_differently_at_two_dates_and_says_why() -> None:
    # Drewry WCI Shanghai-Rotterdam: USD 1,543 on 1 Jun 2023 (PR10); the last value before
    # 1 Jun 2024 is 3,709 of 9 May 2024 (PR26).
    cheap = route("Xian", "Duisburg", corridor="sea-suez", date="2023-06").best("cost")
    # In June 2024 carriers avoided Bab-el-Mandeb (passage_status.csv): the Suez price is asked for.
    dear = route("Xian", "Duisburg", corridor="sea-suez", date="2024-06", allow_passages=["bab-el-mandeb"]).best("cost")
    sea_2023 = next(leg for leg in cheap.legs if leg.mode == "sea")
    sea_2024 = next(leg for leg in dear.legs if leg.mode == "sea")
    assert sea_2023.cost_usd == pytest.approx(1543)
    assert sea_2024.cost_usd == pytest.approx(3709)
    assert "WCI-SHA-RTM 1,543 USD/FEU of 2023-06-01" in sea_2023.tariff_source
    assert "WCI-SHA-RTM 3,709 USD/FEU of 2024-05-09" in sea_2024.tariff_source
    assert "23 days old" in sea_2024.tariff_source
    assert dear.total_cost_usd - cheap.total_cost_usd > 2000


def test_backhaul_is_priced_on_its_own_index() -> None:
    # 27 Jun 2024: Shanghai-Rotterdam USD 7,322, Rotterdam-Shanghai 676 per FEU (PR12).
    west = route("Shanghai", "Rotterdam", avoid_modes=["rail", "road", "air", "ferry"], date="2024-06-27")
    east = route("Rotterdam", "Shanghai", avoid_modes=["rail", "road", "air", "ferry"], date="2024-06-27")
    assert sum(leg.cost_usd for leg in west.best("cost").legs) == pytest.approx(7322)
    assert sum(leg.cost_usd for leg in east.best("cost").legs) == pytest.approx(676)


def test_compare_prices_every_corridor_at_one_date() -> None:
    result = compare("Xian", "Duisburg", date="2023-06-15")
    assert result.priced_at == "2023-06-15"
    assert {r.priced_at for r in result.routes} == {"2023-06-15"}


@pytest.mark.parametrize("year", range(2020, 2026))
def test_khorgos_beats_dostyk_for_central_asia_at_every_date(year: int) -> None:
    """Fault 9 of issue 10: KTZ (March 2023, PR20) says Altynkol-Khorgos is 10-15 % cheaper."""
    network = price_network(default_network(), f"{year}-06-01")
    for destination in ("Almaty", "Shymkent", "Tashkent"):
        cheapest = route("Urumqi", destination, network=network).best("cost")
        assert "Altynkol" in cheapest.places, (year, destination, cheapest.places)


def test_tariffs_in_a_foreign_currency_follow_the_exchange_rate() -> None:
    # TCDD's EUR 0.23 per FEU-km (T06): USD per EUR 1.1830 in 2021, 1.0534 in 2022 (PR16).
    def halkali_cost(when: str) -> float:
        net = price_network(default_network(), when)
        link = next(lk for lk in net.links if lk.mode == "rail" and {lk.from_id, lk.to_id} == {"istanbul", "kapikule"})
        assert "EUR" in link.tariff_source
        return link.tariff_feu_usd or 0.0

    assert halkali_cost("2021-06-01") / halkali_cost("2022-06-01") == pytest.approx(1.1830 / 1.0534, rel=1e-3)


def test_a_tariff_out_of_its_validity_is_used_with_a_stated_extrapolation() -> None:
    net = price_network(default_network(), "2024-06-01")
    kz = next(lk for lk in net.links if lk.from_id == "dostyk" and lk.to_id == "aktogay")
    assert "valid 2023-01-01 to 2023-12-31, carried forward 153 days past its end" in kz.tariff_source


SWEPT_DATES = ("2019-06-20", "2020-11-15", "2021-10-01", "2023-06-01", "2024-06-01", "2025-06-26")
"""Dates across the data's coverage (its first day, the 2021 sea peak, the Red Sea period, its last day)."""


@pytest.mark.parametrize("when", SWEPT_DATES)
def test_every_shipped_link_and_dwell_is_priced_from_tariffs_csv(when: str) -> None:
    network = price_network(default_network(), when)
    book = network.tariff_book
    assert book is not None
    ids = {t.id for t in book.tariffs}
    for link in network.links:
        for box, usd, back in (
            ("20 ft", link.tariff_teu_usd, link.tariff_back_teu_usd),
            ("40 ft", link.tariff_feu_usd, link.tariff_back_feu_usd),
        ):
            assert usd is not None and usd > 0 and back is not None and back > 0, (when, link.key, box)
        # Each price names the tariffs.csv row it comes from (link-rate or km-rate), and its date.
        for source in (link.tariff_source, link.tariff_back_source):
            assert any(f"derived: {i} (" in source or f"rate {i} (" in source for i in ids), (link.key, source)
        assert link.tariff_as_of and link.tariff_back_as_of, link.key
    for row in network.node_times:
        assert row.cost_teu_usd is not None and row.cost_feu_usd is not None, (when, row.place, row.kind)
        assert any(f"derived: {i} (" in row.cost_source for i in ids), (row.place, row.kind, row.cost_source)


def test_ferry_and_air_links_are_priced_by_their_own_link_rates() -> None:
    # tariffs.csv has no ferry or air km-rate: each such link needs a link-rate row of its own.
    network = default_network()
    assert network.tariff_book is not None
    rates = {t.id for t in network.tariff_book.tariffs if t.component == "link-rate"}
    checked = [lk for lk in network.links if lk.mode in ("ferry", "air")]
    assert {lk.mode for lk in checked} == {"ferry", "air"}
    for link in checked:
        assert any(f"derived: {i} (" in link.tariff_source for i in rates), (link.key, link.tariff_source)


def row_line(path: Path, match: Callable[[dict[str, str]], bool]) -> int:
    """The line number (header = 1) of the first row ``match`` accepts."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            if match(row):
                return reader.line_num
    raise AssertionError(f"no such row in {path}")


def test_check_data_reports_a_link_left_without_a_price(data_copy: Path) -> None:
    edit_row(
        data_copy / "tariffs.csv",
        lambda r: r["id"] == "LR-KURYK-ALAT",
        **{"from": "poti", "to": "constanta", "mode": "sea"},
    )
    line = row_line(data_copy / "links.csv", lambda r: (r["from"], r["to"], r["mode"]) == ("kuryk", "alat", "ferry"))
    with pytest.raises(DataFileError) as caught:
        load_network(data_copy)
    found = [p for p in caught.value.problems if (p.file, p.line, p.field) == ("links.csv", line, "mode")]
    assert found and "kuryk-alat-ferry-direct" in found[0].message and "tariffs.csv" in found[0].message


def test_check_data_reports_a_dwell_left_without_a_price(data_copy: Path) -> None:
    # The only transshipment charge becomes a port's own: the default ('*') row has none left.
    edit_row(data_copy / "tariffs.csv", lambda r: r["id"] == "NC-TRANS-ANY", place="kuryk")
    line = row_line(data_copy / "node_times.csv", lambda r: (r["place"], r["kind"]) == ("*", "transshipment"))
    with pytest.raises(DataFileError) as caught:
        load_network(data_copy)
    assert ("node_times.csv", line, "kind") in [(p.file, p.line, p.field) for p in caught.value.problems]


def test_check_data_reports_a_border_without_a_stop_paying_the_default_charge(data_copy: Path) -> None:
    # Novosibirsk (RU-KZ inside the EAEU) has 0 h in node_times.csv; without its own zero charge
    # it would pay the CAREC default border fee (NC-BORDER-ANY).
    edit_row(data_copy / "tariffs.csv", lambda r: r["id"] == "NC-BORDER-NOVOSIBIRSK", place="petropavl")
    line = row_line(data_copy / "node_times.csv", lambda r: (r["place"], r["kind"]) == ("novosibirsk", "border"))
    with pytest.raises(DataFileError) as caught:
        load_network(data_copy)
    found = [p for p in caught.value.problems if (p.file, p.line, p.field) == ("node_times.csv", line, "kind")]
    assert found and "default border charge" in found[0].message, caught.value.problems


@pytest.mark.parametrize(
    ("name", "column"),
    [("links.csv", "tariff_feu_usd"), ("node_times.csv", "cost_source"), ("rates.csv", "usd_per_teu_km")],
)
def test_an_old_undated_price_column_is_refused(data_copy: Path, name: str, column: str) -> None:
    path = data_copy / name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*rows[0], column], lineterminator="\n")
        writer.writeheader()
        writer.writerows({**row, column: "1200"} for row in rows)
    with pytest.raises(DataFileError) as caught:
        load_network(data_copy)
    problems = caught.value.problems
    assert [(p.file, p.line, p.field) for p in problems] == [(name, 1, column)], problems
    assert "tariffs.csv" in problems[0].message


@pytest.mark.parametrize(
    ("field", "value", "blamed"),
    [
        ("currency", "", "currency"),
        ("currency", "XAU", "currency"),
        ("valid_from", "", "valid_from"),
        ("valid_to", "2000-01-01", "valid_from"),
        ("source", "", "source"),
        ("source", "Z999", "source"),
        ("index", "NOPE", "index"),
    ],
)
def test_check_data_rejects_a_price_without_currency_validity_or_source(
    data_copy: Path, field: str, value: str, blamed: str
) -> None:
    line = edit_row(data_copy / "tariffs.csv", lambda r: r["id"] == "LR-SHA-RTM", **{field: value})
    with pytest.raises(DataFileError) as caught:
        load_network(data_copy)
    located = [(p.file, p.line) for p in caught.value.problems]
    assert ("tariffs.csv", line) in located, caught.value.problems
    assert any(blamed in (p.field or p.message) or blamed in p.message for p in caught.value.problems)


def test_pricing_is_pure_and_repeatable() -> None:
    base = default_network()
    first = price_network(base, "2022-07-01")
    again = price_network(replace(base), "2022-07-01")
    assert [lk.tariff_feu_usd for lk in first.links] == [lk.tariff_feu_usd for lk in again.links]
    assert price_network(first, "2022-07-01") is first
