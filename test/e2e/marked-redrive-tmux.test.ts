// A real terminal (tmux) redrives 2 marked events out of a 5,000-message DLQ: the built binary against a
// simulator this test runs (hand-made world, clock standing still). It may touch only the messages it had
// peeked, plus the search bound the confirmation states; every other message's receive count stays 0.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import {TmuxSession, hasTmux} from '../../bench/lib/tmux.mjs';
import type {FixtureWorld} from '../helpers/fixture-world.ts';
import {sendDlqMessage, startBrowserWorld, type BrowserWorld} from '../helpers/browser-world.tsx';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const skip = hasTmux() ? false : 'tmux is not installed';
const workdir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-e2e-marked-'));
let w: BrowserWorld;
let world: FixtureWorld;
let session: TmuxSession;
let dlqUrl = '';

before(async () => {
  if (skip) return;
  w = await startBrowserWorld();
  world = w.world;
  dlqUrl = w.dlqUrl;
  for (let i = 0; i < 5000; i++) sendDlqMessage(w, {orderId: `ord-${i}`});
  const endpoint = w.sim.endpoint;
  session = new TmuxSession('e2e-marked', {columns: 120, rows: 40, socket: `lambda-top-e2e-marked-${process.pid}`});
  const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', LANG: 'C.UTF-8', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', XDG_STATE_HOME: workdir, HOME: workdir};
  await session.start(`cd ${workdir} && ${process.execPath} ${bin} --function order-processor --region us-east-1 --endpoint-url ${endpoint} --interval 5s`, env);
});

after(async () => {
  if (skip) return;
  await session?.killServer();
  await w?.stop();
  rmSync(workdir, {recursive: true, force: true});
});

const touched = () => world.sqs.peekAll(dlqUrl).filter((m) => m.receiveCount > 0).length;

test('2 marked events out of 5,000: only the peeked messages and the stated bound are touched', {skip, timeout: 90_000}, async () => {
  await session.waitFor((s) => /Pipeline/.test(s) && /order-processor-dlq/.test(s), {timeoutMs: 20_000});
  await session.sendKeys('f');
  await session.waitFor((s) => /Failed events\s+\d+ shown · 10 loaded/.test(s), {timeoutMs: 40_000});
  assert.equal(touched(), 10, 'one page peeked');
  // One key per send: keys arriving in one read are one input chunk to the app.
  await session.sendKeys('Space');
  await session.waitFor((s) => /1 marked/.test(s));
  await session.sendKeys('Space');
  await session.waitFor((s) => /2 marked/.test(s));
  // Moving the cursor near the end of what is loaded pages in more: count what was peeked now.
  await session.waitFor((s) => !/loading more/.test(s));
  const peeked = touched();
  assert.ok(peeked >= 10 && peeked <= 30, `peeked ${peeked}`);
  await session.sendKeys('r');
  const confirm = await session.waitFor((s) => /Redrive 2 events\?/.test(s) && /reads/.test(s));
  const text = confirm.screen.replace(/[│\s]+/g, ' ');
  // The bound is stated before it starts: none when the handles are still held.
  const bound = /touching at most (\d+) messages/.exec(text);
  const stated = bound ? Number(bound[1]) : 0;
  if (!bound) assert.match(text, /none: the 2 receipt handles peeked are still held/);
  await session.sendKeys('y');
  const done = await session.waitFor((s) => /Redrive (finished|stopped)/.test(s), {timeoutMs: 60_000});
  assert.match(done.screen, /Redrive finished/);
  assert.match(done.screen, /2 accepted, 0 failed/);
  assert.equal(world.sqs.peekAll(dlqUrl).length, 4998);
  assert.ok(touched() <= peeked - 2 + stated, `touched ${touched()} messages: at most the ${peeked - 2} other peeked + ${stated}`);
  assert.equal(world.invocations.length, 2);
  await session.sendKeys('Enter');
  await session.waitFor((s) => !/Redrive finished/.test(s));
  // An Escape and a key sent back to back reach the terminal as one Alt-key sequence: wait for the dashboard.
  await session.sendKeys('Escape');
  await session.waitFor((s) => /Pipeline/.test(s) && !/Failed events/.test(s));
  await session.sendKeys('q');
  await session.waitFor((s) => /__exit=0/.test(s), {timeoutMs: 10_000});
});
