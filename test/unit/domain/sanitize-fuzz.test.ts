// Property tests for the sanitiser over a seeded generator of hostile strings. Deterministic: a failure names
// its seed and case number and reproduces.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sanitizeText, sanitizeLine} from '../../../source/domain/sanitize.ts';
import {displayWidth} from '../../../source/domain/width.ts';
import {createRandom} from '../../../source/sim/random.ts';

/** No lone surrogates (String.prototype.isWellFormed is ES2024, beyond our tsconfig lib). */
const isWellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);


const mulberry32 = (seed: number): (() => number) => createRandom(seed).next;

const pick = <T,>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

const SAFE_PIECES = ['hello', ' ', 'order-42', '{"k":"v"}', '注文', '한국', 'Ünï', '🚀', '👍🏽', '👩\u200d💻', '🇫🇷', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'e\u0301', '❤️', '1️⃣', 'مرحبا'];
const SEQUENCES = [
  '\x1b[31m', '\x1b[0m', '\x1b[2J', '\x1b[?1049h', '\x1b[6n', '\x1bc', '\x1b7', '\x1b(0',
  '\x1b]8;;https://evil.example/\x1b\\', '\x1b]8;;\x07', '\x1b]52;c;cm0gLXJmIH4K\x07', '\x1b]0;title\x1b\\',
  '\x1bP$q"p\x1b\\', '\x1b_Gf=100;AAAA\x1b\\', '\x1b^pm\x1b\\', '\x1bXsos\x1b\\', '\x9b31m', '\x9d0;x\x9c',
  '\r\n', '\t', '\n', '\r',
];
const BIDI_AND_INVISIBLE = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f,
  0x061c, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x00ad, 0x180e, 0x2028, 0x2029];

function hostile(rand: () => number): string {
  const parts: string[] = [];
  const n = int(rand, 0, 40);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.2) parts.push(pick(rand, SAFE_PIECES));
    else if (r < 0.35) parts.push(pick(rand, SEQUENCES));
    else if (r < 0.45) parts.push(String.fromCharCode(int(rand, 0, 0x1f)));
    else if (r < 0.5) parts.push(String.fromCharCode(int(rand, 0x7f, 0x9f)));
    else if (r < 0.6) parts.push(String.fromCharCode(pick(rand, BIDI_AND_INVISIBLE)));
    else if (r < 0.65) parts.push(String.fromCodePoint(int(rand, 0xe0000, 0xe007f)));
    else if (r < 0.72) parts.push(String.fromCharCode(int(rand, 0xd800, 0xdfff))); // lone surrogate halves
    else if (r < 0.85) parts.push(String.fromCharCode(int(rand, 0, 0xffff))); // any code unit at all
    else if (r < 0.95) parts.push(String.fromCodePoint(int(rand, 0x10000, 0x10ffff)));
    else parts.push(pick(rand, SAFE_PIECES).repeat(int(rand, 1, 200)));
  }
  return parts.join('');
}

const FORBIDDEN_ALWAYS = new Set([0x7f, 0x061c, 0x200b, 0x200c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
  0x2066, 0x2067, 0x2068, 0x2069, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x00ad, 0x180e, 0x2028, 0x2029]);
const PICTO = /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}\uFE0F]/u;

/** Returns a description of the first forbidden code unit, or null. */
function violation(out: string, multiline: boolean): string | null {
  if (!isWellFormed(out)) return 'lone surrogate';
  const cps = Array.from(out);
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!.codePointAt(0)!;
    if (cp < 0x20 && !(multiline && cp === 0x0a)) return `C0 ${cp.toString(16)}`;
    if (cp >= 0x80 && cp <= 0x9f) return `C1 ${cp.toString(16)}`;
    if (FORBIDDEN_ALWAYS.has(cp)) return `format char ${cp.toString(16)}`;
    if (cp === 0x200d && !(i > 0 && PICTO.test(cps[i - 1]!) && i + 1 < cps.length && PICTO.test(cps[i + 1]!))) return 'stray ZWJ';
    if (cp >= 0xe0000 && cp <= 0xe007f) {
      // only inside 🏴 + tags + cancel tag
      let j = i;
      while (j > 0 && cps[j - 1]!.codePointAt(0)! >= 0xe0000 && cps[j - 1]!.codePointAt(0)! <= 0xe007f) j--;
      if (j === 0 || cps[j - 1] !== '🏴') return 'stray tag character';
    }
  }
  return null;
}

