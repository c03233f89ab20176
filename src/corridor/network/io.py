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
import io
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from corridor import settings
from corridor.errors import DataFileError, OptionError, Problem
from corridor.network.checks import check_network
from corridor.network.model import (
    CargoType,
    EmissionFactor,
    HubEmissionFactor,
    Link,
    Network,
    NodeTime,
    PassageStatus,
    Place,
    PlaceName,
    Rate,
    Sailing,
    SeaLane,
    Source,
    Variability,
    Weather,
)
from corridor.network.places import PLACE_NAMES_FILE, attach_names
from corridor.network.resolve import resolve_links
from corridor.network.sailings import apply_sailings
from corridor.pricing.apply import price_network
from corridor.pricing.book import TariffBook
from corridor.pricing.checks import check_prices
from corridor.pricing.model import FxRate, IndexPoint, Tariff
from corridor.vocab import SeaRoute

__all__ = ["load_network", "read_table"]

R = TypeVar("R", bound=BaseModel)

# CSV column → model field, where they differ.
_RENAMES: dict[str, dict[str, str]] = {
    "links.csv": {"from": "from_id", "to": "to_id"},
    "sailings.csv": {"from": "from_id", "to": "to_id"},
    "tariffs.csv": {"from": "from_id", "to": "to_id"},
}
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest data file read (the embedded sea lanes, the largest, are a few MB)."""
UNDATED_COLUMNS: dict[str, tuple[str, ...]] = {
    "links.csv": ("tariff_teu_usd", "tariff_feu_usd", "tariff_source"),
    "rates.csv": ("usd_per_teu_km", "usd_per_feu_km", "tariff_source"),
    "node_times.csv": ("cost_teu_usd", "cost_feu_usd", "cost_source"),
}
"""The old undated price columns, refused: every price lives in ``tariffs.csv`` with its currency,
validity and source (``tools/drop_undated_prices.py`` removes them from a data copy)."""
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
        lanes and ``rates.csv``, each with the source it was derived from, and water links take
        their frequency per direction from ``sailings.csv`` (see :mod:`corridor.network.sailings`).

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

    places, problems = _with_names(
        root, {p.id: p for p in records("places.csv")}, {s.id for s in records("sources.csv")}
    )
    if problems:
        raise DataFileError(problems)
    network = Network(
        places=places,
        links=tuple(records("links.csv")),
        node_times=tuple(records("node_times.csv")),
        rates=tuple(records("rates.csv")),
        emission_factors={f.vehicle: f for f in records("emission_factors.csv")},
        cargo_types={c.id: c for c in records("cargo.csv")},
        sources={s.id: s for s in records("sources.csv")},
        sea_lanes=lanes,
        variability=tuple(records("variability.csv")),
        weather=tuple(records("weather.csv")),
        sailings=tuple(records("sailings.csv")),
        passage_status=tuple(records("passage_status.csv")),
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
    priced = price_network(dataclasses.replace(network, links=resolved))
    return dataclasses.replace(priced, links=apply_sailings(priced.links, priced.sailings))


def _with_names(root: Path, places: dict[str, Place], sources: set[str]) -> tuple[dict[str, Place], list[Problem]]:
    """Places with their GeoNames names from ``place_names.csv``, if the data directory has one."""
    if not (root / PLACE_NAMES_FILE).is_file():
        return places, []
    problems: list[Problem] = []
    rows = _read(root, PLACE_NAMES_FILE, PlaceName, problems)
    named, faults = attach_names(places, rows, sources)
    return named, problems + faults


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
    "sailings.csv": Sailing,
    "passage_status.csv": PassageStatus,
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
    "sailings.csv": ("to", lambda r: (r.from_id, r.to_id, r.mode)),
    "passage_status.csv": ("valid_from", lambda r: (r.passage, r.valid_from)),
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
    inverse = {v: k for k, v in rename.items()}
    rows: list[tuple[int, R]] = []
    refused = UNDATED_COLUMNS.get(name, ())
    for n, (line, raw) in enumerate(read_rows(path, problems)):
        if n == 0:  # the first row's keys are the header
            problems += _undated_columns(name, [k for k in raw if k in refused])
        values = {rename.get(k, k): _cell(rename.get(k, k), v) for k, v in raw.items() if k not in refused}
        try:
            record = model.model_validate({k: v for k, v in values.items() if v != ""})
        except ValidationError as exc:
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else ""
                problems.append(Problem(name, line, inverse.get(field, field), _short(err)))
            continue
        # pydantic takes 'inf', 'nan' and 1e999 as floats; no figure in the data may be one.
        infinite = [inverse.get(k, k) for k, v in record if isinstance(v, float) and not math.isfinite(v)]
        for column in infinite:
            problems.append(Problem(name, line, column, f"is not a finite number (got {raw.get(column, '')!r})"))
        if not infinite:
            rows.append((line, record))
    return rows


def _undated_columns(name: str, columns: list[str]) -> list[Problem]:
    return [
        Problem(
            name,
            1,
            column,
            "an undated price column: prices live in tariffs.csv with currency, validity and source; "
            "give those prices as tariffs.csv rows and remove the column (tools/drop_undated_prices.py removes it)",
        )
        for column in columns
    ]


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """A data file's text, or ``None`` with a problem if it is too large or not UTF-8 (a BOM is allowed)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(
            Problem(path.name, 0, "", f"is {size:,} bytes; a data file may have at most {MAX_FILE_BYTES:,}")
        )
        return None
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex()
        problems.append(Problem(path.name, line, "", f"is not UTF-8 text (byte 0x{bad}); save it as UTF-8"))
        return None


