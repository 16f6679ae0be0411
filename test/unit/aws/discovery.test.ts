import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {AwsClients} from '../../../source/aws/clients.ts';
import {discoverTopology, FunctionNotFoundError, parseRedrivePolicy} from '../../../source/aws/discovery.ts';
import {queueRolesOf, resolveQueues} from '../../../source/aws/queues.ts';

const ACCOUNT = '444455556666';
type Handler = (input: Record<string, unknown>) => unknown;

function fake(handlers: Record<string, Handler>) {
  const calls: Array<{name: string; input: Record<string, unknown>}> = [];
  const client = {
    async send(command: {constructor: {name: string}; input: Record<string, unknown>}) {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push({name, input: command.input});
      const handler = handlers[name];
      if (!handler) throw Object.assign(new Error(`no ${name}`), {name: 'UnknownOperationException', $metadata: {httpStatusCode: 400}});
      return handler(command.input);
    },
  };
  const clients = {lambda: client, sqs: client, cloudwatch: client, logs: client, region: async () => 'ap-south-1', destroy() {}} as unknown as AwsClients;
  return {clients, calls};
}

const err = (name: string, status: number, message = name) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status}});
const fnArn = (q = '') => `arn:aws:lambda:ap-south-1:${ACCOUNT}:function:pay${q}`;
const config = (input: Record<string, unknown>) => ({FunctionName: 'pay', FunctionArn: fnArn(input['Qualifier'] ? `:${String(input['Qualifier'])}` : ''), Timeout: 20, MemorySize: 128, Runtime: 'python3.12'});

test('every optional call failing differently: recorded in unknown with a reason each; discovery still answers', async () => {
  const {clients} = fake({
    GetFunctionConfiguration: config,
    GetFunctionEventInvokeConfig: () => {
      throw err('AccessDeniedException', 403);
    },
    GetFunctionConcurrency: () => {
      throw err('TooManyRequestsException', 429, 'Rate exceeded');
    },
    GetAccountSettings: () => {
      throw Object.assign(new SyntaxError('Unexpected token < Deserialization error'), {$metadata: {httpStatusCode: 404}});
    },
    ListProvisionedConcurrencyConfigs: () => {
      throw err('ServiceException', 500, 'internal');
    },
    // ListEventSourceMappings missing entirely -> UnknownOperationException
  });
  const topology = await discoverTopology(clients, {functionName: 'pay', now: () => 5});
  assert.equal(topology.timeoutSeconds, 20);
  assert.equal(topology.accountId, ACCOUNT);
  assert.equal(topology.region, 'ap-south-1');
  assert.equal(topology.maximumRetryAttempts, null);
  assert.equal(topology.onFailure, null);
  assert.equal(topology.reservedConcurrency, null);
  assert.deepEqual(Object.keys(topology.unknown).sort(), ['account', 'eventSources', 'maximumEventAgeSeconds', 'maximumRetryAttempts', 'onFailure', 'onSuccess', 'provisioned', 'reservedConcurrency']);
  assert.equal(topology.unknown['onFailure'], `Access denied: your credentials may not call lambda:GetFunctionEventInvokeConfig on pay`);
  assert.match(topology.unknown['reservedConcurrency']!, /Throttled/);
  assert.equal(topology.unknown['account'], 'The endpoint does not support lambda:GetAccountSettings');
  assert.match(topology.unknown['provisioned']!, /ListProvisionedConcurrencyConfigs failed/);
  assert.equal(topology.unknown['eventSources'], 'The endpoint does not support lambda:ListEventSourceMappings');
});

