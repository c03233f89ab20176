"""Routes as a shipper reads them: legs, crossings and totals, convertible to tables and maps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from corridor.network.model import CORRIDOR_TAGS, Network
from corridor.network.resolve import find_lane
from corridor.network.sailings import wait_rule
from corridor.routing.graph import Event, SearchGraph
from corridor.routing.pareto import ParetoPath

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DIRECT",
    "Crossing",
    "Leg",
    "Route",
    "Surcharge",
    "build_route",
    "classify",
    "cost_bounds",
    "routes_geojson",
    "services",
]


@dataclass(frozen=True)
class Leg:
    """One link of a route: a train, truck, ferry, ship or flight between two places."""

    origin: str
    destination: str
    mode: str
    distance_km: float
    wait_h: float
    time_h: float
    cost_usd: float
    co2e_kg: float
    co2e_ttw_kg: float
    corridor: str
    coordinates: tuple[tuple[float, float], ...]
    from_id: str = ""
    to_id: str = ""
    departures_per_week: float | None = None
    """Sailings or flights a week (``None`` for a train or truck that leaves when loaded)."""
    passages: tuple[str, ...] = ()
    """Sea passages the leg sails through (``suez``, ``babalmandab`` …), as the sea-lane data names them."""
    countries: tuple[str, str] = ("", "")
    """ISO codes of the countries of the leg's two ends."""
    tariff_source: str = ""
    """Which dated tariff, index value and exchange rate priced the leg, and how old they were."""
    wait_model: str = ""
    """How ``wait_h`` was set: ``"timetable"`` (half the published interval), ``"when_full"`` (half
    the time a ship's load takes to gather at the cargo offered, :mod:`corridor.network.sailings`)
    or ``""`` (no wait for a departure)."""
    cost_low_usd: float | None = None
    """The low end of ``cost_usd`` where sources disagree or the tariff is an estimate (``None``: no range)."""
    cost_high_usd: float | None = None
    """The high end."""
    tariff_as_of: str = ""
    """ISO date of the oldest price behind the leg (index value or tariff), "" if undated."""
    notes: str = ""
    """The link's notes: for a city's first/last mile, which terminal it reaches and why."""

    def to_dict(self) -> dict[str, Any]:
        """The leg as in the JSON output (``from``, ``to`` … see docs/guide/json.md)."""
        return {
            "from": self.origin,
            "to": self.destination,
            "mode": self.mode,
            "distance_km": round(self.distance_km, 1),
            "time_h": round(self.time_h, 2),
            "wait_h": round(self.wait_h, 2),
            "cost_usd": round(self.cost_usd, 2),
            "cost_usd_low": round(_low(self), 2),
            "cost_usd_high": round(_high(self), 2),
            "co2e_kg": round(self.co2e_kg, 2),
            "tariff": self.tariff_source,
            "departures_per_week": None if self.departures_per_week is None else round(self.departures_per_week, 2),
            "wait_model": self.wait_model,
            "tariff_as_of": self.tariff_as_of,
        }


@dataclass(frozen=True)
class Crossing:
    """Time, cost and hub emissions at a place: a border, gauge change, transshipment or port call.

    A border is crossed on a link between two countries: ``countries`` names them in the
    direction travelled and ``link`` the places at the link's ends; ``place`` is the end whose
    ``node_times.csv`` row prices the stop (see :mod:`corridor.routing.borders`). ``co2e_kg``
    (WTW) and ``co2e_ttw_kg`` are the hub operation's emissions (ISO 14083 hub operation
    category, GLEC default per TEU or tonne handled); a border handles no freight.
    """

    place: str
    kind: str
    time_h: float
    cost_usd: float
    place_id: str = ""
    co2e_kg: float = 0.0
    co2e_ttw_kg: float = 0.0
    countries: tuple[str, ...] = ()
    link: tuple[str, ...] = ()
    cost_low_usd: float | None = None
    """The low end of ``cost_usd`` (``None``: no range)."""
    cost_high_usd: float | None = None

    @property
    def label(self) -> str:
        """How a shipper names it: ``UZ → TM border (Tashkent – Turkmenabat)``, or the place."""
        if self.countries and self.link:
            return f"{self.countries[0]} → {self.countries[1]} border ({self.link[0]} – {self.link[1]})"
        return self.place

    def to_dict(self) -> dict[str, Any]:
        """The crossing as in the JSON output (a border adds ``from_country``, ``to_country``)."""
        row: dict[str, Any] = {
            "place": self.place,
            "kind": self.kind,
            "time_h": round(self.time_h, 2),
            "cost_usd": round(self.cost_usd, 2),
            "cost_usd_low": round(_low(self), 2),
            "cost_usd_high": round(_high(self), 2),
            "co2e_kg": round(self.co2e_kg, 2),
            "co2e_ttw_kg": round(self.co2e_ttw_kg, 2),
        }
        if self.countries:
            row["from_country"], row["to_country"] = self.countries
        return row


