// /report: a phone form for field reports. Position from GPS (or the photo's EXIF, or the dragged pin), a photo
// shrunk before upload, and an outbox that sends queued reports when the network comes back.
import { Outbox } from "./outbox.js";

const $ = (id) => document.getElementById(id);
const services = JSON.parse($("services-data").textContent);
const START = [106.95, 11.25]; // the province, before the GPS answers
const MINE_KEY = "ioc-report-mine";
const STATUS = {
  received: "Đã tiếp nhận", accepted: "Đã phân loại", assigned: "Đã giao xử lý", in_progress: "Đang xử lý",
  resolved: "Đã xử lý xong", closed: "Đã đóng", rejected: "Từ chối", duplicate: "Trùng lặp",
};
// A light base map: commune polygons, waterways and roads from the map server's own vector tiles.
const BASE_STYLE = {
  version: 8,
  sources: { base: { type: "vector", tiles: [location.origin + "/tiles/communes,waterways,roads/{z}/{x}/{y}.mvt"],
                     minzoom: 0, maxzoom: 16 } },
  layers: [
    { id: "bg", type: "background", paint: { "background-color": "#eef1ea" } },
    { id: "communes-fill", type: "fill", source: "base", "source-layer": "communes", paint: { "fill-color": "#dfe9d3" } },
    { id: "communes-line", type: "line", source: "base", "source-layer": "communes", paint: { "line-color": "#7d8b99", "line-width": 1.2 } },
    { id: "water", type: "line", source: "base", "source-layer": "waterways", paint: { "line-color": "#6aa9dc", "line-width": 2 } },
    { id: "roads", type: "line", source: "base", "source-layer": "roads", paint: { "line-color": "#ffffff", "line-width": ["interpolate", ["linear"], ["zoom"], 10, 1, 16, 6] } },
    { id: "roads-edge", type: "line", source: "base", "source-layer": "roads", paint: { "line-color": "#c9b58f", "line-width": 0.6 } },
  ],
};
const state = { lat: null, lon: null, source: null, photo: null, map: null, marker: null };

// ---- position -------------------------------------------------------------------------------------
function setPosition(lat, lon, source, accuracy) {
  state.lat = lat; state.lon = lon; state.source = source; state.setAt = Date.now();
  $("lat").value = lat.toFixed(7); $("long").value = lon.toFixed(7);
  const how = { gps: "GPS" + (accuracy ? ` ±${Math.round(accuracy)} m` : ""), exif: "vị trí ghi trong ảnh",
                pin: "vị trí chọn trên bản đồ" }[source];
  $("where").textContent = `Vị trí: ${lat.toFixed(5)}, ${lon.toFixed(5)} (${how}). Kéo ghim để chỉnh.`;
  if (state.marker) {
    state.marker.setLngLat([lon, lat]);
    state.map.easeTo({ center: [lon, lat], zoom: Math.max(state.map.getZoom(), 15) });
  }
}

function locate(force) {
  if (!navigator.geolocation) {
    $("where").textContent = "Thiết bị không hỗ trợ GPS: chạm vào bản đồ để chọn vị trí.";
    return;
  }
  $("where").textContent = "Đang lấy vị trí từ GPS…";
  const asked = Date.now();
  navigator.geolocation.getCurrentPosition(
    (p) => {
      const movedSince = state.source && state.source !== "gps" && state.setAt >= asked; // the user's choice wins
      if (!movedSince && (force || !state.source || state.source === "gps")) {
        setPosition(p.coords.latitude, p.coords.longitude, "gps", p.coords.accuracy);
      }
    },
    (err) => {
      if (!state.source) $("where").textContent = `Không lấy được GPS (${err.message}). Chạm vào bản đồ để chọn vị trí.`;
    },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
}

// The map library is large (~1 MB): the form, GPS and camera work first; the map comes when it arrives.
function loadMap() {
  const box = $("map"), css = document.createElement("link"), script = document.createElement("script");
  css.rel = "stylesheet"; css.href = box.dataset.css; document.head.appendChild(css);
  script.src = box.dataset.js; script.async = true;
  script.onload = initMap;
  script.onerror = () => { box.classList.add("unavailable"); box.textContent = "Bản đồ chưa tải được; vị trí vẫn lấy từ GPS."; };
  document.head.appendChild(script);
}

function initMap() {
  const box = $("map");
  try {
    const map = new maplibregl.Map({
      container: box, center: START, zoom: 8, attributionControl: false,
      style: BASE_STYLE,
    });
    const marker = new maplibregl.Marker({ draggable: true, color: "#d32f2f" }).setLngLat(START).addTo(map);
    marker.on("dragend", () => { const p = marker.getLngLat(); setPosition(p.lat, p.lng, "pin"); });
    map.on("click", (e) => setPosition(e.lngLat.lat, e.lngLat.lng, "pin"));
    state.map = map; state.marker = marker;
    window.IOC_REPORT_MAP = map;
    if (state.lat !== null) { marker.setLngLat([state.lon, state.lat]); map.jumpTo({ center: [state.lon, state.lat], zoom: 15 }); }
  } catch (e) {
    box.classList.add("unavailable"); box.textContent = "Thiết bị không hiển thị được bản đồ; vị trí vẫn lấy từ GPS.";
  }
}

// ---- photo ----------------------------------------------------------------------------------------
async function shrink(file) {
  // Phones take 3-8 MB photos; 1600 px JPEG is enough to see the problem and quick on a slow network.
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size < 1500000) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
    return blob || file;
  } catch (e) {
    return file;
  }
}

