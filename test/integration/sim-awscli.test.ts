// The simulator driven by the AWS CLI installed on this machine (aws-cli v1 / botocore), as an independent
// client implementation: its answers must parse and carry the expected values. botocore sends CloudWatch as
// AWS JSON 1.0 (its protocol priority puts json before smithy-rpc-v2-cbor); the RPC v2 CBOR and awsQuery
// encodings are exercised by pointing AWS_DATA_PATH at a copy of botocore's own CloudWatch model whose
// protocol list is narrowed to one of them, so botocore's real serialisers and parsers run.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {startSimulator, type RunningSimulator} from '../../source/sim/index.ts';
import {ACCOUNT, FIXTURE_NOW, aggregate, createFixtureWorld, type FixtureWorld} from '../helpers/fixture-world.ts';

const run = promisify(execFile);
const MINUTE = 60_000;

const awsVersion = await run('aws', ['--version'], {timeout: 20_000}).then(
  (r) => (r.stdout || r.stderr).trim(),
  () => null,
);
const skip = awsVersion ? false : 'the AWS CLI (`aws`) is not installed on this machine';

let sim: RunningSimulator;
let world: FixtureWorld;
let dataDir: string | undefined;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function aws(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const r = await run('aws', ['--endpoint-url', sim.endpoint, '--region', 'us-east-1', '--output', 'json', ...args], {
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_MAX_ATTEMPTS: '1',
        AWS_RETRY_MODE: 'standard',
        ...env,
      },
    });
    return {code: 0, stdout: r.stdout, stderr: r.stderr};
  } catch (error) {
    const e = error as {code?: number; stdout?: string; stderr?: string};
    return {code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error)};
  }
}

function parsed(result: CliResult): Record<string, unknown> {
  assert.equal(result.code, 0, `aws failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Writes botocore's CloudWatch model with its protocol list narrowed to `protocol` under dir/<protocol>/. */
async function narrowedModel(dir: string, protocol: string): Promise<string | null> {
  const script = `
import json, gzip, os, sys, botocore
base = os.path.join(os.path.dirname(botocore.__file__), 'data', 'cloudwatch', '2010-08-01')
name = 'service-2.json.gz' if os.path.exists(os.path.join(base, 'service-2.json.gz')) else 'service-2.json'
opener = gzip.open if name.endswith('.gz') else open
with opener(os.path.join(base, name), 'rt') as f:
    model = json.load(f)
model['metadata']['protocol'] = sys.argv[2]
model['metadata']['protocols'] = [sys.argv[2]]
out = os.path.join(sys.argv[1], 'cloudwatch', '2010-08-01')
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, 'service-2.json'), 'w') as f:
    json.dump(model, f)
