// The scenario runner: scenarios by sector (GET /api/scenarios), a form made from the chosen scenario's declared
// parameters, a run on the analysis area (POST /api/scenarios/{id}/run), its figures, alerts, tables, charts and
// map features, earlier runs to reopen, and export links. State: &scenario= and &run= in the address.

import { ApiError, getJson, postJson } from "./api.js";
import { barChart } from "./chart.js";
import { el, fill, link } from "./dom.js";
import * as format from "./format.js";
import { bounds } from "./geo.js";
import { getLang, onLanguage, pick, t } from "./i18n.js";
import { overlay, removeOverlay } from "./highlight.js";
import { ScenarioEditor } from "./scenarioeditor.js";

const METRIC_SKIP = new Set(["key", "label"]);

function title(doc) { return getLang() === "en" ? (doc.title_en || doc.title || doc.id) : (doc.title || doc.id); }

function areaText(area) {
  if (!area) { return ""; }
  if (area.type === "commune") { return `${t("commune")} ${area.code}`; }
  if (area.type === "radius") { return `${t("circle")} ${format.number(area.radius_m)} m`; }
  if (area.type === "province") { return t("provinceArea"); }
  return t(area.type);
}

/** The scenarios tab. */
export class ScenarioPanel {
  constructor(ctx, container) {
    Object.assign(this, { ctx, container, store: ctx.store, map: ctx.map });
    this.scenarios = [];
    this.build();
    this.store.subscribe((state, changed) => {
      if (changed.includes("scenario")) { this.selectScenario(false); }
      if (changed.includes("run")) { this.openRun(); }
      if (changed.includes("shape")) { this.showArea(); }
    });
    onLanguage(() => this.load());
    ctx.ready.then(() => this.load());
  }

