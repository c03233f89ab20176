"""Property tests: the label-setting search finds exactly the Pareto front a brute force finds.

Small random networks are built directly as Python objects (no data files): 4–7 places in one
country, random undirected links whose running time, tariff and distance are drawn
independently, so time, cost and CO2e conflict and the fronts have several routes. Every
simple path is enumerated with NetworkX, priced with the compiled graph's own arc totals and
step events, and filtered for dominance; the search must return the same set of totals, and so
must the search it replaced (kept in ``benchmarks/baseline_pareto.py`` as the benchmark's
baseline).

All figures are whole numbers and the emission factors are chosen so that CO2e per leg is a
whole multiple of the distance, so sums are exact and ties (equal totals) are exercised without
rounding noise.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

import networkx as nx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corridor.errors import OptionError, SearchBudgetError
from corridor.network.model import CargoType, CrossingKind, EmissionFactor, Link, Mode, Network, NodeTime, Place, Source
from corridor.routing import pareto
from corridor.routing.graph import SearchGraph, compile_graph
from corridor.routing.options import RouteOptions
from corridor.routing.pareto import ParetoPath, pareto_paths


def _baseline() -> ModuleType:
    """The search before sections, bounds and criteria-only dominance (exact, slow)."""
    path = Path(__file__).parents[2] / "benchmarks" / "baseline_pareto.py"
    spec = importlib.util.spec_from_file_location("baseline_pareto", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


BASELINE = _baseline()

Totals = tuple[float, float, float]
EdgeSpec = tuple[int, int, Mode, int, int, int, int]
"""``(a, b, mode, time_h, tariff_teu, tariff_feu, distance_km)`` of one undirected link."""

VEHICLES = {"rail": "rail_x", "road": "truck_x"}


def _place(i: int) -> Place:
    return Place(
        id=f"p{i}", name=f"Place {i}", country="KZ", kind="terminal", lat=40 + i, lon=60 + i, coord_source="S1"
    )


def _link(spec: EdgeSpec) -> Link:
    a, b, mode, time_h, teu, feu, km = spec
    return Link(
        from_id=f"p{a}",
        to_id=f"p{b}",
        mode=mode,
        vehicle=VEHICLES[mode],
        gauge=1435 if mode == "rail" else None,
        distance_km=km,
        time_h=time_h,
        tariff_teu_usd=teu,
        tariff_feu_usd=feu,
    )


def _dwell(kind: CrossingKind, time_h: float, cost: float) -> NodeTime:
    return NodeTime(
        place="*", kind=kind, time_h=time_h, time_source="S1", cost_teu_usd=cost, cost_feu_usd=cost, cost_source="S1"
    )


def _factor(vehicle: str, mode: Mode, wtw: float) -> EmissionFactor:
    return EmissionFactor(vehicle=vehicle, mode=mode, wtw_g_per_tkm=wtw, ttw_g_per_tkm=wtw / 2, source="S1")


def build_network(n: int, edges: Sequence[EdgeSpec], lift: tuple[int, int] = (6, 90)) -> Network:
    """A resolved network of ``n`` places ``p0…`` in one country with these links.

    ``lift`` is the time and cost of the default transshipment row (a rail–road change).
    """
    cargo = CargoType(
        id="40ft",
        teu=2,
        cargo_tonnes=20,
        tonnes_source="S1",
        tariff_multiplier_source="S1",
        emission_multiplier_source="S1",
    )
    return Network(
        places={p.id: p for p in map(_place, range(n))},
        links=tuple(map(_link, edges)),
        node_times=(_dwell("port", 24, 186), _dwell("transshipment", *lift)),
        rates=(),
        # × 20 t: rail 1 kg and road 2 kg of CO2e per kilometre, so every total is a whole number.
        emission_factors={"rail_x": _factor("rail_x", "rail", 50), "truck_x": _factor("truck_x", "road", 100)},
        cargo_types={"40ft": cargo},
        sources={"S1": Source(id="S1", citation="property test")},
    )


@st.composite
def networks(draw: st.DrawFn, modes: tuple[Mode, ...] = ("rail",)) -> tuple[Network, str, str]:
    """A random network (4–7 places) and two distinct places of it."""
    n = draw(st.integers(4, 7))
    slots = [(a, b, m) for a, b in itertools.combinations(range(n), 2) for m in modes]
    chosen = draw(st.lists(st.sampled_from(slots), min_size=n, max_size=min(len(slots), 14), unique=True))
    figure = st.integers(1, 60)
    edges = [
        (a, b, m, draw(figure), draw(st.integers(0, 60)), draw(st.integers(0, 60)), draw(figure)) for a, b, m in chosen
    ]
    origin, destination = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    lift = (draw(st.integers(0, 12)), draw(st.integers(0, 100)))
    return build_network(n, edges, lift), f"p{origin}", f"p{destination}"


LIMIT_TRAP = (
    build_network(
        4,
        [
            (0, 1, "road", 1, 1, 1, 1),
            (0, 1, "rail", 50, 50, 50, 50),
            (1, 2, "rail", 1, 1, 1, 1),
            (2, 3, "road", 1, 1, 1, 1),
        ],
        lift=(1, 5),
    ),
    "p0",
    "p3",
)
"""p0 → p3 where the best route needs two lifts and the only one-lift route starts slowly by rail."""


def dominates(a: Totals, b: Totals) -> bool:
    return a != b and all(x <= y for x, y in zip(a, b, strict=True))


def front(points: Iterable[Totals]) -> set[Totals]:
    """The non-dominated points, rounded so equal totals compare equal."""
    unique = {(round(t, 6), round(c, 6), round(e, 6)) for t, c, e in points}
    return {p for p in unique if not any(dominates(q, p) for q in unique)}


def path_totals(graph: SearchGraph, arcs: Sequence[int]) -> Totals:
    """Totals of a route exactly as the search adds them: arcs, steps, start and end events."""
    events = [*graph.start_events(graph.arcs[arcs[0]]), *graph.end_events(graph.arcs[arcs[-1]])]
    events += [e for a, b in itertools.pairwise(arcs) for e in graph.step(a, b).events]
    time, cost, co2 = (sum(graph.arc_totals(i)[k] for i in arcs) for k in range(3))
    return time + sum(e.time_h for e in events), cost + sum(e.cost_usd for e in events), co2


def arc_routes(graph: SearchGraph, origin: str, destination: str) -> Iterable[tuple[int, ...]]:
    """Every route over arcs that visits no place twice (one arc choice per hop and mode)."""
    hops: dict[tuple[str, str], list[int]] = {}
    for arc in graph.arcs:
        hops.setdefault((arc.link.from_id, arc.link.to_id), []).append(arc.index)
    simple = nx.Graph(list(hops))
    if origin not in simple or destination not in simple:
        return
    for places in nx.all_simple_paths(simple, origin, destination):
        yield from itertools.product(*(hops[hop] for hop in itertools.pairwise(places)))


def lifts(graph: SearchGraph, arcs: Sequence[int]) -> int:
    return sum(graph.step(a, b).transshipments for a, b in itertools.pairwise(arcs))


def check_walk(graph: SearchGraph, path: ParetoPath, origin: str, destination: str) -> None:
    links = [graph.arcs[i].link for i in path.arcs]
    assert links[0].from_id == origin
    assert links[-1].to_id == destination
    for before, after in itertools.pairwise(links):
        assert before.to_id == after.from_id
    places = [origin, *(link.to_id for link in links)]
    assert len(places) == len(set(places)), f"route visits a place twice: {places}"


def check_front(graph: SearchGraph, found: list[ParetoPath]) -> set[Totals]:
    """Internal consistency of the search's answer; returns its rounded totals."""
    points = [(p.time_h, p.cost_usd, p.co2e_kg) for p in found]
    for a, b in itertools.permutations(points, 2):
        assert not dominates(a, b), f"{a} dominates {b} in the returned front"
    for p in found:
        assert front([path_totals(graph, p.arcs)]) == front([(p.time_h, p.cost_usd, p.co2e_kg)])
        assert p.transshipments == lifts(graph, p.arcs)
    return front(points)


