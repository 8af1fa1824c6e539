// The leader's indicator map: an indicator and a period (from GET /api/indicators), the 95 communes filled from
// the choropleth tiles (/api/indicators/{code}/tiles/{period}/{z}/{x}/{y}.mvt, layer "indicator"), those missing
// the target outlined by a line layer of their own (filter met = false), a change mode (fill by the difference
// with the previous period or the same period last year, from GET /api/indicators/{code}/values), the list of
// communes below target (each zooms to its commune) and, for a clicked commune, its history as a uPlot chart with
// the target line. State: &indicator=, &period=, &mode= (value | previous | lastyear), &commune=.

import { getJson } from "./api.js";
import { lineChart } from "./chart.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { onLanguage, t } from "./i18n.js";
import { bboxOf, loadCommunes } from "./search.js";
import { expose } from "./testhooks.js";

const SOURCE = "ioc-indicator";
export const FILL = `${SOURCE}-fill`;
export const BOUNDARY = `${SOURCE}-line`;
export const MISSING = `${SOURCE}-missing`;
const NO_DATA = "#bdbdbd";
// sequential, darker is better (ColorBrewer GnBu, 5 classes)
const RAMP = ["#f0f9e8", "#bae4bc", "#7bccc4", "#43a2ca", "#0868ac"];
// diverging change classes: much worse, worse, unchanged, better, much better (ColorBrewer RdBu)
const CHANGE = ["#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"];
const MODES = { value: "modeValue", previous: "modePrevious", lastyear: "modeLastYear" };
const TAB = "indicators";

/** Quantile breaks (up to 4, distinct) of the numbers. */
function quantileBreaks(numbers, classes) {
  const sorted = numbers.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) { return []; }
  const breaks = [];
  for (let i = 1; i < classes; i += 1) {
    const value = sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * i) / classes))];
    if (!breaks.length || value > breaks[breaks.length - 1]) { breaks.push(value); }
  }
  return breaks.filter((b) => b > sorted[0]);
}

/** The indicators tab. */
export class IndicatorPanel {
  constructor(ctx, container) {
    Object.assign(this, { ctx, container, store: ctx.store, map: ctx.map });
    this.indicators = [];
    this.docs = new Map(); // "code/period" -> Promise of the values document
    this.communes = [];
    this.build();
    this.store.subscribe((state, changed) => {
      if (changed.some((k) => ["indicator", "period", "tab"].includes(k))) { this.show(); return; }
      if (changed.includes("mode")) { this.paint(); }
      if (changed.includes("commune")) { this.showHistory(); }
    });
    onLanguage(() => { this.build(); this.renderChoices(); this.show(); });
    (ctx.clickInterceptors || []).push((event) => this.onMapClick(event));
    ctx.ready.then(() => this.load());
  }

  build() {
    this.indicator = el("select", { id: "indicator-choice" });
    this.period = el("select", { id: "indicator-period" });
    this.mode = el("select", { id: "indicator-mode" }, Object.entries(MODES).map(([value, key]) => el("option", { value }, t(key))));
    this.indicator.addEventListener("change", () => this.store.set({ indicator: this.indicator.value || undefined, period: undefined }));
    this.period.addEventListener("change", () => this.store.set({ period: this.period.value || undefined }));
    this.mode.addEventListener("change", () => this.store.set({ mode: this.mode.value === "value" ? undefined : this.mode.value }));
    this.status = el("p", { class: "status-line", id: "indicator-status", role: "status" });
    this.legend = el("div", { id: "indicator-legend", class: "indicator-legend" });
    this.missingTitle = el("h3", { id: "indicator-missing-title" }, t("missing"));
    this.missing = el("ul", { class: "feature-list commune-buttons", id: "indicator-missing", "aria-labelledby": "indicator-missing-title" });
    this.history = el("section", { id: "indicator-history", "aria-live": "polite" });
    fill(this.container, el("h2", {}, t("indicatorMap")),
      el("label", { for: "indicator-choice" }, t("indicator")), this.indicator,
      el("label", { for: "indicator-period" }, t("period")), this.period,
      el("label", { for: "indicator-mode" }, t("mode")), this.mode,
      this.status, this.legend, this.history, this.missingTitle, this.missing);
  }

