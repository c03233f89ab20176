"""The uncertainty side of the CLI: --samples, --deadline, reliability, and their bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import invoke as run


def test_route_with_samples_adds_percentiles_and_odds() -> None:
    result = run("route", "Xian", "Belgrade", "--samples", "5000", "--deadline", "25d", "--format", "json")
    assert result.returncode == 0, result.stderr
    for r in json.loads(result.stdout)["routes"]:
        assert r["time_p10_h"] <= r["time_p50_h"] <= r["time_p90_h"] <= r["time_p95_h"]
        assert 0.0 <= r["on_time_probability"] <= 1.0


def test_robust_objective_picks_the_best_p90() -> None:
    result = run("route", "Xian", "Belgrade", "--objective", "p90", "--samples", "5000", "--format", "json")
    assert result.returncode == 0, result.stderr
    routes = json.loads(result.stdout)["routes"]
    assert routes[0]["time_p90_h"] == min(r["time_p90_h"] for r in routes)


def test_reliability_prints_odds_and_drivers_and_plots(tmp_path: Path) -> None:
    plot = tmp_path / "ecdf.html"
    result = run("reliability", "Xian", "Belgrade", "--deadline", "25d", "--samples", "5000", "--plot", str(plot))
    assert result.returncode == 0, result.stderr
    for corridor in ("Middle", "Northern", "Sea-Suez"):
        assert corridor in result.stdout
    assert "Air" not in result.stdout  # a 40ft box never flies
    assert "what makes it late" in result.stdout
    assert "plotly" in plot.read_text(encoding="utf-8").lower()


def test_compare_shows_p50_and_p90() -> None:
    result = run("compare", "Shanghai", "Belgrade", "--samples", "2000")
    assert result.returncode == 0, result.stderr
    assert "P50 d" in result.stdout and "P90 d" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("route", "Xian", "Belgrade", "--samples", "0"),
        ("route", "Xian", "Belgrade", "--samples", "-3"),
        ("route", "Xian", "Belgrade", "--samples", "5000000000"),
        ("route", "Xian", "Belgrade", "--samples", "100", "--deadline", "2020-01-01"),
        ("route", "Xian", "Belgrade", "--deadline", "25d"),
        ("reliability", "Xian", "Belgrade", "--deadline", "25d", "--month", "smarch"),
        ("reliability", "Xian", "Belgrade", "--deadline", "soon"),
        ("reliability", "Xian", "Belgrade", "--deadline", "25d", "--depart", "2026-13-40"),
        ("reliability", "Xian", "Belgrade", "--deadline", "25d", "--plot", "ecdf.pdf", "--samples", "100"),
    ],
)
def test_bad_uncertainty_input_is_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
