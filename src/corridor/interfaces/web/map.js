// The map: a Natural Earth country basemap drawn as vectors (no tile server), the network
// styled by mode, and the planned routes on top. Leaflet is loaded as a classic script (global L).

const L = window.L;

export const MODE_STYLE = {
  rail: { color: "#5b5b5b", weight: 1.6 },
  road: { color: "#b26b1f", weight: 1.6, dashArray: "5 3" },
  ferry: { color: "#0e8a8a", weight: 2, dashArray: "7 4" },
  sea: { color: "#5d8fc4", weight: 1.3, dashArray: "2 4" },
  air: { color: "#8e44ad", weight: 1.3, dashArray: "1 6" },
};

const PLACE_COLOR = { seaport: "#1d5fa8", border_crossing: "#b03030", gauge_change: "#b03030" };

/** A map with no tile layer, framed on the land bridge, with panes stacked basemap < network < routes. */
export function createMap(element) {
  const map = L.map(element, { zoomSnap: 0.25, minZoom: 2, maxZoom: 10, worldCopyJump: false });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution("Countries: Natural Earth");
  for (const [pane, z] of [["basemap", 150], ["network", 400], ["routes", 450], ["places", 500]]) {
    map.createPane(pane).style.zIndex = String(z);
  }
  map.fitBounds([
    [18, -2],
    [56, 124],
  ]);
  return map;
}

/** Countries as filled polygons in the lowest pane. */
export function drawBasemap(map, countries) {
  return L.geoJSON(countries, {
    pane: "basemap",
    interactive: false,
    style: { className: "basemap", color: "#b8b0a2", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 },
  }).addTo(map);
}

/** Links styled by mode (planned ones faded) and places as small dots with a tooltip. */
export function drawNetwork(map, network, placeName) {
  const links = network.features.filter((f) => f.geometry.type === "LineString");
  L.geoJSON(
    { type: "FeatureCollection", features: links },
    {
      pane: "network",
      interactive: false,
      style: (f) => ({
        ...(MODE_STYLE[f.properties.mode] ?? MODE_STYLE.rail),
        className: `net-link mode-${f.properties.mode}`,
        opacity: f.properties.status === "planned" ? 0.45 : 0.85,
      }),
    },
  ).addTo(map);
  const markers = [];
  for (const f of network.features.filter((f) => f.geometry.type === "Point")) {
    const [lon, lat] = f.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], {
      pane: "places",
      radius: 3,
      weight: 1,
      color: "#fff",
      fillColor: PLACE_COLOR[f.properties.kind] ?? "#333",
      fillOpacity: 1,
      className: "place",
    }).addTo(map);
    marker.feature = f;
    markers.push(marker);
  }
  labelPlaces(markers, placeName);
  return markers;
}

/** (Re)bind the place tooltips, e.g. after a language switch. */
export function labelPlaces(markers, placeName) {
  for (const m of markers) m.unbindTooltip().bindTooltip(placeName(m.feature.properties), { direction: "top" });
}

/** A legend of the modes (labels from `label(mode)`), bottom left. */
export function modeLegend(map, label) {
  const control = L.control({ position: "bottomleft" });
  control.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    control.update = () => {
      div.replaceChildren(
        ...Object.entries(MODE_STYLE).map(([mode, s]) => {
          const row = document.createElement("div");
          row.innerHTML = `<svg width="26" height="8"><line x1="0" y1="4" x2="26" y2="4" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dashArray ?? ""}"/></svg>`;
          row.append(` ${label(mode)}`);
          return row;
        }),
      );
    };
    control.update();
    return div;
  };
  return control.addTo(map);
}

/**
 * The planned routes, one layer group per route (`feature.properties.route` numbers them),
 * in each route's colour; `on(event, id)` is called on hover and click.
 */
export function drawRoutes(map, previous, geojson, colorOf, on) {
  if (previous) previous.forEach((g) => g.remove());
  const groups = new Map();
  for (const f of geojson.features) {
    const id = f.properties.route;
    if (!groups.has(id)) groups.set(id, L.featureGroup().addTo(map));
    const line = L.polyline(
      f.geometry.coordinates.map(([lon, lat]) => [lat, lon]),
      { pane: "routes", color: colorOf(id), weight: 4, opacity: 0.85, className: "route-line" },
    );
    line.on("mouseover", () => on("hover", id));
    line.on("mouseout", () => on("hover", null));
    line.on("click", () => on("select", id));
    groups.get(id).addLayer(line);
  }
  const all = L.featureGroup([...groups.values()]);
  if (groups.size) map.fitBounds(all.getBounds(), { padding: [20, 20] });
  return groups;
}

/** Thicken one route and fade the others; `id === null` shows all alike. */
export function highlightRoute(groups, id) {
  for (const [key, g] of groups) {
    const on = id === null || key === id;
    g.setStyle({ weight: key === id ? 7 : 4, opacity: on ? 0.9 : 0.25 });
    if (key === id) g.bringToFront();
  }
}
