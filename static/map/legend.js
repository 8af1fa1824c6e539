// A layer's legend: rows of [label_vi, label_en, colour] from the style's metadata (made by the server).

import { el } from "./dom.js";
import { getLang } from "./i18n.js";

/** The legend list, or null when the layer has none. */
export function legend(rows) {
  if (!rows || !rows.length) { return null; }
  return el("ul", { class: "legend" }, rows.map(([vi, en, colour]) =>
    el("li", {}, el("span", { class: "swatch", "aria-hidden": "true", style: { "background-color": colour } }),
      getLang() === "en" ? en : vi)));
}
