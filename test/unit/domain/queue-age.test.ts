// Issue 12 points 8, 9 and 7: our own peeks distort ApproximateAgeOfOldestMessage (SQS leaves out messages received
// more than 3 times), the SentTimestamps our peeks saw bound the oldest age from below where the metric knows
// nothing, and a standard source DLQ expires messages from their first enqueue in the source queue.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {formatQueueAge, queueAge, queueAgeCaveat, queueAgeFootnote, retentionLeft, type QueuePeeks} from '../../../source/domain/queue-age.ts';
import {diagnose} from '../../../source/domain/diagnose.ts';
import {snapshotToJson} from '../../../source/domain/snapshot-json.ts';
import type {QueueStatus} from '../../../source/domain/types.ts';
import {buildQueueRows, findingsFor} from '../../../source/ui/view-model.ts';
import {queueLines} from '../../../source/ui/components/QueuesPanel.tsx';
import {createInitialState, reduce} from '../../../source/store/reducer.ts';
import {NOW, dashboard, dlqMessage, queues, snapshot, topology} from '../ui/fixtures.ts';

const H = 3600_000;
const lineText = (line: Array<{text: string}>): string => line.map((s) => s.text).join('');

const dlq: QueueStatus = {...queues.find((q) => q.role === 'dlq')!, visible: 40, inFlight: 0, delayed: 0, oldestAgeSeconds: 600, retentionSeconds: 4 * 86_400};
const sourceDlq: QueueStatus = {
  ...dlq, role: 'source-dlq', name: 'orders-dlq', url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq',
  arn: 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq', oldestAgeSeconds: 3600, retentionSeconds: 4 * 86_400,
};
const peeks = (entries: Array<[number, number]>): QueuePeeks =>
  Object.fromEntries(entries.map(([ageMs, receiveCount], i) => [`m-${i}`, {sentAt: NOW - ageMs, receiveCount}]));

test('the age metric alone: as it is, no bound, nothing to say', () => {
  const age = queueAge(dlq, undefined, NOW);
  assert.deepEqual([age.seconds, age.atLeast, age.from, age.peeked, age.hiddenFromMetric], [600, false, 'metric', 0, 0]);
  assert.equal(formatQueueAge(age), '10 min');
  assert.equal(queueAgeCaveat(dlq, age), null);
  assert.equal(queueAgeFootnote(age), null);
});

test('peeked messages received more than 3 times: the metric may be too young, and we say our peeks did it', () => {
  const age = queueAge(dlq, peeks([[300_000, 4], [200_000, 5], [100_000, 2]]), NOW);
  assert.equal(age.hiddenFromMetric, 2);
  assert.equal(age.from, 'metric', 'the peeked ones are younger than the metric says');
  assert.equal(age.atLeast, true);
  assert.equal(formatQueueAge(age), '≥ 10 min');
  assert.match(queueAgeCaveat(dlq, age)!, /2 of the messages our peeks saw were received more than 3 times \(each peek counts\).*ApproximateAgeOfOldestMessage/);
  assert.match(queueAgeFootnote(age)!, /^2 peeked >3 receives, not in the age metric$/);
  assert.deepEqual(retentionLeft(dlq, age), {seconds: 4 * 86_400 - 600, atMost: true});
});

test('the age metric knows nothing (0 before the queue filled): a lower bound from the peeked SentTimestamps, never 0', () => {
  const unknown = {...dlq, oldestAgeSeconds: null};
  assert.equal(formatQueueAge(queueAge(unknown, undefined, NOW)), null, 'not known without peeks');
  const age = queueAge(unknown, peeks([[2 * H, 1], [H, 1]]), NOW);
  assert.deepEqual([age.seconds, age.atLeast, age.from], [7200, true, 'peeked']);
  assert.equal(formatQueueAge(age), '≥ 2 h 00 min');
  // a peeked message older than the metric's age: the metric lags (or skips it), the peek wins, as a lower bound
  assert.equal(queueAge(dlq, peeks([[2 * H, 1]]), NOW).from, 'peeked');
  // messages past the retention have been deleted by SQS, and an empty queue holds none
  assert.equal(queueAge(unknown, peeks([[5 * 86_400_000, 1]]), NOW).seconds, null);
  assert.equal(queueAge({...unknown, visible: 0}, peeks([[H, 1]]), NOW).seconds, null);
});

test('a standard source DLQ: retention counts from the first enqueue; peeked SentTimestamps (kept by the move) give it', () => {
  const metricOnly = queueAge(sourceDlq, undefined, NOW);
  assert.equal(metricOnly.expiresFromSourceEnqueue, true);
  assert.deepEqual(retentionLeft(sourceDlq, metricOnly), {seconds: 4 * 86_400 - 3600, atMost: true}, 'an upper bound from the move');
  assert.match(queueAgeCaveat(sourceDlq, metricOnly)!, /counts from the move into this DLQ, while SQS expires each message from its first enqueue in the source queue/);
  // the oldest peeked message entered the source queue 3 days ago: 1 day left, not 3 d 23 h
  const peeked = queueAge(sourceDlq, peeks([[3 * 86_400_000, 5]]), NOW);
  assert.equal(peeked.from, 'peeked');
  assert.deepEqual(retentionLeft(sourceDlq, peeked), {seconds: 86_400, atMost: true});
  // a FIFO DLQ restarts the clock at the move
  assert.equal(queueAge({...sourceDlq, fifo: true}, undefined, NOW).expiresFromSourceEnqueue, false);
});