test('paging, SQS sources with their redrive policy, qualifier and destinations', async () => {
  const {clients, calls} = fake({
    GetFunctionConfiguration: (input) => ({...config(input), DeadLetterConfig: {TargetArn: `arn:aws:sns:ap-south-1:${ACCOUNT}:pay-dlq-topic`}, LoggingConfig: {LogGroup: '/custom/pay'}}),
    GetFunctionEventInvokeConfig: () => ({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 120,
      DestinationConfig: {OnFailure: {Destination: `arn:aws:events:ap-south-1:${ACCOUNT}:event-bus/failures`}, OnSuccess: {Destination: `arn:aws:sqs:ap-south-1:${ACCOUNT}:done`}},
    }),
    GetFunctionConcurrency: () => ({ReservedConcurrentExecutions: 0}),
    GetAccountSettings: () => ({AccountLimit: {ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 900}}),
    ListProvisionedConcurrencyConfigs: (input) =>
      input['Marker']
        ? {ProvisionedConcurrencyConfigs: [{FunctionArn: fnArn(':live'), RequestedProvisionedConcurrentExecutions: 3, AllocatedProvisionedConcurrentExecutions: 3, AvailableProvisionedConcurrentExecutions: 1, Status: 'READY'}]}
        : {ProvisionedConcurrencyConfigs: [{FunctionArn: fnArn(':canary'), RequestedProvisionedConcurrentExecutions: 1, Status: 'IN_PROGRESS'}], NextMarker: 'p2'},
    ListEventSourceMappings: (input) =>
      input['Marker']
        ? {EventSourceMappings: [{UUID: 'u2', EventSourceArn: `arn:aws:kinesis:ap-south-1:${ACCOUNT}:stream/s`, State: 'Enabled', BatchSize: 100}]}
        : {EventSourceMappings: [{UUID: 'u1', EventSourceArn: `arn:aws:sqs:ap-south-1:999988887777:payments`, State: 'Enabled', BatchSize: 10, ScalingConfig: {MaximumConcurrency: 4}}], NextMarker: 'm2'},
    GetQueueUrl: (input) => ({QueueUrl: `https://sqs.ap-south-1.amazonaws.com/${String(input['QueueOwnerAWSAccountId'])}/${String(input['QueueName'])}`}),
    GetQueueAttributes: () => ({Attributes: {RedrivePolicy: JSON.stringify({deadLetterTargetArn: `arn:aws:sqs:ap-south-1:999988887777:payments-dlq`, maxReceiveCount: '1'}), VisibilityTimeout: '20'}}),
  });
  const topology = await discoverTopology(clients, {functionName: 'pay', qualifier: 'live'});
  assert.deepEqual(topology.unknown, {});
  assert.equal(topology.qualifier, 'live');
  assert.equal(topology.logGroup, '/custom/pay');
  assert.equal(topology.reservedConcurrency, 0, 'zero is a value, not absent');
  assert.equal(topology.maximumRetryAttempts, 0);
  assert.equal(topology.maximumEventAgeSeconds, 120);
  assert.deepEqual(topology.deadLetterTarget, {arn: `arn:aws:sns:ap-south-1:${ACCOUNT}:pay-dlq-topic`, kind: 'sns', name: 'pay-dlq-topic'});
  assert.equal(topology.onFailure?.kind, 'eventbridge');
  assert.equal(topology.onSuccess?.name, 'done');
  assert.deepEqual(topology.account, {concurrentExecutions: 1000, unreservedConcurrentExecutions: 900});
  assert.deepEqual(topology.provisioned, [{qualifier: 'live', requested: 3, allocated: 3, available: 1, status: 'READY'}], 'only the watched qualifier');
  assert.deepEqual(topology.eventSources.map((e) => [e.uuid, e.batchSize, e.maximumConcurrency, e.visibilityTimeoutSeconds, e.redrive?.maxReceiveCount ?? null, e.queueUrl]), [
    ['u1', 10, 4, 20, 1, 'https://sqs.ap-south-1.amazonaws.com/999988887777/payments'],
    ['u2', 100, null, null, null, null],
  ]);
  // qualifier sent where Lambda takes one; mappings listed by the qualified ARN
  assert.equal(calls.find((c) => c.name === 'GetFunctionConfiguration')!.input['Qualifier'], 'live');
  assert.equal(calls.find((c) => c.name === 'GetFunctionEventInvokeConfig')!.input['Qualifier'], 'live');
  assert.equal(calls.find((c) => c.name === 'ListEventSourceMappings')!.input['FunctionName'], fnArn(':live'));
  assert.equal(calls.filter((c) => c.name === 'ListEventSourceMappings').length, 2);
  assert.equal(calls.find((c) => c.name === 'GetQueueUrl')!.input['QueueOwnerAWSAccountId'], '999988887777');
  // queue roles of this topology: the SNS DLQ and EventBridge destination are not queues
  assert.deepEqual(queueRolesOf(topology).map((r) => [r.role, r.name]), [['on-success', 'done'], ['source', 'payments'], ['source-dlq', 'payments-dlq']]);
});

