// The filter's token dictionary: which records hold a word, without reading their text again. Pure (no I/O);
// it runs in the search worker (app/spool-scanner.ts), which gives it each record's search text as it is
// appended to the spool's search file.
// A record's search text is split into tokens at the bytes `"` and ASCII whitespace (tab, \n, \v, \f, \r,
// space). A filter word never holds whitespace (domain/failed-event.ts filterWords splits the text at \s+), so a
// word without `"` is in a record exactly when it is a substring of one of that record's tokens: it cannot run
// across a separator. ASCII bytes never occur inside a UTF-8 multi-byte sequence, so splitting bytes is safe.
// Splitting at spaces as well as at `"` (JSON's strings) keeps error messages and stack frames, which are
// words and numbers, from being one distinct token per record: their words repeat, only their numbers differ.
// Each distinct token is kept once (`dict`: the tokens one after another, each followed by \n, which no word
// holds, so a hit in `dict` lies inside one token), with the records holding it (its postings: the first one
// inline, then a growing list, and a bitmap of the records once the token is in more than 1/32 of them).
// A word's records are then: the tokens containing it (one Buffer.indexOf loop over `dict`, a hit's token found
// from the token start offsets; a word that extends a recent one only looks in that one's tokens), their
// postings OR-ed into a bitmap; several words: AND.
// The dictionary stops taking records (full: later records are searched in the file, as before) when its memory
// passes `maxBytes`, or when its distinct text stays more than `maxDistinctShare` of the text indexed (unique
// blobs: base64, random ids; an index as big as the text saves little and costs its memory).
// Written as one self-contained function (no imports, no outer names) because the worker is a string: its
// source is the function's own text (spool-scanner.ts puts `createTokenIndex.toString()` in it).

export interface TokenIndexStats {
  /** Records added (the last one's number + 1: records below it are decided by `match`). */
  records: number;
  tokens: number;
  /** Bytes of the distinct tokens (with their separators). */
  dictBytes: number;
  /** Bytes of search text added. */
  textBytes: number;
  /** Memory held: the dictionary, its tables and the postings (typed arrays' capacity). */
  bytes: number;
  full: boolean;
}

export interface TokenIndex {
  /** Adds record `record` (above every record added before), its search text the bytes from..to of `text`.
   * False when the dictionary is full: neither it nor any later record is added. */
  add(record: number, text: Uint8Array, from?: number, to?: number): boolean;
  /** Records 0..records-1 are decided by `match` (1 + the last record added). */
  readonly records: number;
  readonly full: boolean;
  /** Whether `match` can decide this word (lower-cased UTF-8 bytes): it holds no separator. */
  indexable(word: Uint8Array): boolean;
  /** The records below `records` that hold every word (each indexable), as a bitmap: record r is bit r & 31 of
   * word r >>> 5. */
  match(words: readonly Uint8Array[]): Uint32Array;
  stats(): TokenIndexStats;
}

export interface TokenIndexOptions {
  /** Memory cap (bytes). */
  maxBytes?: number;
  /** The share of the indexed text its distinct tokens may take once `warmupBytes` of text was added. */
  maxDistinctShare?: number;
  warmupBytes?: number;
}

