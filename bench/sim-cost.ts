// What the demo simulator costs: CPU of one core while a scenario runs at the demo's speed, next to an idle
// baseline measured the same way in the same process.
//   node --import tsx bench/sim-cost.ts [--scenario NAME | --all] [--seconds 20] [--speed 30] [--tick MS] [--refresh MS]
//                                      [--no-dashboard] [--preroll-only]
// First it times the pre-roll (the history simulated at world creation, on the demo's path to the first frame
// with data): per scenario, the first build in this process, the median of 5 more, and as a baseline in the same
// run the same world built with no pre-roll (prerollMinutes 0: construction alone). Budget: < 100 ms.
// The world is driven as the simulator server drives it: its idle tick every --tick ms (default the server's,
// DEFAULT_TICK_MS: advance() when no request did for half that time), and a dashboard refresh every --refresh ms
// (default 10 s, the dashboard's interval) that makes the calls a lambda-top dashboard makes (one metrics batch
// of 14 series over the last hour, queue depths, the newest log lines), each request preceded by advance() as
// the server does. `--tick 1000` is the server's tick before it became coarse (same history, more CPU).
// The budget: the model's share (sim - idle) under 2% of one core at speed 30.
import {createWorld, listScenarios, type SimWorld} from '../source/sim/lambda/index.ts';
import {createVirtualClock} from '../source/sim/clock.ts';
import {DEFAULT_TICK_MS, lagsBy} from '../source/sim/index.ts';
import {DASHBOARD_SERIES} from './lib/dashboard-series.ts';
import {argument, has} from './lib/args.mjs';


const seconds = Number(argument('seconds', '20'));
const speed = Number(argument('speed', '30'));
const tickMs = Number(argument('tick', String(DEFAULT_TICK_MS)));
const refreshMs = Number(argument('refresh', '10000'));
const all = has('all');
/** --no-dashboard: advance() only (the model alone, without the queries a dashboard makes). */
const dashboard = !has('no-dashboard');
const scenarios = all ? listScenarios().map((s) => s.name) : [argument('scenario', listScenarios()[0]!.name)];
/** --preroll-only: time the pre-roll and stop (no 20 s CPU measurements). */
const prerollOnly = has('preroll-only');
const PREROLL_BUDGET_MS = 100;

function refresh(world: SimWorld): number {
  let work = 0;
  const now = world.clock.now();
  world.advance(); // GetMetricData
  for (const [metricName, stat] of DASHBOARD_SERIES) {
    const dimensions: Record<string, string> = metricName === 'UnreservedConcurrentExecutions' ? {} : {FunctionName: world.primaryFunction};
    work += world.queryMetric({namespace: 'AWS/Lambda', metricName, dimensions, stat, periodSeconds: 60, start: now - 3_600_000, end: now}).length;
  }
  for (const url of world.sqs.listQueues()) {
    world.advance(); // GetQueueAttributes
    work += Number(world.sqs.getAttributes(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']).ApproximateNumberOfMessages);
  }
  world.advance(); // FilterLogEvents
  work += world.filterLogEvents({logGroupName: `/aws/lambda/${world.primaryFunction}`, startTime: now - 120_000, limit: 50}).events.length;
  return work;
}

interface Measure {
  cpuPercent: number;
  wallMs: number;
}

async function measure(seconds: number, onTick: () => void, onRefresh: () => void): Promise<Measure> {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const tick = setInterval(onTick, tickMs);
    const dash = setInterval(onRefresh, refreshMs);
    setTimeout(() => {
      clearInterval(tick);
      clearInterval(dash);
      resolve();
    }, seconds * 1000);
  });
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  return {cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, wallMs};
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);
let sink = 0;

function buildMs(name: string, prerollMinutes?: number): number {
  const clock = createVirtualClock({speed});
  const t0 = performance.now();
  const world = createWorld({scenario: name, seed: 1, clock, baseUrl: () => 'http://127.0.0.1:4566', ...(prerollMinutes !== undefined ? {prerollMinutes} : {})});
  const ms = performance.now() - t0;
  sink += world.time > 0 ? 1 : 0;
  return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`pre-roll (default 45 virtual minutes; budget ${PREROLL_BUDGET_MS} ms), scenarios in this order in one process:`);
for (const name of scenarios) {
  const first = buildMs(name);
  const again = median(Array.from({length: 5}, () => buildMs(name)));
  const baseline = median(Array.from({length: 5}, () => buildMs(name, 0)));
  console.log(
    `${name.padEnd(17)} pre-roll first ${fmt(first, 0).padStart(4)} ms, median of 5 more ${fmt(again, 0).padStart(4)} ms | baseline without pre-roll ${fmt(baseline, 1)} ms | ${Math.max(first, again) < PREROLL_BUDGET_MS ? 'within' : 'OVER'} the budget`,
  );
}
if (prerollOnly) process.exit(sink < 0 ? 1 : 0);

console.log(`sim-cost: ${seconds} s per measurement, speed ${speed}x, the idle tick every ${tickMs} ms${dashboard ? `, a dashboard refresh every ${refreshMs} ms` : ' (no dashboard queries)'}`);
const idle = await measure(
  seconds,
  () => {
    sink++;
  },
  () => {
    sink++;
  },
);
console.log(`idle baseline (same timers, no work): ${fmt(idle.cpuPercent)}% of one core`);
for (const name of scenarios) {
  const clock = createVirtualClock({speed});
  const t0 = performance.now();
  const world = createWorld({scenario: name, seed: 1, clock, baseUrl: () => 'http://127.0.0.1:4566'});
  const prerollMs = performance.now() - t0;
  const virtual0 = world.time;
  const sim = await measure(
    seconds,
    () => {
      if (lagsBy(world, tickMs / 2)) world.advance(); // as the server's idle tick
    },
    () => {
      if (dashboard) sink += refresh(world);
    },
  );
  const virtualMinutes = (world.time - virtual0) / 60_000;
  const net = sim.cpuPercent - idle.cpuPercent;
  console.log(
    `${name.padEnd(17)} pre-roll ${fmt(prerollMs, 0)} ms | running: ${fmt(sim.cpuPercent)}% of one core (idle ${fmt(idle.cpuPercent)}%, ratio ${fmt(sim.cpuPercent / Math.max(idle.cpuPercent, 0.01), 1)}x, model's share ${fmt(net)}%) | ${fmt(virtualMinutes, 1)} virtual min | ${net < 2 ? 'within' : 'OVER'} the 2% budget`,
  );
}
if (sink < 0) console.log(sink);
