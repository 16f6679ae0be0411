import {test} from 'node:test';
import assert from 'node:assert/strict';
import {diagnose, type DiagnoseInput} from '../../../source/domain/diagnose.ts';
import type {Finding, FunctionTopology, MetricSeries, MetricsSnapshot, QueueStatus} from '../../../source/domain/types.ts';
import {FUNCTION_METRICS} from '../../../source/domain/types.ts';
import {targetFromArn} from '../../../source/domain/arn.ts';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const MIN = 60_000;
const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
const FAIL_ARN = 'arn:aws:sqs:us-east-1:123456789012:orders-failures';

function topology(over: Partial<FunctionTopology> = {}): FunctionTopology {
  return {
    name: 'order-processor', arn: 'arn:aws:lambda:us-east-1:123456789012:function:order-processor', region: 'us-east-1',
    accountId: '123456789012', qualifier: null, runtime: 'nodejs22.x', timeoutSeconds: 10, memoryMb: 256,
    logGroup: '/aws/lambda/order-processor', reservedConcurrency: null, provisioned: [],
    account: {concurrentExecutions: 1000, unreservedConcurrentExecutions: 900},
    maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600,
    deadLetterTarget: null, onSuccess: null, onFailure: targetFromArn(FAIL_ARN), eventSources: [], unknown: {}, discoveredAt: NOW,
    ...over,
  };
}

/** values[i] is the minute (n - i) minutes before NOW; the last one is the newest complete minute unless partial. */
function series(key: string, values: Array<number | null>, options: {partial?: boolean; status?: string | null; unit?: string} = {}): MetricSeries {
  const def = FUNCTION_METRICS.find((m) => m.key === key);
  const n = values.length;
  const points: Array<[number, number]> = [];
  values.forEach((v, i) => {
    if (v !== null) points.push([NOW - (n - i) * MIN, v]);
  });
  return {
    key, namespace: 'AWS/Lambda', metricName: def?.metricName ?? key, stat: def?.stat ?? 'Sum', points,
    partialFrom: options.partial ? NOW - MIN : null, status: options.status === undefined ? 'Complete' : options.status,
    unit: options.unit ?? def?.unit ?? 'Count',
  };
}

/** A healthy baseline: every function metric known, quiet. Override or add series by key. */
function metrics(over: Record<string, MetricSeries> = {}): MetricsSnapshot {
  const base: Record<string, MetricSeries> = {};
  for (const m of FUNCTION_METRICS) base[m.key] = series(m.key, []);
  base['Invocations'] = series('Invocations', new Array(60).fill(100));
  base['Errors'] = series('Errors', new Array(60).fill(0));
  base['AsyncEventsReceived'] = series('AsyncEventsReceived', new Array(60).fill(100));
  base['AsyncEventAge'] = series('AsyncEventAge', new Array(60).fill(40));
  base['AsyncEventAge.max'] = series('AsyncEventAge.max', new Array(60).fill(120));
  base['ConcurrentExecutions'] = series('ConcurrentExecutions', new Array(60).fill(3));
  return {periodSeconds: 60, start: NOW - 60 * MIN, end: NOW, series: {...base, ...over}};
}

function queue(over: Partial<QueueStatus> = {}): QueueStatus {
  return {role: 'on-failure', url: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-failures', arn: FAIL_ARN, name: 'orders-failures',
    visible: 0, inFlight: 0, delayed: 0, oldestAgeSeconds: 0, retentionSeconds: 345_600, visibilityTimeoutSeconds: 30,
    maximumMessageSizeBytes: 1_048_576, fifo: false, error: null, ...over};
}

function run(over: Partial<DiagnoseInput> = {}): Finding[] {
  return diagnose({topology: topology(), metrics: metrics(), queues: [queue()], now: NOW, ...over});
}
const ids = (fs: Finding[]): string[] => fs.map((f) => f.id);
const find = (fs: Finding[], id: string): Finding | undefined => fs.find((f) => f.id === id);

