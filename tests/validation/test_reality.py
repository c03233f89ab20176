"""Validation against published figures (cases and bands in corridor.validation)."""

from __future__ import annotations

import pytest

from corridor.routing.api import default_network
from corridor.validation import (
    CASES,
    KNOWN_MISSES,
    Case,
    markdown_table,
    range_markdown,
    run_range_validation,
    run_validation,
)


@pytest.mark.parametrize("case", [c for c in CASES if c.id not in KNOWN_MISSES], ids=lambda c: c.id)
def test_model_lands_in_the_published_band(case: Case) -> None:
    value = case.value(default_network())
    assert case.low <= value <= case.high, f"{case.name}: model {value:.1f} {case.unit}, band {case.low}–{case.high}"


@pytest.mark.parametrize("case", [c for c in CASES if c.id in KNOWN_MISSES], ids=lambda c: c.id)
def test_known_misses_still_miss(case: Case) -> None:
    # When a change fixes one of these, move it out of KNOWN_MISSES and update docs/method/validation.md.
    value = case.value(default_network())
    assert not case.low <= value <= case.high


def test_model_spread_overlaps_published_ranges() -> None:
    for result in run_range_validation(default_network()):
        assert result.ok, f"{result.case.name}: model P10–P90 {result.p10_days:.1f}–{result.p90_days:.1f} d"
        assert result.p10_days < result.p50_days < result.p90_days


def test_docs_tables_match_the_model() -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    network = default_network()
    point = (docs / "method" / "validation.md").read_text(encoding="utf-8")
    spread = (docs / "guide" / "reliability.md").read_text(encoding="utf-8")
    hint = "run `corridor validate --markdown`, update docs/method/validation.md and docs/guide/reliability.md"
    assert markdown_table(run_validation(network)) in point, hint
    assert range_markdown(run_range_validation(network)) in spread, hint


def test_each_time_case_says_which_statistic_it_compares() -> None:
    # A published average of real trains or ships is compared with the Monte Carlo median; a
    # timetable, an operator's standard time or one named run with the nominal time.
    network = default_network()
    for case in CASES:
        if "average" in case.published or "regular service" in case.published:
            assert case.statistic == "p50", case.id
        if case.statistic == "p50":
            assert case.unit in ("days", "h") and case.value(network) > 0, case.id


def test_a_median_case_must_measure_a_route() -> None:
    from dataclasses import replace

    bad = replace(next(c for c in CASES if c.unit == "km"), statistic="p50")
    with pytest.raises(ValueError, match="must measure a route"):
        bad.value(default_network())
