"""Capacity simulation: scenario files, base-year throughput, bottlenecks and levers."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor import settings
from corridor.errors import CorridorError, DataFileError
from corridor.simulation.scenario import load_scenario
from corridor.simulation.scenarios import ScenarioResult, run_scenario
from helpers import invoke as run

SHIPPED = settings.data_dir() / "scenarios"


@pytest.fixture(scope="module")
def base() -> ScenarioResult:
    return run_scenario(load_scenario(SHIPPED / "titr-2024-base.yaml"), seed=3)


@pytest.fixture(scope="module")
def triple() -> ScenarioResult:
    return run_scenario(load_scenario(SHIPPED / "titr-2030-triple.yaml"), seed=3)


def test_base_year_carries_the_published_2024_volume(base: ScenarioResult) -> None:
    # validation case 17: 56,500 TEU on TITR in 2024; band 45,000–65,000 TEU
    delivered = sum(base.sim.delivered_teu.values())
    assert 45_000 <= delivered <= 65_000
    caspian = base.resources()[base.resources()["resource"].str.contains("alat")]
    assert not caspian.empty and caspian["mean_wait_h"].max() < 24 * 7  # the Caspian copes with 2024 volumes


def test_tripled_volume_jams_at_the_caspian(triple: ScenarioResult, base: ScenarioResult) -> None:
    # With the Turkmen main line, Uzbek flows also cross at Turkmenbashi, and faster European rail
    # draws boxes onto the one-ship Poti–Constanța feeder: the jam shows in waits of over a week at
    # the corridor's sea crossings and in lead times, more than in boxes left undelivered.
    worst = triple.bottlenecks().iloc[0]
    sea_crossings = ("aktau", "kuryk", "alat", "poti", "constanta")
    assert any(port in worst["resource"] for port in sea_crossings)
    assert worst["mean_wait_h"] > 24 * 7
    assert triple.lead_times()["p50_days"].mean() > 1.5 * base.lead_times()["p50_days"].mean()


def test_more_ferries_relieve_the_jam(triple: ScenarioResult) -> None:
    lever = run_scenario(load_scenario(SHIPPED / "titr-2030-two-more-ferries.yaml"), seed=3)
    if sum(triple.sim.delivered_teu.values()) < sum(triple.sim.demand_teu.values()):
        assert sum(lever.sim.delivered_teu.values()) > sum(triple.sim.delivered_teu.values())
    assert lever.lead_times()["p50_days"].mean() < triple.lead_times()["p50_days"].mean()

    def worst_caspian_wait(result: ScenarioResult) -> float:
        frame = result.resources()
        caspian = frame[frame["resource"].str.contains("aktau|kuryk|alat")]
        return float(caspian["mean_wait_h"].max())

    # route choice may move traffic onto the new ferries' line, but the worst Caspian queue shrinks
    assert worst_caspian_wait(lever) < worst_caspian_wait(triple)


def test_a_full_yard_holds_trains_back(triple: ScenarioResult) -> None:
    yards = triple.resources().set_index("resource")
    assert "aktau yard" in yards.index
    assert yards.loc["aktau yard", "utilisation"] > 0.5 and yards.loc["aktau yard", "mean_wait_h"] > 24


def test_same_seed_same_result(base: ScenarioResult) -> None:
    again = run_scenario(load_scenario(SHIPPED / "titr-2024-base.yaml"), seed=3)
    assert again.sim.delivered_teu == base.sim.delivered_teu


def test_scenario_errors_name_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: broken\nyear: 2030\ndemand:\n  - {origin: Xian, destination: Baku, teu_per_year: -5}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_scenario(bad)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("bad.yaml", 4)
    assert "teu_per_year" in problem.field


def test_unknown_lever_target_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "lever.yaml"
    path.write_text(
        "name: l\nyear: 2030\ndemand:\n  - {origin: Xian, destination: Baku, teu_per_year: 1000}\n"
        "levers:\n  - {kind: ferries, from: poti, to: baku, change: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(CorridorError, match="no fleet"):
        run_scenario(load_scenario(path))


def test_a_tariff_cut_moves_traffic_to_the_cheaper_corridor(tmp_path: Path) -> None:
    def northern_share(lever: str) -> float:
        path = tmp_path / "choice.yaml"
        path.write_text(
            "name: choice\nyear: 2026\ndemand:\n  - {origin: Xian, destination: Duisburg, teu_per_year: 20000}\n"
            "route_choice: {corridors: [middle, northern]}\n" + lever,
            encoding="utf-8",
        )
        result = run_scenario(load_scenario(path), years=0.2, seed=1)
        northern = sum(a.teu_per_year for a in result.assignments if a.route.corridor == "Northern")
        return northern / sum(a.teu_per_year for a in result.assignments)

    base = northern_share("")
    cheaper_russian_rail = northern_share("levers:\n  - {kind: tariff, mode: rail, country: RU, factor: 0.5}\n")
    assert 0 < base < 1
    assert cheaper_russian_rail > base


def test_simulate_command(tmp_path: Path) -> None:
    chart, tables = tmp_path / "sim.png", tmp_path / "tables"
    result = run("simulate", "titr-2024-base", "--years", "0.25", "--plot", str(chart), "--csv", str(tables))
    assert result.returncode == 0, result.stderr
    assert "TEU demanded" in result.stdout and "Lead times" in result.stdout
    assert chart.stat().st_size > 10_000 and len(list(tables.glob("*.csv"))) == 3
    both = run("simulate", "titr-2024-base", "--compare", "titr-2030-triple", "--years", "0.1")
    assert both.returncode == 0, both.stderr
    assert "Scenario comparison" in both.stdout
    missing = run("simulate", "no-such-scenario")
    assert missing.returncode == 2 and "titr-2024-base" in missing.stderr
