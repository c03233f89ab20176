"""Routes no shipper takes: the wrong way, and corridors far longer for no gain."""

from __future__ import annotations

from corridor.errors import NoRouteError
from corridor.routing.api import compare, default_network, route
from corridor.routing.detours import BACKTRACK_FLOOR_KM, GATEWAY_SHARE, backtrack, gateway_port, worth_the_detour
from corridor.routing.itinerary import Route


def test_backtrack_measures_how_far_a_route_falls_back() -> None:
    dist = {"o": 1000.0, "a": 800.0, "b": 1300.0, "c": 200.0, "d": 0.0}
    assert backtrack(["o", "a", "c", "d"], dist) is None
    assert backtrack(["o", "a", "b", "c", "d"], dist) == ("b", 500.0)  # 500 km past its best, 800
    near = {"o": 1000.0, "a": 800.0, "b": 800.0 + BACKTRACK_FLOOR_KM - 1, "d": 0.0}
    assert backtrack(["o", "a", "b", "d"], near) is None  # a border station off the line


def test_almaty_and_xian_to_baku_show_no_northern_or_sea_loop() -> None:
    # Issue 10: compare listed a Northern route via Brest, Warsaw and the Balkans (10–13,000 km).
    # The real Northern way to Baku runs Atyrau – Astrakhan – Makhachkala – Samur/Yalama.
    for origin in ("Almaty", "Xian"):
        result = compare(origin, "Baku")
        shown = {r.corridor: r for r in result.routes}
        assert list(shown)[:2] == ["Middle", "Northern"]
        northern = shown["Northern"]
        assert "Yalama / Samur" in northern.places and "Warsaw" not in northern.places
        land = [r for r in result.routes if all(leg.mode != "sea" for leg in r.legs)]
        assert all(r.distance_km < 2 * min(s.distance_km for s in land) for r in land)
        for r in result.routes:  # a sea route sails from a Chinese port, after a short pre-carriage
            assert "Warsaw" not in r.places and _sails_early(r)
    # From Almaty the sea routes sail from a Chinese port, at least 4,196 km away for a destination
    # 2,251 km away: listed as overshooting, with the reason, not shown.
    detours = dict(compare("Almaty", "Baku").detours)
    assert {"Sea-Suez", "Sea-Cape"} <= set(detours) and "overshoot" in detours["Sea-Suez"]
    assert "4,196 km from Almaty" in detours["Sea-Suez"]


def test_a_corridor_goes_only_the_wrong_way_when_every_shown_route_is_dropped() -> None:
    # Almaty → Baku, Northern: one route kept (Atyrau, Astrakhan), one dropped (Samara, Volgograd);
    # as many dropped as kept is not "every route", which hid the corridor from compare.
    northern = route("Almaty", "Baku", corridor="northern")
    assert len(northern.routes) == len(northern.detours) == 1 and not northern.only_wrong_way
    assert route("Poti", "Baku", corridor="sea-suez").only_wrong_way  # round Asia: kept only as asked for


def _sails_early(r: Route) -> bool:
    first_sea = next((i for i, leg in enumerate(r.legs) if leg.mode == "sea"), None)
    if first_sea is None:
        return True
    return sum(leg.distance_km for leg in r.legs[:first_sea]) <= GATEWAY_SHARE * r.distance_km


def test_inland_origins_keep_the_sea_option() -> None:
    # A fresh user's test: `compare Xian Duisburg --date 2024-06` dropped both sea corridors because
    # Shanghai is 1,500 km further from Duisburg by land than Xi'an. Rail to a port, then sea, is
    # how most inland-China cargo reaches Europe: swept over inland origins and European ports.
    for origin in ("Xian", "Chengdu", "Chongqing", "Zhengzhou", "Wuhan"):
        for destination in ("Duisburg", "Rotterdam", "Hamburg", "Piraeus"):
            try:
                result = compare(origin, destination, date="2024-06")
            except NoRouteError:
                continue
            sea = [r for r in result.routes if any(leg.mode == "sea" for leg in r.legs)]
            reasons = " / ".join(f"{c}: {why}" for c, why in result.detours)
            assert sea, f"{origin} → {destination}: no sea option ({reasons})"
            assert all(_sails_early(r) for r in sea)


def test_gateway_port_is_the_port_of_loading_after_a_short_pre_carriage() -> None:
    r = route("Xian", "Rotterdam", corridor="sea-cape").routes[0]
    port = gateway_port(r.legs, r.distance_km)
    first_sea = next(leg for leg in r.legs if leg.mode == "sea")
    assert port == first_sea.from_id and default_network().places[port].kind == "seaport"
    pre_carriage = sum(leg.distance_km for leg in r.legs if leg.mode != "sea")
    assert gateway_port(r.legs, pre_carriage) is None  # a haul as long as the route is not a pre-carriage
    assert gateway_port([leg for leg in r.legs if leg.mode == "sea"], r.distance_km) is None  # starts at sea


def test_a_faster_way_round_is_kept() -> None:
    # Rail round the Black Sea from Poti to Poland sets off away from Poland (Poti is "near" Europe
    # by the short sea crossing) but saves days: a gain a shipper pays for.
    found = route("Poti", "Malaszewicze")
    overland = [r for r in found.routes if all(leg.mode == "rail" for leg in r.legs)]
    assert overland
    assert overland[0].total_time_h < 0.9 * min(r.total_time_h for r in found.routes if r not in overland)


def test_the_cape_route_stays_next_to_suez_for_what_it_avoids() -> None:
    result = compare("Shanghai", "Rotterdam")
    assert {"Sea-Suez", "Sea-Cape"} <= {r.corridor for r in result.routes}


def test_worth_the_detour_needs_ten_percent() -> None:
    found = route("Almaty", "Belgrade")
    fast, cheap = found.best("time"), found.best("cost")
    assert worth_the_detour(fast, [])
    assert not worth_the_detour(fast, [fast])
    gain = fast.total_time_h <= 0.9 * cheap.total_time_h or fast.total_cost_usd <= 0.9 * cheap.total_cost_usd
    assert worth_the_detour(fast, [cheap]) == gain


def test_compare_skips_only_corridors_whose_every_route_would_overshoot() -> None:
    # out_of_reach lets compare skip a corridor search; it must never skip one with a shown route.
    from corridor.errors import SearchBudgetError
    from corridor.network.model import CORRIDOR_TAGS
    from corridor.routing.detours import out_of_reach, overshoot

    net = default_network()
    skipped = 0
    for a, b in [("almaty", "baku"), ("xian", "duisburg"), ("tashkent", "turkmenbashi"), ("piraeus", "sofia")]:
        for tag in CORRIDOR_TAGS:
            if out_of_reach(net, tag, a, b) is None:
                continue
            skipped += 1
            try:
                found = route(a, b, corridor=tag, network=net)
            except (NoRouteError, SearchBudgetError):
                continue
            assert all(overshoot(net, r, [a, b]) for r in [*found.routes, *(d for d, _ in found.detours)])
    assert skipped > 0


def test_an_inland_pair_compares_without_searching_hopeless_sea_corridors() -> None:
    result = compare("Tashkent", "Almaty")
    reasons = dict(result.detours)
    assert "overshoot" in reasons["Sea-Suez"] and "budget" not in reasons["Sea-Suez"]
