"""Forecast → simulation: write a forecast year's container demand as a scenario file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from corridor.errors import CorridorError
from corridor.forecasting.data import TradeData

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["write_scenario"]


def write_scenario(
    trade: TradeData, pair: str, table: pd.DataFrame, method: str, path: str | Path, conversion: str = ""
) -> Path:
    """Write the last forecast year's overland TEU, split by direction between the two countries' hubs.

    The simulator models the land corridors, so only the containers of the overland share go in
    (``teu_overland``, all of ``teu`` for a pair whose share is 1).

    The direction split is the latest year's export/import split (``a_to_b`` / ``b_to_a``), or
    half and half where the data do not give it. ``conversion`` says how value became TEU; it goes
    into the file's header comment.
    """
    import yaml

    a, b = pair.split("-")
    last = table.iloc[-1]
    share = trade.direction_share(pair)
    teu = float(last["teu_overland"])
    flows: list[dict[str, str | int]] = [
        {"origin": trade.hub(a), "destination": trade.hub(b), "teu_per_year": round(teu * share)},
        {"origin": trade.hub(b), "destination": trade.hub(a), "teu_per_year": round(teu * (1 - share))},
    ]
    scenario = {
        "name": f"{pair} trade {int(last['year'])} ({method} forecast)",
        "year": int(last["year"]),
        "demand": [f for f in flows if int(f["teu_per_year"]) > 0],
    }
    out = Path(path)
    header = (
        f"# Written by `corridor forecast` ({method}): {last['value_usd_m']:,.0f} M USD of {pair} trade in "
        f"{int(last['year'])} → {float(last['teu']):,.0f} TEU a year, {teu:,.0f} of them overland, "
        f"split {share:.0%} / {1 - share:.0%} by direction.\n"
    )
    if conversion:
        header += f"# Value to TEU converted {conversion}.\n"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(header + yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True), encoding="utf-8")
    except OSError as exc:
        raise CorridorError(f"cannot write the scenario to {out}: {exc.strerror or exc}") from exc
    return out
