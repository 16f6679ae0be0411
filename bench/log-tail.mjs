#!/usr/bin/env node
// The logs panel (`L`) under 500 log lines a second, in a real terminal (tmux 120x40), against the simulator in
// its own process (`lambda-top simulate`, speed 1). This script writes the lines itself (PutLogEvents into the
// function's log group, a realistic mix: START/END/REPORT, Powertools JSON, errors with stacks, timeouts, long
// lines, escape sequences), each tagged with a sequence number, and measures:
//  - keeping up: lines the panel counted as read vs the lines in the group while it was open (the bench's and
//    the model's own), and how many Live Tail sampled out (the service's cap: 500 an update, as AWS's);
//  - lag from write to screen: the newest sequence number on screen vs when it was written (screen sampled);
//  - render time per frame (LAMBDA_TOP_FRAME_STATS: source/ui/render-probe.ts), idle and under load;
//  - key-to-frame latency (t toggle, space pause, k scroll, f follow), the same panel idle and under load, and
//    a bare Ink app bundled the same way (bench/bare-ink-keys.tsx) as the baseline;
//  - CPU and RSS of the dashboard over the load.
// Both tail modes: Live Tail, and polling FilterLogEvents (StartLiveTail made unsupported by fault injection).
// Usage: npm run build && node bench/log-tail.mjs [--runs 5] [--seconds 20] [--rate 500] [--mode live|poll|both] [--quick]
import {buildBare} from './lib/bare-build.mjs';
import {mkdirSync, readFileSync, rmSync, existsSync} from 'node:fs';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {cpuSeconds, rssBytes, findDescendant, median} from './lib/proc.mjs';
import {argument, has} from './lib/args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quick = has('quick');
const runs = Number(argument('runs', 5));
const loadSeconds = Number(argument('seconds', quick ? 6 : 20));
const rate = Number(argument('rate', 500));
const modeArg = argument('mode', quick ? 'live' : 'both');
const modes = modeArg === 'both' ? ['live', 'poll'] : [modeArg];
const keyRepeats = quick ? 2 : 4;
const node = process.execPath;
const cli = path.join(root, 'bin/lambda-top.js');
const out = path.join(root, '.bench-out');

if (!hasTmux()) {
  console.error('tmux is needed for this benchmark (apt-get install tmux)');
  process.exit(2);
}
if (!existsSync(path.join(root, 'dist/cli.js'))) {
  console.error('build first: npm run build');
  process.exit(2);
}
mkdirSync(out, {recursive: true});
const bare = await buildBare('bare-ink-keys', out);

const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', LANG: 'C.UTF-8', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const socket = `lambda-top-bench-tail-${process.pid}`;

// ---- the simulator, and talking to it ------------------------------------------------------------------------

async function startSim() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(node, [cli, 'simulate', '--port', String(port), '--scenario', 'healthy', '--speed', '1'], {stdio: ['ignore', 'pipe', 'inherit']});
  let text = '';
  child.stdout.on('data', (chunk) => (text += chunk));
  for (let i = 0; i < 200 && !text.includes('endpoint:'); i++) await sleep(50);
  if (!text.includes('endpoint:')) throw new Error(`the simulator did not start:\n${text}`);
  const functionName = /functions: ([^,\n]+)/.exec(text)?.[1]?.trim();
  const endpoint = `http://127.0.0.1:${port}`;
  const info = await (await fetch(`${endpoint}/_lambda-top/sim`)).json();
  return {child, endpoint, functionName, offset: info.now - Date.now(), stop: () => child.kill('SIGTERM')};
}

