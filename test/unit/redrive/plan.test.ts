import assert from 'node:assert/strict';
import {test} from 'node:test';
import {JournalIndex, payloadHash} from '../../../source/redrive/journal.ts';
import {ASYNC_PAYLOAD_LIMIT_BYTES, planRedrive} from '../../../source/redrive/plan.ts';
import {event} from './helpers.ts';

const lambda = {kind: 'lambda', functionName: 'order-processor'} as const;
const queue = {kind: 'queue', queueUrl: 'http://q/src'} as const;
const accepted = (over: {messageId: string; newId: string; originalRequestId: string | null; time?: number}) => ({
  outcome: 'accepted' as const, time: over.time ?? Date.parse('2026-01-01T00:00:00Z'), payloadHash: 'h', ...over,
});

test('sends the DLQ body byte for byte to Lambda', () => {
  const body = '{ "a" : 1,\n "é": "\\u0000" }';
  const plan = planRedrive([event({body, payload: body})], lambda);
  assert.equal(plan.sends.length, 1);
  assert.equal(plan.sends[0]!.payload, body);
  assert.equal(plan.sends[0]!.payloadHash, payloadHash(body));
  assert.equal(plan.sends[0]!.bytes, Buffer.byteLength(body));
});

test('invocation records replay requestPayload; queue targets move the whole body with all attributes', () => {
  const record = JSON.stringify({requestContext: {requestId: 'x'}, requestPayload: {id: 7}});
  const e = event({shape: 'invocation-record', source: 'on-failure', body: record, payload: '{"id":7}', messageAttributes: {n: {dataType: 'Number', stringValue: '5'}}});
  assert.equal(planRedrive([e], lambda).sends[0]!.payload, '{"id":7}');
  const q = planRedrive([e], queue);
  assert.equal(q.sends[0]!.payload, record);
  assert.deepEqual(q.sends[0]!.messageAttributes, {n: {dataType: 'Number', stringValue: '5'}});
});

test('skips unrecoverable, oversized and wrong-target events with reasons', () => {
  const big = 'x'.repeat(ASYNC_PAYLOAD_LIMIT_BYTES + 1);
  const exact = 'y'.repeat(ASYNC_PAYLOAD_LIMIT_BYTES);
  const plan = planRedrive(
    [
      event({messageId: 'a', requestId: 'ra', payload: null, note: 'body is not JSON'}),
      event({messageId: 'b', requestId: 'rb', body: big, payload: big}),
      event({messageId: 'c', requestId: 'rc', body: exact, payload: exact}),
      event({messageId: 'd', requestId: 'rd', source: 'source-dlq', shape: 'source-message'}),
      event({messageId: 'e', requestId: 're', body: '{"k":1}', payload: '{"k":1}'}),
    ],
    lambda,
  );
  assert.deepEqual(plan.sends.map((s) => s.event.messageId), ['c', 'e']);
  assert.deepEqual(plan.skips.map((s) => [s.event.messageId, s.reason]), [['a', 'no-payload'], ['b', 'too-large'], ['d', 'wrong-target']]);
  assert.equal(plan.skips[0]!.detail, 'body is not JSON');
});

test('two messages with the same body are two events (Lambda and queue targets); only the same identity is one', () => {
  const body = '{"heartbeat":true}';
  const many = Array.from({length: 200}, (_, i) => event({messageId: `m${i}`, requestId: `r${i}`, body, payload: body}));
  assert.equal(planRedrive(many, lambda).sends.length, 200);
  assert.equal(planRedrive(many, queue).sends.length, 200);
  // A DLQ message and its OnFailure twin (same request id): one send, the other a copy; the DLQ's raw body wins.
  const dlq = event({messageId: 'd1', requestId: 'same', source: 'dlq', queueUrl: 'http://q/dlq', body: '{"raw":1}', payload: '{"raw":1}'});
  const record = event({messageId: 'o1', requestId: 'same', source: 'on-failure', shape: 'invocation-record', queueUrl: 'http://q/onf', body: '{"requestPayload":{"raw":1}}', payload: '{"raw": 1}'});
  const plan = planRedrive([record, dlq], lambda);
  assert.equal(plan.sends.length, 1);
  assert.equal(plan.sends[0]!.event.messageId, 'd1');
  assert.equal(plan.sends[0]!.payload, '{"raw":1}');
  assert.deepEqual(plan.sends[0]!.copies.map((c) => c.messageId), ['o1']);
  // For a queue move they are two messages.
  assert.equal(planRedrive([record, dlq], queue).sends.length, 2);
  // A copy of an identity another batch is sending follows it.
  const follow = planRedrive([event({messageId: 'x', requestId: 'same'})], lambda, {inFlight: new Set(['request:same'])});
  assert.deepEqual(follow.skips.map((s) => [s.reason, s.identity]), [['duplicate', 'request:same']]);
});

