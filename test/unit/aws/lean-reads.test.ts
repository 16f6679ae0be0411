// The dashboard's lean reads (aws/lean-reads.ts: Lambda, SQS, CloudWatch, CloudWatch Logs, IAM) side by side with the pinned SDK, against one local HTTP server that
// records each request and plays back canned answers: the same route, query, protocol headers and body, signed for
// the same key, region and service; the same output shapes (timestamps as Date); and failures that aws/errors.ts
// classifies the same way (kind, message, retryable), with the same message the SDK gives (discovery reads the
// account id from a not-found message). Both to one custom endpoint (--endpoint-url, the demo) and as against AWS
// itself (no custom endpoint: each service's endpoint resolved from the configuration, here AWS_ENDPOINT_URL).
import {test, after} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {GetAccountSettingsCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, ListEventSourceMappingsCommand, ListProvisionedConcurrencyConfigsCommand} from '@aws-sdk/client-lambda';
import {GetQueueAttributesCommand, GetQueueUrlCommand} from '@aws-sdk/client-sqs';
import {GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {ListAccountAliasesCommand} from '@aws-sdk/client-iam';
import {createClients, type AwsClients} from '../../../source/aws/clients.ts';
import {classifyAwsError, isAbortError} from '../../../source/aws/errors.ts';

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  target: string | undefined;
  queryMode: string | undefined;
  service: string | undefined;
  /** The credential scope's key id, region and service (the signing date aside). */
  scope: string | undefined;
  body: unknown;
}
interface Canned {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

let answer: Canned = {status: 200, body: '{}'};
const recorded: Recorded[] = [];
const server = http.createServer((req, res) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (text += c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    recorded.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      target: req.headers['x-amz-target'] as string | undefined,
      queryMode: req.headers['x-amzn-query-mode'] as string | undefined,
      service: /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1],
      scope: /Credential=([^/]+)\/\d+\/([^/]+\/[^/]+)\/aws4_request/.exec(String(req.headers.authorization))?.slice(1).join(' '),
      body,
    });
    res.writeHead(answer.status, {'content-type': 'application/json', ...answer.headers});
    res.end(answer.body);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const connection = {endpoint, region: 'us-east-1', credentials: {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret'}, maxAttempts: 1};
const sdk = createClients({...connection, leanReads: false});
const lean = createClients(connection);
after(() => {
  sdk.destroy();
  lean.destroy();
  server.close();
});

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:order-processor';
const QUEUE_URL = `${endpoint}/123456789012/orders-dlq`;
const START = new Date(Date.UTC(2026, 11, 1, 10, 0, 0));
const END = new Date(Date.UTC(2026, 11, 1, 10, 15, 0));
const metricQuery = {MetricDataQueries: [{Id: 'm0_errors', ReturnData: true, MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{Name: 'FunctionName', Value: 'order-processor'}]}, Period: 60, Stat: 'Sum'}}], StartTime: START, EndTime: END, ScanBy: 'TimestampAscending' as const};

const logQuery = {logGroupName: '/aws/lambda/order-processor', startTime: 1764583200000, endTime: 1764583500000, filterPattern: '?"e4b4" ?"f00d"', limit: 100, nextToken: 'tok+/='};

