"""What a shipper can ask of a route: cargo unit and constraints.

Codes and names a user types are checked twice: their form here, when the options are built, and
against the network in :func:`check_against_network` (a country code must be an ISO 3166-1 code, a
passage must be one a sea lane of the network passes), so a typo in ``--avoid RI`` (meant IR) is an
error with a suggestion, never a constraint that silently avoids nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from corridor import settings
from corridor.errors import OptionError
from corridor.network.model import CORRIDOR_TAGS
from corridor.vocab import Mode

if TYPE_CHECKING:
    from corridor.network.model import Network

__all__ = ["PASSAGES", "RouteOptions", "passage_id", "passage_name"]

PASSAGES: dict[str, str] = {
    "suez": "suez",
    "bab-el-mandeb": "babalmandab",
    "red sea": "babalmandab",  # a ship enters or leaves the Red Sea through Bab-el-Mandeb
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
}
"""Names a user may give for a sea passage → the passage name in the sea-lane data."""
_PASSAGE_NAMES = {
    "babalmandab": "Bab-el-Mandeb",
    "suez": "Suez Canal",
    "ormuz": "Strait of Hormuz",
    "south_africa": "Cape of Good Hope",
}


_ISO_3166 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
    BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM
    FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN
    MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT
    PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL
    TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """
ISO_COUNTRIES = frozenset(_ISO_3166.split())
"""The 249 officially assigned ISO 3166-1 alpha-2 codes (ISO 3166 Maintenance Agency; the test suite
checks this list against pycountry's copy of the standard). A code outside it is a typo."""


@dataclass(frozen=True)
class RouteOptions:
    """Constraints on a route search. Immutable, so one query's options never leak into the next.

    Parameters
    ----------
    cargo : str
        ``20ft``, ``40ft`` or ``40ft-reefer`` (any id in ``cargo.csv``). Reefer cargo uses only
        links and terminals that take reefer containers.
    avoid_countries : frozenset of str
        ISO codes of countries the route must not touch. An empty code (``''``, or a stray comma
        on the command line) is refused here and in every other list option: for sanctions-driven
        avoidance an empty value that avoids nothing must not pass silently.
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
    tolerance : float
        0 for the exact Pareto set; e.g. :data:`corridor.settings.THIN_TOLERANCE` (0.01) for an
        ε-Pareto set: every Pareto-optimal route then has a returned route within 1 % of it on
        time, cost and CO2e at once (what the display keeps anyway), found much faster where the
        exact set runs to thousands of routes.
    via : tuple of str
        Places the route must pass, in this order (names as a user types them, e.g. ``Altynkol``).
    air_cargo : bool
        The consignment is air cargo, moved by chargeable weight, not a 20/40 ft container. Only
        then may the route use air legs: a full container never flies.
    allow_passages : frozenset of str
        Sea passages to use even at a date when carriers avoid them (``passage_status.csv``;
        see :mod:`corridor.routing.passages`), e.g. ``bab-el-mandeb`` during the Red Sea crisis.
    empty_return : bool
        Add the cost of bringing the empty box back (:mod:`corridor.pricing.surcharges`) to each
        route's totals. It is added to the routes the search found, not searched with: a
        land route it makes dearer than a sea route stays listed.
    """

    cargo: str = settings.DEFAULT_CARGO
    avoid_countries: frozenset[str] = field(default_factory=frozenset)
    avoid_modes: frozenset[str] = field(default_factory=frozenset)
    avoid_passages: frozenset[str] = field(default_factory=frozenset)
    max_transshipments: int | None = None
    include_planned: bool = False
    corridor: str | None = None
    tolerance: float = 0.0
    via: tuple[str, ...] = ()
    air_cargo: bool = False
    allow_passages: frozenset[str] = field(default_factory=frozenset)
    empty_return: bool = False

    def __post_init__(self) -> None:
        for name in ("avoid_countries", "avoid_modes", "avoid_passages", "allow_passages", "via"):
            if any(not v.strip() for v in getattr(self, name)):
                raise OptionError(
                    f"{name} has an empty value ('' or a stray comma); leave the option out to avoid nothing"
                )
        countries = frozenset(c.strip().upper() for c in self.avoid_countries)
        bad = [c for c in countries if len(c) != 2 or not c.isalpha()]
        if bad:
            raise OptionError(f"avoid_countries takes ISO country codes such as RU,BY; got {', '.join(sorted(bad))}")
        object.__setattr__(self, "avoid_countries", countries)
        object.__setattr__(self, "via", tuple(v.strip() for v in self.via))
        modes = frozenset(m.strip().lower() for m in self.avoid_modes)
        if unknown := sorted(modes - set(Mode.values())):
            raise OptionError(f"unknown mode {', '.join(unknown)}; modes are {', '.join(Mode.values())}")
        object.__setattr__(self, "avoid_modes", modes)
        object.__setattr__(self, "avoid_passages", frozenset(map(_passage, self.avoid_passages)))
        object.__setattr__(self, "allow_passages", frozenset(map(_passage, self.allow_passages)))
        if both := sorted(self.avoid_passages & self.allow_passages):
            raise OptionError(f"passage {', '.join(both)} is both avoided and allowed")
        if self.max_transshipments is not None and self.max_transshipments < 0:
            raise OptionError("max_transshipments must be 0 or more")
        if not 0 <= self.tolerance < 1:
            raise OptionError(f"tolerance must be at least 0 (exact) and below 1, got {self.tolerance}")
        if self.corridor is not None and self.corridor not in CORRIDOR_TAGS:
            known = ", ".join(CORRIDOR_TAGS)
            raise OptionError(f"unknown corridor '{self.corridor}'; corridors are {known}")