test('healthy and fully known: a single all-clear finding', () => {
  const fs = run();
  assert.deepEqual(ids(fs), ['all-clear']);
  assert.equal(fs[0]!.severity, 'info');
  assert.match(fs[0]!.detail, /^No dropped events, throttles, failed deliveries in the last 1 h 00 min/);
  assert.match(fs[0]!.detail, /error rate 0%/);
  assert.match(fs[0]!.detail, /OnFailure destination \(SQS queue orders-failures\)/);
});

test('unknown data: topology or metrics missing give info findings, never alarms', () => {
  const noTopology = run({topology: null});
  assert.deepEqual(ids(noTopology), ['cannot-check']);
  assert.equal(noTopology[0]!.severity, 'info');
  const nothing = diagnose({topology: null, metrics: null, queues: [], now: NOW});
  assert.deepEqual(ids(nothing), ['cannot-check', 'metrics-unknown']);
  assert.ok(nothing.every((f) => f.severity === 'info'));
  const noMetrics = run({metrics: null});
  assert.deepEqual(ids(noMetrics), ['metrics-unknown']);
});

test('unknown topology fields: the checks needing them are skipped and named', () => {
  const reason = 'AccessDenied: lambda:GetFunctionEventInvokeConfig';
  const t = topology({onFailure: null, maximumRetryAttempts: null, maximumEventAgeSeconds: null, onSuccess: null,
    unknown: {onFailure: reason, onSuccess: reason, maximumRetryAttempts: reason, maximumEventAgeSeconds: reason}});
  const fs = run({topology: t});
  assert.equal(find(fs, 'no-failure-target'), undefined, 'must not claim "no failure target" when it is not known');
  assert.equal(find(fs, 'event-age-too-short'), undefined);
  const info = find(fs, 'cannot-check')!;
  assert.equal(info.severity, 'info');
  assert.match(info.detail, /OnFailure destination/);
  assert.match(info.detail, /AccessDenied: lambda:GetFunctionEventInvokeConfig/);
  // still an all-clear, qualified
  assert.match(find(fs, 'all-clear')!.detail, /Some checks were skipped/);
});

test('no-failure-target: warning when quiet, critical with errors, info without async traffic', () => {
  const t = topology({onFailure: null});
  const quiet = find(run({topology: t}), 'no-failure-target')!;
  assert.equal(quiet.severity, 'warning');
  assert.match(quiet.detail, /Neither a DLQ nor an OnFailure destination/);
  assert.match(quiet.detail, /after 2 retries/);
  const failing = find(run({topology: t, metrics: metrics({Errors: series('Errors', [0, 0, 4, 0])})}), 'no-failure-target')!;
  assert.equal(failing.severity, 'critical');
  assert.match(failing.detail, /With 4 errors in the last 1 h 00 min/);
  const noAsync = find(run({topology: t, metrics: metrics({AsyncEventsReceived: series('AsyncEventsReceived', [])})}), 'no-failure-target')!;
  assert.equal(noAsync.severity, 'info');
  // errors of an SQS event source (no async traffic) do not mean lost async events; drops always do
  const syncErrors = find(run({topology: t, metrics: metrics({AsyncEventsReceived: series('AsyncEventsReceived', [0, 0]), Errors: series('Errors', [3])})}), 'no-failure-target')!;
  assert.equal(syncErrors.severity, 'info');
  const drops = find(run({topology: t, metrics: metrics({AsyncEventsReceived: series('AsyncEventsReceived', []), AsyncEventsDropped: series('AsyncEventsDropped', [2])})}), 'no-failure-target')!;
  assert.equal(drops.severity, 'critical');
  assert.equal(find(run({topology: topology({onFailure: null, deadLetterTarget: targetFromArn(DLQ_ARN)})}), 'no-failure-target'), undefined);
});

