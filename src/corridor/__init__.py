"""Corridor: plan and compare container freight routes on the Eurasian land bridge.

The Trans-Caspian International Transport Route ("Middle Corridor") and the alternatives a
shipper weighs — the Northern route via Russia, sea via Suez or the Cape, the North–South
corridor via Turkmenistan and Iran, the planned Trans-Afghan railway and air.

>>> import corridor
>>> found = corridor.route("Shanghai", "Belgrade")        # doctest: +SKIP
>>> found.best("time").total_time_days                    # doctest: +SKIP

Importing the package loads nothing heavy; each name below is imported on first use. The public
API is :data:`__all__`, listed with a line each in ``docs/api.md`` (a test keeps the two equal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "AmbiguousPlaceError",
    "BusyError",
    "Comparison",
    "ConflictError",
    "CorridorError",
    "Crossing",
    "DataFileError",
    "Leg",
    "Network",
    "NoRouteError",
    "NotFoundError",
    "OptionError",
    "PairForecast",
    "RatedRoute",
    "Reliability",
    "Route",
    "RouteOptions",
    "RouteSet",
    "Scenario",
    "ScenarioResult",
    "SearchBudgetError",
    "StoreError",
    "UnknownPlaceError",
    "compare",
    "find_places",
    "load_network",
    "load_scenario",
    "pair_forecast",
    "plan_shipments",
    "rate",
    "read_shipments",
    "reliability",
    "route",
    "run_scenario",
]

if TYPE_CHECKING:
    from corridor.errors import (
        AmbiguousPlaceError,
        BusyError,
        ConflictError,
        CorridorError,
        DataFileError,
        NoRouteError,
        NotFoundError,
        OptionError,
        SearchBudgetError,
        StoreError,
        UnknownPlaceError,
    )
    from corridor.forecasting.api import PairForecast, pair_forecast
    from corridor.network.io import load_network
    from corridor.network.model import Network
    from corridor.network.places import find_places
    from corridor.routing.api import Comparison, RouteSet, compare, route
    from corridor.routing.itinerary import Crossing, Leg, Route
    from corridor.routing.options import RouteOptions
    from corridor.shipments.plan import plan_shipments
    from corridor.shipments.reading import read_shipments
    from corridor.simulation.runner import ScenarioResult, run_scenario
    from corridor.simulation.schema import Scenario, load_scenario
    from corridor.uncertainty.api import RatedRoute, rate, reliability
    from corridor.uncertainty.montecarlo import Reliability

# Every public name ending in "Error" lives in corridor.errors; a test checks that every error class
# of corridor.errors is listed in __all__ above (importing that module here would slow the import).
_ERRORS = tuple(name for name in __all__ if name.endswith("Error"))
_LAZY = {
    **dict.fromkeys(_ERRORS, "corridor.errors"),
    "route": "corridor.routing.api",
    "compare": "corridor.routing.api",
    "RouteSet": "corridor.routing.api",
    "Comparison": "corridor.routing.api",
    "Route": "corridor.routing.itinerary",
    "Leg": "corridor.routing.itinerary",
    "Crossing": "corridor.routing.itinerary",
    "RouteOptions": "corridor.routing.options",
    "load_network": "corridor.network.io",
    "Network": "corridor.network.model",
    "find_places": "corridor.network.places",
    "reliability": "corridor.uncertainty.api",
    "rate": "corridor.uncertainty.api",
    "RatedRoute": "corridor.uncertainty.api",
    "Reliability": "corridor.uncertainty.montecarlo",
    "load_scenario": "corridor.simulation.schema",
    "Scenario": "corridor.simulation.schema",
    "run_scenario": "corridor.simulation.runner",
    "ScenarioResult": "corridor.simulation.runner",
    "pair_forecast": "corridor.forecasting.api",
    "PairForecast": "corridor.forecasting.api",
    "plan_shipments": "corridor.shipments.plan",
    "read_shipments": "corridor.shipments.reading",
}
"""Public name → the module that defines it."""


def __getattr__(name: str) -> Any:
    # Public names are imported on first use so `import corridor` stays instant.
    if name == "__version__":
        return _version()
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'corridor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__, "__version__"])


def _version() -> str:
    """The installed distribution's version: ``pyproject.toml`` is the one place it is written."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("corridor")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
