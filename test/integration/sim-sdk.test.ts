// The simulator's HTTP face driven only through the unmodified AWS SDK v3 clients over HTTP, against a
// hand-made fixture world (test/helpers/fixture-world.ts), so every expected value is known here.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  RequestTooLargeException,
  ResourceNotFoundException,
  TooManyRequestsException,
  InvalidRequestContentException,
  ServiceException,
} from '@aws-sdk/client-lambda';
import {
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  RequestThrottled,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidNextToken,
  ListMetricsCommand,
  ValidationException,
  type CloudWatchClientConfig,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ResourceNotFoundException as LogsResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {AwsQueryProtocol, AwsSmithyRpcV2CborProtocol} from '@aws-sdk/core/protocols';
import {startSimulator, type RunningSimulator} from '../../source/sim/index.ts';
import {ACCOUNT, FIXTURE_NOW, REGION, aggregate, createFixtureWorld, type FixtureWorld} from '../helpers/fixture-world.ts';

const MINUTE = 60_000;
const FN_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:order-processor`;
const DIMS = [{Name: 'FunctionName', Value: 'order-processor'}];

let sim: RunningSimulator;
let world: FixtureWorld;
let lambda: LambdaClient;
let sqs: SQSClient;
let cw: CloudWatchClient;
let logs: CloudWatchLogsClient;

function config() {
  return {endpoint: sim.endpoint, region: REGION, credentials: {accessKeyId: 'x', secretAccessKey: 'x'}, maxAttempts: 1};
}

async function setFaults(body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sim.endpoint}/_lambda-top/faults`, {method: 'POST', body: JSON.stringify(body)});
  const json = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

async function rejects<T>(promise: Promise<unknown>, ctor: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ctor, `expected ${ctor.name}, got ${(error as Error)?.name}: ${(error as Error)?.message}`);
    return error;
  }
  assert.fail(`expected ${ctor.name}, but the call succeeded`);
}

before(async () => {
  let endpoint = '';
  world = createFixtureWorld({baseUrl: () => endpoint});
  sim = await startSimulator({world, tickMs: 0, seed: 11});
  endpoint = sim.endpoint;
  lambda = new LambdaClient(config());
  sqs = new SQSClient(config());
  cw = new CloudWatchClient(config());
  logs = new CloudWatchLogsClient(config());
});

after(async () => {
  for (const client of [lambda, sqs, cw, logs]) client?.destroy();
  await sim?.stop();
});

