#!/usr/bin/env node
// How much of a start's main-thread work is V8 compiling functions lazily, at their first call (issue 10, first
// frame with data). Launches `lambda-top --demo` (or --endpoint-url to a simulator) in tmux 120x40 with V8's
// function-event log, waits for the skeleton and the data, quits, and sums the log's compile events up to each:
// per kind of script (the bundle's chunks, Node's builtins, the rest) and per event, with the number of functions
// compiled lazily and how many of the chunks' scripts came from the code cache (deserialized) or were compiled.
// Caveats, measured: --log-function-events is part of V8's flag hash, so Node's builtins lose their embedded code
// cache under it (NODE_DEBUG_NATIVE=CODE_CACHE: "rejected") and the "node" rows are those of a cold builtin start;
// and the bundle's chunks show the same parse-script/full-parse rows with and without LAMBDA_TOP_NO_COMPILE_CACHE
// (Node reports their cache accepted), so the "bundle parse-script / full-parse" rows overstate a warm start. The
// lazy rows (parse-function, interpreter: a function compiled at its first call) are what a warm cache never
// holds; the log's own overhead inflates every time (read them as shares, the counts as exact). The first launch
// of each build warms the compile cache and is not counted.
// Usage: npm run build && node bench/lazy-compile.mjs [--runs 3] [--endpoint] [--compare DIR] [--no-cache]
//        [--node-flags '--flag ...']
import {dataReady, skeletonReady, startSimulator} from './lib/dashboard-launch.mjs';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {readFunctionLog} from './lib/v8-function-log.mjs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {median} from './lib/proc.mjs';
import {argument, has} from './lib/args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(argument('runs', 3));
const compareDir = argument('compare', null);
const nodeFlags = argument('node-flags', '');
const endpoint = has('endpoint');
const node = process.execPath;
const targets = [{label: 'lambda-top', dir: root}];
if (compareDir) targets.push({label: 'compare', dir: path.resolve(compareDir)});
if (!hasTmux()) {
  console.error('tmux is needed for this benchmark');
  process.exit(2);
}

const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1'};
if (has('no-cache')) env.LAMBDA_TOP_NO_COMPILE_CACHE = '1';

/** The log's compile events, summed until `untilMs` after its first event. */
export function summarise(log, untilMs) {
  const {scripts, events} = readFunctionLog(log);
  const kind = (id) => {
    const name = scripts.get(id) ?? '';
    if (/[\\/]dist[\\/]/.test(name)) return 'bundle';
    if (name.startsWith('node:')) return 'node';
    return 'other';
  };
  const sums = {};
  for (const e of events) {
    if (e.at > untilMs) continue;
    const key = `${kind(e.script)} ${e.event}`;
    sums[key] ??= {ms: 0, count: 0};
    sums[key].ms += e.ms;
    sums[key].count += 1;
  }
  return sums;
}

async function launch(dir) {
  const cli = path.join(dir, 'bin/lambda-top.js');
  const logDir = mkdtempSync(path.join(tmpdir(), 'lt-lazy-'));
  const logFile = path.join(logDir, 'v8.log');
  let simulator = null;
  let args = '--demo';
  if (endpoint) {
    simulator = await startSimulator(node, cli);
    args = `--endpoint-url ${simulator.endpoint} --function ${simulator.functionName}`;
  }
  const session = new TmuxSession('lazy', {columns: 120, rows: 40, socket: `lambda-top-lazy-${process.pid}`});
  const started = performance.now();
  await session.start(`${node} ${nodeFlags} --log-function-events --logfile=${logFile} --no-logfile-per-isolate ${cli} ${args}`, env);
  const times = {};
  try {
    await session.waitFor(skeletonReady, {timeoutMs: 20_000, pollMs: 2});
    times.skeleton = performance.now() - started;
    await session.waitFor(dataReady, {timeoutMs: 20_000, pollMs: 2});
    times.data = performance.now() - started;
    await session.sendKeys('q');
    await session.waitFor((screen) => /__exit=/.test(screen), {timeoutMs: 10_000, pollMs: 20});
  } finally {
    await session.kill();
    simulator?.sim.kill();
  }
  const log = readFileSync(logFile, 'utf8');
  rmSync(logDir, {recursive: true, force: true});
  return {times, skeleton: summarise(log, times.skeleton), data: summarise(log, times.data)};
}

for (const target of targets) await launch(target.dir); // warm the compile cache
const results = new Map(targets.map((t) => [t.label, []]));
for (let i = 0; i < runs; i++) for (const target of targets) results.get(target.label).push(await launch(target.dir));

const lazyEvents = ['parse-function', 'interpreter', 'preparse-resolution', 'preparse-no-resolution'];
for (const target of targets) {
  const all = results.get(target.label);
  console.log(`${target.label}${nodeFlags ? ` (${nodeFlags})` : ''}${env.LAMBDA_TOP_NO_COMPILE_CACHE ? ' (no compile cache)' : ''}: ${runs} runs, medians; skeleton ${median(all.map((r) => r.times.skeleton)).toFixed(0)} ms, data ${median(all.map((r) => r.times.data)).toFixed(0)} ms (wall, logging on)`);
  for (const cut of ['skeleton', 'data']) {
    const keys = [...new Set(all.flatMap((r) => Object.keys(r[cut])))].sort();
    const rows = keys.map((key) => ({key, ms: median(all.map((r) => r[cut][key]?.ms ?? 0)), count: median(all.map((r) => r[cut][key]?.count ?? 0))}));
    const lazy = (k) => rows.filter((r) => r.key.startsWith(k) && lazyEvents.some((e) => r.key.endsWith(` ${e}`))).reduce((s, r) => s + r.ms, 0);
    const lazyCount = (k) => rows.find((r) => r.key === `${k} parse-function`)?.count ?? 0;
    console.log(`  until the ${cut}: lazy compiles (parse-function + interpreter + preparse): bundle ${lazy('bundle').toFixed(1)} ms (${lazyCount('bundle')} functions), node ${lazy('node').toFixed(1)} ms (${lazyCount('node')}), other ${lazy('other').toFixed(1)} ms`);
    for (const r of rows) if (r.ms >= 1 || r.key.endsWith('deserialize') || r.key.endsWith('parse-script')) console.log(`    ${r.key.padEnd(36)} ${r.ms.toFixed(1).padStart(7)} ms  ${String(r.count).padStart(6)}`);
  }
}
