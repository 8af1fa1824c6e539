// Requests to the map server: same-origin session, JSON in and out, the CSRF token on every write
// (CSRF is enforced on session-authenticated writes), errors as ApiError with the server's description.

/** An error answer of the server: HTTP status and its {"code", "description"} text. */
export class ApiError extends Error {
  constructor(status, description, doc) { super(description || `HTTP ${status}`); this.status = status; this.doc = doc; }
}

/** The CSRF token: the csrftoken cookie, or the {% csrf_token %} value the page rendered. */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) { return decodeURIComponent(match[1]); }
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

async function answer(response) {
  const text = await response.text();
  let doc = null;
  try { doc = text ? JSON.parse(text) : null; } catch (error) { doc = null; }
  if (!response.ok) {
    const first = Array.isArray(doc) ? doc[0] : doc;
    throw new ApiError(response.status, (first && (first.description || first.detail)) || response.statusText, doc);
  }
  return doc;
}

/** GET a JSON document. */
export async function getJson(url, options) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, ...(options || {}) });
  return answer(response);
}

/** POST a JSON body (with the CSRF header) and read the JSON answer. */
export async function postJson(url, body, options) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    ...(options || {}),
  });
  return answer(response);
}

/** PUT (or another write method) a JSON body with the CSRF header and read the JSON answer. */
export async function sendJson(method, url, body) {
  return postJson(url, body, { method });
}
