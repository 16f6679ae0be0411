// The AWS layer against moto (an independent AWS emulator): what discovery, queues and metrics read back
// equals what was put there; what moto does not implement is recorded as unknown, never a crash.
//
// Moto quirks found (5.x), encoded below:
// - GetAccountSettings and ListProvisionedConcurrencyConfigs are not implemented: moto answers an HTML 404
//   that the SDK cannot deserialize -> classified 'unsupported' and recorded in topology.unknown.
// - GetMetricData with a percentile stat (p50/p99) crashes moto (HTML 500) as soon as the series has data,
//   failing the whole call: fetchMetrics asks again without percentiles and marks them 'InternalError'.
//   Without data, percentiles come back empty with StatusCode Complete.
// - GetMetricData buckets from StartTime (fetchMetrics aligns StartTime to the period, as CloudWatch does).
// - CreateFunction/UpdateFunctionConfiguration accept DeadLetterConfig but moto never stores or returns it,
//   so deadLetterTarget reads back null; the 'dlq' role is exercised through a topology given directly, and
//   through test/helpers/moto-dlq-proxy.ts (a pass-through that stores DeadLetterConfig) for dropped/kept/lost.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import {CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SendMessageCommand} from '@aws-sdk/client-sqs';
import {PutMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {countingReads} from '../helpers/count-reads.ts';
import {discoverTopology, FunctionNotFoundError} from '../../source/aws/discovery.ts';
import {fetchQueueStatus, fetchQueueStatuses, resolveQueues} from '../../source/aws/queues.ts';
import {buildMetricQueries, fetchMetrics} from '../../source/aws/metrics.ts';
import {collectSnapshotOnce} from '../../source/pollers/dashboard-source.ts';
import {FUNCTION_METRICS, ACCOUNT_METRICS, queueMetricKey} from '../../source/domain/types.ts';
import {createMotoRole, startMoto, testAwsConfig, tinyLambdaZip, type RunningServer} from '../helpers/servers.ts';
import {startMotoDlqProxy} from '../helpers/moto-dlq-proxy.ts';

const ACCOUNT = '123456789012';
// aws-moto-sdk-reads.test.ts runs this file again with the reads through the SDK clients: the path real AWS takes
// (the lean reads, aws/lean-reads.ts, are used only with one custom endpoint, as here and in --demo).
const sdkReads = process.env.LAMBDA_TOP_TEST_SDK_READS === '1' ? {leanReads: false} : {};
let moto: RunningServer;
let clients: AwsClients;
const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const urls: Record<string, string> = {};

async function createQueue(name: string, attributes: Record<string, string> = {}) {
  const response = await clients.sqs.send(new CreateQueueCommand({QueueName: name, Attributes: attributes}));
  urls[name] = response.QueueUrl!;
  return response.QueueUrl!;
}

before(async () => {
  moto = await startMoto();
  clients = createClients({...testAwsConfig(moto.endpoint), ...sdkReads});
  assert.equal(clients.reads === undefined, 'leanReads' in sdkReads, 'the read path this run is meant to take');
  const role = await createMotoRole(moto.endpoint);
  await createQueue('orders-dlq', {MessageRetentionPeriod: '1209600'});
  await createQueue('orders-failures');
  await createQueue('orders-success');
  await createQueue('orders-in-dlq');
  await createQueue('orders-in', {VisibilityTimeout: '180', RedrivePolicy: JSON.stringify({deadLetterTargetArn: arn('orders-in-dlq'), maxReceiveCount: 5})});
  await createQueue('gone-soon');
  await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'order-processor',
      Role: role,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: {ZipFile: tinyLambdaZip()},
      Timeout: 30,
      MemorySize: 256,
      DeadLetterConfig: {TargetArn: arn('orders-dlq')},
    }),
  );
  await clients.lambda.send(
    new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'order-processor',
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {OnFailure: {Destination: arn('orders-failures')}, OnSuccess: {Destination: arn('orders-success')}},
    }),
  );
  await clients.lambda.send(new PutFunctionConcurrencyCommand({FunctionName: 'order-processor', ReservedConcurrentExecutions: 25}));
  await clients.lambda.send(new CreateEventSourceMappingCommand({FunctionName: 'order-processor', EventSourceArn: arn('orders-in'), BatchSize: 5}));
  // A function with nothing configured: event invoke config 404 -> defaults, known.
  await clients.lambda.send(new CreateFunctionCommand({FunctionName: 'plain', Role: role, Runtime: 'python3.12', Handler: 'index.handler', Code: {ZipFile: tinyLambdaZip()}}));
  for (let i = 0; i < 3; i++) await clients.sqs.send(new SendMessageCommand({QueueUrl: urls['orders-dlq'], MessageBody: `{"n":${i}}`}));
  await clients.sqs.send(new SendMessageCommand({QueueUrl: urls['orders-failures'], MessageBody: '{}', DelaySeconds: 60}));
});

