"""Check every rail link's distance against an OpenStreetMap-derived railway graph.

Maintainers only; nothing here is imported at run time. The graph is ``world_railways`` of the
PyPI package ``scgraph-data`` 2.0.0 (OpenStreetMap data, © OpenStreetMap contributors, ODbL 1.0;
the distances measured on it are Produced Works and are cited as source ``OSM1``)::

    python3.11 -m venv /tmp/railtool
    /tmp/railtool/bin/pip install scgraph-data==2.0.0 'scgraph>=3' scipy numpy
    /tmp/railtool/bin/python tools/rail_distances.py            # measure, fill, write the report

What it does:

1. Loads the graph (~2 s, ~500 MB) and repairs it: every dead end is joined to the nearest other
   node within 2 km, and nodes of different components within 5 km are joined (weight 1.2 × gap
   + 0.5 km). Without this, two stubs a few hundred metres apart give 1,000 km detours.
2. Snaps each place of ``places.csv`` to its nearest graph node.
3. Measures each rail link of ``links.csv`` as the shortest path between the two snapped nodes.
4. Links whose ``distance_source`` is exactly ``OSM1`` get the measured figure written into
   ``links.csv`` (they were added with the intent of being measured). Every other link is
   compared; a difference over ``THRESHOLD`` is a *finding*.
5. Each finding needs a decision in ``tools/rail_review.csv`` (``link,decision,reason``):
   ``accept`` keeps the data's figure (the reason says why the graph is wrong, e.g. it takes a
   high-speed line); ``osm`` replaces it with the measured figure and source ``OSM1``. Findings
   without a decision are listed as open in the report, and the tool exits 1.
6. Writes ``tools/rail_distances.md``: every link, data vs graph, snap distances, decision.

The graph has no gauge, usage or electrification tags: it cannot tell a freight line from a
high-speed line, and its Pakistan, Turkmenistan and Caucasus fragments are partly missing.
That is why a person decides each finding.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src/corridor/data"
REVIEW = ROOT / "tools/rail_review.csv"
REPORT = ROOT / "tools/rail_distances.md"
CACHE = Path.home() / ".cache/corridor/world_railways_repaired.npz"
THRESHOLD = 0.10
"""Relative difference above which a link is reported (issue 11: "more than ~10 %")."""
MAX_SNAP_KM = 15.0
"""A place farther than this from any graph node is not comparable (the line is missing)."""
DEAD_END_KM, COMPONENT_KM = 2.0, 5.0
OSM_SOURCE = "OSM1"
KM_PER_DEG = 111.195


@dataclass
class Measure:
    """One rail link: the data's distance and the graph's."""

    key: str
    data_km: float
    source: str
    graph_km: float | None
    snap_km: tuple[float, float]

    @property
    def comparable(self) -> bool:
        return self.graph_km is not None and max(self.snap_km) <= MAX_SNAP_KM

    @property
    def ratio(self) -> float | None:
        return self.graph_km / self.data_km if self.comparable and self.graph_km else None


def load_graph() -> tuple[Any, Any]:
    """The repaired graph as ``(csr matrix km, node coordinates [lat, lon])``, cached on disk."""
    import numpy as np
    from scipy.sparse import csr_matrix, load_npz

    if CACHE.is_file() and CACHE.with_suffix(".nodes.npy").is_file():
        return load_npz(CACHE), np.load(CACHE.with_suffix(".nodes.npy"))
    from scgraph import GeoGraph

    # scgraph_data 2.0.0 imports scgraph.core, which scgraph 3 removed; the class is the same.
    shim = types.ModuleType("scgraph.core")
    shim.GeoGraph = GeoGraph  # type: ignore[attr-defined]
    sys.modules["scgraph.core"] = shim
    from scgraph_data.world_railways import graph, nodes

    xy = np.array(nodes, dtype=float)
    rows, cols, km = [], [], []
    for i, row in enumerate(graph):
        for j, d in row.items():
            if i != j:
                rows.append(i)
                cols.append(j)
                km.append(max(float(d), 1e-6))
    n = len(xy)
    base = csr_matrix((km, (rows, cols)), shape=(n, n))
    matrix = _repair(base, xy)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    from scipy.sparse import save_npz

    save_npz(CACHE, matrix)
    np.save(CACHE.with_suffix(".nodes.npy"), xy)
    return matrix, xy


def _project(xy: Any) -> Any:
    import numpy as np

    return np.c_[xy[:, 0], xy[:, 1] * np.cos(np.radians(xy[:, 0]))] * KM_PER_DEG


def _repair(base: Any, xy: Any) -> Any:
    """Join dead ends (2 km) and nearby components (5 km), as measured in datasources.md."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    sym = base.maximum(base.T).tocsr()
    proj = _project(xy)
    tree = cKDTree(proj)
    degree = np.diff(sym.indptr)
    extra: list[tuple[int, int, float]] = []
    for i in np.flatnonzero(degree == 1):
        near = [j for j in tree.query_ball_point(proj[i], DEAD_END_KM) if j != i and sym[i, j] == 0]
        if near:
            j = min(near, key=lambda j: float(np.hypot(*(proj[i] - proj[j]))))
            extra.append((i, j, float(np.hypot(*(proj[i] - proj[j])))))
    _, label = connected_components(sym, directed=False)
    for i, j in tree.query_pairs(COMPONENT_KM):
        if label[i] != label[j]:
            extra.append((i, j, 1.2 * float(np.hypot(*(proj[i] - proj[j]))) + 0.5))
    if extra:
        r, c, w = zip(*extra, strict=True)
        bridge = csr_matrix((w, (r, c)), shape=sym.shape)
        sym = sym + bridge + bridge.T
    print(f"repair: {len(extra):,} virtual edges", file=sys.stderr)
    return sym.tocsr()


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def link_key(row: dict[str, str]) -> str:
    return f"{row['from']}-{row['to']}"


