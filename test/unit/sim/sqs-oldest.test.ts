// oldestSentTimestamp (what the model reports as AWS/SQS ApproximateAgeOfOldestMessage) stays exact on a big
// queue through receives, deletes, visibility changes, retention expiry and DLQ moves: it is checked against a
// full scan (peekAll) after every kind of change.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createSqsEngine, type SimSqs} from '../../../source/sim/sqs/engine.ts';

const ACCOUNT = '123456789012';
const N = 100_000;

function scanOldest(sqs: SimSqs, url: string): number | null {
  let oldest = Infinity;
  for (const m of sqs.peekAll(url)) if (m.sentTimestamp < oldest) oldest = m.sentTimestamp;
  return oldest === Infinity ? null : oldest;
}

test('oldestSentTimestamp is exact on a 100,000-message queue through receive, delete, visibility, retention and DLQ moves', () => {
  const start = Date.UTC(2026, 0, 1);
  let now = start;
  const clock = {now: () => now, speed: 1};
  const sqs = createSqsEngine({clock, region: 'eu-west-1', accountId: ACCOUNT, baseUrl: () => 'http://127.0.0.1:4566'});
  const dlq = sqs.createQueue('work-dlq');
  const q = sqs.createQueue('work', {VisibilityTimeout: '30', MessageRetentionPeriod: '86400'});
  sqs.setAttributes(q.url, {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: 1})});
  const check = (label: string) => {
    assert.equal(sqs.oldestSentTimestamp(q.url), scanOldest(sqs, q.url), `${label}: source queue`);
    assert.equal(sqs.oldestSentTimestamp(dlq.url), scanOldest(sqs, dlq.url), `${label}: DLQ`);
  };

  assert.equal(sqs.oldestSentTimestamp(q.url), null, 'an empty queue has no oldest message');
  // one message per 10 ms; a few in the first half with a delay (delayed messages count: they are in the queue)
  for (let i = 0; i < N; i++) {
    sqs.send(q.url, {body: `m${i}`, ...(i % 1000 === 500 && i < N / 2 ? {delaySeconds: 60} : {})});
    now += 10;
  }
  assert.equal(sqs.stats(q.url).total, N);
  assert.equal(sqs.oldestSentTimestamp(q.url), start);
  check('after sending');

  // receive the 30 oldest (they stay in the queue, in flight): the oldest does not change
  const received = [];
  for (let i = 0; i < 3; i++) received.push(...sqs.receive(q.url, {maxNumberOfMessages: 10, attributeNames: ['SentTimestamp']}));
  assert.equal(received.length, 30);
  assert.equal(Number(received[0]!.Attributes.SentTimestamp), start);
  assert.equal(sqs.oldestSentTimestamp(q.url), start);
  check('after receives');

  // delete the 20 oldest: the oldest moves to the 21st message sent
  for (const m of received.slice(0, 20)) sqs.deleteMessage(q.url, m.ReceiptHandle);
  assert.equal(sqs.oldestSentTimestamp(q.url), Number(received[20]!.Attributes.SentTimestamp));
  check('after deletes');

  // visibility changes (longer, then back to visible at once) keep the message in the queue
  sqs.changeVisibility(q.url, received[20]!.ReceiptHandle, 600);
  check('after a longer visibility timeout');
  sqs.changeVisibility(q.url, received[21]!.ReceiptHandle, 0);
  check('after visibility 0');
  assert.equal(sqs.oldestSentTimestamp(q.url), Number(received[20]!.Attributes.SentTimestamp));

  // DLQ moves (maxReceiveCount 1): receive every message once; after the visibility timeout one receive moves
  // every message that comes back to the DLQ, with its SentTimestamp
  let receivedOnce = 30;
  for (let batch = sqs.receive(q.url, {maxNumberOfMessages: 10}); batch.length > 0; batch = sqs.receive(q.url, {maxNumberOfMessages: 10})) receivedOnce += batch.length;
  assert.equal(receivedOnce, N, 'every message was received once (the one made visible at 0 went to the DLQ on its second receive)');
  check('with every message in flight');
  now += 31_000; // all come back but the 21st oldest (600 s)
  assert.deepEqual(sqs.receive(q.url, {maxNumberOfMessages: 10}), [], 'every message that came back went to the DLQ');
  assert.equal(sqs.stats(dlq.url).total, N - 21);
  assert.equal(sqs.stats(q.url).total, 1);
  assert.equal(sqs.oldestSentTimestamp(dlq.url), Number(received[21]!.Attributes.SentTimestamp), 'the DLQ keeps the original enqueue time');
  assert.equal(sqs.oldestSentTimestamp(q.url), Number(received[20]!.Attributes.SentTimestamp), 'the one with a 600 s timeout is still in flight');
  check('after DLQ moves');
  sqs.deleteMessage(q.url, received[20]!.ReceiptHandle);
  assert.equal(sqs.oldestSentTimestamp(q.url), null);
  check('after deleting the last source message');

  // DLQ messages received and deleted, oldest first
  const fromDlq = sqs.receive(dlq.url, {maxNumberOfMessages: 10, attributeNames: ['SentTimestamp']});
  const dlqOldest = sqs.oldestSentTimestamp(dlq.url);
  for (const m of fromDlq) sqs.deleteMessage(dlq.url, m.ReceiptHandle);
  assert.ok(sqs.oldestSentTimestamp(dlq.url)! > dlqOldest!);
  check('after DLQ deletes');

  // retention: a shorter period expires the older half of the DLQ at once (counted from the original enqueue)
  const keepMs = (N / 2) * 10;
  sqs.setAttributes(dlq.url, {MessageRetentionPeriod: String(Math.ceil((now - start - keepMs) / 1000))});
  const left = sqs.stats(dlq.url).total;
  assert.ok(left > 0 && left < N / 2 + 5000, `expired messages are gone (${left} left)`);
  assert.ok(sqs.oldestSentTimestamp(dlq.url)! > start + keepMs - 10_000);
  check('after retention expiry');
  // time passes: retention keeps expiring messages as the clock moves
  for (let step = 0; step < 5; step++) {
    now += 77_777;
    check(`after ${step + 1} retention steps`);
  }
  now += 86_400_000;
  assert.equal(sqs.oldestSentTimestamp(dlq.url), null, 'everything expired');
  check('after full expiry');

  // purge, then a new message: the oldest is the new one
  sqs.send(q.url, {body: 'old'});
  now += 60_000;
  sqs.purge(q.url);
  assert.equal(sqs.oldestSentTimestamp(q.url), null);
  sqs.send(q.url, {body: 'fresh'});
  assert.equal(sqs.oldestSentTimestamp(q.url), now);
  check('after purge');
});