def _passage(name: str) -> str:
    """A passage as the sea-lane data names it; a name with no alias is kept as typed (lower case)
    and checked against the network's lanes by :func:`check_against_network`."""
    key = name.strip().lower()
    return PASSAGES.get(key, key)


def check_against_network(network: Network, options: RouteOptions) -> tuple[str, ...]:
    """Reject avoided countries and passages the user cannot have meant.

    A passage the program knows (a name of :data:`PASSAGES`) that no sea lane of the network
    passes — the Corinth Canal, which container ships do not fit — is a valid request that
    changes nothing: it is accepted with a note.

    Returns
    -------
    tuple of str
        Notes for the user, one per avoided passage that no lane passes.

    Raises
    ------
    OptionError
        For a country code that is not an ISO 3166-1 code (suggesting the network's countries
        it is nearest to: ``RI`` → ``IR``), or a passage name the program does not know
        (suggesting the nearest passage names).
    """
    here = {p.country for p in network.places.values()}
    for code in sorted(options.avoid_countries - ISO_COUNTRIES):
        hint = _country_hint(code, here)
        raise OptionError(f"'{code}' is not an ISO 3166 country code{hint}; the network's countries are {_list(here)}")
    lanes = {p for link in network.links for p in link.passages}
    known = lanes | set(PASSAGES.values())
    names = {alias: data for alias, data in PASSAGES.items() if data in known} | {p: p for p in known}
    for name in sorted((options.avoid_passages | options.allow_passages) - known):
        near = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
        hint = f" (did you mean {' or '.join(near)}?)" if near else ""
        shown = {_alias(p) for p in lanes}
        raise OptionError(f"no sea lane in the network passes '{name}'{hint}; passages are {_list(shown)}")
    return tuple(
        f"no sea lane of the network passes {_alias(name)}: avoiding it changes nothing"
        for name in sorted(options.avoid_passages - lanes)
    )


def _alias(passage: str) -> str:
    """The name a user types for a passage of the sea-lane data (``ormuz`` → ``hormuz``)."""
    return next((a for a, d in PASSAGES.items() if d == passage), passage)


def passage_name(passage: str) -> str:
    """``Bab-el-Mandeb`` for ``babalmandab``: a passage of the sea-lane data, for display."""
    return _PASSAGE_NAMES.get(passage, passage.replace("_", " ").title())


def passage_id(network: Network, name: str) -> str:
    """The sea-lane data's name of the passage a user names (``Bab-el-Mandeb``, ``red sea`` → ``babalmandab``).

    Raises
    ------
    OptionError
        If no sea lane of ``network`` passes it (suggesting the nearest passage names).
    """
    options = RouteOptions(avoid_passages=frozenset({name}))
    check_against_network(network, options)
    return next(iter(options.avoid_passages))


def _country_hint(code: str, countries: set[str]) -> str:
    """`` (did you mean IR?)`` for a code one swap or one letter away from a network country."""
    swapped = code[::-1]
    near = [swapped] if swapped in countries else []
    near += sorted(c for c in countries if sum(x != y for x, y in zip(c, code, strict=True)) == 1)
    return f" (did you mean {' or '.join(near[:3])}?)" if near else ""


def _list(names: set[str] | dict[str, str]) -> str:
    return ", ".join(sorted(names))
