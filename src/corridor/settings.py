"""Settings in one place: environment variables, defaults, limits and time conventions.

Change behaviour by passing arguments to the public functions; these names are the defaults and
bounds behind them. Every environment variable Corridor reads is named here:

==========================  =====================================================================
``CORRIDOR_DATA``           a data directory to use instead of the embedded one (:data:`DATA_ENV`)
``CORRIDOR_DB``             the results and scenario database URL (:data:`DB_ENV`)
``CORRIDOR_TOKEN``          the bearer token that unlocks REST writes (:data:`TOKEN_ENV`)
``CORRIDOR_DEBUG``          any value: the CLI shows tracebacks of internal errors (:data:`DEBUG_ENV`)
==========================  =====================================================================

Time: a year is a Julian year, 365.25 days (8,766 h), and a month a twelfth of it (730.5 h),
so that months tile years exactly; the Monte Carlo engine and the simulator both use these.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

from corridor.vocab import Cargo

__all__ = [
    "DATA_ENV",
    "DATA_FILES",
    "DB_ENV",
    "DEBUG_ENV",
    "DEFAULT_CARGO",
    "DEFAULT_DB_URL",
    "HOURS_PER_MONTH",
    "HOURS_PER_WEEK",
    "HOURS_PER_YEAR",
    "MAX_REQUEST_SAMPLES",
    "MAX_SAMPLES",
    "SEARCH_BUDGET_S",
    "THIN_TOLERANCE",
    "TOKEN_ENV",
    "data_dir",
]

DATA_ENV = "CORRIDOR_DATA"
"""Environment variable naming a data directory to use instead of the embedded one."""
DB_ENV = "CORRIDOR_DB"
"""Environment variable naming the results and scenario database (a SQLAlchemy URL)."""
DEFAULT_DB_URL = "sqlite:///corridor-results.db"
"""The database used when neither a URL nor :data:`DB_ENV` is given: a SQLite file in the working directory."""
TOKEN_ENV = "CORRIDOR_TOKEN"
"""Environment variable holding the bearer token REST writes need; unset, writes are refused."""
DEBUG_ENV = "CORRIDOR_DEBUG"
"""Environment variable: set, the CLI re-raises internal errors with their traceback (exit code 70 otherwise)."""

DATA_FILES = (
    "sources.csv",
    "places.csv",
    "links.csv",
    "node_times.csv",
    "rates.csv",
    "emission_factors.csv",
    "cargo.csv",
    "variability.csv",
    "weather.csv",
    "hub_emission_factors.csv",
    "sailings.csv",
    "passage_status.csv",
    "tariffs.csv",
    "fx.csv",
    "indexes.csv",
    "sea_lanes.geojson",
)
"""The files a data directory must hold for the network."""

DEFAULT_CARGO: str = Cargo.feu.value
"""Cargo unit assumed when none is given: a 40ft dry container (FEU)."""

THIN_TOLERANCE = 0.01
"""Routes within this relative distance on every criterion count as near-duplicates."""

MAX_SAMPLES = 10**9
"""Most Monte Carlo journeys one library call may sample (about 10 minutes on one core)."""
MAX_REQUEST_SAMPLES = 200_000
"""Most Monte Carlo journeys per route one REST request may ask for (keeps a request under seconds)."""

HOURS_PER_WEEK = 168.0
HOURS_PER_YEAR = 365.25 * 24
"""A Julian year, 8,766 h: the average calendar year over leap years."""
HOURS_PER_MONTH = HOURS_PER_YEAR / 12
"""730.5 h: a twelfth of :data:`HOURS_PER_YEAR`, so that twelve months make a year exactly."""

SEARCH_BUDGET_S = 10.0
"""Seconds one route search may take before it stops with what it has found (so no request
can hang a worker); the embedded network answers in milliseconds."""


def data_dir() -> Path:
    """The data directory in use: ``$CORRIDOR_DATA`` if set, else the embedded data."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    return _embedded_data()


@functools.cache
def _embedded_data() -> Path:
    # Looked up once: importlib.resources costs more than a whole route search's overhead.
    return Path(str(resources.files("corridor") / "data"))
