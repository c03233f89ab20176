"""The ``corridor`` command line: ``route``, ``compare``, ``places`` and ``check-data``.

Exit codes: 0 success, 1 no route under the constraints, 2 bad input (unknown place, bad
option or flag, broken data file), 70 an internal error (set ``CORRIDOR_DEBUG=1`` to see the
traceback).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, cast

import typer
from rich.console import Console
from rich.table import Table

from corridor import settings
from corridor.errors import CorridorError, NoRouteError, OptionError
from corridor.network.model import Network
from corridor.routing.itinerary import routes_geojson

if TYPE_CHECKING:
    from corridor.forecasting.api import PairForecast
    from corridor.forecasting.data import TradeData

P = ParamSpec("P")
app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Plan and compare container routes on the Eurasian land bridge (Middle Corridor and alternatives).",
)
# Piped output (a log, CI) gets a readable width instead of rich's 80-column default.
out = Console(highlight=False, width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160)
err = Console(stderr=True, highlight=False)


class Cargo(StrEnum):
    teu = "20ft"
    feu = "40ft"
    reefer = "40ft-reefer"


class Objective(StrEnum):
    time = "time"
    cost = "cost"
    co2 = "co2"
    p50 = "p50"
    p90 = "p90"
    p95 = "p95"
    on_time = "on-time"


ROBUST = {"p50", "p90", "p95", "on-time"}
DEFAULT_SAMPLES = 20_000
PROGRESS_FROM = 1_000_000


class Format(StrEnum):
    table = "table"
    json = "json"
    geojson = "geojson"


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help=f"Data directory to use instead of the embedded one (or set ${settings.DATA_ENV}).",
        file_okay=False,
    ),
]


SamplesOption = Annotated[
    int | None, typer.Option(help="Monte Carlo journeys per route: adds P10–P95 times (and on-time odds).")
]
DeadlineOption = Annotated[str | None, typer.Option(help="Deadline: 25d, 600h or a date 2026-03-01.")]
DepartOption = Annotated[str | None, typer.Option(help="Departure date YYYY-MM-DD (sets the Caspian season).")]
MonthOption = Annotated[str | None, typer.Option(help="Departure month jan … dec, instead of --depart.")]
SeedOption = Annotated[int, typer.Option(help="Random seed: the same seed gives the same figures.")]
DbOption = Annotated[
    str | None, typer.Option(help="Database URL; default $CORRIDOR_DB, else sqlite:///corridor-results.db.")
]


def friendly(command: Callable[P, None]) -> Callable[P, None]:
    """Turn errors into a one-line message and an exit code: no traceback reaches a user."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except CorridorError as exc:
            err.print(f"[bold red]error:[/bold red] {exc}")
            raise typer.Exit(1 if isinstance(exc, NoRouteError) else 2) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if os.environ.get("CORRIDOR_DEBUG"):
                raise
            err.print(f"[bold red]internal error:[/bold red] {exc!r} (set CORRIDOR_DEBUG=1 for details)")
            raise typer.Exit(70) from None

    return run


def _network(data: Path | None) -> Network:
    from corridor.routing.api import default_network

    if data is None:
        return default_network()
    from corridor.network.io import load_network

    return load_network(data)


def _weights(text: str | None) -> dict[str, float] | None:
    """Parse ``time=1,cost=2`` into weights."""
    if not text:
        return None
    weights = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise OptionError(f"--weights takes name=number pairs such as time=1,cost=2; got '{part}'") from None
    return weights


def _split(values: list[str] | None) -> list[str]:
    return [v for item in values or [] for v in item.split(",") if v.strip()]


