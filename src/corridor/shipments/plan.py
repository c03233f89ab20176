"""Plan a batch of shipments: one route search per distinct lane, then each shipment's share.

A *lane* is what the route search needs: origin, destination, box type, constraints and
objective. Tenders repeat lanes (300 rows, 40 lanes), so each distinct lane is searched once and
every shipment on it reuses the route, scaled to its own cargo (boxes, LCL share, air kg). The
result of each shipment lists its *transport chain elements* (ISO 14083): every leg and every
hub, with the activity, the default intensity and its source, so an auditor can follow each
number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from corridor.errors import NoRouteError, OptionError, UnknownPlaceError
from corridor.network.model import Link, Network
from corridor.network.places import resolve_place
from corridor.pricing.apply import network_at
from corridor.routing.api import default_network, search
from corridor.routing.itinerary import Crossing, Leg, Route, cost_bounds
from corridor.routing.options import RouteOptions
from corridor.shipments.model import Shipment
from corridor.shipments.reading import RowError
from corridor.shipments.reefer import ReeferCheck, check_reefer

__all__ = [
    "DEADLINE_SAMPLES",
    "ENERGY",
    "BatchPlanner",
    "Element",
    "LaneKey",
    "LanePlan",
    "Outcome",
    "ShipmentPlan",
    "Timing",
    "energy_carrier",
    "lane_key",
    "lane_options",
    "plan_shipments",
]

LaneKey = tuple[Any, ...]

DEADLINE_SAMPLES = 5_000
"""Journeys sampled per lane for a shipment with a deadline when no ``samples`` were asked for:
its P50/P90 and on-time odds are always reported (the odds to within about 1 point)."""


@dataclass(frozen=True)
class Element:
    """One transport chain element (ISO 14083) of a shipment: a leg or a hub operation.

    ``activity`` is tonne-km for a leg and TEU or tonnes handled for a hub (``activity_unit``);
    ``intensity`` is g CO2e per tonne-km (leg) or kg CO2e per TEU or tonne (hub), WTW.
    Costs and emissions are this shipment's share.
    """

    seq: int
    element: Literal["leg", "hub"]
    origin: str
    destination: str
    mode: str
    category: str
    energy_carrier: str
    distance_km: float
    distance_source: str
    tonnes: float
    activity: float
    activity_unit: str
    intensity_wtw: float
    intensity_ttw: float
    co2e_wtw_kg: float
    co2e_ttw_kg: float
    cost_usd: float
    time_h: float
    source: str
    data_quality: str = "default"


@dataclass(frozen=True)
class Timing:
    """Monte Carlo transit time of a shipment's lane (hours) and its on-time odds."""

    p50_h: float
    p90_h: float
    p95_h: float
    on_time_probability: float | None


@dataclass(frozen=True)
class LanePlan:
    """A lane's route for one box, its transport chain elements and their sums, computed once."""

    route: Route
    elements: tuple[Element, ...]
    """For one box (``20ft`` for LCL and air), in chain order."""
    flown: tuple[float, float, float]
    """``(cost_usd, co2e_wtw_kg, co2e_ttw_kg)`` of the air legs."""
    other: tuple[float, float, float]
    """The same for every other element (surface legs and hubs)."""
    hubs_wtw_kg: float


