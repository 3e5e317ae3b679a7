// Bản tin reading tools: font size that persists across pages, print, share, sortable register.
// Progressive enhancement: every page reads fully without this script.
(function () {
  "use strict";

  var FONT_KEY = "bantin-font-scale";
  var SCALES = [0.85, 1, 1.15, 1.3, 1.5];

  function currentScale() {
    var stored = parseFloat(localStorage.getItem(FONT_KEY) || "1");
    return SCALES.indexOf(stored) >= 0 ? stored : 1;
  }

  function applyScale(scale) {
    document.documentElement.style.setProperty("--bt-font-scale", String(scale));
    document.querySelectorAll("[data-bt-font]").forEach(function (button) {
      var step = button.getAttribute("data-bt-font");
      button.disabled = step === "up" ? scale === SCALES[SCALES.length - 1] : scale === SCALES[0];
    });
  }

  function stepScale(direction) {
    var index = SCALES.indexOf(currentScale()) + (direction === "up" ? 1 : -1);
    var scale = SCALES[Math.max(0, Math.min(SCALES.length - 1, index))];
    try { localStorage.setItem(FONT_KEY, String(scale)); } catch (error) { /* private mode: this page only */ }
    applyScale(scale);
  }

  function announce(message) {
    var status = document.querySelector("[data-bt-status]");
    if (status) { status.textContent = message; }
  }

  function copyLink() {
    var url = window.location.href;
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(url).then(function () { return true; }, function () { return false; });
    }
    var field = document.createElement("textarea");
    field.value = url;
    field.setAttribute("readonly", "");
    field.style.position = "absolute";
    field.style.left = "-9999px";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(field);
    return Promise.resolve(copied);
  }

  function shareZalo() {
    // Zalo lives on phones: the system share sheet reaches it; elsewhere the link is copied to paste into Zalo.
    if (navigator.share) {
      navigator.share({ title: document.title, url: window.location.href }).catch(function () {});
      return;
    }
    copyLink().then(function (copied) {
      announce(copied ? "Đã sao chép liên kết, hãy dán vào Zalo để chia sẻ." : "Không sao chép được, hãy sao chép địa chỉ trang.");
    });
  }

  function sortRegister(table, key, header) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).filter(function (row) { return row.hasAttribute("data-date"); });
    var descending = header.getAttribute("aria-sort") !== "descending";
    rows.sort(function (a, b) {
      var order = key === "number" ? compareNumbers(a.dataset.number, b.dataset.number) : a.dataset.date.localeCompare(b.dataset.date);
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[data-sort-key]").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function compareNumbers(a, b) {
    // "62-KL/TW" sorts by its leading number, then by the rest; notices without a number go last.
    if (!a || !b) { return a ? 1 : b ? -1 : 0; }
    var difference = parseInt(a, 10) - parseInt(b, 10);
    return difference !== 0 ? difference : a.localeCompare(b, "vi");
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-bt-font], [data-bt-print], [data-bt-copy], [data-bt-zalo], th[data-sort-key] button");
    if (!target) { return; }
    if (target.hasAttribute("data-bt-font")) { stepScale(target.getAttribute("data-bt-font")); }
    else if (target.hasAttribute("data-bt-print")) { window.print(); }
    else if (target.hasAttribute("data-bt-zalo")) { shareZalo(); }
    else if (target.hasAttribute("data-bt-copy")) {
      copyLink().then(function (copied) {
        announce(copied ? "Đã sao chép liên kết." : "Không sao chép được, hãy sao chép địa chỉ trang.");
      });
    } else {
      var header = target.closest("th");
      sortRegister(header.closest("table"), header.getAttribute("data-sort-key"), header);
    }
  });

  applyScale(currentScale());
})();
