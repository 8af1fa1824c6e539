// The one DOM helper of the front end: elements are built with text nodes and setAttribute only, so no value
// (a feature's attribute, a report's text, a server message) can ever become markup or script.

const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "poster", "cite", "background", "xlink:href"]);
const SAFE_SCHEMES = new Set(["http:", "https:"]);
const REFUSED_TAGS = new Set(["script", "iframe", "object", "embed", "frame", "frameset", "base", "meta", "link"]);
const REFUSED_ATTRIBUTES = new Set(["srcdoc", "srcset", "style", "formaction"]);

/** The absolute URL when `value` is an http(s) or relative URL, otherwise null (javascript:, data:, …). */
export function safeUrl(value) {
  if (value === null || value === undefined) { return null; }
  const text = String(value).trim();
  if (!text) { return null; }
  let parsed;
  try { parsed = new URL(text, window.location.href); } catch (error) { return null; }
  return SAFE_SCHEMES.has(parsed.protocol) ? parsed.href : null;
}

/** Whether a value looks like a link a person would want to follow (an absolute http(s) URL). */
export function isLink(value) {
  return typeof value === "string" && /^https?:\/\//i.test(value.trim()) && safeUrl(value) !== null;
}

function setAttribute(node, name, value) {
  const key = String(name).toLowerCase();
  if (key.startsWith("on") || REFUSED_ATTRIBUTES.has(key) || !/^[a-z][a-z0-9:._-]*$/.test(key)) {
    throw new Error(`el(): refused attribute ${name}`);
  }
  if (value === null || value === undefined || value === false) { return; }
  if (URL_ATTRIBUTES.has(key)) {
    const url = safeUrl(value);
    if (url === null) { return; } // an unsafe link is dropped, its text stays
    node.setAttribute(key, url);
    return;
  }
  node.setAttribute(key, value === true ? "" : String(value));
}

function append(node, child) {
  if (child === null || child === undefined || child === false) { return; }
  if (Array.isArray(child)) { child.forEach((c) => append(node, c)); return; }
  if (child instanceof Node) { node.appendChild(child); return; }
  node.appendChild(document.createTextNode(String(child)));
}

/**
 * el(tag, attrs, ...children): a new element. attrs are set with setAttribute (names starting "on" are refused,
 * href/src keep only http(s) or relative URLs); `style` takes an object of CSSOM properties; children are nodes,
 * arrays or text (text nodes, never parsed).
 */
export function el(tag, attrs, ...children) {
  const name = String(tag).toLowerCase();
  if (REFUSED_TAGS.has(name)) { throw new Error(`el(): refused tag ${tag}`); }
  const node = name === "svg" || name === "path" || name === "circle" || name === "rect" || name === "g"
    ? document.createElementNS("http://www.w3.org/2000/svg", name) : document.createElement(name);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "style" && value && typeof value === "object") {
      for (const [prop, v] of Object.entries(value)) { if (v !== null && v !== undefined) { node.style.setProperty(prop, String(v)); } }
    } else {
      setAttribute(node, key, value);
    }
  }
  append(node, children);
  return node;
}

/** Replace a node's content with the given children (nothing is parsed). */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A link that opens in a new tab, or the plain text when the URL is not http(s)/relative. */
export function link(url, text, attrs) {
  const href = safeUrl(url);
  if (href === null) { return el("span", {}, text === undefined ? String(url) : text); }
  return el("a", { href, target: "_blank", rel: "noopener noreferrer", ...(attrs || {}) }, text === undefined ? String(url) : text);
}

/** document.getElementById, failing loudly when a page lacks an element a module needs. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) { throw new Error(`missing #${id}`); }
  return node;
}

/** The JSON of a {{ x|json_script:"id" }} block. */
export function jsonScript(id) {
  return JSON.parse(byId(id).textContent);
}