after(async () => {
  clients?.destroy();
  await moto?.stop();
});

test('discovery reads back the topology that was configured', async () => {
  const topology = await discoverTopology(clients, {functionName: 'order-processor', now: () => 42});
  assert.equal(topology.name, 'order-processor');
  assert.equal(topology.arn, `arn:aws:lambda:us-east-1:${ACCOUNT}:function:order-processor`);
  assert.equal(topology.region, 'us-east-1');
  assert.equal(topology.accountId, ACCOUNT);
  assert.equal(topology.qualifier, null);
  assert.equal(topology.runtime, 'nodejs20.x');
  assert.equal(topology.timeoutSeconds, 30);
  assert.equal(topology.memoryMb, 256);
  assert.equal(topology.logGroup, '/aws/lambda/order-processor');
  assert.equal(topology.reservedConcurrency, 25);
  assert.equal(topology.maximumRetryAttempts, 1);
  assert.equal(topology.maximumEventAgeSeconds, 3600);
  assert.equal(topology.deadLetterTarget, null, 'moto quirk: DeadLetterConfig is not stored');
  assert.deepEqual(topology.onFailure, {arn: arn('orders-failures'), kind: 'sqs', name: 'orders-failures'});
  assert.deepEqual(topology.onSuccess, {arn: arn('orders-success'), kind: 'sqs', name: 'orders-success'});
  assert.equal(topology.eventSources.length, 1);
  const source = topology.eventSources[0]!;
  assert.equal(source.sourceArn, arn('orders-in'));
  assert.equal(source.queueUrl, urls['orders-in']);
  assert.equal(source.batchSize, 5);
  assert.deepEqual(source.redrive, {deadLetterTargetArn: arn('orders-in-dlq'), maxReceiveCount: 5});
  assert.equal(source.visibilityTimeoutSeconds, 180);
  assert.equal(topology.discoveredAt, 42);
  // moto does not implement these two: recorded as unknown with a reason, not a failure
  assert.match(topology.unknown['account'] ?? '', /does not support lambda:GetAccountSettings/);
  assert.match(topology.unknown['provisioned'] ?? '', /does not support lambda:ListProvisionedConcurrencyConfigs/);
  assert.deepEqual(topology.account, {concurrentExecutions: null, unreservedConcurrentExecutions: null});
  assert.deepEqual(topology.provisioned, []);
  assert.deepEqual(Object.keys(topology.unknown).sort(), ['account', 'provisioned']);
});

test('a function never given an event invoke config has the defaults, and that is known', async () => {
  const topology = await discoverTopology(clients, {functionName: 'plain'});
  assert.equal(topology.maximumRetryAttempts, 2);
  assert.equal(topology.maximumEventAgeSeconds, 21600);
  assert.equal(topology.onFailure, null);
  assert.equal(topology.onSuccess, null);
  assert.equal(topology.deadLetterTarget, null);
  assert.equal(topology.reservedConcurrency, null);
  assert.equal(topology.unknown['maximumRetryAttempts'], undefined);
  assert.equal(topology.unknown['reservedConcurrency'], undefined);
  assert.deepEqual(topology.eventSources, []);
});

