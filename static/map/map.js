/* The operations map: MapLibre with our style, a layer panel grouped as the catalogue, legends, popups,
   the derived-boundary notice, commune search and a Vietnamese/English switch. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("ioc-config").textContent);
  const i18n = window.IOC_I18N;
  const state = { catalogue: [], extras: {}, rasters: [], communes: null, styleLayersOf: {} };

  const map = new maplibregl.Map({
    container: "map", style: config.styleUrl, center: [106.95, 11.25], zoom: 8, hash: true,
    attributionControl: { compact: true }, maxPitch: 0,
  });
  window.IOC_MAP.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");

  function title(item) { return i18n.lang === "en" ? (item.title_en || item.title) : item.title; }
  function groupTitle(group) { return (config.groups[group] || {})[i18n.lang] || group; }

  function setVisible(layerId, visible) {
    (state.styleLayersOf[layerId] || []).forEach((id) => map.setLayoutProperty(id, "visibility", visible ? "visible" : "none"));
    if (layerId === "communes") { updateNotice(); }
  }

  function isVisible(layerId) {
    const ids = state.styleLayersOf[layerId] || [];
    return ids.length > 0 && map.getLayoutProperty(ids[0], "visibility") !== "none";
  }

  function legendHtml(rows) {
    if (!rows || !rows.length) { return ""; }
    return '<ul class="legend">' + rows.map(([vi, en, colour]) =>
      `<li><span class="swatch" style="background:${colour}"></span>${i18n.lang === "en" ? en : vi}</li>`).join("") + "</ul>";
  }

  function layerRow(item) {
    const extra = state.extras[item.id] || {};
    const count = item.feature_count === undefined ? "" :
      `<span class="count">${item.feature_count.toLocaleString(i18n.lang)} ${i18n.t("features")}` +
      `${item.feature_count_estimated ? " (" + i18n.t("approx") + ")" : ""}</span>`;
    const flags = [item.public === false ? i18n.t("protected") : "", item.synthetic ? i18n.t("synthetic") : ""]
      .filter(Boolean).map((f) => `<span class="flag">${f}</span>`).join("");
    const row = document.createElement("div");
    row.className = "layer";
    row.innerHTML = `<label><input type="checkbox" data-layer="${item.id}"> ${title(item)}</label>` +
      `<div class="meta">${count}${flags}</div>${legendHtml(extra.legend)}`;
    const box = row.querySelector("input");
    const legend = row.querySelector(".legend");
    box.checked = isVisible(item.id);
    if (legend) { legend.hidden = !box.checked; }
    box.addEventListener("change", () => {
      setVisible(item.id, box.checked);
      if (legend) { legend.hidden = !box.checked; }
    });
    return row;
  }

  function renderPanel() {
    const container = document.getElementById("layer-groups");
    container.innerHTML = "";
    const groups = new Map();
    state.catalogue.concat(state.rasters).forEach((item) => {
      if (!state.styleLayersOf[item.id]) { return; }
      if (!groups.has(item.group)) { groups.set(item.group, []); }
      groups.get(item.group).push(item);
    });
    Object.keys(config.groups).filter((g) => groups.has(g)).forEach((group) => {
      const section = document.createElement("section");
      section.className = "group";
      section.innerHTML = `<h3>${groupTitle(group)}</h3>`;
      groups.get(group).forEach((item) => section.appendChild(layerRow(item)));
      container.appendChild(section);
    });
    if (!config.user) {
      const hint = document.createElement("p");
      hint.className = "muted";
      hint.textContent = i18n.t("loginHint");
      container.appendChild(hint);
    }
  }

  function updateNotice() {
    const notice = document.getElementById("notice");
    const note = (state.extras.communes || {}).geometry_note;
    notice.hidden = !(note && isVisible("communes"));
    notice.textContent = note ? "⚠ " + note : "";
  }

  function indexStyle() {
    const meta = map.getStyle().metadata || {};
    (meta["ioc:layers"] || []).forEach((entry) => { state.extras[entry.id] = entry; });
    state.rasters = meta["ioc:rasters"] || [];
    map.getStyle().layers.forEach((layer) => {
      const owner = layer.metadata && layer.metadata["ioc:layer"];
      if (owner) { (state.styleLayersOf[owner] = state.styleLayersOf[owner] || []).push(layer.id); }
    });
  }

  function interactiveLayers() {
    return map.getStyle().layers.filter((l) => l.metadata && l.metadata["ioc:layer"] && l.type !== "raster" &&
      !["communes-fill", "districts_2024-line", "province-outline"].includes(l.id)).map((l) => l.id);
  }

  function openPopup(feature, lngLat) {
    const layerId = feature.layer.metadata["ioc:layer"];
    const item = state.catalogue.find((l) => l.id === layerId) || { title: layerId };
    const element = document.createElement("div");
    element.className = "popup";
    const renderer = window.IOC_MAP.popupRenderers[layerId];
    if (renderer && !feature.properties.cluster) { renderer(feature, element); }
    else { window.IOC_DEFAULT_POPUP(feature, element, title(item), (k) => i18n.t(k)); }
    new maplibregl.Popup({ maxWidth: "360px" }).setLngLat(lngLat).setDOMContent(element).addTo(map);
    if (item.tile_properties_complete === false && feature.id !== undefined && !feature.properties.cluster &&
        !renderer) {
      fillFromItem(feature, element, item);
    }
  }

  // Tiles of some layers carry only the attributes the map styles with; the popup then reads the whole
  // record from the OGC API (same session, same authorisation as the tile).
  async function fillFromItem(feature, element, item) {
    const url = config.itemsUrl.replace("{layer}", encodeURIComponent(item.id))
      .replace("{id}", encodeURIComponent(feature.id));
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } });
      if (!response.ok) { return; }
      const record = await response.json();
      const full = { id: feature.id, properties: record.properties || {} };
      window.IOC_DEFAULT_POPUP(full, element, title(item), (k) => i18n.t(k));
      element.dataset.complete = "1";
    } catch (error) { /* the tile's attributes stay shown */ }
  }

  map.on("click", (event) => {
    const features = map.queryRenderedFeatures(event.point, { layers: interactiveLayers() });
    let feature = features[0];
    if (!feature) {
      const communes = map.queryRenderedFeatures(event.point, { layers: ["communes-fill"].filter((id) => map.getLayer(id)) });
      feature = communes[0];
    }
    if (!feature) { return; }
    if (feature.properties.cluster && map.getZoom() < 16) {
      map.easeTo({ center: event.lngLat, zoom: Math.min(map.getZoom() + 2, 16) });
    }
    openPopup(feature, event.lngLat);
  });

  function bboxOf(geometry) {
    let minX = 180, minY = 90, maxX = -180, maxY = -90;
    JSON.stringify(geometry.coordinates).match(/-?\d+\.?\d*,-?\d+\.?\d*/g).forEach((pair) => {
      const [x, y] = pair.split(",").map(Number);
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    });
    return [[minX, minY], [maxX, maxY]];
  }

  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase().trim(); }

  async function loadCommunes() {
    const response = await fetch(config.communesUrl, { credentials: "same-origin" });
    state.communes = (await response.json()).features;
    const list = document.getElementById("commune-list");
    state.communes.forEach((f) => {
      const option = document.createElement("option");
      option.value = f.properties.name;
      list.appendChild(option);
    });
  }

  document.getElementById("commune-search").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = fold(document.getElementById("commune-input").value);
    if (!query || !state.communes) { return; }
    const match = state.communes.find((f) => fold(f.properties.name) === query) ||
      state.communes.find((f) => fold(f.properties.name).includes(query));
    if (!match) { window.alert(i18n.t("notFound")); return; }
    map.fitBounds(bboxOf(match.geometry), { padding: 40, maxZoom: 14 });
    if (match.properties.geometry_source === "derived") { setVisible("communes", true); renderPanel(); }
  });

  document.getElementById("lang-switch").addEventListener("click", () => {
    i18n.toggle();
    document.getElementById("lang-switch").textContent = i18n.lang === "vi" ? "EN" : "VI";
    renderPanel();
  });

  map.on("load", async () => {
    indexStyle();
    try {
      const response = await fetch(config.layersUrl, { credentials: "same-origin" });
      state.catalogue = (await response.json()).layers;
    } catch (error) {
      state.catalogue = Object.keys(state.extras).map((id) => ({ id, title: id, group: "base" }));
    }
    renderPanel();
    updateNotice();
    loadCommunes();
    document.body.dataset.mapReady = "1";
  });

  i18n.apply();
  document.getElementById("lang-switch").textContent = i18n.lang === "vi" ? "EN" : "VI";
})();
