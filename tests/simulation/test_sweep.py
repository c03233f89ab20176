"""Sweeps on every engine give the same runs; results land in a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor import settings
from corridor.errors import CorridorError, OptionError
from corridor.simulation.sweep import sweep
from corridor.store import load_runs, save_runs
from helpers import run_cli

pytestmark = [pytest.mark.e2e, pytest.mark.slow]  # process pools, a Dask cluster and the installed script

BASE = str(settings.data_dir() / "scenarios" / "titr-2024-base.yaml")


def comparable(runs: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(r["scenario"], r["seed"], r["delivered_teu"]) for r in runs]


@pytest.fixture(scope="module")
def local_runs() -> list[dict[str, object]]:
    return sweep([BASE], replications=2, years=0.1, engine="local")


def test_process_pool_matches_local(local_runs: list[dict[str, object]]) -> None:
    assert comparable(sweep([BASE], replications=2, years=0.1, engine="process", workers=2)) == comparable(local_runs)


def test_dask_local_cluster_matches_local(local_runs: list[dict[str, object]]) -> None:
    # starts a real dask.distributed LocalCluster with two worker processes
    runs = sweep([BASE], replications=2, years=0.1, engine="dask", workers=2)
    assert comparable(runs) == comparable(local_runs)


def test_results_are_appended_never_overwritten(tmp_path: Path, local_runs: list[dict[str, object]]) -> None:
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    first = save_runs(local_runs, url)
    second = save_runs(local_runs, url)
    assert set(first).isdisjoint(second)
    stored = load_runs(url)
    assert len(stored) == 4 and comparable(stored[:2]) == comparable(local_runs)
    assert len(load_runs(url, scenario="TITR 2024 base")) == 4


def test_bad_sweep_options() -> None:
    with pytest.raises(OptionError, match="unknown engine"):
        sweep([BASE], engine="spark")
    with pytest.raises(OptionError, match="scheduler"):
        sweep([BASE], engine="local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(OptionError, match="no scenario file"):
        sweep(["missing.yaml"])


def test_every_scenario_is_checked_before_any_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad-lever.yaml"
    bad.write_text(
        "name: b\nyear: 2026\ndemand:\n  - {origin: Almaty, destination: Baku, teu_per_year: 100}\n"
        "levers:\n  - {kind: ferries, from: Kuryk, to: Port of Baku, change: -9}\n",
        encoding="utf-8",
    )
    done: list[int] = []
    with pytest.raises(CorridorError, match=r"bad-lever\.yaml: lever ferries"):
        sweep([BASE, bad], years=0.05, progress=lambda n, total: done.append(n))
    assert done == []  # the good first scenario never ran


def test_sweep_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = run_cli("sweep", "titr-2024-base", "--replications", "2", "--years", "0.1", "--db", url)
    assert result.returncode == 0, result.stderr
    assert "TITR 2024 base" in result.stdout and len(load_runs(url)) == 2
    bad = run_cli("sweep", "titr-2024-base", "--engine", "spark")
    assert bad.returncode == 2
