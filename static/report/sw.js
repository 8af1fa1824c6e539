// Service worker of /report: keeps the page and its scripts so the form opens without a network.
// Submissions are not sent from here: the page queues them (IndexedDB) and sends them when back online.
const CACHE = "ioc-report-v1";
const SHELL = [
  "/report",
  "/static/report/report.css",
  "/static/report/report.js",
  "/static/report/outbox.js",
  "/static/report/vendor/exifr.lite.umd.js",
  "/static/vendor/maplibre-gl/maplibre-gl.js",
  "/static/vendor/maplibre-gl/maplibre-gl.css",
];

self.addEventListener("install", (event) => {
  // Cache what can be cached; a missing optional file (the map library) must not block the install.
  event.waitUntil(caches.open(CACHE).then((cache) =>
    Promise.all(SHELL.map((url) => cache.add(url).catch(() => null)))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const tile = url.pathname.startsWith("/tiles/communes,waterways,roads/");
  if (!SHELL.includes(url.pathname) && !tile) return;
  // Network first (fresh page, fresh CSRF cookie), the cached copy when offline or very slow.
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok) { const copy = response.clone(); caches.open(CACHE).then((c) => c.put(url.pathname, copy)); }
      return response;
    }).catch(() => caches.match(url.pathname).then((hit) => hit || Response.error()))
  );
});
