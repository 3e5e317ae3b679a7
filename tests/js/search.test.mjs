// Search (search.js) without a browser: tokens as bantin/search/tokenize.py makes them, and the gzip fallback.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import test from "node:test";
import { gzipSync } from "node:zlib";

import { load, pythonNumberPattern } from "./assets.mjs";

const search = await load("search.js");
search.useNumberPattern(pythonNumberPattern());  // bantin/citations.py's one pattern, as the build writes it

function words(text) {
  return search.spans(text, true).map((span) => span.word);
}

test("a document number is one token, and letters glued before it are not a number", () => {
  assert.deepEqual(words("Kết luận số 62-KL/TW của Bộ Chính trị"), ["kết", "luận", "số", "62-kl/tw", "của", "bộ", "chính", "trị"]);
  assert.deepEqual(words("(62-KL/TW)"), ["62-kl/tw"]);
  assert.ok(!words("x62-KL/TW").includes("62-kl/tw"));
  assert.deepEqual(words("30/2020/NĐ-CP"), ["30/2020/nđ-cp"]);
  assert.deepEqual(words("ngày 25/01/2018, 1.62-KL/TW"), ["ngày", "25", "01", "2018", "1", "62", "kl", "tw"]);
});

test("spans give where each word starts and ends in the text", () => {
  const text = "Số 212-TB/TU ngày";
  const spans = search.spans(text, true);
  assert.deepEqual(spans.map((span) => text.slice(span.start, span.end)), ["Số", "212-TB/TU", "ngày"]);
});

test("folding drops diacritics and turns đ into d", () => {
  assert.equal(search.fold("Đảng đoàn"), "dang doan");
  assert.equal(search.fold("Dân vận khéo"), "dan van kheo");
});

test("old and new tone placement are one spelling", () => {
  assert.equal(search.makeToken("hoà").text, search.makeToken("hòa").text);
  assert.equal(search.makeToken("thuỷ").text, search.makeToken("thủy").text);
  assert.equal(search.makeToken("quý").text, "quý");
});

test("typed without diacritics a token matches every spelling; with them, only itself", () => {
  assert.equal(search.makeToken("dan").exact, false);
  assert.equal(search.makeToken("dân").exact, true);
  assert.equal(search.makeToken("62-kl/tw").exact, true);
});

test("a quoted phrase is its own group, the free words another", () => {
  const groups = search.parseQuery('"nông thôn mới" dân vận');
  assert.equal(groups.length, 2);
  assert.equal(groups[0].quoted, false);
  assert.deepEqual(groups[0].tokens.map((token) => token.text), ["dân", "vận"]);
  assert.equal(groups[1].quoted, true);
  assert.deepEqual(groups[1].tokens.map((token) => token.text), ["nông", "thôn", "mới"]);
});

test("an empty or punctuation-only query has no groups", () => {
  assert.deepEqual(search.parseQuery("  "), []);
  assert.deepEqual(search.parseQuery("…!?"), []);
});

test("the gzip fallback inflates what zlib compresses: stored, fixed and dynamic blocks", () => {
  const text = Buffer.from("Dân vận khéo ở cơ sở. ".repeat(500) + "Nghị quyết 18-NQ/TW, Kết luận 62-KL/TW.", "utf-8");
  for (const level of [0, 1, 6, 9]) {
    assert.deepEqual(Buffer.from(search.inflate(gzipSync(text, { level }))), text, `level ${level}`);
  }
  const noise = Buffer.alloc(70000);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + (i >> 3) * 31) & 255;
  assert.deepEqual(Buffer.from(search.inflate(gzipSync(noise))), noise);
  assert.deepEqual(Buffer.from(search.inflate(gzipSync(Buffer.alloc(0)))), Buffer.alloc(0));
});

test("the gzip fallback reads a header with a file name, as Python's gzip writes one", () => {
  // 1f 8b 08, FNAME flag, mtime, xfl, os, "a.bin\0", then a stored block holding "ok".
  const bytes = Uint8Array.from([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 255, 97, 46, 98, 105, 110, 0, 1, 2, 0, 253, 255, 111, 107]);
  assert.equal(Buffer.from(search.inflate(bytes)).toString(), "ok");
});

test("a truncated gzip file is an error, not a hang", () => {
  const gz = gzipSync(Buffer.from("Mặt trận Tổ quốc ".repeat(200)));
  assert.throws(() => search.inflate(gz.subarray(0, gz.length >> 1)));
});

