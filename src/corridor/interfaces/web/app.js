// The Corridor web page: route planner, scenarios and forecasts over the REST API of the same app.

import { fanChart, rangeBars, shareBars, stepChart } from "./charts.js";
import { initialLang, lang, setLang, t, translatePage } from "./i18n.js";
import { createMap, drawBasemap, drawNetwork, drawRoutes, highlightRoute, labelPlaces, modeLegend } from "./map.js";

const CORRIDOR_COLORS = {
  Middle: "#d62728",
  Northern: "#1f77b4",
  "Sea-Suez": "#17a2b8",
  "Sea-Cape": "#2ca02c",
  "North–South": "#ff7f0e",
  "Trans-Afghan": "#8c564b",
  Air: "#9467bd",
  Direct: "#7f7f7f",
};
// A route takes its corridor's colour, as in the P50/P90 bars; a corridor's second and later
// routes get darker and lighter shades of it, so map, table and chart still tell them apart.
const SHADES = [0, -0.35, 0.4, -0.6, 0.6];

function shade(hex, amount) {
  const target = amount < 0 ? 0 : 255;
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const mixed = channels.map((c) => Math.round(c + (target - c) * Math.abs(amount)));
  return `#${mixed.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

function colourByCorridor(routes) {
  const seen = {};
  return routes.map((r, n) => {
    const k = seen[r.corridor] ?? 0;
    seen[r.corridor] = k + 1;
    return { ...r, id: n, color: shade(CORRIDOR_COLORS[r.corridor] ?? "#666666", SHADES[k % SHADES.length]) };
  });
}

const MODES = ["rail", "road", "ferry", "sea"]; // a 20/40 ft container never flies
const PASSAGES = ["suez", "bab-el-mandeb", "bosporus", "hormuz", "cape"];
const TOKEN_KEY = "corridor-token";

const $ = (selector, root = document) => root.querySelector(selector);
const state = {
  map: null,
  markers: [],
  legend: null,
  placeNames: new Map(), // English name → place properties, to show legs in the page's language
  routes: [],
  view: "pareto", // the table and map show the Pareto set, or the best route of each corridor
  pareto: null, // {routes, geojson} of the last plan
  corridors: null, // the same for /compare
  routeLayers: null,
  selected: null,
  stepMode: "time",
  compare: null,
  scenario: null,
  simulation: null,
  forecast: null,
};

// ---------------------------------------------------------------- API and formatting

/** Call the API; a 4xx/5xx answer becomes an Error carrying the API's own message. */
async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new Error(t("unreachable"));
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail ?? response.statusText);
    throw new Error(`${t(errorKind(response.status))} ${detail}`);
  }
  return body;
}

// What went wrong, in the page's language, without the HTTP code; the server's detail follows.
function errorKind(status) {
  if (status === 404) return "err_not_found";
  if (status === 401 || status === 403) return "err_denied";
  if (status === 429 || status === 503) return "err_busy";
  return status >= 500 ? "err_server" : "err_invalid";
}

function showError(scope, error) {
  const box = $(".error", scope);
  box.textContent = error ? error.message : "";
  box.hidden = !error;
}

function num(value, digits = 0) {
  const locale = lang() === "ru" ? "ru-RU" : "en-GB";
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

const pct = (value, digits = 0) => `${num(value * 100, digits)} %`;
const days = (hours) => num(hours / 24, 1);
const corridorName = (c) => t(`corridor_${c}`);
const localName = (p) => (lang() === "ru" ? p.name_ru || p.name : p.name);
const placeLabel = (english) => {
  const p = state.placeNames.get(english);
  return p ? localName(p) : english;
};

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

// ---------------------------------------------------------------- place autocomplete

/** Suggest places as the user types (any language the API knows); remember the chosen one. */
function autocomplete(input) {
  const list = input.parentElement.querySelector(".suggestions");
  let items = [];
  let active = -1;
  let timer;

  const close = () => {
    list.hidden = true;
    active = -1;
  };
  const choose = (place) => {
    clearTimeout(timer);
    input.place = place;
    input.value = localName(place);
    close();
  };
  const render = () => {
    list.replaceChildren(
      ...items.map((p, n) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.id = p.id;
        li.className = n === active ? "active" : "";
        const other = [lang() === "ru" ? p.name : p.name_ru, p.name_local].filter((x) => x && x !== localName(p));
        li.innerHTML = "<b></b> <small></small>";
        li.querySelector("b").textContent = localName(p);
        const city = p.kind === "city" ? t("city") : "";
        li.querySelector("small").textContent = [...new Set(other), p.country, p.locode, city].filter(Boolean).join(" · ");
        li.addEventListener("mousedown", (e) => {
          e.preventDefault();
          choose(p);
        });
        return li;
      }),
    );
    // An answer that arrives after the user chose a place or left the field must not reopen the list.
    list.hidden = items.length === 0 || input.place != null || document.activeElement !== input;
  };
  const lookup = async () => {
    const q = input.value.trim();
    if (!q) return close();
    try {
      const found = await api(`/places?q=${encodeURIComponent(q)}`);
      if (input.value.trim() !== q) return; // the user typed on meanwhile
      const seen = new Set();
      items = found.filter((p) => !seen.has(p.id) && seen.add(p.id));
      active = -1;
      render();
    } catch {
      close();
    }
  };

  input.addEventListener("input", () => {
    input.place = null;
    clearTimeout(timer);
    timer = setTimeout(lookup, 120);
  });
  input.addEventListener("keydown", (e) => {
    if (list.hidden) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      render();
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      choose(items[active]);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => {
    clearTimeout(timer);
    setTimeout(close, 150);
  });
}

/** What to send for a place input: the chosen place's LOCODE or name, else the text as typed. */
function placeQuery(input) {
  return input.place ? input.place.locode || input.place.name : input.value.trim();
}

// ---------------------------------------------------------------- routes

function routeParams() {
  const params = new URLSearchParams({
    origin: placeQuery($("#origin")),
    destination: placeQuery($("#destination")),
    cargo: $("#cargo").value,
  });
  for (const code of $("#avoid").value.split(/[\s,;]+/).filter(Boolean)) params.append("avoid", code.toUpperCase());
  for (const place of $("#via").value.split(/[,;]+/).map((p) => p.trim()).filter(Boolean)) params.append("via", place);
  for (const box of document.querySelectorAll("#avoid-modes input:checked")) params.append("avoid_mode", box.value);
  for (const box of document.querySelectorAll("#avoid-passages input:checked")) params.append("avoid_passage", box.value);
  if ($("#max-tr").value !== "") params.set("max_transshipments", $("#max-tr").value);
  if ($("#planned").checked) params.set("include_planned", "true");
  // Empty: the API prices at the latest date its data covers, and each route says which.
  if ($("#price-date").value) params.set("date", $("#price-date").value);
  return params;
}

function reliabilityParams() {
  const params = new URLSearchParams();
  if ($("#samples").value) params.set("samples", $("#samples").value);
  if ($("#deadline").value) params.set("deadline_h", String(Number($("#deadline").value) * 24));
  return params;
}

async function plan(event) {
  event.preventDefault();
  const page = $("#page-routes");
  const button = $("#plan");
  showError(page, null);
  button.disabled = true;
  button.textContent = t("planning");
  try {
    const query = routeParams();
    const [found, geojson] = await Promise.all([
      api(`/route?${query}&${reliabilityParams()}`),
      api(`/route.geojson?${query}&thin=true`),
    ]);
    state.pareto = { routes: found.routes, geojson, notes: found.notes };
    state.compare = null;
    state.corridors = null;
    $("#results").hidden = false;
    showView(state.view);
    loadComparison(query).catch((error) => showError(page, error));
  } catch (error) {
    showError(page, error);
  } finally {
    button.disabled = false;
    button.textContent = t("plan");
  }
}

async function loadComparison(query) {
  // The same journeys and deadline as the Pareto table, so the view shows on-time odds too.
  const params = new URLSearchParams(query);
  for (const [key, value] of reliabilityParams()) params.set(key, value);
  if (!params.has("samples")) params.set("samples", "5000");
  const [result, geojson] = await Promise.all([api(`/compare?${params}`), api(`/compare.geojson?${query}`)]);
  state.compare = result;
  state.compareDeadline = params.has("deadline_h") ? Number(params.get("deadline_h")) / 24 : null;
  state.corridors = { routes: result.routes, geojson, notes: result.notes };
  renderComparison();
  if (state.view === "corridors") showView("corridors");
}

/** Show the Pareto set or the best route of each corridor in the table, the map and the step chart. */
function showView(view) {
  state.view = view;
  for (const b of document.querySelectorAll("[data-view]")) b.classList.toggle("on", b.dataset.view === view);
  // Until the comparison arrives (it runs the Monte Carlo), the Pareto set stays on show.
  const corridors = view === "corridors" ? state.corridors : null;
  const shown = corridors ?? state.pareto;
  const title = $("#results-title");
  title.dataset.i18n = corridors ? "results_corridors" : "results";
  title.textContent = t(title.dataset.i18n);
  if (!shown) return;
  renderQueryNotes(shown.notes ?? []);
  state.routes = colourByCorridor(shown.routes);
  state.selected = null;
  state.routeLayers = drawRoutes(state.map, state.routeLayers, shown.geojson, (id) => state.routes[id]?.color ?? "#000", onRoute);
  renderRoutes();
}

/** What the query changed by itself or a shipper should know (the API's `notes`, in English). */
function renderQueryNotes(notes) {
  const box = $("#query-notes");
  box.hidden = !notes.length;
  box.querySelector("ul").replaceChildren(...notes.map((note) => Object.assign(document.createElement("li"), { textContent: note })));
}

/** The total's range: every part at its low or high end ("–" where no part has one). */
function costRange(r) {
  const [low, high] = [num(r.total_cost_usd_low), num(r.total_cost_usd_high)];
  return low === high ? "–" : `${low}–${high}`;
}

function onRoute(event, id) {
  if (event === "select") state.selected = state.selected === id ? null : id;
  highlight(event === "hover" && id !== null ? id : state.selected);
  if (event === "select") renderItinerary();
}

/** Show one route (or all alike) on the map, in the table and in the step chart. */
function highlight(id) {
  if (state.routeLayers) highlightRoute(state.routeLayers, id);
  for (const row of document.querySelectorAll("#routes-table tbody tr")) {
    row.classList.toggle("hl", Number(row.dataset.route) === id);
    row.classList.toggle("selected", Number(row.dataset.route) === state.selected);
  }
  for (const path of document.querySelectorAll("#step-chart [data-route]")) {
    path.classList.toggle("hl", Number(path.dataset.route) === id);
    path.classList.toggle("faded", id !== null && Number(path.dataset.route) !== id);
  }
}

function renderRoutes() {
  const body = $("#routes-table tbody");
  const withOdds = state.routes.some((r) => r.on_time_probability !== undefined);
  $("#routes-table").classList.toggle("no-odds", !withOdds);
  body.replaceChildren(
    ...state.routes.map((r) => {
      const row = document.createElement("tr");
      row.dataset.route = r.id;
      const swatch = cell("", "swatch");
      swatch.style.setProperty("--c", r.color);
      row.append(
        swatch,
        cell(corridorName(r.corridor)),
        cell(days(r.total_time_h), "n"),
        cell(num(r.total_cost_usd), "n"),
        cell(costRange(r), "n range"),
        cell(num(r.co2e_kg / 1000, 1), "n"),
        cell(num(r.distance_km), "n"),
        cell(String(r.transshipments), "n"),
        cell(r.time_p50_h === undefined ? "–" : days(r.time_p50_h), "n"),
        cell(r.time_p90_h === undefined ? "–" : days(r.time_p90_h), "n"),
        cell(withOdds ? pct(r.on_time_probability) : "", "n ontime"),
      );
      row.addEventListener("mouseenter", () => onRoute("hover", r.id));
      row.addEventListener("mouseleave", () => onRoute("hover", null));
      row.addEventListener("click", () => onRoute("select", r.id));
      return row;
    }),
  );
  if (!state.routes.length) body.append(Object.assign(document.createElement("tr"), { textContent: t("no_routes") }));
  const pricedAt = state.routes[0]?.priced_at;
  $("#priced-at").textContent = pricedAt ? t("priced_at", { date: pricedAt }) : "";
  renderStepChart();
  renderItinerary();
  highlight(state.selected);
}

/** Travel order of a route: the crossings at a place come before the leg that leaves it. */
function journey(route) {
  const pending = [...route.crossings];
  const events = [];
  const crossingsAt = (place) => {
    for (let n = 0; n < pending.length; ) {
      if (pending[n].place === place) events.push({ crossing: pending.splice(n, 1)[0] });
      else n += 1;
    }
  };
  for (const leg of route.legs) {
    crossingsAt(leg.from);
    events.push({ leg });
  }
  pending.forEach((crossing) => events.push({ crossing }));
  return events;
}

/** Cumulative (distance, days or USD) points: legs slope, waits and crossings step up. */
function stepPoints(route, mode) {
  let km = 0;
  let value = 0;
  const points = [[0, 0]];
  for (const { leg, crossing } of journey(route)) {
    if (crossing) {
      value += mode === "time" ? crossing.time_h / 24 : crossing.cost_usd;
    } else {
      if (mode === "time" && leg.wait_h > 0) {
        value += leg.wait_h / 24;
        points.push([km, value]);
      }
      km += leg.distance_km;
      value += mode === "time" ? (leg.time_h - leg.wait_h) / 24 : leg.cost_usd;
    }
    points.push([km, value]);
  }
  return points;
}

function renderStepChart() {
  const mode = state.stepMode;
  for (const b of document.querySelectorAll("[data-step]")) b.classList.toggle("on", b.dataset.step === mode);
  const series = state.routes.map((r) => ({
    id: r.id,
    color: r.color,
    label: `${corridorName(r.corridor)}: ${days(r.total_time_h)} ${t("unit_d")}, ${num(r.total_cost_usd)} USD`,
    points: stepPoints(r, mode),
  }));
  stepChart(
    $("#step-chart"),
    series,
    { x: t("axis_distance"), y: t(mode === "time" ? "axis_time" : "axis_cost") },
    { x: (v) => num(v), y: (v) => num(v) },
  );
}

function renderComparison() {
  const result = state.compare;
  if (!result) return;
  const rows = result.routes.map((r) => ({
    label: corridorName(r.corridor),
    p50: r.time_p50_h / 24,
    p90: r.time_p90_h / 24,
    det: r.total_time_h / 24,
    color: CORRIDOR_COLORS[r.corridor] ?? "#666",
  }));
  const deadline = state.compareDeadline;
  rangeBars($("#p-chart"), rows, { x: t("axis_days"), deadline: t("deadline_line") }, (v) => num(v), deadline);
  const missing = result.unavailable.map((u) => corridorName(u.corridor));
  $("#p-note").textContent =
    t("p_note", { n: num(Number($("#samples").value || 5000)) }) +
    (deadline ? t("p_deadline", { days: num(deadline, 1) }) : "") +
    (missing.length ? ` ${t("unavailable")}: ${missing.join(", ")}.` : "");
}

function renderItinerary() {
  const box = $("#itinerary");
  const route = state.routes[state.selected];
  if (!route) {
    box.innerHTML = state.routes.length ? `<p class="hint">${t("hover_hint")}</p>` : "";
    return;
  }
  const list = document.createElement("ol");
  for (const { leg, crossing } of journey(route)) {
    const li = document.createElement("li");
    if (leg) {
      const wait = leg.wait_h > 0 ? `, ${t("wait")} ${num(leg.wait_h)} ${t("unit_h")}` : "";
      li.textContent =
        `${placeLabel(leg.from)} → ${placeLabel(leg.to)} · ${t(`mode_${leg.mode}`)} · ` +
        `${num(leg.distance_km)} ${t("unit_km")} · ${days(leg.time_h)} ${t("unit_d")}${wait} · ${num(leg.cost_usd)} USD`;
      if (leg.tariff) li.append(tariffNote(leg.tariff));
    } else {
      li.className = "crossing";
      li.textContent =
        `${placeLabel(crossing.place)}: ${t(`kind_${crossing.kind}`)} · ` +
        `${num(crossing.time_h)} ${t("unit_h")} · ${num(crossing.cost_usd)} USD`;
    }
    list.append(li);
  }
  const title = document.createElement("h3");
  title.textContent = `${t("itinerary")}: ${corridorName(route.corridor)}`;
  title.style.borderColor = route.color;
  box.replaceChildren(title, list);
}

/**
 * Which dated tariffs, indexes and exchange rates priced a leg and how old they were, folded away.
 * A merged leg lists one source per link it runs over; each starts on its own line.
 */
function tariffNote(text) {
  const details = document.createElement("details");
  details.className = "tariff";
  const summary = document.createElement("summary");
  summary.textContent = t("tariff");
  const sources = [...new Set(text.split(/; (?=derived: )/))];
  details.append(summary, ...sources.map((source) => Object.assign(document.createElement("div"), { textContent: source })));
  return details;
}

// ---------------------------------------------------------------- scenarios

/** A list entry: the scenario's name as a button that opens it, then `detail`. */
function scenarioItem(label, detail, open) {
  const li = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = label;
  button.addEventListener("click", open);
  li.append(button, ` · ${detail}`);
  return li;
}

async function loadScenarios() {
  const page = $("#page-scenarios");
  try {
    // The shipped scenarios never change while the server runs: fetched once.
    state.shipped ??= await api("/shipped-scenarios");
    $("#shipped-list").replaceChildren(
      ...state.shipped.map((s) => scenarioItem(s.title, String(s.year), () => openScenario({ ...s, shipped: true }))),
    );
    const stored = await api("/scenarios");
    const list = $("#scenario-list");
    list.replaceChildren(...stored.map((s) => scenarioItem(s.name, `${t("version")} ${s.version}`, () => showScenario(s.name))));
    if (!stored.length) list.innerHTML = `<li class="hint">${t("none_stored")}</li>`;
  } catch (error) {
    showError(page, error);
  }
}

async function showScenario(name) {
  const page = $("#page-scenarios");
  showError(page, null);
  try {
    openScenario(await api(`/scenarios/${encodeURIComponent(name)}`));
  } catch (error) {
    showError(page, error);
  }
}

/** Show a scenario's YAML and the simulate form: a stored one ({name, version}) or a shipped one ({name, title, shipped}). */
function openScenario(scenario) {
  showError($("#page-scenarios"), null);
  state.scenario = scenario;
  state.simulation = null;
  $("#simulation").hidden = true;
  $("#scenario-hint").hidden = true;
  $("#scenario-view").hidden = false;
  renderScenarioTitle();
  $("#scenario-text").textContent = scenario.yaml;
}

function renderScenarioTitle() {
  const s = state.scenario;
  if (!s) return;
  $("#scenario-title").textContent = s.shipped ? `${s.title} · ${t("shipped_tag")}` : `${s.name} · ${t("version")} ${s.version}`;
}

/** A starting YAML from the route form: the user edits the volume before saving. */
function scenarioTemplate() {
  const origin = placeQuery($("#origin")) || "Shanghai";
  const destination = placeQuery($("#destination")) || "Belgrade";
  const avoid = $("#avoid").value.split(/[\s,;]+/).filter(Boolean).map((c) => c.toUpperCase());
  const name = $("#scenario-name").value || `${origin} ${destination}`.replace(/[^A-Za-z0-9 ._-]/g, "");
  $("#scenario-name").value = name;
  const avoidYaml = avoid.length ? `, avoid_countries: [${avoid.join(", ")}]` : "";
  $("#scenario-yaml").value =
    `name: ${name}\nyear: ${new Date().getFullYear()}\ndemand:\n` +
    `  - {origin: ${origin}, destination: ${destination}, teu_per_year: 1000${avoidYaml}}  # ${t("example_volume")}\n`;
}

