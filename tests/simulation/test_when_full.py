"""Ferries that keep no timetable sail when full (``when_full`` in sailings.csv), within the fleet.

The Kuryk–Alat rail ferries leave once loaded (OECD: no fixed timetable on the Caspian, S03):
a vessel at the quay leaves when its container room is full or after the observed mean interval
between departures (168 h / 13.8 a week, N01), and is back a round trip later (fleets.csv). The
Aktau–Alat feeders keep a timetable and sail in rotation, full or not. Storms are taken out here
so the departures can be counted against the fleet.
"""

from __future__ import annotations

import dataclasses

import pytest

from corridor import settings
from corridor.simulation.engine import Assignment, ResourceKey, SimResult, Stat, simulate_flows
from corridor.simulation.runner import Plan, prepare
from corridor.simulation.schema import parse_scenario

SCENARIO = """
name: when full
year: 2026
demand:
  - {origin: Almaty, destination: Baku, teu_per_year: 1000}
route_choice: {corridors: [middle]}
"""
FERRY = ResourceKey("kuryk", "ferry", "alat")
FEEDER = ResourceKey("aktau", "sea", "alat")
YEARS = 0.5


@pytest.fixture(scope="module")
def calm() -> Plan:
    plan = prepare(parse_scenario(SCENARIO))
    return dataclasses.replace(plan, network=dataclasses.replace(plan.network, weather=()))


def _line(plan: Plan, port: str, teu_per_year: float) -> tuple[SimResult, Stat]:
    route = next(r for r in plan.options[0] if any(leg.from_id == port for leg in r.legs))
    result = simulate_flows(
        plan.network,
        [Assignment("Almaty → Baku", route, teu_per_year)],
        plan.capacities,
        plan.fleets,
        years=YEARS,
        seed=5,
        yards=plan.yards,
    )
    key = FERRY if port == "kuryk" else FEEDER
    return result, next(s for s in result.stats if s.key == key)


def _per_week(stat: Stat) -> float:
    return stat.departures / (YEARS * settings.HOURS_PER_YEAR / settings.HOURS_PER_WEEK)


def test_the_kuryk_ferries_sail_when_full_and_the_aktau_feeders_keep_their_timetable(calm: Plan) -> None:
    rule = next(s for s in calm.network.sailings if (s.from_id, s.to_id) == ("kuryk", "alat"))
    assert rule.rule == "when_full"
    assert _line(calm, "kuryk", 1000)[1].capacity.endswith("sails when full")
    feeder = _line(calm, "aktau", 1000)[1]
    fleet = calm.fleets[("aktau", "alat", "sea")]
    assert "when full" not in feeder.capacity
    assert _per_week(feeder) == pytest.approx(fleet.vessels * settings.HOURS_PER_WEEK / fleet.round_trip_h, rel=0.01)


def test_with_more_cargo_than_room_the_ferries_sail_full_as_often_as_the_fleet_can(calm: Plan) -> None:
    fleet = calm.fleets[("kuryk", "alat", "ferry")]
    _, ferry = _line(calm, "kuryk", 200_000)
    assert _per_week(ferry) == pytest.approx(fleet.vessels * settings.HOURS_PER_WEEK / fleet.round_trip_h, rel=0.02)
    assert ferry.utilisation > 0.97


def test_with_little_cargo_a_ferry_leaves_after_the_observed_interval(calm: Plan) -> None:
    # A vessel waits for a load at most 168 / 13.8 = 12.2 h, then leaves with what it has and is
    # back a 60 h round trip later: four vessels leave about 4 × 168 / (12.2 + 60) = 9.3 times a
    # week, not in a fixed 15 h rotation, and a box waits about half the interval for a departure.
    rule = next(s for s in calm.network.sailings if (s.from_id, s.to_id) == ("kuryk", "alat"))
    fleet = calm.fleets[("kuryk", "alat", "ferry")]
    max_wait = settings.HOURS_PER_WEEK / rule.departures_per_week
    cycle = max_wait + fleet.round_trip_h
    _, ferry = _line(calm, "kuryk", 1000)
    assert _per_week(ferry) == pytest.approx(fleet.vessels * settings.HOURS_PER_WEEK / cycle, rel=0.03)
    assert ferry.mean_queue_h() == 0  # room for every box: no queue for capacity
    assert ferry.mean_schedule_h() < cycle / fleet.vessels


def test_more_cargo_means_more_ferry_departures_up_to_the_fleet(calm: Plan) -> None:
    sailings = [_per_week(_line(calm, "kuryk", teu)[1]) for teu in (1000, 40_000, 80_000, 200_000)]
    assert sailings == sorted(sailings) and sailings[-1] > 1.1 * sailings[0]