@app.command()
@friendly
def route(
    origin: Annotated[str, typer.Argument(help="Where the container starts: any name, alias or UN/LOCODE.")],
    destination: Annotated[str, typer.Argument(help="Where it goes.")],
    cargo: Annotated[Cargo, typer.Option(help="Container type.")] = Cargo.feu,
    avoid: Annotated[list[str] | None, typer.Option(help="Countries to avoid, ISO codes: --avoid RU,BY.")] = None,
    avoid_mode: Annotated[list[str] | None, typer.Option(help="Modes to avoid: rail, road, ferry, sea, air.")] = None,
    avoid_passage: Annotated[
        list[str] | None,
        typer.Option(help="Sea passages to avoid: suez, bab-el-mandeb, bosporus, dardanelles, corinth, hormuz, cape."),
    ] = None,
    objective: Annotated[Objective, typer.Option(help="What the best route minimises.")] = Objective.time,
    weights: Annotated[
        str | None, typer.Option(help="Weighted best instead of --objective, e.g. time=1,cost=2 (criteria normalised).")
    ] = None,
    max_transshipments: Annotated[
        int | None, typer.Option(help="Most container lifts (mode or gauge changes).")
    ] = None,
    include_planned: Annotated[bool, typer.Option(help="Also use planned links (Trans-Afghan railway).")] = False,
    all_routes: Annotated[bool, typer.Option("--all", help="Show the exact Pareto set, not the thinned one.")] = False,
    samples: SamplesOption = None,
    deadline: DeadlineOption = None,
    depart: DepartOption = None,
    month: MonthOption = None,
    seed: SeedOption = 0,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    data: DataOption = None,
) -> None:
    """Pareto-optimal door-to-door routes (time, cost, CO2e) and the best one's itinerary.

    With --samples (or a robust --objective p50/p90/p95/on-time) each route gets its transit-time
    distribution, and the best route is the one with the best percentile or on-time odds.
    """
    from corridor.routing.api import route as find

    found = find(
        origin,
        destination,
        cargo=cargo.value,
        avoid_countries=_split(avoid),
        avoid_modes=_split(avoid_mode),
        avoid_passages=_split(avoid_passage),
        max_transshipments=max_transshipments,
        include_planned=include_planned,
        network=_network(data),
    )
    shown = list(found.routes if all_routes else found.thinned())
    robust = objective.value in ROBUST
    rated = _rate(
        shown, samples if samples is not None or not robust else DEFAULT_SAMPLES, deadline, depart, month, seed, data
    )
    if robust:
        from corridor.uncertainty.api import most_reliable

        best = most_reliable(list(rated.values()), objective.value).route
    else:
        best = found.best(cast(Any, objective.value), _weights(weights))
        if best not in shown:
            shown.insert(0, best)
    shown = [best, *[r for r in shown if r is not best]]
    if fmt is Format.json:
        print(json.dumps(_json(found.origin, found.destination, shown, rated), ensure_ascii=False, indent=2))
        return
    if fmt is Format.geojson:
        print(json.dumps(routes_geojson(shown), ensure_ascii=False))
        return
    title = f"{found.origin} → {found.destination}, {cargo.value}: {len(found.routes)} Pareto-optimal routes"
    out.print(_routes_table(shown, title, best, rated))
    out.print(_itinerary(best))


@app.command()
@friendly
def compare(
    origin: Annotated[str, typer.Argument(help="Where the container starts.")],
    destination: Annotated[str, typer.Argument(help="Where it goes.")],
    cargo: Annotated[Cargo, typer.Option(help="Container type.")] = Cargo.feu,
    objective: Annotated[Objective, typer.Option(help="Which route of each corridor is best.")] = Objective.time,
    avoid: Annotated[list[str] | None, typer.Option(help="Countries to avoid, ISO codes.")] = None,
    include_planned: Annotated[bool, typer.Option(help="Also use planned links.")] = False,
    map_file: Annotated[Path | None, typer.Option("--map", help="Write an HTML map of the routes here.")] = None,
    detail: Annotated[bool, typer.Option(help="Print each route's time/cost–distance table.")] = False,
    samples: Annotated[int, typer.Option(help="Monte Carlo journeys per corridor for P50/P90.")] = DEFAULT_SAMPLES,
    deadline: DeadlineOption = None,
    depart: DepartOption = None,
    month: MonthOption = None,
    seed: SeedOption = 0,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    data: DataOption = None,
) -> None:
    """The best route of every corridor side by side, with P50/P90 times and where the time and cost go."""
    from corridor.routing.api import compare as run

    if objective.value in ROBUST:
        raise OptionError("compare ranks each corridor's routes by time, cost or co2; use `reliability` for odds")
    result = run(
        origin,
        destination,
        objective=objective.value,  # type: ignore[arg-type]
        cargo=cargo.value,
        avoid_countries=_split(avoid),
        include_planned=include_planned,
        network=_network(data),
    )
    if map_file is not None:
        from corridor.interfaces.map import route_map

        route_map(result.routes, map_file, f"{result.origin} → {result.destination}")
    rated = _rate(list(result.routes), samples, deadline, depart, month, seed, data)
    if fmt is Format.json:
        print(json.dumps(_json(result.origin, result.destination, result.routes, rated), ensure_ascii=False, indent=2))
        return
    if fmt is Format.geojson:
        print(json.dumps(routes_geojson(result.routes), ensure_ascii=False))
        return
    title = f"{result.origin} → {result.destination}, {cargo.value}: best route per corridor (by {objective.value})"
    out.print(_routes_table(result.routes, title, None, rated))
    out.print(_breakdown_table(result.routes))
    for corridor, why in (*result.unavailable, *result.detours):
        out.print(f"[dim]{corridor}: {why}[/dim]")
    if detail:
        for r in result.routes:
            out.print(_distance_table(r))
    if map_file is not None:
        out.print(f"Map written to {map_file}")