@dataclass(frozen=True)
class ShipmentPlan:
    """A planned shipment: its lane, the factors that scale the lane to it, and its totals.

    ``share`` scales the emissions of surface legs and hubs (boxes for FCL, the box share for
    LCL and air) and ``freight_share`` their cost (LCL: at least its minimum charge); ``air_cost``
    and ``air_mass`` scale air legs (chargeable and actual kg over a box's 10 t). ``charges_usd``
    are per-shipment charges outside the legs (LCL's CFS charges); ``notes`` say what the
    figures assume (a pricing date other than the shipment's month, a minimum charge).
    """

    shipment: Shipment
    lane: LanePlan
    share: float
    air_cost: float
    air_mass: float
    timing: Timing | None = None
    reefer: ReeferCheck | None = None
    freight_share: float | None = None
    charges_usd: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def route(self) -> Route:
        """The lane's route (its figures are for one box)."""
        return self.lane.route

    @property
    def cost_usd(self) -> float:
        """What the shipment pays: its share of legs, charges at places and route surcharges
        (the empty box's return, when asked for), plus its own charges (LCL's CFS charges)."""
        surcharges = sum(s.cost_usd for s in self.route.surcharges)
        return self.lane.flown[0] * self.air_cost + (self.lane.other[0] + surcharges) * self._freight + self.charges_usd

    @property
    def _freight(self) -> float:
        return self.share if self.freight_share is None else self.freight_share

    @property
    def cost_range_usd(self) -> tuple[float, float]:
        """Low and high of :attr:`cost_usd`: the route's parts at their low or high ends
        (:attr:`Route.total_cost_low_usd`), scaled as the point cost is."""
        r = self.route
        flown = [cost_bounds(leg) for leg in r.legs if leg.mode == "air"]
        air_low, air_high = sum(b[0] for b in flown), sum(b[1] for b in flown)
        return (
            air_low * self.air_cost + (r.total_cost_low_usd - air_low) * self._freight + self.charges_usd,
            air_high * self.air_cost + (r.total_cost_high_usd - air_high) * self._freight + self.charges_usd,
        )

    @property
    def co2e_wtw_kg(self) -> float:
        """Well-to-wheel emissions of the shipment's transport chain (legs + hubs)."""
        return self.lane.flown[1] * self.air_mass + self.lane.other[1] * self.share

    @property
    def co2e_ttw_kg(self) -> float:
        """Tank-to-wheel emissions of the transport chain."""
        return self.lane.flown[2] * self.air_mass + self.lane.other[2] * self.share

    @property
    def co2e_hub_kg(self) -> float:
        """Well-to-wheel emissions at hubs."""
        return self.lane.hubs_wtw_kg * self.share

    @property
    def tonnes(self) -> float:
        """Cargo mass the shipment's emissions are counted for."""
        s = self.shipment
        return (s.weight_kg or 0.0) / 1000 if s.kind != "fcl" else self.route.cargo_tonnes * s.quantity

    @property
    def elements(self) -> tuple[Element, ...]:
        """This shipment's transport chain elements (the lane's, scaled to its cargo)."""
        return tuple(self._scaled(e) for e in self.lane.elements)

    def _scaled(self, e: Element) -> Element:
        flown = e.mode == "air"
        mass = self.air_mass if flown else self.share
        cost = self.air_cost if flown else self._freight
        return replace(
            e,
            tonnes=e.tonnes * mass,
            activity=e.activity * mass,
            co2e_wtw_kg=e.co2e_wtw_kg * mass,
            co2e_ttw_kg=e.co2e_ttw_kg * mass,
            cost_usd=e.cost_usd * cost,
        )


Outcome = ShipmentPlan | RowError


