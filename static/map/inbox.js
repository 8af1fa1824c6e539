// The report inbox of commune and department staff: their reports (GET /api/reports), one report's record with
// its history (GET /api/reports/{id}), and the workflow's next steps as buttons (POST .../transition, with the
// CSRF header). Status names come from the field_reports layer's attribute record. State: &report=, &rstatus=.

import { ApiError, getJson, postJson } from "./api.js";
import { el, fill, link } from "./dom.js";
import * as format from "./format.js";
import { onLanguage, t } from "./i18n.js";
import { attribute, valueLabel } from "./labels.js";

// The action each target state is offered as (interface words, not data).
const ACTIONS = { accepted: "accept", assigned: "assign", in_progress: "inProgress", resolved: "resolve",
  rejected: "reject", duplicate: "duplicate", closed: "close_" };
const PAGE = 50;

const statusLabel = (status) => valueLabel("field_reports", "status", status);

/** The inbox tab. */
export class InboxPanel {
  constructor(ctx, container) {
    Object.assign(this, { ctx, container, store: ctx.store, map: ctx.map });
    this.build();
    this.store.subscribe((state, changed) => {
      if (changed.includes("rstatus")) { this.load(); }
      if (changed.includes("report")) { this.open(); }
    });
    onLanguage(() => { this.renderFilters(); this.load(); });
    ctx.ready.then(() => { this.renderFilters(); this.load(); this.open(true); });  // redrawn with the labels
  }

  build() {
    this.filter = el("select", { id: "inbox-status" });
    this.filter.addEventListener("change", () => this.store.set({ rstatus: this.filter.value || undefined }));
    this.overdue = el("input", { type: "checkbox", id: "inbox-overdue" });
    this.overdue.addEventListener("change", () => this.load());
    const refresh = el("button", { type: "button", class: "btn" }, t("refresh"));
    refresh.addEventListener("click", () => { this.load(); this.open(true); });
    this.count = el("p", { class: "status-line", id: "inbox-count", role: "status" });
    this.list = el("ul", { class: "report-list", id: "inbox-list" });
    this.detail = el("section", { id: "inbox-detail", "aria-live": "polite" });
    fill(this.container, el("h2", {}, t("inbox")),
      el("label", { for: "inbox-status" }, t("status")), this.filter,
      el("label", { for: "inbox-overdue" }, this.overdue, " ", t("overdue")), refresh,
      this.count, this.list, this.detail);
  }

  renderFilters() {
    const record = attribute("field_reports", "status");
    const values = record && Array.isArray(record.values) ? record.values.map((v) => v.value) : [];
    fill(this.filter, el("option", { value: "" }, t("all")), values.map((v) => el("option", { value: v }, statusLabel(v))));
    this.filter.value = this.store.get("rstatus") || "";
  }

  async load() {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (this.store.get("rstatus")) { params.set("status", this.store.get("rstatus")); }
    if (this.overdue.checked) { params.set("overdue", "true"); }
    try {
      const doc = await getJson(`/api/reports?${params}`);
      this.count.textContent = `${format.number(doc.count)} ${t("tabInbox").toLowerCase()}`;
      const current = this.store.get("report");
      fill(this.list, (doc.reports || []).map((report) => {
        const button = el("button", { type: "button", "data-report": String(report.id), "aria-current": String(report.id) === current ? "true" : "false" },
          el("strong", {}, `#${report.id} ${report.service_name}`), " ",
          el("span", { class: "badge" }, statusLabel(report.status)), " ",
          report.overdue ? el("span", { class: "badge overdue" }, t("overdue")) : null,
          el("div", { class: "muted" }, `${report.commune_name || report.commune_code} · ${format.datetime(report.requested_at)}`));
        button.addEventListener("click", () => this.store.set({ report: String(report.id) }));
        return el("li", {}, button);
      }));
    } catch (error) {
      this.count.textContent = `${t("error")}: ${error.message}`;
    }
  }

  async open(force) {
    const id = this.store.get("report");
    this.list.querySelectorAll("button[data-report]").forEach((b) => b.setAttribute("aria-current", b.dataset.report === id ? "true" : "false"));
    if (!id) { fill(this.detail); return; }
    if (this.shown === id && !force) { return; }
    // One answer per choice: the store may announce the same report twice, and a late answer must not
    // redraw the form under a user who is already typing a note.
    this.shown = id;
    const request = (this.request || 0) + 1;
    this.request = request;
    try {
      const report = await getJson(`/api/reports/${encodeURIComponent(id)}`);
      if (request !== this.request) { return; }
      this.show(report);
    } catch (error) {
      fill(this.detail, el("p", { class: "err" }, error.message));
    }
  }

