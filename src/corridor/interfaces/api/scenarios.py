"""The scenario store over HTTP: open reads, writes behind a bearer token, simulations of stored versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from corridor import settings
from corridor.errors import CorridorError
from corridor.interfaces.api.common import (
    DEFAULT_PAGE,
    MAX_PAGE,
    MAX_VERSION,
    MAX_YEARS,
    YEARS_DESCRIPTION,
    Limit,
    Name,
    Offset,
    errors,
    paged,
    records,
)
from corridor.interfaces.api.limits import SIMULATION

__all__ = [
    "DEFAULT_PAGE",
    "MAX_FLOWS",
    "MAX_PAGE",
    "MAX_SCENARIO_BYTES",
    "MAX_SCENARIO_TEU",
    "WRITE",
    "Db",
    "RunIn",
    "ScenarioIn",
    "ScenarioUpdate",
    "create_scenario",
    "remove_scenario",
    "router",
    "scenario",
    "scenario_results",
    "scenarios",
    "simulate_stored",
    "update_scenario",
]

router = APIRouter()

MAX_SCENARIO_BYTES = 100_000
"""Largest scenario YAML a client may store."""


_bearer = HTTPBearer(auto_error=False, description=f"The server's {settings.TOKEN_ENV}; needed for writes only")


def _require_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Writes need ``Authorization: Bearer <CORRIDOR_TOKEN>``; reads are open."""
    import hmac
    import os

    expected = os.environ.get(settings.TOKEN_ENV)
    if not expected:
        raise HTTPException(status_code=403, detail=f"writes are disabled: set {settings.TOKEN_ENV} on the server")
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status_code=401,
            detail="a valid bearer token is needed to write",
            headers={"WWW-Authenticate": "Bearer"},
        )


WRITE = [Depends(_require_token)]


