"""Forecasts of trade and freight, and simulations of the shipped scenarios."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from corridor import settings
from corridor.interfaces.api.common import MAX_YEARS, YEARS_DESCRIPTION, errors, records
from corridor.interfaces.api.limits import FORECAST, SIMULATION
from corridor.interfaces.jobs import Progress
from corridor.vocab import ForecastMethod

__all__ = [
    "ForecastIn",
    "ForecastOut",
    "ShippedScenario",
    "SimulateIn",
    "forecast",
    "router",
    "run_forecast",
    "run_simulate",
    "shipped_scenarios",
    "simulate",
]

router = APIRouter()


class ForecastIn(BaseModel):
    """A country pair's trade forecast to a horizon year."""

    a: str = Field(min_length=2, max_length=40, description="ISO code, e.g. KZ")
    b: str = Field(min_length=2, max_length=40, description="ISO code, e.g. UZ")
    to: int = Field(default=2030, ge=2000, le=2100, description="Horizon year (at most 25 years beyond the data)")
    method: ForecastMethod = ForecastMethod.ets
    reporter: str | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="Whose statistics the history is in (a country of the pair); default: the one with the latest year",
    )


class ForecastOut(BaseModel):
    """A trade forecast: the yearly path and the target gap."""

    pair: str
    method: str
    rows: list[dict[str, Any]]
    """Yearly value, tonnes, TEU, overland TEU (``teu_overland``) and trains a week, each with ``_low`` /
    ``_high``: the history, then the forecast."""
    target_usd_m: float | None
    target_year: int | None
    required_growth: float | None
    forecast_growth: float
    note: str = ""
    """What the method assumed (the gravity model's fit and where its GDP comes from)."""
    conversion: str = ""
    """How value became tonnes and TEU: by commodity group (with the composition used) or a single factor."""
    groups: list[dict[str, Any]] = []
    """The final year's value, tonnes and TEU per commodity group (empty for a single-factor conversion)."""
    series: str = ""
    """Whose statistics the history is in, the other reporters and the years bridged from mirror figures."""
    coverage: float | None = None
    """Share of backtest forecasts inside the calibrated band, each calibrated only on misses known at its
    origin (ets and arima; None otherwise)."""
    coverage_note: str = ""
    """What the band was calibrated on and how often it held in the backtest."""


@router.get(
    "/forecast",
    response_model=ForecastOut,
    summary="Trade → tonnes → TEU → trains to a horizon",
    responses=errors(429),
)
async def forecast(query: Annotated[ForecastIn, Query()]) -> Any:
    return await FORECAST.run(run_forecast, query)


def run_forecast(query: ForecastIn) -> ForecastOut:
    """The forecast of ``/forecast`` (also run as a background job)."""
    from corridor.forecasting.api import pair_forecast
    from corridor.forecasting.models import required_growth

    result = pair_forecast(query.a, query.b, query.to, query.method, reporter=query.reporter)
    calibrated = result.calibration
    goal, history = result.goal, result.history
    last_year = max(history)
    return ForecastOut(
        pair=result.pair,
        method=query.method,
        rows=records(result.table),
        target_usd_m=goal.value_usd_m if goal else None,
        target_year=goal.year if goal else None,
        required_growth=required_growth(history[last_year], last_year, (goal.year, goal.value_usd_m)) if goal else None,
        forecast_growth=result.path.growth,
        note=result.path.note,
        conversion=result.conversion.label,
        groups=records(groups) if (groups := result.groups()) is not None else [],
        series=result.series_note(),
        coverage=calibrated.covered / calibrated.held if calibrated is not None and calibrated.held else None,
        coverage_note=calibrated.coverage_note() if calibrated is not None else "",
    )


class ShippedScenario(BaseModel):
    """A scenario shipped with the package: read-only, simulated by name through ``POST /simulate``."""

    name: str
    """What ``/simulate`` takes (the file name without ``.yaml``)."""
    title: str
    """The scenario's own ``name`` field."""
    year: int
    yaml: str
    """The file's text, comments (sources, reasoning) included."""


@router.get(
    "/shipped-scenarios",
    response_model=list[ShippedScenario],
    summary="The scenarios shipped with the package (read-only), by name",
)
def shipped_scenarios() -> Any:
    from corridor.simulation.schema import parse_scenario

    files = sorted((settings.data_dir() / "scenarios").glob("*.yaml"))
    shipped = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        scenario = parse_scenario(text, path.name)
        shipped.append(ShippedScenario(name=path.stem, title=scenario.name, year=scenario.year, yaml=text))
    return shipped


class SimulateIn(BaseModel):
    """A scenario to simulate: a shipped one by name, bounded in length."""

    scenario: str = Field(min_length=1, max_length=100, description="Name of a shipped scenario")
    years: float = Field(default=1.0, gt=0, le=MAX_YEARS, allow_inf_nan=False, description=YEARS_DESCRIPTION)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


@router.post("/simulate", summary="Simulate a shipped scenario: throughput and bottlenecks", responses=errors(404, 429))
async def simulate(body: SimulateIn) -> Any:
    return await SIMULATION.run(run_simulate, body, None)


def run_simulate(body: SimulateIn, progress: Progress | None) -> dict[str, Any]:
    """The simulation of ``/simulate`` (also run as a background job, reporting ``progress``)."""
    from corridor.simulation.runner import run_scenario
    from corridor.simulation.schema import load_scenario, shipped_scenario

    path = shipped_scenario(body.scenario)
    result = run_scenario(load_scenario(path), years=body.years, seed=body.seed, progress=progress)
    return {
        "scenario": result.scenario.name,
        "demand_teu": round(result.demand_teu),
        "delivered_teu": round(result.delivered_teu),
        "drained_teu": round(result.sim.drained_teu),
        "in_transit_teu": round(result.sim.in_transit_teu),
        "waiting_teu": round(result.sim.waiting_teu),
        "notes": list(result.notes),
        "bottlenecks": records(result.bottlenecks()),
        "lines": records(result.lines()),
        "lead_times": records(result.lead_times()),
    }