test('resume: this message accepted -> delete the leftover; its twin accepted -> delete without sending; same payload elsewhere -> sent', () => {
  const index = new JournalIndex();
  const body = '{"order":42}';
  index.add('lambda:order-processor', accepted({messageId: 'm1', newId: 'new-1', originalRequestId: 'req-1'}));
  const plan = planRedrive(
    [event({messageId: 'm1', requestId: 'req-1', body}), event({messageId: 'twin', requestId: 'req-1', source: 'on-failure', body}), event({messageId: 'm2', requestId: 'req-2', body})],
    lambda,
    {journal: index},
  );
  assert.deepEqual(plan.skips.map((s) => [s.event.messageId, s.reason, s.deleteLeftover]), [['m1', 'already-accepted', true], ['twin', 'already-accepted', true]]);
  assert.deepEqual(plan.sends.map((s) => s.event.messageId), ['m2'], 'same S3 key, same order id: a new event, sent');
  assert.equal(plan.failedAgain, 0);
  const other = planRedrive([event({messageId: 'm1', requestId: 'req-1', body})], {kind: 'lambda', functionName: 'other'}, {journal: index});
  assert.equal(other.sends.length, 1, 'another target has not seen it');
});

test('failed again: the event carries the new id the journal recorded; skipped (exit 1) unless includeFailedAgain; scoped to retention', () => {
  const index = new JournalIndex();
  const t = Date.parse('2026-01-01T00:00:00Z');
  index.add('lambda:order-processor', accepted({messageId: 'm1', newId: 'new-1', originalRequestId: 'req-1', time: t}));
  index.add('queue:http://q/src', accepted({messageId: 'q1', newId: 'moved-1', originalRequestId: null, time: t}));
  const back = event({messageId: 'm9', requestId: 'new-1'});
  const plan = planRedrive([back], lambda, {journal: index});
  assert.deepEqual(plan.skips.map((s) => s.reason), ['failed-again']);
  assert.match(plan.skips[0]!.detail, /--include-failed-again/);
  assert.equal(plan.failedAgain, 1);
  const anyway = planRedrive([back], lambda, {journal: index, includeFailedAgain: true});
  assert.equal(anyway.sends.length, 1);
  assert.equal(anyway.sends[0]!.failedAgain, true);
  assert.equal(anyway.failedAgain, 1);
  assert.equal(planRedrive([back], lambda, {journal: index, failedAgainSince: t + 1}).sends.length, 1, 'older than the queue retention: not this redrive');
  // Queue move: the moved message (its new id) is back in the DLQ.
  assert.deepEqual(planRedrive([event({messageId: 'moved-1'})], queue, {journal: index}).skips.map((s) => s.reason), ['failed-again']);
});

test('limit caps sends; filter excludes', () => {
  const events = [1, 2, 3, 4].map((i) => event({messageId: `m${i}`, requestId: `r${i}`, body: `{"i":${i}}`}));
  const first = planRedrive(events, lambda, {limit: 2});
  assert.deepEqual(first.sends.map((s) => s.event.messageId), ['m1', 'm2']);
  assert.deepEqual(first.skips.map((s) => s.reason), ['limit', 'limit']);
  const filtered = planRedrive(events, lambda, {filter: (e) => e.messageId !== 'm2'});
  assert.equal(filtered.skips[0]!.reason, 'filtered');
  assert.equal(filtered.sends.length, 3);
});