@dataclass(frozen=True)
class Surcharge:
    """A charge on the whole route rather than on a leg or a place, asked for as an option
    (``empty-return``: bringing the shipper's empty box back, see :mod:`corridor.pricing.surcharges`)."""

    kind: str
    cost_usd: float
    cost_low_usd: float
    cost_high_usd: float
    source: str

    def to_dict(self) -> dict[str, Any]:
        """The surcharge as in the JSON output."""
        return {
            "kind": self.kind,
            "cost_usd": round(self.cost_usd, 2),
            "cost_usd_low": round(self.cost_low_usd, 2),
            "cost_usd_high": round(self.cost_high_usd, 2),
            "source": self.source,
        }


@dataclass(frozen=True)
class Route:
    """A door-to-door route with its itinerary and totals."""

    origin: str
    destination: str
    corridor: str
    cargo: str
    legs: tuple[Leg, ...]
    crossings: tuple[Crossing, ...]
    transshipments: int
    cargo_tonnes: float
    teu: int
    places: tuple[str, ...] = field(default=())
    priced_at: str = ""
    """ISO date the tariffs are taken at (``corridor.pricing``)."""
    surcharges: tuple[Surcharge, ...] = ()
    """Route-wide charges asked for (empty return); counted in the totals."""

    @property
    def total_time_h(self) -> float:
        """Door-to-door hours: legs (waiting + running) and time at places."""
        return sum(leg.time_h for leg in self.legs) + sum(c.time_h for c in self.crossings)

    @property
    def total_time_days(self) -> float:
        """Door-to-door days."""
        return self.total_time_h / 24

    @property
    def total_cost_usd(self) -> float:
        """Tariffs of the legs plus charges at places and surcharges."""
        parts = sum(leg.cost_usd for leg in self.legs) + sum(c.cost_usd for c in self.crossings)
        return parts + sum(s.cost_usd for s in self.surcharges)

    @property
    def total_cost_low_usd(self) -> float:
        """The low end of the total: every leg and charge at its low end at once.

        Whether the sources of different legs move together or apart is not known, so the range
        is the widest the parts allow, not a confidence interval."""
        parts = sum(_low(leg) for leg in self.legs) + sum(_low(c) for c in self.crossings)
        return parts + sum(s.cost_low_usd for s in self.surcharges)

    @property
    def total_cost_high_usd(self) -> float:
        """The high end of the total (every part at its high end)."""
        parts = sum(_high(leg) for leg in self.legs) + sum(_high(c) for c in self.crossings)
        return parts + sum(s.cost_high_usd for s in self.surcharges)

    @property
    def co2e_kg(self) -> float:
        """Well-to-wheel emissions of the transport chain: legs plus hubs (ISO 14083)."""
        return sum(leg.co2e_kg for leg in self.legs) + self.co2e_hub_kg

    @property
    def co2e_ttw_kg(self) -> float:
        """Tank-to-wheel emissions: legs plus hubs."""
        return sum(leg.co2e_ttw_kg for leg in self.legs) + sum(c.co2e_ttw_kg for c in self.crossings)

    @property
    def co2e_hub_kg(self) -> float:
        """Well-to-wheel emissions at hubs (ports, gauge changes, transshipments)."""
        return sum(c.co2e_kg for c in self.crossings)

    @property
    def distance_km(self) -> float:
        """Length of all legs."""
        return sum(leg.distance_km for leg in self.legs)

    @property
    def transit_countries(self) -> frozenset[str]:
        """Countries the route passes between its origin's and its destination's."""
        ends = {self.legs[0].countries[0], self.legs[-1].countries[1]}
        return frozenset(c for leg in self.legs for c in leg.countries) - ends

    @property
    def passages(self) -> frozenset[str]:
        """Sea passages of all legs."""
        return frozenset(p for leg in self.legs for p in leg.passages)

    def time_by(self, kind: str) -> float:
        """Hours spent at places of one crossing kind (``border``, ``port`` …)."""
        return sum(c.time_h for c in self.crossings if c.kind == kind)

    @property
    def services(self) -> tuple[Leg, ...]:
        """The legs with consecutive legs of one service merged (see :func:`services`)."""
        return services(self.legs, self.crossings)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        """The route as in the JSON output; keys are documented in docs/guide/json.md and kept stable.

        ``legs`` lists one entry per service (a line cut into many links is one leg); with
        ``detail`` one entry per link. ``first_last_mile`` says, for each city end, which
        terminal the city was joined to and why (the table output prints the same note).
        """
        legs = self.legs if detail else self.services
        return {
            "corridor": self.corridor,
            "total_time_h": round(self.total_time_h, 2),
            "total_cost_usd": round(self.total_cost_usd, 2),
            "total_cost_usd_low": round(self.total_cost_low_usd, 2),
            "total_cost_usd_high": round(self.total_cost_high_usd, 2),
            "co2e_kg": round(self.co2e_kg, 2),
            "co2e_ttw_kg": round(self.co2e_ttw_kg, 2),
            "co2e_hub_kg": round(self.co2e_hub_kg, 2),
            "co2e_kg_per_teu": round(self.co2e_kg / self.teu, 2),
            "co2e_kg_per_tonne": round(self.co2e_kg / self.cargo_tonnes, 2),
            "distance_km": round(self.distance_km, 1),
            "transshipments": self.transshipments,
            "priced_at": self.priced_at,
            "legs": [leg.to_dict() for leg in legs],
            "crossings": [c.to_dict() for c in self.crossings],
            "surcharges": [s.to_dict() for s in self.surcharges],
            "first_last_mile": self.first_last_mile,
        }

    @property
    def first_last_mile(self) -> list[dict[str, str]]:
        """``[{"from", "to", "note"}]`` per city leg: the terminal a city end was joined to, and why."""
        from corridor.network.cities import is_city_leg

        return [{"from": leg.origin, "to": leg.destination, "note": leg.notes} for leg in self.legs if is_city_leg(leg)]

    def to_dataframe(self) -> pd.DataFrame:
        """One row per leg, then one per crossing (``kind`` says which)."""
        import pandas as pd

        rows = [{"kind": "leg", **leg.to_dict()} for leg in self.legs]
        rows += [{"kind": c.kind, "from": c.place, "to": c.place, **c.to_dict()} for c in self.crossings]
        frame = pd.DataFrame(rows)
        return frame.drop(columns=["place"], errors="ignore")

    def to_geojson(self) -> dict[str, Any]:
        """A FeatureCollection: one LineString per leg, properties as in :meth:`Leg.to_dict`."""
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in leg.coordinates]},
                "properties": {**leg.to_dict(), "corridor": self.corridor},
            }
            for leg in self.legs
        ]
        return {"type": "FeatureCollection", "features": features, "properties": _summary(self)}