test('both a DLQ and an OnFailure destination: warning with both depths, saying AWS sends each failure to both', () => {
  const t = topology({deadLetterTarget: targetFromArn(DLQ_ARN)});
  const queues = [queue({visible: 3}), queue({role: 'dlq', arn: DLQ_ARN, name: 'orders-dlq', visible: 0})];
  const f = find(run({topology: t, queues}), 'both-dlq-and-destination')!;
  assert.equal(f.severity, 'warning');
  // reference section 1 (corrected): AWS sends each failure to both, under the same request id
  assert.match(f.title, /every failure is in both/);
  assert.match(f.detail, /AWS sends each failed event to both: the raw event .* to the DLQ, and the invocation record to the OnFailure destination, under the same request id/);
  assert.match(f.detail, /Redrive each request id once/);
  assert.doesNotMatch(f.detail, /does not document|either or both/);
  assert.match(f.detail, /DLQ SQS queue orders-dlq holds 0 messages/);
  assert.match(f.detail, /OnFailure destination SQS queue orders-failures holds 3 messages/);
  assert.doesNotMatch(f.detail, /precedence|takes priority|always goes/);
  const toFunction = find(run({topology: topology({deadLetterTarget: targetFromArn(DLQ_ARN), onFailure: targetFromArn('arn:aws:lambda:us-east-1:1:function:fallback')}), queues}), 'both-dlq-and-destination')!;
  assert.match(toFunction.detail, /the OnFailure destination is function fallback \(not a queue/);
  const same = find(run({topology: topology({deadLetterTarget: targetFromArn(FAIL_ARN)})}), 'both-dlq-and-destination')!;
  assert.equal(same.severity, 'info');
  assert.match(same.title, /same queue/);
});

test('events-dropped: critical with count and likely cause; a partial newest minute is ignored', () => {
  const t = topology({onFailure: null});
  const fs = run({topology: t, metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [0, 5, 7, 0])})});
  const f = find(fs, 'events-dropped')!;
  assert.equal(f.severity, 'critical');
  assert.equal(f.title, '12 events dropped and lost: no failure target');
  assert.match(f.detail, /Lost: all 12, as there is no DLQ or OnFailure destination/);
  assert.match(f.detail, /7 in the minute starting 11:58 UTC/);
  assert.equal(fs[0]!.id, 'events-dropped', 'data loss ranks first');
  const partialOnly = run({metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [0, 0, 9], {partial: true})})});
  assert.equal(find(partialOnly, 'events-dropped'), undefined);
  const zero = run({metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [0, 0, 0])})});
  assert.equal(find(zero, 'events-dropped'), undefined);
  const aged = find(run({metrics: metrics({
    AsyncEventsDropped: series('AsyncEventsDropped', [0, 3]),
    'AsyncEventAge.max': series('AsyncEventAge.max', [21_500_000, 21_600_000]),
  })}), 'events-dropped')!;
  assert.match(aged.detail, /maximum event age \(6 h 00 min\)/);
});

test('events-dropped: dropped is not lost; events a target took are kept, failed writes are lost, with counts', () => {
  // OnFailure destination only (the default topology): 96 dropped, all written
  const allKept = find(run({metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [40, 56]), DestinationDeliveryFailures: series('DestinationDeliveryFailures', [0, 0])})}), 'events-dropped')!;
  assert.equal(allKept.severity, 'warning', 'nothing lost: a warning, not data loss');
  assert.equal(allKept.title, '96 events dropped, all kept');
  assert.match(allKept.detail, /including those it sent to a DLQ or OnFailure destination first: dropped is not lost/);
  assert.match(allKept.detail, /Kept: 96 in the OnFailure destination \(SQS queue orders-failures\)/);
  assert.match(allKept.detail, /None lost/);
  assert.doesNotMatch(allKept.detail, /gone|no queue holds them/);
  // some writes failed (too big for the queue): those are lost, the rest kept
  const some = find(run({metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [40, 56]), DestinationDeliveryFailures: series('DestinationDeliveryFailures', [3, 1])})}), 'events-dropped')!;
  assert.equal(some.severity, 'critical');
  assert.equal(some.title, '96 events dropped: 4 lost, 92 kept');
  assert.match(some.detail, /Kept: 92 in the OnFailure destination/);
  assert.match(some.detail, /Lost: 4, whose write to the failure target failed \(DestinationDeliveryFailures\)/);
  // both targets: each holds its own share; lost at most the smaller failure count
  const both = find(run({
    topology: topology({deadLetterTarget: targetFromArn(DLQ_ARN)}),
    metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [10]), DeadLetterErrors: series('DeadLetterErrors', [2]), DestinationDeliveryFailures: series('DestinationDeliveryFailures', [0])}),
  }), 'events-dropped')!;
  assert.equal(both.title, '10 events dropped, all kept');
  assert.match(both.detail, /Kept: 8 in the DLQ .* and 10 in the OnFailure destination .*once in each/);
  // failure metrics unknown: loss not claimed either way
  const unknown = find(run({metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [5]), DestinationDeliveryFailures: series('DestinationDeliveryFailures', [], {status: 'Forbidden'})})}), 'events-dropped')!;
  assert.equal(unknown.title, '5 events dropped');
  assert.match(unknown.detail, /Whether any are lost is not known/);
});

