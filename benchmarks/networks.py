"""Generated networks for the route-search benchmark, in the project's own data format.

Each network starts from the embedded one (its places, links, borders, ports and sources) and
adds the topology of one *family*; then domestic rail and road links are cut into stations
until the network has about the number of places asked for:

* ``chain`` — the real network, every domestic rail/road link cut into segments. Cutting
  changes no route's totals (segments share the link's distance, time, tariff and CO2e, and
  stations inside one country on one gauge cause no event), so its Pareto front must equal the
  real network's.
* ``braid`` — every domestic rail link A–B doubled by a parallel line A–P–B 10 % longer and
  slower at the same per-km tariff, with a crossover from P to a station M halfway along the
  original line: many routes, few real choices.
* ``mesh`` — every domestic rail link of 400 km or more becomes a ladder three tracks wide
  with rungs every ~400 km (all at the link's speed and per-km tariff).
* ``tradeoff`` — like ``braid``, but the parallel line is faster, dearer and dirtier (time
  × 0.85–0.95, tariff × 1.05–1.25, electric → diesel traction, drawn per link from the seed):
  the exact Pareto set grows with the number of such pairs on a route.

Every figure of a generated link is derived from a real link's figures and says so in its
source field (``derived: benchmark …``), so each directory passes ``corridor check-data``.
Generation is deterministic: the same family, size and seed give the same files.

``python benchmarks/networks.py DIR`` writes every family at every size under ``DIR``.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import random
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from corridor import settings
from corridor.network.io import load_network
from corridor.network.model import Link, Network, Place

FAMILIES = ("chain", "braid", "mesh", "tradeoff")
SIZES = (200, 1_000, 5_000, 20_000)
SEED = 17
CUTTABLE = ("rail", "road")


def generate(family: str, size: int, out: Path, seed: int = SEED) -> Path:
    """Write a data directory of ``family`` with about ``size`` places to ``out``; returns ``out``."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; families are {', '.join(FAMILIES)}")
    base = load_network()
    rng = random.Random(f"{family}-{seed}")  # the same trade-offs at every size
    places = dict(base.places)
    links = list(base.links)
    if family in ("braid", "tradeoff"):
        links = _braid(places, links, rng, tradeoff=family == "tradeoff")
    elif family == "mesh":
        links = _mesh(places, links)
    links = _cut(places, links, size)
    _write(out, places.values(), links, set(map(id, base.links)))
    return out


def _domestic(places: dict[str, Place], link: Link) -> bool:
    return link.mode in CUTTABLE and places[link.from_id].country == places[link.to_id].country


def _station(places: dict[str, Place], a: Place, b: Place, share: float, tag: str, offset: float = 0.0) -> Place:
    """A new station at ``share`` of the way from a to b, ``offset`` degrees to one side."""
    dlat, dlon = b.lat - a.lat, b.lon - a.lon
    norm = math.hypot(dlat, dlon) or 1.0
    place = Place(
        id=f"{a.id}_{b.id}_{tag}",
        name=f"{a.name} – {b.name} {tag}",
        country=a.country,
        kind="terminal",
        lat=a.lat + share * dlat - offset * dlon / norm,
        lon=a.lon + share * dlon + offset * dlat / norm,
        coord_source="estimate: benchmark station placed between the two ends of a real link",
    )
    places[place.id] = place
    return place


def _part(link: Link, a: str, b: str, share: float, why: str, time: float = 1.0, tariff: float = 1.0) -> Link:
    """A link a–b carrying ``share`` of ``link``'s distance (times ``time`` / ``tariff`` factors)."""
    assert link.distance_km and link.time_h and link.tariff_teu_usd is not None and link.tariff_feu_usd is not None
    note = f"derived: benchmark {why} of {link.from_id}-{link.to_id}"
    return link.model_copy(
        update={
            "from_id": a,
            "to_id": b,
            "distance_km": link.distance_km * share,
            "distance_source": note,
            "speed_kmh": None,
            "time_h": link.time_h * share * time,
            "time_source": note,
            "tariff_teu_usd": link.tariff_teu_usd * share * tariff,
            "tariff_feu_usd": link.tariff_feu_usd * share * tariff,
            "tariff_source": note,
            "capacity": None,
            "capacity_unit": "",
            "capacity_source": "",
            "notes": "",
        }
    )


