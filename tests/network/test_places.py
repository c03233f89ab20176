"""Finding places by any of their names."""

from __future__ import annotations

import pytest

from corridor.errors import UnknownPlaceError
from corridor.network.places import find_places, normalize, resolve_place
from corridor.routing.api import default_network


@pytest.mark.parametrize(
    ("query", "place_id"),
    [
        ("Белград", "belgrade"),
        ("Beograd", "belgrade"),
        ("Актау", "aktau"),
        ("Aqtau", "aktau"),
        ("KZAAU", "aktau"),
        ("Алматы", "almaty"),
        ("Toshkent", "tashkent"),
        ("nis", "nis"),
        ("KAPIKULE", "kapikule"),
        ("constanta", "constanta"),
        ("Malaszewicze", "malaszewicze"),
        ("Alyat", "alat"),
    ],
)
def test_resolve_by_any_name(query: str, place_id: str) -> None:
    assert resolve_place(default_network(), query).id == place_id


def test_unknown_place_suggests_near_names() -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        resolve_place(default_network(), "Belgrad3")
    assert "Belgrade" in caught.value.suggestions
    assert "Did you mean" in str(caught.value)


def test_find_places_ranks_exact_matches_first() -> None:
    found = find_places(default_network(), "Baku")
    assert found[0].id == "baku"
    assert any(p.id == "alat" for p in found)


@pytest.mark.parametrize("query", ["sh", "Бак", "a"])
def test_find_places_lists_each_place_once(query: str) -> None:
    found = [p.id for p in find_places(default_network(), query)]
    assert found and len(found) == len(set(found))


def test_normalize_folds_case_and_accents() -> None:
    assert normalize("Kapıkule") == normalize("KAPIKULE") == "kapikule"
    assert normalize("Niš") == "nis"
    assert normalize("Constanța") == "constanta"
