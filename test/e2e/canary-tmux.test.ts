// A real terminal (tmux) runs the built binary in `--demo --scenario avatar-timeouts` and redrives 5 marked
// DLQ events with the dialog's canary (tab cycles "after": send only -> follow -> canary). Before the fix ships
// (minute 105) the canary's events time out again and the run stops with "failed again: Timeout"; opened after
// it (--start-minute 110) the canary of 7 marked events reports "5 of 5 succeeded", then sends the other 2. --speed 60 keeps the retry schedule (1 + 2 virtual
// minutes between attempts) to a few wall seconds.
import {test, after} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import {TmuxSession, hasTmux} from '../../bench/lib/tmux.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const skip = hasTmux() ? false : 'tmux is not installed';
const dirs: string[] = [];
const sessions: TmuxSession[] = [];

after(async () => {
  for (const s of sessions) await s.killServer().catch(() => undefined);
  for (const d of dirs) rmSync(d, {recursive: true, force: true});
});

async function canaryRun(name: string, extra: string, count: number): Promise<{screen: string; session: TmuxSession}> {
  const workdir = mkdtempSync(path.join(os.tmpdir(), `lambda-top-e2e-${name}-`));
  dirs.push(workdir);
  const session = new TmuxSession(`e2e-${name}`, {columns: 120, rows: 45, socket: `lambda-top-e2e-${name}-${process.pid}`});
  sessions.push(session);
  const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', LANG: 'C.UTF-8', XDG_STATE_HOME: workdir, XDG_CONFIG_HOME: workdir, HOME: workdir};
  await session.start(`cd ${workdir} && ${process.execPath} ${bin} --demo --scenario avatar-timeouts --speed 60 ${extra}`, env);
  await session.waitFor((s) => /Pipeline/.test(s) && /avatar-processor-dlq/.test(s), {timeoutMs: 40_000});
  await session.sendKeys('f');
  await session.waitFor((s) => /Failed events\s+\d+ shown/.test(s) && /loaded/.test(s), {timeoutMs: 40_000});
  // One key per send; the list may still be settling (a page loading), so a key that changed nothing is sent again.
  const marked = (s: string) => Number(/(\d+) marked/.exec(s)?.[1] ?? 0);
  for (let tries = 0; tries < 20; tries++) {
    const now = marked(await session.capture());
    if (now >= count) break;
    await session.sendKeys('Space');
    await session.waitFor((s) => marked(s) > now, {timeoutMs: 3000}).catch(() => undefined);
  }
  await session.waitFor((s) => new RegExp(`${count} marked`).test(s), {timeoutMs: 5000});
  await session.sendKeys('r');
  await session.waitFor((s) => new RegExp(`Redrive ${count} events\\?`).test(s) && /send only/.test(s));
  await session.sendKeys('Tab');
  await session.waitFor((s) => /follow every event to its outcome/.test(s));
  await session.sendKeys('Tab');
  await session.waitFor((s) => /canary: send 5 first/.test(s));
  await session.sendKeys('y');
  const done = await session.waitFor((s) => /Redrive (finished|stopped)/.test(s), {timeoutMs: 90_000});
  return {screen: flat(done.screen), session};
}

const flat = (screen: string): string => screen.replace(/[│╭╮╰╯─]+/g, ' ').replace(/\s+/g, ' ');

/** The screen once it shows `pattern`: a capture can land while a frame is being written (incremental rendering
 * rewrites only the changed ends of lines), so the verdict is waited for, not read off the first capture. */
async function settled(session: TmuxSession, pattern: RegExp): Promise<string> {
  const done = await session.waitFor((s) => pattern.test(flat(s)), {timeoutMs: 10_000}).catch(async () => ({screen: await session.capture()}));
  return flat(done.screen);
}

test('before the fix: the canary stops with "failed again: Timeout" and sends no more', {skip, timeout: 150_000}, async () => {
  const {session} = await canaryRun('canary-before', '', 5);
  const screen = await settled(session, /canary: [1-5] of 5 failed again/);
  assert.match(screen, /Redrive stopped/);
  // Each redriven event draws its duration anew: one near the timeout may pass; the canary stops on any failure.
  assert.match(screen, /canary: [1-5] of 5 failed again: Timeout; 0 more sent; the rest are still in avatar-processor-dlq/);
  await session.sendKeys('Enter');
  await session.waitFor((s) => !/Redrive stopped/.test(s));
  await session.sendKeys('q');
  await session.waitFor((s) => /__exit=0/.test(s), {timeoutMs: 15_000});
});

test('after the fix (--start-minute 110): the canary reports "5 succeeded", then the other 2 are sent and followed', {skip, timeout: 150_000}, async () => {
  const {session} = await canaryRun('canary-after', '--start-minute 110', 7);
  const screen = await settled(session, /outcomes: 7 succeeded/);
  assert.match(screen, /Redrive finished/);
  assert.match(screen, /canary: 5 of 5 succeeded; the rest sent/);
  assert.match(screen, /outcomes: 7 succeeded/);
  assert.match(screen, /7 accepted, 0 failed/);
  await session.sendKeys('Enter');
  await session.waitFor((s) => !/Redrive finished/.test(s));
  await session.sendKeys('q');
  await session.waitFor((s) => /__exit=0/.test(s), {timeoutMs: 15_000});
});
