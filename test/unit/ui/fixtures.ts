// Realistic sample data for UI tests: an order processor throttled by its reserved concurrency, with a
// DLQ and an OnFailure destination, an hour of per-minute metrics (newest minute partial), and failed
// events of both record shapes, one of them hostile (terminal escapes, OSC 8 link, bidi override).
import {FUNCTION_METRICS, type FailedEvent, type Finding, type FunctionTopology, type MetricSeries, type MetricsSnapshot, type QueueStatus, type Snapshot} from '../../../source/domain/types.ts';
import type {DashboardState, PollState} from '../../../source/store/types.ts';

export const NOW = Date.UTC(2025, 10, 14, 18, 30, 20); // 18:30:20 UTC
const MINUTE = 60_000;
const END = Math.floor(NOW / MINUTE) * MINUTE; // 18:30:00, the partial minute starts here
const START = END - 60 * MINUTE;

export const topology: FunctionTopology = {
  name: 'order-processor',
  arn: 'arn:aws:lambda:eu-west-1:123456789012:function:order-processor',
  region: 'eu-west-1',
  accountId: '123456789012',
  qualifier: null,
  runtime: 'nodejs20.x',
  timeoutSeconds: 30,
  memoryMb: 512,
  logGroup: '/aws/lambda/order-processor',
  reservedConcurrency: 50,
  provisioned: [],
  account: {concurrentExecutions: 1000, unreservedConcurrentExecutions: 850},
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21600,
  deadLetterTarget: {arn: 'arn:aws:sqs:eu-west-1:123456789012:order-processor-dlq', kind: 'sqs', name: 'order-processor-dlq'},
  onSuccess: null,
  onFailure: {arn: 'arn:aws:sqs:eu-west-1:123456789012:order-processor-failures', kind: 'sqs', name: 'order-processor-failures'},
  eventSources: [],
  unknown: {},
  discoveredAt: NOW - 50_000,
};

/** Deterministic per-minute shapes: i = 0 (oldest) .. 59 (last complete minute). */
const shapes: Record<string, (i: number) => number | null> = {
  AsyncEventsReceived: (i) => 900 + (i > 30 ? 400 : 0) + ((i * 37) % 90),
  AsyncEventAge: (i) => (i > 30 ? 2000 + (i - 30) * 1500 : 120 + (i % 7) * 10),
  'AsyncEventAge.max': (i) => (i > 30 ? 9000 + (i - 30) * 4000 : 900),
  AsyncEventsDropped: (i) => (i > 50 ? (i - 50) * 3 : 0),
  Invocations: (i) => 880 + ((i * 13) % 40),
  Errors: (i) => (i % 5 === 0 ? 12 : 4),
  Throttles: (i) => (i > 30 ? 220 + (i % 4) * 5 : 0),
  Duration: () => 420,
  'Duration.p50': () => 310,
  'Duration.p99': (i) => 2900 + (i % 3) * 100,
  'Duration.max': () => 29500,
  ConcurrentExecutions: (i) => (i > 30 ? 50 : 31 + (i % 5)),
  DeadLetterErrors: () => 0,
  DestinationDeliveryFailures: () => 0,
  ProvisionedConcurrencyUtilization: () => null,
};

function series(key: string, partialValue: number | null): MetricSeries {
  const spec = FUNCTION_METRICS.find((m) => m.key === key)!;
  const points: Array<[number, number]> = [];
  for (let i = 0; i < 60; i++) {
    const v = shapes[key]!(i);
    if (v !== null) points.push([START + i * MINUTE, v]);
  }
  if (partialValue !== null && points.length) points.push([END, partialValue]);
  return {
    key,
    namespace: 'AWS/Lambda',
    metricName: spec.metricName,
    stat: spec.stat,
    points,
    partialFrom: partialValue !== null && points.length ? END : null,
    status: 'Complete',
    unit: spec.unit,
  };
}

export function makeMetrics(): MetricsSnapshot {
  const out: Record<string, MetricSeries> = {};
  for (const m of FUNCTION_METRICS) {
    // The newest minute is partial: a tiny Invocations count that must not be read as a drop.
    out[m.key] = series(m.key, m.key === 'Invocations' ? 37 : m.key === 'AsyncEventsReceived' ? 41 : null);
  }
  return {periodSeconds: 60, start: START, end: END + MINUTE, series: out};
}

