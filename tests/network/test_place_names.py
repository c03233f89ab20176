"""A network place is reached by its GeoNames names in every language, never as a city beside itself."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from corridor.errors import AmbiguousPlaceError, DataFileError, UnknownPlaceError
from corridor.network.cities import cities_matching, load_cities, resolve_endpoint
from corridor.network.io import load_network
from corridor.network.model import Network, Place
from corridor.network.places import PLACE_NAMES_FILE, find_places
from corridor.network.resolve import great_circle_km
from corridor.routing.api import default_network


@pytest.fixture(scope="module")
def net() -> Network:
    return default_network()


def _rows(net: Network) -> list[dict[str, str]]:
    with (Path(net.data_dir) / PLACE_NAMES_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_place_name_of_every_language_resolves_to_that_place(net: Network) -> None:
    """Each name gives its place; a name other places or cities abroad share (Бар: Bar ME, Bar UA)
    is asked about, and with the country code gives the place."""
    rows = _rows(net)
    assert len({r["id"] for r in rows}) > 100 and {r["lang"] for r in rows} == {"en", "ru", "kk", "sr", "zh"}
    wrong, asked = {}, 0
    for row in rows:
        place = net.places[row["id"]]
        try:
            found = resolve_endpoint(net, row["name"])
        except AmbiguousPlaceError:
            asked += 1
            found = resolve_endpoint(net, f"{row['name']}, {place.country}")
        if not isinstance(found, Place) or found.id != row["id"]:
            wrong[row["name"]] = f"{row['id']}: got {getattr(found, 'id', found)}"
    assert not wrong
    assert asked < len(rows) / 50  # the rare shared names, not the rule


def test_every_name_of_a_linked_city_gives_the_place_not_a_truck_leg(net: Network) -> None:
    cities = {c.geonameid: c for c in load_cities(net.data_dir)}
    wrong = []
    for place in (p for p in net.places.values() if p.geonameid):
        city = cities[place.geonameid]
        assert city.country == place.country
        assert great_circle_km(city.lat, city.lon, place.lat, place.lon) < 40
        for name in (city.name, *city.names):
            try:
                found = resolve_endpoint(net, name)
            except AmbiguousPlaceError:  # shared with a city abroad (Бар): the country code settles it
                found = resolve_endpoint(net, f"{name}, {city.country}")
            if not isinstance(found, Place) or found.id != place.id:
                wrong.append((name, place.id))
    assert not wrong


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("塔什干", "tashkent"),
        ("巴库", "baku"),
        ("伊斯坦布尔", "istanbul"),
        ("阿拉木图", "almaty"),
        ("杜伊斯堡", "duisburg"),
    ],
)
def test_chinese_names_of_key_hubs(net: Network, name: str, place_id: str) -> None:
    found = resolve_endpoint(net, name)
    assert isinstance(found, Place) and found.id == place_id


def test_a_city_that_is_a_place_is_not_listed_again_as_a_city(net: Network) -> None:
    assert "1526384" not in {c.geonameid for c in cities_matching(net, "Almaty")}  # GeoNames Almaty
    assert net.places["almaty"].geonameid == "1526384"


def test_suggestions_name_each_place_once(net: Network) -> None:
    with pytest.raises(UnknownPlaceError) as exc:
        resolve_endpoint(net, "Almtay")
    names = [s.split(",")[0].split(" (")[0] for s in exc.value.suggestions]
    assert names.count("Almaty") == 1


@pytest.mark.parametrize(("query", "place_id"), [("Xian", "xian"), ("KZALA", "almaty"), ("Almaty", "almaty")])
def test_an_exact_name_or_code_is_the_only_answer(net: Network, query: str, place_id: str) -> None:
    assert [p.id for p in find_places(net, query)] == [place_id]


def _copy(tmp_path: Path, net: Network) -> Path:
    data = tmp_path / "data"
    shutil.copytree(net.data_dir, data)
    return data


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("nowhere,1526384,en,Nowhere,GN1", "id"),
        ("almaty,1526384,en,Almaty,NOSUCH", "source"),
        ("almaty,99,ru,Алма,GN1", "geonameid"),
        ("dostyk,1526384,ru,Достык,GN1", "geonameid"),  # Almaty's city is Almaty's
        ("almaty,1526384,xx,Almaty,GN1", "lang"),
        ("almaty,1526384,ru,Алматы,GN1", "name"),
    ],
)
def test_a_broken_names_file_is_reported_by_line_and_field(tmp_path: Path, net: Network, row: str, field: str) -> None:
    data = _copy(tmp_path, net)
    path = data / PLACE_NAMES_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_network(data)
    problems = exc.value.problems
    assert [(p.file, p.line, p.field) for p in problems] == [(PLACE_NAMES_FILE, len(lines) + 1, field)]