// What the model publishes as ApproximateAgeOfOldestMessage (reference section 4): counted from when the message
// entered THIS queue (a redrive-policy move restarts it, while SentTimestamp and retention keep the original
// enqueue), and leaving out messages received more than 3 times.
test('oldestAgeTimestamp counts a moved message from the move and leaves out messages received more than 3 times', () => {
  const start = Date.UTC(2026, 0, 1);
  let now = start;
  const clock = {now: () => now, speed: 1};
  const sqs = createSqsEngine({clock, region: 'eu-west-1', accountId: ACCOUNT, baseUrl: () => 'http://127.0.0.1:4566'});
  const dlq = sqs.createQueue('src-dlq');
  const q = sqs.createQueue('src', {VisibilityTimeout: '10'});
  sqs.setAttributes(q.url, {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: 1})});
  sqs.send(q.url, {body: 'a'});
  now += 60_000;
  assert.equal(sqs.receive(q.url, {}).length, 1);
  now += 11_000;
  assert.deepEqual(sqs.receive(q.url, {}), [], 'the second receive moved it to the DLQ');
  const movedAt = now;
  assert.equal(sqs.oldestSentTimestamp(dlq.url), start, 'SentTimestamp (and retention) keep the original enqueue');
  assert.equal(sqs.oldestAgeTimestamp(dlq.url), movedAt, 'the age metric counts from the move');
  const [peeked] = sqs.receive(dlq.url, {attributeNames: ['SentTimestamp'], visibilityTimeoutSeconds: 0});
  assert.equal(Number(peeked!.Attributes.SentTimestamp), start, 'a DLQ reader sees the original SentTimestamp');

  // received 4 times (e.g. peeked by lambda-top): no longer counted by the age metric
  now += 5_000;
  const bAt = now;
  sqs.send(dlq.url, {body: 'b'});
  for (let i = 0; i < 3; i++) assert.equal(sqs.receive(dlq.url, {visibilityTimeoutSeconds: 0, maxNumberOfMessages: 10}).length, 2);
  const counts = Object.fromEntries(sqs.peekAll(dlq.url).map((m) => [m.body, m.receiveCount]));
  assert.ok(counts.a! > 3 && counts.b === 3, JSON.stringify(counts));
  assert.equal(sqs.oldestAgeTimestamp(dlq.url), bAt, 'the one received more than 3 times is left out');
  sqs.receive(dlq.url, {visibilityTimeoutSeconds: 0, maxNumberOfMessages: 10});
  assert.equal(sqs.oldestAgeTimestamp(dlq.url), null, 'every message was received more than 3 times: the metric sees none');
  assert.equal(sqs.stats(dlq.url).total, 2, 'though both are still there');
});
