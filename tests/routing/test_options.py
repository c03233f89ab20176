"""Typos in codes and names are errors with suggestions, in the library (CLI exit 2, API 422)."""

from __future__ import annotations

import json

import pytest

from corridor.errors import NoRouteError, OptionError, UnknownPlaceError
from corridor.routing.api import compare, route
from corridor.routing.options import ISO_COUNTRIES
from helpers import Runner


def test_a_swapped_country_code_is_rejected_with_the_code_meant() -> None:
    with pytest.raises(OptionError, match=r"'RI' is not an ISO 3166 country code \(did you mean IR"):
        route("Tashkent", "Istanbul", avoid_countries=["RI"])


def test_an_unassigned_code_is_rejected_and_lists_the_networks_countries() -> None:
    with pytest.raises(OptionError, match="'XX' is not an ISO 3166") as caught:
        compare("Shanghai", "Belgrade", avoid_countries=["XX"])
    assert "KZ" in str(caught.value) and "IR" in str(caught.value)


def test_a_real_country_outside_the_network_is_accepted() -> None:
    # Avoiding a sanctioned country the network never touches changes nothing, and is no typo.
    assert route("Almaty", "Tashkent", avoid_countries=["KP"]).routes


def test_passages_no_lane_passes_are_rejected_with_suggestions() -> None:
    with pytest.raises(OptionError, match="no sea lane in the network passes 'panama'"):
        route("Shanghai", "Belgrade", avoid_passages=["panama"])
    with pytest.raises(OptionError, match=r"did you mean suez"):
        route("Shanghai", "Belgrade", avoid_passages=["sues"])
    assert route("Shanghai", "Belgrade", avoid_passages=["Bab-el-Mandeb"]).routes


def test_the_iso_list_is_the_standards() -> None:
    pycountry = pytest.importorskip("pycountry")
    assert {c.alpha_2 for c in pycountry.countries} == ISO_COUNTRIES


def test_a_container_never_flies_and_air_cargo_may() -> None:
    boxes = route("Shanghai", "Belgrade")
    assert all(leg.mode != "air" for r in boxes.routes for leg in r.legs)
    with pytest.raises(NoRouteError, match="does not fly"):
        route("Astana", "Belgrade", corridor="air")
    air = route("Astana", "Belgrade", air_cargo=True)
    assert any(leg.mode == "air" for r in air.routes for leg in r.legs)
    assert "Air" in [r.corridor for r in compare("Astana", "Belgrade", air_cargo=True).routes]
    assert "Air" not in [c for c, _ in compare("Astana", "Belgrade").unavailable]


def test_via_pins_the_gateway() -> None:
    # KTZ runs Lianyungang–Istanbul trains through Altynkol (Khorgos), not Dostyk.
    free = route("Lianyungang", "Istanbul")
    pinned = route("Lianyungang", "Istanbul", via=["Altynkol"])
    assert pinned.routes and all("Altynkol" in r.places for r in pinned.routes)
    assert all(r.legs[k].to_id == r.legs[k + 1].from_id for r in pinned.routes for k in range(len(r.legs) - 1))
    assert all(len(set(r.places)) == len(r.places) for r in pinned.routes)  # no place twice
    via_dostyk = route("Lianyungang", "Istanbul", via=["Dostyk"])
    assert all("Dostyk" in r.places and "Altynkol" not in r.places for r in via_dostyk.routes)
    assert min(r.total_time_h for r in free.routes) <= min(r.total_time_h for r in pinned.routes)


def test_via_several_places_in_order_and_its_totals_add_up() -> None:
    found = route("Almaty", "Belgrade", via=["Aktau", "Tbilisi"])
    for r in found.routes:
        assert r.places.index("Aktau") < r.places.index("Tbilisi")
        legs = sum(leg.time_h for leg in r.legs) + sum(c.time_h for c in r.crossings)
        assert r.total_time_h == pytest.approx(legs)


def test_via_errors_are_clear() -> None:
    with pytest.raises(UnknownPlaceError):
        route("Almaty", "Belgrade", via=["Atlantis"])
    with pytest.raises(OptionError, match="already the origin"):
        route("Almaty", "Belgrade", via=["Almaty"])
    with pytest.raises(NoRouteError, match="no route passes Moscow"):
        route("Almaty", "Belgrade", via=["Moscow"], avoid_countries=["RU"])


def test_compare_takes_via_and_every_route_constraint() -> None:
    result = compare("Lianyungang", "Istanbul", via=["Altynkol"], avoid_modes=["road"], max_transshipments=3)
    assert result.routes and all("Altynkol" in r.places for r in result.routes)
    assert all(r.transshipments <= 3 for r in result.routes)


def test_a_known_passage_no_lane_passes_is_a_no_op_with_a_note(cli: Runner) -> None:
    # The Piraeus–Bar lane rounds the Peloponnese: the Corinth Canal is too narrow for container
    # ships, so avoiding it is a valid request that changes nothing, said in a note.
    plain = route("Piraeus", "Bar")
    found = route("Piraeus", "Bar", avoid_passages=["Corinth"])
    assert [r.total_time_h for r in found.routes] == [r.total_time_h for r in plain.routes]
    assert found.notes == ("no sea lane of the network passes corinth: avoiding it changes nothing",)
    assert not plain.notes and found.to_dict()["notes"] == list(found.notes)
    assert compare("Piraeus", "Bar", avoid_passages=["corinth"]).notes == found.notes
    with pytest.raises(OptionError, match=r"did you mean corinth"):
        route("Piraeus", "Bar", avoid_passages=["corinht"])
    ran = cli("route", "Piraeus", "Bar", "--avoid-passage", "corinth", "--format", "json")
    assert ran.returncode == 0 and "avoiding it changes nothing" in json.loads(ran.stdout)["notes"][0]
    assert cli("route", "Piraeus", "Bar", "--avoid-passage", "corinht").returncode == 2
    from fastapi.testclient import TestClient

    from corridor.interfaces.api import app

    client = TestClient(app, raise_server_exceptions=False)
    for path in ("/route", "/compare"):
        ok = client.get(path, params={"origin": "Piraeus", "destination": "Bar", "avoid_passage": "corinth"})
        assert ok.status_code == 200 and ok.json()["notes"] == list(found.notes)
        typo = client.get(path, params={"origin": "Piraeus", "destination": "Bar", "avoid_passage": "corinht"})
        assert typo.status_code == 422 and "did you mean corinth" in typo.json()["detail"]