def _token_given(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> bool:
    """True with a valid token, False with none; a wrong token is refused (401) as for writes."""
    if credentials is None:
        return False
    _require_token(credentials)
    return True


Authorised = Annotated[bool, Depends(_token_given)]


def _db_url(request: Request) -> str | None:
    """The database ``corridor serve --db`` named, kept in the app state; None: ``$CORRIDOR_DB`` or the default."""
    url: str | None = getattr(request.app.state, "db_url", None)
    return url


Db = Annotated[str | None, Depends(_db_url)]


MAX_FLOWS = 20
"""Demand flows a scenario sent over the API may have: each adds route searches and trains."""
MAX_SCENARIO_TEU = 1_000_000
"""Total TEU a year such a scenario may ask for: simulation time grows with the trains to run
(the 2030 tripled TITR scenario, 169,500 TEU a year, takes about 1.5 s for two years)."""


def _servable(text: str, name: str) -> Any:
    """The scenario in ``text`` if this server may store and simulate it, else a 422 error.

    A client may not point the simulator at a data directory on the server (``network:`` other
    than ``default``), and the demand is bounded so one call cannot run for hours.
    """
    from corridor.simulation.schema import parse_scenario

    _readable(text)
    scenario = parse_scenario(text, name)
    if scenario.network != "default":
        raise CorridorError("scenarios sent to the API run on the embedded network: use network: default")
    teu = sum(flow.teu_per_year for flow in scenario.demand)
    if len(scenario.demand) > MAX_FLOWS or teu > MAX_SCENARIO_TEU:
        raise CorridorError(
            f"a scenario may have at most {MAX_FLOWS} flows and {MAX_SCENARIO_TEU:,} TEU a year here; "
            f"this one has {len(scenario.demand)} flows and {teu:,.0f} TEU"
        )
    return scenario


def _readable(text: str) -> None:
    """Refuse YAML that breaks the reader itself rather than the scenario's rules (422, not 500):
    nesting deeper than Python's recursion limit, integers longer than Python converts (4,300
    digits), and NaN or infinite numbers anywhere (seasonality, route-choice weights)."""
    import yaml

    try:
        loaded = yaml.safe_load(text)
    except RecursionError:
        raise CorridorError("the scenario YAML is nested too deeply to read") from None
    except ValueError as exc:
        raise CorridorError(f"the scenario YAML has a value that cannot be read: {exc}") from None
    except yaml.YAMLError:
        return  # parse_scenario reports it with its line
    if (where := _non_finite(loaded, "")) is not None:
        raise CorridorError(f"the scenario has a number that is not finite (.nan or .inf) at {where or 'its top'}")


def _non_finite(value: Any, where: str) -> str | None:
    """The path of the first NaN or infinite number in loaded YAML, or None (the simulator needs finite ones)."""
    import math

    if isinstance(value, float) and not math.isfinite(value):
        return where
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        if (found := _non_finite(child, f"{where}.{key}" if where else str(key))) is not None:
            return found
    return None


class ScenarioIn(BaseModel):
    """A scenario to store: its name and YAML text (see the scenario format in docs/guide/simulate.md)."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")
    yaml: str = Field(min_length=1, max_length=MAX_SCENARIO_BYTES)


class ScenarioUpdate(BaseModel):
    """A new version of a stored scenario."""

    yaml: str = Field(min_length=1, max_length=MAX_SCENARIO_BYTES)


class RunIn(BaseModel):
    """How to simulate a stored scenario."""

    years: float = Field(default=1.0, gt=0, le=MAX_YEARS, allow_inf_nan=False, description=YEARS_DESCRIPTION)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


@router.get("/scenarios", summary="Stored scenarios with their latest version, by name (paginated)")
def scenarios(db: Db, request: Request, response: Response, limit: Limit = DEFAULT_PAGE, offset: Offset = 0) -> Any:
    from corridor.store import list_scenarios

    return paged(list_scenarios(db, limit=limit, offset=offset), request, response, limit, offset)


@router.get("/scenarios/{name}", summary="A stored scenario (latest version, or ?version=N)", responses=errors(404))
def scenario(db: Db, name: Name, version: int | None = Query(default=None, ge=1, le=MAX_VERSION)) -> Any:
    from corridor.store import get_scenario

    return get_scenario(name, version, url=db)


@router.post(
    "/scenarios",
    status_code=201,
    summary="Store a new scenario (needs a token)",
    responses=errors(401, 403, 409),
    dependencies=WRITE,
)
def create_scenario(db: Db, body: ScenarioIn) -> Any:
    from corridor.store import save_scenario

    _servable(body.yaml, body.name)
    return {"name": body.name, "version": save_scenario(body.name, body.yaml, create=True, url=db)}


@router.put(
    "/scenarios/{name}",
    summary="Store a new version of a scenario (needs a token)",
    responses=errors(401, 403, 404),
    dependencies=WRITE,
)
def update_scenario(db: Db, name: Name, body: ScenarioUpdate) -> Any:
    from corridor.store import save_scenario

    _servable(body.yaml, name)
    return {"name": name, "version": save_scenario(name, body.yaml, create=False, url=db)}


@router.delete(
    "/scenarios/{name}",
    summary="Delete a scenario; its history stays (needs a token)",
    responses=errors(401, 403, 404),
    dependencies=WRITE,
)
def remove_scenario(db: Db, name: Name) -> Any:
    from corridor.store import delete_scenario

    return {"name": name, "version": delete_scenario(name, db), "deleted": True}


@router.post(
    "/scenarios/{name}/simulate",
    summary="Simulate the latest version of a stored scenario; with a token the result is stored",
    responses=errors(401, 403, 404, 429, 503),
)
async def simulate_stored(db: Db, name: Name, body: RunIn, keep: Authorised) -> Any:
    return await SIMULATION.run(_simulate_stored, db, name, body, keep)


def _simulate_stored(db: str | None, name: str, body: RunIn, keep: bool) -> dict[str, Any]:
    """Anyone may simulate; only a client with the token stores the result (``result_id`` None otherwise)."""
    from corridor.simulation.runner import run_scenario
    from corridor.store import get_scenario, save_result

    stored = get_scenario(name, url=db)
    result = run_scenario(_servable(stored["yaml"], name), years=body.years, seed=body.seed)
    summary = {
        "scenario": name,
        "version": stored["version"],
        "demand_teu": round(result.demand_teu),
        "delivered_teu": round(result.delivered_teu),
        "drained_teu": round(result.sim.drained_teu),
        "in_transit_teu": round(result.sim.in_transit_teu),
        "waiting_teu": round(result.sim.waiting_teu),
        "notes": list(result.notes),
        "bottlenecks": records(result.bottlenecks()),
        "lines": records(result.lines()),
    }
    result_id = (
        save_result(name, stored["version"], summary, years=body.years, seed=body.seed, url=db) if keep else None
    )
    return {**summary, "result_id": result_id}


@router.get(
    "/scenarios/{name}/results",
    summary="Stored results of a scenario (of every version, or ?version=N), oldest first (paginated)",
    responses=errors(404),
)
def scenario_results(
    db: Db,
    name: Name,
    request: Request,
    response: Response,
    version: int | None = Query(default=None, ge=1, le=MAX_VERSION),
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> Any:
    from corridor.store import get_scenario, load_results

    # 404 for a scenario (or version) that never existed; every scenario has a version 1, and a
    # deleted one keeps its history, results included.
    get_scenario(name, version or 1, url=db)
    return paged(load_results(name, version, url=db, limit=limit, offset=offset), request, response, limit, offset)
