"""A shipment as a shipper books it: a lane, a date, a cargo and what the route must respect.

Three kinds of cargo:

* **FCL** (full container load): one or more 20 ft, 40 ft, 40 ft high-cube or 40 ft reefer
  boxes, planned as today's planner plans a container.
* **LCL** (less than container load): ``weight_kg`` and ``volume_m3`` consolidated in a 20 ft
  box. It pays and emits its *share of the box*, the larger of its weight share (of the
  10 t per TEU the emission factors assume, E08) and its volume share (of 28 m³, an estimate:
  the 33.2 m³ inside a 20 ft box filled to about 85 % by a consolidator). The weight share of a
  box is exactly its tonne-km, so weight-bound LCL is allocated by mass as ISO 14083 does by
  default; a light, bulky consignment pays for the room it takes, as LCL tariffs (W/M) do.
  Its freight is at least the industry's minimum of 1 W/M, billed as 1 m³ (SH09), and it pays
  the container freight station (CFS) charges for consolidation at origin and deconsolidation
  at destination per revenue ton (the larger of tonnes and m³, at least 1; SH10).
* **Air** cargo by kg: flown on links with air cargo service, never as a flying box. It pays
  the air tariff per *chargeable* kg (IATA volume rule: the larger of the actual weight and
  volume ÷ 6,000 cm³ per kg, i.e. 166.7 kg per m³) and emits by its *actual* mass (ISO 14083
  allocates by mass); its legs to and from the airport are shared like LCL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "CARGO_CODES",
    "FCL_CODES",
    "IATA_CM3_PER_KG",
    "LCL_BOX_CARGO",
    "LCL_BOX_KG",
    "LCL_BOX_M3",
    "LCL_CFS_USD_PER_WM",
    "LCL_MIN_WM",
    "OBJECTIVES",
    "Kind",
    "Shipment",
    "chargeable_weight_kg",
    "lcl_share",
]

Kind = Literal["fcl", "lcl", "air"]

LCL_BOX_CARGO = "20ft"
"""The box LCL and air feeder legs are consolidated in."""
LCL_BOX_KG = 10_000.0
"""Cargo mass of a TEU the emission factors assume (E08, ``cargo.csv``)."""
LCL_BOX_M3 = 28.0
"""estimate: 33.2 m³ inside a 20 ft box filled to about 85 % by a consolidator."""
LCL_MIN_WM = 1.0
"""Minimum LCL charge: 1 W/M (one weight or measure ton; SH09), billed as 1 m³ of the box."""
LCL_CFS_USD_PER_WM = (10.0, 17.5)
"""CFS charges per revenue ton, USD: consolidation at origin and deconsolidation at destination,
the middles of the published typical ranges of 5–15 and 10–25 per m³ (SH10)."""
IATA_CM3_PER_KG = 6_000.0
"""IATA volume rule: one chargeable kg per 6,000 cm³ (167 kg per m³)."""

FCL_CODES: dict[str, str] = {
    "20ft": "20ft",
    "20": "20ft",
    "20gp": "20ft",
    "20dv": "20ft",
    "40ft": "40ft",
    "40": "40ft",
    "40gp": "40ft",
    "40dv": "40ft",
    "40hc": "40hc",
    "40hq": "40hc",
    "40ft-hc": "40hc",
    "40ft-reefer": "40ft-reefer",
    "40rf": "40ft-reefer",
    "40rh": "40ft-reefer",
    "reefer": "40ft-reefer",
}
"""Container codes a shipper writes (ISO size-type shorthand) → cargo id in ``cargo.csv``."""
CARGO_CODES = (*FCL_CODES, "lcl", "air")

OBJECTIVES = ("time", "cost", "co2")


@dataclass(frozen=True)
class Shipment:
    """One shipment of a batch (one row of the input file).

    Parameters
    ----------
    line : int
        Line of the input file (for error messages and to match results to input).
    reference : str
        The shipper's reference; the line number if none was given.
    origin, destination : str
        Place names as typed (any language, alias or UN/LOCODE).
    cargo : str
        A cargo id of ``cargo.csv`` (``20ft``, ``40ft``, ``40hc``, ``40ft-reefer``), ``lcl`` or ``air``.
    quantity : int
        Boxes (FCL only).
    weight_kg, volume_m3 : float, optional
        Required for LCL and air.
    set_temp_c : float, optional
        Reefer set point (°C), reported; no sourced curve of genset or plug energy against set
        point was found, so it does not change the emissions.
    depart : date, optional
        Departure date; sets the season of the Monte Carlo run and the report's month.
    deadline_h : float, optional
        Hours from departure; adds the on-time probability when times are sampled.
    """

    line: int
    reference: str
    origin: str
    destination: str
    cargo: str
    quantity: int = 1
    weight_kg: float | None = None
    volume_m3: float | None = None
    set_temp_c: float | None = None
    depart: date | None = None
    deadline_h: float | None = None
    avoid_countries: tuple[str, ...] = ()
    avoid_modes: tuple[str, ...] = ()
    avoid_passages: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    max_transshipments: int | None = None
    objective: str = "time"
    notes: tuple[str, ...] = field(default=())

    @property
    def kind(self) -> Kind:
        """``fcl``, ``lcl`` or ``air``."""
        if self.cargo == "lcl":
            return "lcl"
        if self.cargo == "air":
            return "air"
        return "fcl"

    @property
    def container(self) -> str:
        """The cargo id the route is searched for (LCL and air ride in a 20 ft box's share)."""
        return self.cargo if self.kind == "fcl" else LCL_BOX_CARGO

    @property
    def box_share(self) -> float:
        """Boxes this shipment pays and emits for: ``quantity`` for FCL, else :func:`lcl_share`."""
        if self.kind == "fcl":
            return float(self.quantity)
        return lcl_share(self.weight_kg or 0.0, self.volume_m3 or 0.0)

    @property
    def freight_share(self) -> float:
        """Boxes the shipment *pays* freight for: :attr:`box_share`, but LCL at least 1 W/M (1 m³)."""
        if self.kind != "lcl":
            return self.box_share
        return max(self.box_share, LCL_MIN_WM / LCL_BOX_M3)

    @property
    def cfs_usd(self) -> float:
        """LCL's CFS charges (origin + destination) per revenue ton, at least 1 W/M; 0 for other cargo."""
        if self.kind != "lcl":
            return 0.0
        revenue_tons = max((self.weight_kg or 0.0) / 1000, self.volume_m3 or 0.0, LCL_MIN_WM)
        return revenue_tons * sum(LCL_CFS_USD_PER_WM)

    @property
    def chargeable_kg(self) -> float | None:
        """Air cargo's chargeable weight (IATA), ``None`` for other cargo."""
        if self.kind != "air":
            return None
        return chargeable_weight_kg(self.weight_kg or 0.0, self.volume_m3 or 0.0)


def lcl_share(weight_kg: float, volume_m3: float) -> float:
    """Share of a 20 ft box an LCL consignment takes: the larger of its weight and volume shares.

    >>> lcl_share(2_000, 5.6)   # 20 % by weight, 20 % by volume
    0.2
    >>> lcl_share(500, 14)      # light and bulky: volume governs
    0.5
    """
    return max(weight_kg / LCL_BOX_KG, volume_m3 / LCL_BOX_M3)


def chargeable_weight_kg(weight_kg: float, volume_m3: float) -> float:
    """IATA chargeable weight: the larger of actual kg and volume ÷ 6,000 cm³ per kg.

    >>> chargeable_weight_kg(100, 1.2)  # 1.2 m³ → 200 kg volumetric
    200.0
    """
    return max(weight_kg, volume_m3 * 1_000_000 / IATA_CM3_PER_KG)
