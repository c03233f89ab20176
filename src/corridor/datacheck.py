"""``corridor check-data``: every file the model reads from a data directory, with the loaders' own validation.

The network (:func:`corridor.network.io.load_network`), the simulator's crossing capacities,
fleets and yards, the trade statistics and conversions, the gravity model's GDP and borders, and
the shipped scenarios are each read by the function that reads them for real, so a file that
passes here is one the model accepts. Each file is also read on its own, so one broken file does
not hide the problems of the next; files that name places are checked against ``places.csv``.
Every problem carries file, line and field (see :class:`corridor.errors.Problem`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError, DataFileError, Problem

PLACE_COLUMNS = {
    "crossing_capacity.csv": ("place",),
    "fleets.csv": ("from", "to"),
    "yards.csv": ("port",),
}
"""Columns of the simulator's files that name a place id of ``places.csv``."""


@dataclass(frozen=True)
class DataSummary:
    """What a data directory holds once it is valid."""

    places: int
    links: int
    sources: int
    files: int


def check_data_dir(root: Path) -> tuple[DataSummary | None, list[Problem]]:
    """Check every data file under ``root``; return a summary (``None`` if the network did not load) and the problems.

    The list is empty for a valid directory; problems appear once each, in the order found.
    """
    from corridor.network.io import load_network

    problems: list[Problem] = []
    network = _attempt(lambda: load_network(root), problems)
    for name, model in _file_models().items():
        _attempt(functools.partial(_read_one, root, name, model), problems)
    for loader in _loaders(root):
        _attempt(loader, problems)
    if network is not None:
        problems += _unknown_places(root, set(network.places))
    for path in sorted((root / "scenarios").glob("*.yaml")):
        _attempt(functools.partial(_scenario, path), problems)
    unique = list(dict.fromkeys(problems))
    if network is None:
        return None, unique
    files = sum(1 for p in root.rglob("*") if p.is_file() and p.suffix in (".csv", ".geojson", ".yaml"))
    return DataSummary(len(network.places), len(network.links), len(network.sources), files), unique


def _attempt(work: Callable[[], Any], problems: list[Problem]) -> Any:
    try:
        return work()
    except DataFileError as exc:
        problems.extend(exc.problems)
    except CorridorError as exc:
        problems.append(Problem(root_file(exc), 0, "", str(exc)))
    return None


def root_file(exc: Exception) -> str:
    """The file a cross-file error message names first (``… (see fleets.csv)``), else the directory."""
    import re

    named = re.search(r"\b([a-z_]+\.(?:csv|geojson|yaml))\b", str(exc))
    return named.group(1) if named else "(data directory)"


def _read_one(root: Path, name: str, model: Any) -> None:
    from corridor.network.io import read_table

    if (root / name).is_file():
        read_table(root, name, model)


def _file_models() -> dict[str, Any]:
    """The row models of the trade files, read one by one (the loaders stop at the first broken file)."""
    from corridor.forecasting.data import (
        CommodityGroup,
        CompositionShare,
        Conversion,
        TradeFigure,
        TradeHub,
        TradeTarget,
    )
    from corridor.forecasting.gravity import Border, GdpFigure

    return {
        "trade.csv": TradeFigure,
        "trade_targets.csv": TradeTarget,
        "trade_conversion.csv": Conversion,
        "trade_hubs.csv": TradeHub,
        "commodity_groups.csv": CommodityGroup,
        "trade_composition.csv": CompositionShare,
        "gdp.csv": GdpFigure,
        "trade_borders.csv": Border,
    }


def _loaders(root: Path) -> list[Callable[[], Any]]:
    """The model's own readers of the simulator's and the forecasts' files."""
    from corridor.forecasting.data import load_trade
    from corridor.forecasting.gravity import load_gravity
    from corridor.simulation.runner import load_capacities, load_yards

    return [
        lambda: load_capacities(root),
        lambda: load_yards(root),
        lambda: load_gravity(load_trade(root), root),
    ]


def _unknown_places(root: Path, places: set[str]) -> list[Problem]:
    from corridor.network.io import read_rows

    problems: list[Problem] = []
    for name, columns in PLACE_COLUMNS.items():
        if not (root / name).is_file():
            continue
        for line, row in read_rows(root / name, []):
            for column in columns:
                if row.get(column, "").strip() not in places:
                    problems.append(Problem(name, line, column, f"unknown place '{row.get(column)}'"))
    return problems


def _scenario(path: Path) -> None:
    from corridor.simulation.schema import load_scenario

    try:
        load_scenario(path)
    except RecursionError:
        raise DataFileError([Problem(path.name, 0, "", "is nested too deeply to read")]) from None
    except ValueError as exc:
        raise DataFileError([Problem(path.name, 0, "", f"has a value that cannot be read: {exc}")]) from None