test('an unknown function throws FunctionNotFoundError naming function, region and account', async () => {
  await assert.rejects(discoverTopology(clients, {functionName: 'no-such-function'}), (error: unknown) => {
    assert.ok(error instanceof FunctionNotFoundError);
    assert.equal(error.region, 'us-east-1');
    assert.equal(error.accountId, ACCOUNT);
    assert.match(error.message, /^Function no-such-function not found in us-east-1 \(account 123456789012\)/);
    return true;
  });
});

const withDlq = async () => ({
  ...(await discoverTopology(clients, {functionName: 'order-processor'})),
  deadLetterTarget: {arn: arn('orders-dlq'), kind: 'sqs' as const, name: 'orders-dlq'},
});

test('queues: every role resolved, depth read with one GetQueueAttributes per queue', async () => {
  const topology = await withDlq();
  const refs = await resolveQueues(clients, topology);
  assert.deepEqual(
    refs.map((r) => [r.role, r.name, r.url, r.arn]),
    [
      ['dlq', 'orders-dlq', urls['orders-dlq'], arn('orders-dlq')],
      ['on-failure', 'orders-failures', urls['orders-failures'], arn('orders-failures')],
      ['on-success', 'orders-success', urls['orders-success'], arn('orders-success')],
      ['source', 'orders-in', urls['orders-in'], arn('orders-in')],
      ['source-dlq', 'orders-in-dlq', urls['orders-in-dlq'], arn('orders-in-dlq')],
    ],
  );
  const statuses = await fetchQueueStatuses(clients, refs);
  const dlq = statuses.find((s) => s.role === 'dlq')!;
  assert.equal(dlq.visible, 3);
  assert.equal(dlq.inFlight, 0);
  assert.equal(dlq.delayed, 0);
  assert.equal(dlq.retentionSeconds, 1209600);
  assert.equal(dlq.visibilityTimeoutSeconds, 30);
  assert.equal(dlq.maximumMessageSizeBytes !== null && dlq.maximumMessageSizeBytes > 0, true);
  assert.equal(dlq.fifo, false);
  assert.equal(dlq.error, null);
  assert.equal(dlq.oldestAgeSeconds, null, 'filled from metrics by the poller layer');
  assert.equal(statuses.find((s) => s.role === 'on-failure')!.delayed, 1);
  const source = statuses.find((s) => s.role === 'source')!;
  assert.equal(source.visibilityTimeoutSeconds, 180);
  assert.deepEqual(source.redrive, {deadLetterTargetArn: arn('orders-in-dlq'), maxReceiveCount: 5});
});

test('a queue with two roles appears under both, read once', async () => {
  const topology = await withDlq();
  topology.onFailure = topology.deadLetterTarget; // DLQ and failure destination are the same queue
  topology.onSuccess = null;
  topology.eventSources = [];
  const refs = await resolveQueues(clients, topology);
  assert.deepEqual(refs.map((r) => [r.role, r.name]), [['dlq', 'orders-dlq'], ['on-failure', 'orders-dlq']]);
  let reads = 0;
  const counting = {...clients, reads: clients.reads && countingReads(clients.reads, (name) => name === 'GetQueueAttributesCommand' && reads++), sqs: {send: (command: unknown, options?: unknown) => (reads++, (clients.sqs.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options))}} as unknown as AwsClients;
  const statuses = await fetchQueueStatuses(counting, refs);
  assert.equal(reads, 1);
  assert.deepEqual(statuses.map((s) => [s.role, s.visible]), [['dlq', 3], ['on-failure', 3]]);
});

