"""Route-wide surcharges a shipper asks for: bringing the empty box back (``empty_return``).

China–Europe land-bridge boxes are shipper-owned or leased one way (SOC): about 85 of every
100 boxes that go west come back empty (UTLC ERA for 2024, PR25), so a box that ends its
loaded move in Europe or Central Asia must be repositioned, and the market prices that as the
one-way lease premium of a box out of China (Container xChange averages, PR24). A deep-sea
route uses the carrier's own box, whose repositioning the freight rate (WCI) already holds, so
the Sea-Suez and Sea-Cape corridors carry none. A loaded move that starts outside China (a box
going back east, where boxes are wanted) has no ``tariffs.csv`` row: it pays nothing, and the
surcharge says so rather than being left out silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from corridor.network.model import Network
from corridor.pricing.apply import agreed_quote
from corridor.routing.itinerary import Route, Surcharge

__all__ = ["CARRIER_BOX_CORRIDORS", "EMPTY_RETURN", "empty_return", "with_empty_return"]

EMPTY_RETURN = "empty-return"
CARRIER_BOX_CORRIDORS = frozenset({"Sea-Suez", "Sea-Cape"})
"""Corridors whose box is the ocean carrier's: its repositioning is in the freight rate."""


def empty_return(network: Network, route: Route) -> Surcharge:
    """The cost of bringing ``route``'s empty box back, at the route's pricing date (USD per box).

    The ``empty-return`` row of ``tariffs.csv`` for the country the loaded move starts in
    (``*``: any) prices it, with its low–high range; a carrier-box corridor, or a start country
    without a row, gives a zero surcharge whose source says why.
    """
    if route.corridor in CARRIER_BOX_CORRIDORS:
        return Surcharge(
            EMPTY_RETURN, 0.0, 0.0, 0.0, "none: the ocean carrier's box (the freight rate holds its return)"
        )
    book = network.tariff_book
    rows = [t for t in book.tariffs if t.component == EMPTY_RETURN] if book is not None else []
    start = route.legs[0].countries[0]
    own = [t for t in rows if t.country == start] or [t for t in rows if t.country == "*"]
    if book is None or not own:
        return Surcharge(EMPTY_RETURN, 0.0, 0.0, 0.0, f"none: no empty-return price for a move from {start}")
    when = dt.date.fromisoformat(route.priced_at) if route.priced_at else book.default_date()
    quote = agreed_quote(book, own, when)
    usd = quote.usd_20ft if route.teu == 1 else quote.usd_40ft
    return Surcharge(EMPTY_RETURN, usd, usd * quote.low, usd * quote.high, quote.text)


def with_empty_return(network: Network, route: Route) -> Route:
    """``route`` with its :func:`empty_return` surcharge added to its totals."""
    return replace(route, surcharges=(*route.surcharges, empty_return(network, route)))