async function saveScenario(event) {
  event.preventDefault();
  const page = $("#page-scenarios");
  showError(page, null);
  $(".ok", page).hidden = true;
  const token = $("#token").value.trim();
  if (!token) return showError(page, new Error(t("token_missing")));
  try {
    const name = $("#scenario-name").value.trim();
    const saved = await api("/scenarios", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name, yaml: $("#scenario-yaml").value }),
    });
    $(".ok", page).textContent = t("saved", saved);
    $(".ok", page).hidden = false;
    await loadScenarios();
    await showScenario(saved.name);
  } catch (error) {
    showError(page, error);
  }
}

async function simulate(event) {
  event.preventDefault();
  const page = $("#page-scenarios");
  const button = $("#simulate");
  showError(page, null);
  button.disabled = true;
  button.textContent = t("simulating");
  try {
    const body = { years: Number($("#sim-years").value), seed: Number($("#sim-seed").value) };
    const { name, shipped } = state.scenario;
    // With the token the server stores the result of a stored scenario; without it, it only simulates.
    const token = $("#token").value.trim();
    const auth = token && !shipped ? { Authorization: `Bearer ${token}` } : {};
    const path = shipped ? "/simulate" : `/scenarios/${encodeURIComponent(name)}/simulate`;
    state.simulation = await api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...auth },
      body: JSON.stringify(shipped ? { ...body, scenario: name } : body),
    });
    renderSimulation();
  } catch (error) {
    showError(page, error);
  } finally {
    button.disabled = false;
    button.textContent = t("simulate");
  }
}