@dataclass
class BatchPlanner:
    """Plans shipments, searching each distinct lane once (and sampling it once, if asked).

    Parameters
    ----------
    network : Network, optional
        Defaults to the embedded network.
    samples : int
        Monte Carlo journeys per lane for P50/P90 (0: only lanes of shipments with a deadline,
        :data:`DEADLINE_SAMPLES` of them).
    seed : int
        Seed of the Monte Carlo runs.
    """

    network: Network = field(default_factory=default_network)
    samples: int = 0
    seed: int = 0
    empty_return: bool = False
    """Add bringing the empty box back to each lane's route (:mod:`corridor.pricing.surcharges`)."""
    lanes_searched: int = 0
    _lanes: dict[LaneKey, LanePlan | RowError] = field(default_factory=dict)
    _timings: dict[LaneKey, Any] = field(default_factory=dict)
    _reefers: dict[LaneKey, ReeferCheck] = field(default_factory=dict)
    _links: dict[tuple[str, str, str], Link] = field(default_factory=dict)

    def plan(self, shipment: Shipment) -> Outcome:
        """Plan one shipment, or say which field stopped it."""
        key = (*lane_key(shipment), self.pricing_month(shipment))
        lane = self._lanes.get(key)
        if lane is None:
            found = self._search(shipment)
            lane = self._lanes[key] = found if isinstance(found, RowError) else self._lane(found)
            self.lanes_searched += 1
        if isinstance(lane, RowError):
            return _for_row(lane, shipment)
        route = lane.route
        timing = self._timing(key, shipment, route) if self.samples or shipment.deadline_h else None
        reefer = self._reefer(key, route) if self.network.cargo_types[route.cargo].reefer else None
        unit_kg = route.cargo_tonnes * 1000
        share = shipment.box_share
        air_cost = (shipment.chargeable_kg or 0.0) / unit_kg if shipment.kind == "air" else share
        air_mass = (shipment.weight_kg or 0.0) / unit_kg if shipment.kind == "air" else share
        freight = shipment.freight_share
        notes = self._notes(shipment, freight > share)
        return ShipmentPlan(shipment, lane, share, air_cost, air_mass, timing, reefer, freight, shipment.cfs_usd, notes)

    def _notes(self, s: Shipment, minimum: bool) -> tuple[str, ...]:
        notes = []
        priced = self.pricing_month(s)
        if s.depart is not None and priced is not None and priced[:7] != s.depart.isoformat()[:7]:
            edge = "latest" if priced < s.depart.isoformat() else "earliest"
            notes.append(
                f"priced at {priced}, the {edge} date the price data covers: the shipment leaves "
                f"{s.depart.isoformat()}, and prices are not forecast (stated extrapolation)"
            )
        if minimum:
            notes.append("LCL minimum charge: freight billed as 1 W/M (1 m³)")
        return tuple(notes)

    def plan_all(
        self, items: Iterable[Shipment | RowError], progress: Callable[[int], None] | None = None
    ) -> list[Outcome]:
        """Plan every shipment; row errors pass through unchanged. ``progress`` gets rows done."""
        out: list[Outcome] = []
        for item in items:
            out.append(item if isinstance(item, RowError) else self.plan(item))
            if progress is not None:
                progress(len(out))
        return out

    def _search(self, s: Shipment) -> Route | RowError:
        for name, query in (("origin", s.origin), ("destination", s.destination)):
            try:
                resolve_place(self.network, query)
            except UnknownPlaceError as exc:
                return _error(s, name, str(exc))
        try:
            options = replace(lane_options(s), empty_return=self.empty_return)
            priced = network_at(self.network, self.pricing_month(s))
            return search(priced, s.origin, s.destination, options).best(s.objective)
        except UnknownPlaceError as exc:
            return _error(s, "via", str(exc))  # origin and destination were resolved above
        except NoRouteError as exc:
            return _error(s, "route", str(exc))
        except OptionError as exc:
            return _error(s, _option_field(str(exc)), str(exc))

    def pricing_month(self, s: Shipment) -> str | None:
        """The first day of the shipment's month, inside the dates the price data covers.

        Tariffs, index values and exchange rates are those of the month the shipment leaves
        (so lanes repeat within a month); a date before or after the prices known is priced at
        the first or last date known (a tender for next year is priced at today's rates).
        ``None`` (the network's default date) for an undated shipment.
        """
        book = self.network.tariff_book
        if s.depart is None or book is None:
            return None
        day = s.depart.replace(day=1)
        covered = book.coverage()
        if covered is not None:
            day = min(max(day, covered[0]), covered[1])
        return day.isoformat()

    def _timing(self, key: LaneKey, s: Shipment, route: Route) -> Timing:
        from corridor.uncertainty.api import reliability

        month_key = (key, s.depart.month if s.depart else None)
        rel = self._timings.get(month_key)
        if rel is None:
            runs = self.samples or DEADLINE_SAMPLES
            rel = reliability(route, runs, seed=self.seed, depart=s.depart, network=self.network)
            self._timings[month_key] = rel
        on_time = _on_time(rel.ecdf_h, rel.ecdf_p, s.deadline_h) if s.deadline_h else None
        return Timing(rel.p50_h, rel.p90_h, rel.p95_h, on_time)

    def _reefer(self, key: LaneKey, route: Route) -> ReeferCheck:
        if key not in self._reefers:
            self._reefers[key] = check_reefer(route, self.network, seed=self.seed)
        return self._reefers[key]

    def _lane(self, route: Route) -> LanePlan:
        legs = [self._leg(i + 1, leg, route) for i, leg in enumerate(route.legs)]
        hubs = [self._hub(len(legs) + 1 + i, c, route) for i, c in enumerate(route.crossings)]
        elements = (*legs, *hubs)
        return LanePlan(
            route,
            elements,
            _sums(e for e in elements if e.mode == "air"),
            _sums(e for e in elements if e.mode != "air"),
            sum(e.co2e_wtw_kg for e in hubs),
        )

    def _leg(self, seq: int, leg: Leg, route: Route) -> Element:
        link = self._link(leg)
        factor = self.network.emission_factors[link.vehicle]
        tonnes = route.cargo_tonnes
        return Element(
            seq=seq,
            element="leg",
            origin=leg.origin,
            destination=leg.destination,
            mode=leg.mode,
            category=link.vehicle,
            energy_carrier=energy_carrier(link.vehicle, leg.mode),
            distance_km=leg.distance_km,
            distance_source=link.distance_source or "link distance",
            tonnes=tonnes,
            activity=tonnes * leg.distance_km,
            activity_unit="tkm",
            intensity_wtw=factor.wtw_g_per_tkm * self.network.cargo_types[route.cargo].emission_multiplier,
            intensity_ttw=factor.ttw_g_per_tkm * self.network.cargo_types[route.cargo].emission_multiplier,
            co2e_wtw_kg=leg.co2e_kg,
            co2e_ttw_kg=leg.co2e_ttw_kg,
            cost_usd=leg.cost_usd,
            time_h=leg.time_h,
            source=factor.source,
        )

    def _hub(self, seq: int, c: Crossing, route: Route) -> Element:
        hub = self.network.hub_factors.get(c.kind)
        reefer = self.network.cargo_types[route.cargo].reefer
        unit = hub.unit if hub else "tonne"
        amount = route.teu if unit == "teu" else route.cargo_tonnes
        intensity = (hub.wtw_kg_reefer if reefer else hub.wtw_kg) if hub else 0.0
        return Element(
            seq=seq,
            element="hub",
            origin=c.place,
            destination=c.place,
            mode=c.kind,
            category=hub.hub_category if hub else "no hub",
            energy_carrier="electricity and diesel (site mix)" if intensity else "",
            distance_km=0.0,
            distance_source="",
            tonnes=route.cargo_tonnes,
            activity=amount,
            activity_unit=unit,
            intensity_wtw=intensity,
            intensity_ttw=intensity * (hub.ttw_share if hub else 0.0),
            co2e_wtw_kg=c.co2e_kg,
            co2e_ttw_kg=c.co2e_ttw_kg,
            cost_usd=c.cost_usd,
            time_h=c.time_h,
            source=hub.source if hub else "",
        )

    def _link(self, leg: Leg) -> Link:
        if not self._links:
            for link in self.network.links:
                self._links[(link.from_id, link.to_id, link.mode)] = link
                if link.bidirectional:
                    self._links.setdefault((link.to_id, link.from_id, link.mode), link)
        return self._links[(leg.from_id, leg.to_id, leg.mode)]


