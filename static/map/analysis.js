// The planner's analysis panel: draw an area (or pick a commune), choose layers, and read what is inside from
// POST /api/query: per layer the count, sums and groups (with a chart), the area in km², the communes touched;
// a group click highlights its features; a paged feature list zooms to each feature. State: &shape=, &alayers=,
// &group= in the address.

import { ApiError, postJson } from "./api.js";
import { barChart } from "./chart.js";
import { el, fill } from "./dom.js";
import { DRAW_MODES, DrawTool } from "./draw.js";
import * as format from "./format.js";
import { bounds, circlePolygon, contains } from "./geo.js";
import { clearHighlights, highlightGroup, overlay, removeOverlay } from "./highlight.js";
import { onLanguage, t } from "./i18n.js";
import { attribute, attributeLabel, layerTitle, valueColour, valueLabel } from "./labels.js";
import { findCommune, loadCommunes } from "./search.js";
import { FeatureList } from "./featurelist.js";

const PALETTE = ["#1d3557", "#e76f51", "#2a9d8f", "#e9c46a", "#8338ec", "#f4a261", "#264653", "#d62828"];
const DEFAULT_RADIUS_M = 1000;

function categoryAttributes(layer) {
  return (layer.attributes || []).filter((a) => a.kind === "category").map((a) => a.name);
}

function sumLabel(layerId, name) {
  return attribute(layerId, name) ? attributeLabel(layerId, name) : t(name);
}

/** The analysis tab. */
export class AnalysisPanel {
  constructor(ctx, container) {
    Object.assign(this, { ctx, container, store: ctx.store, map: ctx.map });
    this.communes = [];
    this.controller = null;
    this.timer = null;
    this.picking = false;
    this.build();
    this.draw = new DrawTool(this.map, {
      onShape: (shape) => {
        this.drawn = JSON.stringify(shape);
        this.finishedAt = Date.now(); // the click that finished the drawing must not open a popup
        if (this.draw.mode() !== "select") { this.setMode("static"); }
        this.store.set({ shape });
      },
      pointRadius: () => this.radius(),
    });
    ctx.clickInterceptors.push((event) => this.onMapClick(event));
    this.store.subscribe((state, changed) => {
      if (changed.some((k) => ["shape", "alayers", "group"].includes(k))) { this.showShape(); this.schedule(); }
    });
    onLanguage(() => { this.renderLayerChoice(); this.render(this.answer); });
    ctx.ready.then(async () => {
      this.draw.enable();
      this.communes = await loadCommunes(ctx.config.communesUrl).catch(() => []);
      this.renderLayerChoice();
      this.showShape();
      this.schedule();
    });
  }

  layers() { return this.ctx.catalogue.filter((l) => l.group !== "base"); }

  chosen() {
    const wanted = this.store.get("alayers");
    if (wanted) { return wanted; }
    // a few of the layers on the map: every layer at once makes a slow first answer
    const visible = this.layers().filter((l) => this.ctx.panel.isVisible(l.id)).map((l) => l.id);
    return (visible.length ? visible : this.layers().map((l) => l.id)).slice(0, 4);
  }

  radius() {
    const value = Number(this.radiusInput.value);
    return Number.isFinite(value) && value > 0 ? Math.min(value, 50000) : DEFAULT_RADIUS_M;
  }

