"""Tables that explain a simulation: where the TEU went, which lines queue and why, what a lever moved.

Used by ``corridor simulate``; each function takes results and returns Rich renderables (no I/O).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    import pandas as pd

    from corridor.simulation.runner import ScenarioResult

__all__ = ["compare_tables", "headline", "lead_table", "lines_table", "unconstrained"]

SHOWN_LINES = 10
"""Lines and crossings listed per scenario (longest queue first)."""
MOVED_MIN_TEU = 100.0
"""A flow's corridor share is listed as moved when it changes by at least this many TEU a year."""


def headline(result: ScenarioResult, delivered_mean: float, runs: int, years: float) -> str:
    """One line: demand, delivered (mean of the runs), and where the rest of the first run's TEU are."""
    sim, demand = result.sim, result.demand_teu
    share = f" ({delivered_mean / demand:.0%})" if demand else ""
    text = (
        f"[bold]{result.scenario.name}[/bold] ({result.scenario.year}): {demand:,.0f} TEU demanded over "
        f"{years:g} year(s), {delivered_mean:,.0f} delivered{share}, mean of {runs} run(s)."
    )
    if sim.drained_teu or sim.waiting_teu or sim.in_transit_teu:
        text += (
            f"\n  First run: {result.delivered_teu - sim.drained_teu:,.0f} TEU arrived within the period, "
            f"{sim.drained_teu:,.0f} after it (carry-over: released in the period, arrived in the "
            f"{_drain_days():.0f}-day drain); {sim.waiting_teu:,.0f} still queueing and {sim.in_transit_teu:,.0f} "
            "still moving when the drain ended. Nothing beyond the period's demand is counted."
        )
    return text


def _drain_days() -> float:
    from corridor.simulation.engine import DRAIN_H

    return DRAIN_H / 24


def lines_table(result: ScenarioResult) -> Table | str:
    """Lines and crossings with a capacity figure: TEU carried, utilisation, and the two waits apart."""
    frame = result.lines().head(SHOWN_LINES)
    if frame.empty:
        return "[green]No line or crossing with a capacity figure on these routes: nothing to queue for.[/green]"
    table = Table(
        "line or crossing",
        "capacity",
        "TEU carried",
        "utilisation",
        "queue for capacity h",
        "P90 queue h",
        "wait for departure h",
        "max queue",
        title="Lines and crossings (longest queue for capacity first; bottlenecks on top)",
        title_justify="left",
    )
    for row in frame.itertuples():
        table.add_row(
            str(row.resource),
            str(row.capacity),
            f"{row.teu:,.0f}",
            "closed" if row.closed else f"{row.utilisation:.0%}",
            f"{row.queue_h:,.0f}",
            f"{row.p90_queue_h:,.0f}",
            f"{row.departure_wait_h:,.0f}",
            str(row.max_queue),
        )
    return table


def unconstrained(result: ScenarioResult) -> str:
    """The places and water lines used without a capacity figure (treated as unlimited), or ''."""
    free = [s.name for s in result.sim.stats if not s.constrained and s.served]
    return f"[yellow]No capacity figure (treated as unlimited): {', '.join(free)}[/yellow]" if free else ""


def lead_table(result: ScenarioResult) -> Table:
    """Door-to-door days per origin–destination."""
    table = Table(
        "origin → destination", "train loads", "P50 days", "P90 days", title="Lead times", title_justify="left"
    )
    for row in result.lead_times().itertuples():
        table.add_row(str(row.od), str(row.train_loads), f"{row.p50_days:.1f}", f"{row.p90_days:.1f}")
    return table


def compare_tables(a: ScenarioResult, b: ScenarioResult) -> list[Table]:
    """What changed from ``a`` to ``b``: totals, flows that changed corridor, and why the waits moved."""
    return [_totals(a, b), _moved_flows(a, b), _moved_waits(a, b)]