test('unknown function: FunctionNotFoundError names function, region and the account from the error ARN', async () => {
  const {clients} = fake({
    GetFunctionConfiguration: () => {
      throw err('ResourceNotFoundException', 404, `Function not found: arn:aws:lambda:ap-south-1:${ACCOUNT}:function:ghost`);
    },
  });
  await assert.rejects(discoverTopology(clients, {functionName: 'ghost'}), (e: unknown) => {
    assert.ok(e instanceof FunctionNotFoundError);
    assert.equal(e.message, `Function ghost not found in ap-south-1 (account ${ACCOUNT}): check the name, --region and --profile`);
    return true;
  });
  const {clients: bare} = fake({GetFunctionConfiguration: () => {
    throw err('ResourceNotFoundException', 404, 'gone');
  }});
  await assert.rejects(discoverTopology(bare, {functionName: 'ghost'}), {message: /^Function ghost not found in ap-south-1 \(account this account\)/});
  // other failures of the one required call are thrown classified
  const {clients: denied} = fake({GetFunctionConfiguration: () => {
    throw err('AccessDeniedException', 403);
  }});
  await assert.rejects(discoverTopology(denied, {functionName: 'pay'}), {name: 'AwsCallError', message: 'Access denied: your credentials may not call lambda:GetFunctionConfiguration on pay'});
});

test('a function ARN is accepted as the name', async () => {
  const {clients, calls} = fake({GetFunctionConfiguration: config, GetFunctionEventInvokeConfig: () => {
    throw err('ResourceNotFoundException', 404);
  }});
  const topology = await discoverTopology(clients, {functionName: fnArn(':prod')});
  assert.equal(topology.name, 'pay');
  assert.equal(topology.qualifier, 'prod');
  assert.equal(calls[0]!.input['FunctionName'], fnArn());
  assert.equal(calls[0]!.input['Qualifier'], 'prod');
  assert.equal(topology.maximumRetryAttempts, 2, 'never configured: defaults');
});

test('resolveQueues: a throttled GetQueueUrl throws (the poller backs off) instead of claiming the queue is gone', async () => {
  const {clients} = fake({
    GetFunctionConfiguration: (input) => ({...config(input), DeadLetterConfig: {TargetArn: `arn:aws:sqs:ap-south-1:${ACCOUNT}:pay-dlq`}}),
    GetQueueUrl: () => {
      throw err('RequestThrottled', 400);
    },
  });
  const topology = await discoverTopology(clients, {functionName: 'pay'});
  await assert.rejects(resolveQueues(clients, topology), {name: 'AwsCallError'});
});

test('parseRedrivePolicy', () => {
  assert.deepEqual(parseRedrivePolicy('{"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":"3"}'), {deadLetterTargetArn: 'arn:aws:sqs:r:1:d', maxReceiveCount: 3});
  assert.deepEqual(parseRedrivePolicy('{"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":5}'), {deadLetterTargetArn: 'arn:aws:sqs:r:1:d', maxReceiveCount: 5});
  for (const bad of [undefined, '', 'not json', '{}', '{"deadLetterTargetArn":"x"}', '{"maxReceiveCount":1}']) assert.equal(parseRedrivePolicy(bad), null);
});

test('knownSource: a source queue read recently is described from that read (no GetQueueUrl / GetQueueAttributes); others are read', async () => {
  const src = (n: string) => `arn:aws:sqs:ap-south-1:${ACCOUNT}:${n}`;
  const {clients, calls} = fake({
    GetFunctionConfiguration: config,
    GetFunctionEventInvokeConfig: () => ({}),
    GetFunctionConcurrency: () => ({}),
    GetAccountSettings: () => ({}),
    ListProvisionedConcurrencyConfigs: () => ({}),
    ListEventSourceMappings: () => ({EventSourceMappings: [{UUID: 'a', EventSourceArn: src('known')}, {UUID: 'b', EventSourceArn: src('new')}]}),
    GetQueueUrl: (input) => ({QueueUrl: `https://sqs.example/${String(input['QueueName'])}`}),
    GetQueueAttributes: () => ({Attributes: {VisibilityTimeout: '90'}}),
  });
  const known = {url: 'https://sqs.example/known', redrive: {deadLetterTargetArn: src('known-dlq'), maxReceiveCount: 3}, visibilityTimeoutSeconds: 120};
  const topology = await discoverTopology(clients, {functionName: 'pay', knownSource: (arn) => (arn === src('known') ? known : undefined)});
  const [a, b] = topology.eventSources;
  assert.deepEqual({url: a!.queueUrl, redrive: a!.redrive, vt: a!.visibilityTimeoutSeconds}, {url: known.url, redrive: known.redrive, vt: 120});
  assert.deepEqual({url: b!.queueUrl, vt: b!.visibilityTimeoutSeconds}, {url: 'https://sqs.example/new', vt: 90});
  assert.deepEqual(calls.filter((c) => c.name === 'GetQueueUrl').map((c) => c.input['QueueName']), ['new'], 'only the source not read yet');
  assert.equal(calls.filter((c) => c.name === 'GetQueueAttributes').length, 1);
});
