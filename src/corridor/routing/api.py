"""The public entry points: :func:`route` and :func:`compare`.

Both take place names as a user types them, search the network and return a
:class:`RouteSet`: the exact Pareto set of routes, with the best route for an objective and a
thinned list for display.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from corridor import settings
from corridor.errors import NoRouteError, OptionError
from corridor.network.io import load_network
from corridor.network.model import CORRIDOR_TAGS, Network
from corridor.network.places import resolve_place
from corridor.pricing.apply import network_at
from corridor.routing.graph import SearchGraph, compile_graph
from corridor.routing.itinerary import DIRECT, Route, build_route, routes_geojson
from corridor.routing.options import RouteOptions
from corridor.routing.pareto import ParetoPath, pareto_paths
from corridor.vocab import Objective

if TYPE_CHECKING:
    import pandas as pd

OBJECTIVES: dict[str, str] = {
    Objective.time: "total_time_h",
    Objective.cost: "total_cost_usd",
    Objective.co2: "co2e_kg",
}


@lru_cache(maxsize=4)
def _load(data_dir: str) -> Network:
    return load_network(data_dir)


def default_network() -> Network:
    """The network in :func:`corridor.settings.data_dir`, loaded once per process."""
    return _load(str(settings.data_dir()))


@dataclass(frozen=True)
class RouteSet:
    """Routes between two places: the exact Pareto set, fastest first."""

    origin: str
    destination: str
    options: RouteOptions
    routes: tuple[Route, ...]
    priced_at: str = ""
    """ISO date the tariffs were taken at."""

    def best(self, objective: Objective | str = Objective.time, weights: dict[str, float] | None = None) -> Route:
        """The best route for one objective, or for a weighted sum of normalised criteria.

        Parameters
        ----------
        objective : {"time", "cost", "co2"}
            Criterion to minimise when ``weights`` is not given.
        weights : dict, optional
            E.g. ``{"time": 1, "cost": 1}``: each criterion is divided by its best value in the
            set, so the weights compare like with like.
        """
        wanted = Objective.parse(objective, "objective")
        if not weights:
            return min(self.routes, key=lambda r: _criteria(r)[wanted])
        if unknown := set(weights) - set(OBJECTIVES):
            raise OptionError(f"unknown weight {', '.join(sorted(unknown))}")
        floor = {k: min(_criteria(r)[k] for r in self.routes) or 1.0 for k in weights}
        return min(self.routes, key=lambda r: sum(w * _criteria(r)[k] / floor[k] for k, w in weights.items()))

    def thinned(self, tolerance: float = settings.THIN_TOLERANCE) -> tuple[Route, ...]:
        """The routes minus near-duplicates: a route within ``tolerance`` (relative) of an
        already kept route on every criterion is dropped."""

        def near(a: Route, b: Route) -> bool:
            ca, cb = _criteria(a), _criteria(b)
            return all(abs(ca[k] - cb[k]) <= tolerance * max(cb[k], 1e-9) for k in ca)

        kept: list[Route] = []
        for candidate in self.routes:
            if not any(near(candidate, k) for k in kept):
                kept.append(candidate)
        return tuple(kept)

    def to_dict(self, routes: Iterable[Route] | None = None) -> dict[str, Any]:
        """The JSON object documented in the README."""
        shown = self.routes if routes is None else tuple(routes)
        return {
            "origin": self.origin,
            "destination": self.destination,
            "priced_at": self.priced_at,
            "routes": [r.to_dict() for r in shown],
        }

    def to_dataframe(self) -> pd.DataFrame:
        """One row per route: corridor, totals and the places it passes."""
        import pandas as pd

        rows = []
        for r in self.routes:
            row = {k: v for k, v in r.to_dict().items() if k not in ("legs", "crossings")}
            row["total_time_days"] = round(r.total_time_days, 2)
            row["via"] = " – ".join(r.places)
            rows.append(row)
        return pd.DataFrame(rows)

    def to_geojson(self) -> dict[str, Any]:
        """All routes' legs as one FeatureCollection; each feature says which route it is."""
        return routes_geojson(self.routes)


def _criteria(r: Route) -> dict[str, float]:
    return {"time": r.total_time_h, "cost": r.total_cost_usd, "co2": r.co2e_kg}


