// Bản tin's first script, in the head of every page, before anything is drawn.
// It is a file rather than inline code so that the Content-Security-Policy can forbid inline script.
(function () {
  "use strict";

  // Material's head helpers (mkdocs-material 9.x, partials/javascripts/base.html), unchanged in behaviour:
  // the storage scope of this site and the functions Material's other scripts call.
  var script = document.currentScript;
  var scope = new URL((script && script.getAttribute("data-md-scope")) || ".", location);
  window.__md_scope = scope;
  window.__md_hash = function (value) {
    return Array.from(value).reduce(function (hash, char) { return (hash << 5) - hash + char.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (error) { /* private mode */ }
  };

  // The reader's font size, applied before the first paint so the page does not jump.
  try {
    var scale = parseFloat(localStorage.getItem("bantin-font-scale"));
    if (scale > 0) { document.documentElement.style.setProperty("--bt-font-scale", String(scale)); }
  } catch (error) { /* storage unavailable: default size */ }
})();