async function onPhoto() {
  const file = $("photo").files[0];
  if (!file) return;
  $("preview").src = URL.createObjectURL(file); $("preview").hidden = false;
  $("photo-note").textContent = "";
  state.photo = file; // replaced by the shrunk copy below
  let gps = null;
  try { gps = window.exifr ? await window.exifr.gps(file) : null; } catch (e) { gps = null; }
  if (gps && Number.isFinite(gps.latitude) && Number.isFinite(gps.longitude)) {
    setPosition(gps.latitude, gps.longitude, "exif");
    $("photo-note").textContent = "Đã dùng vị trí GPS ghi trong ảnh.";
  }
  state.photo = await shrink(file);
}

// ---- category and its attributes -------------------------------------------------------------------
function fillServices() {
  const select = $("service_code"), groups = {};
  for (const s of services) {
    if (!groups[s.group]) { groups[s.group] = document.createElement("optgroup"); groups[s.group].label = s.group; select.appendChild(groups[s.group]); }
    groups[s.group].appendChild(new Option(s.service_name, s.service_code));
  }
  select.addEventListener("change", showAttributes);
}

function showAttributes() {
  const box = $("attributes"); box.textContent = "";
  const service = services.find((s) => s.service_code === $("service_code").value);
  for (const a of (service ? service.attributes : [])) {
    const label = document.createElement("label");
    label.textContent = a.description + (a.required ? " *" : "");
    box.appendChild(label);
    let input;
    if (a.datatype === "singlevaluelist") {
      input = document.createElement("select"); input.appendChild(new Option("– Chọn –", ""));
      for (const v of a.values) input.appendChild(new Option(v.name, v.key));
    } else if (a.datatype === "multivaluelist") {
      input = document.createElement("div"); input.className = "checks";
      for (const v of a.values) {
        const l = document.createElement("label"), c = document.createElement("input");
        c.type = "checkbox"; c.name = `attribute[${a.code}][]`; c.value = v.key;
        l.append(c, v.name); input.appendChild(l);
      }
      box.appendChild(input); continue;
    } else {
      input = document.createElement("input"); input.type = a.datatype === "number" ? "number" : "text";
    }
    input.name = `attribute[${a.code}]`; input.required = !!a.required; box.appendChild(input);
  }
}

// ---- sending and the outbox ------------------------------------------------------------------------
function csrf() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
}

function newRef() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function send(item) {
  const body = new FormData();
  for (const [k, v] of item.fields) body.append(k, v);
  body.append("client_ref", item.client_ref);
  if (item.photo) body.append("media", item.photo, "photo.jpg");
  const ctrl = new AbortController(), timer = setTimeout(() => ctrl.abort(), 120000);
  try {
    const resp = await fetch("/report/submit", { method: "POST", body, credentials: "same-origin",
                                                 headers: { "X-CSRFToken": csrf() }, signal: ctrl.signal });
    const doc = await resp.json().catch(() => null);
    if (resp.ok && Array.isArray(doc)) return { ok: true, doc: doc[0] };
    if (resp.status === 403 && !doc) { await fetch("/report", { credentials: "same-origin" }); return { retry: true }; }
    if (!doc || resp.status >= 500) return { retry: true };
    return { ok: false, message: (doc[0] && doc[0].description) || `Lỗi ${resp.status}` };
  } catch (e) {
    return { retry: true }; // offline, dropped or too slow: keep it and try again later
  } finally {
    clearTimeout(timer);
  }
}

function collect() {
  const fields = [];
  for (const [k, v] of new FormData($("report-form"))) if (k !== "csrfmiddlewaretoken" && v !== "") fields.push([k, v]);
  return fields;
}

function mine() { try { return JSON.parse(localStorage.getItem(MINE_KEY)) || []; } catch (e) { return []; } }

function remember(doc, item) {
  const list = mine().filter((m) => m.id !== doc.service_request_id);
  list.unshift({ id: doc.service_request_id, token: doc.token, label: item.label, at: item.created,
                 agency: doc.agency_responsible });
  localStorage.setItem(MINE_KEY, JSON.stringify(list.slice(0, 50)));
}

