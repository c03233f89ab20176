"""Errors Corridor raises for bad input. Each carries a message meant for the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown place '{query}'.{hint}")


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
