import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createTokenIndex, tokenIndexable, type TokenIndex} from '../../../source/app/token-index.ts';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** The records of `texts` (below index.records) holding every word, by the bitmap `match` gives. */
function matched(index: TokenIndex, words: readonly string[]): number[] {
  const bits = index.match(words.map(utf8));
  const out: number[] = [];
  for (let r = 0; r < bits.length * 32; r++) if ((bits[r >>> 5]! >>> (r & 31)) & 1) out.push(r);
  return out;
}

/** What a naive search finds: the records whose bytes include every word's. */
function naive(texts: readonly string[], words: readonly string[], upTo = texts.length): number[] {
  const out: number[] = [];
  for (let r = 0; r < upTo; r++) if (words.every((w) => utf8(texts[r]!).includes(utf8(w)))) out.push(r);
  return out;
}

/** A small seeded generator (the same texts every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ['a', 'b', 'c', 'ab', '"', ' ', '\n', '\t', ':', ',', '{', '}', '-', '1', '2', 'é', 'ü', '😀', 'ß', '\r', 'x'];

function randomText(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

/** Every substring of the texts' words up to `max` characters, without separators (what a user could type). */
function wordsOf(texts: readonly string[], max: number, limit: number, next: () => number): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const token of text.split(/["\s]+/)) {
      const chars = [...token];
      for (let i = 0; i < chars.length && words.size < limit; i++) {
        const len = 1 + Math.floor(next() * Math.min(max, chars.length - i));
        words.add(chars.slice(i, i + len).join(''));
      }
    }
  }
  return [...words];
}

test('a word without separators matches exactly the records whose text includes it (random texts, multi-byte UTF-8)', () => {
  const next = random(7);
  const texts = Array.from({length: 400}, () => randomText(next, 5 + Math.floor(next() * 60)));
  const index = createTokenIndex();
  texts.forEach((t, r) => assert.equal(index.add(r, utf8(t)), true));
  assert.equal(index.records, texts.length);
  const words = [...wordsOf(texts, 6, 600, next), 'zz', 'abab', '😀😀', 'é1', 'ab-12', 'ß:'];
  for (const word of words) {
    assert.equal(index.indexable(utf8(word)), true, word);
    assert.deepEqual(matched(index, [word]), naive(texts, [word]), JSON.stringify(word));
  }
  // Several words: every one of them.
  for (let k = 0; k + 1 < 200; k += 2) assert.deepEqual(matched(index, [words[k]!, words[k + 1]!]), naive(texts, [words[k]!, words[k + 1]!]));
});

test('words typed on one key at a time (each extending the last) match exactly, also while records are added between keys', () => {
  const next = random(11);
  const texts = Array.from({length: 3000}, (_, i) => JSON.stringify({id: `cust-${i % 97}`, sku: `SKU-${(i * 7) % 1000}`, note: randomText(next, 12), order: `ord-${String(i).padStart(8, '0')}`}).toLowerCase());
  const index = createTokenIndex();
  let added = 0;
  const addUpTo = (n: number) => {
    for (; added < n; added++) assert.equal(index.add(added, utf8(texts[added]!)), true);
  };
  addUpTo(1000);
  for (const query of ['cust-42', 'sku-77', 'ord-0000123', 'ab', 'é😀']) {
    for (let i = 1; i <= query.length; i++) {
      const word = query.slice(0, i);
      assert.deepEqual(matched(index, [word]), naive(texts, [word], added), `${word} at ${added}`);
      addUpTo(Math.min(texts.length, added + 137));
      // The same word again after records were added: the new tokens are searched too.
      assert.deepEqual(matched(index, [word]), naive(texts, [word], added), `${word} again at ${added}`);
    }
    // Backspace: a shorter word (not an extension of the last one).
    assert.deepEqual(matched(index, [query.slice(0, 2)]), naive(texts, [query.slice(0, 2)], added));
  }
});

test('a word holding a separator is not indexable; a word spanning tokens is not a token match', () => {
  const index = createTokenIndex();
  const texts = ['{"a":"b c"}', 'x\ny', 'p"q', 'tab\there'];
  texts.forEach((t, r) => index.add(r, utf8(t)));
  for (const word of ['a":"b', 'b c', 'x\ny', 'p"q', 'tab\there', '"', ' ', '']) assert.equal(index.indexable(utf8(word)), false, JSON.stringify(word));
  // "y" and "p" are in different records' tokens; ":" is the token between two strings.
  assert.deepEqual(matched(index, [':']), [0]);
  assert.deepEqual(matched(index, ['xy']), []);
  assert.deepEqual(matched(index, ['q']), [2]);
  assert.deepEqual(matched(index, ['here']), [3]);
  assert.throws(() => index.match([utf8('b c')]));
});