function say(text, kind) { $("result").textContent = text; $("result").className = "result " + kind; }

function resetForm() {
  $("description").value = ""; $("address_string").value = ""; $("photo").value = "";
  $("preview").hidden = true; $("photo-note").textContent = ""; state.photo = null;
  if (state.source !== "gps") { state.source = null; locate(true); }
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.lat === null) { say("Chưa có vị trí: bật GPS hoặc chạm vào bản đồ.", "err"); return; }
  if (!$("service_code").value) { say("Hãy chọn lĩnh vực.", "err"); return; }
  if (!$("description").value.trim() && !state.photo) { say("Hãy chụp ảnh hoặc mô tả sự việc.", "err"); return; }
  const select = $("service_code");
  const item = { client_ref: newRef(), fields: collect(), photo: state.photo, created: new Date().toISOString(),
                 label: select.options[select.selectedIndex].text };
  $("send").disabled = true; say("Đang gửi…", "");
  const outcome = await send(item);
  $("send").disabled = false;
  if (outcome.ok) {
    remember(outcome.doc, item);
    const dup = (outcome.doc.possible_duplicates || []).length;
    say(`Đã gửi phản ánh số ${outcome.doc.service_request_id}, chuyển đến ${outcome.doc.agency_responsible}.` +
        (dup ? ` Có ${dup} phản ánh tương tự gần đây đang được xử lý.` : ""), "ok");
    resetForm();
  } else if (outcome.retry) {
    await Outbox.put(item);
    say("Chưa có mạng: phản ánh đã được lưu và sẽ tự gửi khi có mạng.", "queued");
    resetForm();
  } else {
    say(`Không gửi được: ${outcome.message}`, "err");
  }
  await showOutbox(); showMine();
}

let flushing = false;
async function flush() {
  if (flushing || !navigator.onLine) return;
  flushing = true;
  try {
    for (const item of await Outbox.all()) {
      const outcome = await send(item);
      if (outcome.retry) break;
      await Outbox.remove(item.client_ref);
      if (outcome.ok) remember(outcome.doc, item);
      else say(`Phản ánh đã lưu "${item.label}" bị từ chối: ${outcome.message}`, "err");
    }
  } finally {
    flushing = false;
    await showOutbox(); showMine();
  }
}

async function showOutbox() {
  const n = (await Outbox.all()).length;
  $("outbox").textContent = n ? `${n} phản ánh đang chờ mạng để gửi.` : "";
}

// ---- following my reports (token) and rating -------------------------------------------------------
async function rate(entry, stars) {
  const body = new URLSearchParams({ rating: String(stars) });
  const resp = await fetch(`/open311/v2/tokens/${encodeURIComponent(entry.token)}/rating.json`, { method: "POST", body });
  if (!resp.ok) { const doc = await resp.json().catch(() => null); say((doc && doc[0] && doc[0].description) || "Không gửi được đánh giá", "err"); }
  showMine();
}

function showMine() {
  const list = $("mine"); list.textContent = "";
  for (const entry of mine()) {
    const li = document.createElement("li");
    li.dataset.id = entry.id;
    li.textContent = `#${entry.id} ${entry.label} – ${new Date(entry.at).toLocaleString("vi-VN")}`;
    list.appendChild(li);
    if (!navigator.onLine || !entry.token) continue;
    fetch(`/open311/v2/tokens/${encodeURIComponent(entry.token)}.json`).then((r) => r.ok ? r.json() : null).then((doc) => {
      if (!doc || !doc[0]) return;
      const s = doc[0], info = document.createElement("div");
      info.textContent = `Trạng thái: ${STATUS[s.detailed_status] || s.status}` + (s.rating ? ` · đã đánh giá ${s.rating}/5` : "");
      li.appendChild(info);
      if (s.may_rate) {
        const stars = document.createElement("div"); stars.className = "stars";
        for (let i = 1; i <= 5; i++) {
          const b = document.createElement("button"); b.type = "button"; b.textContent = "★"; b.title = `${i}/5`;
          b.addEventListener("click", () => rate(entry, i)); stars.appendChild(b);
        }
        li.appendChild(stars);
      }
    }).catch(() => null);
  }
}

// ---- start -----------------------------------------------------------------------------------------
function showNet() {
  $("net").textContent = navigator.onLine ? "Có mạng" : "Mất mạng";
  $("net").classList.toggle("offline", !navigator.onLine);
}

fillServices(); loadMap(); locate(false); showNet(); showOutbox(); showMine();
$("locate").addEventListener("click", () => locate(true));
$("photo").addEventListener("change", onPhoto);
$("report-form").addEventListener("submit", onSubmit);
window.addEventListener("online", () => { showNet(); flush(); });
window.addEventListener("offline", showNet);
setInterval(flush, 30000);
flush();
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/report-sw.js", { scope: "/report" }).catch(() => null);
