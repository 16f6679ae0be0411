// The simulator's in-memory SQS engine, driven by a manual virtual clock.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {SqsError} from '../../../source/sim/ports.ts';
import {createSqsEngine, type SimSqs} from '../../../source/sim/sqs/engine.ts';
import {md5Hex, md5OfMessageAttributes} from '../../../source/sim/sqs/md5.ts';

const ACCOUNT = '123456789012';

function setup(): {sqs: SimSqs; clock: {now(): number; speed: number; advance(seconds: number): void}} {
  let now = Date.UTC(2026, 0, 1);
  const clock = {
    now: () => now,
    speed: 1,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
  const sqs = createSqsEngine({clock, region: 'eu-west-1', accountId: ACCOUNT, baseUrl: () => 'http://127.0.0.1:4566'});
  return {sqs, clock};
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SqsError, `expected SqsError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected an SqsError');
}

test('queue URL and ARN; resolve accepts any host form or the ARN, and rejects unknown queues with AWS codes', () => {
  const {sqs} = setup();
  const q = sqs.createQueue('orders');
  assert.equal(q.url, `http://127.0.0.1:4566/${ACCOUNT}/orders`);
  assert.equal(q.arn, `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders`);
  assert.equal(sqs.resolve(`http://localhost:9999/${ACCOUNT}/orders`).url, q.url);
  assert.equal(sqs.resolve(q.arn).name, 'orders');
  try {
    sqs.resolve(`http://127.0.0.1:4566/${ACCOUNT}/nope`);
    assert.fail('should throw');
  } catch (error) {
    assert.ok(error instanceof SqsError);
    assert.equal(error.code, 'AWS.SimpleQueueService.NonExistentQueue');
    assert.equal(error.queryCode, 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assert.equal(error.status, 400);
  }
  assert.equal(code(() => sqs.resolve(`http://127.0.0.1:4566/999999999999/orders`)), 'AWS.SimpleQueueService.NonExistentQueue');
  assert.equal(code(() => sqs.getQueueUrl('orders', '999999999999')), 'AWS.SimpleQueueService.NonExistentQueue');
  assert.equal(sqs.getQueueUrl('orders'), q.url);
});

test('queue attributes: defaults, ranges, timestamps in seconds, redrive policy normalised and checked', () => {
  const {sqs, clock} = setup();
  const dlq = sqs.createQueue('dlq');
  const q = sqs.createQueue('src', {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: '4'})});
  const a = sqs.getAttributes(q.url, ['All']);
  assert.equal(a.VisibilityTimeout, '30');
  assert.equal(a.MessageRetentionPeriod, '345600');
  assert.equal(a.MaximumMessageSize, '1048576');
  assert.equal(a.DelaySeconds, '0');
  assert.equal(a.ReceiveMessageWaitTimeSeconds, '0');
  assert.equal(a.CreatedTimestamp, String(Math.floor(clock.now() / 1000)));
  assert.equal(a.QueueArn, q.arn);
  assert.deepEqual(JSON.parse(a.RedrivePolicy!), {deadLetterTargetArn: dlq.arn, maxReceiveCount: 4});
  assert.equal(a.FifoQueue, undefined);
  clock.advance(10);
  sqs.setAttributes(q.url, {VisibilityTimeout: '5'});
  assert.equal(sqs.getAttributes(q.url, ['LastModifiedTimestamp']).LastModifiedTimestamp, String(Math.floor(clock.now() / 1000)));
  assert.equal(code(() => sqs.setAttributes(q.url, {MessageRetentionPeriod: '59'})), 'InvalidAttributeValue');
  assert.equal(code(() => sqs.setAttributes(q.url, {MessageRetentionPeriod: '1209601'})), 'InvalidAttributeValue');
  assert.equal(code(() => sqs.setAttributes(q.url, {VisibilityTimeout: 'soon'})), 'InvalidAttributeValue');
  assert.equal(code(() => sqs.setAttributes(q.url, {Colour: 'blue'})), 'InvalidAttributeName');
  assert.equal(code(() => sqs.getAttributes(q.url, ['Colour'])), 'InvalidAttributeName');
  const badPolicy = (policy: object) => code(() => sqs.setAttributes(q.url, {RedrivePolicy: JSON.stringify(policy)}));
  assert.equal(badPolicy({deadLetterTargetArn: dlq.arn, maxReceiveCount: 0}), 'InvalidParameterValue');
  assert.equal(badPolicy({deadLetterTargetArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:missing`, maxReceiveCount: 3}), 'InvalidParameterValue');
  // a RedriveAllowPolicy on the DLQ restricts who may use it
  sqs.setAttributes(dlq.url, {RedriveAllowPolicy: JSON.stringify({redrivePermission: 'denyAll'})});
  assert.equal(badPolicy({deadLetterTargetArn: dlq.arn, maxReceiveCount: 3}), 'InvalidParameterValue');
  sqs.setAttributes(q.url, {RedrivePolicy: ''});
  assert.equal(sqs.getAttributes(q.url, ['RedrivePolicy']).RedrivePolicy, undefined);
  // FIFO: recognised, and name and attribute must agree
  assert.equal(code(() => sqs.createQueue('jobs', {FifoQueue: 'true'})), 'InvalidAttributeValue');
  assert.equal(code(() => sqs.createQueue('jobs.fifo')), 'InvalidParameterValue');
  assert.equal(sqs.getAttributes(sqs.createQueue('jobs.fifo', {FifoQueue: 'true'}).url, ['FifoQueue']).FifoQueue, 'true');
  assert.equal(code(() => sqs.createQueue('src', {VisibilityTimeout: '9'})), 'QueueAlreadyExists');
});

test('receive hides a message for the visibility timeout (virtual), counts receives, new handle each time', () => {
  const {sqs, clock} = setup();
  const q = sqs.createQueue('work', {VisibilityTimeout: '20'});
  const sent = sqs.send(q.url, {body: 'job'});
  const all = {attributeNames: ['All'], messageAttributeNames: ['All']};
  const [first] = sqs.receive(q.url, all);
  assert.equal(first?.MessageId, sent.messageId);
  assert.equal(first?.Attributes.ApproximateReceiveCount, '1');
  assert.equal(first?.Attributes.ApproximateFirstReceiveTimestamp, String(clock.now()));
  assert.deepEqual(sqs.stats(q.url), {visible: 0, inflight: 1, delayed: 0, total: 1});
  clock.advance(19);
  assert.equal(sqs.receive(q.url, all).length, 0, 'still hidden');
  clock.advance(1);
  const [second] = sqs.receive(q.url, {...all, visibilityTimeoutSeconds: 100});
  assert.equal(second?.Attributes.ApproximateReceiveCount, '2');
  assert.notEqual(second?.ReceiptHandle, first?.ReceiptHandle);
  assert.equal(second?.Attributes.ApproximateFirstReceiveTimestamp, first?.Attributes.ApproximateFirstReceiveTimestamp);
  // the older handle: delete succeeds but does not delete (AWS docs); visibility change is refused
  sqs.deleteMessage(q.url, first!.ReceiptHandle);
  assert.equal(sqs.stats(q.url).total, 1);
  assert.equal(code(() => sqs.changeVisibility(q.url, first!.ReceiptHandle, 0)), 'InvalidParameterValue');
  assert.equal(code(() => sqs.deleteMessage(q.url, 'garbage')), 'ReceiptHandleIsInvalid');
  // release with 0: visible again at once
  sqs.changeVisibility(q.url, second!.ReceiptHandle, 0);
  assert.deepEqual(sqs.stats(q.url), {visible: 1, inflight: 0, delayed: 0, total: 1});
  assert.equal(code(() => sqs.changeVisibility(q.url, second!.ReceiptHandle, 10)), 'AWS.SimpleQueueService.MessageNotInflight');
  const [third] = sqs.receive(q.url, all);
  sqs.deleteMessage(q.url, third!.ReceiptHandle);
  assert.equal(sqs.stats(q.url).total, 0);
  sqs.deleteMessage(q.url, third!.ReceiptHandle); // deleting twice succeeds
});

test('system attributes are returned only when asked; message attributes by name, prefix or All', () => {
  const {sqs} = setup();
  const q = sqs.createQueue('attrs');
  sqs.send(q.url, {
    body: 'b',
    messageAttributes: {
      'trace.id': {DataType: 'String', StringValue: 't'},
      'trace.span': {DataType: 'Number', StringValue: '7'},
      other: {DataType: 'Binary', BinaryValue: Buffer.from([1, 2]).toString('base64')},
    },
  });
  const [m] = sqs.receive(q.url, {attributeNames: ['SentTimestamp'], messageAttributeNames: ['trace.*']});
  assert.deepEqual(Object.keys(m!.Attributes), ['SentTimestamp']);
  assert.deepEqual(Object.keys(m!.MessageAttributes).sort(), ['trace.id', 'trace.span']);
  assert.equal(m!.MD5OfMessageAttributes, md5OfMessageAttributes(m!.MessageAttributes), 'MD5 covers the attributes returned');
  sqs.changeVisibility(q.url, m!.ReceiptHandle, 0);
  const [bare] = sqs.receive(q.url, {});
  assert.deepEqual(bare!.Attributes, {});
  assert.deepEqual(bare!.MessageAttributes, {});
  assert.equal(bare!.MD5OfMessageAttributes, undefined);
});

test('MD5OfBody and MD5OfMessageAttributes follow the documented algorithm', () => {
  assert.equal(md5Hex('hello'), '5d41402abc4b2a76b9719d911017c592');
  assert.equal(md5Hex('ü'), createHash('md5').update(Buffer.from([0xc3, 0xbc])).digest('hex'));
  // Hand-encoded per the SQS developer guide: sorted names; length-prefixed name, type; transport byte; length-prefixed value.
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const field = (s: string | Buffer) => {
    const bytes = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
    return Buffer.concat([u32(bytes.length), bytes]);
  };
  const expected = createHash('md5')
    .update(
      Buffer.concat([
        field('a'), field('Binary'), Buffer.from([2]), field(Buffer.from([0, 255])),
        field('b'), field('Number.int'), Buffer.from([1]), field('42'),
        field('c'), field('String'), Buffer.from([1]), field('ü'),
      ]),
    )
    .digest('hex');
  const got = md5OfMessageAttributes({
    c: {DataType: 'String', StringValue: 'ü'},
    a: {DataType: 'Binary', BinaryValue: Buffer.from([0, 255]).toString('base64')},
    b: {DataType: 'Number.int', StringValue: '42'},
  });
  assert.equal(got, expected);
  // (the contract test also checks this encoding against the MD5s moto and fauxqs answer on SendMessage)
  assert.equal(md5OfMessageAttributes({}), undefined);
});

test('after maxReceiveCount receives the next receive moves the message to the DLQ, with its source ARN', () => {
  const {sqs, clock} = setup();
  const dlq = sqs.createQueue('dlq', {MessageRetentionPeriod: '600'});
  const src = sqs.createQueue('src', {VisibilityTimeout: '10', RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: 2})});
  const sent = sqs.send(src.url, {body: 'poison', messageAttributes: {k: {DataType: 'String', StringValue: 'v'}}});
  const sentAt = clock.now();
  clock.advance(100);
  for (let i = 1; i <= 2; i++) {
    const [m] = sqs.receive(src.url, {attributeNames: ['All']});
    assert.equal(m?.Attributes.ApproximateReceiveCount, String(i));
    clock.advance(10);
  }
  assert.equal(sqs.receive(src.url, {}).length, 0, 'third attempt moves it');
  assert.deepEqual(sqs.stats(src.url), {visible: 0, inflight: 0, delayed: 0, total: 0});
  const [dead] = sqs.receive(dlq.url, {attributeNames: ['All'], messageAttributeNames: ['All'], visibilityTimeoutSeconds: 0});
  assert.equal(dead?.MessageId, sent.messageId);
  assert.equal(dead?.Attributes.DeadLetterQueueSourceArn, src.arn);
  assert.equal(dead?.Attributes.SentTimestamp, String(sentAt));
  assert.equal(dead?.MessageAttributes.k?.StringValue, 'v');
  assert.deepEqual(sqs.listDeadLetterSourceQueues(dlq.url), [src.url]);
  // retention in the DLQ counts from the original enqueue (standard queues): 600 s after sentAt it is gone
  clock.advance(600 - 120);
  sqs.tick();
  assert.equal(sqs.stats(dlq.url).total, 0);
});

test('retention expiry removes old messages silently, in flight or not', () => {
  const {sqs, clock} = setup();
  const q = sqs.createQueue('short', {MessageRetentionPeriod: '60'});
  sqs.send(q.url, {body: 'a'});
  sqs.send(q.url, {body: 'b'});
  clock.advance(30);
  sqs.send(q.url, {body: 'c'});
  sqs.receive(q.url, {visibilityTimeoutSeconds: 1000});
  clock.advance(30);
  sqs.tick();
  assert.deepEqual(sqs.peekAll(q.url).map((m) => m.body), ['c']);
  assert.deepEqual(sqs.stats(q.url), {visible: 1, inflight: 0, delayed: 0, total: 1});
  clock.advance(30);
  sqs.tick();
  assert.equal(sqs.stats(q.url).total, 0);
});

test('delays: queue default and per message; delayed messages are counted and invisible until due', () => {
  const {sqs, clock} = setup();
  const q = sqs.createQueue('slow', {DelaySeconds: '5'});
  sqs.send(q.url, {body: 'queue-delay'});
  sqs.send(q.url, {body: 'no-delay', delaySeconds: 0});
  sqs.send(q.url, {body: 'long', delaySeconds: 60});
  assert.deepEqual(sqs.stats(q.url), {visible: 1, inflight: 0, delayed: 2, total: 3});
  assert.equal(sqs.getAttributes(q.url, ['ApproximateNumberOfMessagesDelayed']).ApproximateNumberOfMessagesDelayed, '2');
  clock.advance(5);
  const got = sqs.receive(q.url, {maxNumberOfMessages: 10, visibilityTimeoutSeconds: 1000}).map((m) => m.Body).sort();
  assert.deepEqual(got, ['no-delay', 'queue-delay']);
  clock.advance(55);
  assert.deepEqual(sqs.receive(q.url, {maxNumberOfMessages: 10}).map((m) => m.Body), ['long']);
});

test('limits: message size, batch entries, ids, total batch payload, per-entry failures', () => {
  const {sqs} = setup();
  const q = sqs.createQueue('limits', {MaximumMessageSize: '1024'});
  assert.equal(code(() => sqs.send(q.url, {body: 'x'.repeat(1025)})), 'InvalidParameterValue');
  // attributes count toward the size: name + type + value
  assert.equal(code(() => sqs.send(q.url, {body: 'x'.repeat(1000), messageAttributes: {name: {DataType: 'String', StringValue: 'y'.repeat(20)}}})), 'InvalidParameterValue');
  sqs.send(q.url, {body: 'x'.repeat(1000), messageAttributes: {n: {DataType: 'String', StringValue: 'y'.repeat(17)}}}); // 1000+1+6+17 = 1024
  assert.equal(code(() => sqs.send(q.url, {body: ''})), 'MissingParameter');
  assert.equal(code(() => sqs.send(q.url, {body: 'bad \u0000'})), 'InvalidMessageContents');
  assert.equal(code(() => sqs.send(q.url, {body: 'x', messageAttributes: {n: {DataType: 'Number', StringValue: 'abc'}}})), 'InvalidParameterValue');
  assert.equal(code(() => sqs.send(q.url, {body: 'x', messageAttributes: {n: {DataType: 'Text', StringValue: 'abc'}}})), 'InvalidParameterValue');
  assert.equal(code(() => sqs.receive(q.url, {maxNumberOfMessages: 11})), 'InvalidParameterValue');
  const entries = (n: number) => Array.from({length: n}, (_, i) => ({id: `e${i}`, body: 'b'}));
  assert.equal(code(() => sqs.sendBatch(q.url, [])), 'AWS.SimpleQueueService.EmptyBatchRequest');
  assert.equal(code(() => sqs.sendBatch(q.url, entries(11))), 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest');
  assert.equal(code(() => sqs.sendBatch(q.url, [{id: 'a', body: '1'}, {id: 'a', body: '2'}])), 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct');
  assert.equal(code(() => sqs.sendBatch(q.url, [{id: 'not ok!', body: '1'}])), 'AWS.SimpleQueueService.InvalidBatchEntryId');
  const big = sqs.createQueue('big');
  const huge = Array.from({length: 3}, (_, i) => ({id: `h${i}`, body: 'z'.repeat(400_000)}));
  assert.equal(code(() => sqs.sendBatch(big.url, huge)), 'AWS.SimpleQueueService.BatchRequestTooLong');
  const r = sqs.sendBatch(q.url, [{id: 'ok', body: 'fine'}, {id: 'tooBig', body: 'x'.repeat(2000)}]);
  assert.deepEqual(r.successful.map((s) => s.id), ['ok']);
  assert.deepEqual(r.failed.map((f) => [f.Id, f.Code, f.SenderFault]), [['tooBig', 'InvalidParameterValue', true]]);
});

test('PurgeQueue removes everything and may run once a minute', () => {
  const {sqs, clock} = setup();
  const q = sqs.createQueue('purge');
  for (let i = 0; i < 5; i++) sqs.send(q.url, {body: String(i), delaySeconds: i});
  sqs.receive(q.url, {});
  sqs.purge(q.url);
  assert.deepEqual(sqs.stats(q.url), {visible: 0, inflight: 0, delayed: 0, total: 0});
  assert.equal(code(() => sqs.purge(q.url)), 'AWS.SimpleQueueService.PurgeQueueInProgress');
  clock.advance(60);
  sqs.purge(q.url);
});

test('FIFO: group order, a group with a message in flight is locked, deduplication for 5 minutes', () => {
  const {sqs, clock} = setup();
  const q = sqs.createQueue('jobs.fifo', {FifoQueue: 'true', ContentBasedDeduplication: 'true'});
  assert.equal(code(() => sqs.send(q.url, {body: 'x'})), 'MissingParameter');
  assert.equal(code(() => sqs.send(q.url, {body: 'x', messageGroupId: 'g', delaySeconds: 3})), 'InvalidParameterValue');
  const a1 = sqs.send(q.url, {body: 'a1', messageGroupId: 'a'});
  sqs.send(q.url, {body: 'b1', messageGroupId: 'b'});
  sqs.send(q.url, {body: 'a2', messageGroupId: 'a'});
  assert.equal(sqs.send(q.url, {body: 'a1', messageGroupId: 'a'}).messageId, a1.messageId, 'content-based duplicate');
  assert.equal(sqs.stats(q.url).total, 3);
  const [first] = sqs.receive(q.url, {maxNumberOfMessages: 1});
  assert.equal(first?.Body, 'a1');
  assert.deepEqual(sqs.receive(q.url, {maxNumberOfMessages: 10}).map((m) => m.Body), ['b1'], 'group a is locked');
  sqs.deleteMessage(q.url, first!.ReceiptHandle);
  assert.deepEqual(sqs.receive(q.url, {maxNumberOfMessages: 10}).map((m) => m.Body), ['a2']);
  clock.advance(301);
  sqs.send(q.url, {body: 'a1', messageGroupId: 'a'});
  assert.equal(sqs.stats(q.url).total, 3, 'after the window the same content is a new message');
});

test('move task: moves at the asked rate in virtual time back to each source, new ids; one task per source', () => {
  const {sqs, clock} = setup();
  const dlq = sqs.createQueue('dlq');
  const srcA = sqs.createQueue('a', {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: 1})});
  const srcB = sqs.createQueue('b', {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: 1})});
  const ids = new Set<string>();
  for (let i = 0; i < 30; i++) ids.add(sqs.send(i % 2 ? srcA.url : srcB.url, {body: `m${i}`}).messageId);
  for (const q of [srcA, srcB]) {
    while (sqs.receive(q.url, {maxNumberOfMessages: 10, visibilityTimeoutSeconds: 0}).length > 0) clock.advance(0);
  }
  assert.equal(sqs.stats(dlq.url).visible, 30);
  assert.equal(code(() => sqs.startMoveTask({sourceArn: srcA.arn})), 'InvalidParameterValue', 'source must be a DLQ');
  assert.equal(code(() => sqs.startMoveTask({sourceArn: dlq.arn, maxNumberOfMessagesPerSecond: 501})), 'InvalidParameterValue');
  const {taskHandle} = sqs.startMoveTask({sourceArn: dlq.arn, maxNumberOfMessagesPerSecond: 5});
  assert.equal(code(() => sqs.startMoveTask({sourceArn: dlq.arn})), 'AWS.SimpleQueueService.UnsupportedOperation');
  clock.advance(1);
  sqs.tick();
  let [task] = sqs.listMoveTasks(dlq.arn);
  assert.equal(task?.Status, 'RUNNING');
  assert.equal(task?.ApproximateNumberOfMessagesMoved, 5);
  assert.equal(task?.ApproximateNumberOfMessagesToMove, 30);
  assert.equal(task?.MaxNumberOfMessagesPerSecond, 5);
  assert.equal(task?.TaskHandle, taskHandle);
  clock.advance(3);
  sqs.tick();
  assert.equal(sqs.listMoveTasks(dlq.arn)[0]?.ApproximateNumberOfMessagesMoved, 20);
  clock.advance(100);
  sqs.tick();
  [task] = sqs.listMoveTasks(dlq.arn);
  assert.equal(task?.Status, 'COMPLETED');
  assert.equal(task?.ApproximateNumberOfMessagesMoved, 30);
  assert.equal(task?.TaskHandle, undefined);
  assert.equal(sqs.stats(dlq.url).total, 0);
  const back = [...sqs.peekAll(srcA.url), ...sqs.peekAll(srcB.url)];
  assert.equal(back.length, 30);
  assert.equal(sqs.peekAll(srcA.url).length, 15, 'each message went back to its own source');
  for (const m of back) {
    assert.ok(!ids.has(m.messageId), 'new ids');
    assert.equal(m.receiveCount, 0);
    assert.equal(m.deadLetterQueueSourceArn, undefined);
  }
});

test('move task: cancel stops it (CANCELLING then CANCELLED); a message without an SQS source FAILS the task', () => {
  const {sqs, clock} = setup();
  const dlq = sqs.createQueue('dlq');
  const src = sqs.createQueue('src', {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: 1})});
  for (let i = 0; i < 10; i++) sqs.send(src.url, {body: `m${i}`});
  while (sqs.receive(src.url, {maxNumberOfMessages: 10, visibilityTimeoutSeconds: 0}).length > 0);
  const {taskHandle} = sqs.startMoveTask({sourceArn: dlq.arn, maxNumberOfMessagesPerSecond: 2});
  clock.advance(2);
  sqs.tick();
  assert.deepEqual(sqs.cancelMoveTask(taskHandle), {approximateNumberOfMessagesMoved: 4});
  assert.equal(sqs.listMoveTasks(dlq.arn)[0]?.Status, 'CANCELLING');
  clock.advance(10);
  sqs.tick();
  const [cancelled] = sqs.listMoveTasks(dlq.arn);
  assert.equal(cancelled?.Status, 'CANCELLED');
  assert.equal(cancelled?.ApproximateNumberOfMessagesMoved, 4);
  assert.equal(sqs.stats(dlq.url).total, 6);
  assert.equal(code(() => sqs.cancelMoveTask(taskHandle)), 'AWS.SimpleQueueService.UnsupportedOperation');
  assert.equal(code(() => sqs.cancelMoveTask('bm9wZQ==')), 'ResourceNotFoundException');

  // A message a Lambda function wrote to the DLQ has no SQS source: without a DestinationArn the task fails.
  sqs.purge(dlq.url);
  sqs.send(dlq.url, {body: '{"lambda":"event"}', messageAttributes: {ErrorCode: {DataType: 'Number', StringValue: '200'}}});
  sqs.startMoveTask({sourceArn: dlq.arn});
  clock.advance(1);
  sqs.tick();
  const [failed] = sqs.listMoveTasks(dlq.arn);
  assert.equal(failed?.Status, 'FAILED');
  assert.match(failed?.FailureReason ?? '', /Lambda or SNS/);
  assert.equal(sqs.stats(dlq.url).total, 1, 'the message stays in the DLQ');
  // with an explicit destination it moves
  const retry = sqs.createQueue('retry');
  sqs.startMoveTask({sourceArn: dlq.arn, destinationArn: retry.arn});
  clock.advance(1);
  sqs.tick();
  assert.equal(sqs.listMoveTasks(dlq.arn, 10).length, 3);
  assert.equal(sqs.listMoveTasks(dlq.arn)[0]?.Status, 'COMPLETED');
  assert.deepEqual(sqs.peekAll(retry.url).map((m) => m.body), ['{"lambda":"event"}']);
});

test('a large DLQ (100,000 messages): counts stay exact through receives, releases and ticks', () => {
  const {sqs, clock} = setup();
  const q = sqs.createQueue('bench-dlq');
  for (let i = 0; i < 100_000; i++) sqs.send(q.url, {body: `event ${i}`});
  for (let i = 0; i < 200; i++) {
    const got = sqs.receive(q.url, {maxNumberOfMessages: 10, visibilityTimeoutSeconds: 30});
    assert.equal(got.length, 10);
    if (i % 2 === 0) for (const m of got) sqs.changeVisibility(q.url, m.ReceiptHandle, 0);
    sqs.tick();
  }
  assert.deepEqual(sqs.stats(q.url), {visible: 99_000, inflight: 1_000, delayed: 0, total: 100_000});
  clock.advance(30);
  sqs.tick();
  assert.deepEqual(sqs.stats(q.url), {visible: 100_000, inflight: 0, delayed: 0, total: 100_000});
});
