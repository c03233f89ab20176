"""Measure road links and city first/last-mile legs on an OpenStreetMap-derived highway graph.

Maintainers only; nothing here is imported at run time. The graph is ``world_highways`` of the
PyPI package ``scgraph-data`` 2.0.0 (OpenStreetMap data, © OpenStreetMap contributors, ODbL 1.0;
the distances measured on it are Produced Works, cited as source ``OSM2``)::

    python3.11 -m venv /tmp/roadtool
    /tmp/roadtool/bin/pip install scgraph-data==2.0.0 'scgraph>=3' scipy numpy
    /tmp/roadtool/bin/python tools/road_distances.py        # measure, write the files and the report

What it does:

1. Loads the graph (560,000 nodes; a few minutes the first time, then cached) and bridges each
   node outside the main component to the nearest main-component node within 5 km (weight
   1.2 × gap + 0.5 km), as ``tools/rail_distances.py`` does for rail.
2. Snaps places and cities to the nearest main-component node (over ``MAX_SNAP_KM``: not measured).
3. Road links of ``links.csv``: compares the data's distance with the graph's; a difference over
   10 % is a finding, decided in ``tools/road_review.csv`` (``link,decision,reason``: ``accept`` or
   ``osm``, which writes the measured figure with source ``OSM2``).
4. Cities of ``cities.csv``: the ``LEGS`` nearest container-handling places (terminal, dry port,
   seaport) *by road* in the city's own country within ``MAX_ROAD_KM``, or of any country if it
   has none; written to ``src/corridor/data/city_roads.csv`` (``geonameid,place,road_km,source``), which
   the resolver uses instead of its great-circle × circuity estimate.
5. Replaces the graph's figure by a published road distance where ``PUBLISHED`` has one (with its
   source id) and writes ``tools/road_distances.md``: the road links, the city legs' road ÷
   great-circle ratios, and the published figures next to the graph's.

The graph holds motorways to tertiary roads without mountain-pass speeds: it gives distances, not
times (times come from ``rates.csv`` truck speeds).
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rail_distances import KM_PER_DEG, link_key, read_csv

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src/corridor/data"
OUT = DATA / "city_roads.csv"
REVIEW = ROOT / "tools/road_review.csv"
REPORT = ROOT / "tools/road_distances.md"
CACHE = Path.home() / ".cache/corridor/world_highways_bridged.npz"
THRESHOLD = 0.10
MAX_SNAP_KM = 15.0
BRIDGE_KM = 5.0
MAX_ROAD_KM = 800.0
"""Farthest terminal by road a city is joined to within its own country (runtime: 600 km great-circle)."""
LEGS = 3
FIRST_MILE_KINDS = {"terminal", "dry_port", "seaport"}
"""As ``corridor.network.cities.FIRST_MILE_KINDS``: places a truck can hand a container to."""
SOURCE = "OSM2"
PUBLISHED = [
    # (city, country, place id, published km, source id): a published road distance replaces the
    # graph's, whose simplified geometry cuts the bends of mountain roads.
    ("Osh", "KG", "bishkek", 675.0, "LCA_KG"),
]


@dataclass
class Graph:
    matrix: Any
    xy: Any
    main: Any
    """Boolean mask: node is in the main component."""


def _parse_module(path: Path) -> tuple[list[dict[str, float]], list[list[float]]]:
    """``graph`` and ``nodes`` of a scgraph-data module, read as JSON (importing it compiles 35 MB)."""
    text = path.read_text(encoding="utf-8")
    graph_src = text[text.index("graph=") + 6 : text.index("\nnodes=")]
    nodes_src = text[text.index("nodes=") + 6 : text.rindex("\n", 0, text.rindex("GeoGraph("))]
    graph = json.loads(re.sub(r"(\d+):", r'"\1":', graph_src))
    return graph, json.loads(nodes_src)


def load_graph() -> Graph:
    import numpy as np
    from scipy.sparse import csr_matrix, load_npz, save_npz
    from scipy.sparse.csgraph import connected_components

    if CACHE.is_file():
        matrix = load_npz(CACHE)
        xy = np.load(CACHE.with_suffix(".nodes.npy"))
    else:
        import scgraph_data

        graph, nodes = _parse_module(Path(scgraph_data.__file__).parent / "world_highways.py")
        xy = np.array(nodes, dtype=float)
        rows, cols, km = [], [], []
        for i, row in enumerate(graph):
            for j, d in row.items():
                if i != int(j):
                    rows.append(i)
                    cols.append(int(j))
                    km.append(max(float(d), 1e-6))
        base = csr_matrix((km, (rows, cols)), shape=(len(xy), len(xy)))
        matrix = _bridge(base.maximum(base.T).tocsr(), xy)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        save_npz(CACHE, matrix)
        np.save(CACHE.with_suffix(".nodes.npy"), xy)
    _, label = connected_components(matrix, directed=False)
    main = label == np.bincount(label).argmax()
    return Graph(matrix, xy, main)


def _project(xy: Any) -> Any:
    import numpy as np

    return np.c_[xy[:, 0], xy[:, 1] * np.cos(np.radians(xy[:, 0]))] * KM_PER_DEG


def _bridge(sym: Any, xy: Any) -> Any:
    """Join every node outside the main component to the nearest main node within ``BRIDGE_KM``."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    _, label = connected_components(sym, directed=False)
    main = label == np.bincount(label).argmax()
    proj = _project(xy)
    tree = cKDTree(proj[main])
    index = np.flatnonzero(main)
    outside = np.flatnonzero(~main)
    gap, nearest = tree.query(proj[outside], distance_upper_bound=BRIDGE_KM)
    ok = np.isfinite(gap)
    r, c, w = outside[ok], index[nearest[ok]], 1.2 * gap[ok] + 0.5
    bridge = csr_matrix((w, (r, c)), shape=sym.shape)
    print(f"bridge: {int(ok.sum()):,} of {len(outside):,} nodes outside the main component joined", file=sys.stderr)
    return (sym + bridge + bridge.T).tocsr()


