"""Compile a network and a set of route options into a graph ready to search.

The search graph's states are *arcs* (a link travelled in one direction), because what happens
at a place depends on how the container arrives and leaves: rail to rail of another gauge means
a gauge change, rail to ship means a port call, a land link into another country means a border.
Each arc carries the cost of travelling it (waiting for a sailing, running time, tariff, CO2e,
border dwell); each *transition* between two arcs at a place carries the cost of what happens
there. Both are plain numbers, summed by the label-setting search in :mod:`corridor.routing.pareto`.

Compiling is pure: the same network and options always give the same graph, and nothing is
cached behind the caller's back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from corridor import settings
from corridor.emissions.factors import hub_emissions, leg_emissions
from corridor.errors import OptionError
from corridor.network.model import WATER_MODES, CargoType, Link, Network, NodeTime, Place
from corridor.routing.borders import border_row, is_stop
from corridor.routing.options import RouteOptions
from corridor.routing.sections import Sections, contract

__all__ = ["HANDLING_MODES", "Arc", "Event", "SearchGraph", "Step", "compile_graph"]

HANDLING_MODES = WATER_MODES | {"air"}
"""Modes whose legs start and end with a port (or airport) call."""


@dataclass(frozen=True)
class Event:
    """Something that happens to the container at a place: a border, gauge change, port call…"""

    place: str
    kind: str
    time_h: float
    cost_usd: float
    co2e_kg: float = 0.0
    """Well-to-wheel emissions of the hub operation (GLEC logistics-site default), kg."""
    co2e_ttw_kg: float = 0.0
    link: tuple[str, ...] = ()
    """For a border: the place ids at the ends of the link that crosses it, in travel order."""
    cost_range: tuple[float, float] = (1.0, 1.0)
    """Low and high of ``cost_usd`` as multiples of it (``NodeTime.cost_range``)."""


@dataclass(frozen=True)
class Arc:
    """A link travelled in one direction, with its totals for the searched cargo."""

    index: int
    link: Link
    wait_h: float
    run_h: float
    cost_usd: float
    co2e_kg: float
    co2e_ttw_kg: float
    events: tuple[Event, ...]
    cost_range: tuple[float, float] = (1.0, 1.0)
    """Low and high of the tariff ``cost_usd`` as multiples of it (``Link.tariff_range``)."""

    @property
    def time_h(self) -> float:
        """Waiting + running + border time."""
        return self.wait_h + self.run_h + sum(e.time_h for e in self.events)

    @property
    def total_cost_usd(self) -> float:
        """Tariff + border charges."""
        return self.cost_usd + sum(e.cost_usd for e in self.events)

    @property
    def total_co2e_kg(self) -> float:
        """Leg emissions (WTW) + those of the hub operations on the arc (none at a border)."""
        return self.co2e_kg + sum(e.co2e_kg for e in self.events)


@dataclass(frozen=True)
class Step:
    """A move from one arc to the next at their shared place."""

    to_arc: int
    events: tuple[Event, ...]
    transshipments: int


@dataclass(frozen=True)
class SearchGraph:
    """Arcs, the steps between them and the options they were compiled for."""

    network: Network
    options: RouteOptions
    cargo: CargoType
    arcs: tuple[Arc, ...]
    out_arcs: dict[str, tuple[int, ...]]
    steps: tuple[tuple[Step, ...], ...]
    totals: tuple[tuple[float, float, float], ...] = ()
    """Per arc: ``(time_h, cost_usd, co2e_kg)`` — the numbers the search adds up."""
    moves: tuple[tuple[tuple[int, float, float, float, int], ...], ...] = ()
    """Per arc: ``(next arc, step hours, step USD, step kg CO2e, lifts)`` for every step out of it."""
    sections: Sections = field(default_factory=lambda: contract((), (), (), ()))
    """The arcs contracted into chains without choices: what :mod:`corridor.routing.pareto` searches."""

    def arc_totals(self, index: int) -> tuple[float, float, float]:
        """``(time_h, cost_usd, co2e_kg)`` of travelling one arc."""
        return self.totals[index]

    def step(self, from_arc: int, to_arc: int) -> Step:
        """The step between two consecutive arcs of a path."""
        return next(s for s in self.steps[from_arc] if s.to_arc == to_arc)

    def start_events(self, arc: Arc) -> tuple[Event, ...]:
        """What happens at the origin before the first leg (a port call for a sailing)."""
        if arc.link.mode not in HANDLING_MODES:
            return ()
        return (_dwell(self.network, self.cargo, arc.link.from_id, "port"),)

    def end_events(self, arc: Arc) -> tuple[Event, ...]:
        """What happens at the destination after the last leg."""
        if arc.link.mode not in HANDLING_MODES:
            return ()
        return (_dwell(self.network, self.cargo, arc.link.to_id, "port"),)


def compile_graph(network: Network, options: RouteOptions) -> SearchGraph:
    """Build the search graph for ``options`` over ``network``.

    Raises
    ------
    OptionError
        If the cargo type is not in the network's ``cargo.csv``.
    """
    if options.cargo not in network.cargo_types:
        known = ", ".join(network.cargo_types)
        raise OptionError(f"unknown cargo '{options.cargo}'; cargo types are {known}")
    cargo = network.cargo_types[options.cargo]
    links = [link for link in _directed(network) if _allowed(network, link, options, cargo)]
    arcs = tuple(_arc(network, cargo, i, link) for i, link in enumerate(links))
    out: dict[str, list[int]] = {}
    for arc in arcs:
        out.setdefault(arc.link.from_id, []).append(arc.index)
    steps = tuple(_steps(network, cargo, arc, arcs, out) for arc in arcs)
    totals = tuple((a.time_h, a.total_cost_usd, a.total_co2e_kg) for a in arcs)
    moves = tuple(tuple(_move(s) for s in ss) for ss in steps)
    sections = contract(tuple(network.places), [(a.link.from_id, a.link.to_id) for a in arcs], totals, moves)
    return SearchGraph(
        network, options, cargo, arcs, {k: tuple(v) for k, v in out.items()}, steps, totals, moves, sections
    )


def _move(s: Step) -> tuple[int, float, float, float, int]:
    """A step as the search adds it: next arc, hours, USD and kg CO2e at the place, lifts."""
    events = s.events
    return (
        s.to_arc,
        sum(e.time_h for e in events),
        sum(e.cost_usd for e in events),
        sum(e.co2e_kg for e in events),
        s.transshipments,
    )


def _directed(network: Network) -> list[Link]:
    directed = []
    for link in network.links:
        directed.append(link)
        if link.bidirectional:
            directed.append(link.reversed())
    return directed


def _allowed(network: Network, link: Link, options: RouteOptions, cargo: CargoType) -> bool:
    ends = (network.places[link.from_id], network.places[link.to_id])
    if link.status == "planned" and not options.include_planned:
        return False
    if link.mode in options.avoid_modes:
        return False
    if link.mode == "air" and not options.air_cargo:
        return False  # a full container never flies; air is for consignments by weight
    if any(p.country in options.avoid_countries for p in ends):
        return False
    if options.avoid_passages & set(link.passages):
        return False
    if cargo.reefer and not link.reefer:
        return False
    return not (options.corridor and link.corridor not in ("", options.corridor))


def _arc(network: Network, cargo: CargoType, index: int, link: Link) -> Arc:
    if link.distance_km is None or link.time_h is None or link.tariff_teu_usd is None or link.tariff_feu_usd is None:
        raise ValueError(f"link {link.from_id}–{link.to_id} lacks derived figures: load networks with load_network")
    tariff = link.tariff_teu_usd if cargo.teu == 1 else link.tariff_feu_usd
    wait = 0.0
    if link.frequency_per_week:
        # A container reaching the quay at a random moment waits half the interval between
        # sailings on average.
        wait = settings.HOURS_PER_WEEK / link.frequency_per_week / 2
    wtw, ttw = leg_emissions(network.emission_factors[link.vehicle], link.distance_km, cargo)
    return Arc(
        index=index,
        link=link,
        wait_h=wait,
        run_h=link.time_h,
        cost_usd=tariff * cargo.tariff_multiplier,
        co2e_kg=wtw,
        co2e_ttw_kg=ttw,
        events=_border_events(network, cargo, link),
        cost_range=link.tariff_range,
    )


def _border_events(network: Network, cargo: CargoType, link: Link) -> tuple[Event, ...]:
    """The border ``link`` crosses, if it crosses one with a stop (see :mod:`corridor.routing.borders`)."""
    found = border_row(network, link)
    if found is None or not is_stop(found[1]):
        return ()
    place, row = found
    event = _event(network, place.id, "border", row, cargo)
    return (replace(event, link=(link.from_id, link.to_id)),)


def _steps(
    network: Network, cargo: CargoType, arc: Arc, arcs: tuple[Arc, ...], out: dict[str, list[int]]
) -> tuple[Step, ...]:
    here = network.places[arc.link.to_id]
    steps = []
    for j in out.get(here.id, ()):
        nxt = arcs[j].link
        if nxt.to_id == arc.link.from_id and nxt.mode == arc.link.mode:
            continue  # straight back the way it came
        step = _step(network, cargo, here, arc.link, nxt, j)
        if step is not None:
            steps.append(step)
    return tuple(steps)


def _step(network: Network, cargo: CargoType, here: Place, came: Link, goes: Link, j: int) -> Step | None:
    events: list[Event] = []
    lifts = 0
    if came.mode == goes.mode == "rail" and came.gauge != goes.gauge:
        events.append(_dwell(network, cargo, here.id, "gauge-change"))
        lifts += 1
    if came.mode in HANDLING_MODES or goes.mode in HANDLING_MODES:
        events.append(_dwell(network, cargo, here.id, "port"))
    if came.mode != goes.mode and "ferry" not in (came.mode, goes.mode):
        # Ferries roll wagons and trucks aboard; every other change of mode lifts the box.
        lifts += 1
        if not events:
            events.append(_dwell(network, cargo, here.id, "transshipment"))
    if events and cargo.reefer and not here.reefer:
        return None  # the box would wait here without a reefer plug
    return Step(to_arc=j, events=tuple(events), transshipments=lifts)


def _dwell(network: Network, cargo: CargoType, place: str, kind: str) -> Event:
    rows = [r for r in network.node_times if r.kind == kind and r.place in (place, "*")]
    rows.sort(key=lambda r: r.place == "*")  # a place's own row beats the default
    if not rows:
        raise OptionError(f"node_times.csv has no {kind} row for {place} and no default")
    return _event(network, place, kind, rows[0], cargo)


def _event(network: Network, place: str, kind: str, row: NodeTime, cargo: CargoType) -> Event:
    cost = row.cost_teu_usd if cargo.teu == 1 else row.cost_feu_usd
    if cost is None:
        raise ValueError(f"the {kind} dwell at {place} has no price: load networks with load_network")
    wtw, ttw = hub_emissions(network.hub_factors.get(kind), cargo)
    return Event(place, kind, row.time_h, cost * cargo.tariff_multiplier, wtw, ttw, cost_range=row.cost_range)
