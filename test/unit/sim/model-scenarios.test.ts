// The built-in scenarios load, run two virtual hours after their pre-roll without error, and tell their story.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createWorld, listScenarios, loadScenario, validateScenario, DEFAULT_SCENARIO, type SimWorld} from '../../../source/sim/lambda/index.ts';
import {createManualClock, createVirtualClock} from '../../../source/sim/clock.ts';
import {createRandom, streamAt} from '../../../source/sim/random.ts';
import {testScenario} from '../../../source/sim/lambda/testing.ts';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const S = 1000;
const MIN = 60_000;

function runScenario(name: string): {w: SimWorld; sum: (metric: string, fn: string, stat?: string) => number; max: (metric: string, fn: string, stat?: string) => number; series: (metric: string, fn: string, stat: string) => Array<[number, number]>} {
  const clock = createManualClock(T0);
  const w = createWorld({scenario: name, seed: 1, clock, baseUrl: () => 'http://127.0.0.1:4566'});
  for (let t = 0; t < 120 * MIN; t += 15 * S) {
    clock.advance(15 * S);
    w.advance();
  }
  const series = (metric: string, fn: string, stat: string) =>
    w.queryMetric({namespace: 'AWS/Lambda', metricName: metric, dimensions: {FunctionName: fn}, stat, periodSeconds: 60, start: w.scenarioStart, end: clock.now()});
  const sum = (metric: string, fn: string, stat = 'Sum') => series(metric, fn, stat).reduce((a, [, v]) => a + v, 0);
  const max = (metric: string, fn: string, stat = 'Maximum') => Math.max(0, ...series(metric, fn, stat).map(([, v]) => v));
  return {w, sum, max, series};
}

const depth = (w: SimWorld, queue: string) => w.sqs.stats(w.sqs.getQueueUrl(queue)).total;

test('listScenarios: the four scenarios, the default first; unknown names are refused with the list', () => {
  const list = listScenarios();
  assert.deepEqual(list.map((s) => s.name).sort(), ['avatar-timeouts', 'healthy', 'throttled-orders', 'upload-burst']);
  assert.equal(list[0]!.name, DEFAULT_SCENARIO);
  assert.ok(list.every((s) => s.title.length > 0 && s.story.length > 20 && s.story.length < 300));
  assert.throws(() => loadScenario('nope'), /unknown scenario "nope": try avatar-timeouts, throttled-orders, upload-burst, healthy/);
});

test('scenario validation names the broken field', () => {
  const ok = testScenario({functions: [{name: 'fn'}]});
  assert.doesNotThrow(() => validateScenario(structuredClone(ok)));
  const broken = (mutate: (s: Record<string, unknown>) => void) => {
    const s = structuredClone(ok) as unknown as Record<string, unknown>;
    mutate(s);
    return () => validateScenario(s);
  };
  assert.throws(broken((s) => ((s.functions as Array<Record<string, unknown>>)[0]!.timeoutSeconds = 0)), /functions\[0\]\.timeoutSeconds: must be between 1 and 900/);
  assert.throws(broken((s) => ((s.functions as Array<Record<string, unknown>>)[0]!.deadLetterQueue = {queue: 'missing'})), /functions\[0\]\.deadLetterQueue: unknown queue "missing"/);
  assert.throws(broken((s) => ((s.functions as Array<Record<string, unknown>>)[0]!.eventInvokeConfig = {maximumRetryAttempts: 3})), /maximumRetryAttempts: must be between 0 and 2/);
  assert.throws(broken((s) => (s.producers = [{name: 'p', target: {function: 'ghost'}, ratePerSecond: 1, payload: {}}])), /producers\[0\]\.target: unknown function "ghost"/);
  assert.throws(broken((s) => (s.producers = [{name: 'p', target: {function: 'fn'}, ratePerSecond: [[5, 1], [2, 1]], payload: {}}])), /ratePerSecond\[1\]: minutes must not decrease/);
  assert.throws(broken((s) => (s.primaryFunction = 'x')), /primaryFunction: unknown function "x"/);
  assert.throws(() => createWorld({scenario: 'nope', clock: createManualClock(T0), baseUrl: () => 'x'}), /unknown scenario/);
});

