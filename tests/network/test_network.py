"""The embedded network: complete, sourced and consistent."""

from __future__ import annotations

import pytest

from corridor.network.checks import source_problem
from corridor.network.model import CORRIDOR_TAGS, WATER_MODES, Network
from corridor.routing.api import default_network

REQUIRED_PLACES = [
    "Shanghai",
    "Lianyungang",
    "Xi'an",
    "Chongqing",
    "Urumqi",
    "Khorgos",
    "Altynkol",
    "Dostyk",
    "Alashankou",
    "Almaty",
    "Astana",
    "Karaganda",
    "Shymkent",
    "Tashkent",
    "Aktau",
    "Kuryk",
    "Turkmenbashi",
    "Baku",
    "Alat",
    "Tbilisi",
    "Poti",
    "Batumi",
    "Akhalkalaki",
    "Kars",
    "Istanbul",
    "Kapıkule",
    "Constanța",
    "Burgas",
    "Varna",
    "Sofia",
    "Niš",
    "Belgrade",
    "Bar",
    "Piraeus",
    "Koper",
    "Budapest",
    "Brest",
    "Małaszewicze",
    "Moscow",
    "Duisburg",
    "Termez",
    "Mazar-i-Sharif",
    "Sarakhs",
    "Bandar Abbas",
]


@pytest.fixture(scope="module")
def network() -> Network:
    return default_network()


def test_required_places_are_present(network: Network) -> None:
    from corridor.network.places import resolve_place

    for name in REQUIRED_PLACES:
        resolve_place(network, name)


def test_every_place_has_three_names_and_a_source(network: Network) -> None:
    for place in network.places.values():
        assert place.name and place.name_ru and place.name_local, place.id
        assert source_problem(network, place.coord_source) is None


def test_every_link_is_resolved_and_sourced(network: Network) -> None:
    for link in network.links:
        assert link.distance_km and link.distance_km > 0, link.key
        assert link.time_h and link.time_h > 0, link.key
        assert link.tariff_teu_usd is not None and link.tariff_feu_usd is not None
        for field in ("distance_source", "time_source", "tariff_source"):
            assert source_problem(network, getattr(link, field)) is None, (link.key, field)


def test_water_distances_come_from_searoute(network: Network) -> None:
    water = [link for link in network.links if link.mode in WATER_MODES]
    assert water
    assert all(link.distance_source == "searoute" for link in water)


def test_corridor_tags_are_known_and_all_used(network: Network) -> None:
    used = {link.corridor for link in network.links} - {""}
    assert used == set(CORRIDOR_TAGS)


def test_trans_afghan_railway_is_planned(network: Network) -> None:
    afghan = [link for link in network.links if link.corridor == "trans-afghan"]
    assert afghan and all(link.status == "planned" for link in afghan)


def test_every_border_and_gauge_break_has_a_dwell(network: Network) -> None:
    gauges = {(link.from_id, link.gauge) for link in network.links if link.gauge} | {
        (link.to_id, link.gauge) for link in network.links if link.gauge
    }
    breaks = {p for p, g in gauges if (p, 1435 if g == 1520 else 1520) in gauges}
    rows = {r.place for r in network.node_times if r.kind == "gauge-change"}
    assert breaks and breaks <= rows
    assert {"dostyk", "altynkol", "akhalkalaki", "malaszewicze"} <= breaks
