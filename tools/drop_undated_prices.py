"""Drop the old undated price columns from a data directory's CSV files.

Prices live in ``tariffs.csv`` (currency, validity, source, scope), ``fx.csv`` and
``indexes.csv``. The columns of :data:`corridor.network.io.UNDATED_COLUMNS` held one undated
USD figure per link, per-km rate or dwell; the loader refuses them. This script removes them
and leaves every other cell, quote, line ending and row byte for byte as it was, so rows others
add in parallel merge cleanly and the script can be re-run after a merge. Running it twice
changes nothing the second time.

Usage::

    .venv/bin/python tools/drop_undated_prices.py [DATA_DIR ...]   # default: src/corridor/data

Exit status 0; the files changed are listed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from corridor.network.io import UNDATED_COLUMNS

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "src" / "corridor" / "data"


def split_records(text: str) -> list[tuple[list[str], str]]:
    """The CSV records of ``text`` as (raw cells, line ending), quotes and spacing kept as written.

    A quoted cell may hold commas, doubled quotes and line breaks; the line ending is ``""`` for a
    last record without one.
    """
    records: list[tuple[list[str], str]] = []
    cells: list[str] = []
    start = 0
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            quoted = not quoted  # a doubled quote toggles twice: still inside
        elif not quoted and char == ",":
            cells.append(text[start:i])
            start = i + 1
        elif not quoted and char in "\r\n":
            end = i + 2 if text.startswith("\r\n", i) else i + 1
            cells.append(text[start:i])
            records.append((cells, text[i:end]))
            cells, start, i = [], end, end
            continue
        i += 1
    if start < len(text):
        cells.append(text[start:])
        records.append((cells, ""))
    return records


def drop_columns(text: str, names: tuple[str, ...]) -> str:
    """``text`` without the columns ``names`` (those it has); every other byte unchanged.

    Raises
    ------
    ValueError
        If a record has a different number of cells from the header (fix the file first).
    """
    records = split_records(text)
    if not records:
        return text
    header = [cell.strip().strip('"') for cell in records[0][0]]
    gone = {i for i, name in enumerate(header) if name in names}
    if not gone:
        return text
    out: list[str] = []
    for number, (cells, ending) in enumerate(records, start=1):
        if cells == [""]:  # a blank line
            out.append(ending)
            continue
        if len(cells) != len(header):
            raise ValueError(f"record {number} has {len(cells)} cells, the header {len(header)}")
        out.append(",".join(c for i, c in enumerate(cells) if i not in gone) + ending)
    return "".join(out)


def drop_undated_prices(data_dir: Path) -> list[Path]:
    """Remove :data:`UNDATED_COLUMNS` from the files of ``data_dir``; return the files changed."""
    changed = []
    for name, columns in UNDATED_COLUMNS.items():
        path = data_dir / name
        if not path.is_file():
            continue
        raw = path.read_bytes()
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        text = raw[len(bom) :].decode("utf-8")
        try:
            kept = drop_columns(text, columns)
        except ValueError as exc:
            raise SystemExit(f"{path}: {exc}") from None
        if kept != text:
            path.write_bytes(bom + kept.encode("utf-8"))
            changed.append(path)
    return changed


def main(argv: list[str]) -> int:
    """Run on each directory given (default: the shipped data); print the files changed."""
    for data_dir in [Path(a) for a in argv] or [DEFAULT_DIR]:
        if not data_dir.is_dir():
            print(f"no data directory {data_dir}", file=sys.stderr)
            return 2
        changed = drop_undated_prices(data_dir)
        for path in changed:
            print(f"dropped undated price columns from {path}")
        if not changed:
            print(f"{data_dir}: no undated price columns left")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