def lane_key(s: Shipment) -> LaneKey:
    """What makes two shipments share a route search."""
    return (
        s.origin.strip().lower(),
        s.destination.strip().lower(),
        s.container,
        s.kind == "air",
        frozenset(c.upper() for c in s.avoid_countries),
        frozenset(m.lower() for m in s.avoid_modes),
        frozenset(p.lower() for p in s.avoid_passages),
        tuple(v.lower() for v in s.via),
        s.max_transshipments,
        s.objective,
    )


def lane_options(s: Shipment) -> RouteOptions:
    """Search options for a shipment's lane.

    Air cargo must fly (``air_cargo``, and the route uses the air corridor's links); boxes,
    FCL or a consolidated LCL box, never fly (the search forbids air without ``air_cargo``).
    """
    air = s.kind == "air"
    return RouteOptions(
        cargo=s.container,
        avoid_countries=frozenset(s.avoid_countries),
        avoid_modes=frozenset(s.avoid_modes),
        avoid_passages=frozenset(s.avoid_passages),
        max_transshipments=s.max_transshipments,
        corridor="air" if air else None,
        via=s.via,
        air_cargo=air,
    )


ENERGY: dict[str, str] = {
    "rail_mixed": "electricity and diesel (62 % electric traction)",
    "rail_diesel": "diesel",
    "rail_electric": "electricity",
    "container_ship_large": "VLSFO / HFO",
    "feeder_small": "MGO / VLSFO",
    "truck_artic": "diesel",
    "air_longhaul": "jet kerosene",
    "ferry_ropax_10_20k": "MDO",
}
"""Energy carrier of each GLEC vehicle category in ``emission_factors.csv`` (from its notes)."""


