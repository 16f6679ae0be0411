import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {AwsClients} from '../../../source/aws/clients.ts';
import {assembleSnapshot, collectSnapshotOnce, createDashboardSource, LOG_SAMPLE_MIN_INTERVAL_MS, logSampleIntervalMs, oldestAgeFromMetrics, type DashboardState} from '../../../source/pollers/dashboard-source.ts';
import type {PollState, Timers} from '../../../source/pollers/poller.ts';
import type {MetricsSnapshot, QueueStatus} from '../../../source/domain/types.ts';

const ACCOUNT = '111122223333';
const qarn = (name: string) => `arn:aws:sqs:eu-west-1:${ACCOUNT}:${name}`;
const qurl = (name: string) => `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/${name}`;

interface FakeWorld {
  dlq: string | null;
  failGetMetricData: Error | null;
  failFunction: Error | null;
  queueDepth: Record<string, number>;
  calls: Array<{name: string; input: Record<string, unknown>}>;
  /** When set, GetMetricData answers only once this promise resolves. */
  holdMetrics?: Promise<void>;
  /** Commands (by name, e.g. FilterLogEvents) answered only once their promise resolves (the call is noted first). */
  hold?: Partial<Record<string, Promise<void>>>;
}

const denied = () => Object.assign(new Error('not authorized'), {name: 'AccessDeniedException', $metadata: {httpStatusCode: 403}});
const gone = () => Object.assign(new Error('The specified queue does not exist.'), {name: 'QueueDoesNotExist', $metadata: {httpStatusCode: 400}});

