"""A broken data directory is rejected whole, each problem located by file, physical line and field."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from corridor import settings
from corridor.errors import DataFileError, Problem
from corridor.network.io import load_network
from corridor.network.model import Network
from corridor.routing.api import route


def edit_row(path: Path, match: Callable[[dict[str, str]], bool], **changes: str) -> int:
    """Change cells of the first row ``match`` accepts; return its line number (header = line 1).

    The shipped files have no multi-line cells, so one physical line is one row.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    for i, line in enumerate(lines[1:], start=1):
        row = dict(zip(header, next(csv.reader([line])), strict=True))
        if match(row):
            assert set(changes) <= set(header), changes
            row.update(changes)
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerow([row[h] for h in header])
            lines[i] = buffer.getvalue()
            path.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"no row of {path.name} matches")


def problems_of(data: Path) -> list[Problem]:
    with pytest.raises(DataFileError) as caught:
        load_network(data)
    assert caught.value.problems
    assert str(caught.value)  # the message renders
    return caught.value.problems


def assert_reported(problems: list[Problem], file: str, line: int, field: str) -> None:
    located = [(p.file, p.line, p.field) for p in problems]
    assert (file, line, field) in located, problems


def is_link(start: str, end: str) -> Callable[[dict[str, str]], bool]:
    return lambda row: row["from"] == start and row["to"] == end


def counts(network: Network) -> tuple[int, ...]:
    return (
        len(network.places),
        len(network.links),
        len(network.node_times),
        len(network.rates),
        len(network.emission_factors),
        len(network.cargo_types),
        len(network.sources),
        len(network.sea_lanes),
    )


# --- one defect per test ---------------------------------------------------------------------


def test_latitude_out_of_range(data_copy: Path) -> None:
    line = edit_row(data_copy / "places.csv", lambda r: r["id"] == "lianyungang", lat="95")
    assert_reported(problems_of(data_copy), "places.csv", line, "lat")


def test_link_to_unknown_place(data_copy: Path) -> None:
    line = edit_row(data_copy / "links.csv", is_link("chongqing", "lanzhou"), to="atlantis")
    problems = problems_of(data_copy)
    assert_reported(problems, "links.csv", line, "to")
    assert any("atlantis" in p.message for p in problems)


def test_link_cites_unknown_source(data_copy: Path) -> None:
    line = edit_row(data_copy / "links.csv", lambda r: r["distance_source"] == "G01", distance_source="G999")
    problems = problems_of(data_copy)
    assert_reported(problems, "links.csv", line, "distance_source")
    assert any("G999" in p.message for p in problems)


def test_estimate_without_reasoning(data_copy: Path) -> None:
    line = edit_row(data_copy / "links.csv", is_link("shanghai", "xian"), distance_source="estimate: x")
    problems = problems_of(data_copy)
    assert_reported(problems, "links.csv", line, "distance_source")
    assert any("reasoning" in p.message for p in problems if p.line == line)


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "rates.csv").unlink()
    problems = problems_of(data_copy)
    assert_reported(problems, "rates.csv", 0, "")
    assert any("not found" in p.message for p in problems if p.file == "rates.csv")


def test_row_with_too_many_cells(data_copy: Path) -> None:
    path = data_copy / "links.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].rstrip("\r\n") + ",one cell too many\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert_reported(problems_of(data_copy), "links.csv", 6, "")


def test_rail_link_without_gauge(data_copy: Path) -> None:
    line = edit_row(data_copy / "links.csv", is_link("xian", "lanzhou"), gauge="")
    assert_reported(problems_of(data_copy), "links.csv", line, "gauge")


def test_non_numeric_distance(data_copy: Path) -> None:
    line = edit_row(data_copy / "links.csv", is_link("lianyungang", "xian"), distance_km="far")
    assert_reported(problems_of(data_copy), "links.csv", line, "distance_km")


