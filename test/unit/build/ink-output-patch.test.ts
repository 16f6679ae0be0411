// The build's patch of Ink's output step (scripts/ink-output-patch.mjs) must give the frames Ink gives. Ink's
// output.js is bundled twice, as shipped and patched, and both are driven with the same frames in one sequence
// (the patch keeps caches, a grid and the previous rows across frames): styles, hyperlinks, wide characters cut
// by clips and overwritten, transformers, writes past either edge, resizes, repeats and one-row changes, then
// a few hundred seeded random frames (the caches drop what two frames did not write, every other frame).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import type {Plugin} from 'esbuild';
import {inkOutputReplacements} from '../../../scripts/ink-output-patch.mjs';
import {bundleAndImport, replacementPlugin} from './patch-bundle.ts';


type Transformer = (line: string, index?: number) => string;
type Operation =
  | {type: 'write'; x: number; y: number; text: string; transformers?: Transformer[]}
  | {type: 'clip'; clip: {x1?: number; x2?: number; y1?: number; y2?: number}}
  | {type: 'unclip'};
type Frame = {width: number; height: number; operations: Operation[]};
type OutputInstance = {
  write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
  clip(clip: Operation & {type: 'clip'} extends {clip: infer C} ? C : never): void;
  unclip(): void;
  get(): {output: string; height: number};
};
type OutputClass = new (options: {width: number; height: number}) => OutputInstance;

const patchPlugin = replacementPlugin('ink-output-under-test', /ink[\\/]build[\\/]output\.js$/, inkOutputReplacements);

async function bundleOutput(dir: string, name: string, plugins: Plugin[]): Promise<OutputClass> {
  // By path: Ink's package exports do not list build/output.js.
  return (await bundleAndImport<{default: OutputClass}>(dir, name, 'node_modules/ink/build/output.js', plugins)).default;
}

const render = (Output: OutputClass, frame: Frame) => {
  const output = new Output({width: frame.width, height: frame.height});
  for (const operation of frame.operations) {
    if (operation.type === 'write') output.write(operation.x, operation.y, operation.text, {transformers: operation.transformers ?? []});
    else if (operation.type === 'clip') output.clip(operation.clip);
    else output.unclip();
  }
  return output.get();
};

const esc = '\u001B[';
const red = (s: string) => `${esc}31m${s}${esc}39m`;
const green = (s: string) => `${esc}32m${s}${esc}39m`;
const bold = (s: string) => `${esc}1m${s}${esc}22m`;
const dim = (s: string) => `${esc}2m${s}${esc}22m`;
const inverse = (s: string) => `${esc}7m${s}${esc}27m`;
const bg = (s: string) => `${esc}48;5;236m${s}${esc}49m`;
const rgb = (s: string) => `${esc}38;2;255;128;0m${s}${esc}39m`;
const link = (url: string, s: string) => `\u001B]8;;${url}\u0007${s}\u001B]8;;\u0007`;
const upper: Transformer = (line) => line.toUpperCase();
const colourLine: Transformer = (line, index = 0) => (index % 2 === 0 ? green(line) : dim(line));

const header = (clock: string): Operation[] => [
  {type: 'write', x: 0, y: 0, text: `${bold('λ')} order-processor · us-east-1 ${dim('·')} updated ${clock}`},
  {type: 'write', x: 0, y: 1, text: `${red('▁▂▃▅▇')}${green('█▆▄▂')} ${inverse(' DLQ 23 ')} ${bg(rgb('gauge ███░░░'))}`},
];
const body: Operation[] = [
  {type: 'write', x: 2, y: 3, text: `${bold(dim('bold+dim'))} ${dim(bold('dim+bold'))} ${bold('b')}${dim('d')}plain`},
  {type: 'write', x: 0, y: 4, text: `multi ${red('line\nsecond')} line\n${green('third')}`, transformers: [colourLine]},
  {type: 'write', x: 1, y: 7, text: `${link('https://example.com/a', 'a link')} after ${link('https://example.com/b', red('red link'))}`},
  {type: 'write', x: 0, y: 8, text: '日本語テキスト 😀 wide ✔ and\u200Bzero\u2060width, soft\u00ADhyphen \u00AC'},
  // Overwrites the middle of a wide character and ends in the middle of another.
  {type: 'write', x: 3, y: 8, text: red('ab')},
  {type: 'clip', clip: {x1: 1, x2: 6, y1: 9, y2: 11}},
  {type: 'write', x: 0, y: 9, text: `${bg('日本語テキスト')}\n${green('abcdefghij')}\nclipped away`},
  {type: 'clip', clip: {x1: 3, x2: 20}},
  {type: 'write', x: 0, y: 10, text: 'nested clip'},
  {type: 'unclip'},
  {type: 'unclip'},
  {type: 'write', x: 10, y: 11, text: upper('transformed'), transformers: [upper, (line) => red(line)]},
  {type: 'write', x: 30, y: 12, text: 'past the right edge of the frame'},
  // Past the end of the row: Ink drops the holes this leaves (columns 40-44).
  {type: 'write', x: 45, y: 14, text: green('beyond the row')},
  {type: 'write', x: -3, y: 13, text: `${red('left')} of column 0 日本`},
  {type: 'write', x: 0, y: 30, text: 'below the frame'},
  {type: 'clip', clip: {x1: 5, x2: 5}},
  {type: 'write', x: 0, y: 2, text: 'empty clip'},
  {type: 'unclip'},
];

