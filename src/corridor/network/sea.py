"""Compute the embedded sea lanes on the searoute maritime network (a maintainer's tool).

Run ``make sea-lanes`` (``python -m corridor.network.sea``) after adding a sea or ferry link to
``links.csv``: it computes the path of every water link once and writes
``data/sea_lanes.geojson``, which ships in the package. Routing never calls searoute itself,
so the ``searoute`` package is needed only here (the ``sea`` extra).

searoute's network joins the Caspian to the Sea of Azov through the Volga and the Volga–Don
canal. No container service sails that way (river draught, winter ice, Russian inland waters),
so :func:`maritime_graph` cuts it: the Caspian becomes a closed ferry basin of its own.
"""

from __future__ import annotations

import csv
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from corridor import settings

__all__ = ["RESTRICTIONS", "VOLGA_DON_BOX", "build_sea_lanes", "compute_lane", "main", "maritime_graph"]

# Edges with an end inside this box (lon, lat) form the Volga–Don waterway in searoute's graph.
VOLGA_DON_BOX = ((39.5, 45.3), (48.0, 49.5))
RESTRICTIONS = {
    "direct": ["northwest"],
    "suez": ["northwest"],
    "cape": ["northwest", "suez", "babalmandab", "panama"],
}
_COORD_DECIMALS = 4


def maritime_graph() -> Any:
    """searoute's network rebuilt without the Volga–Don waterway."""
    import searoute
    from searoute.data.marnet_dict import edge_list, node_list

    def cut(node: tuple[float, float]) -> bool:
        (lon0, lat0), (lon1, lat1) = VOLGA_DON_BOX
        return lon0 <= node[0] <= lon1 and lat0 <= node[1] <= lat1

    nodes = {n: data for n, data in node_list.items() if not cut(n)}
    edges = {a: {b: data for b, data in ends.items() if not cut(b)} for a, ends in edge_list.items() if not cut(a)}
    return searoute.from_nodes_edges_set(searoute.Marnet(), nodes, edges)


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
            return_passages=True,
            M=graph,
        )
    except networkx.NetworkXNoPath as exc:
        raise ValueError(f"no sea path from {origin} to {dest} ({route})") from exc
    length = feature["properties"]["length"]
    if not feature["geometry"]["coordinates"] or length == float("inf"):
        raise ValueError(f"no sea path from {origin} to {dest} ({route})")
    passages = sorted(feature["properties"].get("traversed_passages") or [])
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
