"""Every error Corridor raises on purpose, in one place. Each carries a message meant for the user.

The classes say *what* went wrong, never how an interface reports it: the REST server maps a class
to an HTTP status (:mod:`corridor.interfaces.api.server`) and the command line to an exit code
(:mod:`corridor.interfaces.cli.common`). Messages name the library's parameters (``avoid_countries``),
not command-line flags, since REST and Python callers read them too.

================================  ==========================================  ======  =========
class                             meaning                                     HTTP    CLI exit
================================  ==========================================  ======  =========
:class:`NoRouteError`             no route under the constraints              404     1
:class:`NotFoundError`            a named thing does not exist                404     2
:class:`ConflictError`            a name is taken, or writes collided         409     2
:class:`BusyError`                too much work queued; retry later           429     2
:class:`StoreError`               the database is unreachable or not ours     503     2
:class:`SearchBudgetError`        a route search ran out of its time budget   422     2
any other :class:`CorridorError`  bad input (place, option, data file)        422     2
================================  ==========================================  ======  =========
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AmbiguousPlaceError",
    "BusyError",
    "ConflictError",
    "CorridorError",
    "DataFileError",
    "NoRouteError",
    "NotFoundError",
    "OptionError",
    "Problem",
    "SearchBudgetError",
    "StoreError",
    "UnknownPlaceError",
]


class CorridorError(Exception):
    """Base class: anything the user can fix by changing their input."""


@dataclass(frozen=True)
class Problem:
    """One defect in a data file, located by file, line and field."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f" field '{self.field}'" if self.field else ""
        return f"{where}:{what} {self.message}"


class DataFileError(CorridorError):
    """A data file is malformed; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"the network data has {len(problems)} problem(s):\n{shown}{more}")


class UnknownPlaceError(CorridorError):
    """A place name matched nothing in the network."""

    def __init__(self, query: str, suggestions: list[str], note: str = "") -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown place '{query}'.{hint}{' ' + note if note else ''}")


class AmbiguousPlaceError(UnknownPlaceError):
    """A name fits several places or cities (two Dimitrovgrads, Serakhs and Sarakhs): the user must pick.

    ``options`` are network places as ``(id, name, country)`` or cities as labels such as
    ``Brest (FR, 144,899 people)``. ``candidates`` keeps the places; ``suggestions`` lists what
    the user can type instead: a place's id (unique) or a city's label.
    """

    def __init__(self, query: str, options: Sequence[str | tuple[str, str, str]]) -> None:
        self.candidates = [o for o in options if isinstance(o, tuple)]
        labels = [o if isinstance(o, str) else _place_label(*o) for o in options]
        last = options[-1] if options else ""
        code = last[2] if isinstance(last, tuple) else _country_of(last)
        CorridorError.__init__(
            self,
            f"'{query}' is ambiguous: {'; '.join(labels[:8])}. "
            f"Give the place id or add the country code, e.g. '{query}, {code}'.",
        )
        self.query = query
        self.suggestions = [o[0] if isinstance(o, tuple) else o for o in options]


def _place_label(pid: str, name: str, country: str) -> str:
    return f"{name if f'({country})' in name else f'{name} ({country})'}, id '{pid}'"


def _country_of(option: str) -> str:
    """``XX`` from an option label such as ``Brest (FR, 144,899 people)``."""
    inside = option.rpartition("(")[2]
    return inside[:2] if inside[:2].isalpha() and inside[:2].isupper() else "CC"


class NoRouteError(CorridorError):
    """No route joins origin and destination under the given constraints."""

    def __init__(self, origin: str, destination: str, reason: str) -> None:
        self.origin = origin
        self.destination = destination
        self.reason = reason
        super().__init__(f"no route from {origin} to {destination}: {reason}")


class OptionError(CorridorError):
    """A routing option has a value Corridor does not know."""


class SearchBudgetError(CorridorError):
    """A route search ran out of its time budget before the Pareto set was complete.

    ``partial`` holds the routes found so far (each a real route, but the set may miss some
    and include some that a complete search would drop); ``labels`` how many partial routes were
    expanded.
    """

    def __init__(self, partial: list[Any], labels: int) -> None:
        self.partial = partial
        self.labels = labels
        super().__init__(
            f"the route search stopped at its time budget after {labels:,} partial routes, with "
            f"{len(partial)} route(s) found so far; ask for an approximate set (a tolerance such as 0.01) "
            "or narrow the search (avoid modes or countries, a corridor)"
        )


class NotFoundError(CorridorError):
    """Something asked for by name does not exist: a stored scenario or version, a shipped scenario, a job."""


class ConflictError(CorridorError):
    """The request collides with what exists: a scenario name already taken, or concurrent writes of one record."""


class BusyError(CorridorError):
    """Too much work is already queued; the same request may succeed once some has finished."""


class StoreError(CorridorError):
    """The results and scenario database cannot be used: unreachable, damaged, made by a newer Corridor,
    or holding tables Corridor did not make.

    The message never names the database's host, port, user or file (API clients see it);
    ``detail`` has the driver's own words for the operator (the CLI prints them, the server logs them).
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail
