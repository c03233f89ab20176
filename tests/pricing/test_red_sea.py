"""The Cape routing and the Red Sea period: a dated diversion surcharge on box-rate sea lanes."""

from __future__ import annotations

import pytest

from corridor.pricing.apply import price_network
from corridor.routing.api import default_network


def _lane(when: str, via: str) -> tuple[float, str]:
    net = price_network(default_network(), when)
    link = next(lk for lk in net.links if lk.key == f"shanghai-rotterdam-sea-{via}")
    return link.tariff_feu_usd or 0.0, link.tariff_source


def test_before_the_red_sea_period_the_cape_costs_the_diversion_surcharge_more() -> None:
    # WCI Shanghai-Rotterdam 1,543 on 1 Jun 2023 (PR10), a Suez rate; Maersk's transit
    # disruption surcharge for the Cape diversion: USD 450 per FEU (PR29).
    suez, _ = _lane("2023-06-01", "suez")
    cape, words = _lane("2023-06-01", "cape")
    assert suez == pytest.approx(1543)
    assert cape == pytest.approx(1543 + 450)
    assert "DIV-CAPE-CN-SUEZ-OPEN" in words


def test_in_the_red_sea_period_the_index_carries_the_diversion_and_says_so() -> None:
    # From 15 Dec 2023 every Asia-Europe sailing goes round the Cape (PR27): both routings are
    # priced at the index (3,709 on 9 May 2024, PR26) and name the period.
    for via in ("suez", "cape"):
        usd, words = _lane("2024-06-01", via)
        assert usd == pytest.approx(3709)
        assert "RED-SEA (PR27" in words
    # The day before the period the surcharge still applies; a surcharge is never carried past its end.
    assert _lane("2023-12-14", "cape")[0] > _lane("2023-12-14", "suez")[0]
    assert "RED-SEA" not in _lane("2023-12-14", "suez")[1]
