"""How often ferries and feeders sail, per direction, from port and operator statistics.

``sailings.csv`` gives, for a water link in one direction, the departures a week observed in a
stated period and the rule the service sails by:

* ``timetable`` — a liner or feeder with published days: the frequency does not depend on how
  much cargo there is;
* ``when_full`` — Caspian ferries keep no fixed timetable (OECD, S03) and leave once loaded, so
  the departures a week observed are the cargo flow of that period divided by a ship's load.
  With more cargo they sail more often, with less they wait longer: the frequency scales with
  the demand, up to what the fleet can sail.

A container reaching the quay at a random moment waits half the interval between departures on
average, whichever the rule; :func:`departures_per_week` is where the rule changes that interval.
At load time (:func:`apply_sailings`) the observed frequency replaces the link's
``frequency_per_week`` for that direction, so routing and the Monte Carlo engine see it without
knowing about sailings; :func:`at_demand` gives the network at another level of cargo (a scenario
with twice the Caspian traffic waits less for a ferry, up to the fleet's limit).
"""

from __future__ import annotations

import dataclasses

from corridor.network.model import WATER_MODES, Link, Network, Sailing


def departures_per_week(sailing: Sailing, demand: float = 1.0) -> float:
    """Departures a week at ``demand`` times the cargo flow of the observed period.

    A ``timetable`` service sails as published whatever the demand; a ``when_full`` service sails
    once a ship's load has gathered, so its departures scale with the demand, capped by the fleet.

    Raises
    ------
    ValueError
        If ``demand`` is not positive.
    """
    if demand <= 0:
        raise ValueError(f"demand must be positive, got {demand}")
    if sailing.rule == "timetable":
        return sailing.departures_per_week
    scaled = sailing.departures_per_week * demand
    cap = sailing.max_departures_per_week
    return min(scaled, cap) if cap is not None else scaled


def apply_sailings(links: tuple[Link, ...], sailings: tuple[Sailing, ...], demand: float = 1.0) -> tuple[Link, ...]:
    """Links with each water link's frequency taken from ``sailings`` per direction.

    A bidirectional link with a row for either direction becomes two one-way links, each with the
    frequency of its own direction (the other direction keeps the link's own figure if it has no
    row). Links without a row are returned unchanged.
    """
    by_key: dict[tuple[str, str, str], Sailing] = {(s.from_id, s.to_id, s.mode): s for s in sailings}
    out: list[Link] = []
    for link in links:
        if link.mode not in WATER_MODES:
            out.append(link)
            continue
        ways = [link, link.reversed()] if link.bidirectional else [link]
        rows = [by_key.get((w.from_id, w.to_id, w.mode)) for w in ways]
        if not any(rows):
            out.append(link)
            continue
        for way, row in zip(ways, rows, strict=True):
            out.append(_with_row(way, row, demand) if row else way.model_copy(update={"bidirectional": False}))
    return tuple(out)


def _with_row(link: Link, row: Sailing, demand: float) -> Link:
    rule = "sails when loaded" if row.rule == "when_full" else "timetable"
    return link.model_copy(
        update={
            "bidirectional": False,
            "frequency_per_week": departures_per_week(row, demand),
            "frequency_source": f"{row.source} ({rule}, {row.period})",
        }
    )


def at_demand(network: Network, demand: float) -> Network:
    """The network with every ``when_full`` service sailing at ``demand`` × the observed flow.

    Raises
    ------
    ValueError
        If ``demand`` is not positive.
    """
    links = apply_sailings(network.links, network.sailings, demand)
    return dataclasses.replace(network, links=links)
