#!/usr/bin/env node
// The dashboard's cost per queue (issue 10), in a real terminal (tmux, 120 columns), against a separate simulator process
// (`lambda-top simulate --scenario healthy --source-queues N`: the primary function notification-sender with its DLQ
// and N empty SQS event sources), through a loopback proxy that counts the AWS calls and their bytes. Side by side
// in one run, 1 queue (N = 0) at the first --rows against 201 queues (N = 200) at each of --rows (the queue rows on
// screen depend on the terminal's height, and the dashboard reads those every refresh, 10 others in turn):
//  1. AWS calls per refresh by operation (GetQueueAttributes, GetMetricData, ...) and bytes per refresh (sent +
//     received bodies), counted over --seconds of steady refreshes at --interval 5s (refreshes = GetMetricData calls)
//  2. resident memory of lambda-top after the measurement
//  3. data frame: from start to the first frame showing the DLQ's depth (the queues panel read), and its ratio
//  4. (201 queues) scroll: Tab to the queues panel, page down 4 times to rows whose turn has not come, and time until
//     every row in view shows a current reading (no "not read" / "… ago"), with the GetQueueAttributes that took
// Each figure: median (min, max) over --runs fresh processes. --cli PATH measures another build of lambda-top (a
// checkout of main, for the before figures) against this repository's simulator.
// Usage: npm run build && node bench/dashboard-queues.mjs [--runs 5] [--seconds 20] [--queues 200] [--rows 40,60] [--quick] [--cli PATH]
//   --quick: 5 runs of 10 s (about 4 minutes at two heights); the default (5 runs of 20 s) about 6.
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {rssBytes, findDescendant, median} from './lib/proc.mjs';
import {startCountingProxy} from './lib/counting-proxy.mjs';
import {argument, has} from './lib/args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quick = has('quick');
const runs = Math.max(1, Number(argument('runs', 5)));
const seconds = Number(argument('seconds', quick ? 10 : 20));
const many = Number(argument('queues', 200));
const heights = String(argument('rows', '40,60')).split(',').map(Number).filter((n) => n >= 10);
const node = process.execPath;
const ownCli = path.join(root, 'bin/lambda-top.js');
const cli = path.resolve(argument('cli', ownCli));
const intervalSeconds = 5;
if (!hasTmux()) {
  console.error('tmux is needed for this benchmark (apt-get install tmux)');
  process.exit(2);
}
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', LANG: 'C.UTF-8'};

async function startSim(sourceQueues) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const sim = spawn(node, [ownCli, 'simulate', '--port', String(port), '--speed', '1', '--scenario', 'healthy', '--source-queues', String(sourceQueues)], {stdio: ['ignore', 'pipe', 'inherit']});
  let out = '';
  sim.stdout.on('data', (chunk) => (out += chunk));
  for (let i = 0; i < 400 && !out.includes('endpoint:'); i++) await new Promise((r) => setTimeout(r, 50));
  const proxy = await startCountingProxy(`http://127.0.0.1:${port}`);
  return {
    proxy,
    async stop() {
      await proxy.stop();
      sim.kill('SIGTERM');
    },
  };
}

/** The queue rows on screen that hold a current reading, and the range the panel's title gives. */
function queueRowsInView(screen) {
  const m = /Queues\s+\d+ · (\d+)-(\d+)/.exec(screen);
  const rows = screen.split('\n').filter((l) => /notification-sender-source-\d{3}/.test(l));
  return {first: m ? Number(m[1]) : 1, current: rows.length > 0 && rows.every((l) => /source-\d{3}\s+\d/.test(l) && !/not read|ago/.test(l))};
}

