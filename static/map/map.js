// The operations workspace at /: MapLibre with the server's style, the layer panel, popups, commune search,
// the Vietnamese/English switch and the work panels (analysis, scenarios, report inbox, overview), all
// sharing one store whose state is the page's address.

import maplibregl from "./maplibre.js";
import { byId, jsonScript } from "./dom.js";
import { getJson } from "./api.js";
import * as i18n from "./i18n.js";
import { setCatalogue } from "./labels.js";
import { LayerPanel } from "./layerpanel.js";
import { startLive } from "./live.js";
import { popupRendererFor, renderDefault } from "./popup.js";
import { bboxOf, communeSearch } from "./search.js";
import { createStore } from "./store.js";
import { Tabs } from "./tabs.js";
import { expose } from "./testhooks.js";
import { TimeFilter } from "./timefilter.js";

// Keys of the address besides the view (#zoom/lat/lon): see each panel for its own.
const SCHEMA = {
  layers: "list", tab: "string", shape: "json", alayers: "list", group: "json", scenario: "string",
  run: "string", report: "string", rstatus: "string", indicator: "string", period: "string", mode: "string",
  commune: "string", asector: "string", acommune: "string", time: "json", cstatus: "string", ccommune: "string",
  cpage: "string", eperiod: "string", eunit: "string",
};
const NOT_CLICKABLE = ["communes-fill", "districts_2024-line", "province-outline"];

const config = jsonScript("ioc-config");
const store = createStore(SCHEMA);
const start = store.get("view") || { zoom: 8, lat: 11.25, lon: 106.95 };
const map = new maplibregl.Map({
  container: "map", style: config.styleUrl, center: [start.lon, start.lat], zoom: start.zoom,
  attributionControl: { compact: true }, maxPitch: 0, dragRotate: false,
});
expose("map", map);
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");

const panel = new LayerPanel({ container: byId("layer-groups"), map, store, groups: config.groups, loggedIn: !!config.user });
// clickInterceptors: panels that take a map click for themselves (drawing, picking a commune) return true.
const timeFilter = new TimeFilter({ map, store, panel, filters: config.timeFilters });
const ctx = { config, store, map, panel, catalogue: [], clickInterceptors: [], openPopup: null, ready: null };

// The view is in the address too, but moving the map rewrites the current entry instead of adding one.
map.on("moveend", () => {
  const c = map.getCenter();
  store.set({ view: { zoom: +map.getZoom().toFixed(2), lat: +c.lat.toFixed(5), lon: +c.lng.toFixed(5) } }, { history: "replace" });
});
store.subscribe((state, changed) => {
  if (!changed.includes("view") || !state.view) { return; }
  const c = map.getCenter();
  const v = state.view;
  if (Math.abs(c.lat - v.lat) > 1e-5 || Math.abs(c.lng - v.lon) > 1e-5 || Math.abs(map.getZoom() - v.zoom) > 0.01) {
    map.jumpTo({ center: [v.lon, v.lat], zoom: v.zoom });
  }
});

function updateNotice() {
  const notice = byId("notice");
  const note = (panel.extras.communes || {}).geometry_note;
  notice.hidden = !(note && panel.isVisible("communes"));
  notice.textContent = note ? "⚠ " + note : "";
}
panel.onChange(updateNotice);

function interactiveLayers() {
  return map.getStyle().layers.filter((l) => l.metadata && l.metadata["ioc:layer"] && l.type !== "raster" &&
    !NOT_CLICKABLE.includes(l.id) && map.getLayoutProperty(l.id, "visibility") !== "none").map((l) => l.id);
}

// Tiles of some layers carry only the attributes the map styles with; the popup then reads the whole record
// from the OGC API (same session, same authorisation as the tile).
async function fillFromItem(feature, element, layerId) {
  const url = config.itemsUrl.replace("{layer}", encodeURIComponent(layerId)).replace("{id}", encodeURIComponent(feature.id));
  try {
    const record = await getJson(url, { headers: { Accept: "application/geo+json" } });
    renderDefault({ id: feature.id, properties: record.properties || {} }, element, layerId);
    element.dataset.complete = "1";
  } catch (error) { /* the tile's attributes stay shown */ }
}

