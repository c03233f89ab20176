"""Greenhouse-gas emissions of a leg and of a hub, after ISO 14083 and the GLEC Framework.

A *leg* (transport operation): emission intensity (g CO2e per tonne-km, a GLEC default for the
vehicle type) × cargo mass (t) × distance (km). Well-to-wheel (WTW) counts fuel production as
well as burning it and is what Corridor reports by default; tank-to-wheel (TTW) counts only the
exhaust. Refrigerated containers draw power all the way, which the cargo type's emission
multiplier carries.

A *hub* (hub operation: a port call, a gauge change, a rail–road transshipment): the GLEC
logistics-site default intensity per TEU or per tonne handled (``hub_emission_factors.csv``),
the temperature-controlled value for reefers. Borders handle no freight and emit nothing here.
"""

from __future__ import annotations

from corridor.network.model import CargoType, EmissionFactor, HubEmissionFactor

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


def hub_emissions(factor: HubEmissionFactor | None, cargo: CargoType) -> tuple[float, float]:
    """WTW and TTW emissions of one cargo unit passing through a hub once, in kg CO2e.

    Parameters
    ----------
    factor : HubEmissionFactor or None
        GLEC default of the hub category (``None``: no hub operation, nothing emitted).
    cargo : CargoType
        The unit handled: its TEU, cargo mass and whether it is a reefer.

    Returns
    -------
    tuple of float
        ``(wtw_kg, ttw_kg)``: intensity × TEU or × tonnes, as the factor's ``unit`` says.
    """
    if factor is None:
        return 0.0, 0.0
    intensity = factor.wtw_kg_reefer if cargo.reefer else factor.wtw_kg
    amount = cargo.teu if factor.unit == "teu" else cargo.cargo_tonnes
    wtw = intensity * amount
    return wtw, wtw * factor.ttw_share