def energy_carrier(vehicle: str, mode: str) -> str:
    """The energy carrier of a vehicle category (``not stated (<mode>)`` for one not listed)."""
    return ENERGY.get(vehicle, f"not stated ({mode})")


def _sums(elements: Iterable[Element]) -> tuple[float, float, float]:
    cost = wtw = ttw = 0.0
    for e in elements:
        cost, wtw, ttw = cost + e.cost_usd, wtw + e.co2e_wtw_kg, ttw + e.co2e_ttw_kg
    return cost, wtw, ttw


def _on_time(ecdf_h: tuple[float, ...], ecdf_p: tuple[float, ...], deadline_h: float) -> float:
    import numpy as np

    return float(np.interp(deadline_h, ecdf_h, ecdf_p, left=0.0, right=1.0))


def _error(s: Shipment, field_name: str, reason: str) -> RowError:
    return RowError(s.line, s.reference, field_name, reason, s.origin, s.destination, s.cargo)


def _for_row(e: RowError, s: Shipment) -> RowError:
    """A lane's error, told for this row (its line and reference)."""
    return RowError(s.line, s.reference, e.field, e.reason, s.origin, s.destination, s.cargo)


def _option_field(message: str) -> str:
    pairs = (
        ("--via", "via"),
        ("country", "avoid_countries"),
        ("mode", "avoid_modes"),
        ("passage", "avoid_passages"),
    )
    for word, name in pairs:
        if word in message:
            return name
    return "cargo" if "cargo" in message else "route"


def plan_shipments(
    items: Iterable[Shipment | RowError],
    *,
    network: Network | None = None,
    samples: int = 0,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    empty_return: bool = False,
) -> list[Outcome]:
    """Plan a batch: one :class:`ShipmentPlan` or :class:`RowError` per input item, in order.

    Parameters
    ----------
    items : iterable of Shipment or RowError
        From :func:`corridor.shipments.reading.read_shipments`.
    network : Network, optional
        Defaults to the embedded network.
    samples : int
        Monte Carlo journeys per lane for P50/P90 and on-time odds (0: none).
    seed : int
        Monte Carlo seed.
    progress : callable, optional
        Called with the number of rows done after each row.
    empty_return : bool
        Add bringing the empty box back to every lane (see :mod:`corridor.pricing.surcharges`).
    """
    planner = BatchPlanner(network or default_network(), samples, seed, empty_return=empty_return)
    return planner.plan_all(items, progress)
