// The map of an OGC API HTML page (/ogcapi/...?f=html): the page's GeoJSON ({{ geojson|json_script }}) over the
// province and its communes (the server's own vector tiles, no internet needed), zoom buttons, and a popup of a
// clicked feature's attributes built with el() (no markup from data). Loaded as a file: the CSP forbids inline
// script.

import { el, isLink, link } from "../map/dom.js";

const maplibregl = window.maplibregl; // vendored UMD build, loaded by the classic script before this module
const data = JSON.parse(document.getElementById("page-geojson").textContent);
const base = `${location.origin}/tiles/province,communes.json`;
const map = new maplibregl.Map({
  container: "map", center: [106.9, 11.2], zoom: 7, attributionControl: false, dragRotate: false, maxPitch: 0,
  style: {
    version: 8,
    sources: { base: { type: "vector", url: base } },
    layers: [
      { id: "bg", type: "background", paint: { "background-color": "#eef2f5" } },
      { id: "base-communes-fill", type: "fill", source: "base", "source-layer": "communes", paint: { "fill-color": "#f6f1e7", "fill-opacity": 0.8 } },
      { id: "base-communes", type: "line", source: "base", "source-layer": "communes", paint: { "line-color": "#9a8c98", "line-width": 0.7 } },
      { id: "base-province", type: "line", source: "base", "source-layer": "province", paint: { "line-color": "#1d3557", "line-width": 2.2 } },
    ],
  },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
window.ogcMap = map; // for tests and the curious

const kinds = (names) => ["in", ["geometry-type"], ["literal", names]];
const FEATURE_LAYERS = ["fill", "line", "point"];

function bounds(collection) {
  const box = new maplibregl.LngLatBounds();
  const walk = (c) => { if (typeof c[0] === "number") { box.extend(c); } else { c.forEach(walk); } };
  (collection.features || [collection]).forEach((f) => { if (f.geometry) { walk(f.geometry.coordinates); } });
  return box;
}

function cell(value) {
  if (value === null || value === undefined) { return ""; }
  if (isLink(value)) { return link(value, String(value)); }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The popup of a feature of the page: its id (a link to its own page on an items page) and its attributes. */
function popupOf(feature) {
  const props = feature.properties || {};
  const id = feature.id !== undefined ? feature.id : props.id;
  const itemsPage = /\/items\/?$/.test(location.pathname);
  const heading = id === undefined ? el("strong", {}, document.title)
    : itemsPage ? el("a", { href: `${location.pathname.replace(/\/$/, "")}/${encodeURIComponent(id)}?f=html` }, `#${id}`)
      : el("strong", {}, `#${id}`);
  return el("div", { class: "popup" }, heading,
    el("table", { class: "popup-attrs" }, el("tbody", {}, Object.keys(props).map((key) =>
      el("tr", { "data-attr": key }, el("th", { scope: "row" }, key), el("td", {}, cell(props[key])))))));
}

map.on("load", () => {
  // ids are kept so a popup can name the feature (GeoJSON sources drop non-numeric ids unless promoted)
  const withIds = { type: "FeatureCollection",
    features: (data.features || [data]).map((f) => ({ ...f, properties: { ...(f.properties || {}), id: f.id } })) };
  map.addSource("page", { type: "geojson", data: withIds });
  map.addLayer({ id: "fill", type: "fill", source: "page", filter: kinds(["Polygon", "MultiPolygon"]),
    paint: { "fill-color": "#3b82f6", "fill-opacity": 0.35, "fill-outline-color": "#1e40af" } });
  map.addLayer({ id: "line", type: "line", source: "page", filter: kinds(["LineString", "MultiLineString"]),
    paint: { "line-color": "#1e40af", "line-width": 2.5 } });
  map.addLayer({ id: "point", type: "circle", source: "page", filter: kinds(["Point", "MultiPoint"]),
    paint: { "circle-color": "#dc2626", "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 1.5 } });
  const box = bounds(data);
  if (!box.isEmpty()) { map.fitBounds(box, { padding: 40, maxZoom: 15, duration: 0 }); }
  document.body.dataset.mapReady = "1";
});

let popup = null;
map.on("click", (event) => {
  const feature = map.queryRenderedFeatures(event.point, { layers: FEATURE_LAYERS })[0];
  if (!feature) { return; }
  if (popup) { popup.remove(); }
  const { id, ...properties } = feature.properties;
  popup = new maplibregl.Popup({ maxWidth: "360px" }).setLngLat(event.lngLat)
    .setDOMContent(popupOf({ id, properties })).addTo(map);
});
FEATURE_LAYERS.forEach((id) => {
  map.on("mouseenter", id, () => { map.getCanvas().style.cursor = "pointer"; });
  map.on("mouseleave", id, () => { map.getCanvas().style.cursor = ""; });
});