test('a token in many records switches to a bitmap and still matches exactly; record numbers may skip', () => {
  const index = createTokenIndex();
  const texts: string[] = [];
  for (let r = 0; r < 5000; r++) {
    // Some record numbers are never added (their text could not be spooled): they match nothing.
    texts.push(r % 10 === 3 ? '' : `common ${r % 3 === 0 ? 'three' : 'other'} r${r} ${r % 40 === 0 ? 'rare' : ''}`);
    if (texts[r] !== '') index.add(r, utf8(texts[r]!));
  }
  for (const word of ['common', 'three', 'othe', 'rare', 'r4999', 'r10', 'r3', 'e']) assert.deepEqual(matched(index, [word]), naive(texts, [word]), word);
  assert.deepEqual(matched(index, ['three', 'rare']), naive(texts, ['three', 'rare']));
  assert.ok(index.stats().tokens < 5020);
});

test('a word looked for from its rarest byte: the bytes before it are checked, never across a separator', () => {
  const index = createTokenIndex();
  // "c" is far more common than "u" in the dictionary: "cu" is looked for as "u", then "c" before it.
  for (const [r, text] of ['cccc ccc cc u', 'c\nu c"u', 'xcu', 'uc cuu'].entries()) index.add(r, utf8(text));
  assert.deepEqual(matched(index, ['cu']), [2, 3]);
  assert.deepEqual(matched(index, ['ccu']), []);
  assert.deepEqual(matched(index, ['xcu']), [2]);
  assert.deepEqual(matched(index, ['cuu']), [3]);
  assert.deepEqual(matched(index, ['u']), [0, 1, 2, 3]);
});

test('words of one to four bytes (by their rarest bigram, a two-byte word by its bigram alone) match exactly: random dictionaries of many tokens, upper and lower case, multi-byte UTF-8', () => {
  // A small alphabet with case and multi-byte characters: bigrams shared by thousands of tokens, so a word's
  // rarest bigram is a real choice; the index compares bytes, so "Ab" and "ab" are different words.
  const letters = ['a', 'b', 'A', 'B', '0', '1', '-', 'é', 'É', '😀', 'ü', 'z'];
  for (const seed of [1, 2, 3]) {
    const next = random(seed);
    const token = () => Array.from({length: 1 + Math.floor(next() * 7)}, () => letters[Math.floor(next() * letters.length)]).join('');
    const texts = Array.from({length: 1500}, () => Array.from({length: 1 + Math.floor(next() * 8)}, token).join(next() < 0.5 ? ' ' : '"'));
    const index = createTokenIndex();
    const words = new Set<string>(['a', 'A', 'é', '😀', 'ab', 'aB', 'Ab', 'éé', 'é😀', '0-', '-0', 'zz', 'a0-b', 'ÉÉÉ', 'üz']);
    for (let i = 0; i < 300; i++) {
      const chars = [...token()];
      const from = Math.floor(next() * chars.length);
      words.add(chars.slice(from, from + 1 + Math.floor(next() * 4)).join(''));
    }
    let added = 0;
    // Records added between rounds of words: the tokens added since a word was last searched are searched too.
    for (const upTo of [500, 501, 1000, 1500]) {
      for (; added < upTo; added++) assert.equal(index.add(added, utf8(texts[added]!)), true);
      for (const word of words) assert.deepEqual(matched(index, [word]), naive(texts, [word], added), `${JSON.stringify(word)} at ${added} (seed ${seed})`);
    }
    const list = [...words];
    for (let k = 0; k + 1 < list.length; k += 7) assert.deepEqual(matched(index, [list[k]!, list[k + 1]!]), naive(texts, [list[k]!, list[k + 1]!]));
  }
});

test('a word in a token of every record (its bitmap sets every bit) is in every record, whatever else holds it; short of every record its lists are read', () => {
  const index = createTokenIndex();
  const texts: string[] = [];
  // Record 1000 (in one of the bitmaps' whole words of 32 records) holds "sharex", not "shared"; record 1999 (in
  // the last, partial word) holds "commonx", not "common": "shar" and "comm" are in every record, only through
  // the dense token and the one-record token together.
  for (let r = 0; r < 2000; r++) texts.push(`customer cust-${r % 97} ${r === 1000 ? 'sharex' : 'shared'} ${r === 1999 ? 'commonx' : 'common'} x${r}`);
  texts.forEach((t, r) => index.add(r, utf8(t)));
  // "cu": "customer" is in every record (a bitmap); "cust-N" tokens are lists.
  for (const word of ['cu', 'cus', 'cust', 'cust-', 'cust-4', 'shared', 'ha', 'x1', 'shar', 'sharex', 'comm', 'commonx']) assert.deepEqual(matched(index, [word]), naive(texts, [word]), word);
  assert.equal(matched(index, ['shared']).length, 1999);
  assert.equal(matched(index, ['shar']).length, 2000);
  assert.equal(matched(index, ['comm']).length, 2000);
  // A partial bitmap and sparse tokens together: "s" is in "shared" (not every record) and in "customer".
  assert.deepEqual(matched(index, ['s']), naive(texts, ['s']));
});

