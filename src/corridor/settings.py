"""Settings in one place instead of globals scattered through the code.

Change them by passing arguments to the public functions; the environment variable
``CORRIDOR_DATA`` points Corridor at a user's own copy of the data files.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

from corridor.vocab import Cargo

DATA_ENV = "CORRIDOR_DATA"
"""Environment variable naming a data directory to use instead of the embedded one."""

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
    "sailings.csv",
    "tariffs.csv",
    "fx.csv",
    "indexes.csv",
    "sea_lanes.geojson",
)
"""The files a data directory must hold for the network."""

TRADE_FILES = ("trade.csv", "trade_targets.csv", "trade_conversion.csv", "trade_hubs.csv")
"""Trade statistics and conversion factors used by ``corridor forecast``."""

DEFAULT_CARGO: str = Cargo.feu.value
"""Cargo unit assumed when none is given: a 40ft dry container (FEU)."""

THIN_TOLERANCE = 0.01
"""Routes within this relative distance on every criterion count as near-duplicates."""

HOURS_PER_WEEK = 168.0


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
