// The Lambda API surface of the world: invoke (Event / RequestResponse / DryRun), limits, errors, name resolution.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {testScenario, ALWAYS_FAILS} from '../../../source/sim/lambda/testing.ts';
import type {Scenario} from '../../../source/sim/lambda/scenario.ts';
import {LambdaError} from '../../../source/sim/ports.ts';
import {MIN, S, T0, modelWorld} from '../../helpers/model-world.ts';


function world(scenario: Scenario) {
  const {w, clock, run} = modelWorld(scenario, {seed: 9, stepMs: 5 * S});
  return {w, clock, run};
}

const isLambdaError = (type: string, status: number, message?: RegExp | string) => (e: unknown) => {
  assert.ok(e instanceof LambdaError, String(e));
  assert.equal(e.type, type);
  assert.equal(e.status, status);
  if (typeof message === 'string') assert.equal(e.message, message);
  else if (message) assert.match(e.message, message);
  return true;
};

test('invoke Event: 202, the event enters the model and its fate follows the scenario (redrive re-entry)', () => {
  // the function fails for the first 10 minutes of the scenario, then is "fixed"
  const {w, run} = world(
    testScenario({
      queues: [{name: 'dlq'}],
      functions: [{name: 'fn', deadLetterQueue: {queue: 'dlq'}, eventInvokeConfig: {maximumRetryAttempts: 0}, behavior: {errors: [{kind: 'unhandled', rate: [[0, 1], [10, 1], [10.01, 0]], errorType: 'Error', errorMessage: 'bug'}]}}],
    }),
  );
  const before = w.invoke('fn', '{"id":1}', 'Event');
  assert.deepEqual([before.statusCode, before.executedVersion], [202, '$LATEST']);
  run(1 * MIN);
  const dlqUrl = w.sqs.getQueueUrl('dlq');
  const [failed] = w.sqs.receive(dlqUrl, {maxNumberOfMessages: 1, messageAttributeNames: ['All']});
  assert.ok(failed);
  run(10 * MIN); // the fix is in
  // redrive: receive -> Invoke(Event) with the original payload -> delete after the 202
  const redriven = w.invoke('fn', failed.Body, 'Event');
  assert.equal(redriven.statusCode, 202);
  assert.notEqual(redriven.requestId, before.requestId);
  w.sqs.deleteMessage(dlqUrl, failed.ReceiptHandle);
  run(1 * MIN);
  const stats = w.asyncStats('fn');
  assert.deepEqual([stats.received, stats.succeeded, stats.deliveredToFailureTarget], [2, 1, 1]);
  assert.equal(w.sqs.stats(dlqUrl).total, 0);
  assert.equal(w.mutations.Invoke, 2);
});

test('invoke RequestResponse: runs now and answers with the function error and payload', () => {
  const {w} = world(
    testScenario({
      functions: [
        {name: 'ok', behavior: {successPayload: {statusCode: 200, body: 'done'}}},
        {name: 'bad', behavior: ALWAYS_FAILS},
      ],
    }),
  );
  const ok = w.invoke('ok', '{"q":1}', 'RequestResponse');
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.functionError, undefined);
  assert.deepEqual(JSON.parse(ok.payload!), {statusCode: 200, body: 'done'});
  const bad = w.invoke('bad', '{}', 'RequestResponse');
  assert.equal(bad.statusCode, 200);
  assert.equal(bad.functionError, 'Unhandled');
  assert.deepEqual(Object.keys(JSON.parse(bad.payload!)).sort(), ['errorMessage', 'errorType', 'stackTrace']);
  const dry = w.invoke('ok', '{}', 'DryRun');
  assert.equal(dry.statusCode, 204);
  assert.equal(w.asyncStats('ok').received, 0, 'sync invokes are not async events');
});

