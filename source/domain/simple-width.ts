// The display width of "simple" text without string-width's general path. string-width segments any text that is
// not printable ASCII into grapheme clusters (Intl.Segmenter) and tests each cluster against /^\p{RGI_Emoji}$/v:
// building that expression and its first match cost about 20 ms in a fresh process, on the way to the first frame
// (the dashboard's borders, sparklines, λ, ·, …). For text made only of printable ASCII and of the code points in
// SIMPLE_RANGES, every code point is a grapheme cluster of its own (none of them joins its neighbours: no marks,
// joiners, variation selectors, Hangul jamo or surrogates) and string-width gives each the width of its East Asian
// Width class, so the sum of those is exactly what string-width returns. test/unit/domain/simple-width.test.ts checks
// that claim over every code point of the ranges, with both ambiguous-width settings, against string-width and
// Intl.Segmenter. SGR sequences (ESC [ digits and semicolons m: the colours and styles of a styled row, which Ink
// measures on every frame) take no columns: string-width strips them whole (strip-ansi's CSI form) before it
// counts. Anything else (-1) goes to string-width.
import {eastAsianWidth} from 'get-east-asian-width';

/** Inclusive code point ranges (all in the BMP). U+00AD (soft hyphen, zero width) is the one exception inside. */
export const SIMPLE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00a0, 0x02ff], // Latin-1 supplement, Latin extended, IPA, spacing modifier letters
  [0x0370, 0x03ff], // Greek (λ)
  [0x2010, 0x2027], // dashes, quotes, bullets, … (not the line/paragraph separators after it)
  [0x2030, 0x205e], // per mille, primes, ‹ › and other punctuation (not the invisible operators after it)
  [0x2100, 0x214f], // letterlike symbols (ℹ)
  [0x2190, 0x23ff], // arrows, mathematical operators, miscellaneous technical
  [0x2500, 0x27bf], // box drawing, block elements, geometric shapes, miscellaneous symbols, dingbats
  [0x2800, 0x28ff], // braille patterns (the spinner)
];

const NARROW = {ambiguousAsWide: false};
const WIDE = {ambiguousAsWide: true};

export function isSimpleCodePoint(c: number): boolean {
  if (c < 0x00a0) return c >= 0x20 && c < 0x7f;
  if (c <= 0x02ff) return c !== 0x00ad;
  if (c < 0x2010) return c >= 0x0370 && c <= 0x03ff;
  if (c <= 0x2027) return true;
  if (c < 0x2030) return false;
  if (c <= 0x205e) return true;
  if (c < 0x2100) return false;
  if (c <= 0x214f) return true;
  if (c < 0x2190) return false;
  if (c <= 0x23ff) return true;
  if (c < 0x2500) return false;
  if (c <= 0x27bf) return true;
  return c >= 0x2800 && c <= 0x28ff;
}

// eastAsianWidth of each simple code point, looked up once (a chain of range tests per call, for every character of
// every sparkline and border Ink measures, on every frame); 0 = not looked up yet (a simple code point is 1 or 2).
const narrowColumns = new Uint8Array(0x2900);
const wideColumns = new Uint8Array(0x2900);

function columnsOf(c: number, ambiguousAsWide: boolean): number {
  const known = ambiguousAsWide ? wideColumns : narrowColumns;
  return (known[c] ||= eastAsianWidth(c, ambiguousAsWide ? WIDE : NARROW));
}

/** Columns `text` takes (as string-width counts them, `ambiguousAsWide` = its ambiguousIsNarrow: false), or -1 when
 * the text holds anything outside printable ASCII and SIMPLE_RANGES (then ask string-width). */
export function simpleWidth(text: string, ambiguousAsWide = false): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      width++;
      continue;
    }
    if (c === 0x1b) {
      const end = sgrEnd(text, i);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (!isSimpleCodePoint(c)) return -1;
    width += columnsOf(c, ambiguousAsWide);
  }
  return width;
}

/** The index of the final `m` of the SGR sequence starting at `at` (an ESC), or -1 when it is not one. */
function sgrEnd(text: string, at: number): number {
  if (text.charCodeAt(at + 1) !== 0x5b) return -1; // [
  for (let j = at + 2; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x6d) return j; // m
    if (!((c >= 0x30 && c <= 0x39) || c === 0x3b)) return -1; // digits and ;
  }
  return -1;
}
