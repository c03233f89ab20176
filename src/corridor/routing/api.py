"""The public entry points: :func:`route` and :func:`compare`.

Both take place names as a user types them, search the network and return a
:class:`RouteSet`: the exact Pareto set of routes, with the best route for an objective and a
thinned list for display.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from corridor import settings
from corridor.errors import NoRouteError, OptionError, SearchBudgetError
from corridor.network.cities import resolve_stops
from corridor.network.io import load_network
from corridor.network.model import CORRIDOR_TAGS, Network
from corridor.network.sailings import at_teu_per_week
from corridor.pricing.apply import network_at
from corridor.routing.detours import (
    WORTHWHILE_GAIN,
    no_gain,
    out_of_reach,
    overshoot,
    reentry,
    worth_the_detour,
    wrong_way,
)
from corridor.routing.graph import SearchGraph, compile_graph
from corridor.routing.itinerary import DIRECT, Route, build_route, routes_geojson
from corridor.routing.options import RouteOptions, check_against_network
from corridor.routing.pareto import ParetoPath, pareto_paths
from corridor.routing.passages import avoid_diverted, undated_notes
from corridor.routing.via import via_paths
from corridor.vocab import Objective

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COMPARE_ORDER",
    "DETOUR_FACTOR",
    "OBJECTIVES",
    "Comparison",
    "RouteSet",
    "check_weights",
    "compare",
    "default_network",
    "explain_no_route",
    "graph_for",
    "network_for",
    "route",
    "search",
]

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
    """Routes between two places: the Pareto set, fastest first, less the routes no shipper takes.

    With ``options.tolerance`` > 0 the set is ε-Pareto (see :class:`RouteOptions`).

    ``routes`` holds the Pareto-optimal routes that make steady progress to the destination;
    ``detours`` the Pareto-optimal ones dropped because they go the wrong way, each with the
    reason (rule in :mod:`corridor.routing.detours`).
    """

    origin: str
    destination: str
    options: RouteOptions
    routes: tuple[Route, ...]
    priced_at: str = ""
    """ISO date the tariffs were taken at."""
    detours: tuple[tuple[Route, str], ...] = ()
    """Pareto-optimal routes dropped because they go the wrong way for no gain, with the reason."""
    notes: tuple[str, ...] = ()
    """What the user should know about the query: a sea passage avoided at its date
    (:mod:`corridor.routing.passages`), an avoided passage no sea lane passes, a loop abroad."""

    @property
    def only_wrong_way(self) -> bool:
        """Whether every route shown goes the wrong way: a corridor asked for by name keeps such
        routes (listed in ``detours`` too) when it has no other; a subset dropped is not enough."""
        dropped = {id(r) for r, _ in self.detours}
        return bool(self.routes) and all(id(r) in dropped for r in self.routes)

    def best(self, objective: Objective | str = Objective.time, weights: dict[str, float] | None = None) -> Route:
        """The best route for one objective, or for a weighted sum of normalised criteria.

        Parameters
        ----------
        objective : {"time", "cost", "co2"}
            Criterion to minimise when ``weights`` is not given.
        weights : dict, optional
            E.g. ``{"time": 1, "cost": 1}``: each criterion is divided by its best value in the
            set, so the weights compare like with like. Each weight is a finite number ≥ 0, and
            at least one is above 0.

        Raises
        ------
        OptionError
            For an unknown criterion, a negative, NaN or infinite weight, or all weights 0.
        """
        wanted = Objective.parse(objective, "objective")
        if not weights:
            return min(self.routes, key=lambda r: _criteria(r)[wanted])
        check_weights(weights)
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
        """The JSON object documented in docs/guide/json.md."""
        shown = self.routes if routes is None else tuple(routes)
        return {
            "origin": self.origin,
            "destination": self.destination,
            "priced_at": self.priced_at,
            "notes": list(self.notes),
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


def check_weights(weights: dict[str, float]) -> None:
    """Refuse weights a weighted best cannot use: a weight of an unknown criterion, a negative,
    NaN or infinite one (``min`` with NaN keys returns an arbitrary route), or all of them 0.

    Raises
    ------
    OptionError
        Naming the weight and what a valid one looks like.
    """
    if unknown := set(weights) - set(OBJECTIVES):
        raise OptionError(f"unknown weight {', '.join(sorted(unknown))}; weights are {', '.join(OBJECTIVES)}")
    for name, w in weights.items():
        if not math.isfinite(w) or w < 0:
            raise OptionError(f"weight {name}={w} must be a finite number of 0 or more, e.g. time=1,cost=2")
    if not any(weights.values()):
        raise OptionError("at least one weight must be above 0, e.g. time=1,cost=2")


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
    tolerance: float = 0.0,
    via: Iterable[str] = (),
    air_cargo: bool = False,
    allow_passages: Iterable[str] = (),
    date: str | dt.date | None = None,
    demand_teu_week: float | None = None,
    network: Network | None = None,
    empty_return: bool = False,
) -> RouteSet:
    """Every Pareto-optimal door-to-door route between two places that a shipper would take.

    Parameters
    ----------
    origin, destination : str
        Place names in any language, aliases or UN/LOCODEs (``Shanghai``, ``Белград``, ``KZAAU``),
        or any city of 15,000+ people (``Kokshetau``, ``Brest, FR``): a city is joined by a truck
        leg to its nearest terminals (see :mod:`corridor.network.cities`).
    cargo : str
        ``20ft``, ``40ft`` or ``40ft-reefer``.
    avoid_countries, avoid_modes, avoid_passages : iterable of str
        ISO country codes, modes (``rail``, ``road`` …) and sea passages (``suez``,
        ``bab-el-mandeb``, ``bosporus``, ``hormuz``) the route must not use. A code that is not
        an ISO 3166-1 code, or a passage no sea lane of the network passes, is an error.
    max_transshipments : int, optional
        Most container lifts (mode and gauge changes).
    include_planned : bool
        Also use planned links such as the Trans-Afghan railway.
    corridor : str, optional
        Only routes of this corridor (``middle``, ``northern``, ``sea-suez`` …).
    tolerance : float
        0 for the exact Pareto set; ``ε > 0`` for an ε-Pareto set (see :class:`RouteOptions`).
    via : iterable of str
        Places the route must pass, in order (e.g. ``["Altynkol"]`` to pin the gateway).
    air_cargo : bool
        The consignment is air cargo by chargeable weight; only then are air legs used. A 20/40 ft
        container never flies.
    date : str or date, optional
        Price at this date (``2024``, ``2024-06``, ``2024-06-15``): tariffs in force, index
        values last published and exchange rates of that day. Default: the latest date the data
        covers (``RouteSet.priced_at`` says which). At a date when carriers avoid a sea passage
        (``passage_status.csv``: Bab-el-Mandeb from 15 Dec 2023) the route avoids it too, and
        ``RouteSet.notes`` says so.
    allow_passages : iterable of str
        Passages to use even at a date when carriers avoid them (``["bab-el-mandeb"]``).
    demand_teu_week : float, optional
        Cargo offered a week on each Caspian ferry crossing that sails when full, TEU-equivalent
        each way: the wait for a ferry is half the time a load takes to gather, so it falls as the
        cargo rises (see :mod:`corridor.network.sailings`). Default: the flow the port
        statistics of ``sailings.csv`` show (Kuryk–Alat about 920 TEU-equivalent a week, 2023).
        Each leg's ``wait_model`` says which model set its wait.
    network : Network, optional
        Defaults to :func:`default_network`.
    empty_return : bool
        Add bringing the empty box back to each route (``Route.surcharges``; see
        :mod:`corridor.pricing.surcharges`).

    Returns
    -------
    RouteSet
        The Pareto set (ε-Pareto with ``tolerance``) in time, cost and CO2e, fastest first,
        without the routes that go the wrong way (those are in ``detours``, see :mod:`corridor.routing.detours`).

    Raises
    ------
    UnknownPlaceError
        If a name matches no place or city (with suggestions); its subclass
        AmbiguousPlaceError if it fits several countries (with the options).
    OptionError
        For an unknown country code, passage, mode or corridor (with suggestions).
    NoRouteError
        If no route satisfies the constraints; the message says which constraint cut it.
    SearchBudgetError
        If the search ran out of :data:`corridor.settings.SEARCH_BUDGET_S`.
    OptionError
        If ``date`` is malformed or outside the dates the price data covers, or
        ``demand_teu_week`` is not a positive number.
    """
    options = RouteOptions(
        cargo=cargo,
        avoid_countries=frozenset(avoid_countries),
        avoid_modes=frozenset(avoid_modes),
        avoid_passages=frozenset(avoid_passages),
        max_transshipments=max_transshipments,
        include_planned=include_planned,
        corridor=corridor,
        tolerance=tolerance,
        via=tuple(via),
        air_cargo=air_cargo,
        allow_passages=frozenset(allow_passages),
        empty_return=empty_return,
    )
    net = network_for(network or default_network(), date, demand_teu_week)
    options, notes = avoid_diverted(net, options, _day(date))
    found = search(net, origin, destination, options)
    if date is None:
        notes = undated_notes(net, frozenset(p for r in found.routes for p in r.passages))
    return replace(found, notes=(*notes, *found.notes)) if notes else found


MIN_DEMAND_TEU_WEEK = 1.0
"""Least cargo a week a sail-when-full line is asked about: below one box a week the wait for a full
ship is months, outside what the port statistics behind ``sailings.csv`` describe (a tiny positive
value also underflowed to no cargo at all)."""

_AT_DEMAND: dict[tuple[int, float], tuple[Network, Network]] = {}


def network_for(network: Network, date: str | dt.date | None, demand_teu_week: float | None) -> Network:
    """``network`` priced at ``date`` with its sail-when-full crossings at ``demand_teu_week``.

    Remembered per network object, date and demand, so the compiled search graphs are reused.

    Raises
    ------
    OptionError
        For a malformed ``date`` or a ``demand_teu_week`` below :data:`MIN_DEMAND_TEU_WEEK` or not finite.
    """
    priced = network_at(network, date)
    if demand_teu_week is None:
        return priced
    if not (demand_teu_week >= MIN_DEMAND_TEU_WEEK and math.isfinite(demand_teu_week)):
        raise OptionError(
            f"demand_teu_week must be a number of TEU a week, at least {MIN_DEMAND_TEU_WEEK:g}, got {demand_teu_week:g}"
        )
    key = (id(priced), float(demand_teu_week))
    hit = _AT_DEMAND.get(key)
    if hit is not None and hit[0] is priced:
        return hit[1]
    if len(_AT_DEMAND) > 32:
        _AT_DEMAND.clear()
    loaded = at_teu_per_week(priced, demand_teu_week)
    _AT_DEMAND[key] = (priced, loaded)
    return loaded


def _day(date: str | dt.date | None) -> dt.date | None:
    """The day a dated query asks about (``2024-06`` → 1 June 2024, as prices take it)."""
    from corridor.pricing.book import parse_date

    return None if date is None else parse_date(date)


def search(network: Network, origin: str, destination: str, options: RouteOptions) -> RouteSet:
    """:func:`route` with the options already built."""
    network, ends = resolve_stops(network, (origin, *options.via, destination))
    notes = check_against_network(network, options)
    stops = _stops(network, [p.id for p in ends])
    a, b = network.places[stops[0]], network.places[stops[-1]]
    graph = graph_for(network, options)
    if len(stops) > 2:
        paths = via_paths(graph, stops, options.max_transshipments, options.corridor)
    else:
        paths = pareto_paths(
            graph, a.id, b.id, options.max_transshipments, options.corridor, tolerance=options.tolerance
        )
    if not paths:
        raise NoRouteError(a.name, b.name, _explain(network, stops, options))
    routes = [build_route(graph, p, a.id, b.id) for p in paths]
    if options.empty_return:
        from corridor.pricing.surcharges import with_empty_return

        routes = [with_empty_return(network, r) for r in routes]
    steady, detours = _steady(network, options, routes, stops)
    loops = (f"{r.corridor}: {why}" for r in steady if (why := reentry(network, r)))
    notes = tuple(dict.fromkeys((*notes, *loops)))
    return RouteSet(a.name, b.name, options, tuple(steady), network.priced_at, tuple(detours), notes)


def _stops(network: Network, stops: list[str]) -> list[str]:
    """Place ids of origin, via places and destination; no place twice in a row or at both ends."""
    names = [network.places[s].name for s in stops]
    if stops[0] == stops[-1]:
        raise OptionError(f"origin and destination are both {names[0]}")
    for k in range(1, len(stops) - 1):
        if stops[k] in (stops[0], stops[-1]) or stops[k] == stops[k - 1]:
            raise OptionError(f"via place {names[k]} is already the origin, the destination or the previous via place")
    return stops


def _steady(
    network: Network, options: RouteOptions, routes: list[Route], stops: list[str]
) -> tuple[list[Route], list[tuple[Route, str]]]:
    """Split routes into those a shipper takes and those that go the wrong way for no gain.

    Distances still to go are measured on every link the constraints allow (any corridor), so a
    corridor's only route is still dropped when it goes the wrong way (Poti → Baku round Asia).
    A route that goes the wrong way stays if it is worth it (:func:`worth_the_detour`) next to
    every kept route that goes less far the wrong way — in a one-corridor search, the routes of
    the same query in any corridor. When a one-corridor search would leave nothing, its routes
    stay (the caller asked for that corridor) and are all listed in ``detours`` too.

    A route that overshoots its destination (:func:`~corridor.routing.detours.overshoot`) is
    dropped whatever it gains, if a route of the same query in any corridor does not.
    """
    graph = graph_for(network, replace(options, corridor=None, via=()))
    wrong = {id(r): hit for r in routes if (hit := wrong_way(graph, r, stops)) is not None}
    over = {id(r): why for r in routes if (why := overshoot(network, r, stops)) is not None}
    if not wrong and not over:
        return routes, []
    pool = _reference(network, options, stops) if options.corridor else routes
    dropped = over if any(overshoot(network, r, stops) is None for r in pool) else {}
    kept_pool = _kept(pool, {id(r): wrong_way(graph, r, stops) for r in pool})
    for r in routes:
        hit = wrong.get(id(r))
        if hit is None or id(r) in dropped:
            continue
        better = [k for k, km in kept_pool if km < hit[1] and k is not r]
        if not worth_the_detour(r, better):
            dropped[id(r)] = f"goes the wrong way: {hit[0]}, and is not {WORTHWHILE_GAIN:.0%} faster or cheaper"
    kept = [r for r in routes if id(r) not in dropped] or routes  # a corridor asked for by name stays, marked
    return kept, [(r, dropped[id(r)]) for r in routes if id(r) in dropped]


def _kept(routes: list[Route], wrong: dict[int, tuple[str, float] | None]) -> list[tuple[Route, float]]:
    """Routes that stay, least wrong first, with the km they go the wrong way (0 for none)."""
    kept: list[tuple[Route, float]] = []
    for r in sorted(routes, key=lambda r: _km(wrong[id(r)])):
        km = _km(wrong[id(r)])
        if km == 0 or worth_the_detour(r, [k for k, other in kept if other < km]):
            kept.append((r, km))
    return kept


def _km(hit: tuple[str, float] | None) -> float:
    return 0.0 if hit is None else hit[1]


def _reference(network: Network, options: RouteOptions, stops: list[str]) -> list[Route]:
    """The routes a one-corridor query's wrong-way routes must beat: those of any corridor."""
    try:
        return list(search(network, stops[0], stops[-1], replace(options, corridor=None)).routes)
    except NoRouteError:
        return []


