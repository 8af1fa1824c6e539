// Highlights on the map: features of one group of an analysis result (drawn over the layer's own vector tiles,
// filtered by the group's value and, for points and lines, by the analysis area), and plain GeoJSON overlays
// (a picked commune's outline, a scenario's result features).

const HIGHLIGHT_PREFIX = "ioc-highlight-";

function layerFor(type, id, source, extra) {
  const paint = {
    circle: { "circle-radius": 7, "circle-color": "#ffd60a", "circle-stroke-color": "#000", "circle-stroke-width": 2 },
    line: { "line-color": "#ffd60a", "line-width": 5 },
    fill: { "fill-color": "#ffd60a", "fill-opacity": 0.45, "fill-outline-color": "#000" },
  }[type];
  return { id, type, source, paint, ...extra };
}

/** Remove every highlight layer (and its GeoJSON source). */
export function clearHighlights(map, prefix = HIGHLIGHT_PREFIX) {
  if (!map.getStyle()) { return; } // the style is still loading: nothing drawn yet
  map.getStyle().layers.filter((l) => l.id.startsWith(prefix)).forEach((l) => map.removeLayer(l.id));
  Object.keys(map.getStyle().sources).filter((s) => s.startsWith(prefix)).forEach((s) => map.removeSource(s));
}

/** Highlight the features of `layerId` whose `attribute` equals `value` inside `area` (a GeoJSON polygon). */
export function highlightGroup(map, { layerId, attribute, value, area }) {
  clearHighlights(map);
  const styleLayer = map.getStyle().layers.find((l) => l.metadata && l.metadata["ioc:layer"] === layerId && l.source && l["source-layer"]);
  if (!styleLayer) { return null; }
  const byValue = attribute === "commune" ? ["==", ["to-string", ["get", "commune_code"]], String(value)]
    : ["==", ["to-string", ["get", attribute]], String(value)];
  const geometryType = styleLayer.type === "circle" || styleLayer.type === "symbol" ? "circle" : styleLayer.type === "line" ? "line" : "fill";
  const filter = area && geometryType !== "fill" ? ["all", byValue, ["within", area]] : byValue;
  const id = `${HIGHLIGHT_PREFIX}${layerId}`;
  map.addLayer(layerFor(geometryType, id, styleLayer.source, { "source-layer": styleLayer["source-layer"], filter }));
  return id;
}

/** Show GeoJSON as an overlay (replacing an overlay of the same name). */
export function overlay(map, name, data, { fill = "#ffd60a", line = "#1d3557", point = "#d00000" } = {}) {
  const source = `ioc-overlay-${name}`;
  clearHighlights(map, source);
  map.addSource(source, { type: "geojson", data });
  map.addLayer({ id: `${source}-fill`, type: "fill", source, filter: ["in", ["geometry-type"], ["literal", ["Polygon", "MultiPolygon"]]], paint: { "fill-color": ["coalesce", ["get", "__colour"], fill], "fill-opacity": 0.2 } });
  map.addLayer({ id: `${source}-line`, type: "line", source, filter: ["!", ["in", ["geometry-type"], ["literal", ["Point", "MultiPoint"]]]], paint: { "line-color": ["coalesce", ["get", "__colour"], line], "line-width": 3 } });
  map.addLayer({ id: `${source}-point`, type: "circle", source, filter: ["in", ["geometry-type"], ["literal", ["Point", "MultiPoint"]]],
    paint: { "circle-radius": 6, "circle-color": ["coalesce", ["get", "__colour"], point], "circle-stroke-color": "#fff", "circle-stroke-width": 1.5 } });
  return source;
}

/** Remove an overlay. */
export function removeOverlay(map, name) { clearHighlights(map, `ioc-overlay-${name}`); }
