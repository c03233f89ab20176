"""Scenario files: the demand to carry and the levers to pull, in YAML.

A scenario names origin–destination demand in TEU a year and, optionally, levers: more or fewer
ferries on a crossing, a faster or slower border or port, a tariff change, planned links opened,
a sea passage closed, a crossing closed or cut between two dates. Levers name places as demand
rows do (any of a place's names, in any language). It is validated with pydantic; a mistake is
reported with file, line and field, like the data files::

    name: TITR 2024 base
    year: 2024
    demand:
      - {origin: Xian, destination: Duisburg, teu_per_year: 30000}
    levers:
      - {kind: ferries, from: Kuryk, to: Baku, change: 2}
      - {kind: disruption, place: Brest, crossing: border, start: 2025-09-12, end: 2025-09-25}
      - {kind: disruption, passage: bab-el-mandeb, start: 2023-12-15, end: 2025-01-01}
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corridor import settings
from corridor.errors import DataFileError, NotFoundError, Problem
from corridor.vocab import CrossingKind

__all__ = [
    "MIN_CAPACITY_FACTOR",
    "ClosePassageLever",
    "CrossingLever",
    "DisruptionLever",
    "FerriesLever",
    "Flow",
    "Lever",
    "OpenPlannedLever",
    "RouteChoice",
    "Scenario",
    "TariffLever",
    "load_scenario",
    "parse_scenario",
    "shipped_scenario",
]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)


class Flow(_Strict):
    """Demand between two places."""

    origin: str = Field(min_length=1)
    destination: str = Field(min_length=1)
    teu_per_year: float = Field(gt=0, le=50_000_000)
    cargo: str = settings.DEFAULT_CARGO
    avoid_countries: tuple[str, ...] = ()
    """Countries these shippers will not route through (e.g. RU, BY under sanctions risk)."""
    seasonality: tuple[float, ...] = ()
    """Twelve monthly factors averaging 1 (January first); empty for an even year."""

    @field_validator("seasonality")
    @classmethod
    def _twelve(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if value and (len(value) != 12 or any(v < 0 for v in value) or abs(sum(value) / 12 - 1) > 0.01):
            raise ValueError("seasonality needs 12 non-negative monthly factors averaging 1")
        return value


class RouteChoice(_Strict):
    """How shippers split demand between routes: a logit on generalised cost."""

    value_of_time_usd_per_teu_day: float = Field(default=35.0, ge=0)
    """What a day in transit costs the cargo owner (inventory, capital); an estimate by default."""
    reliability_weight: float = Field(default=1.0, ge=0)
    """What a day of spread (P90 − P50 transit time) costs, in days of transit: 1 means as much."""
    logit_scale: float = Field(default=6.0, gt=0)
    """How sharply shippers prefer the cheapest route: share ∝ exp(-scale × cost / cheapest cost)."""
    corridors: tuple[str, ...] = ()
    """Corridors on offer (tags such as ``middle``); empty for all."""


class FerriesLever(_Strict):
    """Vessels added to (or withdrawn from) the fleet sailing between two ports; withdrawing all of
    them closes the line, withdrawing more than there are is an error."""

    kind: Literal["ferries"]
    from_id: str = Field(alias="from", min_length=1)
    to_id: str = Field(alias="to", min_length=1)
    change: int = Field(ge=-50, le=50)


MIN_CAPACITY_FACTOR = 0.01
"""Smallest share of a crossing's capacity a lever may leave open (other than 0, closed, in a
disruption). Why: the engine spaces trains ``24 / (trains_per_day * factor)`` hours apart, so a
factor near zero overflows that spacing (or divides by zero) instead of simulating anything; a cut
to under 1% is a closure, which a disruption with ``capacity_factor: 0`` states plainly."""


class CrossingLever(_Strict):
    """A crossing's capacity (trains a day) and dwell scaled for the whole period."""

    kind: Literal["crossing"]
    place: str = Field(min_length=1)
    crossing: CrossingKind
    capacity_factor: float = Field(default=1.0, ge=MIN_CAPACITY_FACTOR, le=100)
    dwell_factor: float = Field(default=1.0, gt=0, le=100)


class TariffLever(_Strict):
    kind: Literal["tariff"]
    mode: str
    country: str = "*"
    factor: float = Field(gt=0, le=10)


