// End-to-end in a real terminal: the demo fleet (every scenario among 2,000 generated functions) finds the
// functions in trouble, enter opens one's dashboard, esc comes back to the table with the selection kept.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import {TmuxSession, hasTmux} from '../../bench/lib/tmux.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', LANG: 'C.UTF-8', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x'};
const skip = hasTmux() ? false : 'tmux is not installed';
let session: TmuxSession;
const workdir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-fleet-e2e-'));

before(async () => {
  if (skip) return;
  session = new TmuxSession('fleet', {columns: 120, rows: 30, socket: `lambda-top-fleet-e2e-${process.pid}`});
  await session.start(`cd ${workdir} && HOME=${workdir} XDG_STATE_HOME=${workdir} ${process.execPath} ${bin} --demo --fleet --fleet-size 2000 --interval 3s`, env);
});

after(async () => {
  if (skip) return;
  await session.killServer();
  rmSync(workdir, {recursive: true, force: true});
});


test('fleet view -> enter -> the function dashboard -> esc -> the fleet view, selection kept', {skip}, async () => {
  // rows are drawn as ListFunctions pages arrive (paced at 10 calls a second: 41 pages take about 4 s)
  const loading = await session.waitFor((s) => /loading [\d,]+ of ~2,0\d\d functions/.test(s), {timeoutMs: 40_000});
  assert.ok(loading.screen.split('\n').some((l) => /^[✖▲●?] \S/.test(l.trim())), 'rows on screen before the listing ends');
  const first = await session.waitFor((s) => /lambda-top fleet/.test(s) && !/loading \d/.test(s) && /Metrics Insights/.test(s) && /updated/.test(s) && /✖|▲/.test(s), {timeoutMs: 40_000});
  assert.match(first.screen, / 200\d functions/);
  for (const line of first.screen.split('\n')) assert.ok(line.length <= 120, line);
  // the first row is one in trouble
  const rows = first.screen.split('\n').filter((l) => /^[✖▲●?] /.test(l.trim()));
  assert.match(rows[0]!.trim(), /^[✖▲]/);
  // "/" and at once the text, as a fast typist sends them (the text lands in the filter, not on the table's keys)
  await session.sendKeys('/');
  await session.sendKeys('-l', 'order-proc');
  await session.waitFor((s) => /filter: \/order-proc█/.test(s));
  await session.sendKeys('Enter');
  await session.waitFor((s) => /1 of 20\d\d functions/.test(s) && /order-processor/.test(s));
  await session.sendKeys('Enter');
  const dash = await session.waitFor((s) => /Pipeline/.test(s) && /Concurrency/.test(s) && /order-processor/.test(s), {timeoutMs: 20_000});
  assert.doesNotMatch(dash.screen, /lambda-top fleet/);
  await session.sendKeys('Escape');
  const back = await session.waitFor((s) => /lambda-top fleet/.test(s) && /1 of 20\d\d functions/.test(s), {timeoutMs: 10_000});
  assert.match(back.screen, /order-processor/);
  assert.match(back.screen, /filter: \/order-proc\//, 'the filter is kept');
  await session.sendKeys('q');
  await session.waitFor((s) => !/lambda-top fleet/.test(s), {timeoutMs: 10_000});
});
