"""Find places by any of their names: English, Russian, local, aliases or UN/LOCODE.

Matching ignores case and diacritics, so ``nis`` finds Niš, ``kapikule`` finds Kapıkule and
``белград`` finds Belgrade. An unknown name raises :class:`~corridor.errors.UnknownPlaceError`
with the nearest names as suggestions. A name shared by several places at the same rank (a
place's own name, id or LOCODE ranks above its Russian, local and alias names) raises
:class:`~corridor.errors.AmbiguousPlaceError` listing them with their countries: "Dimitrovgrad"
is a town in Serbia and one in Bulgaria, and the answer must not silently pick one.
"""

from __future__ import annotations

import difflib
import unicodedata
import weakref

from corridor.errors import AmbiguousPlaceError, Problem, UnknownPlaceError
from corridor.network.model import Network, Place, PlaceName

__all__ = ["PLACE_NAMES_FILE", "attach_names", "find_places", "normalize", "place_index", "resolve_place"]

PLACE_NAMES_FILE = "place_names.csv"
"""Optional data file: each place's names from GeoNames, built by ``tools/place_names.py``."""

# Letters NFKD does not decompose to an ASCII base.
_FOLD = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ə": "a", "ё": "е"})


def normalize(name: str) -> str:
    """Case- and accent-insensitive form of a name, used for matching."""
    if name.isascii():  # most names: no accents to strip (the gazetteer's index is built from 250k)
        return " ".join(name.lower().replace("-", " ").replace("'", "").split())
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(kept.replace("-", " ").replace("'", "").replace("’", "").split())


_INDEXES: dict[int, dict[str, tuple[Place, ...]]] = {}
"""Name index per live network (by ``id``): building it normalises every name, which cost more
than the route search itself when done on every call. An entry goes when its network is collected."""


def _index(network: Network) -> dict[str, tuple[Place, ...]]:
    """Normalised name → the places it names at its best rank (usually one)."""
    key = id(network)
    index = _INDEXES.get(key)
    if index is None:
        ranked: dict[str, tuple[int, list[Place]]] = {}
        for place in network.places.values():
            for rank, name in _ranked_names(place):
                best, places = ranked.get(normalize(name), (rank, []))
                if rank < best:
                    ranked[normalize(name)] = (rank, [place])
                elif rank == best and place not in places:
                    ranked[normalize(name)] = (rank, [*places, place])
        index = {name: tuple(places) for name, (_, places) in ranked.items()}
        _INDEXES[key] = index
        weakref.finalize(network, _INDEXES.pop, key, None)
    return index


def place_index(network: Network) -> dict[str, tuple[Place, ...]]:
    """Normalised name (any language, alias, LOCODE or id) → the places it names at its best rank,
    built once per network."""
    return _index(network)


def _ranked_names(place: Place) -> list[tuple[int, str]]:
    """A place's names with their rank: 0 for its own name, id and LOCODE, 1 for the others."""
    own = {place.name, place.id, place.locode or ""}
    return [(0 if name in own else 1, name) for name in place.names()]


def find_places(network: Network, query: str, limit: int = 10) -> list[Place]:
    """Places whose name, alias or LOCODE matches ``query``.

    Parameters
    ----------
    network : Network
        The loaded network.
    query : str
        Any part of a name in any of the place's languages, or a LOCODE.
    limit : int
        Most places to return.

    Returns
    -------
    list of Place
        Only the places bearing exactly the query as a name, alias, id or LOCODE, if any
        (``KZALA`` is Almaty alone; ``Baku`` the terminal and the port); otherwise names that
        start with the query, then names that contain it, then close spellings. Each place once.
    """
    q = normalize(query)
    if not q:
        return []
    index = _index(network)
    ranked: list[Place] = []
    tiers = (
        [p for p in network.places.values() if q in {normalize(n) for n in p.names()}],  # at any rank
        [p for n, ps in index.items() if n.startswith(q) for p in ps],
        [p for n, ps in index.items() if q in n for p in ps],
        [p for n in difflib.get_close_matches(q, index, n=limit, cutoff=0.75) for p in index[n]],
    )
    for tier in tiers:
        for p in tier:  # one place matches by several names: list it once
            if p not in ranked:
                ranked.append(p)
        if tier is tiers[0] and ranked:  # an exact name is the answer, not a prefix of others
            break
    return ranked[:limit]


def resolve_place(network: Network, query: str) -> Place:
    """The one place ``query`` names.

    Raises
    ------
    AmbiguousPlaceError
        If the name fits several places equally well; it lists them with their countries and ids.
    UnknownPlaceError
        If no name matches exactly (ignoring case and accents); it suggests the nearest names.
    """
    index = _index(network)
    places = index.get(normalize(query), ())
    if len(places) == 1:
        return places[0]
    if places:
        raise AmbiguousPlaceError(query, [(p.id, p.name, p.country) for p in places])
    close = difflib.get_close_matches(normalize(query), index, n=8, cutoff=0.6)
    partial = find_places(network, query, limit=3)
    suggestions: list[str] = []
    for p in partial + [p for n in close for p in index[n]]:
        if p.name not in suggestions:
            suggestions.append(p.name)
    raise UnknownPlaceError(query, suggestions[:5])


def attach_names(
    places: dict[str, Place], rows: list[tuple[int, PlaceName]], sources: set[str]
) -> tuple[dict[str, Place], list[Problem]]:
    """``places`` with the names of :data:`PLACE_NAMES_FILE` added (``geonameid``, ``gazetteer_names``).

    Returns the places and the rows' defects (file, line, field): an unknown place id or source,
    a second GeoNames id for one place or a second place for one GeoNames id, a name given twice.
    """
    problems: list[Problem] = []
    names: dict[str, list[str]] = {}
    gid: dict[str, str] = {}
    seen: set[tuple[str, str, str]] = set()
    for line, row in rows:
        fault = _name_fault(row, places, sources, gid, seen)
        if fault:
            problems.append(Problem(PLACE_NAMES_FILE, line, *fault))
            continue
        gid[row.id] = row.geonameid
        seen.add((row.id, row.lang, row.name))
        names.setdefault(row.id, []).append(row.name)
    updated = {
        pid: p.model_copy(update={"geonameid": gid[pid], "gazetteer_names": tuple(names[pid])}) if pid in gid else p
        for pid, p in places.items()
    }
    return updated, problems


def _name_fault(
    row: PlaceName, places: dict[str, Place], sources: set[str], gid: dict[str, str], seen: set[tuple[str, str, str]]
) -> tuple[str, str] | None:
    if row.id not in places:
        return "id", f"no place '{row.id}' in places.csv"
    if row.source not in sources:
        return "source", f"no source '{row.source}' in sources.csv"
    if gid.get(row.id, row.geonameid) != row.geonameid:
        return "geonameid", f"{row.id} is already GeoNames city {gid[row.id]}"
    if (other := next((p for p, g in gid.items() if g == row.geonameid and p != row.id), None)) is not None:
        return "geonameid", f"GeoNames city {row.geonameid} is already {other}"
    if (row.id, row.lang, row.name) in seen:
        return "name", f"'{row.name}' ({row.lang}) is already a name of {row.id}"
    return None
