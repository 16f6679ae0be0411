#!/usr/bin/env node
// Fleet view benchmark, in a real terminal (tmux), against a separate simulator process with a generated fleet
// (`lambda-top simulate --fleet --fleet-size N`), through a loopback proxy that counts the AWS calls, side by side
// in one run with a baseline: a bare Ink app bundled the same way (bench/bare-fleet-list.tsx) showing a list of the
// same N rows and visible size, sorting and filtering in process, measured through the same tmux loop, so the
// terminal round trip (send-keys, then capture-pane polled every millisecond: each poll spawns a tmux client) is
// in both figures and the ratio says what lambda-top adds.
//  1. time to first frame (the table's chrome), to the first rows, and to the first table with data (a health mark)
//  2. key-to-frame latency of sort (s) and filter (typing after /): p50 / p95 per run (target p95 < 16 ms)
//  3. resident memory of lambda-top (and of the baseline)
//  4. GetMetricData queries per refresh at two terminal heights (target: in proportion to the rows on screen,
//     not to the fleet), from the help overlay's own count, its estimated cost per hour, and the GetMetricData
//     calls the proxy counted per minute of the run
// Each figure: min / median / max over --runs fresh processes (default 5).
// Usage: npm run build && node bench/fleet.mjs [--size 5000] [--presses 30] [--runs 5] [--quick] [--method control|spawn] [--gap ms] [--sim-speed 1] [--cli PATH] [--idle-seconds 65] [--rows 30|60]
//   --quick: 140x30 only, 5 runs of 12 presses, no idle count (about 3 minutes); the full run (both heights, 30
//   presses, 65 s idle once per height) about 10.
import {buildBare} from './lib/bare-build.mjs';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {rssBytes, findDescendant, median} from './lib/proc.mjs';
import {startCountingProxy} from './lib/counting-proxy.mjs';
import {TmuxControl, tmuxQuote} from './lib/tmux-control.mjs';
import {argument, has} from './lib/args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quick = has('quick');
const size = Number(argument('size', 5000));
const presses = Number(argument('presses', quick ? 12 : 30));
const runs = Math.max(1, Number(argument('runs', 5)));
// --rows 60: one terminal height only
const heights = has('rows') ? [Number(argument('rows', 30))] : quick ? [30] : [30, 60];
// ms between a frame and the next key: 0 sends keys back to back (Ink's render throttle, maxFps, then delays a key
// that comes within a frame of the last render); 50 is a fast typist (20 keys a second)
const gap = Number(argument('gap', 0));
// after the keys, the first run of each height sits idle this long and counts the GetMetricData calls (the cost of
// leaving the table open: about 1 a minute, and the rankings' 4 every 10 minutes)
const idleSeconds = Number(argument('idle-seconds', quick ? 0 : 65));
const method = argument('method', 'control');
const node = process.execPath;
const ownCli = path.join(root, 'bin/lambda-top.js');
// --cli PATH: measure another build of lambda-top (a checkout of main: the before figures) against this simulator
const cli = path.resolve(argument('cli', ownCli));
const intervalSeconds = 5;
// the simulator's clock: 1 behaves like AWS (a 1-minute metric period is a wall minute); the demo's 30 makes every
// --interval tick a new period, so metrics are asked for at every tick
const simSpeed = Number(argument('sim-speed', 1));
if (!hasTmux()) {
  console.error('tmux is needed for this benchmark (apt-get install tmux)');
  process.exit(2);
}

// the baseline, bundled with the settings bench/dashboard.mjs uses for its bare Ink app (those of scripts/build.mjs)
const bare = await buildBare('bare-fleet-list');

const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', LANG: 'C.UTF-8'};
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
const SORTS = ['health', 'name', 'invocations', 'errors', 'throttles', 'event age', 'dropped', 'concurrency', 'DLQ depth'];

const simPort = 20000 + Math.floor(Math.random() * 20000);
const sim = spawn(node, [ownCli, 'simulate', '--port', String(simPort), '--speed', String(simSpeed), '--fleet', '--fleet-size', String(size)], {stdio: ['ignore', 'pipe', 'inherit']});
let simOut = '';
sim.stdout.on('data', (chunk) => (simOut += chunk));
for (let i = 0; i < 400 && !simOut.includes('endpoint:'); i++) await new Promise((r) => setTimeout(r, 50));
const proxy = await startCountingProxy(`http://127.0.0.1:${simPort}`);
console.log(`# fleet view, ${size} generated functions + every scenario, --interval ${intervalSeconds}s, simulator in its own process at --speed ${simSpeed}`);
console.log(`# key to frame through tmux ${method === 'control' ? 'control mode (key sent -> the output carrying the frame)' : 'send-keys + capture-pane polled every ms (a tmux process per poll)'}`);
console.log(`# ${gap ? `${gap} ms between a frame and the next key` : 'keys sent back to back (the next key as soon as the frame is seen)'}`);
console.log(`# lambda-top: ${cli === ownCli ? 'this build' : cli}`);
console.log(`# ${runs} runs per figure (a fresh process each), ${presses} presses of each key per run${quick ? ' (--quick)' : ''}; baseline: bare Ink list of ${size} rows`);

