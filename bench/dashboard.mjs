#!/usr/bin/env node
// Dashboard benchmarks, in a real terminal (tmux), measured side by side in one run:
//  1. time to first frame of `lambda-top --demo` vs a bare Ink app that renders one box (ratio; target <= 1.2x)
//  2. idle CPU of the dashboard over --seconds with --interval 5s against the simulator (target < 1% of a core),
//     next to the bare Ink app idling for the same time
//  3. resident memory of the dashboard (target < 100 MB)
//  4. AWS calls per refresh, counted by a loopback proxy (target: 1 GetMetricData + 1 GetQueueAttributes per queue)
// Usage: npm run build && node bench/dashboard.mjs [--runs 7] [--seconds 60] [--sim-speed 30] [--first-frame-only]
import {build} from 'esbuild';
import {mkdirSync} from 'node:fs';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {cpuSeconds, rssBytes, findDescendant, median} from './lib/proc.mjs';
import {startCountingProxy} from './lib/counting-proxy.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const runs = argument('runs', 7);
const idleSeconds = argument('seconds', 60);
// The simulator's clock speed for the idle measurement: 30 (the demo's) makes "N s ago" labels move 30x as
// often as against AWS; 1 behaves like AWS.
const simSpeed = argument('sim-speed', 30);
const node = process.execPath;
const cli = path.join(root, 'bin/lambda-top.js');

if (!hasTmux()) {
  console.error('tmux is needed for this benchmark (apt-get install tmux)');
  process.exit(2);
}

mkdirSync(path.join(root, '.bench-out'), {recursive: true});
const bare = path.join(root, '.bench-out/bare-ink.js');
await build({
  entryPoints: [path.join(root, 'bench/bare-ink.tsx')],
  outfile: bare,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  define: {'process.env.NODE_ENV': '"production"'},
  alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')},
  banner: {js: "import {createRequire as __lt_createRequire} from 'node:module'; const require = __lt_createRequire(import.meta.url);"},
  logLevel: 'warning',
});

const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1'};
let sessionCounter = 0;

async function firstFrame(command, ready) {
  const session = new TmuxSession(`ff${sessionCounter++}`, {columns: 120, rows: 40});
  const started = performance.now();
  await session.start(command, env);
  try {
    await session.waitFor(ready, {timeoutMs: 20_000, pollMs: 5});
    return performance.now() - started;
  } finally {
    await session.kill();
  }
}

const bareReady = (screen) => screen.includes('bare ink ready');
const dashReady = (screen) => /λ /.test(screen);
const dashDataReady = (screen) => /Pipeline|PIPELINE/.test(screen) && /Diagnosis|DIAGNOSIS/.test(screen) && !/loading/i.test(screen.split('\n').slice(0, 12).join('\n'));

console.log(`# time to first frame (${runs} runs each, alternating; tmux 120x40)`);
const bareTimes = [];
const dashTimes = [];
const noCacheTimes = [];
const dataTimes = [];
await firstFrame(`${node} ${bare}`, bareReady); // warm the file cache for both
await firstFrame(`${node} ${cli} --demo`, dashReady);
for (let i = 0; i < runs; i++) {
  bareTimes.push(await firstFrame(`${node} ${bare}`, bareReady));
  dashTimes.push(await firstFrame(`${node} ${cli} --demo`, dashReady));
  noCacheTimes.push(await firstFrame(`LAMBDA_TOP_NO_COMPILE_CACHE=1 ${node} ${cli} --demo`, dashReady));
  dataTimes.push(await firstFrame(`${node} ${cli} --demo`, dashDataReady).catch(() => NaN));
}
const bareMedian = median(bareTimes);
const dashMedian = median(dashTimes);
console.log(`bare Ink app          median ${bareMedian.toFixed(0)} ms  (${bareTimes.map((t) => t.toFixed(0)).join(' ')})`);
console.log(`lambda-top --demo     median ${dashMedian.toFixed(0)} ms  (${dashTimes.map((t) => t.toFixed(0)).join(' ')})`);
console.log(`  without V8's compile cache: median ${median(noCacheTimes).toFixed(0)} ms (ratio ${(median(noCacheTimes) / bareMedian).toFixed(2)}x)`);
console.log(`  first frame with data: median ${median(dataTimes.filter(Number.isFinite)).toFixed(0)} ms`);
console.log(`ratio first frame lambda-top / bare Ink: ${(dashMedian / bareMedian).toFixed(2)}x (target <= 1.2x)`);

