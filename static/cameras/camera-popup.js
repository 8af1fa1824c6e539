// Popup of the `cameras` layer on the operations map: plays the live HLS stream with hls.js, or says why not.
// Registered with the map's popup registry; the renderer returns a function that stops playback.

import { el } from "../map/dom.js";
import { datetime } from "../map/format.js";
import { registerPopup } from "../map/popup.js";
import { expose } from "../map/testhooks.js";

const HEVC_MSE = 'video/mp4; codecs="hvc1.1.6.L93.B0"';
let hlsLoading = null;

function loadHls() {
  if (!hlsLoading) {
    hlsLoading = import("./vendor/hls.min.mjs").then((module) => module.default)
      .catch((error) => { hlsLoading = null; throw error; });
  }
  return hlsLoading;
}

const truthy = (v) => v === true || v === "true" || v === 1 || v === "1";

/** Why this camera cannot be played in a browser, or null when it can. */
export function reason(p) {
  if (p.status === "dead") { return `Camera mất tín hiệu (kiểm tra lần cuối ${datetime(p.last_checked_at) || "chưa rõ"}).`; }
  if (!p.last_checked_at || !p.status || p.status === "unknown") { return "Chưa kiểm tra tình trạng luồng, chưa thể phát."; }
  // Streams of our gateway (/hls/{id}/) are transcoded to H.264 on the server; other H.265 streams cannot play.
  const viaGateway = /^\/hls\/\d+\//.test(String(p.hls_url || ""));
  if (!viaGateway && (truthy(p.needs_transcoding) || p.codec === "H.265")) { return "Luồng H.265: trình duyệt không phát được, cần chuyển mã sang H.264."; }
  if (!p.hls_url) { return "Camera chưa có địa chỉ phát HLS."; }
  return null;
}

// Streams are played from our own server or the configured stream origins only (the CSP's media-src).
function streamUrl(value) {
  try {
    const url = new URL(String(value), window.location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (error) { return null; }
}

/** Play a camera's HLS stream into `box` (status text in `note`); returns a function that stops it. */
export function play(p, box, note) {
  const video = el("video", { class: "camera-video", muted: true, autoplay: true, controls: true, playsinline: true, loop: true });
  video.muted = true;
  box.appendChild(video);
  const source = streamUrl(p.hls_url);
  const fail = (why) => { note.textContent = `Không phát được: ${why}`; video.remove(); };
  if (!source) { fail("địa chỉ phát không hợp lệ"); return () => null; }
  let hls = null;
  const native = () => {
    if (!video.canPlayType("application/vnd.apple.mpegurl")) { return false; }
    video.src = source; // iOS Safari: no Media Source, native HLS
    video.addEventListener("error", () => fail("luồng không phản hồi"));
    return true;
  };
  loadHls().then((Hls) => {
    if (!Hls.isSupported()) { if (!native()) { fail("trình duyệt không hỗ trợ Media Source"); } return; }
    hls = new Hls({ manifestLoadingMaxRetry: 1 });
    hls.on(Hls.Events.ERROR, (_event, data) => { if (data.fatal) { fail(data.details || data.type); hls.destroy(); } });
    hls.loadSource(source);
    hls.attachMedia(video);
    video.play().catch(() => null);
    box.dataset.player = "hls.js";
  }).catch(() => { if (!native()) { fail("không tải được thư viện phát hls.js"); } });
  return () => { if (hls) { hls.destroy(); } video.removeAttribute("src"); video.load(); };
}

/** Draw a camera's popup into `element`; returns a function that stops the stream. */
export function render(feature, element) {
  const p = (feature && feature.properties) || {};
  const facts = [p.owner_unit, p.codec, p.resolution,
    p.view_direction_deg != null && p.view_direction_deg !== "" ? `hướng ${Math.round(p.view_direction_deg)}°` : ""];
  const status = { live: "đang hoạt động", dead: "mất tín hiệu" }[p.status] || "chưa kiểm tra";
  const note = el("div", { class: "camera-note", role: "status" });
  const box = el("div", { class: "camera-popup" },
    el("div", { class: "camera-title" }, p.name || "Camera"),
    el("div", {}, facts.filter(Boolean).join(" · ")),
    el("div", {}, `Trạng thái: ${status}` + (p.last_checked_at ? ` (kiểm tra ${datetime(p.last_checked_at)})` : "")),
    note);
  element.appendChild(box);
  const why = reason(p);
  let stop = () => null;
  if (!why) {
    stop = play(p, box, note);
  } else {
    note.textContent = why;
    const hevcMaybe = p.status === "live" && p.hls_url && window.MediaSource && MediaSource.isTypeSupported(HEVC_MSE);
    if (hevcMaybe && (truthy(p.needs_transcoding) || p.codec === "H.265")) {
      const tryButton = el("button", { type: "button" }, "Thử phát (trình duyệt này có thể giải mã H.265)");
      tryButton.addEventListener("click", () => { tryButton.remove(); stop = play(p, box, note); });
      box.appendChild(tryButton);
    }
  }
  // The map does not tell us when the popup closes: stop the stream once the popup leaves the page.
  const watcher = new MutationObserver(() => { if (!box.isConnected) { watcher.disconnect(); stop(); } });
  setTimeout(() => watcher.observe(document.body, { childList: true, subtree: true }), 0);
  return () => { watcher.disconnect(); stop(); };
}

registerPopup("cameras", render);
expose("cameraPlayability", reason); // for tests and the legend
