"""Read a shipment list (CSV or Excel) into shipments and row-level errors.

A header names the columns (any case, spaces or dashes for underscores); ``origin``,
``destination`` and ``cargo`` are required. A bad cell makes its row a :class:`RowError`
(line, field, reason) and the other rows are still read: nothing is lost.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError
from corridor.shipments.model import CARGO_CODES, FCL_CODES, OBJECTIVES, Shipment

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "RowError",
    "ShipmentFileError",
    "parse_record",
    "parse_rows",
    "read_shipments",
    "read_shipments_text",
]

COLUMNS = (
    "reference",
    "origin",
    "destination",
    "date",
    "cargo",
    "quantity",
    "weight_kg",
    "volume_m3",
    "set_temp_c",
    "avoid_countries",
    "avoid_modes",
    "avoid_passages",
    "via",
    "max_transshipments",
    "deadline",
    "objective",
)
"""Columns of a shipment list, in the order the example file uses."""
REQUIRED = ("origin", "destination", "cargo")


class ShipmentFileError(CorridorError):
    """The file as a whole cannot be read (missing, not CSV/xlsx, no header, unknown columns)."""


@dataclass(frozen=True)
class RowError:
    """A row that could not be planned: where and why."""

    line: int
    reference: str
    field: str
    reason: str
    origin: str = ""
    destination: str = ""
    cargo: str = ""

    def __str__(self) -> str:
        return f"line {self.line} ({self.reference}), field '{self.field}': {self.reason}"


class _CellError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def read_shipments(path: str | Path) -> list[Shipment | RowError]:
    """Read ``path`` (``.csv`` or ``.xlsx``): one :class:`Shipment` or :class:`RowError` per data row.

    Raises
    ------
    ShipmentFileError
        If the file is missing, empty, of another type, or its header lacks a required column
        or has one Corridor does not know.
    """
    path = Path(path)
    if not path.is_file():
        raise ShipmentFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise ShipmentFileError(f"{path}: not UTF-8 text (save the list as CSV UTF-8)") from None
        return parse_rows(_csv_rows(text, str(path)), str(path))
    if suffix in (".xlsx", ".xlsm"):
        return parse_rows(_xlsx_rows(path), str(path))
    raise ShipmentFileError(f"{path}: a shipment list is a .csv or .xlsx file")


def read_shipments_text(text: str, name: str = "upload") -> list[Shipment | RowError]:
    """:func:`read_shipments` for CSV text already in memory (an upload)."""
    return parse_rows(_csv_rows(text, name), name)


def _csv_rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise ShipmentFileError(f"{name}: line {reader.line_num}: not valid CSV ({exc})") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - the extra is installed by make
        raise ShipmentFileError("reading .xlsx needs the xlsx extra: pip install 'corridor[xlsx]'") from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise ShipmentFileError(f"{path}: not a readable .xlsx file ({exc})") from None
    sheet = book.worksheets[0]
    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield n, [_xlsx_cell(v) for v in values]
    book.close()


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_rows(rows: Iterable[tuple[int, list[str]]], name: str) -> list[Shipment | RowError]:
    """Shipments from ``(line, cells)`` rows whose first non-empty row is the header."""
    header: list[str] | None = None
    out: list[Shipment | RowError] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = _header(cells, name)
            continue
        record = {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(header) if k}
        out.append(parse_record(line, record))
    if header is None:
        raise ShipmentFileError(f"{name}: empty file (a header row and one row per shipment expected)")
    return out


def _header(cells: list[str], name: str) -> list[str]:
    keys = [c.strip().lower().replace(" ", "_").replace("-", "_") for c in cells]
    if unknown := [k for k in keys if k and k not in COLUMNS]:
        raise ShipmentFileError(f"{name}: unknown column(s) {', '.join(unknown)}; columns are {', '.join(COLUMNS)}")
    if missing := [k for k in REQUIRED if k not in keys]:
        raise ShipmentFileError(f"{name}: missing column(s) {', '.join(missing)}")
    return keys


def parse_record(line: int, record: dict[str, str]) -> Shipment | RowError:
    """One row's cells (column → text) as a shipment, or the first problem found in it."""
    reference = record.get("reference") or f"line {line}"
    try:
        return _shipment(line, reference, record)
    except _CellError as exc:
        return RowError(
            line,
            reference,
            exc.field,
            exc.reason,
            record.get("origin", ""),
            record.get("destination", ""),
            record.get("cargo", ""),
        )


