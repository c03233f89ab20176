// Small hand-drawn SVG charts: no charting library, so nothing to build or download.

const NS = "http://www.w3.org/2000/svg";
const MARGIN = { top: 12, right: 30, bottom: 40, left: 64 };

/** An SVG element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** About `count` round tick values from `lo` to at least `hi` (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const ticks = [];
  let v = Math.floor(lo / step) * step;
  do {
    ticks.push(+v.toPrecision(12));
    v += step;
  } while (ticks.at(-1) < hi);
  return ticks;
}

function frame(container, height) {
  const width = Math.max(320, container.clientWidth || 480);
  const root = el("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img" });
  container.replaceChildren(root);
  return { root, width, height, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
}

function linear(d0, d1, r0, r1) {
  return (v) => r0 + ((v - d0) / (d1 - d0 || 1)) * (r1 - r0);
}

function axes(f, x, y, xTicks, yTicks, labels, format) {
  const g = el("g", { class: "axes" });
  const bottom = MARGIN.top + f.h;
  for (const v of yTicks) {
    g.append(el("line", { x1: MARGIN.left, x2: MARGIN.left + f.w, y1: y(v), y2: y(v), class: "grid" }));
    g.append(el("text", { x: MARGIN.left - 6, y: y(v) + 4, "text-anchor": "end" }, format.y(v)));
  }
  for (const v of xTicks) {
    g.append(el("line", { x1: x(v), x2: x(v), y1: bottom, y2: bottom + 4, class: "tick" }));
    g.append(el("text", { x: x(v), y: bottom + 16, "text-anchor": "middle" }, format.x(v)));
  }
  g.append(el("line", { x1: MARGIN.left, x2: MARGIN.left + f.w, y1: bottom, y2: bottom, class: "axis" }));
  g.append(el("line", { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom, class: "axis" }));
  g.append(el("text", { x: MARGIN.left + f.w / 2, y: f.height - 4, "text-anchor": "middle", class: "label" }, labels.x));
  const yLabel = el("text", { x: 0, y: 0, "text-anchor": "middle", class: "label" }, labels.y);
  yLabel.setAttribute("transform", `translate(12 ${MARGIN.top + f.h / 2}) rotate(-90)`);
  g.append(yLabel);
  f.root.append(g);
}

/**
 * Cumulative time or cost against cumulative distance, one line per route (the UNESCAP
 * time/cost–distance chart): slopes are legs, vertical steps are waits and crossings.
 * `series` = [{id, color, label, points: [[km, value], ...]}].
 */
