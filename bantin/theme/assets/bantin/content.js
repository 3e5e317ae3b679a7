// Material's content scripts (mkdocs-material 9.x, partials/javascripts/content.html) as a file, so the
// Content-Security-Policy can forbid inline script: restore linked content tabs, open the tab a link points to.
(function () {
  "use strict";

  var script = document.currentScript;
  if (script && script.hasAttribute("data-tabs-link")) {
    var tabs = window.__md_get("__tabs");
    if (Array.isArray(tabs)) {
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = set.querySelector(".tabbed-labels");
        tabs.some(function (tab) {
          return Array.from(labels.getElementsByTagName("label")).some(function (label) {
            if (label.innerText.trim() !== tab) { return false; }
            document.getElementById(label.htmlFor).checked = true;
            return true;
          });
        });
      });
    }
  }
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) { target.checked = target.name.startsWith("__tabbed_"); }
})();
