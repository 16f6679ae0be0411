// The AWS layer and the dashboard pollers against the demo simulator, over HTTP with the real SDK clients:
// discovery of every demo scenario's topology (expected values read from the scenario files), a dashboard
// snapshot with metrics and queue depths, and the AWS calls one refresh costs.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {withSim} from '../helpers/sim-clients.ts';
import type {AwsClients} from '../../source/aws/clients.ts';
import type {RunningSimulator} from '../../source/sim/index.ts';
import {discoverTopology, FunctionNotFoundError} from '../../source/aws/discovery.ts';
import {queueRolesOf, resolveQueues} from '../../source/aws/queues.ts';
import {fetchRequestLogs} from '../../source/aws/logs.ts';
import {parseLogLine} from '../../source/aws/log-lines.ts';
import {ReceiveMessageCommand, ChangeMessageVisibilityCommand} from '@aws-sdk/client-sqs';
import {collectSnapshotOnce, createDashboardSource, type DashboardState} from '../../source/pollers/dashboard-source.ts';
import type {Timers} from '../../source/pollers/poller.ts';
import {countLeanReads} from '../helpers/count-reads.ts';
import type {Scenario, ScenarioTarget} from '../../source/sim/lambda/scenario.ts';

const demoDir = join(import.meta.dirname, '../../demo');
const scenarios = readdirSync(demoDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(demoDir, f), 'utf8')) as Scenario);


/** Counts the commands every client sends (an SDK middleware: counts real sends, not wrapper calls). */
function countCalls(clients: AwsClients): {counts: Map<string, number>; reset(): void; total(): number} {
  const counts = new Map<string, number>();
  for (const client of [clients.lambda, clients.sqs, clients.cloudwatch, clients.logs]) {
    (client.middlewareStack as {add(m: unknown, o: unknown): void}).add(
      (next: (args: unknown) => Promise<unknown>, context: {commandName?: string}) => async (args: unknown) => {
        const name = context.commandName ?? 'unknown';
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return next(args);
      },
      {step: 'initialize', name: 'lambdaTopCallCounter'},
    );
  }
  countLeanReads(clients, (name) => counts.set(name, (counts.get(name) ?? 0) + 1));
  return {counts, reset: () => counts.clear(), total: () => [...counts.values()].reduce((a, b) => a + b, 0)};
}

