"""The hubs a forwarder names: the issue's done-when queries and a sweep over China–Europe pairs."""

from __future__ import annotations

from collections import deque

import pytest

from corridor.network.model import Network
from corridor.network.resolve import great_circle_km
from corridor.routing.api import default_network, route

CHINESE_HUBS = ["Chengdu", "Zhengzhou", "Wuhan", "Yiwu", "Hefei", "Changsha", "Suzhou", "Qingdao", "Ningbo"]
CHINESE_HUBS += ["Tianjin", "Shenzhen", "Kashgar", "Xian", "Chongqing"]
EUROPEAN_TERMINALS = ["Łódź", "Madrid", "Milan"]


@pytest.fixture(scope="module")
def net() -> Network:
    return default_network()


def test_every_place_is_joined_to_the_network(net: Network) -> None:
    neighbours: dict[str, set[str]] = {p: set() for p in net.places}
    for link in net.links:
        neighbours[link.from_id].add(link.to_id)
        neighbours[link.to_id].add(link.from_id)
    seen, todo = {"xian"}, deque(["xian"])
    while todo:
        for nxt in neighbours[todo.popleft()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    assert set(net.places) - seen == set()


def test_planned_lines_say_when_they_open(net: Network) -> None:
    for link in net.links:
        if link.status == "planned" and link.corridor != "trans-afghan":
            assert "opens 20" in link.notes or "expected 20" in link.notes, link.key


@pytest.mark.parametrize("origin", CHINESE_HUBS)
@pytest.mark.parametrize("destination", EUROPEAN_TERMINALS)
def test_china_europe_pairs_have_land_routes(net: Network, origin: str, destination: str) -> None:
    routes = route(origin, destination, avoid_modes=["air"], network=net).routes
    assert any(r.corridor == "Northern" for r in routes)
    a, b = (net.places[p] for p in (routes[0].legs[0].from_id, routes[0].legs[-1].to_id))
    floor = great_circle_km(a.lat, a.lon, b.lat, b.lon)
    for r in routes:
        assert r.distance_km >= floor
        assert all(leg.distance_km > 0 and leg.time_h > 0 for leg in r.legs)


def test_chengdu_lodz_enters_the_eu_at_malaszewicze(net: Network) -> None:
    best = route("Chengdu", "Łódź", corridor="northern", network=net).best("time")
    assert "malaszewicze" in {leg.to_id for leg in best.legs}
    assert 8 < best.total_time_days < 25


def test_kashgar_tashkent_takes_the_planned_line_only_when_asked(net: Network) -> None:
    # Today the short way is the multimodal one: trucks over Irkeshtam to Osh, then rail.
    today = route("Kashgar", "Tashkent", network=net).best("time")
    assert [leg.mode for leg in today.legs][:2] == ["road", "road"]
    assert {"irkeshtam", "osh"} <= {leg.to_id for leg in today.legs}
    # By rail alone, the planned China-Kyrgyzstan-Uzbekistan line is used only when asked.
    by_rail = ["road", "sea", "ferry", "air"]
    rail_today = route("Kashgar", "Tashkent", avoid_modes=by_rail, network=net).best("time")
    planned = route("Kashgar", "Tashkent", avoid_modes=by_rail, include_planned=True, network=net).best("time")
    assert "makmal" not in {leg.to_id for leg in rail_today.legs}
    assert "makmal" in {leg.to_id for leg in planned.legs}
    assert planned.distance_km < rail_today.distance_km / 2


def test_bishkek_istanbul_avoiding_russia(net: Network) -> None:
    routes = route("Bishkek", "Istanbul", avoid_countries=["RU"], avoid_modes=["air"], network=net).routes
    assert routes and all(r.corridor == "Middle" for r in routes)
    for r in routes:
        assert all(net.places[p].country != "RU" for leg in r.legs for p in (leg.from_id, leg.to_id))


def test_yiwu_madrid_changes_gauge_at_the_spanish_border(net: Network) -> None:
    best = route("Yiwu", "Madrid", corridor="northern", network=net).best("time")
    kinds = {(c.place_id, c.kind) for c in best.crossings}
    assert ("irun", "gauge-change") in kinds and ("malaszewicze", "gauge-change") in kinds