_GRAPHS: dict[tuple[int, RouteOptions], SearchGraph] = {}


def graph_for(network: Network, options: RouteOptions) -> SearchGraph:
    """The compiled search graph for these options, reused while the same network object is.

    The key is the network's identity and the complete, immutable options, so one query's
    constraints can never leak into another's graph.
    """
    # These act in the search or after it, not on the graph.
    key = (id(network), replace(options, max_transshipments=None, via=(), tolerance=0.0, empty_return=False))
    graph = _GRAPHS.get(key)
    if graph is None or graph.network is not network:
        if len(_GRAPHS) > 64:
            _GRAPHS.clear()
        graph = _GRAPHS[key] = compile_graph(network, options)
    return graph


COMPARE_ORDER = ("middle", "northern", "sea-suez", "sea-cape", "north-south", "trans-afghan", "air")
"""Corridors in the order :func:`compare` lists them (``air`` only for air cargo)."""


DETOUR_FACTOR = 2.0
"""A corridor's route is hidden from :func:`compare` when another shown route beats it by this
factor on time, cost *and* CO2e at once (besides the rules of :mod:`corridor.routing.detours`)."""


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
    """``(corridor, reason)`` for corridors whose best route is a detour no shipper takes."""
    priced_at: str = ""
    """ISO date the tariffs were taken at."""
    notes: tuple[str, ...] = ()
    """What the user should know about the comparison (see :attr:`RouteSet.notes`)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object documented in docs/guide/json.md (same shape as a route query)."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "priced_at": self.priced_at,
            "notes": list(self.notes),
            "routes": [r.to_dict() for r in self.routes],
        }


def compare(
    origin: str,
    destination: str,
    *,
    objective: Objective | str = Objective.time,
    cargo: str = settings.DEFAULT_CARGO,
    avoid_countries: Iterable[str] = (),
    avoid_modes: Iterable[str] = (),
    avoid_passages: Iterable[str] = (),
    max_transshipments: int | None = None,
    include_planned: bool = False,
    via: Iterable[str] = (),
    air_cargo: bool = False,
    allow_passages: Iterable[str] = (),
    date: str | dt.date | None = None,
    demand_teu_week: float | None = None,
    network: Network | None = None,
    empty_return: bool = False,
) -> Comparison:
    """The best route of every corridor that joins two places, side by side.

    Parameters
    ----------
    origin, destination : str
        Place names.
    objective : Objective or str
        Which route of each corridor is "best": ``time``, ``cost`` or ``co2`` (any case).
    cargo, avoid_countries, avoid_modes, avoid_passages, max_transshipments, include_planned, via, air_cargo
        The constraints of :func:`route`, applied to every corridor.
    allow_passages : iterable of str
        As :func:`route`.
    date : str or date, optional
        Prices every corridor at this date, avoiding the passages carriers avoid then (see :func:`route`).
    demand_teu_week : float, optional
        Cargo offered a week on each sail-when-full crossing (see :func:`route`).
    network : Network, optional
        Defaults to :func:`default_network`.
    empty_return : bool
        Add bringing the empty box back to each route (``Route.surcharges``; see
        :mod:`corridor.pricing.surcharges`).

    Returns
    -------
    Comparison
        One route per corridor in the order of :data:`COMPARE_ORDER`, preceded by the best
        "Direct" route (shared links only, e.g. Poti–Baku by rail) where there is one. A
        corridor whose best route is far longer than another's for no gain, or beaten
        :data:`DETOUR_FACTOR` times on every criterion, is listed in ``detours`` instead.
        The Air corridor is searched only for air cargo (``air_cargo=True``).

    Raises
    ------
    NoRouteError
        If no corridor has a route; the message gives each corridor's reason.
    OptionError, UnknownPlaceError
        As :func:`route`.
    """
    wanted = Objective.parse(objective, "objective")
    base = network or default_network()
    net = network_for(base, date, demand_teu_week)
    search_in = functools.partial(
        route,
        origin,
        destination,
        cargo=cargo,
        avoid_countries=tuple(avoid_countries),
        avoid_modes=tuple(avoid_modes),
        avoid_passages=tuple(avoid_passages),
        max_transshipments=max_transshipments,
        include_planned=include_planned,
        via=tuple(via),
        air_cargo=air_cargo,
        allow_passages=tuple(allow_passages),
        date=date,
        demand_teu_week=demand_teu_week,
        network=base,
        empty_return=empty_return,
    )
    try:
        everything = search_in()
    except NoRouteError as exc:
        everything, no_route = None, exc
    if everything is None:
        raise no_route
    tags = [t for t in COMPARE_ORDER if t != "air" or air_cargo]
    hopeless = _hopeless(net, origin, destination, tuple(via), everything)
    found, unavailable, wrong_way = _best_per_corridor(search_in, tags, wanted, hopeless)
    if direct := [r for r in everything.routes if r.corridor == DIRECT]:
        found.insert(0, min(direct, key=lambda r: _criteria(r)[wanted]))
    shown, detours = _drop_detours(found)
    a, b = everything.origin, everything.destination
    detours_all = (*wrong_way, *detours)
    return Comparison(
        a, b, wanted.value, tuple(shown), tuple(unavailable), detours_all, net.priced_at, everything.notes
    )


def _hopeless(
    network: Network, origin: str, destination: str, via: Sequence[str], everything: RouteSet
) -> Callable[[str], str | None]:
    """For each corridor tag, why all its routes would overshoot (so it needs no search), or ``None``.

    Only where the overshoot rule drops such routes: no via places, and the unrestricted search
    found a route that does not overshoot.
    """
    if via or not everything.routes:
        return lambda tag: None
    resolved, ends = resolve_stops(network, (origin, destination))
    stops = [ends[0].id, ends[-1].id]
    if all(overshoot(resolved, r, stops) for r in everything.routes):
        return lambda tag: None
    return lambda tag: out_of_reach(resolved, tag, stops[0], stops[1])


def _best_per_corridor(
    search_in: Callable[..., RouteSet], tags: Sequence[str], wanted: Objective, hopeless: Callable[[str], str | None]
) -> tuple[list[Route], list[tuple[str, str]], list[tuple[str, str]]]:
    """Each corridor's best route, the corridors with none (and why), those that only go the wrong way."""
    found: list[Route] = []
    unavailable: list[tuple[str, str]] = []
    wrong_way: list[tuple[str, str]] = []
    for tag in tags:
        if (why := hopeless(tag)) is not None:
            wrong_way.append((CORRIDOR_TAGS[tag], why))
            continue
        try:
            one = search_in(corridor=tag)
        except NoRouteError as exc:
            unavailable.append((CORRIDOR_TAGS[tag], exc.reason))
            continue
        except SearchBudgetError as exc:
            # A corridor reached only by a long loop (an inland pair by sea: rail to a port, sail,
            # rail back) can exhaust the budget before its first route; the others still answer.
            if exc.partial:
                raise
            unavailable.append(
                (CORRIDOR_TAGS[tag], f"no route found within the search budget ({exc.labels:,} partial routes)")
            )
            continue
        if one.only_wrong_way:
            wrong_way.append((CORRIDOR_TAGS[tag], f"every route {one.detours[0][1]}"))
        else:
            found.append(one.best(wanted))
    return found, unavailable, wrong_way


