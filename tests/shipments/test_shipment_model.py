"""Shipment cargo rules: LCL share of a box and IATA chargeable weight."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.shipments.model import LCL_BOX_KG, LCL_BOX_M3, Shipment, chargeable_weight_kg, lcl_share


def test_lcl_share_is_the_larger_of_weight_and_volume() -> None:
    assert lcl_share(2_500, 6) == pytest.approx(0.25)  # weight governs: 2.5 t of 10 t
    assert lcl_share(400, 9.5) == pytest.approx(9.5 / LCL_BOX_M3)  # light and bulky: volume governs


def test_chargeable_weight_follows_the_iata_volume_rule() -> None:
    assert chargeable_weight_kg(100, 1.2) == pytest.approx(200)  # 1.2 m³ × 166.7 kg/m³
    assert chargeable_weight_kg(350, 1.1) == pytest.approx(350)  # dense: actual weight
    assert chargeable_weight_kg(0, 1) == pytest.approx(1_000_000 / 6_000)


@given(st.floats(1, 50_000), st.floats(0.01, 60))
def test_shares_never_undercount_either_measure(kg: float, m3: float) -> None:
    share = lcl_share(kg, m3)
    assert share >= kg / LCL_BOX_KG and share >= m3 / LCL_BOX_M3
    assert chargeable_weight_kg(kg, m3) >= kg


def test_fcl_pays_per_box_and_lcl_rides_in_a_20ft() -> None:
    fcl = Shipment(1, "a", "Xian", "Duisburg", "40ft", quantity=3)
    lcl = Shipment(2, "b", "Xian", "Duisburg", "lcl", weight_kg=1_000, volume_m3=2)
    air = Shipment(3, "c", "Astana", "Belgrade", "air", weight_kg=100, volume_m3=1.2)
    assert (fcl.kind, fcl.container, fcl.box_share, fcl.chargeable_kg) == ("fcl", "40ft", 3.0, None)
    assert (lcl.kind, lcl.container) == ("lcl", "20ft")
    assert air.kind == "air" and air.chargeable_kg == pytest.approx(200)
