import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildMetricQueries, choosePeriodSeconds, fetchMetrics, MAX_QUERIES_PER_CALL, type MetricQuery} from '../../../source/aws/metrics.ts';
import {ACCOUNT_METRICS, FUNCTION_METRICS, QUEUE_METRICS, queueMetricKey} from '../../../source/domain/types.ts';
import type {AwsClients} from '../../../source/aws/clients.ts';

test('choosePeriodSeconds: 60 s up to 3 h, then <= ~360 points on standard periods', () => {
  const h = 3_600_000;
  assert.equal(choosePeriodSeconds(15 * 60_000), 60);
  assert.equal(choosePeriodSeconds(3 * h), 60);
  for (const windowMs of [4 * h, 6 * h, 12 * h, 24 * h, 3 * 24 * h, 7 * 24 * h, 30 * 24 * h]) {
    const period = choosePeriodSeconds(windowMs);
    assert.equal(period % 60, 0);
    assert.ok(windowMs / 1000 / period <= 360, `${windowMs} -> ${period}`);
    assert.ok(period > 60 || windowMs <= 6 * h);
  }
  assert.equal(choosePeriodSeconds(24 * h), 300);
  assert.ok(choosePeriodSeconds(12 * h) > 60);
});

test('buildMetricQueries: every function, account and queue metric, valid unique ids', () => {
  const queries = buildMetricQueries({name: 'order-processor', qualifier: null}, [{name: 'orders-dlq'}, {name: 'orders-dlq'}, {name: 'orders.fifo'}], {periodSeconds: 60});
  assert.equal(queries.length, FUNCTION_METRICS.length + ACCOUNT_METRICS.length + 2 * QUEUE_METRICS.length);
  const ids = new Set(queries.map((q) => q.id));
  assert.equal(ids.size, queries.length);
  for (const q of queries) assert.match(q.id, /^[a-z][a-zA-Z0-9_]*$/);
  const keys = queries.map((q) => q.key);
  for (const m of FUNCTION_METRICS) {
    const q = queries.find((x) => x.key === m.key)!;
    assert.deepEqual({ns: q.namespace, name: q.metricName, stat: q.stat, unit: q.unit, dims: q.dimensions}, {ns: 'AWS/Lambda', name: m.metricName, stat: m.stat, unit: m.unit, dims: {FunctionName: 'order-processor'}});
  }
  for (const m of ACCOUNT_METRICS) assert.deepEqual(queries.find((x) => x.key === m.key)!.dimensions, {});
  const age = queries.find((x) => x.key === queueMetricKey('orders.fifo', 'ApproximateAgeOfOldestMessage'))!;
  assert.deepEqual({ns: age.namespace, dims: age.dimensions, stat: age.stat}, {ns: 'AWS/SQS', dims: {QueueName: 'orders.fifo'}, stat: 'Maximum'});
  assert.ok(keys.includes('sqs:orders-dlq:ApproximateAgeOfOldestMessage'));
  assert.ok(queries.every((q) => q.periodSeconds === 60));
});

test('buildMetricQueries: a qualifier adds Resource=<function>:<qualifier> to function metrics only', () => {
  const queries = buildMetricQueries({name: 'f', qualifier: 'live'}, [], {periodSeconds: 300});
  assert.deepEqual(queries.find((q) => q.key === 'Errors')!.dimensions, {FunctionName: 'f', Resource: 'f:live'});
  assert.deepEqual(queries.find((q) => q.key === 'ClaimedAccountConcurrency')!.dimensions, {});
});

interface Call {
  input: {MetricDataQueries: Array<{Id: string; MetricStat: {Period: number; Stat: string; Metric: {Dimensions: unknown[]}}}>; StartTime: Date; EndTime: Date; ScanBy: string; NextToken?: string};
}

function fakeCloudWatch(respond: (input: Call['input'], callIndex: number) => unknown) {
  const calls: Call[] = [];
  const clients = {
    cloudwatch: {
      async send(command: {input: Call['input']}) {
        calls.push({input: command.input});
        return respond(command.input, calls.length - 1);
      },
    },
    async region() {
      return 'us-east-1';
    },
  } as unknown as AwsClients;
  return {clients, calls};
}

