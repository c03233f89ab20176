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
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.errors import OptionError
from corridor.vocab import SweepExecutor

__all__ = ["Job", "run_job", "sweep"]


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
    if executor is SweepExecutor.local:
        return _collect((run_job(j) for j in jobs), len(jobs), progress)
    if executor is SweepExecutor.process:
        with ProcessPoolExecutor(max_workers=n) as pool:
            return _collect(pool.map(run_job, jobs), len(jobs), progress)
    return _dask(jobs, scheduler, n, progress)


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


def _collect(results: Any, total: int, progress: Callable[[int, int], None] | None) -> list[dict[str, Any]]:
    out = []
    for done, summary in enumerate(results, 1):
        out.append(summary)
        if progress is not None:
            progress(done, total)
    return out


def _dask(
    jobs: list[Job], scheduler: str | None, workers: int, progress: Callable[[int, int], None] | None
) -> list[dict[str, Any]]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # the dask extra is optional
        raise OptionError("the dask engine needs the dask extra: pip install 'corridor[dask]'") from exc
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:
            futures = client.map(run_job, jobs, pure=False)
            order = {f.key: i for i, f in enumerate(futures)}
            results: list[dict[str, Any] | None] = [None] * len(jobs)
            for done, future in enumerate(as_completed(futures), 1):
                results[order[future.key]] = future.result()
                if progress is not None:
                    progress(done, len(jobs))
            return [r for r in results if r is not None]
    finally:
        if cluster is not None:
            cluster.close()
