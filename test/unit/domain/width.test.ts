import {test} from 'node:test';
import assert from 'node:assert/strict';
import {displayWidth, truncateToWidth, padEndToWidth, padStartToWidth, fitToWidth, graphemes} from '../../../source/domain/width.ts';

/** No lone surrogates (String.prototype.isWellFormed is ES2024, beyond our tsconfig lib). */
const isWellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);


test('displayWidth counts CJK and emoji as two columns, combining marks as none', () => {
  assert.equal(displayWidth(''), 0);
  assert.equal(displayWidth('abc'), 3);
  assert.equal(displayWidth('注文'), 4);
  assert.equal(displayWidth('🚀'), 2);
  assert.equal(displayWidth('👩\u200d💻'), 2);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.equal(displayWidth('🇫🇷'), 2);
});

test('truncateToWidth leaves text that fits alone', () => {
  assert.equal(truncateToWidth('abc', 3), 'abc');
  assert.equal(truncateToWidth('注文', 4), '注文');
  assert.equal(truncateToWidth('', 5), '');
});

test('truncateToWidth cuts with an ellipsis within the width', () => {
  assert.equal(truncateToWidth('abcdef', 4), 'abc…');
  assert.equal(truncateToWidth('abcdef', 4, '...'), 'a...');
  assert.equal(truncateToWidth('abcdef', 1), '…');
  assert.equal(truncateToWidth('abcdef', 2, '...'), '..');
  assert.equal(truncateToWidth('abcdef', 0), '');
  assert.equal(truncateToWidth('abcdef', -3), '');
  // a wide char that does not fit is left out whole
  assert.equal(truncateToWidth('注文処理', 6), '注文…');
  assert.equal(truncateToWidth('注文処理', 5), '注文…');
  assert.equal(truncateToWidth('注文処理', 4), '注…');
});

test('truncateToWidth never splits a surrogate pair or grapheme cluster', () => {
  const family = '👨\u200d👩\u200d👧';
  assert.equal(truncateToWidth(`ab${family}cd`, 4), 'ab…');
  assert.equal(truncateToWidth(`ab${family}cd`, 5), `ab${family}…`);
  assert.equal(truncateToWidth('e\u0301e\u0301e\u0301', 2), 'e\u0301…');
  for (let w = 0; w < 12; w++) {
    const out = truncateToWidth('🚀🔥👍🏽🇫🇷x', w);
    assert.ok(isWellFormed(out), `width ${w}`);
    assert.ok(displayWidth(out) <= w, `width ${w}: ${out}`);
    for (const g of graphemes(out)) assert.ok(['🚀', '🔥', '👍🏽', '🇫🇷', 'x', '…'].includes(g), `split grapheme at width ${w}`);
  }
});

test('padding to a width', () => {
  assert.equal(padEndToWidth('ab', 4), 'ab  ');
  assert.equal(padStartToWidth('ab', 4), '  ab');
  assert.equal(padEndToWidth('注', 4), '注  ');
  assert.equal(padStartToWidth('🚀', 3), ' 🚀');
  assert.equal(padEndToWidth('abcdef', 3), 'abcdef');
  assert.equal(fitToWidth('abcdef', 4), 'abc…');
  assert.equal(fitToWidth('注文処理', 5), '注文…');
  assert.equal(displayWidth(fitToWidth('注文処理', 6)), 6);
  assert.equal(fitToWidth('ab', 4, 'right'), '  ab');
});
