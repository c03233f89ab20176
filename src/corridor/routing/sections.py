"""Pass-through chains contracted once per compiled graph: what the Pareto search runs on.

A line cut into fifty stations offers no choice at forty-nine of them, so searching it station
by station only multiplies the work. A *section* is a maximal chain of arcs ``a1 … ak`` where
each ``ai`` has exactly one step out of it (to ``ai+1``) and ``ai+1`` has exactly one step into
it (from ``ai``): once a container has entered the chain it travels all of it, unless the query
starts or ends at one of its stations. The search steps from section to section and expands a
route back into arcs afterwards, so a contracted line costs what one link costs.

Everything here is built once per :class:`~corridor.routing.graph.SearchGraph` and depends only
on it: place numbers, cumulative totals along each section (arcs and the steps between them),
the steps between sections in both directions, and which places must be remembered to keep a
route from visiting a place twice (see :attr:`Sections.tracked`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Move", "Sections", "contract"]

Move = tuple[int, float, float, float, int]
"""``(to, step hours, step USD, step kg CO2e, lifts)``: a step from one arc (or section) to the next.

The CO2e of a step is what the hub emits (a port call, a lift, a gauge change)."""


@dataclass(frozen=True)
class Sections:
    """The contracted search graph. Sections are numbered ``0 … n-1``; places ``0 … m-1``.

    Per section ``s``: ``arcs[s]`` the arcs in travel order; ``cum[s][j]`` the totals
    ``(hours, USD, kg CO2e, lifts)`` of its first ``j + 1`` arcs and the steps between them;
    ``heads[s][j]`` the place number where arc ``j`` ends; ``tail[s]`` the place number where
    it starts; ``succ[s]`` / ``pred[s]`` the steps to the next / from the previous sections as
    :data:`Move` tuples (for ``pred`` the first element is the previous section).
    """

    place_index: dict[str, int]
    arcs: tuple[tuple[int, ...], ...]
    cum: tuple[tuple[tuple[float, float, float, int], ...], ...]
    arc_totals: tuple[tuple[float, float, float], ...]
    heads: tuple[tuple[int, ...], ...]
    tail: tuple[int, ...]
    succ: tuple[tuple[Move, ...], ...]
    pred: tuple[tuple[Move, ...], ...]
    pred_weights: tuple[tuple[tuple[tuple[int, float], ...], ...], ...]
    """Per criterion (hours, USD, kg CO2e), per section: ``(previous section, step cost)``."""
    position: tuple[tuple[int, int], ...]
    """Per arc: ``(section, index within it)``."""
    into: tuple[tuple[int, ...], ...]
    """Per place number: the arcs that end there."""
    tracked: dict[int, int]
    """Place number → bit, for every place a route can visit twice without passing a section's
    first or last place again (section ends, and places where several sections meet). Places
    inside one line are left out: revisiting one means revisiting the line's ends too."""

    def __len__(self) -> int:
        return len(self.arcs)


def contract(
    place_ids: Sequence[str],
    arc_ends: Sequence[tuple[str, str]],
    arc_totals: Sequence[tuple[float, float, float]],
    moves: Sequence[Sequence[Move]],
) -> Sections:
    """Contract the arc graph into sections.

    Parameters
    ----------
    place_ids : sequence of str
        Every place of the network (numbered in this order).
    arc_ends : sequence of (str, str)
        Per arc: ``(from place id, to place id)``.
    arc_totals : sequence of (float, float, float)
        Per arc: hours, USD and kg CO2e of travelling it.
    moves : sequence of sequences of Move
        Per arc: the steps out of it (to another arc).
    """
    index = {p: i for i, p in enumerate(place_ids)}
    n = len(arc_ends)
    into_count = [0] * n
    for out in moves:
        for to, *_ in out:
            into_count[to] += 1

    def continues(a: int) -> bool:
        """Whether arc ``a`` is always followed by one arc that nothing else leads into."""
        return len(moves[a]) == 1 and into_count[moves[a][0][0]] == 1

    chained = {moves[a][0][0] for a in range(n) if continues(a)}
    starts = [a for a in range(n) if a not in chained]
    placed = [False] * n
    chains = [_chain(a, moves, continues, placed) for a in starts]
    # What is left are rings of pass-through arcs that nothing leads into: cut each anywhere.
    chains += [_chain(a, moves, continues, placed) for a in range(n) if not placed[a]]
    return _build(index, arc_ends, arc_totals, moves, chains)


