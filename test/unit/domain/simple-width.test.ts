import {test} from 'node:test';
import assert from 'node:assert/strict';
import chalk from 'chalk';
import stringWidth from 'string-width';
import {isSimpleCodePoint, SIMPLE_RANGES, simpleWidth} from '../../../source/domain/simple-width.ts';
import {displayWidth, truncateToWidth} from '../../../source/domain/width.ts';

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const segments = (text: string) => [...segmenter.segment(text)].map((s) => s.segment);

function* simpleCodePoints(): Generator<number> {
  for (let c = 0x20; c < 0x7f; c++) yield c;
  for (const [from, to] of SIMPLE_RANGES) for (let c = from; c <= to; c++) if (c !== 0x00ad) yield c;
}

test('every simple code point: string-width\'s width under both ambiguous settings, and a grapheme cluster of its own', () => {
  let checked = 0;
  for (const c of simpleCodePoints()) {
    const ch = String.fromCharCode(c);
    assert.equal(isSimpleCodePoint(c), true, c.toString(16));
    assert.equal(simpleWidth(ch), stringWidth(ch), `U+${c.toString(16)} narrow`);
    assert.equal(simpleWidth(ch, true), stringWidth(ch, {ambiguousIsNarrow: false}), `U+${c.toString(16)} wide`);
    // It joins neither an ASCII neighbour nor itself (no mark, joiner, prepended or Hangul class).
    assert.deepEqual(segments(`a${ch}${ch}a`), ['a', ch, ch, 'a'], `U+${c.toString(16)} segments`);
    checked++;
  }
  assert.ok(checked > 2500, `${checked}`);
});

test('code points that join or have no width are not simple: string-width decides', () => {
  for (const text of ['\u00ad', 'e\u0301', '\u200d', '\u2028', '⚠\ufe0f', '👍', '🇫🇷', '한', '\u1100\u1161', '中文', 'tab\there', '\u0000', '\x1b]8;;x\x07link', '\x1b[2J', '\x1b[?25l', '\x1b[31', '\x1b7', '\x1b']) {
    assert.equal(simpleWidth(text), -1, JSON.stringify(text));
  }
});

test('mixed simple text: the sum string-width gives, and displayWidth / truncateToWidth agree with it', () => {
  const samples = ['λ order-processor · us-east-1', '▁▂▃▄▅▆▇█ 12.4k', '├─ DLQ → 1,204 ≥ 5 min …', '⚠ throttled ✓ ok ✖ failed ℹ info', '⠋ loading ° ± × ÷ ‹›', 'Ωmega αβγ'];
  for (const text of samples) {
    assert.equal(simpleWidth(text), stringWidth(text), text);
    assert.equal(simpleWidth(text, true), stringWidth(text, {ambiguousIsNarrow: false}), text);
    assert.equal(displayWidth(text), stringWidth(text), text);
    for (let width = 0; width <= stringWidth(text) + 1; width++) {
      const cut = truncateToWidth(text, width);
      assert.ok(stringWidth(cut) <= width, `${text} at ${width}: ${cut}`);
      if (stringWidth(text) <= width) assert.equal(cut, text);
      else assert.ok(cut.endsWith('…') || width === 0, `${text} at ${width}: ${cut}`);
    }
  }
  // A random mix of simple code points, compared as whole strings.
  const pool = [...simpleCodePoints()];
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
  for (let i = 0; i < 500; i++) {
    let text = '';
    for (let n = next() % 12; n >= 0; n--) text += String.fromCharCode(pool[next() % pool.length]!);
    assert.equal(simpleWidth(text), stringWidth(text), JSON.stringify(text));
  }
});

test('SGR sequences (a styled row\'s colours and styles) take no columns, as string-width strips them', () => {
  const level = chalk.level;
  chalk.level = 3;
  try {
    const styled = [
      chalk.red('red'),
      `${chalk.bold.hex('#ff8800')('λ order-processor')} ${chalk.dim('· us-east-1')}`,
      chalk.inverse.bold(' Queues ') + chalk.gray(' 1 ────────'),
      chalk.cyan('▁▂▃▄▅▆▇█') + ' 12.4k ' + chalk.bgRed.white('✖ failed'),
      '\x1b[m\x1b[0;1;38;5;208mx\x1b[39;22m',
      chalk.yellow(''),
    ];
    for (const text of styled) {
      assert.equal(simpleWidth(text), stringWidth(text), JSON.stringify(text));
      assert.equal(simpleWidth(text, true), stringWidth(text, {ambiguousIsNarrow: false}), JSON.stringify(text));
    }
  } finally {
    chalk.level = level;
  }
});
