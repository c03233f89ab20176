"""Property tests of the simulation engine over scenario inputs (Hypothesis).

The routes are found once (Almaty → Baku on the Middle Corridor: by rail ferry from Kuryk and by
feeder from Aktau, sharing the port of Alat); each example then simulates a short period with
drawn demand, seasonality, fleets, crossing capacities and closures. Every run must finish, and:

* TEU are conserved: a flow releases exactly its demand, and released = delivered + in transit
  + waiting when the run ends;
* less capacity (fewer vessels, a slower crossing, a closure) never delivers more;
* at equal capacity, more demand never delivers fewer TEU, nor a larger share of the demand.

The issue words the last one as "more demand never delivers a smaller share": that cannot hold
in a model with capacity, nor in reality: once a line is full, more demand leaves a larger part
of it waiting (Kuryk, 130,284 → 651,420 TEU a year over 0.219 years: 62 % → 12 % delivered). What holds is the
absolute count (more demand never gets fewer boxes through) and the share falling, never rising.

Train loads are delivered whole: a load whose first boxes sailed before the run ended, and whose
last boxes did not, counts as waiting; and the last load of a flow carries the remainder, so in
a run with more demand the same release time holds a full load. Through a stage that holds loads
whole against room in TEU (a vessel, a yard) the boxes that got through never fall with more
demand, but the whole loads among them can fall short by up to one load. So the monotonicity
holds up to one train load (:data:`TEU_PER_TRAIN`) at the end of the run, the granularity of the
model.

Monotonicity is checked on one route at a time: with several routes sharing a crossing, delaying
one flow can let another through earlier, so the total is not monotone in general. Every flow
and every port's storms draw from their own random stream, so two runs that differ by one input
share everything else.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corridor.errors import CorridorError
from corridor.simulation.engine import (
    TEU_PER_TRAIN,
    Assignment,
    CrossingCapacity,
    Fleet,
    ResourceKey,
    SimResult,
    Window,
    simulate_flows,
)
from corridor.simulation.runner import Plan, _route_delay, prepare, run_scenario
from corridor.simulation.schema import parse_scenario

SCENARIO = """
name: property tests
year: 2026
demand:
  - {origin: Almaty, destination: Baku, teu_per_year: 1000}