test('throttling backlog: the reference example (41 min, +3 min/min, max 60 min -> ~6 min)', () => {
  const ages = [29, 32, 35, 38, 41].map((m) => m * 60_000); // ms, +3 min per minute
  const t = topology({reservedConcurrency: 10, maximumEventAgeSeconds: 3600, onFailure: null});
  const m = metrics({
    'AsyncEventAge.max': series('AsyncEventAge.max', [...ages, 44 * 60_000], {partial: true}),
    Throttles: series('Throttles', [20, 25, 30, 28, 31]),
    ConcurrentExecutions: series('ConcurrentExecutions', [10, 10, 10, 10, 10]),
  });
  const f = find(run({topology: t, metrics: m}), 'throttling-backlog')!;
  assert.equal(f.severity, 'critical');
  assert.match(f.detail, /throttled at its reserved concurrency of 10 \(134 throttles in the last 10 min, ConcurrentExecutions max 10\), so the async queue backs up/);
  assert.match(f.detail, /event age 41 min and rising 3 min\/min/);
  assert.match(f.detail, /older than 1 h 00 min \(MaximumEventAgeInSeconds=3600\) are dropped \(no DLQ or OnFailure destination\)/);
  assert.match(f.detail, /first one is in ~6 min/);
});

test('throttling backlog: boundaries and the non-throttled ageing case', () => {
  const rising = (perMinute: number) => series('AsyncEventAge.max', [0, 1, 2, 3, 4].map((i) => (60 + i * perMinute) * 1000));
  const throttled = series('Throttles', [1, 0, 0, 0, 0]);
  assert.ok(find(run({metrics: metrics({'AsyncEventAge.max': rising(5), Throttles: throttled})}), 'throttling-backlog'));
  assert.equal(find(run({metrics: metrics({'AsyncEventAge.max': rising(4.9), Throttles: throttled})}), 'throttling-backlog'), undefined);
  assert.equal(find(run({metrics: metrics({'AsyncEventAge.max': rising(60)})}), 'throttling-backlog'), undefined, 'no throttles');
  const slow = find(run({metrics: metrics({'AsyncEventAge.max': rising(5), Throttles: throttled})}), 'throttling-backlog')!;
  assert.equal(slow.severity, 'warning', 'far from the 6 h maximum');
  assert.match(slow.detail, /go to the OnFailure destination/);
  // age already half the maximum, rising, no throttles
  const t = topology({maximumEventAgeSeconds: 600});
  const old = find(run({topology: t, metrics: metrics({'AsyncEventAge.max': series('AsyncEventAge.max', [300, 310, 320, 330].map((s) => s * 1000))})}), 'event-age-rising')!;
  assert.equal(old.severity, 'critical');
  assert.match(old.detail, /first one is in ~27 min/);
  // too few points to call a trend
  assert.equal(find(run({metrics: metrics({'AsyncEventAge.max': series('AsyncEventAge.max', [10_000, 900_000]), Throttles: throttled})}), 'throttling-backlog'), undefined);
});