test('fuzz: no controls, bidi, invisible or invalid UTF-16 survive; sanitising is idempotent', () => {
  const rand = mulberry32(0x5eed);
  for (let c = 0; c < 4000; c++) {
    const input = hostile(rand);
    for (const multiline of [false, true]) {
      const out = sanitizeText(input, {multiline});
      const bad = violation(out, multiline);
      assert.equal(bad, null, `case ${c} multiline=${multiline}: ${bad} in ${JSON.stringify(out)} from ${JSON.stringify(input)}`);
      assert.equal(sanitizeText(out, {multiline}), out, `case ${c}: not idempotent for ${JSON.stringify(input)}`);
    }
  }
});

test('fuzz: maxLength is respected and the capped output is itself stable', () => {
  const rand = mulberry32(0xcafe);
  for (let c = 0; c < 1500; c++) {
    const input = hostile(rand);
    const maxLength = int(rand, 1, 120);
    const out = sanitizeText(input, {maxLength});
    assert.ok(out.length <= maxLength, `case ${c}: ${out.length} > ${maxLength}`);
    assert.equal(violation(out, false), null, `case ${c}: ${JSON.stringify(out)}`);
    assert.equal(sanitizeText(out, {maxLength}), out, `case ${c}: capped output not stable: ${JSON.stringify(out)}`);
  }
});

test('fuzz: sanitizeLine never exceeds its width and never emits controls', () => {
  const rand = mulberry32(7);
  for (let c = 0; c < 1500; c++) {
    const input = hostile(rand);
    const width = int(rand, 0, 60);
    const out = sanitizeLine(input, width);
    assert.ok(displayWidth(out) <= width, `case ${c}: width ${displayWidth(out)} > ${width}: ${JSON.stringify(out)}`);
    assert.equal(violation(out, false), null);
  }
});

test('fuzz: printable ASCII, CJK and emoji text passes unchanged', () => {
  const rand = mulberry32(42);
  const cjk = () => String.fromCharCode(int(rand, 0x4e00, 0x9fff));
  const ascii = () => String.fromCharCode(int(rand, 0x20, 0x7e));
  const emoji = () => pick(rand, ['😀', '🚀', '👍🏽', '👩\u200d💻', '👨\u200d👩\u200d👧', '🇯🇵', '❤️', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '✅']);
  for (let c = 0; c < 2000; c++) {
    let s = '';
    const n = int(rand, 0, 60);
    for (let i = 0; i < n; i++) s += pick(rand, [cjk, ascii, ascii, emoji])();
    assert.equal(sanitizeText(s), s, `case ${c}: ${JSON.stringify(s)}`);
    assert.equal(sanitizeText(s, {multiline: true}), s);
  }
});

test('huge hostile inputs stay linear (a few MB in well under the test timeout)', () => {
  const rand = mulberry32(99);
  const unit = hostile(rand) + '\x1b]52;c;' + 'A'.repeat(1000) + '\x07' + '注🚀\u202e';
  const huge = unit.repeat(Math.ceil(4_000_000 / unit.length));
  const out = sanitizeText(huge, {multiline: true});
  assert.equal(violation(out.slice(0, 200_000), true), null);
  assert.ok(out.length >= huge.length * 0.5);
  const lone = '\uD800'.repeat(1_000_000);
  assert.equal(sanitizeText(lone), '\uFFFD'.repeat(1_000_000));
});