class OpenPlannedLever(_Strict):
    kind: Literal["open_planned"]


class ClosePassageLever(_Strict):
    kind: Literal["close_passage"]
    passage: str


class DisruptionLever(_Strict):
    """A crossing closed (``capacity_factor: 0``, the default) or its capacity cut between two
    dates: from ``start`` (00:00) until ``end`` (00:00, when it reopens). A place without a
    capacity figure (``crossing_capacity.csv``) can be closed but not cut.

    Or a sea passage closed between two dates (``passage: bab-el-mandeb``, ``suez``, ``red sea``
    …; give ``passage`` instead of ``place`` and ``crossing``): ships do not sail through it while
    it is closed, so shippers leaving then weigh the wait for the reopening against the other
    routes, and loads that reach it closed wait at their port of loading."""

    kind: Literal["disruption"]
    place: str = ""
    crossing: CrossingKind | None = None
    passage: str = ""
    start: date
    end: date
    capacity_factor: float = Field(default=0.0, ge=0, lt=1)
    note: str = ""
    """What happened, with its source, shown with the results."""

    @field_validator("capacity_factor")
    @classmethod
    def _closed_or_cut(cls, factor: float) -> float:
        if 0 < factor < MIN_CAPACITY_FACTOR:
            raise ValueError(f"must be 0 (closed) or at least {MIN_CAPACITY_FACTOR} (a cut), got {factor:g}")
        return factor

    @model_validator(mode="after")
    def _ordered(self) -> DisruptionLever:
        if bool(self.passage.strip()) == bool(self.place.strip() or self.crossing):
            raise ValueError("give either a place and its crossing, or a passage (e.g. passage: bab-el-mandeb)")
        if self.place.strip() and self.crossing is None:
            raise ValueError(f"which crossing of {self.place} is disrupted? add crossing: border, port …")
        if self.passage and self.capacity_factor > 0:
            raise ValueError("a passage is closed (capacity_factor: 0) or open; it cannot be cut")
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must come after start ({self.start})")
        return self


Lever = Annotated[
    FerriesLever | CrossingLever | TariffLever | OpenPlannedLever | ClosePassageLever | DisruptionLever,
    Field(discriminator="kind"),
]


class Scenario(_Strict):
    """A demand scenario with its levers."""

    name: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    network: str = "default"
    """``default`` for the embedded data, or a path to a data directory."""
    demand: tuple[Flow, ...] = Field(min_length=1)
    route_choice: RouteChoice = RouteChoice()
    levers: tuple[Lever, ...] = ()


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Raises
    ------
    DataFileError
        With the file, line and field of each problem.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError([Problem(file.name, 0, "", f"cannot read: {exc.strerror or exc}")]) from exc
    return parse_scenario(text, file.name)


def shipped_scenario(name: str) -> Path:
    """The YAML file of the scenario shipped under ``name`` (``titr-2030-triple``) in the data directory.

    Raises
    ------
    NotFoundError
        If no shipped scenario has that name (a name with a path separator never does); the
        message lists the shipped ones.
    """
    folder = settings.data_dir() / "scenarios"
    path = folder / f"{name}.yaml"
    if "/" in name or "\\" in name or not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.yaml")))
        raise NotFoundError(f"no shipped scenario '{name}'; the shipped ones: {known}")
    return path


def parse_scenario(text: str, name: str = "scenario") -> Scenario:
    """Validate scenario YAML given as text; problems are reported against ``name``."""
    import yaml

    try:
        raw = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise DataFileError([Problem(name, line, "", f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from exc
    if not isinstance(raw, dict):
        raise DataFileError([Problem(name, 1, "", "a scenario is a mapping with name, year and demand")])
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(name, _line(root, err["loc"]), ".".join(map(str, err["loc"])), err["msg"]) for err in exc.errors()
        ]
        raise DataFileError(problems) from None


def _line(node: Any, loc: tuple[Any, ...]) -> int:
    """1-based line of the YAML node at ``loc`` (or of its nearest existing parent)."""
    import yaml

    line = node.start_mark.line + 1 if node is not None else 0
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            if match is None:
                return line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return line
        line = node.start_mark.line + 1
    return line
