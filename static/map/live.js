// The live event stream (GET /api/events, Server-Sent Events): one EventSource per page, reconnecting by itself.
// Panels hear events with onLive(type, fn); the map refreshes the sensor markers when new observations arrive.

const listeners = new Map();
const SENSOR_REFRESH_MS = 2_000; // at most one sensor tile reload this often, however many readings arrive
const TYPES = ["alert", "observation", "report", "camera"];

/** Call fn(event) for every live event of this type ("alert", "observation", "report", "camera"). */
export function onLive(type, fn) {
  if (!listeners.has(type)) { listeners.set(type, new Set()); }
  listeners.get(type).add(fn);
  return () => listeners.get(type).delete(fn);
}

function emit(type, event) {
  (listeners.get(type) || []).forEach((fn) => { try { fn(event); } catch (error) { console.warn("live listener", error); } });
}

function refreshSource(map, id) {
  const source = map.getSource(id);
  if (source && source.tiles && source.setTiles) { source.setTiles(source.tiles.slice()); }
}

/** Open the stream for this page; redraws the sensors (and cameras) layers as their rows change. */
export function startLive(map) {
  if (typeof EventSource === "undefined") { return null; }
  const stream = new EventSource("/api/events");
  const pending = {};
  const later = (id) => {
    if (pending[id]) { return; }
    pending[id] = setTimeout(() => { pending[id] = null; refreshSource(map, id); }, SENSOR_REFRESH_MS);
  };
  TYPES.forEach((type) => stream.addEventListener(type, (message) => {
    let event;
    try { event = JSON.parse(message.data); } catch (error) { return; }
    if (type === "observation") { later("sensors"); }
    if (type === "camera") { later("cameras"); }
    emit(type, event);
  }));
  stream.addEventListener("open", () => { document.body.dataset.live = "open"; });
  stream.addEventListener("error", () => { document.body.dataset.live = "reconnecting"; });
  return stream;
}
