"""Sea lanes: computed on searoute's network, with the Volga cut."""

from __future__ import annotations

import pytest

from corridor.network.model import WATER_MODES
from corridor.network.resolve import find_lane
from corridor.network.sea import compute_lane, maritime_graph
from corridor.routing.api import default_network


@pytest.fixture(scope="module")
def graph() -> object:
    return maritime_graph()


def test_shipped_lanes_match_a_fresh_searoute_run(graph: object) -> None:
    network = default_network()
    for (a, b, route), lane in network.sea_lanes.items():
        pa, pb = network.places[a], network.places[b]
        fresh = compute_lane(graph, (pa.lon, pa.lat), (pb.lon, pb.lat), route)
        assert fresh["properties"]["distance_km"] == pytest.approx(lane.distance_km, rel=1e-3), (a, b, route)


def test_every_water_link_sails_its_lane() -> None:
    # (test_network checks the distance_source label; this checks the figure itself and the passages.)
    network = default_network()
    water = [link for link in network.links if link.mode in WATER_MODES]
    assert len(water) >= 10
    for link in water:
        lane = find_lane(network, link)
        assert lane is not None, link.key
        assert link.distance_km == pytest.approx(lane.distance_km), link.key
        assert link.passages == lane.passages, link.key


def test_caspian_is_cut_off_from_the_black_sea(graph: object) -> None:
    aktau, constanta = (51.20, 43.60), (28.65, 44.17)
    with pytest.raises(ValueError, match="no sea path"):
        compute_lane(graph, aktau, constanta, "direct")


def test_suez_and_cape_lanes_differ() -> None:
    lanes = default_network().sea_lanes
    suez, cape = lanes[("shanghai", "piraeus", "suez")], lanes[("shanghai", "piraeus", "cape")]
    assert "suez" in suez.passages and "suez" not in cape.passages
    assert "south_africa" in cape.passages
    assert cape.distance_km > suez.distance_km + 8000
