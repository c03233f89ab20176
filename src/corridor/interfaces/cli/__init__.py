"""The ``corridor`` command line.

Commands, one module per group:

- routing (:mod:`.routing`): ``route`` (Pareto routes and the best one's itinerary), ``compare``
  (the best route of every corridor), ``places`` (find a place by any name) and ``reliability``
  (on-time odds for a deadline);
- data (:mod:`.data`): ``check-data`` (a data directory's integrity) and ``validate`` (the model
  against published figures);
- simulation (:mod:`.simulation`): ``simulate`` (a demand scenario's throughput and bottlenecks)
  and ``sweep`` (scenarios × replications, stored);
- forecast (:mod:`.forecast`): ``forecast`` (trade → TEU → trains a week) and ``backtest``;
- service (:mod:`.service`): ``serve`` (web page and REST API) and ``db upgrade|current|downgrade``;
- batch (:mod:`.batch`): ``batch`` (a shipment list: routes, costs, ISO 14083 emissions, report).

Shared options and the error wrapper live in :mod:`.common`. A new command group is a new module
here, registered below.

Exit codes: 0 success, 1 no route under the constraints, 2 bad input (unknown place, bad
option or flag, broken data file), 70 an internal error (set ``CORRIDOR_DEBUG=1`` to see the
traceback), 130 stopped by Ctrl-C, 141 the output's reader went away (``| head``; quiet).
"""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.interfaces.cli import batch, data, forecast, routing, service, simulation

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Plan and compare container routes on the Eurasian land bridge (Middle Corridor and alternatives).",
)


def _version(show: bool) -> None:
    if show:
        import corridor

        print(f"corridor {corridor.__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Plan and compare container routes on the Eurasian land bridge (Middle Corridor and alternatives)."""


app.command()(routing.route)
app.command()(routing.compare)
app.command()(routing.places)
app.command("check-data")(data.check_data)
app.command()(routing.reliability)
app.command()(simulation.simulate)
app.command()(simulation.sweep)
app.command()(service.serve)
app.add_typer(service.db_app, name="db")
app.command()(forecast.forecast)
app.command()(forecast.backtest)
app.command()(data.validate)
app.command()(batch.batch)


def main() -> None:
    """Entry point of the ``corridor`` command."""
    app()
