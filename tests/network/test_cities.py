"""Any city as an origin or destination: gazetteer look-up, ambiguity and first/last-mile legs."""

from __future__ import annotations

import pytest

from corridor.errors import AmbiguousPlaceError, UnknownPlaceError
from corridor.network.cities import City, find_cities, first_mile_links, load_cities, resolve_endpoint
from corridor.network.io import load_network
from corridor.network.model import Network, Place
from corridor.network.resolve import great_circle_km
from corridor.routing.api import default_network, route


@pytest.fixture(scope="module")
def net() -> Network:
    return default_network()


def test_the_gazetteer_covers_the_region(net: Network) -> None:
    cities = load_cities(net.data_dir)
    assert len(cities) > 10_000
    assert all(c.population >= 15_000 for c in cities)
    countries = {c.country for c in cities}
    assert {"CN", "KZ", "UZ", "RU", "TR", "RS", "DE", "ES"} <= countries
    assert len({c.geonameid for c in cities}) == len(cities)


@pytest.mark.parametrize("name", ["Kokshetau", "Кокшетау", "Көкшетау", "科克舍套", "kokshetau"])
def test_a_city_resolves_in_any_of_its_languages(net: Network, name: str) -> None:
    found = resolve_endpoint(net, name)
    assert isinstance(found, City) and found.name == "Kokshetau" and found.country == "KZ"


def test_network_places_come_before_cities(net: Network) -> None:
    assert isinstance(resolve_endpoint(net, "Almaty"), Place)
    assert isinstance(resolve_endpoint(net, "Łódź"), Place)


@pytest.mark.parametrize(
    ("name", "countries"),
    [("Dimitrovgrad", {"RS", "BG", "RU"}), ("Серахс", {"IR", "TM"})],
)
def test_a_name_in_several_countries_is_asked_about(net: Network, name: str, countries: set[str]) -> None:
    with pytest.raises(AmbiguousPlaceError) as err:
        resolve_endpoint(net, name)
    for code in countries:
        assert f"({code}" in str(err.value) or f" in {code}" in str(err.value)


def test_a_country_code_settles_the_ambiguity(net: Network) -> None:
    bg = resolve_endpoint(net, "Dimitrovgrad, BG")
    assert bg.country == "BG"  # the Bulgarian station (a network place since the network grew)
    rs = resolve_endpoint(net, "Dimitrovgrad (RS)")
    assert isinstance(rs, Place) and rs.id == "dimitrovgrad_rs"
    with pytest.raises(UnknownPlaceError, match="Dimitrovgrad"):
        resolve_endpoint(net, "Dimitrovgrad, PT")


def test_an_unknown_name_is_still_an_error(net: Network) -> None:
    with pytest.raises(UnknownPlaceError):
        resolve_endpoint(net, "Qwertyuiopgrad")


def test_first_mile_goes_to_nearby_terminals_of_the_same_country(net: Network) -> None:
    (kokshetau,) = [c for c in find_cities(net, "Kokshetau") if c.country == "KZ"]
    links = first_mile_links(net, kokshetau)
    assert 1 <= len(links) <= 3
    for link in links:
        terminal = net.places[link.to_id]
        assert terminal.country == "KZ" and terminal.kind in ("terminal", "dry_port", "seaport")
        straight = great_circle_km(kokshetau.lat, kokshetau.lon, terminal.lat, terminal.lon)
        assert link.mode == "road" and link.distance_km is not None and link.distance_km >= straight
        assert link.time_h and link.tariff_feu_usd and link.distance_source in net.sources  # OSM2: measured
        assert terminal.name in link.notes and "nearest container" in link.notes  # which terminal, and why


def test_kokshetau_to_kragujevac_has_road_legs_at_both_ends() -> None:
    # Novi Sad, the example, became a terminal of the network; Kragujevac is a city without one.
    routes = route("Kokshetau", "Kragujevac", avoid_modes=["air"]).routes
    for r in routes:
        first, last = r.legs[0], r.legs[-1]
        assert first.mode == last.mode == "road"
        assert first.origin.startswith("Kokshetau") and last.destination.startswith("Kragujevac")
        assert first.cost_usd > 0 and first.co2e_kg > 0 and first.time_h > 0
        assert any(c.kind == "transshipment" for c in r.crossings)


def test_loading_the_network_does_not_read_the_gazetteer(net: Network) -> None:
    load_cities.cache_clear()
    load_network(net.data_dir)
    assert load_cities.cache_info().currsize == 0


def test_a_gateway_in_the_larger_town_of_its_name_wins(net: Network) -> None:
    brest = resolve_endpoint(net, "Brest")
    assert isinstance(brest, Place) and brest.id == "brest"
    french = resolve_endpoint(net, "Brest, FR")
    assert isinstance(french, City) and french.country == "FR"


def test_measured_road_legs_are_real_roads_to_container_places(net: Network) -> None:
    """Every leg of ``city_roads.csv`` reaches a place that takes a box off a truck, cites a source,
    and is no shorter than the straight line (allowing for snapping each end to the road graph)."""
    from corridor.network.cities import FIRST_MILE_KINDS, load_city_roads

    cities = {c.geonameid: c for c in load_cities(net.data_dir)}
    roads = load_city_roads(net.data_dir)
    assert len(roads) > 9_000
    for gid, legs in roads.items():
        city = cities[gid]
        for place_id, km, source in legs:
            place = net.places[place_id]
            assert place.kind in FIRST_MILE_KINDS and source in net.sources
            assert km >= 0.9 * great_circle_km(city.lat, city.lon, place.lat, place.lon) - 10
