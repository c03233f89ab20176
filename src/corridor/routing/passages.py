"""Sea passages carriers avoid at a date: the routing default of ``passage_status.csv``.

During the Red Sea crisis most container lines sailed round the Cape of Good Hope from mid-December
2023, though the Suez Canal stayed open: a plan at a date in that period that sends a box through
Bab-el-Mandeb is not one a forwarder can book. So a query with a date inside a period of
``passage_status.csv`` avoids that passage, says so in its notes, and takes it again only when
the caller allows it by name (``allow_passages``, ``--allow-passage bab-el-mandeb``).

A query without a date uses the network as loaded, whose sea lanes are all open: the statuses are
dated facts and apply only to a dated question. Undated prices are those of the latest date the
data covers, though, so when a route found that way sails through a passage carriers avoid at that
date, :func:`undated_notes` says so (and how to ask the dated question).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from corridor.network.model import Network, PassageStatus
from corridor.routing.options import PASSAGES, RouteOptions

__all__ = ["avoid_diverted", "in_force", "undated_notes"]


def in_force(network: Network, when: dt.date) -> tuple[PassageStatus, ...]:
    """The rows of ``passage_status.csv`` whose period contains ``when``."""
    return tuple(row for row in network.passage_status if row.in_force(when))


def avoid_diverted(
    network: Network, options: RouteOptions, when: dt.date | None
) -> tuple[RouteOptions, tuple[str, ...]]:
    """``options`` with every passage diverted or closed at ``when`` added to ``avoid_passages``
    (unless in ``options.allow_passages``), and one note per passage saying why and how to allow it.

    ``when`` ``None`` (an undated query) changes nothing.
    """
    if when is None:
        return options, ()
    notes = []
    avoided = set(options.avoid_passages)
    for row in in_force(network, when):
        name = _display(row.passage)
        if row.passage in options.allow_passages:
            notes.append(f"{name} is {row.status} at {when} ({row.source}) but allowed by request")
            continue
        if row.passage in avoided:
            continue
        avoided.add(row.passage)
        until = f" to {row.valid_to}" if row.valid_to else ", no end reported"
        notes.append(
            f"{name} avoided: carriers {row.status} from {row.valid_from}{until} ({row.source}); "
            f"allow_passages={name} to include it"
        )
    return dataclasses.replace(options, avoid_passages=frozenset(avoided)), tuple(notes)


def undated_notes(network: Network, used: frozenset[str]) -> tuple[str, ...]:
    """Notes for an undated query whose routes sail through ``used`` passages: those carriers avoid
    at the network's pricing date (``network.priced_at``), which the undated answer keeps open."""
    if not network.priced_at:
        return ()
    when = dt.date.fromisoformat(network.priced_at)
    return tuple(
        f"{_display(row.passage)} is open in this undated answer, but carriers {row.status} from "
        f"{row.valid_from} ({row.source}) and still at the pricing date {when}: give a date to avoid it as they do"
        for row in in_force(network, when)
        if row.passage in used
    )


def _display(passage: str) -> str:
    """The name a user types for a passage (``babalmandab`` → ``bab-el-mandeb``)."""
    return next((alias for alias, data in PASSAGES.items() if data == passage), passage)
