"""A border is one event on the link that crosses it, charged once in the direction travelled."""

from __future__ import annotations

from collections import defaultdict

import pytest

from corridor.pricing.apply import network_at
from corridor.routing.api import default_network, graph_for, route
from corridor.routing.options import RouteOptions


def _borders(origin: str, destination: str, **options: object) -> list[tuple[tuple[str, ...], float]]:
    best = route(origin, destination, **options).best("time")  # type: ignore[arg-type]
    return [(c.countries, c.time_h) for c in best.crossings if c.kind == "border"]


def test_one_border_between_two_countries_is_charged_once() -> None:
    # Tashkent and Turkmenabat both keep a border row; the one UZ–TM border used to be paid twice.
    assert _borders("Tashkent", "Turkmenabat") == [(("UZ", "TM"), 6.0)]
    assert _borders("Turkmenabat", "Tashkent") == [(("TM", "UZ"), 6.0)]


def test_borders_are_named_by_both_sides() -> None:
    best = route("Tashkent", "Turkmenabat").best("time")
    (border,) = [c for c in best.crossings if c.kind == "border"]
    assert border.label == "UZ → TM border (Bukhara (Kagan) – Turkmenabat)"
    assert border.to_dict()["from_country"] == "UZ" and border.to_dict()["to_country"] == "TM"


def test_a_station_where_a_route_enters_and_leaves_a_country_pays_two_borders() -> None:
    best = route("Tashkent", "Turkmenbashi").best("time")
    borders = [c.countries for c in best.crossings if c.kind == "border"]
    assert borders[0] == ("UZ", "TM") and len(borders) == len(set(borders))


def test_a_domestic_route_pays_no_border() -> None:
    assert _borders("Almaty", "Aktau") == []
    assert _borders("Shanghai", "Urumqi") == []


def test_customs_union_borders_without_a_stop_are_not_shown() -> None:
    # Kazakhstan–Russia (EAEU) and Poland–Germany (EU): the data's zero rows are no event at all.
    best = route("Astana", "Duisburg", corridor="northern").best("time")
    pairs = [c.countries for c in best.crossings if c.kind == "border"]
    assert ("KZ", "RU") not in pairs and ("PL", "DE") not in pairs
    assert all(c.time_h > 0 for c in best.crossings if c.kind == "border")


def test_a_directional_border_row_applies_in_its_direction_only() -> None:
    # Brest–Małaszewicze: westbound trains wait 2–3 days (S60), eastbound 6 h.
    west = route("Minsk", "Warsaw").best("time")
    east = route("Warsaw", "Minsk").best("time")
    assert [c.time_h for c in west.crossings if c.countries == ("BY", "PL")] == [60.0]
    assert [c.time_h for c in east.crossings if c.countries == ("PL", "BY")] == [6.0]


@pytest.mark.parametrize("date", [None, "2024-06"])
def test_one_border_rule_over_every_crossing_of_the_network(date: str | None) -> None:
    # A fresh user's test: EAEU borders were charged USD 193 / 0 h on Bishkek → Shu and Samara →
    # Aktobe (a dated default tariff landed on their 0-h rows) but skipped on Atyrau → Astrakhan.
    # Swept over every arc of the network, priced undated and at a date: every land link between
    # the same two countries is a stop, or none is; a stop holds the box (time > 0); a sea or
    # ferry crossing is never a border event (its formalities are in the port dwell).
    network = network_at(default_network(), date)
    stops: dict[frozenset[str], set[bool]] = defaultdict(set)
    for arc in graph_for(network, RouteOptions(include_planned=True)).arcs:
        a, b = (network.places[p].country for p in (arc.link.from_id, arc.link.to_id))
        borders = [e for e in arc.events if e.kind == "border"]
        assert all(e.time_h > 0 for e in borders), arc.link.key
        if arc.link.mode not in ("rail", "road"):
            assert not borders, arc.link.key
        elif a != b:
            stops[frozenset((a, b))].add(bool(borders))
    assert all(len(kinds) == 1 for kinds in stops.values()), {tuple(sorted(k)) for k, v in stops.items() if len(v) > 1}
    for union in (("KZ", "RU"), ("KG", "KZ"), ("BY", "RU"), ("PL", "DE")):
        assert stops[frozenset(union)] == {False}, union


def test_bishkek_to_istanbul_pays_no_eaeu_border_before_the_train_moves() -> None:
    best = route("Bishkek", "Istanbul", avoid_countries=["RU"]).best("time")
    assert all(c.countries != ("KG", "KZ") for c in best.crossings if c.kind == "border")