test('avatar-timeouts: large images time out, are retried, and fill the DLQ and the fallback; the fix stops it', () => {
  const {w, sum, series} = runScenario('avatar-timeouts');
  assert.equal(w.primaryFunction, 'avatar-processor');
  const timeouts = w.filterLogEvents({logGroupName: '/aws/lambda/avatar-processor', filterPattern: '"Task timed out after 10.00 seconds"'}).events.length;
  assert.ok(timeouts > 200, `timeouts ${timeouts}`);
  assert.ok(depth(w, 'avatar-processor-dlq') > 100);
  assert.ok(w.asyncStats('avatar-resizer-fallback').received > 100, 'the fallback destination got the records');
  // every failed event is counted as dropped (reference section 1) and every one was kept: none lost
  assert.ok(sum('AsyncEventsDropped', 'avatar-processor') > 100);
  assert.equal(sum('DeadLetterErrors', 'avatar-processor') + sum('DestinationDeliveryFailures', 'avatar-processor'), 0);
  assert.equal(w.asyncStats('avatar-processor').lost, 0);
  assert.equal(sum('Duration', 'avatar-processor', 'Maximum') > 0, true);
  // the error rate during the incident is high, after the fix (scenario minutes 110-160) close to zero
  const errorsAt = (from: number, to: number) => series('Errors', 'avatar-processor', 'Sum').filter(([t]) => w.scenarioMinute(t) >= from && w.scenarioMinute(t) < to && t - w.scenarioStart < 150 * MIN).reduce((a, [, v]) => a + v, 0);
  const invocationsAt = (from: number, to: number) => series('Invocations', 'avatar-processor', 'Sum').filter(([t]) => w.scenarioMinute(t) >= from && w.scenarioMinute(t) < to && t - w.scenarioStart < 150 * MIN).reduce((a, [, v]) => a + v, 0);
  assert.ok(errorsAt(50, 100) / invocationsAt(50, 100) > 0.1, 'incident');
  assert.ok(errorsAt(112, 150) / invocationsAt(112, 150) < 0.02, 'fixed');
  assert.match(w.currentNote(w.scenarioStart + 110 * MIN) ?? '', /streaming resize/);
});

test('throttled-orders: the SQS consumer errors and throttles at reserved concurrency 10; orders-dlq fills', () => {
  const {w, sum, max} = runScenario('throttled-orders');
  assert.ok(sum('Throttles', 'order-processor') > 100);
  assert.ok(sum('Errors', 'order-processor') > 100);
  assert.equal(max('ConcurrentExecutions', 'order-processor'), 10);
  assert.ok(depth(w, 'orders-dlq') > 100);
  assert.equal(w.listEventSourceMappings({functionName: 'order-processor'}).length, 1);
  const backlog = w.queryMetric({namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: {QueueName: 'orders'}, stat: 'Maximum', periodSeconds: 60, start: w.scenarioStart, end: w.time});
  assert.ok(Math.max(...backlog.map(([, v]) => v)) > 60, 'messages wait in the orders queue');
});

test('upload-burst: throttles, AsyncEventAge climbs to the 10-minute limit, events age out, some are dropped', () => {
  const {w, sum, max} = runScenario('upload-burst');
  assert.ok(sum('Throttles', 'media-ingest') > 1000);
  assert.ok(max('AsyncEventAge', 'media-ingest') > 500_000, 'AsyncEventAge near MaximumEventAge (600 s)');
  assert.ok(max('AsyncEventAge', 'media-ingest') <= 600_000);
  // dropped = kept in the failure queue + lost (the oversized manifests the queue refused)
  const dropped = sum('AsyncEventsDropped', 'media-ingest');
  const lost = sum('DestinationDeliveryFailures', 'media-ingest');
  assert.ok(lost > 0, 'some were lost');
  assert.ok(dropped > lost * 10, `most were kept (dropped ${dropped}, lost ${lost})`);
  assert.equal(w.asyncStats('media-ingest').lost, w.asyncStats('media-ingest').failedToDeliver);
  assert.equal(max('ConcurrentExecutions', 'media-ingest'), 10);
  const failures = w.sqs.peekAll(w.sqs.getQueueUrl('media-ingest-failures'));
  assert.ok(failures.length > 1000);
  assert.ok(failures.some((m) => JSON.parse(m.body).requestContext.condition === 'EventAgeExceeded'));
});

test('healthy: no drops, empty DLQs, a very low error rate', () => {
  const {w, sum} = runScenario('healthy');
  assert.equal(sum('AsyncEventsDropped', 'notification-sender'), 0);
  assert.equal(sum('Throttles', 'notification-sender'), 0);
  assert.ok(sum('Errors', 'notification-sender') / sum('Invocations', 'notification-sender') < 0.01);
  assert.equal(depth(w, 'notification-sender-dlq'), 0);
  assert.equal(depth(w, 'invoices-dlq'), 0);
  assert.ok(w.listProvisionedConcurrencyConfigs('notification-sender').length === 1);
});

