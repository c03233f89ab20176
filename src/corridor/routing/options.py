"""What a shipper can ask of a route: cargo unit and constraints."""

from __future__ import annotations

from dataclasses import dataclass, field

from corridor import settings
from corridor.errors import OptionError
from corridor.network.model import CORRIDOR_TAGS
from corridor.vocab import Mode

PASSAGES: dict[str, str] = {
    "suez": "suez",
    "bab-el-mandeb": "babalmandab",
    "babalmandab": "babalmandab",
    "bosporus": "bosporus",
    "bosphorus": "bosporus",
    "dardanelles": "dardanelles",
    "corinth": "corinth",
    "hormuz": "ormuz",
    "ormuz": "ormuz",
    "gibraltar": "gibraltar",
    "malacca": "malacca",
    "cape": "south_africa",
    "south_africa": "south_africa",
    "panama": "panama",
}
"""Names a user may give for a sea passage → the passage name in the sea-lane data."""


@dataclass(frozen=True)
class RouteOptions:
    """Constraints on a route search. Immutable, so one query's options never leak into the next.

    Parameters
    ----------
    cargo : str
        ``20ft``, ``40ft`` or ``40ft-reefer`` (any id in ``cargo.csv``). Reefer cargo uses only
        links and terminals that take reefer containers.
    avoid_countries : frozenset of str
        ISO codes of countries the route must not touch.
    avoid_modes : frozenset of str
        Modes the route must not use (``air``, ``road`` …).
    avoid_passages : frozenset of str
        Sea passages to avoid (``suez``, ``bab-el-mandeb``, ``bosporus``, ``dardanelles``, ``hormuz`` …).
    max_transshipments : int, optional
        Most container lifts between vehicles (mode changes and gauge changes).
    include_planned : bool
        Also use links that are planned, not yet operating (e.g. the Trans-Afghan railway).
    corridor : str, optional
        Keep only routes of this corridor (a tag such as ``middle``).
    """

    cargo: str = settings.DEFAULT_CARGO
    avoid_countries: frozenset[str] = field(default_factory=frozenset)
    avoid_modes: frozenset[str] = field(default_factory=frozenset)
    avoid_passages: frozenset[str] = field(default_factory=frozenset)
    max_transshipments: int | None = None
    include_planned: bool = False
    corridor: str | None = None

    def __post_init__(self) -> None:
        countries = frozenset(c.strip().upper() for c in self.avoid_countries if c.strip())
        bad = [c for c in countries if len(c) != 2 or not c.isalpha()]
        if bad:
            raise OptionError(f"--avoid takes ISO country codes such as RU,BY; got {', '.join(bad)}")
        object.__setattr__(self, "avoid_countries", countries)
        modes = frozenset(m.strip().lower() for m in self.avoid_modes if m.strip())
        if unknown := sorted(modes - set(Mode.values())):
            raise OptionError(f"unknown mode {', '.join(unknown)}; modes are {', '.join(Mode.values())}")
        object.__setattr__(self, "avoid_modes", modes)
        object.__setattr__(self, "avoid_passages", frozenset(map(_passage, self.avoid_passages)))
        if self.max_transshipments is not None and self.max_transshipments < 0:
            raise OptionError("--max-transshipments must be 0 or more")
        if self.corridor is not None and self.corridor not in CORRIDOR_TAGS:
            known = ", ".join(CORRIDOR_TAGS)
            raise OptionError(f"unknown corridor '{self.corridor}'; corridors are {known}")


def _passage(name: str) -> str:
    key = name.strip().lower()
    if key not in PASSAGES:
        raise OptionError(f"unknown sea passage '{name}'; passages are {', '.join(sorted(PASSAGES))}")
    return PASSAGES[key]