/** One operation both ways: how the SDK sends it, and how the lean reads do. */
interface Operation {
  name: string;
  sdk: (c: AwsClients) => Promise<unknown>;
  lean: (c: AwsClients) => Promise<unknown>;
  /** A success answer holding only members of the operation's output shape. */
  ok: string;
}
const operations: Operation[] = [
  {
    name: 'GetFunctionConfiguration',
    sdk: (c) => c.lambda.send(new GetFunctionConfigurationCommand({FunctionName: FN, Qualifier: 'live'})),
    lean: (c) => c.reads!.getFunctionConfiguration({FunctionName: FN, Qualifier: 'live'}),
    ok: JSON.stringify({FunctionName: 'order-processor', FunctionArn: `${FN}:live`, Runtime: 'nodejs22.x', Timeout: 30, MemorySize: 512, LastModified: '2026-11-30T10:00:00.000+0000', DeadLetterConfig: {TargetArn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq'}, LoggingConfig: {LogGroup: '/aws/lambda/order-processor', LogFormat: 'Text'}}),
  },
  {
    name: 'GetFunctionEventInvokeConfig',
    sdk: (c) => c.lambda.send(new GetFunctionEventInvokeConfigCommand({FunctionName: FN})),
    lean: (c) => c.reads!.getFunctionEventInvokeConfig({FunctionName: FN}),
    ok: JSON.stringify({FunctionArn: FN, LastModified: 1764583200.5, MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600, DestinationConfig: {OnFailure: {Destination: 'arn:aws:sqs:us-east-1:123456789012:orders-failed'}, OnSuccess: {}}}),
  },
  {
    name: 'GetFunctionConcurrency',
    sdk: (c) => c.lambda.send(new GetFunctionConcurrencyCommand({FunctionName: 'order-processor'})),
    lean: (c) => c.reads!.getFunctionConcurrency({FunctionName: 'order-processor'}),
    ok: JSON.stringify({ReservedConcurrentExecutions: 5}),
  },
  {
    name: 'GetAccountSettings',
    sdk: (c) => c.lambda.send(new GetAccountSettingsCommand({})),
    lean: (c) => c.reads!.getAccountSettings(),
    ok: JSON.stringify({AccountLimit: {TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 995}, AccountUsage: {TotalCodeSize: 1000, FunctionCount: 3}}),
  },
  {
    name: 'ListProvisionedConcurrencyConfigs',
    sdk: (c) => c.lambda.send(new ListProvisionedConcurrencyConfigsCommand({FunctionName: 'order-processor', Marker: 'page+2/=='})),
    lean: (c) => c.reads!.listProvisionedConcurrencyConfigs({FunctionName: 'order-processor', Marker: 'page+2/=='}),
    ok: JSON.stringify({ProvisionedConcurrencyConfigs: [{FunctionArn: `${FN}:live`, RequestedProvisionedConcurrentExecutions: 10, AvailableProvisionedConcurrentExecutions: 10, AllocatedProvisionedConcurrentExecutions: 10, Status: 'READY', LastModified: '2026-11-30T10:00:00+0000'}], NextMarker: 'next'}),
  },
  {
    name: 'ListEventSourceMappings',
    sdk: (c) => c.lambda.send(new ListEventSourceMappingsCommand({FunctionName: 'order-processor'})),
    lean: (c) => c.reads!.listEventSourceMappings({FunctionName: 'order-processor'}),
    ok: JSON.stringify({EventSourceMappings: [{UUID: 'a1b2', EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:orders', FunctionArn: FN, State: 'Enabled', BatchSize: 10, LastModified: 1764583200, ScalingConfig: {MaximumConcurrency: 5}}]}),
  },
  {
    name: 'GetQueueUrl',
    sdk: (c) => c.sqs.send(new GetQueueUrlCommand({QueueName: 'orders-dlq', QueueOwnerAWSAccountId: '123456789012'})),
    lean: (c) => c.reads!.getQueueUrl({QueueName: 'orders-dlq', QueueOwnerAWSAccountId: '123456789012'}),
    ok: JSON.stringify({QueueUrl: QUEUE_URL}),
  },
  {
    name: 'GetQueueAttributes',
    sdk: (c) => c.sqs.send(new GetQueueAttributesCommand({QueueUrl: QUEUE_URL, AttributeNames: ['ApproximateNumberOfMessages', 'RedrivePolicy']})),
    lean: (c) => c.reads!.getQueueAttributes({QueueUrl: QUEUE_URL, AttributeNames: ['ApproximateNumberOfMessages', 'RedrivePolicy']}),
    ok: JSON.stringify({Attributes: {ApproximateNumberOfMessages: '4', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:x","maxReceiveCount":"5"}'}}),
  },
  {
    name: 'GetMetricData',
    sdk: (c) => c.cloudwatch.send(new GetMetricDataCommand(metricQuery)),
    lean: (c) => c.reads!.getMetricData(metricQuery),
    ok: JSON.stringify({MetricDataResults: [{Id: 'm0_errors', Label: 'Errors', Timestamps: [1764583200, 1764583260.25], Values: [3, 0.5], StatusCode: 'Complete'}], Messages: [], NextToken: 'tok'}),
  },
  {
    name: 'FilterLogEvents',
    sdk: (c) => c.logs.send(new FilterLogEventsCommand(logQuery)),
    lean: (c) => c.reads!.filterLogEvents(logQuery),
    ok: JSON.stringify({events: [{logStreamName: '2026/12/01/[$LATEST]abc', timestamp: 1764583200123, message: 'START RequestId: e4b4 Version: $LATEST\n', ingestionTime: 1764583201000, eventId: '3800'}], searchedLogStreams: [], nextToken: 'page-2'}),
  },
  {
    name: 'ListAccountAliases',
    sdk: (c) => c.iam.send(new ListAccountAliasesCommand({})),
    lean: (c) => c.reads!.listAccountAliases(),
    ok: '<ListAccountAliasesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n  <ListAccountAliasesResult>\n    <IsTruncated>true</IsTruncated>\n    <AccountAliases>\n      <member>orders-prod</member>\n      <member>a&amp;b</member>\n    </AccountAliases>\n    <Marker>m&lt;1</Marker>\n  </ListAccountAliasesResult>\n  <ResponseMetadata>\n    <RequestId>c5a076e9-f1b0-11df-8fbe-45274EXAMPLE</RequestId>\n  </ResponseMetadata>\n</ListAccountAliasesResponse>',
  },
];

async function both(op: Operation, pair: {sdk: AwsClients; lean: AwsClients} = {sdk, lean}): Promise<{sdk: {request: Recorded; out: unknown; error: unknown}; lean: {request: Recorded; out: unknown; error: unknown}}> {
  const run = async (f: () => Promise<unknown>) => {
    const before = recorded.length;
    let out: unknown = null;
    let error: unknown = null;
    try {
      out = await f();
    } catch (e) {
      error = e;
    }
    assert.equal(recorded.length, before + 1, `${op.name}: one request`);
    return {request: recorded[before]!, out, error};
  };
  return {sdk: await run(() => op.sdk(pair.sdk)), lean: await run(() => op.lean(pair.lean))};
}

const withoutMetadata = (value: unknown) => {
  const {$metadata: _m, ...rest} = value as Record<string, unknown>;
  return rest;
};

async function sameRequestsAndOutputs(pair: {sdk: AwsClients; lean: AwsClients}): Promise<void> {
  for (const op of operations) {
    answer = {status: 200, body: op.ok, ...(op.name === 'ListAccountAliases' ? {headers: {'content-type': 'text/xml'}} : {})};
    const {sdk: s, lean: l} = await both(op, pair);
    assert.equal(s.error, null, `${op.name}: SDK ${String(s.error)}`);
    assert.equal(l.error, null, `${op.name}: lean ${String(l.error)}`);
    const comparable = (r: Recorded) => ({...r, contentType: r.body === null ? undefined : r.contentType});
    assert.deepEqual(comparable(l.request), comparable(s.request), `${op.name}: request`);
    assert.deepEqual(l.out, withoutMetadata(s.out), `${op.name}: output`);
  }
}

test('every lean read sends the request the SDK sends and returns the output it returns', async () => {
  await sameRequestsAndOutputs({sdk, lean});
});

/** Runs `body` with these AWS_* variables (and no others of theirs) set. */
async function withAwsEnv(env: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const saved = {...process.env};
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true'}, env);
  try {
    await body();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

test('as against AWS itself (no custom endpoint): the same requests, signed for the same region and service, and outputs', async () => {
  // Each service's endpoint is resolved from the configuration as the SDK resolves it (AWS_ENDPOINT_URL here, so
  // that the answers come from the recording server); region, credentials and maxAttempts from the default chain.
  await withAwsEnv({AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDFROMENV', AWS_SECRET_ACCESS_KEY: 'secret', AWS_MAX_ATTEMPTS: '1'}, async () => {
    const pair = {sdk: createClients({leanReads: false, maxAttempts: 1}), lean: createClients({maxAttempts: 1})};
    try {
      assert.equal(pair.lean.endpoint, undefined);
      await sameRequestsAndOutputs(pair);
      assert.equal(recorded.at(-1)!.scope, 'AKIDFROMENV eu-west-1/iam');
    } finally {
      pair.sdk.destroy();
      pair.lean.destroy();
    }
  });
});

const ERRORS: Array<{what: string; ops: string[]; answer: Canned}> = [
  {what: 'Lambda not found', ops: ['GetFunctionConfiguration', 'GetFunctionEventInvokeConfig'], answer: {status: 404, headers: {'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda.model/'}, body: JSON.stringify({Type: 'User', Message: `Function not found: ${FN}`})}},
  {what: 'Lambda throttled', ops: ['GetFunctionConfiguration', 'ListEventSourceMappings'], answer: {status: 429, headers: {'x-amzn-errortype': 'TooManyRequestsException'}, body: JSON.stringify({Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded'})}},
  {what: 'Lambda access denied', ops: ['GetAccountSettings', 'GetFunctionConcurrency'], answer: {status: 403, headers: {'x-amzn-errortype': 'AccessDeniedException'}, body: JSON.stringify({Message: 'User: arn:aws:iam::123456789012:user/x is not authorized to perform: lambda:GetAccountSettings'})}},
  {what: 'bad credentials', ops: ['GetFunctionConfiguration'], answer: {status: 403, headers: {'x-amzn-errortype': 'UnrecognizedClientException'}, body: JSON.stringify({message: 'The security token included in the request is invalid.'})}},
  {what: 'expired token', ops: ['GetFunctionConfiguration', 'GetQueueAttributes', 'GetMetricData'], answer: {status: 403, headers: {'x-amzn-errortype': 'ExpiredTokenException'}, body: JSON.stringify({__type: 'ExpiredTokenException', message: 'The security token included in the request is expired'})}},
  {what: 'an emulator without the route (HTML 404)', ops: ['GetFunctionConcurrency', 'ListProvisionedConcurrencyConfigs'], answer: {status: 404, headers: {'content-type': 'text/html'}, body: '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>'}},
  {what: 'a server fault', ops: ['GetFunctionConfiguration', 'GetMetricData'], answer: {status: 500, headers: {'x-amzn-errortype': 'ServiceException'}, body: JSON.stringify({__type: 'ServiceException', message: 'internal'})}},
  {what: 'a 500 with no body', ops: ['GetAccountSettings', 'GetQueueAttributes'], answer: {status: 500, body: ''}},
  {what: 'SQS queue gone', ops: ['GetQueueUrl', 'GetQueueAttributes'], answer: {status: 400, headers: {'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender'}, body: JSON.stringify({__type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.'})}},
  {what: 'SQS throttled', ops: ['GetQueueAttributes'], answer: {status: 400, headers: {'x-amzn-query-error': 'RequestThrottled;Sender'}, body: JSON.stringify({__type: 'com.amazonaws.sqs#RequestThrottled', message: 'Rate exceeded'})}},
  {what: 'SQS access denied', ops: ['GetQueueAttributes'], answer: {status: 400, headers: {'x-amzn-query-error': 'AccessDenied;Sender'}, body: JSON.stringify({__type: 'com.amazon.coral.service#AccessDeniedException', message: 'Access to the resource is denied.'})}},
  {what: 'CloudWatch throttled', ops: ['GetMetricData'], answer: {status: 400, headers: {'x-amzn-query-error': 'Throttling;Sender'}, body: JSON.stringify({__type: 'com.amazonaws.cloudwatch#LimitExceededException', message: 'Rate exceeded'})}},
  {what: 'CloudWatch access denied', ops: ['GetMetricData'], answer: {status: 403, body: JSON.stringify({__type: 'com.amazon.coral.service#AccessDeniedException', Message: 'User is not authorized to perform: cloudwatch:GetMetricData'})}},
  {what: 'log group missing', ops: ['FilterLogEvents'], answer: {status: 400, body: JSON.stringify({__type: 'ResourceNotFoundException', message: 'The specified log group does not exist.'})}},
  {what: 'Logs throttled', ops: ['FilterLogEvents'], answer: {status: 400, body: JSON.stringify({__type: 'ThrottlingException', message: 'Rate exceeded'})}},
  {what: 'Logs access denied', ops: ['FilterLogEvents'], answer: {status: 400, body: JSON.stringify({__type: 'AccessDeniedException', message: 'User is not authorized to perform: logs:FilterLogEvents'})}},
  {what: 'CloudWatch invalid', ops: ['GetMetricData'], answer: {status: 400, headers: {'x-amzn-query-error': 'InvalidParameterValue;Sender'}, body: JSON.stringify({__type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'The value -1 for parameter Period is not valid.'})}},
  {what: 'IAM access denied', ops: ['ListAccountAliases'], answer: {status: 403, headers: {'content-type': 'text/xml'}, body: '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>AccessDenied</Code>\n    <Message>User: arn:aws:iam::123456789012:user/x is not authorized to perform: iam:ListAccountAliases on resource: *</Message>\n  </Error>\n  <RequestId>8a5f-example</RequestId>\n</ErrorResponse>'}},
  {what: 'IAM throttled', ops: ['ListAccountAliases'], answer: {status: 400, headers: {'content-type': 'text/xml'}, body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>'}},
  {what: 'IAM modeled error (the code names an exception)', ops: ['ListAccountAliases'], answer: {status: 409, headers: {'content-type': 'text/xml'}, body: '<ErrorResponse><Error><Type>Sender</Type><Code>LimitExceeded</Code><Message>too many</Message></Error><RequestId>3</RequestId></ErrorResponse>'}},
  {what: 'an emulator without IAM (HTML 404)', ops: ['ListAccountAliases'], answer: {status: 404, headers: {'content-type': 'text/html'}, body: '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>'}},
  {what: 'an emulator without IAM (JSON 400)', ops: ['ListAccountAliases'], answer: {status: 400, body: JSON.stringify({__type: 'UnknownOperationException', message: 'unknown action'})}},
  {what: 'IAM server fault', ops: ['ListAccountAliases'], answer: {status: 500, headers: {'content-type': 'text/xml'}, body: '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceFailure</Code><Message>internal</Message></Error><RequestId>2</RequestId></ErrorResponse>'}},
];

test('failures: the lean error classifies as the SDK\'s does (kind, message, retryable), with the SDK\'s message', async () => {
  for (const e of ERRORS) {
    answer = e.answer;
    for (const name of e.ops) {
      const op = operations.find((o) => o.name === name)!;
      const {sdk: s, lean: l} = await both(op);
      assert.ok(s.error && l.error, `${e.what} ${name}: both fail`);
      const action = ['GetQueueUrl', 'GetQueueAttributes'].includes(name) ? `sqs:${name}` : name === 'GetMetricData' ? `cloudwatch:${name}` : name === 'FilterLogEvents' ? `logs:${name}` : name === 'ListAccountAliases' ? `iam:${name}` : `lambda:${name}`;
      const context = {action, resource: 'order-processor', region: 'us-east-1', endpoint};
      assert.deepEqual(classifyAwsError(l.error, context), classifyAwsError(s.error, context), `${e.what} ${name}: classification`);
      assert.equal((l.error as Error).message, (s.error as Error).message, `${e.what} ${name}: message`);
    }
  }
});

test('an aborted read is an abort, as the SDK\'s is', async () => {
  answer = {status: 200, body: '{}'};
  const controller = new AbortController();
  controller.abort();
  const leanError = await lean.reads!.getAccountSettings({abortSignal: controller.signal}).catch((e: unknown) => e);
  const sdkError = await sdk.lambda.send(new GetAccountSettingsCommand({}), {abortSignal: controller.signal}).catch((e: unknown) => e);
  assert.equal(isAbortError(leanError), true);
  assert.equal(isAbortError(sdkError), true);
  const context = {action: 'lambda:GetAccountSettings'};
  assert.deepEqual(classifyAwsError(leanError, context), classifyAwsError(sdkError, context));
});

test('without credentials anywhere, the lean reads fail as the SDK does (the same provider chain)', async () => {
  const saved = {...process.env};
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true'});
  const noCredentials = {endpoint, region: 'us-east-1', maxAttempts: 1};
  const s = createClients({...noCredentials, leanReads: false});
  const l = createClients(noCredentials);
  try {
    const sdkError = await s.lambda.send(new GetAccountSettingsCommand({})).catch((e: unknown) => e);
    const leanError = await l.reads!.getAccountSettings().catch((e: unknown) => e);
    const context = {action: 'lambda:GetAccountSettings'};
    assert.equal(classifyAwsError(sdkError, context).kind, 'no-credentials');
    assert.deepEqual(classifyAwsError(leanError, context), classifyAwsError(sdkError, context));
  } finally {
    s.destroy();
    l.destroy();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});

test('the reads are lean against AWS itself too; leanReads: false keeps them on the SDK', () => {
  const aws = createClients({region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}});
  try {
    assert.ok(aws.reads);
    assert.ok(lean.reads);
    assert.equal(sdk.reads, undefined);
  } finally {
    aws.destroy();
  }
});
