#!/usr/bin/env node
// The failed-event browser at 1k / 10k / 50k events, in a real terminal (tmux 120x40), side by side with a bare
// Ink list of the same events and the same footer, bundled with the same esbuild settings (bench/bare-list.tsx):
//  1. load: `m` in the browser against a simulator in its own process with a DLQ of N events (events/s, and
//     whether all N were read within the peek's visibility window)
//  2. key to frame of `j` (p50 / p95): from send-keys to the first output holding the new cursor position,
//     read from tmux's control mode (no screen polling)
//  3. filter typing after `/` (per key p50 / p95): the key echoed, and the list settled to its final count
//     (the payload search included), for each key of BENCH_QUERIES
// Each figure: min / median / max of the per-run values over --runs runs.
// Usage: npm run build && node bench/browser.mjs [--runs 5] [--sizes 1000,10000,50000] [--keys 40] [--quick]
//        [--cli path/to/bin/lambda-top.js] [--legacy-load]  (an older build whose `m` reads one page a press)
import {buildBare} from './lib/bare-build.mjs';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {TmuxControl, tmuxQuote} from './lib/tmux-control.mjs';
import {argument, has} from './lib/args.mjs';
import {BENCH_QUERIES, benchMatches, formatCount} from './browser-data.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quick = has('quick');
const runs = Number(argument('runs', quick ? 2 : 5));
const sizes = argument('sizes', quick ? '1000,10000' : '1000,10000,50000').split(',').map(Number);
const keyCount = Number(argument('keys', quick ? 15 : 40));
const cli = path.resolve(argument('cli', path.join(root, 'bin/lambda-top.js')));
const legacyLoad = has('legacy-load');
const node = process.execPath;
const socket = `lt-browser-bench-${process.pid}`;
/** lambda-top's default peek visibility (DEFAULT_PEEK_VISIBILITY_SECONDS). */
const PEEK_WINDOW_SECONDS = 60;

if (!hasTmux()) {
  console.error('tmux is needed for this benchmark (apt-get install tmux)');
  process.exit(2);
}

const bare = await buildBare('bare-list');

const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1'};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (values, q) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};
const stats = (values) => ({min: Math.min(...values), median: quantile(values, 0.5), max: Math.max(...values)});
const fmt = (s, digits = 1, unit = ' ms') => `${s.median.toFixed(digits)}${unit} (min ${s.min.toFixed(digits)}, max ${s.max.toFixed(digits)})`;

