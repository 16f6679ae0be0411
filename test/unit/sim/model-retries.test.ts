// Section 1 of the reference: retries after ~1 and ~2 minutes, MaximumRetryAttempts, maximum event age,
// reserved concurrency 0.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {testScenario, ALWAYS_FAILS} from '../../../source/sim/lambda/testing.ts';
import type {Scenario} from '../../../source/sim/lambda/scenario.ts';
import {MIN, S, T0, modelWorld} from '../../helpers/model-world.ts';


function world(scenario: Scenario, seed = 7) {
  const {w, clock, run} = modelWorld(scenario, {seed: seed, stepMs: 5 * S});
  return {w, clock, run};
}

function peek(w: ReturnType<typeof world>['w'], queue: string) {
  return w.sqs.peekAll(w.sqs.getQueueUrl(queue));
}

function startTimes(w: ReturnType<typeof world>['w'], fn: string, requestId: string): number[] {
  const {events} = w.filterLogEvents({logGroupName: `/aws/lambda/${fn}`, filterPattern: `"START RequestId: ${requestId}"`});
  return events.map((e) => e.timestamp);
}

for (const retries of [0, 1, 2]) {
  test(`MaximumRetryAttempts ${retries}: ${retries + 1} attempts at ~0, ~1 min, ~3 min, then the failure record`, () => {
    const {w, run} = world(
      testScenario({
        queues: [{name: 'failures'}],
        functions: [{name: 'fn', behavior: ALWAYS_FAILS, eventInvokeConfig: {maximumRetryAttempts: retries, onFailure: {queue: 'failures'}}}],
      }),
    );
    const {statusCode, requestId} = w.invoke('fn', '{"n":1}', 'Event');
    assert.equal(statusCode, 202);
    run(10 * MIN);
    const starts = startTimes(w, 'fn', requestId);
    assert.equal(starts.length, retries + 1, 'attempts');
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    if (retries >= 1) assert.ok(gaps[0]! >= 60 * S && gaps[0]! <= 66 * S, `second attempt ~1 min later, got ${gaps[0]} ms`);
    if (retries >= 2) assert.ok(gaps[1]! >= 120 * S && gaps[1]! <= 126 * S, `third attempt ~2 min after the second, got ${gaps[1]} ms`);
    const messages = peek(w, 'failures');
    assert.equal(messages.length, 1);
    const record = JSON.parse(messages[0]!.body);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, retries + 1);
    assert.equal(record.requestContext.requestId, requestId);
    assert.ok(Date.parse(record.timestamp) >= starts[starts.length - 1]!, 'the record is written after the last attempt');
    const stats = w.asyncStats('fn');
    // dropped from the async queue (AsyncEventsDropped counts it, reference section 1), kept in the target
    assert.deepEqual({received: stats.received, toTarget: stats.deliveredToFailureTarget, dropped: stats.dropped, lost: stats.lost, queued: stats.queued}, {received: 1, toTarget: 1, dropped: 1, lost: 0, queued: 0});
  });
}

test('an event older than MaximumEventAgeInSeconds is not invoked: EventAgeExceeded at the age limit, no response fields', () => {
  const {w, run} = world(
    testScenario({
      queues: [{name: 'failures'}],
      functions: [
        {
          name: 'slow',
          timeoutSeconds: 900,
          reservedConcurrency: 1,
          behavior: {durationMs: {median: 600_000, p99: 600_001}},
          eventInvokeConfig: {maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60, onFailure: {queue: 'failures'}},
        },
      ],
    }),
  );
  w.invoke('slow', '{"first":true}', 'Event'); // occupies the only slot for 10 minutes
  run(1 * S, 1 * S);
  const invokedAt = w.time;
  const second = w.invoke('slow', '{"second":true}', 'Event');
  run(3 * MIN, 1 * S);
  const messages = peek(w, 'failures');
  assert.equal(messages.length, 1);
  const record = JSON.parse(messages[0]!.body);
  assert.equal(record.requestContext.requestId, second.requestId);
  assert.equal(record.requestContext.condition, 'EventAgeExceeded');
  assert.equal(record.requestContext.approximateInvokeCount, 0);
  assert.deepEqual(record.requestPayload, {second: true});
  assert.equal('responseContext' in record, false);
  assert.equal('responsePayload' in record, false);
  const failedAt = Date.parse(record.timestamp);
  assert.ok(failedAt >= invokedAt + 60 * S && failedAt <= invokedAt + 61 * S, `aged out at the limit, got +${failedAt - invokedAt} ms`);
  const throttles = w.queryMetric({namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: {FunctionName: 'slow'}, stat: 'Sum', periodSeconds: 3600, start: T0, end: T0 + 3600 * S});
  assert.ok((throttles[0]?.[1] ?? 0) >= 5, 'the event was throttled and retried with backoff before ageing out');
  assert.equal(startTimes(w, 'slow', second.requestId).length, 0, 'never invoked');
});

test('reserved concurrency 0: straight to the failure targets, without retries or invocations', () => {
  const {w, run} = world(
    testScenario({
      queues: [{name: 'dlq'}, {name: 'failures'}],
      functions: [{name: 'off', reservedConcurrency: 0, deadLetterQueue: {queue: 'dlq'}, eventInvokeConfig: {onFailure: {queue: 'failures'}}}],
    }),
  );
  const {requestId} = w.invoke('off', '{"x":1}', 'Event');
  run(5 * S, 1 * S); // the failure happens at once
  const dlq = peek(w, 'dlq');
  assert.equal(dlq.length, 1);
  assert.equal(dlq[0]!.body, '{"x":1}');
  assert.equal(dlq[0]!.messageAttributes.ErrorCode?.StringValue, '429');
  const record = JSON.parse(peek(w, 'failures')[0]!.body);
  assert.equal(record.requestContext.condition, 'ZeroReservedConcurrency');
  assert.equal(record.requestContext.requestId, requestId);
  assert.equal('responseContext' in record, false);
  run(10 * MIN, 30 * S);
  assert.equal(startTimes(w, 'off', requestId).length, 0);
  assert.equal(peek(w, 'dlq').length, 1, 'no retries: one failure only');
  assert.throws(() => w.invoke('off', '{}', 'RequestResponse'), (e: Error & {type?: string; status?: number}) => e.type === 'TooManyRequestsException' && e.status === 429);
});

test('a function error is retried, and an event that succeeds on a retry reaches OnSuccess once', () => {
  // errors only for the first 2 minutes of the scenario: the retry at ~1 min fails, the one at ~3 min succeeds
  const {w, run} = world(
    testScenario({
      queues: [{name: 'ok'}, {name: 'failures'}],
      functions: [
        {
          name: 'flaky',
          behavior: {errors: [{kind: 'handled', rate: [[0, 1], [2, 1], [2.01, 0]], errorType: 'Busy', errorMessage: 'try later'}]},
          eventInvokeConfig: {onSuccess: {queue: 'ok'}, onFailure: {queue: 'failures'}},
        },
      ],
    }),
  );
  const {requestId} = w.invoke('flaky', '{"order":"A-1"}', 'Event');
  run(6 * MIN);
  assert.equal(startTimes(w, 'flaky', requestId).length, 3);
  assert.equal(peek(w, 'failures').length, 0);
  const ok = peek(w, 'ok');
  assert.equal(ok.length, 1);
  const record = JSON.parse(ok[0]!.body);
  assert.equal(record.requestContext.condition, 'Success');
  assert.equal(record.requestContext.approximateInvokeCount, 3);
  assert.deepEqual(record.responseContext, {statusCode: 200, executedVersion: '$LATEST'});
  assert.equal(record.responsePayload, null);
});
