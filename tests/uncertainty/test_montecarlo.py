"""The Monte Carlo engine: reproducible, bounded, and faithful to the journey model."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from corridor.errors import OptionError
from corridor.network.model import Network
from corridor.routing.api import default_network, route
from corridor.routing.itinerary import Route
from corridor.settings import MAX_SAMPLES
from corridor.uncertainty.api import most_reliable, parse_deadline, parse_month, rate, reliability
from corridor.uncertainty.journey import journey_model
from corridor.uncertainty.montecarlo import BATCH, BIN_H, simulate


@pytest.fixture(scope="module")
def middle() -> Route:
    return route("Xian", "Baku", corridor="middle").best("time")


def test_same_seed_same_answer_other_seed_other_answer(middle: Route) -> None:
    a = reliability(middle, 20_000, seed=7)
    b = reliability(middle, 20_000, seed=7)
    c = reliability(middle, 20_000, seed=8)
    assert a == b
    assert a.p90_h != c.p90_h


def test_percentiles_are_ordered_and_near_the_median_route(middle: Route) -> None:
    rel = reliability(middle, 50_000, seed=1)
    assert rel.p10_h < rel.p50_h < rel.p90_h < rel.p95_h
    # the deterministic figures are medians and mean waits; late tails and storms only add, so the
    # deterministic total lies below the P50 (and, with a short Caspian wait, near the P10)
    assert middle.total_time_h < rel.p50_h
    assert 0.8 * middle.total_time_h < rel.p10_h


def test_without_variability_every_journey_takes_the_median(middle: Route) -> None:
    network = default_network()
    still = Network(**{**network.__dict__, "variability": (), "weather": ()})
    model = journey_model(middle, still)
    model = type(model)(
        model.route, tuple(c.__class__(**{**c.__dict__, "headway_h": 0.0}) for c in model.components), None
    )
    rel = simulate(model, 5_000, seed=3)
    assert rel.p10_h == pytest.approx(middle.total_time_h, abs=2 * BIN_H)
    assert rel.p95_h == pytest.approx(middle.total_time_h, abs=2 * BIN_H)
    assert rel.std_h == pytest.approx(0.0, abs=1e-3)


def test_variance_shares_add_up_and_name_the_caspian(middle: Route) -> None:
    rel = reliability(middle, 50_000, seed=2)
    shares = dict(rel.drivers)
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.02)
    top = [name for name, _ in rel.drivers[:3]]
    assert any("Kuryk" in name or "Aktau" in name or "Alat" in name for name in top)


def test_deadline_odds_rise_with_the_deadline(middle: Route) -> None:
    odds = [reliability(middle, 20_000, seed=4, deadline_h=d * 24).on_time_probability for d in (10, 14, 20, 40)]
    assert odds == sorted(odds)
    assert odds[-1] == pytest.approx(1.0, abs=0.01)


def test_a_december_crossing_has_a_fatter_tail_than_june(middle: Route) -> None:
    june = reliability(middle, 50_000, seed=5, depart=date(2026, 6, 1))
    december = reliability(middle, 50_000, seed=5, depart=date(2026, 12, 1))
    assert december.p90_h > june.p90_h + 24
    assert december.p50_h >= june.p50_h


def test_many_batches_stream_with_bounded_state(middle: Route) -> None:
    rel = reliability(middle, 3 * BATCH + 17, seed=6)
    assert rel.samples == 3 * BATCH + 17
    assert len(rel.ecdf_h) <= 402 and len(rel.ecdf_p) == len(rel.ecdf_h)
    assert rel.ecdf_p[-1] == pytest.approx(1.0)


def test_independent_seeds_agree_within_sampling_error(middle: Route) -> None:
    model = journey_model(middle, default_network())
    rel = simulate(model, 40_000, seed=9)
    again = simulate(model, 40_000, seed=10)
    assert abs(again.mean_h - rel.mean_h) < 6 * rel.std_h / np.sqrt(40_000)


def test_robust_choice_prefers_the_thin_tail() -> None:
    found = route("Shanghai", "Belgrade")
    rated = rate(found.thinned(), 20_000, seed=1, deadline_h=30 * 24)
    by_p90 = most_reliable(rated, "p90")
    assert by_p90.reliability.p90_h == min(r.reliability.p90_h for r in rated)
    on_time = most_reliable(rated, "on-time")
    assert on_time.reliability.on_time_probability == max(r.reliability.on_time_probability or 0 for r in rated)


@pytest.mark.parametrize("samples", [0, -5, MAX_SAMPLES + 1])
def test_sample_count_out_of_range(middle: Route, samples: int) -> None:
    with pytest.raises(OptionError):
        reliability(middle, samples)


def test_deadline_and_month_parsing() -> None:
    assert parse_deadline("25d") == 600
    assert parse_deadline("36h") == 36
    assert parse_deadline("2026-03-01", date(2026, 2, 1)) == 28 * 24
    for bad in ("tomorrow", "-3d", "0d"):
        with pytest.raises(OptionError):
            parse_deadline(bad)
    with pytest.raises(OptionError, match="after the departure"):
        parse_deadline("2026-01-01", date(2026, 2, 1))
    assert parse_month("Dec").month == 12 and parse_month("7").month == 7
    with pytest.raises(OptionError):
        parse_month("smarch")
