// Indicator entry by the unit that owns the figures: a period and a unit (a commune officer's own commune; a
// department or the IOC choose a commune or the province), the form from GET /api/indicators/entry with the
// previous period's value, the same period last year's and the target beside each field, saved with POST (all or
// nothing; the server's errors are shown on their fields). The Excel template of the same form can be downloaded
// and uploaded (POST /api/indicators/entry/upload). State: &eperiod=, &eunit=.

import { ApiError, csrfToken, getJson, postJson } from "./api.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { onLanguage, pick, t } from "./i18n.js";
import { loadCommunes } from "./search.js";

const TAB = "entry";

/** Recent periods, newest first: months, quarters and years that have started (in ICT). */
export function recentPeriods(now = new Date()) {
  const local = new Date(now.toLocaleString("en-US", { timeZone: "Asia/Ho_Chi_Minh" }));
  const year = local.getFullYear();
  const month = local.getMonth() + 1;
  const months = [];
  for (let i = 0; i < 14; i += 1) {
    const m = ((month - 1 - i) % 12 + 12) % 12 + 1;
    const y = year + Math.floor((month - 1 - i) / 12);
    months.push(`${y}-${String(m).padStart(2, "0")}`);
  }
  const quarter = Math.floor((month - 1) / 3) + 1;
  const quarters = [];
  for (let i = 0; i < 6; i += 1) {
    const q = ((quarter - 1 - i) % 4 + 4) % 4 + 1;
    quarters.push(`${year + Math.floor((quarter - 1 - i) / 4)}-Q${q}`);
  }
  return [...months, ...quarters, String(year), String(year - 1), String(year - 2)];
}

/** A typed number: vi-VN decimal comma or a point, spaces ignored; NaN when it is not one. */
export function parseNumber(text) {
  let value = String(text || "").replace(/\s/g, "");
  if (!value) { return NaN; }
  if (value.includes(",")) { value = value.replace(/\./g, "").replace(",", "."); }
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
}

/** The data-entry tab. */
export class IndicatorEntryPanel {
  constructor(ctx, container) {
    Object.assign(this, { ctx, container, store: ctx.store });
    this.communes = [];
    this.build();
    this.store.subscribe((state, changed) => {
      if (changed.some((k) => ["eperiod", "eunit", "tab"].includes(k))) { this.show(); }
    });
    onLanguage(() => { this.build(); this.show(); });
    ctx.ready.then(async () => {
      // a commune officer's unit is their commune: no list to wait for (and no late re-render over a save)
      if (this.commune()) { if (!this.doc) { this.show(); } return; }
      this.communes = await loadCommunes(ctx.config.communesUrl).catch(() => []);
      this.renderUnits();
      if (!this.doc || !this.store.get("eunit")) { this.show(); } // the default unit needed the list
    });
  }

  commune() { return this.ctx.config.role === "commune_staff"; }

