// A layer's legend: rows of [label_vi, label_en, colour, marker?] from the style's metadata (made by the server);
// a row with a marker glyph (■ ▲ ✖) shows that shape in its colour, as the map draws it.

import { el } from "./dom.js";
import { getLang } from "./i18n.js";

/** The legend list, or null when the layer has none. */
export function legend(rows) {
  if (!rows || !rows.length) { return null; }
  return el("ul", { class: "legend" }, rows.map(([vi, en, colour, marker]) =>
    el("li", {}, marker
      ? el("span", { class: "marker", "aria-hidden": "true", style: { color: colour } }, marker)
      : el("span", { class: "swatch", "aria-hidden": "true", style: { "background-color": colour } }),
    getLang() === "en" ? en : vi)));
}
