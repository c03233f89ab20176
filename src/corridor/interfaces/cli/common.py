"""What every command group shares: consoles, the error wrapper, shared options and helpers."""

from __future__ import annotations

import functools
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, ParamSpec

import typer
from rich.console import Console
from rich.markup import escape

from corridor import settings
from corridor.errors import CorridorError, NoRouteError
from corridor.vocab import Cargo

if TYPE_CHECKING:
    from corridor.network.model import Network

__all__ = [
    "DEFAULT_SAMPLES",
    "FLAGS",
    "MAX_YEARS",
    "PROGRESS_FROM",
    "CargoOption",
    "DataOption",
    "DateOption",
    "DbOption",
    "DeadlineOption",
    "DepartOption",
    "EmptyReturnOption",
    "Format",
    "MonthOption",
    "SamplesOption",
    "SeedOption",
    "YearsOption",
    "err",
    "exit_code",
    "friendly",
    "in_flags",
    "load",
    "out",
    "progress",
    "split",
]

P = ParamSpec("P")


class _Console(Console):
    """A console that lets a closed pipe reach :func:`friendly` (rich itself would exit 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


# Piped output (a log, CI) gets a readable width instead of rich's 80-column default.
out = _Console(highlight=False, width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160)
err = _Console(stderr=True, highlight=False)

DEFAULT_SAMPLES = 20_000
"""Monte Carlo journeys per route when a command needs percentiles and none were asked for."""
PROGRESS_FROM = 1_000_000
"""Journeys (or simulated steps) from which a progress bar is shown."""


class Format(StrEnum):
    """Output formats of the commands that print routes or tables."""

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
CargoOption = Annotated[Cargo, typer.Option(help="Container type.", case_sensitive=False)]
SamplesOption = Annotated[
    int | None, typer.Option(help="Monte Carlo journeys per route: adds P10–P95 times (and on-time odds).")
]
DeadlineOption = Annotated[str | None, typer.Option(help="Deadline: 25d, 600h or a date 2026-03-01.")]
DepartOption = Annotated[str | None, typer.Option(help="Departure date YYYY-MM-DD (sets the Caspian season).")]
MonthOption = Annotated[str | None, typer.Option(help="Departure month jan … dec, instead of --depart.")]
SeedOption = Annotated[
    int, typer.Option(help="Random seed: the same seed gives the same figures.", min=0, max=2**32 - 1)
]
DateOption = Annotated[
    str | None,
    typer.Option(help="Price at this date: YYYY, YYYY-MM or YYYY-MM-DD (default: the latest the data covers)."),
]
MAX_YEARS = 5.0
"""Longest simulated period on the command line (the user's own machine); the REST API allows 2
(a shared server, :data:`corridor.interfaces.api.common.MAX_YEARS`)."""


def _years(value: float) -> float:
    import math

    if not math.isfinite(value):
        raise typer.BadParameter(f"must be a finite number; got {value}")
    if not 0.05 <= value <= MAX_YEARS:
        raise typer.BadParameter(f"must be from 0.05 to {MAX_YEARS:g} years; got {value:g}")
    return value


YearsOption = Annotated[
    float,
    typer.Option(
        help=f"Simulated years, 0.05 to {MAX_YEARS:g} (the REST API allows 2: a shared server).", callback=_years
    ),
]

EmptyReturnOption = Annotated[
    bool,
    typer.Option(
        "--empty-return",
        help="Add bringing the empty box back (one-way lease premium out of China; none for a carrier's box at sea).",
    ),
]
DbOption = Annotated[
    str | None, typer.Option(help="Database URL; default $CORRIDOR_DB, else sqlite:///corridor-results.db.")
]


def friendly(command: Callable[P, None]) -> Callable[P, None]:
    """Turn errors into a one-line message and an exit code: no traceback reaches a user."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        _record_ctrl_c()
        try:
            command(*args, **kwargs)
        except CorridorError as exc:
            # A store failure's driver detail (host, port, file) is for the operator at the terminal.
            detail = getattr(exc, "detail", "")
            err.print(f"[bold red]error:[/bold red] {escape(in_flags(str(exc)) + (f' ({detail})' if detail else ''))}")
            raise typer.Exit(exit_code(exc)) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None  # as a shell reports a process stopped by Ctrl-C
        except BrokenPipeError:
            _quiet_stdout()  # the reader (``| head``) has what it wanted
            raise typer.Exit(141) from None  # as for SIGPIPE
        except Exception as exc:
            if _interrupted(exc):
                raise typer.Exit(130) from None
            if isinstance(exc, OSError) and exc.strerror:
                name = str(exc.filename or "")
                shown = f"{name[:60]}…" if len(name) > 60 else name
                err.print(f"[bold red]error:[/bold red] {escape(exc.strerror)}{escape(f': {shown}' if shown else '')}")
                raise typer.Exit(2) from None
            if os.environ.get(settings.DEBUG_ENV):
                raise
            err.print(f"[bold red]internal error:[/bold red] {exc!r} (set {settings.DEBUG_ENV}=1 for details)")
            raise typer.Exit(70) from None

    return run


_CTRL_C: list[bool] = []
"""Non-empty once Ctrl-C arrived during the command (see :func:`_record_ctrl_c`)."""


def _record_ctrl_c() -> None:
    """Remember a Ctrl-C before Python raises it: inside a C callback (numba compiling its kernel)
    the KeyboardInterrupt is swallowed and another error surfaces, which must still exit 130."""
    _CTRL_C.clear()
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        _CTRL_C.append(True)
        signal.default_int_handler(signum, frame)

    signal.signal(signal.SIGINT, handler)


def _interrupted(exc: BaseException) -> bool:
    """Ctrl-C that a compiled kernel turned into another error (NumPy, numba: ``SystemError``)."""
    if _CTRL_C:
        return True
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush does not complain either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


FLAGS = {
    "avoid_countries": "--avoid",
    "avoid_modes": "--avoid-mode",
    "avoid_passages": "--avoid-passage",
    "allow_passages=": "--allow-passage ",
    "allow_passages": "--allow-passage",
    "max_transshipments": "--max-transshipments",
    "include_planned": "--include-planned",
    "to_year": "--to",
}
"""Library parameter → the flag that sets it: library messages name parameters, a CLI user sees flags."""
_PARAMETER = re.compile(r"\b(" + "|".join(FLAGS) + r")\b")


def in_flags(message: str) -> str:
    """A library message with the parameters it names replaced by this command line's flags."""
    return _PARAMETER.sub(lambda m: FLAGS[m.group(1)], message)


def exit_code(exc: CorridorError) -> int:
    """1 when no route meets the constraints (a valid question without an answer), else 2 (bad input)."""
    return 1 if isinstance(exc, NoRouteError) else 2


def load(data: Path | None) -> Network:
    """The network in ``data``, or the default one (loaded once per process)."""
    from corridor.routing.api import default_network

    if data is None:
        return default_network()
    from corridor.network.io import load_network

    return load_network(data)


def split(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated option values as one list: ``--avoid RU,BY --avoid IR``."""
    return [v for item in values or [] for v in item.split(",") if v.strip()]


@contextmanager
def progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar for long runs (on stderr), fed with steps done out of ``total``; nothing for short ones.

    When stderr is not a terminal (a log, CI, a captured run) a bar would not show, so a line is
    written at every tenth of the run instead, with the time taken and an estimate of the rest.
    """
    if total < PROGRESS_FROM:
        yield None
        return
    if not err.is_terminal:
        yield _logged(total)
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


def _logged(total: int) -> Callable[[int], None]:
    """A progress callback that writes one line per tenth of ``total`` done (for a non-terminal)."""
    import time

    start = time.monotonic()
    shown = [0]

    def tick(done: int) -> None:
        tenth = min(10, done * 10 // total)
        if tenth <= shown[0]:
            return
        shown[0] = tenth
        spent = time.monotonic() - start
        left = spent * (total - done) / done if done else 0.0
        err.print(f"sampling journeys: {tenth * 10} % ({spent:,.0f} s, about {left:,.0f} s left)")

    return tick