async function logs(sim, operation, input) {
  const response = await fetch(sim.endpoint, {
    method: 'POST',
    headers: {'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}`},
    body: JSON.stringify(input),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${operation}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Lines in the group from `start` (virtual ms) on: FilterLogEvents, every page. */
async function countGroup(sim, group, start) {
  let total = 0;
  let nextToken;
  do {
    const page = await logs(sim, 'FilterLogEvents', {logGroupName: group, startTime: start, ...(nextToken ? {nextToken} : {})});
    total += page.events.length;
    nextToken = page.nextToken;
  } while (nextToken);
  return total;
}

// ---- the lines ------------------------------------------------------------------------------------------------

const pad = (n, w) => String(n).padStart(w, '0');
/** A request id carrying the sequence number (shown on START/END/REPORT lines). */
const requestId = (seq) => `00000000-0000-4000-8000-${pad(seq, 12)}`;

/** One invocation's lines, in a realistic mix; `next()` gives each line its sequence number. */
function invocation(next, t, i) {
  const seq = next();
  const id = requestId(seq);
  const iso = new Date(t).toISOString();
  const lines = [`START RequestId: ${id} Version: $LATEST\n`];
  lines.push(`${JSON.stringify({level: 'INFO', message: `processing order #${pad(next(), 9)}`, timestamp: iso, service: 'bench', cold_start: i % 40 === 0, function_request_id: id, orderId: 1000 + (i % 977)})}\n`);
  const kind = i % 20;
  if (kind === 3) {
    const n = next();
    lines.push(`${JSON.stringify({level: 'ERROR', message: `request failed #${pad(n, 9)}`, timestamp: iso, service: 'bench', function_request_id: id, error: {name: 'InventoryApiError', message: `upstream answered 503 #${pad(n, 9)}`, stack: 'InventoryApiError: upstream answered 503\n    at callInventory (/var/task/inventory.js:41:11)\n    at async handler (/var/task/index.js:18:5)\n    at async Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)'}})}\n`);
  } else if (kind === 7) {
    const n = next();
    const record = {errorType: 'TypeError', errorMessage: `Cannot read properties of undefined (reading 'sku') #${pad(n, 9)}`, stack: ["TypeError: Cannot read properties of undefined (reading 'sku')", '    at lineItems (/var/task/order.js:88:23)', '    at Array.map (<anonymous>)', '    at handler (/var/task/index.js:22:31)']};
    lines.push(`${iso}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(record)}\n`);
  } else if (kind === 11) {
    lines.push(`${iso} ${id} Task timed out after 3.00 seconds #${pad(next(), 9)}\n\n`);
  } else if (kind === 13) {
    lines.push(`${iso}\t${id}\tINFO\t#${pad(next(), 9)} payload ${'x'.repeat(2400)}\n`);
  } else if (kind === 17) {
    lines.push(`${iso}\t${id}\tWARN\t#${pad(next(), 9)} \u001b[31mred text\u001b[0m \u001b]0;set-title\u0007 \u202eevil bidi\u202c \u0008 done\n`);
  }
  lines.push(`END RequestId: ${id}\n`);
  const duration = kind === 11 ? 3000 : 40 + (i % 90);
  lines.push(`REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: 512 MB\tMax Memory Used: ${120 + (i % 60)} MB\t\n`);
  return lines;
}

/** Writes `rate` lines a second into the stream until stopped; remembers when each sequence number was sent. */
function startWriter(sim, group, stream, rate) {
  const sentAt = new Map();
  let seq = 0;
  let invocations = 0;
  let written = 0;
  let stopped = false;
  let pending = [];
  const tickMs = 50;
  const perTick = rate * (tickMs / 1000);
  let owed = 0;
  let failures = 0;
  const done = (async () => {
    const started = performance.now();
    let ticks = 0;
    while (!stopped) {
      owed += perTick;
      const batch = [];
      const t = Date.now() + sim.offset;
      const wall = Date.now();
      while (owed >= 1) {
        if (pending.length === 0) pending = invocation(() => {
          const s = ++seq;
          sentAt.set(s, wall);
          return s;
        }, t, invocations++);
        batch.push({timestamp: t, message: pending.shift()});
        owed--;
      }
      if (batch.length) {
        // sentAt was set when the lines were made; a line made for a later batch is re-stamped when sent
        for (const e of batch) for (const m of e.message.matchAll(/8000-(\d{12})|#(\d{9})/g)) sentAt.set(Number(m[1] ?? m[2]), wall);
        try {
          await logs(sim, 'PutLogEvents', {logGroupName: group, logStreamName: stream, logEvents: batch});
          written += batch.length;
        } catch {
          failures++;
        }
      }
      ticks++;
      await sleep(Math.max(0, started + ticks * tickMs - performance.now()));
    }
  })();
  return {sentAt, get written() {
    return written;
  }, get failures() {
    return failures;
  }, async stop() {
    stopped = true;
    await done;
  }};
}

// ---- the screen -----------------------------------------------------------------------------------------------

/** "57 shown of 288 read": the panel's counts. */
function counts(screen) {
  const m = /([\d,]+) shown of ([\d,]+) read/.exec(screen);
  return m ? {shown: Number(m[1].replaceAll(',', '')), read: Number(m[2].replaceAll(',', ''))} : null;
}

function newestSeq(screen) {
  let max = 0;
  for (const m of screen.matchAll(/8000-(\d{12})|#(\d{9})/g)) max = Math.max(max, Number(m[1] ?? m[2]));
  return max;
}

async function keyLatency(session, key, predicate) {
  const t0 = performance.now();
  await session.sendKeys(key);
  await session.waitFor(predicate, {timeoutMs: 10_000, pollMs: 2});
  return performance.now() - t0;
}

const header = (screen) => screen.split('\n').slice(0, 12).join('\n');
const KEYS = [
  {name: 't (every line -> failures)', key: 't', ready: (s) => /failures only \(t: every line\)/.test(header(s))},
  {name: 't (failures -> every line)', key: 't', ready: (s) => /every line \(t: failures only\)/.test(header(s))},
  {name: 'space (pause)', key: 'Space', ready: (s) => /PAUSED/.test(header(s))},
  {name: 'space (resume)', key: 'Space', ready: (s) => !/PAUSED/.test(header(s)) && /following/.test(header(s))},
  {name: 'k (scroll up)', key: 'k', ready: (s) => /scrolled \(f follows\)/.test(header(s))},
  {name: 'f (follow)', key: 'f', ready: (s) => /· following ·/.test(header(s))},
];

async function measureKeys(session, into) {
  for (let r = 0; r < keyRepeats; r++) {
    for (const k of KEYS) {
      (into[k.name] ??= []).push(await keyLatency(session, k.key, k.ready));
      await sleep(60);
    }
  }
}

// ---- one run --------------------------------------------------------------------------------------------------

function frameStats(file, from, to) {
  if (!existsSync(file)) return {frames: [], ink: []};
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const within = rows.filter((r) => r.at >= from && r.at <= to);
  return {frames: within.filter((r) => r.kind === 'frame').map((r) => r.ms), ink: within.filter((r) => r.kind === 'ink').map((r) => r.ms)};
}

const p = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function runDashboard(mode, run) {
  const sim = await startSim();
  const group = `/aws/lambda/${sim.functionName}`;
  const stream = `2026/12/01/[$LATEST]bench${run}`;
  const statsFile = path.join(out, `log-tail-frames-${process.pid}-${mode}-${run}.jsonl`);
  rmSync(statsFile, {force: true});
  const session = new TmuxSession(`tail-${mode}-${run}`, {columns: 120, rows: 40, socket});
  const result = {mode, run};
  try {
    if (mode === 'poll') {
      const r = await fetch(`${sim.endpoint}/_lambda-top/faults`, {method: 'POST', body: JSON.stringify({rules: [{operation: 'StartLiveTail', unsupported: 1}]})});
      if (r.status !== 200) throw new Error(`faults: ${await r.text()}`);
    }
    await logs(sim, 'CreateLogStream', {logGroupName: group, logStreamName: stream});
    await session.start(`${node} ${cli} --endpoint-url ${sim.endpoint} --function ${sim.functionName} --interval 5s`, {...env, LAMBDA_TOP_FRAME_STATS: statsFile});
    await session.waitFor((s) => /Pipeline/.test(s) && /L logs/.test(s), {timeoutMs: 30_000});
    const panePid = Number((await session.tmux('list-panes', '-t', session.name, '-F', '#{pane_pid}')).trim());
    const pid = findDescendant(panePid, /dist\/cli\.js/) ?? findDescendant(panePid, /lambda-top/);
    if (!pid) throw new Error('could not find the dashboard process');
    // What the panel reads: Live Tail, the lines from its session's start; polling, from 60 s before it opened and
    // its 10 s re-read window before that (source/pollers/log-tail.ts: since = now - 60 s, overlap 10 s).
    const pressedAt = Date.now() + sim.offset;
    await session.sendKeys('L');
    const modeText = mode === 'live' ? /live tail \(StartLiveTail/ : /polling FilterLogEvents every 2 s/;
    await session.waitFor((s) => modeText.test(s), {timeoutMs: 20_000});
    const readFrom = mode === 'live' ? Date.now() + sim.offset : pressedAt - 70_000;
    await session.sendKeys('t');
    await session.waitFor((s) => /every line \(t: failures only\)/.test(header(s)), {timeoutMs: 10_000});
    await sleep(1500);

    // idle: the panel open, nothing but the model's own few lines
    const idleKeys = {};
    const idleFrom = Date.now();
    await measureKeys(session, idleKeys);
    const idleTo = Date.now();

    const rssIdle = rssBytes(pid);
    // load
    const writer = startWriter(sim, group, stream, rate);
    const loadFrom = Date.now();
    const cpu0 = cpuSeconds(pid);
    await sleep(1500);
    const loadKeys = {};
    await measureKeys(session, loadKeys);
    const lags = [];
    const rss = [];
    while (Date.now() - loadFrom < loadSeconds * 1000) {
      const screen = await session.capture();
      const seen = Date.now();
      const seq = newestSeq(screen);
      const at = writer.sentAt.get(seq);
      if (seq > 0 && at !== undefined) lags.push(seen - at);
      rss.push(rssBytes(pid));
      await sleep(200);
    }
    const loadTo = Date.now();
    const cpu = (cpuSeconds(pid) - cpu0) / ((loadTo - loadFrom) / 1000);
    await writer.stop();

    // settle: the panel's count has not moved for 3 s (longer than a poll interval and a Live Tail update)
    let last = -1;
    let stableSince = Date.now();
    let screen = '';
    for (let i = 0; i < 60 && Date.now() - stableSince < 3000; i++) {
      await sleep(250);
      screen = await session.capture();
      const c = counts(screen);
      if (!c || c.read !== last) stableSince = Date.now();
      last = c?.read ?? -1;
    }
    const inGroup = await countGroup(sim, group, readFrom);
    const sampled = mode === 'live' ? (await (await fetch(`${sim.endpoint}/_lambda-top/live-tail`)).json()).sampledOut : 0;
    await session.sendKeys('q');
    await session.waitFor((s) => /__exit=\d+/.test(s), {timeoutMs: 10_000});
    await sleep(200);
    const idleFrames = frameStats(statsFile, idleFrom, idleTo);
    const loadFrames = frameStats(statsFile, loadFrom, loadTo);
    Object.assign(result, {
      written: writer.written,
      writeFailures: writer.failures,
      read: counts(screen)?.read ?? NaN,
      inGroup,
      sampledOut: sampled,
      lagMedian: median(lags),
      lagP95: p(lags, 0.95),
      lagMax: Math.max(...lags),
      cpu,
      rssIdle,
      rssMax: Math.max(...rss),
      idleKeys,
      loadKeys,
      idleFrames,
      loadFrames,
      loadSeconds: (loadTo - loadFrom) / 1000,
    });
    return result;
  } finally {
    await session.kill();
    sim.stop();
    rmSync(statsFile, {force: true});
  }
}

async function runBare(run) {
  const session = new TmuxSession(`tail-bare-${run}`, {columns: 120, rows: 40, socket});
  const keys = [];
  try {
    await session.start(`${node} ${bare}`, env);
    await session.waitFor((s) => /bare ink keys: 0/.test(s), {timeoutMs: 20_000});
    for (let i = 1; i <= keyRepeats * KEYS.length; i++) {
      keys.push(await keyLatency(session, 'x', (s) => s.includes(`bare ink keys: ${i}`)));
      await sleep(60);
    }
    return keys;
  } finally {
    await session.kill();
  }
}

// ---- report ---------------------------------------------------------------------------------------------------

const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)}` : 'n/a');
const mmm = (values) => {
  const v = values.filter(Number.isFinite);
  return v.length ? `${fmt(Math.min(...v))} / ${fmt(median(v))} / ${fmt(Math.max(...v))}` : 'n/a';
};

console.log(`# logs panel under ${rate} lines/s (${runs} runs, ${loadSeconds} s of load each, modes: ${modes.join(', ')}; tmux 120x40; simulator in its own process, speed 1)`);
console.log('# figures are min / median / max over the runs of each run\'s median (p95 where said)');
const started = performance.now();
const bareRuns = [];
const results = {live: [], poll: []};
for (let run = 0; run < runs; run++) {
  bareRuns.push(await runBare(run));
  for (const mode of modes) {
    const r = await runDashboard(mode, run);
    results[mode].push(r);
    console.log(`  run ${run + 1} ${mode}: read ${r.read} of ${r.inGroup} in the group (${r.written} written by the bench${r.sampledOut ? `, ${r.sampledOut} sampled out by Live Tail` : ''}), lag median ${fmt(r.lagMedian)} ms max ${fmt(r.lagMax)} ms, frame p50 ${fmt(median(r.loadFrames.frames))} ms p95 ${fmt(p(r.loadFrames.frames, 0.95))} ms (${r.loadFrames.frames.length} frames), CPU ${(r.cpu * 100).toFixed(0)}%, RSS ${(r.rssMax / 1048576).toFixed(0)} MB`);
  }
}
const bareMedians = bareRuns.map((k) => median(k));
console.log(`\nbare Ink key-to-frame (ms)                 ${mmm(bareMedians)}`);
for (const mode of modes) {
  const rs = results[mode];
  if (rs.length === 0) continue;
  console.log(`\n## ${mode === 'live' ? 'Live Tail' : 'polling FilterLogEvents every 2 s'}`);
  console.log(`lines read / lines in the group           ${rs.map((r) => `${r.read}/${r.inGroup}`).join(', ')}`);
  console.log(`  share read (min / median / max)         ${mmm(rs.map((r) => (100 * r.read) / r.inGroup))} %`);
  if (mode === 'live') console.log(`  sampled out by the service (Live Tail)  ${rs.map((r) => r.sampledOut).join(', ')}`);
  console.log(`lag write -> screen, median (ms)          ${mmm(rs.map((r) => r.lagMedian))}`);
  console.log(`lag write -> screen, max (ms)             ${mmm(rs.map((r) => r.lagMax))}`);
  console.log(`frame time idle, median (ms)              ${mmm(rs.map((r) => median(r.idleFrames.frames)))}   (frames per run: ${rs.map((r) => r.idleFrames.frames.length).join(', ')})`);
  console.log(`frame time under load, median (ms)        ${mmm(rs.map((r) => median(r.loadFrames.frames)))}`);
  console.log(`frame time under load, p95 (ms)           ${mmm(rs.map((r) => p(r.loadFrames.frames, 0.95)))}   (frames per run: ${rs.map((r) => r.loadFrames.frames.length).join(', ')})`);
  console.log(`  of it Ink's output under load, median   ${mmm(rs.map((r) => median(r.loadFrames.ink)))}`);
  console.log(`key-to-frame (ms, median of the run)       idle                  under load            bare Ink`);
  for (const k of KEYS) {
    console.log(`  ${k.name.padEnd(38)} ${mmm(rs.map((r) => median(r.idleKeys[k.name]))).padEnd(21)} ${mmm(rs.map((r) => median(r.loadKeys[k.name]))).padEnd(21)} ${mmm(bareMedians)}`);
  }
  const allIdle = rs.map((r) => median(Object.values(r.idleKeys).flat()));
  const allLoad = rs.map((r) => median(Object.values(r.loadKeys).flat()));
  console.log(`  every key                              ${mmm(allIdle).padEnd(21)} ${mmm(allLoad).padEnd(21)} ${mmm(bareMedians)}`);
  console.log(`  ratio load / bare (median of runs)      ${(median(allLoad) / median(bareMedians)).toFixed(2)}x; idle / bare ${(median(allIdle) / median(bareMedians)).toFixed(2)}x`);
  console.log(`CPU of the dashboard under load           ${mmm(rs.map((r) => r.cpu * 100))} % of a core`);
  console.log(`RSS of the dashboard under load, max (MB) ${mmm(rs.map((r) => r.rssMax / 1048576))}   (panel open before the load: ${mmm(rs.map((r) => r.rssIdle / 1048576))})`);
}
console.log(`\n(took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
const tmux = new TmuxSession('x', {socket});
await tmux.killServer();
process.exit(0);