def cost_bounds(part: Leg | Crossing) -> tuple[float, float]:
    """``(low, high)`` USD of a leg or crossing (its point cost twice when it has no range)."""
    return _low(part), _high(part)


def _low(part: Leg | Crossing) -> float:
    return part.cost_usd if part.cost_low_usd is None else part.cost_low_usd


def _high(part: Leg | Crossing) -> float:
    return part.cost_usd if part.cost_high_usd is None else part.cost_high_usd


def routes_geojson(routes: Iterable[Route]) -> dict[str, Any]:
    """Several routes' legs as one FeatureCollection; ``properties.route`` numbers the route."""
    features = []
    for n, r in enumerate(routes):
        for feature in r.to_geojson()["features"]:
            feature["properties"]["route"] = n
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _summary(route: Route) -> dict[str, Any]:
    data = route.to_dict()
    return {k: v for k, v in data.items() if k not in ("legs", "crossings")}


DIRECT = "Direct"
"""Name of routes that use only shared links (e.g. Poti–Baku by rail): no corridor applies."""


def classify(tags: set[str]) -> str:
    """The corridor of a route from the corridor tags of its links (first in priority order)."""
    for tag, name in CORRIDOR_TAGS.items():
        if tag in tags:
            return name
    return DIRECT


def build_route(graph: SearchGraph, path: ParetoPath, origin: str, destination: str) -> Route:
    """Turn a search result into a :class:`Route` with named places, legs and crossings."""
    network = graph.network
    names = {pid: p.name for pid, p in network.places.items()}
    legs: list[Leg] = []
    events: list[Event] = list(graph.start_events(graph.arcs[path.arcs[0]]))
    for k, i in enumerate(path.arcs):
        arc = graph.arcs[i]
        if k > 0:
            events += graph.step(path.arcs[k - 1], i).events
        events += arc.events
        link = arc.link
        a, b = network.places[link.from_id], network.places[link.to_id]
        lane = find_lane(network, link) if link.sea_route else None
        coords = lane.coordinates if lane else ((a.lon, a.lat), (b.lon, b.lat))
        if lane and lane.from_id != link.from_id:
            coords = tuple(reversed(coords))
        legs.append(
            Leg(
                origin=names[link.from_id],
                destination=names[link.to_id],
                mode=link.mode,
                distance_km=link.distance_km or 0.0,
                wait_h=arc.wait_h,
                time_h=arc.wait_h + arc.run_h,
                cost_usd=arc.cost_usd,
                co2e_kg=arc.co2e_kg,
                co2e_ttw_kg=arc.co2e_ttw_kg,
                corridor=CORRIDOR_TAGS.get(link.corridor, ""),
                coordinates=coords,
                from_id=link.from_id,
                to_id=link.to_id,
                departures_per_week=link.frequency_per_week,
                passages=link.passages,
                countries=(a.country, b.country),
                tariff_source=link.tariff_source,
                wait_model=wait_rule(network, link),
                tariff_as_of=link.tariff_as_of,
                cost_low_usd=arc.cost_usd * arc.cost_range[0],
                cost_high_usd=arc.cost_usd * arc.cost_range[1],
                notes=link.notes,
            )
        )
    events += graph.end_events(graph.arcs[path.arcs[-1]])
    crossings = _merge(events, network)
    places = (network.places[origin].name, *(leg.destination for leg in legs))
    return Route(
        origin=names[origin],
        destination=names[destination],
        corridor=classify({graph.arcs[i].link.corridor for i in path.arcs}),
        cargo=graph.cargo.id,
        legs=tuple(legs),
        crossings=crossings,
        transshipments=path.transshipments,
        cargo_tonnes=graph.cargo.cargo_tonnes,
        teu=graph.cargo.teu,
        places=places,
        priced_at=network.priced_at,
    )


