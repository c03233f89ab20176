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
with twice the Caspian traffic waits less for a ferry, up to the fleet's limit) and
:func:`at_teu_per_week` at a level a shipper states in TEU a week.

The load a ``when_full`` ferry sails with is what the statistics show it carried on average
(``teu_per_departure``: units moved over departures made), not its nameplate capacity: Kuryk's
ferries carried about 33 wagons and trucks a departure in 2023 (N01) against room for 54 wagons
(S16), because they also sail part-loaded rather than hold cargo for days. Wagons and trucks count
as :data:`TEU_PER_UNIT` TEU-equivalent each.
"""

from __future__ import annotations

import dataclasses

from corridor.network.model import WATER_MODES, Link, Network, Sailing

__all__ = [
    "TEU_PER_UNIT",
    "apply_sailings",
    "at_demand",
    "at_teu_per_week",
    "departures_per_week",
    "observed_teu_per_week",
    "sailing_for",
    "wait_rule",
]

TEU_PER_UNIT = 2.0
"""TEU-equivalent of a rail wagon or a truck on a ferry. estimate: a 40 ft container flat or a
semi-trailer carries one FEU (2 TEU); tank and box wagons are counted alike, by the deck length
they take."""


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


def observed_teu_per_week(sailing: Sailing) -> float | None:
    """TEU-equivalent a week the service carried in its statistics period (``None`` if unknown)."""
    if sailing.teu_per_departure is None:
        return None
    return sailing.departures_per_week * sailing.teu_per_departure


def at_teu_per_week(network: Network, teu_per_week: float | None) -> Network:
    """The network with every ``when_full`` crossing offered ``teu_per_week`` TEU-equivalent a week.

    Each such service then sails ``teu_per_week / teu_per_departure`` times a week (capped by its
    fleet): the wait for a ferry falls as the cargo rises. Timetabled services are unchanged.
    ``None`` returns ``network`` itself (the frequencies observed in ``sailings.csv``).

    Raises
    ------
    ValueError
        If ``teu_per_week`` is not positive, or a ``when_full`` row lacks ``teu_per_departure``.
    """
    if teu_per_week is None:
        return network
    if teu_per_week <= 0:
        raise ValueError(f"demand must be a positive number of TEU a week, got {teu_per_week:g}")
    links = []
    for link in apply_sailings(network.links, network.sailings):
        row = sailing_for(network, link)
        when_full = row is not None and row.rule == "when_full"
        links.append(_with_row(link, row, _factor(row, teu_per_week)) if row and when_full else link)
    return dataclasses.replace(network, links=tuple(links), demand_teu_week=teu_per_week)


def _factor(sailing: Sailing, teu_per_week: float) -> float:
    if sailing.rule == "timetable":
        return 1.0
    observed = observed_teu_per_week(sailing)
    if observed is None:
        raise ValueError(f"sailings.csv: the when_full row {sailing.from_id}→{sailing.to_id} has no teu_per_departure")
    return teu_per_week / observed


def sailing_for(network: Network, link: Link) -> Sailing | None:
    """The ``sailings.csv`` row of ``link`` in its direction, if there is one."""
    return next(
        (s for s in network.sailings if (s.from_id, s.to_id, s.mode) == (link.from_id, link.to_id, link.mode)), None
    )


def wait_rule(network: Network, link: Link) -> str:
    """How the wait for a departure on ``link`` is modelled: ``"when_full"``, ``"timetable"`` or
    ``""`` (no scheduled departure: a train or truck leaves when loaded, with no wait charged)."""
    if not link.frequency_per_week:
        return ""
    row = sailing_for(network, link)
    return row.rule if row is not None else "timetable"
