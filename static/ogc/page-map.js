// The map of an OGC API HTML page (/ogcapi/...?f=html): the page's GeoJSON ({{ geojson|json_script }}) drawn
// over a plain background, no internet needed. Loaded as a file: the CSP forbids inline script.

const maplibregl = window.maplibregl; // vendored UMD build, loaded by the classic script before this module
const data = JSON.parse(document.getElementById("page-geojson").textContent);
const map = new maplibregl.Map({
  container: "map", center: [106.9, 11.2], zoom: 7, attributionControl: false,
  style: { version: 8, sources: {}, layers: [{ id: "bg", type: "background", paint: { "background-color": "#eef2f5" } }] },
});
window.ogcMap = map; // for tests and the curious

const kinds = (names) => ["in", ["geometry-type"], ["literal", names]];

function bounds(collection) {
  const box = new maplibregl.LngLatBounds();
  const walk = (c) => { if (typeof c[0] === "number") { box.extend(c); } else { c.forEach(walk); } };
  (collection.features || [collection]).forEach((f) => { if (f.geometry) { walk(f.geometry.coordinates); } });
  return box;
}

map.on("load", () => {
  map.addSource("page", { type: "geojson", data });
  map.addLayer({ id: "fill", type: "fill", source: "page", filter: kinds(["Polygon", "MultiPolygon"]),
    paint: { "fill-color": "#3b82f6", "fill-opacity": 0.3, "fill-outline-color": "#1e40af" } });
  map.addLayer({ id: "line", type: "line", source: "page", filter: kinds(["LineString", "MultiLineString"]),
    paint: { "line-color": "#1e40af", "line-width": 2 } });
  map.addLayer({ id: "point", type: "circle", source: "page", filter: kinds(["Point", "MultiPoint"]),
    paint: { "circle-color": "#dc2626", "circle-radius": 4 } });
  const box = bounds(data);
  if (!box.isEmpty()) { map.fitBounds(box, { padding: 20, maxZoom: 16, duration: 0 }); }
});
