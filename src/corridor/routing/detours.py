"""Routes no shipper takes: the ones that go the wrong way, and corridors far longer for no gain.

Two rules, both applied after the Pareto search (which knows only time, cost and CO2e, so a route a
little cheaper on paper can be Pareto-optimal however absurd its path):

* **Steady progress** (every route shown by :func:`corridor.route` and :func:`corridor.compare`).
  Each place has a distance still to go: the shortest network distance from it to the destination
  over the links the query may use (a Dijkstra search backwards from the destination). Along a
  shown route that distance may never climb more than :data:`BACKTRACK_SHARE` of the origin's
  distance above the lowest value reached so far. A route that passes its destination and comes
  back (flies past Baku to Belgrade, then rails back) or sets off the wrong way (Almaty → Moscow →
  Warsaw for Baku) breaks it; a route forced round an avoided country does not, since the
  distances are measured on the links the query allows. This is Dial's "efficient route" rule of
  traffic assignment (each step takes the traveller nearer the destination), loosened by the
  tolerance because stations off the straight line (a port, a border station) cost a little.
  Such a route is still shown when it gains what a shipper pays for (:func:`worth_the_detour`):
  rail round the Black Sea from Poti to Poland is longer than the short sea crossing that makes
  Poti "near" Europe, but days faster.

  Progress is counted from the port of loading when the route first moves the box by land to a
  seaport and sails from there (:func:`gateway_port`): rail from Xi'an to Shanghai, then sea to
  Rotterdam, is how most Xi'an and Chengdu cargo reaches Europe, though Shanghai is 1,500 km
  further from Duisburg by land than Xi'an. The pre-carriage must be short next to the whole
  route (:data:`GATEWAY_SHARE`), so a land haul that wanders half a continent before it boards a
  ship (Almaty → Moscow → Warsaw → Constanța for Baku) is still measured and still caught.
* **No overshoot** (every route shown by :func:`corridor.route` and :func:`corridor.compare`). A
  route overshoots when it reaches a place much further from its origin (great-circle) than its
  destination is — more than :data:`OVERSHOOT_RATIO` times as far, plus :data:`OVERSHOOT_FLOOR_KM` —
  and so must come back: Belgrade → Constanța → sea to Shanghai → 4,000 km of rail back west to
  Almaty, or Berlin → Shanghai → Novosibirsk. The model's tariffs can make such a route the cheapest
  (a sea km costs a fraction of a land km), but it is not the trip the shipper asked to plan, so
  it is dropped whatever it saves, as long as a route that does not overshoot exists under the same
  constraints (one that does not sail past Baku, Almaty or Urumqi and come back). Where every route
  overshoots (the network's only way, e.g. Burgas → Constanța by Belgrade, which has no Black Sea
  coast link), they are kept, since the alternative is no answer.
* **Leaving a country and coming back** (marked, not dropped). A route that leaves a country and
  re-enters it after more than :data:`REENTRY_RATIO` times the straight-line distance between the
  two border points abroad (plus :data:`OVERSHOOT_FLOOR_KM`) gets a note (:func:`reentry`): the
  search found no shorter way, so the network lacks one (Samara → Aktobe → Beyneu → Atyrau →
  Astrakhan: Russia's Saratov–Volgograd–Astrakhan line is not in the data), or the route trades
  distance for a cheaper neighbour's tariff. The route stays, since it is the network's answer,
  but the shipper is told.
* **Far longer for no gain** (:func:`corridor.compare`): a corridor's best route at least
  :data:`FAR_LONGER` times as long as another shown corridor's is listed as a detour unless it
  gains what a shipper pays for in distance: it is at least :data:`WORTHWHILE_GAIN` faster or
  cheaper, or it avoids a transit country or a sea passage the shorter route uses (the Cape
  route avoids Suez and Bab-el-Mandeb; a route round Russia avoids Russia).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from corridor.network.model import Network
from corridor.network.resolve import great_circle_km
from corridor.routing.graph import SearchGraph
from corridor.routing.itinerary import Leg, Route

__all__ = [
    "BACKTRACK_FLOOR_KM",
    "BACKTRACK_SHARE",
    "FAR_LONGER",
    "GATEWAY_SHARE",
    "OVERSHOOT_FLOOR_KM",
    "OVERSHOOT_RATIO",
    "REENTRY_RATIO",
    "WORTHWHILE_GAIN",
    "backtrack",
    "distances_to",
    "gateway_port",
    "no_gain",
    "out_of_reach",
    "overshoot",
    "reentry",
    "worth_the_detour",
    "wrong_way",
]

BACKTRACK_SHARE = 0.1
"""How far (share of the origin's distance still to go) a route may fall back from its best progress.

estimate: 10 % absorbs the few hundred km of a gateway port or border station off the direct line on
a continental haul, while passing a destination and coming back, or leaving in the wrong direction,
costs far more (2,000–10,000 km in the cases of issue 10)."""

BACKTRACK_FLOOR_KM = 150.0
"""Least tolerance, km: on a short haul 10 % is less than the offset of a border station."""

FAR_LONGER = 1.5
"""Distance ratio from which a corridor's best route needs a gain to be shown (estimate: half as long
again is a detour a forwarder questions; the Middle and Northern routes China–Europe differ by
less, 1.0–1.2×, and sea via Suez vs rail by about 1.5×, where sea's gain is cost)."""

OVERSHOOT_RATIO = 1.5
"""How much further from the origin than the destination (great-circle) a route may reach before it
overshoots (estimate: a gateway port or junction off the direct line lies at most a few hundred km
beyond a destination; the sea-then-rail-back routes of issue 10 reach 1.7-2.2 times as far)."""

OVERSHOOT_FLOOR_KM = 300.0
"""Added to the allowance so that short hauls may pass a junction or port a little beyond the
destination (estimate: the spacing of junctions on the corridors' main lines)."""

REENTRY_RATIO = 2.0
"""Distance abroad, as a multiple of the straight line between where a route leaves a country and
where it comes back, above which the route is marked (estimate: rail runs 1.2-1.5 times the straight
line on the corridors' main lines; twice that is a loop through a neighbour)."""

GATEWAY_SHARE = 0.25
"""Longest pre-carriage to the port of loading, as a share of the route's distance, that is not
measured for steady progress (estimate: inland China to its ports is 1,000–2,500 km of a
19,000–25,000 km sea route to Europe, 5–13 %; 25 % leaves room for a shorter sea leg, while a land
haul that crosses half a continent before sailing is over half of its route)."""

WORTHWHILE_GAIN = 0.1
"""Least relative gain in time or cost that makes a far longer route worth showing (estimate)."""


_DISTANCES: dict[tuple[int, str], tuple[SearchGraph, dict[str, float]]] = {}


def distances_to(graph: SearchGraph, target: str) -> dict[str, float]:
    """Shortest distance in km from every place to ``target`` over the graph's arcs.

    Places that cannot reach ``target`` are absent. Cached per graph object and target.
    """
    key = (id(graph), target)
    hit = _DISTANCES.get(key)
    if hit is not None and hit[0] is graph:
        return hit[1]
    into: dict[str, list[tuple[str, float]]] = {}
    for arc in graph.arcs:
        into.setdefault(arc.link.to_id, []).append((arc.link.from_id, arc.link.distance_km or 0.0))
    dist = {target: 0.0}
    heap = [(0.0, target)]
    while heap:
        d, place = heapq.heappop(heap)
        if d > dist[place]:
            continue
        for before, km in into.get(place, ()):
            if d + km < dist.get(before, float("inf")):
                dist[before] = d + km
                heapq.heappush(heap, (d + km, before))
    if len(_DISTANCES) > 256:
        _DISTANCES.clear()
    _DISTANCES[key] = (graph, dist)
    return dist


def gateway_port(legs: Sequence[Leg], route_km: float) -> str | None:
    """The port of loading when ``legs`` start with a pre-carriage by land to a seaport and sail
    from there, and that pre-carriage is at most :data:`GATEWAY_SHARE` of ``route_km``; else
    ``None`` (the route starts at sea, has no sea leg, or goes far inland before it sails)."""
    land = 0.0
    for leg in legs:
        if leg.mode == "sea":
            return leg.from_id if 0 < land <= GATEWAY_SHARE * route_km else None
        land += leg.distance_km
    return None


def backtrack(places: Sequence[str], dist: dict[str, float]) -> tuple[str, float] | None:
    """The place where a route falls back furthest from its best progress, and by how many km,
    if that exceeds the tolerance; ``None`` for a route that makes steady progress.

    Parameters
    ----------
    places : sequence of str
        Place ids in travel order, origin first, ending at the target of ``dist``.
    dist : dict
        From :func:`distances_to` for the route's destination.
    """
    start = dist.get(places[0], 0.0)
    allowed = max(BACKTRACK_SHARE * start, BACKTRACK_FLOOR_KM)
    best = start
    worst: tuple[str, float] | None = None
    for place in places[1:]:
        here = dist.get(place, float("inf"))
        back = here - best
        if back > allowed and (worst is None or back > worst[1]):
            worst = (place, back)
        best = min(best, here)
    return worst


def worth_the_detour(route: Route, steady: Sequence[Route]) -> bool:
    """Whether a route that goes the wrong way earns it: at least :data:`WORTHWHILE_GAIN` faster
    than the fastest or cheaper than the cheapest of the ``steady`` routes (or there are none)."""
    if not steady:
        return True
    fastest = min(r.total_time_h for r in steady)
    cheapest = min(r.total_cost_usd for r in steady)
    keep = 1 - WORTHWHILE_GAIN
    return route.total_time_h <= keep * fastest or route.total_cost_usd <= keep * cheapest


def no_gain(route: Route, others: Sequence[Route]) -> Route | None:
    """A route of ``others`` this one is :data:`FAR_LONGER` than with no gain over it (not
    :data:`WORTHWHILE_GAIN` faster or cheaper, avoiding none of its transit countries or sea
    passages); ``None`` if there is none: the route earns its distance."""
    for other in others:
        if other is route or route.distance_km < FAR_LONGER * other.distance_km:
            continue
        faster = route.total_time_h <= (1 - WORTHWHILE_GAIN) * other.total_time_h
        cheaper = route.total_cost_usd <= (1 - WORTHWHILE_GAIN) * other.total_cost_usd
        avoids = bool(other.transit_countries - route.transit_countries or other.passages - route.passages)
        if not (faster or cheaper or avoids):
            return other
    return None


def wrong_way(graph: SearchGraph, route: Route, stops: Sequence[str]) -> tuple[str, float] | None:
    """Why and by how many km ``route`` goes the wrong way to its next stop, if it does.

    ``stops`` are the place ids of origin, via places and destination, in order. Distances still
    to go are measured on ``graph``; the pre-carriage to the port of loading
    (:func:`gateway_port`) is not measured, progress is counted from that port.
    """
    places = [route.legs[0].from_id, *(leg.to_id for leg in route.legs)]
    names = graph.network.places
    start = 0
    for target in stops[1:]:
        end = places.index(target, start)
        port = gateway_port(route.legs[start:end], route.distance_km) if start == 0 else None
        first = start if port is None else places.index(port, start)
        hit = backtrack(places[first : end + 1], distances_to(graph, target))
        if hit is not None:
            place, km = hit
            return f"{names[place].name} is {km:,.0f} km further from {names[target].name} than a place before it", km
        start = end
    return None


def overshoot(network: Network, route: Route, stops: Sequence[str]) -> str | None:
    """Why ``route`` overshoots the next stop it heads for, or ``None`` if it does not.

    ``stops`` are the place ids of origin, via places and destination, in order. Between two
    stops, no place may lie more than :data:`OVERSHOOT_RATIO` times as far (great-circle) from the
    first as the second is, plus :data:`OVERSHOOT_FLOOR_KM`.
    """
    places = [route.legs[0].from_id, *(leg.to_id for leg in route.legs)]
    at = network.places

    def km(a: str, b: str) -> float:
        return great_circle_km(at[a].lat, at[a].lon, at[b].lat, at[b].lon)

    start = 0
    for target in stops[1:]:
        end = places.index(target, start)
        origin, allowed = places[start], OVERSHOOT_RATIO * km(places[start], target) + OVERSHOOT_FLOOR_KM
        far = max(places[start : end + 1], key=lambda p: km(origin, p))
        if km(origin, far) > allowed:
            return (
                f"overshoots: reaches {at[far].name}, {km(origin, far):,.0f} km from {at[origin].name} "
                f"against {km(origin, target):,.0f} km to {at[target].name}, and comes back"
            )
        start = end
    return None


def out_of_reach(network: Network, corridor: str, origin: str, destination: str) -> str | None:
    """Why every route of ``corridor`` from ``origin`` to ``destination`` (place ids) overshoots, or ``None``.

    A route of a corridor uses at least one link tagged with it, so it passes both ends of that
    link. When every tagged link has an end beyond the overshoot limit (:func:`overshoot`), no
    route of the corridor can be shown, and :func:`corridor.compare` need not search it — a search
    that on an inland pair (Tashkent → Almaty by sea) would spend its whole budget on loops.
    """
    at = network.places
    o, d = at[origin], at[destination]
    allowed = OVERSHOOT_RATIO * great_circle_km(o.lat, o.lon, d.lat, d.lon) + OVERSHOOT_FLOOR_KM

    def reach(link_end: str) -> float:
        p = at[link_end]
        return great_circle_km(o.lat, o.lon, p.lat, p.lon)

    tagged = [link for link in network.links if link.corridor == corridor]
    if not tagged:
        return None
    nearest = min(max(reach(link.from_id), reach(link.to_id)) for link in tagged)
    if nearest <= allowed:
        return None
    return (
        f"any route would overshoot: the corridor's nearest link reaches {nearest:,.0f} km from {o.name} "
        f"against {great_circle_km(o.lat, o.lon, d.lat, d.lon):,.0f} km to {d.name}"
    )


def reentry(network: Network, route: Route) -> str | None:
    """Where ``route`` leaves a country and comes back after a loop abroad longer than
    :data:`REENTRY_RATIO` times the straight line (plus :data:`OVERSHOOT_FLOOR_KM`), or ``None``."""
    places = [route.legs[0].from_id, *(leg.to_id for leg in route.legs)]
    km = [0.0, *(leg.distance_km for leg in route.legs)]
    at = network.places
    for i, here in enumerate(places):
        country = at[here].country
        back = next((j for j in range(i + 1, len(places)) if at[places[j]].country == country), None)
        if back is None or back == i + 1:
            continue
        abroad = sum(km[i + 1 : back + 1])
        there = at[places[back]]
        line = great_circle_km(at[here].lat, at[here].lon, there.lat, there.lon)
        if abroad > REENTRY_RATIO * line + OVERSHOOT_FLOOR_KM:
            return (
                f"leaves {country} at {at[here].name} and re-enters at {there.name} after {abroad:,.0f} km abroad, "
                f"{abroad / line:.1f}× the straight line (no shorter way in the network, or a cheaper tariff)"
            )
    return None
