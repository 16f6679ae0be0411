// Section 3 of the reference: SQS event-source mappings. Batches are deleted on success; failed batches come
// back after the visibility timeout and move to the queue's DLQ after maxReceiveCount receives.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {testScenario} from '../../../source/sim/lambda/testing.ts';
import type {Scenario} from '../../../source/sim/lambda/scenario.ts';
import {MIN, S, T0, modelWorld} from '../../helpers/model-world.ts';


function world(scenario: Scenario) {
  const {w, clock, run} = modelWorld(scenario, {seed: 2, stepMs: 1 * S});
  return {w, clock, run};
}

const consumer = (errorRate: number, extra: Partial<Scenario['functions'][number]> = {}) =>
  testScenario({
    queues: [{name: 'orders', visibilityTimeoutSeconds: 30, redrive: {deadLetterQueue: 'orders-dlq', maxReceiveCount: 3}}, {name: 'orders-dlq'}],
    functions: [{name: 'order-processor', ...extra, behavior: {errors: [{kind: 'unhandled', rate: errorRate, errorType: 'Error', errorMessage: 'payments-api 503'}]}}],
    eventSourceMappings: [{queue: 'orders', function: 'order-processor', batchSize: 5}],
  });

test('successful batches are deleted from the source queue', () => {
  const {w, run} = world(consumer(0));
  const url = w.sqs.getQueueUrl('orders');
  for (let i = 0; i < 12; i++) w.sqs.send(url, {body: JSON.stringify({order: i})});
  run(20 * S);
  assert.equal(w.sqs.stats(url).total, 0);
  const invocations = w.filterLogEvents({logGroupName: '/aws/lambda/order-processor', filterPattern: '"START RequestId"'}).events.length;
  assert.ok(invocations >= 3 && invocations <= 12, `batched: ${invocations} invocations for 12 messages`);
  assert.equal(w.asyncStats('order-processor').received, 0, 'an event source mapping invokes synchronously');
});

test('a failing batch returns after the visibility timeout and moves to the DLQ after maxReceiveCount', () => {
  const {w, run} = world(consumer(1));
  const url = w.sqs.getQueueUrl('orders');
  const dlq = w.sqs.getQueueUrl('orders-dlq');
  w.sqs.send(url, {body: '{"order":"A"}'});
  run(10 * S);
  const starts = () => w.filterLogEvents({logGroupName: '/aws/lambda/order-processor', filterPattern: '"START RequestId"'}).events.map((e) => e.timestamp);
  assert.equal(starts().length, 1);
  assert.equal(w.sqs.stats(url).inflight, 1, 'not deleted: invisible until the visibility timeout ends');
  run(3 * MIN);
  const times = starts(); // the first START follows a cold start's init, the others are warm
  assert.equal(times.length, 3, 'received 3 times');
  assert.ok(times[1]! - times[0]! >= 29 * S && times[1]! - times[0]! <= 32 * S, `back after the 30 s visibility timeout, got ${times[1]! - times[0]!}`);
  assert.equal(w.sqs.stats(url).total, 0);
  const moved = w.sqs.peekAll(dlq);
  assert.equal(moved.length, 1);
  assert.equal(moved[0]!.body, '{"order":"A"}');
  assert.equal(moved[0]!.receiveCount, 3);
});

test('the mapping scales beyond reserved concurrency and is throttled; throttled batches come back too', () => {
  const scenario = consumer(0, {reservedConcurrency: 2, timeoutSeconds: 60});
  scenario.functions[0]!.behavior.durationMs = {median: 20_000, p99: 20_001};
  const {w, run} = world(scenario);
  const url = w.sqs.getQueueUrl('orders');
  for (let i = 0; i < 60; i++) w.sqs.send(url, {body: JSON.stringify({order: i})});
  run(2 * MIN);
  const throttles = w.queryMetric({namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: {FunctionName: 'order-processor'}, stat: 'Sum', periodSeconds: 3600, start: T0, end: T0 + 3600 * S});
  assert.ok((throttles[0]?.[1] ?? 0) > 0, 'throttled');
  const concurrency = w.queryMetric({namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', dimensions: {FunctionName: 'order-processor'}, stat: 'Maximum', periodSeconds: 60, start: T0, end: T0 + 3600 * S});
  assert.ok(concurrency.every(([, v]) => v <= 2));
  run(20 * MIN);
  const dlq = w.sqs.stats(w.sqs.getQueueUrl('orders-dlq')).total;
  assert.ok(dlq > 0, 'throttled receives count towards maxReceiveCount: some messages reach the DLQ');
  const sqsSent = w.queryMetric({namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', dimensions: {QueueName: 'orders'}, stat: 'Sum', periodSeconds: 3600, start: T0, end: T0 + 3600 * S});
  assert.equal(sqsSent[0]?.[1], 60);
  const deleted = w.queryMetric({namespace: 'AWS/SQS', metricName: 'NumberOfMessagesDeleted', dimensions: {QueueName: 'orders'}, stat: 'Sum', periodSeconds: 3600, start: T0, end: T0 + 3600 * S});
  assert.equal((deleted[0]?.[1] ?? 0) + dlq, 60, 'every message was processed or moved to the DLQ');
});
