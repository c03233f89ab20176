"""Validation against published figures (cases and bands in corridor.validation)."""

from __future__ import annotations

import pytest

from corridor.routing.api import default_network
from corridor.validation import CASES, KNOWN_MISSES, Case, markdown_table, run_validation


@pytest.mark.parametrize("case", [c for c in CASES if c.id not in KNOWN_MISSES], ids=lambda c: c.id)
def test_model_lands_in_the_published_band(case: Case) -> None:
    value = case.measure(default_network())
    assert case.low <= value <= case.high, f"{case.name}: model {value:.1f} {case.unit}, band {case.low}–{case.high}"


@pytest.mark.parametrize("case", [c for c in CASES if c.id in KNOWN_MISSES], ids=lambda c: c.id)
def test_known_misses_still_miss(case: Case) -> None:
    # When a change fixes one of these, move it out of KNOWN_MISSES and update the README.
    value = case.measure(default_network())
    assert not case.low <= value <= case.high


def test_readme_table_matches_the_model() -> None:
    from pathlib import Path

    readme = Path(__file__).resolve().parents[2] / "README.md"
    table = markdown_table(run_validation(default_network()))
    assert table in readme.read_text(encoding="utf-8"), "run `corridor validate --markdown` and update README.md"