function openPopup(feature, lngLat) {
  const layerId = (feature.layer && feature.layer.metadata && feature.layer.metadata["ioc:layer"]) || feature.layerId;
  const item = ctx.catalogue.find((l) => l.id === layerId) || {};
  const element = document.createElement("div");
  element.className = "popup";
  element.dataset.layer = layerId;
  const cluster = feature.properties.cluster === true || feature.properties.cluster === "true";
  const renderer = cluster ? null : popupRendererFor(layerId);
  if (renderer) { renderer(feature, element); } else { renderDefault(feature, element, layerId); }
  new maplibregl.Popup({ maxWidth: "360px" }).setLngLat(lngLat).setDOMContent(element).addTo(map);
  if (item.tile_properties_complete === false && feature.id !== undefined && !cluster && !renderer) {
    fillFromItem(feature, element, layerId);
  }
}
ctx.openPopup = openPopup;

map.on("click", (event) => {
  if (ctx.clickInterceptors.some((intercept) => intercept(event))) { return; }
  let feature = map.queryRenderedFeatures(event.point, { layers: interactiveLayers() })[0];
  if (!feature) {
    feature = map.queryRenderedFeatures(event.point, { layers: ["communes-fill"].filter((id) => map.getLayer(id)) })[0];
  }
  if (!feature) { return; }
  if ((feature.properties.cluster === true || feature.properties.cluster === "true") && map.getZoom() < 16) {
    map.easeTo({ center: event.lngLat, zoom: Math.min(map.getZoom() + 2, 16) });
  }
  openPopup(feature, event.lngLat);
});

// The skip link moves focus to the map without replacing the address (the hash is the page's state).
document.querySelector(".skip-link").addEventListener("click", (event) => { event.preventDefault(); byId("map").focus(); });

function showLanguageSwitch() { byId("lang-switch").textContent = i18n.getLang() === "vi" ? "EN" : "VI"; }
byId("lang-switch").addEventListener("click", () => { i18n.toggle(); showLanguageSwitch(); });
i18n.onLanguage(() => { panel.render(); updateNotice(); });

// The work panels (charts, drawing, the camera wall…) load while the map draws its first tiles, not before.
const panelsMounted = import("./panels.js").then(({ mountPanels }) => { mountPanels(ctx); i18n.apply(); });

const searchReady = () => communeSearch({
  form: byId("commune-search"), input: byId("commune-input"), list: byId("commune-list"), status: byId("search-status"),
  url: config.communesUrl,
  onFound(match) {
    map.fitBounds(bboxOf(match.geometry), { padding: 40, maxZoom: 14 });
    if (match.properties.geometry_source === "derived" && !panel.isVisible("communes")) { panel.setVisible("communes", true); }
  },
}).catch((error) => console.warn("communes not loaded", error));

const tabs = new Tabs({ store, list: byId("tabs"), defaultTab: "layers" });
ctx.tabs = tabs;

// Visibility from the address and the default date ranges go in before the first tiles are laid out: set
// after "load", each filter change would make the workers lay out every loaded tile again.
map.once("style.load", () => {
  panel.indexStyle();
  timeFilter.start();
  if (store.get("layers")) { panel.applyVisibility(); }
});
ctx.ready = new Promise((resolve) => {
  map.on("load", async () => {
    try {
      ctx.catalogue = (await getJson(config.layersUrl)).layers || [];
    } catch (error) {
      ctx.catalogue = Object.keys(panel.extras).map((id) => ({ id, title: id, group: "base" }));
    }
    setCatalogue(ctx.catalogue);
    panel.catalogue = ctx.catalogue;
    panel.render();
    updateNotice();
    ctx.live = startLive(map);
    resolve();
    await panelsMounted.catch((error) => console.error("work panels not loaded", error));
    document.body.dataset.mapReady = "1";
    searchReady();  // the communes' outlines (350 kB) are fetched after the first render
  });
});

i18n.apply();
showLanguageSwitch();