def route(
    origin: str,
    destination: str,
    *,
    cargo: str = settings.DEFAULT_CARGO,
    avoid_countries: Iterable[str] = (),
    avoid_modes: Iterable[str] = (),
    avoid_passages: Iterable[str] = (),
    max_transshipments: int | None = None,
    include_planned: bool = False,
    corridor: str | None = None,
    date: str | dt.date | None = None,
    network: Network | None = None,
) -> RouteSet:
    """Every Pareto-optimal door-to-door route between two places.

    Parameters
    ----------
    origin, destination : str
        Place names in any language, aliases or UN/LOCODEs (``Shanghai``, ``Белград``, ``KZAAU``).
    cargo : str
        ``20ft``, ``40ft`` or ``40ft-reefer``.
    avoid_countries, avoid_modes, avoid_passages : iterable of str
        ISO country codes, modes (``air``, ``road`` …) and sea passages (``suez``,
        ``bab-el-mandeb``, ``bosporus``, ``hormuz``) the route must not use.
    max_transshipments : int, optional
        Most container lifts (mode and gauge changes).
    include_planned : bool
        Also use planned links such as the Trans-Afghan railway.
    corridor : str, optional
        Only routes of this corridor (``middle``, ``northern``, ``sea-suez`` …).
    date : str or date, optional
        Price at this date (``2024``, ``2024-06``, ``2024-06-15``): tariffs in force, index
        values last published and exchange rates of that day. Default: the latest date the data
        covers (``RouteSet.priced_at`` says which).
    network : Network, optional
        Defaults to :func:`default_network`.

    Returns
    -------
    RouteSet
        The exact Pareto set in time, cost and CO2e, fastest first.

    Raises
    ------
    UnknownPlaceError
        If a name matches no place (with suggestions).
    NoRouteError
        If no route satisfies the constraints; the message says which constraint cut it.
    OptionError
        If ``date`` is malformed or outside the dates the price data covers.
    """
    options = RouteOptions(
        cargo=cargo,
        avoid_countries=frozenset(avoid_countries),
        avoid_modes=frozenset(avoid_modes),
        avoid_passages=frozenset(avoid_passages),
        max_transshipments=max_transshipments,
        include_planned=include_planned,
        corridor=corridor,
    )
    return search(network_at(network or default_network(), date), origin, destination, options)


def search(network: Network, origin: str, destination: str, options: RouteOptions) -> RouteSet:
    """:func:`route` with the options already built."""
    a, b = resolve_place(network, origin), resolve_place(network, destination)
    if a.id == b.id:
        raise OptionError(f"origin and destination are both {a.name}")
    graph = graph_for(network, options)
    paths = pareto_paths(graph, a.id, b.id, options.max_transshipments, options.corridor)
    if not paths:
        raise NoRouteError(a.name, b.name, explain_no_route(network, a.id, b.id, options))
    routes = tuple(build_route(graph, p, a.id, b.id) for p in paths)
    return RouteSet(a.name, b.name, options, routes, network.priced_at)


_GRAPHS: dict[tuple[int, RouteOptions], SearchGraph] = {}


def graph_for(network: Network, options: RouteOptions) -> SearchGraph:
    """The compiled search graph for these options, reused while the same network object is.

    The key is the network's identity and the complete, immutable options, so one query's
    constraints can never leak into another's graph.
    """
    key = (id(network), replace(options, max_transshipments=None))  # the limit acts in the search
    graph = _GRAPHS.get(key)
    if graph is None or graph.network is not network:
        if len(_GRAPHS) > 64:
            _GRAPHS.clear()
        graph = _GRAPHS[key] = compile_graph(network, options)
    return graph


COMPARE_ORDER = ("middle", "northern", "sea-suez", "sea-cape", "north-south", "trans-afghan", "air")
"""Corridors in the order :func:`compare` lists them."""


DETOUR_FACTOR = 2.0
"""A corridor's route is hidden from :func:`compare` when another shown route beats it by this
factor on time, cost *and* CO2e at once: a detour no shipper would take (e.g. Poti–Baku by sea
round Asia)."""