// A line's kind (ferry, sea, gauge-change, …) in the page's language; an unknown kind as sent.
function kindLabel(kind) {
  const label = t(`kind_${kind}`);
  return label === `kind_${kind}` ? kind : label;
}

function renderSimulation() {
  const sim = state.simulation;
  if (!sim) return;
  $("#simulation").hidden = false;
  const figures = { name: sim.scenario, version: sim.version, demand: num(sim.demand_teu), delivered: num(sim.delivered_teu) };
  $("#sim-summary").textContent = t(sim.version === undefined ? "sim_summary_shipped" : "sim_summary", figures);
  renderCarryOver(sim);
  // The notes name places by their display names: closed lines, dated disruptions, levers that change nothing.
  $("#sim-notes").replaceChildren(...sim.notes.map((note) => Object.assign(document.createElement("li"), { textContent: note })));
  const rows = sim.lines || sim.bottlenecks;
  const utilisation = (b) => (b.closed ? t("closed") : pct(b.utilisation, 1));
  shareBars(
    $("#sim-chart"),
    rows.map((b) => ({
      label: b.resource,
      value: b.closed ? 0 : b.utilisation,
      note: b.closed ? t("closed") : `P90 ${num(b.p90_queue_h)} ${t("unit_h")}`,
    })),
    (v) => pct(v),
  );
  $("#bottlenecks tbody").replaceChildren(
    ...rows.map((b) => {
      const row = document.createElement("tr");
      if (b.closed) row.className = "closed";
      row.append(
        cell(b.resource),
        cell(kindLabel(b.kind)),
        cell(b.capacity),
        cell(num(b.teu ?? 0), "n"),
        cell(utilisation(b), "n"),
        cell(num(b.queue_h, 1), "n"),
        cell(num(b.p90_queue_h, 1), "n"),
        cell(num(b.departure_wait_h ?? 0, 1), "n"),
        cell(num(b.max_queue), "n"),
      );
      return row;
    }),
  );
  renderLeadTimes(sim.lead_times ?? []);
}

