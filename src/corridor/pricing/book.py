"""The tariff book: dated tariffs, exchange rates and index series, asked for a price at a date.

Rules (the docs' "Prices at a date" page says the same):

* A tariff row is *in force* on a date inside ``valid_from``–``valid_to`` (``valid_to`` blank:
  published without an end). When several rows of the same scope are in force, the latest
  ``valid_from`` wins. When none is, the nearest row in time is used and the quote says so
  ("valid from 2023-01-01 to 2023-12-31, carried forward 182 days"): a stated extrapolation,
  never a silent one, and never inflated.
* An index-linked tariff takes the last value the index published on or before the date; the
  quote gives that value's date and age.
* Money converts to USD at the exchange rate whose period holds the date, else the nearest
  period (stated the same way).
* Every quote carries a low–high range around its point figure (:attr:`Quote.low`,
  :attr:`Quote.high`, as multiples of the point): an index-linked price spans the index values
  that bracket the date (the last one published on or before it and the first one after it: in
  between, the market may have stood anywhere from one to the other); a price that is an
  estimate, or a tariff used outside its validity, spans ``ESTIMATE_BAND``; a published tariff in
  force is its own range. Where several rows of one scope are in force at once (sources
  disagree), :mod:`corridor.pricing.apply` widens the range to cover all of them.
* The dates a book *covers* run from the first date on which every index series has a value to
  the last published value of any series; :meth:`TariffBook.check_date` refuses dates outside.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from corridor.errors import OptionError
from corridor.pricing.model import FxRate, IndexPoint, Tariff

__all__ = ["ESTIMATE_BAND", "Quote", "TariffBook", "parse_date"]

ESTIMATE_BAND = (0.75, 1.25)
"""Low and high, as multiples of the point figure, of a price that is an estimate (its source
says "estimate:") or a tariff carried outside its validity. Estimate: no source gives the error
of such figures; ±25 % is the band the validation suite aims for (docs, "Validation"), so an
estimate is not shown as surer than the model is checked to be."""

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def parse_date(text: str | dt.date) -> dt.date:
    """A pricing date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a year or month means its
    first day).

    Raises
    ------
    OptionError
        If the text is not such a date.
    """
    if isinstance(text, dt.date):
        return text
    match = _DATE.match(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = (int(g) if g else 1 for g in match.groups())
        return dt.date(year, month, day)
    except ValueError:
        raise OptionError(f"date takes YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-06; got '{text}'") from None


@dataclass(frozen=True)
class Quote:
    """A price converted to USD for a date, with the words that say where it came from."""

    usd_20ft: float
    usd_40ft: float
    text: str
    as_of: dt.date
    """The date the price was published or took effect (an index value's date, a tariff's
    ``valid_from``): the output's "how old"."""
    low: float = 1.0
    """The low end of the price's range, as a multiple of the point figure (≤ 1)."""
    high: float = 1.0
    """The high end, as a multiple of the point figure (≥ 1)."""

    def widened(self, low: float, high: float) -> Quote:
        """The quote with its range stretched to cover ``low``–``high`` (multiples of the point)."""
        return replace(self, low=min(self.low, low), high=max(self.high, high))


