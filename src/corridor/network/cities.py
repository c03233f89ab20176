"""Any city of the region as an origin or destination, reached by road from the nearest terminals.

``cities.csv`` (built by ``tools/cities.py`` from GeoNames, CC BY 4.0) lists every city of 15,000+
people from China to Western Europe with its names in English, Russian, Kazakh, Serbian and
Chinese. A name that is not a network place but is a city becomes a temporary place of kind
``city``, joined by a truck leg (first or last mile) to the nearest sensible terminals; the search
then treats that leg like any road link — timed from ``rates.csv``, priced from ``tariffs.csv`` at
the network's date, emitted from ``emission_factors.csv`` — and the itinerary shows it.

The file is read only when a name is not a network place, so loading the network stays as fast
as before. A name shared by cities (or a place and cities) in several countries raises
:class:`~corridor.errors.AmbiguousPlaceError` listing them; ``"Dimitrovgrad, BG"`` picks one.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.errors import AmbiguousPlaceError, UnknownPlaceError
from corridor.network.model import Link, Network, Place
from corridor.network.places import find_places, normalize, place_index, resolve_place
from corridor.network.resolve import great_circle_km, resolve_link
from corridor.pricing.apply import price_link
from corridor.vocab import Mode, PlaceKind

CITIES_FILE = "cities.csv"
CITY_ROADS_FILE = "city_roads.csv"
CITY_PREFIX = "city_"
"""Start of the id of a city's temporary place (``city_1522203``); no network place id starts so."""
GEONAMES_SOURCE = "GN1"
"""Source id of GeoNames in ``sources.csv`` (coordinates of a city)."""
ROAD_CIRCUITY = 1.3
"""Road distance ÷ great-circle distance for a first/last-mile truck leg the road graph does not
reach (``city_roads.csv`` lacks the city). Measured on the OpenStreetMap highway graph over 21,587
city legs: 1.21 at the median, 1.47 at the 90th percentile (``tools/road_distances.md``); the
cities it misses are remote ones, so the estimate stays above the median."""
FIRST_MILE_KINDS = frozenset({"terminal", "dry_port", "seaport"})
"""Places a truck can hand a container to: not border stations, gauge-change yards or airports."""
MAX_FIRST_MILE_KM = 600.0
"""Farthest terminal (great-circle) a city is joined to within its own country."""
FIRST_MILE_LEGS = 3
"""How many terminals a city is joined to: the search picks the best."""

_SUFFIX = re.compile(r"^(?P<name>.+?)\s*[,(]\s*(?P<cc>[A-Za-z]{2})\s*\)?$")


@dataclass(frozen=True)
class City:
    """A city from the gazetteer: GeoNames id, names, country, WGS84 point, population."""

    geonameid: str
    name: str
    names: tuple[str, ...]
    """Names in English, Russian, Kazakh, Serbian and Chinese (where GeoNames has them)."""
    aliases: tuple[str, ...]
    """Other spellings, for matching only."""
    country: str
    lat: float
    lon: float
    population: int
    name_ru: str = ""
    name_local: str = ""

    @property
    def place_id(self) -> str:
        """Id of the temporary place standing for the city in a search."""
        return f"{CITY_PREFIX}{self.geonameid}"

    @property
    def label(self) -> str:
        """``Kokshetau (KZ, 150,649 people)``, as listed when a name is ambiguous."""
        return f"{self.name} ({self.country}, {self.population:,} people)"

    def as_place(self) -> Place:
        """The city as a network place of kind ``city``."""
        return Place(
            id=self.place_id,
            name=f"{self.name} ({self.country})",
            name_ru=self.name_ru,
            name_local=self.name_local,
            country=self.country,
            kind=PlaceKind.city,
            lat=self.lat,
            lon=self.lon,
            reefer=True,
            aliases=(*self.names, *self.aliases),
            coord_source=GEONAMES_SOURCE,
        )


_LOCAL = {"KZ": "name_kk", "RS": "name_sr", "CN": "name_zh", "RU": "name_ru", "BY": "name_ru", "KG": "name_ru"}


@functools.lru_cache(maxsize=4)
def load_cities(data_dir: str) -> tuple[City, ...]:
    """Every city of ``cities.csv`` in ``data_dir`` (none if the file is absent), read once."""
    path = Path(data_dir) / CITIES_FILE
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(_city(row) for row in csv.DictReader(handle))


