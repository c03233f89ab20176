"""tools/drop_undated_prices.py: the old undated price columns go, every other byte stays."""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pytest

from corridor.network.io import UNDATED_COLUMNS, load_network

TOOL = Path(__file__).resolve().parents[2] / "tools" / "drop_undated_prices.py"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("drop_undated_prices", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TRICKY = (
    'place,"cost_source",kind,cost_feu_usd,notes\r\n'
    '*,"T15; a, b",port,186,"he said ""no"",\nthen left"\r\n'
    "\r\n"
    "kuryk, T19 ,port,,  spaced  \r\n"
    'poti,"",border,193,last line without an ending'
)


def test_only_the_named_columns_go_and_every_other_byte_stays(tool: ModuleType) -> None:
    kept = tool.drop_columns(TRICKY, ("cost_source", "cost_feu_usd"))
    assert kept == (
        "place,kind,notes\r\n"
        '*,port,"he said ""no"",\nthen left"\r\n'
        "\r\n"
        "kuryk,port,  spaced  \r\n"
        "poti,border,last line without an ending"
    )
    before = list(csv.DictReader(io.StringIO(TRICKY, newline="")))
    after = list(csv.DictReader(io.StringIO(kept, newline="")))
    assert after == [{k: v for k, v in row.items() if k in ("place", "kind", "notes")} for row in before]


def test_running_it_again_changes_nothing(tool: ModuleType) -> None:
    once = tool.drop_columns(TRICKY, ("cost_source",))
    assert tool.drop_columns(once, ("cost_source",)) == once
    assert tool.drop_columns(TRICKY, ("absent",)) == TRICKY


def test_a_ragged_row_is_refused(tool: ModuleType) -> None:
    with pytest.raises(ValueError, match="record 2 has 2 cells, the header 3"):
        tool.drop_columns("a,b,c\n1,2\n", ("b",))


def test_a_data_copy_with_the_old_columns_loads_after_the_tool(
    tool: ModuleType, data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, columns in UNDATED_COLUMNS.items():
        path = data_copy / name
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        with path.open("w", encoding="utf-8-sig", newline="") as handle:  # with a BOM, as Excel saves
            writer = csv.DictWriter(handle, [*rows[0], *columns], lineterminator="\n")
            writer.writeheader()
            writer.writerows({**row, **dict.fromkeys(columns, "1")} for row in rows)
    assert tool.main([str(data_copy)]) == 0
    assert capsys.readouterr().out.count("dropped undated price columns") == len(UNDATED_COLUMNS)
    assert (data_copy / "links.csv").read_bytes().startswith(b"\xef\xbb\xbffrom,to,")
    assert load_network(data_copy).links
    assert tool.main([str(data_copy)]) == 0
    assert "no undated price columns left" in capsys.readouterr().out
