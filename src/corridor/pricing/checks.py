"""Cross-file checks of the price files: every price has a currency with a rate, a validity and a
known source; index links and scopes name things that exist; every link and every dwell of the
network has a price in ``tariffs.csv`` (the only place prices live), so a new link cannot go
unpriced."""

from __future__ import annotations

from corridor.errors import Problem
from corridor.network.checks import source_problem
from corridor.network.model import Network, NodeTime
from corridor.pricing.apply import dwell_tariffs, link_tariffs
from corridor.pricing.book import TariffBook
from corridor.pricing.model import NODE_COMPONENTS, Tariff

__all__ = ["check_prices"]


def check_prices(network: Network, book: TariffBook, lines: dict[str, list[int]]) -> list[Problem]:
    """Every problem of ``tariffs.csv``, ``fx.csv`` and ``indexes.csv`` against the network, and
    each link (``links.csv``) or dwell (``node_times.csv``) they leave without a price."""
    problems = _unpriced(network, book, lines)
    currencies = {"USD"} | {r.currency for r in book.fx}
    for line, t in zip(lines["tariffs.csv"], book.tariffs, strict=True):
        problems += [
            Problem("tariffs.csv", line, field, message)
            for field, message in _tariff_problems(network, book, t, currencies)
        ]
    for line, fx in zip(lines["fx.csv"], book.fx, strict=True):
        if (why := source_problem(network, fx.source)) is not None:
            problems.append(Problem("fx.csv", line, "source", why))
    for line, point in zip(lines["indexes.csv"], book.points, strict=True):
        if (why := source_problem(network, point.source)) is not None:
            problems.append(Problem("indexes.csv", line, "source", why))
    return problems


def _tariff_problems(network: Network, book: TariffBook, t: Tariff, currencies: set[str]) -> list[tuple[str, str]]:
    """(field, message) for each problem of one ``tariffs.csv`` row."""
    bad: list[tuple[str, str]] = []
    if (why := source_problem(network, t.source)) is not None:
        bad.append(("source", why))
    if t.currency not in currencies:
        bad.append(("currency", f"no exchange rate for {t.currency} in fx.csv"))
    if t.index:
        if t.index not in book.series:
            bad.append(("index", f"unknown index series '{t.index}' (not in indexes.csv)"))
        elif book.series[t.index][0].currency != t.currency:
            bad.append(("currency", f"the index {t.index} is in {book.series[t.index][0].currency}"))
    for field, place in (("from", t.from_id), ("to", t.to_id)):
        if place and place not in network.places:
            bad.append((field, f"unknown place '{place}'"))
    if t.component in NODE_COMPONENTS and t.place != "*" and t.place not in network.places:
        bad.append(("place", f"unknown place '{t.place}'"))
    return bad


def _unpriced(network: Network, book: TariffBook, lines: dict[str, list[int]]) -> list[Problem]:
    """A problem for each link and dwell row no ``tariffs.csv`` row prices (links joining an unknown
    place are left to the network checks)."""
    problems = []
    for line, link in zip(lines["links.csv"], network.links, strict=True):
        if link.from_id in network.places and link.to_id in network.places and not link_tariffs(book, network, link):
            country = network.places[link.from_id].country
            problems.append(
                Problem(
                    "links.csv",
                    line,
                    "mode",
                    f"no price for {link.key} in tariffs.csv: add a link-rate row {link.from_id}→{link.to_id} "
                    f"or a {link.mode} km-rate row for {country} or '*'",
                )
            )
    for line, row in zip(lines["node_times.csv"], network.node_times, strict=True):
        if (why := _dwell_problem(book, row)) is not None:
            problems.append(Problem("node_times.csv", line, "kind", why))
    return problems


def _dwell_problem(book: TariffBook, row: NodeTime) -> str | None:
    rows = dwell_tariffs(book, row)
    if not rows:
        return (
            f"no {row.kind} charge for {row.place} in tariffs.csv: add a {row.kind} row for {row.place} "
            "or a default ('*') one"
        )
    if row.kind == "border" and row.place != "*" and row.time_h == 0 and all(t.place == "*" for t in rows):
        # A border without a stop (a customs union) would silently pay the default charge.
        return (
            f"the border at {row.place} has no stop (0 h) but no charge of its own in tariffs.csv, so it "
            "would pay the default border charge: add its own border row (0 inside a customs union)"
        )
    return None
