"""Batch outputs: results per shipment, transport chain elements, and the ISO 14083 report.

The report states the method, the data quality (every intensity is a default value; no
primary data from carriers), the factors used with their sources, totals per shipment and by
mode, corridor and month. The HTML is one self-contained file (inline CSS, no script, no CDN);
the JSON and CSV carry the same figures.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from corridor.network.model import Network
from corridor.shipments.plan import Element, Outcome, ShipmentPlan
from corridor.shipments.reading import RowError

__all__ = [
    "DATA_QUALITY",
    "ELEMENT_COLUMNS",
    "LOAD_FACTOR",
    "METHOD",
    "RESULT_COLUMNS",
    "element_rows",
    "factors_used",
    "pricing_statement",
    "report_data",
    "report_html",
    "report_paths",
    "result_row",
    "summarise",
    "totals",
    "write_report",
    "write_table",
]

RESULT_COLUMNS = (
    "line",
    "reference",
    "status",
    "error_field",
    "error",
    "origin",
    "destination",
    "date",
    "cargo",
    "quantity",
    "weight_kg",
    "volume_m3",
    "chargeable_kg",
    "box_share",
    "corridor",
    "route",
    "distance_km",
    "time_days",
    "p50_days",
    "p90_days",
    "on_time_probability",
    "cost_usd",
    "cost_usd_low",
    "cost_usd_high",
    "cfs_usd",
    "priced_at",
    "co2e_wtw_kg",
    "co2e_ttw_kg",
    "co2e_hub_kg",
    "set_temp_c",
    "reefer_power",
    "notes",
)
"""Columns of the results file, one row per input row (planned or not)."""

ELEMENT_COLUMNS = (
    "line",
    "reference",
    "seq",
    "element",
    "from",
    "to",
    "mode",
    "category",
    "energy_carrier",
    "distance_km",
    "distance_source",
    "load_factor",
    "tonnes",
    "activity",
    "activity_unit",
    "intensity_wtw",
    "intensity_ttw",
    "co2e_wtw_kg",
    "co2e_ttw_kg",
    "cost_usd",
    "time_h",
    "data_quality",
    "source",
)
"""Columns of the per-leg file: one row per transport chain element (leg or hub)."""

_SOURCE_ID = re.compile(r"\b[A-Z]+[0-9]+[a-z]?\b")

METHOD = (
    "ISO 14083:2023 and the GLEC Framework v3: the emissions of a shipment are the sum over its "
    "transport chain elements. A leg (transport operation) emits its GLEC default intensity "
    "(g CO2e per tonne-km, well-to-wheel and tank-to-wheel) x the shipment's cargo mass x the "
    "leg's distance: the link's published rail or road distance or its searoute sea path (the "
    "source is in the per-leg file), both the actual and the shortest feasible distance of the "
    "leg since the network knows one path per link, so no distance adjustment factor is "
    "applied; the intensities include GLEC's average load factor and empty running. Cargo mass "
    "is 10 t per TEU for containers (E08), the actual mass for LCL and air cargo. A reefer's leg "
    "intensity is x 1.55 (Clean Cargo reefer/dry ratio, E04); its set point does not change it. "
    "A hub (port call, gauge change, rail-road transshipment) emits the GLEC logistics-site "
    "default per TEU or tonne handled, the temperature-controlled value for reefers; a border "
    "handles no freight and emits nothing. WTW = WTT + TTW. LCL is allocated its share of a "
    "20 ft box, the larger of weight (of 10 t) and volume (of 28 m3) shares; air cargo pays the "
    "air tariff per chargeable kg (IATA: 6,000 cm3 per kg) and emits by its actual mass."
)
LOAD_FACTOR = "GLEC default (average load and empty running in the intensity)"
"""What every leg assumes about the vehicle's load: the default intensity's own average."""
DATA_QUALITY = (
    "Default data only: every intensity is a published default (GLEC, DEFRA, Clean Cargo) or "
    "derived from one; no primary data from carriers or terminals was used. Distances come from "
    "the network (published rail and road distances, searoute sea lanes); each figure's source "
    "is listed below and in sources.csv."
)


def result_row(outcome: Outcome) -> dict[str, Any]:
    """One row of the results file."""
    if isinstance(outcome, RowError):
        return {
            "line": outcome.line,
            "reference": outcome.reference,
            "status": "error",
            "error_field": outcome.field,
            "error": outcome.reason,
            "origin": outcome.origin,
            "destination": outcome.destination,
            "cargo": outcome.cargo,
        }
    return _plan_row(outcome)


def _plan_row(p: ShipmentPlan) -> dict[str, Any]:
    s, r = p.shipment, p.route
    row: dict[str, Any] = {
        "line": s.line,
        "reference": s.reference,
        "status": "ok",
        "origin": r.origin,
        "destination": r.destination,
        "date": s.depart.isoformat() if s.depart else None,
        "cargo": s.cargo,
        "quantity": s.quantity if s.kind == "fcl" else None,
        "weight_kg": s.weight_kg,
        "volume_m3": s.volume_m3,
        "chargeable_kg": round(s.chargeable_kg, 1) if s.chargeable_kg else None,
        "box_share": round(s.box_share, 4),
        "corridor": r.corridor,
        "route": " – ".join(r.places),
        "distance_km": round(r.distance_km, 1),
        "time_days": round(r.total_time_days, 2),
        "cost_usd": round(p.cost_usd, 2),
        "cost_usd_low": round(p.cost_range_usd[0], 2),
        "cost_usd_high": round(p.cost_range_usd[1], 2),
        "cfs_usd": round(p.charges_usd, 2) if s.kind == "lcl" else None,
        "priced_at": r.priced_at or None,
        "co2e_wtw_kg": round(p.co2e_wtw_kg, 2),
        "co2e_ttw_kg": round(p.co2e_ttw_kg, 2),
        "co2e_hub_kg": round(p.co2e_hub_kg, 2),
        "set_temp_c": s.set_temp_c,
        "reefer_power": p.reefer.summary() if p.reefer else None,
        "notes": "; ".join(p.notes) or None,
    }
    if p.timing is not None:
        row["p50_days"] = round(p.timing.p50_h / 24, 2)
        row["p90_days"] = round(p.timing.p90_h / 24, 2)
        if p.timing.on_time_probability is not None:
            row["on_time_probability"] = round(p.timing.on_time_probability, 4)
    return row


def element_rows(outcomes: Iterable[Outcome]) -> list[dict[str, Any]]:
    """One row per transport chain element of every planned shipment."""
    rows = []
    for p in outcomes:
        if isinstance(p, ShipmentPlan):
            rows += [_element_row(p, e) for e in p.elements]
    return rows


def _element_row(p: ShipmentPlan, e: Element) -> dict[str, Any]:
    return {
        "line": p.shipment.line,
        "reference": p.shipment.reference,
        "seq": e.seq,
        "element": e.element,
        "from": e.origin,
        "to": e.destination,
        "mode": e.mode,
        "category": e.category,
        "energy_carrier": e.energy_carrier,
        "distance_km": round(e.distance_km, 1),
        "distance_source": e.distance_source,
        "load_factor": LOAD_FACTOR if e.element == "leg" else "",
        "tonnes": round(e.tonnes, 4),
        "activity": round(e.activity, 3),
        "activity_unit": e.activity_unit,
        "intensity_wtw": round(e.intensity_wtw, 3),
        "intensity_ttw": round(e.intensity_ttw, 3),
        "co2e_wtw_kg": round(e.co2e_wtw_kg, 3),
        "co2e_ttw_kg": round(e.co2e_ttw_kg, 3),
        "cost_usd": round(e.cost_usd, 2),
        "time_h": round(e.time_h, 2),
        "data_quality": e.data_quality,
        "source": e.source,
    }


def totals(outcomes: Sequence[Outcome]) -> dict[str, list[dict[str, Any]]]:
    """Emissions summed by mode (legs by mode, hubs by kind), by corridor and by month.

    Each row: shipments that have an element there, their tonnes, tonne-km, WTW, TTW and WTT.
    """
    plans = [p for p in outcomes if isinstance(p, ShipmentPlan)]
    by: dict[str, dict[str, list[float]]] = {"mode": {}, "corridor": {}, "month": {}}
    for p in plans:
        month = p.shipment.depart.strftime("%Y-%m") if p.shipment.depart else "undated"
        tkm = sum(e.activity for e in p.elements if e.element == "leg")
        _add(by["corridor"], p.route.corridor, 1, p.tonnes, tkm, p.co2e_wtw_kg, p.co2e_ttw_kg)
        _add(by["month"], month, 1, p.tonnes, tkm, p.co2e_wtw_kg, p.co2e_ttw_kg)
        seen: set[str] = set()
        for e in p.elements:
            key = e.mode if e.element == "leg" else f"hub: {e.mode}"
            first = key not in seen
            seen.add(key)
            tkm = e.activity if e.element == "leg" else 0.0
            _add(by["mode"], key, int(first), p.tonnes if first else 0.0, tkm, e.co2e_wtw_kg, e.co2e_ttw_kg)
    return {dim: [_total(dim, k, v) for k, v in sorted(groups.items())] for dim, groups in by.items()}


def _add(groups: dict[str, list[float]], key: str, *values: float) -> None:
    acc = groups.setdefault(key, [0.0] * len(values))
    for i, v in enumerate(values):
        acc[i] += v


def _total(dim: str, key: str, v: list[float]) -> dict[str, Any]:
    return {
        "dimension": dim,
        "key": key,
        "shipments": int(v[0]),
        "tonnes": round(v[1], 3),
        "tkm": round(v[2], 1),
        "co2e_wtw_kg": round(v[3], 2),
        "co2e_ttw_kg": round(v[4], 2),
        "co2e_wtt_kg": round(v[3] - v[4], 2),
    }


def factors_used(outcomes: Sequence[Outcome], network: Network) -> list[dict[str, Any]]:
    """Every emission factor the batch used, with its source's citation and URL."""
    vehicles = sorted(
        {e.category for p in outcomes if isinstance(p, ShipmentPlan) for e in p.elements if e.element == "leg"}
    )
    rows = []
    for v in vehicles:
        f = network.emission_factors[v]
        rows.append(
            _factor(network, f"leg: {v}", f"{f.wtw_g_per_tkm:g}", f"{f.ttw_g_per_tkm:g}", "g CO2e/tkm", f.source)
        )
    for h in network.hub_factors.values():
        wtw = f"{h.wtw_kg:g} (reefer {h.wtw_kg_reefer:g})"
        ttw = f"{h.ttw_share:g} x WTW"
        source = f"{h.source}; TTW: {h.ttw_source}"
        rows.append(_factor(network, f"hub: {h.kind} ({h.hub_category})", wtw, ttw, f"kg CO2e/{h.unit}", source))
    return rows


