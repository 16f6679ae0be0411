// The simulator with the real model (createWorld from source/sim/lambda), driven through the unmodified SDK
// clients: every answer must be what the model holds, read through the wire.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, InvokeCommand, LambdaClient, ListEventSourceMappingsCommand, ListFunctionsCommand, ResourceNotFoundException} from '@aws-sdk/client-lambda';
import {GetQueueAttributesCommand, ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {CloudWatchClient, GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {CloudWatchLogsClient, FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {startSimulator, type RunningSimulator} from '../../source/sim/index.ts';

const MINUTE = 60_000;
let sim: RunningSimulator;
let primary: string;
let lambda: LambdaClient;
let sqs: SQSClient;
let cw: CloudWatchClient;
let logs: CloudWatchLogsClient;

before(async () => {
  // tickMs 0: the world advances only when a request arrives, so direct reads after a call see the same state.
  sim = await startSimulator({scenario: 'throttled-orders', seed: 7, speed: 30, tickMs: 0});
  primary = (sim.world as {primaryFunction?: string}).primaryFunction ?? sim.world.listFunctions()[0]!.FunctionName;
  const config = {endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'x', secretAccessKey: 'x'}, maxAttempts: 1};
  lambda = new LambdaClient(config);
  sqs = new SQSClient(config);
  cw = new CloudWatchClient(config);
  logs = new CloudWatchLogsClient(config);
});

after(async () => {
  for (const client of [lambda, sqs, cw, logs]) client?.destroy();
  await sim?.stop();
});

test('functions, configuration and event source mappings come from the model', async () => {
  const listed = await lambda.send(new ListFunctionsCommand({}));
  assert.deepEqual(listed.Functions!.map((f) => f.FunctionName), sim.world.listFunctions().map((f) => f.FunctionName));
  assert.ok(listed.Functions!.some((f) => f.FunctionName === primary));
  const config = await lambda.send(new GetFunctionConfigurationCommand({FunctionName: primary}));
  assert.deepEqual(config.LoggingConfig?.LogGroup, sim.world.getFunction(primary).LoggingConfig.LogGroup);
  const model = sim.world.getEventInvokeConfig(primary);
  if (model) {
    const wire = await lambda.send(new GetFunctionEventInvokeConfigCommand({FunctionName: primary}));
    assert.equal(wire.MaximumRetryAttempts, model.MaximumRetryAttempts);
    assert.equal(wire.DestinationConfig?.OnFailure?.Destination, model.DestinationConfig.OnFailure.Destination);
  } else {
    await assert.rejects(lambda.send(new GetFunctionEventInvokeConfigCommand({FunctionName: primary})), ResourceNotFoundException);
  }
  const esms = await lambda.send(new ListEventSourceMappingsCommand({FunctionName: primary}));
  assert.deepEqual(esms.EventSourceMappings!.map((m) => m.UUID), sim.world.listEventSourceMappings({functionName: primary}).map((m) => m.UUID));
});

test('GetMetricData returns exactly the model\'s series', async () => {
  const end = Math.floor(sim.world.clock.now() / MINUTE) * MINUTE - 10 * MINUTE;
  const start = end - 30 * MINUTE;
  const dims = [{Name: 'FunctionName', Value: primary}];
  const out = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(start),
      EndTime: new Date(end),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: ['Invocations', 'Errors', 'Throttles', 'AsyncEventsReceived'].map((name, i) => ({
        Id: `m${i}`,
        MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: name, Dimensions: dims}, Period: 60, Stat: 'Sum'},
      })),
    }),
  );
  let points = 0;
  for (const [i, name] of ['Invocations', 'Errors', 'Throttles', 'AsyncEventsReceived'].entries()) {
    const result = out.MetricDataResults!.find((r) => r.Id === `m${i}`)!;
    const model = sim.world.queryMetric({namespace: 'AWS/Lambda', metricName: name, dimensions: {FunctionName: primary}, stat: 'Sum', periodSeconds: 60, start, end});
    assert.deepEqual(
      result.Timestamps!.map((t, j) => [t.getTime(), result.Values![j]]),
      model,
      name,
    );
    points += model.length;
  }
  assert.ok(points > 0, 'the scenario produced metrics in the window');
});

test('logs, queues and invokes go through to the model', async () => {
  const group = sim.world.getFunction(primary).LoggingConfig.LogGroup;
  const reports = await logs.send(new FilterLogEventsCommand({logGroupName: group, filterPattern: 'REPORT', limit: 5}));
  assert.ok(reports.events!.length > 0, 'REPORT lines exist');
  const id = /REPORT RequestId: (\S+)/.exec(reports.events![0]!.message!)![1]!;
  const one = await logs.send(new FilterLogEventsCommand({logGroupName: group, filterPattern: `"${id}"`}));
  assert.ok(one.events!.length >= 2);
  assert.ok(one.events!.every((e) => e.message!.includes(id)));

  const queues = await sqs.send(new ListQueuesCommand({}));
  assert.ok((queues.QueueUrls ?? []).length > 0);
  for (const url of queues.QueueUrls!) {
    assert.ok(url.startsWith(sim.endpoint), url);
    const attrs = await sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'QueueArn']}));
    assert.match(attrs.Attributes!.QueueArn!, /^arn:aws:sqs:/);
  }

  const before = sim.world.mutations.Invoke ?? 0;
  const invoked = await lambda.send(new InvokeCommand({FunctionName: primary, InvocationType: 'Event', Payload: Buffer.from('{"orderId":"sim-model-test"}')}));
  assert.equal(invoked.StatusCode, 202);
  assert.equal(sim.world.mutations.Invoke, before + 1);
  const counters = (await (await fetch(`${sim.endpoint}/_lambda-top/mutations`)).json()) as {received: Record<string, number>; world: Record<string, number>};
  assert.equal(counters.received.Invoke, 1);
  assert.equal(counters.world.Invoke, before + 1);

  const info = (await (await fetch(`${sim.endpoint}/_lambda-top/sim`)).json()) as {now: number; speed: number; scenario: {name: string; story: string}};
  assert.equal(info.speed, 30);
  assert.equal(info.scenario.name, 'throttled-orders');
  assert.ok(info.scenario.story.length > 0);
  assert.ok(Math.abs(info.now - sim.world.clock.now()) < 60 * MINUTE);
});