  async load() {
    try {
      this.indicators = ((await getJson("/api/indicators")).indicators || []).filter((i) => (i.periods || []).length);
    } catch (error) { this.status.textContent = `${t("error")}: ${error.message}`; return; }
    this.communes = await loadCommunes(this.ctx.config.communesUrl).catch(() => []);
    this.renderChoices();
    this.show();
  }

  renderChoices() {
    fill(this.indicator, el("option", { value: "" }, "–"), this.indicators.map((i) => el("option", { value: i.code }, `${i.name} (${i.unit})`)));
    this.indicator.value = this.current() ? this.current().code : "";
  }

  current() { return this.indicators.find((i) => i.code === this.store.get("indicator")) || null; }

  currentPeriod() {
    const indicator = this.current();
    if (!indicator) { return null; }
    const wanted = this.store.get("period");
    return (indicator.periods || []).includes(wanted) ? wanted : indicator.latest_period;
  }

  currentMode() { const mode = this.store.get("mode"); return MODES[mode] ? mode : "value"; }

  values(code, period) {
    const key = `${code}/${period}`;
    if (!this.docs.has(key)) {
      const request = getJson(`/api/indicators/${encodeURIComponent(code)}/values?period=${encodeURIComponent(period)}`);
      request.catch(() => this.docs.delete(key));
      this.docs.set(key, request);
    }
    return this.docs.get(key);
  }

  active() { return this.store.get("tab") === TAB; }

  async show() {
    const indicator = this.current();
    const period = this.currentPeriod();
    this.indicator.value = indicator ? indicator.code : "";
    this.mode.value = this.currentMode();
    if (!indicator) {
      this.removeLayer(); this.doc = null;
      [this.period, this.legend, this.missing, this.history].forEach((node) => fill(node));
      return;
    }
    fill(this.period, (indicator.periods || []).slice().reverse().map((p) => el("option", { value: p }, p)));
    this.period.value = period;
    if (!this.active()) { this.setVisible(false); return; }
    const key = `${indicator.code}/${period}`;
    if (this.shown !== key) { this.removeLayer(); this.addLayer(indicator.code, period); this.shown = key; } else { this.setVisible(true); }
    this.status.textContent = t("loading");
    let doc;
    try { doc = await this.values(indicator.code, period); } catch (error) { this.status.textContent = `${t("error")}: ${error.message}`; return; }
    if (this.shown !== key) { return; } // a later choice won
    this.doc = doc;
    this.status.textContent = "";
    this.paint();
    this.renderMissing();
    this.showHistory();
  }

  addLayer(code, period) {
    const map = this.map;
    const tiles = [`${location.origin}/api/indicators/${encodeURIComponent(code)}/tiles/${encodeURIComponent(period)}/{z}/{x}/{y}.mvt`];
    map.addSource(SOURCE, { type: "vector", tiles, minzoom: 0, maxzoom: 14 });
    const before = map.getStyle().layers.find((l) => l.type === "symbol");
    const layer = { source: SOURCE, "source-layer": "indicator" };
    map.addLayer({ id: FILL, type: "fill", ...layer, paint: { "fill-color": NO_DATA, "fill-opacity": 0.75 } }, before && before.id);
    map.addLayer({ id: BOUNDARY, type: "line", ...layer, paint: { "line-color": "#4a4a4a", "line-width": 0.6 } }, before && before.id);
    // the communes missing the target: a thick red outline over the fill, whatever the fill shows
    map.addLayer({ id: MISSING, type: "line", ...layer, filter: ["==", ["get", "met"], false],
      paint: { "line-color": "#b3001b", "line-width": ["interpolate", ["linear"], ["zoom"], 7, 1.6, 12, 3.5] } }, before && before.id);
  }