test('pre-roll: the history before "now" is populated at creation', () => {
  const clock = createManualClock(T0);
  const w = createWorld({scenario: DEFAULT_SCENARIO, clock, baseUrl: () => 'x', prerollMinutes: 45});
  assert.equal(w.time, T0);
  assert.equal(w.scenarioStart, T0 - 45 * MIN);
  const points = w.queryMetric({namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: {FunctionName: w.primaryFunction}, stat: 'Sum', periodSeconds: 60, start: T0 - 60 * MIN, end: T0});
  assert.ok(points.length >= 42, `${points.length} minutes of history`);
  assert.ok(points[0]![0] >= T0 - 45 * MIN);
});

test('pre-roll: a scenario says where its story opens (upload-burst: after events started ageing out and being lost)', () => {
  const clock = createManualClock(T0);
  const w = createWorld({scenario: 'upload-burst', seed: 1, clock, baseUrl: () => 'x'});
  assert.equal(w.scenarioStart, T0 - 60 * MIN);
  const stats = w.asyncStats('media-ingest');
  assert.ok(stats.deliveredToFailureTarget > 100, JSON.stringify(stats));
  assert.ok(stats.lost > 0 && stats.lost === stats.failedToDeliver, JSON.stringify(stats));
  // settled CloudWatch minutes (3 min old) already carry both
  const settled = (metric: string) => w.queryMetric({namespace: 'AWS/Lambda', metricName: metric, dimensions: {FunctionName: 'media-ingest'}, stat: 'Sum', periodSeconds: 60, start: T0 - 60 * MIN, end: T0 - 3 * MIN}).reduce((a, [, v]) => a + v, 0);
  assert.ok(settled('AsyncEventsDropped') > settled('DestinationDeliveryFailures'));
  assert.ok(settled('DestinationDeliveryFailures') > 0);
  assert.equal(createWorld({scenario: 'healthy', clock: createManualClock(T0), baseUrl: () => 'x'}).scenarioStart, T0 - 45 * MIN, 'default 45 minutes');
  assert.throws(() => validateScenario({...structuredClone(loadScenario('healthy')), prerollMinutes: -1}), /prerollMinutes: must be between 0 and 360/);
});

test('clocks and random numbers', () => {
  let wall = 1_000;
  const v = createVirtualClock({speed: 30, start: T0, wallNow: () => wall});
  assert.equal(v.now(), T0);
  wall += 2_000;
  assert.equal(v.now(), T0 + 60_000);
  assert.throws(() => createVirtualClock({speed: 0}));
  const m = createManualClock(5);
  m.advance(10);
  assert.equal(m.now(), 15);
  m.set(3);
  assert.equal(m.now(), 3);
  const a = createRandom(42);
  const b = createRandom(42);
  const xs = Array.from({length: 50}, () => a.next());
  assert.deepEqual(xs, Array.from({length: 50}, () => b.next()));
  assert.notDeepEqual(xs, Array.from({length: 50}, () => createRandom(43).next()));
  const r = createRandom(1);
  const samples = Array.from({length: 20_000}, () => r.lognormal(100, 1000)).sort((x, y) => x - y);
  assert.ok(Math.abs(samples[10_000]! - 100) < 10, `median ${samples[10_000]}`);
  assert.ok(Math.abs(samples[19_800]! - 1000) < 150, `p99 ${samples[19_800]}`);
  const counts = Array.from({length: 5000}, () => r.poisson(3));
  assert.ok(Math.abs(counts.reduce((x, y) => x + y, 0) / 5000 - 3) < 0.1);
  assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(r.hex(13), /^[0-9a-f]{13}$/);
  // a position read back gives the numbers that followed it; skip(n) lands where n draws would
  for (const n of [0, 1, 16, 100_003]) {
    const drawn = createRandom(9);
    const jumped = createRandom(9);
    drawn.uuid();
    jumped.uuid();
    const replay = streamAt(jumped.position());
    const following = Array.from({length: n}, () => drawn.next());
    jumped.skip(n);
    assert.deepEqual(Array.from({length: n}, replay), following);
    assert.equal(jumped.position(), drawn.position());
    assert.equal(jumped.next(), drawn.next());
  }
});