@settings(max_examples=200, deadline=None)
@given(networks())
def test_front_equals_brute_force(case: tuple[Network, str, str]) -> None:
    network, origin, destination = case
    graph = compile_graph(network, RouteOptions())
    found = pareto_paths(graph, origin, destination)
    for path in found:
        check_walk(graph, path, origin, destination)
    expected = front(path_totals(graph, arcs) for arcs in arc_routes(graph, origin, destination))
    assert check_front(graph, found) == expected
    assert check_front(graph, BASELINE.pareto_paths(graph, origin, destination)) == expected


@settings(max_examples=200, deadline=None)
@given(networks(modes=("rail", "road")))
# Within one lift only the slow all-rail start works: the cheaper road start must not hide it.
@example(LIMIT_TRAP)
def test_no_transshipment_front_equals_brute_force(case: tuple[Network, str, str]) -> None:
    """With ``max_transshipments=0`` no route changes between rail and road; also checks limits 1 and none."""
    network, origin, destination = case
    graph = compile_graph(network, RouteOptions())
    routes = [(arcs, lifts(graph, arcs)) for arcs in arc_routes(graph, origin, destination)]
    for limit in (0, 1, None):
        found = pareto_paths(graph, origin, destination, max_transshipments=limit)
        for path in found:
            check_walk(graph, path, origin, destination)
            if limit == 0:
                assert path.transshipments == 0
                assert len({graph.arcs[i].link.mode for i in path.arcs}) == 1
        allowed = [arcs for arcs, n in routes if limit is None or n <= limit]
        expected = front(path_totals(graph, arcs) for arcs in allowed)
        assert check_front(graph, found) == expected, f"max_transshipments={limit}"
        old = BASELINE.pareto_paths(graph, origin, destination, max_transshipments=limit)
        assert check_front(graph, old) == expected, f"baseline, max_transshipments={limit}"