describe('Lambda (REST-JSON)', () => {
  test('GetFunctionConfiguration by name, partial ARN, full ARN and qualifier', async () => {
    for (const name of ['order-processor', `${ACCOUNT}:function:order-processor`, FN_ARN]) {
      const c = await lambda.send(new GetFunctionConfigurationCommand({FunctionName: name}));
      assert.equal(c.FunctionName, 'order-processor');
      assert.equal(c.Timeout, 10);
      assert.equal(c.DeadLetterConfig?.TargetArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:order-processor-dlq`);
      assert.equal(c.LoggingConfig?.LogGroup, '/aws/lambda/order-processor');
    }
    const qualified = await lambda.send(new GetFunctionConfigurationCommand({FunctionName: 'order-processor', Qualifier: '1'}));
    assert.equal(qualified.Version, '1');
    assert.equal(qualified.FunctionArn, `${FN_ARN}:1`);
    const err = await rejects(lambda.send(new GetFunctionConfigurationCommand({FunctionName: 'nope'})), ResourceNotFoundException);
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.match(err.message, /Function not found/);
  });

  test('GetFunction has Configuration, Code and Concurrency', async () => {
    const f = await lambda.send(new GetFunctionCommand({FunctionName: 'order-processor'}));
    assert.equal(f.Configuration?.FunctionArn, FN_ARN);
    assert.equal(f.Code?.RepositoryType, 'S3');
    assert.ok(f.Code?.Location?.startsWith(sim.endpoint));
    assert.equal(f.Concurrency?.ReservedConcurrentExecutions, 10);
    const unreserved = await lambda.send(new GetFunctionCommand({FunctionName: 'thumbnailer'}));
    assert.equal(unreserved.Concurrency, undefined);
  });

  test('ListFunctions pages with Marker', async () => {
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await lambda.send(new ListFunctionsCommand({MaxItems: 2, ...(marker ? {Marker: marker} : {})}));
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
      marker = page.NextMarker;
      pages++;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(names, world.listFunctions().map((f) => f.FunctionName));
  });

  test('GetFunctionEventInvokeConfig answers the config, or 404 when never set', async () => {
    const c = await lambda.send(new GetFunctionEventInvokeConfigCommand({FunctionName: 'order-processor'}));
    assert.equal(c.MaximumRetryAttempts, 2);
    assert.equal(c.MaximumEventAgeInSeconds, 3600);
    assert.equal(c.DestinationConfig?.OnFailure?.Destination, `arn:aws:sqs:${REGION}:${ACCOUNT}:order-failures`);
    assert.ok(c.LastModified instanceof Date);
    const err = await rejects(lambda.send(new GetFunctionEventInvokeConfigCommand({FunctionName: 'thumbnailer'})), ResourceNotFoundException);
    assert.match(err.message, /doesn't have an EventInvokeConfig/);
  });

  test('GetFunctionConcurrency, GetAccountSettings, ListProvisionedConcurrencyConfigs', async () => {
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({FunctionName: 'order-processor'}))).ReservedConcurrentExecutions, 10);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({FunctionName: 'switched-off'}))).ReservedConcurrentExecutions, 0);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({FunctionName: 'thumbnailer'}))).ReservedConcurrentExecutions, undefined);
    const account = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(account.AccountLimit?.ConcurrentExecutions, 1000);
    assert.equal(account.AccountLimit?.UnreservedConcurrentExecutions, 990);
    const pc = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({FunctionName: 'order-processor'}));
    assert.equal(pc.ProvisionedConcurrencyConfigs?.length, 1);
    assert.equal(pc.ProvisionedConcurrencyConfigs?.[0]?.AvailableProvisionedConcurrentExecutions, 3);
    assert.equal((await lambda.send(new ListProvisionedConcurrencyConfigsCommand({FunctionName: 'thumbnailer'}))).ProvisionedConcurrencyConfigs?.length, 0);
  });

  test('ListEventSourceMappings filters by function and source, and pages', async () => {
    const byFunction = await lambda.send(new ListEventSourceMappingsCommand({FunctionName: 'ingest-worker'}));
    assert.equal(byFunction.EventSourceMappings?.length, 1);
    assert.equal(byFunction.EventSourceMappings?.[0]?.ScalingConfig?.MaximumConcurrency, 5);
    const sourceArn = byFunction.EventSourceMappings![0]!.EventSourceArn!;
    const bySource = await lambda.send(new ListEventSourceMappingsCommand({EventSourceArn: sourceArn}));
    assert.deepEqual(bySource.EventSourceMappings?.map((m) => m.UUID), [byFunction.EventSourceMappings![0]!.UUID]);
    const first = await lambda.send(new ListEventSourceMappingsCommand({MaxItems: 1}));
    assert.equal(first.EventSourceMappings?.length, 1);
    assert.ok(first.NextMarker);
    const second = await lambda.send(new ListEventSourceMappingsCommand({MaxItems: 1, Marker: first.NextMarker}));
    assert.equal(second.EventSourceMappings?.length, 1);
    assert.equal(second.NextMarker, undefined);
    assert.notEqual(first.EventSourceMappings![0]!.UUID, second.EventSourceMappings![0]!.UUID);
  });

  test('Invoke: Event -> 202, RequestResponse -> payload and headers, DryRun -> 204', async () => {
    const before = world.invocations.length;
    const event = await lambda.send(new InvokeCommand({FunctionName: FN_ARN, InvocationType: 'Event', Payload: Buffer.from('{"order":42}')}));
    assert.equal(event.StatusCode, 202);
    assert.equal(world.invocations.length, before + 1);
    assert.deepEqual(world.invocations.at(-1), {functionName: 'order-processor', payload: '{"order":42}', type: 'Event', requestId: world.invocations.at(-1)!.requestId});
    assert.equal(event.$metadata.requestId, world.invocations.at(-1)!.requestId);

    const sync = await lambda.send(new InvokeCommand({FunctionName: 'order-processor', Payload: Buffer.from('{"a":1}')}));
    assert.equal(sync.StatusCode, 200);
    assert.equal(sync.ExecutedVersion, '$LATEST');
    assert.equal(sync.FunctionError, undefined);
    assert.deepEqual(JSON.parse(Buffer.from(sync.Payload!).toString()), {echo: {a: 1}});

    const failing = await lambda.send(new InvokeCommand({FunctionName: 'order-processor', Payload: Buffer.from('{"x":"fail"}'), Qualifier: '1'}));
    assert.equal(failing.FunctionError, 'Unhandled');
    assert.equal(failing.ExecutedVersion, '1');
    assert.equal(world.invocations.at(-1)?.qualifier, '1');

    const dry = await lambda.send(new InvokeCommand({FunctionName: 'order-processor', InvocationType: 'DryRun'}));
    assert.equal(dry.StatusCode, 204);
    assert.equal(world.invocations.length, before + 3);
  });

  test('Invoke errors map to the SDK exception classes', async () => {
    const big = Buffer.from(JSON.stringify({pad: 'x'.repeat(1024 * 1024)}));
    await rejects(lambda.send(new InvokeCommand({FunctionName: 'order-processor', InvocationType: 'Event', Payload: big})), RequestTooLargeException);
    const throttled = await rejects(lambda.send(new InvokeCommand({FunctionName: 'switched-off', InvocationType: 'RequestResponse'})), TooManyRequestsException);
    assert.equal(throttled.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(throttled.$metadata.httpStatusCode, 429);
    await rejects(lambda.send(new InvokeCommand({FunctionName: 'missing', InvocationType: 'Event'})), ResourceNotFoundException);
    await rejects(lambda.send(new InvokeCommand({FunctionName: 'order-processor', Payload: Buffer.from('{not json')})), InvalidRequestContentException);
  });
});

describe('SQS (mounted handler)', () => {
  test('send, receive, and QueueDoesNotExist', async () => {
    const url = (await sqs.send(new GetQueueUrlCommand({QueueName: 'order-processor-dlq'}))).QueueUrl!;
    assert.ok(url.startsWith(sim.endpoint), url);
    const sent = await sqs.send(new SendMessageCommand({QueueUrl: url, MessageBody: '{"hello":"world"}'}));
    assert.ok(sent.MessageId);
    const received = await sqs.send(new ReceiveMessageCommand({QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0}));
    assert.ok(received.Messages?.some((m) => m.MessageId === sent.MessageId && m.Body === '{"hello":"world"}'));
    await rejects(sqs.send(new GetQueueUrlCommand({QueueName: 'no-such-queue'})), QueueDoesNotExist);
  });

  test('a long poll advances the world while it waits', async () => {
    const url = (await sqs.send(new GetQueueUrlCommand({QueueName: 'ingest-queue'}))).QueueUrl!;
    const before = world.advanceCalls;
    const received = await sqs.send(new ReceiveMessageCommand({QueueUrl: url, WaitTimeSeconds: 1}));
    assert.equal(received.Messages, undefined);
    assert.ok(world.advanceCalls - before > 2, `advanced ${world.advanceCalls - before} times`);
  });
});

function gmdInput(extra: Partial<GetMetricDataCommandInput> = {}): GetMetricDataCommandInput {
  return {
    StartTime: new Date(FIXTURE_NOW - 60 * MINUTE),
    EndTime: new Date(FIXTURE_NOW),
    MetricDataQueries: [
      {Id: 'inv', MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: DIMS}, Period: 300, Stat: 'Sum'}},
      {Id: 'err', MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: DIMS}, Period: 300, Stat: 'Sum'}, ReturnData: false},
      {Id: 'p99', MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: DIMS}, Period: 300, Stat: 'p99'}, Label: 'Duration p99'},
      {Id: 'rate', Expression: '100 * err / inv', Label: 'Error rate'},
      {Id: 'unsupported', Expression: 'SUM(METRICS())'},
      {Id: 'missing', MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{Name: 'FunctionName', Value: 'nobody'}]}, Period: 60, Stat: 'Sum'}},
    ],
    ...extra,
  };
}

/** What the fixture's samples give for one 5-minute-period series, ascending. */
function expected(metricName: string, stat: string): Array<[number, number]> {
  const buckets = new Map<number, number[]>();
  for (const [t, values] of world.samples('AWS/Lambda', metricName, {FunctionName: 'order-processor'})) {
    if (t < FIXTURE_NOW - 60 * MINUTE || t >= FIXTURE_NOW) continue;
    const b = Math.floor(t / (5 * MINUTE)) * 5 * MINUTE;
    buckets.set(b, [...(buckets.get(b) ?? []), ...values]);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => [t, aggregate(v, stat)]);
}

function pairs(result: MetricDataResult | undefined): Array<[number, number]> {
  return (result?.Timestamps ?? []).map((t, i) => [t.getTime(), result!.Values![i]!]);
}

describe('CloudWatch', () => {
  test('GetMetricData: values, labels, statuses, expressions, descending by default', async () => {
    const out = await cw.send(new GetMetricDataCommand(gmdInput()));
    const byId = new Map(out.MetricDataResults!.map((r) => [r.Id!, r]));
    assert.deepEqual([...byId.keys()], ['inv', 'p99', 'rate', 'unsupported', 'missing'], 'ReturnData=false is left out');
    const inv = expected('Invocations', 'Sum');
    assert.equal(inv.length, 12);
    assert.deepEqual(pairs(byId.get('inv')), [...inv].reverse());
    assert.equal(byId.get('inv')!.Label, 'Invocations');
    assert.equal(byId.get('inv')!.StatusCode, 'Complete');
    assert.deepEqual(pairs(byId.get('p99')), [...expected('Duration', 'p99')].reverse());
    assert.equal(byId.get('p99')!.Label, 'Duration p99');
    const err = new Map(expected('Errors', 'Sum'));
    const rate = pairs(byId.get('rate'));
    assert.equal(rate.length, 12);
    for (const [t, v] of rate) {
      const i = inv.find(([ti]) => ti === t)![1];
      assert.ok(Math.abs(v - (100 * err.get(t)!) / i) < 1e-9);
    }
    assert.equal(byId.get('unsupported')!.StatusCode, 'InternalError');
    assert.match(byId.get('unsupported')!.Messages?.[0]?.Value ?? '', /not supported/);
    assert.deepEqual(pairs(byId.get('missing')), []);
    assert.equal(byId.get('missing')!.StatusCode, 'Complete');
    assert.equal(out.NextToken, undefined);

    const asc = await cw.send(new GetMetricDataCommand(gmdInput({ScanBy: 'TimestampAscending'})));
    assert.deepEqual(pairs(asc.MetricDataResults![0]), inv);
  });

  test('GetMetricData pages with MaxDatapoints and NextToken (PartialData until complete)', async () => {
    const all = (await cw.send(new GetMetricDataCommand(gmdInput()))).MetricDataResults!;
    const collected = new Map<string, Array<[number, number]>>();
    const statuses: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await cw.send(new GetMetricDataCommand(gmdInput({MaxDatapoints: 5, ...(token ? {NextToken: token} : {})})));
      const points = page.MetricDataResults!.reduce((n, r) => n + (r.Values?.length ?? 0), 0);
      assert.ok(points <= 5);
      for (const r of page.MetricDataResults!) collected.set(r.Id!, [...(collected.get(r.Id!) ?? []), ...pairs(r)]);
      statuses.push(page.MetricDataResults![0]!.StatusCode!);
      token = page.NextToken;
      pages++;
    } while (token && pages < 50);
    assert.equal(pages, Math.ceil(36 / 5), '12 + 12 + 12 datapoints, 5 per page');
    for (const r of all) assert.deepEqual(collected.get(r.Id!), pairs(r), r.Id);
    assert.equal(statuses[0], 'PartialData');
    assert.equal(statuses.at(-1), 'Complete');
    await rejects(cw.send(new GetMetricDataCommand(gmdInput({NextToken: 'garbage'}))), InvalidNextToken);
  });

  test('GetMetricData validation: more than 500 queries, StartTime after EndTime', async () => {
    const queries = Array.from({length: 501}, (_, i) => ({Id: `q${i}`, MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: DIMS}, Period: 60, Stat: 'Sum'}}));
    const err = await rejects(cw.send(new GetMetricDataCommand(gmdInput({MetricDataQueries: queries}))), ValidationException);
    assert.match(err.message, /500/);
    assert.equal(err.$metadata.httpStatusCode, 400);
    await rejects(cw.send(new GetMetricDataCommand(gmdInput({StartTime: new Date(FIXTURE_NOW), EndTime: new Date(FIXTURE_NOW - MINUTE)}))), ValidationException);
    // 500 exactly is fine
    const ok = await cw.send(new GetMetricDataCommand(gmdInput({MetricDataQueries: queries.slice(0, 500)})));
    assert.equal(ok.MetricDataResults?.length, 500);
  });

  test('the same answers over RPC v2 CBOR and awsQuery as over JSON', async () => {
    const reference = (await cw.send(new GetMetricDataCommand(gmdInput()))).MetricDataResults!;
    for (const protocol of [AwsSmithyRpcV2CborProtocol, AwsQueryProtocol]) {
      const client = new CloudWatchClient({...config(), protocol} as unknown as CloudWatchClientConfig);
      try {
        const out = await client.send(new GetMetricDataCommand(gmdInput()));
        assert.deepEqual(
          out.MetricDataResults!.map((r) => [r.Id, r.Label, r.StatusCode, pairs(r)]),
          reference.map((r) => [r.Id, r.Label, r.StatusCode, pairs(r)]),
          protocol.name,
        );
        await rejects(client.send(new GetMetricDataCommand(gmdInput({NextToken: 'garbage'}))), InvalidNextToken);
        const stats = await client.send(new GetMetricStatisticsCommand({Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: DIMS, StartTime: new Date(FIXTURE_NOW - 60 * MINUTE), EndTime: new Date(FIXTURE_NOW), Period: 300, Statistics: ['Sum']}));
        assert.equal(stats.Datapoints?.length, 12, protocol.name);
        const metrics = await client.send(new ListMetricsCommand({Namespace: 'AWS/SQS'}));
        assert.equal(metrics.Metrics?.[0]?.Dimensions?.[0]?.Value, 'order-processor-dlq', protocol.name);
      } finally {
        client.destroy();
      }
    }
  });

  test('GetMetricStatistics and ListMetrics', async () => {
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: DIMS,
        StartTime: new Date(FIXTURE_NOW - 60 * MINUTE),
        EndTime: new Date(FIXTURE_NOW),
        Period: 300,
        Statistics: ['Average', 'Maximum'],
        ExtendedStatistics: ['p50'],
      }),
    );
    assert.equal(stats.Label, 'Duration');
    const avg = expected('Duration', 'Average');
    const max = new Map(expected('Duration', 'Maximum'));
    const p50 = new Map(expected('Duration', 'p50'));
    assert.deepEqual(
      stats.Datapoints!.map((d) => [d.Timestamp!.getTime(), d.Average, d.Maximum, d.ExtendedStatistics?.p50, d.Unit]),
      avg.map(([t, v]) => [t, v, max.get(t), p50.get(t), 'Milliseconds']),
    );
    const lambdaMetrics = await cw.send(new ListMetricsCommand({Namespace: 'AWS/Lambda', Dimensions: [{Name: 'FunctionName', Value: 'order-processor'}]}));
    assert.deepEqual(lambdaMetrics.Metrics!.map((m) => m.MetricName).sort(), ['Duration', 'Errors', 'Invocations', 'Throttles']);
    const invocations = await cw.send(new ListMetricsCommand({MetricName: 'Invocations'}));
    assert.deepEqual(invocations.Metrics!.map((m) => m.Dimensions?.[0]?.Value).sort(), ['order-processor', 'thumbnailer']);
  });
});

describe('CloudWatch Logs (JSON 1.1)', () => {
  test('FilterLogEvents: quoted request id, paging, logGroupIdentifier ARN, unknown group', async () => {
    const id = '00000003-aaaa-4bbb-8ccc-000000000003';
    const one = await logs.send(new FilterLogEventsCommand({logGroupName: '/aws/lambda/order-processor', filterPattern: `"${id}"`}));
    assert.equal(one.events!.length, 4);
    assert.match(one.events![0]!.message!, /^START /);
    assert.match(one.events![2]!.message!, /^END /);
    assert.match(one.events![3]!.message!, /^REPORT /);
    assert.ok(one.events!.every((e) => e.message!.includes(id) && e.eventId && e.logStreamName && e.ingestionTime! > e.timestamp!));
    assert.ok(one.events![1]!.message!.includes('ERROR'));
    assert.equal(one.nextToken, undefined);

    const all: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await logs.send(new FilterLogEventsCommand({logGroupIdentifier: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/order-processor`, filterPattern: 'REPORT', limit: 7, ...(token ? {nextToken: token} : {})}));
      assert.ok(page.events!.length <= 7);
      all.push(...page.events!.map((e) => e.eventId!));
      token = page.nextToken;
      pages++;
    } while (token && pages < 20);
    assert.equal(all.length, 30);
    assert.equal(new Set(all).size, 30);
    assert.equal(pages, 5);

    const [from, to] = [FIXTURE_NOW - 40 * MINUTE, FIXTURE_NOW - 36 * MINUTE];
    const windowed = await logs.send(new FilterLogEventsCommand({logGroupName: '/aws/lambda/order-processor', filterPattern: 'START', startTime: from, endTime: to}));
    assert.equal(windowed.events!.length, 5);
    assert.ok(windowed.events!.every((e) => e.timestamp! >= from && e.timestamp! <= to));

    const missing = await rejects(logs.send(new FilterLogEventsCommand({logGroupName: '/aws/lambda/nope'})), LogsResourceNotFoundException);
    assert.match(missing.message, /log group does not exist/);
  });

  test('DescribeLogGroups and GetLogEvents', async () => {
    const groups = await logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: '/aws/lambda/'}));
    assert.deepEqual(groups.logGroups!.map((g) => g.logGroupName), ['/aws/lambda/order-processor', '/aws/lambda/thumbnailer']);
    assert.equal(groups.logGroups![0]!.storedBytes, 123_456);
    assert.ok(groups.logGroups![0]!.arn!.endsWith(':*'));
    const events = await logs.send(new GetLogEventsCommand({logGroupName: '/aws/lambda/thumbnailer', logStreamName: 'stream-1', startFromHead: true}));
    assert.deepEqual(events.events!.map((e) => e.message), ['START RequestId: t1 Version: $LATEST\n']);
    await rejects(logs.send(new GetLogEventsCommand({logGroupName: '/aws/lambda/thumbnailer', logStreamName: 'nope'})), LogsResourceNotFoundException);
  });
});

