"""Typed records of the freight network.

Each class mirrors one data file in ``corridor/data`` (one row = one record). The records are
frozen pydantic models: the loader validates every row against them, and the rest of Corridor
treats them as plain, immutable values.

Every figure carries a *source*: a source id from ``sources.csv`` (``S63``, several joined by
``;``), ``searoute`` for distances computed on the maritime network, ``derived: …`` for a value
computed from other sourced figures, or ``estimate: …`` with a one-line reasoning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from corridor.vocab import CrossingKind, LinkStatus, Mode, PlaceKind, SeaRoute

if TYPE_CHECKING:
    from corridor.pricing.book import TariffBook

__all__ = [
    "CORRIDOR_TAGS",
    "GAUGES",
    "WATER_MODES",
    "CargoType",
    "EmissionFactor",
    "Link",
    "Network",
    "NodeTime",
    "Place",
    "PlaceName",
    "Rate",
    "SeaLane",
    "Source",
    "Variability",
    "Weather",
]

WATER_MODES: frozenset[str] = frozenset({Mode.ferry, Mode.sea})
GAUGES = (1435, 1520, 1668, 1676)
"""Track gauges in the network, mm: standard (China, Europe, Iran, Turkey), Russian (1520 space),
Iberian (Spain) and Indian (Pakistan)."""

CORRIDOR_TAGS: dict[str, str] = {
    "air": "Air",
    "trans-afghan": "Trans-Afghan",
    "middle": "Middle",
    "north-south": "North–South",
    "northern": "Northern",
    "sea-suez": "Sea-Suez",
    "sea-cape": "Sea-Cape",
}
"""Corridor tag used in ``links.csv`` → display name, in the order that classifies a route.

A link tagged with a corridor is what sets that corridor apart (the Caspian ferry, the
Russian main line, the deep-sea lane); untagged links are shared by every corridor. Middle comes
before North–South: a route that reaches Turkmenbashi on the Kazakhstan–Turkmenistan–Iran line
and crosses the Caspian by ferry is the Middle Corridor's southern branch, not a North–South route.
"""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Source(_Record):
    """A publication that figures in the data cite by ``id``."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    citation: str = Field(min_length=3)
    url: str = ""
    date: str = ""
    grade: Literal["A", "B", "C", "D", ""] = ""


class Place(_Record):
    """A node: terminal, port, dry port, border station, gauge-change point or airport."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1)
    name_ru: str = ""
    name_local: str = ""
    locode: str | None = Field(default=None, pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")
    country: str = Field(pattern=r"^[A-Z]{2}$")
    kind: PlaceKind
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    reefer: bool = False
    aliases: tuple[str, ...] = ()
    coord_source: str = Field(min_length=1)
    geonameid: str = ""
    """GeoNames id of the city this place is (from ``place_names.csv``); "" if it is none."""
    gazetteer_names: tuple[str, ...] = ()
    """Its city's names in English, Russian, Kazakh, Serbian and Chinese (GeoNames, ``place_names.csv``)."""

    def names(self) -> tuple[str, ...]:
        """Every name a user may type for this place."""
        extra = (self.name_ru, self.name_local, self.locode or "", self.id)
        return tuple(n for n in (self.name, *extra, *self.aliases, *self.gazetteer_names) if n)