@dataclass(frozen=True)
class TariffBook:
    """Every dated price the data holds."""

    tariffs: tuple[Tariff, ...] = ()
    fx: tuple[FxRate, ...] = ()
    points: tuple[IndexPoint, ...] = ()
    """Index observations in file order."""
    series: dict[str, tuple[IndexPoint, ...]] = field(default_factory=dict)
    """The same observations per series, oldest first."""

    @classmethod
    def build(cls, tariffs: Iterable[Tariff], fx: Iterable[FxRate], points: Iterable[IndexPoint]) -> TariffBook:
        """A book with index points grouped by series and sorted by date."""
        observed = tuple(points)
        series: dict[str, list[IndexPoint]] = {}
        for p in observed:
            series.setdefault(p.series, []).append(p)
        grouped = {k: tuple(sorted(v, key=lambda p: p.date)) for k, v in series.items()}
        return cls(tuple(tariffs), tuple(fx), observed, grouped)

    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """First and last date the indexes cover (``None`` for a book without indexes)."""
        if not self.series:
            return None
        start = max(points[0].date for points in self.series.values())
        end = max(points[-1].date for points in self.series.values())
        return start, end

    def default_date(self) -> dt.date:
        """The latest date the data covers (today's date for a book without indexes)."""
        covered = self.coverage()
        return covered[1] if covered else dt.date.today()

    def check_date(self, when: dt.date) -> dt.date:
        """``when`` itself if the book covers it.

        Raises
        ------
        OptionError
            If the date lies outside the indexes' coverage (no price is made up for it).
        """
        covered = self.coverage()
        if covered and not covered[0] <= when <= covered[1]:
            start, end = covered
            raise OptionError(
                f"prices are known from {start} to {end} (the published index values the data holds); "
                f"{when} is outside — give a date in that range"
            )
        return when

    def index_value(self, series: str, when: dt.date) -> IndexPoint:
        """The last value ``series`` published on or before ``when`` (the first one if none)."""
        points = self.series[series]
        before = [p for p in points if p.date <= when]
        return before[-1] if before else points[0]

    def usd_per_unit(self, currency: str, when: dt.date) -> tuple[float, str]:
        """USD per unit of ``currency`` on ``when`` and a note naming the rate used.

        Raises
        ------
        KeyError
            If the book has no rate for the currency (the loader's checks prevent this).
        """
        if currency == "USD":
            return 1.0, ""
        rows = [r for r in self.fx if r.currency == currency]
        if not rows:
            raise KeyError(currency)
        row = _nearest(rows, when)
        note = f"{currency} {row.per_usd:g}/USD, {row.kind} {_period(row.valid_from, row.valid_to)} ({row.source})"
        return 1.0 / row.per_usd, note + _stale(row.valid_from, row.valid_to, when)

    def index_range(self, series: str, when: dt.date) -> tuple[float, float]:
        """The lowest and highest of the values that bracket ``when`` in ``series``.

        The last value published on or before the date and the first one after it (only the
        first if the date is a publication date or past the last one)."""
        points = self.series[series]
        before = [p for p in points if p.date <= when][-1:]
        after = [p for p in points if p.date > when][:1]
        if before and before[0].date == when:
            after = []
        values = [p.value for p in before + after]
        return min(values), max(values)

    def quote(self, tariff: Tariff, when: dt.date) -> Quote:
        """``tariff`` in USD on ``when`` (per box, or per box-km for a km-rate), with its range."""
        amount20, amount40, currency = tariff.amount_20ft, tariff.amount_40ft, tariff.currency
        parts = [f"derived: {tariff.id} ({tariff.source})"]
        as_of = tariff.valid_from
        low, high = ESTIMATE_BAND if "estimate:" in tariff.source else (1.0, 1.0)
        if tariff.index:
            point = self.index_value(tariff.index, when)
            amount20, amount40, currency = amount20 * point.value, amount40 * point.value, point.currency
            age = (when - point.date).days
            parts.append(
                f"{point.series} {point.value:,.0f} {point.currency}/{point.unit} of {point.date} ({point.source})"
            )
            parts.append(f"{age} days old" if age >= 0 else f"published {-age} days after the date")
            as_of = point.date
            least, most = self.index_range(tariff.index, when)
            low, high = min(low, least / point.value), max(high, most / point.value)
        else:
            stale = _stale(tariff.valid_from, tariff.valid_to, when)
            parts.append(f"valid {_period(tariff.valid_from, tariff.valid_to)}{stale}")
            if stale:
                low, high = min(low, ESTIMATE_BAND[0]), max(high, ESTIMATE_BAND[1])
        rate, fx_note = self.usd_per_unit(currency, when)
        if fx_note:
            parts.append(f"at {fx_note}")
        return Quote(amount20 * rate, amount40 * rate, "; ".join(parts), as_of, low, high)

    def in_force(self, candidates: Iterable[Tariff], when: dt.date) -> list[Tariff]:
        """The rows among ``candidates`` in force on ``when`` (several: sources disagree)."""
        return [r for r in candidates if _holds(r.valid_from, r.valid_to, when)]

    def pick(self, candidates: Iterable[Tariff], when: dt.date) -> Tariff | None:
        """The row in force on ``when`` among rows of one scope, else the nearest in time."""
        rows = list(candidates)
        if not rows:
            return None
        in_force = [r for r in rows if _holds(r.valid_from, r.valid_to, when)]
        if in_force:
            return max(in_force, key=lambda r: r.valid_from)
        return min(rows, key=lambda r: _distance(r.valid_from, r.valid_to, when))


def _holds(start: dt.date, end: dt.date | None, when: dt.date) -> bool:
    return start <= when and (end is None or when <= end)


def _distance(start: dt.date, end: dt.date | None, when: dt.date) -> int:
    if when < start:
        return (start - when).days
    return 0 if end is None else max((when - end).days, 0)


def _nearest(rows: list[FxRate], when: dt.date) -> FxRate:
    in_force = [r for r in rows if _holds(r.valid_from, r.valid_to, when)]
    if in_force:
        return min(in_force, key=lambda r: (r.valid_to - r.valid_from).days)  # the finest period
    return min(rows, key=lambda r: _distance(r.valid_from, r.valid_to, when))


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"from {start}" if end is None else f"{start} to {end}"


def _stale(start: dt.date, end: dt.date | None, when: dt.date) -> str:
    if when < start:
        return f", used {(start - when).days} days before it took effect"
    if end is not None and when > end:
        return f", carried forward {(when - end).days} days past its end"
    return ""