const handFrames = (): Frame[] => {
  const frames: Frame[] = [];
  const base = (clock: string, width = 40, height = 16): Frame => ({width, height, operations: [...header(clock), ...body]});
  frames.push(base('12:00:00Z'), base('12:00:00Z'), base('12:00:01Z'), base('12:00:01Z'));
  // A frame without the write left of column 0, then with it again (a fresh grid, then the kept one).
  frames.push({width: 40, height: 16, operations: [...header('12:00:02Z'), ...body.filter((op) => !(op.type === 'write' && op.x < 0))]});
  frames.push(base('12:00:03Z'), base('12:00:03Z'));
  // Resizes: narrower, taller, fractional, empty, back.
  frames.push(base('12:00:04Z', 30, 18), base('12:00:04Z', 30, 12), base('12:00:05Z', 33.5, 14.25), base('12:00:05Z', 0, 0), base('12:00:06Z', 40, 16));
  frames.push({width: 40, height: 16, operations: header('12:00:06Z')}, base('12:00:07Z'));
  return frames;
};

// A small seeded generator (mulberry32): the same frames on every run.
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const randomFrames = (count: number): Frame[] => {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const words = ['ok', 'throttled', 'DLQ', '日本', '😀', '▁▃▅▇', '█░', 'λ', '·', '…', 'é', 'a\u0301', ' ', '  ', '\u200B', '12:00'];
  const styles = [(s: string) => s, red, green, bold, dim, inverse, bg, rgb, (s: string) => link('https://example.com', s)];
  const text = (): string => {
    let out = '';
    const parts = 1 + Math.floor(next() * 6);
    for (let i = 0; i < parts; i++) {
      let part = pick(words) + (next() < 0.5 ? String(Math.floor(next() * 1000)) : '');
      part = pick(styles)(part);
      if (next() < 0.3) part = pick(styles)(part);
      out += part + (next() < 0.1 ? '\n' : ' ');
    }
    return out;
  };
  const frames: Frame[] = [];
  let rows: Operation[] = [];
  for (let f = 0; f < count; f++) {
    const width = next() < 0.05 ? 20 + Math.floor(next() * 30) : 48;
    const height = next() < 0.05 ? 5 + Math.floor(next() * 10) : 12;
    if (f === 0 || next() < 0.1) {
      rows = Array.from({length: 12}, (_, y): Operation => ({type: 'write', x: Math.floor(next() * 4), y, text: text()}));
    } else {
      // Most frames change a row or two of the previous one, as a dashboard does.
      const changes = Math.floor(next() * 3);
      for (let i = 0; i < changes; i++) rows[Math.floor(next() * rows.length)] = {type: 'write', x: Math.floor(next() * 50) - 4, y: Math.floor(next() * 14) - 1, text: text()};
    }
    const operations: Operation[] = [...rows];
    if (next() < 0.3) {
      const x1 = Math.floor(next() * 20);
      operations.push({type: 'clip', clip: {x1, x2: x1 + Math.floor(next() * 20), y1: 2, y2: 2 + Math.floor(next() * 8)}});
      operations.push({type: 'write', x: Math.floor(next() * 30) - 2, y: 1 + Math.floor(next() * 8), text: text(), transformers: next() < 0.5 ? [colourLine] : []});
      operations.push({type: 'unclip'});
    }
    frames.push({width, height, operations});
  }
  return frames;
};

test("the patched output step gives Ink's frames, frame after frame", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ink-output-patch-'));
  try {
    const Shipped = await bundleOutput(dir, 'shipped', []);
    const Patched = await bundleOutput(dir, 'patched', [patchPlugin]);
    const frames = [...handFrames(), ...randomFrames(600)];
    const distinct = new Set<string>();
    for (const [index, frame] of frames.entries()) {
      const expected = render(Shipped, frame);
      distinct.add(expected.output);
      assert.deepEqual(render(Patched, frame), expected, `frame ${index} (${frame.width}x${frame.height})`);
    }
    // The frames are not all alike (a patch that broke every frame the same way would still be caught above).
    assert.ok(distinct.size > 300, `${distinct.size} distinct frames`);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