def _totals(a: ScenarioResult, b: ScenarioResult) -> Table:
    """Delivered TEU in all and by corridor (which corridor absorbs a disruption's traffic), queues, lead times."""
    table = Table(
        "",
        a.scenario.name,
        b.scenario.name,
        "change",
        title="Scenario comparison (first run of each)",
        title_justify="left",
    )

    def row(label: str, before: float, after: float, digits: int = 0) -> None:
        change = round(after - before, digits) + 0.0  # + 0.0: no "-0" for a change lost in rounding
        table.add_row(label, f"{before:,.{digits}f}", f"{after:,.{digits}f}", f"{change:+,.{digits}f}")

    row("TEU delivered", a.delivered_teu, b.delivered_teu)
    for corridor in sorted(set(a.sim.delivered_teu) | set(b.sim.delivered_teu)):
        row(
            f"  by the {corridor} corridor",
            a.sim.delivered_teu.get(corridor, 0.0),
            b.sim.delivered_teu.get(corridor, 0.0),
        )
    row("  of which after the period", a.sim.drained_teu, b.sim.drained_teu)
    row("TEU still queueing at the end", a.sim.waiting_teu, b.sim.waiting_teu)
    leads = [float(x.lead_times()["p50_days"].mean()) for x in (a, b)]
    row("lead time P50, days (mean over flows)", leads[0], leads[1], digits=1)
    return table


def _moved_flows(a: ScenarioResult, b: ScenarioResult) -> Table:
    """TEU a year route choice sends on each corridor (and Caspian or Black Sea crossing), where it changed."""
    shares = [a.shares(), b.shares()]
    table = Table(
        "flow",
        "corridor",
        "TEU/year before",
        "TEU/year after",
        "change",
        title="Flows that changed corridor or crossing",
        title_justify="left",
    )
    for key in sorted(set(shares[0]) | set(shares[1])):
        before, after = (s.get(key, 0.0) for s in shares)
        if abs(after - before) >= MOVED_MIN_TEU:
            table.add_row(key[0], key[1], f"{before:,.0f}", f"{after:,.0f}", f"{after - before:+,.0f}")
    if not table.row_count:
        table.add_row("(none: every flow kept its split within 100 TEU a year)", "", "", "", "")
    return table


def _moved_waits(a: ScenarioResult, b: ScenarioResult) -> Table:
    """Per line: queue for capacity before and after, and what explains the change (capacity, TEU carried)."""
    frames = [x.resources().set_index("resource") for x in (a, b)]
    names = [n for n in dict.fromkeys([*frames[0].index, *frames[1].index]) if _constrained(frames, n)]
    names.sort(key=lambda n: -max(_get(f, n, "queue_h") for f in frames))
    table = Table(
        "line or crossing",
        "queue h before",
        "queue h after",
        "departure wait h before → after",
        "why",
        title="Why the waits moved (queue for capacity; waiting for a sailing is not a bottleneck)",
        title_justify="left",
    )
    for name in names[:SHOWN_LINES]:
        before, after = (_get(f, name, "queue_h") for f in frames)
        departure = " → ".join(f"{_get(f, name, 'departure_wait_h'):,.0f}" for f in frames)
        table.add_row(name, f"{before:,.0f}", f"{after:,.0f}", departure, _why(frames, name))
    return table


def _constrained(frames: list[pd.DataFrame], name: str) -> bool:
    return any(name in f.index and bool(f.loc[name, "constrained"]) for f in frames)


def _get(frame: pd.DataFrame, name: str, column: str) -> float:
    return float(frame[column].get(name, 0.0))


def _why(frames: list[pd.DataFrame], name: str) -> str:
    """Capacity, TEU carried and utilisation before → after, where they changed."""
    reasons = []
    caps = [str(f.loc[name, "capacity"]) if name in f.index else "not used" for f in frames]
    if caps[0] != caps[1]:
        reasons.append(f"capacity {caps[0]} → {caps[1]}")
    teu = [_get(f, name, "teu") for f in frames]
    if abs(teu[1] - teu[0]) >= MOVED_MIN_TEU:
        change = f" ({(teu[1] - teu[0]) / teu[0]:+.0%})" if teu[0] else ""
        reasons.append(f"TEU carried {teu[0]:,.0f} → {teu[1]:,.0f}{change}")
    use = [_get(f, name, "utilisation") for f in frames]
    if reasons or abs(use[1] - use[0]) >= 0.02:
        reasons.append(f"utilisation {use[0]:.0%} → {use[1]:.0%}")
    return "; ".join(reasons) or "unchanged: run-to-run noise"
