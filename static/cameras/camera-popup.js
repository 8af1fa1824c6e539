// Popup of the `cameras` layer on the operations map: plays the live HLS stream with hls.js, or says why not.
// The map calls window.IOC_MAP.popupRenderers.cameras(feature, element); the returned function stops playback.
(function () {
  "use strict";
  const HLS_JS = "/static/cameras/vendor/hls.min.js";
  const HEVC_MSE = 'video/mp4; codecs="hvc1.1.6.L93.B0"';
  let hlsLoading = null;

  function loadHls() {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsLoading) {
      hlsLoading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = HLS_JS; script.async = true;
        script.onload = () => resolve(window.Hls);
        script.onerror = () => { hlsLoading = null; reject(new Error("hls.js failed to load")); };
        document.head.appendChild(script);
      });
    }
    return hlsLoading;
  }

  const truthy = (v) => v === true || v === "true" || v === 1 || v === "1";

  function when(value) {
    if (!value) return "";
    const date = new Date(typeof value === "number" ? value : String(value));
    return isNaN(date) ? String(value) : date.toLocaleString("vi-VN");
  }

  // Why this camera cannot be played in a browser, or null when it can.
  function reason(p) {
    if (p.status === "dead") return `Camera mất tín hiệu (kiểm tra lần cuối ${when(p.last_checked_at) || "chưa rõ"}).`;
    if (!p.last_checked_at || !p.status || p.status === "unknown") return "Chưa kiểm tra tình trạng luồng, chưa thể phát.";
    if (truthy(p.needs_transcoding) || p.codec === "H.265") return "Luồng H.265: trình duyệt không phát được, cần chuyển mã sang H.264.";
    if (!p.hls_url) return "Camera chưa có địa chỉ phát HLS.";
    return null;
  }

  function line(parent, text, className) {
    const el = document.createElement("div");
    el.textContent = text;
    if (className) el.className = className;
    parent.appendChild(el);
    return el;
  }

  function play(p, box, note) {
    const video = document.createElement("video");
    Object.assign(video, { muted: true, autoplay: true, controls: true, playsInline: true, loop: true });
    video.style.cssText = "width:320px;max-width:100%;background:#000;border-radius:4px";
    box.appendChild(video);
    const fail = (why) => { note.textContent = `Không phát được: ${why}`; video.remove(); };
    let hls = null;
    const native = () => {
      if (!video.canPlayType("application/vnd.apple.mpegurl")) return false;
      video.src = p.hls_url; // iOS Safari: no Media Source, native HLS
      video.addEventListener("error", () => fail("luồng không phản hồi"));
      return true;
    };
    loadHls().then((Hls) => {
      if (!Hls.isSupported()) { if (!native()) fail("trình duyệt không hỗ trợ Media Source"); return; }
      hls = new Hls({ manifestLoadingMaxRetry: 1 });
      hls.on(Hls.Events.ERROR, (_event, data) => { if (data.fatal) { fail(data.details || data.type); hls.destroy(); } });
      hls.loadSource(p.hls_url);
      hls.attachMedia(video);
      video.play().catch(() => null);
      box.dataset.player = "hls.js";
    }).catch(() => { if (!native()) fail("không tải được thư viện phát hls.js"); });
    return () => { if (hls) hls.destroy(); video.removeAttribute("src"); video.load(); };
  }

  function render(feature, element) {
    const p = (feature && feature.properties) || {};
    const box = document.createElement("div");
    box.className = "camera-popup";
    line(box, p.name || "Camera", "camera-title").style.fontWeight = "600";
    const facts = [p.owner_unit, p.codec, p.resolution,
                   p.view_direction_deg != null && p.view_direction_deg !== "" ? `hướng ${Math.round(p.view_direction_deg)}°` : ""];
    line(box, facts.filter(Boolean).join(" · "));
    line(box, `Trạng thái: ${{ live: "đang hoạt động", dead: "mất tín hiệu" }[p.status] || "chưa kiểm tra"}` +
              (p.last_checked_at ? ` (kiểm tra ${when(p.last_checked_at)})` : ""));
    const note = line(box, "", "camera-note");
    element.appendChild(box);
    const why = reason(p);
    let stop = () => null;
    if (!why) {
      stop = play(p, box, note);
    } else {
      note.textContent = why;
      const hevcMaybe = p.status === "live" && p.hls_url && window.MediaSource && MediaSource.isTypeSupported(HEVC_MSE);
      if (hevcMaybe && (truthy(p.needs_transcoding) || p.codec === "H.265")) {
        const tryButton = document.createElement("button");
        tryButton.type = "button"; tryButton.textContent = "Thử phát (trình duyệt này có thể giải mã H.265)";
        tryButton.addEventListener("click", () => { tryButton.remove(); stop = play(p, box, note); });
        box.appendChild(tryButton);
      }
    }
    // The map does not tell us when the popup closes: stop the stream once the popup leaves the page.
    const watcher = new MutationObserver(() => {
      if (!box.isConnected) { watcher.disconnect(); stop(); }
    });
    setTimeout(() => watcher.observe(document.body, { childList: true, subtree: true }), 0);
    return () => { watcher.disconnect(); stop(); };
  }

  window.IOC_MAP = window.IOC_MAP || {};
  window.IOC_MAP.popupRenderers = window.IOC_MAP.popupRenderers || {};
  window.IOC_MAP.popupRenderers.cameras = render;
  window.IOC_MAP.cameraPlayability = reason; // for tests and the legend
})();