@dataclass(frozen=True)
class Comparison:
    """The best route of each corridor between two places, and why other corridors are absent."""

    origin: str
    destination: str
    objective: str
    routes: tuple[Route, ...]
    unavailable: tuple[tuple[str, str], ...]
    """``(corridor, reason)`` for corridors with no route under the constraints."""
    detours: tuple[tuple[str, str], ...]
    """``(corridor, reason)`` for corridors whose best route is a pointless detour."""
    priced_at: str = ""
    """ISO date the tariffs were taken at."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object documented in the README (same shape as a route query)."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "priced_at": self.priced_at,
            "routes": [r.to_dict() for r in self.routes],
        }


def compare(
    origin: str,
    destination: str,
    *,
    objective: Objective | str = Objective.time,
    network: Network | None = None,
    **constraints: Any,
) -> Comparison:
    """The best route of every corridor that joins two places, side by side.

    Parameters
    ----------
    origin, destination : str
        Place names.
    objective : {"time", "cost", "co2"}
        Which route of each corridor is "best".
    network : Network, optional
        Defaults to :func:`default_network`.
    **constraints
        Any keyword argument of :func:`route` except ``corridor`` (``date`` prices every
        corridor at the same date).

    Returns
    -------
    Comparison
        One route per corridor in the order of :data:`COMPARE_ORDER`, preceded by the best
        "Direct" route (shared links only, e.g. Poti–Baku by rail) where there is one.

    Raises
    ------
    NoRouteError
        If no corridor has a route; the message gives each corridor's reason.
    """
    wanted = Objective.parse(objective, "objective")
    net = network_at(network or default_network(), constraints.pop("date", None))
    a, b = resolve_place(net, origin).name, resolve_place(net, destination).name
    found: list[Route] = []
    unavailable: list[tuple[str, str]] = []
    for tag in COMPARE_ORDER:
        try:
            found.append(route(origin, destination, corridor=tag, network=net, **constraints).best(wanted))
        except NoRouteError as exc:
            unavailable.append((CORRIDOR_TAGS[tag], exc.reason))
    try:
        direct = [r for r in route(origin, destination, network=net, **constraints).routes if r.corridor == DIRECT]
    except NoRouteError:
        direct = []
    if direct:
        found.insert(0, min(direct, key=lambda r: _criteria(r)[wanted]))
    if not found:
        raise NoRouteError(a, b, "; ".join(f"{c}: {why}" for c, why in unavailable))
    shown, detours = _drop_detours(found)
    return Comparison(a, b, wanted.value, tuple(shown), tuple(unavailable), tuple(detours), net.priced_at)


def _drop_detours(routes: list[Route]) -> tuple[list[Route], list[tuple[str, str]]]:
    shown, detours = [], []
    for r in routes:
        better = next(
            (o for o in routes if all(DETOUR_FACTOR * _criteria(o)[k] <= _criteria(r)[k] for k in OBJECTIVES)), None
        )
        if better is None:
            shown.append(r)
        else:
            detours.append(
                (r.corridor, f"the {better.corridor} route is at least {DETOUR_FACTOR:g}× faster, cheaper and cleaner")
            )
    return shown, detours


def explain_no_route(network: Network, origin: str, destination: str, options: RouteOptions) -> str:
    """Say which constraint left no route, by searching again without constraints."""
    ends = [network.places[origin], network.places[destination]]
    if banned := [p for p in ends if p.country in options.avoid_countries]:
        return f"{banned[0].name} is in {banned[0].country}, a country you asked to avoid"
    cargo = network.cargo_types.get(options.cargo)
    if cargo is not None and cargo.reefer and not all(p.reefer for p in ends):
        cold = next(p for p in ends if not p.reefer)
        return f"{cold.name} has no reefer service, so a {options.cargo} cannot start or end there"
    free = RouteOptions(cargo=options.cargo, include_planned=True)
    paths = pareto_paths(graph_for(network, free), origin, destination)
    if not paths and cargo is not None and cargo.reefer:
        dry = RouteOptions(cargo=settings.DEFAULT_CARGO, include_planned=True)
        if pareto_paths(graph_for(network, dry), origin, destination):
            return "no route takes reefer containers all the way (a link or terminal has no reefer service)"
    if not paths:
        return "the network has no links joining these places, whatever the constraints"
    return _summarise(graph_for(network, free), paths, options)


def _summarise(graph: SearchGraph, paths: list[ParetoPath], options: RouteOptions) -> str:
    """One sentence naming what every unconstrained route breaks, grouped by constraint."""
    network = graph.network
    countries: set[str] = set()
    modes: set[str] = set()
    passages: set[str] = set()
    other: set[str] = set()
    for path in paths:
        links = [graph.arcs[i].link for i in path.arcs]
        countries |= {network.places[p].country for link in links for p in (link.from_id, link.to_id)}
        modes |= {link.mode for link in links}
        passages |= {p for link in links for p in link.passages}
        if not options.include_planned and any(link.status == "planned" for link in links):
            other.add("uses a planned link (try --include-planned)")
        if options.max_transshipments is not None and path.transshipments > options.max_transshipments:
            other.add(f"needs more than {options.max_transshipments} transshipment(s)")
    if options.corridor and not any(
        graph.arcs[i].link.corridor == options.corridor for path in paths for i in path.arcs
    ):
        return f"no route between them uses the {CORRIDOR_TAGS[options.corridor]} corridor"
    why = sorted(other)
    if hit := sorted(countries & options.avoid_countries):
        why.insert(0, f"crosses {', '.join(hit)}")
    if hit := sorted(modes & options.avoid_modes):
        why.insert(0, f"uses {', '.join(hit)}")
    if hit := sorted(passages & options.avoid_passages):
        why.insert(0, f"passes {', '.join(hit)}")
    return "every route " + " or ".join(why) if why else "the constraints together leave no route"
