// The configuration rules fire from configuration alone: with no metrics at all (GetMetricData failed), with every
// series denied (Forbidden), and with empty series (moto publishes no AWS/Lambda metrics), and no queue read.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {diagnose} from '../../../source/domain/diagnose.ts';
import {FUNCTION_METRICS, type EventSourceMapping, type FunctionTopology, type MetricsSnapshot, type Severity} from '../../../source/domain/types.ts';
import {targetFromArn} from '../../../source/domain/arn.ts';

const NOW = Date.UTC(2026, 0, 1, 12);
const SQS = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

function topology(over: Partial<FunctionTopology> = {}): FunctionTopology {
  return {
    name: 'fn', arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn', region: 'us-east-1', accountId: '123456789012',
    qualifier: null, runtime: 'nodejs22.x', timeoutSeconds: 10, memoryMb: 256, logGroup: '/aws/lambda/fn', reservedConcurrency: null,
    provisioned: [], account: {concurrentExecutions: 1000, unreservedConcurrentExecutions: 900}, maximumRetryAttempts: 2,
    maximumEventAgeSeconds: 21_600, deadLetterTarget: null, onSuccess: null, onFailure: targetFromArn(SQS('fn-failures')),
    eventSources: [], unknown: {}, discoveredAt: NOW, ...over,
  };
}

function source(over: Partial<EventSourceMapping> = {}): EventSourceMapping {
  return {uuid: 'u-1', sourceArn: SQS('orders'), queueUrl: null, state: 'Enabled', batchSize: 10, maximumConcurrency: null,
    redrive: {deadLetterTargetArn: SQS('orders-dlq'), maxReceiveCount: 5}, visibilityTimeoutSeconds: 600, ...over};
}

function everySeries(status: string, points: Array<[number, number]> = []): MetricsSnapshot {
  const series: MetricsSnapshot['series'] = {};
  for (const m of FUNCTION_METRICS) {
    series[m.key] = {key: m.key, namespace: 'AWS/Lambda', metricName: m.metricName, stat: m.stat, points, partialFrom: null, status, unit: m.unit};
  }
  return {periodSeconds: 60, start: NOW - 3600_000, end: NOW, series};
}

const METRIC_STATES: Array<[string, MetricsSnapshot | null]> = [
  ['no metrics (GetMetricData failed)', null],
  ['every series Forbidden', everySeries('Forbidden')],
  ['empty series (moto)', everySeries('Complete')],
];

const CASES: Array<{id: string; severity: Severity; topology: FunctionTopology; emptySeverity?: Severity}> = [
  // With empty metrics, "no async invocations seen": still said, as info (a function invoked only synchronously needs no target).
  {id: 'no-failure-target', severity: 'warning', emptySeverity: 'info', topology: topology({onFailure: null})},
  {id: 'both-dlq-and-destination', severity: 'warning', topology: topology({deadLetterTarget: targetFromArn(SQS('fn-dlq'))})},
  {id: 'fifo-target', severity: 'critical', topology: topology({onFailure: targetFromArn(SQS('fn-failures.fifo'))})},
  {id: 'event-age-too-short', severity: 'warning', topology: topology({maximumEventAgeSeconds: 120})},
  {id: 'reserved-zero', severity: 'critical', topology: topology({reservedConcurrency: 0})},
  {id: 'sqs-visibility-too-short', severity: 'warning', topology: topology({eventSources: [source({visibilityTimeoutSeconds: 30})]})},
  {id: 'sqs-max-receive-one', severity: 'warning', topology: topology({eventSources: [source({redrive: {deadLetterTargetArn: SQS('orders-dlq'), maxReceiveCount: 1}})]})},
];

for (const [state, metrics] of METRIC_STATES) {
  for (const c of CASES) {
    test(`${c.id} fires from configuration alone: ${state}`, () => {
      const findings = diagnose({topology: c.topology, metrics, queues: [], now: NOW});
      const found = findings.find((f) => f.id === c.id);
      assert.ok(found, `${c.id} missing; got ${findings.map((f) => f.id).join(', ')}`);
      const expected = state.startsWith('empty') && c.emptySeverity ? c.emptySeverity : c.severity;
      assert.equal(found.severity, expected);
      if (expected !== 'info') assert.ok(!findings.some((f) => f.id === 'all-clear'), 'never all clear next to a configuration problem');
    });
  }

  test(`a well-configured function has none of the configuration findings: ${state}`, () => {
    const findings = diagnose({topology: topology({eventSources: [source()]}), metrics, queues: [], now: NOW});
    for (const c of CASES) assert.ok(!findings.some((f) => f.id === c.id), `${c.id} fired on a good configuration`);
    if (metrics === null || state.includes('Forbidden')) assert.ok(findings.some((f) => f.id === 'metrics-unknown'), 'says the metrics are not known');
  });
}

test('event-age-too-short counts the back-off and every attempt: 2 retries of a 10 s function need 3 min 30 s', () => {
  const at = (maxAge: number) => diagnose({topology: topology({maximumEventAgeSeconds: maxAge}), metrics: null, queues: [], now: NOW}).some((f) => f.id === 'event-age-too-short');
  assert.equal(at(209), true);
  assert.equal(at(210), false);
  assert.equal(diagnose({topology: topology({maximumEventAgeSeconds: 60, maximumRetryAttempts: 0}), metrics: null, queues: [], now: NOW}).some((f) => f.id === 'event-age-too-short'), false);
});