/** Sort and filter key-to-frame times in a session showing "sort: <name> " and "filter: /<typed>█". With the
 * control-mode client (the default) a time runs from the key sent to the output that carried the frame; with
 * --method spawn, from `tmux send-keys` to the capture-pane (a tmux process each, polled every ms) showing it. */
async function keyTimes(session) {
  const control = method === 'control' ? await TmuxControl.attach(session) : null;
  const press = async (keys, predicate) => {
    if (gap) await new Promise((r) => setTimeout(r, gap));
    if (control) return control.keyToFrame(keys.map(tmuxQuote).join(' '), predicate);
    const t = performance.now();
    await session.sendKeys(...keys);
    await session.waitFor(predicate, {timeoutMs: 5_000, pollMs: 1});
    return performance.now() - t;
  };
  try {
    const sortTimes = [];
    const firstSort = /sort: ([a-zA-Z ]+?) ·/.exec(await session.capture())?.[1] ?? 'health';
    let index = SORTS.indexOf(firstSort);
    for (let i = 0; i < presses; i++) {
      index = (index + 1) % SORTS.length;
      const want = `sort: ${SORTS[index]} `;
      sortTimes.push(await press(['s'], (s) => s.includes(want)));
    }
    const filterTimes = [];
    for (let round = 0; filterTimes.length < presses; round++) {
      await session.sendKeys('/');
      await session.waitFor((s) => s.includes('filter: /█'), {timeoutMs: 5_000, pollMs: 2});
      let typed = '';
      for (const ch of ['pay', 'ord', 'med', 'cat'][round % 4]) {
        typed += ch;
        const want = `filter: /${typed}█`;
        filterTimes.push(await press(['-l', ch], (s) => s.includes(want)));
      }
      await session.sendKeys('Escape');
      await session.waitFor((s) => /sort: /.test(s) && !/filter:/.test(s), {timeoutMs: 5_000, pollMs: 2});
    }
    return {sort: {p50: median(sortTimes), p95: p95(sortTimes)}, filter: {p50: median(filterTimes), p95: p95(filterTimes)}};
  } finally {
    control?.close();
  }
}

async function pidIn(session, pattern) {
  const panePid = Number((await session.tmux('list-panes', '-t', session.name, '-F', '#{pane_pid}')).trim());
  return findDescendant(panePid, pattern);
}

async function measureBaseline(rows, run) {
  const session = new TmuxSession(`bare${rows}x${run}`, {columns: 140, rows});
  await session.start(`${node} ${bare} --size ${size}`, env);
  try {
    await session.waitFor((s) => s.includes('bare list ready') && /sort: /.test(s), {timeoutMs: 20_000, pollMs: 5});
    const keys = await keyTimes(session);
    // the floor: a key that changes one number in the footer (no sort, no filter), the same presses
    const control = method === 'control' ? await TmuxControl.attach(session) : null;
    const floorTimes = [];
    try {
      for (let i = 1; i <= presses; i++) {
        if (gap) await new Promise((r) => setTimeout(r, gap));
        const want = new RegExp(`· n ${i}\\b`);
        if (control) floorTimes.push(await control.keyToFrame('n', (s) => want.test(s)));
        else {
          const t = performance.now();
          await session.sendKeys('n');
          await session.waitFor((s) => want.test(s), {timeoutMs: 5_000, pollMs: 1});
          floorTimes.push(performance.now() - t);
        }
      }
    } finally {
      control?.close();
    }
    const pid = await pidIn(session, /bare-fleet-list/);
    return {...keys, floor: {p50: median(floorTimes), p95: p95(floorTimes)}, rssMb: pid ? rssBytes(pid) / 1048576 : NaN};
  } finally {
    await session.kill();
  }
}

