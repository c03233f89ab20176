"""Routes no shipper takes: the wrong way, and corridors far longer for no gain."""

from __future__ import annotations

from corridor.routing.api import compare, route
from corridor.routing.detours import BACKTRACK_FLOOR_KM, backtrack, worth_the_detour


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
        assert list(shown)[:2] == ["Middle", "Northern"] and not {"Sea-Suez", "Sea-Cape"} & set(shown)
        northern = shown["Northern"]
        assert "Yalama / Samur" in northern.places and "Warsaw" not in northern.places
        detours = dict(result.detours)
        assert {"Sea-Suez", "Sea-Cape"} <= set(detours)
        assert all(r.distance_km < 2 * min(s.distance_km for s in result.routes) for r in result.routes)


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