test('reserved concurrency 0: critical; null and unknown are not', () => {
  const f = find(run({topology: topology({reservedConcurrency: 0})}), 'reserved-zero')!;
  assert.equal(f.severity, 'critical');
  assert.match(f.detail, /goes to the OnFailure destination/);
  assert.match(find(run({topology: topology({reservedConcurrency: 0, onFailure: null})}), 'reserved-zero')!.detail, /is dropped/);
  assert.equal(find(run({topology: topology({reservedConcurrency: null})}), 'reserved-zero'), undefined);
  assert.equal(find(run({topology: topology({reservedConcurrency: 5})}), 'reserved-zero'), undefined);
  assert.equal(find(run({topology: topology({reservedConcurrency: 0, unknown: {reservedConcurrency: 'denied'}})}), 'reserved-zero'), undefined);
});

test('event age too short for the retries: boundary at back-off + attempts x timeout', () => {
  // 2 retries, 10 s timeout: 60 + 120 + 3 x 10 = 210 s
  const f = find(run({topology: topology({maximumEventAgeSeconds: 209})}), 'event-age-too-short')!;
  assert.equal(f.severity, 'warning');
  assert.match(f.detail, /MaximumEventAgeInSeconds=209/);
  assert.match(f.detail, /~3 min that 2 retries take/);
  assert.equal(find(run({topology: topology({maximumEventAgeSeconds: 210})}), 'event-age-too-short'), undefined);
  assert.equal(find(run({topology: topology({maximumEventAgeSeconds: 60, maximumRetryAttempts: 0})}), 'event-age-too-short'), undefined);
  assert.ok(find(run({topology: topology({maximumEventAgeSeconds: 60, maximumRetryAttempts: 1, timeoutSeconds: 1})}), 'event-age-too-short'));
  assert.equal(find(run({topology: topology({maximumEventAgeSeconds: 62, maximumRetryAttempts: 1, timeoutSeconds: 1})}), 'event-age-too-short'), undefined);
});

test('safety net failing: DeadLetterErrors or DestinationDeliveryFailures > 0', () => {
  const t = topology({deadLetterTarget: targetFromArn(DLQ_ARN)});
  const f = find(run({topology: t, metrics: metrics({DeadLetterErrors: series('DeadLetterErrors', [0, 3])})}), 'safety-net-failing')!;
  assert.equal(f.severity, 'critical');
  assert.match(f.detail, /3 writes to the DLQ \(SQS queue orders-dlq\) failed/);
  const d = find(run({metrics: metrics({DestinationDeliveryFailures: series('DestinationDeliveryFailures', [1])})}), 'safety-net-failing')!;
  assert.match(d.detail, /1 delivery to a destination \(SQS queue orders-failures\) failed/);
  assert.equal(find(run({metrics: metrics({DeadLetterErrors: series('DeadLetterErrors', [0, 0])})}), 'safety-net-failing'), undefined);
  const forbidden = run({metrics: metrics({DeadLetterErrors: series('DeadLetterErrors', [5], {status: 'Forbidden'})})});
  assert.equal(find(forbidden, 'safety-net-failing'), undefined);
  assert.match(find(forbidden, 'metrics-unknown')!.detail, /DeadLetterErrors \(Forbidden\)/);
});

test('DLQ retention: warning from 75% of the retention, critical from 90% or under a day left', () => {
  const dlq = (oldest: number, retention = 1_000_000) => queue({role: 'dlq', arn: DLQ_ARN, name: 'orders-dlq', visible: 4, oldestAgeSeconds: oldest, retentionSeconds: retention});
  assert.equal(find(run({queues: [dlq(749_999)]}), 'dlq-retention'), undefined);
  const warn = find(run({queues: [dlq(750_000)]}), 'dlq-retention')!;
  assert.equal(warn.severity, 'warning');
  assert.match(warn.detail, /oldest message in the DLQ orders-dlq is 8 d 16 h old/);
  assert.match(warn.detail, /deletes it in ~2 d 21 h/);
  assert.equal(find(run({queues: [dlq(900_000)]}), 'dlq-retention')!.severity, 'critical');
  assert.equal(find(run({queues: [dlq(260_000, 345_600)]}), 'dlq-retention')!.severity, 'critical', '< 1 day left');
  assert.equal(find(run({queues: [queue({role: 'dlq', visible: 0, inFlight: 0, oldestAgeSeconds: 999_999, retentionSeconds: 1_000_000})]}), 'dlq-retention'), undefined, 'empty queue');
  assert.equal(find(run({queues: [dlq(900_000, null as unknown as number)]}), 'dlq-retention'), undefined, 'retention unknown');
});

