// The administrators' scenario editor, under the scenario runner: the chosen scenario's parameter defaults, alert
// thresholds and severities, target indicators and schedule, saved as a new version (PUT
// /api/scenarios/{id}/definition, in force at once); its change history (GET /api/scenarios/{id}/history); and a new
// scenario from a definition document (POST /api/scenarios). The server validates and names a refused field.

import { ApiError, getJson, postJson, sendJson } from "./api.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { pick, t } from "./i18n.js";

const SEVERITIES = ["low", "medium", "high"];

function message(error) { return `${t("error")}: ${error instanceof ApiError ? error.message : String(error)}`; }

/** A number typed in a field, or the text itself ("$param" names a run parameter). */
function numberOrRef(text) {
  const value = text.trim();
  return value !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
}

/** The editor; `onSaved(id)` is called after a change is saved (the runner reloads the scenario). */
export class ScenarioEditor {
  constructor(container, onSaved) {
    Object.assign(this, { container, onSaved, doc: null });
    this.form = el("form", { id: "scenario-editor", novalidate: true });
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.save(); });
    this.status = el("p", { class: "status-line", role: "status", id: "scenario-editor-status" });
    this.history = el("ul", { class: "runs", id: "scenario-history", "aria-label": t("versions") });
    this.newDoc = el("textarea", { id: "new-scenario-json", rows: "8", spellcheck: "false" });
    const create = el("button", { type: "button", class: "btn", id: "new-scenario-create" }, t("createScenario"));
    create.addEventListener("click", () => this.create());
    fill(container, el("details", { id: "scenario-admin" },
      el("summary", {}, t("editScenario")), this.form, this.status,
      el("h4", {}, t("versions")), this.history,
      el("h4", {}, t("newScenario")), el("label", { for: "new-scenario-json" }, t("newScenarioJson")), this.newDoc, create));
  }

  /** Show a scenario's definition in force (nothing when none is chosen). */
  async show(scenarioId) {
    this.scenarioId = scenarioId;
    if (!scenarioId) { this.doc = null; fill(this.form); fill(this.history); return; }
    try {
      this.doc = await getJson(`/api/scenarios/${encodeURIComponent(scenarioId)}/definition`);
    } catch (error) {
      this.doc = null; fill(this.form); this.status.textContent = message(error); return;
    }
    this.renderForm(this.doc.definition);
    if (!this.newDoc.value) { this.newDoc.value = JSON.stringify({ ...this.doc.definition, id: `${scenarioId}_2` }, null, 2); }
    this.listHistory();
  }

  renderForm(def) {
    const params = def.params.filter((p) => typeof p.default === "number").map((p) => {
      const id = `def-param-${p.name}`;
      return el("label", { for: id }, `${t("defaultOf")}: ${pick({ vi: p.title, en: p.title_en }, p.name)}`,
        el("input", { id, type: "number", step: "any", min: p.minimum, max: p.maximum, value: String(p.default), "data-param": p.name }));
    });
    const rules = def.alerts.map((rule, i) => el("fieldset", { "data-rule": String(i) },
      el("legend", {}, `${t("alertRule")} ${i + 1}: ${rule.step} · ${rule.metric} ${rule.op}`),
      el("label", { for: `def-alert-${i}-threshold` }, `${t("threshold")} (${t("alertRule")} ${i + 1})`,
        el("input", { id: `def-alert-${i}-threshold`, type: "text", value: String(rule.threshold), "data-field": "threshold" })),
      el("label", { for: `def-alert-${i}-severity` }, `${t("severity")} (${t("alertRule")} ${i + 1})`,
        el("select", { id: `def-alert-${i}-severity`, "data-field": "severity" },
          SEVERITIES.map((s) => el("option", { value: s, selected: s === rule.severity }, t(s)))))));
    fill(this.form,
      el("p", { class: "muted", id: "scenario-editor-version" }, `${t("version")} ${format.number(this.doc.version)}`),
      params.length ? el("fieldset", {}, el("legend", {}, t("params")), params) : null, rules,
      el("label", { for: "def-indicators" }, t("indicatorCodes"),
        el("input", { id: "def-indicators", type: "text", value: def.indicators.join(", ") })),
      el("label", { for: "def-schedule" }, t("scheduleMinutes"),
        el("input", { id: "def-schedule", type: "number", min: "5", max: "10080", step: "1",
          value: def.schedule_minutes === null ? "" : String(def.schedule_minutes) })),
      el("label", { for: "def-note" }, t("changeNote"), el("input", { id: "def-note", type: "text", maxlength: "500" })),
      el("button", { type: "submit", class: "btn primary", id: "def-save" }, t("saveVersion")));
  }

  /** The definition in force with the form's values. */
  edited() {
    const def = structuredClone(this.doc.definition);
    this.form.querySelectorAll("input[data-param]").forEach((input) => {
      const param = def.params.find((p) => p.name === input.dataset.param);
      if (param && input.value !== "") { param.default = Number(input.value); }
    });
    this.form.querySelectorAll("fieldset[data-rule]").forEach((set) => {
      const rule = def.alerts[Number(set.dataset.rule)];
      rule.threshold = numberOrRef(set.querySelector("[data-field=threshold]").value);
      rule.severity = set.querySelector("[data-field=severity]").value;
    });
    def.indicators = this.form.querySelector("#def-indicators").value.split(",").map((c) => c.trim()).filter(Boolean);
    const schedule = this.form.querySelector("#def-schedule").value;
    def.schedule_minutes = schedule === "" ? null : Number(schedule);
    return def;
  }

  async save() {
    const note = this.form.querySelector("#def-note").value;
    try {
      const saved = await sendJson("PUT", `/api/scenarios/${encodeURIComponent(this.scenarioId)}/definition`,
        { definition: this.edited(), base_version: this.doc.version, note });
      this.doc = saved;
      this.renderForm(saved.definition);
      this.status.textContent = `${t("savedVersion")} ${format.number(saved.version)}`;
      this.listHistory();
      if (this.onSaved) { this.onSaved(this.scenarioId); }
    } catch (error) {
      this.status.textContent = message(error);
    }
  }

  async create() {
    let definition;
    try { definition = JSON.parse(this.newDoc.value); } catch (error) { this.status.textContent = message(error); return; }
    try {
      const created = await postJson("/api/scenarios", { definition });
      this.status.textContent = `${t("createdScenario")}: ${created.id}`;
      if (this.onSaved) { this.onSaved(created.id); }
    } catch (error) {
      this.status.textContent = message(error);
    }
  }

  async listHistory() {
    try {
      const doc = await getJson(`/api/scenarios/${encodeURIComponent(this.scenarioId)}/history`);
      fill(this.history, doc.versions.map((v) => el("li", { "data-version": String(v.version) },
        v.version === 0 ? `${t("version")} 0 · ${t("shippedVersion")}`
          : `${t("version")} ${format.number(v.version)} · ${v.by} · ${format.datetime(v.at)}${v.note ? ` · ${v.note}` : ""}`
            + ` · ${t("changed")}: ${v.diff.map((d) => d.path).join(", ")}`)));
    } catch (error) {
      fill(this.history, el("li", { class: "err" }, message(error)));
    }
  }
}
