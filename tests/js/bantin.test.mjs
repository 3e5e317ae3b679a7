// Reading tools (bantin.js): font scale steps and storage, register order.
import assert from "node:assert/strict";
import test from "node:test";

import { load } from "./assets.mjs";

const tools = await load("bantin.js");

function memoryStorage(values = {}) {
  return {
    getItem: (key) => (key in values ? values[key] : null),
    setItem: (key, value) => { values[key] = value; },
    values,
  };
}

const throwing = {
  getItem() { throw new Error("SecurityError"); },
  setItem() { throw new Error("QuotaExceededError"); },
};

test("font scale steps up and down and stops at both ends", () => {
  assert.equal(tools.nextScale(1, "up"), 1.15);
  assert.equal(tools.nextScale(1, "down"), 0.85);
  assert.equal(tools.nextScale(0.85, "down"), 0.85);
  assert.equal(tools.nextScale(1.5, "up"), 1.5);
});

test("an unknown current scale steps from the normal size", () => {
  assert.equal(tools.nextScale(7, "up"), 1.15);
});

test("the stored scale is read back, and a foreign value means the normal size", () => {
  assert.equal(tools.storedScale(memoryStorage({ [tools.FONT_KEY]: "1.3" })), 1.3);
  assert.equal(tools.storedScale(memoryStorage({ [tools.FONT_KEY]: "9" })), 1);
  assert.equal(tools.storedScale(memoryStorage()), 1);
});

test("storage that throws or is missing never breaks the tools", () => {
  assert.equal(tools.storedScale(throwing), 1);
  assert.equal(tools.storedScale(null), 1);
  assert.equal(tools.saveScale(throwing, 1.15), false);
  assert.equal(tools.saveScale(null, 1.15), false);
  const storage = memoryStorage();
  assert.equal(tools.saveScale(storage, 1.15), true);
  assert.equal(storage.values[tools.FONT_KEY], "1.15");
});

test("a window whose localStorage getter throws has no storage", () => {
  const win = {};
  Object.defineProperty(win, "localStorage", { get() { throw new Error("SecurityError"); } });
  assert.equal(tools.storageOf(win), null);
  assert.equal(tools.storageOf({ localStorage: throwing }), null);
});

test("document numbers sort by their leading number, then the rest", () => {
  const numbers = ["62-KL/TW", "212-TB/TU", "7-KL/TW", "62-KL/TU"];
  assert.deepEqual(numbers.slice().sort(tools.compareNumbers), ["7-KL/TW", "62-KL/TU", "62-KL/TW", "212-TB/TU"]);
});

test("register rows without a number stay last in both directions", () => {
  const rows = [
    { number: "", date: "2020-01-01T00:00" },
    { number: "212-TB/TU", date: "2014-11-24T00:00" },
    { number: "62-KL/TW", date: "2019-05-01T00:00" },
  ];
  const ascending = tools.sortRows(rows, "number", false).map((row) => row.number);
  const descending = tools.sortRows(rows, "number", true).map((row) => row.number);
  assert.deepEqual(ascending, ["62-KL/TW", "212-TB/TU", ""]);
  assert.deepEqual(descending, ["212-TB/TU", "62-KL/TW", ""]);
  const byDate = tools.sortRows(rows, "date", true).map((row) => row.date.slice(0, 4));
  assert.deepEqual(byDate, ["2020", "2019", "2014"]);
});
