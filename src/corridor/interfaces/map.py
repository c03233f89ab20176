"""Interactive HTML maps of routes (Leaflet via folium; install the ``plot`` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError
from corridor.routing.itinerary import Route

__all__ = ["COLOURS", "DASHES", "route_map"]

COLOURS = {
    "Middle": "#d62728",
    "Northern": "#1f77b4",
    "Sea-Suez": "#2ca02c",
    "Sea-Cape": "#17becf",
    "North–South": "#ff7f0e",
    "Trans-Afghan": "#8c564b",
    "Air": "#9467bd",
    "Direct": "#7f7f7f",
}
DASHES = {"sea": "8 6", "ferry": "8 6", "air": "2 6"}


def route_map(routes: Sequence[Route], path: str | Path, title: str = "") -> Path:
    """Write an HTML map with one switchable layer per route and return its path.

    Parameters
    ----------
    routes : sequence of Route
        Routes to draw; each becomes a layer named after its corridor.
    path : str or Path
        Where to write the HTML file (folders are created).
    title : str
        Shown above the map.

    Raises
    ------
    CorridorError
        If folium is not installed.
    """
    try:
        import folium
    except ImportError as exc:  # the plot extra is optional
        raise CorridorError("maps need folium: pip install 'corridor[plot]'") from exc
    fmap = _offline(folium.Map(location=(42, 55), zoom_start=3, tiles="OpenStreetMap"))
    if title:
        fmap.get_root().html.add_child(folium.Element(f"<h3 style='margin:6px'>{title}</h3>"))
    for route in routes:
        layer = folium.FeatureGroup(name=_label(route))
        colour = COLOURS.get(route.corridor, "#333333")
        for leg in route.legs:
            points = [(lat, lon) for lon, lat in _unwrap(leg.coordinates)]
            tip = (
                f"{leg.origin} → {leg.destination}: {leg.mode}, {leg.distance_km:,.0f} km, "
                f"{leg.time_h / 24:.1f} d, ${leg.cost_usd:,.0f}"
            )
            folium.PolyLine(
                points, color=colour, weight=4, opacity=0.8, dash_array=DASHES.get(leg.mode), tooltip=tip
            ).add_to(layer)
        for c in route.crossings:
            lon, lat = _where(route, c.place)
            folium.CircleMarker(
                (lat, lon),
                radius=5,
                color=colour,
                fill=True,
                tooltip=f"{c.place}: {c.kind}, {c.time_h:.0f} h, ${c.cost_usd:,.0f}",
            ).add_to(layer)
        layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fmap.save(str(out))
    except OSError as exc:
        raise CorridorError(f"cannot write the map to {out}: {exc.strerror or exc}") from exc
    return out


LEAFLET = Path(__file__).with_name("web") / "vendor" / "leaflet"
"""The Leaflet the web page vendors; inlined into saved maps so they need no CDN."""


def _offline(fmap: Any) -> Any:
    """Drop folium's CDN scripts and styles (Leaflet, jQuery, Bootstrap, icon fonts) and inline the
    vendored Leaflet instead: lines, circle markers and the layer control need nothing else. Map
    tiles still come from OpenStreetMap when online; without internet the routes show on a blank
    background."""
    import folium

    fmap.default_js, fmap.default_css = [], []
    css = (LEAFLET / "leaflet.css").read_text(encoding="utf-8")
    js = (LEAFLET / "leaflet.js").read_text(encoding="utf-8")
    fmap.get_root().header.add_child(folium.Element(f"<style>{css}</style>\n<script>{js}</script>"))
    return fmap


def _label(route: Route) -> str:
    days, usd, tonnes = route.total_time_days, route.total_cost_usd, route.co2e_kg / 1000
    return f"{route.corridor}: {days:.1f} d, ${usd:,.0f}, {tonnes:.1f} t CO2e"


def _where(route: Route, place: str) -> tuple[float, float]:
    for leg in route.legs:
        if leg.origin == place:
            return leg.coordinates[0]
        if leg.destination == place:
            return leg.coordinates[-1]
    return route.legs[0].coordinates[0]


def _unwrap(coords: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep a line continuous across the antimeridian (sea lanes may cross it)."""
    out: list[tuple[float, float]] = []
    for lon, lat in coords:
        if out and abs(lon - out[-1][0]) > 180:
            lon += 360 if lon < out[-1][0] else -360
        out.append((lon, lat))
    return out
