import {test} from 'node:test';
import assert from 'node:assert/strict';
import {snapshotToJson} from '../../../source/domain/snapshot-json.ts';
import type {FunctionTopology, Snapshot} from '../../../source/domain/types.ts';
import {targetFromArn} from '../../../source/domain/arn.ts';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const topology: FunctionTopology = {
  name: 'order-processor', arn: 'arn:aws:lambda:us-east-1:123456789012:function:order-processor', region: 'us-east-1',
  accountId: '123456789012', qualifier: null, runtime: 'nodejs22.x', timeoutSeconds: 10, memoryMb: 256, logGroup: null,
  reservedConcurrency: null, provisioned: [], account: {concurrentExecutions: null, unreservedConcurrentExecutions: null},
  maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600, deadLetterTarget: targetFromArn('arn:aws:sqs:us-east-1:123456789012:orders-dlq'),
  onSuccess: null, onFailure: targetFromArn('arn:aws:lambda:us-east-1:123456789012:function:fallback'), eventSources: [], unknown: {}, discoveredAt: NOW,
};

const snapshot: Snapshot = {
  topology,
  metrics: {periodSeconds: 60, start: NOW - 3 * 60_000, end: NOW, series: {
    Errors: {key: 'Errors', namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum',
      points: [[NOW - 3 * 60_000, 1], [NOW - 2 * 60_000, 4], [NOW - 60_000, 0]], partialFrom: NOW - 60_000, status: 'Complete', unit: 'Count'},
    'Duration.p99': {key: 'Duration.p99', namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'p99', points: [], partialFrom: null, status: 'Forbidden', unit: 'Milliseconds'},
  }},
  queues: [{role: 'dlq', url: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq', arn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq',
    name: 'orders-dlq', visible: 12, inFlight: 0, delayed: null, oldestAgeSeconds: 7200, retentionSeconds: 345_600,
    visibilityTimeoutSeconds: 30, maximumMessageSizeBytes: 1_048_576, fifo: false, error: null}],
  findings: [{id: 'failed-events-waiting', severity: 'warning', title: '12 failed events waiting', detail: '…'}],
  errors: [{source: 'logs', message: 'AccessDenied'}],
  at: NOW,
};

test('the --once --json document, exactly', () => {
  const json = snapshotToJson(snapshot);
  assert.deepEqual(json, {
    function: {
      name: 'order-processor', arn: 'arn:aws:lambda:us-east-1:123456789012:function:order-processor', region: 'us-east-1',
      timeoutSeconds: 10, memoryMb: 256, reservedConcurrency: null, maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600,
      deadLetterTarget: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq', onSuccess: null,
      onFailure: 'arn:aws:lambda:us-east-1:123456789012:function:fallback',
    },
    metrics: {
      Errors: {stat: 'Sum', periodSeconds: 60, latest: 4, latestPerMinute: 4, points: [['2024-01-01T11:57:00.000Z', 1], ['2024-01-01T11:58:00.000Z', 4]]},
      'Duration.p99': {stat: 'p99', periodSeconds: 60, latest: null, points: []},
    },
    metricsPeriodSeconds: 60,
    metricsCompleteUntil: null,
    queues: [{role: 'dlq', url: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq', arn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq',
      visible: 12, inFlight: 0, delayed: null, oldestAgeSeconds: 7200, oldestAgeNote: null}],
    dropped: null,
    findings: [{id: 'failed-events-waiting', severity: 'warning', title: '12 failed events waiting', detail: '…'}],
    errors: [{source: 'logs', message: 'AccessDenied'}],
  });
  // it survives a JSON round trip unchanged (no undefined, no NaN)
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
});

test('unknown values are null, never 0', () => {
  const unknownTopology: FunctionTopology = {...topology, reservedConcurrency: 0, maximumRetryAttempts: null, maximumEventAgeSeconds: null,
    onFailure: null, unknown: {reservedConcurrency: 'denied', maximumRetryAttempts: 'denied', maximumEventAgeSeconds: 'denied', onFailure: 'denied', onSuccess: 'denied'}};
  const json = snapshotToJson({...snapshot, topology: unknownTopology, metrics: null, findings: [], errors: []});
  assert.equal(json.function!.reservedConcurrency, null);
  assert.equal(json.function!.maximumRetryAttempts, null);
  assert.equal(json.function!.onFailure, null);
  assert.equal(json.metrics, null);
  // a known reserved concurrency of 0 stays 0
  assert.equal(snapshotToJson({...snapshot, topology: {...topology, reservedConcurrency: 0}}).function!.reservedConcurrency, 0);
  const bare = snapshotToJson({topology: null, metrics: null, queues: [], findings: [], errors: [], at: NOW});
  assert.deepEqual(bare, {function: null, metrics: null, metricsPeriodSeconds: null, metricsCompleteUntil: null, queues: [], dropped: null, findings: [], errors: []});
  const q = snapshotToJson({...snapshot, queues: [{...snapshot.queues[0]!, visible: null, inFlight: null, oldestAgeSeconds: null, error: 'gone'}]}).queues[0]!;
  assert.deepEqual([q.visible, q.inFlight, q.delayed, q.oldestAgeSeconds], [null, null, null, null]);
});

test('dropped: the same kept / lost numbers as the diagnosis, per target', () => {
  const count = (key: string, values: number[]) => ({key, namespace: 'AWS/Lambda', metricName: key, stat: 'Sum',
    points: values.map((v, i): [number, number] => [NOW - (values.length - i + 1) * 60_000, v]), partialFrom: null, status: 'Complete', unit: 'Count'});
  const onlyDestination = {...topology, deadLetterTarget: null, onFailure: targetFromArn('arn:aws:sqs:us-east-1:123456789012:orders-failures')};
  const json = snapshotToJson({...snapshot, topology: onlyDestination, metrics: {periodSeconds: 60, start: NOW - 3_600_000, end: NOW, series: {
    AsyncEventsDropped: count('AsyncEventsDropped', [50, 50]), DestinationDeliveryFailures: count('DestinationDeliveryFailures', [0, 4]),
  }}});
  assert.deepEqual(json.dropped, {windowSeconds: 3600, dropped: 100, kept: 96, lost: 4, lostIsUpperBound: false,
    keptIn: [{role: 'on-failure', arn: 'arn:aws:sqs:us-east-1:123456789012:orders-failures', count: 96}]});
});

test('a 5-minute period is stated, and count metrics carry their per-minute rate', () => {
  const points: Array<[number, number]> = [[NOW - 15 * 60_000, 500], [NOW - 10 * 60_000, 995]];
  const json = snapshotToJson({...snapshot, metrics: {periodSeconds: 300, start: NOW - 24 * 3_600_000, end: NOW, fillingFrom: NOW - 5 * 60_000, series: {
    Invocations: {key: 'Invocations', namespace: 'AWS/Lambda', metricName: 'Invocations', stat: 'Sum', points, partialFrom: null, status: 'Complete', unit: 'Count'},
  }}});
  assert.equal(json.metricsPeriodSeconds, 300);
  assert.equal(json.metricsCompleteUntil, '2024-01-01T11:55:00.000Z');
  assert.deepEqual(json.metrics!['Invocations'], {stat: 'Sum', periodSeconds: 300, latest: 995, latestPerMinute: 199, points: [['2024-01-01T11:45:00.000Z', 500], ['2024-01-01T11:50:00.000Z', 995]]});
});
