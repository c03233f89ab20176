"""Tests of the ``corridor`` command line, in process (Typer's CliRunner) but for one run of the installed script."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from corridor import settings
from helpers import invoke, run_cli

ROUTE_KEYS = {
    "corridor",
    "total_time_h",
    "total_cost_usd",
    "co2e_kg",
    "distance_km",
    "transshipments",
    "legs",
    "crossings",
}
LEG_KEYS = {"from", "to", "mode", "distance_km", "time_h", "cost_usd", "co2e_kg"}
CROSSING_KEYS = {"place", "kind", "time_h", "cost_usd"}
CROSSING_KINDS = {"border", "gauge-change", "transshipment", "port"}
NO_ROUTE_WORDS = ("crosses", "uses", "passes")


run = invoke  # in process; the broken-data test runs the installed script


def flat(text: str) -> str:
    """Whitespace collapsed, so a message rich wrapped anyway still matches."""
    return " ".join(text.split())


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def json_of(*args: str) -> dict[str, Any]:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # one JSON document, nothing else on stdout


@pytest.fixture(scope="module")
def route_json() -> dict[str, Any]:
    return json_of("route", "Shanghai", "Belgrade", "--format", "json")


@pytest.fixture(scope="module")
def compare_json() -> dict[str, Any]:
    return json_of("compare", "Shanghai", "Belgrade", "--format", "json")


@pytest.fixture(scope="module")
def countries() -> dict[str, str]:
    """Place display name → ISO country, to check which countries a JSON route touches."""
    from corridor.routing.api import default_network

    return {p.name: p.country for p in default_network().places.values()}


# --- JSON shape and internal consistency -----------------------------------------------------


def test_route_json_shape(route_json: dict[str, Any]) -> None:
    assert set(route_json) >= {"origin", "destination", "routes"}
    assert "Shanghai" in route_json["origin"]
    assert route_json["destination"] == "Belgrade"
    assert route_json["routes"]
    for r in route_json["routes"]:
        assert set(r) >= ROUTE_KEYS
        assert r["legs"]
        for leg in r["legs"]:
            assert set(leg) >= LEG_KEYS
        for c in r["crossings"]:
            assert set(c) >= CROSSING_KEYS
            assert c["kind"] in CROSSING_KINDS


@pytest.mark.parametrize("which", ["route_json", "compare_json"])
def test_totals_are_sums_and_crossings_unique(which: str, request: pytest.FixtureRequest) -> None:
    result: dict[str, Any] = request.getfixturevalue(which)
    for r in result["routes"]:
        time = sum(leg["time_h"] for leg in r["legs"]) + sum(c["time_h"] for c in r["crossings"])
        cost = sum(leg["cost_usd"] for leg in r["legs"]) + sum(c["cost_usd"] for c in r["crossings"])
        assert r["total_time_h"] == pytest.approx(time, abs=0.1), r["corridor"]
        assert r["total_cost_usd"] == pytest.approx(cost, abs=0.1), r["corridor"]
        pairs = [(c["place"], c["kind"], c.get("from_country"), c.get("to_country")) for c in r["crossings"]]
        assert len(pairs) == len(set(pairs)), f"{r['corridor']}: repeated crossing in {pairs}"
        # the legs join up end to end
        assert all(a["to"] == b["from"] for a, b in zip(r["legs"], r["legs"][1:], strict=False))


def test_route_geojson() -> None:
    result = run("route", "Shanghai", "Belgrade", "--format", "geojson")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["type"] == "FeatureCollection"
    assert doc["features"]
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "LineString"
        assert len(feature["geometry"]["coordinates"]) >= 2


def test_compare_lists_every_corridor(compare_json: dict[str, Any]) -> None:
    corridors = {r["corridor"] for r in compare_json["routes"]}
    assert corridors >= {"Middle", "Northern", "Sea-Suez", "Sea-Cape"}
    assert "Air" not in corridors  # a 40ft box never flies
    for r in compare_json["routes"]:
        assert set(r) >= ROUTE_KEYS


def test_compare_writes_map(tmp_path: Path) -> None:
    target = tmp_path / "m.html"
    result = run("compare", "Shanghai", "Belgrade", "--map", str(target))
    assert result.returncode == 0, result.stderr
    assert target.is_file()
    assert "leaflet" in target.read_text(encoding="utf-8").lower()


def test_compare_unwritable_map_is_bad_input(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    result = run("compare", "Shanghai", "Belgrade", "--map", str(blocker / "m.html"))
    assert result.returncode == 2, result.stderr


# --- errors and exit codes -------------------------------------------------------------------


def test_unknown_place_suggests() -> None:
    result = run("route", "Shanghay", "Belgrade")
    assert result.returncode == 2
    message = flat(result.stderr)
    assert "Did you mean" in message
    assert "Shanghai" in message
    assert_no_traceback(result)


@pytest.mark.parametrize(
    "constraints",
    [
        ("--avoid", "RU,IR", "--avoid-mode", "sea,ferry,air"),
        ("--avoid-mode", "rail", "--avoid-mode", "air"),
    ],
    ids=["no-RU-IR-no-water-no-air", "no-rail-no-air"],
)
def test_no_route_names_the_constraint(constraints: tuple[str, ...]) -> None:
    result = run("route", "Shanghai", "Belgrade", *constraints)
    assert result.returncode == 1, result.stdout + result.stderr
    message = flat(result.stderr)
    assert "no route" in message
    assert any(word in message for word in NO_ROUTE_WORDS), message
    assert_no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        ("--bogus",),
        ("--cargo", "45ft"),
        ("--avoid", "XYZ"),
        ("--avoid-mode", "teleport"),
        ("--avoid-passage", "nowhere"),
        ("--max-transshipments", "-1"),
        ("--avoid", "RI"),
        ("--avoid", "XX"),
        ("--avoid-passage", "panama"),
        ("--via", "Atlantis"),
        ("--weights", "time=nan"),
        ("--weights", "time=1,cost=-2"),
        ("--weights", "time=inf"),
        ("--weights", "time=0"),
        ("--avoid", ""),
        ("--avoid", ",,"),
        ("--avoid", "RU,,BY"),
        ("--allow-passage", "suz"),
        ("--avoid-passage", "suez", "--allow-passage", "suez"),
    ],
    ids=[
        "flag",
        "cargo",
        "country",
        "mode",
        "passage",
        "transshipments",
        "swapped",
        "unassigned",
        "panama",
        "via",
        "nan-weight",
        "negative-weight",
        "infinite-weight",
        "zero-weights",
        "empty-avoid",
        "commas-avoid",
        "stray-comma",
        "allow-typo",
        "avoid-and-allow",
    ],
)
def test_bad_input_exits_2(args: tuple[str, ...]) -> None:
    result = run("route", "Shanghai", "Belgrade", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert_no_traceback(result)
    if args == ("--bogus",):
        assert "Usage" in result.stdout + result.stderr


def test_a_country_typo_names_the_code_meant() -> None:
    for command in (("route",), ("compare", "--samples", "10"), ("reliability", "--deadline", "30d")):
        result = run(command[0], "Tashkent", "Istanbul", *command[1:], "--avoid", "RI")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "did you mean IR" in flat(result.stderr)


def test_compare_and_reliability_take_every_route_constraint() -> None:
    args = ("Lianyungang", "Istanbul", "--via", "Altynkol", "--avoid-mode", "road", "--max-transshipments", "3")
    compared = json_of("compare", *args, "--avoid-passage", "suez", "--samples", "200", "--format", "json")
    assert compared["routes"]
    for r in compared["routes"]:
        assert "Altynkol" in {leg["to"] for leg in r["legs"]}
        assert r["transshipments"] <= 3 and all(leg["mode"] != "road" for leg in r["legs"])
    odds = json_of("reliability", *args, "--deadline", "30d", "--samples", "200", "--format", "json")
    assert [r["corridor"] for r in odds["routes"]] == [r["corridor"] for r in compared["routes"]]


def test_compare_quotes_the_p50_and_labels_the_nominal_figure() -> None:
    result = run("compare", "Almaty", "Baku", "--samples", "500")
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "nominal d" in line)
    assert header.index("P50 d") < header.index("nominal d")
    text = flat(result.stdout)
    assert "quote the P50" in text
    # The Northern way to Baku runs Astrakhan – Samur/Yalama, no loop via Brest and the Balkans;
    # sea routes sail to a Chinese port, far beyond Baku, and are listed as detours.
    assert "Yalama" in text and "Sea-Suez: any route would overshoot" in text


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [("белград", "Belgrade"), ("KZAAU", "Aktau"), ("aqtau", "Aktau")])
def test_places_finds(query: str, expected: str) -> None:
    result = run("places", query)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


# --- constraints change the answer -----------------------------------------------------------


def test_avoid_countries(countries: dict[str, str]) -> None:
    result = json_of("route", "Shanghai", "Belgrade", "--avoid", "RU,BY", "--format", "json")
    assert result["routes"]
    for r in result["routes"]:
        assert r["corridor"] != "Northern"
        touched = {countries[end] for leg in r["legs"] for end in (leg["from"], leg["to"])}
        assert not touched & {"RU", "BY"}, r["corridor"]


def test_reefer_has_no_air_route() -> None:
    result = json_of("route", "Shanghai", "Belgrade", "--cargo", "40ft-reefer", "--all", "--format", "json")
    assert result["routes"]
    assert all(r["corridor"] != "Air" for r in result["routes"])


def test_planned_links_only_on_request() -> None:
    without = run("route", "Kashgar", "Makmal")  # reached only by the planned CKU line
    assert without.returncode == 1
    assert "planned" in flat(without.stderr)
    planned = json_of("route", "Termez", "Peshawar", "--include-planned", "--format", "json")
    assert planned["routes"]
    assert any(r["corridor"] == "Trans-Afghan" for r in planned["routes"])


# --- data directories ------------------------------------------------------------------------


def _break_latitude(data: Path) -> int:
    """Set Lianyungang's latitude to 95; return the line it is on (header = line 1)."""
    path = data / "places.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("lianyungang,"))
    lines[number] = lines[number].replace(",34.7400,", ",95,", 1)
    assert ",95," in lines[number]
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


