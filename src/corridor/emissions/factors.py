"""Greenhouse-gas emissions of a leg, after ISO 14083 and the GLEC Framework.

Emissions = emission intensity (g CO2e per tonne-km, a GLEC default for the vehicle type) ×
cargo mass (t) × distance (km). Well-to-wheel (WTW) counts fuel production as well as burning
it and is what Corridor reports by default; tank-to-wheel (TTW) counts only the exhaust.
Refrigerated containers draw power all the way, which the cargo type's emission multiplier
carries.
"""

from __future__ import annotations

from corridor.network.model import CargoType, EmissionFactor

__all__ = ["leg_emissions"]


def leg_emissions(factor: EmissionFactor, distance_km: float, cargo: CargoType) -> tuple[float, float]:
    """WTW and TTW emissions of moving one cargo unit over a leg, in kg CO2e.

    Parameters
    ----------
    factor : EmissionFactor
        Intensity of the vehicle type, g CO2e per tonne-km.
    distance_km : float
        Leg distance.
    cargo : CargoType
        The unit moved: its cargo mass and reefer multiplier.

    Returns
    -------
    tuple of float
        ``(wtw_kg, ttw_kg)``.
    """
    tkm = cargo.cargo_tonnes * distance_km * cargo.emission_multiplier
    return factor.wtw_g_per_tkm * tkm / 1000.0, factor.ttw_g_per_tkm * tkm / 1000.0
