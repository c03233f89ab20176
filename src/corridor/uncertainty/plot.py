"""ECDF plots of door-to-door times per route: HTML (plotly) or PNG (matplotlib)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from corridor.plotfile import write_plot
from corridor.uncertainty.api import RatedRoute

__all__ = ["reliability_plot"]


def reliability_plot(rated: Sequence[RatedRoute], path: str | Path, title: str = "") -> Path:
    """Write the cumulative distribution of each route's time (days) to ``path``.

    The file type follows the suffix: ``.html`` (interactive, plotly) or ``.png`` (matplotlib).
    A vertical line marks the deadline when there is one.
    """
    return write_plot(path, png=lambda out: _png(rated, out, title), html=lambda out: _html(rated, out, title))


def _series(r: RatedRoute) -> tuple[list[float], list[float], str]:
    rel = r.reliability
    days = [h / 24 for h in rel.ecdf_h]
    label = f"{r.route.corridor}: P50 {rel.p50_h / 24:.1f} d, P90 {rel.p90_h / 24:.1f} d"
    return days, list(rel.ecdf_p), label


def _deadline(rated: Sequence[RatedRoute]) -> float | None:
    hours = next((r.reliability.deadline_h for r in rated if r.reliability.deadline_h), None)
    return None if hours is None else hours / 24


def _html(rated: Sequence[RatedRoute], out: Path, title: str) -> None:
    import plotly.graph_objects as go

    fig = go.Figure()
    for r in rated:
        days, share, label = _series(r)
        fig.add_trace(go.Scatter(x=days, y=share, mode="lines", name=label, line_shape="hv"))
    if (deadline := _deadline(rated)) is not None:
        fig.add_vline(x=deadline, line_dash="dash", annotation_text=f"deadline {deadline:g} d")
    fig.update_layout(title=title, xaxis_title="door-to-door days", yaxis_title="share of journeys arrived")
    fig.write_html(str(out), include_plotlyjs=True)


def _png(rated: Sequence[RatedRoute], out: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5))
    for r in rated:
        days, share, label = _series(r)
        ax.step(days, share, where="post", label=label)
    if (deadline := _deadline(rated)) is not None:
        ax.axvline(deadline, linestyle="--", color="black", label=f"deadline {deadline:g} d")
    ax.set(title=title, xlabel="door-to-door days", ylabel="share of journeys arrived", ylim=(0, 1.01))
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
