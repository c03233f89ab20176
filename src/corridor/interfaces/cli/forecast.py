"""Trade forecast commands: ``forecast`` (one country pair to a horizon) and ``backtest`` (every pair)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from corridor.interfaces.cli.common import DataOption, Format, err, friendly, out
from corridor.vocab import ForecastMethod

if TYPE_CHECKING:
    from corridor.forecasting.api import PairForecast
    from corridor.forecasting.data import TradeData

__all__ = ["backtest", "forecast"]


@friendly
def forecast(
    country_a: Annotated[str, typer.Argument(help="ISO country code, e.g. KZ.")],
    country_b: Annotated[str, typer.Argument(help="ISO country code, e.g. UZ.")],
    to: Annotated[int, typer.Option("--to", help="Last year to forecast.")] = 2030,
    method: Annotated[
        ForecastMethod,
        typer.Option(
            help="ets or arima (trend with intervals), target (path a target needs), "
            "gravity (PPML gravity model on GDP and distance, with bootstrap intervals).",
            case_sensitive=False,
        ),
    ] = ForecastMethod.ets,
    level: Annotated[float, typer.Option(help="Coverage of the prediction interval.", min=0.5, max=0.99)] = 0.8,
    plot: Annotated[Path | None, typer.Option(help="Write a fan chart to FILE.png or FILE.html.")] = None,
    scenario_out: Annotated[
        Path | None, typer.Option(help="Write the final year's container demand as a scenario for `simulate`.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    by_group: Annotated[
        bool, typer.Option("--by-group", help="Also show the final year's tonnes and TEU per commodity group.")
    ] = False,
    reporter: Annotated[
        str | None,
        typer.Option(
            help="Whose statistics the history is in (a country code of the pair; mirror statistics differ). "
            "Default: the reporter with the latest year, its gaps bridged from the partner's level-adjusted figures."
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Trade value → tonnes → TEU → trains a week to a horizon, with intervals and the gap to a target."""
    from corridor.forecasting.api import pair_forecast

    result = pair_forecast(country_a, country_b, to, method.value, level, data, reporter)
    goal, table = result.goal, result.table
    if plot is not None:
        from corridor.forecasting.plot import fan_chart

        target = (goal.year, goal.value_usd_m) if goal else None
        fan_chart(table, plot, f"{result.pair} trade, {method.value}", target)
    if scenario_out is not None:
        from corridor.forecasting.scenario import write_scenario

        write_scenario(result.trade, result.pair, table, method.value, scenario_out, result.conversion.label)
    if fmt is Format.json:
        print(table.to_json(orient="records", indent=2))
        return
    out.print(_forecast_table(result, method, to, level))
    out.print(result.series_note())
    if result.calibration is not None:
        out.print(result.calibration.coverage_note() + ".")
    _print_conversion(result, by_group)
    _print_target(result, method)
    if result.path.note:
        out.print(f"[dim]{result.path.note}[/dim]")
    out.print(
        f"[dim]Backtest MAPE of this pair alone, last 3 years held out (the band above is calibrated on "
        f"every pair): {'; '.join(_backtests(result.trade, result.pair, data))}[/dim]"
    )
    if plot is not None:
        out.print(f"Fan chart written to {plot}")
    if scenario_out is not None:
        out.print(f"Scenario written to {scenario_out}: run `corridor simulate {scenario_out}`")


def _forecast_table(result: PairForecast, method: ForecastMethod, to: int, level: float) -> Table:
    """The last five observed years and the forecast, each figure with its interval where it has one."""
    table = result.table
    shown = table[table["year"] >= max(result.history) - 4]
    calibrated = result.calibration
    t = Table(
        title=f"{result.pair} trade and freight, {method.value} forecast to {to} (interval {level:.0%})",
        title_justify="left",
        caption=f"{level:.0%} band held in {calibrated.coverage()} backtest forecasts" if calibrated else None,
        caption_justify="left",
    )
    columns = _freight_columns(result.conversion.conversion.overland_share < 1)
    for name in ("year", "", *(c[0] for c in columns)):
        t.add_column(name, justify="left" if name in ("", "year") else "right")
    for row in shown.itertuples():
        ahead = row.kind != "observed" and method is not ForecastMethod.target
        t.add_row(
            str(row.year),
            str(row.kind),
            *(
                _band(getattr(row, col), getattr(row, f"{col}_low"), getattr(row, f"{col}_high"), scale, ahead and band)
                for _, col, scale, band in columns
            ),
        )
    return t


def _print_target(result: PairForecast, method: ForecastMethod) -> None:
    """The growth a published trade target needs, against the forecast's growth."""
    from corridor.forecasting.models import required_growth

    goal, path, history = result.goal, result.path, result.history
    if goal is None:
        return
    last_year, last = max(history), history[max(history)]
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
        f"{s.method} {s.mape:.1f} %" if s.mape is not None else f"{s.method} n/a ({_held_out(s.reason)})"
        for s in pair_scores(trade, pair, load_gravity(trade, data))
    ]


def _held_out(reason: str) -> str:
    """Why a method has no backtest on this pair, saying that the held-out years shortened it."""
    if "consecutive years" in reason:
        return f"too short once the held-out years are removed: {reason}"
    return reason


@friendly
def backtest(
    holdout: Annotated[int, typer.Option(help="Last years each method forecasts without seeing.", min=1, max=10)] = 3,
    markdown: Annotated[bool, typer.Option(help="Print a Markdown table (as in the docs).")] = False,
    data: DataOption = None,
) -> None:
    """Backtest MAPE of ets, arima and gravity on every pair with trade data (last years held out)."""
    from corridor.forecasting.calibration import CALIBRATED, calibration, pair_coverage
    from corridor.forecasting.data import load_trade
    from corridor.forecasting.gravity import load_gravity
    from corridor.forecasting.scores import SCORED, all_scores

    trade = load_trade(data)
    scores = all_scores(trade, load_gravity(trade, data), holdout)
    rows = [
        [
            pair,
            _run(trade.series(pair)),
            *(_mape(s.mape) for s in scores if s.pair == pair),
            *(_held(pair_coverage(trade, pair, m)) for m in CALIBRATED),
        ]
        for pair in trade.pairs()
    ]
    header = [
        "pair",
        "years (latest run)",
        *(f"{m} MAPE" for m in SCORED),
        *(f"{m} 80 % band held" for m in CALIBRATED),
    ]
    calibrations = [calibration(trade, m) for m in CALIBRATED]
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---", "---", *("---:" for _ in header[2:])]) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        t = Table(title=f"Backtest MAPE, last {holdout} years held out", title_justify="left")
        for name in header:
            t.add_column(name, justify="left" if name in header[:2] else "right")
        for row in rows:
            t.add_row(*row)
        out.print(t)
    # coverage and why a cell is n/a; on stderr under --markdown so the table can be piped into a file as it is
    why = err if markdown else out
    for c in calibrations:
        why.print(f"{c.method}: {c.coverage_note()}.")
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


def _held(coverage: tuple[int, int] | None) -> str:
    return f"{coverage[0]} of {coverage[1]}" if coverage is not None else "n/a"


def _mape(value: float | None) -> str:
    return f"{value:.1f} %" if value is not None else "n/a"


def _band(mid: float, low: float, high: float, scale: float, interval: bool) -> str:
    text = f"{mid / scale:,.0f}"
    return f"{text} [{low / scale:,.0f}–{high / scale:,.0f}]" if interval else text
