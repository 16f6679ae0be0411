// Section 5 of the reference: throttling against reserved concurrency, per-minute metrics that add up,
// CloudWatch statistic semantics, the late newest minute, determinism.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {publicationDelayMs} from '../../../source/sim/lambda/metrics.ts';
import {testScenario} from '../../../source/sim/lambda/testing.ts';
import type {Scenario} from '../../../source/sim/lambda/scenario.ts';
import type {SimMetricQuery} from '../../../source/sim/ports.ts';
import {MIN, S, T0, modelWorld} from '../../helpers/model-world.ts';


function world(scenario: Scenario, seed = 11) {
  const {w, clock, run} = modelWorld(scenario, {seed: seed, stepMs: 10 * S});
  const q = (metricName: string, stat: string, extra: Partial<SimMetricQuery> = {}) =>
    w.queryMetric({namespace: 'AWS/Lambda', metricName, dimensions: {FunctionName: scenario.primaryFunction}, stat, periodSeconds: 60, start: T0, end: T0 + 24 * 60 * MIN, ...extra});
  const total = (metricName: string, extra: Partial<SimMetricQuery> = {}) => q(metricName, 'Sum', extra).reduce((a, [, v]) => a + v, 0);
  return {w, clock, run, q, total};
}

const burst = (opts: {reserved: number; rate: number; maxAge?: number; minutes?: number}) =>
  testScenario({
    queues: [{name: 'failures'}],
    functions: [
      {
        name: 'ingest',
        reservedConcurrency: opts.reserved,
        behavior: {durationMs: {median: 2000, p99: 4000}, errors: [{kind: 'unhandled', rate: 0.1, errorType: 'Error', errorMessage: 'flaky'}]},
        eventInvokeConfig: {maximumRetryAttempts: 2, maximumEventAgeInSeconds: opts.maxAge ?? 120, onFailure: {queue: 'failures'}},
      },
      {name: 'bystander', behavior: {durationMs: {median: 100, p99: 150}}},
    ],
    producers: [
      {name: 'uploads', target: {function: 'ingest'}, ratePerSecond: [[0, opts.rate], [opts.minutes ?? 10, opts.rate], [(opts.minutes ?? 10) + 0.01, 0]], noise: 0, payload: {key: 'u/{{uuid}}', n: '{{seq}}'}},
    ],
  });

