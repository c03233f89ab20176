"""Latency of the multi-criteria route search on the embedded network, and what it saves.

What is measured, and why:

* **Compile** — building the search graph once (arcs and the steps between them); the API
  caches it per network and options, so it is paid once per process.
* **Random pairs** — :func:`corridor.routing.pareto.pareto_paths` over 100 random
  origin–destination pairs (seed 42) drawn from places that have at least one link: the
  spread of latencies a user meets. Pairs with no route are timed and counted too.
* **Shanghai → Belgrade** — the flagship query, repeated 100 times: steady-state latency.
* **Baseline** — on the network before the hubs (see below; enumeration does not finish on the
  grown one), the same Pareto set found the slow way: NetworkX enumerates every simple path
  over the same arcs, each path is priced exactly as the search prices it (arc totals, step
  events between consecutive arcs, port calls at both ends) and dominated paths are dropped.
  The script asserts both fronts are equal and prints how much faster label-setting is.
* **Cold CLI** — ``corridor route Shanghai Belgrade --format json`` in a fresh process, 5 times:
  what a shell user waits for, imports and data loading included.
* **Network growth** (issue 11) — the same measures on the network before the hubs were added
  (the first :data:`OLD_PLACES` rows of ``places.csv`` and the links between them) and on the
  whole network, side by side with the ratio; and a city-to-city query (Kokshetau → Novi Sad),
  whose first/last-mile legs are built per query, cold and warm.

Run ``.venv/bin/python benchmarks/route.py`` (or ``make bench``); importing the module runs nothing.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import networkx as nx

from corridor.network.model import Network
from corridor.routing.api import default_network, graph_for, search
from corridor.routing.graph import SearchGraph, Step, compile_graph
from corridor.routing.options import RouteOptions
from corridor.routing.pareto import ParetoPath, pareto_paths

SEED = 42
PAIRS = 100
REPEATS = 100
CLI_RUNS = 5
FLAGSHIP = ("shanghai", "belgrade")
BASELINE_PAIR = ("almaty", "belgrade")
BASELINE_CUTOFF: int | None = None
"""Most arcs a baseline path may have; ``None`` enumerates every simple path (it finishes in seconds)."""
DIGITS = 4
"""Totals are rounded to this many decimals before fronts are compared (summation order differs)."""

OLD_PLACES = 81
"""Places in ``places.csv`` before issue 11 added the hubs (rows are only ever appended)."""
CITY_PAIR = ("Kokshetau", "Novi Sad")

Totals = tuple[float, float, float]
T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and its wall time in milliseconds."""
    start = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - start) * 1000


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0–100)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(samples: Sequence[float]) -> str:
    return f"median {statistics.median(samples):8.3f} ms   p99 {percentile(samples, 99):8.3f} ms"


