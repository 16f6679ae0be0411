// End-to-end in a real terminal: tmux runs the built binary, send-keys types, capture-pane reads the screen.
// Covers the demo dashboard's panels, help, resize to a compact layout, the failed-event browser, an
// interactive redrive through the whole stack (UI -> controller -> engine -> SDK -> simulator), and a clean exit.
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
// Exports go to the working directory and journals to the XDG state directory: both scratch, never the user's.
const workdir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-e2e-'));
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', LANG: 'C.UTF-8', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', XDG_STATE_HOME: path.join(workdir, 'state'), HOME: workdir};

before(async () => {
  if (skip) return;
  session = new TmuxSession('e2e', {columns: 120, rows: 42, socket: `lambda-top-e2e-${process.pid}`});
  await session.start(`cd ${workdir} && ${process.execPath} ${bin} --demo --scenario avatar-timeouts --interval 2s`, env);
});

after(async () => {
  if (skip) return;
  await session.killServer();
  rmSync(workdir, {recursive: true, force: true});
});

const lines = (screen: string) => screen.split('\n');

test('the demo dashboard shows the pipeline, concurrency, queues and diagnosis', {skip}, async () => {
  const {screen} = await session.waitFor((s) => /Pipeline/.test(s) && /Concurrency/.test(s) && /Queues/.test(s) && /Diagnosis/.test(s) && /invoked/.test(s) && /avatar-processor-dlq/.test(s) && /[▁▂▃▄▅▆▇█]{5,}/.test(s) && !/loading/.test(s), {timeoutMs: 20_000});
  assert.match(screen, /avatar-processor/);
  assert.match(screen, /DEMO/);
  assert.match(screen, /avatar-processor-dlq/);
  assert.match(screen, /DLQ\s+avatar-processor-dlq\s+\d+/, 'the queue row has a depth');
  for (const line of lines(screen)) assert.ok(line.length <= 120);
});

test('? shows help listing the keys, and closes again', {skip}, async () => {
  await session.sendKeys('?');
  const {screen} = await session.waitFor((s) => /Everywhere/.test(s) && /Failed events/.test(s));
  assert.match(screen, /quit/);
  assert.match(screen, /refresh/);
  await session.sendKeys('Escape');
  await session.waitFor((s) => /Pipeline/.test(s) && !/Everywhere/.test(s));
});

test('a narrow terminal gets the compact layout, and it reflows back', {skip}, async () => {
  await session.resize(70, 30);
  const {screen} = await session.waitFor((s) => /avatar-processor/.test(s) && /invoked|Pipeline/.test(s) && lines(s)[0]!.length <= 70);
  for (const line of lines(screen)) assert.ok(line.length <= 70, line);
  await session.resize(120, 42);
  await session.waitFor((s) => /Diagnosis/.test(s) && /Concurrency/.test(s));
});

test('f opens the failed events; Enter shows one; the payload is there', {skip}, async () => {
  await session.sendKeys('f');
  const {screen} = await session.waitFor((s) => /Failed events\s+\d+ shown · [1-9]\d* loaded/.test(s) && /Timeout/.test(s), {timeoutMs: 15_000});
  assert.match(screen, /Peeking is not free/);
  await session.sendKeys('Enter');
  const detail = await session.waitFor((s) => /Payload/.test(s) && /request id/.test(s));
  assert.match(detail.screen, /ErrorCode\s+Number/);
  await session.sendKeys('Escape');
  await session.waitFor((s) => /Failed events/.test(s) && !/Payload/.test(s));
});

test('space marks an event, r asks first, y redrives it through the simulator', {skip}, async () => {
  const before = await session.capture();
  const count = Number(/(\d+) loaded/.exec(before)?.[1] ?? NaN);
  assert.ok(count > 0, `events loaded: ${before}`);
  await session.sendKeys('Space');
  await session.waitFor((s) => /1 marked/.test(s));
  await session.sendKeys('r');
  const confirm = await session.waitFor((s) => /Redrive/.test(s) && /avatar-processor \(async Invoke\)/.test(s));
  assert.match(confirm.screen, /at least once|idempotent/);
  await session.sendKeys('y');
  const done = await session.waitFor((s) => /Redrive (finished|stopped)/.test(s), {timeoutMs: 30_000});
  // Close the summary whatever it says, so the tests after this one start from the list.
  await session.sendKeys('Enter');
  await session.waitFor((s) => /Failed events/.test(s) && !/Redrive (finished|stopped)/.test(s));
  assert.match(done.screen, /1 accepted/);
});

test('q quits with exit code 0 and restores the terminal', {skip}, async () => {
  await session.sendKeys('Escape');
  await session.waitFor((s) => /Diagnosis/.test(s));
  await session.sendKeys('q');
  const {screen} = await session.waitFor((s) => /__exit=\d+/.test(s), {timeoutMs: 10_000});
  assert.match(screen, /__exit=0/);
  assert.doesNotMatch(screen, /Diagnosis|Pipeline/, 'the alternate screen was left');
});

test('the dashboard for a function that does not exist exits 2 with one line naming it and the region', {skip}, async () => {
  const other = new TmuxSession('e2e-missing', {columns: 120, rows: 20, socket: `lambda-top-e2e-missing-${process.pid}`});
  try {
    await other.start(`cd ${workdir} && ${process.execPath} ${bin} --demo --function no-such-function`, env);
    const {screen} = await other.waitFor((s) => /__exit=\d+/.test(s), {timeoutMs: 20_000});
    assert.match(screen, /__exit=2/);
    assert.match(screen, /lambda-top: .*no-such-function.*us-east-1/);
    assert.doesNotMatch(screen, /Diagnosis|Pipeline/, 'the alternate screen was left');
  } finally {
    await other.killServer();
  }
});
