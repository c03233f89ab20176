"""Empty container repositioning as an option: the one-way lease premium out of China."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from corridor.interfaces import api
from corridor.routing.api import compare, route
from corridor.shipments.model import Shipment
from corridor.shipments.plan import plan_shipments

SEA_ONLY = ["rail", "road", "air", "ferry"]


def test_a_box_out_of_china_pays_the_lease_premium_of_its_month() -> None:
    # Container xChange averages for China-Europe rail: USD 1,400 in Jan 2025, 1,100 in Mar 2025 (PR24).
    for when, premium in (("2025-01-15", 1400), ("2025-03-15", 1100)):
        plain = route("Xian", "Duisburg", date=when).best("cost")
        paid = route("Xian", "Duisburg", date=when, empty_return=True).best("cost")
        (charge,) = paid.surcharges
        assert charge.kind == "empty-return" and charge.cost_usd == pytest.approx(premium)
        assert "PR24" in charge.source
        assert paid.total_cost_usd == pytest.approx(plain.total_cost_usd + premium)
        assert paid.to_dict()["surcharges"][0]["cost_usd"] == premium
    # Outside the two months the nearest figure is carried, with the estimate band.
    later = route("Xian", "Duisburg", date="2025-06", empty_return=True).best("cost").surcharges[0]
    assert "carried forward" in later.source
    assert later.cost_low_usd < later.cost_usd < later.cost_high_usd


def test_a_carrier_box_at_sea_and_a_box_going_east_pay_nothing_and_say_why() -> None:
    sea = route("Shanghai", "Rotterdam", avoid_modes=SEA_ONLY, date="2025-03", empty_return=True).best("cost")
    assert sea.surcharges[0].cost_usd == 0 and "carrier" in sea.surcharges[0].source
    east = route("Duisburg", "Xian", avoid_modes=["sea"], date="2025-03", empty_return=True).best("cost")
    assert east.surcharges[0].cost_usd == 0 and "from DE" in east.surcharges[0].source


def test_compare_adds_it_to_land_corridors_only() -> None:
    result = compare("Xian", "Duisburg", date="2025-03", empty_return=True)
    charged = {r.corridor: r.surcharges[0].cost_usd for r in result.routes}
    assert charged["Northern"] == pytest.approx(1100)
    assert all(v == 0 for k, v in charged.items() if k.startswith("Sea"))


def test_the_batch_and_the_api_take_the_option() -> None:
    box = Shipment(line=2, reference="A1", origin="Xian", destination="Duisburg", cargo="40ft", quantity=2)
    (plain,) = plan_shipments([box])
    (paid,) = plan_shipments([box], empty_return=True)
    assert paid.cost_usd > plain.cost_usd  # type: ignore[union-attr]
    client = TestClient(api.app)
    body = client.get("/route", params={"origin": "Xian", "destination": "Duisburg", "empty_return": "true"}).json()
    assert all(r["surcharges"][0]["kind"] == "empty-return" for r in body["routes"])
