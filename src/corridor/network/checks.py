"""Consistency checks across the data files, run by the loader before anything is used.

Row-level validation (types, ranges) is done by the pydantic models; these checks catch what a
single row cannot show: links to unknown places, figures without a source, borders without a
dwell time, places where two rail gauges meet without a gauge-change row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from corridor.errors import Problem
from corridor.network.model import CORRIDOR_TAGS, WATER_MODES, Link, Network

__all__ = ["SOURCE_PREFIXES", "Reporter", "check_network", "source_problem"]

Reporter = Callable[[str, str], None]

SOURCE_PREFIXES = ("estimate:", "derived:", "searoute")
_MIN_REASON = 12
_SOURCE_ID = re.compile(r"^[A-Z]+(?:[0-9]+[a-z]?|_[A-Z]+)$")  # G16, S77b, LCA_KG (an estimate must say why)


def check_network(network: Network, lines: dict[str, list[int]]) -> list[Problem]:
    """Return every cross-file problem; an empty list means the network is consistent."""
    problems: list[Problem] = []
    problems += _check_places(network, lines["places.csv"])
    problems += _check_links(network, lines["links.csv"])
    problems += _check_node_times(network, lines["node_times.csv"])
    problems += _check_borders_and_gauges(network, lines["links.csv"])
    problems += _check_other_sources(network, lines)
    problems += _check_uncertainty_places(network, lines)
    problems += _check_sailings(network, lines["sailings.csv"])
    problems += _check_passage_status(network, lines["passage_status.csv"])
    return problems


def source_problem(network: Network, value: str) -> str | None:
    """Why ``value`` is not a valid source reference, or ``None`` if it is.

    A reference is a ``;``-separated list of source ids, possibly mixed with an
    ``estimate: …`` or ``derived: …`` reasoning (whose text may itself contain ``;``).
    """
    if not value:
        return "is empty: give a source id from sources.csv or 'estimate: <reasoning>'"
    reasoning = False
    for part in (p.strip() for p in value.split(";")):
        if part.startswith(SOURCE_PREFIXES):
            if part.startswith("estimate:") and len(part) < len("estimate:") + _MIN_REASON:
                return f"'{part}' gives no reasoning"
            reasoning = True
        elif _SOURCE_ID.match(part):
            if part not in network.sources:
                return f"cites unknown source '{part}' (not in sources.csv)"
        elif not reasoning:
            return f"'{part}' is neither a source id nor an 'estimate:'/'derived:' reasoning"
    return None


def _check_places(network: Network, lines: list[int]) -> list[Problem]:
    problems = []
    for line, place in zip(lines, network.places.values(), strict=True):
        if (why := source_problem(network, place.coord_source)) is not None:
            problems.append(Problem("places.csv", line, "coord_source", why))
    return problems


def _check_links(network: Network, lines: list[int]) -> list[Problem]:
    problems: list[Problem] = []
    keys: dict[str, int] = {}
    for line, link in zip(lines, network.links, strict=True):

        def bad(field: str, message: str, line: int = line) -> None:
            problems.append(Problem("links.csv", line, field, message))

        for field in ("from_id", "to_id"):
            place_id = getattr(link, field)
            if place_id not in network.places:
                bad(field.removesuffix("_id"), f"unknown place '{place_id}'")
        if link.key in keys:
            bad("to", f"duplicate of the link on line {keys[link.key]}")
        keys[link.key] = line
        _check_link_figures(network, link, bad)
    return problems


def _check_link_figures(network: Network, link: Link, bad: Reporter) -> None:
    if link.vehicle not in network.emission_factors:
        bad("vehicle", f"unknown vehicle '{link.vehicle}' (not in emission_factors.csv)")
    elif network.emission_factors[link.vehicle].mode != link.mode:
        bad("vehicle", f"vehicle '{link.vehicle}' is not a {link.mode} vehicle")
    if link.corridor and link.corridor not in CORRIDOR_TAGS:
        bad("corridor", f"unknown corridor '{link.corridor}'; use one of {sorted(CORRIDOR_TAGS)}")
    if (link.mode == "rail") != (link.gauge is not None):
        bad("gauge", "rail links need a gauge (1435, 1520, 1668 or 1676); other modes none")
    if link.mode in WATER_MODES:
        if link.sea_route is None:
            bad("sea_route", "sea and ferry links need a sea_route (suez, cape or direct)")
        if link.distance_km is not None:
            bad("distance_km", "leave sea distances blank: they come from sea_lanes.geojson")
    elif link.distance_km is None and link.mode != "air":
        bad("distance_km", f"a {link.mode} link needs a distance")
    pairs = [
        ("distance_km", "distance_source"),
        ("time_h", "time_source"),
        ("speed_kmh", "time_source"),
        ("capacity", "capacity_source"),
        ("frequency_per_week", "frequency_source"),
    ]
    checked = set()
    for figure, source in pairs:
        if getattr(link, figure) is not None and source not in checked:
            checked.add(source)
            if (why := source_problem(network, getattr(link, source))) is not None:
                bad(source, why)
    if link.capacity is not None and not link.capacity_unit:
        bad("capacity_unit", "a capacity needs a unit, e.g. teu_per_year")


def _check_node_times(network: Network, lines: list[int]) -> list[Problem]:
    problems = []
    for line, row in zip(lines, network.node_times, strict=True):
        if row.place != "*" and row.place not in network.places:
            problems.append(Problem("node_times.csv", line, "place", f"unknown place '{row.place}'"))
        if (why := source_problem(network, row.time_source)) is not None:
            problems.append(Problem("node_times.csv", line, "time_source", why))
    defaults = {row.kind for row in network.node_times if row.place == "*"}
    for kind in ("port", "transshipment"):
        if kind not in defaults:
            problems.append(Problem("node_times.csv", 0, "place", f"no default ('*') {kind} row"))
    return problems


def _check_borders_and_gauges(network: Network, lines: list[int]) -> list[Problem]:
    problems = []
    borders = {(r.place, r.from_country, r.to_country) for r in network.node_times if r.kind == "border"}
    gauge_rows = {r.place for r in network.node_times if r.kind == "gauge-change"}
    gauges: dict[str, set[int]] = defaultdict(set)
    for line, link in zip(lines, network.links, strict=True):
        if link.gauge is not None:
            gauges[link.from_id].add(link.gauge)
            gauges[link.to_id].add(link.gauge)
        if link.mode not in ("rail", "road") or not {link.from_id, link.to_id} <= network.places.keys():
            continue
        directions = [(link.from_id, link.to_id)] + ([(link.to_id, link.from_id)] if link.bidirectional else [])
        for a, b in directions:
            ca, cb = network.places[a].country, network.places[b].country
            if ca == cb:
                continue
            if not any((p, f, t) in borders for p in (a, b) for f in (ca, "") for t in (cb, "")):
                problems.append(
                    Problem(
                        "links.csv", line, "to", f"crosses {ca}→{cb} but node_times.csv has no border row at {a} or {b}"
                    )
                )
    for place, seen in gauges.items():
        if len(seen) > 1 and place not in gauge_rows:
            problems.append(
                Problem(
                    "node_times.csv",
                    0,
                    "place",
                    f"rail of {' and '.join(map(str, sorted(seen)))} mm gauge meets at {place} "
                    "but it has no gauge-change row",
                )
            )
    return problems


def _check_other_sources(network: Network, lines: dict[str, list[int]]) -> list[Problem]:
    records: dict[str, tuple[tuple[str, ...], Iterable[Any]]] = {
        "rates.csv": (("speed_source",), network.rates),
        "emission_factors.csv": (("source",), network.emission_factors.values()),
        "cargo.csv": (
            ("tonnes_source", "tariff_multiplier_source", "emission_multiplier_source"),
            network.cargo_types.values(),
        ),
        "variability.csv": (("source",), network.variability),
        "weather.csv": (("source",), network.weather),
        "hub_emission_factors.csv": (("source", "ttw_source"), network.hub_factors.values()),
        "sailings.csv": (("source",), network.sailings),
        "passage_status.csv": (("source",), network.passage_status),
    }
    problems = []
    for name, (fields, rows) in records.items():
        for line, row in zip(lines[name], rows, strict=True):
            for field in fields:
                if (why := source_problem(network, getattr(row, field))) is not None:
                    problems.append(Problem(name, line, field, why))
    return problems


def _check_uncertainty_places(network: Network, lines: dict[str, list[int]]) -> list[Problem]:
    problems = []
    for line, row in zip(lines["variability.csv"], network.variability, strict=True):
        if row.place != "*" and row.place not in network.places:
            problems.append(Problem("variability.csv", line, "place", f"unknown place '{row.place}'"))
    for line, w in zip(lines["weather.csv"], network.weather, strict=True):
        if w.port not in network.places:
            problems.append(Problem("weather.csv", line, "port", f"unknown place '{w.port}'"))
    return problems


def _check_sailings(network: Network, lines: list[int]) -> list[Problem]:
    """Every sailings row names a water link of ``links.csv`` in a direction it is travelled, and a
    ``when_full`` row says the load it sails with (its wait depends on it)."""
    ways = set()
    for link in network.links:
        ways.add((link.from_id, link.to_id, link.mode))
        if link.bidirectional:
            ways.add((link.to_id, link.from_id, link.mode))
    rows = list(zip(lines, network.sailings, strict=True))
    return [
        Problem("sailings.csv", line, "to", f"no {s.mode} link {s.from_id}→{s.to_id} in links.csv")
        for line, s in rows
        if (s.from_id, s.to_id, s.mode) not in ways
    ] + [
        Problem("sailings.csv", line, "teu_per_departure", "a when_full service needs the load it sails with")
        for line, s in rows
        if s.rule == "when_full" and s.teu_per_departure is None
    ]


def _check_passage_status(network: Network, lines: list[int]) -> list[Problem]:
    """Every passage status row names a passage some sea lane passes, and ends after it starts."""
    passages = {p for lane in network.sea_lanes.values() for p in lane.passages}
    problems = []
    for line, row in zip(lines, network.passage_status, strict=True):
        if row.passage not in passages:
            known = ", ".join(sorted(passages))
            problems.append(
                Problem("passage_status.csv", line, "passage", f"no sea lane passes '{row.passage}' ({known})")
            )
        if row.valid_to is not None and row.valid_to < row.valid_from:
            problems.append(Problem("passage_status.csv", line, "valid_to", "ends before valid_from"))
    return problems
