#!/usr/bin/env node
// How much of each bundle file a start runs before its data (issue 10): with lazy compilation forced
// (LAMBDA_TOP_LAZY_COMPILE=1), every function V8 compiles at its first call is one the start called, so the union
// of their source ranges (V8's function-event log, parse-function events) over a file's size is the share of that
// file a start needs. A file with a small share is one an eager start (--no-lazy, bin/lambda-top.js) would turn
// mostly into bytecode never run: the candidates for dist/compile-lazily.json (scripts/compile-lazily.mjs). Events are
// summed until the data is on screen (the log's clock, from its first event; the log's own overhead slows the start).
// One warm-up launch, then one counted.
// Usage: npm run build && node bench/chunk-coverage.mjs [--demo]
import {dataReady, startSimulator} from './lib/dashboard-launch.mjs';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {readFunctionLog} from './lib/v8-function-log.mjs';
import {has} from './lib/args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'bin/lambda-top.js');
const demo = has('demo');
if (!hasTmux()) {
  console.error('tmux is needed for this benchmark');
  process.exit(2);
}
const node = process.execPath;
const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', LAMBDA_TOP_LAZY_COMPILE: '1'};
const simulator = demo ? null : await startSimulator(node, cli);
const args = demo ? '--demo' : `--endpoint-url ${simulator.endpoint} --function ${simulator.functionName}`;
const socket = `lambda-top-coverage-${process.pid}`;

async function launch() {
  const logDir = mkdtempSync(path.join(tmpdir(), 'lt-coverage-'));
  const logFile = path.join(logDir, 'v8.log');
  const session = new TmuxSession('coverage', {columns: 120, rows: 40, socket});
  const started = performance.now();
  await session.start(`${node} --log-function-events --logfile=${logFile} --no-logfile-per-isolate ${cli} ${args}`, env);
  try {
    await session.waitFor(dataReady, {timeoutMs: 20_000, pollMs: 2});
    const data = performance.now() - started;
    await session.sendKeys('q');
    await session.waitFor((screen) => /__exit=/.test(screen), {timeoutMs: 10_000, pollMs: 20});
    return {log: readFileSync(logFile, 'utf8'), data};
  } finally {
    await session.kill();
    rmSync(logDir, {recursive: true, force: true});
  }
}

/** Per script of dist/: its size, the bytes in functions first called until `untilMs`, and how many functions. */
export function coverage(log, untilMs) {
  const {scripts, events} = readFunctionLog(log);
  const ranges = new Map();
  let first = null;
  for (const e of events) {
    if (e.event === 'deserialize') continue;
    first ??= e.at;
    if (e.event !== 'parse-function' || e.at - first > untilMs) continue;
    if (!ranges.has(e.script)) ranges.set(e.script, []);
    ranges.get(e.script).push([e.start, e.end]);
  }
  const rows = [];
  for (const [id, name] of scripts) {
    if (!/[\\/]dist[\\/]/.test(name)) continue;
    const file = fileURLToPath(name);
    const list = (ranges.get(id) ?? []).sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let end = -1;
    for (const [s, e] of list) {
      if (e <= end) continue;
      covered += e - Math.max(s, end);
      end = e;
    }
    rows.push({file: path.relative(path.join(root, 'dist'), file), size: statSync(file).size, covered, functions: list.length});
  }
  return rows.sort((a, b) => b.size - a.size);
}

try {
  await launch();
  const {log, data} = await launch();
  const rows = coverage(log, data);
  console.log(`${demo ? '--demo' : '--endpoint-url'}: files of dist/ loaded, their bytes in functions first called before the data (${data.toFixed(0)} ms, logging on)`);
  let size = 0;
  let covered = 0;
  for (const r of rows) {
    size += r.size;
    covered += r.covered;
    console.log(`  ${r.file.padEnd(40)} ${String(r.size).padStart(8)} B  ${String(r.covered).padStart(8)} B called  ${((100 * r.covered) / Math.max(1, r.size)).toFixed(0).padStart(3)} %  (${r.functions} functions)`);
  }
  console.log(`  all: ${size} B, ${covered} B in called functions (${((100 * covered) / size).toFixed(0)} %)`);
} finally {
  simulator?.sim.kill('SIGTERM');
  await new TmuxSession('x', {socket}).killServer().catch(() => {});
}
process.exit(0);