test('a vanished queue gives a status with an error, not a throw', async () => {
  const url = urls['gone-soon']!;
  await clients.sqs.send(new DeleteQueueCommand({QueueUrl: url}));
  await assert.rejects(clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['All']})));
  const status = await fetchQueueStatus(clients, {role: 'dlq', url, arn: arn('gone-soon'), name: 'gone-soon'});
  assert.equal(status.error, 'queue no longer exists');
  assert.equal(status.visible, null);
  // and a topology pointing at a queue that never existed resolves to a visible error too
  const topology = await discoverTopology(clients, {functionName: 'plain'});
  const refs = await resolveQueues(clients, {...topology, deadLetterTarget: {arn: arn('never-was'), kind: 'sqs', name: 'never-was'}});
  assert.equal(refs.length, 1);
  assert.equal(refs[0]!.unresolved, 'queue no longer exists');
  const [missing] = await fetchQueueStatuses(clients, refs);
  assert.equal(missing!.error, 'queue no longer exists');
  assert.equal(missing!.name, 'never-was');
});

test('metrics: what was put under AWS/Lambda and AWS/SQS comes back; percentiles moto cannot compute are a status', async () => {
  const minute = 60_000;
  const end = Math.floor(Date.now() / minute) * minute;
  const t1 = end - 10 * minute;
  const t2 = end - 9 * minute;
  const t3 = end - 4 * minute; // settled: its minute ended more than METRICS_SETTLE_MS (3 min) before the read
  const fn = [{Name: 'FunctionName', Value: 'order-processor'}];
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/Lambda',
      MetricData: [
        {MetricName: 'Invocations', Dimensions: fn, Timestamp: new Date(t1 + 5000), Value: 10, Unit: 'Count'},
        {MetricName: 'Invocations', Dimensions: fn, Timestamp: new Date(t1 + 20_000), Value: 5, Unit: 'Count'},
        {MetricName: 'Invocations', Dimensions: fn, Timestamp: new Date(t3 + 1000), Value: 7, Unit: 'Count'},
        {MetricName: 'Throttles', Dimensions: fn, Timestamp: new Date(t2 + 1000), Value: 4, Unit: 'Count'},
        {MetricName: 'Duration', Dimensions: fn, Timestamp: new Date(t2 + 1000), Value: 100, Unit: 'Milliseconds'},
        {MetricName: 'Duration', Dimensions: fn, Timestamp: new Date(t2 + 2000), Value: 300, Unit: 'Milliseconds'},
        {MetricName: 'ConcurrentExecutions', Dimensions: fn, Timestamp: new Date(t2 + 1000), Value: 25, Unit: 'Count'},
        {MetricName: 'AsyncEventsDropped', Dimensions: [{Name: 'FunctionName', Value: 'other-function'}], Timestamp: new Date(t2), Value: 99, Unit: 'Count'},
        {MetricName: 'ClaimedAccountConcurrency', Timestamp: new Date(t2 + 1000), Value: 40, Unit: 'Count'},
      ],
    }),
  );
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/SQS',
      MetricData: [{MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{Name: 'QueueName', Value: 'orders-dlq'}], Timestamp: new Date(t3 + 1000), Value: 5400, Unit: 'Seconds'}],
    }),
  );
  const topology = await discoverTopology(clients, {functionName: 'order-processor'});
  const queries = buildMetricQueries(topology, [{name: 'orders-dlq'}], {periodSeconds: 60});
  let calls = 0;
  const counting = {...clients, reads: clients.reads && countingReads(clients.reads, (name) => name === 'GetMetricDataCommand' && calls++), cloudwatch: {send: (c: unknown, o?: unknown) => (calls++, (clients.cloudwatch.send as (c: unknown, o?: unknown) => Promise<unknown>)(c, o))}} as unknown as AwsClients;
  const snapshot = await fetchMetrics(counting, queries, {start: end - 30 * minute, end: end + 20_000, periodSeconds: 60});
  assert.equal(Object.keys(snapshot.series).length, FUNCTION_METRICS.length + ACCOUNT_METRICS.length + 1);
  assert.deepEqual(snapshot.series['Invocations']!.points, [[t1, 15], [t3, 7]], 'summed per minute; the empty minutes stay absent');
  assert.deepEqual(snapshot.series['Throttles']!.points, [[t2, 4]]);
  assert.deepEqual(snapshot.series['Duration']!.points, [[t2, 200]]);
  assert.deepEqual(snapshot.series['Duration.max']!.points, [[t2, 300]]);
  assert.deepEqual(snapshot.series['ConcurrentExecutions']!.points, [[t2, 25]]);
  assert.deepEqual(snapshot.series['AsyncEventsDropped']!.points, [], 'another function\'s data is not ours');
  assert.deepEqual(snapshot.series['ClaimedAccountConcurrency']!.points, [[t2, 40]]);
  assert.deepEqual(snapshot.series[queueMetricKey('orders-dlq', 'ApproximateAgeOfOldestMessage')]!.points, [[t3, 5400]]);
  for (const series of Object.values(snapshot.series)) assert.equal(series.partialFrom, null, `${series.key}: newest point is minutes old`);
  assert.equal(snapshot.series['Invocations']!.status, 'Complete');
  // moto quirk: percentiles with data crash moto; they become a per-series status, the rest still arrives
  assert.deepEqual(snapshot.series['Duration.p99']!.points, []);
  assert.equal(snapshot.series['Duration.p99']!.status, 'InternalError');
  assert.equal(calls, 2, 'the first refresh asks once more without percentiles');
  await fetchMetrics(counting, queries, {start: end - 30 * minute, end: end + 20_000, periodSeconds: 60});
  assert.equal(calls, 3, 'later refreshes are one call again');
});

