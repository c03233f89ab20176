"""Capacity simulation commands: ``simulate`` (one scenario, or two compared) and ``sweep`` (many runs)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from corridor.errors import NotFoundError, OptionError
from corridor.interfaces.cli.common import (
    PROGRESS_FROM,
    DbOption,
    SeedOption,
    YearsOption,
    friendly,
    out,
    progress,
)
from corridor.vocab import SweepExecutor

if TYPE_CHECKING:
    from corridor.simulation.runner import Plan, ScenarioResult

__all__ = ["simulate", "sweep"]


@friendly
def simulate(
    scenario: Annotated[
        str, typer.Argument(help="A scenario YAML file, or the name of a shipped one (titr-2024-base).")
    ],
    years: YearsOption = 1.0,
    replications: Annotated[int, typer.Option(help="Independent runs averaged (different seeds).", min=1, max=200)] = 1,
    seed: SeedOption = 0,
    against: Annotated[
        str | None, typer.Option("--compare", help="A second scenario to compare with (e.g. a lever).")
    ] = None,
    plot: Annotated[Path | None, typer.Option(help="Queues over time and bottleneck waits: FILE.png or .html.")] = None,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write corridors, resources, lead times as CSV.")
    ] = None,
) -> None:
    """Simulate a demand scenario: throughput per corridor, queues, and the bottlenecks."""
    from corridor.simulation import report
    from corridor.simulation.runner import prepare
    from corridor.simulation.schema import load_scenario

    # Every file is read and checked against the network (places, levers, routes) before any
    # runs: a mistake in the --compare file fails at once.
    names = (scenario, *([against] if against else []))
    plans = [prepare(load_scenario(scenario_path(name)), years=years, seed=seed) for name in names]
    firsts = []
    for plan in plans:
        results = _replicate(plan, years, replications, seed)
        firsts.append(results[0])
        if csv_dir is not None:
            _write_csv(results[0], csv_dir)
        _print_scenario(results, years)
    if len(firsts) == 2:
        for table in report.compare_tables(*firsts):
            out.print(table)
    if plot is not None:
        from corridor.simulation.plot import simulation_plot

        simulation_plot(firsts, plot)
        out.print(f"Plot written to {plot}")
    if csv_dir is not None:
        out.print(f"Tables written to {csv_dir}/")


def _print_scenario(results: Sequence[ScenarioResult], years: float) -> None:
    """Throughput over the replications, then the first run's notes, lines and lead times."""
    from corridor.simulation import report

    first = results[0]
    delivered = sum(r.delivered_teu for r in results) / len(results)
    out.print(report.headline(first, delivered, len(results), years))
    for note in first.notes:
        out.print(f"[yellow]{note}[/yellow]")
    out.print(report.lines_table(first))
    if free := report.unconstrained(first):
        out.print(free)
    out.print(report.lead_table(first))


def _write_csv(result: ScenarioResult, folder: Path) -> None:
    stem = re.sub(r"[^a-z0-9]+", "-", result.scenario.name.lower()).strip("-")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for table in ("corridors", "resources", "lead_times"):
            getattr(result, table)().to_csv(folder / f"{stem}-{table}.csv", index=False)
    except OSError as exc:
        raise OptionError(f"cannot write tables to {folder}: {exc.strerror or exc}") from exc


@friendly
def sweep(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files or shipped scenario names.")],
    replications: Annotated[int, typer.Option(help="Runs per scenario (different seeds).", min=1, max=1000)] = 4,
    years: YearsOption = 1.0,
    engine: Annotated[
        SweepExecutor,
        typer.Option(help="Where the runs go: this process, local processes or Dask.", case_sensitive=False),
    ] = SweepExecutor.local,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address; default: a LocalCluster.")] = None,
    workers: Annotated[int | None, typer.Option(help="Local processes or Dask workers.", min=1, max=256)] = None,
    db: DbOption = None,
    seed: SeedOption = 0,
) -> None:
    """Run scenarios × replications on one process, local processes or Dask; store and summarise."""
    from corridor.simulation.sweep import sweep as run
    from corridor.store import display_url, save_runs

    paths = [str(scenario_path(s)) for s in scenarios]
    ids: list[int] = []

    def store(summary: dict[str, Any]) -> None:  # each run is kept as it finishes, whatever stops the sweep
        ids.extend(save_runs([summary], db))

    with progress(PROGRESS_FROM) as tick:
        report = None if tick is None else (lambda done, total: tick(PROGRESS_FROM * done // total))
        summaries = run(
            paths,
            replications=replications,
            years=years,
            seed=seed,
            engine=engine.value,
            scheduler=scheduler,
            workers=workers,
            progress=report,
            on_result=store,
        )
    out.print(_sweep_table(summaries, f"Sweep: {len(summaries)} runs on {engine.value}"))
    out.print(f"[dim]Stored as runs {ids[0]}–{ids[-1]} in {display_url(db)}[/dim]")


def _sweep_table(summaries: Sequence[dict[str, Any]], title: str) -> Table:
    """One row per scenario: runs, demand, mean delivered, the spread of the delivered share, the usual bottleneck."""
    table = Table(
        "scenario",
        "runs",
        "demand TEU",
        "delivered TEU (mean)",
        "delivered share (min–max)",
        "main bottleneck",
        title=title,
        title_justify="left",
    )
    for name in dict.fromkeys(s["scenario"] for s in summaries):
        group = [s for s in summaries if s["scenario"] == name]
        shares = [s["delivered_share"] for s in group]
        worst = max(set(s["bottleneck"] for s in group), key=[s["bottleneck"] for s in group].count)
        table.add_row(
            name,
            str(len(group)),
            f"{group[0]['demand_teu']:,}",
            f"{sum(s['delivered_teu'] for s in group) / len(group):,.0f}",
            f"{min(shares):.0%}–{max(shares):.0%}",
            worst or "none",
        )
    return table


MAX_SCENARIO_FILE_BYTES = 10 * 1024 * 1024
"""Largest scenario file read (the shipped ones are under 2 kB)."""


def scenario_path(name: str) -> Path:
    """A scenario YAML file as given, or the shipped scenario of that name.

    Raises
    ------
    OptionError
        If it is neither; the message names the shipped scenarios.
    """
    from corridor.simulation.schema import shipped_scenario

    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if path.exists() and not path.is_file():
            raise OptionError(f"{name} is not a scenario file (a directory or a device)")
        if path.exists() and path.stat().st_size > MAX_SCENARIO_FILE_BYTES:
            raise OptionError(f"{name} is larger than {MAX_SCENARIO_FILE_BYTES:,} bytes: not a scenario")
        return path
    try:
        return shipped_scenario(name)
    except NotFoundError as exc:
        raise OptionError(f"{exc} (or give a YAML file)") from None


def _replicate(plan: Plan, years: float, replications: int, seed: int) -> list[ScenarioResult]:
    from corridor.simulation.runner import simulate_plan

    results = []
    with progress(PROGRESS_FROM if replications * years >= 1 else 0) as tick:
        for k in range(replications):
            report = None if tick is None else functools.partial(_share, tick, k, replications)
            results.append(simulate_plan(plan, years=years, seed=seed + k, progress=report))
    return results


def _share(tick: Callable[[int], None], k: int, total: int, done: float) -> None:
    tick(int(PROGRESS_FROM * (k + done) / total))
