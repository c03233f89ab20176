"""Reefer survival: genset stretches end at plugs, and long stretches are flagged."""

from __future__ import annotations

from corridor.routing.api import default_network, route
from corridor.shipments.reefer import (
    GENSET_AUTONOMY_H,
    GENSET_MODES,
    POWER_KINDS,
    ReeferCheck,
    Stretch,
    check_reefer,
    genset_stretches,
)


def test_stretches_run_between_power_points() -> None:
    r = route("Almaty", "Belgrade", cargo="40ft-reefer", avoid_countries=["RU", "BY"], avoid_modes=["air"]).best()
    plugged = {c.place_id for c in r.crossings if c.kind in POWER_KINDS}
    runs = genset_stretches(r)
    assert runs
    for first, last in runs:
        legs = r.legs[first : last + 1]
        assert all(leg.mode in GENSET_MODES for leg in legs)
        assert not any(leg.to_id in plugged for leg in legs[:-1])  # no plug inside a stretch
    covered = {i for first, last in runs for i in range(first, last + 1)}
    assert covered == {i for i, leg in enumerate(r.legs) if leg.mode in GENSET_MODES}


def test_p95_of_a_stretch_is_at_least_its_median_time() -> None:
    r = route("Tashkent", "Moscow", cargo="40ft-reefer", avoid_modes=["air"]).best()
    check = check_reefer(r, default_network(), samples=4_000)
    worst = check.worst
    assert worst is not None and worst.p95_h >= worst.time_h


def test_flag_compares_the_p95_with_the_autonomy() -> None:
    short = ReeferCheck((Stretch("A", "B", 1, 40, GENSET_AUTONOMY_H - 1),))
    long = ReeferCheck((Stretch("A", "B", 1, 40, GENSET_AUTONOMY_H + 1),))
    very_long = ReeferCheck((Stretch("A", "B", 3, 600, 900),))
    assert not short.may_run_dry and short.summary().startswith("ok")
    assert long.may_run_dry and "self-powered unit" in long.summary()
    assert "even on a self-powered unit" in very_long.summary()
    assert ReeferCheck(()).summary() == "on power all the way"