`;
  const target = path.join(dir, protocol);
  for (const python of ['python3', 'python']) {
    try {
      await run(python, ['-c', script, target, protocol], {timeout: 30_000});
      return target;
    } catch {
      // try the next interpreter
    }
  }
  return null;
}

const REQUEST_ID = '00000003-aaaa-4bbb-8ccc-000000000003';
const QUERIES = JSON.stringify([
  {Id: 'inv', MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{Name: 'FunctionName', Value: 'order-processor'}]}, Period: 300, Stat: 'Sum'}},
  {Id: 'double', Expression: 'inv * 2'},
]);
const WINDOW = ['--start-time', new Date(FIXTURE_NOW - 60 * MINUTE).toISOString(), '--end-time', new Date(FIXTURE_NOW).toISOString()];

function expectedInvocations(): Array<[number, number]> {
  const buckets = new Map<number, number[]>();
  for (const [t, values] of world.samples('AWS/Lambda', 'Invocations', {FunctionName: 'order-processor'})) {
    if (t < FIXTURE_NOW - 60 * MINUTE || t >= FIXTURE_NOW) continue;
    const b = Math.floor(t / (5 * MINUTE)) * 5 * MINUTE;
    buckets.set(b, [...(buckets.get(b) ?? []), ...values]);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => [t, aggregate(v, 'Sum')]);
}

/** CLI timestamps print as epoch seconds (JSON/CBOR) or ISO strings (awsQuery); both become epoch ms. */
function ms(value: unknown): number {
  return typeof value === 'number' ? value * 1000 : Date.parse(String(value));
}

function checkMetricData(out: Record<string, unknown>, label: string): void {
  const results = out.MetricDataResults as Array<{Id: string; Timestamps: unknown[]; Values: number[]; StatusCode: string}>;
  const expected = expectedInvocations();
  assert.equal(expected.length, 12);
  const inv = results.find((r) => r.Id === 'inv')!;
  const double = results.find((r) => r.Id === 'double')!;
  assert.equal(inv.StatusCode, 'Complete', label);
  assert.deepEqual(
    inv.Timestamps.map((t, i) => [ms(t), inv.Values[i]]),
    [...expected].reverse(),
    `${label}: newest first (ScanBy defaults to TimestampDescending)`,
  );
  assert.deepEqual(double.Values, [...expected].reverse().map(([, v]) => v * 2), label);
}

before(async () => {
  if (skip) return;
  let endpoint = '';
  world = createFixtureWorld({baseUrl: () => endpoint});
  sim = await startSimulator({world, tickMs: 0});
  endpoint = sim.endpoint;
  const url = world.sqs.getQueueUrl('order-processor-dlq');
  world.sqs.send(url, {
    body: '{"order":1}',
    messageAttributes: {
      RequestID: {DataType: 'String', StringValue: 'req-1'},
      ErrorCode: {DataType: 'Number', StringValue: '200'},
      ErrorMessage: {DataType: 'String', StringValue: 'Task timed out after 10.00 seconds'},
    },
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'lambda-top-awscli-'));
});

after(async () => {
  await sim?.stop();
  if (dataDir) await rm(dataDir, {recursive: true, force: true});
});

test(`AWS CLI (${awsVersion ?? 'not installed'}) reads SQS, Lambda and Logs answers`, {skip}, async () => {
  const dlqUrl = `${sim.endpoint}/${ACCOUNT}/order-processor-dlq`;
  const [receive, invokeConfig, missingConfig, configuration, logs, invoke, missingQueue] = await Promise.all([
    aws(['sqs', 'receive-message', '--queue-url', dlqUrl, '--max-number-of-messages', '10', '--attribute-names', 'All', '--message-attribute-names', 'All', '--visibility-timeout', '0']),
    aws(['lambda', 'get-function-event-invoke-config', '--function-name', 'order-processor']),
    aws(['lambda', 'get-function-event-invoke-config', '--function-name', 'thumbnailer']),
    aws(['lambda', 'get-function-configuration', '--function-name', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:order-processor`]),
    aws(['logs', 'filter-log-events', '--log-group-name', '/aws/lambda/order-processor', '--filter-pattern', `"${REQUEST_ID}"`]),
    aws(['lambda', 'invoke', '--function-name', 'order-processor', '--invocation-type', 'Event', '--payload', '{"from":"cli"}', path.join(dataDir!, 'invoke-out.json')]),
    aws(['sqs', 'get-queue-url', '--queue-name', 'no-such-queue']),
  ]);

  const messages = parsed(receive).Messages as Array<{Body: string; MD5OfBody: string; Attributes: Record<string, string>; MessageAttributes: Record<string, {DataType: string; StringValue: string}>}>;
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.Body, '{"order":1}');
  assert.equal(messages[0]!.Attributes.ApproximateReceiveCount, '1');
  assert.deepEqual(messages[0]!.MessageAttributes.ErrorCode, {DataType: 'Number', StringValue: '200'});
  assert.equal(messages[0]!.MessageAttributes.ErrorMessage?.StringValue, 'Task timed out after 10.00 seconds');

  const config = parsed(invokeConfig);
  assert.equal(config.MaximumRetryAttempts, 2);
  assert.equal(config.MaximumEventAgeInSeconds, 3600);
  assert.deepEqual(config.DestinationConfig, {OnSuccess: {}, OnFailure: {Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:order-failures`}});

  assert.notEqual(missingConfig.code, 0);
  assert.match(missingConfig.stderr, /ResourceNotFoundException.*GetFunctionEventInvokeConfig/);

  const fn = parsed(configuration);
  assert.equal(fn.FunctionName, 'order-processor');
  assert.equal(fn.Timeout, 10);
  assert.deepEqual(fn.DeadLetterConfig, {TargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:order-processor-dlq`});

  const events = parsed(logs).events as Array<{message: string; logStreamName: string; eventId: string}>;
  assert.equal(events.length, 4);
  assert.ok(events.every((e) => e.message.includes(REQUEST_ID) && e.logStreamName && e.eventId));
  assert.match(events[3]!.message, /^REPORT RequestId: /);

  assert.equal(parsed(invoke).StatusCode, 202);
  assert.ok(world.invocations.some((i) => i.payload === '{"from":"cli"}' && i.type === 'Event'));

  assert.notEqual(missingQueue.code, 0);
  assert.match(missingQueue.stderr, /AWS\.SimpleQueueService\.NonExistentQueue/);
});

test('AWS CLI GetMetricData in all three encodings (JSON 1.0, RPC v2 CBOR, awsQuery) gives the same values', {skip}, async () => {
  const [cbor, query] = await Promise.all([narrowedModel(dataDir!, 'smithy-rpc-v2-cbor'), narrowedModel(dataDir!, 'query')]);
  const args = ['cloudwatch', 'get-metric-data', ...WINDOW, '--metric-data-queries', QUERIES];
  const [json, viaCbor, viaQuery, invalid] = await Promise.all([
    aws(args),
    cbor ? aws(args, {AWS_DATA_PATH: cbor}) : Promise.resolve(null),
    query ? aws(args, {AWS_DATA_PATH: query}) : Promise.resolve(null),
    aws(['cloudwatch', 'get-metric-data', '--start-time', WINDOW[3]!, '--end-time', WINDOW[1]!, '--metric-data-queries', QUERIES]),
  ]);
  checkMetricData(parsed(json), 'json');
  assert.ok(viaCbor && viaQuery, 'could not write narrowed botocore models (python3 + botocore needed)');
  checkMetricData(parsed(viaCbor), 'rpc-v2-cbor');
  checkMetricData(parsed(viaQuery), 'query');
  assert.notEqual(invalid.code, 0);
  assert.match(invalid.stderr, /\(ValidationError\).*StartTime must be less than/);
});
