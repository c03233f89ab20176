"""Multi-criteria label-setting search: every Pareto-optimal route in time, cost and CO2e.

A *label* is a partial route: the section it has travelled last (see
:mod:`corridor.routing.sections`: a chain of arcs with no choice inside) and its running
totals. A label *dominates* another at the same section if it is no worse on every criterion.
The section fixes the state that decides what the next step costs (the last arc's mode and
gauge), so dominance compares like with like.

The search (Martins' algorithm, A*-ordered) pops labels in lexicographic order of
``totals + lower bound to the destination``; the bounds are single-criterion shortest
distances computed backwards from the destination (one Dijkstra per criterion) and are
consistent, so a popped label is never dominated by one found later at its section. A label is
dropped when no completion of it could beat a route already found (target pruning with the
bounds), or when it cannot reach the destination at all.

Costs are positive, so a route that comes back to a section it has left is never better than
the same route without the loop: loops are excluded by the criteria alone, without remembering
visited places. A route may still pass the same *place* twice through different arcs (out on a
road, back on a wide-gauge track, to avoid a gauge change); such routes are not offered. When
the unrestricted front contains one, the search runs again remembering the places each label
has passed (only junctions need remembering) with the old subset rule on them, which gives the
exact front of routes that visit no place twice.

Options: a transshipment limit adds the count of lifts to the dominance test (a slower route
with fewer lifts may be the only one within the limit); a required corridor adds a flag "has
used the corridor"; a ``tolerance`` returns an ε-Pareto set (every Pareto-optimal route has a
returned route no worse than ``1 + tolerance`` times it on every criterion); a time budget
stops a search that runs too long with :class:`~corridor.errors.SearchBudgetError`.
"""

from __future__ import annotations

import heapq
import math
import time as clock
from bisect import bisect_right
from dataclasses import dataclass
from itertools import count

from corridor import settings
from corridor.errors import OptionError, SearchBudgetError
from corridor.routing.graph import SearchGraph
from corridor.routing.sections import Sections

INF = math.inf
PRUNE_SHARE = 0.1
"""Share (as an exponent) of the tolerance used to prune labels against routes found; the rest
merges near-equal labels. Measured on the trade-off benchmark family (193 places, ε = 1 %):
shares 0.05 / 0.2 / 0.5 gave 6,000 / 8,300 / 10,900 labels expanded; merging does the work."""
CHECK_EVERY = 512
"""Labels popped between two looks at the clock."""

__all__ = ["ParetoPath", "pareto_paths"]


@dataclass(frozen=True)
class ParetoPath:
    """A complete route found by the search: its totals and the arcs it travels."""

    time_h: float
    cost_usd: float
    co2e_kg: float
    transshipments: int
    arcs: tuple[int, ...]


Room = tuple[float, float, float]
"""Per criterion: how much worse (absolute) a label may still get and stay within tolerance."""
NO_ROOM: Room = (0.0, 0.0, 0.0)


class _Label:
    __slots__ = ("alive", "co2", "cost", "done", "first", "flag", "lifts", "parent", "room", "section", "seen", "time")

    def __init__(
        self,
        totals: tuple[float, float, float, int],
        section: int,
        flag: bool,
        parent: _Label | None,
        seen: int,
        first: int = 0,
    ) -> None:
        self.time, self.cost, self.co2, self.lifts = totals
        self.section, self.flag, self.parent, self.seen, self.first = section, flag, parent, seen, first
        self.alive, self.done = True, False
        self.room = NO_ROOM
        """Tolerance left, per criterion (see :meth:`_Search._offer_near`); fixed once extended."""


@dataclass(frozen=True)
class _Result:
    time: float
    cost: float
    co2: float
    lifts: int
    parent: _Label | None
    section: int
    first: int
    stop: int