def _merge(events: list[Event], network: Network) -> tuple[Crossing, ...]:
    """One crossing per place, kind and border, in route order (a gauge change and a border at one
    station stay two crossings; entering and leaving a country at one station are two borders)."""
    merged: dict[tuple[str, str, tuple[str, ...]], list[float]] = {}
    for e in events:
        acc = merged.setdefault((e.place, e.kind, e.link), [0.0] * 6)
        acc[0] += e.time_h
        acc[1] += e.cost_usd
        acc[2] += e.co2e_kg
        acc[3] += e.co2e_ttw_kg
        acc[4] += e.cost_usd * e.cost_range[0]
        acc[5] += e.cost_usd * e.cost_range[1]
    return tuple(_crossing(network, *key, sums) for key, sums in merged.items())


def _crossing(network: Network, place: str, kind: str, link: tuple[str, ...], sums: list[float]) -> Crossing:
    """One crossing from its summed ``[hours, USD, kg WTW, kg TTW, low USD, high USD]``."""
    time_h, usd, wtw, ttw, low, high = sums
    name = network.places[place].name
    if len(link) != 2:
        return Crossing(name, kind, time_h, usd, place, wtw, ttw, cost_low_usd=low, cost_high_usd=high)
    a, b = network.places[link[0]], network.places[link[1]]
    countries, ends = (a.country, b.country), (a.name, b.name)
    return Crossing(name, kind, time_h, usd, place, wtw, ttw, countries, ends, low, high)


def services(legs: Sequence[Leg], crossings: Iterable[Crossing]) -> tuple[Leg, ...]:
    """Legs with each run of one service merged into one leg.

    Two consecutive legs belong to one service when they have the same mode, nothing happens to
    the container where they meet (no border, gauge change, port call or transshipment there)
    and the second has no timetable of its own (a sailing or flight waits for its departure):
    the same train or truck simply runs on. So a line cut into fifty links between two stations
    reads as one leg, and what is uncertain about it (see :mod:`corridor.uncertainty.journey`)
    is drawn once, not fifty times. Totals are sums; the wait is the first leg's.
    """
    stops = {c.place_id for c in crossings}
    runs: list[list[Leg]] = []
    for leg in legs:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and leg.mode == last.mode
            and leg.from_id not in stops
            and not leg.departures_per_week
            and leg.from_id == last.to_id
        ):
            runs[-1].append(leg)
        else:
            runs.append([leg])
    return tuple(run[0] if len(run) == 1 else _joined(run) for run in runs)


def _joined(run: Sequence[Leg]) -> Leg:
    first, last = run[0], run[-1]
    coordinates = list(first.coordinates)
    for leg in run[1:]:
        coordinates += leg.coordinates[1:] if leg.coordinates[:1] == tuple(coordinates[-1:]) else leg.coordinates
    return replace(
        first,
        destination=last.destination,
        to_id=last.to_id,
        distance_km=sum(leg.distance_km for leg in run),
        time_h=sum(leg.time_h for leg in run),
        wait_h=sum(leg.wait_h for leg in run),
        cost_usd=sum(leg.cost_usd for leg in run),
        cost_low_usd=sum(_low(leg) for leg in run),
        cost_high_usd=sum(_high(leg) for leg in run),
        co2e_kg=sum(leg.co2e_kg for leg in run),
        co2e_ttw_kg=sum(leg.co2e_ttw_kg for leg in run),
        corridor=next((leg.corridor for leg in run if leg.corridor), ""),
        coordinates=tuple(coordinates),
        tariff_source="; ".join(dict.fromkeys(leg.tariff_source for leg in run if leg.tariff_source)),
        tariff_as_of=min((leg.tariff_as_of for leg in run if leg.tariff_as_of), default=""),
    )