def random_pairs(graph: SearchGraph, n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` ordered pairs of distinct places that have at least one link."""
    linked = sorted({end for link in graph.network.links for end in (link.from_id, link.to_id)})
    rng = random.Random(seed)
    return [(a, b) for a, b in (rng.sample(linked, 2) for _ in range(n))]


def bench_pairs(graph: SearchGraph, pairs: Sequence[tuple[str, str]]) -> tuple[list[float], int, int]:
    """Latencies, routes found in total and pairs without any route."""
    latencies, routes, empty = [], 0, 0
    for origin, destination in pairs:
        found, ms = timed(functools.partial(pareto_paths, graph, origin, destination))
        latencies.append(ms)
        routes += len(found)
        empty += not found
    return latencies, routes, empty


def bench_repeat(graph: SearchGraph, origin: str, destination: str, repeats: int) -> tuple[list[float], int]:
    """Latencies of one query repeated, and its number of routes."""
    runs = [timed(lambda: pareto_paths(graph, origin, destination)) for _ in range(repeats)]
    return [ms for _, ms in runs], len(runs[0][0])


def rounded(totals: Totals) -> Totals:
    time_h, cost, co2 = totals
    return round(time_h, DIGITS), round(cost, DIGITS), round(co2, DIGITS)


def dominated(point: Totals, others: Sequence[Totals]) -> bool:
    return any(q != point and all(x <= y for x, y in zip(q, point, strict=True)) for q in others)


def pareto_front(points: Sequence[Totals]) -> set[Totals]:
    unique = sorted({rounded(p) for p in points})
    return {p for p in unique if not dominated(p, unique)}


def path_totals(graph: SearchGraph, arcs: Sequence[int], steps: dict[tuple[int, int], Step]) -> Totals | None:
    """A path's totals priced like the search does; ``None`` if two arcs do not connect (no step)."""
    events = [*graph.start_events(graph.arcs[arcs[0]]), *graph.end_events(graph.arcs[arcs[-1]])]
    for pair in itertools.pairwise(arcs):
        if pair not in steps:
            return None
        events.extend(steps[pair].events)
    arc_sums = [sum(graph.arc_totals(i)[k] for i in arcs) for k in range(3)]
    return (
        arc_sums[0] + sum(e.time_h for e in events),
        arc_sums[1] + sum(e.cost_usd for e in events),
        arc_sums[2],
    )


def simple_arc_paths(graph: SearchGraph, origin: str, destination: str, cutoff: int | None) -> Iterator[list[int]]:
    """Every arc sequence from origin to destination visiting no place twice (NetworkX)."""
    multi = nx.MultiDiGraph()
    for arc in graph.arcs:
        multi.add_edge(arc.link.from_id, arc.link.to_id, key=arc.index)
    for edges in nx.all_simple_edge_paths(multi, origin, destination, cutoff=cutoff):
        yield [key for _, _, key in edges]


def baseline_front(graph: SearchGraph, origin: str, destination: str, cutoff: int | None) -> tuple[set[Totals], int]:
    """The Pareto front by exhaustive enumeration, and how many simple paths were priced."""
    steps = {(i, step.to_arc): step for i, out in enumerate(graph.steps) for step in out}
    points, paths = [], 0
    for arcs in simple_arc_paths(graph, origin, destination, cutoff):
        paths += 1
        if (totals := path_totals(graph, arcs, steps)) is not None:
            points.append(totals)
    return pareto_front(points), paths


def label_front(paths: Sequence[ParetoPath]) -> set[Totals]:
    return {rounded((p.time_h, p.cost_usd, p.co2e_kg)) for p in paths}


def corridor_command() -> Path | None:
    """The installed console script: next to the interpreter, else on ``PATH``."""
    beside = Path(sys.executable).with_name("corridor")
    if beside.exists():
        return beside
    found = shutil.which("corridor")
    return Path(found) if found else None


def bench_cli(command: Path, runs: int) -> list[float]:
    """Wall time of ``corridor route Shanghai Belgrade --format json`` in a fresh process."""
    argv = [str(command), "route", "Shanghai", "Belgrade", "--format", "json"]
    return [timed(lambda: subprocess.run(argv, check=True, capture_output=True))[1] for _ in range(runs)]


def main() -> int:
    network, load_ms = timed(default_network)
    graph, compile_ms = timed(lambda: graph_for(network, RouteOptions()))
    print("Corridor route-search benchmark")
    print(f"  network: {len(network.places)} places, {len(network.links)} links -> {len(graph.arcs)} arcs")
    print(f"  load {load_ms:.1f} ms, compile {compile_ms:.1f} ms (once)\n")

    pairs = random_pairs(graph, PAIRS, SEED)
    latencies, routes, empty = bench_pairs(graph, pairs)
    print(f"(a) {PAIRS} random pairs (seed {SEED}): {summary(latencies)}")
    print(f"    {routes} routes found; {empty} pair(s) without a route (timed and counted)")

    origin, destination = FLAGSHIP
    latencies, n_routes = bench_repeat(graph, origin, destination, REPEATS)
    print(f"(b) {origin} -> {destination} x {REPEATS}:   {summary(latencies)}")
    print(f"    {n_routes} Pareto routes\n")

    origin, destination = BASELINE_PAIR
    # Enumerating simple paths is exponential in parallel lines: on the grown network it does not
    # finish in an hour, so the oracle runs on the network as it was before the hubs (81 places).
    base = graph_for(old_network(network), RouteOptions())
    labels = pareto_paths(base, origin, destination)
    label_ms = statistics.median(bench_repeat(base, origin, destination, REPEATS)[0])
    (brute, priced), brute_ms = timed(lambda: baseline_front(base, origin, destination, BASELINE_CUTOFF))
    cutoff = "none (every simple path)" if BASELINE_CUTOFF is None else f"{BASELINE_CUTOFF} arcs"
    print(f"Baseline {origin} -> {destination} on the old network ({len(base.network.places)} places): ", end="")
    print(f"NetworkX simple paths + dominance filter, cutoff {cutoff}")
    print(f"    {priced} simple paths priced in {brute_ms:.0f} ms -> {len(brute)} Pareto routes")
    print(f"    label-setting: {label_ms:.2f} ms (median of {REPEATS}) -> {len(labels)} Pareto routes")
    assert label_front(labels) == brute, f"fronts differ: {sorted(label_front(labels) ^ brute)}"
    print(f"    fronts equal; baseline / label-setting = {brute_ms / label_ms:.0f}x\n")

    command = corridor_command()
    if command is None:
        print("Cold CLI: skipped, no `corridor` console script found")
    else:
        cli = bench_cli(command, CLI_RUNS)
        print(f"Cold CLI `corridor route Shanghai Belgrade --format json` x {CLI_RUNS}: ", end="")
        print(f"median {statistics.median(cli):.0f} ms (min {min(cli):.0f}, max {max(cli):.0f})")
    network_growth(network)
    return 0


def old_network(network: Network) -> Network:
    """The network as it was before the hubs: its first :data:`OLD_PLACES` places and their links."""
    kept = dict(itertools.islice(network.places.items(), OLD_PLACES))
    links = tuple(lk for lk in network.links if lk.from_id in kept and lk.to_id in kept)
    return Network(**{**network.__dict__, "places": kept, "links": links})


def network_growth(network: Network) -> None:
    """Compile and query times on the old and the grown network, with the ratio."""
    print("Network growth (issue 11): old = the first 81 places and their links; new = everything")
    rows = []
    for label, net in (("old", old_network(network)), ("new", network)):
        graph, compile_ms = timed(lambda net=net: compile_graph(net, RouteOptions()))
        latencies, _, _ = bench_pairs(graph, random_pairs(graph, PAIRS, SEED))
        flagship, _ = bench_repeat(graph, *FLAGSHIP, REPEATS)
        rows.append((label, len(net.places), len(net.links), compile_ms, latencies, flagship))
    for label, places, links, compile_ms, latencies, flagship in rows:
        print(
            f"  {label}: {places:4d} places {links:4d} links   compile {compile_ms:7.1f} ms   {PAIRS} random pairs "
            f"{summary(latencies)}   shanghai -> belgrade median {statistics.median(flagship):7.3f} ms"
        )
    (_, _, _, old_c, old_l, old_f), (_, _, _, new_c, new_l, new_f) = rows
    pairs = statistics.median(new_l) / statistics.median(old_l)
    flag = statistics.median(new_f) / statistics.median(old_f)
    print(f"  new / old: compile {new_c / old_c:.1f}x, random pairs {pairs:.1f}x, shanghai -> belgrade {flag:.1f}x")
    options = RouteOptions()
    _, cold = timed(lambda: search(network, *CITY_PAIR, options))
    warm = [timed(lambda: search(network, *CITY_PAIR, options))[1] for _ in range(20)]
    print(
        f"  city to city {CITY_PAIR[0]} -> {CITY_PAIR[1]}: first {cold:.0f} ms (gazetteer read, legs built), ", end=""
    )
    print(f"then median {statistics.median(warm):.1f} ms\n")


if __name__ == "__main__":
    sys.exit(main())