  setVisible(visible) {
    [FILL, BOUNDARY, MISSING].forEach((id) => { if (this.map.getLayer(id)) { this.map.setLayoutProperty(id, "visibility", visible ? "visible" : "none"); } });
  }

  removeLayer() {
    [MISSING, BOUNDARY, FILL].forEach((id) => { if (this.map.getLayer(id)) { this.map.removeLayer(id); } });
    if (this.map.getSource(SOURCE)) { this.map.removeSource(SOURCE); }
    this.shown = null;
  }

  /** Fill the communes for the mode, and draw the legend that reads it. */
  paint() {
    const indicator = this.current();
    const doc = this.doc;
    if (!indicator || !doc || !this.map.getLayer(FILL)) { return; }
    this.mode.value = this.currentMode();
    const unit = indicator.unit || "";
    const mode = this.currentMode();
    let colour;
    let rows;
    if (mode === "value") {
      const breaks = quantileBreaks(doc.values.map((v) => v.value), RAMP.length);
      const ramp = indicator.higher_is_better ? RAMP : RAMP.slice().reverse();
      const colours = ramp.slice(0, breaks.length + 1);
      colour = breaks.length
        ? ["case", ["has", "value"], ["step", ["to-number", ["get", "value"]], colours[0], ...breaks.flatMap((b, i) => [b, colours[i + 1]])], NO_DATA]
        : ["case", ["has", "value"], colours[0], NO_DATA];
      const edges = [null, ...breaks, null];
      rows = colours.map((c, i) => [c, edges[i] === null ? `< ${format.number(edges[i + 1])} ${unit}`
        : edges[i + 1] === null ? `≥ ${format.number(edges[i])} ${unit}` : `${format.number(edges[i])} – ${format.number(edges[i + 1])} ${unit}`]);
      if (!breaks.length) { rows = [[colours[0], `${format.number(doc.values[0] ? doc.values[0].value : "")} ${unit}`]]; }
    } else {
      const field = mode === "previous" ? "previous_period" : "same_period_last_year";
      const sign = indicator.higher_is_better ? 1 : -1;
      const changes = doc.values.filter((v) => v[field]).map((v) => [v.commune, v[field].change]);
      const largest = Math.max(0, ...changes.map(([, c]) => Math.abs(c)));
      const half = largest / 2;
      const classOf = (change) => {
        const better = change * sign;
        if (better === 0) { return 2; }
        if (better < 0) { return -better >= half ? 0 : 1; }
        return better >= half ? 4 : 3;
      };
      const pairs = changes.flatMap(([code, change]) => [code, CHANGE[classOf(change)]]);
      colour = pairs.length ? ["match", ["to-string", ["get", "code"]], ...pairs, NO_DATA] : NO_DATA;
      const h = format.number(half);
      rows = changes.length ? [
        [CHANGE[0], `${t("worse")} (≥ ${h} ${unit})`], [CHANGE[1], `${t("worse")} (< ${h} ${unit})`], [CHANGE[2], t("unchanged")],
        [CHANGE[3], `${t("better")} (< ${h} ${unit})`], [CHANGE[4], `${t("better")} (≥ ${h} ${unit})`]] : [];
      const compared = mode === "previous" ? doc.previous_period : doc.same_period_last_year;
      rows.unshift([null, `${t("compareWith")} ${compared}${changes.length ? "" : ` – ${t("noCompare")}`}`]);
    }
    this.map.setPaintProperty(FILL, "fill-color", colour);
    const target = `${t("target")}: ${indicator.higher_is_better ? t("atLeast") : t("atMost")} ${format.number(indicator.target)} ${unit}`;
    const swatch = (c) => el("span", { class: "swatch", "aria-hidden": "true", style: { "background-color": c } });
    fill(this.legend,
      el("p", { class: "target", "data-target": String(indicator.target), "data-unit": unit }, target),
      el("ul", { class: "legend", "data-mode": mode }, rows.map(([c, text]) => el("li", {}, c ? swatch(c) : null, text)),
        el("li", {}, el("span", { class: "swatch outline", "aria-hidden": "true" }), t("outlineMissing")),
        el("li", {}, swatch(NO_DATA), t("noData"))));
  }

