// The leader's overview: key figures (open and overdue reports, camera health, high alerts) and the alert panel
// (alerts.js). The indicator map has its own tab (indicators.js).

import { AlertPanel } from "./alerts.js";
import { onLive } from "./live.js";
import { getJson } from "./api.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { onLanguage, t } from "./i18n.js";
import { loadCommunes } from "./search.js";

/** The overview tab. */
export class OverviewPanel {
  constructor(ctx, container) {
    Object.assign(this, { ctx, container, store: ctx.store });
    this.indicators = [];
    this.communes = [];
    onLanguage(() => { if (!this.alerts) { return; } this.build(); this.renderFigures(); this.alerts.poll(); });
    ctx.ready.then(() => this.load());
    // An alert raised, acknowledged or resolved anywhere reaches the panel at once (live.js, the event stream).
    onLive("alert", () => { if (this.alerts) { this.alerts.pollSoon(); } });
  }

  async load() {
    [this.indicators, this.communes] = await Promise.all([
      getJson("/api/indicators").then((d) => d.indicators || []).catch(() => []),
      loadCommunes(this.ctx.config.communesUrl).catch(() => []),
    ]);
    this.build();
    this.alerts.poll();
    this.keyFigures();
  }

  build() {
    if (this.alerts) { clearInterval(this.alerts.timer); }
    this.figures = el("dl", { class: "figures", id: "overview-figures" });
    const alertBox = el("div", { id: "alert-panel" });
    fill(this.container, el("h2", {}, t("overviewTitle")), this.figures, alertBox);
    this.alerts = new AlertPanel({ store: this.store, map: this.ctx.map, container: alertBox, indicators: this.indicators, communes: this.communes,
      onAlerts: (alerts) => { if (!this.store.get("asector") && !this.store.get("acommune")) { this.highAlerts = alerts.filter((a) => a.severity === "high").length; this.renderFigures(); } } });
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
    if (!this.figures) { return; }
    const rows = (this.figureRows || []).concat(this.highAlerts !== undefined ? [["alertsHigh", this.highAlerts, "alerts_high"]] : []);
    fill(this.figures, rows.map(([key, value, name]) => [el("dt", {}, t(key)), el("dd", { "data-figure": name }, format.number(value))]));
  }
}