/** A tiny in-memory stand-in for the four SDK clients, answering the commands the dashboard sends. */
function fakeClients(world: FakeWorld): AwsClients {
  const answer = async (command: {constructor: {name: string}; input: Record<string, unknown>}) => {
    const name = command.constructor.name.replace(/Command$/, '');
    world.calls.push({name, input: command.input});
    const held = world.hold?.[name];
    if (held) await held;
    switch (name) {
      case 'GetFunctionConfiguration':
        if (world.failFunction) throw world.failFunction;
        return {
          FunctionName: 'checkout',
          FunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:checkout`,
          Runtime: 'nodejs22.x',
          Timeout: 10,
          MemorySize: 512,
          ...(world.dlq ? {DeadLetterConfig: {TargetArn: qarn(world.dlq)}} : {}),
        };
      case 'GetFunctionEventInvokeConfig':
        throw Object.assign(new Error('no config'), {name: 'ResourceNotFoundException', $metadata: {httpStatusCode: 404}});
      case 'GetFunctionConcurrency':
        return {ReservedConcurrentExecutions: 5};
      case 'GetAccountSettings':
        throw denied();
      case 'ListProvisionedConcurrencyConfigs':
        return {ProvisionedConcurrencyConfigs: []};
      case 'ListEventSourceMappings':
        return {EventSourceMappings: []};
      case 'GetQueueUrl': {
        const queue = command.input['QueueName'] as string;
        if (!(queue in world.queueDepth)) throw gone();
        return {QueueUrl: qurl(queue)};
      }
      case 'GetQueueAttributes': {
        const queue = (command.input['QueueUrl'] as string).split('/').pop()!;
        if (!(queue in world.queueDepth)) throw gone();
        return {Attributes: {ApproximateNumberOfMessages: String(world.queueDepth[queue]), ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0', MessageRetentionPeriod: '345600', VisibilityTimeout: '30', MaximumMessageSize: '1048576'}};
      }
      case 'FilterLogEvents':
        return {events: []};
      case 'GetMetricData': {
        if (world.holdMetrics) await world.holdMetrics;
        if (world.failGetMetricData) throw world.failGetMetricData;
        const queries = command.input['MetricDataQueries'] as Array<{Id: string; MetricStat: {Period: number; Metric: {MetricName: string; Dimensions: Array<{Name: string; Value: string}>}}}>;
        const start = (command.input['StartTime'] as Date).getTime();
        return {
          MetricDataResults: queries.map((q) => ({
            Id: q.Id,
            Timestamps: [new Date(start)],
            Values: [q.MetricStat.Metric.MetricName === 'ApproximateAgeOfOldestMessage' ? 900 : 1],
            StatusCode: 'Complete',
          })),
        };
      }
      default:
        throw new Error(`unexpected command ${name}`);
    }
  };
  const client = {send: answer};
  return {lambda: client, sqs: client, cloudwatch: client, logs: client, region: async () => 'eu-west-1', destroy() {}} as unknown as AwsClients;
}

/** Timers that never fire, on a clock that stands still. */
function heldTimers(): Timers & {pending: Set<number>} {
  let id = 0;
  const pending = new Set<number>();
  return {pending, setTimeout: () => (pending.add(++id), id), clearTimeout: (h) => void pending.delete(h as number), now: () => 0};
}

function settled(source: {subscribe(l: () => void): () => void; getSnapshot(): DashboardState}, predicate: (s: DashboardState) => boolean): Promise<DashboardState> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = source.getSnapshot();
      if (predicate(s)) {
        clearTimeout(timer);
        unsubscribe();
        resolve(s);
      }
    };
    const timer = setTimeout(() => (unsubscribe(), reject(new Error('state never reached'))), 5000);
    const unsubscribe = source.subscribe(check);
    check();
  });
}

const idle = (s: DashboardState) => !s.discovery.syncing && !s.metrics.syncing && !s.queues.syncing;
const world = (over: Partial<FakeWorld> = {}): FakeWorld => ({dlq: 'checkout-dlq', failGetMetricData: null, failFunction: null, queueDepth: {'checkout-dlq': 4}, calls: [], ...over});
const NOW = Date.UTC(2026, 2, 1, 10, 0, 30);

test('a full snapshot: topology, metrics, DLQ depth with its oldest age, findings, errors only for what failed', async () => {
  const w = world();
  const timers = heldTimers();
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers});
  try {
    const state = await settled(source, (s) => idle(s) && s.queues.data !== null && s.metrics.data !== null);
    const snap = state.snapshot;
    assert.equal(snap.topology?.reservedConcurrency, 5);
    assert.equal(snap.topology?.unknown['account'], 'Access denied: your credentials may not call lambda:GetAccountSettings on *');
    assert.deepEqual(snap.queues.map((q) => [q.role, q.name, q.visible]), [['dlq', 'checkout-dlq', 4]]);
    assert.deepEqual(snap.errors, []);
    assert.equal(snap.at, NOW);
    assert.ok(Array.isArray(snap.findings) && snap.findings.length > 0);
    // The metric query set included the DLQ's age; the window is 15 minutes at 60 s.
    const gmd = w.calls.filter((c) => c.name === 'GetMetricData');
    assert.equal(gmd.length, 1);
    const names = (gmd[0]!.input['MetricDataQueries'] as Array<{MetricStat: {Period: number; Metric: {MetricName: string}}}>).map((q) => q.MetricStat.Metric.MetricName);
    assert.ok(names.includes('ApproximateAgeOfOldestMessage'));
    assert.equal(new Date(gmd[0]!.input['EndTime'] as Date).getTime() - new Date(gmd[0]!.input['StartTime'] as Date).getTime(), 16 * 60_000);
  } finally {
    source.stop();
  }
  assert.equal(timers.pending.size, 0);
});

test('a failing metrics refresh keeps the last good metrics and reports the error; queue errors are per queue', async () => {
  const w = world();
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers: heldTimers()});
  try {
    const first = await settled(source, (s) => idle(s) && s.queues.data !== null && s.metrics.data !== null);
    w.failGetMetricData = denied();
    delete w.queueDepth['checkout-dlq'];
    await source.refreshNow();
    const after = source.getSnapshot();
    assert.equal(after.metrics.data, first.metrics.data, 'stale data kept, same object');
    assert.equal(after.snapshot.metrics, first.snapshot.metrics);
    assert.equal(after.metrics.consecutiveFailures, 1);
    assert.deepEqual(after.snapshot.errors, [
      {source: 'metrics', message: 'Access denied: your credentials may not call cloudwatch:GetMetricData'},
      {source: 'queue:checkout-dlq', message: 'queue no longer exists'},
    ]);
    assert.equal(after.snapshot.queues[0]!.error, 'queue no longer exists');
    assert.equal(after.snapshot.queues[0]!.visible, null);
  } finally {
    source.stop();
  }
});

test('state identity: nothing new -> same DashboardState object; equal answers keep data objects', async () => {
  const w = world();
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers: heldTimers()});
  try {
    const first = await settled(source, (s) => idle(s) && s.queues.data !== null && s.metrics.data !== null && s.metrics.nextAt !== null && s.queues.nextAt !== null);
    assert.equal(source.getSnapshot(), source.getSnapshot());
    await source.refreshNow();
    const second = source.getSnapshot();
    assert.equal(second.metrics.data, first.metrics.data);
    assert.equal(second.queues.data, first.queues.data);
    assert.equal(second.snapshot, first.snapshot, 'same data, same snapshot object');
  } finally {
    source.stop();
  }
});

test('discovery denied: function metrics still flow, the error says which action', async () => {
  const w = world({failFunction: denied()});
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', qualifier: 'live', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers: heldTimers()});
  try {
    const state = await settled(source, (s) => idle(s) && s.metrics.data !== null && s.queues.data !== null);
    assert.equal(state.snapshot.topology, null);
    assert.deepEqual(state.snapshot.errors, [{source: 'discovery', message: 'Access denied: your credentials may not call lambda:GetFunctionConfiguration on checkout'}]);
    assert.equal(state.snapshot.metrics?.series['Errors']?.points.length, 1);
    const gmd = w.calls.find((c) => c.name === 'GetMetricData')!;
    const dims = (gmd.input['MetricDataQueries'] as Array<{MetricStat: {Metric: {MetricName: string; Dimensions: unknown}}}>).find((q) => q.MetricStat.Metric.MetricName === 'Errors')!.MetricStat.Metric.Dimensions;
    assert.deepEqual(dims, [{Name: 'FunctionName', Value: 'checkout'}, {Name: 'Resource', Value: 'checkout:live'}]);
    assert.deepEqual(state.snapshot.queues, []);
  } finally {
    source.stop();
  }
});

test('setWindow refetches with a period suited to the window; setInterval reaches both pollers', async () => {
  const w = world();
  const timers = heldTimers();
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers});
  try {
    await settled(source, (s) => idle(s) && s.metrics.data !== null && s.queues.data !== null);
    source.setWindow(24 * 3_600_000);
    const state = await settled(source, (s) => !s.metrics.syncing && s.metrics.data?.periodSeconds === 300);
    assert.equal(state.snapshot.metrics?.periodSeconds, 300);
    const last = w.calls.filter((c) => c.name === 'GetMetricData').pop()!;
    assert.ok((last.input['MetricDataQueries'] as Array<{MetricStat: {Period: number}}>).every((q) => q.MetricStat.Period === 300));
    source.setInterval(60_000);
    const s = source.getSnapshot();
    assert.equal(s.metrics.nextAt, NOW + 60_000);
    assert.equal(s.queues.nextAt, NOW + 60_000);
  } finally {
    source.stop();
  }
});

test('rediscovery that finds a new DLQ re-resolves queues and asks for its age', async () => {
  const w = world({dlq: null, queueDepth: {'new-dlq': 2}});
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers: heldTimers()});
  try {
    await settled(source, (s) => idle(s) && s.metrics.data !== null && s.queues.data !== null);
    assert.deepEqual(source.getSnapshot().snapshot.queues, []);
    w.dlq = 'new-dlq';
    await source.rediscover();
    const state = await settled(source, (s) => idle(s) && s.snapshot.queues.length === 1 && s.metrics.data?.series['sqs:new-dlq:ApproximateAgeOfOldestMessage'] !== undefined);
    assert.deepEqual(state.snapshot.queues.map((q) => [q.role, q.name, q.visible]), [['dlq', 'new-dlq', 2]]);
  } finally {
    source.stop();
  }
});

test('collectSnapshotOnce: unknown function throws; other failures land in errors', async () => {
  const notFound = Object.assign(new Error(`Function not found: arn:aws:lambda:eu-west-1:${ACCOUNT}:function:checkout`), {name: 'ResourceNotFoundException', $metadata: {httpStatusCode: 404}});
  await assert.rejects(collectSnapshotOnce(fakeClients(world({failFunction: notFound})), {functionName: 'checkout', windowMs: 900_000, now: () => NOW}), {
    name: 'FunctionNotFoundError',
    message: /^Function checkout not found in eu-west-1 \(account 111122223333\)/,
  });
  const w = world({failGetMetricData: denied()});
  const snapshot = await collectSnapshotOnce(fakeClients(w), {functionName: 'checkout', windowMs: 900_000, now: () => NOW});
  assert.equal(snapshot.metrics, null);
  assert.deepEqual(snapshot.errors, [{source: 'metrics', message: 'Access denied: your credentials may not call cloudwatch:GetMetricData'}]);
  assert.equal(snapshot.queues[0]?.visible, 4);
  assert.equal(snapshot.queues[0]?.oldestAgeSeconds, null, 'no metrics, no age (not 0)');
});

const status = (over: Partial<QueueStatus>): QueueStatus => ({
  role: 'dlq', url: qurl('q'), arn: qarn('q'), name: 'q', visible: 3, inFlight: 0, delayed: 0, oldestAgeSeconds: null,
  retentionSeconds: 345600, visibilityTimeoutSeconds: 30, maximumMessageSizeBytes: 1048576, fifo: false, error: null, ...over,
});
const metricsWithAge = (points: Array<[number, number]>, end = NOW): MetricsSnapshot => ({
  periodSeconds: 60, start: end - 900_000, end,
  series: {'sqs:q:ApproximateAgeOfOldestMessage': {key: 'sqs:q:ApproximateAgeOfOldestMessage', namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', stat: 'Maximum', points, partialFrom: null, status: 'Complete', unit: 'Seconds'}},
});

test('oldestAgeFromMetrics: recent newest point only; none for an empty, failed or unmeasured queue', () => {
  assert.equal(oldestAgeFromMetrics(status({}), metricsWithAge([[NOW - 600_000, 100], [NOW - 120_000, 700]])), 700);
  assert.equal(oldestAgeFromMetrics(status({}), metricsWithAge([[NOW - 600_000, 100]])), null, 'too old to describe now');
  assert.equal(oldestAgeFromMetrics(status({visible: 0, inFlight: 0, delayed: 0}), metricsWithAge([[NOW - 60_000, 700]])), null);
  assert.equal(oldestAgeFromMetrics(status({error: 'queue no longer exists'}), metricsWithAge([[NOW - 60_000, 700]])), null);
  assert.equal(oldestAgeFromMetrics(status({}), metricsWithAge([])), null);
  assert.equal(oldestAgeFromMetrics(status({}), null), null);
});

test('oldestAgeFromMetrics: an age of 0 from before the queue filled is not known yet, never "0 s" (upload-burst: 96 visible)', () => {
  assert.equal(oldestAgeFromMetrics(status({visible: 96}), metricsWithAge([[NOW - 240_000, 0]])), null);
  assert.equal(oldestAgeFromMetrics(status({visible: 0, inFlight: 10}), metricsWithAge([[NOW - 240_000, 0]])), null, 'held in flight (our peek) counts as holding');
  assert.equal(oldestAgeFromMetrics(status({visible: 96}), metricsWithAge([[NOW - 240_000, 30]])), 30);
});

test('assembleSnapshot: forbidden series become an error line; a throwing diagnosis is reported, not fatal', () => {
  const metrics = metricsWithAge([[NOW - 60_000, 5]]);
  metrics.series['Errors'] = {...metrics.series['sqs:q:ApproximateAgeOfOldestMessage']!, key: 'Errors', status: 'Forbidden', points: []};
  const snapshot = assembleSnapshot({topology: null, metrics, queues: [status({})], errors: [], at: NOW, diagnose: () => {
    throw new Error('rule bug');
  }});
  assert.equal(snapshot.queues[0]!.oldestAgeSeconds, 5);
  assert.deepEqual(snapshot.errors, [
    {source: 'metrics', message: 'CloudWatch denied 1 series (Errors)'},
    {source: 'diagnosis', message: 'diagnosis failed: rule bug'},
  ]);
  assert.deepEqual(snapshot.findings, []);
});

test('the log sample waits for the first metrics and queues answers: it is not on the way to the first data frame', async () => {
  let release!: () => void;
  const w = world({holdMetrics: new Promise<void>((r) => (release = r))});
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers: heldTimers(), logSample: true});
  try {
    await settled(source, (s) => s.queues.data !== null && !s.queues.syncing);
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(w.calls.some((c) => c.name === 'GetMetricData'), 'metrics asked');
    assert.ok(!w.calls.some((c) => c.name === 'FilterLogEvents'), 'no log sample while the metrics are still on their way');
    release();
    await settled(source, (s) => s.metrics.data !== null && !s.metrics.syncing);
    for (let i = 0; i < 50 && !w.calls.some((c) => c.name === 'FilterLogEvents'); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(w.calls.some((c) => c.name === 'FilterLogEvents'), 'the log sample starts once both answered');
  } finally {
    source.stop();
  }
});

test('the log sample is on the round: no timer of its own, it starts with a refresh every 60 s, and the source says while it is in flight', async () => {
  let release!: () => void;
  const w = world();
  const clients = fakeClients(w);
  const send = (clients.logs as unknown as {send: (c: {constructor: {name: string}}) => Promise<unknown>}).send;
  let holdLogs: Promise<void> | null = null;
  (clients.logs as unknown as {send: unknown}).send = async (command: {constructor: {name: string}}) => {
    if (command.constructor.name === 'FilterLogEventsCommand' && holdLogs) await holdLogs;
    return send(command);
  };
  let clock = 0;
  const armed = new Map<number, {at: number; callback: () => void}>();
  let id = 0;
  const timers: Timers = {setTimeout: (callback, ms) => (armed.set(++id, {at: clock + ms, callback}), id), clearTimeout: (h) => void armed.delete(h as number), now: () => clock};
  const source = createDashboardSource(clients, {functionName: 'checkout', intervalMs: 10_000, windowMs: 15 * 60_000, now: () => NOW, timers, logSample: true});
  const samples = () => w.calls.filter((c) => c.name === 'FilterLogEvents').length;
  try {
    await settled(source, (s) => idle(s) && s.metrics.updatedAt !== null);
    for (let i = 0; i < 50 && (samples() === 0 || source.sampling()); i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(samples(), 1, 'the first sample, once the first answers came');
    assert.equal(source.sampling(), false);
    assert.deepEqual([...armed.values()].map((t) => t.at).sort((a, b) => a - b), [10_000, 5 * 60_000], "the round's timer and discovery's: none of the sample's own");
    const tick = async (): Promise<void> => {
      const [key, next] = [...armed.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
      armed.delete(key);
      clock = next.at;
      next.callback();
    };
    holdLogs = new Promise<void>((r) => (release = r));
    for (let t = 1; t <= 5; t++) {
      await tick();
      await settled(source, (s) => idle(s) && !s.metrics.syncing);
      assert.equal(samples(), 1, `no sample at the tick at ${t * 10} s`);
    }
    await tick(); // 60 s
    assert.equal(source.getSnapshot().metrics.syncing, true, 'a refresh started');
    assert.equal(source.sampling(), true, 'and the sample with it, in flight');
    let told = 0;
    const off = source.subscribe(() => told++);
    await settled(source, (s) => idle(s));
    const before = told;
    release();
    for (let i = 0; i < 50 && source.sampling(); i++) await new Promise((r) => setTimeout(r, 5));
    off();
    assert.equal(source.sampling(), false);
    assert.equal(samples(), 2, 'the second sample');
    assert.ok(told > before, 'listeners hear that it answered, the same answer as before too');
  } finally {
    source.stop();
  }
});

test('a refresh is one round: metrics, queues and destinations wait on one timer and start together', async () => {
  const w = world();
  const armed = new Map<number, {ms: number; callback: () => void}>();
  let id = 0;
  const timers: Timers = {setTimeout: (callback, ms) => (armed.set(++id, {ms, callback}), id), clearTimeout: (h) => void armed.delete(h as number), now: () => 0};
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers});
  const rounds = (s: DashboardState) => [s.metrics, s.queues, s.destinations!];
  try {
    await settled(source, (s) => idle(s) && rounds(s).every((p) => p.updatedAt !== null && !p.syncing && p.nextAt !== null));
    assert.deepEqual([...armed.values()].map((t) => t.ms).sort((a, b) => a - b), [5000, 5 * 60_000], "the round's timer and discovery's");
    const [roundId, tick] = [...armed.entries()].find(([, t]) => t.ms === 5000)!;
    armed.delete(roundId);
    tick.callback();
    assert.deepEqual(rounds(source.getSnapshot()).map((p) => p.syncing), [true, true, true], 'all three in flight at once');
    await settled(source, (s) => rounds(s).every((p) => !p.syncing));
    assert.equal([...armed.values()].filter((t) => t.ms === 5000).length, 1, 'and waiting for the next tick together');
  } finally {
    source.stop();
  }
  assert.equal(armed.size, 0);
});

// The contracts the dashboard feed relies on (app/dashboard-feed.ts; its tests' fake source behaves this way):
// when the source tells its listeners, and what getSnapshot() says then.

/** Timers on a clock the test moves: tick() fires the earliest armed one, at its time. */
function steppedTimers() {
  let clock = 0;
  let id = 0;
  const armed = new Map<number, {at: number; callback: () => void}>();
  const timers: Timers = {setTimeout: (callback, ms) => (armed.set(++id, {at: clock + ms, callback}), id), clearTimeout: (h) => void armed.delete(h as number), now: () => clock};
  return {
    timers,
    armed,
    clock: () => clock,
    tick(): void {
      const [key, next] = [...armed.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
      armed.delete(key);
      clock = next.at;
      next.callback();
    },
  };
}

/** A promise the test resolves. */
function gate(): {promise: Promise<void>; open(): void} {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return {promise, open};
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(predicate(), what);
}

type Phase = 'not started' | 'syncing' | 'waiting' | 'stopped';
/** What a poll state says: never started, in flight, waiting for its next fetch, or stopped after answering. */
const phase = (p: PollState<unknown> | undefined): Phase =>
  !p ? 'not started' : p.syncing ? 'syncing' : p.nextAt !== null ? 'waiting' : p.updatedAt === null && p.error === null ? 'not started' : 'stopped';

/** Each notification: the state then (and whether it is the previous notification's object) and the sample. */
function listen(source: ReturnType<typeof createDashboardSource>) {
  const heard: Array<{state: DashboardState; same: boolean; sampling: boolean; phases: Phase[]}> = [];
  const off = source.subscribe(() => {
    const state = source.getSnapshot();
    const last = heard[heard.length - 1];
    heard.push({state, same: last !== undefined && last.state === state, sampling: source.sampling(), phases: [state.discovery, state.metrics, state.queues, state.destinations].map(phase)});
  });
  return {heard, off};
}

const samples = (w: FakeWorld) => w.calls.filter((c) => c.name === 'FilterLogEvents').length;

/** A source with the log sample, on stepped timers (by default a refresh every 10 s, so a sample every 60 s). */
function sampled(w: FakeWorld, intervalMs = 10_000) {
  const t = steppedTimers();
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs, windowMs: 15 * 60_000, now: () => NOW, timers: t.timers, logSample: true});
  return {source, ...t};
}

/** Until the first round and the first sample answered, then to the tick at 60 s: the round's polls and the sample
 * start, the `held` commands on hold (GetMetricData, FilterLogEvents); until queues and destinations answered. */
async function toSampleTick(w: FakeWorld, s: ReturnType<typeof sampled>, held: string[]): Promise<Record<string, ReturnType<typeof gate>>> {
  await settled(s.source, (st) => idle(st) && st.metrics.updatedAt !== null && st.queues.updatedAt !== null && st.destinations?.updatedAt !== null);
  await until(() => samples(w) === 1 && !s.source.sampling(), 'the first sample answered');
  for (let i = 1; i <= 5; i++) {
    s.tick();
    await settled(s.source, (st) => idle(st) && !st.destinations?.syncing);
  }
  assert.equal(samples(w), 1);
  const gates = Object.fromEntries(held.map((name) => [name, gate()]));
  w.hold = Object.fromEntries(held.map((name) => [name, gates[name]!.promise]));
  s.tick(); // 60 s
  assert.equal(s.clock(), 60_000);
  assert.equal(s.source.sampling(), true, 'the sample started with the refresh');
  await settled(s.source, (st) => !st.queues.syncing && !st.destinations?.syncing && st.metrics.syncing === held.includes('GetMetricData'));
  return gates;
}

test('contract: the log sample starting tells no one (its poll state is not in the snapshot); its answer does, once', async () => {
  const w = world({hold: {}});
  const logs = gate();
  w.hold!['FilterLogEvents'] = logs.promise;
  const s = sampled(w);
  const {heard, off} = listen(s.source);
  try {
    // the first sample starts on its own, once the first metrics and queues answered
    await settled(s.source, (st) => idle(st) && st.metrics.updatedAt !== null && st.queues.updatedAt !== null && st.destinations?.updatedAt !== null);
    await until(() => samples(w) === 1, 'the first sample was sent');
    assert.equal(s.source.sampling(), true);
    assert.ok(heard.length > 0);
    assert.equal(heard.filter((h) => h.same).length, 0, 'every notification so far came with a new state: none for the start');
    const before = heard.length;
    logs.open();
    await until(() => !s.source.sampling(), 'the sample answered');
    assert.equal(heard.length, before + 1, 'its answer: one notification');
    assert.equal(heard[before]!.sampling, false);
    assert.equal(heard[before]!.same, false, 'a first sample is news (a new state)');

    // and a sample starting with a refresh's polls: theirs are the only notifications
    const again = gate();
    w.hold!['FilterLogEvents'] = again.promise;
    for (let i = 1; i <= 6; i++) {
      s.tick();
      await settled(s.source, (st) => idle(st) && !st.destinations?.syncing);
    }
    assert.equal(s.source.sampling(), true, 'the second sample is in flight');
    await until(() => samples(w) === 2, 'the second sample was sent (once the pacer let it)');
    assert.equal(heard.slice(before + 1).filter((h) => h.same).length, 0, 'no notification without a new state while it started');
    again.open();
    await until(() => !s.source.sampling(), 'the second sample answered');
  } finally {
    off();
    s.source.stop();
  }
});

test('contract: a sample answering the same as before tells the listeners, and getSnapshot() is the same state object', async () => {
  const w = world();
  const s = sampled(w);
  try {
    const gates = await toSampleTick(w, s, ['FilterLogEvents']);
    const before = s.source.getSnapshot();
    assert.equal(before.metrics.syncing, false, 'the refresh answered (the same data as before)');
    const {heard, off} = listen(s.source);
    gates['FilterLogEvents']!.open();
    await until(() => !s.source.sampling(), 'the sample answered');
    off();
    assert.equal(samples(w), 2);
    assert.equal(heard.length, 1, 'one notification: the feed draws what it held back for the sample');
    assert.equal(heard[0]!.state, before, 'the same DashboardState object: the feed dispatches nothing');
    assert.equal(heard[0]!.sampling, false);
  } finally {
    s.source.stop();
  }
});

test('contract: pause() stops the pollers in turn, each one in flight or waiting tells the listeners as it stops', async () => {
  const w = world();
  const s = sampled(w);
  try {
    await toSampleTick(w, s, ['GetMetricData', 'FilterLogEvents']);
    const {heard, off} = listen(s.source);
    s.source.pause();
    off();
    // [discovery, metrics, queues, destinations], and whether the sample is in flight
    assert.deepEqual(
      heard.map((h) => [...h.phases, h.sampling]),
      [
        ['stopped', 'syncing', 'waiting', 'waiting', true], // discovery (waiting for its next run)
        ['stopped', 'stopped', 'waiting', 'waiting', true], // metrics, in flight
        ['stopped', 'stopped', 'stopped', 'waiting', true], // queues
        ['stopped', 'stopped', 'stopped', 'stopped', true], // destinations
        ['stopped', 'stopped', 'stopped', 'stopped', false], // the sample, in flight
      ],
    );
    assert.deepEqual(heard.map((h) => h.same), [false, false, false, false, true], 'the sample stopping: the same state, told');
    assert.equal(s.source.getSnapshot().metrics.data, heard[0]!.state.metrics.data, 'the data kept');
  } finally {
    s.source.stop();
  }
});

test('contract: stop() stops the pollers in turn, each one telling the listeners as it stops; nothing after', async () => {
  const w = world();
  const s = sampled(w);
  const {heard, off} = listen(s.source);
  try {
    const gates = await toSampleTick(w, s, ['GetMetricData', 'FilterLogEvents']);
    heard.length = 0;
    s.source.stop();
    assert.deepEqual(
      heard.map((h) => [...h.phases, h.sampling]),
      [
        ['stopped', 'syncing', 'waiting', 'waiting', true], // discovery
        ['stopped', 'stopped', 'waiting', 'waiting', true], // metrics, in flight
        ['stopped', 'stopped', 'stopped', 'waiting', true], // queues
        ['stopped', 'stopped', 'stopped', 'waiting', false], // the sample, in flight
        ['stopped', 'stopped', 'stopped', 'stopped', false], // destinations
      ],
    );
    assert.deepEqual(heard.map((h) => h.same), [false, false, false, true, false]);
    const told = heard.length;
    gates['GetMetricData']!.open();
    gates['FilterLogEvents']!.open();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(heard.length, told, 'the answers of the aborted fetches tell no one');
    assert.equal(s.armed.size, 0, 'no timer left');
  } finally {
    off();
    s.source.stop();
  }
});

test("contract: discovery's first answer starts the round's polls before the listeners hear of it", async () => {
  const w = world({hold: {}});
  const metrics = gate();
  const queues = gate();
  w.hold!['GetMetricData'] = metrics.promise;
  w.hold!['GetQueueAttributes'] = queues.promise;
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => NOW, timers: heldTimers()});
  const {heard, off} = listen(source);
  try {
    await settled(source, (s) => s.destinations?.updatedAt !== null && s.destinations?.syncing === false);
    const answered = heard.findIndex((h) => h.state.discovery.data !== null);
    assert.equal(answered, 0, 'nothing heard before discovery answered');
    // [metrics, queues, destinations]: started in turn (one notification each) while discovery's answer is told
    assert.deepEqual(
      heard.map((h) => h.phases.slice(1)),
      [
        ['syncing', 'not started', 'not started'],
        ['syncing', 'syncing', 'not started'],
        ['syncing', 'syncing', 'syncing'],
        ['syncing', 'syncing', 'waiting'], // the destinations answered (this function has none)
      ],
    );
    assert.ok(heard.every((h) => h.phases[0] === 'waiting'), 'discovery answered at every one of them');
    await until(() => w.calls.some((c) => c.name === 'GetMetricData') && w.calls.some((c) => c.name === 'GetQueueAttributes'), 'metrics and queues asked');
  } finally {
    off();
    metrics.open();
    queues.open();
    source.stop();
  }
});

/** The clock times at which the log sample starts (with a refresh's polls), ticking the round until `untilMs`. */
async function sampleStarts(s: ReturnType<typeof sampled>, untilMs: number): Promise<number[]> {
  const starts: number[] = [];
  while (true) {
    const next = Math.min(...[...s.armed.values()].map((t) => t.at));
    if (next > untilMs) return starts;
    s.tick();
    if (s.source.sampling()) {
      starts.push(s.clock());
      await until(() => !s.source.sampling(), 'the sample answered');
    }
    await settled(s.source, (st) => idle(st) && !st.destinations?.syncing);
  }
}

test('the log sample starts with every 6th refresh: every 2 minutes at 20 s', async () => {
  const w = world();
  const s = sampled(w, 20_000);
  try {
    await settled(s.source, (st) => idle(st) && st.metrics.updatedAt !== null && st.queues.updatedAt !== null && st.destinations?.updatedAt !== null);
    await until(() => samples(w) === 1 && !s.source.sampling(), 'the first sample answered');
    assert.deepEqual(await sampleStarts(s, 250_000), [120_000, 240_000]);
  } finally {
    s.source.stop();
  }
});

test('setInterval: the log sample follows, every 6 refreshes of the new interval, at least a minute apart', async () => {
  const w = world();
  const s = sampled(w);
  try {
    await settled(s.source, (st) => idle(st) && st.metrics.updatedAt !== null && st.queues.updatedAt !== null && st.destinations?.updatedAt !== null);
    await until(() => samples(w) === 1 && !s.source.sampling(), 'the first sample answered');
    s.source.setInterval(20_000);
    assert.deepEqual(await sampleStarts(s, 250_000), [120_000, 240_000], 'every 6 refreshes of 20 s');
    s.source.setInterval(5_000);
    assert.deepEqual(await sampleStarts(s, 370_000), [300_000, 360_000], 'a minute apart with refreshes of 5 s, not 30 s');
  } finally {
    s.source.stop();
  }
});

test('logSampleIntervalMs: every 6 refreshes, at least a minute apart', () => {
  assert.equal(logSampleIntervalMs(20_000), 120_000);
  assert.equal(logSampleIntervalMs(10_000), 60_000);
  assert.equal(logSampleIntervalMs(5_000), LOG_SAMPLE_MIN_INTERVAL_MS);
  assert.equal(logSampleIntervalMs(1_000), 60_000);
});

test("a round's answers assemble the snapshot once, when it is read, with the time of the answer that changed it", async () => {
  const w = world();
  const armed = new Map<number, {ms: number; callback: () => void}>();
  let id = 0;
  const timers: Timers = {setTimeout: (callback, ms) => (armed.set(++id, {ms, callback}), id), clearTimeout: (h) => void armed.delete(h as number), now: () => 0};
  let clock = NOW;
  let diagnoses = 0;
  const source = createDashboardSource(fakeClients(w), {functionName: 'checkout', intervalMs: 5000, windowMs: 15 * 60_000, now: () => clock, timers, diagnose: () => (diagnoses++, [])});
  /** Until no poll of the round is in flight, listening without reading the snapshot. */
  const roundDone = () =>
    new Promise<void>((resolve) => {
      const off = source.subscribe(() => {
        if (source.polling?.() === false) (off(), resolve());
      });
    });
  try {
    await settled(source, (s) => idle(s) && [s.metrics, s.queues, s.destinations!].every((p) => p.updatedAt !== null && !p.syncing && p.nextAt !== null));
    const before = source.getSnapshot();
    w.queueDepth['checkout-dlq'] = 9; // the round's answers change the data
    clock = NOW + 5000;
    const counted = diagnoses;
    const [roundId, tick] = [...armed.entries()].find(([, t]) => t.ms === 5000)!;
    armed.delete(roundId);
    const done = roundDone();
    tick.callback();
    assert.equal(source.polling?.(), true);
    await done;
    assert.equal(diagnoses, counted, 'nothing assembled while no one read it');
    clock = NOW + 6000;
    const after = source.getSnapshot();
    assert.equal(diagnoses, counted + 1, 'assembled once, when read');
    assert.notEqual(after, before);
    assert.equal(after.snapshot.queues[0]!.visible, 9);
    assert.equal(after.snapshot.at, NOW + 5000, 'at the time of the answer, not of the read');
    assert.equal(source.getSnapshot(), after, 'the same state until something changes');
    assert.equal(diagnoses, counted + 1);
  } finally {
    source.stop();
  }
});