def _chain(a: int, moves: Sequence[Sequence[Move]], continues: Callable[[int], bool], placed: list[bool]) -> list[int]:
    """The chain that starts at arc ``a``, marking its arcs as placed."""
    chain = [a]
    placed[a] = True
    while continues(chain[-1]) and not placed[nxt := moves[chain[-1]][0][0]]:
        chain.append(nxt)
        placed[nxt] = True
    return chain


def _build(
    index: dict[str, int],
    arc_ends: Sequence[tuple[str, str]],
    arc_totals: Sequence[tuple[float, float, float]],
    moves: Sequence[Sequence[Move]],
    chains: list[list[int]],
) -> Sections:
    position = [(0, 0)] * len(arc_ends)
    for s, chain in enumerate(chains):
        for j, a in enumerate(chain):
            position[a] = (s, j)
    cum = []
    for chain in chains:
        t = c = e = 0.0
        lifts = 0
        row = []
        for j, a in enumerate(chain):
            if j:
                _, dt, dc, de, dl = moves[chain[j - 1]][0]
                t, c, e, lifts = t + dt, c + dc, e + de, lifts + dl
            at, ac, ae = arc_totals[a]
            t, c, e = t + at, c + ac, e + ae
            row.append((t, c, e, lifts))
        cum.append(tuple(row))
    succ = [tuple((position[to][0], dt, dc, de, dl) for to, dt, dc, de, dl in moves[chain[-1]]) for chain in chains]
    pred: list[list[Move]] = [[] for _ in chains]
    for s, out in enumerate(succ):
        for t, dt, dc, de, dl in out:
            pred[t].append((s, dt, dc, de, dl))
    into: list[list[int]] = [[] for _ in index]
    for a, (_, head) in enumerate(arc_ends):
        into[index[head]].append(a)
    return Sections(
        place_index=index,
        arcs=tuple(tuple(chain) for chain in chains),
        cum=tuple(cum),
        arc_totals=tuple(arc_totals),
        heads=tuple(tuple(index[arc_ends[a][1]] for a in chain) for chain in chains),
        tail=tuple(index[arc_ends[chain[0]][0]] for chain in chains),
        succ=tuple(succ),
        pred=tuple(tuple(p) for p in pred),
        pred_weights=(
            tuple(tuple((s, dt) for s, dt, _, _, _ in p) for p in pred),
            tuple(tuple((s, dc) for s, _, dc, _, _ in p) for p in pred),
            tuple(tuple((s, de) for s, _, _, de, _ in p) for p in pred),
        ),
        position=tuple(position),
        into=tuple(tuple(v) for v in into),
        tracked=_tracked(index, arc_ends, chains, position),
    )


def _tracked(
    index: dict[str, int],
    arc_ends: Sequence[tuple[str, str]],
    chains: list[list[int]],
    position: list[tuple[int, int]],
) -> dict[int, int]:
    """Places a route could pass twice unnoticed if only section ends were remembered.

    A place inside a section is *plain* when at most two arcs end there and at most two leave,
    none of them the last (or first) arc of its section: then only the section and its reverse
    pass it, and a route that used either twice would also pass the section's last place twice.
    Every other place is tracked.
    """
    ins = [0] * len(index)
    outs = [0] * len(index)
    edge = [False] * len(index)
    for a, (tail, head) in enumerate(arc_ends):
        s, j = position[a]
        h, t = index[head], index[tail]
        ins[h] += 1
        outs[t] += 1
        edge[h] |= j == len(chains[s]) - 1
        edge[t] |= j == 0
    keep = [p for p in range(len(index)) if edge[p] or ins[p] > 2 or outs[p] > 2]
    return {p: 1 << k for k, p in enumerate(keep)}