test('limits and errors: 1 MB async, 6 MB sync, invalid JSON, unknown function or qualifier, throttled sync invoke', () => {
  const {w} = world(testScenario({functions: [{name: 'fn', reservedConcurrency: 1, timeoutSeconds: 60, behavior: {durationMs: {median: 30_000, p99: 30_001}}, alias: {name: 'live', version: '3'}}]}));
  const mb = (n: number) => JSON.stringify({b: 'x'.repeat(n * 1024 * 1024 - 8)});
  assert.throws(() => w.invoke('fn', mb(1) + ' '.repeat(10), 'Event'), isLambdaError('RequestEntityTooLargeException', 413, /1048576 bytes/));
  assert.throws(() => w.invoke('fn', mb(6) + ' '.repeat(10), 'RequestResponse'), isLambdaError('RequestEntityTooLargeException', 413, /6291456 bytes/));
  assert.throws(() => w.invoke('fn', '{not json', 'Event'), isLambdaError('InvalidRequestContentException', 400, /Could not parse request body into json/));
  assert.throws(() => w.invoke('missing', '{}', 'Event'), isLambdaError('ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing'));
  assert.throws(() => w.invoke('fn', '{}', 'Event', 'prod'), isLambdaError('ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:prod'));
  assert.throws(() => w.getFunction('arn:aws:lambda:eu-west-1:123456789012:function:fn'), isLambdaError('ResourceNotFoundException', 404));
  assert.equal(w.invoke('fn', '{}', 'RequestResponse', 'live').executedVersion, '3');
  assert.throws(() => w.invoke('fn', '{}', 'RequestResponse'), isLambdaError('TooManyRequestsException', 429, 'Rate Exceeded.'));
  assert.equal(w.invoke('fn', '', 'Event').statusCode, 202, 'an empty payload is accepted');
  assert.equal(w.mutations.Invoke, 8, 'every Invoke call counts, refused ones too');
});

test('configuration: names, partial and full ARNs, qualifiers, event invoke config, concurrency, account, mappings', () => {
  const {w} = world(
    testScenario({
      queues: [{name: 'dlq'}, {name: 'src', visibilityTimeoutSeconds: 90}],
      functions: [
        {name: 'fn', reservedConcurrency: 7, deadLetterQueue: {queue: 'dlq'}, eventInvokeConfig: {maximumRetryAttempts: 1, maximumEventAgeInSeconds: 900, onFailure: {function: 'other'}}, alias: {name: 'live', version: '4'}},
        {name: 'other'},
      ],
      eventSourceMappings: [{queue: 'src', function: 'other', batchSize: 5, maximumConcurrency: 3}],
      accountConcurrency: 200,
    }),
  );
  const arn = 'arn:aws:lambda:us-east-1:123456789012:function:fn';
  for (const name of ['fn', arn, '123456789012:function:fn']) assert.equal(w.getFunction(name).FunctionArn, arn);
  const qualified = w.getFunction(`${arn}:live`);
  assert.deepEqual([qualified.FunctionArn, qualified.Version], [`${arn}:live`, '4']);
  const config = w.getFunction('fn');
  assert.deepEqual([config.Timeout, config.MemorySize, config.DeadLetterConfig?.TargetArn, config.LoggingConfig.LogGroup], [10, 128, 'arn:aws:sqs:us-east-1:123456789012:dlq', '/aws/lambda/fn']);
  const eic = w.getEventInvokeConfig('fn')!;
  assert.deepEqual([eic.MaximumRetryAttempts, eic.MaximumEventAgeInSeconds, eic.DestinationConfig.OnFailure.Destination, eic.DestinationConfig.OnSuccess.Destination], [1, 900, 'arn:aws:lambda:us-east-1:123456789012:function:other', undefined]);
  assert.equal(w.getEventInvokeConfig('other'), undefined, 'never set');
  assert.equal(w.getReservedConcurrency('fn'), 7);
  assert.equal(w.getReservedConcurrency('other'), undefined);
  const account = w.getAccountSettings();
  assert.deepEqual([account.AccountLimit.ConcurrentExecutions, account.AccountLimit.UnreservedConcurrentExecutions, account.AccountUsage.FunctionCount], [200, 193, 2]);
  const [mapping] = w.listEventSourceMappings({functionName: 'other'});
  assert.ok(mapping);
  assert.deepEqual([mapping.EventSourceArn, mapping.BatchSize, mapping.ScalingConfig?.MaximumConcurrency, mapping.State], ['arn:aws:sqs:us-east-1:123456789012:src', 5, 3, 'Enabled']);
  assert.deepEqual(w.listEventSourceMappings({functionName: 'fn'}), []);
  assert.equal(w.listEventSourceMappings({eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:src'}).length, 1);
  assert.deepEqual(w.listFunctions().map((f) => f.FunctionName), ['fn', 'other']);
  // returned objects are copies
  w.getFunction('fn').Timeout = 1;
  assert.equal(w.getFunction('fn').Timeout, 10);
});
