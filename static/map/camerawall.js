// The camera wall: the cameras the caller may read (OGC API items of the `cameras` layer, scoped by the server),
// their health at a glance, and a page of live streams played side by side (hls.js, through the server's stream
// endpoint, never the camera's own address). "Full screen" spreads the wall over the map for the control room.
// State: &cstatus= (live | dead | "" all), &ccommune=, &cpage=.

import { play, reason } from "../cameras/camera-popup.js";
import { getJson } from "./api.js";
import { el, fill } from "./dom.js";
import * as format from "./format.js";
import { onLanguage, t } from "./i18n.js";
import { loadCommunes } from "./search.js";

const PER_PAGE = 9; // a 3 × 3 wall
const ITEMS = "/ogcapi/collections/cameras/items?limit=10000";

/** The camera wall tab. */
export class CameraWallPanel {
  constructor(ctx, container) {
    Object.assign(this, { ctx, container, store: ctx.store, map: ctx.map });
    this.cameras = [];
    this.communes = new Map();
    this.stops = [];
    this.build();
    this.store.subscribe((state, changed) => {
      if (changed.some((key) => ["cstatus", "ccommune", "cpage"].includes(key))) { this.render(); }
      if (changed.includes("tab")) { this.render(); }
    });
    onLanguage(() => { this.build(); this.render(); });
    ctx.ready.then(() => this.load());
  }

  build() {
    this.status = el("select", { id: "wall-status" },
      el("option", { value: "" }, t("all")), el("option", { value: "live" }, t("cameraLive")),
      el("option", { value: "dead" }, t("cameraDead")));
    this.status.addEventListener("change", () => this.store.set({ cstatus: this.status.value || undefined, cpage: undefined }));
    this.commune = el("select", { id: "wall-commune" });
    this.commune.addEventListener("change", () => this.store.set({ ccommune: this.commune.value || undefined, cpage: undefined }));
    this.summary = el("p", { class: "status-line", id: "wall-summary", role: "status" });
    this.grid = el("div", { class: "camera-wall", id: "camera-wall" });
    this.pager = el("div", { class: "pager" });
    this.full = el("button", { type: "button", class: "btn", id: "wall-full", "aria-pressed": "false" }, t("wallFull"));
    this.full.addEventListener("click", () => this.toggleFull());
    this.container.addEventListener("keydown", (event) => { if (event.key === "Escape" && this.isFull()) { this.toggleFull(); } });
    fill(this.container, el("h2", {}, t("cameraWall")),
      el("label", { for: "wall-status" }, t("status")), this.status,
      el("label", { for: "wall-commune" }, t("commune")), this.commune,
      this.full, this.summary, this.grid, this.pager);
  }

  async load() {
    try {
      const [doc, communes] = await Promise.all([getJson(ITEMS, { headers: { Accept: "application/geo+json" } }),
        loadCommunes(this.ctx.config.communesUrl).catch(() => [])]);
      this.cameras = (doc.features || []).filter((f) => f.geometry);
      communes.forEach((f) => this.communes.set(f.properties.code, f.properties.name));
    } catch (error) {
      this.cameras = [];
      this.summary.textContent = `${t("error")}: ${error.message}`;
      return;
    }
    const codes = [...new Set(this.cameras.map((f) => f.properties.commune_code).filter(Boolean))];
    codes.sort((a, b) => (this.communes.get(a) || a).localeCompare(this.communes.get(b) || b, "vi"));
    fill(this.commune, el("option", { value: "" }, t("all")), codes.map((code) => el("option", { value: code }, this.communes.get(code) || code)));
    this.render();
  }

  chosen() {
    const status = this.store.get("cstatus") || "";
    const commune = this.store.get("ccommune") || "";
    return this.cameras.filter((f) => (!status || f.properties.status === status) && (!commune || f.properties.commune_code === commune));
  }

  stopAll() { this.stops.forEach((stop) => stop()); this.stops = []; }

  render() {
    this.stopAll();
    this.status.value = this.store.get("cstatus") || "";
    this.commune.value = this.store.get("ccommune") || "";
    if (this.container.hidden) { fill(this.grid); return; } // no stream plays in a closed tab
    const chosen = this.chosen();
    const live = chosen.filter((f) => f.properties.status === "live").length;
    const dead = chosen.filter((f) => f.properties.status === "dead").length;
    this.summary.textContent = t("wallSummary").replace("{n}", format.number(chosen.length))
      .replace("{live}", format.number(live)).replace("{dead}", format.number(dead));
    const pages = Math.max(1, Math.ceil(chosen.length / PER_PAGE));
    const page = Math.min(Math.max(1, Number(this.store.get("cpage")) || 1), pages);
    fill(this.grid, chosen.slice((page - 1) * PER_PAGE, page * PER_PAGE).map((f) => this.tile(f)));
    const go = (n) => this.store.set({ cpage: n === 1 ? undefined : String(n) });
    const previous = el("button", { type: "button", class: "btn", disabled: page <= 1 }, t("prev"));
    const next = el("button", { type: "button", class: "btn", disabled: page >= pages }, t("next"));
    previous.addEventListener("click", () => go(page - 1));
    next.addEventListener("click", () => go(page + 1));
    fill(this.pager, previous, el("span", {}, ` ${page} / ${pages} `), next);
  }

  tile(feature) {
    const p = feature.properties;
    const screen = el("div", { class: "camera-screen" });
    const note = el("div", { class: "camera-note", role: "status" });
    const why = reason(p);
    if (why) { note.textContent = why; } else { this.stops.push(play(p, screen, note)); }
    const onMap = el("button", { type: "button", class: "btn" }, t("showOnMap"));
    onMap.addEventListener("click", () => {
      if (this.isFull()) { this.toggleFull(); }
      this.map.flyTo({ center: feature.geometry.coordinates, zoom: 16 });
      this.map.once("moveend", () => this.ctx.openPopup({ ...feature, layerId: "cameras" }, { lng: feature.geometry.coordinates[0], lat: feature.geometry.coordinates[1] }));
    });
    const state = p.status === "live" ? t("cameraLive") : p.status === "dead" ? t("cameraDead") : t("cameraUnchecked");
    return el("figure", { class: `camera-tile camera-${p.status || "unknown"}`, "data-camera": feature.id },
      screen, note,
      el("figcaption", {},
        el("strong", {}, p.name || "Camera"),
        el("span", { class: "camera-state" }, `${state} · ${this.communes.get(p.commune_code) || p.commune_code || ""}`),
        el("span", { class: "muted" }, p.last_checked_at ? `${t("checked")} ${format.datetime(p.last_checked_at)}` : ""),
        onMap));
  }

  isFull() { return document.body.classList.contains("wall-full"); }

  toggleFull() {
    const full = !this.isFull();
    document.body.classList.toggle("wall-full", full);
    this.full.setAttribute("aria-pressed", full ? "true" : "false");
    this.full.textContent = full ? t("wallExit") : t("wallFull");
    this.full.focus();
  }
}
