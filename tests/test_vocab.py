"""The vocabularies: any case in, the wire string out, and the shipped data uses only their words."""

from __future__ import annotations

import json

import pytest

from corridor.errors import OptionError
from corridor.routing.api import default_network
from corridor.settings import DEFAULT_CARGO
from corridor.vocab import (
    Cargo,
    CrossingKind,
    LinkStatus,
    Mode,
    Objective,
    PlaceKind,
    RobustObjective,
    SamplingEngine,
    SeaRoute,
    SweepExecutor,
)


@pytest.mark.parametrize("text", ["rail", "RAIL", " Rail ", "rAiL"])
def test_any_case_finds_the_member(text: str) -> None:
    assert Mode(text) is Mode.rail


def test_a_member_is_its_wire_string() -> None:
    assert json.dumps({"kind": CrossingKind.gauge_change}) == '{"kind": "gauge-change"}'
    assert f"{RobustObjective.on_time}" == "on-time"
    assert {Mode.sea: 1}["sea"] == 1


def test_unknown_word_names_the_choices() -> None:
    with pytest.raises(OptionError, match=r"unknown engine 'spark'; use one of local, process, dask"):
        SweepExecutor.parse("spark", "engine")
    with pytest.raises(ValueError):
        Mode("hovercraft")


def test_engines_are_two_vocabularies() -> None:
    assert not set(SamplingEngine.values()) & set(SweepExecutor.values())


def test_objectives_do_not_overlap() -> None:
    assert not set(Objective.values()) & set(RobustObjective.values())


def test_cargo_menu_is_the_shipped_cargo_file() -> None:
    ids = list(default_network().cargo_types)
    assert ids == list(Cargo.values())
    assert DEFAULT_CARGO in ids


def test_shipped_network_uses_only_vocabulary_words() -> None:
    network = default_network()
    assert {link.mode for link in network.links} <= set(Mode)
    assert {link.status for link in network.links} <= set(LinkStatus)
    assert {link.sea_route for link in network.links if link.sea_route} <= set(SeaRoute)
    assert {p.kind for p in network.places.values()} <= set(PlaceKind)
    assert {t.kind for t in network.node_times} == set(CrossingKind)
