"""Trade statistics, targets and value-to-freight conversion factors, as shipped in ``data/``.

* ``trade.csv`` — annual bilateral trade in million USD: ``pair`` (``KZ-UZ``), ``year``,
  ``flow`` (``total``, ``a_to_b`` or ``b_to_a``), ``reporter`` (who published it),
  ``reporter_country`` (whose statistics the figure is: mirror statistics of the two partners
  differ by up to 1.7×, so each country's figures form a series of their own) and ``source``.
* ``trade_targets.csv`` — targets governments announced (``KZ-UZ``: 10,000 M USD by 2030).
* ``trade_conversion.csv`` — value density (USD per tonne), containerisable share, tonnes per
  loaded TEU, TEU per block train and the overland share (containers on the land bridge rather
  than at sea), per pair or ``*`` for the default; each sourced.
* ``commodity_groups.csv`` — the same first three factors per commodity group (grain, fruit_veg...).
* ``trade_composition.csv`` — a pair's trade split into commodity groups by value share, per flow and
  year; the shares of one pair, flow and year sum to 1. Both commodity files are optional: a pair
  without a composition converts with its ``trade_conversion.csv`` row.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from corridor import settings
from corridor.errors import DataFileError, OptionError, Problem
from corridor.network.io import read_table

__all__ = [
    "BLOCS",
    "MIN_OVERLAP",
    "SHARE_TOLERANCE",
    "CommodityGroup",
    "CompositionShare",
    "Conversion",
    "Series",
    "TradeData",
    "TradeFigure",
    "TradeHub",
    "TradeTarget",
    "load_trade",
    "normalise_pair",
    "suggest_countries",
]

SHARE_TOLERANCE = 0.005
"""How far a composition's shares may sum from 1 (published shares are rounded)."""
BLOCS = {"EU": "European Union"}
"""Partners accepted beside ISO 3166 countries. ``EU`` is exceptionally reserved in ISO 3166-1 for
the Union, and Eurostat and China's customs publish trade with it as one partner."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class TradeFigure(_Record):
    """One published annual trade value."""

    pair: str = Field(pattern=r"^[A-Z]{2}-[A-Z]{2}$")
    year: int = Field(ge=1990, le=2100)
    flow: Literal["total", "a_to_b", "b_to_a"]
    value_usd_m: float = Field(gt=0)
    reporter: str = Field(min_length=2)
    reporter_country: str = ""
    """Whose statistics (``KZ``, ``CN``, ``EU``...); blank means the reporter is a series of its own."""
    grade: Literal["A", "B", "C", "D"]
    source: str = Field(min_length=3)

    @property
    def statistics(self) -> str:
        """The series this figure belongs to: its reporter country, else its reporter."""
        return self.reporter_country or self.reporter


class TradeHub(_Record):
    """The place where a country's trade with its neighbours starts and ends, for simulation."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    place: str = Field(min_length=1)
    source: str = Field(min_length=3)


class TradeTarget(_Record):
    """A trade target announced by governments."""

    pair: str = Field(pattern=r"^[A-Z]{2}-[A-Z]{2}$")
    year: int = Field(ge=2000, le=2100)
    value_usd_m: float = Field(gt=0)
    announced: str = ""
    source: str = Field(min_length=3)


class Conversion(_Record):
    """How a pair's trade value becomes containers and trains."""

    pair: str = Field(pattern=r"^([A-Z]{2}-[A-Z]{2}|\*)$")
    usd_per_tonne: float = Field(gt=0)
    usd_per_tonne_source: str = Field(min_length=3)
    container_share: float = Field(gt=0, le=1)
    container_share_source: str = Field(min_length=3)
    tonnes_per_teu: float = Field(gt=0)
    tonnes_per_teu_source: str = Field(min_length=3)
    teu_per_train: float = Field(gt=0)
    teu_per_train_source: str = Field(min_length=3)
    overland_share: float = Field(gt=0, le=1)
    """Share of the pair's containers that go overland (the land bridge) rather than by sea; only
    those become trains."""
    overland_share_source: str = Field(min_length=3)


class CommodityGroup(_Record):
    """How one commodity group's value becomes tonnes and containers."""

    group: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=3)
    usd_per_tonne: float = Field(gt=0)
    usd_per_tonne_source: str = Field(min_length=3)
    container_share: float = Field(ge=0, le=1)
    container_share_source: str = Field(min_length=3)
    tonnes_per_teu: float = Field(gt=0)
    tonnes_per_teu_source: str = Field(min_length=3)


