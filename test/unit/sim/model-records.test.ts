// Section 2 of the reference: the invocation record and the DLQ message, delivery to SQS and Lambda targets,
// and what happens when a delivery fails (DeadLetterErrors, DestinationDeliveryFailures, AsyncEventsDropped).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {testScenario, ALWAYS_FAILS} from '../../../source/sim/lambda/testing.ts';
import type {Scenario} from '../../../source/sim/lambda/scenario.ts';
import {MIN, S, T0, modelWorld} from '../../helpers/model-world.ts';


function world(scenario: Scenario) {
  const {w, clock, run} = modelWorld(scenario, {seed: 3, stepMs: 5 * S});
  const peek = (queue: string) => w.sqs.peekAll(w.sqs.getQueueUrl(queue));
  const sum = (metricName: string, fn: string) =>
    w.queryMetric({namespace: 'AWS/Lambda', metricName, dimensions: {FunctionName: fn}, stat: 'Sum', periodSeconds: 86400, start: T0, end: T0 + 86400 * S}).reduce((a, [, v]) => a + v, 0);
  return {w, clock, run, peek, sum};
}

/** The "shape" of a JSON value: types of leaves, keys of objects (sorted), first element of arrays. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return v === null ? 'null' : typeof v;
}

// The example from the reference (section 2), as AWS documents it.
const AWS_EXAMPLE = {
  version: '1.0',
  timestamp: '2019-11-14T18:16:05.568Z',
  requestContext: {requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3},
  requestPayload: {ORDER_IDS: ['9e07af03-ce31-4ff3-xmpl-36dce652cb4f']},
  responseContext: {statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled'},
  responsePayload: {errorMessage: 'RequestId: e4b46cbf Process exited before completing request', errorType: 'Error', stackTrace: ['exports.handler (/var/task/index.js:18:18)']},
};

test('OnFailure record has the shape of the AWS example, with the function ARN qualified by $LATEST', () => {
  const {w, run, peek} = world(
    testScenario({
      queues: [{name: 'failures'}],
      functions: [{name: 'my-function', behavior: {errors: [{kind: 'unhandled', rate: 1, errorType: 'Error', errorMessage: 'boom', stack: ['exports.handler (/var/task/index.js:18:18)']}]}, eventInvokeConfig: {onFailure: {queue: 'failures'}}}],
    }),
  );
  const {requestId} = w.invoke('my-function', JSON.stringify({ORDER_IDS: ['9e07af03-ce31-4ff3-xmpl-36dce652cb4f']}), 'Event');
  run(5 * MIN);
  const [message] = peek('failures');
  assert.ok(message);
  const record = JSON.parse(message.body);
  assert.deepEqual(shape(record), shape(AWS_EXAMPLE));
  assert.equal(record.version, '1.0');
  assert.equal(record.requestContext.functionArn, 'arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST');
  assert.equal(record.requestContext.requestId, requestId);
  assert.deepEqual(record.requestPayload, {ORDER_IDS: ['9e07af03-ce31-4ff3-xmpl-36dce652cb4f']});
  assert.deepEqual(record.responseContext, {statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled'});
  assert.deepEqual(record.responsePayload, {errorMessage: 'boom', errorType: 'Error', stackTrace: ['exports.handler (/var/task/index.js:18:18)']});
  assert.match(record.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('the record is the JSON.stringify text of the record object: a caller\'s payload re-written, a plain string kept as a string', () => {
  const {w, run, peek} = world(
    testScenario({
      queues: [{name: 'failures'}],
      functions: [{name: 'fn', behavior: ALWAYS_FAILS, eventInvokeConfig: {maximumRetryAttempts: 0, onFailure: {queue: 'failures'}}}],
    }),
  );
  w.invoke('fn', '{ "b" : 1.50, "a": [1, {"\\u0041": "x"}], "1": null }', 'Event');
  run(5 * MIN);
  w.invoke('fn', '"just text"', 'Event');
  run(5 * MIN);
  const bodies = peek('failures').map((m) => m.body);
  assert.equal(bodies.length, 2);
  for (const body of bodies) assert.equal(body, JSON.stringify(JSON.parse(body)), 'canonical JSON text');
  assert.match(bodies[0]!, /,"requestPayload":\{"1":null,"b":1\.5,"a":\[1,\{"A":"x"\}\]\},"responseContext":/);
  assert.match(bodies[1]!, /,"requestPayload":"just text",/);
});

test('a timed-out event carries the runtime timeout error in its record', () => {
  const {w, run, peek} = world(
    testScenario({
      queues: [{name: 'failures'}],
      functions: [{name: 'slow', timeoutSeconds: 3, behavior: {durationMs: {median: 9000, p99: 9001}}, eventInvokeConfig: {maximumRetryAttempts: 0, onFailure: {queue: 'failures'}}}],
    }),
  );
  const {requestId} = w.invoke('slow', '{}', 'Event');
  run(1 * MIN);
  const record = JSON.parse(peek('failures')[0]!.body);
  assert.equal(record.responseContext.functionError, 'Unhandled');
  assert.equal(record.responsePayload.errorType, 'Sandbox.Timedout');
  assert.equal(record.responsePayload.errorMessage, `RequestId: ${requestId} Error: Task timed out after 3.00 seconds`);
});

test('DLQ message: the original body unchanged, RequestID (String), ErrorCode (Number), ErrorMessage (String, first 1 KB)', () => {
  const longMessage = 'é'.repeat(1500); // 3000 bytes in UTF-8
  const {w, run, peek} = world(
    testScenario({
      queues: [{name: 'dlq'}],
      functions: [{name: 'fn', deadLetterQueue: {queue: 'dlq'}, eventInvokeConfig: {maximumRetryAttempts: 0}, behavior: {errors: [{kind: 'unhandled', rate: 1, errorType: 'Error', errorMessage: longMessage}]}}],
    }),
  );
  const payload = '{ "spaced" :  [1, 2.50, "x"] }';
  const {requestId} = w.invoke('fn', payload, 'Event');
  run(1 * MIN);
  const [message] = peek('dlq');
  assert.ok(message);
  assert.equal(message.body, payload, 'byte for byte');
  assert.deepEqual(Object.keys(message.messageAttributes).sort(), ['ErrorCode', 'ErrorMessage', 'RequestID']);
  assert.deepEqual(message.messageAttributes.RequestID, {DataType: 'String', StringValue: requestId});
  assert.deepEqual(message.messageAttributes.ErrorCode, {DataType: 'Number', StringValue: '200'});
  assert.equal(message.messageAttributes.ErrorMessage?.DataType, 'String');
  const text = message.messageAttributes.ErrorMessage!.StringValue!;
  assert.ok(Buffer.byteLength(text) <= 1024 && Buffer.byteLength(text) >= 1022, `first 1 KB, got ${Buffer.byteLength(text)} bytes`);
  assert.ok(longMessage.startsWith(text), 'cut on a character boundary');
});

test('a Lambda OnFailure destination receives the record as its payload (an async invoke of that function)', () => {
  // The fallback itself fails into its DLQ, whose body is the fallback's payload, unchanged: the record.
  const {w, run, sum, peek} = world(
    testScenario({
      queues: [{name: 'fallback-dlq'}],
      functions: [
        {name: 'avatar', behavior: ALWAYS_FAILS, eventInvokeConfig: {maximumRetryAttempts: 0, onFailure: {function: 'fallback'}}},
        {name: 'fallback', behavior: ALWAYS_FAILS, deadLetterQueue: {queue: 'fallback-dlq'}, eventInvokeConfig: {maximumRetryAttempts: 0}},
      ],
    }),
  );
  const {requestId} = w.invoke('avatar', '{"key":"a.jpg"}', 'Event');
  run(5 * MIN);
  assert.equal(w.asyncStats('avatar').deliveredToFailureTarget, 1);
  assert.equal(w.asyncStats('fallback').received, 1);
  assert.equal(sum('AsyncEventsReceived', 'fallback'), 1);
  assert.equal(sum('Invocations', 'fallback'), 1);
  assert.equal(sum('AsyncEventsDropped', 'avatar'), 1, 'dropped from the async queue, though kept by the destination');
  assert.equal(w.asyncStats('avatar').lost, 0);
  const [message] = peek('fallback-dlq');
  assert.ok(message);
  const record = JSON.parse(message.body);
  assert.equal(record.requestContext.requestId, requestId);
  assert.equal(record.requestContext.functionArn, 'arn:aws:lambda:us-east-1:123456789012:function:avatar:$LATEST');
  assert.deepEqual(record.requestPayload, {key: 'a.jpg'});
  assert.notEqual(message.messageAttributes.RequestID?.StringValue, requestId, 'the fallback ran under its own request id');
});

test('failed deliveries: FIFO destination, missing DLQ, oversized body are counted and the event is dropped', () => {
  const {w, run, sum, peek} = world(
    testScenario({
      queues: [{name: 'failures.fifo'}, {name: 'small', maximumMessageSizeBytes: 1024}],
      functions: [
        {name: 'fifo-target', behavior: ALWAYS_FAILS, eventInvokeConfig: {maximumRetryAttempts: 0, onFailure: {queue: 'failures.fifo'}}},
        {name: 'missing-dlq', behavior: ALWAYS_FAILS, deadLetterQueue: {arn: 'arn:aws:sqs:us-east-1:123456789012:deleted-queue'}, eventInvokeConfig: {maximumRetryAttempts: 0}},
        {name: 'too-big', behavior: ALWAYS_FAILS, deadLetterQueue: {queue: 'small'}, eventInvokeConfig: {maximumRetryAttempts: 0, onFailure: {queue: 'small'}}},
        {name: 'no-target', behavior: ALWAYS_FAILS, eventInvokeConfig: {maximumRetryAttempts: 0}},
      ],
    }),
  );
  w.invoke('fifo-target', '{}', 'Event');
  w.invoke('missing-dlq', '{}', 'Event');
  w.invoke('too-big', JSON.stringify({blob: 'x'.repeat(2000)}), 'Event');
  w.invoke('no-target', '{}', 'Event');
  run(5 * MIN);
  assert.equal(sum('DestinationDeliveryFailures', 'fifo-target'), 1);
  assert.equal(sum('AsyncEventsDropped', 'fifo-target'), 1);
  assert.equal(sum('DeadLetterErrors', 'missing-dlq'), 1);
  assert.equal(sum('AsyncEventsDropped', 'missing-dlq'), 1);
  assert.equal(sum('DeadLetterErrors', 'too-big'), 1);
  assert.equal(sum('DestinationDeliveryFailures', 'too-big'), 1);
  assert.equal(sum('AsyncEventsDropped', 'too-big'), 1);
  assert.equal(peek('small').length, 0);
  assert.equal(sum('AsyncEventsDropped', 'no-target'), 1);
  assert.equal(sum('DeadLetterErrors', 'no-target'), 0);
  assert.deepEqual(
    ['fifo-target', 'missing-dlq', 'too-big', 'no-target'].map((f) => [w.asyncStats(f).dropped, w.asyncStats(f).lost, w.asyncStats(f).failedToDeliver]),
    [[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 0]],
  );
});

test('with both a DLQ and an OnFailure destination, both receive the failure', () => {
  const {w, run, peek} = world(
    testScenario({
      queues: [{name: 'dlq'}, {name: 'failures'}],
      functions: [{name: 'fn', behavior: ALWAYS_FAILS, deadLetterQueue: {queue: 'dlq'}, eventInvokeConfig: {maximumRetryAttempts: 0, onFailure: {queue: 'failures'}}}],
    }),
  );
  w.invoke('fn', '{"a":1}', 'Event');
  run(1 * MIN);
  assert.equal(peek('dlq').length, 1);
  assert.equal(peek('failures').length, 1);
  assert.equal(w.asyncStats('fn').deliveredToFailureTarget, 1);
  // the raw event to the DLQ, the invocation record to the destination, under the same request id
  const raw = peek('dlq')[0]!;
  const record = JSON.parse(peek('failures')[0]!.body);
  assert.equal(raw.body, '{"a":1}');
  assert.equal(raw.messageAttributes.RequestID?.StringValue, record.requestContext.requestId);
  // one event, dropped once (and kept twice)
  assert.deepEqual([w.asyncStats('fn').dropped, w.asyncStats('fn').lost], [1, 0]);
});
