"""Border crossings: an event on a land link between two countries, charged once per direction.

A rail or road link whose ends lie in two countries crosses one border. Its dwell and charge come
from one ``border`` row of ``node_times.csv`` at either end of the link (the data keeps border rows
at the stations where trains are held). Which row: the most specific for the direction travelled
(``from_country`` and ``to_country`` both match, then one, then neither), then a row at a border
station (place kind ``border_crossing``) before one at an inland terminal, then the arrival end
(estimate: the country being entered does the inspection that holds a train).

One rule decides whether a crossing is an event: the row holds the container (``time_h`` > 0). A
crossing whose row holds nothing (the data's 0-h rows: Kazakhstan–Russia and Kyrgyzstan–Kazakhstan
in the EAEU customs territory, Poland–Germany in the EU, Switzerland–Italy under common transit) is
no event at all: it costs nothing and is not shown, whatever a default border tariff of
``tariffs.csv`` would charge at that place (the dated default of USD 193, CAREC's average, used to
land on the EAEU rows at Bishkek and Aktobe but not on those at Atyrau and Petropavl, which have a
0 charge of their own). A sea or ferry crossing between two countries is no border event either:
its export and import formalities are done at the ports and are part of their dwell.

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
    """Whether a border row holds the container at all (internal EAEU/EU borders do not): a row
    of 0 h is no stop, and a crossing that is no stop is not charged."""
    return row.time_h > 0