export function createTokenIndex(options: TokenIndexOptions = {}): TokenIndex {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxDistinctShare = options.maxDistinctShare ?? 0.5;
  const warmupBytes = options.warmupBytes ?? 4 * 1024 * 1024;
  /** A posting list becomes a bitmap when its token is in more than 1/DENSE of the records. */
  const DENSE = 32;
  /** Rough bytes of one typed array's objects (the view and its buffer), counted in `bytes`. */
  const ARRAY_OVERHEAD = 96;
  const SEPARATOR = 0x0a;
  const separator = new Uint8Array(256);
  for (const b of [0x22, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) separator[b] = 1;

  let dict = new Uint8Array(1 << 16);
  let dictLength = 0;
  /** Token t is dict[starts[t] .. starts[t + 1] - 1) (then its separator); starts[tokens] = dictLength. */
  let starts: Uint32Array = new Uint32Array(1 << 12);
  let tokens = 0;
  let hashes = new Uint32Array(1 << 12);
  /** Per token: how many records hold it, the last one that did, the first one (inline), and 0 (only the
   * first), 1 (a list in postings[t], count long) or 2 (a bitmap in postings[t]). */
  let counts = new Uint32Array(1 << 12);
  let lasts = new Int32Array(1 << 12);
  let firsts = new Uint32Array(1 << 12);
  let kinds = new Uint8Array(1 << 12);
  const postings: (Uint32Array | null)[] = [];
  let postingBytes = 0;
  /** Open addressing: token numbers + 1 (0: empty), by hash. */
  let slots = new Int32Array(1 << 13);
  let records = 0;
  let textBytes = 0;
  let full = false;
  /** How often each byte is in the dictionary: a word is looked for from its rarest byte on (see scanTokens). */
  const byteCounts = new Float64Array(256);
  /** The tokens recent words were found in (a word typed on looks only in those), newest last. */
  let recent: {word: Uint8Array; found: Uint32Array; tokensThen: number}[] = [];
  const RECENT = 4;

  const grow32 = (a: Uint32Array, need: number): Uint32Array => {
    if (need <= a.length) return a;
    const b = new Uint32Array(Math.max(need, a.length * 2));
    b.set(a);
    return b;
  };
  const tableBytes = () => dict.length + starts.length * 4 + hashes.length * 4 + counts.length * 4 + lasts.length * 4 + firsts.length * 4 + kinds.length + slots.length * 4;
  const memory = () => tableBytes() + postingBytes + postings.length * 8;

  function growTokens(): void {
    const size = counts.length * 2;
    const grown32 = (a: Uint32Array) => {
      const b = new Uint32Array(size);
      b.set(a);
      return b;
    };
    hashes = grown32(hashes);
    counts = grown32(counts);
    firsts = grown32(firsts);
    const l = new Int32Array(size);
    l.set(lasts);
    lasts = l;
    const k = new Uint8Array(size);
    k.set(kinds);
    kinds = k;
  }

  function rehash(): void {
    slots = new Int32Array(slots.length * 2);
    const mask = slots.length - 1;
    for (let t = 0; t < tokens; t++) {
      let i = hashes[t]! & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = t + 1;
    }
  }

  /** The token of text[from..to) (hash h), added when new. */
  function intern(text: Uint8Array, from: number, to: number, h: number): number {
    const mask = slots.length - 1;
    const length = to - from;
    let i = h & mask;
    for (;;) {
      const s = slots[i]!;
      if (s === 0) break;
      const t = s - 1;
      if (hashes[t] === h) {
        const start = starts[t]!;
        if (starts[t + 1]! - 1 - start === length) {
          let j = 0;
          while (j < length && dict[start + j] === text[from + j]) j++;
          if (j === length) return t;
        }
      }
      i = (i + 1) & mask;
    }
    const t = tokens++;
    if (tokens + 1 > starts.length) starts = grow32(starts, tokens + 1);
    if (tokens > counts.length) growTokens();
    if (dictLength + length + 1 > dict.length) {
      // By half again (not twice): the dictionary is the biggest table, and its spare room is memory held.
      const d = new Uint8Array(Math.max(dictLength + length + 1, Math.floor(dict.length * 1.5)));
      d.set(dict.subarray(0, dictLength));
      dict = d;
    }
    dict.set(text.subarray(from, to), dictLength);
    for (let j = from; j < to; j++) byteCounts[text[j]!]! += 1;
    dictLength += length;
    dict[dictLength++] = SEPARATOR;
    starts[t] = dictLength - length - 1;
    starts[t + 1] = dictLength;
    hashes[t] = h;
    counts[t] = 0;
    lasts[t] = -1;
    kinds[t] = 0;
    postings.push(null);
    slots[i] = t + 1;
    if (tokens * 2 > slots.length) rehash();
    return t;
  }

  function post(t: number, record: number): void {
    if (lasts[t] === record) return;
    lasts[t] = record;
    const count = ++counts[t]!;
    if (count === 1) {
      firsts[t] = record;
      return;
    }
    const kind = kinds[t];
    if (kind === 2) {
      let bits = postings[t]!;
      const w = record >>> 5;
      if (w >= bits.length) {
        postingBytes -= bits.length * 4;
        bits = grow32(bits, w + 1);
        postingBytes += bits.length * 4;
        postings[t] = bits;
      }
      bits[w]! |= 1 << (record & 31);
      return;
    }
    if (kind === 0) {
      const list = new Uint32Array(4);
      list[0] = firsts[t]!;
      list[1] = record;
      postings[t] = list;
      kinds[t] = 1;
      postingBytes += 16 + ARRAY_OVERHEAD;
      return;
    }
    let list = postings[t]!;
    if (count * DENSE > record + 1 && count > 8) {
      // Dense: a bitmap of the records (as many bytes as record / 8) beats a list of 4 bytes each.
      const bits = new Uint32Array(((record + 1) >>> 5) + 1 + (record >>> 7));
      for (let k = 0; k < count - 1; k++) bits[list[k]! >>> 5]! |= 1 << (list[k]! & 31);
      bits[record >>> 5]! |= 1 << (record & 31);
      postingBytes += bits.length * 4 - list.length * 4;
      postings[t] = bits;
      kinds[t] = 2;
      return;
    }
    if (count > list.length) {
      postingBytes -= list.length * 4;
      list = grow32(list, count);
      postingBytes += list.length * 4;
      postings[t] = list;
    }
    list[count - 1] = record;
  }

  function add(record: number, text: Uint8Array, from = 0, to = text.length): boolean {
    if (full) return false;
    if (record < records) throw new Error('token index: records must be added in ascending order');
    const length = to - from;
    // Worst case a record adds its text to the dictionary and per token a slot, a start and a posting, and every
    // table doubles.
    if (memory() + tableBytes() + length * 12 > maxBytes || (textBytes >= warmupBytes && dictLength > textBytes * maxDistinctShare)) {
      full = true;
      return false;
    }
    let i = from;
    while (i < to) {
      if (separator[text[i]!] === 1) {
        i++;
        continue;
      }
      let j = i;
      let h = 0x811c9dc5;
      while (j < to) {
        const b = text[j]!;
        if (separator[b] === 1) break;
        h = Math.imul(h ^ b, 0x01000193);
        j++;
      }
      post(intern(text, i, j, h >>> 0), record);
      i = j + 1;
    }
    records = record + 1;
    textBytes += length;
    return true;
  }

  function indexable(word: Uint8Array): boolean {
    if (word.length === 0) return false;
    for (let i = 0; i < word.length; i++) if (separator[word[i]!] === 1) return false;
    return true;
  }

  /** The token holding dict offset `at`, at or after token `t` (the hits come in order: gallop, then halve). */
  function tokenAt(at: number, t: number): number {
    if (starts[t + 1]! > at) return t;
    let step = 1;
    let lo = t + 1;
    while (lo + step < tokens && starts[lo + step]! <= at) {
      lo += step;
      step *= 2;
    }
    let hi = Math.min(tokens - 1, lo + step);
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Whether token t holds the word (bytes compared here: tokens are short). */
  function tokenHolds(t: number, word: Uint8Array): boolean {
    const start = starts[t]!;
    const last = starts[t + 1]! - 1 - word.length;
    const first = word[0]!;
    for (let p = start; p <= last; p++) {
      if (dict[p] !== first) continue;
      let j = 1;
      while (j < word.length && dict[p + j] === word[j]) j++;
      if (j === word.length) return true;
    }
    return false;
  }

  const startsWith = (word: Uint8Array, prefix: Uint8Array): boolean => {
    if (prefix.length > word.length) return false;
    for (let i = 0; i < prefix.length; i++) if (word[i] !== prefix[i]) return false;
    return true;
  };
  const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && startsWith(a, b);

  /** The tokens (ascending) holding the word, in tokens from..tokens-1 of the dictionary. indexOf stops at each
   * place of the needle's first byte: the needle is the word from its rarest byte (in the dictionary) on, and
   * the bytes before it are compared at each hit ("cu" is looked for as "u" then "c" before it: every request id
   * of the bench holds a "c"). */
  function scanTokens(word: Uint8Array, from: number, out: number[]): void {
    if (from >= tokens) return;
    const view = Buffer.from(dict.buffer, dict.byteOffset, dictLength);
    let skip = 0;
    for (let j = 1; j < word.length; j++) if (byteCounts[word[j]!]! < byteCounts[word[skip]!]!) skip = j;
    const needle = skip === 0 ? word : word.subarray(skip);
    let t = from;
    const first = starts[from]!;
    let at = first + skip;
    while (at < dictLength) {
      const hit = view.indexOf(needle, at);
      if (hit === -1) break;
      const start = hit - skip;
      if (skip > 0) {
        // The bytes before the needle: a separator there (the hit too near its token's start) differs from the word.
        let j = 0;
        while (j < skip && dict[start + j] === word[j]) j++;
        if (j < skip) {
          at = hit + 1;
          continue;
        }
      }
      t = tokenAt(start, t);
      out.push(t);
      t++;
      if (t >= tokens) break;
      at = starts[t]! + skip;
    }
  }

  const bytesOf = (found: Uint32Array): number => {
    let n = 0;
    for (let k = 0; k < found.length; k++) n += starts[found[k]! + 1]! - starts[found[k]!]!;
    return n;
  };

  /** The tokens holding the word: from a recent word it extends when that one's tokens are few, else from a
   * search of the whole dictionary. */
  function tokensOf(word: Uint8Array): Uint32Array {
    let base: (typeof recent)[number] | null = null;
    for (const r of recent) if (startsWith(word, r.word) && (base === null || r.word.length > base.word.length)) base = r;
    if (base !== null && base.tokensThen === tokens && base.word.length === word.length) return base.found;
    const out: number[] = [];
    if (base !== null && base.word.length === word.length) {
      // The same word again, tokens added since: only those are searched.
      for (let k = 0; k < base.found.length; k++) out.push(base.found[k]!);
      scanTokens(word, base.tokensThen, out);
    } else if (base !== null && bytesOf(base.found) * 2 < dictLength) {
      // The bytes compared here cost more than indexOf's, but a hit there costs a call per token: narrowed when
      // the tokens to compare hold less than half the dictionary.
      for (let k = 0; k < base.found.length; k++) if (tokenHolds(base.found[k]!, word)) out.push(base.found[k]!);
      scanTokens(word, base.tokensThen, out);
    } else scanTokens(word, 0, out);
    const found = Uint32Array.from(out);
    recent = recent.filter((r) => !sameBytes(r.word, word));
    recent.push({word: Uint8Array.from(word), found, tokensThen: tokens});
    if (recent.length > RECENT) recent.shift();
    return found;
  }

  function match(words: readonly Uint8Array[]): Uint32Array {
    const size = (records >>> 5) + 1;
    let result: Uint32Array | null = null;
    for (const word of words) {
      if (!indexable(word)) throw new Error('token index: the word holds a separator');
      const bits = new Uint32Array(size);
      const found = tokensOf(word);
      for (let k = 0; k < found.length; k++) {
        const t = found[k]!;
        const kind = kinds[t];
        if (kind === 0) {
          const r = firsts[t]!;
          if (r < records) bits[r >>> 5]! |= 1 << (r & 31);
        } else if (kind === 1) {
          const list = postings[t]!;
          const n = counts[t]!;
          for (let j = 0; j < n; j++) {
            const r = list[j]!;
            if (r < records) bits[r >>> 5]! |= 1 << (r & 31);
          }
        } else {
          const map = postings[t]!;
          const n = Math.min(map.length, size);
          for (let j = 0; j < n; j++) bits[j]! |= map[j]!;
        }
      }
      if (result === null) result = bits;
      else for (let j = 0; j < size; j++) result[j]! &= bits[j]!;
    }
    const out = result ?? new Uint32Array(size);
    // Bits past the last record (a bitmap's spare capacity holds none, but keep the contract exact).
    const tail = records & 31;
    out[size - 1]! &= tail === 0 ? 0 : (1 << tail) - 1;
    return out;
  }

  return {
    add,
    get records() {
      return records;
    },
    get full() {
      return full;
    },
    indexable,
    match,
    stats: () => ({records, tokens, dictBytes: dictLength, textBytes, bytes: memory(), full}),
  };
}
