"""Fill the figures a link leaves blank, recording where each one came from.

* Sea and ferry distances come from the sea lanes computed on the searoute network.
* Air distances are great-circle distances between the two airports.
* A missing running time is distance / speed, the speed taken from ``rates.csv``.

Tariffs are not filled here: :mod:`corridor.pricing.apply` prices every link from the dated
``tariffs.csv`` at the date asked.

The derived figure's source says so (``derived: …``) and names the sources it rests on, so
every number a route reports stays traceable.
"""

from __future__ import annotations

import math
from typing import Any

from corridor.errors import Problem
from corridor.network.model import WATER_MODES, Link, Network, Rate, SeaLane

__all__ = ["EARTH_RADIUS_KM", "find_lane", "find_rate", "great_circle_km", "resolve_links"]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance between two WGS84 points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def find_lane(network: Network, link: Link) -> SeaLane | None:
    """The sea lane a water link sails, looked up in either direction."""
    route = link.sea_route or "direct"
    return network.sea_lanes.get((link.from_id, link.to_id, route)) or network.sea_lanes.get(
        (link.to_id, link.from_id, route)
    )


def find_rate(network: Network, mode: str, country: str) -> Rate | None:
    """The rate row for a mode in a country, falling back to the ``*`` row of the mode."""
    for wanted in (country, "*"):
        for rate in network.rates:
            if rate.mode == mode and rate.country == wanted:
                return rate
    return None


def resolve_links(network: Network, lines: list[int]) -> tuple[tuple[Link, ...], list[Problem]]:
    """Return the links with distance and running time filled in, and a problem per link that cannot be."""
    resolved: list[Link] = []
    problems: list[Problem] = []
    for line, link in zip(lines, network.links, strict=True):
        try:
            resolved.append(_resolve(network, link))
        except _Unresolved as exc:
            problems.append(Problem("links.csv", line, exc.field, exc.message))
    return tuple(resolved), problems


class _Unresolved(Exception):
    """A link figure that cannot be derived: which field, and why (becomes a :class:`Problem`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def resolve_link(network: Network, link: Link) -> Link:
    """One link with distance and running time filled in.

    Raises
    ------
    ValueError
        ``"field: message"`` when a figure cannot be derived (no sea lane, no speed).
    """
    try:
        return _resolve(network, link)
    except _Unresolved as exc:
        raise ValueError(str(exc)) from None


def _resolve(network: Network, link: Link) -> Link:
    update = _distance(network, link)
    distance = float(update.get("distance_km", link.distance_km or 0.0))
    if link.time_h is None:
        rate = find_rate(network, link.mode, network.places[link.from_id].country)
        speed, why = _speed(link, rate)
        update["time_h"] = distance / speed
        update["time_source"] = f"derived: {distance:.0f} km at {speed:g} km/h ({why})"
    return link.model_copy(update=update)


def _distance(network: Network, link: Link) -> dict[str, Any]:
    if link.mode in WATER_MODES:
        lane = find_lane(network, link)
        if lane is None:
            raise _Unresolved(
                "sea_route",
                f"no {link.sea_route} sea lane {link.from_id}–{link.to_id} in sea_lanes.geojson (run `make sea-lanes`)",
            )
        return {"distance_km": lane.distance_km, "distance_source": "searoute", "passages": lane.passages}
    if link.distance_km is None:  # air: the checks allow only this mode to omit it
        a, b = network.places[link.from_id], network.places[link.to_id]
        km = great_circle_km(a.lat, a.lon, b.lat, b.lon)
        return {"distance_km": km, "distance_source": "derived: great-circle distance between the airports"}
    return {}


def _speed(link: Link, rate: Rate | None) -> tuple[float, str]:
    if link.speed_kmh is not None:
        return link.speed_kmh, link.time_source
    if rate is None:
        raise _Unresolved("time_h", f"no time or speed given and rates.csv has no {link.mode} rate")
    return rate.speed_kmh, f"{link.mode} {rate.country} speed: {rate.speed_source}"
