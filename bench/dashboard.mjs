#!/usr/bin/env node
// Dashboard benchmarks (issue 10, rows 1-3), in a real terminal (tmux 120x40), each figure beside its baseline
// measured in the same run, min / median / max over the runs:
//  1. first frame: the skeleton (the header's "λ") and the first frame with data (every panel filled, nothing
//     "loading…"), for `--demo` and for `--endpoint-url` to a separate `simulate --speed 1` process, against a
//     bare Ink app bundled with the same esbuild settings (bench/bare-ink.tsx); launches alternate.
//  2. idle CPU at the default interval (10 s), `--endpoint-url` to `simulate --speed 1` and `--demo`, with the
//     bare Ink app idling beside them: consecutive windows of --seconds after a settle, whole process tree.
//  3. idle RSS of the same processes at the end of each window, whole process tree (every child counted).
//  4. AWS calls per refresh of the `--endpoint-url` dashboard, counted by a loopback proxy.
// Beside the wall times of (1), the CPU time of each process tree until the frame: steadier on a loaded machine.
// Usage: npm run build && node bench/dashboard.mjs [--runs 5] [--seconds 60] [--quick] [--first-frame-only]
//        [--idle-only] [--compare DIR]   (DIR: another built checkout, measured side by side as "compare")
// --control: the first frames seen through a tmux control-mode client (lib/tmux-control.mjs): each frame is timed at
// the pane output that drew it, and the screen is captured once per output, where the default polls
// `tmux capture-pane` every 2 ms (a tmux process spawned per poll, busy on one of this machine's two cores while
// the program starts: it slows a launch, the more so one that runs work on a second thread).
// --quick: 5 first-frame runs and 5 idle windows of 10 s (about 2 min, 3 with --compare); the default (5 windows of
// 60 s) about 5 min, 6 with --compare.
import {buildBare} from './lib/bare-build.mjs';
import {dataReady, skeletonReady, startSimulator} from './lib/dashboard-launch.mjs';
import {availableParallelism, loadavg, tmpdir} from 'node:os';
import {mkdtempSync, rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxSession, hasTmux} from './lib/tmux.mjs';
import {treeCpuSeconds, treeCpuReading, cpuSecondsBetween, treeRssBytes, findDescendant, median} from './lib/proc.mjs';
import {startCountingProxy} from './lib/counting-proxy.mjs';
import {TmuxControl} from './lib/tmux-control.mjs';
import {argument, has} from './lib/args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quick = has('quick');
const runs = Number(argument('runs', 5));
const idleSeconds = Number(argument('seconds', quick ? 10 : 60));
const idleWindows = Number(argument('windows', 5));
const settleSeconds = Number(argument('settle', quick ? 12 : 15));
const compareDir = argument('compare', null);
const viaControl = has('control');
const node = process.execPath;
const targets = [{label: 'lambda-top', cli: path.join(root, 'bin/lambda-top.js')}];
if (compareDir) targets.push({label: 'compare', cli: path.resolve(compareDir, 'bin/lambda-top.js')});

if (!hasTmux()) {
  console.error('tmux is needed for this benchmark (apt-get install tmux)');
  process.exit(2);
}

const bare = await buildBare('bare-ink');

