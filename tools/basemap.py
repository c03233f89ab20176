"""Rebuild the web page's basemap: Natural Earth countries, cropped to the network's region.

Maintainers only; the result ships as ``src/corridor/interfaces/web/countries.geojson``.
The input is the ``world-atlas`` npm package (Natural Earth as TopoJSON)::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/basemap.py /tmp/package/countries-50m.json

TopoJSON stores each shared border once as a quantised, delta-encoded arc; this script decodes
the arcs, assembles each country's rings, clips them to the region's rectangle and rounds
coordinates to 0.01° (about 1 km). Arcs are simplified (Douglas–Peucker, ``TOLERANCE``) before
the rings are assembled, so a border shared by two countries stays one line without gaps.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

WEST, SOUTH, EAST, NORTH = -26.0, -42.0, 135.0, 66.0
"""Region drawn: every place and sea lane of the network (lon -18..123, lat -35..57) plus a margin."""
DIGITS = 2
TOLERANCE = 0.02
"""Largest distance (degrees) a simplified arc may stray from the source arc."""
OUT = Path(__file__).resolve().parents[1] / "src/corridor/interfaces/web/countries.geojson"

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute lon/lat coordinates of every arc (undo delta encoding and quantisation)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(simplify(points))
    return arcs


def simplify(points: list[Point]) -> list[Point]:
    """Douglas–Peucker: keep the points that stray more than ``TOLERANCE`` from a chord."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, distance = 0, TOLERANCE
        for n in range(first + 1, last):
            d = _off_chord(points[n], points[first], points[last])
            if d > distance:
                worst, distance = n, d
        if worst:
            keep.add(worst)
            stack += [(first, worst), (worst, last)]
    return [points[n] for n in sorted(keep)]


def _off_chord(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = (dx * dx + dy * dy) ** 0.5
    if length == 0:
        return float(((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5)
    return abs(dx * (a[1] - p[1]) - dy * (a[0] - p[0])) / length


def ring(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    """One closed ring from arc indices (a negative index ``~i`` means arc ``i`` reversed)."""
    points: list[Point] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def clip(points: list[Point]) -> list[Point]:
    """Sutherland–Hodgman clipping of a ring to the region's rectangle (convex, so exact)."""
    edges = [
        (lambda p: p[0] >= WEST, lambda a, b: _at_x(a, b, WEST)),
        (lambda p: p[0] <= EAST, lambda a, b: _at_x(a, b, EAST)),
        (lambda p: p[1] >= SOUTH, lambda a, b: _at_y(a, b, SOUTH)),
        (lambda p: p[1] <= NORTH, lambda a, b: _at_y(a, b, NORTH)),
    ]
    for inside, cross in edges:
        kept: list[Point] = []
        for n, current in enumerate(points):
            previous = points[n - 1]
            if inside(current):
                if not inside(previous):
                    kept.append(cross(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(cross(previous, current))
        points = kept
    return points


def _at_x(a: Point, b: Point, x: float) -> Point:
    return (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    return (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)


def rounded(points: list[Point]) -> list[list[float]]:
    """Coordinates rounded to ``DIGITS`` decimals, consecutive duplicates dropped, ring closed."""
    out: list[list[float]] = []
    for x, y in points:
        p = [round(x, DIGITS), round(y, DIGITS)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def polygons(geometry: dict[str, Any], arcs: list[list[Point]]) -> list[list[list[list[float]]]]:
    """The geometry's polygons, each a list of clipped rings; rings clipped away are dropped."""
    parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    result = []
    for part in parts:
        rings = [rounded(clip(ring(r, arcs))) for r in part]
        if len(rings[0]) >= 4:
            result.append([r for r in rings if len(r) >= 4])
    return result


def countries(topology: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the countries that reach into the region."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        parts = polygons(geometry, arcs)
        if parts:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": geometry["properties"]["name"], "id": geometry.get("id")},
                    "geometry": {"type": "MultiPolygon", "coordinates": parts},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(countries(topology), separators=(",", ":")), encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