export function stepChart(container, series, labels, format) {
  const f = frame(container, 280);
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xTicks = niceTicks(0, Math.max(...xs, 1), 6);
  const yTicks = niceTicks(0, Math.max(...ys, 1), 5);
  const x = linear(0, xTicks.at(-1), MARGIN.left, MARGIN.left + f.w);
  const y = linear(0, yTicks.at(-1), MARGIN.top + f.h, MARGIN.top);
  axes(f, x, y, xTicks, yTicks, labels, format);
  for (const s of series) {
    const d = s.points.map((p, n) => `${n ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join("");
    f.root.append(el("path", { d, stroke: s.color, class: "series", "data-route": s.id }, el("title", {}, s.label)));
  }
}

/**
 * Horizontal P50/P90 bars: a bar to P50, a whisker to P90 and a tick at the deterministic time;
 * a dashed vertical line at `deadline` (same unit) if given. `rows` = [{label, p50, p90, det, color}].
 */
export function rangeBars(container, rows, labels, format, deadline = null) {
  const band = 30;
  const f = frame(container, MARGIN.top + MARGIN.bottom + band * rows.length);
  const left = Math.min(150, f.width * 0.35);
  const xTicks = niceTicks(0, Math.max(...rows.map((r) => r.p90), deadline ?? 0, 1), 5);
  const x = linear(0, xTicks.at(-1), left, MARGIN.left + f.w);
  const y = (n) => MARGIN.top + n * band;
  const g = el("g", { class: "axes" });
  for (const v of xTicks) {
    g.append(el("line", { x1: x(v), x2: x(v), y1: MARGIN.top, y2: MARGIN.top + f.h, class: "grid" }));
    g.append(el("text", { x: x(v), y: MARGIN.top + f.h + 16, "text-anchor": "middle" }, format(v)));
  }
  g.append(el("text", { x: (left + MARGIN.left + f.w) / 2, y: f.height - 4, "text-anchor": "middle", class: "label" }, labels.x));
  f.root.append(g);
  rows.forEach((r, n) => {
    const mid = y(n) + band / 2;
    const tip = `${r.label}: P50 ${format(r.p50)}, P90 ${format(r.p90)}`;
    const bar = el("g", { class: "range" }, el("title", {}, tip));
    bar.append(el("text", { x: left - 8, y: mid + 4, "text-anchor": "end" }, r.label));
    bar.append(el("rect", { x: left, y: mid - 8, width: Math.max(1, x(r.p50) - left), height: 16, fill: r.color }));
    bar.append(el("line", { x1: x(r.p50), x2: x(r.p90), y1: mid, y2: mid, stroke: r.color, class: "whisker" }));
    bar.append(el("line", { x1: x(r.p90), x2: x(r.p90), y1: mid - 6, y2: mid + 6, stroke: r.color, class: "whisker" }));
    bar.append(el("line", { x1: x(r.det), x2: x(r.det), y1: mid - 10, y2: mid + 10, class: "det" }));
    f.root.append(bar);
  });
  if (deadline !== null) {
    const at = x(deadline);
    const line = el("line", { x1: at, x2: at, y1: MARGIN.top, y2: MARGIN.top + f.h, class: "deadline" });
    f.root.append(el("g", {}, line, el("title", {}, `${labels.deadline}: ${format(deadline)}`)));
  }
}

/** Horizontal bars of a share (0–1) with a text note after each: `rows` = [{label, value, note}]. */
export function shareBars(container, rows, format) {
  const band = 24;
  const f = frame(container, MARGIN.top + 24 + band * rows.length);
  const left = Math.min(220, f.width * 0.4);
  const right = MARGIN.left + f.w - 90;
  const x = linear(0, 1, left, right);
  const g = el("g", { class: "axes" });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    g.append(el("line", { x1: x(v), x2: x(v), y1: MARGIN.top, y2: MARGIN.top + band * rows.length, class: "grid" }));
    g.append(el("text", { x: x(v), y: MARGIN.top + band * rows.length + 16, "text-anchor": "middle" }, format(v)));
  }
  f.root.append(g);
  rows.forEach((r, n) => {
    const mid = MARGIN.top + n * band + band / 2;
    f.root.append(
      el(
        "g",
        { class: "share" },
        el("text", { x: left - 8, y: mid + 4, "text-anchor": "end" }, r.label),
        el("rect", { x: left, y: mid - 7, width: Math.max(1, x(Math.min(r.value, 1)) - left), height: 14 }),
        el("text", { x: right + 6, y: mid + 4 }, r.note),
      ),
    );
  });
}

/**
 * A fan chart: observed history, the median forecast, its interval band and an optional target.
 * `data` = {observed: [[year, v]], median: [[year, v]], low: [[year, v]], high: [[year, v]], target}.
 */
export function fanChart(container, data, labels, format) {
  const f = frame(container, 320);
  const path = data.path ?? [];
  const all = [...data.observed, ...data.median, ...data.low, ...data.high, ...path, ...(data.target ? [data.target] : [])];
  const years = all.map((p) => p[0]);
  const [first, last] = [Math.min(...years), Math.max(...years)];
  const xTicks = niceTicks(first, last, 8).filter((v) => Number.isInteger(v) && v >= first && v <= last);
  const yTicks = niceTicks(0, Math.max(...all.map((p) => p[1]), 1), 5);
  const x = linear(first, last, MARGIN.left, MARGIN.left + f.w);
  const y = linear(0, yTicks.at(-1), MARGIN.top + f.h, MARGIN.top);
  axes(f, x, y, xTicks, yTicks, labels, format);
  const line = (pts) => pts.map((p, n) => `${n ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join("");
  if (data.high.length) {
    const ring = [...data.high, ...[...data.low].reverse()];
    f.root.append(el("path", { d: `${line(ring)}Z`, class: "band" }, el("title", {}, labels.band)));
  }
  f.root.append(el("path", { d: line(data.observed), class: "observed" }, el("title", {}, labels.observed)));
  f.root.append(el("path", { d: line(data.median), class: "median" }, el("title", {}, labels.forecast)));
  if (path.length > 1) {
    f.root.append(el("path", { d: line(path), class: "target-path" }, el("title", {}, labels.path)));
  }
  if (data.target) {
    const [tx, ty] = data.target;
    f.root.append(el("circle", { cx: x(tx), cy: y(ty), r: 6, class: "target" }, el("title", {}, labels.target)));
  }
  const legend = el("g", { class: "legend", transform: `translate(${MARGIN.left + 10} ${MARGIN.top + 8})` });
  const items = [
    ["observed", labels.observed],
    ["median", labels.forecast],
    ["band", labels.band],
    ...(path.length > 1 ? [["target-path", labels.path]] : []),
    ...(data.target ? [["target", labels.target]] : []),
  ];
  items.forEach(([cls, text], n) => {
    legend.append(el("rect", { x: 0, y: n * 16, width: 14, height: 8, class: `key ${cls}` }));
    legend.append(el("text", { x: 20, y: n * 16 + 8 }, text));
  });
  f.root.append(legend);
}