def pareto_paths(
    graph: SearchGraph,
    origin: str,
    destination: str,
    max_transshipments: int | None = None,
    require_corridor: str | None = None,
    *,
    tolerance: float = 0.0,
    budget_s: float | None = settings.SEARCH_BUDGET_S,
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
    tolerance : float
        0 (default) for the exact Pareto set; ``ε > 0`` for an ε-Pareto set: every
        Pareto-optimal route has a returned route within a factor ``1 + ε`` of it on time, cost
        and CO2e at once (the display thins at :data:`corridor.settings.THIN_TOLERANCE`).
    budget_s : float, optional
        Wall-clock seconds the search may take; ``None`` for no limit.

    Returns
    -------
    list of ParetoPath
        Sorted by time, then cost, then CO2e; no route visits a place twice. Empty if no route
        exists.

    Raises
    ------
    OptionError
        If ``tolerance`` is negative.
    SearchBudgetError
        If the budget ran out; it carries the routes found so far (an incomplete front).
    """
    if not tolerance >= 0:
        raise OptionError(f"tolerance must be 0 (exact) or more, got {tolerance}")
    sections = graph.sections
    if origin not in sections.place_index or destination not in sections.place_index or origin == destination:
        return []
    deadline = None if budget_s is None else clock.perf_counter() + budget_s
    query = _Query(graph, origin, destination, max_transshipments, require_corridor, tolerance, deadline)
    paths = query.run(elementary=False)
    if not all(_visits_each_place_once(graph, p) for p in paths):
        paths = query.run(elementary=True)
    return paths


class _Query:
    """One origin–destination search over a graph's sections."""

    def __init__(
        self,
        graph: SearchGraph,
        origin: str,
        destination: str,
        max_transshipments: int | None,
        require_corridor: str | None,
        tolerance: float,
        deadline: float | None,
    ) -> None:
        self.graph, self.sec = graph, graph.sections
        self.origin, self.destination = origin, destination
        self.o = self.sec.place_index[origin]
        self.track_lifts = max_transshipments is not None
        self.limit = max_transshipments if max_transshipments is not None else 1 << 30
        # The tolerance is split between pruning by found routes and merging near-equal labels, so
        # that both together stay within it: (1 + a)(1 + a) = 1 + tolerance.
        self.slack = (1.0 + tolerance) ** PRUNE_SHARE
        self.merge = (1.0 + tolerance) / self.slack - 1.0
        self.deadline = deadline
        self.corridor = require_corridor
        self.tagged = _first_tagged(graph, require_corridor) if require_corridor else [-1] * len(self.sec)
        self.stops = _stops(self.sec, self.sec.place_index[destination])
        self.goal = {s: self._finish(s, 0, ks[0]) for s, ks in self.stops.items()}
        self.bounds = [_bound(self.sec, {s: g[i] for s, g in self.goal.items()}, i) for i in range(3)]

    def _finish(self, s: int, first: int, stop: int) -> tuple[float, float, float, int]:
        """Totals of section ``s`` from arc ``first`` to arc ``stop``, the destination's port call included."""
        t, c, e, lifts = _segment(self.sec, s, first, stop)
        end = self.graph.end_events(self.graph.arcs[self.sec.arcs[s][stop]])
        return (
            t + sum(x.time_h for x in end),
            c + sum(x.cost_usd for x in end),
            e + sum(x.co2e_kg for x in end),
            lifts,
        )

    def run(self, elementary: bool) -> list[ParetoPath]:
        """The front; with ``elementary`` the places each label passed are remembered."""
        search = _Search(self, elementary)
        return search.front()


class _Search:
    """The label-setting loop of one run (exact walks, or routes that visit no place twice)."""

    def __init__(self, query: _Query, elementary: bool) -> None:
        self.q, self.sec = query, query.sec
        self.elementary = elementary
        self.bits = dict(self.sec.tracked)
        if elementary and query.o not in self.bits:
            self.bits[query.o] = 1 << len(self.bits)
        self.bags: dict[tuple[int, bool], list[_Label]] = {}
        self.results: list[_Result] = []
        self.times: list[float] = []
        """Times of the non-dominated results found so far, ascending; ``points`` their totals."""
        self.points: list[tuple[float, float, float]] = []
        self.heap: list[tuple[float, float, float, int, _Label]] = []
        self.tick = count()
        self.pops = 0

    def _mask(self, s: int, first: int, stop: int) -> int:
        if not self.elementary:
            return 0
        bits = self.bits
        mask = 0
        for p in self.sec.heads[s][first : stop + 1]:
            mask |= bits.get(p, 0)
        return mask

    def _covered(self, t: float, c: float, e: float) -> bool:
        """Whether a route found already is within the tolerance of these totals."""
        k = self.q.slack
        c, e = c * k, e * k
        points = self.points
        for i in range(bisect_right(self.times, t * k)):
            _, pc, pe = points[i]
            if pc <= c and pe <= e:
                return True
        return False

    def _arrive(
        self, totals: tuple[float, float, float, int], parent: _Label | None, s: int, first: int, stop: int
    ) -> None:
        t, c, e, lifts = totals
        if lifts > self.q.limit or self._covered(t, c, e):
            return
        self.results.append(_Result(t, c, e, lifts, parent, s, first, stop))
        kept = [(pt, pc, pe) for pt, pc, pe in self.points if not (t <= pt and c <= pc and e <= pe)]
        kept.append((t, c, e))
        kept.sort()
        self.points = kept
        self.times = [p[0] for p in kept]

    def _start(self) -> None:
        q, sec, graph = self.q, self.sec, self.q.graph
        for a in graph.out_arcs.get(q.origin, ()):
            s, j = sec.position[a]
            stop = next((k for k in q.stops.get(s, ()) if k >= j), None)
            last = len(sec.arcs[s]) - 1 if stop is None else stop
            seen = self.bits.get(q.o, 0) if self.elementary else 0
            mask = self._mask(s, j, last)
            if mask & seen:
                continue
            flag = q.corridor is None or any(
                graph.arcs[b].link.corridor == q.corridor for b in sec.arcs[s][j : last + 1]
            )
            start = graph.start_events(graph.arcs[a])
            dt, dc = sum(x.time_h for x in start), sum(x.cost_usd for x in start)
            de = sum(x.co2e_kg for x in start)
            if stop is None:
                t, c, e, lifts = _segment(sec, s, j, last)
                self._offer((t + dt, c + dc, e + de, lifts), s, flag, None, seen | mask, j)
            elif flag:
                t, c, e, lifts = q._finish(s, j, stop)
                self._arrive((t + dt, c + dc, e + de, lifts), None, s, j, stop)

    def _offer(
        self,
        totals: tuple[float, float, float, int],
        s: int,
        flag: bool,
        parent: _Label | None,
        seen: int,
        first: int = 0,
    ) -> None:
        t, c, e, lifts = totals
        ht, hc, he = self.q.bounds[0][s], self.q.bounds[1][s], self.q.bounds[2][s]
        if lifts > self.q.limit or ht == INF or self._covered(t + ht, c + hc, e + he):
            return
        key = (s, flag)
        bag = self.bags.get(key)
        if bag is None:
            bag = self.bags[key] = []
        if self.q.merge:
            label = self._offer_near(bag, totals, (t + ht, c + hc, e + he), s, flag, parent, seen, first)
            if label is not None:
                heapq.heappush(self.heap, (t + ht, c + hc, e + he, next(self.tick), label))
            return
        track = self.q.track_lifts
        for old in bag:
            if (
                old.time <= t
                and old.cost <= c
                and old.co2 <= e
                and (not track or old.lifts <= lifts)
                and old.seen & ~seen == 0
            ):
                return
        label = _Label(totals, s, flag, parent, seen, first)
        keep = []
        for old in bag:
            if (
                t <= old.time
                and c <= old.cost
                and e <= old.co2
                and (not track or lifts <= old.lifts)
                and seen & ~old.seen == 0
            ):
                old.alive = False
            else:
                keep.append(old)
        keep.append(label)
        self.bags[key] = keep
        heapq.heappush(self.heap, (t + ht, c + hc, e + he, next(self.tick), label))

    def _offer_near(
        self,
        bag: list[_Label],
        totals: tuple[float, float, float, int],
        f: tuple[float, float, float],
        s: int,
        flag: bool,
        parent: _Label | None,
        seen: int,
        first: int,
    ) -> _Label | None:
        """:meth:`_offer` with a tolerance: a label within its room of another merges into it.

        Each label has a *room*, per criterion: how much worse than the routes it stands for it
        may still get. A route leaving the origin starts with ``merge × (totals + bounds)``
        (at most ``merge`` × any of its completions); an extension inherits its parent's room.
        When label B merges into A (A worse than B by no more than B's room, B dropped), A
        stands for B's extensions too and its room shrinks to what B had left. Rooms never go
        below zero, so every dropped route keeps a route within ``1 + merge`` of it. A label's
        room is fixed once it is extended (its children copied it), so B merges into an
        extended A only if that would not shrink A's room.
        """
        t, c, e, lifts = totals
        track = self.q.track_lifts
        merge = self.q.merge
        rt, rc, re = parent.room if parent is not None else (merge * f[0], merge * f[1], merge * f[2])
        for old in bag:
            dt, dc, de = old.time - t, old.cost - c, old.co2 - e
            if dt <= rt and dc <= rc and de <= re and (not track or old.lifts <= lifts) and old.seen & ~seen == 0:
                at, ac, ae = old.room
                left = (min(at, rt - dt), min(ac, rc - dc), min(ae, re - de))
                if not old.done:
                    old.room = left
                    return None
                if left == old.room:
                    return None
        label = _Label(totals, s, flag, parent, seen, first)
        label.room = (rt, rc, re)
        keep = []
        for old in bag:
            ot, oc, oe = old.room
            dt, dc, de = t - old.time, c - old.cost, e - old.co2
            if (
                not old.done
                and dt <= ot
                and dc <= oc
                and de <= oe
                and (not track or lifts <= old.lifts)
                and seen & ~old.seen == 0
            ):
                old.alive = False
                at, ac, ae = label.room
                label.room = (min(at, ot - dt), min(ac, oc - dc), min(ae, oe - de))
            else:
                keep.append(old)
        keep.append(label)
        bag[:] = keep
        return label

    def _extend(self, label: _Label) -> None:
        q, sec = self.q, self.sec
        for nxt, dt, dc, de, dl in sec.succ[label.section]:
            stops = q.stops.get(nxt)
            last = len(sec.arcs[nxt]) - 1 if stops is None else stops[0]
            mask = self._mask(nxt, 0, last)
            if mask & label.seen:
                continue
            flag = label.flag or q.tagged[nxt] <= last
            if stops is not None:
                if flag:
                    t, c, e, lifts = q.goal[nxt]
                    totals = (label.time + dt + t, label.cost + dc + c, label.co2 + de + e, label.lifts + dl + lifts)
                    self._arrive(totals, label, nxt, 0, last)
                continue
            t, c, e, lifts = sec.cum[nxt][-1]
            totals = (label.time + dt + t, label.cost + dc + c, label.co2 + de + e, label.lifts + dl + lifts)
            self._offer(totals, nxt, flag, label, label.seen | mask)

    def front(self) -> list[ParetoPath]:
        self._start()
        heap = self.heap
        while heap:
            ft, fc, fe, _, label = heapq.heappop(heap)
            if not label.alive or self._covered(ft, fc, fe):
                continue
            if self.pops % CHECK_EVERY == 0:
                self._check_budget()
            label.done = True
            self.pops += 1
            self._extend(label)
        return self._paths()

    def _check_budget(self) -> None:
        deadline = self.q.deadline
        if deadline is not None and clock.perf_counter() > deadline:
            raise SearchBudgetError(self._paths(), self.pops)

    def _paths(self) -> list[ParetoPath]:
        ordered = sorted(self.results, key=lambda r: (r.time, r.cost, r.co2))
        front: list[_Result] = []
        for r in ordered:
            if not any(p.time <= r.time and p.cost <= r.cost and p.co2 <= r.co2 for p in front):
                front.append(r)
        return [ParetoPath(r.time, r.cost, r.co2, r.lifts, _expand(self.sec, r)) for r in front]


def _segment(sec: Sections, s: int, first: int, stop: int) -> tuple[float, float, float, int]:
    """Totals of arcs ``first … stop`` of section ``s`` and the steps between them."""
    end = sec.cum[s][stop]
    if first == 0:
        return end
    # cum[first] holds the step into arc `first` and the arc itself; the segment starts with the arc alone.
    at = sec.cum[s][first]
    t, c, e = sec.arc_totals[sec.arcs[s][first]]
    return end[0] - at[0] + t, end[1] - at[1] + c, end[2] - at[2] + e, end[3] - at[3]


def _stops(sec: Sections, destination: int) -> dict[int, tuple[int, ...]]:
    """Section → the positions of its arcs that end at the destination, in order."""
    stops: dict[int, list[int]] = {}
    for a in sec.into[destination]:
        s, j = sec.position[a]
        stops.setdefault(s, []).append(j)
    return {s: tuple(sorted(js)) for s, js in stops.items()}


def _first_tagged(graph: SearchGraph, corridor: str) -> list[int]:
    """Per section: the position of its first arc tagged with ``corridor`` (its length if none)."""
    return [
        next((j for j, a in enumerate(arcs) if graph.arcs[a].link.corridor == corridor), len(arcs))
        for arcs in graph.sections.arcs
    ]


def _bound(sec: Sections, goal: dict[int, float], criterion: int) -> list[float]:
    """Per section: a lower bound on ``criterion`` from its last place to the destination.

    Dijkstra backwards over the sections. ``goal`` gives, for each section that reaches the
    destination, the cost of travelling it up to the destination (port call included).
    """
    bound = [INF] * len(sec)
    length = [row[-1][criterion] for row in sec.cum]
    pred = sec.pred_weights[criterion]
    heap: list[tuple[float, int]] = []
    push, pop = heapq.heappush, heapq.heappop
    for t, g in goal.items():
        for s, w in pred[t]:
            if w + g < bound[s]:
                bound[s] = w + g
                push(heap, (w + g, s))
    while heap:
        value, t = pop(heap)
        if value > bound[t] or t in goal:
            continue
        value += length[t]
        for s, w in pred[t]:
            if value + w < bound[s]:
                bound[s] = value + w
                push(heap, (value + w, s))
    return bound


def _visits_each_place_once(graph: SearchGraph, path: ParetoPath) -> bool:
    arcs = graph.arcs
    places = [arcs[path.arcs[0]].link.from_id, *(arcs[i].link.to_id for i in path.arcs)]
    return len(places) == len(set(places))


def _expand(sec: Sections, result: _Result) -> tuple[int, ...]:
    """The arcs of a result, from the sections its labels travelled."""
    pieces = [sec.arcs[result.section][result.first if result.parent is None else 0 : result.stop + 1]]
    label = result.parent
    while label is not None:
        arcs = sec.arcs[label.section]
        pieces.append(arcs[label.first :] if label.parent is None else arcs)
        label = label.parent
    return tuple(a for piece in reversed(pieces) for a in piece)
