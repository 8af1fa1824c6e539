// Popups of the map: a registry of renderers by layer id (the camera module registers one) and the default
// renderer, a feature's attributes as a table with server labels. Everything is built with el(): no markup.

import { el, fill, isLink, link } from "./dom.js";
import { t } from "./i18n.js";
import { attributeLabel, layerTitle, valueLabel } from "./labels.js";

const renderers = new Map();

/** Register `render(feature, element)` as the popup of a layer; it may return a function that cleans up. */
export function registerPopup(layerId, render) { renderers.set(layerId, render); }

/** The registered renderer of a layer, or null. */
export function popupRendererFor(layerId) { return renderers.get(layerId) || null; }

function cell(layerId, key, value) {
  if (isLink(value)) { return link(value, String(value)); }
  return valueLabel(layerId, key, value);
}

/** The default popup: title, id and every attribute (a cluster cell: its counts and a hint). */
export function renderDefault(feature, element, layerId) {
  const props = feature.properties || {};
  const cluster = props.cluster === true || props.cluster === "true";
  const rows = Object.keys(props).filter((key) => key !== "cluster").map((key) =>
    el("tr", { "data-attr": key, "data-value": typeof props[key] === "object" ? JSON.stringify(props[key]) : String(props[key]) },
      el("th", { scope: "row" }, attributeLabel(layerId, key)), el("td", {}, cell(layerId, key, props[key]))));
  const heading = el("h3", {}, cluster ? `${layerTitle(layerId)} – ${t("cluster")}` : layerTitle(layerId),
    feature.id !== undefined && !cluster ? el("span", { class: "muted" }, ` #${feature.id}`) : null);
  fill(element, heading, el("table", { class: "attrs" }, el("tbody", {}, rows)),
    cluster ? el("p", { class: "muted" }, t("zoomIn")) : null);
}
