"""Corridor: plan and compare container freight routes on the Eurasian land bridge.

The Trans-Caspian International Transport Route ("Middle Corridor") and the alternatives a
shipper weighs — the Northern route via Russia, sea via Suez or the Cape, the North–South
corridor via Turkmenistan and Iran, the planned Trans-Afghan railway and air.

>>> import corridor
>>> found = corridor.route("Shanghai", "Belgrade")        # doctest: +SKIP
>>> found.best("time").total_time_days                    # doctest: +SKIP

Importing the package loads nothing heavy; the network is read on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["compare", "find_places", "load_network", "plan_shipments", "read_shipments", "reliability", "route"]

if TYPE_CHECKING:
    from corridor.network.io import load_network
    from corridor.network.places import find_places
    from corridor.routing.api import compare, route
    from corridor.shipments.plan import plan_shipments
    from corridor.shipments.reading import read_shipments
    from corridor.uncertainty.api import reliability

_LAZY = {
    "route": "corridor.routing.api",
    "compare": "corridor.routing.api",
    "load_network": "corridor.network.io",
    "find_places": "corridor.network.places",
    "reliability": "corridor.uncertainty.api",
    "plan_shipments": "corridor.shipments.plan",
    "read_shipments": "corridor.shipments.reading",
}


def __getattr__(name: str) -> Any:
    # Public functions are imported on first use so `import corridor` stays instant.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'corridor' has no attribute {name!r}")