// Where the TEU went: arrived in the period, carried over into the drain, still queueing or moving.
function renderCarryOver(sim) {
  const rest = sim.drained_teu || sim.waiting_teu || sim.in_transit_teu;
  $("#sim-carry").textContent = rest
    ? t("sim_carry", {
        within: num(sim.delivered_teu - sim.drained_teu),
        drained: num(sim.drained_teu),
        waiting: num(sim.waiting_teu),
        moving: num(sim.in_transit_teu),
      })
    : "";
}

function renderLeadTimes(rows) {
  $("#lead-times").hidden = !rows.length;
  $("#lead-times tbody").replaceChildren(
    ...rows.map((r) => {
      const row = document.createElement("tr");
      const [from, to] = r.od.split(" → ");
      row.append(cell(to ? `${placeLabel(from)} → ${placeLabel(to)}` : r.od), cell(num(r.train_loads), "n"));
      row.append(cell(num(r.p50_days, 1), "n"), cell(num(r.p90_days, 1), "n"));
      return row;
    }),
  );
}

// ---------------------------------------------------------------- forecast

async function runForecast(event) {
  event.preventDefault();
  const page = $("#page-forecast");
  showError(page, null);
  try {
    const params = new URLSearchParams({
      a: $("#fc-a").value.trim().toUpperCase(),
      b: $("#fc-b").value.trim().toUpperCase(),
      to: $("#fc-to").value,
      method: $("#fc-method").value,
    });
    state.forecast = await api(`/forecast?${params}`);
    renderForecast();
  } catch (error) {
    showError(page, error);
  }
}

