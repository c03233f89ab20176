"""check-data reads every file the model reads and names file, line and field for what would break it later."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from test_io_errors import edit_row

from corridor.datacheck import check_data_dir
from corridor.errors import Problem
from helpers import Runner


def _first_row(_: dict[str, str]) -> bool:
    return True


def _found(data: Path) -> list[Problem]:
    _, problems = check_data_dir(data)
    assert problems, "the broken directory passed"
    return problems


def test_the_shipped_data_passes() -> None:
    from corridor import settings

    summary, problems = check_data_dir(settings.data_dir())
    assert problems == [] and summary is not None and summary.places > 50


@pytest.mark.parametrize(
    ("name", "column", "value"),
    [
        ("links.csv", "distance_km", "inf"),
        ("links.csv", "distance_km", "1e999"),
        ("node_times.csv", "time_h", "nan"),
        ("tariffs.csv", "amount_40ft", "Infinity"),
        ("fleets.csv", "round_trip_h", "inf"),
        ("crossing_capacity.csv", "trains_per_day", "nan"),
        ("yards.csv", "teu", "inf"),
        ("trade.csv", "value_usd_m", "nan"),
        ("gdp.csv", "gdp_usd_bn", "inf"),
    ],
)
def test_non_finite_numbers_are_refused_in_every_file(data_copy: Path, name: str, column: str, value: str) -> None:
    line = edit_row(data_copy / name, _first_row, **{column: value})
    assert any((p.file, p.line, p.field) == (name, line, column) for p in _found(data_copy)), _found(data_copy)


def test_a_tiny_frequency_and_projected_coordinates_are_refused(data_copy: Path) -> None:
    freq = edit_row(data_copy / "links.csv", lambda r: bool(r["frequency_per_week"]), frequency_per_week="1e-300")
    place = edit_row(data_copy / "places.csv", _first_row, lat="4512345.6")
    found = {(p.file, p.line, p.field) for p in _found(data_copy)}
    assert {("links.csv", freq, "frequency_per_week"), ("places.csv", place, "lat")} <= found


@pytest.mark.parametrize(
    ("name", "column", "value"),
    [
        ("crossing_capacity.csv", "trains_per_day", "0"),
        ("crossing_capacity.csv", "trains_per_day", "1e-300"),
        ("crossing_capacity.csv", "trains_per_day", "-3"),
        ("fleets.csv", "round_trip_h", "0"),
        ("fleets.csv", "round_trip_h", "0.001"),
    ],
)
def test_a_near_zero_capacity_or_round_trip_is_refused(data_copy: Path, name: str, column: str, value: str) -> None:
    line = edit_row(data_copy / name, _first_row, **{column: value})
    problems = [p for p in _found(data_copy) if (p.file, p.line, p.field) == (name, line, column)]
    assert problems and "greater than or equal to" in problems[0].message, problems


def test_unknown_places_in_the_simulator_files(data_copy: Path) -> None:
    line = edit_row(data_copy / "fleets.csv", _first_row, to="atlantis")
    assert any((p.file, p.line, p.field) == ("fleets.csv", line, "to") for p in _found(data_copy))


def _latin1(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace("Шанхай".encode(), "Sch\xe4ng".encode("latin-1"), 1))


def _utf16(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def _huge_cell(path: Path) -> None:
    edit_row(path, _first_row, notes="x" * 140_000)


def _nul(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"operating", b"oper\x00ting", 1))


@pytest.mark.parametrize(
    ("name", "spoil", "words"),
    [
        ("places.csv", _latin1, "not UTF-8"),
        ("yards.csv", _utf16, "not UTF-8"),
        ("links.csv", _huge_cell, "cannot be read as CSV"),
        ("links.csv", _nul, "links.csv:2: field 'status'"),
    ],
)
def test_unreadable_files_are_named_not_a_crash(
    data_copy: Path, cli: Runner, name: str, spoil: Callable[[Path], None], words: str
) -> None:
    spoil(data_copy / name)
    result = cli("check-data", str(data_copy))
    assert result.returncode == 2, result.stderr
    assert name in result.stderr and words in result.stderr and "internal error" not in result.stderr


def _lanes(data: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((data / "sea_lanes.geojson").read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"type": "FeatureCollection"}', "no 'features' list"),
        ("{not json", "is not JSON"),
        ('{"features": [{"properties": {"distance_km": NaN}}]}', "is not JSON"),
    ],
)
def test_broken_geojson_is_named(data_copy: Path, text: str, words: str) -> None:
    (data_copy / "sea_lanes.geojson").write_text(text, encoding="utf-8")
    assert any(p.file == "sea_lanes.geojson" and words in p.message for p in _found(data_copy))


def test_projected_and_non_finite_sea_lanes_are_named(data_copy: Path) -> None:
    lanes = _lanes(data_copy)
    features = lanes["features"]
    assert isinstance(features, list)
    features[0]["geometry"]["coordinates"][0] = [4_500_000.0, 5_200_000.0]
    features[1]["properties"]["distance_km"] = 1e400  # written as Infinity
    features[2]["geometry"] = None
    (data_copy / "sea_lanes.geojson").write_text(json.dumps(lanes), encoding="utf-8")
    problems = {p.field: p.message for p in _found(data_copy) if p.file == "sea_lanes.geojson"}
    assert "is not JSON" in " ".join(problems.values())  # Infinity is refused while parsing
    lanes["features"][1]["properties"]["distance_km"] = -5  # type: ignore[index]
    (data_copy / "sea_lanes.geojson").write_text(json.dumps(lanes), encoding="utf-8")
    problems = {p.field: p.message for p in _found(data_copy) if p.file == "sea_lanes.geojson"}
    assert "projected" in problems["features[0]"]
    assert "distance_km" in problems["features[1]"] and "features[2]" in problems


def test_a_missing_directory_is_exit_2(cli: Runner, tmp_path: Path) -> None:
    result = cli("check-data", str(tmp_path / "nope"))
    assert result.returncode == 2 and "nope" in result.stderr