test('fetchMetrics: one call, aligned window, pages merged, no zero filling, newest point marked partial', async () => {
  const queries = buildMetricQueries({name: 'f', qualifier: null}, [{name: 'dlq'}], {periodSeconds: 60});
  const minute = 60_000;
  const now = Date.UTC(2026, 0, 1, 12, 30, 20);
  const t = (m: number) => Date.UTC(2026, 0, 1, 12, m);
  const invocations = queries.find((q) => q.key === 'Invocations')!.id;
  const throttles = queries.find((q) => q.key === 'Throttles')!.id;
  const dlqAge = queries.find((q) => q.key === 'sqs:dlq:ApproximateAgeOfOldestMessage')!.id;
  const {clients, calls} = fakeCloudWatch((input) => {
    if (!input.NextToken) {
      return {
        NextToken: 'page2',
        MetricDataResults: [
          {Id: invocations, Timestamps: [new Date(t(20)), new Date(t(21))], Values: [5, 7], StatusCode: 'PartialData'},
          {Id: throttles, Timestamps: [new Date(t(25))], Values: [1], StatusCode: 'PartialData'},
        ],
      };
    }
    return {
      MetricDataResults: [
        // minute 22 is missing on purpose: it must stay missing, not become 0
        {Id: invocations, Timestamps: [new Date(t(23)), new Date(t(30))], Values: [9, 2], StatusCode: 'Complete'},
        {Id: throttles, Timestamps: [], Values: [], StatusCode: 'Complete'},
        {Id: dlqAge, Timestamps: [new Date(t(29))], Values: [3600], StatusCode: 'Forbidden'},
      ],
    };
  });
  const snapshot = await fetchMetrics(clients, queries, {start: now - 30 * minute, end: now, periodSeconds: 60});
  assert.equal(calls.length, 2, 'one call plus its NextToken page');
  const first = calls[0]!.input;
  assert.equal(first.MetricDataQueries.length, queries.length);
  assert.equal(first.ScanBy, 'TimestampAscending');
  assert.equal(first.StartTime.getTime(), Date.UTC(2026, 0, 1, 12, 0));
  assert.equal(first.EndTime.getTime(), Date.UTC(2026, 0, 1, 12, 31));
  assert.equal(calls[1]!.input.NextToken, 'page2');
  assert.ok(first.MetricDataQueries.every((q) => q.MetricStat.Period === 60));
  assert.equal(snapshot.periodSeconds, 60);
  assert.equal(snapshot.start, Date.UTC(2026, 0, 1, 12, 0));

  const inv = snapshot.series['Invocations']!;
  assert.deepEqual(inv.points, [[t(20), 5], [t(21), 7], [t(23), 9], [t(30), 2]]);
  assert.equal(inv.status, 'Complete');
  assert.equal(inv.partialFrom, t(30), 'the newest, still-filling minute is marked');
  assert.equal(inv.unit, 'Count');
  const thr = snapshot.series['Throttles']!;
  assert.deepEqual(thr.points, [[t(25), 1]]);
  assert.equal(thr.partialFrom, null, 'an old newest point is complete');
  assert.equal(snapshot.series['sqs:dlq:ApproximateAgeOfOldestMessage']!.status, 'Forbidden');
  // a series absent from the answer has no points and no status, not zeros
  assert.deepEqual(snapshot.series['Errors']!.points, []);
  assert.equal(snapshot.series['Errors']!.status, null);
  assert.equal(Object.keys(snapshot.series).length, queries.length);
});

test('fetchMetrics: splits only past 500 queries', async () => {
  const many: MetricQuery[] = Array.from({length: MAX_QUERIES_PER_CALL + 3}, (_, i) => ({
    id: `q${i}`,
    key: `k${i}`,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimensions: {QueueName: `q${i}`},
    stat: 'Maximum',
    unit: 'Seconds',
    periodSeconds: 60,
  }));
  const {clients, calls} = fakeCloudWatch(() => ({MetricDataResults: []}));
  await fetchMetrics(clients, many, {start: 0, end: 3_600_000, periodSeconds: 60});
  assert.deepEqual(calls.map((c) => c.input.MetricDataQueries.length), [500, 3]);
  const {clients: c2, calls: calls2} = fakeCloudWatch(() => ({MetricDataResults: []}));
  await fetchMetrics(c2, many.slice(0, 500), {start: 0, end: 3_600_000, periodSeconds: 60});
  assert.equal(calls2.length, 1);
});

