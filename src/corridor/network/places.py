"""Find places by any of their names: English, Russian, local, aliases or UN/LOCODE.

Matching ignores case and diacritics, so ``nis`` finds Niš, ``kapikule`` finds Kapıkule and
``белград`` finds Belgrade. An unknown name raises :class:`~corridor.errors.UnknownPlaceError`
with the nearest names as suggestions.
"""

from __future__ import annotations

import difflib
import unicodedata
import weakref

from corridor.errors import UnknownPlaceError
from corridor.network.model import Network, Place

__all__ = ["find_places", "normalize", "resolve_place"]

# Letters NFKD does not decompose to an ASCII base.
_FOLD = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ə": "a", "ё": "е"})


def normalize(name: str) -> str:
    """Case- and accent-insensitive form of a name, used for matching."""
    if name.isascii():  # most names: no accents to strip (the gazetteer's index is built from 250k)
        return " ".join(name.lower().replace("-", " ").replace("'", "").split())
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(kept.replace("-", " ").replace("'", "").replace("’", "").split())


_INDEXES: dict[int, dict[str, Place]] = {}
"""Name index per live network (by ``id``): building it normalises every name, which cost more
than the route search itself when done on every call. An entry goes when its network is collected."""


def _index(network: Network) -> dict[str, Place]:
    key = id(network)
    index = _INDEXES.get(key)
    if index is None:
        index = {}
        for place in network.places.values():
            for name in place.names():
                index.setdefault(normalize(name), place)
        _INDEXES[key] = index
        weakref.finalize(network, _INDEXES.pop, key, None)
    return index


def place_index(network: Network) -> dict[str, Place]:
    """Normalised name (any language, alias, LOCODE or id) → place, built once per network."""
    return _index(network)


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
        Exact matches first, then names that start with the query, then names that contain it,
        then close spellings.
    """
    q = normalize(query)
    if not q:
        return []
    index = _index(network)
    ranked: list[Place] = []
    tiers = (
        [p for n, p in index.items() if n == q],
        [p for n, p in index.items() if n.startswith(q)],
        [p for n, p in index.items() if q in n],
        [index[n] for n in difflib.get_close_matches(q, index, n=limit, cutoff=0.75)],
    )
    for tier in tiers:
        for p in tier:  # one place matches by several names: list it once
            if p not in ranked:
                ranked.append(p)
    return ranked[:limit]


def resolve_place(network: Network, query: str) -> Place:
    """The one place ``query`` names.

    Raises
    ------
    UnknownPlaceError
        If no name matches exactly (ignoring case and accents); it suggests the nearest names.
    """
    index = _index(network)
    place = index.get(normalize(query))
    if place is not None:
        return place
    close = difflib.get_close_matches(normalize(query), index, n=8, cutoff=0.6)
    partial = [p for p in find_places(network, query, limit=3)]
    suggestions: list[str] = []
    for p in partial + [index[n] for n in close]:
        if p.name not in suggestions:
            suggestions.append(p.name)
    raise UnknownPlaceError(query, suggestions[:5])
