"""Corridor's vocabularies: every set of option and data words, defined once.

Each vocabulary is a :class:`~enum.StrEnum`, so a member *is* its wire string: ``Mode.rail ==
"rail"``, it hashes like ``"rail"``, and it is written to JSON, CSV and YAML as ``"rail"``. A
member is found from a string in any case and with surrounding spaces (``Mode("Rail")`` is
``Mode.rail``), as r5py's ``TransportMode`` does. The data loader, the route options, the CLI
choices, the REST API schemas and the docs all derive their lists from here.

Cargo units are data (``cargo.csv``): :class:`Cargo` lists the four shipped ones for option
menus, while the library accepts any id a data directory's ``cargo.csv`` defines.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from corridor.errors import OptionError

__all__ = [
    "Cargo",
    "CrossingKind",
    "ForecastMethod",
    "LinkStatus",
    "Mode",
    "Objective",
    "PlaceKind",
    "RobustObjective",
    "SamplingEngine",
    "SeaRoute",
    "SweepExecutor",
    "Vocabulary",
]


class Vocabulary(StrEnum):
    """A StrEnum whose members are found from a string in any case (``Mode("RAIL")``)."""

    @classmethod
    def _missing_(cls, value: object) -> Vocabulary | None:
        if isinstance(value, str):
            key = value.strip().lower()
            for member in cls:
                if member.value.lower() == key:
                    return member
        return None

    @classmethod
    def parse(cls, value: str, what: str) -> Self:
        """The member named by ``value`` in any case.

        Raises
        ------
        OptionError
            If ``value`` is none of them: ``unknown {what} '{value}'; use one of …``.
        """
        try:
            return cls(value)
        except ValueError:
            raise OptionError(f"unknown {what} '{value}'; use one of {', '.join(cls.values())}") from None

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The wire strings, in definition order."""
        return tuple(m.value for m in cls)


class Mode(Vocabulary):
    """How a leg moves: ``ferry`` rolls wagons or trucks aboard, ``sea`` lifts containers aboard."""

    rail = "rail"
    road = "road"
    ferry = "ferry"
    sea = "sea"
    air = "air"


class CrossingKind(Vocabulary):
    """What holds a container up between two legs (``node_times.csv`` ``kind``)."""

    border = "border"
    gauge_change = "gauge-change"
    port = "port"
    transshipment = "transshipment"


class PlaceKind(Vocabulary):
    """What a place is (``places.csv`` ``kind``)."""

    terminal = "terminal"
    seaport = "seaport"
    dry_port = "dry_port"
    border_crossing = "border_crossing"
    gauge_change = "gauge_change"
    airport = "airport"
    city = "city"
    """A gazetteer city joined to the network by first/last-mile truck legs (never in places.csv)."""


class LinkStatus(Vocabulary):
    """Whether a link runs today (``links.csv`` ``status``)."""

    operating = "operating"
    planned = "planned"


class SeaRoute(Vocabulary):
    """Which way a deep-sea lane goes (``links.csv`` ``sea_route``)."""

    suez = "suez"
    cape = "cape"
    direct = "direct"


class Cargo(Vocabulary):
    """The shipped cargo units (``cargo.csv`` ids): a TEU, an FEU, a 40ft reefer and a 40ft high-cube."""

    teu = "20ft"
    feu = "40ft"
    reefer = "40ft-reefer"
    high_cube = "40hc"


class Objective(Vocabulary):
    """What the best route minimises among the Pareto set: door-to-door time, cost or CO2e."""

    time = "time"
    cost = "cost"
    co2 = "co2"


class RobustObjective(Vocabulary):
    """What the most reliable route optimises: a transit-time percentile, or the on-time odds."""

    p50 = "p50"
    p90 = "p90"
    p95 = "p95"
    on_time = "on-time"


class SamplingEngine(Vocabulary):
    """The Monte Carlo kernel: ``auto`` uses Numba when installed, else NumPy (same results)."""

    auto = "auto"
    numpy = "numpy"
    numba = "numba"


class SweepExecutor(Vocabulary):
    """Where a scenario sweep runs: this process, local processes, or a Dask cluster."""

    local = "local"
    process = "process"
    dask = "dask"


class ForecastMethod(Vocabulary):
    """Trade forecast methods: trend models, the path a target needs, or the gravity model."""

    ets = "ets"
    arima = "arima"
    target = "target"
    gravity = "gravity"
