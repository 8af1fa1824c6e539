// MapLibre GL JS is vendored as its UMD build (static/vendor/maplibre-gl), loaded by a classic <script> before the
// modules; this module is the only reader of its global.

const maplibregl = window.maplibregl;
if (!maplibregl) { throw new Error("MapLibre GL JS is not loaded"); }
// Start the tile worker now, while the page's other modules load: it compiles MapLibre's worker bundle
// (150-170 ms on the control room's software renderer), which would otherwise begin only when the map is created.
maplibregl.prewarm();
export default maplibregl;