test('the snapshot the dashboard builds (--once path) carries what was put there', async () => {
  const minute = 60_000;
  const now = Date.now();
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/SQS',
      MetricData: [{MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{Name: 'QueueName', Value: 'orders-failures'}], Timestamp: new Date(now - 2 * minute), Value: 777, Unit: 'Seconds'}],
    }),
  );
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/Lambda',
      MetricData: [{MetricName: 'AsyncEventsDropped', Dimensions: [{Name: 'FunctionName', Value: 'order-processor'}], Timestamp: new Date(now - 4 * minute), Value: 12, Unit: 'Count'}],
    }),
  );
  const snapshot = await collectSnapshotOnce(clients, {functionName: 'order-processor', windowMs: 60 * minute, now: () => now});
  assert.equal(snapshot.at, now);
  assert.equal(snapshot.topology?.reservedConcurrency, 25);
  // GetAccountSettings / ListProvisionedConcurrencyConfigs (unsupported) are unknowns, not errors; the
  // percentiles moto cannot compute are said once
  assert.deepEqual(snapshot.errors, [{source: 'metrics', message: 'CloudWatch failed to compute 2 series (Duration.p50, Duration.p99)'}]);
  assert.deepEqual(snapshot.queues.map((q) => [q.role, q.name]), [['on-failure', 'orders-failures'], ['on-success', 'orders-success'], ['source', 'orders-in'], ['source-dlq', 'orders-in-dlq']]);
  const failures = snapshot.queues.find((q) => q.role === 'on-failure')!;
  assert.equal(failures.delayed, 1);
  assert.equal(failures.oldestAgeSeconds, 777, 'oldest age comes from AWS/SQS ApproximateAgeOfOldestMessage');
  assert.equal(snapshot.queues.find((q) => q.role === 'source-dlq')!.oldestAgeSeconds, null, 'an empty queue has no oldest message');
  const dropped = snapshot.metrics!.series['AsyncEventsDropped']!;
  assert.deepEqual(dropped.points.map(([, v]) => v), [12]);
  assert.ok(snapshot.findings.some((f) => /drop/i.test(`${f.id} ${f.title}`)), JSON.stringify(snapshot.findings.map((f) => f.id)));
  await assert.rejects(collectSnapshotOnce(clients, {functionName: 'ghost', windowMs: minute, now: () => now}), {name: 'FunctionNotFoundError'});
});