export const queues: QueueStatus[] = [
  {
    role: 'dlq',
    url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/order-processor-dlq',
    arn: 'arn:aws:sqs:eu-west-1:123456789012:order-processor-dlq',
    name: 'order-processor-dlq',
    visible: 1204,
    inFlight: 0,
    delayed: 0,
    oldestAgeSeconds: 3 * 86400 + 20 * 3600, // 3d20h of a 4d retention: 4h left
    retentionSeconds: 4 * 86400,
    visibilityTimeoutSeconds: 30,
    maximumMessageSizeBytes: 1048576,
    fifo: false,
    error: null,
  },
  {
    role: 'on-failure',
    url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/order-processor-failures',
    arn: 'arn:aws:sqs:eu-west-1:123456789012:order-processor-failures',
    name: 'order-processor-failures',
    visible: 37,
    inFlight: 2,
    delayed: 0,
    oldestAgeSeconds: 1260,
    retentionSeconds: 14 * 86400,
    visibilityTimeoutSeconds: 30,
    maximumMessageSizeBytes: 1048576,
    fifo: false,
    error: null,
  },
];

/** Deliberately not in severity order: the panel must rank them. */
export const findings: Finding[] = [
  {id: 'both-targets', severity: 'info', title: 'Both a DLQ and an OnFailure destination are configured', detail: 'Failed events may be written to either or both; look at both queues before redriving.'},
  {id: 'throttling-backlog', severity: 'warning', title: 'Throttling backlog: events wait up to 2m before running', detail: 'ConcurrentExecutions sits at the reserved limit of 50 and 225 invocations a minute are throttled. At this rate events start ageing out in about 5h.'},
  {id: 'dropped', severity: 'critical', title: 'Events are being dropped: 27 in the last minute', detail: 'AsyncEventsDropped > 0 although a DLQ is configured: the DLQ writes may be failing.'},
  {id: 'dlq-retention', severity: 'critical', title: 'DLQ messages expire in 4h', detail: 'The oldest message in order-processor-dlq is 3d 20h old; SQS deletes it at 4d.'},
];

export function fresh<T>(data: T | null, at = NOW - 5_000): PollState<T> {
  return {data, updatedAt: data === null ? null : at, error: null, syncing: false, consecutiveFailures: 0, nextAt: at + 10_000};
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {topology, metrics: makeMetrics(), queues, findings, errors: [], at: NOW - 5_000, ...overrides};
}

export function dashboard(overrides: Partial<DashboardState> = {}): DashboardState {
  const snap = overrides.snapshot ?? snapshot();
  return {
    snapshot: snap,
    discovery: fresh(snap.topology, NOW - 50_000),
    metrics: fresh(snap.metrics),
    queues: fresh(snap.queues),
    ...overrides,
  };
}

/** Nothing answered yet. */
export function loadingDashboard(): DashboardState {
  const snap: Snapshot = {topology: null, metrics: null, queues: [], findings: [], errors: [], at: NOW};
  const syncing = <T,>(): PollState<T> => ({...fresh<T>(null), syncing: true});
  return {snapshot: snap, discovery: syncing(), metrics: syncing(), queues: syncing()};
}

