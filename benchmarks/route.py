"""Latency of the multi-criteria route search on the embedded network, and what it saves.

What is measured, and why:

* **Compile** — building the search graph once (arcs and the steps between them); the API
  caches it per network and options, so it is paid once per process.
All search times are CPU time of this process (the machine is shared; wall time would mostly
measure the neighbours); the cold CLI is wall time.

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
* **Generated networks** — the families of :mod:`networks` (chain, braid, mesh, trade-off) at
  about 200, 1,000, 5,000 and 20,000 places, each written in the data format and loaded with
  the same validation as ``corridor check-data``. Per network: compile time, sections, then
  Shanghai → Belgrade repeated (median, labels expanded, routes, peak memory of one query with
  tracemalloc) exact and at ε = 1 %; the old search on the same query, stopped after
  ``OLD_LIMIT_S``; and a single-criterion Dijkstra (SciPy) on the same arc graph, the floor of
  what any search over it costs. Where the old search finishes, the fronts must agree.
* **Network growth** (issue 11) — the same measures on the network before the hubs were added
  (the first :data:`OLD_PLACES` rows of ``places.csv`` and the links between them) and on the
  whole network, side by side with the ratio; and a city-to-city query (Kokshetau → Kragujevac),
  whose first/last-mile legs are built per query, cold and warm.

Run ``.venv/bin/python benchmarks/route.py`` (or ``make bench``); ``--quick`` skips the 5,000
and 20,000 place networks. Importing the module runs nothing.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TypeVar

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import baseline_pareto
import networks
from corridor import settings
from corridor.network.model import Network
from corridor.routing import pareto
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
OLD_LIMIT_S = 10
"""Seconds the old search gets per generated network before it is stopped."""
GENERATED_REPEATS = 5
TOLERANCE = settings.THIN_TOLERANCE
"""Totals are rounded to this many decimals before fronts are compared (summation order differs)."""

OLD_PLACES = 81
"""Places in ``places.csv`` before issue 11 added the hubs (rows are only ever appended)."""
CITY_PAIR = ("Kokshetau", "Kragujevac")

Totals = tuple[float, float, float]
T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and the CPU time this process spent on it, in milliseconds.

    CPU time, not wall time: the benchmark machine is shared, and a search's wall time there
    mostly measures the other processes.
    """
    start = time.process_time()
    result = call()
    return result, (time.process_time() - start) * 1000


