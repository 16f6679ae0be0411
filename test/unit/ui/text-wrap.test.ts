// wrapText keeps a line's width as it adds words (simple text: the sum of the words' widths and the spaces) instead
// of measuring each candidate line anew: the lines must be the ones the measuring version gives, for any text.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {wrapText} from '../../../source/ui/text.ts';
import {displayWidth, graphemes} from '../../../source/domain/width.ts';

/** The previous wrapText, every candidate line measured whole: the reference. */
function measuringWrap(text: string, width: number): string[] {
  const max = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (!word) continue;
      const candidate = line ? `${line} ${word}` : word;
      if (displayWidth(candidate) <= max) {
        line = candidate;
        continue;
      }
      if (line) out.push(line);
      if (displayWidth(word) <= max) {
        line = word;
        continue;
      }
      let piece = '';
      for (const g of graphemes(word)) {
        if (displayWidth(piece + g) > max) {
          out.push(piece);
          piece = '';
        }
        piece += g;
      }
      line = piece;
    }
    out.push(line);
  }
  return out;
}

test('wrapText gives the lines of the measuring wrap: ASCII, wide, combining, joined and invisible characters', () => {
  // simple (one column count per code point) and not: marks and joiners that attach across a space, emoji
  // sequences, a soft hyphen, an Arabic prepend sign, SGR codes whole and cut
  const alphabet = ['a', 'b', 'Z', '1', ' ', ' ', ' ', '  ', '\n', 'é', 'λ', '·', '…', '→', '中', '文', '😀', '👍🏽', 'e\u0301', '\u0301', '\u200d', '🇺🇸', '\u00ad', 'ｱ', '─', '⠋', '\u0600', '\u001b[31m', '\u001b[3', 'x'];
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let k = 0; k < 20_000; k++) {
    let text = '';
    const length = Math.floor(random() * 40);
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
    const width = Math.floor(random() * 14) - 1;
    assert.deepEqual(wrapText(text, width), measuringWrap(text, width), `${JSON.stringify(text)} at ${width}`);
  }
});

test('wrapText wraps a long paragraph between words', () => {
  const text = 'Lambda retried 3 times and then sent the event to the DLQ order-processor-dlq where 12 messages wait';
  assert.deepEqual(wrapText(text, 30), measuringWrap(text, 30));
  assert.ok(wrapText(text, 30).every((line) => displayWidth(line) <= 30));
});