def measure(matrix: Any, xy: Any, places: dict[str, dict[str, str]], links: Iterable[dict[str, str]]) -> list[Measure]:
    """Graph distance of every rail link (``None`` where the graph does not join the ends)."""
    import numpy as np
    from scipy.sparse.csgraph import dijkstra
    from scipy.spatial import cKDTree

    tree = cKDTree(_project(xy))
    snap: dict[str, tuple[int, float]] = {}
    for pid, p in places.items():
        point = _project(np.array([[float(p["lat"]), float(p["lon"])]]))[0]
        dist, node = tree.query(point)
        snap[pid] = (int(node), float(dist))
    rail = [row for row in links if row["mode"] == "rail"]
    sources = sorted({snap[row["from"]][0] for row in rail})
    dist = dijkstra(matrix, directed=False, indices=sources, limit=6000.0)
    index = {node: k for k, node in enumerate(sources)}
    out = []
    for row in rail:
        (a, sa), (b, sb) = snap[row["from"]], snap[row["to"]]
        km = float(dist[index[a], b])
        out.append(
            Measure(
                key=link_key(row),
                data_km=float(row["distance_km"] or "nan"),
                source=row["distance_source"],
                graph_km=None if math.isinf(km) else km,
                snap_km=(sa, sb),
            )
        )
    return out


def read_review() -> dict[str, tuple[str, str]]:
    if not REVIEW.is_file():
        return {}
    _, rows = read_csv(REVIEW)
    return {r["link"]: (r["decision"], r["reason"]) for r in rows}


def apply(links_path: Path, measures: list[Measure], review: dict[str, tuple[str, str]]) -> int:
    """Write measured distances into ``links.csv``; return how many cells changed."""
    header, rows = read_csv(links_path)
    by_key = {m.key: m for m in measures}
    changed = 0
    for row in rows:
        m = by_key.get(link_key(row)) if row["mode"] == "rail" else None
        if m is None or not m.comparable or m.graph_km is None:
            continue
        wants = row["distance_source"] == OSM_SOURCE or review.get(m.key, ("", ""))[0] == "osm"
        value = f"{m.graph_km:.0f}"
        if wants and (row["distance_km"] != value or row["distance_source"] != OSM_SOURCE):
            row["distance_km"], row["distance_source"] = value, OSM_SOURCE
            m.data_km, m.source = float(value), OSM_SOURCE
            changed += 1
    with links_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return changed


