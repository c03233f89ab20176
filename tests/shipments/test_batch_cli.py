"""``corridor batch`` end to end, and hub emissions in every route's JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import Runner

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "corridor" / "data" / "examples" / "shipments.csv"


def test_batch_writes_results_legs_and_report(cli: Runner, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    done = cli("batch", str(EXAMPLE), "--out", str(results), "--report", str(tmp_path / "report.html"))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(results.open(encoding="utf-8")))
    bad = [r for r in rows if r["status"] == "error"]
    assert len(rows) == sum(1 for _ in EXAMPLE.open(encoding="utf-8")) - 1
    assert bad and all(r["error_field"] and r["error"] for r in bad)
    assert "BAD-001" in done.stdout and "Did you mean" in done.stdout  # reported by line on the terminal
    legs = list(csv.DictReader((tmp_path / "results-legs.csv").open(encoding="utf-8")))
    assert {r["element"] for r in legs} == {"leg", "hub"}
    for name in ("report.html", "report.json", "report-totals.csv"):
        assert (tmp_path / name).stat().st_size > 0


def test_batch_misuse_exits_2(cli: Runner, tmp_path: Path) -> None:
    missing = cli("batch", str(tmp_path / "none.csv"), "--out", str(tmp_path / "r.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    bad_date = cli("batch", str(EXAMPLE), "--out", str(tmp_path / "r.csv"), "--date", "tomorrow")
    assert bad_date.returncode == 2 and "--date" in bad_date.stderr
    assert cli("batch", str(EXAMPLE)).returncode == 2  # --out is required


def test_batch_refuses_outputs_that_would_overwrite_each_other(cli: Runner, tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_bytes(EXAMPLE.read_bytes())
    clash = cli("batch", str(listed), "--out", str(tmp_path / "r.json"), "--report", str(tmp_path / "r.html"))
    assert clash.returncode == 2 and "would overwrite --out" in clash.stderr
    onto_input = cli("batch", str(listed), "--out", str(listed))
    assert onto_input.returncode == 2 and "shipment list" in onto_input.stderr
    assert listed.read_bytes() == EXAMPLE.read_bytes() and not (tmp_path / "r.json").exists()


def test_hub_emissions_are_their_own_entries_in_route_json(cli: Runner) -> None:
    done = cli("route", "Shanghai", "Belgrade", "--format", "json")
    assert done.returncode == 0, done.stderr
    for r in json.loads(done.stdout)["routes"]:
        legs = sum(leg["co2e_kg"] for leg in r["legs"])
        hubs = sum(c["co2e_kg"] for c in r["crossings"])
        assert abs(r["co2e_hub_kg"] - hubs) < 0.05
        assert abs(r["co2e_kg"] - legs - hubs) < 0.05 * (1 + len(r["legs"]))
        assert all(c["co2e_kg"] == 0 for c in r["crossings"] if c["kind"] == "border")
        if any(c["kind"] == "port" for c in r["crossings"]):
            assert hubs > 0
