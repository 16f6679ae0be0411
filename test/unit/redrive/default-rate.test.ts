import assert from 'node:assert/strict';
import {test} from 'node:test';
import {lambdaRate, queueMoveRate, rateText} from '../../../source/redrive/default-rate.ts';

test('the default rate comes from what the target absorbs, with the reason', () => {
  const standard = queueMoveRate('https://sqs.eu-west-1.amazonaws.com/123456789012/orders');
  assert.equal(standard.rate, Infinity, 'SQS-to-SQS: no longer 50/s');
  assert.match(standard.why, /standard SQS queue/);
  assert.equal(rateText(standard.rate), 'full speed');
  const fifo = queueMoveRate('https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo');
  assert.equal(fifo.rate, 1000);
  assert.match(fifo.why, /FIFO/);
  assert.deepEqual([lambdaRate(10).rate, lambdaRate(500).rate, lambdaRate(1).rate, lambdaRate(null).rate, lambdaRate(0).rate], [5, 50, 1, 10, 10]);
  assert.match(lambdaRate(10).why, /reserved concurrency of 10/);
  assert.equal(rateText(5), '5/s');
});