test('failed events waiting: counts and the oldest age per queue', () => {
  const queues = [queue({role: 'dlq', arn: DLQ_ARN, name: 'orders-dlq', visible: 10, inFlight: 2, oldestAgeSeconds: 7200}), queue({visible: null})];
  const f = find(run({queues}), 'failed-events-waiting')!;
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, '12 failed events waiting');
  assert.match(f.detail, /12 failed events in the DLQ orders-dlq \(the oldest is 2 h 00 min old, 2 in flight\)/);
  assert.equal(find(run({queues: [queue({role: 'on-success', visible: 50})]}), 'failed-events-waiting'), undefined, 'success records are not failures');
  const unknownAge = find(run({queues: [queue({visible: 1, oldestAgeSeconds: null})]}), 'failed-events-waiting')!;
  assert.match(unknownAge.detail, /1 failed event in the OnFailure destination orders-failures \(the age of the oldest is not known\)/);
});

test('error rate: warning from 5%, critical from 50%, needs 10 invocations', () => {
  const at = (errors: number, invocations: number) => run({metrics: metrics({
    Errors: series('Errors', [0, 0, 0, 0, errors]), Invocations: series('Invocations', [0, 0, 0, 0, invocations]),
  })});
  assert.equal(find(at(4, 100), 'errors-high'), undefined);
  const warn = find(at(5, 100), 'errors-high')!;
  assert.equal(warn.severity, 'warning');
  assert.equal(warn.title, '5% of invocations fail');
  assert.match(warn.detail, /5 of 100 invocations failed in the last 5 min/);
  assert.match(warn.detail, /retried up to 2 times, then goes to the OnFailure destination/);
  assert.equal(find(at(50, 100), 'errors-high')!.severity, 'critical');
  assert.equal(find(at(9, 9), 'errors-high'), undefined, 'too few invocations to judge');
  // an SQS event source without async traffic: the consequence is about the queue, not async retries
  const sqs = find(run({
    topology: topology({eventSources: [{uuid: 'u', sourceArn: 'arn:aws:sqs:us-east-1:1:orders', queueUrl: null, state: 'Enabled', batchSize: 10,
      maximumConcurrency: null, redrive: {deadLetterTargetArn: 'arn:aws:sqs:us-east-1:1:orders-dlq', maxReceiveCount: 5}, visibilityTimeoutSeconds: 900}]}),
    metrics: metrics({AsyncEventsReceived: series('AsyncEventsReceived', []), Errors: series('Errors', [10]), Invocations: series('Invocations', [100])}),
  }), 'errors-high')!;
  assert.match(sqs.detail, /retried from orders \(to its DLQ after 5 receives\)/);
  assert.doesNotMatch(sqs.detail, /async/);
});

test('timeouts dominate: from a failure sample, or from Duration hitting the timeout', () => {
  const f = find(run({failureSample: {total: 5, timeouts: 3}}), 'timeouts-dominate')!;
  assert.equal(f.severity, 'warning');
  assert.match(f.detail, /3 of 5 failed events looked at timed out/);
  assert.match(f.detail, /Timeout of 10 s/);
  assert.equal(find(run({failureSample: {total: 4, timeouts: 4}}), 'timeouts-dominate'), undefined);
  assert.equal(find(run({failureSample: {total: 10, timeouts: 4}}), 'timeouts-dominate'), undefined);
  const byDuration = find(run({metrics: metrics({'Duration.max': series('Duration.max', [9_990]), Errors: series('Errors', [2])})}), 'timeouts-dominate')!;
  assert.match(byDuration.detail, /took 10 s, at its Timeout of 10 s/);
  assert.equal(find(run({metrics: metrics({'Duration.max': series('Duration.max', [9_000]), Errors: series('Errors', [2])})}), 'timeouts-dominate'), undefined);
});

