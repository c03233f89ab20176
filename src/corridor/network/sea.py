"""Compute the embedded sea lanes on the searoute maritime network (a maintainer's tool).

Run ``make sea-lanes`` (``python -m corridor.network.sea``) after adding a sea or ferry link to
``links.csv``: it computes the path of every water link once and writes
``data/sea_lanes.geojson``, which ships in the package. Routing never calls searoute itself,
so the ``searoute`` package is needed only here (the ``sea`` extra).

searoute's network joins the Caspian to the Sea of Azov through the Volga and the Volga–Don
canal. No container service sails that way (river draught, winter ice, Russian inland waters),
so :func:`maritime_graph` cuts it: the Caspian becomes a closed ferry basin of its own.

Two more repairs of searoute's network, each found by checking lanes against great-circle
distances and published sailing times:

* Kuryk's nearest node is Aktau's, so a lane from Kuryk sailed 70 km north to Aktau before
  heading south (Kuryk–Alat came out longer than Aktau–Alat, though Kuryk's crossing takes
  18 h against Aktau's 22 h, S17). :data:`EXTRA_EDGES` joins Kuryk to the open sea to its south.
* The Corinth Canal (about 21 m wide) is tagged ``corinth`` and closed to every lane: no
  container ship of a liner or feeder service fits it, so Piraeus–Bar sails round the
  Peloponnese.
* Only the strait itself is tagged ``dardanelles`` (searoute labels the whole Sea of Marmara).

Passages are read from the edges a lane uses: searoute's own (Suez, Bab-el-Mandeb, Bosporus …),
the Dardanelles (labelled in searoute's data but not reported by it) and Corinth.
"""

from __future__ import annotations

import csv
import itertools
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from corridor import settings
from corridor.network.resolve import great_circle_km

__all__ = ["RESTRICTIONS", "VOLGA_DON_BOX", "build_sea_lanes", "compute_lane", "main", "maritime_graph"]

# Edges with an end inside this box (lon, lat) form the Volga–Don waterway in searoute's graph.
VOLGA_DON_BOX = ((39.5, 45.3), (48.0, 49.5))
RESTRICTIONS = {
    "direct": ["northwest", "corinth"],
    "suez": ["northwest", "corinth"],
    "cape": ["northwest", "corinth", "suez", "babalmandab", "panama"],
}
CORINTH_CANAL = ((22.947178, 37.960508), (23.020113, 37.909026))
"""The searoute edge through the Corinth Canal, (lon, lat) of its two ends."""
DARDANELLES_STRAIT = ((26.2, 40.1), (26.768188, 40.440676))
"""The searoute edge through the Dardanelles proper; searoute labels the whole Sea of Marmara
``dardanelles``, which would tag a lane from Ambarli to the Black Sea that never enters the strait."""
KURYK = (51.68, 43.13)
EXTRA_EDGES: tuple[tuple[tuple[float, float], tuple[float, float]], ...] = (
    (KURYK, (50.765625, 41.50613)),
    (KURYK, (52.311401, 41.677015)),
)
"""Sea edges searoute lacks, (lon, lat) pairs: Kuryk to the mid-Caspian and south-eastern nodes."""
PASSAGES = frozenset(
    {"babalmandab", "bosporus", "dardanelles", "corinth", "gibraltar", "suez", "panama", "ormuz", "malacca"}
    | {"sunda", "chili", "south_africa", "bering", "northwest"}
)
"""Passage labels a lane is tagged with (searoute's, plus ``dardanelles`` and ``corinth``)."""
_COORD_DECIMALS = 4


