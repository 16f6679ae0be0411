// End-to-end in a real terminal (issue 13, failure chains): the avatar-timeouts demo's pipeline shows the health
// of avatar-resizer-fallback (its OnFailure Lambda destination) and that it has no failure target of its own;
// enter opens the fallback's dashboard, esc comes back to avatar-processor's.
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
const workdir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-destination-e2e-'));

before(async () => {
  if (skip) return;
  session = new TmuxSession('destination', {columns: 120, rows: 45, socket: `lambda-top-destination-e2e-${process.pid}`});
  await session.start(`cd ${workdir} && HOME=${workdir} XDG_STATE_HOME=${workdir} ${process.execPath} ${bin} --demo --scenario avatar-timeouts --interval 3s`, env);
});

after(async () => {
  if (skip) return;
  await session.killServer();
  rmSync(workdir, {recursive: true, force: true});
});

test("the pipeline shows avatar-resizer-fallback's health; enter opens its dashboard; esc returns", {skip}, async () => {
  const first = await session.waitFor((s) => /λ avatar-resizer-fallback (· delivery failures \d+\/min )?· enter opens/.test(s) && /^ +invoked +\d+\/min/m.test(s) && /fails to +no failure target: lost one hop later/.test(s), {timeoutMs: 40_000});
  assert.match(first.screen, /^ +errors +\d+\/min/m);
  assert.match(first.screen, /^ +throttles +\d+\/min/m);
  assert.match(first.screen, /^λ avatar-processor /m);
  await session.sendKeys('Enter');
  const fallback = await session.waitFor((s) => /^λ avatar-resizer-fallback /m.test(s) && /failures → nowhere/.test(s) && /invoked +\d+\/min/.test(s), {timeoutMs: 20_000});
  assert.doesNotMatch(fallback.screen, /^λ avatar-processor /m);
  await session.sendKeys('Escape');
  const back = await session.waitFor((s) => /^λ avatar-processor /m.test(s) && /└ → OnFailure +λ avatar-resizer-fallback/.test(s), {timeoutMs: 10_000});
  assert.match(back.screen, /DLQ avatar-processor-dlq/);
  await session.sendKeys('q');
  await session.waitFor((s) => !/Pipeline/.test(s), {timeoutMs: 10_000});
});