describe('robustness and faults', () => {
  test('an unknown operation is answered without crashing the server', async () => {
    const response = await fetch(sim.endpoint, {method: 'POST', headers: {'x-amz-target': 'GraniteServiceVersion20100801.DeleteAlarms', 'content-type': 'application/x-amz-json-1.0'}, body: '{}'});
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as {__type: string}).__type, /UnknownOperationException/);
    const rest = await fetch(`${sim.endpoint}/2015-03-31/functions/order-processor/policy`);
    assert.equal(rest.status, 404);
    assert.equal(rest.headers.get('x-amzn-errortype'), 'UnknownOperationException');
    await rest.arrayBuffer();
    assert.equal((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.ConcurrentExecutions, 1000);
  });

  test('throttles are injected at the configured fraction (seeded) and map to each SDK\'s throttle error', async () => {
    await setFaults({seed: 5, rules: [{operation: 'GetFunctionConfiguration', throttle: 0.3}, {operation: 'SendMessage', throttle: 1}, {operation: 'ListMetrics', throttle: 1}, {operation: 'DescribeLogGroups', error: 1}]});
    let throttled = 0;
    for (let i = 0; i < 100; i++) {
      try {
        await lambda.send(new GetFunctionConfigurationCommand({FunctionName: 'order-processor'}));
      } catch (error) {
        assert.ok(error instanceof TooManyRequestsException, String(error));
        throttled++;
      }
    }
    assert.ok(throttled >= 15 && throttled <= 45, `throttled ${throttled} of 100`);
    const state = (await (await fetch(`${sim.endpoint}/_lambda-top/faults`)).json()) as {injected: Record<string, {throttle?: number}>};
    assert.equal(state.injected.GetFunctionConfiguration?.throttle, throttled);

    const url = `${sim.endpoint}/${ACCOUNT}/order-processor-dlq`;
    await rejects(sqs.send(new SendMessageCommand({QueueUrl: url, MessageBody: 'x'})), RequestThrottled);
    const cwErr = await cw.send(new ListMetricsCommand({})).then(() => undefined, (e: Error) => e);
    assert.equal(cwErr?.name, 'Throttling');
    const logsErr = await logs.send(new DescribeLogGroupsCommand({})).then(() => undefined, (e: Error & {$metadata: {httpStatusCode?: number}}) => e);
    assert.equal(logsErr?.name, 'ServiceUnavailableException');
    assert.equal(logsErr?.$metadata.httpStatusCode, 500);
    await setFaults({rules: []});
  });

  test('a 500 on Lambda maps to ServiceException', async () => {
    await setFaults({rules: [{operation: 'GetAccountSettings', error: 1}]});
    await rejects(lambda.send(new GetAccountSettingsCommand({})), ServiceException);
    await setFaults({rules: []});
  });

  test('dropped connections fail the call, not the server; dropAfter loses the answer, not the effect', async () => {
    await setFaults({seed: 2, rules: [{operation: 'GetAccountSettings', drop: 0.5}, {operation: 'Invoke', dropAfter: 1}]});
    let dropped = 0;
    for (let i = 0; i < 20; i++) {
      try {
        await lambda.send(new GetAccountSettingsCommand({}));
      } catch (error) {
        assert.ok(!(error instanceof ServiceException), String(error));
        dropped++;
      }
    }
    assert.ok(dropped >= 3 && dropped <= 17, `dropped ${dropped} of 20`);
    const before = world.invocations.length;
    await assert.rejects(lambda.send(new InvokeCommand({FunctionName: 'order-processor', InvocationType: 'RequestResponse', Payload: Buffer.from('{"big":"' + 'y'.repeat(2000) + '"}')})));
    assert.equal(world.invocations.length, before + 1, 'the invocation happened although its answer was lost');
    await setFaults({rules: []});
    assert.equal((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.ConcurrentExecutions, 1000);
  });

  test('SQS batch entries fail honestly: reported Failed entries were not sent', async () => {
    const QueueUrl = `${sim.endpoint}/${ACCOUNT}/ingest-queue`;
    await setFaults({seed: 4, rules: [{operation: 'SendMessageBatch', failEntries: 0.5}]});
    const before = world.sqs.stats(QueueUrl).total;
    let successful = 0;
    let failed = 0;
    const sentIds = new Set<string>();
    for (let b = 0; b < 6; b++) {
      const out = await sqs.send(new SendMessageBatchCommand({QueueUrl, Entries: Array.from({length: 10}, (_, i) => ({Id: `e${i}`, MessageBody: `m-${b}-${i}`}))}));
      successful += out.Successful?.length ?? 0;
      failed += out.Failed?.length ?? 0;
      assert.equal((out.Successful?.length ?? 0) + (out.Failed?.length ?? 0), 10);
      for (const f of out.Failed ?? []) assert.equal(f.SenderFault, false);
      for (const s of out.Successful ?? []) sentIds.add(s.MessageId!);
    }
    assert.ok(failed >= 15 && failed <= 45, `failed ${failed} of 60`);
    assert.equal(world.sqs.stats(QueueUrl).total, before + successful);
    const stored = new Set(world.sqs.peekAll(QueueUrl).map((m) => m.messageId));
    for (const id of sentIds) assert.ok(stored.has(id));
    await setFaults({rules: []});
  });

  test('mutation counters count every mutating call received', async () => {
    const read = async () => ((await (await fetch(`${sim.endpoint}/_lambda-top/mutations`)).json()) as {received: Record<string, number>; world: Record<string, number>});
    const before = await read();
    for (let i = 0; i < 3; i++) await lambda.send(new InvokeCommand({FunctionName: 'order-processor', InvocationType: 'Event', Payload: Buffer.from('{}')}));
    const after = await read();
    assert.equal(after.received.Invoke, (before.received.Invoke ?? 0) + 3);
    assert.equal(after.world.Invoke, (before.world.Invoke ?? 0) + 3);
    const bad = await fetch(`${sim.endpoint}/_lambda-top/faults`, {method: 'POST', body: '{"rules":[{"operation":"Invoke","throttle":7}]}'});
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as {message: string}).message, /fraction/);
  });

  test('GET /_lambda-top/sim reports the clock and scenario', async () => {
    const info = (await (await fetch(`${sim.endpoint}/_lambda-top/sim`)).json()) as {now: number; speed: number; scenario: {name: string}};
    assert.equal(info.now, FIXTURE_NOW);
    assert.equal(info.speed, 1);
    assert.equal(info.scenario.name, 'fixture');
  });
});

test('stop() closes keep-alive connections promptly and the port stops answering', async () => {
  let endpoint = '';
  const w = createFixtureWorld({baseUrl: () => endpoint});
  const local = await startSimulator({world: w, tickMs: 50});
  endpoint = local.endpoint;
  const client = new LambdaClient({endpoint, region: REGION, credentials: {accessKeyId: 'x', secretAccessKey: 'x'}, maxAttempts: 1});
  try {
    await client.send(new GetAccountSettingsCommand({}));
    await local.stop();
    await assert.rejects(fetch(`${endpoint}/_lambda-top/sim`));
    await local.stop();
  } finally {
    client.destroy();
    await local.stop();
  }
});