def _shipment(line: int, reference: str, r: dict[str, str]) -> Shipment:
    for name in REQUIRED:
        if not r.get(name):
            raise _CellError(name, "is empty")
    cargo = _cargo(r["cargo"])
    depart = _cell(r, "date", _date)
    shipment = Shipment(
        line=line,
        reference=reference,
        origin=r["origin"],
        destination=r["destination"],
        cargo=cargo,
        quantity=_cell(r, "quantity", _positive_int) or 1,
        weight_kg=_cell(r, "weight_kg", _positive_float),
        volume_m3=_cell(r, "volume_m3", _positive_float),
        set_temp_c=_cell(r, "set_temp_c", _temperature),
        depart=depart,
        deadline_h=_cell(r, "deadline", lambda t: _deadline(t, depart)),
        avoid_countries=_list(r.get("avoid_countries", "")),
        avoid_modes=_list(r.get("avoid_modes", "")),
        avoid_passages=_list(r.get("avoid_passages", "")),
        via=_list(r.get("via", "")),
        max_transshipments=_cell(r, "max_transshipments", _count),
        objective=_cell(r, "objective", _objective) or "time",
    )
    _check_cargo_fields(shipment)
    return shipment


def _cell(r: dict[str, str], name: str, parse: Callable[[str], Any]) -> Any:
    text = r.get(name, "")
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise _CellError(name, str(exc)) from None


def _cargo(text: str) -> str:
    key = text.strip().lower().replace(" ", "")
    if key in ("lcl", "air"):
        return key
    if key not in FCL_CODES:
        raise _CellError("cargo", f"unknown cargo '{text}'; use one of {', '.join(CARGO_CODES)}")
    return FCL_CODES[key]


def _check_cargo_fields(s: Shipment) -> None:
    if s.kind == "fcl":
        if s.set_temp_c is not None and s.cargo != "40ft-reefer":
            raise _CellError("set_temp_c", f"a set temperature needs a reefer box, not {s.cargo}")
        return
    if s.weight_kg is None:
        raise _CellError("weight_kg", f"{s.kind.upper()} cargo needs its weight in kg")
    if s.volume_m3 is None:
        raise _CellError("volume_m3", f"{s.kind.upper()} cargo needs its volume in m³")
    if s.quantity != 1:
        raise _CellError("quantity", "quantity counts boxes (FCL); give LCL and air cargo by weight and volume")
    if s.kind == "lcl" and s.box_share > 1:
        raise _CellError("weight_kg", f"takes {s.box_share:.2f} of a 20 ft box; book it as FCL")


def _date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"'{text}' is not a date like 2026-03-01") from None


def _deadline(text: str, depart: date | None) -> float:
    from corridor.uncertainty.api import parse_deadline

    try:
        return parse_deadline(text, depart)
    except CorridorError as exc:
        raise ValueError(str(exc).replace("--deadline", "deadline")) from None


def _number(text: str) -> float:
    try:
        return float(text.replace(",", "").replace("\u00a0", ""))
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def _positive_float(text: str) -> float:
    value = _number(text)
    if not value > 0:
        raise ValueError(f"must be more than 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = _number(text)
    if not value.is_integer() or value < 1:
        raise ValueError(f"must be a whole number of 1 or more, got {text}")
    return int(value)


def _count(text: str) -> int:
    value = _number(text)
    if not value.is_integer() or value < 0:
        raise ValueError(f"must be a whole number of 0 or more, got {text}")
    return int(value)


def _temperature(text: str) -> float:
    value = _number(text)
    if not -40 <= value <= 30:
        raise ValueError(f"reefers hold -40 to +30 °C, got {text}")
    return value


def _objective(text: str) -> str:
    key = text.strip().lower()
    if key not in OBJECTIVES:
        raise ValueError(f"unknown objective '{text}'; use one of {', '.join(OBJECTIVES)}")
    return key


def _list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace(";", ",").split(",") if p.strip())