  renderMissing() {
    const indicator = this.current();
    const missed = (this.doc.values || []).filter((v) => v.met === false).sort((a, b) => b.gap - a.gap);
    this.missingTitle.textContent = `${t("missing")} (${format.number(missed.length)})`;
    fill(this.missing, missed.length ? missed.map((v) => {
      const button = el("button", { type: "button", "data-commune": v.commune },
        el("span", {}, v.commune_name || v.commune), el("span", { class: "muted" }, `${format.number(v.value)} ${indicator.unit} (${t("gap")} ${format.number(v.gap)})`));
      button.addEventListener("click", () => { this.zoomTo(v.commune); this.store.set({ commune: v.commune }); });
      return el("li", { "data-commune": v.commune }, button);
    }) : el("li", { class: "muted" }, t("none")));
  }

  zoomTo(code) {
    const commune = this.communes.find((f) => f.properties.code === code);
    if (commune) { this.map.fitBounds(bboxOf(commune.geometry), { padding: 60, maxZoom: 13 }); }
  }

  onMapClick(event) {
    if (!this.active() || !this.map.getLayer(FILL)) { return false; }
    const feature = this.map.queryRenderedFeatures(event.point, { layers: [FILL] })[0];
    if (!feature) { return false; }
    this.store.set({ commune: String(feature.properties.code) });
    return true;
  }

  /** The clicked commune's values over every period of the indicator, with the target line. */
  async showHistory() {
    const indicator = this.current();
    const code = this.store.get("commune");
    if (!indicator || !code || !this.active()) { fill(this.history); return; }
    const periods = indicator.periods || [];
    const name = (this.communes.find((f) => f.properties.code === code) || { properties: {} }).properties.name || code;
    fill(this.history, el("p", { class: "muted" }, t("loading")));
    let docs;
    try { docs = await Promise.all(periods.map((p) => this.values(indicator.code, p))); } catch (error) {
      fill(this.history, el("p", { class: "err" }, `${t("error")}: ${error.message}`)); return;
    }
    if (this.store.get("commune") !== code || this.current() !== indicator) { return; }
    const values = docs.map((doc) => { const row = (doc.values || []).find((v) => v.commune === code); return row ? row.value : null; });
    const title = `${t("historyOf")} ${indicator.name} – ${name}`;
    const close = el("button", { type: "button", class: "btn", id: "indicator-history-close" }, t("close"));
    close.addEventListener("click", () => this.store.set({ commune: undefined }));
    const table = el("table", { class: "attrs", id: "indicator-history-table" },
      el("caption", { class: "muted" }, `${t("target")} ${format.number(indicator.target)} ${indicator.unit}`),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("period")), el("th", { scope: "col" }, `${t("value")} (${indicator.unit})`))),
      el("tbody", {}, periods.map((p, i) => el("tr", { "data-period": p, "data-value": values[i] === null ? "" : String(values[i]) },
        el("th", { scope: "row" }, p), el("td", {}, values[i] === null ? "–" : format.number(values[i]))))));
    fill(this.history, el("h3", { id: "indicator-history-title", "data-commune": code }, title), close);
    this.chart = lineChart(this.history, { labels: periods, values, target: indicator.target, title, unit: indicator.unit });
    this.history.appendChild(el("details", {}, el("summary", {}, t("value")), table));
    expose("indicatorChart", this.chart);
  }
}