def _city(row: dict[str, str]) -> City:
    langs = ("name_en", "name_ru", "name_kk", "name_sr", "name_zh")
    names = tuple(row[k] for k in langs if row[k])
    local = row.get(_LOCAL.get(row["country"], ""), "")
    return City(
        geonameid=row["geonameid"],
        name=row["name"],
        names=names,
        aliases=tuple(a for a in row["aliases"].split(";") if a),
        country=row["country"],
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        population=int(row["population"]),
        name_ru=row["name_ru"],
        name_local=local,
    )


@functools.lru_cache(maxsize=4)
def city_index(data_dir: str) -> dict[str, tuple[City, ...]]:
    """Normalised name in any of the cities' languages → the cities bearing it, most populous first."""
    return _index(load_cities(data_dir), lambda c: (c.name, *c.names))


@functools.lru_cache(maxsize=4)
def alias_index(data_dir: str) -> dict[str, tuple[City, ...]]:
    """Normalised other spelling → the cities bearing it; built only when a name is not found
    among the cities' own names (it holds most of the gazetteer's 250,000 names)."""
    return _index(load_cities(data_dir), lambda c: c.aliases)


def _index(cities: Iterable[City], names: Callable[[City], Iterable[str]]) -> dict[str, tuple[City, ...]]:
    index: dict[str, list[City]] = {}
    for city in sorted(cities, key=lambda c: -c.population):
        for name in {normalize(n) for n in names(city)}:
            index.setdefault(name, []).append(city)
    return {k: tuple(v) for k, v in index.items()}


def find_cities(network: Network, query: str) -> tuple[City, ...]:
    """Cities whose name in any language (or, failing that, another spelling) is exactly
    ``query``, most populous first."""
    key = normalize(query)
    return city_index(network.data_dir).get(key) or alias_index(network.data_dir).get(key, ())


def resolve_endpoint(network: Network, query: str) -> Place | City:
    """The network place or the city ``query`` names.

    Network places come first. A place is still ambiguous when cities of other countries share
    the name and either the name is only an alias of the place (``Serakhs``) or a city abroad is
    bigger than the place's own town (``Dimitrovgrad``: the Serbian border station against the
    Bulgarian and Russian cities); ``Brest`` stays the Belarusian gateway, the larger Brest. A
    city name found in several countries is ambiguous too. ``"Name, CC"`` or ``"Name (CC)"``
    restricts the match to one country. A place id as ``corridor places`` lists it (``dimitrovgrad_rs``)
    always means that place.

    Raises
    ------
    AmbiguousPlaceError
        If the name fits places or cities in more than one country (the options are listed).
    UnknownPlaceError
        If it fits neither a place nor a city (with suggestions).
    """
    if query in network.places:  # a place id (``dimitrovgrad``) is an exact reference
        return network.places[query]
    name, country = _split_country(query)
    places = [p for p in place_index(network).get(normalize(name), ()) if country in (None, p.country)]
    found = tuple(c for c in find_cities(network, name) if country in (None, c.country))
    places, cities = _cities_as_places(network, places, found)
    if len(places) > 1:  # two places share the name (Dimitrovgrad RS/BG): list them and the cities abroad
        abroad = [c.label for c in cities if c.country not in {p.country for p in places}]
        raise AmbiguousPlaceError(query, [*((p.id, p.name, p.country) for p in places), *abroad])
    place = places[0] if places else None
    if place is not None and country is not None:
        return place
    if place is not None and country is None:
        return _place_unless_ambiguous(query, name, place, found)
    if not cities and country is None:
        raise _unknown(network, query)
    if not cities:
        elsewhere = [c.label for c in find_cities(network, name)]
        raise UnknownPlaceError(query, elsewhere or [p.name for p in find_places(network, name, limit=5)])
    if len({c.country for c in cities}) > 1:
        raise AmbiguousPlaceError(query, [c.label for c in cities])
    return cities[0]


def _cities_as_places(
    network: Network, places: list[Place], cities: tuple[City, ...]
) -> tuple[list[Place], tuple[City, ...]]:
    """A city that is a network place (``place_names.csv`` links them) is that place: ``塔什干``
    or ``Taschkent`` name the Tashkent terminal, with no truck leg to it."""
    linked = places_by_geonameid(network)
    same = [linked[c.geonameid] for c in cities if c.geonameid in linked]
    return [*places, *(p for p in same if p not in places)], tuple(c for c in cities if c.geonameid not in linked)


def places_by_geonameid(network: Network) -> dict[str, Place]:
    """GeoNames id → the network place that is that city."""
    return {p.geonameid: p for p in network.places.values() if p.geonameid}