def _braid(places: dict[str, Place], links: list[Link], rng: random.Random, tradeoff: bool) -> list[Link]:
    out: list[Link] = []
    for link in links:
        if not (_domestic(places, link) and link.mode == "rail"):
            out.append(link)
            continue
        a, b = places[link.from_id], places[link.to_id]
        mid = _station(places, a, b, 0.5, "m")
        side = _station(places, a, b, 0.5, "p", offset=0.3)
        out += [_part(link, a.id, mid.id, 0.5, "half"), _part(link, mid.id, b.id, 0.5, "half")]
        if tradeoff:
            time, tariff = rng.uniform(0.85, 0.95), rng.uniform(1.05, 1.25)
            vehicle = "rail_diesel" if link.vehicle != "rail_diesel" else "rail_mixed"
            fast = [
                _part(link, a.id, side.id, 0.52, "fast line", time, tariff),
                _part(link, side.id, b.id, 0.52, "fast line", time, tariff),
            ]
            out += [x.model_copy(update={"vehicle": vehicle}) for x in fast]
        else:
            out += [
                _part(link, a.id, side.id, 0.55, "parallel line"),
                _part(link, side.id, b.id, 0.55, "parallel line"),
            ]
        out.append(_part(link, side.id, mid.id, 0.02, "crossover"))
    return out


def _mesh(places: dict[str, Place], links: list[Link]) -> list[Link]:
    out: list[Link] = []
    for link in links:
        if not (_domestic(places, link) and link.mode == "rail" and (link.distance_km or 0) >= 400):
            out.append(link)
            continue
        a, b = places[link.from_id], places[link.to_id]
        rungs = max(2, round((link.distance_km or 0) / 400))
        rows = [[a.id] * 3]
        rows += [
            [_station(places, a, b, i / rungs, f"g{i}_{k}", 0.4 * (k - 1)).id for k in range(3)]
            for i in range(1, rungs)
        ]
        rows.append([b.id] * 3)
        for i in range(rungs):
            # The two outer tracks are 8 % longer than the middle one; all three meet at a and b.
            out += [
                _part(link, rows[i][k], rows[i + 1][k], (1.0 if k == 1 else 1.08) / rungs, "mesh track")
                for k in range(3)
            ]
            if i:
                out += [_part(link, rows[i][k], rows[i][k + 1], 0.03, "mesh rung") for k in range(2)]
    return out


def _cut(places: dict[str, Place], links: list[Link], size: int) -> list[Link]:
    """Cut domestic rail/road links into equal segments until there are about ``size`` places."""
    cuttable = [link for link in links if _domestic(places, link) and not link.frequency_per_week]
    extra = size - len(places)
    if extra <= 0 or not cuttable:
        return links
    total_km = sum(link.distance_km or 0 for link in cuttable)
    out: list[Link] = []
    for link in links:
        if not _domestic(places, link) or link.frequency_per_week:  # a scheduled service stays whole
            out.append(link)
            continue
        pieces = 1 + round(extra * (link.distance_km or 0) / total_km)
        a, b = places[link.from_id], places[link.to_id]
        ends = [a.id, *(_station(places, a, b, i / pieces, f"s{i}").id for i in range(1, pieces)), b.id]
        out += [_part(link, x, y, 1 / pieces, "segment") for x, y in itertools.pairwise(ends)]
    return out


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ";".join(map(str, value))
    return str(value)


def _write(out: Path, places: Iterable[Place], links: Iterable[Link], untouched: set[int]) -> None:
    """Copy the embedded data directory to ``out`` with new places.csv and links.csv.

    Links of the embedded network that the family left alone keep their row as written (blank
    figures are filled when the network is loaded); generated links are written in full.
    """
    src = settings.data_dir()
    with (src / "links.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        link_columns = list(reader.fieldnames or ())
        raw = {(r["from"], r["to"], r["mode"], r["sea_route"]): r for r in reader}
    with (src / "places.csv").open(encoding="utf-8") as f:
        place_columns = list(csv.DictReader(f).fieldnames or ())
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(src, out)
    with (out / "places.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(place_columns)
        for p in places:
            data = p.model_dump()
            writer.writerow(_cell(data[c]) for c in place_columns)
    with (out / "links.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(link_columns)
        written: set[tuple[str, str, str, str]] = set()
        for link in links:
            if id(link) in untouched:
                # The loader may split a two-way water link into one link per direction (sailings
                # per direction); both come from the one row, written once.
                key = (link.from_id, link.to_id, link.mode, link.sea_route or "")
                if key not in raw:
                    key = (link.to_id, link.from_id, link.mode, link.sea_route or "")
                if key not in written:
                    written.add(key)
                    writer.writerow(raw[key].values())
                continue
            data = {**link.model_dump(), "from": link.from_id, "to": link.to_id}
            writer.writerow(_cell(data[c]) for c in link_columns)


def load(family: str, size: int, root: Path, seed: int = SEED) -> Network:
    """Generate (once per directory) and load a network."""
    out = root / f"{family}-{size}-{seed}"
    if not (out / "links.csv").exists():
        generate(family, size, out, seed)
    return load_network(out)


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path("out/networks")
    for family in FAMILIES:
        for size in SIZES:
            net = load(family, size, root)
            print(json.dumps({"family": family, "size": size, "places": len(net.places), "links": len(net.links)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
