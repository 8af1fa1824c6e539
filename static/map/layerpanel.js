// The layer panel: the catalogue's layers grouped as the server groups them, a checkbox each (visibility is
// part of the address: &layers=…), feature counts, flags and legends.

import { el, fill } from "./dom.js";
import { getLang, t } from "./i18n.js";
import { legend } from "./legend.js";
import * as format from "./format.js";

function itemTitle(item) {
  return getLang() === "en" ? (item.title_en || item.title || item.id) : (item.title || item.id);
}

/** The panel of a map: call render() after the style and catalogue are loaded. */
export class LayerPanel {
  constructor({ container, map, store, groups, loggedIn }) {
    Object.assign(this, { container, map, store, groups, loggedIn });
    this.catalogue = []; this.rasters = []; this.extras = {}; this.styleLayersOf = {};
    this.listeners = new Set();
    this.rowExtras = []; // (item, visible) => a node shown under the layer's row, or null (time filters…)
    store.subscribe((state, changed) => { if (changed.includes("layers")) { this.applyVisibility(); this.render(); } });
  }

  /** Read the style's metadata: which style layers draw which published layer, legends, rasters. */
  indexStyle() {
    const style = this.map.getStyle();
    const meta = style.metadata || {};
    (meta["ioc:layers"] || []).forEach((entry) => { this.extras[entry.id] = entry; });
    this.rasters = meta["ioc:rasters"] || [];
    style.layers.forEach((layer) => {
      const owner = layer.metadata && layer.metadata["ioc:layer"];
      if (owner) { (this.styleLayersOf[owner] = this.styleLayersOf[owner] || []).push(layer.id); }
    });
    this.defaults = Object.keys(this.styleLayersOf).filter((id) => this.isVisible(id));
  }

  isVisible(layerId) {
    const ids = this.styleLayersOf[layerId] || [];
    return ids.length > 0 && this.map.getLayoutProperty(ids[0], "visibility") !== "none";
  }

  /** Make the map match the address (&layers=…), or the style's defaults when it says nothing. */
  applyVisibility() {
    const wanted = new Set(this.store.get("layers") || this.defaults || []);
    Object.entries(this.styleLayersOf).forEach(([layerId, ids]) => {
      ids.forEach((id) => this.map.setLayoutProperty(id, "visibility", wanted.has(layerId) ? "visible" : "none"));
    });
    this.listeners.forEach((listener) => listener());
  }

  /** Show or hide a layer; recorded in the address so back undoes it. */
  setVisible(layerId, visible) {
    const now = new Set(Object.keys(this.styleLayersOf).filter((id) => this.isVisible(id)));
    if (visible) { now.add(layerId); } else { now.delete(layerId); }
    this.store.set({ layers: [...now].sort() });
  }

  /** Call `listener()` after visibility changes. */
  onChange(listener) { this.listeners.add(listener); }

  row(item) {
    const extra = this.extras[item.id] || {};
    const visible = this.isVisible(item.id);
    const boxId = `layer-${item.id}`;
    const box = el("input", { type: "checkbox", id: boxId, "data-layer": item.id });
    box.checked = visible;
    box.addEventListener("change", () => this.setVisible(item.id, box.checked));
    const count = item.feature_count === undefined ? null : el("span", { class: "count" },
      `${format.number(item.feature_count)} ${t("features")}${item.feature_count_estimated ? ` (${t("approx")})` : ""}`);
    const flags = [item.public === false ? t("protected") : null, item.synthetic ? t("synthetic") : null]
      .filter(Boolean).map((flag) => el("span", { class: "flag" }, flag));
    const key = legend(extra.legend);
    if (key) { key.hidden = !visible; }
    return el("div", { class: "layer" }, el("label", { for: boxId }, box, " ", itemTitle(item)),
      el("div", { class: "meta" }, count, flags), key, this.rowExtras.map((extra) => extra(item, visible)));
  }

  groupTitle(group) { return (this.groups[group] || {})[getLang()] || group; }

  /** Draw the panel from the catalogue and the style. */
  render() {
    const byGroup = new Map();
    this.catalogue.concat(this.rasters).forEach((item) => {
      if (!this.styleLayersOf[item.id]) { return; }
      if (!byGroup.has(item.group)) { byGroup.set(item.group, []); }
      byGroup.get(item.group).push(item);
    });
    const sections = Object.keys(this.groups).filter((g) => byGroup.has(g)).map((group) =>
      el("section", { class: "group" }, el("h3", {}, this.groupTitle(group)), byGroup.get(group).map((item) => this.row(item))));
    fill(this.container, sections, this.loggedIn ? null : el("p", { class: "muted" }, t("loginHint")));
  }
}
