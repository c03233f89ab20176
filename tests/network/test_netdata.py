"""Network data faults of issue 10: same-named towns, sailings, missing links, sea lanes."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from corridor import settings
from corridor.errors import AmbiguousPlaceError, DataFileError, NoRouteError
from corridor.network.io import load_network
from corridor.network.model import GAUGES, Link, Network, Sailing, SeaLane
from corridor.network.places import resolve_place
from corridor.network.resolve import great_circle_km
from corridor.network.sailings import apply_sailings, at_demand, departures_per_week
from corridor.routing.api import default_network, route, search
from corridor.routing.options import RouteOptions


@pytest.fixture(scope="module")
def network() -> Network:
    return default_network()


# --- Two towns, one node -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "countries"), [("Dimitrovgrad", {"RS", "BG"}), ("Серахс", {"TM", "IR"})])
def test_a_name_two_towns_share_is_asked_about(network: Network, name: str, countries: set[str]) -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        resolve_place(network, name)
    assert {country for _, _, country in caught.value.candidates} == countries
    for pid in caught.value.suggestions:  # each candidate's id resolves to that one place
        assert resolve_place(network, pid).id == pid
    assert all(c in str(caught.value) for c in countries)


@pytest.mark.parametrize(
    ("query", "place_id"),
    [("Serakhs", "serakhs"), ("Sarakhs", "sarakhs"), ("Dimitrovgrad (BG)", "dimitrovgrad_bg"), ("Baku", "baku")],
)
def test_own_names_pick_one_place(network: Network, query: str, place_id: str) -> None:
    # "Baku" is also an alias of the Port of Baku at Alat; a place's own name wins over an alias.
    assert resolve_place(network, query).id == place_id


def test_turkmen_haul_stays_in_turkmenistan(network: Network) -> None:
    best = search(network, "Turkmenabat", "Turkmenbashi", RouteOptions(avoid_countries=frozenset({"IR"})))
    found = best.best("time")
    ids = {leg.from_id for leg in found.legs} | {found.legs[-1].to_id}
    assert {network.places[p].country for p in ids} == {"TM"}
    assert found.distance_km < 1300  # Türkmenabat–Mary–Tejen–Ashgabat–Bereket–Türkmenbaşy


def test_serakhs_and_sarakhs_face_each_other_across_the_border(network: Network) -> None:
    found = route("Mary", "Mashhad").best("time")
    ids = [leg.from_id for leg in found.legs] + [found.legs[-1].to_id]
    assert ids.index("serakhs") + 1 == ids.index("sarakhs")
    assert ("sarakhs", "gauge-change") in {(c.place_id, c.kind) for c in found.crossings}
    a, b = network.places["serakhs"], network.places["sarakhs"]
    assert (a.country, b.country) == ("TM", "IR")


# --- Missing links -------------------------------------------------------------------------


def test_xian_duisburg_avoiding_russia_goes_through_vienna(network: Network) -> None:
    options = RouteOptions(avoid_countries=frozenset({"RU", "BY"}), avoid_modes=frozenset({"air"}))
    places = search(network, "Xian", "Duisburg", options).best("time").places
    assert "Vienna" in places and "Warsaw" not in places


def test_the_northern_way_to_baku_runs_through_samur_yalama(network: Network) -> None:
    options = RouteOptions(avoid_modes=frozenset({"sea", "ferry", "air"}))
    found = search(network, "Almaty", "Baku", options).best("time")
    assert "Yalama / Samur" in found.places and found.distance_km < 4500


def test_uzbek_west_line_reaches_beyneu(network: Network) -> None:
    found = route("Tashkent", "Aktau", avoid_modes=["sea", "ferry", "air", "road"]).best("time")
    assert "Karakalpakstan / Oasis" in found.places and "Shymkent" not in found.places


def test_iranian_caspian_ports_have_ferries_from_kuryk(network: Network) -> None:
    ports = {link.to_id for link in network.links if link.from_id == "kuryk" and link.mode == "ferry"}
    assert {"amirabad", "anzali", "alat"} <= ports


def test_pakistan_broad_gauge_is_a_known_gauge(network: Network) -> None:
    assert 1676 in GAUGES
    assert any(r.place == "peshawar" and r.kind == "gauge-change" for r in network.node_times)


# --- Sailings ------------------------------------------------------------------------------


def _sailing(rule: str, per_week: float = 10.0, cap: float | None = None) -> Sailing:
    return Sailing.model_validate(
        {
            "from_id": "a",
            "to_id": "b",
            "mode": "ferry",
            "departures_per_week": per_week,
            "max_departures_per_week": cap,
            "rule": rule,
            "period": "2023",
            "source": "estimate: a test row",
        }
    )


def test_ferries_that_sail_when_full_sail_more_often_with_more_cargo() -> None:
    assert departures_per_week(_sailing("when_full"), demand=2) == 20
    assert departures_per_week(_sailing("when_full", cap=15), demand=2) == 15
    assert departures_per_week(_sailing("when_full"), demand=0.5) == 5
    assert departures_per_week(_sailing("timetable"), demand=2) == 10
    with pytest.raises(ValueError, match="positive"):
        departures_per_week(_sailing("when_full"), demand=0)


def test_sailings_split_a_link_by_direction() -> None:
    link = Link(from_id="a", to_id="b", mode="ferry", vehicle="v", frequency_per_week=2)
    out = apply_sailings((link,), (_sailing("when_full", per_week=7),))
    by_way = {(x.from_id, x.to_id): x for x in out}
    assert by_way[("a", "b")].frequency_per_week == 7 and by_way[("b", "a")].frequency_per_week == 2
    assert not any(x.bidirectional for x in out)


def test_caspian_wait_follows_port_statistics(network: Network) -> None:
    # About 600 ferry calls at Kuryk in ten months of 2023 (N01): a wait of hours, not days.
    by_ferry = RouteOptions(avoid_modes=frozenset({"sea"}), avoid_countries=frozenset({"RU", "IR"}))
    found = search(network, "Beyneu", "Baku", by_ferry).best("time")
    ferry = next(leg for leg in found.legs if leg.mode == "ferry")
    assert ferry.from_id == "kuryk" and 4 < ferry.wait_h < 8
    halved = search(at_demand(network, 0.5), "Beyneu", "Baku", by_ferry)
    slower = next(leg for leg in halved.best("time").legs if leg.mode == "ferry")
    assert slower.wait_h == pytest.approx(2 * ferry.wait_h)


def test_a_sailing_row_must_name_a_water_link(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (data_copy / "sailings.csv").open("a", encoding="utf-8") as f:
        f.write("kuryk,poti,ferry,3,,60,when_full,2023,estimate: a row for a link that does not exist\n")
    monkeypatch.setenv(settings.DATA_ENV, str(data_copy))
    with pytest.raises(DataFileError, match=r"sailings.csv:\d+: field 'to' no ferry link kuryk→poti"):
        load_network(data_copy)


# --- Sea lanes -----------------------------------------------------------------------------

WAYPOINTS: dict[str, tuple[float, float]] = {
    "malacca": (1.25, 103.8),
    "sunda": (-6.0, 105.8),
    "babalmandab": (12.6, 43.4),
    "suez": (29.9, 32.55),
    "gibraltar": (35.95, -5.6),
    "south_africa": (-34.6, 18.5),
    "ormuz": (26.5, 56.4),
    "dardanelles": (40.2, 26.4),
    "bosporus": (41.1, 29.05),
}
"""(lat, lon) of each passage, for the great-circle chain a lane is held against."""
ROUNDS_A_PENINSULA = {("piraeus", "bar"): 1.8}
"""Lanes that must round a peninsula, with their own bound: Piraeus–Bar rounds the Peloponnese."""


def _chain_km(network: Network, lane: SeaLane) -> float:
    """Great-circle km from port to port through the lane's passages in the order sailed."""
    a, b = network.places[lane.from_id], network.places[lane.to_id]

    def order(p: str) -> int:
        lat, lon = WAYPOINTS[p]
        dist = [great_circle_km(lat, lon, c[1], c[0]) for c in lane.coordinates]
        return dist.index(min(dist))

    points = [(a.lat, a.lon)] + [WAYPOINTS[p] for p in sorted(lane.passages, key=order)] + [(b.lat, b.lon)]
    return sum(great_circle_km(*p, *q) for p, q in itertools.pairwise(points))


