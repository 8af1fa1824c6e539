// The leader's overview: key figures (alerts, open and overdue reports, camera health), the indicator map (a
// choropleth from /api/indicators/{code}/tiles/{period}/…, met / not met), the communes furthest from target and
// the alert panel, polled (GET /api/indicators/alerts). State: &indicator=, &period=.

import { getJson } from "./api.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { onLanguage, t } from "./i18n.js";
import { loadCommunes } from "./search.js";

const SOURCE = "ioc-indicator";
const COLOURS = { met: "#1a9641", notMet: "#d7191c", noData: "#bdbdbd" };
const POLL_MS = 60_000;

/** The overview tab. */
export class OverviewPanel {
  constructor(ctx, container) {
    Object.assign(this, { ctx, container, store: ctx.store, map: ctx.map });
    this.indicators = [];
    this.seenAlerts = null;
    this.build();
    this.store.subscribe((state, changed) => {
      if (changed.includes("indicator") || changed.includes("period")) { this.showIndicator(); }
    });
    onLanguage(() => this.build() || this.load());
    ctx.ready.then(() => this.load());
    this.timer = setInterval(() => { if (document.visibilityState === "visible") { this.pollAlerts(); } }, POLL_MS);
  }

  build() {
    this.figures = el("dl", { class: "figures", id: "overview-figures" });
    this.indicator = el("select", { id: "indicator-choice" });
    this.period = el("select", { id: "indicator-period" });
    this.indicator.addEventListener("change", () => this.store.set({ indicator: this.indicator.value || undefined, period: undefined }));
    this.period.addEventListener("change", () => this.store.set({ period: this.period.value || undefined }));
    this.worst = el("ol", { class: "feature-list", id: "indicator-worst" });
    this.alertList = el("ul", { class: "alerts", id: "alert-list" });
    this.updated = el("p", { class: "muted", id: "alert-updated" });
    const refresh = el("button", { type: "button", class: "btn", id: "alert-refresh" }, t("refresh"));
    refresh.addEventListener("click", () => this.pollAlerts());
    const swatch = (colour, key) => el("li", {}, el("span", { class: "swatch", "aria-hidden": "true", style: { "background-color": colour } }), t(key));
    fill(this.container, el("h2", {}, t("overviewTitle")), this.figures,
      el("h3", {}, t("indicatorMap")),
      el("label", { for: "indicator-choice" }, t("indicator")), this.indicator,
      el("label", { for: "indicator-period" }, t("period")), this.period,
      el("ul", { class: "legend", id: "indicator-legend" }, swatch(COLOURS.met, "met"), swatch(COLOURS.notMet, "notMet"), swatch(COLOURS.noData, "noData")),
      el("h4", {}, t("worst")), this.worst,
      el("h3", {}, t("alertPanel")), refresh, this.updated, this.alertList);
  }

  async load() {
    try {
      this.indicators = (await getJson("/api/indicators")).indicators || [];
    } catch (error) { fill(this.worst, el("li", { class: "err" }, error.message)); return; }
    const communes = await loadCommunes(this.ctx.config.communesUrl).catch(() => []);
    this.communeNames = new Map(communes.map((f) => [f.properties.code, f.properties.name]));
    fill(this.indicator, el("option", { value: "" }, "–"), this.indicators.map((i) => el("option", { value: i.code }, `${i.name} (${i.unit})`)));
    this.showIndicator();
    this.pollAlerts();
    this.keyFigures();
  }

  async keyFigures() {
    const count = async (url, pickCount) => { try { return pickCount(await getJson(url)); } catch (error) { return null; } };
    const [open, overdue, cameras] = await Promise.all([
      count("/api/reports?status=received,accepted,assigned,in_progress&limit=1", (d) => d.count),
      count("/api/reports?overdue=true&limit=1", (d) => d.count),
      count("/api/cameras/health", (d) => d),
    ]);
    const rows = [["reportsOpen", open, "reports_open"], ["reportsOverdue", overdue, "reports_overdue"],
      ["camerasLive", cameras && cameras.live, "cameras_live"], ["camerasDead", cameras && cameras.dead, "cameras_dead"]];
    this.figureRows = rows.filter(([, value]) => value !== null && value !== undefined);
    this.renderFigures();
  }