route_choice: {corridors: [middle]}
"""
START = date(2026, 1, 1)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def plan() -> Plan:
    return prepare(parse_scenario(SCENARIO))


def _via(plan: Plan, port: str) -> Assignment:
    route = next(r for r in plan.options[0] if any(leg.from_id == port for leg in r.legs))
    return Assignment("Almaty → Baku", route, 1.0)


def _run(
    plan: Plan,
    flows: list[tuple[Assignment, float]],
    *,
    years: float,
    seasonality: tuple[float, ...] = (),
    vessels: int | None = None,
    port_factor: float = 1.0,
    closure: tuple[float, float] | None = None,
) -> SimResult:
    fleets = dict(plan.fleets)
    if vessels is not None:
        f = fleets[("kuryk", "alat", "ferry")]
        fleets[("kuryk", "alat", "ferry")] = Fleet(
            f.from_id, f.to_id, f.mode, vessels, f.teu_per_sailing, f.round_trip_h
        )
    capacities = dict(plan.capacities)
    c = capacities[("alat", "port")]
    capacities[("alat", "port")] = CrossingCapacity(c.place, c.kind, c.trains_per_day * port_factor)
    windows = {("alat", "port"): (Window(*closure, 0.0),)} if closure else {}
    assignments = [Assignment(a.od, a.route, teu, seasonality) for a, teu in flows]
    return simulate_flows(
        plan.network,
        assignments,
        capacities,
        fleets,
        years=years,
        seed=7,
        start=START,
        yards=plan.yards,
        windows=windows,
    )


def _delivered(result: SimResult) -> float:
    return sum(result.delivered_teu.values())


seasons = st.one_of(
    st.just(()),
    st.lists(st.floats(0, 10), min_size=12, max_size=12)
    .filter(lambda v: sum(v) > 0.1)
    .map(lambda v: tuple(x * 12 / sum(v) for x in v)),
)


@pytest.mark.parametrize("port", ["kuryk", "aktau"])
def test_route_choice_finds_the_resources_a_route_used_by_their_keys(plan: Plan, port: str) -> None:
    # Route choice adds each resource's mean wait to the routes through it, looking it up by the
    # key the engine filed it under: every crossing, rail section and line a load used is found.
    # (A port's yard is not looked up: route choice leaves the wait for room in a yard out.)
    assignment = _via(plan, port)
    result = _run(plan, [(assignment, 50_000)], years=0.05)
    used = [s for s in result.stats if s.served and s.kind != "yard"]
    assert any(s.key.to for s in used) and any(not s.key.to for s in used)  # lines and crossings
    assert _route_delay(assignment.route, {s.key: 1.0 for s in used}) == len(used)


def test_a_resource_key_labels_its_places_by_name() -> None:
    names = {"kuryk": "Kuryk", "alat": "Alat (Baku)", "brest": "Brest (BY)"}.__getitem__
    assert ResourceKey.of_crossing("brest", "border").label(names) == "Brest (BY) border"
    assert ResourceKey.of_yard("alat").label() == "alat yard"
    line = ResourceKey("kuryk", "ferry", "alat")
    assert line.label(names) == "Kuryk → Alat (Baku) ferry"
    assert ResourceKey.of_crossing("kuryk", "ferry") != line  # a crossing and a line never collide


@FAST
@given(
    kuryk=st.floats(1, 150_000),
    aktau=st.floats(0, 150_000),
    years=st.floats(0.002, 0.3),
    seasonality=seasons,
    vessels=st.integers(0, 8),
    port_factor=st.floats(0.05, 4),
)
def test_every_run_conserves_teu(
    plan: Plan,
    kuryk: float,
    aktau: float,
    years: float,
    seasonality: tuple[float, ...],
    vessels: int,
    port_factor: float,
) -> None:
    flows = [(_via(plan, "kuryk"), kuryk), (_via(plan, "aktau"), aktau)]
    result = _run(plan, flows, years=years, seasonality=seasonality, vessels=vessels, port_factor=port_factor)
    released = sum(result.demand_teu.values())
    assert released == pytest.approx((kuryk + aktau) * years, rel=1e-9, abs=1e-6)
    assert abs(result.balance()) < 1e-6 * max(1.0, released)
    assert 0 <= result.drained_teu <= _delivered(result) <= released + 1e-6
    assert result.in_transit_teu >= -1e-6 and result.waiting_teu >= -1e-6
    if vessels == 0:  # a closed line carries nothing
        ferry = next(s for s in result.stats if s.key == ResourceKey("kuryk", "ferry", "alat"))
        assert ferry.closed and ferry.teu == 0


@FAST
@given(
    teu=st.floats(500, 150_000),
    years=st.floats(0.02, 0.3),
    vessels=st.integers(1, 6),
    removed=st.integers(1, 6),
    port_factor=st.floats(0.1, 3),
    cut=st.floats(0.05, 1),
)
def test_less_capacity_never_delivers_more(
    plan: Plan, teu: float, years: float, vessels: int, removed: int, port_factor: float, cut: float
) -> None:
    flows = [(_via(plan, "kuryk"), teu)]
    more = _delivered(_run(plan, flows, years=years, vessels=vessels, port_factor=port_factor))
    fewer_vessels = _delivered(
        _run(plan, flows, years=years, vessels=max(0, vessels - removed), port_factor=port_factor)
    )
    slower_port = _delivered(_run(plan, flows, years=years, vessels=vessels, port_factor=port_factor * cut))
    closed = _delivered(
        _run(plan, flows, years=years, vessels=vessels, port_factor=port_factor, closure=(0.0, years * 8760 / 2))
    )
    assert max(fewer_vessels, slower_port, closed) <= more + TEU_PER_TRAIN


@pytest.mark.slow  # about 35 s: 50 simulations of up to 200,000 TEU a year over 0.4 years
@FAST
@given(
    teu=st.floats(100, 200_000),
    more=st.floats(1.01, 5),
    years=st.floats(0.02, 0.4),
    port=st.sampled_from(["kuryk", "aktau"]),
)
# Reported in session 3 (issue 14): 130,284 TEU a year over 0.219 years, 16,668 -> 16,544 TEU
# delivered, beyond one train load. Not reproduced on today's data and engine: on this point,
# 1,000 values of `more` per port give at worst -60 TEU (Kuryk, x4.63; -81 at x4.962 before the
# ferries sailed when full) and -52 TEU (Aktau, x1.522); 1,500 random draws and a non-derandomised
# Hypothesis run of this test found nothing beyond one load. The worst points are pinned.
@example(teu=130_284, more=4.63, years=0.219, port="kuryk")
@example(teu=130_284, more=4.962, years=0.219, port="kuryk")
@example(teu=130_284, more=1.522, years=0.219, port="aktau")
def test_more_demand_never_delivers_less_nor_a_larger_share(
    plan: Plan, teu: float, more: float, years: float, port: str
) -> None:
    route = _via(plan, port)
    base = _delivered(_run(plan, [(route, teu)], years=years))
    delivered = _delivered(_run(plan, [(route, teu * more)], years=years))
    assert delivered >= base - TEU_PER_TRAIN  # never fewer TEU ...
    assert delivered / (teu * more) <= base / teu + TEU_PER_TRAIN / (teu * more)  # ... nor a larger share


LEVERS = st.one_of(
    st.builds(lambda c: f"{{kind: ferries, from: Курык, to: Port of Baku, change: {c}}}", st.integers(-6, 6)),
    st.builds(
        lambda f, d: f"{{kind: crossing, place: Alat, crossing: port, capacity_factor: {f}, dwell_factor: {d}}}",
        st.floats(0.01, 100),
        st.floats(0.01, 100),
    ),
    st.builds(
        lambda start, days, f: (
            f"{{kind: disruption, place: Port of Baku, crossing: port, start: 2026-{start:%m-%d}, "
            f"end: 2026-{(start + timedelta(days=days)):%m-%d}, capacity_factor: {f}}}"
        ),
        st.dates(date(2026, 1, 1), date(2026, 11, 30)),
        st.integers(1, 30),
        st.sampled_from([0, 0.1, 0.5]),
    ),
    st.builds(lambda f: f"{{kind: tariff, mode: ferry, factor: {f}}}", st.floats(0.1, 10)),
)


@settings(max_examples=8, deadline=None)
@given(
    teu=st.floats(1, 500_000),
    years=st.floats(0.001, 0.2),
    levers=st.lists(LEVERS, max_size=3),
)
def test_any_scenario_gives_a_result_or_a_clear_error(teu: float, years: float, levers: list[str]) -> None:
    text = SCENARIO.replace("teu_per_year: 1000", f"teu_per_year: {teu}")
    if levers:
        text += "levers:\n" + "".join(f"  - {lever}\n" for lever in levers)
    try:
        result = run_scenario(parse_scenario(text), years=years, seed=3)
    except CorridorError as exc:  # e.g. more ferries withdrawn than exist, a window outside the period
        assert str(exc).startswith(("lever ", "demand ")), exc
        return
    assert result.demand_teu == pytest.approx(teu * years)
    assert abs(result.sim.balance()) < 1e-6 * max(1.0, result.demand_teu)