async function measureFleet(rows, run, idle = 0) {
  const session = new TmuxSession(`fleet${rows}x${run}`, {columns: 140, rows});
  proxy.reset();
  const started = performance.now();
  await session.start(`${node} ${cli} --endpoint-url ${proxy.endpoint} --region us-east-1 --interval ${intervalSeconds}s`, env);
  try {
    await session.waitFor((s) => s.includes('lambda-top fleet'), {timeoutMs: 20_000, pollMs: 5});
    const firstFrameMs = performance.now() - started;
    // the first rows: a function name in the table (any mark, "?" while its metrics are not known)
    await session.waitFor((s) => /^[✖▲●?] \S+-\S+/m.test(s), {timeoutMs: 60_000, pollMs: 5});
    const rowsMs = performance.now() - started;
    await session.waitFor((s) => /updated \d/.test(s) && /[✖▲]/.test(s), {timeoutMs: 60_000, pollMs: 10});
    const dataMs = performance.now() - started;
    // settle: the listing done and the refresh that knows the rows on screen
    await session.waitFor((s) => !/loading \d/.test(s), {timeoutMs: 60_000, pollMs: 50});
    await new Promise((r) => setTimeout(r, (intervalSeconds + 2) * 1000));
    await session.sendKeys('?');
    const help = (await session.waitFor((s) => /Per refresh/.test(s), {timeoutMs: 10_000})).screen.replace(/\s+/g, ' ');
    const perRefresh = /Per refresh[^:]*: (\d+) GetMetricData calls, (\d+) metric queries(?:, (\d+) Metrics Insights queries)?/.exec(help);
    const cost = /Estimated cost: \$([\d.]+) per hour/.exec(help)?.[1];
    await session.sendKeys('Escape');
    await session.waitFor((s) => /sort: /.test(s));
    const keys = await keyTimes(session);
    const pid = await pidIn(session, /lambda-top/);
    const minutes = (performance.now() - started) / 60_000;
    const during = {gmd: proxy.counts.get('GetMetricData') ?? 0, list: [...proxy.counts].filter(([op]) => /ListFunctions|\/functions\/?$/.test(op)).reduce((n, [, c]) => n + c, 0)};
    let idleGmdPerMinute = null;
    if (idle > 0) {
      // the last keys' fills (rows that came on screen, and those their new figures sorted into view) first
      await new Promise((r) => setTimeout(r, 5000));
      proxy.reset();
      await new Promise((r) => setTimeout(r, idle * 1000));
      idleGmdPerMinute = (proxy.counts.get('GetMetricData') ?? 0) / (idle / 60);
    }
    return {
      firstFrameMs,
      rowsMs,
      dataMs,
      ...keys,
      rssMb: pid ? rssBytes(pid) / 1048576 : NaN,
      calls: perRefresh ? Number(perRefresh[1]) : NaN,
      queries: perRefresh ? Number(perRefresh[2]) : NaN,
      insights: perRefresh ? Number(perRefresh[3] ?? 0) : NaN,
      cost: cost ? Number(cost) : NaN,
      gmdPerMinute: during.gmd / minutes,
      idleGmdPerMinute,
      listCalls: during.list,
    };
  } finally {
    await session.kill();
    await session.killServer();
  }
}

const stat = (values, digits = 1) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${median(sorted).toFixed(digits)} (min ${sorted[0].toFixed(digits)}, max ${sorted.at(-1).toFixed(digits)})`;
};
const pick = (list, get) => list.map(get);

try {
  for (const rows of heights) {
    const fleet = [];
    const base = [];
    for (let run = 0; run < runs; run++) {
      // alternate which goes first, so neither always runs on a warmer machine
      if (run % 2 === 0) {
        base.push(await measureBaseline(rows, run));
        fleet.push(await measureFleet(rows, run, run === 0 ? idleSeconds : 0));
      } else {
        fleet.push(await measureFleet(rows, run));
        base.push(await measureBaseline(rows, run));
      }
    }
    console.log(`\n## terminal 140x${rows} (${rows - 5} table rows): median (min, max) over ${runs} runs`);
    console.log(`time to first frame               ${stat(pick(fleet, (r) => r.firstFrameMs), 0)} ms`);
    console.log(`time to first rows                ${stat(pick(fleet, (r) => r.rowsMs), 0)} ms`);
    console.log(`time to first table with data     ${stat(pick(fleet, (r) => r.dataMs), 0)} ms`);
    for (const k of ['sort', 'filter']) {
      for (const q of ['p50', 'p95']) {
        const f = pick(fleet, (r) => r[k][q]);
        const b = pick(base, (r) => r[k][q]);
        console.log(`key to frame, ${k.padEnd(6)} ${q}  lambda-top ${stat(f)} ms · bare Ink list ${stat(b)} ms · ratio ${(median(f) / median(b)).toFixed(2)}x`);
      }
    }
    console.log(`floor (bare list, footer only)    p50 ${stat(pick(base, (r) => r.floor.p50))} ms, p95 ${stat(pick(base, (r) => r.floor.p95))} ms: Ink + React + the terminal round trip, no sort`);
    console.log(`RSS                               lambda-top ${stat(pick(fleet, (r) => r.rssMb))} MB · bare Ink list ${stat(pick(base, (r) => r.rssMb))} MB`);
    const r0 = fleet[0];
    console.log(`per refresh (help overlay)        ${r0.calls} GetMetricData calls: ${r0.queries} metric queries + ${r0.insights} Metrics Insights; est. $${stat(pick(fleet, (r) => r.cost), 3)}/hour (public price, unconfirmed)`);
    console.log(`GetMetricData calls counted       ${stat(pick(fleet, (r) => r.gmdPerMinute))} per minute of a run (start, keys: each new screen of rows is filled); ListFunctions ${r0.listCalls} calls`);
    if (r0.idleGmdPerMinute !== null) console.log(`GetMetricData calls, idle         ${r0.idleGmdPerMinute.toFixed(1)} per minute over ${idleSeconds} s left open (first run)`);
  }
} finally {
  await proxy.stop();
  sim.kill('SIGTERM');
}
