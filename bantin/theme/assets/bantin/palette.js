// Material's palette script (mkdocs-material 9.x, partials/javascripts/palette.html) as a file, so the
// Content-Security-Policy can forbid inline script: apply the colour scheme the reader chose.
(function () {
  "use strict";

  var palette = window.__md_get("__palette");
  if (!palette || !palette.color) { return; }
  if (palette.color.media === "(prefers-color-scheme)") {
    var light = matchMedia("(prefers-color-scheme: light)").matches;
    var input = document.querySelector(light
      ? "[data-md-color-media='(prefers-color-scheme: light)']"
      : "[data-md-color-media='(prefers-color-scheme: dark)']");
    palette.color.media = input.getAttribute("data-md-color-media");
    palette.color.scheme = input.getAttribute("data-md-color-scheme");
    palette.color.primary = input.getAttribute("data-md-color-primary");
    palette.color.accent = input.getAttribute("data-md-color-accent");
  }
  Object.entries(palette.color).forEach(function (entry) {
    document.body.setAttribute("data-md-color-" + entry[0], entry[1]);
  });
})();
