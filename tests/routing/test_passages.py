"""Sea passages carriers avoid at a date (passage_status.csv): avoided by default, allowed on request."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridor import settings
from corridor.errors import DataFileError
from corridor.network.io import load_network
from corridor.routing.api import compare, route


def _passes(found: object, passage: str) -> bool:
    return any(passage in r.passages for r in found.routes)  # type: ignore[attr-defined]


def test_inside_the_red_sea_crisis_suez_is_avoided_and_the_answer_says_so() -> None:
    # Issue 12 item 4: `route Shanghai Piraeus --date 2024-06` offered Sea-Suez at 22.4 d, no warning.
    found = route("Shanghai", "Piraeus", date="2024-06")
    assert found.routes and not _passes(found, "babalmandab")
    assert len(found.notes) == 1 and "bab-el-mandeb avoided" in found.notes[0] and "PR27" in found.notes[0]
    assert found.to_dict()["notes"] == list(found.notes)
    allowed = route("Shanghai", "Piraeus", date="2024-06", allow_passages=["bab-el-mandeb"])
    assert _passes(allowed, "babalmandab") and "allowed by request" in allowed.notes[0]
    cape = route("Shanghai", "Piraeus", date="2024-06", corridor="sea-cape").best("time")
    suez = route("Shanghai", "Piraeus", date="2024-06", corridor="sea-suez", allow_passages=["bab-el-mandeb"])
    assert suez.best("time").total_time_h < 0.8 * cape.total_time_h  # round the Cape is days longer


def test_before_the_crisis_and_without_a_date_nothing_is_avoided() -> None:
    for date in ("2023-06", None):
        found = route("Shanghai", "Piraeus", date=date)
        assert _passes(found, "babalmandab")
    assert not route("Shanghai", "Piraeus", date="2023-06").notes


def test_an_undated_answer_through_a_diverted_passage_says_so() -> None:
    # Undated prices are those of the data's latest date, inside the Red Sea period: the route
    # keeps Bab-el-Mandeb open (statuses are dated facts) but says carriers avoid it then.
    (note,) = route("Shanghai", "Piraeus").notes
    assert "bab-el-mandeb is open in this undated answer" in note and "give a date" in note
    assert not route("Almaty", "Tashkent").notes  # no sea passage used, nothing to say


def test_compare_carries_the_note_and_drops_suez_at_a_crisis_date() -> None:
    result = compare("Shanghai", "Rotterdam", date="2024-06")
    assert "Sea-Suez" not in {r.corridor for r in result.routes} and "Sea-Cape" in {r.corridor for r in result.routes}
    assert result.notes and result.to_dict()["notes"] == list(result.notes)


def test_an_explicit_avoid_is_not_noted_twice() -> None:
    found = route("Shanghai", "Piraeus", date="2024-06", avoid_passages=["bab-el-mandeb"])
    assert not found.notes and not _passes(found, "babalmandab")


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("panama,diverted,2024-01-01,,PR27,", "passage"),
        ("suez,diverted,2024-02-01,2024-01-01,PR27,", "valid_to"),
        ("suez,blocked,2024-01-01,,PR27,", "status"),
        ("suez,closed,2024-01-01,,NOPE1,", "source"),
    ],
)
def test_check_data_names_file_line_and_field_of_a_bad_status_row(tmp_path: Path, row: str, field: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir(), data)
    with (data / "passage_status.csv").open("a", encoding="utf-8") as f:
        f.write(row + "\n")
    with pytest.raises(DataFileError) as caught:
        load_network(data)
    problems = [p for p in caught.value.problems if p.file == "passage_status.csv"]
    assert problems and problems[0].line == 3 and problems[0].field == field, caught.value.problems