function record(i: number, over: Partial<FailedEvent> = {}): FailedEvent {
  const requestId = `e4b46cbf-${String(1000 + i).padStart(4, '0')}-4c1a-9f0e-1b2c3d4e5f60`;
  const payload = JSON.stringify({orderId: `ord-${7000 + i}`, items: [{sku: 'SKU-12', qty: i % 3 + 1}], total: 42.5 + i, express: i % 2 === 0, coupon: null});
  const body = JSON.stringify({
    version: '1.0',
    timestamp: new Date(NOW - i * 97_000).toISOString(),
    requestContext: {requestId, functionArn: `${topology.arn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3},
    requestPayload: JSON.parse(payload),
    responseContext: {statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled'},
    responsePayload: {errorType: 'Error', errorMessage: 'Downstream 429: rate exceeded', stackTrace: ['exports.handler (/var/task/index.js:18:18)']},
  });
  return {
    shape: 'invocation-record',
    source: 'on-failure',
    queueUrl: queues[1]!.url,
    messageId: `msg-${String(i).padStart(4, '0')}`,
    receiptHandle: `rh-${i}`,
    time: NOW - i * 97_000,
    requestId,
    functionArn: `${topology.arn}:$LATEST`,
    condition: 'RetriesExhausted',
    attempts: 3,
    errorType: 'Error',
    errorMessage: 'Downstream 429: rate exceeded\n    at callApi (/var/task/api.js:44:11)',
    stackTrace: ['exports.handler (/var/task/index.js:18:18)', 'callApi (/var/task/api.js:44:11)'],
    errorCode: 200,
    functionError: 'Unhandled',
    payload,
    sizeBytes: Buffer.byteLength(body),
    receiveCount: 1,
    sentAt: NOW - i * 97_000 + 400,
    messageAttributes: {},
    note: null,
    body,
    ...over,
  };
}

export function dlqMessage(i: number, over: Partial<FailedEvent> = {}): FailedEvent {
  const payload = JSON.stringify({Records: [{eventSource: 'aws:s3', s3: {bucket: {name: 'uploads'}, object: {key: `img/${i}.png`, size: 183_220}}}]});
  return {
    shape: 'dlq-message',
    source: 'dlq',
    queueUrl: queues[0]!.url,
    messageId: `dlq-${String(i).padStart(4, '0')}`,
    receiptHandle: `rh-dlq-${i}`,
    time: NOW - 3600_000 - i * 45_000,
    requestId: `9b1d7c2a-${String(2000 + i)}-4f7e-8a1b-0c9d8e7f6a5b`,
    functionArn: null,
    condition: null,
    attempts: null,
    errorType: null,
    errorMessage: 'Task timed out after 30.03 seconds',
    stackTrace: [],
    errorCode: 200,
    functionError: null,
    payload,
    sizeBytes: Buffer.byteLength(payload),
    receiveCount: 2,
    sentAt: NOW - 3600_000 - i * 45_000,
    messageAttributes: {
      RequestID: {dataType: 'String', stringValue: `9b1d7c2a-${String(2000 + i)}-4f7e-8a1b-0c9d8e7f6a5b`},
      ErrorCode: {dataType: 'Number', stringValue: '200'},
      ErrorMessage: {dataType: 'String', stringValue: 'Task timed out after 30.03 seconds'},
    },
    note: null,
    body: payload,
    ...over,
  };
}

export const onFailureEvents = (n: number): FailedEvent[] => Array.from({length: n}, (_, i) => record(i));
export const dlqEvents = (n: number): FailedEvent[] => Array.from({length: n}, (_, i) => dlqMessage(i));

// Terminal attacks a payload or error can carry.
export const ESC = '\u001B';
export const HOSTILE_CLEAR = `${ESC}[2J${ESC}[H`;
export const HOSTILE_LINK = `${ESC}]8;;https://evil.example/${ESC}\\click me${ESC}]8;;${ESC}\\`;
export const BIDI_OVERRIDE = '\u202E';

export function hostileEvent(): FailedEvent {
  const payload = JSON.stringify({note: `${HOSTILE_CLEAR}wiped`, link: HOSTILE_LINK, name: `invoice${BIDI_OVERRIDE}fdp.exe`, c1: '\u009B31m'});
  return record(99, {
    messageId: 'msg-hostile',
    requestId: `req-${ESC}[31mred`,
    errorType: `Evil${ESC}]0;pwned${String.fromCharCode(7)}Type`,
    errorMessage: `boom ${HOSTILE_CLEAR} ${BIDI_OVERRIDE}gnp.exe ${HOSTILE_LINK}`,
    stackTrace: [`at ${ESC}[2Khandler (/var/task/index.js:1:1)`],
    payload,
    body: payload,
    messageAttributes: {Note: {dataType: 'String', stringValue: `${ESC}[5mblink${BIDI_OVERRIDE}`}},
  });
}