  build() {
    this.sector = el("select", { id: "scenario-sector" });
    this.sector.addEventListener("change", () => this.renderChoices());
    this.choice = el("select", { id: "scenario-choice" });
    this.choice.addEventListener("change", () => this.store.set({ scenario: this.choice.value || undefined, run: undefined }));
    this.description = el("p", { class: "muted" });
    this.form = el("form", { id: "scenario-form", novalidate: true });
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.run(); });
    this.area = el("p", { class: "status-line", id: "scenario-area" });
    this.province = el("input", { type: "checkbox", id: "scenario-province" });
    this.province.addEventListener("change", () => this.showArea());
    this.status = el("p", { class: "status-line", role: "status", id: "scenario-status" });
    this.result = el("div", { id: "scenario-result", "aria-live": "polite" });
    this.runs = el("ul", { class: "runs", id: "scenario-runs" });
    fill(this.container,
      el("h2", {}, t("scenarios")),
      el("label", { for: "scenario-sector" }, t("sector")), this.sector,
      el("label", { for: "scenario-choice" }, t("chooseScenario")), this.choice, this.description,
      this.form, this.status, this.result,
      el("h3", {}, t("earlierRuns")), this.runs);
    if (this.ctx.config.role === "admin") { // administrators adjust scenarios (the server checks it again)
      const section = el("section", { id: "scenario-editor-panel" });
      this.container.appendChild(section);
      this.editor = new ScenarioEditor(section, async (id) => {
        await this.load();
        if (id !== this.store.get("scenario")) { this.store.set({ scenario: id, run: undefined }); }
      });
    }
  }

  async load() {
    try {
      this.scenarios = (await getJson("/api/scenarios")).scenarios || [];
    } catch (error) {
      this.status.textContent = `${t("error")}: ${error.message}`;
      return;
    }
    const sectors = [...new Set(this.scenarios.map((s) => s.sector))].sort();
    const keep = this.sector.value;
    fill(this.sector, el("option", { value: "" }, t("allSectors")), sectors.map((s) => el("option", { value: s }, s)));
    this.sector.value = sectors.includes(keep) ? keep : "";
    this.renderChoices();
    this.openRun();
  }

  renderChoices() {
    const wanted = this.store.get("scenario");
    const shown = this.scenarios.filter((s) => !this.sector.value || s.sector === this.sector.value);
    fill(this.choice, el("option", { value: "" }, "–"), shown.map((s) => el("option", { value: s.id, disabled: s.runnable === false }, title(s))));
    this.choice.value = shown.some((s) => s.id === wanted) ? wanted : "";
    this.selectScenario(true);
  }

  current() { return this.scenarios.find((s) => s.id === this.store.get("scenario")) || null; }

  async selectScenario(keepResult) {
    const summary = this.current();
    if (this.choice.value !== (summary ? summary.id : "")) { this.choice.value = summary ? summary.id : ""; }
    if (this.editor) { this.editor.show(summary ? summary.id : null); }
    if (!summary) { fill(this.form); fill(this.runs); this.description.textContent = ""; if (!keepResult) { this.clearResult(); } return; }
    const doc = await getJson(`/api/scenarios/${encodeURIComponent(summary.id)}`).catch(() => summary);
    this.description.textContent = doc.description || "";
    this.renderForm(doc);
    this.listRuns();
    if (!keepResult) { this.clearResult(); }
  }

  renderForm(doc) {
    const fields = (doc.params || []).map((param) => {
      const id = `param-${param.name}`;
      const numeric = param.type === "number" || param.type === "integer";
      const attrs = { id, name: param.name, type: numeric ? "number" : param.type === "boolean" ? "checkbox" : "text",
        "data-type": param.type, min: param.minimum, max: param.maximum, step: numeric ? (param.type === "integer" ? "1" : "any") : null };
      const input = el("input", attrs);
      if (param.type === "boolean") { input.checked = !!param.default; } else if (param.default !== null && param.default !== undefined) { input.value = String(param.default); }
      return el("label", { for: id }, pick({ vi: param.title, en: param.title_en }, param.name), input);
    });
    fill(this.form, el("fieldset", {}, el("legend", {}, t("params")), fields),
      el("fieldset", {}, el("legend", {}, t("scenarioArea")), this.area,
        el("label", { for: "scenario-province" }, this.province, " ", t("useProvince"))),
      el("button", { type: "submit", class: "btn primary", id: "scenario-run" }, t("run")));
    this.showArea();
  }

  areaShape() { return this.province.checked ? { type: "province" } : this.store.get("shape") || null; }

  showArea() {
    const shape = this.areaShape();
    this.area.textContent = shape ? `${t("analysisArea")}: ${areaText(shape)}` : t("needArea");
    const button = this.form.querySelector("#scenario-run");
    if (button) { button.disabled = !shape; }
  }

  params(doc) {
    const values = {};
    this.form.querySelectorAll("input[data-type]").forEach((input) => {
      const type = input.dataset.type;
      if (type === "boolean") { values[input.name] = input.checked; return; }
      if (input.value === "") { return; }
      values[input.name] = type === "number" || type === "integer" ? Number(input.value) : input.value;
    });
    return values;
  }

  async run() {
    const scenario = this.current();
    const area = this.areaShape();
    if (!scenario || !area) { this.status.textContent = t("needArea"); return; }
    this.status.textContent = t("running");
    this.form.querySelector("#scenario-run").disabled = true;
    try {
      const run = await postJson(`/api/scenarios/${encodeURIComponent(scenario.id)}/run`, { area, params: this.params() });
      this.status.textContent = "";
      this.shown = run.run_id;
      this.showRun(run);
      this.store.set({ run: run.run_id });
      this.listRuns();
    } catch (error) {
      this.status.textContent = `${t("runFailed")}: ${error instanceof ApiError ? error.message : String(error)}`;
    } finally {
      this.showArea();
    }
  }

  async listRuns() {
    const scenario = this.current();
    if (!scenario) { return; }
    try {
      const runs = (await getJson(`/api/scenarios/${encodeURIComponent(scenario.id)}/runs`)).runs || [];
      fill(this.runs, runs.length ? runs.map((run) => {
        const reopen = el("button", { type: "button", class: "btn", "data-run": run.run_id,
          "aria-label": `${t("reopen")}: ${format.datetime(run.created_at)}` }, t("reopen"));
        reopen.addEventListener("click", () => this.store.set({ run: run.run_id }));
        return el("li", { "data-run": run.run_id },
          el("span", {}, `${format.datetime(run.created_at)} · ${run.username || ""} · ${areaText(run.area)} · ${t("alerts")}: ${format.number(run.alert_count || 0)}`),
          reopen);
      }) : el("li", { class: "muted" }, t("noRuns")));
    } catch (error) {
      fill(this.runs, el("li", { class: "err" }, error.message));
    }
  }

  async openRun() {
    const runId = this.store.get("run");
    const scenario = this.store.get("scenario");
    if (!runId || !scenario) { if (!runId) { this.clearResult(); } return; }
    if (this.shown === runId) { return; }
    try {
      const run = await getJson(`/api/scenarios/${encodeURIComponent(scenario)}/runs/${encodeURIComponent(runId)}`);
      this.shown = runId;
      this.showRun(run);
    } catch (error) {
      this.status.textContent = `${t("error")}: ${error.message}`;
    }
  }

  clearResult() { this.shown = null; fill(this.result); removeOverlay(this.map, "scenario"); }

  showRun(run) {
    const exports = ["xlsx", "pdf", "html"].map((fmt) => {
      const base = `/api/scenarios/${encodeURIComponent(run.scenario)}/runs/${encodeURIComponent(run.run_id)}/export?format=${fmt}`;
      // a download in place (the answer is an attachment), not a new tab
      return link(base, t(`export${fmt[0].toUpperCase()}${fmt.slice(1)}`), { "data-export": fmt, class: "btn", target: "_self", download: "" });
    });
    fill(this.result,
      el("h3", {}, title(run)),
      el("dl", { class: "figures", id: "scenario-figures" },
        el("dt", {}, t("status")), el("dd", { "data-figure": "status" }, run.status),
        el("dt", {}, t("ranAt")), el("dd", {}, format.datetime(run.created_at)),
        el("dt", {}, t("area")), el("dd", { "data-figure": "area_km2" }, `${format.km2(run.area_m2 || 0)} ${t("km2")}`),
        el("dt", {}, t("communesTouched")), el("dd", { "data-figure": "communes" }, format.number((run.communes || []).length)),
        el("dt", {}, t("alerts")), el("dd", { "data-figure": "alerts" }, format.number(run.alert_count || 0))),
      run.error ? el("p", { class: "err" }, run.error) : null,
      this.alerts(run), Object.entries(run.groups || {}).map(([step, group]) => this.step(step, group)),
      el("p", { class: "toolbar" }, el("span", {}, `${t("export")}: `), exports));
    this.drawMap(run);
  }

  alerts(run) {
    const alerts = (run.alerts || []).concat(run.indicator_alerts || []);
    if (!alerts.length) { return el("p", { class: "muted" }, t("noAlerts")); }
    return el("ul", { class: "alerts", id: "scenario-alerts", "aria-label": t("alerts") }, alerts.map((a) =>
      el("li", { class: a.severity === "high" ? "" : "warning", "data-severity": a.severity || "" },
        `${t(a.severity || "") || ""} · ${a.step || a.indicator || ""} ${a.label || a.key || ""}: ${a.metric || ""} ${format.number(a.value)} (${t("threshold")} ${format.number(a.threshold)})`)));
  }

  step(stepId, group) {
    const rows = group.rows || [];
    const metrics = [...new Set(rows.flatMap((row) => Object.keys(row)).filter((k) => !METRIC_SKIP.has(k)))];
    const table = el("table", { class: "attrs", "data-step": stepId },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("by")), metrics.map((m) => el("th", { scope: "col" }, t(m))))),
      el("tbody", {}, rows.map((row) => el("tr", { "data-key": String(row.key) }, el("th", { scope: "row" }, String(row.label ?? row.key)),
        metrics.map((m) => el("td", { "data-metric": m }, format.number(row[m]))))),
        group.totals ? el("tr", { class: "totals" }, el("th", { scope: "row" }, t("totals")),
          metrics.map((m) => el("td", { "data-metric": m }, format.number(group.totals[m])))) : null));
    const section = el("section", { class: "result-layer", "data-step": stepId }, el("h4", {}, title(group)), table);
    if (rows.length > 1 && rows.every((r) => typeof r.count === "number")) {
      setTimeout(() => barChart(section, { labels: rows.map((r) => String(r.label ?? r.key)), values: rows.map((r) => r.count),
        colours: rows.map(() => "#457b9d"), title: title(group) }), 0);
    }
    return section;
  }

  drawMap(run) {
    const data = run.map && run.map.geojson;
    removeOverlay(this.map, "scenario");
    if (!data || !(data.features || []).length) { return; }
    const styles = run.map.style || {};
    const coloured = { type: "FeatureCollection", features: data.features.map((f) => {
      const style = styles[f.properties.step] || {};
      const colour = (style.colors || {})[f.properties[style.by]] || style.color || "#d00000";
      return { ...f, properties: { ...f.properties, __colour: colour } };
    }) };
    overlay(this.map, "scenario", coloured);
    const box = bounds({ type: "GeometryCollection", coordinates: coloured.features.map((f) => f.geometry.coordinates) });
    this.map.fitBounds(box, { padding: 40, maxZoom: 15, duration: 0 });
  }
}
