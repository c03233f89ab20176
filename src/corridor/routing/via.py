"""Routes through places the shipper pins (``--via``): the Pareto sets of the sections, joined.

A route from A via V to B is a route A → V followed by a route V → B. Each section is searched
on its own (:func:`corridor.routing.pareto.pareto_paths`); every pair of section routes whose
junction at V is a legal step of the graph (not straight back the way it came) is joined, with
the junction's own events (a port call, a gauge change) counted once, and the joined routes that
no other joined route dominates are kept. A joined route passes no place twice.

This is exact for the sections but can miss a through route whose first section is not
Pareto-optimal on its own and only pays off at the junction (e.g. arriving by rail to avoid a port
call at V); with one junction per via place the loss is small, and the search stays as fast as
two ordinary queries.
"""

from __future__ import annotations

from itertools import pairwise

from corridor.routing.graph import SearchGraph
from corridor.routing.pareto import ParetoPath, pareto_paths

__all__ = ["via_paths"]


def via_paths(
    graph: SearchGraph, stops: list[str], max_transshipments: int | None, corridor: str | None
) -> list[ParetoPath]:
    """Pareto-optimal routes from ``stops[0]`` to ``stops[-1]`` through the others in order.

    Parameters
    ----------
    graph : SearchGraph
        The compiled graph for the query's options.
    stops : list of str
        Place ids: origin, via places, destination.
    max_transshipments : int, optional
        Most container lifts over the whole route (junctions included).
    corridor : str, optional
        Keep only routes that use a link of this corridor in some section.

    Returns
    -------
    list of ParetoPath
        Sorted by time, cost and CO2e; empty when no route passes every stop.
    """
    heads: list[tuple[int, ...]] = [()]
    for a, b in pairwise(stops):
        sections = _section(graph, a, b, max_transshipments, corridor)
        heads = [head + arcs for head in heads for arcs in sections if _joins(graph, head, arcs)]
        if not heads:
            return []
    limit = max_transshipments if max_transshipments is not None else 1 << 30
    paths = [p for p in (_path(graph, arcs) for arcs in heads) if p.transshipments <= limit]
    if corridor:
        paths = [p for p in paths if any(graph.arcs[i].link.corridor == corridor for i in p.arcs)]
    return _front(paths)


def _section(
    graph: SearchGraph, a: str, b: str, max_transshipments: int | None, corridor: str | None
) -> list[tuple[int, ...]]:
    """Arcs of the section's Pareto routes, with and without the corridor (either may join up)."""
    found = {p.arcs for p in pareto_paths(graph, a, b, max_transshipments)}
    if corridor:
        found |= {p.arcs for p in pareto_paths(graph, a, b, max_transshipments, corridor)}
    return sorted(found)


def _joins(graph: SearchGraph, head: tuple[int, ...], arcs: tuple[int, ...]) -> bool:
    if not head:
        return True
    if not any(s.to_arc == arcs[0] for s in graph.steps[head[-1]]):
        return False  # e.g. straight back along the link it arrived on
    seen = {graph.arcs[head[0]].link.from_id} | {graph.arcs[i].link.to_id for i in head}
    return not any(graph.arcs[i].link.to_id in seen for i in arcs)


def _path(graph: SearchGraph, arcs: tuple[int, ...]) -> ParetoPath:
    """Totals of a chain of arcs: arcs, steps between them, the origin's and destination's events."""
    first, last = graph.arcs[arcs[0]], graph.arcs[arcs[-1]]
    ends = (*graph.start_events(first), *graph.end_events(last))
    time = sum(e.time_h for e in ends)
    cost = sum(e.cost_usd for e in ends)
    co2 = sum(e.co2e_kg for e in ends)
    lifts = 0
    for k, i in enumerate(arcs):
        t, c, e = graph.arc_totals(i)
        time, cost, co2 = time + t, cost + c, co2 + e
        if k:
            step = graph.step(arcs[k - 1], i)
            time += sum(e.time_h for e in step.events)
            cost += sum(e.cost_usd for e in step.events)
            co2 += sum(e.co2e_kg for e in step.events)
            lifts += step.transshipments
    return ParetoPath(time, cost, co2, lifts, arcs)


def _front(paths: list[ParetoPath]) -> list[ParetoPath]:
    paths.sort(key=lambda p: (p.time_h, p.cost_usd, p.co2e_kg))
    front: list[ParetoPath] = []
    for p in paths:
        if not any(q.time_h <= p.time_h and q.cost_usd <= p.cost_usd and q.co2e_kg <= p.co2e_kg for q in front):
            front.append(p)
    return front