def _drop_detours(routes: list[Route]) -> tuple[list[Route], tuple[tuple[str, str], ...]]:
    """Keep each corridor's route unless it is a detour next to a shorter shown one (shortest first)."""
    shown: list[Route] = []
    detours = []
    for r in sorted(routes, key=lambda r: r.distance_km):
        if (other := no_gain(r, shown)) is not None:
            gain = f"{WORTHWHILE_GAIN:.0%}"
            why = (
                f"{r.distance_km / other.distance_km:.1f}× as long as the {other.corridor} route, neither "
                f"{gain} faster nor {gain} cheaper, and avoids no country or passage it uses"
            )
            detours.append((r.corridor, why))
        elif (other := _beaten(r, routes)) is not None:
            why = f"the {other.corridor} route is at least {DETOUR_FACTOR:g}× faster, cheaper and cleaner"
            detours.append((r.corridor, why))
        else:
            shown.append(r)
    return [r for r in routes if r in shown], tuple(detours)


def _beaten(r: Route, routes: list[Route]) -> Route | None:
    """Another route that beats ``r`` by :data:`DETOUR_FACTOR` on every criterion at once."""
    mine = _criteria(r)
    return next((o for o in routes if all(DETOUR_FACTOR * v <= mine[k] for k, v in _criteria(o).items())), None)