def _factor(network: Network, name: str, wtw: str, ttw: str, unit: str, source: str) -> dict[str, Any]:
    ids = list(dict.fromkeys(i for i in _SOURCE_ID.findall(source) if i in network.sources))
    cited = [f"{i}: {network.sources[i].citation} ({network.sources[i].url})" for i in ids]
    return {"factor": name, "wtw": wtw, "ttw": ttw, "unit": unit, "source": source, "cited": cited}


def report_data(outcomes: Sequence[Outcome], network: Network) -> dict[str, Any]:
    """Everything the report shows, as one JSON-ready object."""
    plans = [p for p in outcomes if isinstance(p, ShipmentPlan)]
    errors = [o for o in outcomes if isinstance(o, RowError)]
    return {
        "method": METHOD,
        "data_quality": DATA_QUALITY,
        "shipments": len(outcomes),
        "planned": len(plans),
        "errors": [str(e) for e in errors],
        "co2e_wtw_kg": round(sum(p.co2e_wtw_kg for p in plans), 2),
        "co2e_ttw_kg": round(sum(p.co2e_ttw_kg for p in plans), 2),
        "co2e_hub_kg": round(sum(p.co2e_hub_kg for p in plans), 2),
        "pricing": pricing_statement(plans),
        "totals": totals(outcomes),
        "factors": factors_used(outcomes, network),
        "results": [result_row(o) for o in outcomes],
    }


