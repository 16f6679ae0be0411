import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sanitizeText, sanitizeLine, sanitizeLines, visibleEscape, NEWLINE_MARK} from '../../../source/domain/sanitize.ts';
import {displayWidth} from '../../../source/domain/width.ts';

test('plain text of any script passes unchanged (same string)', () => {
  for (const s of ['', 'hello world', 'Ünïcödé ß', '注文処理に失敗しました', '한국어 텍스트', 'مرحبا', '🚀🔥👍🏽', '👩‍💻 and 👨‍👩‍👧‍👦', 'e\u0301', '❤️', '1️⃣', '🇫🇷', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']) {
    assert.equal(sanitizeText(s), s, JSON.stringify(s));
  }
});

test('ESC and whole CSI / OSC / DCS sequences are shown as ␛ followed by plain text', () => {
  assert.equal(sanitizeText('\x1b[31mred\x1b[0m'), '␛[31mred␛[0m');
  assert.equal(sanitizeText('\x1b[2J\x1b[H'), '␛[2J␛[H');
  // OSC 8 hyperlink with ST terminator, OSC 52 clipboard write with BEL terminator
  assert.equal(sanitizeText('\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\'), '␛]8;;https://evil.example␛\\click␛]8;;␛\\');
  assert.equal(sanitizeText('\x1b]52;c;cm0gLXJmIH4=\x07'), '␛]52;c;cm0gLXJmIH4=␇');
  assert.equal(sanitizeText('\x1bP+q544e\x1b\\'), '␛P+q544e␛\\');
  assert.equal(sanitizeText('\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\'), '␛_apc␛\\␛^pm␛\\␛Xsos␛\\');
});

test('C0 controls become control pictures; DEL becomes ␡', () => {
  assert.equal(sanitizeText('a\x00b\x07c\x08d'), 'a␀b␇c␈d');
  assert.equal(sanitizeText('\x7f'), '␡');
  assert.equal(sanitizeText('x\ry'), 'x␍y');
  assert.equal(sanitizeText('\x1f'), '␟');
});

test('newlines: kept in multiline (CRLF -> LF), ⏎ otherwise', () => {
  assert.equal(sanitizeText('a\nb'), `a${NEWLINE_MARK}b`);
  assert.equal(sanitizeText('a\r\nb'), 'a⏎b');
  assert.equal(sanitizeText('a\nb\r\nc', {multiline: true}), 'a\nb\nc');
  assert.equal(sanitizeText('a\rb', {multiline: true}), 'a␍b');
  assert.deepEqual(sanitizeLines('one\r\ntwo\n\x1b[1mthree'), ['one', 'two', '␛[1mthree']);
});

test('tabs expand to spaces (default 4, configurable)', () => {
  assert.equal(sanitizeText('a\tb'), 'a    b');
  assert.equal(sanitizeText('a\tb', {tabWidth: 2}), 'a  b');
  assert.equal(sanitizeText('\t', {tabWidth: 0}), '');
});

test('C1 controls, including the 8-bit CSI, become visible escapes', () => {
  assert.equal(sanitizeText('\x9b31m'), '\\u009b31m');
  assert.equal(sanitizeText('\x85\x80\x9f'), '\\u0085\\u0080\\u009f');
});

test('bidi controls, zero-width and invisible format characters become visible escapes', () => {
  assert.equal(sanitizeText('abc\u202Etxt.exe'), 'abc\\u202etxt.exe');
  for (const c of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c,
    0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x00ad, 0x180e, 0x2028, 0x2029]) {
    const ch = String.fromCharCode(c);
    assert.equal(sanitizeText(`a${ch}b`), `a${visibleEscape(c)}b`, c.toString(16));
  }
  // tag characters (ASCII smuggling) are escaped outside a flag sequence
  assert.equal(sanitizeText('hi\u{E0041}\u{E0042}'), 'hi\\u{e0041}\\u{e0042}');
  // variation selectors are kept
  assert.equal(sanitizeText('☺\uFE0E ☺\uFE0F'), '☺\uFE0E ☺\uFE0F');
});

test('zero-width joiner kept only inside an emoji sequence', () => {
  assert.equal(sanitizeText('👩\u200d💻'), '👩\u200d💻');
  assert.equal(sanitizeText('👍🏽\u200d👍'), '👍🏽\u200d👍');
  assert.equal(sanitizeText('a\u200db'), 'a\\u200db');
  assert.equal(sanitizeText('👩\u200d'), '👩\\u200d');
  assert.equal(sanitizeText('\u200d💻'), '\\u200d💻');
});

test('lone surrogates become U+FFFD; valid pairs stay', () => {
  assert.equal(sanitizeText('a\uD800b'), 'a\uFFFDb');
  assert.equal(sanitizeText('a\uDC00b'), 'a\uFFFDb');
  assert.equal(sanitizeText('\uDC00\uD800'), '\uFFFD\uFFFD');
  assert.equal(sanitizeText('end\uD83D'), 'end\uFFFD');
  assert.equal(sanitizeText('😀'), '😀');
});

test('maxLength caps the output with an ellipsis, never splitting a pair or leaving a dangling joiner', () => {
  const long = 'x'.repeat(10_000);
  const out = sanitizeText(long, {maxLength: 100});
  assert.equal(out.length, 100);
  assert.ok(out.endsWith('…'));
  assert.equal(sanitizeText('😀😀😀', {maxLength: 4}), '😀…');
  assert.equal(sanitizeText('a👩\u200d💻', {maxLength: 5}), 'a👩…');
  assert.equal(sanitizeText('short', {maxLength: 100}), 'short');
  assert.equal(sanitizeText('abcdef', {maxLength: 4, ellipsis: '[…]'}), 'a[…]');
  assert.equal(sanitizeText('\x1b[31m'.repeat(100), {maxLength: 10}), '␛[31m␛[31…');
});

test('huge input with maxLength is cut early (stays small)', () => {
  const huge = '\x1b[31m注'.repeat(1_000_000);
  const out = sanitizeText(huge, {maxLength: 200});
  assert.ok(out.length <= 200);
});

test('sanitizeLine: single line cut to a display width', () => {
  assert.equal(sanitizeLine('line1\nline2', 40), 'line1⏎line2');
  assert.equal(sanitizeLine('注文処理に失敗しました', 9), '注文処理…');
  assert.ok(displayWidth(sanitizeLine('\x1b[31m' + '注'.repeat(1000), 20)) <= 20);
  assert.equal(sanitizeLine('abc', 0), '');
  assert.equal(sanitizeLine('x'.repeat(1e6), 10), 'xxxxxxxxx…');
});

test('non-string input does not throw', () => {
  // JS callers can pass anything through an `any`
  assert.equal(sanitizeText(undefined as unknown as string), '');
  assert.equal(sanitizeText(42 as unknown as string), '42');
});