def maritime_graph() -> Any:
    """searoute's network rebuilt without the Volga–Don waterway."""
    import searoute
    from searoute.data.marnet_dict import edge_list, node_list

    def cut(node: tuple[float, float]) -> bool:
        (lon0, lat0), (lon1, lat1) = VOLGA_DON_BOX
        return lon0 <= node[0] <= lon1 and lat0 <= node[1] <= lat1

    nodes = {n: data for n, data in node_list.items() if not cut(n)}
    edges = {
        a: {b: dict(data) for b, data in ends.items() if not cut(b)} for a, ends in edge_list.items() if not cut(a)
    }
    for ends in edges.values():
        for data in ends.values():
            if data.get("passage") == "dardanelles":
                del data["passage"]
    for (a, b), name in ((CORINTH_CANAL, "corinth"), (DARDANELLES_STRAIT, "dardanelles")):
        edges[a][b]["passage"] = edges[b][a]["passage"] = name
    for a, b in EXTRA_EDGES:
        nodes.setdefault(a, {})
        km = round(great_circle_km(a[1], a[0], b[1], b[0]), 1)
        edges.setdefault(a, {})[b] = {"weight": km}
        edges.setdefault(b, {})[a] = {"weight": km}
    return searoute.from_nodes_edges_set(searoute.Marnet(), nodes, edges)


def lane_passages(graph: Any, coordinates: list[list[float]]) -> list[str]:
    """Passages whose labelled edges a path of (lon, lat) points runs along, sorted."""
    found = set()
    for a, b in itertools.pairwise(coordinates):
        edge = graph.get_edge_data((a[0], a[1]), (b[0], b[1])) or {}
        if edge.get("passage") in PASSAGES:
            found.add(edge["passage"])
    return sorted(found)


def compute_lane(graph: Any, origin: tuple[float, float], dest: tuple[float, float], route: str) -> dict[str, Any]:
    """Path between two (lon, lat) points under a sea-route choice, as a GeoJSON feature.

    Raises
    ------
    ValueError
        If the network has no path (e.g. across the cut Volga) or a ``suez`` lane does not
        actually pass Suez.
    """
    import networkx
    import searoute

    try:
        feature = searoute.searoute(
            list(origin),
            list(dest),
            units="km",
            append_orig_dest=True,
            restrictions=list(RESTRICTIONS[route]),
            M=graph,
        )
    except networkx.NetworkXNoPath as exc:
        raise ValueError(f"no sea path from {origin} to {dest} ({route})") from exc
    length = feature["properties"]["length"]
    if not feature["geometry"]["coordinates"] or length == float("inf"):
        raise ValueError(f"no sea path from {origin} to {dest} ({route})")
    passages = lane_passages(graph, feature["geometry"]["coordinates"])
    if route == "suez" and "suez" not in passages:
        raise ValueError(f"the shortest path from {origin} to {dest} does not pass Suez")
    coords = [[round(c, _COORD_DECIMALS) for c in pt] for pt in feature["geometry"]["coordinates"]]
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": {"distance_km": round(length, 1), "passages": passages},
    }


def build_sea_lanes(data_dir: Path) -> dict[str, Any]:
    """Compute a lane for every sea and ferry link in ``links.csv`` of ``data_dir``."""
    with (data_dir / "places.csv").open(encoding="utf-8", newline="") as handle:
        coords = {r["id"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(handle)}
    with (data_dir / "links.csv").open(encoding="utf-8", newline="") as handle:
        water = [r for r in csv.DictReader(handle) if r["mode"] in ("sea", "ferry")]
    graph = maritime_graph()
    features = []
    done: set[tuple[str, str, str]] = set()
    for row in water:
        route = row["sea_route"] or "direct"
        if (row["from"], row["to"], route) in done:
            continue  # a ferry and a feeder may sail the same lane
        done.add((row["from"], row["to"], route))
        feature = compute_lane(graph, coords[row["from"]], coords[row["to"]], route)
        feature["properties"] = {"from": row["from"], "to": row["to"], "sea_route": route, **feature["properties"]}
        features.append(feature)
    version = metadata.version("searoute")
    return {
        "type": "FeatureCollection",
        "properties": {"source": f"searoute {version} maritime network, Volga–Don cut; see corridor.network.sea"},
        "features": features,
    }


def main() -> None:
    """Rewrite ``sea_lanes.geojson`` in the data directory in use."""
    data_dir = settings.data_dir()
    collection = build_sea_lanes(data_dir)
    out = data_dir / "sea_lanes.geojson"
    out.write_text(json.dumps(collection, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(collection['features'])} sea lanes to {out}")


if __name__ == "__main__":
    main()
