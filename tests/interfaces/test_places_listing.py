"""`corridor places` lists and filters every place; /places suggests cities too."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from conftest import run_cli
from corridor.interfaces.api.server import app
from corridor.routing.api import default_network


def test_places_without_a_query_lists_every_place() -> None:
    result = run_cli("places", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert {p["id"] for p in json.loads(result.stdout)} == set(default_network().places)


def test_places_filtered_by_country_and_kind_as_geojson() -> None:
    result = run_cli("places", "--country", "KZ", "--kind", "seaport", "--format", "geojson")
    assert result.returncode == 0, result.stderr
    features = json.loads(result.stdout)["features"]
    assert {f["properties"]["id"] for f in features} == {"aktau", "kuryk"}
    assert all(f["geometry"]["type"] == "Point" for f in features)


def test_places_finds_cities_when_asked() -> None:
    result = run_cli("places", "Кокшетау", "--cities", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [p["kind"] for p in json.loads(result.stdout)] == ["city"]


def test_an_unknown_place_says_how_many_there_are_and_suggests() -> None:
    result = run_cli("route", "Kokshetaw", "Belgrade")
    assert result.returncode != 0
    message = " ".join(result.stderr.split())
    assert f"{len(default_network().places)} places" in message
    assert "Kokshetau, KZ" in message and "Near Kokshetau (KZ)" in message


def test_api_places_suggests_cities_after_network_places() -> None:
    found = TestClient(app).get("/places", params={"q": "Kraguj"}).json()
    assert found[0]["name"] == "Kragujevac (RS)" and found[0]["kind"] == "city"
    chengdu = TestClient(app).get("/places", params={"q": "成都"}).json()
    assert chengdu[0]["kind"] == "dry_port"  # the Chengdu terminal; the city of Chengdu is that place,
    assert "Chengdu (CN)" not in [p["name"] for p in chengdu]  # not listed again as a city


def test_api_routes_from_a_city_chosen_in_the_autocomplete() -> None:
    response = TestClient(app).get("/route", params={"origin": "Kokshetau (KZ)", "destination": "Kragujevac (RS)"})
    assert response.status_code == 200
    legs = response.json()["routes"][0]["legs"]
    assert legs[0]["mode"] == "road" and legs[-1]["mode"] == "road"


def test_api_asks_about_an_ambiguous_name() -> None:
    response = TestClient(app).get("/route", params={"origin": "Dimitrovgrad", "destination": "Belgrade"})
    assert response.status_code == 422
    assert "ambiguous" in response.json()["detail"]
