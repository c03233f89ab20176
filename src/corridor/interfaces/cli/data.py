"""Data commands: ``check-data`` (a data directory's integrity) and ``validate`` (the model against reality)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from corridor.errors import OptionError
from corridor.interfaces.cli.common import DataOption, friendly, load, out

if TYPE_CHECKING:
    from corridor.validation import RangeResult, Result

__all__ = ["check_data", "validate"]


@friendly
def check_data(
    path: Annotated[Path, typer.Argument(help="A data directory (a copy of the embedded one).", file_okay=False)],
) -> None:
    """Validate every file the model reads from a data directory (network, simulator, trade,
    scenarios); report every problem by file, line and field (exit 2)."""
    from corridor.datacheck import check_data_dir
    from corridor.errors import DataFileError

    if not path.is_dir():
        raise OptionError(f"no data directory {path}")
    summary, problems = check_data_dir(path)
    if problems:
        raise DataFileError(problems)
    assert summary is not None  # no problems: the network loaded
    counts = f"{summary.places} places, {summary.links} links, {summary.sources} sources, {summary.files} files"
    out.print(f"{path}: {counts} — OK")


@friendly
def validate(
    markdown: Annotated[bool, typer.Option(help="Print a Markdown table (as in the docs).")] = False,
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

    network = load(data)
    results = run_validation(network)
    ranges = run_range_validation(network)
    if markdown:
        print(markdown_table(results))
        print()
        print(range_markdown(ranges))
        return
    out.print(_cases_table(results))
    out.print(_ranges_table(ranges))
    for case_id, why in KNOWN_MISSES.items():
        out.print(f"[dim]known miss {case_id}: {why}[/dim]")


def _ok(ok: bool) -> str:
    return "[green]yes[/green]" if ok else "[red]no[/red]"


def _cases_table(results: Sequence[Result]) -> Table:
    """Each validation case: the published figure, the model's, the band and the error."""
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
        table.add_row(
            c.id,
            c.name,
            c.published,
            f"{r.value:,.1f} {c.unit}" + (" (P50)" if c.statistic == "p50" else ""),
            f"{c.low:g}–{c.high:g}",
            f"{r.error_pct:+.1f} %",
            _ok(r.ok),
            c.basis,
        )
    return table


def _ranges_table(ranges: Sequence[RangeResult]) -> Table:
    """Each published transit-time range beside the model's Monte Carlo P10–P50–P90."""
    table = Table(
        "#",
        "case",
        "published",
        "model P10–P50–P90 d",
        "overlap",
        title="Transit-time ranges (Monte Carlo)",
        title_justify="left",
    )
    for rr in ranges:
        table.add_row(
            rr.case.id,
            rr.case.name,
            rr.case.published,
            f"{rr.p10_days:.1f} – {rr.p50_days:.1f} – {rr.p90_days:.1f}",
            _ok(rr.ok),
        )
    return table
