"""Pictures of a simulation: queues over the year and the bottleneck ranking (PNG or HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from corridor.plotfile import write_plot
from corridor.simulation.runner import ScenarioResult

__all__ = ["TOP", "simulation_plot"]

TOP = 5


def simulation_plot(results: Sequence[ScenarioResult], path: str | Path) -> Path:
    """Queue length over time of the worst resources, and their mean waits, per scenario."""
    return write_plot(path, png=lambda out: _png(results, out), html=lambda out: _html(results, out))


def _worst(result: ScenarioResult) -> list[str]:
    frame = result.resources().sort_values("queue_h", ascending=False)
    return list(frame["resource"].head(TOP))


def _png(results: Sequence[ScenarioResult], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(results), 2, figsize=(12, 4 * len(results)), squeeze=False)
    for row, result in zip(axes, results, strict=True):
        stats = {s.name: s for s in result.sim.stats}
        worst = _worst(result)
        for name in worst:
            row[0].plot(range(len(stats[name].queue_series)), stats[name].queue_series, label=name)
        name = result.scenario.name if len(result.scenario.name) <= 45 else result.scenario.name[:44] + "…"
        row[0].set(title=f"{name}: train loads queueing", xlabel="day", ylabel="train loads")
        row[0].legend(fontsize="small")
        waits = [stats[n].mean_queue_h() for n in worst]
        row[1].barh(worst[::-1], waits[::-1])
        row[1].set(title="mean queue for capacity per train load", xlabel="hours")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def _html(results: Sequence[ScenarioResult], out: Path) -> None:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=len(results),
        cols=2,
        subplot_titles=[t for r in results for t in (f"{r.scenario.name}: queues", "mean queue for capacity, hours")],
    )
    for i, result in enumerate(results, 1):
        stats = {s.name: s for s in result.sim.stats}
        worst = _worst(result)
        for name in worst:
            fig.add_trace(go.Scatter(y=stats[name].queue_series, name=name, mode="lines"), row=i, col=1)
        fig.add_trace(
            go.Bar(x=[stats[n].mean_queue_h() for n in worst], y=worst, orientation="h", showlegend=False), row=i, col=2
        )
    fig.write_html(str(out), include_plotlyjs=True)
