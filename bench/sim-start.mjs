#!/usr/bin/env node
// What the `--demo` simulator costs the dashboard's thread before its first data (issue 10), as the built bundle
// runs it: each run is a fresh Node process (the compile cache on, as bin/lambda-top.js has it) that loads the
// simulator's chunks, starts it (the scenario's pre-roll, the server listening) and serves one first refresh:
// `lambda-top --endpoint-url <it> --once --json` of this checkout's CLI, the same requests for every build. Reported:
// the CPU of the simulator's thread for each step (process.threadCpuUsage: the CLI's process is not counted), and
// beside it the CPU of the simulator's whole process in that step (process.cpuUsage: V8's own threads too, which
// compile the pre-roll's hot functions concurrently and help its collections: on the way to --demo's first data
// they compete for the same two cores), min / median / max over the runs, launches alternating with --compare DIR
// (another built checkout).
// The figures are of cold code, as on the way to the first frame: bench/sim-cost.ts --preroll-only times the
// pre-roll from the sources in a process that has run it already (warm) or under tsx (its first build).
// --alloc: then also what each step allocates on the V8 heap (V8's sampling heap profiler, objects collected since
// included: bytes, not time, so steadier than CPU on a loaded machine), in separate launches after the timed ones
// (the profiler slows what it samples), 3 per build.
// Usage: npm run build && node bench/sim-start.mjs [--runs 10] [--scenario NAME] [--compare DIR] [--alloc]
import {execFile, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {availableParallelism, loadavg, tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {median} from './lib/proc.mjs';
import {argument, has} from './lib/args.mjs';

const run = promisify(execFile);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(argument('runs', 10));
const scenario = argument('scenario', null);
const compareDir = argument('compare', null);
const alloc = has('alloc');
const targets = [{label: 'this build', dir: root}];
if (compareDir) targets.push({label: 'compare', dir: path.resolve(compareDir)});
const cli = path.join(root, 'bin/lambda-top.js');

// The child: finds the chunk holding startSimulator (the bundle's names are minified: the function is told by an
// error text of its own) and starts it; prints its endpoint and first two figures, then, when this process has run
// the --once against it (so that spawning the CLI is not counted), the CPU spent serving it.
const child = String.raw`
const [dir, scenario, cacheDir, sampling] = process.argv.slice(1);
// --alloc: each step's allocations, sampled (the sizes of the samples taken in the step, collected or not)
let profiler = null;
if (sampling) {
  const {Session} = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('HeapProfiler.enable');
  const total = (node) => node.selfSize + node.children.reduce((sum, c) => sum + total(c), 0);
  profiler = {
    start: () => post('HeapProfiler.startSampling', {samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true}),
    stop: async () => total((await post('HeapProfiler.stopSampling')).profile.head) / 1e6,
  };
}
const {readdirSync, readFileSync} = await import('node:fs');
const {default: module} = await import('node:module');
module.enableCompileCache(cacheDir);
const cpu = () => { const c = process.threadCpuUsage(); return (c.user + c.system) / 1000; };
const all = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const chunks = dir + '/dist/chunks/';
const file = readdirSync(chunks).find((f) => f.endsWith('.js') && readFileSync(chunks + f, 'utf8').includes('the simulator listens on 127.0.0.1 only'));
await profiler?.start();
const c0 = cpu(), a0 = all();
const exports = await import(chunks + file);
const c1 = cpu(), a1 = all();
const loadMB = await profiler?.stop();
await profiler?.start();
const startSimulator = Object.values(exports).find((v) => typeof v === 'function' && String(v).includes('the simulator listens on 127.0.0.1 only'));
const sim = await startSimulator({port: 0, ...(scenario ? {scenario} : {})});
const c2 = cpu(), a2 = all();
const startMB = await profiler?.stop();
await profiler?.start();
const fn = sim.world.primaryFunction ?? sim.world.listFunctions()[0].FunctionName;
process.stdout.write(JSON.stringify({endpoint: sim.endpoint, region: sim.world.region, fn, load: c1 - c0, start: c2 - c1, loadAll: a1 - a0, startAll: a2 - a1, loadMB, startMB}) + '\n');
process.stdin.once('data', async () => {
  const serve = cpu() - c2, serveAll = all() - a2;
  const serveMB = await profiler?.stop();
  await sim.stop();
  process.stdout.write(JSON.stringify({serve, serveAll, serveMB}) + '\n');
  process.exit(0);
});
`;

/** One fresh simulator process of the build in `dir`, through its first refresh. */
async function once(dir, cacheDir, sampling = false) {
  const sim = spawn(process.execPath, ['--input-type=module', '-e', child, dir, scenario ?? '', cacheDir, sampling ? '1' : ''], {stdio: ['pipe', 'pipe', 'inherit']});
  const lines = [];
  let buffer = '';
  const waiters = [];
  sim.stdout.setEncoding('utf8');
  sim.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (let nl; (nl = buffer.indexOf('\n')) !== -1; buffer = buffer.slice(nl + 1)) lines.push(JSON.parse(buffer.slice(0, nl)));
    while (waiters.length && lines.length) waiters.shift()(lines.shift());
  });
  const next = () => new Promise((resolve, reject) => {
    if (lines.length) return resolve(lines.shift());
    waiters.push(resolve);
    sim.once('exit', (code) => reject(new Error(`the simulator process exited (${code})`)));
  });
  const started = await next();
  const env = {...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'};
  await run(process.execPath, [cli, '--endpoint-url', started.endpoint, '--region', started.region, '--function', started.fn, '--once', '--json'], {env, maxBuffer: 16 * 1024 * 1024});
  sim.stdin.write('done\n');
  const {serve, serveAll, serveMB} = await next();
  return {load: started.load, start: started.start, serve, loadAll: started.loadAll, startAll: started.startAll, serveAll, loadMB: started.loadMB, startMB: started.startMB, serveMB};
}

const load = () => `load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`;
console.log(`# the --demo simulator's thread, cold: ${runs} fresh processes per build, alternating (${load()})`);
const caches = targets.map(() => mkdtempSync(path.join(tmpdir(), 'lt-sim-start-')));
const results = targets.map(() => ({load: [], start: [], serve: [], total: [], loadAll: [], startAll: [], serveAll: [], totalAll: []}));
try {
  for (let i = -1; i < runs; i++) {
    for (const [k, t] of targets.entries()) {
      const r = await once(t.dir, caches[k]);
      if (i < 0) continue; // the first run of each fills its compile cache
      for (const key of ['load', 'start', 'serve', 'loadAll', 'startAll', 'serveAll']) results[k][key].push(r[key]);
      results[k].total.push(r.load + r.start + r.serve);
      results[k].totalAll.push(r.loadAll + r.startAll + r.serveAll);
    }
  }
} finally {
  for (const dir of caches) rmSync(dir, {recursive: true, force: true});
}
const fmt = (values) => `min ${Math.min(...values).toFixed(1)}  median ${median(values).toFixed(1)}  max ${Math.max(...values).toFixed(1)} ms`;
const what = {load: 'load its chunks', start: 'start (pre-roll, listen)', serve: 'serve a first refresh (--once)', total: 'in all'};
for (const [heading, suffix] of [["the simulator's thread", ''], ['its whole process (V8\'s compile and GC threads too)', 'All']]) {
  console.log(`${heading}:`);
  for (const step of ['load', 'start', 'serve', 'total']) {
    const key = step + suffix;
    for (const [k, t] of targets.entries()) {
      const ratio = k > 0 ? `   this build / compare ${(median(results[0][key]) / median(results[k][key])).toFixed(2)}x` : '';
      console.log(`  ${`${t.label}: ${what[step]}`.padEnd(46)} ${fmt(results[k][key])}${k > 0 ? ratio : ''}`);
    }
  }
}
if (alloc) {
  // launches of their own (sampling slows what it samples), after the timed ones, the compile caches warm again first
  const allocCaches = targets.map(() => mkdtempSync(path.join(tmpdir(), 'lt-sim-alloc-')));
  const sampled = targets.map(() => ({load: [], start: [], serve: []}));
  try {
    for (let i = -1; i < 3; i++) {
      for (const [k, t] of targets.entries()) {
        const r = await once(t.dir, allocCaches[k], i >= 0);
        if (i < 0) continue;
        for (const step of ['load', 'start', 'serve']) sampled[k][step].push(r[step + 'MB']);
      }
    }
  } finally {
    for (const dir of allocCaches) rmSync(dir, {recursive: true, force: true});
  }
  console.log('allocated on the V8 heap (sampled; 3 launches each, median):');
  for (const step of ['load', 'start', 'serve']) {
    for (const [k, t] of targets.entries()) {
      const ratio = k > 0 ? `   this build / compare ${(median(sampled[0][step]) / median(sampled[k][step])).toFixed(2)}x` : '';
      console.log(`  ${`${t.label}: ${what[step]}`.padEnd(46)} ${median(sampled[k][step]).toFixed(2)} MB${ratio}`);
    }
  }
}
console.log(`(${load()} at the end)`);
