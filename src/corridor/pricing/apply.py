"""Write the prices of one date into a network: link tariffs and dwell charges in USD.

Routing, Monte Carlo and simulation read ``Link.tariff_*_usd`` and ``NodeTime.cost_*_usd``; this
module is the only place those figures are set, from the dated tariff book (``tariffs.csv``,
``fx.csv``, ``indexes.csv``: the data files carry no other price), so every consumer prices at
the same date. Each figure's source says which tariff, index value and exchange rate gave it and
how old they were on the date. A link or dwell the book has no row for stays unpriced (``None``);
``check-data`` reports it (:func:`corridor.pricing.checks.check_prices`).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import weakref
from dataclasses import replace

from corridor.network.model import Link, Network, NodeTime
from corridor.pricing.book import Quote, TariffBook
from corridor.pricing.model import NODE_COMPONENTS, Tariff

__all__ = [
    "PRICED_KEPT",
    "agreed_quote",
    "dwell_tariffs",
    "link_tariffs",
    "network_at",
    "price_link",
    "price_network",
]


def price_network(network: Network, when: dt.date | str | None = None) -> Network:
    """The network with every link tariff and dwell charge priced at ``when``.

    Parameters
    ----------
    network : Network
        A loaded network; its ``tariff_book`` holds the dated prices.
    when : date or str, optional
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; default: the latest date the data covers.

    Returns
    -------
    Network
        A copy with ``priced_at`` set (the network itself if it is already priced at that date).

    Raises
    ------
    OptionError
        If the date is malformed or outside the dates the data covers.
    """
    from corridor.pricing.book import parse_date

    book = network.tariff_book
    if book is None:
        return network
    day = book.check_date(parse_date(when) if when is not None else book.default_date())
    if network.priced_at == day.isoformat():
        return network
    links = tuple(_price_link(book, network, link, day) for link in network.links)
    rows = tuple(_price_dwell(book, row, day) for row in network.node_times)
    return replace(network, links=links, node_times=rows, priced_at=day.isoformat())


_KEEPING = threading.RLock()  # re-entrant: a collection may run _forget while it is held

PRICED_KEPT = 64
"""Priced copies kept per network (a batch of several years prices one per month); beyond, the
oldest is dropped."""

_PRICED: dict[int, tuple[weakref.ref[Network], dict[str, Network]]] = {}
"""Base network's ``id`` → (a weak reference to it, its priced copies by date asked). The weak
reference makes the ``id`` a stable key: an entry answers only while its own network is alive
(the identity is checked), and it is dropped when that network is collected, so a new network
that reuses the ``id`` never gets another network's prices. No attribute is set on the network:
``Network(**other.__dict__)`` and ``dataclasses.replace`` make fresh networks without copies."""


def network_at(network: Network, when: dt.date | str | None) -> Network:
    """:func:`price_network`, remembered per network object and date asked (``None``: the
    network as loaded).

    The routing entry points call this for every query; the copies live as long as the network
    they were priced from.
    """
    if when is None or network.tariff_book is None:
        return network
    key = str(when)
    copies = _copies(network)
    hit = copies.get(key)
    if hit is not None:
        return hit
    priced = price_network(network, when)
    with _KEEPING:  # the API prices from several threads
        if len(copies) >= PRICED_KEPT:
            copies.pop(next(iter(copies)))
        copies[key] = priced
    return priced


def _copies(network: Network) -> dict[str, Network]:
    """The priced copies of ``network`` (an empty dict registered for it on first use)."""
    key = id(network)
    with _KEEPING:
        entry = _PRICED.get(key)
        if entry is not None and entry[0]() is network:
            return entry[1]
        copies: dict[str, Network] = {}
        _PRICED[key] = (weakref.ref(network, functools.partial(_forget, key, _KEEPING, _PRICED)), copies)
        return copies


def _forget(
    key: int,
    lock: threading.RLock,
    table: dict[int, tuple[weakref.ref[Network], dict[str, Network]]],
    ref: weakref.ref[Network],
) -> None:
    """Drop a collected network's copies (unless its ``id`` was already taken by a new entry).

    The lock and table come bound, not as globals: at interpreter exit a module's globals may
    already be gone when the last networks are collected."""
    with lock:
        entry = table.get(key)
        if entry is not None and entry[0] is ref:
            del table[key]


def price_link(network: Network, link: Link) -> Link:
    """``link`` (e.g. a first-mile truck leg added to ``network``) priced at the date ``network``
    is priced at (its book's default date if none); unchanged if the network has no tariff book
    or the book no row for the link."""
    book = network.tariff_book
    if book is None:
        return link
    day = dt.date.fromisoformat(network.priced_at) if network.priced_at else book.default_date()
    return _price_link(book, network, link, day)


def link_tariffs(book: TariffBook, network: Network, link: Link) -> list[Tariff]:
    """The rows of one scope that price ``link`` forward: its own ``link-rate`` rows, else the
    ``km-rate`` rows of its mode in the country it starts in, else those of any country (``*``).

    Empty: the book cannot price the link. Which row is in force on a date is
    :meth:`TariffBook.pick`'s choice (the nearest in time when none is, saying so)."""
    forward, _ = _link_rows(book, link)
    return forward or _km_rows(book, link.mode, network.places[link.from_id].country)


def _km_rows(book: TariffBook, mode: str, country: str) -> list[Tariff]:
    rows = [t for t in book.tariffs if t.component == "km-rate" and t.mode == mode]
    return [t for t in rows if t.country == country] or [t for t in rows if t.country == "*"]


def _price_link(book: TariffBook, network: Network, link: Link, when: dt.date) -> Link:
    forward, back = _link_rows(book, link)
    if forward:
        there = agreed_quote(book, forward, when)
        again = agreed_quote(book, back, when) if back else there
        ends = network.places[link.from_id].country, network.places[link.to_id].country
        there = _diverted(book, link, ends[0], there, when)
        again = _diverted(book, link, ends[1], again, when)
        return link.model_copy(update=_fields(there, again))
    rows = _km_rows(book, link.mode, network.places[link.from_id].country)
    if not rows:
        return link  # unpriced: check-data reports it
    km = link.distance_km or 0.0
    rate = agreed_quote(book, rows, when)
    quote = replace(
        rate,
        usd_20ft=rate.usd_20ft * km,
        usd_40ft=rate.usd_40ft * km,
        text=f"derived: {km:,.0f} km × {link.mode} {rows[0].country} rate {rate.text.removeprefix('derived: ')}",
    )
    return link.model_copy(update=_fields(quote, quote))


def agreed_quote(book: TariffBook, rows: list[Tariff], when: dt.date) -> Quote:
    """The quote of the row :meth:`TariffBook.pick` chooses among ``rows`` (one scope), its range
    widened to cover every other row in force on the date: where sources disagree, the range
    says by how much."""
    chosen = book.pick(rows, when)
    assert chosen is not None  # callers pass a non-empty list
    quote = book.quote(chosen, when)
    for other in book.in_force(rows, when):
        if other is chosen or quote.usd_40ft <= 0:
            continue
        alt = book.quote(other, when)
        ratio = alt.usd_40ft / quote.usd_40ft
        quote = quote.widened(ratio * alt.low, ratio * alt.high)
    return quote


def _diverted(book: TariffBook, link: Link, loading: str, quote: Quote, when: dt.date) -> Quote:
    """``quote`` plus the ``diversion`` surcharge of the link's sea route for a box loaded in
    ``loading`` (its range added, its source appended), if one is in force on the date.

    A surcharge applies only inside its validity (it is an event, not a price level to carry
    forward); only box rates of a lane take it: a per-km sea rate already grows with the longer
    route."""
    scope = [
        t
        for t in book.tariffs
        if t.component == "diversion" and t.sea_route == link.sea_route and t.country in (loading, "*")
    ]
    rows = book.in_force(scope, when)
    if not rows:
        return quote
    extra = agreed_quote(book, rows, when)
    total = quote.usd_40ft + extra.usd_40ft
    low = (quote.usd_40ft * quote.low + extra.usd_40ft * extra.low) / total if total else 1.0
    high = (quote.usd_40ft * quote.high + extra.usd_40ft * extra.high) / total if total else 1.0
    return Quote(
        quote.usd_20ft + extra.usd_20ft,
        total,
        f"{quote.text}; plus {extra.text.removeprefix('derived: ')}",
        quote.as_of,
        low,
        high,
    )


def _link_rows(book: TariffBook, link: Link) -> tuple[list[Tariff], list[Tariff]]:
    """The link-rate rows of one scope that price ``link`` forward and back (empty: none)."""
    rows = [
        t
        for t in book.tariffs
        if t.component == "link-rate" and t.mode == link.mode and t.sea_route in ("", link.sea_route or "")
    ]
    ahead = [t for t in rows if (t.from_id, t.to_id) == (link.from_id, link.to_id)]
    behind = [t for t in rows if (t.to_id, t.from_id) == (link.from_id, link.to_id)]
    forward = ahead or [t for t in behind if t.direction == "both"]
    back = [t for t in behind if t.direction == "forward"] or [t for t in ahead if t.direction == "both"]
    return forward, back


def _fields(there: Quote, back: Quote) -> dict[str, object]:
    return {
        "tariff_teu_usd": there.usd_20ft,
        "tariff_feu_usd": there.usd_40ft,
        "tariff_source": there.text,
        "tariff_back_teu_usd": back.usd_20ft,
        "tariff_back_feu_usd": back.usd_40ft,
        "tariff_back_source": back.text,
        "tariff_range": (there.low, there.high),
        "tariff_back_range": (back.low, back.high),
        "tariff_as_of": there.as_of.isoformat(),
        "tariff_back_as_of": back.as_of.isoformat(),
    }


def dwell_tariffs(book: TariffBook, row: NodeTime) -> list[Tariff]:
    """The rows that charge a dwell: the place's own rows of the row's kind, else the kind's
    default (``*``) rows, as ``node_times.csv`` has a default row per kind. Empty: none."""
    rows = [t for t in book.tariffs if t.component == row.kind and t.component in NODE_COMPONENTS]
    return [t for t in rows if t.place == row.place] or [t for t in rows if t.place == "*"]


def _price_dwell(book: TariffBook, row: NodeTime, when: dt.date) -> NodeTime:
    own = dwell_tariffs(book, row)
    if not own:
        return row  # unpriced: check-data reports it
    quote = agreed_quote(book, own, when)
    return row.model_copy(
        update={
            "cost_teu_usd": quote.usd_20ft,
            "cost_feu_usd": quote.usd_40ft,
            "cost_source": quote.text,
            "cost_range": (quote.low, quote.high),
        }
    )