def wall_timed(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and its wall time in milliseconds (for child processes)."""
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
        arc_sums[2] + sum(e.co2e_kg for e in events),
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
    return [wall_timed(lambda: subprocess.run(argv, check=True, capture_output=True))[1] for _ in range(runs)]


class _Stopped(Exception):
    pass


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise _Stopped


def old_search(
    graph: SearchGraph, origin: str, destination: str, limit_s: int
) -> tuple[list[ParetoPath] | None, float]:
    """The old search's front and milliseconds, or ``None`` if it ran past ``limit_s``."""
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.alarm(limit_s)
    try:
        return timed(lambda: baseline_pareto.pareto_paths(graph, origin, destination))
    except _Stopped:
        return None, limit_s * 1000.0
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def labels_expanded(graph: SearchGraph, origin: str, destination: str, tolerance: float) -> int:
    """How many labels the search pops (expands) for one query."""
    query = pareto._Query(graph, origin, destination, None, None, tolerance, None)
    search = pareto._Search(query, elementary=False)
    search.front()
    return search.pops


def peak_mb(call: Callable[[], object]) -> float:
    """Peak Python memory of one call, MB (tracemalloc)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def dijkstra_ms(graph: SearchGraph, origin: str, repeats: int) -> float:
    """Median ms of a SciPy Dijkstra on time over the same arcs and steps, from ``origin``.

    Nodes are the arcs plus one source joined to the origin's arcs; an edge i → j weighs the
    step's hours plus arc j's. Building the matrix is not timed.
    """
    n = len(graph.arcs)
    rows, cols, weights = [], [], []
    for i, moves in enumerate(graph.moves):
        for j, dt, *_ in moves:
            rows.append(i)
            cols.append(j)
            weights.append(dt + graph.totals[j][0] + 1e-9)  # an explicit zero would read as no edge
    for a in graph.out_arcs.get(origin, ()):
        rows.append(n)
        cols.append(a)
        weights.append(graph.totals[a][0] + 1e-9)
    matrix = csr_matrix((np.array(weights), (np.array(rows), np.array(cols))), shape=(n + 1, n + 1))
    return statistics.median(timed(lambda: dijkstra(matrix, indices=n))[1] for _ in range(repeats))


def bench_search(graph: SearchGraph, tolerance: float) -> tuple[list[ParetoPath], float, int]:
    """Shanghai -> Belgrade: the front, median ms and labels expanded."""
    origin, destination = FLAGSHIP
    runs = [
        timed(lambda: pareto_paths(graph, origin, destination, tolerance=tolerance, budget_s=None))
        for _ in range(GENERATED_REPEATS)
    ]
    return runs[0][0], statistics.median(ms for _, ms in runs), labels_expanded(graph, origin, destination, tolerance)


def bench_network(family: str, size: int, root: Path) -> str:
    """One row of the generated-network table."""
    origin, destination = FLAGSHIP
    net = networks.load(family, size, root)
    graph, compile_ms = timed(lambda: compile_graph(net, RouteOptions()))
    exact, exact_ms, exact_pops = bench_search(graph, 0.0)
    mb = peak_mb(lambda: pareto_paths(graph, origin, destination, budget_s=None))
    near, near_ms, near_pops = bench_search(graph, TOLERANCE)
    row = f"{family:9} {len(net.places):6} {len(graph.sections):8} {compile_ms:8.0f} |"
    row += f" {exact_ms:9.2f} {exact_pops:7} {len(exact):6} {mb:5.1f} | {near_ms:8.2f} {near_pops:7} {len(near):6} |"
    old, old_ms = old_search(graph, origin, destination, OLD_LIMIT_S)
    if old is None:
        row += f" {'> ' + str(OLD_LIMIT_S * 1000):>8} {'-':>6} {'> ' + format(old_ms / exact_ms, '.0f'):>8} |"
    else:
        assert label_front(old) == label_front(exact), f"{family} {size}: fronts differ"
        old_mb = peak_mb(lambda: baseline_pareto.pareto_paths(graph, origin, destination))
        row += f" {old_ms:8.1f} {old_mb:6.1f} {old_ms / exact_ms:8.1f} |"
    return row + f" {dijkstra_ms(graph, origin, GENERATED_REPEATS):8.2f}"


def bench_generated(root: Path, sizes: Sequence[int]) -> None:
    origin, destination = FLAGSHIP
    print(f"Generated networks, {origin} -> {destination}: CPU ms, medians of {GENERATED_REPEATS} runs;", end=" ")
    print(f"the old search is stopped after {OLD_LIMIT_S} s; MB = peak of one query (tracemalloc)")
    head = f"{'family':9} {'places':>6} {'sections':>8} {'compile':>8} |"
    head += f" {'exact ms':>9} {'labels':>7} {'routes':>6} {'MB':>5} |"
    head += f" {'ε=1% ms':>8} {'labels':>7} {'routes':>6} | {'old ms':>8} {'MB':>6} {'old/new':>8} | {'dijkstra':>8}"
    print(head)
    for family in networks.FAMILIES:
        for size in sizes:
            print(bench_network(family, size, root), flush=True)


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
    print(f"    fronts equal; baseline / label-setting = {brute_ms / label_ms:.0f}x")
    old_ms = statistics.median(timed(lambda: baseline_pareto.pareto_paths(graph, *FLAGSHIP))[1] for _ in range(REPEATS))
    new_ms = statistics.median(timed(lambda: pareto_paths(graph, *FLAGSHIP))[1] for _ in range(REPEATS))
    print(f"Old search {FLAGSHIP[0]} -> {FLAGSHIP[1]}: {old_ms:.2f} ms, new {new_ms:.2f} ms", end=" ")
    print(f"(median of {REPEATS}): {old_ms / new_ms:.1f}x\n")

    bench_generated(
        Path(tempfile.mkdtemp(prefix="corridor-networks-")),
        networks.SIZES[:2] if "--quick" in sys.argv else networks.SIZES,
    )
    print()
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