def report(measures: list[Measure], review: dict[str, tuple[str, str]]) -> tuple[str, int]:
    """The Markdown report and the number of open findings."""
    lines = [
        "# Rail distances checked on the OpenStreetMap railway graph",
        "",
        "Generated by `tools/rail_distances.py` (scgraph-data 2.0.0 `world_railways`, repaired: dead ends",
        f"joined within {DEAD_END_KM:g} km, components within {COMPONENT_KM:g} km). Map data © OpenStreetMap",
        "contributors, ODbL 1.0. `graph` is the shortest path between the nodes nearest to the two places;",
        f"`snap` is how far each place is from its node (over {MAX_SNAP_KM:g} km: not comparable).",
        f"A finding is a difference over {THRESHOLD:.0%}; each has a decision in `tools/rail_review.csv`.",
        "",
    ]
    comparable = [m for m in measures if m.comparable]
    findings = [m for m in comparable if m.source != OSM_SOURCE and abs((m.ratio or 1) - 1) > THRESHOLD]
    open_ = [m for m in findings if m.key not in review]
    lines += [
        f"- rail links: {len(measures)}; comparable: {len(comparable)}; measured on the graph (source OSM1): "
        f"{sum(m.source == OSM_SOURCE for m in measures)}",
        f"- findings (> {THRESHOLD:.0%}): {len(findings)}; accepted: "
        f"{sum(review.get(m.key, ('',))[0] == 'accept' for m in findings)}; open: {len(open_)}",
        "",
        "| link | data km | source | graph km | ratio | snap km | decision |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for m in sorted(measures, key=lambda m: -abs((m.ratio or 1) - 1)):
        decision, reason = review.get(m.key, ("", ""))
        if m.source == OSM_SOURCE:
            decision, reason = "osm", reason or "measured on the graph"
        elif m.comparable and abs((m.ratio or 1) - 1) > THRESHOLD and not decision:
            decision = "**open**"
        elif not m.comparable:
            decision = decision or "not comparable"
        graph = f"{m.graph_km:,.0f}" if m.graph_km is not None else "not joined"
        ratio = f"{m.ratio:.2f}" if m.ratio else ""
        source = m.source if len(m.source) < 40 else m.source[:37] + "…"
        text = f"{decision}: {reason}" if reason else decision
        snap = f"{m.snap_km[0]:.0f} / {m.snap_km[1]:.0f}"
        lines.append(f"| {m.key} | {m.data_km:,.0f} | {source} | {graph} | {ratio} | {snap} | {text} |")
    return "\n".join(lines) + "\n", len(open_)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dry-run", action="store_true", help="measure and report, change no file")
    args = parser.parse_args(argv)
    _, place_rows = read_csv(DATA / "places.csv")
    places = {p["id"]: p for p in place_rows}
    _, link_rows = read_csv(DATA / "links.csv")
    matrix, xy = load_graph()
    measures = measure(matrix, xy, places, link_rows)
    review = read_review()
    if unknown := sorted(set(review) - {m.key for m in measures}):
        print(f"rail_review.csv names links that are not rail links: {', '.join(unknown)}", file=sys.stderr)
    if not args.dry_run:
        changed = apply(DATA / "links.csv", measures, review)
        print(f"links.csv: {changed} distances written from the graph", file=sys.stderr)
    text, open_count = report(measures, review)
    if not args.dry_run:
        REPORT.write_text(text, encoding="utf-8")
    print(text)
    return 1 if open_count else 0


if __name__ == "__main__":
    sys.exit(main())