@app.command()
@friendly
def places(
    query: Annotated[str, typer.Argument(help="Any part of a name, in any language, or a UN/LOCODE.")],
    data: DataOption = None,
) -> None:
    """Find places by any of their names or LOCODE."""
    from corridor.network.places import find_places

    found = find_places(_network(data), query)
    if not found:
        err.print(f"no place matches '{query}'")
        raise typer.Exit(1)
    table = Table("id", "name", "русский", "local", "LOCODE", "country", "kind", "lat", "lon")
    for p in found:
        table.add_row(
            p.id, p.name, p.name_ru, p.name_local, p.locode or "", p.country, p.kind, f"{p.lat:.4f}", f"{p.lon:.4f}"
        )
    out.print(table)


@app.command("check-data")
@friendly
def check_data(
    path: Annotated[Path, typer.Argument(help="A data directory (a copy of the embedded one).", file_okay=False)],
) -> None:
    """Validate a data directory; report every problem by file, line and field."""
    from corridor.network.io import load_network

    network = load_network(path)
    out.print(f"{path}: {len(network.places)} places, {len(network.links)} links, {len(network.sources)} sources — OK")


@app.command()
@friendly
def reliability(
    origin: Annotated[str, typer.Argument(help="Where the container starts.")],
    destination: Annotated[str, typer.Argument(help="Where it goes.")],
    deadline: Annotated[str, typer.Option(help="Deadline: 25d, 600h or a date 2026-03-01.")],
    cargo: Annotated[Cargo, typer.Option(help="Container type.")] = Cargo.feu,
    samples: Annotated[int, typer.Option(help="Monte Carlo journeys per corridor.")] = 100_000,
    depart: DepartOption = None,
    month: MonthOption = None,
    seed: SeedOption = 0,
    avoid: Annotated[list[str] | None, typer.Option(help="Countries to avoid, ISO codes.")] = None,
    include_planned: Annotated[bool, typer.Option(help="Also use planned links.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Write the ECDF per corridor to FILE.html or FILE.png.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    data: DataOption = None,
) -> None:
    """On-time odds per corridor for a deadline, and the legs that drive the late tail."""
    from corridor.routing.api import compare as run

    result = run(
        origin,
        destination,
        cargo=cargo.value,
        avoid_countries=_split(avoid),
        include_planned=include_planned,
        network=_network(data),
    )
    rated = _rate(list(result.routes), samples, deadline, depart, month, seed, data)
    if plot is not None:
        from corridor.uncertainty.plot import reliability_plot

        reliability_plot(list(rated.values()), plot, f"{result.origin} → {result.destination}")
    if fmt is Format.json:
        print(json.dumps(_json(result.origin, result.destination, result.routes, rated), ensure_ascii=False, indent=2))
        return
    table = Table(
        title=f"{result.origin} → {result.destination}: will a {cargo.value} arrive within {deadline}?",
        title_justify="left",
    )
    for name in (
        "corridor",
        "on time",
        "mean d",
        "P10 d",
        "P50 d",
        "P90 d",
        "P95 d",
        "what makes it late (share of variance)",
    ):
        table.add_column(name, justify="left" if name in ("corridor",) or name.startswith("what") else "right")
    for r in result.routes:
        rel = rated[id(r)].reliability
        drivers = ", ".join(f"{name} {share:.0%}" for name, share in rel.drivers[:3])
        table.add_row(
            r.corridor,
            f"{rel.on_time_probability:.1%}",
            *(f"{h / 24:.1f}" for h in (rel.mean_h, rel.p10_h, rel.p50_h, rel.p90_h, rel.p95_h)),
            drivers,
        )
    out.print(table)
    out.print(
        f"[dim]{samples:,} journeys per corridor, seed {seed}; variability and weather from variability.csv and "
        "weather.csv[/dim]"
    )
    if plot is not None:
        out.print(f"Plot written to {plot}")


@app.command()
@friendly
def simulate(
    scenario: Annotated[
        str, typer.Argument(help="A scenario YAML file, or the name of a shipped one (titr-2024-base).")
    ],
    years: Annotated[float, typer.Option(help="Simulated period in years.", min=0.05, max=5)] = 1.0,
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
    from corridor.simulation.scenario import load_scenario

    runs = [(name, load_scenario(_scenario_path(name))) for name in (scenario, *([against] if against else []))]
    firsts = []
    for _, sc in runs:
        results = _replicate(sc, years, replications, seed)
        first = results[0]
        firsts.append(first)
        if csv_dir is not None:
            _write_csv(first, csv_dir)
        delivered = sum(r.delivered_teu for r in results) / len(results)
        demand = first.demand_teu
        out.print(
            f"[bold]{sc.name}[/bold] ({sc.year}): {demand:,.0f} TEU demanded, {delivered:,.0f} delivered "
            f"({delivered / demand:.0%}), mean of {replications} run(s) over {years:g} year(s)"
        )
        table = Table(
            "resource",
            "capacity",
            "utilisation",
            "mean wait h",
            "P90 wait h",
            "max queue",
            title="Bottlenecks (longest queues first)",
            title_justify="left",
        )
        frame = first.bottlenecks()
        for row in frame.itertuples():
            table.add_row(
                str(row.resource),
                str(row.capacity),
                f"{row.utilisation:.0%}",
                f"{row.mean_wait_h:,.0f}",
                f"{row.p90_wait_h:,.0f}",
                str(row.max_queue),
            )
        out.print(table if len(frame) else "[green]No queue longer than half an hour: the network carries it.[/green]")
        free = [s.name for s in first.sim.stats if s.capacity == "unconstrained" and s.served]
        if free:
            out.print(f"[yellow]No capacity figure (treated as unlimited): {', '.join(free)}[/yellow]")
        leads = Table(
            "origin → destination", "train loads", "P50 days", "P90 days", title="Lead times", title_justify="left"
        )
        for row in first.lead_times().itertuples():
            leads.add_row(str(row.od), str(row.train_loads), f"{row.p50_days:.1f}", f"{row.p90_days:.1f}")
        out.print(leads)
    if len(firsts) == 2:
        out.print(_scenario_diff(*firsts))
    if plot is not None:
        from corridor.simulation.plot import simulation_plot

        simulation_plot(firsts, plot)
        out.print(f"Plot written to {plot}")
    if csv_dir is not None:
        out.print(f"Tables written to {csv_dir}/")


def _scenario_diff(a: Any, b: Any) -> Table:
    """Two scenarios side by side: what the lever changed."""
    table = Table(
        "", a.scenario.name, b.scenario.name, title="Scenario comparison (first run of each)", title_justify="left"
    )
    delivered = [x.delivered_teu for x in (a, b)]
    table.add_row("TEU delivered", *(f"{d:,.0f}" for d in delivered))
    waits = [x.resources().set_index("resource")["mean_wait_h"].to_dict() for x in (a, b)]
    worst = sorted(set(waits[0]) | set(waits[1]), key=lambda n: -max(waits[0].get(n, 0.0), waits[1].get(n, 0.0)))
    for name in worst[:5]:
        table.add_row(f"mean wait h, {name}", *(f"{w.get(name, 0.0):,.0f}" for w in waits))
    leads = [x.lead_times()["p50_days"].mean() for x in (a, b)]
    table.add_row("lead time P50, days (mean over flows)", *(f"{d:.1f}" for d in leads))
    return table


def _write_csv(result: Any, folder: Path) -> None:
    import re

    stem = re.sub(r"[^a-z0-9]+", "-", result.scenario.name.lower()).strip("-")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for table in ("corridors", "resources", "lead_times"):
            getattr(result, table)().to_csv(folder / f"{stem}-{table}.csv", index=False)
    except OSError as exc:
        raise OptionError(f"cannot write tables to {folder}: {exc.strerror or exc}") from exc


@app.command()
@friendly
def sweep(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files or shipped scenario names.")],
    replications: Annotated[int, typer.Option(help="Runs per scenario (different seeds).", min=1, max=1000)] = 4,
    years: Annotated[float, typer.Option(help="Simulated years per run.", min=0.05, max=5)] = 1.0,
    engine: Annotated[str, typer.Option(help="local, process or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address; default: a LocalCluster.")] = None,
    workers: Annotated[int | None, typer.Option(help="Local processes or Dask workers.", min=1, max=256)] = None,
    db: DbOption = None,
    seed: SeedOption = 0,
) -> None:
    """Run scenarios × replications on one process, local processes or Dask; store and summarise."""
    from corridor.simulation.sweep import sweep as run
    from corridor.store import display_url, save_runs

    paths = [str(_scenario_path(s)) for s in scenarios]
    with _progress(PROGRESS_FROM) as tick:
        report = None if tick is None else (lambda done, total: tick(PROGRESS_FROM * done // total))
        summaries = run(
            paths,
            replications=replications,
            years=years,
            seed=seed,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            progress=report,
        )
    ids = save_runs(summaries, db)
    table = Table(
        "scenario",
        "runs",
        "demand TEU",
        "delivered TEU (mean)",
        "delivered share (min–max)",
        "main bottleneck",
        title=f"Sweep: {len(summaries)} runs on {engine}",
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
    out.print(table)
    out.print(f"[dim]Stored as runs {ids[0]}–{ids[-1]} in {display_url(db)}[/dim]")


def _scenario_path(name: str) -> Path:
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    shipped = settings.data_dir() / "scenarios" / f"{name}.yaml"
    if shipped.exists():
        return shipped
    known = ", ".join(sorted(p.stem for p in (settings.data_dir() / "scenarios").glob("*.yaml")))
    raise OptionError(f"no scenario '{name}'; give a YAML file or one of: {known}")


def _replicate(sc: Any, years: float, replications: int, seed: int) -> list[Any]:
    from corridor.simulation.scenarios import run_scenario

    results = []
    total = replications
    with _progress(PROGRESS_FROM if replications * years >= 1 else 0) as tick:
        for k in range(replications):
            report = None if tick is None else functools.partial(_share, tick, k, total)
            results.append(run_scenario(sc, years=years, seed=seed + k, progress=report))
    return results


def _share(tick: Callable[[int], None], k: int, total: int, done: float) -> None:
    tick(int(PROGRESS_FROM * (k + done) / total))


@app.command()
@friendly
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web page (at /) and the REST API (docs at /docs); stored scenarios live in the --db database."""
    try:
        import uvicorn
    except ImportError as exc:
        raise OptionError("the REST API needs the web extra: pip install 'corridor[web]'") from exc
    from corridor import store

    if db:
        os.environ[store.DB_ENV] = db  # the API's store calls read it, in this process only
    # Upgrading before listening makes a bad URL or an unreachable database fail here, not per request.
    revision = store.upgrade()
    out.print(f"[dim]Scenario store: {store.display_url()} at revision {revision}[/dim]")
    uvicorn.run("corridor.interfaces.api:app", host=host, port=port, log_level="info")


db_app = typer.Typer(no_args_is_help=True, help="The results and scenario database: its schema migrations.")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
@friendly
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Revision to reach; the newest by default.")] = "head",
    db: DbOption = None,
) -> None:
    """Apply the schema migrations a database lacks (each store command also does it on first use)."""
    from corridor import store

    before = store.revisions(db)[0]
    after = store.upgrade(db, revision)
    change = "already" if before == after else f"upgraded from {before or 'an empty database'} and now"
    out.print(f"{store.display_url(db)}: {change} at revision {after}")


@db_app.command("current")
@friendly
def db_current(db: DbOption = None) -> None:
    """Show the database's schema revision and the newest one this Corridor ships (changes nothing)."""
    from corridor import store

    current, head = store.revisions(db)
    state = "up to date" if current == head else f"behind: run `corridor db upgrade` to reach {head}"
    out.print(f"{store.display_url(db)}: revision {current or 'none (empty database)'}, {state}")


@db_app.command("downgrade")
@friendly
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Revision to return to; base removes every table.")],
    db: DbOption = None,
) -> None:
    """Undo migrations down to REVISION, dropping the tables later ones added (with their rows)."""
    from corridor import store

    after = store.downgrade(revision, db)
    out.print(f"{store.display_url(db)}: now at revision {after or 'base (no tables)'}")


class Method(StrEnum):
    ets = "ets"
    arima = "arima"
    target = "target"
    gravity = "gravity"


@app.command()
@friendly
def forecast(
    country_a: Annotated[str, typer.Argument(help="ISO country code, e.g. KZ.")],
    country_b: Annotated[str, typer.Argument(help="ISO country code, e.g. UZ.")],
    to: Annotated[int, typer.Option("--to", help="Last year to forecast.")] = 2030,
    method: Annotated[
        Method,
        typer.Option(
            help="ets or arima (trend with intervals), target (path a target needs), "
            "gravity (PPML gravity model on GDP and distance, with bootstrap intervals)."
        ),
    ] = Method.ets,
    level: Annotated[float, typer.Option(help="Coverage of the prediction interval.", min=0.5, max=0.99)] = 0.8,
    plot: Annotated[Path | None, typer.Option(help="Write a fan chart to FILE.png or FILE.html.")] = None,
    scenario_out: Annotated[
        Path | None, typer.Option(help="Write the final year's container demand as a scenario for `simulate`.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    by_group: Annotated[
        bool, typer.Option("--by-group", help="Also show the final year's tonnes and TEU per commodity group.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Trade value → tonnes → TEU → trains a week to a horizon, with intervals and the gap to a target."""
    from corridor.forecasting.api import pair_forecast
    from corridor.forecasting.models import required_growth

    result = pair_forecast(country_a, country_b, to, method.value, level, data)
    trade, pair, history, goal, path, table = (
        result.trade,
        result.pair,
        result.history,
        result.goal,
        result.path,
        result.table,
    )
    target = (goal.year, goal.value_usd_m) if goal else None
    if plot is not None:
        from corridor.forecasting.plot import fan_chart

        fan_chart(table, plot, f"{pair} trade, {method.value}", target)
    if scenario_out is not None:
        from corridor.forecasting.scenario import write_scenario

        write_scenario(trade, pair, table, method.value, scenario_out, result.conversion.label)
    if fmt is Format.json:
        print(table.to_json(orient="records", indent=2))
        return
    shown = table[table["year"] >= max(history) - 4]
    t = Table(
        title=f"{pair} trade and freight, {method.value} forecast to {to} (interval {level:.0%})", title_justify="left"
    )
    columns = _freight_columns(result.conversion.conversion.overland_share < 1)
    for name in ("year", "", *(c[0] for c in columns)):
        t.add_column(name, justify="left" if name in ("", "year") else "right")
    for row in shown.itertuples():
        ahead = row.kind != "observed" and method.value != "target"
        t.add_row(
            str(row.year),
            str(row.kind),
            *(
                _band(getattr(row, col), getattr(row, f"{col}_low"), getattr(row, f"{col}_high"), scale, ahead and band)
                for _, col, scale, band in columns
            ),
        )
    out.print(t)
    _print_conversion(result, by_group)
    last_year, last = max(history), history[max(history)]
    if goal is not None:
        need = required_growth(last, last_year, (goal.year, goal.value_usd_m))
        out.print(
            f"Target {goal.value_usd_m:,.0f} M USD by {goal.year} ({goal.announced}, {goal.source}) needs "
            f"{need:+.1%} a year from {last:,.0f} M USD in {last_year}; this forecast grows {path.growth:+.1%} a year."
        )
        if goal.year in path.years:
            at = path.median[path.years.index(goal.year)]
            out.print(
                f"In {goal.year} the {method.value} median reaches {at:,.0f} M USD: "
                f"{at / goal.value_usd_m:.0%} of the target."
            )
    if path.note:
        out.print(f"[dim]{path.note}[/dim]")
    out.print(f"[dim]Backtest MAPE, last 3 years held out: {'; '.join(_backtests(trade, pair, data))}[/dim]")
    if plot is not None:
        out.print(f"Fan chart written to {plot}")
    if scenario_out is not None:
        out.print(f"Scenario written to {scenario_out}: run `corridor simulate {scenario_out}`")


def _freight_columns(partly_overland: bool) -> list[tuple[str, str, float, bool]]:
    """Header, table column, scale and whether to show the interval, for the forecast table.

    With an overland share below 1 the overland TEU get a column of their own; kilotonnes and total
    TEU then show the median only, so the table still fits 120 columns.
    """
    if not partly_overland:
        return [
            ("million USD", "value_usd_m", 1, True),
            ("kt", "tonnes", 1e3, True),
            ("TEU", "teu", 1, True),
            ("trains/week", "trains_per_week", 1, True),
        ]
    return [
        ("million USD", "value_usd_m", 1, True),
        ("kt", "tonnes", 1e3, False),
        ("TEU", "teu", 1, False),
        ("overland TEU", "teu_overland", 1, True),
        ("trains/week", "trains_per_week", 1, True),
    ]


def _overland(share: float) -> str:
    return "all overland" if share == 1 else f"{share:.1%} overland (the rest by sea)"


def _print_conversion(result: PairForecast, by_group: bool) -> None:
    """Which conversion the freight columns used and, on request, the final year by commodity group."""
    c = result.conversion.conversion
    out.print(
        f"Conversion {result.conversion.label}: {c.usd_per_tonne:,.0f} USD/t, {c.container_share:.0%} "
        f"containerisable, {c.tonnes_per_teu:.1f} t per loaded TEU, {_overland(c.overland_share)}, "
        f"{c.teu_per_train:.0f} TEU per train."
    )
    if not by_group:
        return
    groups = result.groups()
    if groups is None:
        out.print(f"No commodity composition for {result.pair} in trade_composition.csv: nothing to split by group.")
        return
    year = int(result.table.iloc[-1]["year"])
    t = Table(title=f"{result.pair} {year} (median) by commodity group", title_justify="left")
    for name in ("group", "share", "million USD", "kt", "TEU", "trains/week"):
        t.add_column(name, justify="left" if name == "group" else "right")
    for row in groups.to_dict("records"):
        share, value, tonnes, teu, trains = (
            float(row[k]) for k in ("share", "value_usd_m", "tonnes", "teu", "trains_per_week")
        )
        t.add_row(
            str(row["group"]), f"{share:.1%}", f"{value:,.0f}", f"{tonnes / 1e3:,.0f}", f"{teu:,.0f}", f"{trains:,.1f}"
        )
    out.print(t)


def _backtests(trade: TradeData, pair: str, data: Path | None) -> list[str]:
    """MAPE of each method that scores a path (not ``target``), or why it cannot."""
    from corridor.forecasting.gravity import load_gravity
    from corridor.forecasting.scores import pair_scores

    return [
        f"{s.method} {s.mape:.1f} %" if s.mape is not None else f"{s.method} n/a ({s.reason})"
        for s in pair_scores(trade, pair, load_gravity(trade, data))
    ]


@app.command()
@friendly
def backtest(
    holdout: Annotated[int, typer.Option(help="Last years each method forecasts without seeing.", min=1, max=10)] = 3,
    markdown: Annotated[bool, typer.Option(help="Print a Markdown table (as in the README).")] = False,
    data: DataOption = None,
) -> None:
    """Backtest MAPE of ets, arima and gravity on every pair with trade data (last years held out)."""
    from corridor.forecasting.data import load_trade
    from corridor.forecasting.gravity import load_gravity
    from corridor.forecasting.scores import SCORED, all_scores

    trade = load_trade(data)
    scores = all_scores(trade, load_gravity(trade, data), holdout)
    rows = [
        [pair, _run(trade.series(pair)), *(_mape(s.mape) for s in scores if s.pair == pair)] for pair in trade.pairs()
    ]
    header = ["pair", "years (latest run)", *(f"{m} MAPE" for m in SCORED)]
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---", "---", *("---:" for _ in SCORED)]) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        t = Table(title=f"Backtest MAPE, last {holdout} years held out", title_justify="left")
        for name in header:
            t.add_column(name, justify="left" if name in header[:2] else "right")
        for row in rows:
            t.add_row(*row)
        out.print(t)
    # why a cell is n/a; on stderr under --markdown so the table can be piped into a file as it is
    why = err if markdown else out
    for s in scores:
        if s.mape is None:
            why.print(f"[dim]{s.pair} {s.method}: {s.reason}[/dim]")


def _run(series: dict[int, float]) -> str:
    """The latest unbroken run of years (single gaps filled), as the trend models use it."""
    if not series:
        return "none"
    last = first = max(series)
    while first - 1 in series:
        first -= 1
    return f"{first}–{last} ({last - first + 1})"


def _mape(value: float | None) -> str:
    return f"{value:.1f} %" if value is not None else "n/a"


def _band(mid: float, low: float, high: float, scale: float, interval: bool) -> str:
    text = f"{mid / scale:,.0f}"
    return f"{text} [{low / scale:,.0f}–{high / scale:,.0f}]" if interval else text


@app.command()
@friendly
def validate(
    markdown: Annotated[bool, typer.Option(help="Print a Markdown table (as in the README).")] = False,
    data: DataOption = None,
) -> None:
    """Compare model output with published transit times, distances and dwell times."""
    from corridor.validation import (
        KNOWN_MISSES,
        markdown_table,
        range_markdown,
        run_range_validation,
        run_validation,
    )

    network = _network(data)
    results = run_validation(network)
    ranges = run_range_validation(network)
    if markdown:
        print(markdown_table(results))
        print()
        print(range_markdown(ranges))
        return
    table = Table(
        "#",
        "case",
        "published",
        "model",
        "band",
        "error",
        "ok",
        "basis",
        title="Validation against published figures",
        title_justify="left",
    )
    for r in results:
        c = r.case
        ok = "[green]yes[/green]" if r.ok else "[red]no[/red]"
        table.add_row(
            c.id,
            c.name,
            c.published,
            f"{r.value:,.1f} {c.unit}",
            f"{c.low:g}–{c.high:g}",
            f"{r.error_pct:+.1f} %",
            ok,
            c.basis,
        )
    out.print(table)
    spread = Table(
        "#",
        "case",
        "published",
        "model P10–P50–P90 d",
        "overlap",
        title="Transit-time ranges (Monte Carlo)",
        title_justify="left",
    )
    for rr in ranges:
        ok = "[green]yes[/green]" if rr.ok else "[red]no[/red]"
        spread.add_row(
            rr.case.id,
            rr.case.name,
            rr.case.published,
            f"{rr.p10_days:.1f} – {rr.p50_days:.1f} – {rr.p90_days:.1f}",
            ok,
        )
    out.print(spread)
    for case_id, why in KNOWN_MISSES.items():
        out.print(f"[dim]known miss {case_id}: {why}[/dim]")


def _rate(
    routes: list[Any],
    samples: int | None,
    deadline: str | None,
    depart: str | None,
    month: str | None,
    seed: int,
    data: Path | None,
) -> dict[int, Any]:
    """Monte Carlo each route (keyed by ``id(route)``); empty when no samples were asked for."""
    from corridor.uncertainty.api import RatedRoute, parse_deadline, reliability

    when = _depart(depart, month)
    if samples is None:
        if deadline is not None or when is not None:
            raise OptionError("--deadline, --depart and --month need --samples N (or a robust --objective)")
        return {}
    deadline_h = None if deadline is None else parse_deadline(deadline, when)
    network = _network(data)
    rated = {}
    with _progress(samples * len(routes)) as tick:
        for n, r in enumerate(routes):
            report = None if tick is None else functools.partial(_offset, tick, n * samples)
            rel = reliability(
                r, samples, seed=seed, deadline_h=deadline_h, depart=when, network=network, progress=report
            )
            rated[id(r)] = RatedRoute(r, rel)
    return rated


def _offset(tick: Callable[[int], None], before: int, done: int) -> None:
    tick(before + done)


def _depart(depart: str | None, month: str | None) -> Any:
    from datetime import datetime

    from corridor.uncertainty.api import parse_month

    if depart is not None and month is not None:
        raise OptionError("give --depart or --month, not both")
    if month is not None:
        return parse_month(month)
    if depart is None:
        return None
    try:
        return datetime.strptime(depart, "%Y-%m-%d").date()
    except ValueError:
        raise OptionError(f"--depart takes a date YYYY-MM-DD; got '{depart}'") from None


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar for long Monte Carlo runs (on stderr); nothing for short ones."""
    if total < PROGRESS_FROM:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("sampling journeys"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("mc", total=total)
        yield lambda done: bar.update(task, completed=done)


def _json(origin: str, destination: str, routes: Any, rated: dict[int, Any]) -> dict[str, Any]:
    rows = []
    for r in routes:
        row = r.to_dict()
        if id(r) in rated:
            row.update(rated[id(r)].reliability.to_dict())
        rows.append(row)
    return {"origin": origin, "destination": destination, "routes": rows}


def _routes_table(routes: Any, title: str, best: Any, rated: dict[int, Any] | None = None) -> Table:
    rated = rated or {}
    odds = any(r.reliability.on_time_probability is not None for r in rated.values())
    numeric = [
        "days",
        "USD",
        "t CO2e",
        "km",
        "lifts",
        *(["P50 d", "P90 d"] if rated else []),
        *(["on time"] if odds else []),
    ]
    table = Table(title=title, title_justify="left")
    for name in ("", "corridor", *numeric, "via"):
        table.add_column(name, justify="right" if name in numeric else "left")
    for r in routes:
        cells = [
            f"{r.total_time_days:.1f}",
            f"{r.total_cost_usd:,.0f}",
            f"{r.co2e_kg / 1000:.2f}",
            f"{r.distance_km:,.0f}",
            str(r.transshipments),
        ]
        if id(r) in rated:
            rel = rated[id(r)].reliability
            cells += [f"{rel.p50_h / 24:.1f}", f"{rel.p90_h / 24:.1f}"]
            cells += [f"{rel.on_time_probability:.0%}"] if odds else []
        table.add_row("★" if r is best else "", r.corridor, *cells, " – ".join(_via(r)))
    return table


def _via(route: Any) -> list[str]:
    """Places where something happens (border, gauge change, port), not every station."""
    stops = [route.places[0]]
    for c in route.crossings:
        if c.place not in stops:
            stops.append(c.place)
    stops = [*stops, route.places[-1]] if stops[-1] != route.places[-1] else stops
    return [name.split(" (")[0] for name in stops]


def _itinerary(route: Any) -> Table:
    from corridor.routing.breakdown import time_cost_distance

    table = Table(title=f"Itinerary of the ★ route ({route.corridor})", title_justify="left")
    for name in ("step", "kind", "km", "hours", "USD", "Σ km", "Σ days", "Σ USD"):
        table.add_column(name, justify="left" if name in ("step", "kind") else "right")
    for s in time_cost_distance(route):
        table.add_row(
            s.what,
            s.kind,
            f"{s.distance_km:,.0f}",
            f"{s.time_h:.1f}",
            f"{s.cost_usd:,.0f}",
            f"{s.cum_distance_km:,.0f}",
            f"{s.cum_time_h / 24:.1f}",
            f"{s.cum_cost_usd:,.0f}",
        )
    return table


def _breakdown_table(routes: Any) -> Table:
    from corridor.routing.breakdown import CATEGORIES, breakdown

    table = Table(title="Where the time (days) and cost (USD) go", title_justify="left")
    table.add_column("")
    for r in routes:
        table.add_column(r.corridor, justify="right")
    parts = [breakdown(r) for r in routes]
    for cat in CATEGORIES:
        table.add_row(cat, *[f"{p[cat][0] / 24:.1f} d  ${p[cat][1]:,.0f}" for p in parts])
    return table


def _distance_table(route: Any) -> Table:
    table = _itinerary(route)
    table.title = f"Time/cost–distance table (UNESCAP method): {route.corridor}"
    return table


def main() -> None:
    """Entry point of the ``corridor`` command."""
    app()
