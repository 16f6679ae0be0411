// Discovery's cost at 201 queues (issue 10): a function with 200 SQS event sources (the simulator's healthy scenario,
// --source-queues 200) is discovered again every 5 minutes. Side by side in each run, against one in-process
// simulator over loopback HTTP with the real SDK clients:
//   before: discoverTopology as it was (GetQueueUrl + GetQueueAttributes per SQS source, every time)
//   after:  the dashboard source's rediscovery, once its queue reads (every queue in turn, which read RedrivePolicy and
//           VisibilityTimeout anyway) have read every source: it takes those from the reads
// Reported: AWS calls per discovery by operation, calls per hour at the default 5-minute rediscovery (12 an hour; the
// first discovery of a session costs the same in both), and the wall time of one discovery, min / median / max.
//   node --import tsx bench/discovery-calls.ts [--runs 5] [--quick]   (--quick: 5 runs; about 30 s either way)
import {createClients} from '../source/aws/clients.ts';
import {discoverTopology} from '../source/aws/discovery.ts';
import {createDashboardSource, type DashboardState} from '../source/pollers/dashboard-source.ts';
import {startSimulator} from '../source/sim/index.ts';
import {argument} from './lib/args.mjs';
import {startCountingProxy} from './lib/counting-proxy.mjs';

const runs = Math.max(5, Number(argument('runs', 5)));
const SOURCES = 200;
const PER_HOUR = 12;

const held = {setTimeout: () => 0, clearTimeout: () => {}};
async function until(get: () => DashboardState, ok: (s: DashboardState) => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !ok(get()); i++) await new Promise((r) => setTimeout(r, 10));
}
const idle = (s: DashboardState) => !s.discovery.syncing && !s.queues.syncing && !s.metrics.syncing && !(s.destinations?.syncing ?? false);
const stat = (xs: number[], digits = 0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)]!.toFixed(digits)} (min ${s[0]!.toFixed(digits)}, max ${s.at(-1)!.toFixed(digits)})`;
};

const sim = await startSimulator({port: 0, scenario: 'healthy', seed: 7, sourceQueues: SOURCES});
// Calls are counted on the wire (bench/lib/counting-proxy.mjs), not in the SDK's middleware: the dashboard's reads go
// through the lean HTTP layer (source/aws/lean-*.ts), which an SDK middleware never sees. The proxy adds one loopback
// hop to every call of both sides alike.
const proxy = await startCountingProxy(sim.endpoint);
const clients = createClients({endpoint: proxy.endpoint, region: sim.world.region, credentials: {accessKeyId: 'bench', secretAccessKey: 'bench'}, maxAttempts: 1});
const results = {before: [] as Array<{calls: number; ms: number; counts: Record<string, number>}>, after: [] as Array<{calls: number; ms: number; counts: Record<string, number>}>};
try {
  // after: one dashboard source, its queue reads through every queue once, then rediscoveries
  const source = createDashboardSource(clients, {functionName: 'notification-sender', intervalMs: 5000, windowMs: 30 * 60_000, now: () => sim.world.clock.now(), timers: held});
  await until(source.getSnapshot, (s) => s.queues.data !== null && idle(s));
  for (let i = 0; i < 20; i++) await source.refreshNow();
  for (let run = 0; run < runs; run++) {
    // alternate the order, so neither always runs first
    for (const which of run % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
      proxy.reset();
      const started = performance.now();
      if (which === 'before') await discoverTopology(clients, {functionName: 'notification-sender', now: () => sim.world.clock.now()});
      else {
        await source.rediscover();
        await until(source.getSnapshot, idle);
      }
      const ms = performance.now() - started;
      results[which].push({calls: [...proxy.counts.values()].reduce((a, b) => a + b, 0), ms, counts: Object.fromEntries(proxy.counts)});
    }
  }
  source.stop();
} finally {
  clients.destroy();
  await proxy.stop();
  await sim.stop();
}
console.log(`# discovery of notification-sender with ${SOURCES} SQS sources (201 queues), ${runs} runs each, in-process simulator over loopback HTTP`);
for (const which of ['before', 'after'] as const) {
  const list = results[which];
  console.log(`\n## ${which}: ${which === 'before' ? 'every source read at each discovery' : 'sources taken from the queue reads'}`);
  console.log(`AWS calls per discovery     ${stat(list.map((r) => r.calls))}`);
  console.log(`calls per hour (12 an hour) ${stat(list.map((r) => r.calls * PER_HOUR))}`);
  console.log(`wall time of a discovery    ${stat(list.map((r) => r.ms), 1)} ms`);
  console.log(`by operation (last run)     ${JSON.stringify(list.at(-1)!.counts)}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`\nratio after / before: calls ${(median(results.after.map((r) => r.calls)) / median(results.before.map((r) => r.calls))).toFixed(3)}x, time ${(median(results.after.map((r) => r.ms)) / median(results.before.map((r) => r.ms))).toFixed(2)}x`);
