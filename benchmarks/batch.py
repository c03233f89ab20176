"""Throughput of batch planning: shipments per second, against planning them one call at a time.

What is measured, and why:

* **Batch** — :class:`corridor.shipments.plan.BatchPlanner` over 10,000 and 100,000 generated
  shipments (seed 42) drawn from 40 lanes, as a tender repeats lanes: FCL 20/40/40HC boxes,
  40 ft reefers, LCL and air cargo in the mix of :data:`MIX`. Each distinct lane is searched
  (and, for reefers, its genset stretches sampled) once; every other shipment only scales the
  lane's sums. Timed from a cold lane cache, the compiled search graphs warm (as in a server).
* **One call at a time** — the same shipments planned each by a fresh planner (no lane
  cache), as a script calling the single-route planner once per row would. It is timed on the
  first :data:`BASELINE_ROWS` shipments and given as shipments per second; the ratio divides the
  two rates measured in this process.

Run ``.venv/bin/python benchmarks/batch.py``; importing the module runs nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from corridor.routing.api import default_network
from corridor.shipments.model import Shipment
from corridor.shipments.plan import BatchPlanner, ShipmentPlan

SEED = 42
SIZES = (10_000, 100_000)
LANES = 40
BASELINE_ROWS = 300
SURFACE = (
    ("Xian", "Duisburg"),
    ("Shanghai", "Belgrade"),
    ("Almaty", "Istanbul"),
    ("Tashkent", "Belgrade"),
    ("Chongqing", "Budapest"),
    ("Lianyungang", "Constanta"),
    ("Urumqi", "Tbilisi"),
    ("Xian", "Baku"),
    ("Shanghai", "Rotterdam"),
    ("Almaty", "Belgrade"),
    ("Tashkent", "Moscow"),
    ("Poti", "Tashkent"),
    ("Chongqing", "Warsaw"),
    ("Tashkent", "Baku"),
    ("Belgrade", "Almaty"),
)
FLOWN = (("Astana", "Belgrade"), ("Almaty", "Belgrade"), ("Belgrade", "Astana"))
MIX = (("40ft", 0.35), ("20ft", 0.15), ("40hc", 0.1), ("40ft-reefer", 0.1), ("lcl", 0.2), ("air", 0.1))
"""Cargo and its share of the shipments."""


def lanes(rng: random.Random) -> list[tuple[str, str, str]]:
    """:data:`LANES` distinct ``(origin, destination, cargo)`` lanes."""
    out: set[tuple[str, str, str]] = set()
    while len(out) < LANES:
        cargo = rng.choices([c for c, _ in MIX], [w for _, w in MIX])[0]
        origin, destination = rng.choice(FLOWN if cargo == "air" else SURFACE)
        out.add((origin, destination, cargo))
    return sorted(out)


def shipments(n: int, seed: int = SEED) -> list[Shipment]:
    """``n`` shipments on :func:`lanes`, with varied boxes, weights and volumes."""
    rng = random.Random(seed)
    pool = lanes(rng)
    rows = []
    for line in range(2, n + 2):
        origin, destination, cargo = rng.choice(pool)
        loose = cargo in ("lcl", "air")
        rows.append(
            Shipment(
                line=line,
                reference=f"S{line}",
                origin=origin,
                destination=destination,
                cargo=cargo,
                quantity=1 if loose else rng.randint(1, 5),
                weight_kg=rng.uniform(50, 900 if cargo == "air" else 8_000) if loose else None,
                volume_m3=rng.uniform(0.2, 5 if cargo == "air" else 25) if loose else None,
            )
        )
    return rows


def rate(plan: Callable[[list[Shipment]], list[object]], rows: list[Shipment]) -> tuple[float, float]:
    """Shipments per second and seconds taken to plan ``rows``."""
    start = time.perf_counter()
    done = plan(rows)
    seconds = time.perf_counter() - start
    assert len(done) == len(rows) and all(isinstance(p, ShipmentPlan) for p in done)
    return len(rows) / seconds, seconds


def batch(rows: list[Shipment]) -> list[object]:
    """All rows through one planner (one search per lane)."""
    return list(BatchPlanner(default_network()).plan_all(rows))


def one_at_a_time(rows: list[Shipment]) -> list[object]:
    """Each row through a fresh planner: a search per row."""
    network = default_network()
    return [BatchPlanner(network).plan(row) for row in rows]


def main() -> None:
    """Print shipments per second for each size and the ratio to one call at a time."""
    warm = shipments(LANES * 4)
    batch(warm)  # compile the search graphs once, as a running server has
    baseline, seconds = rate(one_at_a_time, shipments(BASELINE_ROWS))
    print(f"one call at a time: {baseline:,.1f} shipments/s ({BASELINE_ROWS} shipments in {seconds:.1f} s)")
    for n in SIZES:
        per_s, seconds = rate(batch, shipments(n))
        ratio = per_s / baseline
        print(
            f"batch of {n:>7,}: {per_s:>10,.0f} shipments/s ({seconds:.2f} s, {LANES} lanes)",
            f"— {ratio:,.0f}× one at a time",
        )


if __name__ == "__main__":
    main()
