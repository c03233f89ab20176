"""From trade value to freight: tonnes, containers and block trains a year.

tonnes = value / value density (USD per tonne); containers (TEU) = tonnes × the containerisable
share / tonnes per loaded TEU; overland TEU = TEU × the overland share (the containers that take the
land bridge, not the sea); trains a week = overland TEU / TEU per block train / 52. The interval of
the value carries through.

Where ``trade_composition.csv`` splits a pair's trade into commodity groups, each group converts
with its own factors (``commodity_groups.csv``): tonnes = Σ value × share_g / density_g and
TEU = Σ tonnes_g × container_share_g / tonnes_per_teu_g. Both sums are linear in the value, so they
fold into one effective :class:`Conversion`; otherwise the pair's single ``trade_conversion.csv``
row is used, as before. The overland share is always the pair's row's (or the ``*`` default's): it
depends on the pair's geography, and no source splits it by commodity group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridor.errors import OptionError
from corridor.forecasting.data import CommodityGroup, CompositionShare, Conversion, TradeData
from corridor.forecasting.models import Forecast

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "WEEKS",
    "GroupSplit",
    "PairConversion",
    "composition_splits",
    "freight_table",
    "group_table",
    "grouped_conversion",
    "pair_conversion",
]

WEEKS = 52.0


@dataclass(frozen=True)
class GroupSplit:
    """A commodity group's share of a pair's total trade value."""

    group: CommodityGroup
    share: float

    @property
    def tonnes_per_usd(self) -> float:
        return self.share / self.group.usd_per_tonne

    @property
    def teu_per_usd(self) -> float:
        return self.tonnes_per_usd * self.group.container_share / self.group.tonnes_per_teu


@dataclass(frozen=True)
class PairConversion:
    """The factors a pair's value converts with, the groups behind them and a note saying which."""

    conversion: Conversion
    splits: tuple[GroupSplit, ...]
    label: str

    @property
    def grouped(self) -> bool:
        return bool(self.splits)


def pair_conversion(trade: TradeData, pair: str) -> PairConversion:
    """The grouped conversion where the pair has a composition, else its single-factor row."""
    base = trade.conversion(pair)
    splits, label = composition_splits(trade, pair)
    if not splits:
        return PairConversion(base, (), f"single factor (trade_conversion.csv row '{base.pair}')")
    return PairConversion(grouped_conversion(base, splits, pair), splits, f"by commodity group: {label}")


def composition_splits(trade: TradeData, pair: str) -> tuple[tuple[GroupSplit, ...], str]:
    """Group shares of the pair's total trade and where they come from (empty without a composition).

    A ``total`` composition is used as it is; otherwise both directions are needed, weighted by the
    latest year's direction split of the trade value.
    """
    total = trade.composition(pair, "total")
    if total:
        return _splits(trade, [(1.0, total)]), _describe(total)
    a_to_b, b_to_a = trade.composition(pair, "a_to_b"), trade.composition(pair, "b_to_a")
    if not (a_to_b and b_to_a):
        return (), ""
    w = trade.direction_share(pair)
    label = f"{_describe(a_to_b)} and {_describe(b_to_a)}, weighted {w:.0%} / {1 - w:.0%} by direction"
    return _splits(trade, [(w, a_to_b), (1 - w, b_to_a)]), label


def _splits(trade: TradeData, parts: list[tuple[float, tuple[CompositionShare, ...]]]) -> tuple[GroupSplit, ...]:
    # Rescale each flow's shares to sum to exactly 1: the file allows a rounding slack.
    merged: dict[str, float] = {}
    for weight, rows in parts:
        total = sum(r.share for r in rows)
        for r in rows:
            merged[r.group] = merged.get(r.group, 0.0) + weight * r.share / total
    return tuple(GroupSplit(trade.group(name), share) for name, share in merged.items())


