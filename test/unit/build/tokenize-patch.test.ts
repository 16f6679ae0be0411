// The build's patch of @alcalzone/ansi-tokenize's tokenize (scripts/tokenize-patch.mjs) must give the tokens the
// library gives. tokenize.js is bundled twice, as shipped and patched, and both tokenise the same texts: every
// code unit the patch takes on its own, next to letters, marks and joiners; the dashboard's own rows; and
// seeded random texts drawn from both simple and not-simple characters, whole and cut at a width.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Plugin} from 'esbuild';
import {SIMPLE_UNIT_RANGES, tokenizeReplacements} from '../../../scripts/tokenize-patch.mjs';
import {bundleAndImport, replacementPlugin, root} from './patch-bundle.ts';


type Tokenize = (text: string, endChar?: number) => unknown[];

const patchPlugin = replacementPlugin('tokenize-under-test', /ansi-tokenize[\\/]build[\\/]tokenize\.js$/, tokenizeReplacements);

async function bundleTokenize(dir: string, name: string, plugins: Plugin[]): Promise<Tokenize> {
  return (await bundleAndImport<{tokenize: Tokenize}>(dir, name, 'node_modules/@alcalzone/ansi-tokenize/build/tokenize.js', plugins)).tokenize;
}

const simpleUnits = (): number[] => SIMPLE_UNIT_RANGES.flatMap(([from, to]) => Array.from({length: to - from + 1}, (_, i) => from + i));

test('every code unit the patch takes alone is a grapheme of its own, whatever is next to it', () => {
  const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
  const count = (text: string) => [...segmenter.segment(text)].length;
  const units = simpleUnits();
  assert.ok(units.length > 3_900);
  for (const c of units) {
    const ch = String.fromCharCode(c);
    // Before and after a letter and itself: an extending, joining or prepended character would make fewer.
    assert.equal(count(`a${ch}a${ch}${ch}`), 5, `U+${c.toString(16).padStart(4, '0')}`);
  }
});

test('no code point below U+1100 is wide (the patch does not ask below it)', async () => {
  const {default: isFullwidthCodePoint} = (await import(pathToFileURL(path.join(root, 'node_modules/is-fullwidth-code-point/index.js')).href)) as {default: (c: number) => boolean};
  for (let c = 0; c < 0x1100; c++) assert.equal(isFullwidthCodePoint(c), false, `U+${c.toString(16)}`);
  assert.equal(isFullwidthCodePoint(0x1100), true);
});

test("the patched tokenize gives the library's tokens", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokenize-patch-'));
  try {
    const shipped = await bundleTokenize(dir, 'shipped', []);
    const patched = await bundleTokenize(dir, 'patched', [patchPlugin]);
    const check = (text: string, endChar?: number) => assert.deepEqual(patched(text, endChar), shipped(text, endChar), JSON.stringify(text));
    const esc = '\u001B[';
    // The dashboard's rows (simple throughout), and texts with one character the segmenter must see.
    const rows = [
      `${esc}36m▸ ${esc}39m${esc}1mreceived     ${esc}22m        89/min ${esc}36m···············▂▄▄▅▆▅▆▅▆▅▅▅▄▆▅▅▆▅▆▆▆▅▅▅▅▅▆▆▅▅▆▇██${esc}39m`,
      `${esc}2m├ ${esc}22merrors                9/min   ${esc}31m▁▁▁▂▄▃▁▃▂▂▁▂▁▂▂▃${esc}39m ${esc}31m9.6% of invocations${esc}39m`,
      `${esc}1mConcurrency${esc}22m ▕░░░░░░░░░░░░▏ 10 / 980 unreserved pool (1%) · account 1.0k, 980 unreserved`,
      `λ avatar-processor · us-east-1 · nodejs20.x · timeout 10 s · 1024 MB ${esc}38;2;255;128;0mupdated 00:22:45Z${esc}39m`,
      ` ✖ memory nearly full ▲ 9.6% ↓ 3 more → DLQ ≤ 4 lost … ${esc}48;5;236mgauge${esc}49m ${esc}7m DLQ ${esc}27m`,
      'café naïve Ωmega Привет ½ © ® ° ± × ÷ € £ ¥ ‰ ′ ″ ‹ › ⁰ ¹ ₀ ₁',
      'e\u0301 combining',
      'flag 🇩🇪 and 👍🏽 and 👨‍👩‍👧',
      '日本語テキスト wide',
      'heart ❤\uFE0F selector',
      'zero\u200Bwidth joiner\u200D and\u2060word joiner, soft\u00ADhyphen',
      'line\r\nbreak\nand\ttab',
      `\u001B]8;;https://example.com\u0007a link\u001B]8;;\u0007 after`,
      '\u009B31mC1 CSI\u009B39m',
      `${esc}31 broken code ${esc}`,
      '\u001B',
      '',
      'ᄀ\u1161\u11A8 hangul jamo',
      'क्षि devanagari',
      'ⲁ\u2CEF coptic mark',
      '↑\u20D7 symbol mark',
      'surrogate \uD83D alone',
    ];
    for (const row of rows) {
      check(row);
      for (const endChar of [0, 1, 5, 20, 40]) check(row, endChar);
    }
    // Each simple unit between letters, and beside a combining mark (the whole text then goes to the segmenter).
    for (const c of simpleUnits()) {
      const ch = String.fromCharCode(c);
      check(`a${ch}b`);
      check(`${ch}\u0301`);
    }
    // Seeded random texts.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const simplePool = [...'abc XYZ 019·…─│├└▸▁▂▃▅▇█░▕▏λ✖▲↓→≤éΩЖ\u00AD\u001B', `${esc}1m`, `${esc}22m`, `${esc}38;5;12m`, `${esc}39m`, `${esc}0m`];
    const pool = [...simplePool, '\u0301', '\u200D', '\uFE0F', '日', '😀', '🇩', '\r', '\n', '\u2060', '\uD83D'];
    for (let i = 0; i < 3000; i++) {
      const from = i % 2 === 0 ? simplePool : pool;
      let text = '';
      const length = Math.floor(random() * 60);
      for (let j = 0; j < length; j++) text += from[Math.floor(random() * from.length)];
      check(text);
      check(text, Math.floor(random() * 40));
    }
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