test('warm runs the search and changes no result, nor what a word typed on is narrowed from', () => {
  const next = random(5);
  const texts = Array.from({length: 2500}, (_, i) => JSON.stringify({id: `cust-${i % 97}`, order: `ord-${String(i).padStart(8, '0')}`, note: randomText(next, 10)}).toLowerCase());
  const index = createTokenIndex();
  index.warm(); // nothing indexed yet: nothing to do
  texts.slice(0, 2000).forEach((t, r) => index.add(r, utf8(t)));
  const before = ['c', 'cu', 'cust-4', 'ord-000', 'ab'].map((w) => matched(index, [w]));
  assert.deepEqual(matched(index, ['cust']), naive(texts, ['cust'], 2000));
  index.warm();
  // Typed on after the warm-up: narrowed from "cust" as before.
  assert.deepEqual(matched(index, ['cust-']), naive(texts, ['cust-'], 2000));
  texts.slice(2000).forEach((t, r) => index.add(2000 + r, utf8(t)));
  index.warm();
  assert.deepEqual(matched(index, ['cust-1']), naive(texts, ['cust-1']));
  assert.deepEqual(['c', 'cu', 'cust-4', 'ord-000', 'ab'].map((w) => matched(index, [w]).filter((r) => r < 2000)), before);
});

test('tokenIndexable (a string) says what indexable says of its UTF-8 bytes', () => {
  const index = createTokenIndex();
  const words = ['', 'a', 'cust-42', '"', 'a"b', 'é😀', 'x\u00a0y'];
  for (let c = 0; c < 128; c++) words.push(`a${String.fromCharCode(c)}b`, String.fromCharCode(c));
  for (const word of words) assert.equal(tokenIndexable(word), index.indexable(utf8(word)), JSON.stringify(word));
});

test('records come in ascending order only', () => {
  const index = createTokenIndex();
  index.add(5, utf8('a'));
  assert.throws(() => index.add(4, utf8('b')));
  assert.equal(index.records, 6);
});

test('over its memory cap, or with distinct text past its share, the index takes no more records (and says so)', () => {
  const capped = createTokenIndex({maxBytes: 600_000});
  let r = 0;
  while (capped.add(r, utf8(`shared words here ${r}`))) r++;
  assert.ok(r > 100, `${r} records`);
  assert.equal(capped.full, true);
  assert.equal(capped.records, r);
  assert.equal(capped.add(r + 1, utf8('small')), false);
  assert.ok(capped.stats().bytes <= 600_000, `${capped.stats().bytes} bytes`);
  // What it holds still matches exactly (records 0..r-1).
  const texts = Array.from({length: r}, (_, i) => `shared words here ${i}`);
  for (const word of ['here', '12', '999']) assert.deepEqual(matched(capped, [word]), naive(texts, [word]));

  // Unique blobs (base64 of random bytes): the distinct text passes half the text indexed after the warm-up.
  const next = random(3);
  const blobs = createTokenIndex({warmupBytes: 100_000});
  let b = 0;
  const blobTexts: string[] = [];
  for (; b < 10_000; b++) {
    const blob = Buffer.from(Array.from({length: 300}, () => Math.floor(next() * 256))).toString('base64');
    blobTexts.push(`{"id":"${b}","data":"${blob.toLowerCase()}"}`);
    if (!blobs.add(b, utf8(blobTexts[b]!))) break;
  }
  assert.equal(blobs.full, true);
  assert.ok(b < 1000, `${b} blob records`);
  const stats = blobs.stats();
  assert.ok(stats.textBytes >= 100_000 && stats.dictBytes > stats.textBytes * 0.5);
  for (const word of ['data', blobTexts[5]!.slice(30, 36), 'id']) assert.deepEqual(matched(blobs, [word]), naive(blobTexts, [word], blobs.records));
});

test('a very long token is found by any part of it', () => {
  const index = createTokenIndex();
  const long = 'k'.repeat(100_000) + 'needle' + 'z'.repeat(50_000);
  index.add(0, utf8(`short ${long} end`));
  index.add(1, utf8('needle'));
  index.add(2, utf8('kkz'));
  assert.deepEqual(matched(index, ['needle']), [0, 1]);
  assert.deepEqual(matched(index, ['kneedlez']), [0]);
  assert.deepEqual(matched(index, ['kkz']), [2]);
  assert.deepEqual(matched(index, ['needlezz']), [0]);
});

test('its source is self-contained: the worker evaluates createTokenIndex.toString() on its own', () => {
  const make = new Function(`const __name = (f) => f; return (${createTokenIndex.toString()});`)() as typeof createTokenIndex;
  const index = make();
  index.add(0, utf8('{"customer":"cust-42"}'));
  index.add(1, utf8('{"customer":"cust-7"}'));
  assert.deepEqual(matched(index, ['cust-4']), [0]);
});