def snap(g: Graph, points: list[tuple[float, float]]) -> tuple[Any, Any]:
    """Nearest main-component node of each ``(lat, lon)`` and its distance in km."""
    import numpy as np
    from scipy.spatial import cKDTree

    index = np.flatnonzero(g.main)
    tree = cKDTree(_project(g.xy[g.main]))
    dist, k = tree.query(_project(np.array(points, dtype=float)))
    return index[k], dist


def great_circle(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def distances_from(g: Graph, sources: list[int], limit: float) -> Any:
    """Road km from each source node to every node (``inf`` beyond ``limit``), in chunks."""
    import numpy as np
    from scipy.sparse.csgraph import dijkstra

    parts = [
        dijkstra(g.matrix, directed=False, indices=sources[i : i + 8], limit=limit) for i in range(0, len(sources), 8)
    ]
    return np.vstack(parts)


def city_legs(g: Graph, places: list[dict[str, str]], cities: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The ``LEGS`` nearest container places by road of each city (see the module docstring)."""
    hubs = [p for p in places if p["kind"] in FIRST_MILE_KINDS]
    hub_nodes, hub_snap = snap(g, [(float(p["lat"]), float(p["lon"])) for p in hubs])
    city_nodes, city_snap = snap(g, [(float(c["lat"]), float(c["lon"])) for c in cities])
    dist = distances_from(g, [int(n) for n in hub_nodes], 2 * MAX_ROAD_KM)[:, city_nodes]
    legs = []
    for j, city in enumerate(cities):
        if city_snap[j] > MAX_SNAP_KM:
            continue
        ranked = sorted(
            (float(dist[i, j]) + hub_snap[i] + city_snap[j], i)
            for i in range(len(hubs))
            if hub_snap[i] <= MAX_SNAP_KM and math.isfinite(dist[i, j])
        )
        home = [(km, i) for km, i in ranked if hubs[i]["country"] == city["country"] and km <= MAX_ROAD_KM]
        for km, i in (home or ranked)[:LEGS]:
            gc = great_circle((float(city["lat"]), float(city["lon"])), (float(hubs[i]["lat"]), float(hubs[i]["lon"])))
            legs.append(
                {
                    "geonameid": city["geonameid"],
                    "place": hubs[i]["id"],
                    "road_km": max(round(km), 1),
                    "gc_km": gc,
                    "graph_km": km,
                    "source": SOURCE,
                }
            )
    return legs


def apply_published(legs: list[dict[str, Any]], cities: list[dict[str, str]]) -> None:
    """Replace the graph's figure by a published one where ``PUBLISHED`` has it."""
    by_name = {(c["name"], c["country"]): c["geonameid"] for c in cities}
    for city, cc, place, km, source in PUBLISHED:
        for leg in legs:
            if leg["geonameid"] == by_name[(city, cc)] and leg["place"] == place:
                leg["road_km"], leg["source"] = round(km), source


@dataclass
class RoadLink:
    key: str
    data_km: float
    graph_km: float | None
    snap_km: tuple[float, float]


def road_links(g: Graph, places: dict[str, dict[str, str]], links: list[dict[str, str]]) -> list[RoadLink]:
    rows = [r for r in links if r["mode"] == "road"]
    ends = sorted({r["from"] for r in rows} | {r["to"] for r in rows})
    nodes, snaps = snap(g, [(float(places[p]["lat"]), float(places[p]["lon"])) for p in ends])
    at = {p: (int(n), float(s)) for p, n, s in zip(ends, nodes, snaps, strict=True)}
    dist = distances_from(g, [at[r["from"]][0] for r in rows], 3000.0)
    out = []
    for k, r in enumerate(rows):
        (_, sa), (b, sb) = at[r["from"]], at[r["to"]]
        km = float(dist[k, b]) + sa + sb
        graph_km = km if math.isfinite(km) and max(sa, sb) <= MAX_SNAP_KM else None
        out.append(RoadLink(link_key(r), float(r["distance_km"] or "nan"), graph_km, (sa, sb)))
    return out


def write_legs(legs: list[dict[str, Any]]) -> None:
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["geonameid", "place", "road_km", "source"], lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(legs)


def apply_review(links_path: Path, measured: list[RoadLink], review: dict[str, tuple[str, str]]) -> int:
    header, rows = read_csv(links_path)
    by_key = {m.key: m for m in measured}
    changed = 0
    for row in rows:
        m = by_key.get(link_key(row)) if row["mode"] == "road" else None
        if m is None or m.graph_km is None or review.get(m.key, ("", ""))[0] != "osm":
            continue
        value = f"{m.graph_km:.0f}"
        if row["distance_km"] != value or row["distance_source"] != SOURCE:
            row["distance_km"], row["distance_source"] = value, SOURCE
            changed += 1
    if changed:
        with links_path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return changed


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def report(
    measured: list[RoadLink],
    legs: list[dict[str, Any]],
    cities: list[dict[str, str]],
    review: dict[str, tuple[str, str]],
) -> tuple[str, int]:
    ratios = [leg["road_km"] / leg["gc_km"] for leg in legs if leg["gc_km"] >= 20]
    lines = [
        "# Road distances measured on the OpenStreetMap highway graph",
        "",
        "Generated by `tools/road_distances.py` (scgraph-data 2.0.0 `world_highways`; nodes outside the main",
        f"component bridged within {BRIDGE_KM:g} km). Map data © OpenStreetMap contributors, ODbL 1.0 (source OSM2).",
        f"Distances include each end's snap to the graph; an end more than {MAX_SNAP_KM:g} km from a road node",
        "is not measured.",
        "",
        "## City first/last-mile legs (`src/corridor/data/city_roads.csv`)",
        "",
        f"- cities: {len(cities):,}; with measured legs: {len({leg['geonameid'] for leg in legs}):,}; "
        f"legs: {len(legs):,}",
        f"- road ÷ great-circle over legs of 20 km or more: median {_quantile(ratios, 0.5):.2f}, "
        f"10th percentile {_quantile(ratios, 0.1):.2f}, 90th {_quantile(ratios, 0.9):.2f}, "
        f"share over 1.3 × (the old estimate) + 10 %: {sum(r > 1.43 for r in ratios) / len(ratios):.0%}",
        "",
        "Published road distances used instead of the graph's (the graph's simplified lines cut mountain bends):",
        "",
        "| city – place | published km | graph km | source |",
        "|---|---:|---:|---|",
    ]
    by_name = {(c["name"], c["country"]): c["geonameid"] for c in cities}
    for city, cc, place, km, source in PUBLISHED:
        gid = by_name.get((city, cc))
        got = [f"{leg['graph_km']:,.0f}" for leg in legs if leg["geonameid"] == gid and leg["place"] == place]
        lines.append(f"| {city} ({cc}) – {place} | {km:,.0f} | {got[0] if got else 'not among its legs'} | {source} |")
    findings = [m for m in measured if m.graph_km and abs(m.graph_km / m.data_km - 1) > THRESHOLD]
    open_ = [m for m in findings if m.key not in review]
    lines += [
        "",
        "## Road links of `links.csv`",
        "",
        f"- road links: {len(measured)}; findings (> {THRESHOLD:.0%}): {len(findings)}; open: {len(open_)}",
        "",
        "| link | data km | graph km | ratio | snap km | decision |",
        "|---|---:|---:|---:|---|---|",
    ]
    for m in measured:
        decision, reason = review.get(m.key, ("", ""))
        ratio = f"{m.graph_km / m.data_km:.2f}" if m.graph_km else ""
        if m in open_:
            decision = "**open**"
        graph = f"{m.graph_km:,.0f}" if m.graph_km else "not measured"
        text = f"{decision}: {reason}" if reason else decision
        lines.append(
            f"| {m.key} | {m.data_km:,.0f} | {graph} | {ratio} | {m.snap_km[0]:.0f} / {m.snap_km[1]:.0f} | {text} |"
        )
    return "\n".join(lines) + "\n", len(open_)


def main() -> int:
    _, places = read_csv(DATA / "places.csv")
    _, cities = read_csv(DATA / "cities.csv")
    _, links = read_csv(DATA / "links.csv")
    g = load_graph()
    measured = road_links(g, {p["id"]: p for p in places}, links)
    _, review_rows = read_csv(REVIEW) if REVIEW.is_file() else ([], [])
    review = {r["link"]: (r["decision"], r["reason"]) for r in review_rows}
    changed = apply_review(DATA / "links.csv", measured, review)
    legs = city_legs(g, places, cities)
    apply_published(legs, cities)
    write_legs(legs)
    text, open_count = report(measured, legs, cities, review)
    REPORT.write_text(text, encoding="utf-8")
    print(text)
    print(f"links.csv: {changed} road distances written; {OUT.name}: {len(legs):,} legs", file=sys.stderr)
    return 1 if open_count else 0


if __name__ == "__main__":
    sys.exit(main())