def test_problems_from_several_files_come_together(data_copy: Path) -> None:
    place_line = edit_row(data_copy / "places.csv", lambda r: r["id"] == "lianyungang", lat="95")
    link_line = edit_row(data_copy / "links.csv", is_link("lianyungang", "xian"), distance_km="far")
    problems = problems_of(data_copy)
    assert_reported(problems, "places.csv", place_line, "lat")
    assert_reported(problems, "links.csv", link_line, "distance_km")


# --- line numbers are physical lines, also after a blank line ---------------------------------

_SOURCE_CELLS = [
    ("places.csv", lambda r: r["id"] == "lianyungang", "coord_source"),
    ("links.csv", lambda r: r["distance_source"] == "G01", "distance_source"),
    ("node_times.csv", lambda r: r["place"] == "kuryk" and r["kind"] == "port", "time_source"),
    ("rates.csv", lambda r: r["mode"] == "rail" and r["country"] == "KZ", "speed_source"),
    ("emission_factors.csv", lambda r: r["vehicle"] == "rail_electric", "source"),
    ("cargo.csv", lambda r: r["id"] == "20ft", "tonnes_source"),
]


_FILES = ["places.csv", "links.csv", "node_times.csv", "rates.csv", "emission_factors.csv", "cargo.csv"]


@pytest.mark.parametrize(("file", "match", "field"), _SOURCE_CELLS, ids=[f.split(".")[0] for f in _FILES])
def test_line_numbers_count_blank_lines(
    data_copy: Path, file: str, match: Callable[[dict[str, str]], bool], field: str
) -> None:
    path = data_copy / file
    line = edit_row(path, match, **{field: "G999"})
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[0], "\n", *lines[1:]]), encoding="utf-8")  # a blank line 2
    assert_reported(problems_of(data_copy), file, line + 1, field)


# --- valid edits, the environment variable, and no half-loaded state --------------------------


def test_valid_edit_changes_the_result(data_copy: Path) -> None:
    baseline = route("Shanghai", "Belgrade", corridor="northern", network=load_network(data_copy)).best("time")
    edit_row(
        data_copy / "tariffs.csv",
        lambda r: r["id"] == "KR-RAIL-CN",
        amount_20ft="2.0748",
        amount_40ft="3.2748",  # doubled from 1.0374/1.6374 CNY per box-km
    )
    edited = route("Shanghai", "Belgrade", corridor="northern", network=load_network(data_copy)).best("time")
    assert edited.total_cost_usd > baseline.total_cost_usd
    first, doubled = baseline.to_dict()["legs"][0], edited.to_dict()["legs"][0]
    assert (first["from"], first["to"]) == (doubled["from"], doubled["to"])
    assert doubled["cost_usd"] == pytest.approx(2 * first["cost_usd"], rel=1e-4)  # legs round to cents


def test_data_env_var_is_honoured(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.DATA_ENV, str(data_copy))
    assert settings.data_dir() == data_copy
    assert load_network().data_dir == str(data_copy)
    edit_row(data_copy / "places.csv", lambda r: r["id"] == "lianyungang", lat="95")
    with pytest.raises(DataFileError):
        load_network()
    monkeypatch.delenv(settings.DATA_ENV)
    assert settings.data_dir() != data_copy


def test_failed_load_leaves_nothing_half_loaded(data_copy: Path) -> None:
    before = load_network()
    edit_row(data_copy / "links.csv", is_link("lianyungang", "xian"), distance_km="far")
    problems_of(data_copy)
    after = load_network()
    assert counts(after) == counts(before)
    assert after.data_dir == before.data_dir
    assert "lianyungang-xian-rail" in {link.key for link in after.links}


def test_duplicate_rows_are_rejected(data_copy: Path) -> None:
    path = data_copy / "emission_factors.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, lines[2].replace("30.7", "99.9", 1))
    path.write_text("".join(lines), encoding="utf-8")
    assert_reported(problems_of(data_copy), "emission_factors.csv", 4, "vehicle")


def test_duplicate_place_is_named_and_later_lines_stay_right(data_copy: Path) -> None:
    path = data_copy / "places.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, lines[2])
    path.write_text("".join(lines), encoding="utf-8")
    assert_reported(problems_of(data_copy), "places.csv", 4, "id")
