import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseJsonc, JsoncError} from '../../../source/domain/jsonc.ts';

test('comments and trailing commas are accepted; each key keeps its line', () => {
  const {value, lines} = parseJsonc('{\n  // a comment\n  "a": 1, /* two\nlines */\n  "b": {"c": [true, null,],},\n}\n');
  assert.deepEqual(value, {a: 1, b: {c: [true, null]}});
  assert.equal(lines.get('a'), 3);
  assert.equal(lines.get('b'), 5);
  assert.equal(lines.get('b.c'), 5);
});

test('a "//" inside a string is text, not a comment', () => {
  assert.deepEqual(parseJsonc('{"url": "https://x//y"}').value, {url: 'https://x//y'});
});

test('syntax errors name their line', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['{\n  "a": 1\n  "b": 2\n}', 3, /"," or "}" expected after "a"/],
    ['{\n\n  a: 1}', 3, /key must be a string/],
    ['{"a": \'x\'}', 1, /double quotes/],
    ['{"a": 1, "a": 2}', 1, /"a" is given twice/],
    ['{"a": 1', 1, /not closed/],
    ['{} x', 1, /after the end/],
    ['{\n/* open', 2, /comment is not closed/],
  ];
  for (const [text, line, message] of cases) {
    assert.throws(() => parseJsonc(text), (error: unknown) => error instanceof JsoncError && error.line === line && message.test(error.message), text);
  }
});