test('through a pass-through that stores DeadLetterConfig: dropped events split into kept (DLQ and destination) and lost', async () => {
  const proxy = await startMotoDlqProxy(moto.endpoint);
  const viaProxy = createClients({...testAwsConfig(proxy.endpoint), ...sdkReads});
  try {
    const minute = 60_000;
    const now = Date.now();
    const role = await createMotoRole(moto.endpoint, 'lambda-top-dlq-role');
    await createQueue('media-dlq');
    await createQueue('media-failures');
    await viaProxy.lambda.send(new CreateFunctionCommand({
      FunctionName: 'media-ingest', Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: {ZipFile: tinyLambdaZip()},
      DeadLetterConfig: {TargetArn: arn('media-dlq')},
    }));
    await viaProxy.lambda.send(new PutFunctionEventInvokeConfigCommand({FunctionName: 'media-ingest', DestinationConfig: {OnFailure: {Destination: arn('media-failures')}}}));
    // 40 dropped in a settled minute: the DLQ took 37 (3 DeadLetterErrors), the destination 35 (5 DestinationDeliveryFailures)
    const at = new Date(now - 5 * minute);
    const put = (name: string, value: number) => ({MetricName: name, Dimensions: [{Name: 'FunctionName', Value: 'media-ingest'}], Timestamp: at, Value: value, Unit: 'Count' as const});
    await clients.cloudwatch.send(new PutMetricDataCommand({Namespace: 'AWS/Lambda', MetricData: [put('AsyncEventsDropped', 40), put('DeadLetterErrors', 3), put('DestinationDeliveryFailures', 5)]}));
    for (let i = 0; i < 2; i++) await clients.sqs.send(new SendMessageCommand({QueueUrl: urls['media-dlq'], MessageBody: `{"n":${i}}`}));

    const topology = await discoverTopology(viaProxy, {functionName: 'media-ingest', now: () => now});
    assert.deepEqual(topology.deadLetterTarget, {arn: arn('media-dlq'), kind: 'sqs', name: 'media-dlq'}, 'read back through the pass-through');
    const direct = await discoverTopology(clients, {functionName: 'media-ingest', now: () => now});
    assert.equal(direct.deadLetterTarget, null, 'moto alone still forgets it');

    const snapshot = await collectSnapshotOnce(viaProxy, {functionName: 'media-ingest', windowMs: 60 * minute, now: () => now});
    assert.deepEqual(snapshot.queues.map((q) => q.role).sort(), ['dlq', 'on-failure']);
    const {snapshotToJson} = await import('../../source/domain/snapshot-json.ts');
    const json = snapshotToJson(snapshot);
    assert.deepEqual(
      {dropped: json.dropped?.dropped, kept: json.dropped?.kept, lost: json.dropped?.lost, upper: json.dropped?.lostIsUpperBound, keptIn: json.dropped?.keptIn.map((k) => [k.role, k.count])},
      {dropped: 40, kept: 37, lost: 3, upper: true, keptIn: [['dlq', 37], ['on-failure', 35]]},
    );
    const finding = snapshot.findings.find((f) => f.id === 'events-dropped')!;
    assert.equal(finding.title, '40 events dropped: up to 3 lost, 37 kept');
    assert.match(finding.detail, /Kept: 37 in the DLQ \(SQS queue media-dlq\) and 35 in the OnFailure destination \(SQS queue media-failures\)/);
    assert.ok(snapshot.findings.some((f) => f.id === 'both-dlq-and-destination' && /AWS sends each failed event to both/.test(f.detail)));
  } finally {
    viaProxy.destroy();
    await proxy.stop();
  }
});
