// --read-only, end to end: the real binary in tmux against a simulator served from this test process. Every
// redrive key is refused on screen, and the simulator's own counters show that no mutating call arrived
// (peeking's ReceiveMessage and the release's ChangeMessageVisibility change no data and are allowed).
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import {TmuxSession, hasTmux} from '../../bench/lib/tmux.mjs';
import {spawn, type ChildProcess} from 'node:child_process';
import {freePort} from '../helpers/servers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const skip = hasTmux() ? false : 'tmux is not installed';
const workdir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-ro-'));
const DATA_MUTATIONS = ['Invoke', 'SendMessage', 'SendMessageBatch', 'DeleteMessage', 'DeleteMessageBatch', 'PurgeQueue', 'StartMessageMoveTask'];

// The simulator runs as its own process (`lambda-top simulate`), as an operator would run it.
let sim: {endpoint: string; child: ChildProcess};
let session: TmuxSession;

async function dataMutations(): Promise<Record<string, number>> {
  const response = await fetch(`${sim.endpoint}/_lambda-top/mutations`);
  const body = (await response.json()) as {received: Record<string, number>};
  return Object.fromEntries(DATA_MUTATIONS.map((name) => [name, body.received[name] ?? 0]));
}

before(async () => {
  if (skip) return;
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'simulate', '--port', String(port), '--scenario', 'avatar-timeouts', '--seed', '3'], {stdio: ['ignore', 'pipe', 'inherit']});
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('endpoint:')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  sim = {endpoint: `http://127.0.0.1:${port}`, child};
  session = new TmuxSession('ro', {columns: 120, rows: 42, socket: `lambda-top-ro-${process.pid}`});
});

after(async () => {
  if (skip) return;
  await session.killServer();
  sim?.child.kill('SIGTERM');
  rmSync(workdir, {recursive: true, force: true});
});

test('--read-only: every redrive key is refused and no mutating call reaches AWS', {skip, timeout: 60_000}, async () => {
  await session.start(`cd ${workdir} && ${process.execPath} ${bin} --endpoint-url ${sim.endpoint} --region us-east-1 --function avatar-processor --read-only --interval 2s`, {
    TERM: 'xterm-256color',
    CI: '',
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    XDG_STATE_HOME: path.join(workdir, 'state'),
    HOME: workdir,
  });
  await session.waitFor((s) => /READ-ONLY/.test(s) && /avatar-processor-dlq/.test(s) && /Diagnosis/.test(s), {timeoutMs: 20_000});
  const before = await dataMutations();

  await session.sendKeys('f');
  // The list's own header, with a count above zero (a half-drawn frame can still show dashboard text).
  await session.waitFor((s) => /Failed events\s+\d+ shown · [1-9]\d* loaded/.test(s), {timeoutMs: 15_000});
  // One key at a time: keys typed in one burst reach the app as one chunk of input.
  await session.sendKeys('Space');
  await session.waitFor((s) => /1 marked/.test(s));
  await session.sendKeys('r');
  await session.waitFor((s) => /read-only: redrive disabled/.test(s));
  await session.sendKeys('R');
  await session.waitFor((s) => /read-only: redrive disabled/.test(s));
  await session.sendKeys('Enter');
  await session.waitFor((s) => /Payload/.test(s));
  await session.sendKeys('r');
  const {screen} = await session.waitFor((s) => /read-only: redrive disabled/.test(s));
  assert.doesNotMatch(screen, /Redrive \d+|Redrive finished/, 'no confirmation or job appeared');

  await session.sendKeys('Escape');
  await session.waitFor((s) => /Failed events/.test(s) && !/Payload/.test(s));
  await session.sendKeys('Escape');
  await session.waitFor((s) => /Diagnosis/.test(s));
  await session.sendKeys('q');
  const exit = await session.waitFor((s) => /__exit=\d+/.test(s), {timeoutMs: 10_000});
  assert.match(exit.screen, /__exit=0/);
  assert.deepEqual(await dataMutations(), before, 'no Invoke, send, delete, purge or move reached the simulator');
});