  show(report, message) {
    // What the user typed survives a redraw of the same report (e.g. after the server refused a step).
    const typed = this.note && this.detail.dataset.report === String(report.id) ?
      { note: this.note.value, publicNote: this.publicNote.value, duplicateOf: this.duplicateOf.value } : null;
    this.detail.dataset.report = String(report.id);
    const fact = (key, value, name) => [el("dt", {}, t(key)), el("dd", { "data-field": name || key }, value)];
    const reporter = report.reporter;
    const contact = reporter ? [reporter.last_name, reporter.first_name].filter(Boolean).join(" ") +
      [reporter.phone, reporter.email].filter(Boolean).map((x) => ` · ${x}`).join("") : null;
    this.note = el("textarea", { id: "inbox-note", rows: "2", maxlength: "2000" });
    this.publicNote = el("textarea", { id: "inbox-public-note", rows: "2", maxlength: "2000" });
    this.assignee = el("input", { type: "text", id: "inbox-assignee", maxlength: "160", value: report.assigned_to || "" });
    this.duplicateOf = el("input", { type: "number", id: "inbox-duplicate-of", min: "1" });
    if (typed && message && message.startsWith(t("error"))) {
      this.note.value = typed.note; this.publicNote.value = typed.publicNote; this.duplicateOf.value = typed.duplicateOf;
    }
    const actions = (report.allowed_transitions || []).map((to) => {
      const button = el("button", { type: "button", class: "btn", "data-to": to }, t(ACTIONS[to] || to));
      button.addEventListener("click", () => this.move(report, to));
      return button;
    });
    const zoom = el("button", { type: "button", class: "btn" }, t("zoomTo"));
    zoom.addEventListener("click", () => this.map.jumpTo({ center: [report.long, report.lat], zoom: 17 }));
    fill(this.detail,
      el("h3", {}, `${t("reportNo")} ${report.id}: ${report.service_name}`),
      message ? el("p", { class: "status-line", role: "status", id: "inbox-message" }, message) : null,
      el("p", { "data-field": "description" }, report.description || ""),
      el("dl", { class: "figures" },
        fact("status", statusLabel(report.status), "status"),
        fact("commune", report.commune_name || report.commune_code || ""),
        el("dt", {}, t("address")), el("dd", { "data-field": "address" }, report.address || ""),
        fact("assignedTo", report.assigned_to || report.agency_responsible || "", "assigned_to"),
        fact("due", format.datetime(report.due_at), "due_at"),
        contact ? fact("contact", contact, "contact") : null,
        report.media_url ? [el("dt", {}, "Ảnh"), el("dd", {}, link(report.media_url, "↗"))] : null),
      report.overdue ? el("p", {}, el("span", { class: "badge overdue" }, t("overdue"))) : null,
      zoom,
      actions.length ? el("fieldset", { id: "inbox-actions" }, el("legend", {}, t("status")),
        el("label", { for: "inbox-note" }, t("note")), this.note,
        el("label", { for: "inbox-public-note" }, t("publicNote")), this.publicNote,
        report.allowed_transitions.includes("assigned") ? [el("label", { for: "inbox-assignee" }, t("assignedTo")), this.assignee] : null,
        report.allowed_transitions.includes("duplicate") ? [el("label", { for: "inbox-duplicate-of" }, t("duplicateOf")), this.duplicateOf] : null,
        el("div", { class: "toolbar" }, actions)) : null,
      el("h4", {}, t("history")),
      el("ol", { class: "history", id: "inbox-history" }, (report.transitions || []).map((step) =>
        el("li", {}, `${format.datetime(step.at)} · ${statusLabel(step.to)} · ${step.by || ""}${step.note ? " · " + step.note : ""}`))));
  }

  async move(report, to) {
    const body = { to };
    if (this.note.value.trim()) { body.note = this.note.value.trim(); }
    if (this.publicNote.value.trim()) { body.public_note = this.publicNote.value.trim(); }
    if (to === "assigned" && this.assignee.value.trim()) { body.assigned_to = this.assignee.value.trim(); }
    if (to === "duplicate" && this.duplicateOf.value) { body.duplicate_of = Number(this.duplicateOf.value); }
    try {
      const updated = await postJson(`/api/reports/${encodeURIComponent(report.id)}/transition`, body);
      this.show(updated, `${t("transitionDone")}: ${statusLabel(updated.status)}`);
      this.load();
    } catch (error) {
      this.show(report, `${t("error")}: ${error instanceof ApiError ? error.message : String(error)}`);
    }
  }
}