test('demand above reserved concurrency throttles; ConcurrentExecutions never exceeds the limit', () => {
  const {w, run, q, total} = world(burst({reserved: 5, rate: 8}));
  run(30 * MIN);
  assert.ok(total('Throttles') > 100, `Throttles ${total('Throttles')}`);
  const concurrency = q('ConcurrentExecutions', 'Maximum');
  assert.ok(concurrency.length >= 10);
  assert.ok(concurrency.every(([, v]) => v <= 5), 'never above the reserved limit');
  assert.equal(Math.max(...concurrency.map(([, v]) => v)), 5, 'pinned at the limit');
  const account = w.queryMetric({namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', dimensions: {}, stat: 'Maximum', periodSeconds: 60, start: T0, end: T0 + 60 * MIN});
  assert.ok(account.every(([, v]) => v <= 5));
  const age = q('AsyncEventAge', 'Maximum');
  assert.ok(Math.max(...age.map(([, v]) => v)) > 60_000, 'events wait in the queue: AsyncEventAge rises');
  // AWS counts aged-out events in AsyncEventsDropped even when a target took them (reference section 1):
  // dropped, but kept in the failure queue, none lost.
  const burstStats = w.asyncStats('ingest');
  assert.ok(total('AsyncEventsDropped') > 0 && burstStats.deliveredToFailureTarget > 0, 'aged-out events are counted as dropped');
  assert.equal(burstStats.deliveredToFailureTarget, burstStats.dropped, 'every dropped event went to the failure queue');
  assert.equal(burstStats.lost, 0);
  // Invocations excludes throttles (section 5)
  const invocations = total('Invocations');
  const stats = w.asyncStats('ingest');
  assert.ok(invocations < stats.received * 3 && invocations >= stats.succeeded);
});

test('metrics add up: AsyncEventsReceived = succeeded + dropped (kept + lost) + still queued/in flight', () => {
  const scenario = burst({reserved: 4, rate: 3, maxAge: 90});
  scenario.functions[0]!.eventInvokeConfig!.onFailure = {arn: 'arn:aws:sqs:us-east-1:123456789012:gone'}; // every delivery fails
  scenario.functions[0]!.deadLetterQueue = {queue: 'failures'};
  const {w, run, total, q} = world(scenario);
  run(9 * MIN + 30 * S); // mid-flight: the producer still runs, some events are still queued
  let s = w.asyncStats('ingest');
  assert.ok(s.queued + s.inFlight > 0, 'a closed window still holds pending events');
  assert.equal(s.received, s.succeeded + s.dropped + s.queued + s.inFlight);
  assert.equal(s.dropped, s.deliveredToFailureTarget + s.lost);
  run(30 * MIN); // everything settles and every minute is published
  s = w.asyncStats('ingest');
  assert.equal(s.queued + s.inFlight, 0);
  assert.equal(total('AsyncEventsReceived'), s.received);
  assert.equal(total('AsyncEventsDropped'), s.dropped);
  assert.equal(total('AsyncEventsReceived'), s.succeeded + s.dropped);
  assert.equal(w.sqs.stats(w.sqs.getQueueUrl('failures')).total, s.deliveredToFailureTarget, 'each DLQ delivery is one message');
  assert.equal(total('DestinationDeliveryFailures'), s.dropped, 'every OnFailure delivery failed');
  assert.equal(total('DeadLetterErrors'), s.lost, 'lost = the DLQ writes that failed too');
  // SampleCount of Duration = Invocations; Average within [Minimum, Maximum]
  const invocations = total('Invocations');
  assert.equal(q('Duration', 'SampleCount').reduce((a, [, v]) => a + v, 0), invocations);
  for (const [t, avg] of q('Duration', 'Average')) {
    const min = q('Duration', 'Minimum').find(([x]) => x === t)![1];
    const max = q('Duration', 'Maximum').find(([x]) => x === t)![1];
    const p50 = q('Duration', 'p50').find(([x]) => x === t)![1];
    assert.ok(min <= avg && avg <= max && min <= p50 && p50 <= max);
  }
  // a 5-minute period sums its minutes
  const perMinute = q('Invocations', 'Sum');
  const perFive = q('Invocations', 'Sum', {periodSeconds: 300});
  assert.equal(perFive.reduce((a, [, v]) => a + v, 0), perMinute.reduce((a, [, v]) => a + v, 0));
  assert.ok(perFive.every(([t]) => (t - T0) % (5 * MIN) === 0));
  assert.ok(perFive.length < perMinute.length);
});

test('the newest minute is late: a data point fills in 60-120 s after its samples', () => {
  const {w, clock, run, q} = world(
    testScenario({functions: [{name: 'steady', behavior: {durationMs: {median: 50, p99: 60}}}], producers: [{name: 'p', target: {function: 'steady'}, ratePerSecond: 5, noise: 0, payload: {}}]}),
  );
  run(10 * MIN, 1 * S);
  const now = clock.now();
  const points = q('Invocations', 'Sum', {end: now});
  const last = points[points.length - 1]!;
  assert.ok(last[0] < now - MIN, 'the current minute is not visible yet');
  run(3 * MIN, 1 * S);
  const later = q('Invocations', 'Sum', {end: now});
  const settled = later.find(([t]) => t === last[0])![1];
  assert.ok(last[1] < settled, `minute ${new Date(last[0]).toISOString()} was partial (${last[1]} < ${settled})`);
  assert.ok(later.length > points.length, 'the next minute appeared');
  // older minutes do not change
  assert.deepEqual(later.slice(0, points.length - 2), points.slice(0, points.length - 2));
  for (let k = 0; k < 500; k++) {
    const d = publicationDelayMs(k * 7919, k, k % 6);
    assert.ok(d >= 60_000 && d <= 120_000);
  }
  void w;
});

test('statistics: unsupported period or statistic is an error; unknown dimensions give no data', () => {
  const {w, run, q} = world(burst({reserved: 2, rate: 1}));
  run(5 * MIN);
  assert.throws(() => q('Invocations', 'Sum', {periodSeconds: 90}), /multiple of 60/);
  assert.throws(() => q('Invocations', 'Median'), /unsupported statistic/);
  assert.deepEqual(q('Invocations', 'Sum', {dimensions: {FunctionName: 'ingest', Resource: 'ingest:live'}}), []);
  const names = new Set(w.listMetrics('AWS/Lambda').map((m) => m.metricName));
  for (const n of ['AsyncEventsReceived', 'AsyncEventAge', 'Invocations', 'Errors', 'Throttles', 'Duration', 'ConcurrentExecutions', 'UnreservedConcurrentExecutions', 'ClaimedAccountConcurrency']) assert.ok(names.has(n), n);
  assert.ok(w.listMetrics('AWS/Lambda', 'ConcurrentExecutions').some((m) => Object.keys(m.dimensions).length === 0), 'account-level series');
  assert.ok(w.listMetrics('AWS/SQS').some((m) => m.metricName === 'ApproximateNumberOfMessagesVisible' && m.dimensions.QueueName === 'failures'));
});

test('determinism: the same seed gives the same metrics, another seed different ones', () => {
  const series = (seed: number) => {
    const {run, q} = world(burst({reserved: 3, rate: 2}), seed);
    run(20 * MIN);
    return ['Invocations', 'Errors', 'Throttles', 'AsyncEventAge'].map((m) => q(m, m === 'AsyncEventAge' ? 'Maximum' : 'Sum')).concat([q('Duration', 'p99')]);
  };
  assert.deepEqual(series(5), series(5));
  assert.notDeepEqual(series(5), series(6));
});

test('alias invocations also count under {FunctionName, Resource}; provisioned concurrency utilization', () => {
  const scenario = testScenario({
    functions: [{name: 'sender', alias: {name: 'live', version: '12', provisionedConcurrency: 10}}],
    producers: [{name: 'p', target: {function: 'sender', qualifier: 'live'}, ratePerSecond: 3, noise: 0, payload: {}}],
  });
  const {w, run, total} = world(scenario);
  w.invoke('sender', '{}', 'Event'); // unqualified: not in the alias series
  run(10 * MIN);
  const published = {end: T0 + 7 * MIN}; // minutes old enough to be complete in every series
  const byAlias = total('Invocations', {dimensions: {FunctionName: 'sender', Resource: 'sender:live'}, ...published});
  assert.ok(byAlias > 100);
  assert.equal(total('Invocations', published), byAlias + 1);
  const util = w.queryMetric({namespace: 'AWS/Lambda', metricName: 'ProvisionedConcurrencyUtilization', dimensions: {FunctionName: 'sender', Resource: 'sender:live'}, stat: 'Maximum', periodSeconds: 60, start: T0, end: T0 + 20 * MIN});
  assert.ok(util.length > 0 && util.every(([, v]) => v >= 0 && v <= 1));
  assert.deepEqual(w.listProvisionedConcurrencyConfigs('sender').map((c) => [c.FunctionArn, c.AllocatedProvisionedConcurrentExecutions, c.Status]), [['arn:aws:lambda:us-east-1:123456789012:function:sender:live', 10, 'READY']]);
  // provisioned instances start warm: alias invocations have no INIT_START
  const inits = w.filterLogEvents({logGroupName: '/aws/lambda/sender', filterPattern: 'INIT_START'}).events;
  assert.equal(inits.filter((e) => e.logStreamName.includes('[12]')).length, 0);
  assert.equal(inits.length, 1, 'only the unqualified invoke started cold, on $LATEST');
  assert.match(inits[0]!.logStreamName, /^2026\/11\/23\/\[\$LATEST\][0-9a-f]{32}$/);
});

test('the virtual clock reads whole milliseconds, so SentTimestamp and metric times are integers as AWS sends them', async () => {
  const {createVirtualClock} = await import('../../../source/sim/clock.ts');
  let wall = 1_000.3;
  const clock = createVirtualClock({speed: 30, start: 1_796_109_121_149.87, wallNow: () => wall});
  for (let i = 0; i < 50; i++) {
    wall += 0.37;
    assert.ok(Number.isInteger(clock.now()), String(clock.now()));
  }
});

test('messages the model sends at fractional event instants (backoff, jitter) still carry whole-millisecond SentTimestamps', async () => {
  const {createWorld} = await import('../../../source/sim/lambda/index.ts');
  const {createManualClock} = await import('../../../source/sim/clock.ts');
  const w = createWorld({scenario: 'avatar-timeouts', seed: 1, clock: createManualClock(Date.UTC(2026, 10, 23, 12)), baseUrl: () => 'x'});
  const messages = w.sqs.peekAll(w.sqs.getQueueUrl('avatar-processor-dlq'));
  assert.ok(messages.length > 10);
  const fractional = messages.filter((m) => !Number.isInteger(m.sentTimestamp));
  assert.deepEqual(fractional.slice(0, 3).map((m) => m.sentTimestamp), []);
  const logs = w.filterLogEvents({logGroupName: '/aws/lambda/avatar-processor'}).events;
  assert.ok(logs.length > 0 && logs.every((e) => Number.isInteger(e.timestamp)), 'log event timestamps too');
});

test('the late newest minute: a query reads only the slices published at its time, checked slice by slice', async () => {
  const {MetricStore, SLICE_MS} = await import('../../../source/sim/lambda/metrics.ts');
  const store = new MetricStore();
  const dims = {FunctionName: 'f'};
  const series = store.get('AWS/Lambda', 'Duration', dims, {samples: true});
  const t0 = T0 - 20 * MIN;
  let x = 7;
  for (let t = t0; t < T0; t += 1370) {
    x = (x * 48271) % 2147483647;
    series.add(t, (x % 1000) / 7);
  }
  // the reference: every slice visible once its end plus its own delay has passed
  const reference = (stat: 'Sum' | 'SampleCount' | 'Maximum', now: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let m = Math.floor(t0 / MIN); m * MIN < T0; m++) {
      let sum = 0;
      let count = 0;
      let max = -Infinity;
      for (let i = 0; i < 6; i++) {
        if (m * MIN + (i + 1) * SLICE_MS + publicationDelayMs(series.hash, m, i) > now) continue;
        const base = series.offsetOf(m);
        if (base < 0) continue;
        const n = series.values[base + 6 + i]!;
        if (n === 0) continue;
        sum += series.values[base + i]!;
        count += n;
        max = Math.max(max, series.values[base + 18 + i]!);
      }
      if (count > 0) out.push([m * MIN, stat === 'Sum' ? sum : stat === 'SampleCount' ? count : max]);
    }
    return out;
  };
  for (let now = T0 - 5 * MIN; now <= T0 + 3 * MIN; now += 2500) {
    for (const stat of ['Sum', 'SampleCount', 'Maximum'] as const) {
      const got = store.query({namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: dims, stat, periodSeconds: 60, start: t0, end: T0 + MIN}, now);
      assert.deepEqual(got, reference(stat, now), `${stat} at ${now - T0} ms`);
    }
  }
});
