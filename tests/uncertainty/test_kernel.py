"""The compiled kernel: same answers as the NumPy engine, chosen by ``engine``, optional."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from corridor.errors import OptionError
from corridor.routing.api import default_network, route
from corridor.routing.itinerary import Route
from corridor.uncertainty import montecarlo
from corridor.uncertainty.api import reliability
from corridor.uncertainty.journey import Component, JourneyModel, journey_model
from corridor.uncertainty.montecarlo import BATCH, Reliability, simulate

numba = pytest.importorskip("numba")


@pytest.fixture(scope="module")
def middle() -> Route:
    return route("Xian", "Baku", corridor="middle").best("time")


CASES = [
    ("Xian", "Baku", "middle", None),  # Caspian storms, one random season per journey
    ("Xian", "Baku", "middle", date(2026, 12, 1)),  # storms in the month each port is reached
    ("Xian", "Duisburg", "northern", None),
    ("Shanghai", "Rotterdam", None, None),  # deep sea: long headways and a late tail
]


def assert_same(kernel: Reliability, numpy: Reliability) -> None:
    """Percentiles, histogram and odds are identical; sums differ only in rounding."""
    assert (kernel.p10_h, kernel.p50_h, kernel.p90_h, kernel.p95_h) == (
        numpy.p10_h,
        numpy.p50_h,
        numpy.p90_h,
        numpy.p95_h,
    )
    assert kernel.ecdf_h == numpy.ecdf_h and kernel.ecdf_p == numpy.ecdf_p
    assert kernel.on_time_probability == numpy.on_time_probability
    assert kernel.mean_h == pytest.approx(numpy.mean_h, rel=1e-9)
    assert kernel.std_h == pytest.approx(numpy.std_h, rel=1e-6)
    assert [name for name, _ in kernel.drivers[:5]] == [name for name, _ in numpy.drivers[:5]]
    for (_, k), (_, n) in zip(kernel.drivers, numpy.drivers, strict=False):
        assert k == pytest.approx(n, abs=1e-5)


@pytest.mark.parametrize(("origin", "destination", "corridor", "depart"), CASES)
def test_both_engines_agree_on_real_routes(origin: str, destination: str, corridor: str, depart: date) -> None:
    best = route(origin, destination, corridor=corridor).best("time")
    model = journey_model(best, default_network(), depart)
    deadline = best.total_time_h * 1.3
    samples = 2 * BATCH + 4_099  # a short last batch, not a multiple of four draws or of a chunk
    kernel = simulate(model, samples, seed=11, deadline_h=deadline, engine="numba")
    numpy = simulate(model, samples, seed=11, deadline_h=deadline, engine="numpy")
    assert_same(kernel, numpy)
    assert kernel.p10_h < kernel.p50_h < kernel.p90_h


def test_engines_agree_on_every_kind_of_component(middle: Route) -> None:
    # No spread, a late tail so likely its table has no zero, one so rare it is all zero, and two
    # storm ports with different weather, sharing the journey's month.
    winter, summer = (0.5,) * 3 + (0.1,) * 6 + (0.5,) * 3, (0.2,) * 12
    parts = (
        Component("fixed", "run", 10.0, 0.0, 0.0, 0.0),
        Component("always late", "border", 5.0, 0.4, 0.99999, 30.0),
        Component("never late", "border", 5.0, 0.4, 1e-9, 30.0),
        Component("ferry", "wait", 40.0, 0.2, 0.2, 50.0, headway_h=80.0, closure=winter, spell_h=(48.0,) * 12),
        Component("feeder", "wait", 60.0, 0.3, 0.0, 0.0, headway_h=120.0, closure=summer, spell_h=(24.0,) * 12),
        Component("sea", "run", 300.0, 0.1, 0.3, 120.0, offset_h=900.0),
    )
    for depart in (None, date(2026, 11, 20)):
        model = JourneyModel(middle, parts, depart)
        assert_same(
            simulate(model, 30_001, seed=5, deadline_h=700, engine="numba"),
            simulate(model, 30_001, seed=5, deadline_h=700, engine="numpy"),
        )


def test_kernel_is_reproducible_and_seeds_differ(middle: Route) -> None:
    a = reliability(middle, 50_000, seed=3, engine="numba")
    assert a == reliability(middle, 50_000, seed=3, engine="numba")
    assert a.p90_h != reliability(middle, 50_000, seed=4, engine="numba").p90_h


def test_auto_uses_the_kernel_only_for_large_runs(middle: Route, monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[int] = []
    real = montecarlo._kernel_fold

    def spy(arrays: montecarlo._Arrays) -> montecarlo.Fold:
        used.append(arrays.k)
        return real(arrays)

    monkeypatch.setattr(montecarlo, "_kernel_fold", spy)
    monkeypatch.setattr(montecarlo, "KERNEL_MIN_SAMPLES", 10_000)
    reliability(middle, 9_999)
    assert used == []
    reliability(middle, 10_000)
    assert len(used) == 1
    reliability(middle, 10_000, engine="numpy")  # the parameter forces the NumPy engine
    assert len(used) == 1


def test_asking_for_numba_without_it_is_a_clear_error(middle: Route, monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes `import numba` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.delitem(sys.modules, "corridor.uncertainty.kernel", raising=False)
    monkeypatch.setattr(montecarlo, "KERNEL_MIN_SAMPLES", 1)
    with pytest.raises(OptionError, match=r"numba.*corridor\[fast\]"):
        reliability(middle, 1_000, engine="numba")
    # auto falls back to NumPy, with the same answer the kernel would give
    assert reliability(middle, 1_000, seed=2).p90_h == reliability(middle, 1_000, seed=2, engine="numpy").p90_h


def test_unknown_engine_is_an_option_error(middle: Route) -> None:
    with pytest.raises(OptionError, match="unknown Monte Carlo engine"):
        reliability(middle, 1_000, engine="fortran")  # type: ignore[arg-type]


def test_importing_and_small_runs_leave_numba_unimported() -> None:
    code = """
import sys
from corridor.routing.api import default_network, route
from corridor.uncertainty.journey import journey_model
from corridor.uncertainty.montecarlo import simulate
simulate(journey_model(route("Xian", "Baku").best("time"), default_network()), 5_000)
print("numba" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_without_a_writable_cache_the_kernel_compiles_anyway(monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.uncertainty import kernel

    real = numba.njit

    def njit(**options: object) -> object:
        if options.get("cache"):
            raise RuntimeError("cannot cache function: no locator available for file")
        return real(**options)

    monkeypatch.setattr(kernel.numba, "njit", njit)
    double = kernel._jit(lambda v: 2 * v)
    assert double(2.5) == 5.0
