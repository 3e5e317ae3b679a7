// Bản tin reading tools: font size that persists across pages, print, share, sortable register.
// An ES module (loaded with type="module", so no inline script is needed); every page reads fully without it.
// The pure functions are exported for tests/js/bantin.test.mjs; start() wires them to the page.

export const FONT_KEY = "bantin-font-scale";
export const SCALES = [0.85, 1, 1.15, 1.3, 1.5];

// The browser's localStorage, or null where reading it throws (blocked cookies, some private modes).
export function storageOf(win) {
  try {
    const storage = win.localStorage;
    storage.getItem(FONT_KEY);
    return storage;
  } catch (error) {
    return null;
  }
}

// The scale the reader chose, or 1 when none was stored (or storage is unavailable, or the value is foreign).
export function storedScale(storage) {
  if (!storage) return 1;
  let stored = NaN;
  try {
    stored = parseFloat(storage.getItem(FONT_KEY) || "1");
  } catch (error) {
    return 1;
  }
  return SCALES.indexOf(stored) >= 0 ? stored : 1;
}

export function saveScale(storage, scale) {
  if (!storage) return false;
  try {
    storage.setItem(FONT_KEY, String(scale));
    return true;
  } catch (error) {
    return false;  // full or blocked: the choice holds for this page only
  }
}

// One step up or down the scale, never past either end.
export function nextScale(scale, direction) {
  const index = SCALES.indexOf(scale) >= 0 ? SCALES.indexOf(scale) : SCALES.indexOf(1);
  const next = index + (direction === "up" ? 1 : -1);
  return SCALES[Math.max(0, Math.min(SCALES.length - 1, next))];
}

// "62-KL/TW" sorts by its leading number, then by the rest; notices without a number go last.
export function compareNumbers(a, b) {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  const difference = parseInt(a, 10) - parseInt(b, 10);
  if (difference !== 0 && !Number.isNaN(difference)) return difference;
  return a.localeCompare(b, "vi");
}

// The order of register rows ({number, date}) for a sort key; notices without a number stay last either way.
export function sortRows(rows, key, descending) {
  return rows.slice().sort(function (a, b) {
    if (key === "number" && (!a.number || !b.number)) return compareNumbers(a.number, b.number);
    const order = key === "number" ? compareNumbers(a.number, b.number) : a.date.localeCompare(b.date);
    return descending ? -order : order;
  });
}

function copyLink(doc, win) {
  const url = win.location.href;
  if (win.navigator.clipboard && win.isSecureContext) {
    return win.navigator.clipboard.writeText(url).then(function () { return true; }, function () { return false; });
  }
  const field = doc.createElement("textarea");
  field.value = url;
  field.setAttribute("readonly", "");
  field.style.position = "absolute";
  field.style.left = "-9999px";
  doc.body.appendChild(field);
  field.select();
  let copied = false;
  try { copied = doc.execCommand("copy"); } catch (error) { copied = false; }
  doc.body.removeChild(field);
  return Promise.resolve(copied);
}

export function start(doc, win) {
  const storage = storageOf(win);

  function applyScale(scale) {
    doc.documentElement.style.setProperty("--bt-font-scale", String(scale));
    doc.querySelectorAll("[data-bt-font]").forEach(function (button) {
      const step = button.getAttribute("data-bt-font");
      button.disabled = step === "up" ? scale === SCALES[SCALES.length - 1] : scale === SCALES[0];
    });
  }

  function announce(message) {
    const status = doc.querySelector(".bt-tools [data-bt-status]");
    if (status) status.textContent = message;
  }

  function shareZalo() {
    // Zalo lives on phones: the system share sheet reaches it; elsewhere the link is copied to paste into Zalo.
    if (win.navigator.share) {
      win.navigator.share({ title: doc.title, url: win.location.href }).catch(function () {});
      return;
    }
    copyLink(doc, win).then(function (copied) {
      announce(copied ? "Đã sao chép liên kết, hãy dán vào Zalo để chia sẻ." : "Không sao chép được, hãy sao chép địa chỉ trang.");
    });
  }

  function sortRegister(table, key, header) {
    const body = table.tBodies[0];
    const rows = Array.prototype.filter.call(body.rows, function (row) { return row.hasAttribute("data-date"); });
    const descending = header.getAttribute("aria-sort") !== "descending";
    const entries = rows.map(function (row) { return { number: row.dataset.number, date: row.dataset.date, row: row }; });
    sortRows(entries, key, descending).forEach(function (entry) { body.appendChild(entry.row); });
    table.querySelectorAll("th[data-sort-key]").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  doc.addEventListener("click", function (event) {
    const target = event.target.closest("[data-bt-font], [data-bt-print], [data-bt-copy], [data-bt-zalo], th[data-sort-key] button");
    if (!target) return;
    if (target.hasAttribute("data-bt-font")) {
      const scale = nextScale(currentScale(), target.getAttribute("data-bt-font"));
      saveScale(storage, scale);
      applyScale(scale);
    } else if (target.hasAttribute("data-bt-print")) {
      win.print();
    } else if (target.hasAttribute("data-bt-zalo")) {
      shareZalo();
    } else if (target.hasAttribute("data-bt-copy")) {
      copyLink(doc, win).then(function (copied) {
        announce(copied ? "Đã sao chép liên kết." : "Không sao chép được, hãy sao chép địa chỉ trang.");
      });
    } else {
      const header = target.closest("th");
      sortRegister(header.closest("table"), header.getAttribute("data-sort-key"), header);
    }
  });

  // The scale shown now lives on the page itself, so the buttons step from where the reader is, storage or not.
  function currentScale() {
    const shown = parseFloat(doc.documentElement.style.getPropertyValue("--bt-font-scale"));
    return SCALES.indexOf(shown) >= 0 ? shown : 1;
  }

  applyScale(storedScale(storage));
}

if (typeof document !== "undefined") start(document, window);