def test_every_lane_is_plausibly_long(network: Network) -> None:
    for key, lane in network.sea_lanes.items():
        bound = ROUNDS_A_PENINSULA.get((lane.from_id, lane.to_id), 1.6)
        ratio = lane.distance_km / _chain_km(network, lane)
        assert 1.0 <= ratio <= bound, (key, round(ratio, 2))


def test_kuryk_sails_south_not_back_past_aktau(network: Network) -> None:
    lanes = network.sea_lanes
    assert lanes[("kuryk", "alat", "direct")].distance_km < lanes[("aktau", "alat", "direct")].distance_km


def test_straits_and_canals_are_tagged(network: Network) -> None:
    lanes = network.sea_lanes
    assert {"bosporus", "dardanelles"} <= set(lanes[("shanghai", "constanta", "suez")].passages)
    assert "dardanelles" in lanes[("shanghai", "ambarli", "suez")].passages
    assert "corinth" not in lanes[("piraeus", "bar", "direct")].passages  # closed to container ships
    assert RouteOptions(avoid_passages=frozenset({"corinth", "dardanelles"})).avoid_passages == {
        "corinth",
        "dardanelles",
    }


def test_every_port_reached_via_suez_is_reached_round_the_cape(network: Network) -> None:
    suez = {(a, b) for a, b, r in network.sea_lanes if r == "suez"}
    cape = {(a, b) for a, b, r in network.sea_lanes if r == "cape"}
    assert suez and suez <= cape
    options = RouteOptions(avoid_passages=frozenset({"suez"}), avoid_modes=frozenset({"rail", "road", "air", "ferry"}))
    assert search(network, "Shanghai", "Mersin", options).best("time").corridor == "Sea-Cape"


