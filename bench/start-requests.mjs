#!/usr/bin/env node
// Where an `--endpoint-url` start waits on the network (issue 10, the first frame with data): a timing proxy in
// front of `simulate --speed 1` records when each request of a start went out and when its answer ended, beside the
// skeleton and the data on screen (tmux 120x40, screen polled every 2 ms), all in ms from the launch. Prints each
// request's median start and end over the runs, in order. The first launch of each build warms the compile cache and
// is not counted.
// Usage: npm run build && node bench/start-requests.mjs [--runs 5] [--compare DIR]
import http from 'node:http';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {dataReady, skeletonReady, startSimulator} from './lib/dashboard-launch.mjs';
import {operationOf} from './lib/counting-proxy.mjs';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {median} from './lib/proc.mjs';
import {argument} from './lib/args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(argument('runs', 5));
const compareDir = argument('compare', null);
const targets = [{label: 'lambda-top', cli: path.join(root, 'bin/lambda-top.js')}];
if (compareDir) targets.push({label: 'compare', cli: path.resolve(compareDir, 'bin/lambda-top.js')});
if (!hasTmux()) {
  console.error('tmux is needed for this benchmark');
  process.exit(2);
}
const node = process.execPath;
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1'};

const simulator = await startSimulator(node, targets[0].cli);
const upstream = new URL(simulator.endpoint);
let launchedAt = 0;
let requests = [];
const proxy = http.createServer((request, response) => {
  const operation = operationOf(request);
  const start = performance.now() - launchedAt;
  const forward = http.request({host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers}, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
    answer.on('end', () => requests.push({operation, start, end: performance.now() - launchedAt}));
  });
  forward.on('error', () => {
    response.writeHead(502);
    response.end();
  });
  request.pipe(forward);
});
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${proxy.address().port}`;

let counter = 0;
async function launch(cli) {
  requests = [];
  const session = new TmuxSession(`req${counter++}`, {columns: 120, rows: 40, socket: `lambda-top-req-${process.pid}`});
  launchedAt = performance.now();
  await session.start(`${node} ${cli} --endpoint-url ${endpoint} --function ${simulator.functionName}`, env);
  try {
    await session.waitFor(skeletonReady, {timeoutMs: 20_000, pollMs: 2});
    const skeleton = performance.now() - launchedAt;
    await session.waitFor(dataReady, {timeoutMs: 20_000, pollMs: 2});
    const data = performance.now() - launchedAt;
    return {skeleton, data, requests: requests.filter((r) => r.start < data).sort((a, b) => a.start - b.start)};
  } finally {
    await session.kill();
    // A killed start's last requests must not land in the next one's list.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

try {
  for (const t of targets) await launch(t.cli);
  const results = new Map(targets.map((t) => [t.label, []]));
  for (let i = 0; i < runs; i++) for (const t of targets) results.get(t.label).push(await launch(t.cli));
  for (const t of targets) {
    const all = results.get(t.label);
    console.log(`${t.label}: ${runs} runs, medians (ms from the launch): skeleton ${median(all.map((r) => r.skeleton)).toFixed(0)}, data on screen ${median(all.map((r) => r.data)).toFixed(0)}`);
    // The n-th request of each operation, matched across runs.
    const rows = new Map();
    for (const run of all) {
      const seen = new Map();
      for (const r of run.requests) {
        const n = (seen.get(r.operation) ?? 0) + 1;
        seen.set(r.operation, n);
        const key = n === 1 ? r.operation : `${r.operation} #${n}`;
        if (!rows.has(key)) rows.set(key, []);
        rows.get(key).push(r);
      }
    }
    const lines = [...rows].map(([key, list]) => ({key, start: median(list.map((r) => r.start)), end: median(list.map((r) => r.end)), n: list.length}));
    for (const l of lines.sort((a, b) => a.start - b.start)) console.log(`  ${l.start.toFixed(0).padStart(6)} -> ${l.end.toFixed(0).padStart(6)}  ${l.key}${l.n < runs ? ` (in ${l.n} of ${runs} runs)` : ''}`);
  }
} finally {
  simulator.sim.kill('SIGTERM');
  proxy.close();
  await new TmuxSession('x', {socket: `lambda-top-req-${process.pid}`}).killServer().catch(() => {});
}
process.exit(0);
