// Drawing the analysis area with terra-draw (vendored, MapLibre adapter): polygon, rectangle, circle, point,
// and a select mode to move, reshape or resize. One area at a time; it becomes a /api/query shape.

import {
  TerraDraw, TerraDrawCircleMode, TerraDrawPointMode, TerraDrawPolygonMode, TerraDrawRectangleMode, TerraDrawSelectMode,
} from "../vendor/terra-draw-1.35.0/terra-draw.module.js";
import { TerraDrawMapLibreGLAdapter } from "../vendor/terra-draw-maplibre-gl-adapter-1.4.1/terra-draw-maplibre-gl-adapter.module.js";
import { circlePolygon, distanceM } from "./geo.js";

export const DRAW_MODES = ["polygon", "rectangle", "circle", "point"];
const EDITABLE = {
  feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } },
};
const CIRCLE_EDIT = { feature: { draggable: true, coordinates: { resizable: "center-fixed" } } };

function ringCenter(ring) {
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

const round = (c) => [+c[0].toFixed(6), +c[1].toFixed(6)];

/** The /api/query shape of a drawn feature (a point takes the typed radius). */
export function shapeOf(feature, pointRadiusM) {
  const mode = feature.properties.mode;
  if (mode === "point") { return { type: "radius", center: round(feature.geometry.coordinates), radius_m: pointRadiusM }; }
  if (mode === "circle") {
    const ring = feature.geometry.coordinates[0];
    const center = ringCenter(ring);
    const radius = feature.properties.radiusKilometers ? feature.properties.radiusKilometers * 1000 : distanceM(center, ring[0]);
    return { type: "radius", center: round(center), radius_m: Math.round(radius) };
  }
  const geometry = { type: "Polygon", coordinates: [feature.geometry.coordinates[0].map(round)] };
  return { type: "polygon", geometry };
}

/** The analysis drawing tool; `onShape(shape)` is called after each finished drawing or edit. terra-draw starts
 * when first needed (a drawing mode, an area to show), once enable() has allowed it: its empty sources and layers
 * would otherwise be drawn in every frame, each with its own tile clipping masks (full-screen passes in a software
 * renderer). */
export class DrawTool {
  constructor(map, { onShape, pointRadius }) {
    Object.assign(this, { map, onShape, pointRadius });
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map }),
      modes: [
        new TerraDrawPolygonMode(), new TerraDrawRectangleMode(), new TerraDrawCircleMode(), new TerraDrawPointMode(),
        new TerraDrawSelectMode({ flags: { polygon: EDITABLE, rectangle: EDITABLE, circle: CIRCLE_EDIT, point: { feature: { draggable: true } } } }),
      ],
    });
    this.allowed = false;
    this.started = false;
  }

  /** Allow terra-draw to start (the map's style is loaded). */
  enable() { this.allowed = true; }

  ensureStarted() {
    if (this.started || !this.allowed) { return; }
    this.draw.start();
    this.started = true;
    this.draw.on("finish", (id) => {
      const feature = this.draw.getSnapshotFeature ? this.draw.getSnapshotFeature(id) : this.draw.getSnapshot().find((f) => f.id === id);
      if (!feature) { return; }
      // one area at a time: a new drawing replaces the previous one
      const others = this.draw.getSnapshot().filter((f) => f.id !== id).map((f) => f.id);
      if (others.length) { this.draw.removeFeatures(others); }
      this.onShape(shapeOf(feature, this.pointRadius()));
    });
  }

  /** "polygon" | "rectangle" | "circle" | "point" | "select" | "static" (map clicks go to the popups). */
  setMode(mode) {
    if (mode !== "static") { this.ensureStarted(); }
    if (this.started) { this.draw.setMode(mode); }
  }

  mode() { return this.started ? this.draw.getMode() : "static"; }

  /** Whether a click on the map belongs to the drawing (not to the popups). */
  busy() { return this.started && this.draw.getMode() !== "static"; }

  /** Show a stored shape (polygon or radius); commune areas are drawn by the analysis panel itself. */
  show(shape) {
    if (shape) { this.ensureStarted(); }
    if (!this.started) { return; }
    this.draw.clear();
    if (!shape) { return; }
    let feature = null;
    if (shape.type === "polygon") {
      feature = { type: "Feature", geometry: shape.geometry, properties: { mode: "polygon" } };
    } else if (shape.type === "radius") {
      feature = { type: "Feature", geometry: circlePolygon(shape.center, shape.radius_m),
        properties: { mode: "circle", radiusKilometers: shape.radius_m / 1000 } };
    }
    if (feature) {
      const results = this.draw.addFeatures([feature]);
      if (results && results[0] && results[0].valid === false) { console.warn("area not shown", results[0].reason); }
    }
  }

  clear() { if (this.started) { this.draw.clear(); } }
}