test('SQS event sources: visibility under 6 x timeout, maxReceiveCount of 1', () => {
  const source = (visibility: number | null, maxReceiveCount: number) => topology({timeoutSeconds: 30, eventSources: [{
    uuid: 'u-1', sourceArn: 'arn:aws:sqs:us-east-1:123456789012:orders', queueUrl: null, state: 'Enabled', batchSize: 10,
    maximumConcurrency: null, redrive: {deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:orders-src-dlq', maxReceiveCount},
    visibilityTimeoutSeconds: visibility}]});
  const f = find(run({topology: source(179, 5)}), 'sqs-visibility-too-short')!;
  assert.equal(f.severity, 'warning');
  assert.match(f.detail, /^Source queue orders has a visibility timeout of 2 min, under 6 × the function's 30 s timeout \(3 min\)/);
  assert.equal(find(run({topology: source(180, 5)}), 'sqs-visibility-too-short'), undefined);
  assert.equal(find(run({topology: source(null, 5)}), 'sqs-visibility-too-short'), undefined, 'unknown visibility');
  const one = find(run({topology: source(180, 1)}), 'sqs-max-receive-one')!;
  assert.match(one.detail, /^Source queue orders moves a message to orders-src-dlq after a single receive/);
  assert.equal(find(run({topology: source(180, 2)}), 'sqs-max-receive-one'), undefined);
});

test('FIFO targets and unreadable queues', () => {
  const f = find(run({topology: topology({onFailure: targetFromArn('arn:aws:sqs:us-east-1:1:fail.fifo')})}), 'fifo-target')!;
  assert.equal(f.severity, 'critical');
  assert.match(f.detail, /OnFailure destination SQS queue fail.fifo is FIFO/);
  assert.ok(find(run({queues: [queue({fifo: true})]}), 'fifo-target'));
  assert.equal(find(run({queues: [queue({role: 'source', fifo: true})]}), 'fifo-target'), undefined, 'FIFO event sources are fine');
  const gone = find(run({queues: [queue({visible: null, error: 'queue does not exist'})]}), 'queue-unreadable')!;
  assert.equal(gone.severity, 'warning');
  assert.match(gone.detail, /OnFailure destination orders-failures: queue does not exist/);
});

test('ranking: severity first, then impact; ids are unique; no all-clear next to a warning', () => {
  const t = topology({onFailure: null, reservedConcurrency: 0, maximumEventAgeSeconds: 100});
  const fs = run({
    topology: t,
    queues: [queue({role: 'dlq', arn: DLQ_ARN, name: 'orders-dlq', visible: 3})],
    metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [4]), DeadLetterErrors: series('DeadLetterErrors', [1]),
      Errors: series('Errors', [0, 0, 0, 0, 50]), Invocations: series('Invocations', [0, 0, 0, 0, 100])}),
  });
  const order = {critical: 0, warning: 1, info: 2};
  for (let i = 1; i < fs.length; i++) assert.ok(order[fs[i - 1]!.severity] <= order[fs[i]!.severity], ids(fs).join(','));
  assert.deepEqual(ids(fs).slice(0, 3), ['events-dropped', 'reserved-zero', 'safety-net-failing']);
  assert.equal(new Set(ids(fs)).size, fs.length);
  assert.equal(find(fs, 'all-clear'), undefined);
  for (const f of fs) {
    assert.ok(f.title.length > 0 && f.detail.length > 0);
    assert.deepEqual(Object.keys(f).sort(), ['detail', 'id', 'severity', 'title']);
  }
});

test('odd data never throws', () => {
  const weird = metrics({
    Errors: {...series('Errors', [1]), points: [[NaN, NaN], [NOW - MIN, Infinity]] as Array<[number, number]>},
    AsyncEventAge: series('AsyncEventAge', [null, null]),
  });
  assert.doesNotThrow(() => diagnose({topology: topology({unknown: undefined as unknown as Record<string, string>}), metrics: weird, queues: [], now: NOW}));
  assert.doesNotThrow(() => diagnose({topology: topology({eventSources: [{} as never]}), metrics: {periodSeconds: 60, start: 0, end: 0, series: {}}, queues: [{} as QueueStatus], now: NaN}));
});

