import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseArn, targetFromArn, queueNameFromArn, functionNameFromArn, queueUrlFromArn, functionQualifierFromArn,
  isFifoTargetArn, queueNameFromUrl, parseFunctionArn} from '../../../source/domain/arn.ts';

test('parseArn', () => {
  assert.deepEqual(parseArn('arn:aws:sqs:us-east-1:123456789012:orders-dlq'), {partition: 'aws', service: 'sqs', region: 'us-east-1', accountId: '123456789012', resource: 'orders-dlq'});
  assert.equal(parseArn('arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST')?.resource, 'function:my-function:$LATEST');
  assert.equal(parseArn('arn:aws:s3:::my-bucket')?.resource, 'my-bucket');
  for (const bad of ['', 'not-an-arn', 'arn:aws:sqs', 'arn:aws:sqs:us-east-1:1:', null, undefined]) assert.equal(parseArn(bad), null);
});

test('targetFromArn for each target kind', () => {
  assert.deepEqual(targetFromArn('arn:aws:sqs:us-east-1:123456789012:orders-dlq'), {arn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq', kind: 'sqs', name: 'orders-dlq'});
  assert.equal(targetFromArn('arn:aws:sns:us-east-1:123456789012:alerts').kind, 'sns');
  assert.equal(targetFromArn('arn:aws:sns:us-east-1:123456789012:alerts').name, 'alerts');
  const fn = targetFromArn('arn:aws:lambda:us-east-1:123456789012:function:fallback:live');
  assert.deepEqual([fn.kind, fn.name], ['lambda', 'fallback']);
  assert.equal(functionQualifierFromArn('arn:aws:lambda:us-east-1:123456789012:function:fallback:live'), 'live');
  assert.equal(functionQualifierFromArn('arn:aws:lambda:us-east-1:123456789012:function:fallback'), null);
  assert.deepEqual(parseFunctionArn('arn:aws:lambda:us-east-1:1:function:f:$LATEST'), {name: 'f', qualifier: '$LATEST'});
  const bus = targetFromArn('arn:aws:events:us-east-1:123456789012:event-bus/default');
  assert.deepEqual([bus.kind, bus.name], ['eventbridge', 'default']);
  const bucket = targetFromArn('arn:aws:s3:::failed-events');
  assert.deepEqual([bucket.kind, bucket.name], ['s3', 'failed-events']);
  assert.deepEqual(targetFromArn('arn:aws:dynamodb:us-east-1:1:table/t'), {arn: 'arn:aws:dynamodb:us-east-1:1:table/t', kind: 'unknown', name: 'table/t'});
  assert.deepEqual(targetFromArn('garbage'), {arn: 'garbage', kind: 'unknown', name: 'garbage'});
  assert.equal(targetFromArn('arn:aws:events:us-east-1:1:rule/x').kind, 'unknown');
});

test('names and URLs', () => {
  assert.equal(queueNameFromArn('arn:aws:sqs:eu-west-1:123456789012:q.fifo'), 'q.fifo');
  assert.equal(queueNameFromArn('arn:aws:sns:eu-west-1:123456789012:t'), null);
  assert.equal(functionNameFromArn('arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST'), 'my-function');
  assert.equal(functionNameFromArn('arn:aws:sqs:us-east-1:1:q'), null);
  assert.equal(queueUrlFromArn('arn:aws:sqs:us-east-1:123456789012:orders-dlq'), 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq');
  assert.equal(queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:q'), 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q');
  assert.equal(queueUrlFromArn('arn:aws:sns:us-east-1:1:t'), null);
  assert.equal(isFifoTargetArn('arn:aws:sqs:us-east-1:1:q.fifo'), true);
  assert.equal(isFifoTargetArn('arn:aws:sns:us-east-1:1:t.fifo'), true);
  assert.equal(isFifoTargetArn('arn:aws:sqs:us-east-1:1:q'), false);
  assert.equal(queueNameFromUrl('http://127.0.0.1:4566/000000000000/orders-dlq'), 'orders-dlq');
  assert.equal(queueNameFromUrl('https://sqs.us-east-1.amazonaws.com/1/q/'), 'q');
});
