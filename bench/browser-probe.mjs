#!/usr/bin/env node
// A diagnostic for bench/browser.mjs's `j` figure (not a benchmark): one run of lambda-top's browser at N events
// in tmux, `j` pressed K times; per key the tmux key-to-frame time, and inside the process (preload
// bench/lib/key-latency-preload.mjs) stdin-to-first-write, stdin-to-last-write and the bytes written, plus the
// screen after the load. Extra node options for the app (e.g. --cpu-prof) from BENCH_APP_NODE_OPTIONS.
// Usage: npm run build && node bench/browser-probe.mjs [N] [K] [--cli path/to/bin/lambda-top.js]
import {spawn} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession} from './lib/tmux.mjs';
import {TmuxControl} from './lib/tmux-control.mjs';
import {BENCH_QUERIES, benchMatches, formatCount} from './browser-data.mjs';
import {tmuxQuote} from './lib/tmux-control.mjs';
import {argument} from './lib/args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2).filter((a, i, all) => a !== '--cli' && all[i - 1] !== '--cli');
const count = Number(args[0] ?? 1000);
const keys = Number(args[1] ?? 40);
const cli = path.resolve(argument('cli', path.join(root, 'bin/lambda-top.js')));
const log = path.join(os.tmpdir(), `lt-keys-${process.pid}.log`);
const frames = path.join(os.tmpdir(), `lt-frames-${process.pid}.log`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const node = process.execPath;

const sim = await new Promise((resolve, reject) => {
  const child = spawn(node, ['--import', 'tsx', path.join(root, 'bench/browser-sim.ts'), String(count)], {cwd: root, stdio: ['pipe', 'pipe', 'inherit']});
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
    const m = /endpoint: (\S+)/.exec(out);
    if (m) resolve({endpoint: m[1], stop: () => child.kill('SIGTERM')});
  });
  child.on('exit', (code) => reject(new Error(`sim exited ${code}`)));
});
const socket = `lt-browser-probe-${process.pid}`;
const session = new TmuxSession('probe', {columns: 120, rows: 40, socket});
const options = `--import ${path.join(root, 'bench/lib/key-latency-preload.mjs')} ${process.env.BENCH_APP_NODE_OPTIONS ?? ''}`;
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', NODE_OPTIONS: options, KEY_LATENCY_LOG: log, LAMBDA_TOP_FRAME_STATS: frames};
try {
  await session.start(`${node} ${cli} --endpoint-url ${sim.endpoint} --function order-processor --interval 60s`, env);
  await session.waitFor((s) => /Pipeline/.test(s), {timeoutMs: 30_000});
  await sleep(500);
  await session.sendKeys('f');
  await session.waitFor((s) => /\d+ shown · [\d.]+k? loaded/.test(s) && !/peeking…|loading/.test(s), {timeoutMs: 30_000});
  await session.sendKeys('m');
  await session.waitFor((s) => s.includes(`${formatCount(count)} loaded`) && /end of the queues/.test(s), {timeoutMs: 600_000, pollMs: 50});
  await sleep(1000);
  await session.sendKeys('g');
  await sleep(300);
  process.stdout.write(`${await session.capture()}\n`);
  rmSync(log, {force: true});
  await sleep(1100);
  rmSync(frames, {force: true});
  const keysFrom = Date.now();
  const control = await TmuxControl.attach(session);
  const times = [];
  for (let i = 0; i < keys; i++) {
    const expected = `${i + 2}/${formatCount(count)}`;
    times.push(await control.keyToFrame('j', (screen) => screen.includes(expected)));
    await sleep(60);
  }
  const idleFrom = Date.now();
  if (process.env.BENCH_PROBE_FILTER) {
    // The filter typing of bench/browser.mjs: per key the echo and the settled list (tmux), and inside the process.
    await session.sendKeys('/');
    await sleep(300);
    rmSync(log, {force: true});
    const rows = [];
    for (const query of BENCH_QUERIES) {
      for (let i = 1; i <= query.length; i++) {
        const typed = query.slice(0, i);
        const expected = benchMatches(typed, count);
        const prompt = `/${typed}▏`;
        const sent = await control.send(`-l ${tmuxQuote(typed.at(-1))}`);
        const echo = await control.frameWhere((screen) => screen.includes(prompt), sent, {timeoutMs: 20_000});
        const settled = await control.frameWhere((screen) => screen.includes(prompt) && screen.includes(`${formatCount(expected)} shown`), sent, {timeoutMs: 30_000});
        rows.push({typed, echo, settled});
        await sleep(60);
      }
      for (let i = 0; i < query.length; i++) {
        await session.sendKeys('BSpace');
        await sleep(100);
      }
      await session.waitFor((s) => s.includes(`${formatCount(count)} shown`) && /^\/▏/m.test(s), {timeoutMs: 30_000});
      await sleep(500);
    }
    await sleep(300);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    // BENCH_PROBE_KEYS_OUT: the filter keys' log kept, to cut a --cpu-prof profile by key (bench/profile-keys.mjs).
    if (process.env.BENCH_PROBE_KEYS_OUT) writeFileSync(process.env.BENCH_PROBE_KEYS_OUT, `${lines.join('\n')}\n`);
    console.log('typed         echo  settled   (in process, per stdin read: first-write last-write bytes)');
    rows.forEach((r) => console.log(`${r.typed.padEnd(12)} ${r.echo.toFixed(1).padStart(6)} ${r.settled.toFixed(1).padStart(7)}`));
    console.log(`in-process first write per key (typing and backspaces): ${lines.map((l) => l.split(' ')[0]).join(' ')}`);
    const echo = rows.map((r) => r.echo).sort((a, b) => a - b);
    console.log(`echo p50 ${echo[Math.ceil(echo.length / 2) - 1].toFixed(1)} p95 ${echo[Math.ceil(echo.length * 0.95) - 1].toFixed(1)} ms`);
  }
  control.close();
  // BENCH_PROBE_IDLE_MS: stay in the list this long after the keys (to profile what the clock's ticks cost).
  await sleep(200 + Number(process.env.BENCH_PROBE_IDLE_MS ?? 0));
  await sleep(1100);
  const inside = readFileSync(log, 'utf8').trim().split('\n');
  const drawn = readFileSync(frames, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((f) => f.kind === 'frame');
  const summary = (list) => {
    const ms = list.map((f) => f.ms).sort((a, b) => a - b);
    return ms.length ? `${ms.length} frames, median ${ms[Math.ceil(ms.length / 2) - 1].toFixed(1)} ms, max ${ms.at(-1).toFixed(1)} ms` : 'no frames';
  };
  console.log(`frame work (React render + commit + Ink output, synchronous) while keys: ${summary(drawn.filter((f) => f.at >= keysFrom && f.at < idleFrom))}`);
  console.log(`frame work idle after (clock ticks): ${summary(drawn.filter((f) => f.at >= idleFrom))}`);
  console.log('key  tmux-ms  first-write  last-write  bytes');
  times.forEach((t, i) => console.log(`${String(i + 1).padStart(3)}  ${t.toFixed(1).padStart(7)}  ${inside[i] ?? ''}`));
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`p50 ${sorted[Math.ceil(0.5 * sorted.length) - 1].toFixed(1)} p95 ${sorted[Math.ceil(0.95 * sorted.length) - 1].toFixed(1)} ms`);
} finally {
  await session.sendKeys('Escape');
  await sleep(300);
  await session.sendKeys('q');
  // A profiled app (BENCH_APP_NODE_OPTIONS='--cpu-prof …') writes its profile as it exits: give it time.
  await sleep(process.env.BENCH_APP_NODE_OPTIONS ? 5000 : 800);
  await new TmuxSession('x', {socket}).killServer();
  sim.stop();
}