def read_rows(path: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` with the line number an editor shows; blank lines are skipped."""
    text = read_text(path, problems)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
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
    except csv.Error as exc:
        # A cell over csv's field limit (131,072 characters), a NUL byte: the rest of the file is unreadable.
        problems.append(Problem(path.name, reader.line_num or 1, "", f"cannot be read as CSV: {exc}"))


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
    text = read_text(path, problems)
    if text is None:
        return {}
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        problems.append(Problem(path.name, 0, "", "is nested too deeply to be GeoJSON"))
        return {}
    except ValueError as exc:
        problems.append(Problem(path.name, 0, "", f"is not JSON: {exc}"))
        return {}
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        problems.append(Problem(path.name, 0, "features", "not a GeoJSON FeatureCollection (no 'features' list)"))
        return {}
    lanes: dict[tuple[str, str, str], SeaLane] = {}
    for n, feature in enumerate(features):
        try:
            lane = _lane(feature)
        except (KeyError, TypeError, ValueError, OptionError) as exc:
            problems.append(Problem(path.name, 0, f"features[{n}]", f"not a sea lane: {_what(exc)}"))
            continue
        lanes[(lane.from_id, lane.to_id, lane.sea_route)] = lane
    return lanes


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a finite number")


def _what(exc: Exception) -> str:
    return f"missing {exc}" if isinstance(exc, KeyError) else str(exc)


def _lane(feature: dict[str, Any]) -> SeaLane:
    """One sea lane from a GeoJSON Feature; raises KeyError, TypeError or ValueError on a malformed one."""
    props = feature["properties"]
    if feature["geometry"]["type"] != "LineString":
        raise ValueError("geometry must be a LineString")
    coordinates = tuple(_lon_lat(c) for c in feature["geometry"]["coordinates"])
    if len(coordinates) < 2:
        raise ValueError("a LineString needs at least two positions")
    distance = float(props["distance_km"])
    if not (math.isfinite(distance) and distance > 0):
        raise ValueError(f"distance_km must be a positive finite number (got {props['distance_km']!r})")
    passages = props["passages"]
    if not isinstance(passages, list) or not all(isinstance(p, str) for p in passages):
        raise ValueError("passages must be a list of names")
    return SeaLane(
        from_id=str(props["from"]),
        to_id=str(props["to"]),
        sea_route=SeaRoute.parse(str(props["sea_route"]), "sea_route"),
        distance_km=distance,
        passages=tuple(passages),
        coordinates=coordinates,
    )


def _lon_lat(position: Any) -> tuple[float, float]:
    """A [longitude, latitude] position in degrees (WGS 84, as GeoJSON requires: no projected metres)."""
    lon, lat = float(position[0]), float(position[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"position {[lon, lat]} is not longitude/latitude in degrees (projected coordinates?)")
    return lon, lat