test('sqs-source-throttled: throttles of an SQS-fed function say the messages are received again, with numbers and what to change', () => {
  const source = {uuid: 'u', sourceArn: 'arn:aws:sqs:us-east-1:123456789012:orders', queueUrl: null, state: 'Enabled', batchSize: 10, maximumConcurrency: null,
    redrive: {deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5}, visibilityTimeoutSeconds: 360};
  const t = topology({reservedConcurrency: 10, eventSources: [source]});
  const m = metrics({Throttles: series('Throttles', [21, 24, 26, 22, 25, 23, 21, 26, 24, 22]), ConcurrentExecutions: series('ConcurrentExecutions', new Array(10).fill(10)), AsyncEventsReceived: series('AsyncEventsReceived', new Array(10).fill(0))});
  const f = find(run({topology: t, metrics: m, queues: [queue({role: 'source', arn: source.sourceArn, name: 'orders', visible: 340, inFlight: 100})]}), 'sqs-source-throttled')!;
  assert.ok(f, 'the headline of throttled-orders is in the diagnosis');
  assert.match(f.detail, /234 throttles in the last 10 min \(about 23\/min\), ConcurrentExecutions max 10 of its reserved 10/);
  assert.match(f.detail, /orders \(batch size 10, MaximumConcurrency not set, 340 visible and 100 in flight now; after 5 receives a message moves to orders-dlq\)/);
  assert.match(f.detail, /ScalingConfig\.MaximumConcurrency to at most the reserved concurrency \(10\)/);
  assert.match(f.detail, /smaller batch size/);
  assert.equal(find(run({topology: t}), 'sqs-source-throttled'), undefined, 'no throttles, no finding');
});

test('source-dlq-retention-short: a source DLQ whose retention is not longer than its source queue\'s', () => {
  const sourceArn = 'arn:aws:sqs:us-east-1:123456789012:orders';
  const source = {uuid: 'u', sourceArn, queueUrl: null, state: 'Enabled', batchSize: 10, maximumConcurrency: 10,
    redrive: {deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5}, visibilityTimeoutSeconds: 360};
  const t = topology({eventSources: [source]});
  const queues = [queue({role: 'source', arn: sourceArn, name: 'orders', retentionSeconds: 345_600}), queue({role: 'source-dlq', arn: DLQ_ARN, name: 'orders-dlq', retentionSeconds: 345_600, visible: 5, oldestAgeSeconds: 300_000})];
  const f = find(run({topology: t, queues}), 'source-dlq-retention-short')!;
  assert.equal(f.severity, 'warning');
  assert.match(f.detail, /^The DLQ orders-dlq keeps messages 4 d 0 h, not longer than its source queue orders \(4 d 0 h\)/);
  assert.match(f.detail, /keeps its original enqueue time/);
  // and the retention finding for a source DLQ says the time left is an upper bound
  const r = find(run({topology: t, queues}), 'dlq-retention')!;
  assert.match(r.detail, /at most ~/);
  assert.equal(find(run({topology: t, queues: [queues[0]!, {...queues[1]!, retentionSeconds: 1_209_600}]}), 'source-dlq-retention-short'), undefined);
});

test('events-dropped: a Lambda OnFailure destination is handed the events, not holding them to redrive', () => {
  const fallback = targetFromArn('arn:aws:lambda:us-east-1:123456789012:function:order-fallback');
  const f = find(run({
    topology: topology({deadLetterTarget: targetFromArn(DLQ_ARN), onFailure: fallback}),
    metrics: metrics({AsyncEventsDropped: series('AsyncEventsDropped', [10]), DeadLetterErrors: series('DeadLetterErrors', [0]), DestinationDeliveryFailures: series('DestinationDeliveryFailures', [0])}),
  }), 'events-dropped')!;
  assert.match(f.detail, /Kept: 10 in the DLQ \(SQS queue orders-dlq\), waiting to be inspected and redriven\./);
  assert.match(f.detail, /Also handed to the OnFailure destination function order-fallback \(10\) \(the same failures, once in each\): a function destination runs each event asynchronously/);
  assert.doesNotMatch(f.detail, /in the OnFailure destination \(function order-fallback\)[^.]*waiting/);
});