class PlaceName(_Record):
    """One row of ``place_names.csv``: a place's name in one language, from the gazetteer."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    geonameid: str = Field(pattern=r"^[0-9]+$")
    lang: Literal["en", "ru", "kk", "sr", "zh"]
    name: str = Field(min_length=1)
    source: str = Field(min_length=1)


class Link(_Record):
    """An edge between two places, served by one mode.

    Blank figures are filled by :func:`corridor.network.resolve.resolve_links`: sea and ferry
    distances from the embedded sea lanes, speeds from ``rates.csv``. ``links.csv`` carries no
    price: the ``tariff_*`` fields are set by :func:`corridor.pricing.apply.price_network` from
    the dated ``tariffs.csv`` (``None`` until a network is priced).
    """

    from_id: str
    to_id: str
    mode: Mode
    vehicle: str = Field(min_length=1)
    gauge: int | None = None
    distance_km: float | None = Field(default=None, gt=0)
    distance_source: str = ""
    speed_kmh: float | None = Field(default=None, gt=0)
    time_h: float | None = Field(default=None, gt=0)
    time_source: str = ""
    tariff_teu_usd: float | None = Field(default=None, ge=0)
    """Through tariff of a 20 ft box, USD, at the date the network is priced at."""
    tariff_feu_usd: float | None = Field(default=None, ge=0)
    """The same for a 40 ft box."""
    tariff_source: str = ""
    """Which tariff, index value and exchange rate gave the figures, and how old they were."""
    capacity: float | None = Field(default=None, gt=0)
    capacity_unit: str = ""
    capacity_source: str = ""
    frequency_per_week: float | None = Field(default=None, ge=1 / 52)
    """Departures a week: at least one a year (rarer ones are not a service: waits of years break the model)."""
    frequency_source: str = ""
    status: LinkStatus = LinkStatus.operating
    corridor: str = ""
    reefer: bool = True
    sea_route: SeaRoute | None = None
    passages: tuple[str, ...] = ()
    bidirectional: bool = True
    notes: str = ""
    tariff_back_teu_usd: float | None = Field(default=None, ge=0)
    """Tariff travelling ``to`` → ``from``, when a dated tariff prices the directions apart
    (e.g. the Asia–Europe backhaul); ``None``: the same as the forward tariff."""
    tariff_back_feu_usd: float | None = Field(default=None, ge=0)
    tariff_back_source: str = ""
    tariff_range: tuple[float, float] = (1.0, 1.0)
    """Low and high of the tariff where sources disagree or it is an estimate, as multiples of
    the point tariff (set by :mod:`corridor.pricing.apply`)."""
    tariff_back_range: tuple[float, float] = (1.0, 1.0)
    """The same for the backhaul tariff."""
    tariff_as_of: str = ""
    """ISO date the tariff was published or took effect (an index value's date, a tariff's
    ``valid_from``): how old the price is. "" for an undated price."""
    tariff_back_as_of: str = ""

    @field_validator("gauge")
    @classmethod
    def _known_gauge(cls, value: int | None) -> int | None:
        if value is not None and value not in GAUGES:
            raise ValueError(f"gauge must be one of {GAUGES} mm")
        return value

    @property
    def key(self) -> str:
        """A stable identifier: ``from-to-mode`` (plus the sea route when there is one)."""
        via = f"-{self.sea_route}" if self.sea_route else ""
        return f"{self.from_id}-{self.to_id}-{self.mode}{via}"

    def scaled_tariff(self, factor: float) -> Link:
        """The link with its tariffs (both directions) multiplied by ``factor``."""
        names = ("tariff_teu_usd", "tariff_feu_usd", "tariff_back_teu_usd", "tariff_back_feu_usd")
        update = {n: getattr(self, n) * factor for n in names if getattr(self, n) is not None}
        return self.model_copy(update=update)

    def reversed(self) -> Link:
        """The same link travelled the other way (with the backhaul tariff, if it has one)."""
        update: dict[str, object] = {"from_id": self.to_id, "to_id": self.from_id}
        if self.tariff_back_teu_usd is not None and self.tariff_back_feu_usd is not None:
            update |= {
                "tariff_teu_usd": self.tariff_back_teu_usd,
                "tariff_feu_usd": self.tariff_back_feu_usd,
                "tariff_source": self.tariff_back_source,
                "tariff_back_teu_usd": self.tariff_teu_usd,
                "tariff_back_feu_usd": self.tariff_feu_usd,
                "tariff_back_source": self.tariff_source,
                "tariff_range": self.tariff_back_range,
                "tariff_back_range": self.tariff_range,
                "tariff_as_of": self.tariff_back_as_of,
                "tariff_back_as_of": self.tariff_as_of,
            }
        return self.model_copy(update=update)


class NodeTime(_Record):
    """Time and cost a container spends at a place playing one role (dwell).

    ``place`` ``*`` gives the default for places without a row of their own. ``from_country``
    and ``to_country`` make a border row apply in one direction only. ``node_times.csv`` gives
    the time; the ``cost_*`` fields are set by :func:`corridor.pricing.apply.price_network` from
    the dated ``tariffs.csv`` (``None`` until a network is priced).
    """

    place: str
    kind: CrossingKind
    from_country: str = ""
    to_country: str = ""
    time_h: float = Field(ge=0)
    time_source: str = Field(min_length=1)
    cost_teu_usd: float | None = Field(default=None, ge=0)
    """Charge per 20 ft box, USD, at the date the network is priced at."""
    cost_feu_usd: float | None = Field(default=None, ge=0)
    """The same per 40 ft box."""
    cost_source: str = ""
    cost_range: tuple[float, float] = (1.0, 1.0)
    """Low and high of the charge, as multiples of the point figure (see ``Link.tariff_range``)."""


class Rate(_Record):
    """Default commercial speed of a mode in a country (``*``: any); per-km tariffs are
    ``km-rate`` rows of ``tariffs.csv``."""

    mode: Mode
    country: str = Field(pattern=r"^([A-Z]{2}|\*)$")
    speed_kmh: float = Field(gt=0)
    speed_source: str = Field(min_length=1)


class EmissionFactor(_Record):
    """GLEC / ISO 14083 emission intensity of a vehicle type, g CO2e per tonne-km."""

    vehicle: str
    mode: Mode
    wtw_g_per_tkm: float = Field(gt=0)
    ttw_g_per_tkm: float = Field(ge=0)
    source: str = Field(min_length=1)
    notes: str = ""


class CargoType(_Record):
    """A unit of cargo a shipper books: 20ft, 40ft or 40ft reefer container."""

    id: str = Field(min_length=1)
    teu: int = Field(ge=1, le=2)
    cargo_tonnes: float = Field(gt=0)
    tonnes_source: str = Field(min_length=1)
    reefer: bool = False
    tariff_multiplier: float = Field(default=1.0, gt=0)
    tariff_multiplier_source: str = Field(min_length=1)
    emission_multiplier: float = Field(default=1.0, gt=0)
    emission_multiplier_source: str = Field(min_length=1)


class HubEmissionFactor(_Record):
    """GLEC / ISO 14083 default intensity of a hub operation (one pass of the cargo through it).

    ``unit`` says what the intensity is per: ``teu`` handled or ``tonne`` of cargo handled.
    Hub figures are well-to-wheel (they include the electricity a terminal buys);
    ``ttw_share`` is the part burnt on site.
    """

    kind: CrossingKind
    hub_category: str = Field(min_length=1)
    unit: Literal["teu", "tonne"]
    wtw_kg: float = Field(ge=0)
    wtw_kg_reefer: float = Field(ge=0)
    ttw_share: float = Field(ge=0, le=1)
    source: str = Field(min_length=1)
    ttw_source: str = Field(min_length=1)
    notes: str = ""


class Variability(_Record):
    """How much a time varies around the deterministic figure, for the Monte Carlo engine.

    The deterministic figure is taken as the median; the time is that figure × a lognormal factor
    whose 90th percentile is ``p90_factor``, plus, with ``late_probability``, an exponential delay
    of mean ``late_mean_h`` (a late vessel, a congested yard). Rows match a component
    (``run`` of a leg, ``wait`` for a departure, or a crossing kind), a mode and a place; ``*``
    matches any, and the most specific row wins.
    """

    component: Literal["run", "wait"] | CrossingKind
    mode: str = "*"
    place: str = "*"
    p90_factor: float = Field(ge=1.0)
    late_probability: float = Field(default=0.0, ge=0.0, le=1.0)
    late_mean_h: float = Field(default=0.0, ge=0.0)
    source: str = Field(min_length=1)


class Weather(_Record):
    """Chance that a port is closed to sailings by weather in a month, and how long a spell lasts."""

    port: str
    month: int = Field(ge=1, le=12)
    closure_probability: float = Field(ge=0.0, le=1.0)
    spell_mean_h: float = Field(gt=0)
    source: str = Field(min_length=1)


class Sailing(_Record):
    """Departures a week of one water link in one direction (a row of ``sailings.csv``).

    ``rule`` says how the service sails: ``timetable`` (published days) or ``when_full`` (leaves
    once loaded; see :mod:`corridor.network.sailings`).
    """

    from_id: str
    to_id: str
    mode: Literal["ferry", "sea"]
    departures_per_week: float = Field(gt=0)
    """Observed in ``period`` (at the demand of that period for a ``when_full`` service)."""
    max_departures_per_week: float | None = Field(default=None, gt=0)
    """Most the fleet can sail (vessels × 168 h / round trip); caps a ``when_full`` service."""
    teu_per_departure: float | None = Field(default=None, gt=0)
    """Cargo a departure carried on average in ``period``, TEU-equivalent (a ``when_full`` service
    sails once this much has gathered); required for ``when_full`` rows."""
    rule: Literal["timetable", "when_full"]
    period: str = Field(min_length=4)
    source: str = Field(min_length=1)


class PassageStatus(_Record):
    """A period in which carriers avoid a sea passage (a row of ``passage_status.csv``).

    ``status`` is ``diverted`` (open, but the main carriers sail round it) or ``closed``;
    ``valid_to`` blank means no end has been reported. Routing at a date inside the period avoids
    the passage unless asked to allow it (see :mod:`corridor.routing.passages`).
    """

    passage: str = Field(min_length=1)
    """As the sea-lane data names it (``babalmandab``, ``suez`` …)."""
    status: Literal["diverted", "closed"]
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: str = Field(min_length=1)
    note: str = ""

    def in_force(self, when: dt.date) -> bool:
        """Whether ``when`` falls inside the period (both ends included)."""
        return self.valid_from <= when and (self.valid_to is None or when <= self.valid_to)


@dataclass(frozen=True)
class SeaLane:
    """A maritime path between two ports, computed once on the searoute network."""

    from_id: str
    to_id: str
    sea_route: SeaRoute
    distance_km: float
    passages: tuple[str, ...]
    coordinates: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Network:
    """The whole freight network, as loaded and validated from one data directory."""

    places: dict[str, Place]
    links: tuple[Link, ...]
    node_times: tuple[NodeTime, ...]
    rates: tuple[Rate, ...]
    emission_factors: dict[str, EmissionFactor]
    cargo_types: dict[str, CargoType]
    sources: dict[str, Source]
    sea_lanes: dict[tuple[str, str, str], SeaLane] = field(default_factory=dict)
    variability: tuple[Variability, ...] = ()
    weather: tuple[Weather, ...] = ()
    sailings: tuple[Sailing, ...] = ()
    passage_status: tuple[PassageStatus, ...] = ()
    """Dated diversions and closures of sea passages (``passage_status.csv``)."""
    data_dir: str = ""
    hub_factors: dict[str, HubEmissionFactor] = field(default_factory=dict)
    """Crossing kind → GLEC hub default; a kind without a row emits nothing at the hub."""
    tariff_book: TariffBook | None = None
    """Dated tariffs, exchange rates and rate indexes (:mod:`corridor.pricing`)."""
    priced_at: str = ""
    """ISO date the link tariffs and dwell charges are priced at ("" if never priced)."""
    demand_teu_week: float | None = None
    """Cargo offered a week on each ``when_full`` crossing, TEU-equivalent, that its frequency was
    set for (``None``: the flow observed in ``sailings.csv``; see :mod:`corridor.network.sailings`)."""

    def place(self, place_id: str) -> Place:
        """The place with this id (``KeyError`` if absent)."""
        return self.places[place_id]
