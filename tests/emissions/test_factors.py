"""Leg emissions scale with distance, mass and the reefer multiplier."""

from __future__ import annotations

import pytest

from corridor.emissions.factors import leg_emissions
from corridor.routing.api import default_network


def test_emissions_are_intensity_times_tonne_km() -> None:
    network = default_network()
    factor = network.emission_factors["rail_mixed"]
    feu = network.cargo_types["40ft"]
    wtw, ttw = leg_emissions(factor, 1000, feu)
    assert wtw == pytest.approx(factor.wtw_g_per_tkm * feu.cargo_tonnes * 1000 / 1000)
    assert ttw <= wtw


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