TOWN_RADIUS_KM = 50.0
"""A place lies in a city of its own country when closer than this to the city's point."""


def _place_unless_ambiguous(query: str, name: str, place: Place, cities: tuple[City, ...]) -> Place:
    others = [c for c in cities if c.country != place.country]
    if not others:
        return place
    own = [
        c.population
        for c in cities
        if c.country == place.country and great_circle_km(c.lat, c.lon, place.lat, place.lon) < TOWN_RADIUS_KM
    ]
    primary = normalize(name) in {normalize(n) for n in (place.name, place.id, place.locode or "")}
    primary = primary or any(c.geonameid == place.geonameid for c in cities)  # its own city's name
    if primary and max(own, default=0) >= max(c.population for c in others):
        return place
    kind = place.kind.replace("_", " ")
    raise AmbiguousPlaceError(query, [f"{place.name}: {kind} in {place.country}", *(c.label for c in others)])


def _unknown(network: Network, query: str) -> UnknownPlaceError:
    """An unknown name: how many places and cities there are, close names, places of the country."""
    try:
        resolve_place(network, query)
    except UnknownPlaceError as exc:
        by_name = exc.suggestions
    else:  # pragma: no cover - resolve_endpoint only calls this when no place matched
        by_name = []
    cities = load_cities(network.data_dir)
    linked = places_by_geonameid(network)  # a city that is a place is suggested once, as the place
    names = {normalize(c.name): c for c in sorted(cities, key=lambda c: c.population) if c.geonameid not in linked}
    close = [names[n] for n in difflib.get_close_matches(normalize(query), names, n=3, cutoff=0.75)]
    note = f"The network has {len(network.places)} places"
    note += f" and knows {len(cities):,} cities." if cities else "."
    if close:
        city = close[0]
        nearest = sorted(
            (p for p in network.places.values() if p.country == city.country and p.kind in FIRST_MILE_KINDS),
            key=lambda p: great_circle_km(city.lat, city.lon, p.lat, p.lon),
        )[:3]
        if nearest:
            note += f" Near {city.name} ({city.country}): {', '.join(p.name for p in nearest)}."
    suggestions = [*by_name, *(f"{c.name}, {c.country}" for c in close)]
    return UnknownPlaceError(query, list(dict.fromkeys(suggestions))[:6], note)


def cities_matching(network: Network, query: str, countries: Iterable[str] = (), limit: int = 20) -> list[City]:
    """Cities whose name in any language is, starts with or contains ``query``; most populous first
    within each of those tiers. ``countries`` (ISO codes) restricts them."""
    q = normalize(query)
    wanted = set(countries)
    if not q:
        return []
    own = city_index(network.data_dir)

    def other() -> dict[str, tuple[City, ...]]:
        return alias_index(network.data_dir)

    tiers: tuple[Callable[[], Iterable[tuple[City, ...]]], ...] = (
        lambda: [own.get(q, ())],
        lambda: [cs for n, cs in own.items() if n.startswith(q)],
        lambda: [other().get(q, ())],
        lambda: [cs for n, cs in other().items() if n.startswith(q)],
        lambda: [cs for n, cs in own.items() if q in n],
    )
    found: dict[str, City] = {}
    linked = places_by_geonameid(network)
    for tier in tiers:
        for city in sorted((c for cs in tier() for c in cs), key=lambda c: -c.population):
            if (not wanted or city.country in wanted) and city.geonameid not in linked:
                found.setdefault(city.geonameid, city)
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


def _split_country(query: str) -> tuple[str, str | None]:
    match = _SUFFIX.match(query.strip())
    if match is None:
        return query, None
    return match["name"], match["cc"].upper()


