// The one place that writes to window: handles the browser tests read (window.IOC_MAP.map, …). No module reads
// them back; modules share state through imports and the store only.

/** Publish `value` as window.IOC_MAP[name] for tests and the curious. */
export function expose(name, value) {
  const hooks = window.IOC_MAP || (window.IOC_MAP = {});
  hooks[name] = value;
}