  build() {
    const tool = (mode, key) => {
      const button = el("button", { type: "button", class: "btn", "data-mode": mode, "aria-pressed": "false" }, t(key));
      button.addEventListener("click", () => this.setMode(button.getAttribute("aria-pressed") === "true" ? "static" : mode));
      return button;
    };
    this.tools = [tool("polygon", "polygon"), tool("rectangle", "rectangle"), tool("circle", "circle"), tool("point", "point"),
      tool("commune", "pickCommune"), tool("select", "select")];
    const clear = el("button", { type: "button", class: "btn" }, t("clearShape"));
    clear.addEventListener("click", () => { this.draw.clear(); this.setMode("static"); this.store.set({ shape: undefined }); });
    this.radiusInput = el("input", { type: "number", id: "analysis-radius", min: "1", max: "50000", step: "50", value: String(DEFAULT_RADIUS_M) });
    const applyRadius = el("button", { type: "button", class: "btn" }, t("applyRadius"));
    applyRadius.addEventListener("click", () => this.applyRadius());
    this.radiusInput.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); this.applyRadius(); } });
    this.communeInput = el("input", { type: "search", id: "analysis-commune", list: "commune-list", autocomplete: "off" });
    this.communeInput.addEventListener("change", () => this.pickByName());
    this.communeInput.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); this.pickByName(); } });
    this.hint = el("p", { class: "status-line", role: "status" }, t("noShape"));
    this.layerChoice = el("div", { class: "checks" });
    this.results = el("div", { id: "analysis-results", "aria-live": "polite" });
    this.list = new FeatureList(this.ctx, () => this.body());
    fill(this.container,
      el("h2", {}, t("analysisTitle")),
      el("fieldset", {}, el("legend", {}, t("draw")), el("div", { class: "toolbar", role: "toolbar", "aria-label": t("draw") }, this.tools, clear),
        el("label", { for: "analysis-radius" }, t("radiusM")), this.radiusInput, applyRadius,
        el("label", { for: "analysis-commune" }, t("analysisCommune")), this.communeInput, this.hint),
      el("fieldset", {}, el("legend", {}, t("analysisLayers")), this.layerChoice),
      this.results, this.list.element);
  }

  renderLayerChoice() {
    const chosen = new Set(this.chosen());
    fill(this.layerChoice, this.layers().map((layer) => {
      const box = el("input", { type: "checkbox", id: `alayer-${layer.id}`, value: layer.id });
      box.checked = chosen.has(layer.id);
      box.addEventListener("change", () => {
        const now = [...this.layerChoice.querySelectorAll("input:checked")].map((b) => b.value);
        this.store.set({ alayers: now.length ? now : undefined });
      });
      return el("label", { for: `alayer-${layer.id}` }, box, " ", layerTitle(layer.id));
    }));
  }

  setMode(mode) {
    this.picking = mode === "commune";
    this.draw.setMode(DRAW_MODES.includes(mode) || mode === "select" ? mode : "static");
    this.tools.forEach((b) => b.setAttribute("aria-pressed", b.dataset.mode === mode ? "true" : "false"));
    this.hint.textContent = mode === "commune" ? t("pickHint") : DRAW_MODES.includes(mode) ? t("drawHint") : this.hintText();
  }

  hintText() { return this.store.get("shape") ? "" : t("noShape"); }

  onMapClick(event) {
    if (this.picking) {
      const point = [event.lngLat.lng, event.lngLat.lat];
      const commune = this.communes.find((f) => contains(f.geometry, point));
      if (commune) { this.store.set({ shape: { type: "commune", code: commune.properties.code } }); }
      return true;
    }
    return this.draw.busy() || Date.now() - (this.finishedAt || 0) < 400;
  }

  pickByName() {
    const match = findCommune(this.communes, this.communeInput.value);
    if (!match) { this.hint.textContent = t("notFound"); return; }
    this.store.set({ shape: { type: "commune", code: match.properties.code } });
    this.map.fitBounds(bounds(match.geometry), { padding: 30, maxZoom: 14, duration: 0 });
  }

  applyRadius() {
    const shape = this.store.get("shape");
    const c = this.map.getCenter();
    const center = shape && shape.type === "radius" ? shape.center : [+c.lng.toFixed(6), +c.lat.toFixed(6)];
    this.store.set({ shape: { type: "radius", center, radius_m: this.radius() } });
  }

  /** The analysis area as a GeoJSON polygon (for highlights), or null. */
  areaGeometry(shape) {
    if (!shape) { return null; }
    if (shape.type === "polygon") { return shape.geometry; }
    if (shape.type === "radius") { return circlePolygon(shape.center, shape.radius_m); }
    if (shape.type === "commune") {
      const commune = this.communes.find((f) => f.properties.code === shape.code);
      return commune ? commune.geometry : null;
    }
    return null;
  }

  showShape() {
    const shape = this.store.get("shape");
    if (shape && shape.type === "radius") { this.radiusInput.value = String(shape.radius_m); }
    if (shape && shape.type === "commune") {
      const commune = this.communes.find((f) => f.properties.code === shape.code);
      this.communeInput.value = commune ? commune.properties.name : shape.code;
    }
    if (JSON.stringify(shape) !== this.drawn) {
      this.draw.show(shape && shape.type !== "commune" ? shape : null);
      this.drawn = JSON.stringify(shape);
    }
    const geometry = shape && shape.type === "commune" ? this.areaGeometry(shape) : null;
    if (geometry && this.map.isStyleLoaded()) {
      overlay(this.map, "analysis-commune", { type: "Feature", geometry, properties: {} }, { fill: "#ffd60a", line: "#b35c00" });
    } else if (this.map.getSource("ioc-overlay-analysis-commune")) {
      removeOverlay(this.map, "analysis-commune");
    }
    this.hint.textContent = this.hintText();
  }

  body() {
    const shape = this.store.get("shape");
    if (!shape) { return null; }
    const layers = this.chosen();
    const groups = this.store.get("group") || {};
    const groupBy = {};
    layers.forEach((id) => {
      const layer = this.ctx.catalogue.find((l) => l.id === id) || {};
      const choice = groups[id] === undefined ? categoryAttributes(layer)[0] : groups[id];
      if (choice) { groupBy[id] = choice; }
    });
    return { ...shape, layers, group_by: groupBy };
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.query(), 250);
  }

  async query() {
    const body = this.body();
    clearHighlights(this.map);
    if (!body || !body.layers.length) { this.answer = null; this.render(null); this.list.reset(); return; }
    if (this.controller) { this.controller.abort(); }
    this.controller = new AbortController();
    this.results.setAttribute("aria-busy", "true");
    this.hint.textContent = t("analysing");
    try {
      this.answer = await postJson("/api/query", body, { signal: this.controller.signal });
      this.answer.request = body;
      this.render(this.answer);
      this.hint.textContent = "";
      this.list.reset(body.layers);
    } catch (error) {
      if (error.name === "AbortError") { return; }
      this.hint.textContent = `${t("error")}: ${error instanceof ApiError ? error.message : String(error)}`;
      this.hint.classList.add("err");
    } finally {
      this.results.removeAttribute("aria-busy");
    }
  }

  render(answer) {
    if (!answer) { fill(this.results); return; }
    this.hint.classList.remove("err");
    const communes = answer.communes || [];
    const summary = el("dl", { class: "figures", id: "analysis-summary" },
      el("dt", {}, t("area")), el("dd", { "data-figure": "area_km2" }, `${format.km2(answer.area_m2)} ${t("km2")}`),
      el("dt", {}, t("communesTouched")), el("dd", { "data-figure": "communes" }, format.number(communes.length)));
    const names = el("p", { class: "muted", id: "analysis-communes" }, communes.map((c) => c.name).join(", "));
    const layers = Object.entries(answer.layers || {}).map(([layerId, result]) => this.layerResult(layerId, result, answer));
    fill(this.results, summary, names, layers);
  }

  layerResult(layerId, result, answer) {
    const layer = this.ctx.catalogue.find((l) => l.id === layerId) || {};
    const sums = Object.entries(result.sums || {}).map(([name, value]) =>
      [el("dt", {}, sumLabel(layerId, name)), el("dd", { "data-sum": name }, format.number(value))]);
    const options = categoryAttributes(layer).concat((layer.attributes || []).some((a) => a.name === "commune_code") ? ["commune"] : []);
    const current = result.group_by || "";
    const select = el("select", { id: `group-${layerId}`, "aria-label": `${t("groupBy")}: ${layerTitle(layerId)}` },
      el("option", { value: "" }, t("noGroup")),
      options.map((name) => el("option", { value: name }, name === "commune" ? t("commune") : attributeLabel(layerId, name))));
    select.value = current;
    select.addEventListener("change", () => this.store.set({ group: { ...(this.store.get("group") || {}), [layerId]: select.value || null } }));
    const section = el("section", { class: "result-layer", "data-layer": layerId },
      el("h4", {}, layerTitle(layerId)),
      el("dl", { class: "figures" }, el("dt", {}, t("count")), el("dd", { "data-figure": "count" }, format.number(result.count)), sums),
      options.length ? el("label", { for: `group-${layerId}` }, t("groupBy")) : null, options.length ? select : null);
    if (result.groups) { this.groupList(section, layerId, result, answer); }
    return section;
  }

  groupLabel(layerId, attr, key) {
    if (attr === "commune") {
      const commune = this.communes.find((f) => f.properties.code === key);
      return commune ? commune.properties.name : key;
    }
    return key === "" ? "–" : valueLabel(layerId, attr, key);
  }

  groupList(section, layerId, result, answer) {
    const attr = result.group_by;
    const entries = Object.entries(result.groups);
    const labels = entries.map(([key]) => this.groupLabel(layerId, attr, key));
    const colours = entries.map(([key], i) => valueColour(layerId, attr, key) || PALETTE[i % PALETTE.length]);
    const list = el("ul", { class: "groups", "aria-label": `${t("groups")}: ${layerTitle(layerId)}` }, entries.map(([key, group], i) => {
      const button = el("button", { type: "button", "aria-pressed": "false", "data-group": key, title: t("highlight") },
        el("span", {}, el("span", { class: "swatch", "aria-hidden": "true", style: { "background-color": colours[i] } }), " ", labels[i]),
        el("span", {}, format.number(group.count)));
      button.addEventListener("click", () => {
        const on = button.getAttribute("aria-pressed") !== "true";
        this.results.querySelectorAll(".groups button").forEach((b) => b.setAttribute("aria-pressed", "false"));
        clearHighlights(this.map);
        if (on) {
          button.setAttribute("aria-pressed", "true");
          highlightGroup(this.map, { layerId, attribute: attr, value: key, area: this.areaGeometry(answer.area || answer.request) });
        }
      });
      return el("li", {}, button);
    }));
    section.appendChild(list);
    if (entries.length > 1) {
      barChart(section, { labels, values: entries.map(([, g]) => g.count), colours, title: `${layerTitle(layerId)} – ${attributeLabel(layerId, attr)}` });
    }
  }
}

