"""Read the network's data files and reject a broken file whole.

The data directory holds one CSV per record type (``places.csv``, ``links.csv`` …), the sources
they cite (``sources.csv``) and the maritime paths computed by :mod:`corridor.network.sea`
(``sea_lanes.geojson``). :func:`load_network` validates every row, then checks that the files
agree with each other (links join known places, every figure cites a known source …). Problems
are collected across all files and raised together as one :class:`~corridor.errors.DataFileError`
naming file, line and field, so a user fixes their copy in one pass; a network is returned only
when everything is valid.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from corridor import settings
from corridor.errors import DataFileError, Problem
from corridor.network.checks import check_network
from corridor.network.model import (
    CargoType,
    EmissionFactor,
    HubEmissionFactor,
    Link,
    Network,
    NodeTime,
    Place,
    Rate,
    SeaLane,
    Source,
    Variability,
    Weather,
)
from corridor.network.resolve import resolve_links
from corridor.pricing.apply import price_network
from corridor.pricing.book import TariffBook
from corridor.pricing.checks import check_prices
from corridor.pricing.model import FxRate, IndexPoint, Tariff

__all__ = ["load_network", "read_table"]

R = TypeVar("R", bound=BaseModel)

# CSV column → model field, where they differ.
_RENAMES: dict[str, dict[str, str]] = {
    "links.csv": {"from": "from_id", "to": "to_id"},
    "tariffs.csv": {"from": "from_id", "to": "to_id"},
}
# Fields written in a cell as a ';'-separated list.
_LIST_FIELDS = {"aliases", "passages"}


def load_network(data_dir: str | Path | None = None) -> Network:
    """Load and validate a network from a data directory.

    Parameters
    ----------
    data_dir : str or Path, optional
        A directory with the files listed in :data:`corridor.settings.DATA_FILES`. Defaults to
        :func:`corridor.settings.data_dir` (the data shipped inside the package, unless the
        ``CORRIDOR_DATA`` environment variable points elsewhere).

    Returns
    -------
    Network
        Links come back *resolved*: blank distances, speeds and tariffs are filled from the sea
        lanes and ``rates.csv``, each with the source it was derived from.

    Raises
    ------
    DataFileError
        If any file is missing or malformed, or the files contradict each other.
    """
    root = Path(data_dir) if data_dir is not None else settings.data_dir()
    problems: list[Problem] = []
    rows = {name: _read(root, name, model, problems) for name, model in _MODELS.items()}
    for name, (field, key) in _KEYS.items():
        _check_unique(name, field, key, rows[name], problems)
    lanes = _read_sea_lanes(root / "sea_lanes.geojson", problems)
    if problems:
        raise DataFileError(problems)

    def records(name: str) -> list[Any]:
        return [record for _, record in rows[name]]

    network = Network(
        places={p.id: p for p in records("places.csv")},
        links=tuple(records("links.csv")),
        node_times=tuple(records("node_times.csv")),
        rates=tuple(records("rates.csv")),
        emission_factors={f.vehicle: f for f in records("emission_factors.csv")},
        cargo_types={c.id: c for c in records("cargo.csv")},
        sources={s.id: s for s in records("sources.csv")},
        sea_lanes=lanes,
        variability=tuple(records("variability.csv")),
        weather=tuple(records("weather.csv")),
        data_dir=str(root),
        hub_factors={h.kind: h for h in records("hub_emission_factors.csv")},
        tariff_book=TariffBook.build(records("tariffs.csv"), records("fx.csv"), records("indexes.csv")),
    )
    lines = {name: [line for line, _ in file_rows] for name, file_rows in rows.items()}
    assert network.tariff_book is not None
    problems = check_network(network, lines) + check_prices(network, network.tariff_book, lines)
    if problems:
        raise DataFileError(problems)
    resolved, problems = resolve_links(network, lines["links.csv"])
    if problems:
        raise DataFileError(problems)
    return price_network(dataclasses.replace(network, links=resolved))


_MODELS: dict[str, type[BaseModel]] = {
    "sources.csv": Source,
    "places.csv": Place,
    "links.csv": Link,
    "node_times.csv": NodeTime,
    "rates.csv": Rate,
    "emission_factors.csv": EmissionFactor,
    "cargo.csv": CargoType,
    "variability.csv": Variability,
    "weather.csv": Weather,
    "hub_emission_factors.csv": HubEmissionFactor,
    "tariffs.csv": Tariff,
    "fx.csv": FxRate,
    "indexes.csv": IndexPoint,
}
# What must be unique in each file: the field to blame and the key of a row.
_KEYS: dict[str, tuple[str, Callable[[Any], object]]] = {
    "sources.csv": ("id", lambda r: r.id),
    "places.csv": ("id", lambda r: r.id),
    "links.csv": ("to", lambda r: r.key),
    "node_times.csv": ("place", lambda r: (r.place, r.kind, r.from_country, r.to_country)),
    "rates.csv": ("country", lambda r: (r.mode, r.country)),
    "emission_factors.csv": ("vehicle", lambda r: r.vehicle),
    "cargo.csv": ("id", lambda r: r.id),
    "variability.csv": ("place", lambda r: (r.component, r.mode, r.place)),
    "weather.csv": ("month", lambda r: (r.port, r.month)),
    "hub_emission_factors.csv": ("kind", lambda r: r.kind),
    "tariffs.csv": ("id", lambda r: r.id),
    "fx.csv": ("valid_from", lambda r: (r.currency, r.valid_from, r.valid_to)),
    "indexes.csv": ("date", lambda r: (r.series, r.date)),
}


def _check_unique(
    name: str, field: str, key: Callable[[Any], object], rows: list[tuple[int, Any]], problems: list[Problem]
) -> None:
    first: dict[object, int] = {}
    for line, record in rows:
        k = key(record)
        if k in first:
            problems.append(Problem(name, line, field, f"duplicate of the row on line {first[k]}"))
        first.setdefault(k, line)


def read_table(root: Path, name: str, model: type[R]) -> list[tuple[int, R]]:
    """Validate one CSV file against a record model; raise :class:`DataFileError` on any problem.

    For data files outside the network (trade statistics, scenarios) that want the same
    file-line-field errors.
    """
    problems: list[Problem] = []
    rows = _read(root, name, model, problems)
    if problems:
        raise DataFileError(problems)
    return rows


def _read(root: Path, name: str, model: type[R], problems: list[Problem]) -> list[tuple[int, R]]:
    """Validate every row of one CSV file; return ``(line, record)`` pairs."""
    path = root / name
    if not path.is_file():
        problems.append(Problem(name, 0, "", f"file not found in {root}"))
        return []
    rename = _RENAMES.get(name, {})
    rows: list[tuple[int, R]] = []
    for line, raw in _rows(path, problems):
        values = {rename.get(k, k): _cell(rename.get(k, k), v) for k, v in raw.items()}
        try:
            rows.append((line, model.model_validate({k: v for k, v in values.items() if v != ""})))
        except ValidationError as exc:
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else ""
                inverse = {v: k for k, v in rename.items()}
                problems.append(Problem(name, line, inverse.get(field, field), _short(err)))
    return rows


def _rows(path: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` with the line number an editor shows; blank lines are skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if len(set(header)) != len(header):
            problems.append(Problem(path.name, 1, "", f"duplicate column in header {header}"))
        for row in reader:
            # line_num is the record's last line; a quoted cell may span lines, so step back to the first.
            line = reader.line_num - sum(v.count("\n") for v in row.values() if isinstance(v, str))
            if None in row:
                problems.append(Problem(path.name, line, "", "more cells than columns"))
            elif any(v is None for v in row.values()):
                problems.append(Problem(path.name, line, "", "fewer cells than columns"))
            else:
                yield line, row


def _cell(field: str, value: str | None) -> Any:
    if value is None:
        return ""
    value = value.strip()
    if field in _LIST_FIELDS:
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


def _short(err: Any) -> str:
    got = err.get("input")
    shown = f" (got {got!r})" if isinstance(got, str | int | float) else ""
    return f"{err['msg']}{shown}"


def _read_sea_lanes(path: Path, problems: list[Problem]) -> dict[tuple[str, str, str], SeaLane]:
    if not path.is_file():
        problems.append(Problem(path.name, 0, "", "file not found (run `make sea-lanes`)"))
        return {}
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        lanes = [_lane(feature) for feature in features]
    except (ValueError, KeyError, TypeError) as exc:
        problems.append(Problem(path.name, 0, "", f"not a sea-lane FeatureCollection: {exc}"))
        return {}
    return {(lane.from_id, lane.to_id, lane.sea_route): lane for lane in lanes}


def _lane(feature: dict[str, Any]) -> SeaLane:
    props = feature["properties"]
    return SeaLane(
        from_id=props["from"],
        to_id=props["to"],
        sea_route=props["sea_route"],
        distance_km=float(props["distance_km"]),
        passages=tuple(props["passages"]),
        coordinates=tuple((float(c[0]), float(c[1])) for c in feature["geometry"]["coordinates"]),
    )
