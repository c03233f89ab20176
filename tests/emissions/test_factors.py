"""Leg emissions scale with distance, mass and the reefer multiplier."""

from __future__ import annotations

import pytest

from corridor.emissions.factors import leg_emissions
from corridor.network.model import CargoType, EmissionFactor
from corridor.routing.api import default_network


def test_a_worked_example_by_hand() -> None:
    # Figures chosen for easy arithmetic, not the shipped ones: 20 g/tkm well-to-wheel and 15 g/tkm
    # tank-to-wheel, 12 t of cargo, 500 km: 12 t × 500 km = 6,000 tkm → 120 kg and 90 kg; a reefer
    # multiplier of 1.5 makes 9,000 tkm → 180 kg and 135 kg.
    factor = EmissionFactor(vehicle="v", mode="rail", wtw_g_per_tkm=20, ttw_g_per_tkm=15, source="test")
    box = {"id": "box", "teu": 2, "cargo_tonnes": 12, "tonnes_source": "test", "tariff_multiplier_source": "test"}
    dry = CargoType(**box, emission_multiplier_source="test")
    cold = CargoType(**box, reefer=True, emission_multiplier=1.5, emission_multiplier_source="test")
    assert leg_emissions(factor, 500, dry) == pytest.approx((120.0, 90.0))
    assert leg_emissions(factor, 500, cold) == pytest.approx((180.0, 135.0))
    assert leg_emissions(factor, 0, dry) == (0.0, 0.0)


def test_shipped_factors_keep_tank_to_wheel_below_well_to_wheel() -> None:
    for name, factor in default_network().emission_factors.items():
        assert 0 <= factor.ttw_g_per_tkm <= factor.wtw_g_per_tkm, name


def test_reefer_emits_more_than_dry() -> None:
    network = default_network()
    factor = network.emission_factors["container_ship_large"]
    dry, _ = leg_emissions(factor, 1000, network.cargo_types["40ft"])
    cold, _ = leg_emissions(factor, 1000, network.cargo_types["40ft-reefer"])
    assert cold > dry


def test_caspian_ferry_intensity_is_far_above_deep_sea() -> None:
    factors = default_network().emission_factors
    ferry, ship = factors["ferry_ropax_10_20k"].wtw_g_per_tkm, factors["container_ship_large"].wtw_g_per_tkm
    assert 100 <= ferry <= 260  # validation band for GLEC RoPax defaults (S83)
    assert ferry > 5 * ship