function renderForecast() {
  const fc = state.forecast;
  if (!fc) return;
  $("#forecast-result").hidden = false;
  const measure = $("#fc-measure").value;
  const observed = fc.rows.filter((r) => r.kind === "observed");
  // The forecast starts at the last observation so the fan joins the history.
  const ahead = [...observed.slice(-1), ...fc.rows.filter((r) => r.kind !== "observed")];
  const pick = (rows, suffix) => rows.map((r) => [r.year, r[measure + suffix]]);
  const path = targetPath(fc, observed.at(-1), measure);
  const target = path.length ? path.at(-1) : null;
  const measureLabel = $("#fc-measure").selectedOptions[0].textContent;
  fanChart(
    $("#fc-chart"),
    { observed: pick(observed, ""), median: pick(ahead, ""), low: pick(ahead, "_low"), high: pick(ahead, "_high"), target, path },
    {
      x: "",
      y: measureLabel,
      observed: t("observed"),
      forecast: t("forecast_line"),
      band: t("band"),
      target: t("target"),
      path: t("target_path"),
    },
    { x: (v) => String(v), y: (v) => num(v) },
  );
  renderForecastTable(fc, measure, measureLabel);
  $("#fc-caption").textContent = `${fc.pair} · ${$("#fc-method").selectedOptions[0].textContent} · ${measureLabel}`;
  let summary = t("fc_summary", { pair: fc.pair, growth: pct(fc.forecast_growth, 1) });
  if (fc.required_growth !== null) {
    summary += t("fc_needed", { target: num(fc.target_usd_m), year: fc.target_year, needed: pct(fc.required_growth, 1) });
  }
  $("#fc-summary").textContent = summary;
  // The method's assumptions and the value → freight conversion, as the API states them.
  $("#fc-notes").textContent = [fc.series, fc.coverage_note, fc.note, fc.conversion].filter(Boolean).join(" · ");
}