test('queues panel: ≥ and ≤ where the age is a bound, and a footnote line that says why', () => {
  const d = dashboard({snapshot: snapshot({queues: [dlq, sourceDlq], at: NOW})});
  const plain = buildQueueRows(d, {});
  assert.deepEqual([plain[0]!.oldest, plain[0]!.retentionLeft, plain[0]!.ageNote], ['10 min', '3 d 23 h', null]);
  assert.equal(plain[1]!.retentionLeft, '≤ 3 d 23 h');
  const peeked = buildQueueRows(d, {}, {[dlq.url]: peeks([[2 * H, 4]]), [sourceDlq.url]: peeks([[3 * 86_400_000, 5]])});
  assert.equal(peeked[0]!.oldest, '≥ 2 h 00 min');
  assert.equal(peeked[0]!.retentionLeft, '≤ 3 d 22 h');
  assert.equal(peeked[1]!.oldest, '≥ 3 d 0 h');
  assert.equal(peeked[1]!.retentionLeft, '≤ 1 d 0 h');
  const text = queueLines(peeked, 100, {compact: false, focused: false, loading: false, error: null, noQueuesText: ''}).map(lineText).join('\n');
  assert.match(text, /order-processor-dlq: 1 peeked >3 receives, not in the age metric; ≥ oldest peeked SentTimestamp\n/);
  assert.match(text, /orders-dlq: 1 peeked >3 receives, not in the age metric; ≥ oldest peeked SentTimestamp$/);
});

test('diagnosis: the retention finding says when our peeks hid messages from the age metric, and counts from the peeked timestamps', () => {
  const old = {...dlq, oldestAgeSeconds: 3 * 86_400 + 20 * 3600};
  const plain = diagnose({topology, metrics: null, queues: [old], now: NOW}).find((f) => f.id === 'dlq-retention')!;
  assert.doesNotMatch(plain.detail, /peeks/);
  const withPeeks = diagnose({topology, metrics: null, queues: [old], now: NOW, peeks: {[old.url]: peeks([[H, 4]])}}).find((f) => f.id === 'dlq-retention')!;
  assert.match(withPeeks.detail, /is at least 3 d 20 h old .* deletes it in at most ~4 h 00 min/);
  assert.match(withPeeks.detail, /1 of the messages our peeks saw was received more than 3 times \(each peek counts\)/);
  // unknown metric, peeked timestamps: the waiting finding gives a lower bound instead of "not known"
  const unknown = {...dlq, oldestAgeSeconds: null};
  const waiting = (p?: Record<string, QueuePeeks>) => diagnose({topology, metrics: null, queues: [unknown], now: NOW, ...(p ? {peeks: p} : {})}).find((f) => f.id === 'failed-events-waiting')!.detail;
  assert.match(waiting(), /the age of the oldest is not known/);
  assert.match(waiting({[unknown.url]: peeks([[2 * H, 1]])}), /the oldest is at least 2 h 00 min old/);
  // a source DLQ whose oldest peeked message entered the source 3 d 20 h ago: about to expire, whatever the metric says
  const sd = diagnose({topology, metrics: null, queues: [sourceDlq], now: NOW, peeks: {[sourceDlq.url]: peeks([[(3 * 24 + 20) * H, 2]])}}).find((f) => f.id === 'dlq-retention')!;
  assert.match(sd.detail, /our peeks saw in .*orders-dlq first entered the source queue 3 d 20 h ago \(its SentTimestamp, which a move to the DLQ keeps\).* ~4 h 00 min/);
  assert.equal(diagnose({topology, metrics: null, queues: [sourceDlq], now: NOW}).find((f) => f.id === 'dlq-retention'), undefined, 'the metric alone (1 h since the move) says nothing');
});

test('the dashboard re-runs the diagnosis with what the peeks saw, and keeps the poller\'s findings otherwise', () => {
  const s = snapshot({queues: [{...dlq, oldestAgeSeconds: null}], at: NOW});
  const d = dashboard({snapshot: s});
  assert.equal(findingsFor(d, {}), s.findings);
  const found = findingsFor(d, {[dlq.url]: peeks([[2 * H, 1]])});
  assert.match(found.find((f) => f.id === 'failed-events-waiting')!.detail, /at least 2 h 00 min old/);
});

test('the store remembers what the peeks saw after the browser closes (receive counts stay raised), and forgets deleted messages', () => {
  let s = createInitialState({functionName: 'order-processor', now: NOW});
  s = reduce(s, {type: 'failed/open'});
  s = reduce(s, {type: 'failed/page-loaded', role: 'dlq', events: [dlqMessage(0, {receiveCount: 4}), dlqMessage(1)], exhausted: false});
  s = reduce(s, {type: 'failed/close'});
  const log = s.peeked[queues[0]!.url]!;
  assert.deepEqual(Object.keys(log).sort(), ['dlq-0000', 'dlq-0001']);
  assert.equal(log['dlq-0000']!.receiveCount, 4);
  assert.equal(log['dlq-0001']!.sentAt, dlqMessage(1).sentAt);
  s = reduce(s, {type: 'failed/events-removed', ids: ['dlq-0000']});
  assert.deepEqual(Object.keys(s.peeked[queues[0]!.url]!), ['dlq-0001']);
});

test('--once --json: a source DLQ\'s age says it counts from the move', () => {
  const json = snapshotToJson(snapshot({queues: [dlq, sourceDlq], at: NOW}));
  assert.equal(json.queues[0]!.oldestAgeNote, null);
  assert.match(json.queues[1]!.oldestAgeNote ?? '', /counts from the move into this DLQ/);
});
