#!/usr/bin/env node
// Fleet view benchmark, in a real terminal (tmux), against a separate simulator process with a generated fleet
// (`lambda-top simulate --fleet --fleet-size N`), through a loopback proxy that counts the AWS calls:
//  1. time to first frame (the table's chrome) and to the first table with data
//  2. key-to-frame latency of sort (s) and filter (typing after /): p50 / p95 (target p95 < 16 ms), measured from
//     tmux send-keys to the frame read back by capture-pane (polled every 1-2 ms: an upper bound)
//  3. resident memory of lambda-top
//  4. GetMetricData queries per refresh at two terminal heights (target: in proportion to the rows on screen,
//     not to the fleet), from the help overlay's own count (the proxy only forwards: see the report of issue 13)
// Usage: npm run build && node bench/fleet.mjs [--size 5000] [--presses 30]
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {rssBytes, findDescendant, median} from './lib/proc.mjs';
import {startCountingProxy} from './lib/counting-proxy.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const size = argument('size', 5000);
const presses = argument('presses', 30);
const node = process.execPath;
const cli = path.join(root, 'bin/lambda-top.js');
const intervalSeconds = 5;
if (!hasTmux()) {
  console.error('tmux is needed for this benchmark (apt-get install tmux)');
  process.exit(2);
}
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', LANG: 'C.UTF-8'};
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
const SORTS = ['health', 'name', 'invocations', 'errors', 'throttles', 'event age', 'dropped', 'concurrency', 'DLQ depth'];

const simPort = 20000 + Math.floor(Math.random() * 20000);
const sim = spawn(node, [cli, 'simulate', '--port', String(simPort), '--fleet', '--fleet-size', String(size)], {stdio: ['ignore', 'pipe', 'inherit']});
let simOut = '';
sim.stdout.on('data', (chunk) => (simOut += chunk));
for (let i = 0; i < 400 && !simOut.includes('endpoint:'); i++) await new Promise((r) => setTimeout(r, 50));
const proxy = await startCountingProxy(`http://127.0.0.1:${simPort}`);
console.log(`# fleet view, ${size} generated functions + every scenario, --interval ${intervalSeconds}s, simulator in its own process`);

async function measure(rows) {
  const session = new TmuxSession(`fleet${rows}`, {columns: 140, rows});
  const started = performance.now();
  await session.start(`${node} ${cli} --endpoint-url ${proxy.endpoint} --region us-east-1 --interval ${intervalSeconds}s`, env);
  try {
    const first = await session.waitFor((s) => s.includes('lambda-top fleet'), {timeoutMs: 20_000, pollMs: 5});
    const firstFrameMs = performance.now() - started;
    void first;
    await session.waitFor((s) => /updated \d/.test(s) && /[✖▲]/.test(s), {timeoutMs: 60_000, pollMs: 20});
    const dataMs = performance.now() - started;
    // settle: the refresh that knows the rows on screen
    await new Promise((r) => setTimeout(r, (intervalSeconds + 2) * 1000));
    await session.sendKeys('?');
    const help = (await session.waitFor((s) => /Per refresh/.test(s), {timeoutMs: 10_000})).screen.replace(/\s+/g, ' ');
    const perRefresh = /Per refresh \(every [^)]*\): (\d+) GetMetricData calls, (\d+) metric queries(?:, (\d+) Metrics Insights queries)?/.exec(help);
    const cost = /Estimated cost: \$([\d.]+) per hour/.exec(help)?.[1];
    await session.sendKeys('Escape');
    await session.waitFor((s) => /sort: /.test(s));

    const sortTimes = [];
    let index = 0;
    for (let i = 0; i < presses; i++) {
      index = (index + 1) % SORTS.length;
      const want = `sort: ${SORTS[index]} `;
      const t = performance.now();
      await session.sendKeys('s');
      await session.waitFor((s) => s.includes(want), {timeoutMs: 5_000, pollMs: 1});
      sortTimes.push(performance.now() - t);
    }
    const filterTimes = [];
    for (let round = 0; filterTimes.length < presses; round++) {
      await session.sendKeys('/');
      await session.waitFor((s) => s.includes('filter: /█'), {timeoutMs: 5_000, pollMs: 2});
      let typed = '';
      for (const ch of ['pay', 'ord', 'med', 'cat'][round % 4]) {
        typed += ch;
        const t = performance.now();
        await session.sendKeys('-l', ch);
        await session.waitFor((s) => s.includes(`filter: /${typed}█`), {timeoutMs: 5_000, pollMs: 1});
        filterTimes.push(performance.now() - t);
      }
      await session.sendKeys('Escape');
      await session.waitFor((s) => /sort: /.test(s) && !/filter:/.test(s), {timeoutMs: 5_000, pollMs: 2});
    }
    const panePid = Number((await session.tmux('list-panes', '-t', session.name, '-F', '#{pane_pid}')).trim());
    const pid = findDescendant(panePid, /lambda-top/);
    return {
      rows,
      firstFrameMs,
      dataMs,
      sort: {p50: median(sortTimes), p95: p95(sortTimes)},
      filter: {p50: median(filterTimes), p95: p95(filterTimes)},
      rssMb: pid ? rssBytes(pid) / 1048576 : NaN,
      calls: perRefresh ? Number(perRefresh[1]) : NaN,
      queries: perRefresh ? Number(perRefresh[2]) : NaN,
      insights: perRefresh ? Number(perRefresh[3] ?? 0) : NaN,
      cost,
    };
  } finally {
    await session.kill();
    await session.killServer();
  }
}

try {
  const results = [];
  for (const rows of [30, 60]) results.push(await measure(rows));
  for (const r of results) {
    console.log(`\n## terminal 140x${r.rows} (${r.rows - 5} table rows)`);
    console.log(`time to first frame        ${r.firstFrameMs.toFixed(0)} ms; first table with data ${r.dataMs.toFixed(0)} ms`);
    console.log(`key to frame, sort (s)     p50 ${r.sort.p50.toFixed(1)} ms, p95 ${r.sort.p95.toFixed(1)} ms (target p95 < 16 ms; tmux round trip included)`);
    console.log(`key to frame, filter (/x)  p50 ${r.filter.p50.toFixed(1)} ms, p95 ${r.filter.p95.toFixed(1)} ms`);
    console.log(`RSS                        ${r.rssMb.toFixed(1)} MB`);
    console.log(`per refresh                ${r.calls} GetMetricData calls: ${r.queries} metric queries + ${r.insights} Metrics Insights; est. $${r.cost}/hour (public price, unconfirmed)`);
  }
  const [a, b] = results;
  console.log(`\nqueries per refresh: ${a.queries} at ${a.rows - 5} rows, ${b.queries} at ${b.rows - 5} rows (ratio ${(b.queries / a.queries).toFixed(2)}; rows ratio ${((b.rows - 5) / (a.rows - 5)).toFixed(2)}); fleet ${size} functions`);
} finally {
  await proxy.stop();
  sim.kill('SIGTERM');
}
