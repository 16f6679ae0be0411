// The replacements build.mjs applies to @alcalzone/ansi-tokenize's tokenize (build/tokenize.js), kept apart so a
// test can bundle it with and without them and compare the tokens (test/unit/build/tokenize-patch.test.ts).
//
// Ink's output step tokenises every line it has not seen in the last frames into styled characters (the
// output patch caches the rest). tokenize walks the text with Intl.Segmenter, one grapheme object per character,
// and asks is-fullwidth-code-point (a chain of about a hundred range tests) of each: in an idle --demo, whose
// refreshes change every pipeline row (the sparklines shift), about a fifth of a frame's work (--cpu-prof). A
// text made only of code units that are each a grapheme of their own, whatever is next to them, is segmented
// here one code unit at a time, and a code unit below U+1100 (where the first wide range starts) is narrow without
// asking. The same tokens: the segmenter would cut that text at every code unit too.
//
// The code units taken one at a time (SIMPLE_UNIT_RANGES): printable ASCII and ESC (the SGR codes between styles),
// Latin-1 and the Latin extensions up to the combining marks at U+0300, Greek and Cyrillic up to the Cyrillic
// combining marks at U+0483, the general punctuation after the zero-width and bidi controls (U+2010-U+2027,
// U+2030-U+205F), super- and subscripts and currency signs up to the combining marks for symbols at U+20D0,
// and the symbols from U+2100 to U+2BFF (arrows, box drawing, blocks, shapes, dingbats). None of them is a
// combining mark, a joiner, a variation selector, a prepended mark, a Hangul jamo, a regional indicator, a
// surrogate or a control other than ESC and soft hyphen (a control is a grapheme of its own), so no grapheme
// spans two of them; the test checks each against Intl.Segmenter. Anything else in the text (an emoji, CJK, a
// combining mark, a hyperlink's BEL, a C1 code) and the whole text goes through the segmenter as before.
export const SIMPLE_UNIT_RANGES = [
  [0x20, 0x7e],
  [0x1b, 0x1b],
  [0xa0, 0x2ff],
  [0x370, 0x482],
  [0x2010, 0x2027],
  [0x2030, 0x205f],
  [0x2070, 0x20cf],
  [0x2100, 0x2bff],
];

export const tokenizeReplacements = [
  [
    'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });',
    `const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
// true when every code unit of the text is a grapheme of its own (scripts/tokenize-patch.mjs).
const simpleUnits = (str) => {
    for (let i = 0; i < str.length; i++) {
        const c = str.charCodeAt(i);
        if (c < 0x7f ? c < 0x20 && c !== 0x1b : !((c >= 0xa0 && c <= 0x2ff) || (c >= 0x370 && c <= 0x482) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205f) || (c >= 0x2070 && c <= 0x20cf) || (c >= 0x2100 && c <= 0x2bff))) {
            return false;
        }
    }
    return true;
};`,
    1,
  ],
  [
    '    for (const { segment, index } of segmenter.segment(str)) {',
    `    // Graphemes are contiguous: each starts where the one before it ended.
    const segments = simpleUnits(str) ? null : segmenter.segment(str)[Symbol.iterator]();
    for (let index = 0, segment; index < str.length; index += segment.length) {
        segment = segments === null ? str[index] : segments.next().value.segment;`,
    1,
  ],
  [
    '        const fullWidth = isFullwidthGrapheme(segment, codePoint);',
    '        const fullWidth = (segments !== null || codePoint >= 0x1100) && isFullwidthGrapheme(segment, codePoint);',
    1,
  ],
];