// The constant-growth path from the last observed year to the target, in the measure shown: the
// freight measures are proportional to value, so the target scales by the last year's ratio.
function targetPath(fc, last, measure) {
  if (fc.target_usd_m === null || !last || fc.target_year <= last.year) return [];
  const end = (fc.target_usd_m / last.value_usd_m) * last[measure];
  const years = fc.target_year - last.year;
  return Array.from({ length: years + 1 }, (_, n) => [last.year + n, last[measure] * (end / last[measure]) ** (n / years)]);
}

// The forecast years as a table: median and interval of the measure shown.
function renderForecastTable(fc, measure, label) {
  const body = $("#fc-table tbody");
  $("#fc-table-measure").textContent = label;
  const covered = fc.coverage === null ? "" : t("fc_coverage", { share: pct(fc.coverage) });
  $("#fc-table-band").textContent = `${t("band")}${covered}`;
  body.replaceChildren(
    ...fc.rows
      .filter((r) => r.kind !== "observed" || r.year === fc.rows.filter((o) => o.kind === "observed").at(-1).year)
      .map((r) => {
        const row = document.createElement("tr");
        const band = r.kind === "observed" || fc.method === "target" ? "" : `${num(r[measure + "_low"])} – ${num(r[measure + "_high"])}`;
        row.append(cell(String(r.year)), cell(r.kind === "observed" ? t("observed") : t("forecast_line")));
        row.append(cell(num(r[measure]), "num"), cell(band, "num"));
        return row;
      }),
  );
}