def test_great_circle_sanity() -> None:
    assert great_circle_km(0, 0, 0, 1) == pytest.approx(2 * math.pi * 6371.0088 / 360, rel=1e-6)


def _sea_reachable(network: Network, a: str, b: str, closed: str) -> bool:
    """Whether ``b`` is reached from ``a`` over sea lanes that avoid the ``closed`` passage."""
    lanes = [(x, y) for (x, y, _), lane in network.sea_lanes.items() if closed not in lane.passages]
    seen, todo = {a}, [a]
    while todo:
        here = todo.pop()
        for x, y in lanes:
            for there in (y,) if x == here else (x,) if y == here else ():
                if there not in seen:
                    seen.add(there)
                    todo.append(there)
    return b in seen


def test_a_closed_passage_leaves_a_port_reachable_whenever_the_lanes_allow(network: Network) -> None:
    # Sweep every pair of ports with a lane and every passage its lanes use: with that passage
    # closed, sea-only routing finds a way exactly when the lanes that avoid it still join them.
    sea_only = frozenset({"rail", "road", "air", "ferry"})
    pairs = sorted({(a, b) for a, b, _ in network.sea_lanes})
    checked = 0
    for a, b in pairs:
        used = set().union(*(lane.passages for (x, y, _), lane in network.sea_lanes.items() if (x, y) == (a, b)))
        for closed in sorted(used):
            options = RouteOptions(avoid_passages=frozenset({closed}), avoid_modes=sea_only)
            if _sea_reachable(network, a, b, closed):
                assert search(network, a, b, options).routes, (a, b, closed)
                checked += 1
            else:
                with pytest.raises(NoRouteError):
                    search(network, a, b, options)
    assert checked >= 100
