// What following redriven events to their outcome costs in FilterLogEvents calls (5 per second per account and
// region, not raisable) and time: the follower's batched look-up (follow.ts: OR-patterns of many new request
// ids per call, the successes' stream spans read together) against the honest baseline, one look-up per event
// as `lambda-top logs --request-id` does it (the quoted id, then each attempt's stream span). Both run through
// the same 5/s pacer, side by side in each run, over the same redriven events, against the simulator
// (avatar-timeouts opened after its fix, so the events succeed). Both must reach the same outcomes.
//
//   node --import tsx bench/follow-outcomes.ts [--quick] [--events N] [--runs N]
//   (default 100 events x 5 runs, about 6 minutes; --quick: 20 events x 5 runs, about 1.5 minutes; the per-event
//   baseline is what takes the time: it is paced at 5 FilterLogEvents calls a second)
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createClients, type AwsClients} from '../source/aws/clients.ts';
import {countLeanReads} from '../test/helpers/count-reads.ts';
import {discoverTopology, getQueueUrl} from '../source/aws/discovery.ts';
import {createMutationGate} from '../source/aws/mutation-gate.ts';
import {findRequestAttempts} from '../source/cli/run-logs.ts';
import {runRedrive} from '../source/redrive/engine.ts';
import {createFollowPorts, followOutcomes, resolveFollowTargets} from '../source/redrive/follow.ts';
import {acceptancesSince} from '../source/redrive/loop.ts';
import {decideOutcome, type OutcomeEvidence} from '../source/redrive/outcomes.ts';
import {startSimulator} from '../source/sim/index.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const events = opt('--events', quick ? 20 : 100);
const runs = Math.max(5, opt('--runs', 5));
const FN = 'avatar-processor';

/** Counts FilterLogEvents requests sent by these clients (an SDK middleware: real sends, throttled ones too). */
function counting(clients: AwsClients): {calls: () => number} {
  let n = 0;
  // Both paths a FilterLogEvents can leave by: the SDK client and the lean reads (aws/lean-reads.ts), which the
  // SDK's middleware never sees (counting only the middleware read 0 calls).
  countLeanReads(clients, (name) => {
    if (name === 'FilterLogEventsCommand') n++;
  });
  (clients.logs.middlewareStack as {add(m: unknown, o: unknown): void}).add(
    (next: (a: unknown) => Promise<unknown>, context: {commandName?: string}) => async (a: unknown) => {
      if (context.commandName === 'FilterLogEventsCommand') n++;
      return next(a);
    },
    {step: 'finalizeRequest', name: 'benchCountFilterLogEvents'},
  );
  return {calls: () => n};
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]!};
};
const fmt = (x: {min: number; median: number; max: number}, digits = 1) => `${x.min.toFixed(digits)} / ${x.median.toFixed(digits)} / ${x.max.toFixed(digits)}`;

const dir = await mkdtemp(join(tmpdir(), 'bench-follow-'));
const rows = {batched: {calls: [] as number[], seconds: [] as number[]}, perEvent: {calls: [] as number[], seconds: [] as number[]}};
const connect = (endpoint: string, region: string) => createClients({endpoint, region, credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1});
try {
  for (let run = 0; run < runs; run++) {
    // A fresh world per run, opened after the fix: the scenario's story cycles (150 minutes), and at 60x a
    // long-lived world would be back before the fix a few runs later.
    const sim = await startSimulator({port: 0, scenario: 'avatar-timeouts', seed: 5 + run, speed: 60, startMinute: 110});
    const clients = connect(sim.endpoint, sim.world.region);
    try {
      const topology = await discoverTopology(clients, {functionName: FN});
      const dlq = await getQueueUrl(clients, topology.deadLetterTarget!.arn);
      const targets = await resolveFollowTargets(clients, FN);
      const journalPath = join(dir, `j-${run}.jsonl`);
      const since = Date.now();
      const summary = await runRedrive({source: {queueUrl: dlq, role: 'dlq'}, target: {kind: 'lambda', functionName: FN}, rate: 200, limit: events, journalPath}, {clients, gate: createMutationGate({readOnly: false})});
      const sends = await acceptancesSince([journalPath], since);
      // Let every redriven event run (the model's clock is 60x: a few wall seconds), so both look at finished runs.
      await new Promise((r) => setTimeout(r, 4000));
      sim.world.advance();

      const a = connect(sim.endpoint, sim.world.region);
      const ca = counting(a);
      let t = Date.now();
      const batched = await followOutcomes({...targets, failureQueues: [], onSuccessQueue: null}, sends, createFollowPorts(a), {maxWaitMs: 0});
      rows.batched.seconds.push((Date.now() - t) / 1000);
      rows.batched.calls.push(ca.calls());
      a.destroy();

      const b = connect(sim.endpoint, sim.world.region);
      const cb = counting(b);
      t = Date.now();
      const attempts = new Map();
      const until = sim.world.clock.now() + 60_000; // the model's clock: the newest line is there
      for (const s of sends) {
        const found = await findRequestAttempts(b, {logGroup: targets.logGroup!, requestId: s.newId, startTime: s.acceptedAt - 60_000, endTime: until});
        attempts.set(s.newId, found.attempts);
      }
      const evidence: OutcomeEvidence = {attempts, failures: [], successes: [], logsUnreadable: null};
      const perEvent = sends.map((s) => decideOutcome(s, evidence, targets.policy, Date.now()));
      rows.perEvent.seconds.push((Date.now() - t) / 1000);
      rows.perEvent.calls.push(cb.calls());
      b.destroy();

      const same = batched.every((d, i) => d.outcome.state === perEvent[i]!.state);
      const ok = batched.filter((d) => d.outcome.state === 'succeeded').length;
      process.stderr.write(`# run ${run + 1}/${runs}: ${summary.accepted} sent; batched ${rows.batched.calls.at(-1)} calls ${rows.batched.seconds.at(-1)!.toFixed(1)} s, per event ${rows.perEvent.calls.at(-1)} calls ${rows.perEvent.seconds.at(-1)!.toFixed(1)} s; ${ok} succeeded; same outcomes: ${same}\n`);
      if (!same) throw new Error('the two look-ups disagree on an outcome');
    } finally {
      clients.destroy();
      await sim.stop();
    }
  }
} finally {
  await rm(dir, {recursive: true, force: true});
}
const [bc, bs, pc, ps] = [stats(rows.batched.calls), stats(rows.batched.seconds), stats(rows.perEvent.calls), stats(rows.perEvent.seconds)];
process.stdout.write(
  `following ${events} redriven events (min / median / max over ${runs} runs, FilterLogEvents paced at 5/s)\n` +
    `| look-up | FilterLogEvents calls | seconds |\n|---|---|---|\n` +
    `| batched (follow.ts) | ${fmt(bc, 0)} | ${fmt(bs)} |\n` +
    `| one per event (logs --request-id) | ${fmt(pc, 0)} | ${fmt(ps)} |\n` +
    `| ratio (per event / batched, medians) | ${(pc.median / bc.median).toFixed(1)}x | ${(ps.median / bs.median).toFixed(1)}x |\n`,
);
