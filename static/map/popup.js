/* The default popup: a feature's attributes as a table (extensions may register their own renderers). */
(function () {
  "use strict";
  function escapeText(value) {
    const span = document.createElement("span");
    span.textContent = value === null || value === undefined ? "" : String(value);
    return span.innerHTML;
  }

  function isLink(value) { return typeof value === "string" && /^https?:\/\//.test(value); }

  window.IOC_DEFAULT_POPUP = function (feature, element, title, t) {
    const props = feature.properties || {};
    const rows = Object.keys(props).filter((key) => key !== "cluster").map((key) => {
      const value = props[key];
      const cell = isLink(value) ? `<a href="${escapeText(value)}" target="_blank" rel="noopener">${escapeText(value)}</a>`
        : escapeText(value);
      return `<tr><th>${escapeText(key)}</th><td>${cell}</td></tr>`;
    });
    const heading = props.cluster ? `${escapeText(title)} – ${escapeText(t("cluster"))}` : escapeText(title);
    const id = feature.id !== undefined && !props.cluster ? ` <span class="muted">#${escapeText(feature.id)}</span>` : "";
    const hint = props.cluster ? `<p class="muted">${escapeText(t("zoomIn"))}</p>` : "";
    element.innerHTML = `<h3>${heading}${id}</h3><table class="attrs">${rows.join("")}</table>${hint}`;
  };
})();