  renderFigures() {
    const rows = (this.figureRows || []).concat(this.highAlerts !== undefined ? [["alertsHigh", this.highAlerts, "alerts_high"]] : []);
    fill(this.figures, rows.map(([key, value, name]) => [el("dt", {}, t(key)), el("dd", { "data-figure": name }, format.number(value))]));
  }

  current() { return this.indicators.find((i) => i.code === this.store.get("indicator")) || null; }

  async showIndicator() {
    const indicator = this.current();
    this.indicator.value = indicator ? indicator.code : "";
    this.removeLayer();
    if (!indicator) { fill(this.period); fill(this.worst); return; }
    const period = (indicator.periods || []).includes(this.store.get("period")) ? this.store.get("period") : indicator.latest_period;
    fill(this.period, (indicator.periods || []).slice().reverse().map((p) => el("option", { value: p }, p)));
    this.period.value = period;
    this.addLayer(indicator.code, period);
    try {
      const doc = await getJson(`/api/indicators/${encodeURIComponent(indicator.code)}/values?period=${encodeURIComponent(period)}`);
      const missed = (doc.values || []).filter((v) => v.met === false).sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap)).slice(0, 10);
      fill(this.worst, missed.length ? missed.map((v) => el("li", { "data-commune": v.commune },
        el("span", {}, v.commune_name), el("span", {}, `${format.number(v.value)} ${indicator.unit} (${t("gap")} ${format.number(v.gap)})`)))
        : el("li", { class: "muted" }, t("none")));
    } catch (error) { fill(this.worst, el("li", { class: "err" }, error.message)); }
  }

  addLayer(code, period) {
    const map = this.map;
    const tiles = [`${location.origin}/api/indicators/${encodeURIComponent(code)}/tiles/${encodeURIComponent(period)}/{z}/{x}/{y}.mvt`];
    map.addSource(SOURCE, { type: "vector", tiles, minzoom: 0, maxzoom: 14 });
    const before = map.getStyle().layers.find((l) => l.type === "symbol");
    map.addLayer({ id: `${SOURCE}-fill`, type: "fill", source: SOURCE, "source-layer": "indicator",
      paint: { "fill-color": ["case", ["==", ["get", "met"], true], COLOURS.met, ["==", ["get", "met"], false], COLOURS.notMet, COLOURS.noData],
        "fill-opacity": 0.55 } }, before && before.id);
    map.addLayer({ id: `${SOURCE}-line`, type: "line", source: SOURCE, "source-layer": "indicator",
      paint: { "line-color": "#333", "line-width": 0.6 } }, before && before.id);
  }

  removeLayer() {
    [`${SOURCE}-fill`, `${SOURCE}-line`].forEach((id) => { if (this.map.getLayer(id)) { this.map.removeLayer(id); } });
    if (this.map.getSource(SOURCE)) { this.map.removeSource(SOURCE); }
  }

  async pollAlerts() {
    let alerts;
    try { alerts = (await getJson("/api/indicators/alerts")).alerts || []; } catch (error) { this.updated.textContent = error.message; return; }
    const key = (a) => `${a.indicator}/${a.commune}/${a.period}`;
    const fresh = this.seenAlerts ? alerts.filter((a) => !this.seenAlerts.has(key(a))) : [];
    this.seenAlerts = new Set(alerts.map(key));
    this.highAlerts = alerts.filter((a) => a.severity === "high").length;
    this.renderFigures();
    this.updated.textContent = `${t("lastUpdate")} ${format.datetime(new Date().toISOString())}`;
    fill(this.alertList, alerts.length ? alerts.slice(0, 30).map((a) => el("li", { class: a.severity === "high" ? "" : "warning",
      "data-indicator": a.indicator, "data-commune": a.commune },
      el("strong", {}, a.indicator_name), ` · ${a.commune_name || (this.communeNames && this.communeNames.get(a.commune)) || a.commune} · ${a.period}: ${format.number(a.value)} (${t("target")} ${format.number(a.target)})`))
      : el("li", { class: "muted" }, t("noAlerts")));
    if (fresh.length) {
      const toast = document.getElementById("alert-toast");
      toast.textContent = `${format.number(fresh.length)} ${t("newAlerts")}: ${fresh[0].indicator_name}`;
      toast.hidden = false;
      setTimeout(() => { toast.hidden = true; }, 15_000);
    }
  }
}
