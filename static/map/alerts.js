// The alert panel: one list merging indicator values missing their target (GET /api/indicators/alerts) and the
// open alerts of every other source (GET /api/alerts: sensor breaches, overdue reports, camera outages, scenario
// runs…), filterable by sector and commune (&asector=, &acommune=), polled every minute (and at once when the
// event stream announces one: poll() is public); new alerts since the last poll raise a toast. An indicator
// alert opens the indicator map on its indicator, period and commune; the others fly to their place.

import { getJson } from "./api.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { t } from "./i18n.js";

const POLL_MS = 60_000;
const BURST_MS = 300;  // live events this close together (a scenario run raising many) make one request
const SHOWN = 30;

/** The alert panel, drawn into `container`; `onCount(alerts)` hears every answer. */
export class AlertPanel {
  constructor({ store, map, container, indicators, communes, onAlerts }) {
    Object.assign(this, { store, map, container, indicators, communes, onAlerts });
    this.seen = null;
    this.build();
    store.subscribe((state, changed) => {
      if (changed.includes("asector") || changed.includes("acommune")) { this.seen = null; this.syncFilters(); this.poll(); }
    });
    this.timer = setInterval(() => { if (document.visibilityState === "visible") { this.poll(); } }, POLL_MS);
  }

  /** Poll once shortly after a burst of live events, not once per event. */
  pollSoon() {
    if (this.soon) { return; }
    this.soon = setTimeout(() => { this.soon = null; this.poll(); }, BURST_MS);
  }

  build() {
    this.sector = el("select", { id: "alert-sector" });
    this.commune = el("select", { id: "alert-commune" });
    this.sector.addEventListener("change", () => this.store.set({ asector: this.sector.value || undefined }));
    this.commune.addEventListener("change", () => this.store.set({ acommune: this.commune.value || undefined }));
    const sectors = [...new Set(this.indicators.map((i) => i.sector).filter(Boolean))].sort();
    fill(this.sector, el("option", { value: "" }, t("allSectors")), sectors.map((s) => el("option", { value: s }, s)));
    const communes = this.communes.slice().sort((a, b) => a.properties.name.localeCompare(b.properties.name, "vi"));
    fill(this.commune, el("option", { value: "" }, t("allCommunes")),
      communes.map((f) => el("option", { value: f.properties.code }, f.properties.name)));
    this.list = el("ul", { class: "alerts", id: "alert-list" });
    this.updated = el("p", { class: "muted", id: "alert-updated", role: "status" });
    const refresh = el("button", { type: "button", class: "btn", id: "alert-refresh" }, t("refresh"));
    refresh.addEventListener("click", () => this.poll());
    fill(this.container, el("h3", {}, t("alertPanel")),
      el("fieldset", {}, el("legend", {}, t("filterAlerts")),
        el("label", { for: "alert-sector" }, t("sector")), this.sector,
        el("label", { for: "alert-commune" }, t("commune")), this.commune),
      refresh, this.updated, this.list);
    this.syncFilters();
  }

  syncFilters() {
    this.sector.value = this.store.get("asector") || "";
    this.commune.value = this.store.get("acommune") || "";
  }

  communeName(code) {
    const found = this.communes.find((f) => f.properties.code === code);
    return found ? found.properties.name : code;
  }

  async poll() {
    const params = new URLSearchParams();
    if (this.store.get("asector")) { params.set("sector", this.store.get("asector")); }
    if (this.store.get("acommune")) { params.set("commune", this.store.get("acommune")); }
    const asked = params.toString();
    let alerts;
    let others;
    try {
      [alerts, others] = await Promise.all([
        getJson(`/api/indicators/alerts${asked ? `?${asked}` : ""}`).then((d) => d.alerts || []),
        getJson(`/api/alerts?state=open&limit=200${asked ? `&${asked}` : ""}`).then((d) => d.alerts || []).catch(() => []),
      ]);
    } catch (error) {
      this.updated.textContent = `${t("error")}: ${error.message}`; return;
    }
    const now = new URLSearchParams();
    if (this.store.get("asector")) { now.set("sector", this.store.get("asector")); }
    if (this.store.get("acommune")) { now.set("commune", this.store.get("acommune")); }
    if (now.toString() !== asked) { return; } // the filters changed while this answer was on its way
    const key = (a) => (a.source ? `alert/${a.id}` : `${a.indicator}/${a.commune}/${a.period}`);
    const every = others.concat(alerts);
    const fresh = this.seen ? every.filter((a) => !this.seen.has(key(a))) : [];
    this.seen = new Set(every.map(key));
    this.updated.textContent = `${format.number(every.length)} ${t("alerts").toLowerCase()} · ${t("lastUpdate")} ${format.datetime(new Date().toISOString())}`;
    const items = others.slice(0, SHOWN).map((a) => this.otherItem(a));
    fill(this.list, every.length ? items.concat(alerts.slice(0, SHOWN).map((a) => {
      const button = el("button", { type: "button", class: "alert-link", title: t("openIndicator") },
        el("strong", {}, a.indicator_name),
        ` · ${a.commune_name || this.communeName(a.commune)} · ${a.period}: ${format.number(a.value)} (${t("target")} ${format.number(a.target)})`);
      button.addEventListener("click", () => this.store.set({ tab: "indicators", indicator: a.indicator, period: a.period, commune: a.commune }));
      return el("li", { class: a.severity === "high" ? "" : "warning", "data-indicator": a.indicator, "data-commune": a.commune,
        "data-severity": a.severity }, button);
    })) : el("li", { class: "muted" }, t("noAlerts")));
    if (this.onAlerts) { this.onAlerts(every); }
    if (fresh.length) {
      const toast = document.getElementById("alert-toast");
      toast.textContent = `${format.number(fresh.length)} ${t("newAlerts")}: ${fresh[0].indicator_name || fresh[0].title}`;
      toast.hidden = false;
      setTimeout(() => { toast.hidden = true; }, 15_000);
    }
  }

  /** A list item of an alert of the alert model: source, title, commune, when; a click flies to its place. */
  otherItem(a) {
    const button = el("button", { type: "button", class: "alert-link", title: t("showOnMap") },
      el("strong", {}, a.source_label), ` · ${a.title}`,
      a.commune_name ? ` · ${a.commune_name}` : "", ` · ${format.datetime(a.raised_at)}`);
    button.addEventListener("click", () => {
      if (this.map && a.lon !== null && a.lat !== null) { this.map.flyTo({ center: [a.lon, a.lat], zoom: 15 }); }
    });
    return el("li", { class: a.severity === "high" ? "" : "warning", "data-alert": a.id, "data-source": a.source,
      "data-commune": a.commune_code || "", "data-severity": a.severity }, button);
  }
}
