// Issue 10 end to end, in a real terminal: a function with 201 queues (the DLQ and 200 SQS sources), refreshed every
// minute. Scrolling the queues panel (page down) or making the terminal taller brings rows into view whose turn has
// not come; they are read at once, well within one refresh, instead of showing "not read" until their turn.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import {TmuxSession, hasTmux} from '../../bench/lib/tmux.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const skip = hasTmux() ? false : 'tmux is not installed';
let session: TmuxSession;
const workdir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-queues-'));
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', LANG: 'C.UTF-8', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', XDG_STATE_HOME: path.join(workdir, 'state'), HOME: workdir};
/** The refresh interval: the rows scrolled into view must be read long before the next refresh. */
const INTERVAL_S = 60;
const WITHIN_MS = 12_000;

before(async () => {
  if (skip) return;
  session = new TmuxSession('queues', {columns: 120, rows: 40, socket: `lambda-top-queues-${process.pid}`});
  await session.start(`cd ${workdir} && ${process.execPath} ${bin} --demo --scenario healthy --source-queues 200 --interval ${INTERVAL_S}s`, env);
});

after(async () => {
  if (skip) return;
  await session.killServer();
  rmSync(workdir, {recursive: true, force: true});
});

/** The source queue rows on screen: their index and the rest of the line. */
function sourceRows(screen: string): Array<{index: number; line: string}> {
  return screen
    .split('\n')
    .map((line) => ({line, m: /notification-sender-source-(\d{3})\b/.exec(line)}))
    .filter((r) => r.m)
    .map((r) => ({index: Number(r.m![1]), line: r.line}));
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const range = (screen: string): [number, number] | null => {
  const m = /Queues\s+201 · (\d+)-(\d+)/.exec(screen);
  return m ? [Number(m[1]), Number(m[2])] : null;
};
/** Every row in view holds a reading of this refresh: a depth, neither "not read" nor "… ago". */
const allCurrent = (screen: string): boolean => {
  const rows = sourceRows(screen);
  return rows.length > 5 && rows.every((r) => /source\s+notification-sender-source-\d{3}\s+\d/.test(r.line) && !/not read|ago/.test(r.line));
};

test('201 queues: the panel says which rows it shows, and the rows in view are current', {skip}, async () => {
  const {screen} = await session.waitFor((s) => range(s) !== null && allCurrent(s), {timeoutMs: 30_000});
  const [first, last] = range(screen)!;
  assert.equal(first, 1);
  assert.ok(last > 20 && last < 201, `the rows that fit at 40 rows of terminal: 1-${last}`);
});

test('page down into rows whose turn has not come: they are read at once, within one refresh', {skip}, async () => {
  // pipeline -> concurrency -> queues (the focused title gets a marker space); keys one at a time, as typed
  await session.sendKeys('Tab');
  await pause(300);
  await session.sendKeys('Tab');
  await session.waitFor((s) => /Queues {2}201/.test(s));
  const started = performance.now();
  for (let i = 0; i < 5; i++) {
    await session.sendKeys('PageDown');
    await pause(150);
  }
  const {screen} = await session.waitFor((s) => (range(s)?.[0] ?? 0) > 100 && allCurrent(s), {timeoutMs: WITHIN_MS, pollMs: 100});
  const elapsed = performance.now() - started;
  assert.ok(elapsed < INTERVAL_S * 1000 / 2, `read in ${Math.round(elapsed)} ms, not at the next refresh (${INTERVAL_S} s)`);
  const rows = sourceRows(screen);
  assert.ok(rows[0]!.index >= 99, `scrolled to row ${rows[0]!.index + 2}`);
});

test('a taller terminal: the rows that came into view are read at once too', {skip}, async () => {
  const before = range(await session.capture())!;
  await session.resize(120, 60);
  const {screen} = await session.waitFor((s) => {
    const r = range(s);
    return r !== null && r[1] - r[0] > before[1] - before[0] && allCurrent(s);
  }, {timeoutMs: WITHIN_MS, pollMs: 100});
  const after = range(screen)!;
  assert.ok(after[1] - after[0] >= before[1] - before[0] + 15, `more rows at 60 (${after.join('-')} vs ${before.join('-')})`);
});

test('q quits cleanly', {skip}, async () => {
  await session.sendKeys('q');
  const {screen} = await session.waitFor((s) => /__exit=\d+/.test(s), {timeoutMs: 10_000});
  assert.match(screen, /__exit=0/);
});
