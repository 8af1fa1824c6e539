// The analysis panel's paged feature list: one layer at a time, ten features a page from POST /api/query
// ("features": true, "limit", "offset"), each with a button that zooms to it and opens its popup.

import { ApiError, postJson } from "./api.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { anchor, bounds } from "./geo.js";
import { t } from "./i18n.js";
import { attribute, layerTitle, valueLabel } from "./labels.js";

const PAGE = 10;

function featureName(layerId, feature) {
  const props = feature.properties || {};
  for (const name of ["name", "address_code", "plan_name", "parcel_no", "code"]) {
    if (props[name]) { return String(props[name]); }
  }
  const category = Object.keys(props).find((name) => (attribute(layerId, name) || {}).kind === "category");
  return category ? `#${feature.id} · ${valueLabel(layerId, category, props[category])}` : `#${feature.id}`;
}

/** The list; `body()` gives the analysis query body of the current area. */
export class FeatureList {
  constructor(ctx, body) {
    Object.assign(this, { ctx, body });
    this.layerSelect = el("select", { id: "feature-list-layer" });
    this.layerSelect.addEventListener("change", () => { this.offset = 0; this.load(); });
    this.items = el("ol", { class: "feature-list", id: "feature-list" });
    this.prev = el("button", { type: "button", class: "btn", "aria-label": t("prev") }, "‹");
    this.next = el("button", { type: "button", class: "btn", "aria-label": t("next") }, "›");
    this.where = el("span", { id: "feature-list-page" });
    this.prev.addEventListener("click", () => { this.offset = Math.max(0, this.offset - PAGE); this.load(); });
    this.next.addEventListener("click", () => { this.offset += PAGE; this.load(); });
    this.element = el("section", { class: "result-layer", hidden: true, "aria-labelledby": "feature-list-title" },
      el("h3", { id: "feature-list-title" }, t("featureList")),
      el("label", { for: "feature-list-layer" }, t("listLayer")), this.layerSelect,
      this.items, el("div", { class: "pager" }, this.prev, this.where, this.next));
    this.offset = 0;
  }

  /** Start again on the first page of the given layers (none: hide the list). */
  reset(layers) {
    this.offset = 0;
    this.element.hidden = !layers || !layers.length;
    if (this.element.hidden) { return; }
    const keep = layers.includes(this.layerSelect.value) ? this.layerSelect.value : layers[0];
    fill(this.layerSelect, layers.map((id) => el("option", { value: id }, layerTitle(id))));
    this.layerSelect.value = keep;
    this.load();
  }

  async load() {
    const body = this.body();
    if (!body) { return; }
    const layerId = this.layerSelect.value;
    const request = { ...body, layers: [layerId], group_by: undefined, features: true, limit: PAGE, offset: this.offset };
    try {
      const answer = await postJson("/api/query", request);
      this.show(layerId, answer.layers[layerId].features);
    } catch (error) {
      fill(this.items, el("li", { class: "err" }, error instanceof ApiError ? error.message : String(error)));
    }
  }

  show(layerId, collection) {
    const features = collection.features || [];
    fill(this.items, features.map((feature) => {
      const zoom = el("button", { type: "button", class: "btn", "data-feature": String(feature.id),
        "aria-label": `${t("zoomTo")}: ${featureName(layerId, feature)}` }, "⌖");
      zoom.addEventListener("click", () => this.zoomTo(layerId, feature));
      return el("li", { "data-id": String(feature.id) }, el("span", {}, featureName(layerId, feature)), zoom);
    }));
    const matched = collection.numberMatched || 0;
    const pages = Math.max(1, Math.ceil(matched / PAGE));
    this.where.textContent = `${t("page")} ${format.number(Math.floor(this.offset / PAGE) + 1)} ${t("of")} ${format.number(pages)}`;
    this.prev.disabled = this.offset === 0;
    this.next.disabled = collection.next_offset === null || collection.next_offset === undefined;
  }

  zoomTo(layerId, feature) {
    const map = this.ctx.map;
    if (feature.geometry.type === "Point") {
      map.jumpTo({ center: feature.geometry.coordinates, zoom: Math.max(map.getZoom(), 17) });
    } else {
      map.fitBounds(bounds(feature.geometry), { padding: 40, maxZoom: 17, duration: 0 });
    }
    const [lon, lat] = anchor(feature.geometry);
    this.ctx.openPopup({ id: feature.id, properties: feature.properties || {}, layerId }, { lng: lon, lat });
  }
}