class CompositionShare(_Record):
    """One commodity group's share of a pair's trade value in one flow and year."""

    pair: str = Field(pattern=r"^[A-Z]{2}-[A-Z]{2}$")
    flow: Literal["total", "a_to_b", "b_to_a"]
    year: int = Field(ge=1990, le=2100)
    period: str = Field(default="year", min_length=1)
    group: str = Field(min_length=1)
    share: float = Field(gt=0, le=1)
    grade: Literal["A", "B", "C", "D"]
    source: str = Field(min_length=3)


@dataclass(frozen=True)
class TradeData:
    """All trade statistics, targets and conversion factors."""

    figures: tuple[TradeFigure, ...]
    targets: tuple[TradeTarget, ...]
    conversions: tuple[Conversion, ...]
    hubs: tuple[TradeHub, ...] = ()
    groups: tuple[CommodityGroup, ...] = ()
    compositions: tuple[CompositionShare, ...] = ()

    def group(self, name: str) -> CommodityGroup:
        """A commodity group's factors by name."""
        for g in self.groups:
            if g.group == name:
                return g
        raise OptionError(f"no commodity group '{name}' in commodity_groups.csv")

    def composition(self, pair: str, flow: str) -> tuple[CompositionShare, ...]:
        """The latest year's commodity shares of one pair and flow (empty when there are none)."""
        rows = [c for c in self.compositions if c.pair == pair and c.flow == flow]
        latest = max((c.year for c in rows), default=None)
        return tuple(c for c in rows if c.year == latest)

    def hub(self, country: str) -> str:
        """The place id standing for a country in a simulation scenario."""
        for h in self.hubs:
            if h.country == country:
                return h.place
        known = ", ".join(h.country for h in self.hubs)
        raise OptionError(f"no hub place for {country} in trade_hubs.csv; countries with one: {known}")

    def direction_share(self, pair: str) -> float:
        """Share of the latest year's trade flowing from the pair's first country to its second."""
        a_to_b, b_to_a = self.series(pair, "a_to_b"), self.series(pair, "b_to_a")
        common = sorted(set(a_to_b) & set(b_to_a))
        if not common:
            return 0.5
        year = common[-1]
        return a_to_b[year] / (a_to_b[year] + b_to_a[year])

    def pairs(self) -> list[str]:
        """Country pairs with trade figures."""
        return sorted({f.pair for f in self.figures})

    def series(
        self, pair: str, flow: str = "total", fill: bool = True, reporter: str | None = None
    ) -> dict[int, float]:
        """Yearly values of one pair and flow, in one reporter's statistics (see :meth:`reconciled`)."""
        return self.reconciled(pair, flow, fill, reporter).values

    def reconciled(self, pair: str, flow: str = "total", fill: bool = True, reporter: str | None = None) -> Series:
        """One pair's yearly values in one reporter country's statistics, gaps explicitly bridged.

        The primary series is ``reporter``'s (default: the country whose statistics reach the
        latest year, ties to the one with more years). A year it lacks takes the mirror
        figure (the partner's statistics) times the median primary/mirror ratio over the years both
        report (at least :data:`MIN_OVERLAP`), so a change of reporter never shows as a jump. With
        ``fill``, a single year still missing between two known ones is filled geometrically.
        Several figures of one reporter country in one year (a ministry and the customs) give
        their median.

        Raises
        ------
        OptionError
            ``reporter`` has no figures for this pair and flow (listing those that have).
        """
        by_stats = _by_statistics(f for f in self.figures if f.pair == pair and f.flow == flow)
        if not by_stats:
            return Series(pair, flow, "", {}, {})
        primary = _primary(by_stats, reporter, pair, flow)
        values = dict(by_stats[primary])
        origin = {year: primary for year in values}
        for other, figures in sorted(by_stats.items()):
            if other == primary:
                continue
            common = sorted(set(figures) & set(by_stats[primary]))
            if len(common) < MIN_OVERLAP:
                continue
            ratio = statistics.median(by_stats[primary][y] / figures[y] for y in common)
            for year in sorted(set(figures) - set(values)):
                values[year] = figures[year] * ratio
                origin[year] = f"{other} ×{ratio:.2f}"
        if fill:
            for year in range(min(values) + 1, max(values)):
                if year not in values and year - 1 in values and year + 1 in values:
                    values[year] = math.sqrt(values[year - 1] * values[year + 1])
                    origin[year] = "interpolated"
        return Series(pair, flow, primary, dict(sorted(values.items())), dict(sorted(origin.items())))

    def reporters(self, pair: str, flow: str = "total") -> list[str]:
        """Reporter countries (or reporters) with figures for a pair and flow."""
        return sorted({f.statistics for f in self.figures if f.pair == pair and f.flow == flow})

    def target(self, pair: str) -> TradeTarget | None:
        """The latest announced target for a pair, if any."""
        found = [t for t in self.targets if t.pair == pair]
        return max(found, key=lambda t: (t.announced, t.year)) if found else None

    def conversion(self, pair: str) -> Conversion:
        """The pair's conversion factors, else the ``*`` default."""
        for wanted in (pair, "*"):
            for c in self.conversions:
                if c.pair == wanted:
                    return c
        raise OptionError("trade_conversion.csv has no '*' default row")