async function measure(sim, queues, rows, run) {
  const session = new TmuxSession(`dq${queues}x${rows}x${run}`, {columns: 120, rows});
  const started = performance.now();
  await session.start(`${node} ${cli} --endpoint-url ${sim.proxy.endpoint} --region us-east-1 --function notification-sender --interval ${intervalSeconds}s`, env);
  try {
    await session.waitFor((s) => /notification-sender-dlq\s+\d/.test(s), {timeoutMs: 30_000, pollMs: 5});
    const dataMs = performance.now() - started;
    // steady state: past discovery and the first reads, then count whole refreshes
    await new Promise((r) => setTimeout(r, intervalSeconds * 1000 + 500));
    sim.proxy.reset();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const counts = Object.fromEntries(sim.proxy.counts);
    const refreshes = Math.max(1, counts.GetMetricData ?? 0);
    const panePid = Number((await session.tmux('list-panes', '-t', session.name, '-F', '#{pane_pid}')).trim());
    const pid = findDescendant(panePid, /lambda-top/);
    const calls = Object.values(counts).reduce((a, b) => a + b, 0);
    // the steady refreshes' bytes and memory, before the scroll below reads more
    const steady = {
      kbPerRefresh: (sim.proxy.bytes.sent + sim.proxy.bytes.received) / 1024 / refreshes,
      kbSentPerRefresh: sim.proxy.bytes.sent / 1024 / refreshes,
      rssMb: pid ? rssBytes(pid) / 1048576 : NaN,
    };
    let scroll = null;
    if (queues > 1) {
      // to the queues panel, then page down into rows whose turn has not come
      await session.sendKeys('Tab');
      await new Promise((r) => setTimeout(r, 200));
      await session.sendKeys('Tab');
      await session.waitFor((s) => /Queues {2}\d/.test(s), {timeoutMs: 5000, pollMs: 20});
      const from = queueRowsInView(await session.capture()).first;
      sim.proxy.reset();
      const scrolled = performance.now();
      for (let i = 0; i < 4; i++) {
        await session.sendKeys('PageDown');
        await new Promise((r) => setTimeout(r, 100));
      }
      // a build whose panel does not scroll (or reads those rows only in their turn) gets NaN here
      const ok = await session.waitFor((s) => {
        const v = queueRowsInView(s);
        return v.first > from + 60 && v.current;
      }, {timeoutMs: intervalSeconds * 1000 * 4, pollMs: 20}).then(() => true, () => false);
      scroll = {ms: ok ? performance.now() - scrolled : NaN, queueReads: sim.proxy.counts.get('GetQueueAttributes') ?? 0, refreshes: sim.proxy.counts.get('GetMetricData') ?? 0};
    }
    return {
      scroll,
      dataMs,
      refreshes,
      callsPerRefresh: calls / refreshes,
      queueReadsPerRefresh: (counts.GetQueueAttributes ?? 0) / refreshes,
      ...steady,
      counts,
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

console.log(`# dashboard cost per queue: notification-sender (healthy) with 1 and ${many + 1} queues, --interval ${intervalSeconds}s, tmux 120x${heights.join(' and 120x')}`);
console.log(`# ${runs} runs each (a fresh process), ${seconds} s of refreshes counted per run; lambda-top: ${cli === ownCli ? 'this build' : cli}`);
const results = {};
const sims = {1: await startSim(0), [many + 1]: await startSim(many)};
// 1 queue at the first height (the baseline), the many at every height
const configs = [{queues: 1, rows: heights[0]}, ...heights.map((rows) => ({queues: many + 1, rows}))];
const keyOf = (c) => `${c.queues} queue${c.queues === 1 ? '' : 's'}, 120x${c.rows}`;
try {
  for (let run = 0; run < runs; run++) {
    // rotate the order, so none always runs on a warmer machine
    const order = configs.map((_, i) => configs[(i + run) % configs.length]);
    for (const c of order) (results[keyOf(c)] ??= []).push(await measure(sims[c.queues], c.queues, c.rows, run));
  }
} finally {
  for (const s of Object.values(sims)) await s.stop();
}
for (const c of configs) {
  const list = results[keyOf(c)];
  console.log(`\n## ${keyOf(c)}: median (min, max) over ${list.length} runs`);
  console.log(`AWS calls per refresh        ${stat(list.map((r) => r.callsPerRefresh))} (GetQueueAttributes ${stat(list.map((r) => r.queueReadsPerRefresh))})`);
  console.log(`KB per refresh (bodies)      ${stat(list.map((r) => r.kbPerRefresh))} (sent ${stat(list.map((r) => r.kbSentPerRefresh))})`);
  console.log(`RSS                          ${stat(list.map((r) => r.rssMb))} MB`);
  console.log(`first frame with data        ${stat(list.map((r) => r.dataMs), 0)} ms`);
  console.log(`calls counted (last run)     ${JSON.stringify(list.at(-1).counts)} over ${list.at(-1).refreshes} refreshes`);
  const scrolls = list.map((r) => r.scroll).filter(Boolean);
  if (scrolls.length) {
    console.log(`scroll 4 pages: rows current ${stat(scrolls.map((s) => s.ms), 0)} ms after the first key, GetQueueAttributes ${stat(scrolls.map((s) => s.queueReads), 0)}, refreshes meanwhile ${stat(scrolls.map((s) => s.refreshes), 0)} (interval ${intervalSeconds} s)`);
  }
}
const one = results[keyOf(configs[0])];
for (const c of configs.slice(1)) {
  const lots = results[keyOf(c)];
  console.log(`\nratio ${keyOf(c)} / ${keyOf(configs[0])}: calls per refresh ${(median(lots.map((r) => r.callsPerRefresh)) / median(one.map((r) => r.callsPerRefresh))).toFixed(2)}x, KB ${(median(lots.map((r) => r.kbPerRefresh)) / median(one.map((r) => r.kbPerRefresh))).toFixed(2)}x, RSS ${(median(lots.map((r) => r.rssMb)) / median(one.map((r) => r.rssMb))).toFixed(2)}x, data frame ${(median(lots.map((r) => r.dataMs)) / median(one.map((r) => r.dataMs))).toFixed(2)}x`);
}
