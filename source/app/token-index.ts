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
// Each bigram (two bytes) of the dictionary has the list of the tokens holding it (varint gaps), so a word of two
// bytes or more is looked for in the tokens of its rarest bigram only (at 50,000 bench events "ord-" compared
// 50,000 tokens instead of calling indexOf once per token over 4.4 MB, and "cu" is a bigram's list as it is).
// A word's records are then: the tokens containing it (its rarest bigram's tokens; a word that extends a recent
// one only looks in that one's tokens when they are fewer; one byte: one Buffer.indexOf loop over `dict`, a
// hit's token found from the token start offsets), their postings OR-ed into a bitmap (the bitmaps first: once
// they hold every record the lists are not read); several words: AND.
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
  /** Runs match's code once on the dictionary's own words (its results dropped, nothing kept): a key's first
   * match then runs compiled. */
  warm(): void;
  stats(): TokenIndexStats;
}

export interface TokenIndexOptions {
  /** Memory cap (bytes). */
  maxBytes?: number;
  /** The share of the indexed text its distinct tokens may take once `warmupBytes` of text was added. */
  maxDistinctShare?: number;
  warmupBytes?: number;
}

/** Whether the token index can decide this filter word (a string: the main thread's view of `indexable`,
 * before the word is UTF-8): it is not empty and holds none of the separators (`"`, tab, \n, \v, \f, \r,
 * space), which are ASCII, so a string holds one exactly when its UTF-8 bytes do. */
