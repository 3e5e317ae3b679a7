// The document register (/van-ban/): filter its rows by kind, issuing body, year and number in the browser.
// The form's fields are the URL parameters (loai, co-quan, nam, so), so a filtered register can be shared.
// Each kind's count is what the other three filters leave. Without this script every row stays listed.
(function () {
  "use strict";

  // A typed number as the rows spell it (document_slug): lowercase ASCII words joined by hyphens, no leading zeros.
  function numberKey(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{Mn}/gu, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").replace(/^0+(?=\d)/, "");
  }

  function start() {
    const form = document.querySelector("[data-bt-register-filters]");
    if (!form) return;
    const rows = Array.from(document.querySelectorAll(".bt-register--documents tbody tr"));
    const shown = document.querySelector("[data-bt-register-shown]");
    const fields = { kind: form.elements["loai"], issuer: form.elements["co-quan"], year: form.elements["nam"], number: form.elements["so"] };
    form.hidden = false;

    function matchesNumber(row, wanted) {
      if (!wanted) return true;
      if (/^\d+[a-z]?$/.test(wanted)) return row.dataset.digits === wanted;
      return row.dataset.number === wanted || row.dataset.number.indexOf(wanted) >= 0;
    }

    function apply() {
      const wanted = numberKey(fields.number.value);
      const counts = new Map();
      let visible = 0;
      rows.forEach(function (row) {
        const others = (!fields.issuer.value || row.dataset.issuer === fields.issuer.value) &&
          (!fields.year.value || row.dataset.year === fields.year.value) && matchesNumber(row, wanted);
        if (others) counts.set(row.dataset.kind, (counts.get(row.dataset.kind) || 0) + 1);
        const show = others && (!fields.kind.value || row.dataset.kind === fields.kind.value);
        row.hidden = !show;
        if (show) visible++;
      });
      Array.from(fields.kind.options).forEach(function (option) {
        if (option.value) option.textContent = option.dataset.name + " (" + (counts.get(option.value) || 0).toLocaleString("vi-VN") + ")";
      });
      shown.textContent = "Đang hiện " + visible.toLocaleString("vi-VN") + " trên " + rows.length.toLocaleString("vi-VN") + " văn bản.";
    }

    function writeUrl() {
      const params = new URLSearchParams();
      if (fields.kind.value) params.set("loai", fields.kind.value);
      if (fields.issuer.value) params.set("co-quan", fields.issuer.value);
      if (fields.year.value) params.set("nam", fields.year.value);
      if (fields.number.value.trim()) params.set("so", fields.number.value.trim());
      const query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function choose(select, value) {
      // A value the URL spells wrong filters nothing instead of hiding every row.
      select.value = Array.from(select.options).some(function (option) { return option.value === value; }) ? value : "";
    }

    const params = new URLSearchParams(location.search);
    choose(fields.kind, params.get("loai") || "");
    choose(fields.issuer, params.get("co-quan") || "");
    choose(fields.year, params.get("nam") || "");
    fields.number.value = params.get("so") || "";
    form.addEventListener("input", function () { apply(); writeUrl(); });
    form.addEventListener("change", function () { apply(); writeUrl(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(); writeUrl(); }, 0); });
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