if (process.argv.includes('--first-frame-only')) process.exit(0);
console.log(`\n# idle cost over ${idleSeconds} s, --interval 5s, dashboard against a separate simulator process (speed ${simSpeed})`);
const simPort = 20000 + Math.floor(Math.random() * 20000);
const sim = spawn(node, [cli, 'simulate', '--port', String(simPort), '--scenario', 'throttled-orders', '--speed', String(simSpeed)], {stdio: ['ignore', 'pipe', 'inherit']});
let simOut = '';
sim.stdout.on('data', (chunk) => (simOut += chunk));
for (let i = 0; i < 200 && !simOut.includes('endpoint:'); i++) await new Promise((r) => setTimeout(r, 50));
const functionName = /functions: ([^,\n]+)/.exec(simOut)?.[1]?.trim() ?? 'order-processor';
const proxy = await startCountingProxy(`http://127.0.0.1:${simPort}`);
const dash = new TmuxSession(`idle-dash`, {columns: 120, rows: 40});
const idleBare = new TmuxSession(`idle-bare`, {columns: 120, rows: 40});
try {
  await dash.start(`${node} ${cli} --endpoint-url ${proxy.endpoint} --function ${functionName} --interval 5s`, env);
  await idleBare.start(`${node} ${bare}`, env);
  await dash.waitFor((screen) => screen.includes(functionName), {timeoutMs: 20_000});
  await new Promise((r) => setTimeout(r, 6_000)); // settle: first discovery and refreshes
  const panePid = Number((await dash.tmux('list-panes', '-t', dash.name, '-F', '#{pane_pid}')).trim());
  const barePanePid = Number((await idleBare.tmux('list-panes', '-t', idleBare.name, '-F', '#{pane_pid}')).trim());
  const dashPid = findDescendant(panePid, /lambda-top/);
  const barePid = findDescendant(barePanePid, /bare-ink\.js/);
  if (!dashPid || !barePid) {
    throw new Error(`could not find the benchmarked processes (dashboard ${dashPid}, bare ${barePid}); dashboard screen:\n${await dash.capture()}`);
  }
  proxy.reset();
  const dashCpu0 = cpuSeconds(dashPid);
  const bareCpu0 = cpuSeconds(barePid);
  const simCpu0 = cpuSeconds(sim.pid);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const dashCpu = (cpuSeconds(dashPid) - dashCpu0) / idleSeconds;
  const bareCpu = (cpuSeconds(barePid) - bareCpu0) / idleSeconds;
  const simCpu = (cpuSeconds(sim.pid) - simCpu0) / idleSeconds;
  const refreshes = idleSeconds / 5;
  console.log(`dashboard CPU   ${(dashCpu * 100).toFixed(2)}% of a core (target < 1%)`);
  console.log(`bare Ink CPU    ${(bareCpu * 100).toFixed(2)}% of a core`);
  console.log(`simulator CPU   ${(simCpu * 100).toFixed(2)}% of a core (separate process, speed ${simSpeed})`);
  console.log(`dashboard RSS   ${(rssBytes(dashPid) / 1048576).toFixed(1)} MB (target < 100 MB); bare Ink RSS ${(rssBytes(barePid) / 1048576).toFixed(1)} MB`);
  console.log(`AWS calls per refresh (${refreshes} refreshes expected):`);
  for (const [operation, count] of [...proxy.counts.entries()].sort()) {
    console.log(`  ${operation.padEnd(36)} ${(count / refreshes).toFixed(2)}`);
  }
} finally {
  await dash.kill();
  await idleBare.kill();
  await dash.killServer();
  await proxy.stop();
  sim.kill('SIGTERM');
}
