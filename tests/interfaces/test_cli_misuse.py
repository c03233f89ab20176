"""CLI misuse exits 2 with a message, Ctrl-C exits 130, a closed pipe is quiet; sweeps die with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from helpers import CORRIDOR, Runner


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("compare", "Xian", "Baku", "--seed", "-1"), "--seed"),
        (("simulate", "/dev/zero"), "not a scenario file"),
        (("simulate", "titr-2024-base", "--years", "nan"), "must be a finite number"),
        (("simulate", "titr-2024-base", "--years", "6"), "from 0.05 to 5 years"),
        (("simulate", "x" * 10_000 + ".yaml"), "too long"),
        (("sweep", "titr-2024-base", "--engine", "dask", "--scheduler", "tcp://no such host:x"), "Dask scheduler"),
    ],
)
def test_misuse_is_exit_2_with_a_message(cli: Runner, args: tuple[str, ...], words: str) -> None:
    result = cli(*args)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert words in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("route", "Almaty", "Baku"),  # a Rich table
        ("compare", "Shanghai", "Belgrade", "--format", "json", "--samples", "2000"),
        ("places", "Baku"),
        ("check-data", str(Path(__file__).resolve().parents[2] / "src" / "corridor" / "data")),
    ],
)
def test_a_closed_pipe_is_quiet_and_exits_141(args: tuple[str, ...]) -> None:
    """As ``corridor … | head -1`` once head has gone: the reader is closed before the first write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [str(CORRIDOR), *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ, "COLUMNS": "250"},
        )
    finally:
        os.close(write_end)
    assert result.returncode == 141 and result.stderr == "", (result.returncode, result.stderr[-500:])


def test_a_long_run_reports_progress_in_a_log(cli: Runner) -> None:
    """Without a terminal (a log, CI) a bar would not show: a line per tenth, with the time left."""
    done = cli("route", "Almaty", "Baku", "--samples", "1000000")  # 2 routes: 2 M journeys
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("sampling journeys:")]
    assert len(lines) == 10 and lines[-1].startswith("sampling journeys: 100 %") and "s left" in lines[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        # Runs far longer than the wait below (the Monte Carlo became too fast to interrupt reliably).
        ("simulate", "titr-2030-triple", "--years", "5", "--replications", "200"),
        ("route", "Almaty", "Baku", "--samples", "100000000"),  # with a progress report
    ],
)
def test_ctrl_c_exits_130(args: tuple[str, ...]) -> None:
    run = subprocess.Popen(
        [str(CORRIDOR), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(6)  # past start-up, inside the sampling
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130 and "internal error" not in stderr, (run.returncode, stderr[-500:])


@pytest.mark.slow
def test_sweep_workers_die_with_their_parent_and_finished_runs_are_kept(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sweep.db'}"
    args = ["sweep", "titr-2024-base", "--engine", "process", "--workers", "2", "--replications", "40"]
    sweep = subprocess.Popen(
        [str(CORRIDOR), *args, "--years", "0.05", "--db", db],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(sweep.pid)
    from corridor import store

    deadline = time.monotonic() + 120
    while not _stored(store, db):
        assert time.monotonic() < deadline and sweep.poll() is None, "no run was stored"
        time.sleep(0.5)
    workers = parent.children(recursive=True)
    assert workers
    sweep.kill()  # SIGKILL: no clean-up in the parent
    sweep.wait(10)
    _, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, f"{len(alive)} workers outlived their parent"
    assert 1 <= len(store.load_runs(db)) < 40
    store.close(db)


def _stored(store: object, db: str) -> bool:
    from corridor import store as kept

    try:
        return bool(kept.load_runs(db))
    except kept.StoreError:
        return False
