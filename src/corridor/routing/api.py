"""The public entry points: :func:`route` and :func:`compare`.

Both take place names as a user types them, search the network and return a
:class:`RouteSet`: the exact Pareto set of routes, with the best route for an objective and a
thinned list for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from corridor import settings
from corridor.errors import NoRouteError, OptionError
from corridor.network.io import load_network
from corridor.network.model import CORRIDOR_TAGS, Network
from corridor.network.places import resolve_place
from corridor.routing.graph import SearchGraph, compile_graph
from corridor.routing.itinerary import Route, build_route
from corridor.routing.options import RouteOptions
from corridor.routing.pareto import ParetoPath, pareto_paths

if TYPE_CHECKING:
    import pandas as pd

Objective = Literal["time", "cost", "co2"]
OBJECTIVES: dict[str, str] = {"time": "total_time_h", "cost": "total_cost_usd", "co2": "co2e_kg"}


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

    def best(self, objective: Objective = "time", weights: dict[str, float] | None = None) -> Route:
        """The best route for one objective, or for a weighted sum of normalised criteria.

        Parameters
        ----------
        objective : {"time", "cost", "co2"}
            Criterion to minimise when ``weights`` is not given.
        weights : dict, optional
            E.g. ``{"time": 1, "cost": 1}``: each criterion is divided by its best value in the
            set, so the weights compare like with like.
        """
        if objective not in OBJECTIVES:
            raise OptionError(f"unknown objective '{objective}'; use one of {', '.join(OBJECTIVES)}")
        if not weights:
            return min(self.routes, key=lambda r: _criteria(r)[objective])
        if unknown := set(weights) - set(OBJECTIVES):
            raise OptionError(f"unknown weight {', '.join(sorted(unknown))}")
        floor = {k: min(_criteria(r)[k] for r in self.routes) or 1.0 for k in weights}
        return min(self.routes, key=lambda r: sum(w * _criteria(r)[k] / floor[k] for k, w in weights.items()))

    def thinned(self, tolerance: float = settings.THIN_TOLERANCE) -> tuple[Route, ...]:
        """The routes minus near-duplicates: a route within ``tolerance`` (relative) of an
        already kept route on every criterion is dropped."""
        kept: list[Route] = []
        for candidate in self.routes:
            c = _criteria(candidate)
            if not any(all(abs(c[k] - _criteria(k_)[k]) <= tolerance * max(_criteria(k_)[k], 1e-9) for k in c) for k_ in kept):
                kept.append(candidate)
        return tuple(kept)

    def to_dict(self, routes: Iterable[Route] | None = None) -> dict[str, Any]:
        """The JSON object documented in the README."""
        shown = self.routes if routes is None else tuple(routes)
        return {"origin": self.origin, "destination": self.destination, "routes": [r.to_dict() for r in shown]}

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
        features = []
        for n, r in enumerate(self.routes):
            for feature in r.to_geojson()["features"]:
                feature["properties"]["route"] = n
                features.append(feature)
        return {"type": "FeatureCollection", "features": features}


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
    return search(network or default_network(), origin, destination, options)


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
    return RouteSet(a.name, b.name, options, routes)


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


def compare(
    origin: str,
    destination: str,
    *,
    objective: Objective = "time",
    network: Network | None = None,
    **constraints: Any,
) -> list[Route]:
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
        Any keyword argument of :func:`route` except ``corridor``.

    Returns
    -------
    list of Route
        One per corridor with a route, in the order Middle, Northern, Sea-Suez, Sea-Cape,
        North–South, Trans-Afghan, Air. Raises :class:`NoRouteError` if none has one.
    """
    net = network or default_network()
    best: list[Route] = []
    reasons: list[str] = []
    for tag in ("middle", "northern", "sea-suez", "sea-cape", "north-south", "trans-afghan", "air"):
        try:
            found = route(origin, destination, corridor=tag, network=net, **constraints)
        except NoRouteError as exc:
            reasons.append(f"{CORRIDOR_TAGS[tag]}: {exc.reason}")
            continue
        best.append(found.best(objective))
    if not best:
        a, b = resolve_place(net, origin).name, resolve_place(net, destination).name
        raise NoRouteError(a, b, "; ".join(reasons))
    return best


def explain_no_route(network: Network, origin: str, destination: str, options: RouteOptions) -> str:
    """Say which constraint left no route, by searching again without constraints."""
    free = RouteOptions(cargo=options.cargo, include_planned=True)
    paths = pareto_paths(graph_for(network, free), origin, destination)
    if not paths and network.cargo_types.get(options.cargo, None) and network.cargo_types[options.cargo].reefer:
        dry = RouteOptions(cargo=settings.DEFAULT_CARGO, include_planned=True)
        if pareto_paths(graph_for(network, dry), origin, destination):
            return "no route takes reefer containers all the way (a link or terminal has no reefer service)"
    if not paths:
        return "the network has no links joining these places, whatever the constraints"
    graph = graph_for(network, free)
    broken = sorted({why for p in paths for why in _violations(graph, p, options)})
    return "every route " + " or ".join(broken)


def _violations(graph: SearchGraph, path: ParetoPath, options: RouteOptions) -> list[str]:
    network = graph.network
    links = [graph.arcs[i].link for i in path.arcs]
    why = []
    countries = {network.places[p].country for link in links for p in (link.from_id, link.to_id)}
    if hit := sorted(countries & options.avoid_countries):
        why.append(f"crosses {','.join(hit)}")
    if hit := sorted({link.mode for link in links} & options.avoid_modes):
        why.append(f"uses {','.join(hit)}")
    if hit := sorted({p for link in links for p in link.passages} & options.avoid_passages):
        why.append(f"passes {','.join(hit)}")
    if not options.include_planned and any(link.status == "planned" for link in links):
        why.append("uses a planned link (try --include-planned)")
    if options.max_transshipments is not None and path.transshipments > options.max_transshipments:
        why.append(f"needs more than {options.max_transshipments} transshipment(s)")
    if options.corridor and options.corridor not in {link.corridor for link in links}:
        why.append(f"leaves the {CORRIDOR_TAGS[options.corridor]} corridor")
    return why
