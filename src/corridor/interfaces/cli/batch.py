"""Batch planning command: ``batch`` (a shipment list in, results, per-leg file and report out)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from corridor.errors import OptionError
from corridor.interfaces.cli.common import DataOption, EmptyReturnOption, SeedOption, err, friendly, load, out

if TYPE_CHECKING:
    from corridor.shipments.model import Shipment
    from corridor.shipments.plan import Outcome
    from corridor.shipments.reading import RowError

__all__ = ["batch"]

SHOWN_ERRORS = 20
"""Row errors listed on the terminal (all of them are in the results file)."""


@friendly
def batch(
    shipments: Annotated[Path, typer.Argument(help="Shipment list: a .csv or .xlsx file, one row per shipment.")],
    out_path: Annotated[
        Path, typer.Option("--out", help="Results, one row per shipment: FILE.csv or FILE.json.", dir_okay=False)
    ],
    legs: Annotated[
        Path | None,
        typer.Option(help="Per-leg and per-hub file (.csv or .json); default: the results name + '-legs'."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(help="ISO 14083 emissions report FILE.html; the same figures go to FILE.json and FILE.csv."),
    ] = None,
    depart: Annotated[
        str | None,
        typer.Option(
            "--date", help="Departure date YYYY-MM-DD for rows without one (it also sets their pricing month)."
        ),
    ] = None,
    samples: Annotated[
        int,
        typer.Option(
            help="Monte Carlo journeys per lane: adds P50/P90 days (rows with a deadline get them and "
            "their on-time odds anyway, from 5,000 journeys).",
            min=0,
            max=200_000,
        ),
    ] = 0,
    seed: SeedOption = 0,
    empty_return: EmptyReturnOption = False,
    data: DataOption = None,
) -> None:
    """Plan a list of shipments (FCL, reefer, LCL, air): route, time, cost and CO2e for each.

    Identical lanes are searched once. A bad row is reported by line and field in the results
    and the other rows are still planned; the exit code is 0 when the file could be read.
    """
    from corridor.shipments.plan import plan_shipments
    from corridor.shipments.reading import read_shipments
    from corridor.shipments.report import ELEMENT_COLUMNS, RESULT_COLUMNS, element_rows, result_row, write_table

    legs = legs or out_path.with_name(f"{out_path.stem}-legs{out_path.suffix}")
    _check_distinct(shipments, out_path, legs, report)
    network = load(data)
    items = _with_date(read_shipments(shipments), _date(depart))
    with _bar(len(items)) as advance:
        outcomes = plan_shipments(
            items, network=network, samples=samples, seed=seed, progress=advance, empty_return=empty_return
        )
    write_table(out_path, [result_row(o) for o in outcomes], RESULT_COLUMNS)
    write_table(legs, element_rows(outcomes), ELEMENT_COLUMNS)
    written = [out_path, legs]
    if report is not None:
        from corridor.shipments.report import write_report

        written += write_report(report, outcomes, network)
    _print_summary(outcomes)
    out.print("Written: " + ", ".join(str(p) for p in written))


def _check_distinct(shipments: Path, out_path: Path, legs: Path, report: Path | None) -> None:
    """Refuse (exit 2) before planning when two outputs, or an output and the input, are one file."""
    from corridor.shipments.report import report_paths

    named = [("--out", out_path), ("--legs", legs)]
    if report is not None:
        named += [(f"--report ({p.name})", p) for p in report_paths(report)]
    seen = {shipments.resolve(): "the shipment list"}
    for flag, path in named:
        other = seen.setdefault(path.resolve(), flag)
        if other != flag:
            raise OptionError(f"{flag} would overwrite {other}: {path}; give the outputs distinct names")


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise OptionError(f"--date takes a date like 2026-03-01; got '{text}'") from None


def _with_date(items: list[Shipment | RowError], depart: date | None) -> list[Shipment | RowError]:
    from corridor.shipments.model import Shipment

    if depart is None:
        return items
    return [replace(i, depart=depart) if isinstance(i, Shipment) and i.depart is None else i for i in items]


@contextmanager
def _bar(total: int) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar over the rows (on stderr, gone when done)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("planning shipments"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("batch", total=total)
        yield lambda done: bar.update(task, completed=done)


def _print_summary(outcomes: Sequence[Outcome]) -> None:
    from corridor.shipments.reading import RowError
    from corridor.shipments.report import summarise

    s = summarise(outcomes)
    kinds = ", ".join(f"{n} {k.upper()}" for k, n in sorted(s["by_kind"].items()))
    out.print(
        f"{s['planned']} of {s['rows']} shipments planned ({kinds}): {s['cost_usd']:,.0f} USD, "
        f"{s['co2e_wtw_t']:,.2f} t CO2e well-to-wheel."
    )
    if any(n.startswith("priced at") for o in outcomes if not isinstance(o, RowError) for n in o.notes):
        from corridor.shipments.plan import ShipmentPlan
        from corridor.shipments.report import pricing_statement

        out.print(pricing_statement([o for o in outcomes if isinstance(o, ShipmentPlan)]))
    errors = [o for o in outcomes if isinstance(o, RowError)]
    if not errors:
        return
    table = Table(title=f"{len(errors)} row(s) not planned", title_justify="left")
    for col in ("line", "reference", "field", "reason"):
        table.add_column(col, overflow="fold")
    for e in errors[:SHOWN_ERRORS]:
        table.add_row(str(e.line), e.reference, e.field, e.reason)
    out.print(table)
    if len(errors) > SHOWN_ERRORS:
        out.print(f"… and {len(errors) - SHOWN_ERRORS} more in the results file.")