export function tokenIndexable(word: string): boolean {
  return word.length > 0 && !/["\t\n\v\f\r ]/.test(word);
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
  /** The dictionary's bigrams. Per two bytes (b1 << 8 | b2) their slot + 1 (0: in no token yet; a few thousand
   * bigrams occur, of 65,536, and a record that could make the slots run out is not taken: see add), and per
   * slot the tokens holding it, ascending, as the gaps between their numbers (t + 1 for the first) in 7-bit
   * varints (most gaps are a byte), its bytes used, how many tokens and the last one. A word of two bytes or more
   * is looked for in the tokens of its rarest bigram only (gramTokens). */
  const gramSlots = new Uint16Array(1 << 16);
  const MAX_GRAM_SLOTS = 0xffff;
  const gramLists: Uint8Array[] = [];
  let gramLengths: Uint32Array = new Uint32Array(256);
  let gramCounts: Uint32Array = new Uint32Array(256);
  let gramLasts = new Int32Array(256);
  let gramBytes = 0;
  /** How often each byte is in the dictionary: a word is looked for from its rarest byte on (see scanTokens). */
  const byteCounts = new Float64Array(256);
  /** The tokens recent words were found in (a word typed on looks only in those), newest last. */
  let recent: {word: Uint8Array; found: Uint32Array; tokensThen: number}[] = [];
  const RECENT = 4;
  /** The tokens warm() searches (the newest). */
  const WARM_TOKENS = 20000;

  const grow32 = (a: Uint32Array, need: number): Uint32Array => {
    if (need <= a.length) return a;
    const b = new Uint32Array(Math.max(need, a.length * 2));
    b.set(a);
    return b;
  };
  const tableBytes = () => dict.length + starts.length * 4 + hashes.length * 4 + counts.length * 4 + lasts.length * 4 + firsts.length * 4 + kinds.length + slots.length * 4;
  const memory = () => tableBytes() + postingBytes + postings.length * 8 + gramSlots.length * 2 + gramLengths.length * 12 + gramLists.length * 8 + gramBytes;

  /** The slot of bigram g, made when it is new. */
  function gramSlot(g: number): number {
    const s = gramSlots[g]!;
    if (s !== 0) return s - 1;
    const slot = gramLists.length;
    if (slot >= gramLengths.length) {
      gramLengths = grow32(gramLengths, slot + 1);
      gramCounts = grow32(gramCounts, slot + 1);
      const l = new Int32Array(gramLengths.length);
      l.set(gramLasts);
      gramLasts = l;
    }
    gramLists.push(new Uint8Array(8));
    gramBytes += 8 + ARRAY_OVERHEAD;
    gramLasts[slot] = -1;
    gramSlots[g] = slot + 1;
    return slot;
  }

  /** Token t holds the bigram g (tokens come in ascending order). */
  function postGram(g: number, t: number): void {
    const slot = gramSlot(g);
    if (gramLasts[slot] === t) return;
    let delta = t - gramLasts[slot]!;
    gramLasts[slot] = t;
    gramCounts[slot]!++;
    let list = gramLists[slot]!;
    let at = gramLengths[slot]!;
    if (at + 5 > list.length) {
      const grown = new Uint8Array(list.length * 2);
      grown.set(list);
      gramBytes += grown.length - list.length;
      gramLists[slot] = list = grown;
    }
    while (delta >= 0x80) {
      list[at++] = (delta & 0x7f) | 0x80;
      delta >>>= 7;
    }
    list[at++] = delta;
    gramLengths[slot] = at;
  }

  /** At most how many bigrams text[from..to) adds: its distinct byte pairs not seen yet. */
  function newGrams(text: Uint8Array, from: number, to: number): number {
    const seen = new Uint8Array(1 << 16);
    let n = 0;
    for (let j = from + 1; j < to; j++) {
      const g = (text[j - 1]! << 8) | text[j]!;
      if (gramSlots[g] === 0 && seen[g] === 0) {
        seen[g] = 1;
        n++;
      }
    }
    return n;
  }

  /** How many tokens hold bigram g. */
  const gramCount = (g: number): number => (gramSlots[g] === 0 ? 0 : gramCounts[gramSlots[g]! - 1]!);

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
    for (let j = from + 1; j < to; j++) postGram((text[j - 1]! << 8) | text[j]!, t);
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
    // Worst case a record adds its text to the dictionary and per token a slot, a start and a posting, per byte
    // a bigram (up to 5 bytes), and every table doubles.
    if (memory() + tableBytes() + length * 17 > maxBytes || (gramLists.length + length > MAX_GRAM_SLOTS && gramLists.length + newGrams(text, from, to) > MAX_GRAM_SLOTS) || (textBytes >= warmupBytes && dictLength > textBytes * maxDistinctShare)) {
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

  /** The word's rarest bigram (the one in fewest tokens); the word has two bytes at least. */
  function rarestGram(word: Uint8Array): number {
    let best = (word[0]! << 8) | word[1]!;
    for (let j = 2; j < word.length; j++) {
      const g = (word[j - 1]! << 8) | word[j]!;
      if (gramCount(g) < gramCount(best)) best = g;
    }
    return best;
  }

  /** The tokens (ascending) holding the word (two bytes at least), in tokens from..tokens-1: those of its rarest
   * bigram, each compared with the word unless it is that bigram. */
  function gramTokens(word: Uint8Array, from: number, out: number[]): void {
    const slot = gramSlots[rarestGram(word)]! - 1;
    if (slot < 0) return;
    const list = gramLists[slot]!;
    const end = gramLengths[slot]!;
    const exact = word.length === 2;
    let t = -1;
    let at = 0;
    while (at < end) {
      let delta = 0;
      let shift = 0;
      let b: number;
      do {
        b = list[at++]!;
        delta |= (b & 0x7f) << shift;
        shift += 7;
      } while (b >= 0x80);
      t += delta;
      if (t >= from && (exact || tokenHolds(t, word))) out.push(t);
    }
  }

  /** The tokens (ascending) holding the word, in tokens from..tokens-1: by its rarest bigram, or for one byte
   * from a search of the dictionary. */
  function searchTokens(word: Uint8Array, from: number, out: number[]): void {
    if (from >= tokens) return;
    if (word.length >= 2) gramTokens(word, from, out);
    else scanTokens(word, from, out);
  }

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

  /** The tokens of `found` that hold the word, pushed to out (in order). */
  function keepHolders(found: Uint32Array, word: Uint8Array, out: number[]): void {
    for (let k = 0; k < found.length; k++) if (tokenHolds(found[k]!, word)) out.push(found[k]!);
  }

  /** The tokens holding the word: from a recent word it extends when that one's tokens are fewer than its rarest
   * bigram's, else from its bigram's tokens (or for one byte, a search of the whole dictionary). */
  function tokensOf(word: Uint8Array): Uint32Array {
    let base: (typeof recent)[number] | null = null;
    for (const r of recent) if (startsWith(word, r.word) && (base === null || r.word.length > base.word.length)) base = r;
    if (base !== null && base.tokensThen === tokens && base.word.length === word.length) return base.found;
    const out: number[] = [];
    if (base !== null && base.word.length === word.length) {
      // The same word again, tokens added since: only those are searched.
      for (let k = 0; k < base.found.length; k++) out.push(base.found[k]!);
      searchTokens(word, base.tokensThen, out);
    } else if (base !== null && base.found.length < gramCount(rarestGram(word))) {
      // Its tokens are among the recent word's (the word has two bytes at least: it extends another).
      keepHolders(base.found, word, out);
      searchTokens(word, base.tokensThen, out);
    } else searchTokens(word, 0, out);
    const found = Uint32Array.from(out);
    recent = recent.filter((r) => !sameBytes(r.word, word));
    recent.push({word: Uint8Array.from(word), found, tokensThen: tokens});
    if (recent.length > RECENT) recent.shift();
    return found;
  }

  /** ORs the bitmaps of the dense tokens among `found` into bits; true when that set every record's bit (a
   * word in a token of every record, "cu" in "customer": its other tokens' postings cannot add one). */
  function orDense(found: Uint32Array, bits: Uint32Array, size: number): boolean {
    let any = false;
    for (let k = 0; k < found.length; k++) {
      const t = found[k]!;
      if (kinds[t] !== 2) continue;
      any = true;
      const map = postings[t]!;
      const n = Math.min(map.length, size);
      for (let j = 0; j < n; j++) bits[j]! |= map[j]!;
    }
    if (!any) return false;
    const whole = records >>> 5;
    for (let j = 0; j < whole; j++) if (bits[j] !== -1 >>> 0) return false;
    const tail = records & 31;
    return tail === 0 || (bits[whole]! & ((1 << tail) - 1)) === (1 << tail) - 1 >>> 0;
  }

  /** ORs the records of the sparse tokens among `found` (one inline, or a list) into bits. */
  function orSparse(found: Uint32Array, bits: Uint32Array): void {
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
      }
    }
  }

  function match(words: readonly Uint8Array[]): Uint32Array {
    const size = (records >>> 5) + 1;
    let result: Uint32Array | null = null;
    for (const word of words) {
      if (!indexable(word)) throw new Error('token index: the word holds a separator');
      const bits = new Uint32Array(size);
      const found = tokensOf(word);
      // The dense tokens' bitmaps first: when they hold every record, the lists cannot add one.
      if (!orDense(found, bits, size)) orSparse(found, bits);
      if (result === null) result = bits;
      else for (let j = 0; j < size; j++) result[j]! &= bits[j]!;
    }
    const out = result ?? new Uint32Array(size);
    // Bits past the last record (a bitmap's spare capacity holds none, but keep the contract exact).
    const tail = records & 31;
    out[size - 1]! &= tail === 0 ? 0 : (1 << tail) - 1;
    return out;
  }

  /** Runs match's loops over the newest WARM_TOKENS tokens of the dictionary, the results dropped (nothing is
   * kept, not even as a recent word): V8 compiles a loop once it has run often, and a key's first match ran
   * 3-5 times slower than the same match warm (bench "cu" at 50,000 records: 5.2 against 1.7 ms). The words
   * are common bytes of the dictionary and the bytes after them: many hits, so each loop (the search, the one
   * narrowed from a recent word, the postings) runs often. Changes no result. */
  function warm(): void {
    if (tokens === 0 || records === 0) return;
    const from = Math.max(0, tokens - WARM_TOKENS);
    const view = Buffer.from(dict.buffer, dict.byteOffset, dictLength);
    const common: number[] = [];
    for (let b = 0; b < 256; b++) if (byteCounts[b]! > 0 && separator[b] === 0) common.push(b);
    common.sort((a, b) => byteCounts[b]! - byteCounts[a]!);
    const size = (records >>> 5) + 1;
    const bits = new Uint32Array(size);
    for (const b of common.slice(0, 3)) {
      // b and the bytes after its first place among those tokens (up to 3, within the token).
      let end = view.indexOf(b, starts[from]!) + 1;
      const word = [b];
      while (word.length < 3 && end > 0 && end < dictLength && dict[end] !== SEPARATOR) word.push(dict[end++]!);
      const out: number[] = [];
      scanTokens(Uint8Array.from(word.slice(0, 1)), from, out);
      const found = Uint32Array.from(out);
      keepHolders(found, Uint8Array.from(word), []);
      if (word.length >= 2) gramTokens(Uint8Array.from(word), from, []);
      bits.fill(0);
      if (!orDense(found, bits, size)) orSparse(found, bits);
    }
  }

  return {
    add,
    warm,
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
