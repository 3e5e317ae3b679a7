// Bản tin search: reads the static index that bantin/search/index.py writes under tim-kiem/chi-muc/.
// The page's form is the state: its fields are the URL parameters (q, don-vi, loai, nam, sap-xep), so a
// search can be bookmarked and shared, and the form still submits without this script.
// Tokens follow bantin/search/tokenize.py exactly; change both together.
// An ES module: the functions below are exported for tests/js/search.test.mjs; the page starts itself.
const api = (function () {
  "use strict";

  const PAGE_SIZE = 10;
  // Document numbers: bantin/citations.py's one pattern, which the build writes into the search form. Its
  // JavaScript form has no lookbehind (iOS 15 Safari rejects it): group 1 is the character before the number.
  let NUMBER = numberPattern();
  const WORD = /[\p{L}\p{N}]+/gu;
  const NEW_TO_OLD = {};
  ["oà:òa", "oá:óa", "oả:ỏa", "oã:õa", "oạ:ọa", "oè:òe", "oé:óe", "oẻ:ỏe", "oẽ:õe", "oẹ:ọe",
    "uỳ:ùy", "uý:úy", "uỷ:ủy", "uỹ:ũy", "uỵ:ụy"].forEach(function (pair) {
    const parts = pair.split(":");
    NEW_TO_OLD[parts[0]] = parts[1];
  });
  // The "Loại" options (bantin/search/kinds.py writes them into meta.bin): [value, label, kinds found, listed].
  const FILTER_VALUE = /^[a-z0-9-]{1,60}$/;

  // ---- Tokens -------------------------------------------------------------------------------------

  function numberPattern() {
    const form = typeof document !== "undefined" ? document.querySelector("form[data-bt-search]") : null;
    const source = form && form.dataset.numberPattern;
    return source ? new RegExp(source, "gu") : /(?!)/gu;
  }

  // For the unit tests, which have no page: the pattern the build would write into the form.
  function useNumberPattern(source) {
    NUMBER = new RegExp(source, "gu");
  }

  // One document number however typed (tokenize.number_token): "07-KL/VPTW", "7- kl/vptw" → "7-kl/vptw".
  function numberToken(word) {
    return fold(word.replace(/\s+/g, "")).replace(/^0+(?=[0-9])/, "");
  }

  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{Mn}/gu, "");
  }

  function spelling(word) {
    if (word.indexOf("/") >= 0) return numberToken(word);
    const ending = NEW_TO_OLD[word.slice(-2)];
    if (ending !== undefined && word.slice(-3, -2) !== "q") return word.slice(0, -2) + ending;
    return word;
  }

  function makeToken(word) {
    const text = spelling(word);
    const folded = fold(text);
    const number = word.indexOf("/") >= 0;
    return { text: text, folded: folded, number: number, exact: number || text !== folded };
  }

  // Words of `text` with where each starts and ends; numbers are found in upper case when `upper` is set.
  function spans(text, upper) {
    const found = [];
    const source = upper && text.toUpperCase().length === text.length ? text.toUpperCase() : text;
    let position = 0;
    function words(end) {
      WORD.lastIndex = position;
      let match;
      while ((match = WORD.exec(text)) !== null && match.index < end) {
        if (match.index + match[0].length > end) {
          found.push({ start: match.index, end: end, word: text.slice(match.index, end).toLowerCase() });
          break;
        }
        found.push({ start: match.index, end: match.index + match[0].length, word: match[0].toLowerCase() });
      }
    }
    if (text.indexOf("/") >= 0) {
      NUMBER.lastIndex = 0;
      let match;
      while ((match = NUMBER.exec(source)) !== null) {
        const start = match.index + match[1].length;
        const end = start + match[2].length;
        words(start);
        found.push({ start: start, end: end, word: text.slice(start, end).toLowerCase() });
        position = end;
      }
    }
    words(text.length);
    return found;
  }

  // "dân vận" khéo 62-KL/TW → groups of tokens; a quoted group must appear as written, word after word.
  function parseQuery(query) {
    query = query.normalize("NFC");
    const groups = [];
    const free = [];
    const quoted = /["“”„]([^"“”„]*)["“”„]?/g;
    let last = 0;
    let match;
    while ((match = quoted.exec(query)) !== null) {
      free.push(query.slice(last, match.index));
      const tokens = spans(match[1], true).map(function (span) { return makeToken(span.word); });
      if (tokens.length) groups.push({ tokens: tokens, quoted: true });
      last = quoted.lastIndex;
    }
    free.push(query.slice(last));
    const tokens = spans(free.join(" "), true).map(function (span) { return makeToken(span.word); });
    if (tokens.length) groups.unshift({ tokens: tokens, quoted: false });
    return groups;
  }

  // ---- Index files ---------------------------------------------------------------------------------

  function Index(base) {
    this.base = base;
    this.files = new Map();
    this.meta = null;
  }

  Index.prototype.fetchBytes = function (path) {
    const files = this.files;
    let pending = files.get(path);
    if (!pending) {
      pending = fetch(this.base + path).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.arrayBuffer();
      }).then(gunzip).catch(function (error) {
        files.delete(path);  // not kept: a later query fetches it again
        throw error;
      });
      files.set(path, pending);
    }
    return pending;
  };

  // The browser's own gzip decoder where it has one; Safari before 16.4 has none, so inflate() below stands in.
  function gunzip(buffer) {
    const bytes = new Uint8Array(buffer);
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
    if (typeof DecompressionStream === "undefined") return Promise.resolve(inflate(bytes));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));  // eslint-disable-line compat/compat -- checked above
    return new Response(stream).arrayBuffer().then(function (plain) { return new Uint8Array(plain); });
  }

  // ---- Inflate (RFC 1951 inside RFC 1952), for browsers without DecompressionStream ------------------------

  const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
  const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
    3073, 4097, 6145, 8193, 12289, 16385, 24577];
  const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  // A canonical Huffman code as counts per length and symbols in code order (as zlib's puff.c decodes it).
  function huffman(lengths) {
    const counts = new Uint16Array(16);
    const offsets = new Uint16Array(16);
    const symbols = new Uint16Array(lengths.length);
    for (let i = 0; i < lengths.length; i++) counts[lengths[i]]++;
    counts[0] = 0;
    for (let length = 1; length < 16; length++) offsets[length] = offsets[length - 1] + counts[length - 1];
    for (let symbol = 0; symbol < lengths.length; symbol++) {
      if (lengths[symbol]) symbols[offsets[lengths[symbol]]++] = symbol;
    }
    return { counts: counts, symbols: symbols };
  }

  function inflate(gzipped) {
    const data = gzipped;
    if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) throw new Error("not gzip");
    const flags = data[3];
    let at = 10;
    if (flags & 4) at += 2 + (data[at] | (data[at + 1] << 8));
    if (flags & 8) { while (data[at++]) { /* file name */ } }
    if (flags & 16) { while (data[at++]) { /* comment */ } }
    if (flags & 2) at += 2;
    let bitBuffer = 0;
    let bitCount = 0;
    let out = new Uint8Array(Math.max(1024, data.length * 4));
    let size = 0;
    function bits(count) {
      while (bitCount < count) {
        if (at >= data.length) throw new Error("gzip data ends early");
        bitBuffer |= data[at++] << bitCount;
        bitCount += 8;
      }
      const value = bitBuffer & ((1 << count) - 1);
      bitBuffer >>>= count;
      bitCount -= count;
      return value;
    }
    function room(extra) {
      if (size + extra <= out.length) return;
      const bigger = new Uint8Array(Math.max(out.length * 2, size + extra));
      bigger.set(out.subarray(0, size));
      out = bigger;
    }
    function decode(table) {
      let code = 0;
      let first = 0;
      let index = 0;
      for (let length = 1; length < 16; length++) {
        code |= bits(1);
        const count = table.counts[length];
        if (code - count < first) return table.symbols[index + code - first];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
      }
      throw new Error("bad gzip code");
    }
    let fixed = null;
    let last = 0;
    while (!last) {
      last = bits(1);
      const type = bits(2);
      let lengths;
      let distances;
      if (type === 0) {
        bitBuffer = 0;
        bitCount = 0;
        const length = data[at] | (data[at + 1] << 8);
        at += 4;
        room(length);
        out.set(data.subarray(at, at + length), size);
        size += length;
        at += length;
        continue;
      } else if (type === 1) {
        if (!fixed) {
          const codes = new Uint8Array(288);
          codes.fill(8, 0, 144);
          codes.fill(9, 144, 256);
          codes.fill(7, 256, 280);
          codes.fill(8, 280, 288);
          fixed = [huffman(codes), huffman(new Uint8Array(30).fill(5))];
        }
        lengths = fixed[0];
        distances = fixed[1];
      } else if (type === 2) {
        const literalCount = bits(5) + 257;
        const distanceCount = bits(5) + 1;
        const codeCount = bits(4) + 4;
        const codeLengths = new Uint8Array(19);
        for (let i = 0; i < codeCount; i++) codeLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        const codeTable = huffman(codeLengths);
        const all = new Uint8Array(literalCount + distanceCount);
        for (let i = 0; i < all.length;) {
          const symbol = decode(codeTable);
          if (symbol < 16) { all[i++] = symbol; continue; }
          let repeat = 0;
          let value = 0;
          if (symbol === 16) { value = all[i - 1]; repeat = 3 + bits(2); }
          else if (symbol === 17) repeat = 3 + bits(3);
          else repeat = 11 + bits(7);
          all.fill(value, i, i + repeat);
          i += repeat;
        }
        lengths = huffman(all.subarray(0, literalCount));
        distances = huffman(all.subarray(literalCount));
      } else {
        throw new Error("bad gzip block");
      }
      for (;;) {
        const symbol = decode(lengths);
        if (symbol < 256) {
          room(1);
          out[size++] = symbol;
        } else if (symbol === 256) {
          break;
        } else {
          const code = symbol - 257;
          const length = LENGTH_BASE[code] + bits(LENGTH_EXTRA[code]);
          const distanceCode = decode(distances);
          const distance = DISTANCE_BASE[distanceCode] + bits(DISTANCE_EXTRA[distanceCode]);
          room(length);
          for (let i = 0; i < length; i++, size++) out[size] = out[size - distance];
        }
      }
    }
    return out.slice(0, size);
  }

  Index.prototype.loadMeta = function () {
    const self = this;
    if (!this.meta) {
      this.meta = this.fetchBytes("meta.bin").then(function (bytes) {
        return JSON.parse(new TextDecoder().decode(bytes));
      }, function (error) {
        self.meta = null;  // a failed load is tried again by the next query
        throw error;
      });
    }
    return this.meta;
  };

  Index.prototype.loadDocument = function (id) {
    return this.fetchBytes("d/" + id + ".bin").then(function (bytes) {
      return JSON.parse(new TextDecoder().decode(bytes));
    });
  };

  function fnv1a(text) {
    const bytes = new TextEncoder().encode(text);
    let hash = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function Reader(bytes, offset) {
    this.bytes = bytes;
    this.offset = offset || 0;
  }
  Reader.prototype.varint = function () {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = this.bytes[this.offset++];
      value += (byte & 127) * Math.pow(2, shift);
      shift += 7;
    } while (byte & 128);
    return value;
  };
  Reader.prototype.string = function () {
    const length = this.varint();
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  };

  // The entries of every bucket holding `keys`: key → {levels} (an inline term: its documents by level of count) |
  // {docs, groups} (a large term: the file of its documents, then its files of levels, highest counts first) |
  // {blob} (inline positions) | {spill} (a file of positions) | {variants} (an accentless key's exact spellings).
  Index.prototype.lookup = function (keys, meta) {
    const self = this;
    const buckets = new Map();
    keys.forEach(function (key) {
      const bucket = fnv1a(key) % meta.buckets;
      if (!buckets.has(bucket)) buckets.set(bucket, []);
      buckets.get(bucket).push(key);
    });
    const found = new Map();
    return Promise.all(Array.from(buckets.keys()).map(function (bucket) {
      return self.fetchBytes("t/" + bucket + ".bin").then(function (bytes) {
        const wanted = new Set(buckets.get(bucket));
        const reader = new Reader(bytes);
        const count = reader.varint();
        for (let i = 0; i < count; i++) {
          const key = reader.string();
          const tag = reader.varint();
          const kind = tag & 3;
          const size = Math.floor(tag / 4);
          let entry = null;
          // A gram's positions (`@` and the gram) say how many bytes they are and whether the gram is extended.
          const flags = key[0] === "@" ? reader.varint() : 0;
          if (kind === 0) {
            const blob = bytes.subarray(reader.offset, reader.offset + size);
            entry = key[0] === "@" ? { blob: blob } : { levels: blob };
            reader.offset += size;
          } else if (kind === 1) {
            const groups = [];
            const groupCount = reader.varint();
            for (let j = 0; j < groupCount; j++) groups.push({ top: reader.varint(), file: reader.varint() });
            entry = { docs: size, groups: groups };
          } else if (kind === 2) {
            const variants = [];
            for (let j = 0; j < size; j++) variants.push(reader.string());
            entry = { variants: variants };
          } else {
            entry = { spill: size };
          }
          if (key[0] === "@") {  // bit 0: extended; bit 1: every run's positions are there; then their size
            entry.extended = (flags & 1) === 1;
            entry.complete = (flags & 2) === 2;
            entry.bytes = Math.floor(flags / 4);
          }
          if (wanted.has(key)) found.set(key, entry);
        }
      });
    })).then(function () { return found; });
  };

  // The files the entries name for a query's first use: a large term's documents, a pair's positions.
  Index.prototype.loadFiles = function (found) {
    const self = this;
    return Promise.all(Array.from(found.values()).map(function (entry) {
      const file = entry.spill !== undefined ? entry.spill : entry.docs;
      if (file === undefined) return null;
      return self.fetchBytes("s/" + file + ".bin").then(function (blob) { entry.blob = blob; });
    })).then(function () { return found; });
  };

  // Varints from `at` to `end`, each handed to `each`; one byte per value is the common case, kept fast.
  function varints(bytes, at, end, each) {
    while (at < end) {
      let byte = bytes[at++];
      let value = byte & 127;
      let scale = 128;
      while (byte & 128) {
        byte = bytes[at++];
        value += (byte & 127) * scale;
        scale *= 128;
      }
      each(value);
    }
  }

  // Document numbers are flagged in their lowest bit: set, the number itself (a run's segment starts); clear, the
  // gap from the one before. Runs indexed apart join end to end (bantin/search/index.py, postings_of).
  function decodeDocs(blob) {
    const docs = [];
    let doc = 0;
    varints(blob, 0, blob.length, function (value) {
      doc = value % 2 ? (value - 1) / 2 : doc + value / 2;
      docs.push(doc);
    });
    return docs;
  }

  // Entries by level of count: per level its number and byte length, then (flagged document, count) pairs.
  function decodeLevels(blob, each) {
    const reader = new Reader(blob);
    while (reader.offset < blob.length) {
      const level = reader.varint();
      const length = reader.varint();
      let doc = 0;
      let odd = true;
      varints(blob, reader.offset, reader.offset + length, function (value) {
        odd = !odd;
        if (odd) each(doc, value, level);
        else doc = value % 2 ? (value - 1) / 2 : doc + value / 2;
      });
      reader.offset += length;
    }
  }

  // An inline term: the byte length of its documents, its documents, then its entries by level (a document no
  // level lists holds the term once).
  function decodePostings(blob) {
    const reader = new Reader(blob);
    const length = reader.varint();
    const docs = decodeDocs(blob.subarray(reader.offset, reader.offset + length));
    const counts = new Map();
    decodeLevels(blob.subarray(reader.offset + length), function (doc, count) { counts.set(doc, count); });
    return { docs: docs, counts: docs.map(function (doc) { return counts.get(doc) || 1; }) };
  }

  // A pair's positions in every document holding it, in one array (no array per document): document `doc`'s are
  // all[from[doc]] … all[from[doc] + count[doc] - 1], ascending.
  function Positions(documents, size) {
    this.from = new Int32Array(documents);
    this.count = new Int32Array(documents);
    this.all = new Int32Array(size);
  }
  Positions.prototype.of = function (doc) {
    return this.all.subarray(this.from[doc], this.from[doc] + this.count[doc]);
  };
  Positions.prototype.has = function (doc, position) {
    const all = this.all;
    let low = this.from[doc];
    let high = low + this.count[doc];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (all[middle] < position) low = middle + 1;
      else high = middle;
    }
    return low < this.from[doc] + this.count[doc] && all[low] === position;
  };

  // Positions follow the term's documents in order, 16-bit little-endian: per document how many, then gaps from
  // the one before.
  function decodePositions(blob, docs, documents) {
    const positions = new Positions(documents, Math.max(0, (blob.length >> 1) - docs.length));
    const from = positions.from;
    const count = positions.count;
    const all = positions.all;
    let at = 0;
    let next = 0;
    for (let i = 0; i < docs.length && at + 1 < blob.length; i++) {
      const many = blob[at] | (blob[at + 1] << 8);
      at += 2;
      from[docs[i]] = next;
      count[docs[i]] = many;
      let position = 0;
      for (let j = 0; j < many; j++, at += 2) {
        position += blob[at] | (blob[at + 1] << 8);
        all[next++] = position;
      }
    }
    return positions;
  }

  // The positions of several spellings of one pair as one: per document, all of them in order.
  function mergePositions(list, documents) {
    if (list.length === 1) return list[0];
    const total = list.reduce(function (sum, one) { return sum + one.all.length; }, 0);
    const merged = new Positions(documents, total);
    let next = 0;
    for (let doc = 0; doc < documents; doc++) {
      merged.from[doc] = next;
      let sources = 0;
      for (let k = 0; k < list.length; k++) {
        const many = list[k].count[doc];
        if (!many) continue;
        merged.all.set(list[k].all.subarray(list[k].from[doc], list[k].from[doc] + many), next);
        next += many;
        sources++;
      }
      merged.count[doc] = next - merged.from[doc];
      if (sources > 1) merged.all.subarray(merged.from[doc], next).sort();
    }
    return merged;
  }

  // What a query knows of one exact term: for each document (`value`) 0 when it lacks the term, -1 when it holds
  // it with a count not fetched yet, else the count; and the files of lower counts still to fetch, highest first.
  function KeyPostings(meta, entry) {
    this.value = new Int32Array(meta.documents);
    this.docs = [];
    this.pending = [];
    if (!entry) return;
    const value = this.value;
    if (entry.levels) {
      const postings = decodePostings(entry.levels);
      this.docs = postings.docs;
      postings.docs.forEach(function (doc, i) { value[doc] = postings.counts[i]; });
    } else if (entry.blob) {
      this.docs = decodeDocs(entry.blob);
      this.docs.forEach(function (doc) { value[doc] = -1; });
      this.pending = entry.groups.slice();
    }
    // A term in more than half the documents ranks by presence alone (as BM25's own weight, zero past half, would
    // have it): how often a word nearly every article uses occurs says nothing of what an article is about.
    if (2 * this.docs.length > meta.documents) {
      this.docs.forEach(function (doc) { value[doc] = 1; });
      this.pending = [];
    }
  }
  // The highest count a document whose count is not fetched yet can have: once every level is in, 1.
  KeyPostings.prototype.bound = function (levels) {
    if (!this.pending.length) return 1;
    const next = this.pending[0].top + 1;
    return next < levels.length ? levels[next] - 1 : Infinity;
  };
  KeyPostings.prototype.fetchNext = function (index) {
    const self = this;
    const group = this.pending[0];
    return index.fetchBytes("s/" + group.file + ".bin").then(function (blob) {
      const value = self.value;
      decodeLevels(blob, function (doc, count) { value[doc] = count; });
      if (self.pending[0] === group) self.pending.shift();
    });
  };

  // ---- Matching --------------------------------------------------------------------------------------

  // Exact keys a query term stands for: itself when typed with diacritics, else every spelling folding to it.
  function syllableKey(token) {
    return token.exact ? token.text : "~" + token.folded;
  }
  function gramKey(tokens) {
    if (tokens.every(function (token) { return token.exact; })) return tokens.map(function (token) { return token.text; }).join(" ");
    return "~" + tokens.map(function (token) { return token.folded; }).join(" ");
  }
  // Whether an exact spelling of a pair or triple keeps the syllables typed with diacritics as typed.
  function gramAccepts(tokens, key) {
    const parts = key.split(" ");
    return tokens.every(function (token, i) { return !token.exact || parts[i] === token.text; });
  }

  // The matching documents (every term, every quoted phrase), filtered and counted by facets; `page(from, to)` then
  // gives the documents to show, ranked (options.sort "" ) or newest first ("moi-nhat").
  function search(index, query, options) {
    const groups = parseQuery(query);
    if (!groups.length) return Promise.resolve(null);
    return index.loadMeta().then(function (meta) {
      const terms = [];   // {token, key}
      const pairs = [];   // {tokens, key, group, at}: every pair ranks, a quoted pair of two syllables matches
      const triples = [];  // the triple of a quoted phrase of three syllables, which matches
      const phrases = [];  // {tokens, group, pieces}: a quoted phrase of four syllables or more (planPhrase)
      groups.forEach(function (group, groupIndex) {
        const tokens = group.tokens;
        tokens.forEach(function (token) { terms.push({ token: token, key: syllableKey(token) }); });
        for (let i = 0; i + 1 < tokens.length; i++) {
          pairs.push({ tokens: tokens.slice(i, i + 2), key: gramKey(tokens.slice(i, i + 2)), group: groupIndex, at: i });
        }
        if (!group.quoted) return;
        if (tokens.length === 3) triples.push({ tokens: tokens, key: gramKey(tokens), group: groupIndex, at: 0 });
        if (tokens.length > 3) phrases.push({ tokens: tokens, group: groupIndex });
      });
      const grams = pairs.concat(triples);
      const keys = new Set(terms.map(function (t) { return t.key; }).concat(grams.map(function (g) { return g.key; })));
      // Phrases of four syllables or more are planned meanwhile: which grams to read, with or without positions.
      const planned = Promise.all(phrases.map(function (phrase) { return planPhrase(index, meta, phrase); }));
      return index.lookup(Array.from(keys), meta).then(function (first) {
        // Accentless keys name the exact spellings; fetch those (with positions for long quoted phrases).
        function exactKeys(key, accept) {
          const entry = first.get(key);
          if (!entry) return [];
          if (entry.variants) return accept ? entry.variants.filter(accept) : entry.variants;
          return [key];
        }
        terms.forEach(function (term) { term.exactKeys = exactKeys(term.key, null); });
        grams.forEach(function (gram) {
          gram.exactKeys = exactKeys(gram.key, function (key) { return gramAccepts(gram.tokens, key); });
        });
        const second = new Set();
        terms.concat(grams).forEach(function (entry) {
          entry.exactKeys.forEach(function (key) { if (!first.has(key) || first.get(key).variants) second.add(key); });
        });
        // The first keys' files and the second keys' entries, then files, at the same time; and the phrases' grams.
        const more = index.lookup(Array.from(second), meta).then(function (found) { return index.loadFiles(found); });
        const read = planned.then(function () { return readPieces(index, meta, phrases); });
        return Promise.all([index.loadFiles(first), more, read]).then(function (all) {
          all[1].forEach(function (value, key) { first.set(key, value); });
          all[2].forEach(function (value, key) { first.set(key, value); });
          return match(index, meta, groups, terms, pairs, triples, phrases, first, options);
        });
      });
    });
  }

  // A quoted phrase of four syllables or more, as the grams of the index stand for it (bantin/search/index.py):
  // every triple is indexed with where it starts in each document, and a gram the index extends has every gram one
  // syllable longer indexed too, up to meta.longest syllables. So the phrase is one gram when the grams from its
  // first syllable extend that far (its documents are the answer, no positions needed); else it is the cover of the
  // phrase by grams whose positions weigh the fewest bytes, checked to stand in a row. A gram of four syllables or
  // more that some run extended has no positions (its longer grams stand in there): it is never a piece of a
  // cover, which the triples, always with positions, can always make. `phrase.pieces` become [{at, length, exactKeys,
  // positioned}]; a piece with no exact key means no document holds the phrase.
  function planPhrase(index, meta, phrase) {
    const tokens = phrase.tokens;
    const longest = meta.longest || 3;
    const grams = new Map();  // "at length" → {at, length, exactKeys, extended, bytes}
    function resolve(wanted) {
      // Round one: an exact gram's positions entry, or an accentless gram's spellings; round two: theirs.
      const keys = wanted.map(function (gram) {
        const key = gramKey(tokens.slice(gram.at, gram.at + gram.length));
        gram.key = key;
        return key[0] === "~" ? key : "@" + key;
      });
      return index.lookup(keys, meta).then(function (found) {
        const spelled = [];
        wanted.forEach(function (gram) {
          if (gram.key[0] !== "~") {
            gram.exactKeys = found.has("@" + gram.key) ? [gram.key] : [];
            return;
          }
          const entry = found.get(gram.key);
          const gramTokens = tokens.slice(gram.at, gram.at + gram.length);
          gram.exactKeys = entry && entry.variants ? entry.variants.filter(function (key) { return gramAccepts(gramTokens, key); }) : [];
          gram.exactKeys.forEach(function (key) { spelled.push("@" + key); });
        });
        return spelled.length ? index.lookup(spelled, meta).then(function (more) {
          more.forEach(function (value, key) { found.set(key, value); });
          return found;
        }) : found;
      }).then(function (found) {
        wanted.forEach(function (gram) {
          const placed = gram.exactKeys.map(function (key) { return found.get("@" + key); });
          gram.extended = placed.length > 0 && placed.every(function (entry) { return entry && entry.extended; });
          const usable = placed.every(function (entry) { return entry && entry.complete; });
          gram.bytes = usable ? placed.reduce(function (sum, entry) { return sum + entry.bytes; }, 0) : Infinity;
          grams.set(gram.at + " " + gram.length, gram);
        });
      });
    }
    // Grams one syllable longer than each extended gram of `from`, level by level.
    function grow(from) {
      const next = from.filter(function (gram) {
        return gram.extended && gram.length < longest && gram.at + gram.length < tokens.length;
      }).map(function (gram) { return { at: gram.at, length: gram.length + 1 }; });
      if (!next.length) return Promise.resolve();
      return resolve(next).then(function () { return grow(next); });
    }
    const whole = tokens.length <= longest;
    const start = { at: 0, length: 3 };
    // From the first syllable first: when its grams extend over the whole phrase, no other gram is needed.
    const first = whole ? resolve([start]).then(function () { return grow([start]); }) : Promise.resolve();
    return first.then(function () {
      const all = grams.get("0 " + tokens.length);
      if (all) return [all];
      const triples = [];
      for (let at = 0; at + 3 <= tokens.length; at++) if (!grams.has(at + " 3")) triples.push({ at: at, length: 3 });
      const resolved = triples.length ? resolve(triples) : Promise.resolve();
      return resolved.then(function () {
        const level = [];
        grams.forEach(function (gram) { if (gram.at > 0 || !whole) level.push(gram); });
        return grow(level.filter(function (gram) { return gram.length === 3; }));
      }).then(function () { return cover(tokens.length, grams); });
    }).then(function (pieces) {
      pieces.forEach(function (piece) { piece.positioned = pieces.length > 1; });
      phrase.pieces = pieces;
    });
  }

  // The grams covering every syllable of a phrase of `length` whose positions weigh the fewest bytes: best[end] is
  // the cheapest cover of the syllables before `end` by grams whose last ends there.
  function cover(length, grams) {
    const best = new Array(length + 1).fill(null);
    for (let end = 3; end <= length; end++) {
      grams.forEach(function (gram) {
        if (gram.at + gram.length !== end || gram.bytes === Infinity) return;
        let before = { bytes: 0, pieces: [] };
        if (gram.at > 0) {
          before = null;
          for (let e = gram.at; e < end; e++) if (best[e] && (!before || best[e].bytes < before.bytes)) before = best[e];
          if (!before) return;
        }
        const bytes = before.bytes + gram.bytes;
        if (!best[end] || bytes < best[end].bytes) best[end] = { bytes: bytes, pieces: before.pieces.concat([gram]) };
      });
    }
    return best[length].pieces;
  }

  // The documents of every phrase's pieces, and their positions when a phrase has more than one piece.
  function readPieces(index, meta, phrases) {
    const keys = new Set();
    phrases.forEach(function (phrase) {
      phrase.pieces.forEach(function (piece) {
        piece.exactKeys.forEach(function (key) {
          keys.add(key);
          if (piece.positioned) keys.add("@" + key);
        });
      });
    });
    if (!keys.size) return Promise.resolve(new Map());
    return index.lookup(Array.from(keys), meta).then(function (found) { return index.loadFiles(found); });
  }

  function idf(meta, df) {
    return Math.log(1 + (meta.documents - df + 0.5) / (df + 0.5));
  }
  function saturate(count) {
    return count === Infinity ? 2.2 : (count * 2.2) / (count + 1.2);
  }

  function match(index, meta, groups, terms, pairs, triples, phrases, entries, options) {
    const known = new Map();
    function postingsOf(key) {
      let found = known.get(key);
      if (!found) {
        found = new KeyPostings(meta, entries.get(key));
        known.set(key, found);
      }
      return found;
    }
    // A term (or pair) holds in a document when any of its exact spellings does.
    function union(entry) {
      entry.keys = entry.exactKeys.map(postingsOf);
      const present = new Uint8Array(meta.documents);
      let df = 0;
      entry.keys.forEach(function (key) {
        key.docs.forEach(function (doc) { if (!present[doc]) { present[doc] = 1; df++; } });
      });
      entry.present = present;
      entry.df = df;
    }
    terms.forEach(function (term) {
      union(term);
      // The first variant is the one spelled exactly as typed, when the archive has it.
      const typedKey = term.token.exact ? term.key : term.token.folded;
      term.bonus = !term.token.exact && term.exactKeys[0] === typedKey ? term.keys[0] : null;
    });
    pairs.forEach(union);
    triples.forEach(union);
    phrases.forEach(function (phrase) {
      phrase.pieces.forEach(function (piece) {
        union(piece);
        if (!piece.positioned) return;
        const found = [];
        piece.exactKeys.forEach(function (key, i) {
          const placed = entries.get("@" + key);
          if (placed && placed.blob) found.push(decodePositions(placed.blob, piece.keys[i].docs, meta.documents));
        });
        piece.positions = found.length ? mergePositions(found, meta.documents) : new Positions(meta.documents, 0);
      });
    });

    // Every term must occur (AND); a quoted group must occur as a phrase: two syllables, their pair; three, their
    // triple; more, the grams planPhrase chose: one gram's documents, or every gram of the cover, in a row.
    const ordered = terms.slice().sort(function (a, b) { return a.df - b.df; });
    let candidates = [];
    if (ordered.length) {
      const seen = new Uint8Array(meta.documents);
      ordered[0].keys.forEach(function (key) {
        key.docs.forEach(function (doc) { if (!seen[doc]) { seen[doc] = 1; candidates.push(doc); } });
      });
      candidates.sort(function (a, b) { return a - b; });
    }
    ordered.slice(1).forEach(function (term) {
      candidates = candidates.filter(function (doc) { return term.present[doc] === 1; });
    });
    groups.forEach(function (group, groupIndex) {
      if (!group.quoted || group.tokens.length < 2) return;
      const phrase = phrases.find(function (one) { return one.group === groupIndex; });
      const mine = phrase ? phrase.pieces : (group.tokens.length === 2 ? pairs : triples).filter(function (gram) { return gram.group === groupIndex; });
      const placed = mine.filter(function (gram) { return gram.positioned; });
      candidates = candidates.filter(function (doc) {
        for (let p = 0; p < mine.length; p++) if (mine[p].present[doc] !== 1) return false;
        if (!placed.length) return true;
        const first = placed[0].positions;
        const end = first.from[doc] + first.count[doc];
        for (let at = first.from[doc]; at < end; at++) {
          const start = first.all[at];
          let all = true;
          for (let i = 1; i < placed.length && all; i++) all = placed[i].positions.has(doc, start + placed[i].at);
          if (all) return true;
        }
        return false;
      });
    });

    terms.forEach(function (term) { term.weight = idf(meta, term.df); });
    pairs.forEach(function (pair) {
      pair.weight = 2 * idf(meta, pair.df);
      pair.free = !groups[pair.group].quoted;
    });
    const found = facets(meta, candidates.map(function (doc) { return { doc: doc, score: 0 }; }), options);
    const ranker = options.sort === "moi-nhat" ? null : new Ranker(index, meta, terms, pairs, found.results);
    found.page = function (from, to) {
      if (!ranker) return Promise.resolve(found.results.slice(from, to));
      const ranked = options.exhaustive ? ranker.all() : ranker.top(to);
      return ranked.then(function (top) { return top.slice(from, to); });
    };
    return found;
  }

  // ---- Ranking ----------------------------------------------------------------------------------------

  // Ranks `docs` by score, then newest first, fetching counts only as far as the top needs them.
  //
  // A document's score sums, per term and pair, its weight times its saturated count, plus the bonuses for a
  // word spelled as typed and for free words standing together. Counts come by level, highest first, so until a
  // term's lower levels are fetched, a document's count there is bounded by the highest level not fetched; the
  // score with every such count at its bound is an upper bound. The top k is known once k documents with every
  // count known rank above every other document's upper bound; until then, the next level of the term that
  // leaves each contender most uncertain is fetched. The order is exactly the one all counts would give.
  function Ranker(index, meta, terms, pairs, docs) {
    this.index = index;
    this.levels = meta.levels;
    this.terms = terms;
    this.pairs = pairs;
    this.docs = docs;
    this.freePairs = pairs.filter(function (pair) { return pair.free; }).length;
    this.ranked = [];
    this.scores = new Float64Array(docs.length);
    this.known = new Uint8Array(docs.length);  // 1 once a document's score is exact
    this.keys = [];  // every exact key once
    this.weights = [];  // with the largest weight it carries
    const weights = new Map();
    terms.concat(pairs).forEach(function (entry) {
      entry.keys.forEach(function (key) { weights.set(key, Math.max(weights.get(key) || 0, entry.weight)); });
    });
    const self = this;
    weights.forEach(function (weight, key) {
      self.keys.push(key);
      self.weights.push(weight);
    });
    this.exact = true;
  }

  // A term's count in `doc` over its exact spellings, a count not fetched yet at its bound (`this.exact` cleared).
  Ranker.prototype.count = function (keys, doc) {
    let sum = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const value = key.value[doc];
      if (value > 0) sum += value;
      else if (value < 0) {
        sum += key.upper;
        if (key.upper > 1) this.exact = false;
      }
    }
    return sum;
  };

  // The document's score, with each count not fetched yet at its bound; `this.exact` says whether it is the score.
  Ranker.prototype.score = function (doc) {
    this.exact = true;
    let score = 0;
    const terms = this.terms;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i];
      score += term.weight * saturate(this.count(term.keys, doc));
      if (term.bonus && term.bonus.value[doc] !== 0) score += 50;
    }
    let together = 0;
    const pairs = this.pairs;
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      const found = this.count(pair.keys, doc);
      if (found) {
        score += pair.weight * saturate(found);
        if (pair.free) together++;
      }
    }
    if (this.freePairs && together === this.freePairs) score += 25;
    return score;
  };

  Ranker.prototype.refresh = function () {
    const levels = this.levels;
    this.keys.forEach(function (key) { key.upper = key.bound(levels); });
  };

  // The first k documents of the ranking. A document whose score is not known yet and whose upper bound falls
  // below the k-th known score can no longer reach the first k (bounds only fall, known scores only come in), so
  // later rounds for the same k score only the documents still open.
  Ranker.prototype.top = function (k) {
    const self = this;
    const docs = this.docs;
    const scores = this.scores;
    const known = this.known;
    k = Math.min(k, docs.length);
    if (this.ranked.length >= k) return Promise.resolve(this.ranked);
    if (this.openFor !== k) {
      this.open = [];
      for (let i = 0; i < docs.length; i++) if (!known[i]) this.open.push(i);
      this.openFor = k;
    }
    this.refresh();
    const open = [];
    for (let n = 0; n < this.open.length; n++) {
      const i = this.open[n];
      scores[i] = this.score(docs[i]);
      if (this.exact) known[i] = 1;
      else open.push(i);
    }
    const best = [];  // indexes of the best k documents whose score is known, best first
    function before(a, b) { return scores[a] > scores[b] || (scores[a] === scores[b] && docs[a] < docs[b]); }
    for (let i = 0; i < docs.length; i++) {
      if (!known[i] || (best.length === k && !before(i, best[k - 1]))) continue;
      let at = best.length;
      while (at > 0 && before(i, best[at - 1])) at--;
      best.splice(at, 0, i);
      if (best.length > k) best.pop();
    }
    const last = best.length === k ? best[k - 1] : -1;
    // For each document that may still rank above the last of them, the key whose count leaves its score most
    // uncertain; the next level of each such key is fetched.
    const keys = this.keys;
    const gaps = keys.map(function (key, i) { return self.weights[i] * (saturate(key.upper) - 1); });
    const wanted = new Set();
    this.open = [];
    for (let n = 0; n < open.length; n++) {
      const i = open[n];
      if (last >= 0 && !before(i, last)) continue;
      this.open.push(i);
      const doc = docs[i];
      let most = -1;
      for (let j = 0; j < keys.length; j++) {
        if (keys[j].value[doc] < 0 && keys[j].upper > 1 && (most < 0 || gaps[j] > gaps[most])) most = j;
      }
      if (most >= 0) wanted.add(keys[most]);
    }
    if (!this.open.length) {
      this.ranked = best.map(function (i) { return docs[i]; });
      return Promise.resolve(this.ranked);
    }
    if (!wanted.size) keys.forEach(function (key) { if (key.pending.length) wanted.add(key); });  // never expected
    return Promise.all(Array.from(wanted).map(function (key) { return key.fetchNext(self.index); })).then(function () {
      return self.top(k);
    });
  };

  // Every document ranked, with every count fetched: what `top` must agree with (the tests compare them).
  Ranker.prototype.all = function () {
    const self = this;
    const waiting = this.keys.filter(function (key) { return key.pending.length; });
    if (waiting.length) {
      return Promise.all(waiting.map(function (key) { return key.fetchNext(self.index); })).then(function () {
        return self.all();
      });
    }
    this.refresh();
    const docs = this.docs;
    const scores = new Map();
    docs.forEach(function (doc) { scores.set(doc, self.score(doc)); });
    const sorted = docs.slice().sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
    return Promise.resolve(sorted);
  };

  // The results a filter leaves, with counts per organization, kind and year; each facet counts what the other two
  // filters leave. A kind option counts every kind it finds; one the index does not know filters nothing.
  function facets(meta, scored, options) {
    const unitIndex = meta.units.findIndex(function (unit) { return unit[1] === options.unit; });
    const filterIndex = meta.filters.findIndex(function (filter) { return filter[0] === options.kind; });
    const wanted = filterIndex >= 0 ? new Set(meta.filters[filterIndex][2]) : null;
    const year = parseInt(options.year, 10);
    const want = {
      unit: options.unit ? unitIndex : -1,
      year: options.year ? year : -1,
    };
    const counts = { unit: new Map(), kind: new Map(), year: new Map() };
    function add(facet, value) { counts[facet].set(value, (counts[facet].get(value) || 0) + 1); }
    const results = [];
    scored.forEach(function (entry) {
      const unit = meta.unit[entry.doc];
      const kind = meta.kind[entry.doc];
      const year = meta.year[entry.doc];
      const unitPasses = want.unit === -1 || unit === want.unit;
      const kindPasses = wanted === null || wanted.has(kind);
      const yearPasses = want.year === -1 || year === want.year;
      if (kindPasses && yearPasses) add("unit", unit);
      if (unitPasses && yearPasses) add("kind", kind);
      if (unitPasses && kindPasses) add("year", year);
      if (unitPasses && kindPasses && yearPasses) results.push(entry.doc);
    });
    const perFilter = new Map();
    meta.filters.forEach(function (filter, i) {
      perFilter.set(i, filter[2].reduce(function (sum, kind) { return sum + (counts.kind.get(kind) || 0); }, 0));
    });
    return { results: results, counts: counts, filters: perFilter, meta: meta, unfiltered: scored.length };
  }

  // ---- Highlighting ------------------------------------------------------------------------------------

  // Whether a word of a result matches the query; each distinct word is tokenized once per page of results.
  function matcher(groups) {
    const tokens = [];
    groups.forEach(function (group) { group.tokens.forEach(function (token) { tokens.push(token); }); });
    const known = new Map();
    return function (word) {
      let found = known.get(word);
      if (found === undefined) {
        const token = makeToken(word);
        found = tokens.some(function (wanted) {
          return wanted.exact ? token.text === wanted.text : token.folded === wanted.folded;
        });
        known.set(word, found);
      }
      return found;
    };
  }

  // Text with the matched words wrapped in <mark>, built with DOM nodes only (content is never HTML).
  function highlighted(text, words, matches, from, to) {
    const fragment = document.createDocumentFragment();
    let position = from;
    words.forEach(function (span) {
      if (span.start < from || span.end > to) return;
      if (!matches(span.word)) return;
      fragment.appendChild(document.createTextNode(text.slice(position, span.start)));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(span.start, span.end);
      fragment.appendChild(mark);
      position = span.end;
    });
    fragment.appendChild(document.createTextNode(text.slice(position, to)));
    return fragment;
  }

  // The 30-word window of the body holding the most distinct matched words (`all` are the body's words).
  function snippet(all, text, matches) {
    const width = 30;
    const hits = [];
    all.forEach(function (span, i) { if (matches(span.word)) hits.push(i); });
    const keys = hits.map(function (hit) { return fold(all[hit].word); });
    let bestStart = 0;
    let bestScore = -1;
    let low = 0;
    let high = 0;
    hits.forEach(function (hit) {  // windows start 8 words before a hit; both ends only move forward
      const start = Math.max(0, hit - 8);
      while (hits[low] < start) low++;
      while (high < hits.length && hits[high] < start + width) high++;
      const seen = new Set(keys.slice(low, high));
      if (seen.size > bestScore) {
        bestScore = seen.size;
        bestStart = start;
      }
    });
    if (!all.length) return { from: 0, to: 0, before: false, after: false };
    const last = Math.min(all.length - 1, bestStart + width - 1);
    const from = all[bestStart].start;
    let to = all[last].end;
    if (last + 1 < all.length) to = all[last + 1].start;
    return { from: bestStart === 0 ? 0 : from, to: last === all.length - 1 ? text.length : to, before: bestStart > 0, after: last < all.length - 1 };
  }

  // ---- Page ------------------------------------------------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function start() {
    const form = document.querySelector("form[data-bt-search]");
    if (!form) return;
    const index = new Index(form.dataset.index);
    index.loadMeta().catch(function () {});  // fetched with the page, so the first query waits less; run() reports failures
    const siteBase = form.dataset.base;
    const status = document.querySelector("[data-bt-status]");
    const list = document.querySelector("[data-bt-results]");
    const more = document.querySelector("[data-bt-more]");
    const selects = {
      unit: form.elements["don-vi"],
      kind: form.elements["loai"],
      year: form.elements["nam"],
      sort: form.elements["sap-xep"],
    };
    let current = null;
    let shown = 0;
    let generation = 0;

    function readUrl() {
      const params = new URLSearchParams(window.location.search);
      form.elements.q.value = params.get("q") || "";
      setSelect(selects.unit, params.get("don-vi") || "");
      // A kind or year the URL spells wrong (an edited or truncated link) filters nothing; a kind the index does not
      // know is dropped once it has loaded (updateFilters).
      setSelect(selects.kind, FILTER_VALUE.test(params.get("loai") || "") ? params.get("loai") : "");
      setSelect(selects.year, /^\d{4}$/.test(params.get("nam") || "") ? params.get("nam") : "");
      setSelect(selects.sort, params.get("sap-xep") || "");
    }

    function setSelect(select, value) {
      if (!Array.from(select.options).some(function (option) { return option.value === value; })) {
        select.appendChild(new Option(value, value));
      }
      select.value = value;
    }

    function writeUrl(push) {
      const params = new URLSearchParams();
      const q = form.elements.q.value.trim();
      if (q) params.set("q", q);
      if (selects.unit.value) params.set("don-vi", selects.unit.value);
      if (selects.kind.value) params.set("loai", selects.kind.value);
      if (selects.year.value) params.set("nam", selects.year.value);
      if (selects.sort.value) params.set("sap-xep", selects.sort.value);
      const url = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    }

    function fillSelect(select, all, counts, label) {
      const value = select.value;
      while (select.options.length) select.remove(0);
      select.appendChild(new Option(label, ""));
      all.forEach(function (entry) {
        const count = counts.get(entry.key) || 0;
        if ((!count || entry.listed === false) && entry.value !== value) return;
        select.appendChild(new Option(entry.name + " (" + count.toLocaleString("vi-VN") + ")", entry.value));
      });
      setSelect(select, value);
    }

    function run() {
      const query = form.elements.q.value.trim();
      const mine = ++generation;
      list.dataset.state = "loading";
      list.setAttribute("aria-busy", "true");
      if (!query) {
        list.replaceChildren();
        status.textContent = "Nhập từ khóa để tìm trong tin tức và văn bản.";
        more.hidden = true;
        finish(query);
        return Promise.resolve();
      }
      status.textContent = "Đang tìm…";
      const options = { unit: selects.unit.value, kind: selects.kind.value, year: selects.year.value, sort: selects.sort.value };
      return search(index, query, options).then(function (found) {
        if (mine !== generation) return null;
        current = found ? Object.assign(found, { groups: parseQuery(query), query: query }) : null;
        list.replaceChildren();
        shown = 0;
        if (found) updateFilters(found);
        if (!found || !found.results.length) {
          status.textContent = "Không tìm thấy kết quả nào cho “" + query + "”" + (found && found.unfiltered ? " với bộ lọc đã chọn." : ".");
          more.hidden = true;
          finish(query);
          return null;
        }
        status.textContent = "Tìm thấy " + found.results.length.toLocaleString("vi-VN") + " kết quả cho “" + query + "”.";
        return showMore(mine);
      }).catch(function (error) {
        status.textContent = "Không tải được chỉ mục tìm kiếm. Vui lòng thử lại.";
        list.dataset.state = "error";
        list.removeAttribute("aria-busy");
        throw error;
      });
    }

    function finish(query) {
      list.dataset.state = "ready";
      list.dataset.query = query;
      list.removeAttribute("aria-busy");
    }

    function updateFilters(found) {
      const meta = found.meta;
      const units = meta.units.map(function (unit, i) { return { key: i, value: unit[1], name: unit[0] }; });
      units.sort(function (a, b) { return a.name.localeCompare(b.name, "vi"); });
      fillSelect(selects.unit, units, found.counts.unit, "Tất cả đơn vị");
      const kinds = meta.filters.map(function (filter, i) { return { key: i, value: filter[0], name: filter[1], listed: filter[3] }; });
      if (!kinds.some(function (kind) { return kind.value === selects.kind.value; })) selects.kind.value = "";
      fillSelect(selects.kind, kinds, found.filters, "Tất cả các loại");
      const years = Array.from(found.counts.year.keys()).sort(function (a, b) { return b - a; });
      fillSelect(selects.year, years.map(function (y) { return { key: y, value: String(y), name: String(y) }; }), found.counts.year, "Mọi năm");
    }

    function showMore(mine) {
      const found = current;
      list.dataset.state = "loading";
      return found.page(shown, shown + PAGE_SIZE).then(function (page) {
        return Promise.all(page.map(function (doc) { return index.loadDocument(doc); }));
      }).then(function (docs) {
        if (mine !== generation) return;
        const matches = matcher(found.groups);
        docs.forEach(function (doc) { list.appendChild(resultItem(doc, matches)); });
        const firstNew = list.children[shown];
        shown += docs.length;
        more.hidden = shown >= found.results.length;
        if (!more.hidden) more.textContent = "Xem thêm kết quả (" + (found.results.length - shown).toLocaleString("vi-VN") + " kết quả nữa)";
        finish(found.query);
        return firstNew;
      });
    }

    // A result's picture, as every list shows one; a result without one is text only.
    function thumbnail(doc) {
      const link = element("a", "bt-result__thumb");
      link.href = siteBase + doc.url;
      link.tabIndex = -1;
      link.setAttribute("aria-hidden", "true");
      const picture = element("picture");
      const source = element("source");
      source.type = "image/webp";
      source.srcset = siteBase + doc.image.webp;
      const img = element("img");
      img.src = siteBase + doc.image.src;
      img.width = doc.image.width;
      img.height = doc.image.height;
      img.alt = "";
      img.loading = "lazy";
      picture.appendChild(source);
      picture.appendChild(img);
      link.appendChild(picture);
      return link;
    }

    function resultItem(doc, matches) {
      const item = element("li", "bt-result");
      if (doc.image) {
        item.classList.add("bt-result--picture");
        item.appendChild(thumbnail(doc));
      }
      const heading = element("h2", "bt-result__title");
      const link = element("a");
      link.href = siteBase + doc.url;
      link.appendChild(highlighted(doc.title, spans(doc.title, false), matches, 0, doc.title.length));
      heading.appendChild(link);
      item.appendChild(heading);
      const meta = element("p", "bt-result__meta");
      if (doc.kind === "ket-luan") {
        meta.appendChild(element("span", "bt-badge", doc.badge || "Kết luận"));
        meta.appendChild(document.createTextNode(" "));
      }
      meta.appendChild(document.createTextNode(doc.date + " · " + doc.unit));
      item.appendChild(meta);
      const words = spans(doc.text, false);
      const cut = snippet(words, doc.text, matches);
      const text = element("p", "bt-result__snippet");
      if (cut.before) text.appendChild(document.createTextNode("… "));
      text.appendChild(highlighted(doc.text, words, matches, cut.from, cut.to));
      if (cut.after) text.appendChild(document.createTextNode(" …"));
      item.appendChild(text);
      return item;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      writeUrl(true);
      run();
    });
    Object.keys(selects).forEach(function (name) {
      selects[name].addEventListener("change", function () {
        writeUrl(false);
        run();
      });
    });
    more.addEventListener("click", function () {
      showMore(generation).then(function (first) {
        const link = first && first.querySelector("a");
        if (link) link.focus();
      });
    });
    window.addEventListener("popstate", function () {
      readUrl();
      run();
    });
    readUrl();
    run();
  }

  // The page starts itself; a browser that cannot run the search says so instead of showing a dead page.
  function safeStart() {
    try {
      start();
      const fallback = document.querySelector("[data-bt-fallback]");
      if (fallback) fallback.remove();
    } catch (error) {
      cannotRun();
      throw error;
    }
  }

  function cannotRun() {
    const status = document.querySelector("[data-bt-status]");
    if (status) status.textContent = "Trình duyệt này chưa chạy được tìm kiếm của bản tin. Bạn vẫn có thể tra cứu theo đơn vị, chuyên mục hoặc lưu trữ.";
  }

  if (typeof document !== "undefined") {
    // Exposed for the browser tests, which check that the browser tokenizes as the indexer does.
    // `ranked` gives the first `count` results of a query as the page ranks them, or with every count fetched.
    window.bantinSearch = {
      parseQuery: parseQuery, spans: spans, makeToken: makeToken, fold: fold,
      ranked: function (query, count, exhaustive) {
        const form = document.querySelector("form[data-bt-search]");
        const options = { unit: "", kind: "", year: "", sort: "", exhaustive: exhaustive };
        return search(new Index(form.dataset.index), query, options).then(function (found) { return found.page(0, count); });
      },
      // The grams ([at, length]) each quoted phrase of four syllables or more is read by.
      plan: function (query) {
        const index = new Index(document.querySelector("form[data-bt-search]").dataset.index);
        return index.loadMeta().then(function (meta) {
          const long = parseQuery(query).filter(function (group) { return group.quoted && group.tokens.length > 3; });
          return Promise.all(long.map(function (group) {
            const phrase = { tokens: group.tokens };
            return planPhrase(index, meta, phrase).then(function () {
              return phrase.pieces.map(function (piece) { return [piece.at, piece.length]; });
            });
          }));
        });
      },
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", safeStart);
    else safeStart();
  }

  return {
    parseQuery: parseQuery, spans: spans, makeToken: makeToken, fold: fold, spelling: spelling, inflate: inflate,
    fnv1a: fnv1a, decodePostings: decodePostings, snippet: snippet, Reader: Reader, useNumberPattern: useNumberPattern,
    facets: facets, decodeDocs: decodeDocs, decodePositions: decodePositions, Index: Index, search: search,
    cover: cover,
  };
})();

export const {
  parseQuery, spans, makeToken, fold, spelling, inflate, fnv1a, decodePostings, snippet, Reader, useNumberPattern,
  facets, decodeDocs, decodePositions, Index, search, cover,
} = api;