  build() {
    this.period = el("select", { id: "entry-period" }, recentPeriods().map((p) => el("option", { value: p }, p)));
    this.unit = el("select", { id: "entry-unit" });
    this.period.addEventListener("change", () => this.store.set({ eperiod: this.period.value }));
    this.unit.addEventListener("change", () => this.store.set({ eunit: this.unit.value || "province" }));
    this.status = el("p", { class: "status-line", id: "entry-status", role: "status" });
    this.form = el("form", { id: "entry-form", "aria-labelledby": "entry-title" });
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.save(); });
    this.template = el("a", { id: "entry-template", class: "btn", href: "#" }, t("entryTemplate"));
    this.file = el("input", { type: "file", id: "entry-file", accept: ".xlsx" });
    this.file.addEventListener("change", () => this.upload());
    const unitRow = this.commune() ? [] : [el("label", { for: "entry-unit" }, t("entryUnit")), this.unit];
    fill(this.container, el("h2", { id: "entry-title" }, t("entryTitle")),
      el("label", { for: "entry-period" }, t("entryPeriod")), this.period, ...unitRow, this.status, this.form,
      el("p", {}, this.template), el("label", { for: "entry-file" }, t("entryUpload")), this.file);
    this.renderUnits();
  }

  renderUnits() {
    if (this.commune()) { return; }
    fill(this.unit, el("option", { value: "" }, t("entryProvince")),
      this.communes.map((f) => el("option", { value: f.properties.code }, f.properties.name)));
    this.unit.value = this.currentUnit();
  }

  currentPeriod() {
    const wanted = this.store.get("eperiod");
    const periods = recentPeriods();
    return periods.includes(wanted) ? wanted : periods[1];
  }

  currentUnit() {
    if (this.commune()) { return ""; } // the server uses the officer's own commune
    const unit = this.store.get("eunit");
    if (unit === "province") { return ""; }
    if (unit) { return unit; }
    return this.communes[0] ? this.communes[0].properties.code : "";
  }

  query() {
    const params = new URLSearchParams({ period: this.currentPeriod() });
    if (!this.commune()) { params.set("commune", this.currentUnit()); }
    return params.toString();
  }

  async show() {
    if (this.store.get("tab") !== TAB) { return; }
    this.period.value = this.currentPeriod();
    if (!this.commune()) { this.unit.value = this.currentUnit(); }
    this.template.setAttribute("href", `/api/indicators/entry/template?${this.query()}`);
    this.status.textContent = t("loading");
    const key = this.query();
    const saves = this.saves || 0;
    let doc;
    try { doc = await getJson(`/api/indicators/entry?${key}`); } catch (error) { this.status.textContent = `${t("error")}: ${error.message}`; return; }
    if (key !== this.query() || saves !== (this.saves || 0)) { return; } // a later choice or a save won
    this.doc = doc;
    this.status.textContent = doc.locked ? t("entryLocked") : "";
    this.renderForm();
  }

  renderForm() {
    const doc = this.doc;
    if (!doc.fields.length) { fill(this.form, el("p", { class: "muted" }, t("entryNone"))); return; }
    const cell = (figure) => (figure && figure.value !== null ? format.number(figure.value) : "–");
    const rows = doc.fields.map((f) => {
      const name = pick({ vi: f.name, en: f.name_en || f.name });
      const input = el("input", { type: "text", inputmode: "decimal", id: `entry-${f.indicator}`, name: f.indicator,
        "aria-label": `${name} (${f.unit})`, "data-indicator": f.indicator, autocomplete: "off" });
      input.value = f.value === null ? "" : format.number(f.value);
      input.dataset.initial = input.value;
      input.disabled = doc.locked;
      const by = f.entered_by ? el("span", { class: "muted" }, `${t("entryBy")} ${f.entered_by}, ${format.datetime(f.entered_at)}`) : null;
      return el("tr", { "data-indicator": f.indicator },
        el("th", { scope: "row" }, el("label", { for: input.id }, `${name} (${f.unit})`), by),
        el("td", {}, input, el("span", { class: "err", id: `entry-${f.indicator}-error`, role: "alert" })),
        el("td", { "data-role": "previous" }, cell(f.previous)),
        el("td", { "data-role": "lastyear" }, cell(f.same_period_last_year)),
        el("td", { "data-role": "target" }, f.target === null ? "–" : format.number(f.target)));
    });
    const head = el("tr", {}, [t("indicator"), t("value"), `${t("entryPrevious")} (${doc.previous_period})`,
      `${t("entryLastYear")} (${doc.same_period_last_year})`, t("target")].map((text) => el("th", { scope: "col" }, text)));
    const save = el("button", { type: "submit", class: "btn", id: "entry-save" }, t("entrySave"));
    save.disabled = doc.locked;
    fill(this.form, el("table", { class: "attrs entry-table" }, el("thead", {}, head), el("tbody", {}, rows)), save);
  }

  async save() {
    const inputs = [...this.form.querySelectorAll("input[data-indicator]")];
    inputs.forEach((input) => { document.getElementById(`${input.id}-error`).textContent = ""; });
    const changed = inputs.filter((input) => input.value.trim() && input.value !== input.dataset.initial);
    if (!changed.length) { this.status.textContent = t("entryNothing"); return; }
    const bad = changed.filter((input) => Number.isNaN(parseNumber(input.value)));
    bad.forEach((input) => { document.getElementById(`${input.id}-error`).textContent = t("error"); });
    if (bad.length) { return; }
    const body = { period: this.currentPeriod(), values: changed.map((i) => ({ indicator: i.dataset.indicator, value: parseNumber(i.value) })) };
    if (!this.commune()) { body.commune = this.currentUnit(); }
    this.saves = (this.saves || 0) + 1;
    try {
      const answer = await postJson("/api/indicators/entry", body);
      const w = answer.written;
      this.doc = answer.form;
      this.renderForm();
      this.status.textContent = `${t("entrySaved")}: ${w.created} ${t("entryCreated")}, ${w.corrected} ${t("entryCorrected")}, ${w.unchanged} ${t("entryUnchanged")}`;
    } catch (error) { this.showErrors(error, changed); }
  }

  showErrors(error, sent) {
    const errors = error instanceof ApiError && error.doc && Array.isArray(error.doc.errors) ? error.doc.errors : [];
    errors.forEach((e) => {
      const input = sent[e.row];
      if (input) { document.getElementById(`${input.id}-error`).textContent = e.description; }
    });
    this.status.textContent = `${t("error")}: ${error.message}`;
  }

  async upload() {
    const file = this.file.files[0];
    if (!file) { return; }
    const body = new FormData();
    body.append("file", file);
    this.status.textContent = t("loading");
    const response = await fetch("/api/indicators/entry/upload", { method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" } });
    const doc = await response.json().catch(() => ({}));
    this.file.value = "";
    if (!response.ok) {
      const lines = (doc.errors || []).map((e) => `${e.row}/${e.column}: ${e.description}`);
      this.status.textContent = `${t("error")}: ${[doc.description, ...lines].filter(Boolean).join("; ")}`;
      return;
    }
    await this.show();
    const w = doc.written;
    this.status.textContent = `${t("entrySaved")}: ${w.created} ${t("entryCreated")}, ${w.corrected} ${t("entryCorrected")}, ${w.unchanged} ${t("entryUnchanged")}`;
  }
}