/** Timers that never fire on their own: the test drives refreshes, and can see what is pending. */
function heldTimers(): Timers & {pending: Set<number>} {
  let id = 0;
  const pending = new Set<number>();
  return {
    pending,
    setTimeout: () => {
      pending.add(++id);
      return id;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
}

function waitFor(source: {subscribe(l: () => void): () => void; getSnapshot(): DashboardState}, predicate: (s: DashboardState) => boolean, timeoutMs = 10_000): Promise<DashboardState> {
  return new Promise((resolve, reject) => {
    if (predicate(source.getSnapshot())) return resolve(source.getSnapshot());
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out; last state: ${JSON.stringify({errors: source.getSnapshot().snapshot.errors, d: source.getSnapshot().discovery.error})}`));
    }, timeoutMs);
    const unsubscribe = source.subscribe(() => {
      if (predicate(source.getSnapshot())) {
        clearTimeout(timer);
        unsubscribe();
        resolve(source.getSnapshot());
      }
    });
  });
}

const targetArn = (scenario: Scenario, target: ScenarioTarget | undefined, region: string, account: string): string | null => {
  if (!target) return null;
  if ('arn' in target) return target.arn;
  if ('queue' in target) return `arn:aws:sqs:${region}:${account}:${target.queue}`;
  return `arn:aws:lambda:${region}:${account}:function:${target.function}`;
};

for (const scenario of scenarios) {
  test(`discovery of the ${scenario.name} scenario matches its definition`, async () => {
    await withSim(scenario.name, async (sim, clients) => {
      const fn = scenario.functions.find((f) => f.name === scenario.primaryFunction)!;
      const topology = await discoverTopology(clients, {functionName: fn.name, now: () => sim.world.clock.now()});
      const region = sim.world.region;
      const account = topology.accountId!;
      assert.match(account, /^\d{12}$/);
      assert.deepEqual(topology.unknown, {}, 'the simulator answers every discovery call');
      assert.equal(topology.name, fn.name);
      assert.equal(topology.timeoutSeconds, fn.timeoutSeconds);
      assert.equal(topology.memoryMb, fn.memoryMb);
      assert.equal(topology.runtime, fn.runtime);
      assert.equal(topology.reservedConcurrency, fn.reservedConcurrency ?? null);
      assert.equal(topology.maximumRetryAttempts, fn.eventInvokeConfig?.maximumRetryAttempts ?? 2);
      assert.equal(topology.maximumEventAgeSeconds, fn.eventInvokeConfig?.maximumEventAgeInSeconds ?? 21600);
      assert.equal(topology.deadLetterTarget?.arn ?? null, targetArn(scenario, fn.deadLetterQueue, region, account));
      assert.equal(topology.onFailure?.arn ?? null, targetArn(scenario, fn.eventInvokeConfig?.onFailure, region, account));
      assert.equal(topology.onSuccess?.arn ?? null, targetArn(scenario, fn.eventInvokeConfig?.onSuccess, region, account));
      assert.equal(topology.account.concurrentExecutions, scenario.accountConcurrency ?? 1000);
      const mappings = (scenario.eventSourceMappings ?? []).filter((m) => m.function === fn.name);
      assert.equal(topology.eventSources.length, mappings.length);
      for (const mapping of mappings) {
        const source = topology.eventSources.find((s) => s.sourceArn.endsWith(`:${mapping.queue}`))!;
        const queue = scenario.queues.find((q) => q.name === mapping.queue)!;
        assert.ok(source.queueUrl?.startsWith(sim.endpoint), source.queueUrl ?? 'no url');
        assert.equal(source.batchSize, mapping.batchSize ?? 10);
        assert.equal(source.visibilityTimeoutSeconds, queue.visibilityTimeoutSeconds ?? 30);
        assert.deepEqual(source.redrive, queue.redrive ? {deadLetterTargetArn: `arn:aws:sqs:${region}:${account}:${queue.redrive.deadLetterQueue}`, maxReceiveCount: queue.redrive.maxReceiveCount} : null);
      }
      if (fn.alias?.provisionedConcurrency) {
        assert.deepEqual(topology.provisioned.map((p) => [p.qualifier, p.requested]), [[fn.alias.name, fn.alias.provisionedConcurrency]]);
      }
    });
  });
}

test('unknown function against the simulator: FunctionNotFoundError with region and account', async () => {
  await withSim(scenarios[0]!.name, async (sim, clients) => {
    await assert.rejects(discoverTopology(clients, {functionName: 'nope'}), (error: unknown) => {
      assert.ok(error instanceof FunctionNotFoundError);
      assert.equal(error.region, sim.world.region);
      assert.match(error.message, new RegExp(`^Function nope not found in ${sim.world.region} \\(account (\\d{12}|this account)\\)`));
      return true;
    });
  });
});

for (const name of ['throttled-orders', 'avatar-timeouts']) {
  test(`dashboard source on ${name}: full snapshot, then exactly 1 GetMetricData + 1 GetQueueAttributes per queue per refresh`, async () => {
    await withSim(name, async (sim, clients) => {
      const scenario = scenarios.find((s) => s.name === name)!;
      const counter = countCalls(clients);
      const timers = heldTimers();
      const source = createDashboardSource(clients, {
        functionName: scenario.primaryFunction,
        intervalMs: 5000,
        windowMs: 30 * 60_000,
        now: () => sim.world.clock.now(),
        timers,
      });
      try {
        const ready = await waitFor(source, (s) => s.metrics.data !== null && s.queues.data !== null && s.destinations?.data != null && !s.metrics.syncing && !s.queues.syncing && !s.destinations.syncing);
        const snap = ready.snapshot;
        assert.deepEqual(snap.errors, []);
        assert.ok(snap.topology);
        const roles = queueRolesOf(snap.topology);
        const distinctQueues = new Set(roles.map((r) => r.arn)).size;
        assert.ok(distinctQueues > 0);
        assert.deepEqual(snap.queues.map((q) => [q.role, q.name]), roles.map((r) => [r.role, r.name]));
        for (const q of snap.queues) {
          assert.equal(q.error, null);
          assert.equal(typeof q.visible, 'number');
          assert.equal(typeof q.inFlight, 'number');
          assert.equal(typeof q.retentionSeconds, 'number');
        }
        const invocations = snap.metrics!.series['Invocations']!;
        assert.ok(invocations.points.length > 10, 'the simulator has history');
        assert.equal(invocations.status, 'Complete');
        assert.ok(invocations.points.every(([t]) => t % 60_000 === 0));
        assert.ok(snap.findings.length > 0, 'the diagnosis says something');
        assert.ok(Math.abs(snap.at - sim.world.clock.now()) < 60 * 60_000, 'snapshot time is on the simulator clock');
        // a queue that holds messages shows its oldest age from CloudWatch
        for (const q of snap.queues) {
          if ((q.visible ?? 0) > 0 && snap.metrics!.series[`sqs:${q.name}:ApproximateAgeOfOldestMessage`]!.points.length > 0) {
            assert.equal(typeof q.oldestAgeSeconds, 'number', q.name);
          }
        }
        // Lambda destinations (avatar-timeouts: avatar-resizer-fallback, with no failure target of its own): discovered
        // once, their Invocations/Errors/Throttles in the same GetMetricData, their SQS failure queues read each
        // refresh (one GetQueueAttributes more per such queue; none here).
        const fallbacks = scenario.functions.find((f) => f.name === scenario.primaryFunction)!.eventInvokeConfig?.onFailure;
        const destinationQueues = (snap.destinations ?? []).reduce((n, d) => n + d.queues.length, 0);
        if (fallbacks && 'function' in fallbacks) {
          assert.deepEqual(snap.destinations!.map((d) => [d.via, d.name, d.topology?.name, d.error]), [['onFailure', fallbacks.function, fallbacks.function, null]]);
          assert.equal(snap.destinations![0]!.topology!.deadLetterTarget, null);
          assert.equal(snap.destinations![0]!.topology!.onFailure, null);
          for (const key of ['Invocations', 'Errors', 'Throttles']) {
            const series: {status: string | null} | undefined = snap.metrics!.series[`lambda:${fallbacks.function}:${key}`];
            assert.ok(series, key);
            assert.equal(series.status, 'Complete', key);
          }
          assert.ok(snap.metrics!.series[`lambda:${fallbacks.function}:Invocations`]!.points.some(([, v]) => v > 0), 'the fallback runs');
        } else {
          assert.deepEqual(snap.destinations, []);
        }
        const startup = Object.fromEntries(counter.counts);
        assert.equal(startup['GetMetricDataCommand'], 1, JSON.stringify(startup));

        for (let i = 0; i < 3; i++) {
          counter.reset();
          await source.refreshNow();
          assert.deepEqual(Object.fromEntries(counter.counts), {GetMetricDataCommand: 1, GetQueueAttributesCommand: distinctQueues + destinationQueues}, `refresh ${i + 1}`);
        }
        assert.ok(timers.pending.size > 0);
      } finally {
        source.stop();
      }
      assert.equal(timers.pending.size, 0, 'no timers after stop');
      const stopped = source.getSnapshot();
      counter.reset();
      await source.refreshNow();
      assert.equal(counter.total(), 0, 'nothing is fetched after stop');
      assert.equal(source.getSnapshot(), stopped);
    });
  });
}

test('collectSnapshotOnce against the simulator (the --once --json path)', async () => {
  await withSim('upload-burst', async (sim, clients) => {
    const counter = countCalls(clients);
    const snapshot = await collectSnapshotOnce(clients, {functionName: 'media-ingest', windowMs: 15 * 60_000, now: () => sim.world.clock.now()});
    assert.deepEqual(snapshot.errors, []);
    assert.equal(snapshot.topology?.name, 'media-ingest');
    assert.deepEqual(snapshot.queues.map((q) => q.role), ['on-failure']);
    assert.ok((snapshot.metrics?.series['Throttles']?.points.length ?? 0) > 0);
    assert.ok(snapshot.findings.some((f) => f.severity !== 'info'));
    assert.equal(counter.counts.get('GetMetricDataCommand'), 1);
    await assert.rejects(collectSnapshotOnce(clients, {functionName: 'nope', windowMs: 60_000, now: () => sim.world.clock.now()}), {name: 'FunctionNotFoundError'});
  });
});

test('a failed request\'s log lines, found by the request id a DLQ message carries', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const topology = await discoverTopology(clients, {functionName: 'avatar-processor', now: () => sim.world.clock.now()});
    const [dlq] = await resolveQueues(clients, topology);
    const received = await clients.sqs.send(new ReceiveMessageCommand({QueueUrl: dlq!.url, MaxNumberOfMessages: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['SentTimestamp'], VisibilityTimeout: 5}));
    const message = received.Messages?.[0];
    assert.ok(message, 'the scenario has failed events in its DLQ');
    await clients.sqs.send(new ChangeMessageVisibilityCommand({QueueUrl: dlq!.url, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0}));
    const requestId = message.MessageAttributes?.['RequestID']?.StringValue;
    assert.ok(requestId);
    const sentAt = Number(message.Attributes?.['SentTimestamp']);
    const lines = await fetchRequestLogs(clients, {logGroup: topology.logGroup!, requestId, around: sentAt, spanMs: 20 * 60_000});
    assert.ok(lines.length > 0);
    assert.ok(lines.every((l) => l.message.includes(requestId)), 'only that request\'s lines');
    assert.ok(lines.every((l, i) => i === 0 || lines[i - 1]!.timestamp <= l.timestamp));
    const parsed = lines.map((l) => parseLogLine(l.message)).filter((p) => p !== null);
    assert.ok(parsed.some((p) => p.kind === 'start' && p.requestId === requestId));
    assert.ok(parsed.some((p) => p.kind === 'report' && p.requestId === requestId && p.durationMs !== null));
    const limited = await fetchRequestLogs(clients, {logGroup: topology.logGroup!, requestId, around: sentAt, spanMs: 20 * 60_000, limit: 2});
    assert.equal(limited.length, Math.min(2, lines.length));
    await assert.rejects(fetchRequestLogs(clients, {logGroup: topology.logGroup!, requestId: 'x" OR "', around: sentAt}), {name: 'AwsCallError'});
  });
});

/** Waits (the simulator running fast) until its scenario clock reaches `minute`. */
async function untilScenarioMinute(sim: RunningSimulator, minute: number): Promise<void> {
  const world = sim.world as unknown as {scenarioStart: number; clock: {now(): number}};
  while (world.clock.now() < world.scenarioStart + minute * 60_000) await new Promise((resolve) => setTimeout(resolve, 50));
}

test('throttled-orders: the SQS-fed function\'s throttles are in the diagnosis, with numbers and what to change', async () => {
  await withSim('throttled-orders', async (sim, clients) => {
    await untilScenarioMinute(sim, 62); // the throttling starts after the pre-roll's 45 minutes
    const snapshot = await collectSnapshotOnce(clients, {functionName: 'order-processor', windowMs: 60 * 60_000, now: () => sim.world.clock.now()});
    const f = snapshot.findings.find((x) => x.id === 'sqs-source-throttled');
    assert.ok(f, snapshot.findings.map((x) => x.id).join(', '));
    assert.match(f.detail, /\d+ throttles in the last 10 min \(about \d+\/min\)/);
    assert.match(f.detail, /ConcurrentExecutions max 10 of its reserved 10/);
    assert.match(f.detail, /received again/);
    assert.match(f.detail, /ScalingConfig\.MaximumConcurrency/);
    assert.match(f.detail, /batch size/);
  }, 900);
});

test('upload-burst --once at start-up: dropped events kept in the failure queue and some lost, the same numbers in the finding and the JSON', async () => {
  const {snapshotToJson} = await import('../../source/domain/snapshot-json.ts');
  await withSim('upload-burst', async (sim, clients) => {
    // no waiting: the scenario's pre-roll opens the demo after events started ageing out (minute ~50) and the
    // failure queue started refusing the oversized manifest records (minute ~55)
    const snapshot = await collectSnapshotOnce(clients, {functionName: 'media-ingest', windowMs: 60 * 60_000, now: () => sim.world.clock.now()});
    const json = snapshotToJson(snapshot);
    assert.ok(json.dropped, 'dropped is known');
    const {dropped, kept, lost} = json.dropped;
    assert.ok(kept! > 0 && lost! > 0 && kept! + lost! === dropped, JSON.stringify(json.dropped));
    assert.ok(kept! > lost!, 'most dropped events were kept');
    const f = snapshot.findings.find((x) => x.id === 'events-dropped')!;
    const {formatCount} = await import('../../source/domain/format.ts');
    assert.equal(f.title, `${formatCount(dropped)} events dropped: ${formatCount(lost)} lost, ${formatCount(kept)} kept`);
    assert.match(f.detail, new RegExp(`Kept: ${formatCount(kept)} in the OnFailure destination \\(SQS queue media-ingest-failures\\)`));
    // the failed deliveries are lost (one target only), not "not recorded"
    const net = snapshot.findings.find((x) => x.id === 'safety-net-failing')!;
    assert.match(net.detail, /An event whose write failed is lost: no queue holds it/);
    // the failure queue already holds what was kept
    const failures = json.queues.find((q) => q.role === 'on-failure')!;
    assert.ok((failures.visible ?? 0) > 0, JSON.stringify(failures));
  });
});

test('peeking a DLQ more than 3 times: the receive counts our peeks raised say the age metric no longer sees those messages', async () => {
  const {peekMessages} = await import('../../source/aws/messages.ts');
  const {queueAge, queueAgeCaveat} = await import('../../source/domain/queue-age.ts');
  await withSim('avatar-timeouts', async (sim, clients) => {
    const snapshot = await collectSnapshotOnce(clients, {functionName: 'avatar-processor', windowMs: 60 * 60_000, now: () => sim.world.clock.now()});
    const dlq = snapshot.queues.find((q) => q.role === 'dlq')!;
    assert.ok((dlq.visible ?? 0) > 0, 'the DLQ holds failed events at start-up');
    // a function with both targets: every failure goes to both, never "one or the other"
    const words = snapshot.findings.map((f) => f.detail).join('\n');
    assert.match(words, /both the OnFailure destination \(function avatar-resizer-fallback\) and the DLQ \(SQS queue avatar-processor-dlq\)/);
    assert.doesNotMatch(words, /destination \([^)]*\) or the DLQ/);
    // peek (and release) until some message was received more than 3 times, as repeated browsing does
    const peeks: Record<string, {sentAt: number | null; receiveCount: number | null}> = {};
    for (let i = 0; i < 40 && !Object.values(peeks).some((m) => (m.receiveCount ?? 0) > 3); i++) {
      const peek = await peekMessages(clients, dlq.url, {max: 10, visibilityTimeoutSeconds: 0});
      for (const m of peek.messages) peeks[m.messageId] = {sentAt: m.sentAt, receiveCount: m.receiveCount};
      await peek.release();
    }
    const seen = Object.values(peeks);
    assert.ok(seen.length > 0);
    const age = queueAge(dlq, peeks, sim.world.clock.now());
    assert.ok(age.hiddenFromMetric > 0, JSON.stringify(seen.map((m) => m.receiveCount)));
    // and the simulator's age metric leaves them out, as SQS does
    const hidden = Object.entries(peeks).filter(([, m]) => (m.receiveCount ?? 0) > 3).map(([id]) => id);
    const sqs = (sim.world as unknown as {sqs: {peekAll(url: string): Array<{messageId: string; receiveCount: number}>}}).sqs;
    assert.ok(sqs.peekAll(dlq.url).filter((m) => hidden.includes(m.messageId)).every((m) => m.receiveCount > 3));
    assert.match(queueAgeCaveat(dlq, age) ?? '', /received more than 3 times \(each peek counts\)/);
    assert.ok(seen.every((m) => Number.isInteger(m.sentAt)), `whole-millisecond SentTimestamps: ${seen.map((m) => m.sentAt).slice(0, 5).join(', ')}`);
  });
});

test("a Lambda destination with an SQS DLQ of its own: its depth costs one GetQueueAttributes more per refresh, its metrics ride in the one GetMetricData, and it is not discovered again", async () => {
  const [{startSimulator}, {createWorld, loadScenario}, {createVirtualClock}, {createClients}] = await Promise.all([
    import('../../source/sim/index.ts'),
    import('../../source/sim/lambda/index.ts'),
    import('../../source/sim/clock.ts'),
    import('../../source/aws/clients.ts'),
  ]);
  const scenario = structuredClone(loadScenario('avatar-timeouts'));
  scenario.queues.push({name: 'avatar-fallback-dlq'});
  const fallback = scenario.functions.find((f) => f.name === 'avatar-resizer-fallback')!;
  fallback.deadLetterQueue = {queue: 'avatar-fallback-dlq'};
  let endpoint = '';
  const world = createWorld({clock: createVirtualClock({speed: 30}), baseUrl: () => endpoint, scenario, seed: 7, requestIdSalt: 'chain'});
  const sim = await startSimulator({port: 0, world});
  endpoint = sim.endpoint;
  const clients = createClients({endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'}, maxAttempts: 1});
  const counter = countCalls(clients);
  const source = createDashboardSource(clients, {functionName: 'avatar-processor', intervalMs: 5000, windowMs: 30 * 60_000, now: () => sim.world.clock.now(), timers: heldTimers()});
  try {
    const ready = await waitFor(source, (s) => s.metrics.data !== null && s.queues.data !== null && s.destinations?.data != null && !s.metrics.syncing && !s.queues.syncing && !s.destinations.syncing);
    const destination = ready.snapshot.destinations![0]!;
    assert.equal(destination.topology?.deadLetterTarget?.name, 'avatar-fallback-dlq');
    assert.deepEqual(destination.queues.map((q) => [q.role, q.name, typeof q.visible, q.error]), [['dlq', 'avatar-fallback-dlq', 'number', null]]);
    const mainQueues = new Set(queueRolesOf(ready.snapshot.topology!).map((r) => r.arn)).size;
    for (let i = 0; i < 2; i++) {
      counter.reset();
      await source.refreshNow();
      assert.deepEqual(Object.fromEntries(counter.counts), {GetMetricDataCommand: 1, GetQueueAttributesCommand: mainQueues + 1}, `refresh ${i + 1}`);
    }
  } finally {
    source.stop();
    clients.destroy();
    await sim.stop();
  }
});
