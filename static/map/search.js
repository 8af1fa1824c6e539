// Commune search: the 95 communes from /api/communes.geojson in a datalist; accents and đ are ignored, so
// "bien hoa" finds "Biên Hòa".

import { el, fill } from "./dom.js";
import { getJson } from "./api.js";
import { t } from "./i18n.js";

/** Lower case, without Vietnamese diacritics. */
export function fold(text) {
  return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase().trim();
}

/** [[west, south], [east, north]] of a GeoJSON geometry. */
export function bboxOf(geometry) {
  let minX = 180, minY = 90, maxX = -180, maxY = -90;
  const walk = (c) => {
    if (typeof c[0] === "number") {
      minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]); minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1]);
    } else { c.forEach(walk); }
  };
  walk(geometry.coordinates);
  return [[minX, minY], [maxX, maxY]];
}

let communes = null;

/** The commune features (loaded once). */
export async function loadCommunes(url) {
  if (!communes) { communes = getJson(url).then((doc) => doc.features || []); }
  return communes;
}

/** The best match of a typed name: exact (folded) first, then the first containing it. */
export function findCommune(features, text) {
  const query = fold(text);
  if (!query) { return null; }
  return features.find((f) => fold(f.properties.name) === query || f.properties.code === query) ||
    features.find((f) => fold(f.properties.name).includes(query)) || null;
}

/** Fill a <datalist> with commune names. */
export function fillDatalist(list, features) {
  fill(list, features.map((f) => el("option", { value: f.properties.name })));
}

/** Wire the top bar's search form: fit the map to the commune found, or say it was not found. */
export async function communeSearch({ form, input, list, status, url, onFound }) {
  const features = await loadCommunes(url);
  fillDatalist(list, features);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const match = findCommune(features, input.value);
    status.textContent = match ? "" : t("notFound");
    if (match) { onFound(match); }
  });
}
