// The demo simulator's share of an idle --demo dashboard, side by side with another checkout's simulator and
// with an empty process (the baseline: the same timers, no simulator).
//   node --import tsx bench/sim-idle.ts [--compare DIR] [--runs 5] [--seconds 60] [--quick]
// Each run starts one child per target at the same time: the simulator as --demo starts it (startSimulator with
// its defaults: the default scenario, speed 30, its idle tick), and every 10 s (the dashboard's interval) the
// reads a dashboard refresh makes (advance, then 14 metric series over the last hour, queue depths, the newest
// log lines), without HTTP (the wire layer is the same in both). Each child measures its own CPU over the window
// after a 5 s settle (process.cpuUsage), split into advance() (the model), the reads and GC pauses, and its heap
// after a GC at the end. DIR is a source checkout (its source/sim is imported), e.g. `git archive main | tar -x`
// with node_modules linked. --quick: 3 runs of 20 s (about 1 min); the default 5 runs of 60 s (about 6 min).
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {DASHBOARD_SERIES} from './lib/dashboard-series.ts';
import {argument, has} from './lib/args.mjs';

interface Result {
  label: string;
  totalPct: number;
  advancePct: number;
  readsPct: number;
  gcPct: number;
  heapMB: number;
}

const here = fileURLToPath(import.meta.url);
const root = path.dirname(path.dirname(here));

if (has('child')) await child(argument('root', 'none'), argument('label', 'x'), Number(argument('seconds', '60')));
else await parent();

async function parent(): Promise<void> {
  const quick = has('quick');
  const runs = Number(argument('runs', quick ? '3' : '5'));
  const seconds = Number(argument('seconds', quick ? '20' : '60'));
  const compare = argument('compare', '');
  const targets = [
    {label: 'no simulator (baseline)', root: 'none'},
    {label: 'simulator (this checkout)', root},
    ...(compare ? [{label: `simulator (${compare})`, root: path.resolve(compare)}] : []),
  ];
  console.log(`# the demo simulator idle: ${runs} runs of ${seconds} s, children side by side, a refresh every 10 s; % of one core`);
  const results = new Map<string, Result[]>(targets.map((t) => [t.label, []]));
  for (let r = 0; r < runs; r++) {
    const round = await Promise.all(targets.map((t) => runChild(t.root, t.label, seconds)));
    for (const x of round) results.get(x.label)!.push(x);
  }
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]!};
  };
  const fmt = (xs: number[], digits: number, unit: string) => {
    const s = stat(xs);
    return `min ${s.min.toFixed(digits)}${unit} median ${s.median.toFixed(digits)}${unit} max ${s.max.toFixed(digits)}${unit}`;
  };
  const baseline = stat(results.get(targets[0]!.label)!.map((x) => x.totalPct)).median;
  for (const t of targets) {
    const xs = results.get(t.label)!;
    const total = stat(xs.map((x) => x.totalPct)).median;
    console.log(`${t.label.padEnd(40)} total ${fmt(xs.map((x) => x.totalPct), 3, '%')}${t.root === 'none' ? '' : `  (the simulator's share: ${(total - baseline).toFixed(3)}%)`}`);
    if (t.root === 'none') continue;
    console.log(`${''.padEnd(40)} advance ${fmt(xs.map((x) => x.advancePct), 3, '%')} | reads ${fmt(xs.map((x) => x.readsPct), 3, '%')} | GC ${fmt(xs.map((x) => x.gcPct), 3, '%')} | heap ${fmt(xs.map((x) => x.heapMB), 1, ' MB')}`);
  }
}

function runChild(childRoot: string, label: string, seconds: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', here, '--child', '--root', childRoot, '--label', label, '--seconds', String(seconds)], {cwd: root, stdio: ['ignore', 'pipe', 'inherit']});
    let out = '';
    p.stdout.on('data', (chunk) => (out += chunk));
    p.on('error', reject);
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${label}: exit ${code}\n${out}`));
      else resolve(JSON.parse(line) as Result);
    });
  });
}

async function child(childRoot: string, label: string, seconds: number): Promise<void> {
  const {PerformanceObserver} = await import('node:perf_hooks');
  type World = {
    advance(): void;
    clock: {now(): number};
    primaryFunction: string;
    queryMetric(q: object): unknown[];
    sqs: {listQueues(): string[]; getAttributes(url: string, names: string[]): Record<string, string>};
    filterLogEvents(q: object): {events: unknown[]};
  };
  let sim: {world: unknown; stop(): Promise<void>} | null = null;
  if (childRoot !== 'none') {
    const {startSimulator} = (await import(path.join(childRoot, 'source/sim/index.ts'))) as {startSimulator: (o: object) => Promise<{world: unknown; stop(): Promise<void>}>};
    sim = await startSimulator({port: 0});
  }
  const w = (sim?.world ?? null) as World | null;
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  let advanceMs = 0;
  let readsMs = 0;
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  }).observe({entryTypes: ['gc']});
  if (w) {
    const advance = w.advance.bind(w);
    w.advance = () => {
      const a = cpu();
      advance();
      advanceMs += cpu() - a;
    };
  }
  let sink = 0;
  const refresh = () => {
    if (!w) return;
    w.advance();
    const a = cpu();
    const now = w.clock.now();
    for (const [metricName, stat] of DASHBOARD_SERIES) {
      const dimensions = metricName === 'UnreservedConcurrentExecutions' ? {} : {FunctionName: w.primaryFunction};
      sink += w.queryMetric({namespace: 'AWS/Lambda', metricName, dimensions, stat, periodSeconds: 60, start: now - 3_600_000, end: now}).length;
    }
    for (const url of w.sqs.listQueues()) sink += Number(w.sqs.getAttributes(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']).ApproximateNumberOfMessages);
    sink += w.filterLogEvents({logGroupName: `/aws/lambda/${w.primaryFunction}`, startTime: now - 120_000, limit: 50}).events.length;
    readsMs += cpu() - a;
  };
  refresh();
  await new Promise((r) => setTimeout(r, 5000));
  advanceMs = readsMs = gcMs = 0;
  const c0 = cpu();
  const w0 = performance.now();
  const timer = setInterval(refresh, 10_000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(timer);
  const wall = performance.now() - w0;
  const total = cpu() - c0;
  (globalThis as {gc?: () => void}).gc?.();
  const pct = (ms: number) => (ms / wall) * 100;
  const result: Result = {label, totalPct: pct(total), advancePct: pct(advanceMs), readsPct: pct(readsMs), gcPct: pct(gcMs), heapMB: process.memoryUsage().heapUsed / 1048576};
  await sim?.stop();
  console.log(sink < 0 ? '' : JSON.stringify(result));
}
