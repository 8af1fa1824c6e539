// A tiny state store (get / set / subscribe) whose state lives in the address: #zoom/lat/lon&key=value…
// so every view is a link and the browser's back button steps through the operator's choices.

const VIEW = /^(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/;

function encodeValue(kind, value) {
  if (kind === "list") { return value.map(String).join(","); }
  if (kind === "json") { return JSON.stringify(value); }
  return String(value);
}

function decodeValue(kind, text) {
  if (kind === "list") { return text ? text.split(",").filter(Boolean) : []; }
  if (kind === "number") { const n = Number(text); return Number.isFinite(n) ? n : undefined; }
  if (kind === "json") { try { return JSON.parse(text); } catch (error) { return undefined; } }
  return text;
}

function isEmpty(value) {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** The hash for a state: the map view first (MapLibre's own format), then the other keys of the schema. */
export function serialise(state, schema) {
  const parts = [];
  const view = state.view;
  if (view) { parts.push(`${(+view.zoom).toFixed(2).replace(/\.?0+$/, "")}/${(+view.lat).toFixed(5)}/${(+view.lon).toFixed(5)}`); }
  const params = new URLSearchParams();
  Object.keys(schema).sort().forEach((key) => {
    if (!isEmpty(state[key])) { params.set(key, encodeValue(schema[key], state[key])); }
  });
  const query = params.toString();
  if (query) { parts.push(query); }
  return parts.length ? "#" + parts.join("&") : "";
}

/** The state a hash describes (keys outside the schema are ignored). */
export function parse(hash, schema) {
  const state = {};
  const text = (hash || "").replace(/^#/, "");
  const [first, ...rest] = text.split("&");
  const match = VIEW.exec(first || "");
  const query = match ? rest.join("&") : text;
  if (match) { state.view = { zoom: +match[1], lat: +match[2], lon: +match[3] }; }
  new URLSearchParams(query).forEach((value, key) => {
    if (Object.prototype.hasOwnProperty.call(schema, key)) {
      const decoded = decodeValue(schema[key], value);
      if (decoded !== undefined) { state[key] = decoded; }
    }
  });
  return state;
}

/**
 * createStore(schema): the page's state. set(patch, {history}) merges and notifies; "push" (default) adds a
 * history entry, "replace" rewrites the current one (map moves), "none" leaves the address alone.
 */
export function createStore(schema) {
  let state = parse(window.location.hash, schema);
  const listeners = new Set();

  function notify(changed) {
    listeners.forEach((listener) => {
      try { listener(state, changed); } catch (error) { console.error(error); } // one panel's bug must not stop the others
    });
  }

  function write(mode) {
    if (mode === "none") { return; }
    const hash = serialise(state, schema);
    if (hash === window.location.hash || (!hash && !window.location.hash)) { return; }
    const url = window.location.pathname + window.location.search + hash;
    if (mode === "replace") { window.history.replaceState(null, "", url); } else { window.history.pushState(null, "", url); }
  }

  // back/forward (popstate) and a typed or followed link to another #… (hashchange; both may fire)
  const follow = () => {
    const next = parse(window.location.hash, schema);
    const keys = new Set([...Object.keys(state), ...Object.keys(next)]);
    const changed = [...keys].filter((k) => JSON.stringify(state[k]) !== JSON.stringify(next[k]));
    state = next;
    if (changed.length) { notify(changed); }
  };
  window.addEventListener("popstate", follow);
  window.addEventListener("hashchange", follow);

  return {
    get(key) { return key === undefined ? state : state[key]; },
    set(patch, options) {
      const changed = Object.keys(patch).filter((k) => JSON.stringify(state[k]) !== JSON.stringify(patch[k]));
      if (!changed.length) { return; }
      state = { ...state, ...patch };
      changed.forEach((k) => { if (isEmpty(state[k])) { delete state[k]; } });
      write((options && options.history) || "push");
      notify(changed);
    },
    subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
  };
}
