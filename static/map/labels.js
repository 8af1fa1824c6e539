// Human labels of layers, attributes and values, from the catalogue (GET /api/layers, each layer's
// "attributes": [{name, label:{vi,en}, kind, unit, values:[{value, label, colour}]}]). Nothing is listed here:
// when the server has no record the raw name is shown.

import { getLang, pick } from "./i18n.js";
import * as format from "./format.js";

let byLayer = new Map();

/** Remember the catalogue's layers (called once /api/layers has answered). */
export function setCatalogue(layers) {
  byLayer = new Map((layers || []).map((layer) => [layer.id, layer]));
}

/** The catalogue entry of a layer, or a stub. */
export function layerInfo(layerId) { return byLayer.get(layerId) || { id: layerId, title: layerId }; }

/** The layer's title in the interface language. */
export function layerTitle(layerId) {
  const layer = layerInfo(layerId);
  return getLang() === "en" ? (layer.title_en || layer.title || layerId) : (layer.title || layerId);
}

/** The attribute record of a layer, or null. */
export function attribute(layerId, name) {
  const records = layerInfo(layerId).attributes;
  return Array.isArray(records) ? records.find((a) => a.name === name) || null : null;
}

/** The attribute's label (with its unit), or its raw name. */
export function attributeLabel(layerId, name) {
  const record = attribute(layerId, name);
  const label = pick(record && record.label, name);
  return record && record.unit ? `${label} (${record.unit})` : label;
}

function valueRecord(layerId, name, value) {
  const record = attribute(layerId, name);
  if (!record || !Array.isArray(record.values)) { return null; }
  return record.values.find((v) => String(v.value) === String(value)) || null;
}

/** A value's label (a category's name, a formatted number or date), or the raw value as text. */
export function valueLabel(layerId, name, value) {
  if (value === null || value === undefined) { return ""; }
  const entry = valueRecord(layerId, name, value);
  if (entry) { return pick(entry.label, String(value)); }
  const record = attribute(layerId, name);
  const kind = record && record.kind;
  if (kind === "datetime") { return format.datetime(value); }
  if (kind === "date") { return format.date(value); }
  if (kind === "integer" || kind === "number") { return format.number(value); }
  if (kind === "boolean" || typeof value === "boolean") {
    const truthy = value === true || value === "true" || value === 1;
    return pick({ vi: truthy ? "Có" : "Không", en: truthy ? "Yes" : "No" });
  }
  if (typeof value === "number") { return format.number(value); }
  if (typeof value === "object") { return JSON.stringify(value); }
  return String(value);
}

/** The colour the server gives a category value, or null. */
export function valueColour(layerId, name, value) {
  const entry = valueRecord(layerId, name, value);
  return entry && entry.colour ? entry.colour : null;
}