@functools.lru_cache(maxsize=4)
def load_city_roads(data_dir: str) -> dict[str, tuple[tuple[str, float, str], ...]]:
    """GeoNames id → ``(place id, road km, source id)`` of the city's first/last-mile legs, nearest
    first: measured on the OpenStreetMap highway graph (``OSM2``) or published (``city_roads.csv``,
    built by ``tools/road_distances.py``); read once, only when a city is used."""
    path = Path(data_dir) / CITY_ROADS_FILE
    if not path.is_file():
        return {}
    out: dict[str, list[tuple[str, float, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["geonameid"], []).append((row["place"], float(row["road_km"]), row["source"]))
    return {k: tuple(v) for k, v in out.items()}


def is_city_leg(leg: Any) -> bool:
    """Whether a route leg (anything with ``from_id`` and ``to_id``) is a city's first/last mile."""
    return any(str(end).startswith(CITY_PREFIX) for end in (leg.from_id, leg.to_id))


def first_mile_links(network: Network, city: City) -> tuple[Link, ...]:
    """Truck legs from ``city`` to its nearest container terminals, resolved (time, tariff).

    The :data:`FIRST_MILE_LEGS` terminals, ports and dry ports (not border or gauge-change
    stations) nearest *by road* as measured in ``city_roads.csv`` (source ``OSM2``). A city the
    file does not cover gets the nearest ones by straight line in its own country within
    :data:`MAX_FIRST_MILE_KM` (any country if none), at great-circle × :data:`ROAD_CIRCUITY`.
    Each leg's ``notes`` say which terminal it reaches and why it was chosen.
    """
    here = city.as_place()
    measured = [
        (km, network.places[pid], source)
        for pid, km, source in load_city_roads(network.data_dir).get(city.geonameid, ())
        if pid in network.places
    ]
    chosen = measured or _nearest_by_line(network, city)
    with_city = dataclasses.replace(network, places={**network.places, here.id: here})
    return tuple(
        price_link(with_city, resolve_link(with_city, _road(city, place, km, source, rank)))
        for rank, (km, place, source) in enumerate(chosen, 1)
    )


def _nearest_by_line(network: Network, city: City) -> list[tuple[float, Place, str]]:
    ranked = sorted(
        (great_circle_km(city.lat, city.lon, p.lat, p.lon), p)
        for p in network.places.values()
        if p.kind in FIRST_MILE_KINDS
    )
    home = [(km, p) for km, p in ranked if p.country == city.country and km <= MAX_FIRST_MILE_KM]
    return [(km, p, "") for km, p in (home or ranked)[:FIRST_MILE_LEGS]]


def _road(city: City, place: Place, km: float, source: str, rank: int) -> Link:
    """A first/last-mile truck leg; ``km`` is road km from ``source``, or great-circle km if it is ""."""
    why = f"first/last mile: {place.name} is the {_ORDINAL[rank]}nearest container {place.kind.replace('_', ' ')}"
    if source:
        return Link(
            from_id=city.place_id,
            to_id=place.id,
            mode=Mode.road,
            vehicle="truck_artic",
            distance_km=max(km, 1.0),
            distance_source=source,
            notes=f"{why} to {city.name} by road ({source})",
        )
    return Link(
        from_id=city.place_id,
        to_id=place.id,
        mode=Mode.road,
        vehicle="truck_artic",
        distance_km=max(round(km * ROAD_CIRCUITY), 1),
        distance_source=f"estimate: great-circle {km:.0f} km x {ROAD_CIRCUITY:g} road circuity, first/last mile",
        notes=f"{why} to {city.name} in a straight line (no road measurement for this city)",
    )


_ORDINAL = {1: "", 2: "second-", 3: "third-", 4: "fourth-", 5: "fifth-"}


_WITH: dict[tuple[int, tuple[str, ...]], tuple[Network, Network]] = {}


def with_cities(network: Network, cities: Iterable[City]) -> Network:
    """``network`` plus each city as a place with its first/last-mile truck legs.

    The result is cached per network and set of cities, so repeated queries reuse one object
    (and with it the compiled search graph).
    """
    chosen = tuple(sorted({c.geonameid: c for c in cities}.values(), key=lambda c: c.geonameid))
    if not chosen:
        return network
    key = (id(network), tuple(c.geonameid for c in chosen))
    hit = _WITH.get(key)
    if hit is not None and hit[0] is network:
        return hit[1]
    places = dict(network.places)
    links = list(network.links)
    for city in chosen:
        places[city.place_id] = city.as_place()
        links.extend(first_mile_links(network, city))
    augmented = dataclasses.replace(network, places=places, links=tuple(links))
    if len(_WITH) > 64:
        _WITH.clear()
    _WITH[key] = (network, augmented)
    return augmented


def resolve_stops(network: Network, names: Iterable[str]) -> tuple[Network, list[Place]]:
    """Resolve a query's places (origin, via places, destination); cities come back as places of
    the returned network, which has their first/last-mile legs."""
    found = [resolve_endpoint(network, q) for q in names]
    net = with_cities(network, [e for e in found if isinstance(e, City)])
    return net, [net.places[e.place_id] if isinstance(e, City) else e for e in found]