def test_check_data_accepts_a_copy(data_copy: Path) -> None:
    result = run("check-data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_broken_data_is_reported_by_file_and_line(data_copy: Path) -> None:
    line = _break_latitude(data_copy)
    for args, env in [
        (("route", "Shanghai", "Belgrade", "--data", str(data_copy)), None),
        (("check-data", str(data_copy)), None),
        (("route", "Shanghai", "Belgrade"), {settings.DATA_ENV: str(data_copy)}),
    ]:
        result = run_cli(*args, env=env)  # the installed script, with the environment a user sets
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        message = flat(result.stderr)
        assert f"places.csv:{line}" in message
        assert "lat" in message
        assert_no_traceback(result)


def test_route_tolerance_gives_an_epsilon_pareto_set() -> None:
    cli = run_cli
    exact = json.loads(cli("route", "Shanghai", "Belgrade", "--all", "--format", "json").stdout)["routes"]
    near = json.loads(cli("route", "Shanghai", "Belgrade", "--all", "--tolerance", "0.01", "--format", "json").stdout)
    assert 1 <= len(near["routes"]) <= len(exact)
    for r in exact:  # every exact Pareto route has one within 1 % on time, cost and CO2e
        assert any(
            all(n[k] <= 1.01 * r[k] + 0.01 for k in ("total_time_h", "total_cost_usd", "co2e_kg"))
            for n in near["routes"]
        )
    bad = cli("route", "Shanghai", "Belgrade", "--tolerance", "-0.5")
    assert bad.returncode == 2 and "tolerance" in bad.stderr


def test_places_that_share_a_name_keep_their_country_tag_in_summaries() -> None:
    # A fresh user's test: "via Dimitrovgrad – Dimitrovgrad – Belgrade" for the BG and RS towns.
    result = run("route", "Dimitrovgrad, BG", "Belgrade")
    assert result.returncode == 0, result.stderr
    assert "Dimitrovgrad (BG) – Dimitrovgrad (RS) – Belgrade" in result.stdout
    assert "Shanghai – " in run("route", "Shanghai", "Piraeus").stdout  # a terminal's name stays short
