"""Uncertainty follows what is operated, not how a line is cut into links.

The embedded network's domestic rail and road links are cut into four links each through new
stations (same country and gauge, so no border, gauge change or transshipment happens there).
Route totals must not move, and neither may the Monte Carlo percentiles: a train running on
through a station draws one run time and one late tail, not one per link.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from corridor.network.model import Link, Network
from corridor.routing.api import default_network, route
from corridor.uncertainty.api import reliability
from corridor.uncertainty.montecarlo import BIN_H

PIECES = 4


def _cuttable(network: Network, link: Link) -> bool:
    a, b = network.places[link.from_id], network.places[link.to_id]
    return link.mode in ("rail", "road") and a.country == b.country and not link.frequency_per_week


def cut(network: Network, pieces: int) -> Network:
    """Every domestic rail and road link cut into ``pieces`` equal links."""
    places = dict(network.places)
    links: list[Link] = []
    for n, link in enumerate(network.links):
        if not _cuttable(network, link):
            links.append(link)
            continue
        assert link.distance_km and link.time_h and link.tariff_teu_usd is not None and link.tariff_feu_usd is not None
        ends = [link.from_id]
        for k in range(1, pieces):
            station = places[link.from_id].model_copy(
                update={  # a station on the line, not the city of its first end
                    "id": f"cut{n}_{k}",
                    "name": f"Station {n}.{k}",
                    "locode": None,
                    "aliases": (),
                    "geonameid": "",
                    "gazetteer_names": (),
                }
            )
            places[station.id] = station
            ends.append(station.id)
        ends.append(link.to_id)
        share = {
            "distance_km": link.distance_km / pieces,
            "time_h": link.time_h / pieces,
            "tariff_teu_usd": link.tariff_teu_usd / pieces,
            "tariff_feu_usd": link.tariff_feu_usd / pieces,
        }
        # A link priced per direction (a backhaul rate) carries its reverse tariff too.
        for back in ("tariff_back_teu_usd", "tariff_back_feu_usd"):
            if getattr(link, back) is not None:
                share[back] = getattr(link, back) / pieces
        links += [link.model_copy(update={"from_id": a, "to_id": b, **share}) for a, b in itertools.pairwise(ends)]
    return dataclasses.replace(network, places=places, links=tuple(links))


@pytest.mark.parametrize(
    ("origin", "destination", "corridor"), [("Xian", "Baku", "middle"), ("Almaty", "Moscow", None)]
)
def test_percentiles_do_not_depend_on_how_lines_are_cut(origin: str, destination: str, corridor: str | None) -> None:
    whole = default_network()
    parts = cut(whole, PIECES)
    before = route(origin, destination, corridor=corridor, network=whole).best("time")
    after = route(origin, destination, corridor=corridor, network=parts).best("time")
    assert len(after.legs) > len(before.legs)  # the cut touched this route
    assert len(after.services) == len(before.services)
    assert after.total_time_h == pytest.approx(before.total_time_h)
    assert after.total_cost_usd == pytest.approx(before.total_cost_usd)
    for x, y in zip(after.to_dict()["legs"], before.to_dict()["legs"], strict=True):
        assert (x["from"], x["to"], x["mode"]) == (y["from"], y["to"], y["mode"])
        assert x["time_h"] == pytest.approx(y["time_h"], abs=0.02)
    a = reliability(before, 20_000, seed=5, network=whole)
    b = reliability(after, 20_000, seed=5, network=parts)
    assert b.p50_h == pytest.approx(a.p50_h, abs=2 * BIN_H)
    assert b.p90_h == pytest.approx(a.p90_h, abs=2 * BIN_H)
    assert b.mean_h == pytest.approx(a.mean_h, abs=0.5)


def test_detail_keeps_every_link() -> None:
    after = route("Xian", "Baku", corridor="middle", network=cut(default_network(), PIECES)).best("time")
    detail = after.to_dict(detail=True)["legs"]
    assert len(detail) == len(after.legs) > len(after.to_dict()["legs"])
    grouped = after.to_dict()["legs"]
    assert sum(leg["time_h"] for leg in detail) == pytest.approx(
        sum(leg["time_h"] for leg in grouped), abs=0.01 * len(detail)
    )
