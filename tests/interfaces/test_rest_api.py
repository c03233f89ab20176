"""REST API: the CLI's answers over HTTP, and 4xx (never 500) for bad requests."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from corridor.interfaces.api import app
from corridor.settings import MAX_REQUEST_SAMPLES as MAX_SAMPLES
from helpers import Runner


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


def test_places_in_russian(client: TestClient) -> None:
    found = client.get("/places", params={"q": "белград"}).json()
    assert found[0]["id"] == "belgrade"


def test_route_has_the_cli_json_shape(client: TestClient) -> None:
    body = client.get("/route", params={"origin": "Shanghai", "destination": "Belgrade"}).json()
    assert {"origin", "destination", "routes"} <= set(body)
    route = body["routes"][0]
    assert {"corridor", "total_time_h", "total_cost_usd", "co2e_kg", "distance_km", "legs", "crossings"} <= set(route)


def test_route_with_samples_and_deadline(client: TestClient) -> None:
    params = {"origin": "Xian", "destination": "Baku", "samples": 2000, "deadline_h": 400}
    routes = client.get("/route", params=params).json()["routes"]
    assert all("time_p90_h" in r and "on_time_probability" in r for r in routes)


def test_compare_and_geojson(client: TestClient) -> None:
    body = client.get("/compare", params={"origin": "Shanghai", "destination": "Belgrade", "samples": 1000}).json()
    assert {"Middle", "Northern", "Sea-Suez", "Sea-Cape"} <= {r["corridor"] for r in body["routes"]}
    geo = client.get("/route.geojson", params={"origin": "Shanghai", "destination": "Belgrade"}).json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    network = client.get("/network.geojson").json()
    assert len(network["features"]) > 150


def test_via_and_typos_over_http(client: TestClient) -> None:
    pinned = {"origin": "Lianyungang", "destination": "Istanbul", "via": "Altynkol"}
    for path in ("/route", "/compare"):
        routes = client.get(path, params={**pinned, "samples": 100}).json()["routes"]
        assert routes and all("Altynkol" in {leg["to"] for leg in r["legs"]} for r in routes)
    odds = client.get("/reliability", params={**pinned, "deadline": "30d", "samples": 100, "avoid_mode": "road"})
    assert odds.status_code == 200 and odds.json()["routes"]
    for params, fragment in (({"avoid": "RI"}, "did you mean IR"), ({"avoid_passage": "panama"}, "panama")):
        response = client.get("/route", params={"origin": "Tashkent", "destination": "Istanbul", **params})
        assert response.status_code == 422 and fragment in response.json()["detail"]
    compared = client.get("/compare", params={"origin": "Almaty", "destination": "Baku", "samples": 100}).json()
    assert "Sea-Suez" in {d["corridor"] for d in compared["detours"]}
    assert "Northern" in {r["corridor"] for r in compared["routes"]}  # by Astrakhan and Samur/Yalama


def test_forecast_and_simulate(client: TestClient) -> None:
    body = client.get("/forecast", params={"a": "KZ", "b": "UZ", "to": 2030}).json()
    assert body["target_usd_m"] == 10_000 and body["rows"][-1]["year"] == 2030
    assert body["conversion"].startswith("by commodity group") and body["rows"][-1]["conversion"] == "grouped"
    assert sum(g["teu"] for g in body["groups"]) == pytest.approx(body["rows"][-1]["teu"])
    sim = client.post("/simulate", json={"scenario": "titr-2024-base", "years": 0.1}).json()
    assert sim["demand_teu"] > 0 and "bottlenecks" in sim


def test_shipped_scenarios_are_listed_read_only_and_simulate_by_name(client: TestClient) -> None:
    shipped = client.get("/shipped-scenarios").json()
    names = [s["name"] for s in shipped]
    assert "titr-2024-base" in names and names == sorted(names)
    base = next(s for s in shipped if s["name"] == "titr-2024-base")
    assert base["title"] == "TITR 2024 base" and base["year"] == 2024 and base["yaml"].startswith("#")
    assert client.post("/shipped-scenarios", json={}).status_code == 405
    sim = client.post("/simulate", json={"scenario": names[0], "years": 0.05})
    assert sim.status_code == 200, sim.text


def test_forecast_by_gravity(client: TestClient) -> None:
    body = client.get("/forecast", params={"a": "UZ", "b": "KZ", "to": 2030, "method": "gravity"}).json()
    assert body["method"] == "gravity" and body["pair"] == "KZ-UZ" and "PPML" in body["note"]
    last = body["rows"][-1]
    assert last["kind"] == "gravity" and last["value_usd_m_low"] < last["value_usd_m"] < last["value_usd_m_high"]


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("get", "/route", {"params": {"origin": "Atlantis", "destination": "Belgrade"}}, 422),
        ("get", "/route", {"params": {"origin": "Kashgar", "destination": "Makmal"}}, 404),
        ("get", "/route", {"params": {"origin": "Shanghai", "destination": "Belgrade", "samples": 10**9}}, 422),
        ("get", "/route", {"params": {"origin": "Shanghai", "destination": "Belgrade", "avoid_mode": "teleport"}}, 422),
        ("get", "/route", {"params": {"origin": "Shanghai", "destination": "Belgrade", "cargo": "45ft"}}, 422),
        ("get", "/route", {"params": {"origin": "Shanghai"}}, 422),
        ("get", "/route", {"params": {"origin": "Lianyungang", "destination": "Istanbul", "weights": "time=nan"}}, 422),
        ("get", "/compare", {"params": {"origin": "Almaty", "destination": "Baku", "avoid_pasage": "suez"}}, 422),
        ("get", "/route", {"params": {"origin": "Shanghai", "destination": "Belgrade", "avoid": ""}}, 422),
        ("get", "/route", {"params": {"origin": "Shanghai", "destination": "Piraeus", "allow_passage": "suz"}}, 422),
        ("get", "/forecast", {"params": {"a": "KZ", "b": "XX"}}, 422),
        ("get", "/forecast", {"params": {"a": "KZ", "b": "UZ", "to": 2099}}, 422),
        ("get", "/forecast", {"params": {"a": "KZ", "b": "UZ", "to": 2099, "method": "gravity"}}, 422),
        ("post", "/simulate", {"json": {"scenario": "../../etc/passwd"}}, 404),
        ("post", "/simulate", {"json": {"scenario": "titr-2024-base", "years": 50}}, 422),
    ],
)
def test_bad_requests_are_4xx_with_a_message(
    client: TestClient, method: str, url: str, kwargs: dict[str, object], status: int
) -> None:
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert "Traceback" not in response.text


def test_simulated_years_nan_says_finite_and_the_limit_is_stated(client: TestClient) -> None:
    body = '{"scenario": "titr-2024-base", "years": NaN}'
    nan = client.post("/simulate", content=body, headers={"content-type": "application/json"})
    assert nan.status_code == 422 and "finite number" in nan.json()["detail"], nan.text
    schema = client.get("/openapi.json").json()["components"]["schemas"]["SimulateIn"]["properties"]["years"]
    assert schema["maximum"] == 2 and "command line allows 5" in schema["description"]


def test_reliability_matches_the_cli_json(client: TestClient, cli: Runner) -> None:
    args = {"deadline": "20d", "samples": "3000", "seed": "3", "month": "feb"}
    flags = [part for key, value in args.items() for part in (f"--{key}", value)]
    shell = json.loads(cli("reliability", "Xian", "Baku", *flags, "--format", "json").stdout)
    body = client.get("/reliability", params={"origin": "Xian", "destination": "Baku", **args}).json()
    assert (body["origin"], body["destination"], body["deadline_h"]) == (shell["origin"], shell["destination"], 480)
    assert len(body["routes"]) == len(shell["routes"])
    for ours, theirs in zip(body["routes"], shell["routes"], strict=True):
        assert {k: ours[k] for k in theirs} == theirs
        shares = [d["share"] for d in ours["late_drivers"]]
        assert shares == sorted(shares, reverse=True) and 0 < sum(shares) <= 1


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"deadline": "soon"}, "deadline"),
        ({"deadline": "20d", "month": "feb", "depart": "2026-02-01"}, "not both"),
        ({"deadline": "20d", "month": "brumaire"}, "month"),
        ({"deadline": "20d", "samples": MAX_SAMPLES + 1}, "samples"),
        ({"deadline": "20d", "depart": "yesterday"}, "depart"),
        ({}, "deadline"),
    ],
)
def test_bad_reliability_queries_say_why(client: TestClient, params: dict[str, object], fragment: str) -> None:
    response = client.get("/reliability", params={"origin": "Xian", "destination": "Baku", **params})
    assert response.status_code == 422 and fragment in response.json()["detail"]


def test_a_bug_is_a_500_without_internals(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import corridor.routing.api

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(corridor.routing.api, "route", broken)
    response = client.get("/route", params={"origin": "Shanghai", "destination": "Belgrade"})
    assert response.status_code == 500 and "internal error" in response.json()["detail"]
    assert "secret" not in response.text and "Traceback" not in response.text


def test_openapi_documents_every_operation_and_the_bearer_scheme(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    new = {"/reliability", "/jobs/simulate", "/jobs/forecast", "/jobs/reliability", "/jobs/{job_id}"}
    assert new <= set(spec["paths"])
    assert spec["paths"]["/scenarios"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in spec["paths"]["/scenarios"]["get"]
    assert client.get("/docs").status_code == 200


def test_route_at_a_date_of_the_red_sea_crisis_says_it_avoids_bab_el_mandeb(client: TestClient) -> None:
    params = {"origin": "Shanghai", "destination": "Piraeus", "date": "2024-06"}
    found = client.get("/route", params=params).json()
    assert any("bab-el-mandeb" in note for note in found["notes"])
    assert any("allow_passage=bab-el-mandeb" in n for n in found["notes"])  # this API's parameter name
    assert not any("allow_passages" in n for n in found["notes"])
    allowed = client.get("/route", params={**params, "allow_passage": "bab-el-mandeb"}).json()
    assert "allowed by request" in allowed["notes"][0]
    assert "Sea-Suez" in {r["corridor"] for r in allowed["routes"]} - {r["corridor"] for r in found["routes"]}


def _ferry_wait_h(routes: list[dict[str, object]]) -> float:
    """The wait for the sail-when-full Kuryk–Alat ferry on the first route that takes it."""
    legs = [leg for r in routes for leg in r["legs"]]  # type: ignore[attr-defined]
    return next(leg["wait_h"] for leg in legs if leg["wait_model"] == "when_full")


def test_demand_teu_week_sets_the_ferry_wait_as_the_cli_option(client: TestClient) -> None:
    ferry = {"origin": "Beyneu", "destination": "Baku", "avoid_mode": "sea", "avoid": ["RU", "IR"]}
    waits = {}
    for demand in (50, 2000):
        body = client.get("/route", params={**ferry, "demand_teu_week": demand}).json()
        waits[demand] = _ferry_wait_h(body["routes"])
    assert waits[2000] < waits[50]  # more cargo offered, the ship fills sooner
    compared = client.get("/compare", params={**ferry, "demand_teu_week": 2000, "samples": 100}).json()
    assert _ferry_wait_h(compared["routes"]) == pytest.approx(waits[2000])
    odds = client.get("/reliability", params={**ferry, "deadline": "5d", "samples": 100, "demand_teu_week": 2000})
    assert odds.status_code == 200 and _ferry_wait_h(odds.json()["routes"]) == pytest.approx(waits[2000])


@pytest.mark.parametrize("path", ["/route", "/compare", "/reliability"])
@pytest.mark.parametrize("bad", ["0", "-5", "nan", "inf", "lots", "1e-300", "0.5"])  # 1e-300 once gave a 500
def test_demand_teu_week_must_be_a_positive_finite_number(client: TestClient, path: str, bad: str) -> None:
    params = {"origin": "Beyneu", "destination": "Baku", "deadline": "5d", "demand_teu_week": bad}
    if path != "/reliability":
        del params["deadline"]
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert "demand_teu_week" in response.json()["detail"]


def test_route_json_says_which_terminal_a_city_joins_and_why(client: TestClient) -> None:
    body = client.get("/route", params={"origin": "Kokshetau", "destination": "Baku", "avoid_mode": "air"}).json()
    for r in body["routes"]:
        (first,) = r["first_last_mile"]  # Baku is a network place: only the origin is a city
        assert first["from"].startswith("Kokshetau") and first["to"] == r["legs"][0]["to"]
        assert "nearest container" in first["note"] and first["to"] in first["note"]
    plain = client.get("/route", params={"origin": "Shanghai", "destination": "Belgrade"}).json()
    assert all(r["first_last_mile"] == [] for r in plain["routes"])
