"""Border crossings: an event on a land link between two countries, charged once per direction.

A rail or road link whose ends lie in two countries crosses one border. Its dwell and charge come
from one ``border`` row of ``node_times.csv`` at either end of the link (the data keeps border rows
at the stations where trains are held). Which row: the most specific for the direction travelled
(``from_country`` and ``to_country`` both match, then one, then neither), then a row at a border
station (place kind ``border_crossing``) before one at an inland terminal, then the arrival end
(estimate: the country being entered does the inspection that holds a train). A crossing inside a
customs union with no stop (the data's zero rows, e.g. Kazakhstan–Russia in the EAEU, Poland–Germany
in the EU) is no event at all: it costs nothing and is not shown.

A link between two places of one country is never a border, and no border is charged at the start
or end of a route for its own sake: only a link that crosses one pays.
"""

from __future__ import annotations

from corridor.network.model import Link, Network, NodeTime, Place

__all__ = ["border_row", "is_stop"]


def border_row(network: Network, link: Link) -> tuple[Place, NodeTime] | None:
    """The place and ``node_times.csv`` row that price the border ``link`` crosses.

    Returns ``None`` for a link inside one country, a water or air link (their formalities are
    part of the port dwell) or a land link with no border row at either end (the data checks
    report that as a defect).
    """
    if link.mode not in ("rail", "road"):
        return None
    a, b = network.places[link.from_id], network.places[link.to_id]
    if a.country == b.country:
        return None
    ranked = []
    for arrival, place in enumerate((a, b)):
        for row in network.node_times:
            if row.kind != "border" or row.place != place.id:
                continue
            if row.from_country not in ("", a.country) or row.to_country not in ("", b.country):
                continue
            specific = 2 * (row.from_country == a.country) + (row.to_country == b.country)
            ranked.append(((specific, place.kind == "border_crossing", arrival), place, row))
    if not ranked:
        return None
    _, place, row = max(ranked, key=lambda r: r[0])
    return place, row


def is_stop(row: NodeTime) -> bool:
    """Whether a border row holds the container at all (internal EAEU/EU borders do not)."""
    return bool(row.time_h or row.cost_teu_usd or row.cost_feu_usd)
