"""Cross-file checks of the price files: every price has a currency with a rate, a validity and a
known source; index links and scopes name things that exist."""

from __future__ import annotations

from corridor.errors import Problem
from corridor.network.checks import source_problem
from corridor.network.model import Network
from corridor.pricing.book import TariffBook
from corridor.pricing.model import NODE_COMPONENTS, Tariff

__all__ = ["check_prices"]


def check_prices(network: Network, book: TariffBook, lines: dict[str, list[int]]) -> list[Problem]:
    """Every problem of ``tariffs.csv``, ``fx.csv`` and ``indexes.csv`` against the network."""
    problems: list[Problem] = []
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
