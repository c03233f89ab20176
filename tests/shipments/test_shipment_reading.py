"""Reading shipment lists: every bad row is reported by line and field, the others are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.shipments.model import Shipment
from corridor.shipments.reading import RowError, ShipmentFileError, read_shipments, read_shipments_text

HEADER = "reference,origin,destination,date,cargo,quantity,weight_kg,volume_m3,set_temp_c,deadline\n"


def _one(row: str) -> Shipment | RowError:
    (item,) = read_shipments_text(HEADER + row)
    return item


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("a,,Duisburg,,40ft,,,,,", "origin", "empty"),
        ("a,Xian,Duisburg,2026-13-01,40ft,,,,,", "date", "not a date"),
        ("a,Xian,Duisburg,,45ft,,,,,", "cargo", "unknown cargo"),
        ("a,Xian,Duisburg,,40ft,0,,,,", "quantity", "1 or more"),
        ("a,Xian,Duisburg,,lcl,,,3,,", "weight_kg", "needs its weight"),
        ("a,Xian,Duisburg,,lcl,,900,,,", "volume_m3", "needs its volume"),
        ("a,Xian,Duisburg,,lcl,,18000,30,,", "weight_kg", "book it as FCL"),
        ("a,Xian,Duisburg,,lcl,2,100,1,,", "quantity", "counts boxes"),
        ("a,Xian,Duisburg,,40ft,,,,-18,", "set_temp_c", "reefer box"),
        ("a,Xian,Duisburg,,reefer,,,,-60,", "set_temp_c", "-40 to +30"),
        ("a,Xian,Duisburg,,40ft,,,,,soon", "deadline", "duration"),
        ("a,Xian,Duisburg,,air,,abc,1,,", "weight_kg", "not a number"),
    ],
)
def test_a_bad_cell_names_its_field(row: str, field: str, words: str) -> None:
    item = _one(row)
    assert isinstance(item, RowError)
    assert (item.line, item.field) == (2, field)
    assert words in item.reason


def test_good_rows_survive_bad_ones_and_keep_their_lines() -> None:
    text = (
        HEADER
        + "a,Xian,Duisburg,,40ft,,,,,\n\nb,Xian,Duisburg,,45ft,,,,,\nc,Almaty,Istanbul,2026-03-02,40HQ,2,,,,25d\n"
    )
    items = read_shipments_text(text)
    assert [type(i).__name__ for i in items] == ["Shipment", "RowError", "Shipment"]
    assert [i.line for i in items] == [2, 4, 5]
    last = items[2]
    assert isinstance(last, Shipment) and last.cargo == "40hc" and last.quantity == 2 and last.deadline_h == 600


def test_header_problems_stop_the_file(tmp_path: Path) -> None:
    with pytest.raises(ShipmentFileError, match="unknown column"):
        read_shipments_text("origin,destination,cargo,weigth_kg\n")
    with pytest.raises(ShipmentFileError, match="missing column"):
        read_shipments_text("origin,destination\n")
    with pytest.raises(ShipmentFileError, match="empty file"):
        read_shipments_text("\n\n")
    with pytest.raises(ShipmentFileError, match="no such file"):
        read_shipments(tmp_path / "nothing.csv")
    (tmp_path / "list.txt").write_text("x")
    with pytest.raises(ShipmentFileError, match=r"\.csv or \.xlsx"):
        read_shipments(tmp_path / "list.txt")


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Reference", "Origin", "Destination", "Date", "Cargo", "Weight kg", "Volume m3"])
    sheet.append(["x1", "Xian", "Duisburg", "2026-01-12", "lcl", 2500, 6])
    sheet.append(["x2", "Xian", "Duisburg", "2026-01-12", "lcl", None, 6])
    path = tmp_path / "list.xlsx"
    book.save(path)
    first, second = read_shipments(path)
    assert isinstance(first, Shipment) and first.weight_kg == 2500 and first.depart is not None
    assert isinstance(second, RowError) and (second.line, second.field) == (3, "weight_kg")


def test_a_broken_xlsx_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ShipmentFileError, match="not a readable"):
        read_shipments(path)