@dataclass(frozen=True)
class Series:
    """A pair's yearly values in one reporter's statistics and where each year's value comes from."""

    pair: str
    flow: str
    reporter: str
    """Whose statistics the series is in (``CN``: China's customs), or ``""`` when there are none."""
    values: dict[int, float]
    origin: dict[int, str]
    """Per year: the reporter itself, ``"UZ ×1.03"`` (the mirror figure times the level ratio) or
    ``"interpolated"``."""

    def bridged(self, since: int | None = None) -> dict[int, str]:
        """Years (from ``since``) whose value is not the primary reporter's own figure."""
        return {y: o for y, o in self.origin.items() if o != self.reporter and (since is None or y >= since)}


MIN_OVERLAP = 2
"""Years both reporters must publish before one's figures may bridge the other's gaps."""


def _by_statistics(figures: Iterable[TradeFigure]) -> dict[str, dict[int, float]]:
    grouped: dict[str, dict[int, list[float]]] = {}
    for f in figures:
        grouped.setdefault(f.statistics, {}).setdefault(f.year, []).append(f.value_usd_m)
    return {k: {y: statistics.median(v) for y, v in sorted(ys.items())} for k, ys in grouped.items()}


def _primary(by_stats: dict[str, dict[int, float]], reporter: str | None, pair: str, flow: str) -> str:
    if reporter is None:
        return max(by_stats, key=lambda k: (max(by_stats[k]), len(by_stats[k]), k))
    wanted = reporter.strip().upper()
    if wanted not in by_stats:
        known = ", ".join(sorted(by_stats))
        raise OptionError(f"no {flow} figures for {pair} in {wanted}'s statistics; reporters with figures: {known}")
    return wanted


def load_trade(data_dir: str | Path | None = None) -> TradeData:
    """Read and validate the trade files (errors name file, line and field)."""
    root = Path(data_dir) if data_dir is not None else settings.data_dir()
    return TradeData(
        figures=tuple(r for _, r in read_table(root, "trade.csv", TradeFigure)),
        targets=tuple(r for _, r in read_table(root, "trade_targets.csv", TradeTarget)),
        conversions=tuple(r for _, r in read_table(root, "trade_conversion.csv", Conversion)),
        hubs=tuple(r for _, r in read_table(root, "trade_hubs.csv", TradeHub)),
        **_commodity_files(root),
    )


def _commodity_files(root: Path) -> dict[str, Any]:
    """The optional commodity groups and compositions, checked against each other."""
    if not (root / "commodity_groups.csv").is_file() or not (root / "trade_composition.csv").is_file():
        return {}
    groups = read_table(root, "commodity_groups.csv", CommodityGroup)
    shares = read_table(root, "trade_composition.csv", CompositionShare)
    problems = _group_problems(groups) + _composition_problems(shares, {g.group for _, g in groups})
    if problems:
        raise DataFileError(problems)
    return {"groups": tuple(g for _, g in groups), "compositions": tuple(s for _, s in shares)}


