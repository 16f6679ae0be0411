#!/usr/bin/env node
// The dashboard's cost per queue (issue 10), in a real terminal (tmux 120x40), against a separate simulator process
// (`lambda-top simulate --scenario healthy --source-queues N`: the primary function notification-sender with its DLQ
// and N empty SQS event sources), through a loopback proxy that counts the AWS calls and their bytes. Side by side
// in one run, 1 queue (N = 0) against 201 queues (N = 200):
//  1. AWS calls per refresh by operation (GetQueueAttributes, GetMetricData, ...) and bytes per refresh (sent +
//     received bodies), counted over --seconds of steady refreshes at --interval 5s (refreshes = GetMetricData calls)
//  2. resident memory of lambda-top after the measurement
//  3. data frame: from start to the first frame showing the DLQ's depth (the queues panel read), and its ratio
// Each figure: median (min, max) over --runs fresh processes. --cli PATH measures another build of lambda-top (a
// checkout of main, for the before figures) against this repository's simulator.
// Usage: npm run build && node bench/dashboard-queues.mjs [--runs 5] [--seconds 20] [--queues 200] [--quick] [--cli PATH]
//   --quick: 5 runs of 10 s (about 2 minutes); the default (5 runs of 20 s) about 4.
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {rssBytes, findDescendant, median} from './lib/proc.mjs';
import {startCountingProxy} from './lib/counting-proxy.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const quick = process.argv.includes('--quick');
const runs = Math.max(1, Number(argument('runs', 5)));
const seconds = Number(argument('seconds', quick ? 10 : 20));
const many = Number(argument('queues', 200));
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

async function measure(sim, queues, run) {
  const session = new TmuxSession(`dq${queues}x${run}`, {columns: 120, rows: 40});
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
    return {
      dataMs,
      refreshes,
      callsPerRefresh: calls / refreshes,
      queueReadsPerRefresh: (counts.GetQueueAttributes ?? 0) / refreshes,
      kbPerRefresh: (sim.proxy.bytes.sent + sim.proxy.bytes.received) / 1024 / refreshes,
      rssMb: pid ? rssBytes(pid) / 1048576 : NaN,
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

console.log(`# dashboard cost per queue: notification-sender (healthy) with 1 and ${many + 1} queues, --interval ${intervalSeconds}s, tmux 120x40`);
console.log(`# ${runs} runs each (a fresh process), ${seconds} s of refreshes counted per run; lambda-top: ${cli === ownCli ? 'this build' : cli}`);
const results = {};
const sims = {1: await startSim(0), [many + 1]: await startSim(many)};
try {
  for (let run = 0; run < runs; run++) {
    // alternate the order, so neither always runs on a warmer machine
    const order = run % 2 === 0 ? [1, many + 1] : [many + 1, 1];
    for (const q of order) (results[q] ??= []).push(await measure(sims[q], q, run));
  }
} finally {
  for (const s of Object.values(sims)) await s.stop();
}
for (const [q, list] of Object.entries(results)) {
  console.log(`\n## ${q} queue${q === '1' ? '' : 's'}: median (min, max) over ${list.length} runs`);
  console.log(`AWS calls per refresh        ${stat(list.map((r) => r.callsPerRefresh))} (GetQueueAttributes ${stat(list.map((r) => r.queueReadsPerRefresh))})`);
  console.log(`KB per refresh (bodies)      ${stat(list.map((r) => r.kbPerRefresh))}`);
  console.log(`RSS                          ${stat(list.map((r) => r.rssMb))} MB`);
  console.log(`first frame with data        ${stat(list.map((r) => r.dataMs), 0)} ms`);
  console.log(`calls counted (last run)     ${JSON.stringify(list.at(-1).counts)} over ${list.at(-1).refreshes} refreshes`);
}
const one = results[1];
const lots = results[many + 1];
console.log(`\nratio ${many + 1} / 1 queue: calls per refresh ${(median(lots.map((r) => r.callsPerRefresh)) / median(one.map((r) => r.callsPerRefresh))).toFixed(2)}x, KB ${(median(lots.map((r) => r.kbPerRefresh)) / median(one.map((r) => r.kbPerRefresh))).toFixed(2)}x, RSS ${(median(lots.map((r) => r.rssMb)) / median(one.map((r) => r.rssMb))).toFixed(2)}x, data frame ${(median(lots.map((r) => r.dataMs)) / median(one.map((r) => r.dataMs))).toFixed(2)}x`);
