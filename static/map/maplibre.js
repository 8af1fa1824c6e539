// MapLibre GL JS is vendored as its UMD build (static/vendor/maplibre-gl), loaded by a classic <script> before the
// modules; this module is the only reader of its global.

const maplibregl = window.maplibregl;
if (!maplibregl) { throw new Error("MapLibre GL JS is not loaded"); }
export default maplibregl;