test('fetchMetrics: a failed call is thrown as a classified error', async () => {
  const {clients} = fakeCloudWatch(() => {
    throw Object.assign(new Error('User is not authorized'), {name: 'AccessDenied', $metadata: {httpStatusCode: 403}});
  });
  await assert.rejects(fetchMetrics(clients, buildMetricQueries({name: 'f', qualifier: null}, [], {periodSeconds: 60}), {start: 0, end: 60_000, periodSeconds: 60}), {
    name: 'AwsCallError',
    message: 'Access denied: your credentials may not call cloudwatch:GetMetricData',
  });
});

test('fetchMetrics: an endpoint failing on percentiles loses only those series, and is remembered', async () => {
  const queries = buildMetricQueries({name: 'f', qualifier: null}, [], {periodSeconds: 60});
  const errorsId = queries.find((q) => q.key === 'Errors')!.id;
  const {clients, calls} = fakeCloudWatch((input) => {
    if (input.MetricDataQueries.some((q) => /^p\d/.test(q.MetricStat.Stat))) {
      throw Object.assign(new SyntaxError('Unexpected token \'<\'... Deserialization error'), {$metadata: {httpStatusCode: 500}});
    }
    return {MetricDataResults: [{Id: errorsId, Timestamps: [new Date(0)], Values: [3], StatusCode: 'Complete'}]};
  });
  const snapshot = await fetchMetrics(clients, queries, {start: 0, end: 3_600_000, periodSeconds: 60});
  assert.equal(calls.length, 2);
  assert.deepEqual(snapshot.series['Errors']!.points, [[0, 3]]);
  assert.equal(snapshot.series['Duration.p99']!.status, 'InternalError');
  assert.equal(snapshot.series['Duration.p50']!.status, 'InternalError');
  assert.deepEqual(snapshot.series['Duration.p99']!.points, []);
  assert.equal(snapshot.series['Duration']!.status, null);
  // the next refresh is one call again, without the percentiles
  const again = await fetchMetrics(clients, queries, {start: 0, end: 3_600_000, periodSeconds: 60});
  assert.equal(calls.length, 3);
  assert.ok(calls[2]!.input.MetricDataQueries.every((q) => !/^p\d/.test(q.MetricStat.Stat)));
  assert.equal(again.series['Duration.p99']!.status, 'InternalError');
});

test('fetchMetrics: access denied is not retried without percentiles', async () => {
  const {clients, calls} = fakeCloudWatch(() => {
    throw Object.assign(new Error('denied'), {name: 'AccessDenied', $metadata: {httpStatusCode: 403}});
  });
  await assert.rejects(fetchMetrics(clients, buildMetricQueries({name: 'f', qualifier: null}, [], {periodSeconds: 60}), {start: 0, end: 60_000, periodSeconds: 60}));
  assert.equal(calls.length, 1);
});

test('pointsByTime: an ascending answer as it is; otherwise each time once, its last value, in time order', async () => {
  const {pointsByTime} = await import('../../../source/aws/metrics.ts');
  const ascending: Array<[number, number]> = [[0, 1], [60_000, 2], [120_000, 3]];
  assert.equal(pointsByTime(ascending), ascending);
  assert.deepEqual(pointsByTime([]), []);
  const reference = (points: Array<[number, number]>) => [...new Map(points).entries()].sort((a, b) => a[0] - b[0]);
  const cases: Array<Array<[number, number]>> = [
    [[120_000, 3], [0, 1], [60_000, 2]],
    [[0, 1], [60_000, 2], [60_000, 5], [120_000, 3]],
    [[0, 1], [120_000, 3], [0, 9]],
    [[5, 5], [5, 6]],
  ];
  for (const points of cases) assert.deepEqual(pointsByTime(points), reference(points));
});