def test_detour_that_avoids_a_gauge_change_is_kept() -> None:
    """Regression: a label that used up a place must not hide one still free to pass it.

    p0→p1 (rail) → p2 (road) → p3 reaches arc p2→p3 cheaper than the direct p0→p2 rail link, but
    it has already passed p1, so only the direct label can go on via p1 on 1520 mm without the
    costly gauge change.
    """
    edges: list[EdgeSpec] = [
        (0, 1, "rail", 1, 0, 0, 1),
        (1, 2, "road", 1, 0, 0, 1),
        (0, 2, "rail", 20, 200, 200, 10),
        (2, 3, "rail", 1, 0, 0, 1),
        (3, 1, "rail", 1, 0, 0, 1),
        (1, 4, "rail", 1, 0, 0, 1),
    ]
    net = build_network(5, edges)
    wide = {("p0", "p2"), ("p2", "p3"), ("p3", "p1"), ("p1", "p4")}
    change = NodeTime(
        place="*",
        kind="gauge-change",
        time_h=4.25,
        time_source="x",
        cost_teu_usd=329,
        cost_feu_usd=329,
        cost_source="x",
    )
    links = tuple(
        link.model_copy(update={"gauge": 1520}) if (link.from_id, link.to_id) in wide else link for link in net.links
    )
    graph = compile_graph(dataclasses.replace(net, node_times=(*net.node_times, change), links=links), RouteOptions())
    found = pareto_paths(graph, "p0", "p4")
    assert check_front(graph, found) == front(path_totals(graph, arcs) for arcs in arc_routes(graph, "p0", "p4"))
    # Without remembering places, the front has a route through p1 twice (road out, 1520 mm
    # back): the case that makes the search run again remembering junctions.
    query = pareto._Query(graph, "p0", "p4", None, None, 0.0, None)
    walks = query.run(elementary=False)
    assert not all(pareto._visits_each_place_once(graph, p) for p in walks)


@st.composite
def gauge_networks(draw: st.DrawFn) -> tuple[Network, str, str]:
    """Random rail/road networks where rail links have either gauge and gauge changes cost."""
    net, origin, destination = draw(networks(modes=("rail", "road")))
    links = tuple(
        link.model_copy(update={"gauge": draw(st.sampled_from((1435, 1520)))}) if link.mode == "rail" else link
        for link in net.links
    )
    change = _dwell("gauge-change", draw(st.integers(0, 40)), draw(st.integers(0, 400)))
    return dataclasses.replace(net, links=links, node_times=(*net.node_times, change)), origin, destination


@settings(max_examples=300, deadline=None)
@given(gauge_networks())
def test_front_equals_brute_force_with_gauge_changes(case: tuple[Network, str, str]) -> None:
    net, origin, destination = case
    graph = compile_graph(net, RouteOptions())
    found = pareto_paths(graph, origin, destination)
    for path in found:
        check_walk(graph, path, origin, destination)
    expected = front(path_totals(graph, arcs) for arcs in arc_routes(graph, origin, destination))
    assert check_front(graph, found) == expected
    assert check_front(graph, BASELINE.pareto_paths(graph, origin, destination)) == expected


def covers(found: Iterable[Totals], exact: Iterable[Totals], tolerance: float) -> bool:
    """Whether every exact point has a found point within ``1 + tolerance`` on every criterion."""
    k = 1 + tolerance + 1e-9
    return all(any(all(x <= k * y for x, y in zip(q, p, strict=True)) for q in found) for p in exact)


