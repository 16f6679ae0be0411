// The SQS wire handler: protocol shape, errors, wall->virtual durations, long polling.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {WireRequest, WireResponse} from '../../../source/sim/ports.ts';
import {createSqsEngine} from '../../../source/sim/sqs/engine.ts';
import {createSqsWireHandler} from '../../../source/sim/sqs/wire.ts';

function setup(speed = 1) {
  let now = Date.UTC(2026, 0, 1);
  const clock = {now: () => now, speed};
  const engine = createSqsEngine({clock, region: 'us-east-1', accountId: '123456789012', baseUrl: () => 'http://127.0.0.1:1'});
  const handler = createSqsWireHandler(engine, clock);
  const call = async (operation: string, body: unknown, headers: Record<string, string> = {}): Promise<{res: WireResponse; json: Record<string, any>}> => {
    const request: WireRequest = {
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: {'x-amz-target': `AmazonSQS.${operation}`, 'content-type': 'application/x-amz-json-1.0', ...headers},
      body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    };
    const res = await handler(request);
    assert.ok(res, 'handled');
    return {res, json: JSON.parse(String(res.body)) as Record<string, any>};
  };
  return {engine, handler, call, advance: (ms: number) => (now += ms)};
}

test('requests that are not SQS are left to other handlers', async () => {
  const {handler} = setup();
  const res = await handler({method: 'POST', path: '/', query: new URLSearchParams(), headers: {'x-amz-target': 'Logs_20140328.FilterLogEvents'}, body: Buffer.from('{}')});
  assert.equal(res, undefined);
  assert.equal(await handler({method: 'GET', path: '/2015-03-31/functions', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0)}), undefined);
});

test('answers JSON 1.0; errors carry __type and x-amzn-query-error; unknown operation and bad JSON are 400', async () => {
  const {call} = setup();
  const created = await call('CreateQueue', {QueueName: 'q'});
  assert.equal(created.res.status, 200);
  assert.equal(created.res.headers['content-type'], 'application/x-amz-json-1.0');
  assert.equal(created.json.QueueUrl, 'http://127.0.0.1:1/123456789012/q');
  const missing = await call('GetQueueUrl', {QueueName: 'nope'});
  assert.equal(missing.res.status, 400);
  assert.equal(missing.json.__type, 'com.amazonaws.sqs#QueueDoesNotExist');
  assert.equal(missing.res.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.NonExistentQueue;Sender');
  const unknown = await call('FlyToTheMoon', {});
  assert.equal(unknown.res.status, 400);
  assert.equal(unknown.json.__type, 'com.amazon.coral.service#UnknownOperationException');
  const bad = await call('ListQueues', '{not json');
  assert.equal(bad.res.status, 400);
  assert.match(bad.json.__type, /SerializationException$/);
  const noUrl = await call('ReceiveMessage', {});
  assert.equal(noUrl.json.__type, 'com.amazonaws.sqs#MissingParameter');
  const tooMany = await call('ReceiveMessage', {QueueUrl: created.json.QueueUrl, MaxNumberOfMessages: 11});
  assert.equal(tooMany.res.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
  const badVisibility = await call('ChangeMessageVisibility', {QueueUrl: created.json.QueueUrl, ReceiptHandle: 'x', VisibilityTimeout: 43_201});
  assert.equal(badVisibility.json.__type, 'com.amazonaws.sqs#InvalidParameterValue');
  const handle = await call('DeleteMessage', {QueueUrl: created.json.QueueUrl, ReceiptHandle: 'x'});
  assert.equal(handle.res.status, 404);
  assert.equal(handle.json.__type, 'com.amazonaws.sqs#ReceiptHandleIsInvalid');
});

test('durations from callers are wall seconds: multiplied by clock.speed; queue attributes stay virtual', async () => {
  const {call, advance, engine} = setup(60);
  const {json} = await call('CreateQueue', {QueueName: 'q', Attributes: {VisibilityTimeout: '30'}});
  const url = json.QueueUrl as string;
  await call('SendMessage', {QueueUrl: url, MessageBody: 'later', DelaySeconds: 1}); // 60 virtual seconds
  assert.equal(engine.stats(url).delayed, 1);
  advance(59_000);
  assert.equal((await call('ReceiveMessage', {QueueUrl: url})).json.Messages, undefined);
  advance(1_000);
  const got = await call('ReceiveMessage', {QueueUrl: url, VisibilityTimeout: 2, AttributeNames: ['ApproximateReceiveCount']}); // 120 virtual s
  assert.equal(got.json.Messages?.[0]?.Body, 'later');
  assert.deepEqual(got.json.Messages?.[0]?.Attributes, {ApproximateReceiveCount: '1'});
  advance(119_000);
  assert.equal((await call('ReceiveMessage', {QueueUrl: url})).json.Messages, undefined);
  advance(1_000);
  const again = await call('ReceiveMessage', {QueueUrl: url}); // queue default 30 (virtual)
  assert.equal(again.json.Messages?.length, 1);
  advance(30_000);
  assert.equal((await call('ReceiveMessage', {QueueUrl: url})).json.Messages?.length, 1);
});

test('long polling returns as soon as a message arrives', async () => {
  const {call, engine} = setup();
  const {json} = await call('CreateQueue', {QueueName: 'q'});
  const url = json.QueueUrl as string;
  const polling = call('ReceiveMessage', {QueueUrl: url, WaitTimeSeconds: 5});
  setTimeout(() => engine.send(url, {body: 'arrived'}), 150);
  const got = await polling;
  assert.equal(got.json.Messages?.[0]?.Body, 'arrived');
});

test('batch and list operations use the AWS member names', async () => {
  const {call} = setup();
  const dlq = (await call('CreateQueue', {QueueName: 'dlq'})).json.QueueUrl as string;
  const src = (await call('CreateQueue', {QueueName: 'src', Attributes: {RedrivePolicy: JSON.stringify({deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq', maxReceiveCount: 1})}})).json.QueueUrl as string;
  const sent = await call('SendMessageBatch', {QueueUrl: src, Entries: [{Id: 'a', MessageBody: 'x'}, {Id: 'b', MessageBody: 'y', DelaySeconds: 901}]});
  assert.deepEqual(sent.json.Successful.map((s: {Id: string}) => s.Id), ['a']);
  assert.equal(sent.json.Failed[0].Id, 'b');
  assert.equal(sent.json.Failed[0].Code, 'InvalidParameterValue');
  assert.deepEqual((await call('ListDeadLetterSourceQueues', {QueueUrl: dlq})).json, {queueUrls: [src]});
  const page = await call('ListQueues', {MaxResults: 1});
  assert.deepEqual(page.json.QueueUrls, [dlq]);
  const next = await call('ListQueues', {MaxResults: 1, NextToken: page.json.NextToken});
  assert.deepEqual(next.json, {QueueUrls: [src]});
  assert.deepEqual((await call('GetQueueAttributes', {QueueUrl: src})).json, {}, 'no AttributeNames: no attributes');
  await call('TagQueue', {QueueUrl: src, Tags: {team: 'payments'}});
  assert.deepEqual((await call('ListQueueTags', {QueueUrl: src})).json, {Tags: {team: 'payments'}});
});