test("an inline term decodes into documents and counts: those no level lists hold it once", () => {
  // Documents 2 (a run starts: 2 << 1 | 1 = 5), 7 (gap 5 << 1 = 10), 9 (gap 2 << 1 = 4), in a later run 300
  // (601 = 0xd9 0x04): five bytes. Then level 2 (counts 3–4): documents 7 (15) and 9 (4), counts 3 and 4.
  const postings = search.decodePostings(Uint8Array.from([5, 5, 10, 4, 0xd9, 0x04, 2, 4, 15, 3, 4, 4]));
  assert.deepEqual(postings.docs, [2, 7, 9, 300]);
  assert.deepEqual(postings.counts, [1, 3, 4, 1]);
});

test("a term's documents decode from flagged numbers: set starts a run, clear is a gap", () => {
  assert.deepEqual(search.decodeDocs(Uint8Array.from([5, 2, 4, 601 & 127 | 128, 601 >> 7, 2])), [2, 3, 5, 300, 301]);
});

test("positions follow a term's documents: how many, then gaps from the one before, 16-bit", () => {
  const positions = search.decodePositions(Uint8Array.from([2, 0, 3, 0, 4, 0, 1, 0, 0, 0]), [8, 12], 20);
  assert.deepEqual(Array.from(positions.of(8)), [3, 7]);
  assert.deepEqual(Array.from(positions.of(12)), [0]);
  assert.deepEqual(Array.from(positions.of(9)), []);
  assert.ok(positions.has(8, 7) && !positions.has(8, 4) && !positions.has(9, 0));
});

test("the kind filter finds every kind its option names, counts each option, and ignores one it does not know", () => {
  const meta = {
    units: [["Văn phòng Trung ương Đảng", "van-phong-trung-uong-dang"]],
    unit: [0, 0, 0, 0, 0],
    year: [2025, 2025, 2024, 2025, 2014],
    kinds: [["tin", "Tin tức"], ["ket-luan", "Kết luận"], ["thong-bao-ket-luan", "Thông báo kết luận"], ["cong-van", "Công văn"]],
    kind: [0, 1, 2, 3, 2],
    filters: [
      ["tin", "Tin tức", [0], true], ["van-ban", "Văn bản (mọi loại)", [1, 2, 3], true],
      ["ket-luan", "Kết luận, thông báo kết luận", [1, 2], true], ["thong-bao-ket-luan", "Thông báo kết luận", [2], true],
      ["cong-van", "Công văn", [3], true],
    ],
  };
  const scored = [0, 1, 2, 3, 4].map((doc) => ({ doc: doc, score: 1 }));
  const options = (kind, year) => ({ unit: "", kind: kind, year: year || "", sort: "" });
  assert.deepEqual(search.facets(meta, scored, options("cong-van")).results, [3]);
  assert.deepEqual(search.facets(meta, scored, options("ket-luan")).results, [1, 2, 4]);  // an old shared URL
  assert.deepEqual(search.facets(meta, scored, options("van-ban")).results, [1, 2, 3, 4]);
  assert.deepEqual(search.facets(meta, scored, options("bai-viet")).results, [0, 1, 2, 3, 4]);
  const found = search.facets(meta, scored, options("", "2025"));
  assert.deepEqual(Array.from(found.filters.values()), [1, 2, 1, 0, 1]);  // options counted within the year
});

test("a phrase's cover takes the grams whose positions weigh least, and never one without positions", () => {
  function grams(list) {
    return new Map(list.map(([at, length, bytes]) => [at + " " + length, { at, length, bytes }]));
  }
  const pieces = (found) => found.map((gram) => [gram.at, gram.length]);
  // Six syllables: the triples at 0 and 3 (old rule) cost 900; the rarer 4-gram at 0 with the triple at 3, 150.
  const six = grams([[0, 3, 400], [1, 3, 500], [2, 3, 450], [3, 3, 500], [0, 4, 100], [2, 4, Infinity], [3, 3, 500]]);
  assert.deepEqual(pieces(search.cover(6, six)), [[0, 4], [3, 3]]);
  assert.deepEqual(pieces(search.cover(6, grams([[0, 3, 9], [1, 3, 1], [2, 3, 1], [3, 3, 9]]))), [[0, 3], [3, 3]]);
  // Overlapping pieces are fine, a gap is not: [0, 3] and [4, 3] leave syllable 3 to the cheaper [3, 3].
  assert.deepEqual(pieces(search.cover(7, grams([[0, 3, 1], [4, 3, 1], [1, 3, 5], [3, 3, 1]]))), [[0, 3], [3, 3], [4, 3]]);
});
