"""Sails when full: the wait for a Caspian ferry depends on the cargo offered (issue 10, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor import settings
from corridor.errors import DataFileError, OptionError
from corridor.network.io import load_network
from corridor.network.model import Network
from corridor.network.sailings import at_teu_per_week, observed_teu_per_week
from corridor.routing.api import default_network, route
from corridor.uncertainty.api import reliability
from helpers import Runner

BY_FERRY = {"avoid_modes": ("sea",), "avoid_countries": ("RU", "IR")}
"""Beyneu → Baku across the Caspian by the Kuryk–Alat rail ferry."""


@pytest.fixture(scope="module")
def network() -> Network:
    return default_network()


def _frequencies(network: Network) -> dict[tuple[str, str, str], float | None]:
    return {(lk.from_id, lk.to_id, lk.mode): lk.frequency_per_week for lk in network.links}


def _ferry_wait(demand: float | None) -> float:
    found = route("Beyneu", "Baku", demand_teu_week=demand, **BY_FERRY).best("time")  # type: ignore[arg-type]
    ferry = next(leg for leg in found.legs if leg.mode == "ferry")
    assert ferry.wait_model == "when_full" and ferry.from_id == "kuryk"
    return ferry.wait_h


def test_wait_falls_as_the_cargo_rises_and_timetables_stay(network: Network) -> None:
    rules = {(s.from_id, s.to_id, s.mode): s.rule for s in network.sailings}
    base = _frequencies(network)
    previous: dict[tuple[str, str, str], float] = {}
    for teu in (100, 300, 900, 2000, 5000):
        now = _frequencies(at_teu_per_week(network, teu))
        for key, rule in rules.items():
            if rule == "timetable":
                assert now[key] == base[key]
            else:
                got = now[key]
                assert got is not None and got >= previous.get(key, 0.0)
                previous[key] = got
        assert {k: v for k, v in now.items() if k not in rules} == {k: v for k, v in base.items() if k not in rules}
    waits = [_ferry_wait(teu) for teu in (200, 600, 1500)]
    assert waits[0] > waits[1] > waits[2] > 0


def test_the_observed_flow_gives_the_observed_frequency(network: Network) -> None:
    for s in network.sailings:
        observed = observed_teu_per_week(s)
        if s.rule != "when_full" or observed is None:
            continue
        again = _frequencies(at_teu_per_week(network, observed))[(s.from_id, s.to_id, s.mode)]
        assert again == pytest.approx(s.departures_per_week)
    assert at_teu_per_week(network, None) is network
    with pytest.raises(ValueError, match="positive"):
        at_teu_per_week(network, 0)


def test_the_fleet_caps_the_departures(network: Network) -> None:
    kuryk = next(s for s in network.sailings if (s.from_id, s.to_id) == ("kuryk", "alat"))
    assert kuryk.max_departures_per_week is not None
    flooded = _frequencies(at_teu_per_week(network, 1e6))
    assert flooded[("kuryk", "alat", "ferry")] == kuryk.max_departures_per_week


def test_the_monte_carlo_waits_with_the_load(network: Network) -> None:
    p50 = []
    for teu in (200, 2000):
        best = route("Beyneu", "Baku", demand_teu_week=teu, **BY_FERRY).best("time")  # type: ignore[arg-type]
        p50.append(reliability(best, 20_000, seed=1).p50_h)
    assert p50[0] > p50[1] + 5  # about 25 h of mean wait against 2.4 h


@pytest.mark.parametrize("bad", [0, -5, float("nan"), float("inf")])
def test_a_demand_that_is_not_a_positive_number_is_refused(bad: float) -> None:
    with pytest.raises(OptionError, match="demand_teu_week"):
        route("Beyneu", "Baku", demand_teu_week=bad)


def test_a_when_full_row_needs_its_load(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_copy / "sailings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    cells = lines[1].split(",")
    cells[head.index("teu_per_departure")] = ""
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    monkeypatch.setenv(settings.DATA_ENV, str(data_copy))
    with pytest.raises(DataFileError, match=r"sailings.csv:2: field 'teu_per_departure'"):
        load_network(data_copy)


def test_the_cli_says_which_wait_model_it_used(cli: Runner) -> None:
    ran = cli("route", "Beyneu", "Baku", "--avoid", "RU,IR", "--avoid-mode", "sea", "--demand-teu-week", "400")
    assert ran.returncode == 0, ran.stderr
    assert "sails when full, at 400 TEU-equivalent a week" in ran.stdout
    default = cli("route", "Beyneu", "Baku", "--avoid", "RU,IR", "--avoid-mode", "sea", "--format", "json")
    assert '"wait_model": "when_full"' in default.stdout
    assert cli("route", "Beyneu", "Baku", "--demand-teu-week", "0").returncode == 2
