// Date ranges of the time-based layers (the server lists them: config.timeFilters, each {layer, field, kind,
// defaultDays}): two date inputs under the layer's row in the layer panel, applied as a MapLibre filter on the
// layer's style layers. The tiles carry the attribute as text (a date "2026-04-11", or a UTC timestamp
// "2026-03-22 05:17:46.99+00"), so the filter compares strings: days are ICT days turned into UTC bounds.
// Aggregated cells (clusters, zoomed out) carry no time and are left as they are. State: &time={"layer":[from,to]}
// ([] = no range; a layer absent from it has its default range, the last defaultDays days).

import { el } from "./dom.js";
import { t } from "./i18n.js";

const ZONE_OFFSET = "+07:00"; // Asia/Ho_Chi_Minh, no daylight saving
const DAY_MS = 86_400_000;
const CLUSTERS = JSON.stringify(["==", ["get", "cluster"], true]);

/** Today in ICT as YYYY-MM-DD, shifted by `days`. */
export function ictDay(days = 0) {
  return new Date(Date.now() + 7 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC text ("YYYY-MM-DD HH:MM:SS") of the start of an ICT day, as the tiles write timestamps. */
function utcStart(day) {
  return new Date(`${day}T00:00:00${ZONE_OFFSET}`).toISOString().slice(0, 19).replace("T", " ");
}

function nextDay(day) { return new Date(Date.parse(`${day}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10); }

/** The MapLibre expression keeping features whose `field` falls in [from, to] (ICT days, either may be empty). */
export function rangeExpression(field, kind, from, to) {
  const value = ["to-string", ["get", field]];
  const parts = [];
  if (kind === "date") {
    if (from) { parts.push([">=", value, from]); }
    if (to) { parts.push(["<=", value, to]); }
  } else {
    if (from) { parts.push([">=", value, utcStart(from)]); }
    if (to) { parts.push(["<", value, utcStart(nextDay(to))]); }
  }
  return parts.length ? ["all", ...parts] : null;
}

/** The layer panel's date ranges. */
export class TimeFilter {
  constructor({ map, store, panel, filters }) {
    Object.assign(this, { map, store, panel });
    this.filters = new Map((filters || []).map((f) => [f.layer, f]));
    this.original = new Map(); // style layer id -> its filter in the style
    panel.rowExtras.push((item, visible) => this.control(item, visible));
    store.subscribe((state, changed) => { if (changed.includes("time")) { this.apply(); this.panel.render(); } });
  }

  /** Remember the style's own filters (call once the style is loaded), then apply the ranges. */
  start() {
    this.filters.forEach((_, layerId) => (this.panel.styleLayersOf[layerId] || []).forEach((id) => {
      this.original.set(id, this.map.getFilter(id) || null);
    }));
    this.apply();
  }

  /** [from, to] of a layer: the address's, or the default range. */
  range(layerId) {
    const chosen = (this.store.get("time") || {})[layerId];
    if (Array.isArray(chosen)) { return [chosen[0] || "", chosen[1] || ""]; }
    const days = (this.filters.get(layerId) || {}).defaultDays;
    return days ? [ictDay(-days), ictDay()] : ["", ""];
  }

  set(layerId, range) {
    const time = { ...(this.store.get("time") || {}) };
    time[layerId] = range[0] || range[1] ? [range[0] || "", range[1] || ""] : [];
    this.store.set({ time });
  }

  apply() {
    this.filters.forEach((spec, layerId) => {
      const [from, to] = this.range(layerId);
      const range = rangeExpression(spec.field, spec.kind, from, to);
      (this.panel.styleLayersOf[layerId] || []).forEach((id) => {
        if (!this.original.has(id) || !this.map.getLayer(id)) { return; }
        const original = this.original.get(id);
        if (original && JSON.stringify(original) === CLUSTERS) { return; } // cells have no time
        this.map.setFilter(id, range ? (original ? ["all", original, range] : range) : original);
      });
    });
  }

  control(item, visible) {
    const spec = this.filters.get(item.id);
    if (!spec) { return null; }
    const [from, to] = this.range(item.id);
    const input = (which, value) => el("input", { type: "date", id: `time-${item.id}-${which}`, value, "data-layer": item.id, "data-bound": which });
    const start = input("from", from);
    const end = input("to", to);
    const changed = () => this.set(item.id, [start.value, end.value]);
    start.addEventListener("change", changed);
    end.addEventListener("change", changed);
    const clear = el("button", { type: "button", class: "btn", "data-layer": item.id }, t("clearTime"));
    clear.addEventListener("click", () => this.set(item.id, ["", ""]));
    const clustered = (this.panel.styleLayersOf[item.id] || []).some((id) => JSON.stringify(this.original.get(id)) === CLUSTERS);
    const box = el("fieldset", { class: "time-filter", "data-layer": item.id },
      el("legend", {}, t("timeFilter")),
      el("label", { for: start.id }, t("from")), start,
      el("label", { for: end.id }, t("to")), end, clear,
      clustered ? el("p", { class: "muted" }, t("clusterNotFiltered")) : null);
    box.hidden = !visible;
    return box;
  }
}
