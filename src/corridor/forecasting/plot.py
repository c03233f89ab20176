"""Fan chart of a trade forecast: history, median path, interval band and the target."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from corridor.plotfile import write_plot

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["fan_chart"]


def fan_chart(table: pd.DataFrame, path: str | Path, title: str, target: tuple[int, float] | None = None) -> Path:
    """Write the forecast as ``.png`` (matplotlib) or ``.html`` (plotly)."""
    seen = table[table["kind"] == "observed"]
    ahead = table[table["kind"] != "observed"]
    return write_plot(
        path,
        png=lambda out: _png(seen, ahead, out, title, target),
        html=lambda out: _html(seen, ahead, out, title, target),
    )


def _png(seen: pd.DataFrame, ahead: pd.DataFrame, out: Path, title: str, target: tuple[int, float] | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5))
    ax.plot(seen["year"], seen["value_usd_m"], "o-", color="black", label="observed")
    ax.fill_between(ahead["year"], ahead["value_usd_m_low"], ahead["value_usd_m_high"], alpha=0.25, label="interval")
    ax.plot(ahead["year"], ahead["value_usd_m"], "--", label=f"forecast ({ahead['kind'].iloc[0]})")
    if target is not None:
        ax.plot([target[0]], [target[1]], "r*", markersize=14, label=f"target {target[1]:,.0f} M USD in {target[0]}")
    ax.set(title=title, xlabel="year", ylabel="trade, million USD")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def _html(seen: pd.DataFrame, ahead: pd.DataFrame, out: Path, title: str, target: tuple[int, float] | None) -> None:
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=seen["year"], y=seen["value_usd_m"], mode="lines+markers", name="observed"))
    band_x = list(ahead["year"]) + list(ahead["year"])[::-1]
    band_y = list(ahead["value_usd_m_high"]) + list(ahead["value_usd_m_low"])[::-1]
    fig.add_trace(go.Scatter(x=band_x, y=band_y, fill="toself", opacity=0.25, name="interval", mode="none"))
    fig.add_trace(go.Scatter(x=ahead["year"], y=ahead["value_usd_m"], mode="lines", name="forecast"))
    if target is not None:
        fig.add_trace(go.Scatter(x=[target[0]], y=[target[1]], mode="markers", name="target", marker_symbol="star"))
    fig.update_layout(title=title, xaxis_title="year", yaxis_title="trade, million USD")
    fig.write_html(str(out), include_plotlyjs=True)
