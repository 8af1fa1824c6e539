// Operations alerts (the one alert model: sensors, scenarios, reports, cameras…; GET /api/alerts), open ones
// newest first, updated the moment an alert is raised or changes (live.js), with a toast for new ones.

import { getJson } from "./api.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { getLang, t } from "./i18n.js";
import { onLive } from "./live.js";

const SHOWN = 20;

/** The list of open operations alerts the caller may see, drawn into `container`. */
export class LiveAlertList {
  constructor({ container, onAlerts }) {
    Object.assign(this, { container, onAlerts });
    this.seen = null;
    this.list = el("ul", { class: "alerts", id: "live-alert-list", "aria-live": "polite" });
    fill(container, el("h3", {}, t("liveAlerts")), this.list);
    this.unsubscribe = onLive("alert", () => this.load());
    this.load();
  }

  close() { if (this.unsubscribe) { this.unsubscribe(); } }

  async load() {
    let alerts;
    try { alerts = (await getJson(`/api/alerts?state=open&limit=${SHOWN}`)).alerts || []; } catch (error) {
      fill(this.list, el("li", { class: "muted" }, `${t("error")}: ${error.message}`)); return;
    }
    const fresh = this.seen ? alerts.filter((a) => !this.seen.has(a.id)) : [];
    this.seen = new Set(alerts.map((a) => a.id));
    const title = (a) => (getLang() === "en" ? a.title_en : a.title) || a.title;
    fill(this.list, alerts.length ? alerts.map((a) => el("li", {
      class: a.severity === "high" ? "" : "warning", "data-alert": String(a.id), "data-source": a.source, "data-severity": a.severity,
    }, el("strong", {}, title(a)), ` · ${a.severity_label}${a.commune_name ? ` · ${a.commune_name}` : ""} · ${format.datetime(a.observed_at || a.raised_at)}`))
      : el("li", { class: "muted" }, t("noAlerts")));
    if (this.onAlerts) { this.onAlerts(alerts); }
    const toast = document.getElementById("alert-toast");
    if (fresh.length && toast) {
      toast.textContent = `${format.number(fresh.length)} ${t("newAlerts")}: ${title(fresh[0])}`;
      toast.hidden = false;
      setTimeout(() => { toast.hidden = true; }, 15_000);
    }
  }
}
