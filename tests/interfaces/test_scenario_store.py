"""Scenario store over the API: versions never overwritten, writes need a token, errors are 4xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from corridor import settings
from corridor.interfaces.api import app

BASE = (settings.data_dir() / "scenarios" / "titr-2024-base.yaml").read_text(encoding="utf-8")
AUTH = {"Authorization": "Bearer s3cret"}
SMALL_FLOW = "  - {origin: Xian, destination: Baku, teu_per_year: 1}\n"


@pytest.fixture
def client(db_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("CORRIDOR_DB", db_url)
    monkeypatch.setenv("CORRIDOR_TOKEN", "s3cret")
    return TestClient(app, raise_server_exceptions=False)


def test_versions_are_kept(client: TestClient) -> None:
    assert client.post("/scenarios", json={"name": "base", "yaml": BASE}, headers=AUTH).json()["version"] == 1
    tripled = BASE.replace("teu_per_year: 12000", "teu_per_year: 36000")
    assert client.put("/scenarios/base", json={"yaml": tripled}, headers=AUTH).json()["version"] == 2
    assert "36000" in client.get("/scenarios/base").json()["yaml"]
    assert "12000" in client.get("/scenarios/base", params={"version": 1}).json()["yaml"]
    assert [(s["name"], s["version"]) for s in client.get("/scenarios").json()] == [("base", 2)]
    assert client.delete("/scenarios/base", headers=AUTH).json()["version"] == 3
    assert client.get("/scenarios/base").status_code == 404
    assert client.get("/scenarios/base", params={"version": 2}).status_code == 200  # history stays


def test_stored_scenario_simulates_and_its_result_is_kept(client: TestClient) -> None:
    client.post("/scenarios", json={"name": "base", "yaml": BASE}, headers=AUTH)
    result = client.post("/scenarios/base/simulate", json={"years": 0.1}, headers=AUTH).json()
    assert result["version"] == 1 and result["demand_teu"] > 0
    client.put("/scenarios/base", json={"yaml": BASE}, headers=AUTH)
    [kept] = client.get("/scenarios/base/results").json()
    assert (kept["id"], kept["version"], kept["years"]) == (result["result_id"], 1, 0.1)
    assert kept["summary"]["delivered_teu"] == result["delivered_teu"]
    assert client.get("/scenarios/base/results", params={"version": 2}).json() == []
    assert client.get("/scenarios/missing/results").status_code == 404


def test_anonymous_simulation_stores_nothing_and_results_paginate(client: TestClient) -> None:
    client.post("/scenarios", json={"name": "base", "yaml": BASE}, headers=AUTH)
    anonymous = client.post("/scenarios/base/simulate", json={"years": 0.02})
    assert anonymous.status_code == 200 and anonymous.json()["result_id"] is None
    assert client.get("/scenarios/base/results").json() == []
    wrong = client.post("/scenarios/base/simulate", json={"years": 0.02}, headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 401
    ids = [
        client.post("/scenarios/base/simulate", json={"years": 0.02, "seed": k}, headers=AUTH).json()["result_id"]
        for k in range(3)
    ]
    first = client.get("/scenarios/base/results", params={"limit": 2})
    assert [r["id"] for r in first.json()] == ids[:2] and 'rel="next"' in first.headers["link"]
    following = client.get(first.headers["link"].split(">")[0].removeprefix("<"))
    assert [r["id"] for r in following.json()] == ids[2:] and "link" not in following.headers
    assert client.get("/scenarios/base/results", params={"limit": 100_000}).status_code == 422


@pytest.mark.parametrize(
    ("call", "status"),
    [
        (lambda c: c.post("/scenarios", json={"name": "x", "yaml": BASE}), 401),
        (lambda c: c.post("/scenarios", json={"name": "x", "yaml": BASE}, headers={"Authorization": "Bearer no"}), 401),
        (lambda c: c.post("/scenarios", json={"name": "x", "yaml": "name: [broken"}, headers=AUTH), 422),
        (lambda c: c.post("/scenarios", json={"name": "x", "yaml": "name: n\nyear: 1900\n"}, headers=AUTH), 422),
        (lambda c: c.post("/scenarios", json={"name": "../x", "yaml": BASE}, headers=AUTH), 422),
        (lambda c: c.post("/scenarios", json={"name": "x", "yaml": "a" * 200_000}, headers=AUTH), 422),
        (lambda c: c.put("/scenarios/missing", json={"yaml": BASE}, headers=AUTH), 404),
        (lambda c: c.delete("/scenarios/missing", headers=AUTH), 404),
        (lambda c: c.get("/scenarios/missing"), 404),
        (lambda c: c.post("/scenarios/missing/simulate", json={}), 404),
    ],
)
def test_bad_writes_are_refused_with_a_message(client: TestClient, call: object, status: int) -> None:
    response = call(client)  # type: ignore[operator]
    assert response.status_code == status, response.text
    assert response.json()["detail"]


def test_creating_twice_is_a_conflict(client: TestClient) -> None:
    client.post("/scenarios", json={"name": "base", "yaml": BASE}, headers=AUTH)
    again = client.post("/scenarios", json={"name": "base", "yaml": BASE}, headers=AUTH)
    assert again.status_code == 409


def test_writes_are_disabled_without_a_server_token(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORRIDOR_TOKEN")
    response = client.post("/scenarios", json={"name": "x", "yaml": BASE}, headers=AUTH)
    assert response.status_code == 403 and "CORRIDOR_TOKEN" in response.json()["detail"]


@pytest.mark.parametrize(
    ("yaml", "fragment"),
    [
        (BASE + "network: /etc\n", "embedded network"),
        (BASE.replace("teu_per_year: 12000", "teu_per_year: 5000000"), "TEU a year"),
        (BASE.replace("demand:\n", "demand:\n" + SMALL_FLOW * 25), "flows"),
        (BASE + "levers:\n  - {kind: crossing, place: Dostyk, crossing: border, capacity_factor: 1e-300}\n", "0.01"),
    ],
)
def test_scenarios_the_server_will_not_run(client: TestClient, yaml: str, fragment: str) -> None:
    response = client.post("/scenarios", json={"name": "big", "yaml": yaml}, headers=AUTH)
    assert response.status_code == 422 and fragment in response.json()["detail"]
    assert client.get("/scenarios/big").status_code == 404


def test_a_lever_the_network_refuses_is_a_422_not_a_500(client: TestClient) -> None:
    minus = BASE + "levers:\n  - {kind: ferries, from: Kuryk, to: Port of Baku, change: -10}\n"
    client.post("/scenarios", json={"name": "minus", "yaml": minus}, headers=AUTH)
    response = client.post("/scenarios/minus/simulate", json={"years": 0.1})
    assert response.status_code == 422 and "change -10" in response.json()["detail"]


def test_a_small_scenario_on_a_short_horizon_simulates(client: TestClient) -> None:
    small = "name: s\nyear: 2026\ndemand:\n  - {origin: Almaty, destination: Baku, teu_per_year: 1000}\n"
    client.post("/scenarios", json={"name": "small", "yaml": small}, headers=AUTH)
    result = client.post("/scenarios/small/simulate", json={"years": 0.01}).json()
    assert result["demand_teu"] == 10 and result["delivered_teu"] <= 10
    assert result["delivered_teu"] + result["in_transit_teu"] + result["waiting_teu"] == 10
    assert isinstance(result["lines"], list) and isinstance(result["bottlenecks"], list)