@settings(max_examples=200, deadline=None)
@given(gauge_networks(), st.sampled_from((0.01, 0.1, 0.5)))
def test_tolerance_gives_an_epsilon_pareto_set(case: tuple[Network, str, str], tolerance: float) -> None:
    """Every exact Pareto route has a returned route within ``1 + tolerance`` of it; returned
    routes are real routes (priced as the search prices them), none dominated, none passing a
    place twice."""
    net, origin, destination = case
    graph = compile_graph(net, RouteOptions())
    found = pareto_paths(graph, origin, destination, tolerance=tolerance)
    for path in found:
        check_walk(graph, path, origin, destination)
    exact = front(path_totals(graph, arcs) for arcs in arc_routes(graph, origin, destination))
    assert covers(check_front(graph, found), exact, tolerance)
    assert bool(found) == bool(exact)


def cut(net: Network, pieces: int) -> Network:
    """Every link cut into ``pieces`` equal links through new stations of the same country."""
    places = dict(net.places)
    links = []
    for n, link in enumerate(net.links):
        assert link.distance_km and link.time_h and link.tariff_teu_usd is not None and link.tariff_feu_usd is not None
        ends = [link.from_id]
        for k in range(1, pieces):
            station = places[link.from_id].model_copy(update={"id": f"x{n}_{k}", "name": f"Station {n}.{k}"})
            places[station.id] = station
            ends.append(station.id)
        ends.append(link.to_id)
        links += [
            link.model_copy(
                update={
                    "from_id": a,
                    "to_id": b,
                    "distance_km": link.distance_km / pieces,
                    "time_h": link.time_h / pieces,
                    "tariff_teu_usd": link.tariff_teu_usd / pieces,
                    "tariff_feu_usd": link.tariff_feu_usd / pieces,
                }
            )
            for a, b in itertools.pairwise(ends)
        ]
    return dataclasses.replace(net, places=places, links=tuple(links))


@settings(max_examples=100, deadline=None)
@given(gauge_networks(), st.integers(2, 5))
def test_cutting_links_into_stations_changes_no_route(case: tuple[Network, str, str], pieces: int) -> None:
    """A line cut into stations is contracted back into one section: same front, same places."""
    net, origin, destination = case
    whole = compile_graph(net, RouteOptions())
    parts = compile_graph(cut(net, pieces), RouteOptions())
    before = pareto_paths(whole, origin, destination)
    after = pareto_paths(parts, origin, destination)
    assert check_front(parts, after) == check_front(whole, before)
    assert len(parts.sections) <= len(whole.sections) + sum(len(arcs) for arcs in parts.sections.arcs) - len(parts.arcs)
    key = {(round(p.time_h, 6), round(p.cost_usd, 6), round(p.co2e_kg, 6)) for p in before}
    for path in after:
        assert (round(path.time_h, 6), round(path.cost_usd, 6), round(path.co2e_kg, 6)) in key
        check_walk(parts, path, origin, destination)


def test_sections_contract_a_cut_line_to_one() -> None:
    """Three places on one line, cut into 50 stations: one section each way."""
    net = cut(build_network(2, [(0, 1, "rail", 50, 50, 50, 50)]), 50)
    graph = compile_graph(net, RouteOptions())
    assert len(graph.arcs) == 100
    assert len(graph.sections) == 2
    (path,) = pareto_paths(graph, "p0", "p1")
    assert len(path.arcs) == 50
    (mid,) = pareto_paths(graph, "x0_10", "x0_30")  # a query from and to stations inside the line
    assert len(mid.arcs) == 20
    assert mid.time_h == pytest.approx(20.0)


def test_budget_stops_the_search_with_what_it_found(monkeypatch: pytest.MonkeyPatch) -> None:
    edges: list[EdgeSpec] = [
        (0, 1, "rail", 1, 1, 1, 1),
        (1, 2, "rail", 1, 1, 1, 1),
        (1, 3, "rail", 1, 1, 1, 1),  # a junction at p1: the search has a label to expand there
        (0, 2, "rail", 9, 9, 9, 9),
    ]
    graph = compile_graph(build_network(4, edges), RouteOptions())
    monkeypatch.setattr(pareto, "CHECK_EVERY", 1)
    with pytest.raises(SearchBudgetError, match="time budget") as info:
        pareto_paths(graph, "p0", "p2", budget_s=0.0)
    assert [p.time_h for p in info.value.partial] == [9.0]  # the direct link, found before the budget ran out
    assert [p.time_h for p in pareto_paths(graph, "p0", "p2", budget_s=None)] == [2.0]


def test_negative_tolerance_is_refused() -> None:
    graph = compile_graph(build_network(2, [(0, 1, "rail", 1, 1, 1, 1)]), RouteOptions())
    with pytest.raises(OptionError, match="tolerance"):
        pareto_paths(graph, "p0", "p1", tolerance=-0.1)
