"""route() and compare(): objectives, constraints, thinning and explanations."""

from __future__ import annotations

import pytest

from corridor.errors import NoRouteError, OptionError, UnknownPlaceError
from corridor.network.model import CORRIDOR_TAGS
from corridor.routing.api import RouteSet, compare, route


@pytest.fixture(scope="module")
def shanghai_belgrade() -> RouteSet:
    return route("Shanghai", "Belgrade")


def test_pareto_set_has_no_dominated_route(shanghai_belgrade: RouteSet) -> None:
    rows = [(r.total_time_h, r.total_cost_usd, r.co2e_kg) for r in shanghai_belgrade.routes]
    for a in rows:
        for b in rows:
            assert not (b != a and all(y <= x for x, y in zip(a, b, strict=True)))


def test_best_for_each_objective(shanghai_belgrade: RouteSet) -> None:
    routes = shanghai_belgrade.routes
    assert shanghai_belgrade.best("time").total_time_h == min(r.total_time_h for r in routes)
    assert shanghai_belgrade.best("cost").total_cost_usd == min(r.total_cost_usd for r in routes)
    assert shanghai_belgrade.best("co2").co2e_kg == min(r.co2e_kg for r in routes)
    assert shanghai_belgrade.best("time").corridor in ("Middle", "Northern")  # a 40ft box does not fly
    assert shanghai_belgrade.best("cost").corridor.startswith("Sea")


def test_weighted_best_balances_criteria(shanghai_belgrade: RouteSet) -> None:
    balanced = shanghai_belgrade.best(weights={"time": 1, "cost": 1})
    fastest, cheapest = shanghai_belgrade.best("time"), shanghai_belgrade.best("cost")
    assert balanced.total_time_h <= cheapest.total_time_h and balanced.total_cost_usd <= fastest.total_cost_usd
    with pytest.raises(OptionError):
        shanghai_belgrade.best(weights={"speed": 1})


def test_thinning_keeps_distinct_options(shanghai_belgrade: RouteSet) -> None:
    thin = shanghai_belgrade.thinned()
    assert 1 <= len(thin) <= len(shanghai_belgrade.routes)
    assert shanghai_belgrade.thinned(tolerance=0.0) == shanghai_belgrade.routes
    assert len(shanghai_belgrade.thinned(tolerance=10.0)) == 1


def test_avoiding_russia_removes_the_northern_route() -> None:
    found = route("Shanghai", "Belgrade", avoid_countries=["RU", "BY"])
    assert all(r.corridor != "Northern" for r in found.routes)
    assert all("Moscow" not in r.places for r in found.routes)


def test_avoiding_suez_sends_ships_round_the_cape() -> None:
    found = route("Shanghai", "Belgrade", avoid_passages=["suez"], avoid_countries=["RU"])
    sea = [r for r in found.routes if r.corridor.startswith("Sea")]
    assert sea and all(r.corridor == "Sea-Cape" for r in sea)


def test_reefer_cargo_never_flies_nor_stops_without_plugs() -> None:
    found = route("Shanghai", "Belgrade", cargo="40ft-reefer")
    assert all(r.corridor != "Air" for r in found.routes)
    dry = route("Shanghai", "Belgrade", cargo="40ft").best("cost")
    cold = found.best("cost")
    assert cold.total_cost_usd > dry.total_cost_usd and cold.co2e_kg > dry.co2e_kg


def test_twenty_foot_costs_less_than_forty() -> None:
    teu = route("Almaty", "Belgrade", cargo="20ft").best("cost")
    feu = route("Almaty", "Belgrade", cargo="40ft").best("cost")
    assert teu.total_cost_usd < feu.total_cost_usd
    assert teu.co2e_kg < feu.co2e_kg


def test_transshipment_limit_is_respected() -> None:
    found = route("Shanghai", "Belgrade", max_transshipments=1)
    assert found.routes and all(r.transshipments <= 1 for r in found.routes)
    with pytest.raises(NoRouteError, match="transshipment"):
        route("Shanghai", "Belgrade", max_transshipments=0)


def test_planned_links_only_on_request() -> None:
    # Makmal is reached only by the planned China-Kyrgyzstan-Uzbekistan line.
    with pytest.raises(NoRouteError, match="planned"):
        route("Kashgar", "Makmal")
    # Without the planned Trans-Afghan line, Termez reaches Peshawar only the long way round
    # (by rail to a North Sea port, then by sea to Karachi).
    current = route("Termez", "Peshawar").best("time")
    planned = route("Termez", "Peshawar", include_planned=True).best("time")
    assert current.corridor != "Trans-Afghan"
    assert planned.corridor == "Trans-Afghan"
    assert planned.distance_km < current.distance_km / 5


def test_no_route_names_the_constraint() -> None:
    # Poti–Baku is land only: with rail and road avoided, rail is the constraint that cuts every route.
    with pytest.raises(NoRouteError) as caught:
        route("Poti", "Baku", avoid_modes=["rail", "road"])
    assert caught.value.reason == "every route uses rail"


def test_unknown_place_and_bad_options() -> None:
    with pytest.raises(UnknownPlaceError):
        route("Atlantis", "Belgrade")
    with pytest.raises(OptionError):
        route("Shanghai", "Belgrade", avoid_modes=["teleport"])
    with pytest.raises(OptionError):
        route("Shanghai", "Belgrade", avoid_passages=["panama canal"])
    with pytest.raises(OptionError):
        route("Shanghai", "Belgrade", cargo="45ft")


def test_compare_shows_every_corridor_serving_the_pair() -> None:
    result = compare("Shanghai", "Belgrade")
    shown = [r.corridor for r in result.routes]
    # No Air: a container does not fly. North–South: Kazakhstan, Turkmenistan, Iran, then rail from
    # Astara (trucks Rasht–Astara) through the Caucasus.
    assert shown == ["Middle", "Northern", "Sea-Suez", "Sea-Cape", "North–South"]
    missing = {c for c, _ in result.unavailable}
    assert missing == {CORRIDOR_TAGS["trans-afghan"]}


def test_compare_drops_absurd_detours_and_shows_direct_rail() -> None:
    result = compare("Poti", "Baku")
    assert [r.corridor for r in result.routes] == ["Direct"]
    assert {c for c, _ in result.detours} == {"Northern", "Sea-Suez", "Sea-Cape", "Trans-Afghan"}
    assert all("wrong way" in why or "faster" in why or "overshoot" in why for _, why in result.detours)


def test_routes_convert_to_a_dataframe(shanghai_belgrade: RouteSet) -> None:
    frame = shanghai_belgrade.to_dataframe()
    assert len(frame) == len(shanghai_belgrade.routes)
    assert {"corridor", "total_time_h", "total_time_days", "total_cost_usd", "co2e_kg", "via"} <= set(frame.columns)