const env = {TERM: 'xterm-256color', CI: '', NO_COLOR: '', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1'};
let sessionCounter = 0;

const bareReady = (screen) => screen.includes('bare ink ready');

/** Launches `command` in a fresh 120x40 tmux session; returns the ms from launch to each predicate holding. */
async function launch(command, predicates) {
  if (viaControl) return launchControl(command, predicates);
  const session = new TmuxSession(`ff${sessionCounter++}`, {columns: 120, rows: 40});
  const started = performance.now();
  await session.start(command, env);
  const times = {};
  let pid = null;
  try {
    for (const [name, predicate] of Object.entries(predicates)) {
      try {
        await session.waitFor(predicate, {timeoutMs: 20_000, pollMs: 2});
        times[name] = performance.now() - started;
        // CPU time spent until then (the whole process tree): steadier than wall time on a loaded machine.
        pid ??= findDescendant(Number((await session.tmux('list-panes', '-t', session.name, '-F', '#{pane_pid}')).trim()), /bare-ink|lambda-top/);
        times[`${name} cpu`] = pid ? treeCpuSeconds(pid) * 1000 : NaN;
      } catch (error) {
        console.error(`  (${name} not reached: ${String(error.message).split('\n')[0]})`);
        times[name] = NaN;
      }
    }
    return times;
  } finally {
    await session.kill();
  }
}

/** launch() through a control-mode client attached right after the session starts: a frame's time is that of
 * the pane output after which the screen first shows it (output written before the client attached counts as
 * seen at the attach); the screen is captured after each output, never polled. */
async function launchControl(command, predicates) {
  const session = new TmuxSession(`ff${sessionCounter++}`, {columns: 120, rows: 40});
  const started = performance.now();
  await session.start(command, env);
  const control = await TmuxControl.attach(session);
  const attachedAt = performance.now();
  const times = {};
  let pid = null;
  let checked = -1;
  try {
    for (const [name, predicate] of Object.entries(predicates)) {
      const deadline = performance.now() + 20_000;
      try {
        for (;;) {
          if (control.outputCount === checked) await control.nextOutput(Math.max(1, deadline - performance.now()));
          checked = control.outputCount;
          const at = control.outputCount > 0 ? control.lastOutputAt : attachedAt;
          if (predicate(await control.screen())) {
            times[name] = at - started;
            break;
          }
          if (performance.now() > deadline) throw new Error('timed out');
        }
        pid ??= findDescendant(Number((await control.command(`list-panes -t ${session.name} -F '#{pane_pid}'`)).join('').trim()), /bare-ink|lambda-top/);
        times[`${name} cpu`] = pid ? treeCpuSeconds(pid) * 1000 : NaN;
      } catch (error) {
        console.error(`  (${name} not reached: ${String(error.message).split('\n')[0]})`);
        times[name] = NaN;
      }
      // the next predicate may already hold on this screen
      checked = -1;
    }
    return times;
  } finally {
    control.close();
    await session.kill();
  }
}

/** The 1-minute load average, to read the figures by: on a loaded machine wall times spread, CPU times much less. */
const load = () => `load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`;

const stats = (values) => {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return {min: NaN, median: NaN, max: NaN, n: 0};
  return {min: Math.min(...finite), median: median(finite), max: Math.max(...finite), n: finite.length};
};
const fmt = (s, digits = 0, unit = '') => `min ${s.min.toFixed(digits)}${unit}  median ${s.median.toFixed(digits)}${unit}  max ${s.max.toFixed(digits)}${unit}  (n=${s.n})`;
const row = (label, s, digits, unit, baseline) =>
  console.log(`${label.padEnd(44)} ${fmt(s, digits, unit)}${baseline ? `   ratio ${(s.median / baseline.median).toFixed(2)}x` : ''}`);

const simulator = await startSimulator(node, targets[0].cli);
const cleanups = [() => simulator.sim.kill('SIGTERM')];
process.on('exit', () => cleanups.forEach((f) => f()));
try {
  if (!has('idle-only')) await firstFrames();
  if (!has('first-frame-only')) await idle();
} finally {
  await new TmuxSession('x').killServer();
}
process.exit(0);

async function firstFrames() {
  console.log(`# first frame, tmux 120x40, ${runs} runs each, launches alternating (ms from launch; ${viaControl ? 'frames timed at their pane output, through a tmux control client' : 'screen polled every 2 ms'}); --endpoint-url to simulate --speed 1 (${load()})`);
  // The bare app twice: as Node runs a script (the targets' ratios), and with Node's on-disk compile cache on, which
  // lambda-top's bin turns on for itself (bin/lambda-top.js): the ceiling for a start that caches its compiled code.
  const bareCache = mkdtempSync(path.join(tmpdir(), 'lt-bare-cache-'));
  cleanups.push(() => rmSync(bareCache, {recursive: true, force: true}));
  const commands = [
    {key: 'bare', command: `${node} ${bare}`, predicates: {frame: bareReady}},
    {key: 'bare cached', command: `NODE_COMPILE_CACHE=${bareCache} ${node} ${bare}`, predicates: {frame: bareReady}},
  ];
  for (const t of targets) {
    commands.push({key: `${t.label} demo`, command: `${node} ${t.cli} --demo`, predicates: {skeleton: skeletonReady, data: dataReady}});
    commands.push({
      key: `${t.label} endpoint`,
      command: `${node} ${t.cli} --endpoint-url ${simulator.endpoint} --function ${simulator.functionName}`,
      predicates: {skeleton: skeletonReady, data: dataReady},
    });
  }
  for (const c of commands) await launch(c.command, c.predicates); // warm the file and compile caches
  const results = new Map(commands.map((c) => [c.key, {}]));
  for (let i = 0; i < runs; i++) {
    for (const c of commands) {
      const times = await launch(c.command, c.predicates);
      for (const [name, ms] of Object.entries(times)) (results.get(c.key)[name] ??= []).push(ms);
    }
  }
  const bareStats = stats(results.get('bare').frame);
  const bareCachedStats = stats(results.get('bare cached').frame);
  row('bare Ink app (bundled), first frame', bareStats, 0, ' ms');
  row('  the same, compile cache on', bareCachedStats, 0, ' ms', bareStats);
  for (const t of targets) {
    for (const mode of ['demo', 'endpoint']) {
      const r = results.get(`${t.label} ${mode}`);
      const what = mode === 'demo' ? '--demo' : '--endpoint-url';
      for (const [name, label] of [['skeleton', 'skeleton'], ['data', 'data on screen']]) {
        const s = stats(r[name]);
        row(`${t.label} ${what} ${label}`, s, 0, ' ms', bareStats);
        console.log(`${''.padEnd(44)} ${''.padEnd(fmt(s, 0, ' ms').length)}   (${(s.median / bareCachedStats.median).toFixed(2)}x the cached bare app)`);
      }
    }
  }
  console.log(`targets: skeleton <= 1.0x; data on screen <= 1.5x (demo and --endpoint-url); ${load()} at the end`);
  console.log('CPU time of the process tree until the frame (ms; 10 ms resolution):');
  const bareCpu = stats(results.get('bare')['frame cpu']);
  row('  bare Ink app, first frame', bareCpu, 0, ' ms');
  row('  the same, compile cache on', stats(results.get('bare cached')['frame cpu']), 0, ' ms', bareCpu);
  for (const t of targets) {
    for (const mode of ['demo', 'endpoint']) {
      const r = results.get(`${t.label} ${mode}`);
      const what = mode === 'demo' ? '--demo' : '--endpoint-url';
      row(`  ${t.label} ${what} skeleton`, stats(r['skeleton cpu']), 0, ' ms', bareCpu);
      row(`  ${t.label} ${what} data on screen`, stats(r['data cpu']), 0, ' ms', bareCpu);
    }
  }
  console.log('');
}

async function idle() {
  console.log(`# idle at the default interval (10 s): ${idleWindows} consecutive windows of ${idleSeconds} s after a ${settleSeconds} s settle, whole process trees (${load()})`);
  const proxy = await startCountingProxy(simulator.endpoint);
  cleanups.push(() => proxy.stop());
  const sessions = [{key: 'bare', command: `${node} ${bare}`, ready: bareReady, pattern: /bare-ink\.js/}];
  for (const t of targets) {
    const viaProxy = t === targets[0] ? proxy.endpoint : simulator.endpoint; // calls are counted for the first
    sessions.push({key: `${t.label} endpoint`, command: `${node} ${t.cli} --endpoint-url ${viaProxy} --function ${simulator.functionName}`, ready: dataReady, pattern: /lambda-top/});
    sessions.push({key: `${t.label} demo`, command: `${node} ${t.cli} --demo`, ready: dataReady, pattern: /lambda-top/});
  }
  for (const s of sessions) {
    s.session = new TmuxSession(`idle${sessionCounter++}`, {columns: 120, rows: 40});
    await s.session.start(s.command, env);
  }
  try {
    for (const s of sessions) {
      await s.session.waitFor(s.ready, {timeoutMs: 30_000});
      const panePid = Number((await s.session.tmux('list-panes', '-t', s.session.name, '-F', '#{pane_pid}')).trim());
      s.pid = findDescendant(panePid, s.pattern);
      if (!s.pid) throw new Error(`could not find the process of ${s.key}; screen:\n${await s.session.capture()}`);
      s.cpu = [];
      s.rss = [];
    }
    await new Promise((r) => setTimeout(r, settleSeconds * 1000)); // first discovery, refreshes, JIT settle
    proxy.reset();
    const proxyStarted = performance.now();
    for (let w = 0; w < idleWindows; w++) {
      const before = sessions.map((s) => treeCpuReading(s.pid));
      const started = performance.now();
      await new Promise((r) => setTimeout(r, idleSeconds * 1000));
      const elapsed = (performance.now() - started) / 1000;
      sessions.forEach((s, i) => {
        // per-thread nanoseconds (a 60 s window read in 10 ms ticks moves in steps of 0.017 %), the ticks for a
        // window in which a thread ended
        const {seconds, precise} = cpuSecondsBetween(before[i], treeCpuReading(s.pid));
        s.cpu.push((seconds / elapsed) * 100);
        if (!precise) s.coarse = (s.coarse ?? 0) + 1;
        s.rss.push(treeRssBytes(s.pid) / 1048576);
      });
    }
    const proxySeconds = (performance.now() - proxyStarted) / 1000;
    const bareS = sessions[0];
    const bareCpu = stats(bareS.cpu);
    const bareRss = stats(bareS.rss);
    row('bare Ink app CPU', bareCpu, 3, ' %');
    for (const s of sessions.slice(1)) row(`${s.key} CPU (% of a core)`, stats(s.cpu), 3, ' %');
    const coarse = sessions.filter((s) => s.coarse).map((s) => `${s.key}: ${s.coarse}`);
    console.log(`(per-thread scheduler time, ns; windows read in 10 ms ticks because a thread ended: ${coarse.length ? coarse.join(', ') : 'none'})`);
    console.log('target: < 0.3 % of a core in both modes');
    row('bare Ink app RSS', bareRss, 1, ' MB');
    for (const s of sessions.slice(1)) row(`${s.key} RSS`, stats(s.rss), 1, ' MB', bareRss);
    console.log('targets: --endpoint-url < 90 MB, --demo < 120 MB');
    const refreshes = proxySeconds / 10;
    console.log(`\n# AWS calls per refresh of the --endpoint-url dashboard (${refreshes.toFixed(1)} refreshes of 10 s)`);
    for (const [operation, count] of [...proxy.counts.entries()].sort()) console.log(`  ${operation.padEnd(36)} ${(count / refreshes).toFixed(2)}`);
  } finally {
    for (const s of sessions) await s.session.kill();
  }
}