def _explain(network: Network, stops: list[str], options: RouteOptions) -> str:
    """Why no route passes every stop: the via places, else the other constraints."""
    a, b = stops[0], stops[-1]
    if len(stops) > 2 and pareto_paths(graph_for(network, options), a, b, options.max_transshipments):
        via = ", ".join(network.places[s].name for s in stops[1:-1])
        return f"no route passes {via} in that order under these constraints (routes that avoid it exist)"
    return explain_no_route(network, a, b, replace(options, via=()))


def explain_no_route(network: Network, origin: str, destination: str, options: RouteOptions) -> str:
    """Say which constraint left no route, by searching again without constraints."""
    if options.corridor == "air" and not options.air_cargo:
        return "a 20/40 ft container does not fly; air is for consignments by weight (air cargo)"
    ends = [network.places[origin], network.places[destination]]
    if banned := [p for p in ends if p.country in options.avoid_countries]:
        return f"{banned[0].name} is in {banned[0].country}, a country you asked to avoid"
    cargo = network.cargo_types.get(options.cargo)
    if cargo is not None and cargo.reefer and not all(p.reefer for p in ends):
        cold = next(p for p in ends if not p.reefer)
        return f"{cold.name} has no reefer service, so a {options.cargo} cannot start or end there"
    free = RouteOptions(cargo=options.cargo, include_planned=True, air_cargo=options.air_cargo)
    paths = pareto_paths(graph_for(network, free), origin, destination)
    if not paths and cargo is not None and cargo.reefer:
        dry = RouteOptions(cargo=settings.DEFAULT_CARGO, include_planned=True, air_cargo=options.air_cargo)
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
            other.add("uses a planned link (allow include_planned)")
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