function startSim(count) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--import', 'tsx', path.join(root, 'bench/browser-sim.ts'), String(count)], {cwd: root, stdio: ['pipe', 'pipe', 'inherit']});
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /endpoint: (\S+)/.exec(out);
      if (m) resolve({endpoint: m[1], stop: () => child.kill('SIGTERM')});
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code}) before it was ready`)));
  });
}

/** The number after the cursor position in the footer ("12/1.0k"): [position, total text]. */
function position(screen) {
  const m = /(\d+)\/([\d.,]+[kM]?)\s*$/m.exec(screen);
  return m ? [Number(m[1]), m[2]] : null;
}

/** `j` pressed `keyCount` times, each after the previous frame arrived: key-to-frame ms per key. */
async function measureJ(session, control) {
  const times = [];
  await session.sendKeys('g'); // top of the list (the bare list ignores it; it starts there)
  await sleep(200);
  const start = position(await session.capture());
  if (!start) throw new Error(`no cursor position on the screen:\n${await session.capture()}`);
  let [at, total] = start;
  for (let i = 0; i < keyCount; i++) {
    const expected = `${at + 1}/${total}`;
    times.push(await control.keyToFrame('j', (screen) => screen.includes(expected)));
    at++;
    await sleep(60);
  }
  return times;
}

/** Types each of BENCH_QUERIES after `/` (cleared with backspaces between them): per key, the echo (the typed
 * text on screen) and the settled list. */
async function measureFilter(session, control, count) {
  const echo = [];
  const settled = [];
  await session.sendKeys('/');
  await session.waitFor((s) => /\/▏|\/\s*$/m.test(s) || s.includes('/▏'), {timeoutMs: 5000}).catch(() => {});
  for (const query of BENCH_QUERIES) {
    for (let i = 1; i <= query.length; i++) {
      const typed = query.slice(0, i);
      const expected = benchMatches(typed, count);
      const shownText = `${formatCount(expected)} shown`;
      // The prompt with its cursor mark ("/cust▏"), not just "/cust" (a footer's "2,758/s" holds "/s").
      const prompt = `/${typed}▏`;
      const sent = await control.send(`-l ${tmuxQuote(typed.at(-1))}`);
      echo.push(await control.frameWhere((screen) => screen.includes(prompt), sent, {timeoutMs: 20_000}));
      settled.push(await control.frameWhere((screen) => screen.includes(prompt) && screen.includes(shownText), sent, {timeoutMs: 30_000}).catch(() => Infinity));
      await sleep(60);
    }
    // One at a time: the bare list reads its text from the last render, so keys in one read would be lost (on a
    // loaded machine one still can be: then one more, until the prompt is empty).
    for (let i = 0; i < query.length; i++) {
      await session.sendKeys('BSpace');
      await sleep(100);
    }
    for (let extra = 0; extra < 20 && !/^\/▏/m.test(await session.capture()); extra++) {
      await sleep(400);
      if (!/^\/▏/m.test(await session.capture())) await session.sendKeys('BSpace');
    }
    await session.waitFor((s) => s.includes(`${formatCount(count)} shown`) && /^\/▏/m.test(s), {timeoutMs: 30_000});
    await sleep(500);
  }
  await session.sendKeys('Escape');
  await sleep(300);
  return {echo, settled};
}

/** Loads the DLQ into the browser: [events/s, seconds, loaded all] (the first page, read on open, excluded). */
async function load(session, count) {
  const first = await session.waitFor((s) => /\d+ shown · [\d.]+k? loaded/.test(s) && !/peeking…|loading/.test(s), {timeoutMs: 30_000});
  const firstLoaded = Number(/([\d.]+k?) loaded/.exec(first.screen)[1]) || 10;
  const started = performance.now();
  const done = (s) => s.includes(`${formatCount(count)} loaded`) && /end of the queues|stopped inside the peek window/.test(s);
  if (legacyLoad) {
    for (;;) {
      const s = await session.capture();
      if (done(s)) break;
      if (performance.now() - started > 600_000) throw new Error('legacy load: over 10 minutes');
      if (!/loading more/.test(s)) await session.sendKeys('m');
      await sleep(20);
    }
  } else {
    await session.sendKeys('m');
    await session.waitFor(done, {timeoutMs: 600_000, pollMs: 50});
  }
  const seconds = (performance.now() - started) / 1000;
  const screen = await session.capture();
  // Within the window: every message read, and the last one read before the first ones show again (the
  // simulator's clock stands still, so this is the bench's own reckoning against the 60 s default).
  return {rate: (count - firstLoaded) / seconds, seconds, screen, all: /end of the queues/.test(screen) && seconds < PEEK_WINDOW_SECONDS};
}

let counter = 0;
async function runApp(endpoint, count) {
  const session = new TmuxSession(`app${counter++}`, {columns: 120, rows: 40, socket});
  // BENCH_APP_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") reaches lambda-top only, not the bare list.
  const appEnv = process.env.BENCH_APP_NODE_OPTIONS ? {...env, NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS} : env;
  await session.start(`${node} ${cli} --endpoint-url ${endpoint} --function order-processor --interval 60s`, appEnv);
  try {
    await session.waitFor((s) => /Pipeline/.test(s), {timeoutMs: 30_000});
    await sleep(500);
    await session.sendKeys('f');
    const loaded = await load(session, count);
    const control = await TmuxControl.attach(session);
    await sleep(300);
    try {
      const j = await measureJ(session, control);
      const filter = await measureFilter(session, control, count);
      if (process.env.BENCH_RAW) process.stderr.write(`# raw j: ${j.map((t) => t.toFixed(1)).join(' ')}\n# raw filter echo: ${filter.echo.map((t) => t.toFixed(1)).join(" ")} settled: ${filter.settled.map((t) => t.toFixed(1)).join(" ")}\n`);
      return {loaded, j, filter};
    } finally {
      control.close();
    }
  } finally {
    // Leave the browser (releases what it peeked), then quit.
    await session.sendKeys('Escape');
    await sleep(300);
    await session.sendKeys('q');
    await sleep(1000);
    await session.kill();
  }
}

