"""The route search as it was before sections, bounds and criteria-only dominance (2026-11-25).

Kept, unchanged, as the baseline that ``benchmarks/route.py`` times the new search against and
that the property tests compare it with; nothing in ``src`` imports it.

Multi-criteria label-setting search: every Pareto-optimal route in time, cost and CO2e.

A *label* is a partial route: the arc it has reached and its running totals. A label
*dominates* another if it is no worse on every criterion. The search (Martins' algorithm)
pops labels in lexicographic order of (time, cost, CO2e); a popped label is never dominated by
a label found later, so it is final. Each label is extended along every step out of its arc;
an extension is kept only if no label at the same arc dominates it and no complete route
already found does (target pruning). What reaches the destination is the exact Pareto set of
routes that visit no place twice.

Routes are kept *simple*: each label remembers the places it passed, as a bit mask. A label
dominates another only if, besides being no worse on every criterion, it has visited no place
the other has not; otherwise the "worse" label may be the only one still free to pass a place
that the better one used up (a detour that avoids a costly gauge change can need it). Without
that test the search is faster but can miss Pareto-optimal routes.

With a transshipment limit the count of lifts joins the dominance test (a slower route with
fewer lifts may be the only one within the limit); with a required corridor a flag "has used
the corridor" does, so that routes which have not yet entered the corridor are kept apart.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import count

from corridor.routing.graph import SearchGraph


@dataclass(frozen=True)
class ParetoPath:
    """A complete route found by the search: its totals and the arcs it travels."""

    time_h: float
    cost_usd: float
    co2e_kg: float
    transshipments: int
    arcs: tuple[int, ...]


class _Label:
    __slots__ = ("alive", "arc", "co2", "cost", "flag", "lifts", "parent", "seen", "time")

    def __init__(
        self,
        time: float,
        cost: float,
        co2: float,
        lifts: int,
        arc: int,
        flag: bool,
        parent: _Label | None,
        seen: int,
    ) -> None:
        self.time, self.cost, self.co2, self.lifts = time, cost, co2, lifts
        self.arc, self.flag, self.parent, self.alive, self.seen = arc, flag, parent, True, seen

    def arcs(self) -> tuple[int, ...]:
        path = []
        label: _Label | None = self
        while label is not None:
            path.append(label.arc)
            label = label.parent
        return tuple(reversed(path))


def pareto_paths(  # noqa: C901 - kept as it was, for comparison
    graph: SearchGraph,
    origin: str,
    destination: str,
    max_transshipments: int | None = None,
    require_corridor: str | None = None,
) -> list[ParetoPath]:
    """All Pareto-optimal routes from ``origin`` to ``destination`` (place ids).

    Parameters
    ----------
    graph : SearchGraph
        Compiled by :func:`corridor.routing.graph.compile_graph`.
    origin, destination : str
        Place ids.
    max_transshipments : int, optional
        Drop routes with more container lifts.
    require_corridor : str, optional
        Keep only routes that use at least one link tagged with this corridor.

    Returns
    -------
    list of ParetoPath
        Sorted by time, then cost, then CO2e. Empty if no route exists.
    """
    if not _reachable(graph, origin, destination):
        return []  # an exhaustive search would prove the same, slowly
    totals, moves = graph.totals, graph.moves
    index = {place: 1 << i for i, place in enumerate(graph.network.places)}
    bit = [index[a.link.to_id] for a in graph.arcs]
    tagged = [a.link.corridor == require_corridor if require_corridor else True for a in graph.arcs]
    track_lifts = max_transshipments is not None
    limit = max_transshipments if max_transshipments is not None else 1 << 30
    bags: dict[tuple[int, bool], list[_Label]] = {}
    results: list[tuple[float, float, float, _Label]] = []
    heap: list[tuple[float, float, float, int, _Label]] = []
    tick = count()

    def offer(
        time: float, cost: float, co2: float, lifts: int, arc: int, flag: bool, parent: _Label | None, seen: int
    ) -> None:
        if lifts > limit or seen & bit[arc]:
            return
        if any(t <= time and c <= cost and e <= co2 for t, c, e, _ in results):
            return
        seen |= bit[arc]
        if graph.arcs[arc].link.to_id == destination:
            if flag:
                end = graph.end_events(graph.arcs[arc])
                label = _Label(time, cost, co2, lifts, arc, flag, parent, seen)
                time += sum(e.time_h for e in end)
                cost += sum(e.cost_usd for e in end)
                co2 += sum(e.co2e_kg for e in end)
                results.append((time, cost, co2, label))
            return
        bag = bags.setdefault((arc, flag), [])
        for old in bag:
            if (
                old.time <= time
                and old.cost <= cost
                and old.co2 <= co2
                and (not track_lifts or old.lifts <= lifts)
                and old.seen & ~seen == 0
            ):
                return
        label = _Label(time, cost, co2, lifts, arc, flag, parent, seen)
        keep = []
        for old in bag:
            if (
                time <= old.time
                and cost <= old.cost
                and co2 <= old.co2
                and (not track_lifts or lifts <= old.lifts)
                and seen & ~old.seen == 0
            ):
                old.alive = False
            else:
                keep.append(old)
        keep.append(label)
        bags[(arc, flag)] = keep
        heapq.heappush(heap, (time, cost, co2, next(tick), label))

    for arc in graph.out_arcs.get(origin, ()):
        start = graph.start_events(graph.arcs[arc])
        t, c, e = totals[arc]
        time, cost = t + sum(x.time_h for x in start), c + sum(x.cost_usd for x in start)
        offer(time, cost, e + sum(x.co2e_kg for x in start), 0, arc, tagged[arc], None, index[origin])
    while heap:
        _, _, _, _, label = heapq.heappop(heap)
        if not label.alive:
            continue
        for j, dt, dc, de, lifts in moves[label.arc]:
            t, c, e = totals[j]
            offer(
                label.time + dt + t,
                label.cost + dc + c,
                label.co2 + de + e,
                label.lifts + lifts,
                j,
                label.flag or tagged[j],
                label,
                label.seen,
            )
    return _front(results)


def _reachable(graph: SearchGraph, origin: str, destination: str) -> bool:
    """Whether any chain of arcs leads from origin to destination (breadth-first)."""
    seen = {origin}
    frontier = [origin]
    while frontier:
        place = frontier.pop()
        for i in graph.out_arcs.get(place, ()):
            nxt = graph.arcs[i].link.to_id
            if nxt == destination:
                return True
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return False


def _front(results: list[tuple[float, float, float, _Label]]) -> list[ParetoPath]:
    results.sort(key=lambda r: r[:3])
    front: list[ParetoPath] = []
    for time, cost, co2, label in results:
        if any(p.time_h <= time and p.cost_usd <= cost and p.co2e_kg <= co2 for p in front):
            continue
        front.append(ParetoPath(time, cost, co2, label.lifts, label.arcs()))
    return front