// ---------------------------------------------------------------- shipment lists

const BATCH_FILES = ["results.csv", "legs.csv", "report.html"];
const POLL_MS = 300;

/** Upload the chosen CSV as a batch job, poll it, then offer its files for download. */
async function runBatch(event) {
  event.preventDefault();
  const page = $("#page-batch");
  const button = $("#batch-run");
  showError(page, null);
  button.disabled = true;
  try {
    const file = $("#batch-file").files[0];
    const samples = Math.max(0, Number($("#batch-samples").value) || 0);
    const job = await api(`/jobs/batch?samples=${samples}`, {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: await file.text(),
    });
    $("#batch-result").hidden = false;
    $("#batch-links").replaceChildren();
    $("#batch-errors").replaceChildren();
    renderBatch(await pollJob(`/jobs/${job.id}`));
  } catch (error) {
    showError(page, error);
  } finally {
    button.disabled = false;
  }
}

async function pollJob(location) {
  for (;;) {
    const job = await api(location);
    if (job.status === "failed") throw new Error(job.error);
    if (job.status === "done") return job;
    $("#batch-status").textContent = t("batch_running", { done: pct(job.progress) });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function renderBatch(job) {
  const s = job.result.summary;
  $("#batch-status").textContent = t("batch_summary", {
    planned: num(s.planned),
    rows: num(s.rows),
    cost: num(s.cost_usd),
    co2: num(s.co2e_wtw_t, 2),
  });
  const links = BATCH_FILES.map((name) => {
    const a = document.createElement("a");
    a.href = `/jobs/${job.id}/${name}`;
    a.textContent = name;
    a.download = name;
    return a;
  });
  $("#batch-links").replaceChildren(t("batch_download"), ...links.flatMap((a) => [" ", a]));
  $("#batch-errors").replaceChildren(
    ...job.result.report.errors.map((message) => {
      const li = document.createElement("li");
      li.textContent = message;
      return li;
    }),
  );
}

// ---------------------------------------------------------------- page shell

function showTab() {
  const tab = (location.hash || "#routes").slice(1);
  const known = ["routes", "scenarios", "forecast", "batch"].includes(tab) ? tab : "routes";
  for (const page of document.querySelectorAll(".page")) page.hidden = page.id !== `page-${known}`;
  for (const link of document.querySelectorAll("#tabs [data-tab]")) link.classList.toggle("on", link.dataset.tab === known);
  if (known === "routes") state.map?.invalidateSize();
  if (known === "scenarios") loadScenarios();
}

function switchLanguage(code) {
  setLang(code);
  localStorage.setItem("corridor-lang", code);
  translatePage();
  document.title = t("title");
  for (const b of document.querySelectorAll("#lang button")) b.classList.toggle("on", b.dataset.lang === code);
  for (const input of [$("#origin"), $("#destination")]) if (input.place) input.value = localName(input.place);
  labelPlaces(state.markers, localName);
  state.legend?.update();
  if (state.routes.length) renderRoutes();
  renderComparison();
  renderScenarioTitle();
  renderSimulation();
  renderForecast();
  if (!$("#page-scenarios").hidden) loadScenarios();
}

function checkboxes(container, values, prefix) {
  container.replaceChildren(
    ...values.map((value) => {
      const label = document.createElement("label");
      label.className = "check";
      label.innerHTML = `<input type="checkbox" value="${value}"> <span data-i18n="${prefix}${value}"></span>`;
      return label;
    }),
  );
}

async function drawMap() {
  state.map = createMap($("#map"));
  const [countries, network] = await Promise.all([
    fetch("/static/countries.geojson").then((r) => r.json()),
    api("/network.geojson"),
  ]);
  drawBasemap(state.map, countries);
  for (const f of network.features) if (f.geometry.type === "Point") state.placeNames.set(f.properties.name, f.properties);
  state.markers = drawNetwork(state.map, network, localName);
  state.legend = modeLegend(state.map, (mode) => t(`mode_${mode}`));
}

async function main() {
  checkboxes($("#avoid-modes"), MODES, "mode_");
  checkboxes($("#avoid-passages"), PASSAGES, "passage_");
  $("#origin").place = { name: "Shanghai (Yangshan)", name_ru: "Шанхай", locode: "CNSHA" };
  switchLanguage(initialLang());
  autocomplete($("#origin"));
  autocomplete($("#destination"));
  $("#route-form").addEventListener("submit", plan);
  for (const b of document.querySelectorAll("[data-step]")) {
    b.addEventListener("click", () => {
      state.stepMode = b.dataset.step;
      renderStepChart();
      highlight(state.selected);
    });
  }
  for (const b of document.querySelectorAll("#lang button")) b.addEventListener("click", () => switchLanguage(b.dataset.lang));
  for (const b of document.querySelectorAll("[data-view]")) b.addEventListener("click", () => showView(b.dataset.view));
  $("#token").value = sessionStorage.getItem(TOKEN_KEY) ?? "";
  $("#token").addEventListener("input", () => sessionStorage.setItem(TOKEN_KEY, $("#token").value));
  $("#scenario-template").addEventListener("click", scenarioTemplate);
  $("#scenario-form").addEventListener("submit", saveScenario);
  $("#simulate-form").addEventListener("submit", simulate);
  $("#forecast-form").addEventListener("submit", runForecast);
  $("#fc-measure").addEventListener("change", renderForecast);
  $("#batch-form").addEventListener("submit", runBatch);
  window.addEventListener("hashchange", showTab);
  window.addEventListener("resize", () => {
    if (state.routes.length) renderStepChart();
    renderComparison();
  });
  showTab();
  try {
    await drawMap();
    document.body.dataset.ready = "map";
  } catch (error) {
    showError($("#page-routes"), error);
  }
}

main();
