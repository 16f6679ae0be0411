// End-to-end in a real terminal: in --demo, L opens the logs panel (a Live Tail session on the simulator's event
// stream, and the header says so), failure lines appear, t shows every line and back, Esc returns to the
// dashboard, q quits with 0.
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
const workdir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-e2e-logs-'));
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', LANG: 'C.UTF-8', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', XDG_STATE_HOME: path.join(workdir, 'state'), HOME: workdir};

before(async () => {
  if (skip) return;
  session = new TmuxSession('e2e-logs', {columns: 120, rows: 40, socket: `lambda-top-e2e-logs-${process.pid}`});
  await session.start(`cd ${workdir} && ${process.execPath} ${bin} --demo --scenario avatar-timeouts --interval 2s`, env);
});

after(async () => {
  if (skip) return;
  await session.killServer();
  rmSync(workdir, {recursive: true, force: true});
});

test('L opens the logs panel in --demo: live tail said, failure lines appear, t toggles every line, Esc returns', {skip}, async () => {
  await session.waitFor((s) => /Pipeline/.test(s) && /Diagnosis/.test(s) && /L logs/.test(s), {timeoutMs: 20_000});
  await session.sendKeys('L');
  const {screen} = await session.waitFor((s) => /^Logs \/aws\/lambda\/avatar-processor/m.test(s) && /Task timed out after/.test(s), {timeoutMs: 20_000});
  assert.match(screen, /live tail \(StartLiveTail: billed per minute while open, closed when you leave\)/);
  assert.doesNotMatch(screen, /polling FilterLogEvents/);
  assert.match(screen, /following · failures only \(t: every line\)/);
  assert.doesNotMatch(screen, /START RequestId/, 'failures only');
  for (const line of screen.split('\n')) assert.ok(line.length <= 120, line);
  await session.sendKeys('t');
  await session.waitFor((s) => /every line \(t: failures only\)/.test(s) && /START RequestId|END RequestId/.test(s), {timeoutMs: 15_000});
  await session.sendKeys('t');
  await session.waitFor((s) => /failures only \(t: every line\)/.test(s) && !/START RequestId/.test(s));
  await session.sendKeys('Escape');
  await session.waitFor((s) => /Pipeline/.test(s) && /Diagnosis/.test(s) && !/^Logs /m.test(s));
});

test('q quits with exit code 0', {skip}, async () => {
  await session.sendKeys('q');
  const {screen} = await session.waitFor((s) => /__exit=\d+/.test(s), {timeoutMs: 10_000});
  assert.match(screen, /__exit=0/);
});
