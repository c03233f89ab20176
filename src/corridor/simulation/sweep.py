"""Run many scenarios × replications, in this process, on local processes or on Dask.

Each run is independent (its own scenario file and seed), so a sweep is embarrassingly
parallel. ``local`` runs them one after another; ``process`` on a pool of local processes;
``dask`` on a ``dask.distributed`` cluster — a ``LocalCluster`` on this machine when no
scheduler address is given (no cluster to set up), or any cluster by address for runs larger
than one machine. Every run returns a small summary that the store keeps.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.errors import OptionError
from corridor.vocab import SweepExecutor

__all__ = ["DASK_CONNECT_S", "Job", "run_job", "sweep"]

DASK_CONNECT_S = 10
"""How long to try to reach a Dask scheduler before giving up."""


@dataclass(frozen=True)
class Job:
    """One simulation run of a sweep."""

    scenario: str
    """Path of the scenario file."""
    seed: int
    years: float


def run_job(job: Job) -> dict[str, Any]:
    """Simulate one job and summarise it (top-level so that it pickles to any worker)."""
    from corridor.simulation.runner import run_scenario
    from corridor.simulation.schema import load_scenario

    scenario = load_scenario(job.scenario)
    result = run_scenario(scenario, years=job.years, seed=job.seed)
    demand, delivered = result.demand_teu, result.delivered_teu
    worst = result.bottlenecks(1)
    return {
        "scenario": scenario.name,
        "file": str(job.scenario),
        "seed": job.seed,
        "years": job.years,
        "demand_teu": round(demand),
        "delivered_teu": round(delivered),
        "delivered_share": delivered / demand if demand else 0.0,
        "bottleneck": str(worst["resource"].iloc[0]) if len(worst) else "",
        "bottleneck_wait_h": float(worst["queue_h"].iloc[0]) if len(worst) else 0.0,
        "corridors": {k: round(v) for k, v in result.sim.delivered_teu.items()},
    }


def sweep(
    scenarios: Sequence[str | Path],
    *,
    replications: int = 1,
    years: float = 1.0,
    seed: int = 0,
    engine: SweepExecutor | str = SweepExecutor.local,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Run every scenario ``replications`` times (seeds ``seed … seed + replications − 1``).

    Parameters
    ----------
    engine : SweepExecutor or str
        Where the runs execute: ``local``, ``process`` or ``dask`` (any case).
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); without it ``dask`` starts a
        ``LocalCluster`` of ``workers`` processes and closes it afterwards.
    workers : int, optional
        Processes for ``process`` and the local Dask cluster (default: the CPU count).
    progress : callable, optional
        Called with (runs done, runs in all).
    on_result : callable, optional
        Called with each run's summary as soon as it finishes (to store it before the sweep ends).

    Returns
    -------
    list of dict
        One summary per run, in job order.
    """
    executor = SweepExecutor.parse(engine, "engine")
    if scheduler and executor is not SweepExecutor.dask:
        raise OptionError("a scheduler address needs engine 'dask'")
    _check(scenarios, years)
    jobs = [Job(str(s), seed + k, years) for s in scenarios for k in range(replications)]
    n = workers or os.cpu_count() or 1
    report = _Report(len(jobs), progress, on_result)
    if executor is SweepExecutor.local:
        return [report(run_job(j)) for j in jobs]
    if executor is SweepExecutor.process:
        return _processes(jobs, n, report)
    return _dask(jobs, scheduler, n, report)


@dataclass
class _Report:
    """Progress and the caller's hook for each finished run."""

    total: int
    progress: Callable[[int, int], None] | None
    on_result: Callable[[dict[str, Any]], None] | None
    done: int = 0

    def __call__(self, summary: dict[str, Any]) -> dict[str, Any]:
        self.done += 1
        if self.on_result is not None:
            self.on_result(summary)
        if self.progress is not None:
            self.progress(self.done, self.total)
        return summary


def _check(scenarios: Sequence[str | Path], years: float) -> None:
    """Read every scenario and check it against the network before any run starts.

    Raises
    ------
    OptionError
        If a file does not exist.
    CorridorError
        If a scenario is broken (file, line and field) or names what the network does not have.
    """
    from corridor.errors import CorridorError, DataFileError
    from corridor.simulation.runner import prepare
    from corridor.simulation.schema import load_scenario

    for path in dict.fromkeys(map(str, scenarios)):
        if not Path(path).is_file():
            raise OptionError(f"no scenario file {path}")
        try:
            prepare(load_scenario(path), years=years)
        except DataFileError:
            raise
        except CorridorError as exc:
            raise CorridorError(f"{Path(path).name}: {exc}") from exc


def _processes(jobs: list[Job], workers: int, report: _Report) -> list[dict[str, Any]]:
    """Runs on local processes, reported as they finish, returned in job order."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent)
    try:
        futures = {pool.submit(run_job, job): k for k, job in enumerate(jobs)}
        results: list[dict[str, Any]] = [{} for _ in jobs]
        for future in as_completed(futures):
            results[futures[future]] = report(future.result())
        return results
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # an error or Ctrl-C: queued runs are dropped


def _die_with_parent() -> None:
    """In a worker: be sent SIGTERM when the sweeping process dies, even by SIGKILL (Linux
    ``PR_SET_PDEATHSIG``; elsewhere a worker finishes its run and then finds its pipe closed)."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _dask(jobs: list[Job], scheduler: str | None, workers: int, report: _Report) -> list[dict[str, Any]]:
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # the dask extra is optional
        raise OptionError("the dask engine needs the dask extra: pip install 'corridor[dask]'") from exc
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
    try:
        with _client(Client, scheduler or cluster) as client:
            futures = client.map(run_job, jobs, pure=False)
            order = {f.key: i for i, f in enumerate(futures)}
            results: list[dict[str, Any] | None] = [None] * len(jobs)
            for future in dask_completed(futures):
                results[order[future.key]] = report(future.result())
            return [r for r in results if r is not None]
    finally:
        if cluster is not None:
            cluster.close()


def _client(client: Any, address: Any) -> Any:
    """A Dask client of ``address``; an unreachable or malformed address is an :class:`OptionError`."""
    try:
        return client(address, timeout=DASK_CONNECT_S)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise OptionError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
