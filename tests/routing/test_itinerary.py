"""Routes read like a forwarder's itinerary: gauge changes, ferries, borders, totals."""

from __future__ import annotations

import itertools

import pytest

from corridor.routing.api import route
from corridor.routing.breakdown import CATEGORIES, breakdown, time_cost_distance
from corridor.routing.itinerary import Route


@pytest.fixture(scope="module")
def middle() -> Route:
    return route("Shanghai", "Belgrade", corridor="middle").best("time")


@pytest.fixture(scope="module")
def northern() -> Route:
    return route("Xian", "Duisburg", corridor="northern").best("time")


def kinds_at(r: Route, kind: str) -> list[str]:
    return [c.place for c in r.crossings if c.kind == kind]


def test_middle_corridor_changes_gauge_twice_and_takes_a_caspian_ferry(middle: Route) -> None:
    gauge = kinds_at(middle, "gauge-change")
    assert len(gauge) == 2
    assert gauge[0] in ("Dostyk", "Altynkol")
    assert gauge[1] == "Akhalkalaki"
    caspian = [leg for leg in middle.legs if leg.corridor == "Middle"]
    assert len(caspian) == 1 and caspian[0].mode in ("ferry", "sea")
    assert caspian[0].wait_h > 0  # a wait for a sailing, derived from its frequency


def test_northern_route_changes_gauge_at_the_chinese_and_polish_borders(northern: Route) -> None:
    gauge = kinds_at(northern, "gauge-change")
    assert gauge[0] in ("Dostyk", "Altynkol") and gauge[-1] == "Małaszewicze"
    assert "Brest (BY)" in kinds_at(northern, "border")


def test_totals_are_the_sum_of_legs_and_crossings(middle: Route) -> None:
    legs_h = sum(leg.time_h for leg in middle.legs)
    stops_h = sum(c.time_h for c in middle.crossings)
    assert middle.total_time_h == pytest.approx(legs_h + stops_h)
    assert middle.distance_km == pytest.approx(sum(leg.distance_km for leg in middle.legs))


def test_a_place_appears_once_per_kind(middle: Route) -> None:
    pairs = [(c.place, c.kind) for c in middle.crossings]
    assert len(pairs) == len(set(pairs))


def test_legs_join_up(middle: Route) -> None:
    for before, after in itertools.pairwise(middle.legs):
        assert before.destination == after.origin


def test_breakdown_adds_up_to_the_totals(middle: Route) -> None:
    parts = breakdown(middle)
    assert set(parts) == set(CATEGORIES)
    assert sum(t for t, _ in parts.values()) == pytest.approx(middle.total_time_h)
    assert sum(c for _, c in parts.values()) == pytest.approx(middle.total_cost_usd)


def test_time_cost_distance_table_is_cumulative(middle: Route) -> None:
    steps = time_cost_distance(middle)
    assert steps[-1].cum_time_h == pytest.approx(middle.total_time_h)
    assert steps[-1].cum_cost_usd == pytest.approx(middle.total_cost_usd)
    assert steps[-1].cum_distance_km == pytest.approx(middle.distance_km)
    assert all(b.cum_distance_km >= a.cum_distance_km for a, b in itertools.pairwise(steps))


def test_dataframe_and_geojson(middle: Route) -> None:
    frame = middle.to_dataframe()
    assert {"from", "to", "mode", "distance_km", "time_h", "cost_usd", "co2e_kg"} <= set(frame.columns)
    assert len(frame) == len(middle.legs) + len(middle.crossings)
    geo = middle.to_geojson()
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == len(middle.legs)
    first = geo["features"][0]["geometry"]["coordinates"][0]
    assert first == pytest.approx([122.07, 30.62], abs=0.5)  # Shanghai, lon/lat order


def test_sea_legs_follow_the_lane_geometry() -> None:
    sea = route("Shanghai", "Piraeus", corridor="sea-suez").best("time")
    ship = next(leg for leg in sea.legs if leg.mode == "sea")
    assert len(ship.coordinates) > 20
