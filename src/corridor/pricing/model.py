"""Typed records of the price files: dated tariffs, exchange rates and index observations.

A price in Corridor always carries a currency, a validity and a source. Amounts are in the
currency the publisher used (CNY for China Railway, EUR for TCDD, KZT for a Kazakh terminal …)
and are converted to USD at the exchange rate of the pricing date (:mod:`corridor.pricing.book`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corridor.vocab import Mode, SeaRoute

__all__ = ["NODE_COMPONENTS", "Component", "FxRate", "IndexPoint", "Tariff", "Unit"]

Component = Literal[
    "km-rate", "link-rate", "port", "transshipment", "gauge-change", "border", "empty-return", "diversion"
]
"""What a tariff prices: a per-kilometre rate of a mode in a country, one link's box rate, a
charge at a place playing one role (the ``kind`` of a ``node_times.csv`` row), bringing the
empty box back after a loaded move that starts in ``country`` (``empty-return``), or a
routing surcharge on box-rate sea legs of one ``sea_route`` loaded in ``country``
(``diversion``: the Cape of Good Hope instead of Suez)."""

NODE_COMPONENTS = frozenset({"port", "transshipment", "gauge-change", "border"})
Unit = Literal["box", "box-km", "index-share", "index-share-km"]
"""``box``: per container; ``box-km``: per container-kilometre; ``index-share``: the amount is a
multiple of the linked index's value (1 = the index itself); ``index-share-km``: the same per km."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Tariff(_Record):
    """One dated price component, as published.

    Scope: ``km-rate`` rows apply to links of ``mode`` leaving a place in ``country`` (``*``: any
    country) that carry no ``link-rate``; ``link-rate`` rows to the link ``from``–``to`` of
    ``mode`` (and ``sea_route`` when given), in the direction ``from`` → ``to`` (``direction``
    ``forward``) or both ways; node rows to the dwell rows of ``place`` (``*``: the default) of
    that kind. ``load`` says whether the price is for a loaded or an empty box.
    """

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    component: Component
    mode: Mode | Literal[""] = ""
    country: str = Field(default="", pattern=r"^([A-Z]{2}|\*|)$")
    place: str = ""
    from_id: str = ""
    to_id: str = ""
    sea_route: SeaRoute | Literal[""] = ""
    direction: Literal["both", "forward"] = "both"
    load: Literal["loaded", "empty"] = "loaded"
    amount_20ft: float = Field(ge=0)
    amount_40ft: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    unit: Unit
    index: str = ""
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: str = Field(min_length=1)
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Tariff:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.unit.startswith("index-share") != bool(self.index):
            raise ValueError("an index-share unit needs an index, and an index needs an index-share unit")
        if self.component == "km-rate" and (not self.mode or not self.country):
            raise ValueError("a km-rate needs a mode and a country ('*' for any)")
        if self.component == "link-rate" and not (self.mode and self.from_id and self.to_id):
            raise ValueError("a link-rate needs mode, from and to")
        if self.component == "diversion" and not (self.mode == "sea" and self.sea_route and self.country):
            raise ValueError("a diversion surcharge needs mode sea, a sea_route and the country of loading")
        if self.component == "empty-return" and (not self.country or self.load != "empty"):
            raise ValueError("an empty-return price needs the country the loaded move starts in and load 'empty'")
        if self.component in NODE_COMPONENTS and not self.place:
            raise ValueError(f"a {self.component} charge needs a place ('*' for the default)")
        per_km = self.unit.endswith("km")
        if per_km != (self.component == "km-rate"):
            raise ValueError("per-km units go with km-rate rows, per-box units with the others")
        return self


class FxRate(_Record):
    """Units of ``currency`` per US dollar, averaged over ``valid_from``–``valid_to``.

    ``kind`` says what the figure is: an annual or monthly average of daily rates, or one day's
    official rate.
    """

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    valid_from: dt.date
    valid_to: dt.date
    per_usd: float = Field(gt=0)
    kind: Literal["annual-average", "monthly-average", "daily"]
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> FxRate:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class IndexPoint(_Record):
    """One published value of a rate index (e.g. Drewry WCI Shanghai–Rotterdam, UTLC ERA's ERAI)."""

    series: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    date: dt.date
    value: float = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    unit: Literal["FEU", "TEU"]
    source: str = Field(min_length=1)
    notes: str = ""