def _describe(rows: tuple[CompositionShare, ...]) -> str:
    first = rows[0]
    period = "" if first.period == "year" else f" ({first.period})"
    return f"{first.pair} {first.flow} {first.year}{period}"


def grouped_conversion(base: Conversion, splits: tuple[GroupSplit, ...], pair: str) -> Conversion:
    """One effective conversion equal to converting every group with its own factors.

    The density is the value-weighted harmonic mean of the groups' densities, the containerisable
    share is tonnage-weighted and tonnes per TEU is containerisable tonnes over TEU; TEU per train
    and the overland share stay the pair's.

    Raises
    ------
    OptionError
        When no group of the composition is containerisable (the pair would need no containers).
    """
    tonnes = sum(s.tonnes_per_usd for s in splits)
    boxed = sum(s.tonnes_per_usd * s.group.container_share for s in splits)
    teu = sum(s.teu_per_usd for s in splits)
    if teu <= 0:
        raise OptionError(f"the commodity composition of {pair} has no containerisable group")
    groups = ", ".join(s.group.group for s in splits)
    derived = f"derived from commodity_groups.csv over the {pair} composition in trade_composition.csv ({groups})"
    return base.model_copy(
        update={
            "usd_per_tonne": 1 / tonnes,
            "usd_per_tonne_source": f"{derived}: value-weighted harmonic mean",
            "container_share": boxed / tonnes,
            "container_share_source": f"{derived}: tonnage-weighted",
            "tonnes_per_teu": boxed / teu,
            "tonnes_per_teu_source": f"{derived}: containerisable tonnes per TEU",
        }
    )


def group_table(value_usd_m: float, splits: tuple[GroupSplit, ...], conversion: Conversion) -> pd.DataFrame:
    """Value (million USD), tonnes, TEU, overland TEU and trains a week of each commodity group for one value."""
    import pandas as pd

    rows = []
    for s in splits:
        teu = value_usd_m * 1e6 * s.teu_per_usd
        overland = teu * conversion.overland_share
        rows.append(
            {
                "group": s.group.group,
                "share": s.share,
                "value_usd_m": value_usd_m * s.share,
                "tonnes": value_usd_m * 1e6 * s.tonnes_per_usd,
                "teu": teu,
                "teu_overland": overland,
                "trains_per_week": overland / conversion.teu_per_train / WEEKS,
            }
        )
    return pd.DataFrame(rows)


def freight_table(history: dict[int, float], path: Forecast, conversion: Conversion) -> pd.DataFrame:
    """Yearly value (million USD), tonnes, TEU and trains a week: history, then the forecast.

    Columns ``value_usd_m``, ``tonnes``, ``teu`` (all containers), ``teu_overland`` (those on the
    land bridge) and ``trains_per_week`` (overland TEU in block trains) hold the median (or the
    observed value); ``*_low`` / ``*_high`` the forecast interval; ``kind`` says ``observed`` or
    the method.
    """
    import pandas as pd

    rows = [_row(year, value, value, value, "observed", conversion) for year, value in sorted(history.items())]
    rows += [
        _row(year, mid, low, high, path.method, conversion)
        for year, mid, low, high in zip(path.years, path.median, path.low, path.high, strict=True)
    ]
    return pd.DataFrame(rows)


def _row(year: int, mid: float, low: float, high: float, kind: str, c: Conversion) -> dict[str, float | int | str]:
    row: dict[str, float | int | str] = {"year": year, "kind": kind}
    for suffix, value in (("", mid), ("_low", low), ("_high", high)):
        tonnes = value * 1e6 / c.usd_per_tonne
        teu = tonnes * c.container_share / c.tonnes_per_teu
        row[f"value_usd_m{suffix}"] = value
        row[f"tonnes{suffix}"] = tonnes
        overland = teu * c.overland_share
        row[f"teu{suffix}"] = teu
        row[f"teu_overland{suffix}"] = overland
        row[f"trains_per_week{suffix}"] = overland / c.teu_per_train / WEEKS
    return row