async function runBare(count) {
  const session = new TmuxSession(`bare${counter++}`, {columns: 120, rows: 40, socket});
  await session.start(`${node} ${bare} ${count}`, env);
  try {
    await session.waitFor((s) => /Failed events/.test(s), {timeoutMs: 30_000});
    await sleep(300);
    const control = await TmuxControl.attach(session);
    await sleep(300);
    try {
      const j = await measureJ(session, control);
      const filter = await measureFilter(session, control, count);
      return {j, filter};
    } finally {
      control.close();
    }
  } finally {
    await session.sendKeys('q');
    await session.kill();
  }
}

console.log(`# failed-event browser, tmux 120x40, ${runs} runs per size, ${keyCount} j keys and ${BENCH_QUERIES.map((q) => `"${q}"`).join(", ")} typed per run`);
console.log(`# lambda-top: ${cli}${legacyLoad ? ' (legacy load: m pressed once per page)' : ''}`);
const started = performance.now();
try {
  for (const count of sizes) {
    const app = [];
    const baseline = [];
    for (let run = 0; run < runs; run++) {
      baseline.push(await runBare(count));
      // A fresh simulator per run: its clock stands still, so what a run peeked and did not release in time
      // would stay hidden from the next.
      const sim = await startSim(count);
      try {
        app.push(await runApp(sim.endpoint, count));
      } finally {
        sim.stop();
      }
      process.stderr.write(`# ${count}: run ${run + 1}/${runs} done (load ${app.at(-1).loaded.seconds.toFixed(1)} s)\n`);
    }
    const perRun = (list, pick, q) => stats(list.map((r) => quantile(pick(r), q)));
    const jApp50 = perRun(app, (r) => r.j, 0.5);
    const jApp95 = perRun(app, (r) => r.j, 0.95);
    const jBare50 = perRun(baseline, (r) => r.j, 0.5);
    const jBare95 = perRun(baseline, (r) => r.j, 0.95);
    console.log(`\n## ${count.toLocaleString('en')} events`);
    console.log(`load (m)            ${fmt(stats(app.map((r) => r.loaded.rate)), 0, ' events/s')}; ${fmt(stats(app.map((r) => r.loaded.seconds)), 1, ' s')} for all`);
    console.log(`  all ${count.toLocaleString('en')} read within the ${PEEK_WINDOW_SECONDS} s peek window: ${app.filter((r) => r.loaded.all).length} of ${app.length} runs`);
    const windowLine = app[0].loaded.screen.split('\n').find((l) => /loaded .* in [\d.]+ s|visible again/.test(l));
    if (windowLine) console.log(`  the footer said: ${windowLine.trim()}`);
    console.log(`j key to frame      p50 ${fmt(jApp50)}   p95 ${fmt(jApp95)}`);
    console.log(`  bare Ink list     p50 ${fmt(jBare50)}   p95 ${fmt(jBare95)}`);
    console.log(`  ratio p50 ${(jApp50.median / jBare50.median).toFixed(2)}x  p95 ${(jApp95.median / jBare95.median).toFixed(2)}x (target p95 < 12 ms, <= 1.2x)`);
    console.log(`filter key, echo    p50 ${fmt(perRun(app, (r) => r.filter.echo, 0.5))}   p95 ${fmt(perRun(app, (r) => r.filter.echo, 0.95))}`);
    console.log(`filter key, settled p50 ${fmt(perRun(app, (r) => r.filter.settled, 0.5))}   p95 ${fmt(perRun(app, (r) => r.filter.settled, 0.95))}`);
    console.log(`  bare Ink list     p50 ${fmt(perRun(baseline, (r) => r.filter.settled, 0.5))}   p95 ${fmt(perRun(baseline, (r) => r.filter.settled, 0.95))} (target p95 < 16 ms)`);
  }
} finally {
  await new TmuxSession('x', {socket}).killServer();
}
console.log(`\n# took ${((performance.now() - started) / 1000).toFixed(0)} s`);