def _group_problems(groups: list[tuple[int, CommodityGroup]]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for line, g in groups:
        if g.group in seen:
            problems.append(Problem("commodity_groups.csv", line, "group", f"group '{g.group}' appears twice"))
        seen.add(g.group)
    return problems


def _composition_problems(shares: list[tuple[int, CompositionShare]], known: set[str]) -> list[Problem]:
    """Unknown or repeated groups, and shares of one pair, flow and year that do not sum to 1."""
    name = "trade_composition.csv"
    problems = []
    sets: dict[tuple[str, str, int], list[tuple[int, CompositionShare]]] = {}
    for line, s in shares:
        if s.group not in known:
            hint = ", ".join(sorted(known)) or "none"
            problems.append(Problem(name, line, "group", f"unknown commodity group '{s.group}'; known: {hint}"))
        members = sets.setdefault((s.pair, s.flow, s.year), [])
        if any(other.group == s.group for _, other in members):
            problems.append(
                Problem(name, line, "group", f"group '{s.group}' appears twice for {s.pair} {s.flow} {s.year}")
            )
        members.append((line, s))
    for (pair, flow, year), members in sets.items():
        total = sum(s.share for _, s in members)
        if abs(total - 1) > SHARE_TOLERANCE:
            lines = ", ".join(str(line) for line, _ in members)
            problems.append(
                Problem(
                    name,
                    members[0][0],
                    "share",
                    f"shares of {pair} {flow} {year} sum to {total:.4f}, not 1 (lines {lines})",
                )
            )
    return problems


def normalise_pair(a: str, b: str, data: TradeData) -> tuple[str, bool]:
    """The stored pair for countries ``a`` and ``b`` and whether it is reversed (``UZ KZ`` → ``KZ-UZ``).

    Raises
    ------
    OptionError
        For a code that is not two letters, or a pair with no data (listing those there are).
    """
    a, b = a.strip().upper(), b.strip().upper()
    for code in (a, b):
        _check_country(code)
    if f"{a}-{b}" in data.pairs():
        return f"{a}-{b}", False
    if f"{b}-{a}" in data.pairs():
        return f"{b}-{a}", True
    known = ", ".join(p.replace("-", " ") for p in data.pairs())
    raise OptionError(f"no trade data for {a}–{b}; pairs with data: {known}")


def _check_country(code: str) -> None:
    """Reject a code that is neither ISO 3166 alpha-2 nor a bloc in :data:`BLOCS`, suggesting the
    codes of countries it resembles."""
    import pycountry

    if code in BLOCS or (len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None):
        return
    guesses = suggest_countries(code)
    hint = f"; did you mean {', '.join(f'{c.alpha_2} ({c.name})' for c in guesses)}?" if guesses else ""
    raise OptionError(f"'{code}' is not an ISO 3166 alpha-2 country code{hint}")


def suggest_countries(text: str, limit: int = 3) -> list[Any]:
    """Countries ``text`` was probably meant to name (pycountry records, best first).

    An alpha-3 code gives its country; a two- or three-letter code gives the codes one typo away
    (two letters swapped first, then one letter changed, the last letter before the others); a
    longer text gives the countries whose name starts with it, else the names closest to it
    (difflib). Unlike pycountry's fuzzy search, a code like ``XX`` is never matched to a country
    whose name merely contains the letters.
    """
    import pycountry

    upper = text.strip().upper()
    if len(upper) == 3 and (exact := pycountry.countries.get(alpha_3=upper)) is not None:
        return [exact]
    if len(upper) in (2, 3):
        field = "alpha_2" if len(upper) == 2 else "alpha_3"
        ranked = [
            (rank, getattr(c, field), c) for c in pycountry.countries if (rank := _typo(upper, getattr(c, field)))
        ]
        return [c for _, _, c in sorted(ranked, key=lambda r: (r[0], r[1]))[:limit]]
    return _by_name(text.strip().lower(), limit)


def _typo(typed: str, code: str) -> int:
    """Rank of ``code`` as a typo of ``typed``: 1 two letters swapped, 2 the last letter wrong,
    3 another letter wrong; 0 when it is further away."""
    differ = [i for i, (a, b) in enumerate(zip(typed, code, strict=True)) if a != b]
    if len(differ) == 2 and differ[1] == differ[0] + 1 and sorted(typed) == sorted(code):
        return 1
    if len(differ) == 1:
        return 2 if differ[0] == len(code) - 1 else 3
    return 0


def _by_name(typed: str, limit: int) -> list[Any]:
    import difflib

    import pycountry

    names: dict[str, Any] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if hasattr(country, attr):
                names.setdefault(getattr(country, attr).lower(), country)
    found = [c for n, c in names.items() if n.startswith(typed)]
    found += [names[n] for n in difflib.get_close_matches(typed, list(names), n=limit, cutoff=0.7)]
    unique = list({c.alpha_2: c for c in found}.values())
    return unique[:limit]