def pricing_statement(plans: Sequence[ShipmentPlan]) -> str:
    """Which pricing dates the costs use and why, for the report (one sentence or two)."""
    moved = [p for p in plans if any(n.startswith("priced at") for n in p.notes)]
    text = (
        "Each shipment is priced at the month it leaves (tariffs, index values and exchange rates "
        "of that month), within the dates the price data covers."
    )
    if moved:
        dates = sorted({p.route.priced_at or "" for p in moved} - {""})
        text += (
            f" {len(moved)} shipment(s) leave outside those dates and are priced at the nearest date "
            f"covered ({', '.join(dates)}): a stated extrapolation, prices are not forecast (see each "
            "row's notes)."
        )
    return text


def write_table(path: Path, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Write rows as CSV (``.csv``) or JSON (any other suffix)."""
    if path.suffix.lower() != ".csv":
        path.write_text(json.dumps(list(rows), ensure_ascii=False, indent=1), encoding="utf-8")
        return
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def report_paths(path: Path) -> tuple[Path, Path, Path]:
    """The files of a report named ``path``: the HTML page, its JSON and its totals CSV.

    ``report.html`` → ``report.html``, ``report.json``, ``report-totals.csv`` (the totals are
    not named ``report.csv``, which a results file could already be).
    """
    return path, path.with_suffix(".json"), path.with_name(f"{path.stem}-totals.csv")


def write_report(path: Path, outcomes: Sequence[Outcome], network: Network) -> list[Path]:
    """Write the report as ``path`` (HTML) plus the same figures as JSON and the totals as CSV.

    The names are :func:`report_paths`'s. Returns the paths written.
    """
    data = report_data(outcomes, network)
    _, json_path, csv_path = report_paths(path)
    path.write_text(report_html(data), encoding="utf-8")
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    flat = [row for rows in data["totals"].values() for row in rows]
    write_table(
        csv_path, flat, ("dimension", "key", "shipments", "tonnes", "tkm", "co2e_wtw_kg", "co2e_ttw_kg", "co2e_wtt_kg")
    )
    return [path, json_path, csv_path]


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:80em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}"
    ".err{color:#a00}"
)


def report_html(data: dict[str, Any]) -> str:
    """The report as one self-contained HTML page (inline CSS, no script)."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Corridor emissions report</title><style>{_CSS}</style></head><body>",
        "<h1>Transport emissions report (ISO 14083 / GLEC)</h1>",
        f"<p>{data['planned']} of {data['shipments']} shipments planned. Total "
        f"<b>{data['co2e_wtw_kg'] / 1000:,.3f} t CO2e</b> well-to-wheel, "
        f"{data['co2e_ttw_kg'] / 1000:,.3f} t tank-to-wheel; hubs {data['co2e_hub_kg']:,.1f} kg WTW.</p>",
        f"<h2>Method</h2><p>{html.escape(data['method'])}</p>",
        f"<h2>Pricing dates</h2><p>{html.escape(data['pricing'])}</p>",
        f"<h2>Data quality</h2><p>{html.escape(data['data_quality'])}</p>",
    ]
    for dim in ("mode", "corridor", "month"):
        parts.append(f"<h2>Totals by {dim}</h2>")
        parts.append(
            _html_table(
                data["totals"][dim], ["key", "shipments", "tonnes", "tkm", "co2e_wtw_kg", "co2e_wtt_kg", "co2e_ttw_kg"]
            )
        )
    parts.append("<h2>Factors used</h2>")
    factors = [{**f, "cited": "; ".join(f["cited"])} for f in data["factors"]]
    parts.append(_html_table(factors, ["factor", "wtw", "ttw", "unit", "source", "cited"]))
    parts.append("<h2>Shipments</h2>")
    cols = [
        "line",
        "reference",
        "status",
        "cargo",
        "origin",
        "destination",
        "corridor",
        "time_days",
        "cost_usd",
        "co2e_wtw_kg",
        "co2e_ttw_kg",
        "co2e_hub_kg",
        "reefer_power",
        "error_field",
        "error",
    ]
    parts.append(_html_table(data["results"], cols))
    if data["errors"]:
        items = "".join(f"<li>{html.escape(e)}</li>" for e in data["errors"])
        parts.append(f"<h2>Rows not planned</h2><ul class='err'>{items}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c, "")
            cls = " class='n'" if isinstance(value, int | float) else ""
            text = f"{value:,.2f}" if isinstance(value, float) else str(value)
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Counts for the command line: rows, planned, errors, lanes, totals."""
    plans = [p for p in outcomes if isinstance(p, ShipmentPlan)]
    by_kind: dict[str, int] = defaultdict(int)
    for p in plans:
        by_kind[p.shipment.kind] += 1
    return {
        "rows": len(outcomes),
        "planned": len(plans),
        "errors": len(outcomes) - len(plans),
        "by_kind": dict(by_kind),
        "co2e_wtw_t": sum(p.co2e_wtw_kg for p in plans) / 1000,
        "cost_usd": sum(p.cost_usd for p in plans),
    }
