import assert from 'node:assert/strict';
import {test} from 'node:test';
import {JournalIndex, payloadHash} from '../../../source/redrive/journal.ts';
import {ASYNC_PAYLOAD_LIMIT_BYTES, planRedrive} from '../../../source/redrive/plan.ts';
import {event} from './helpers.ts';

const lambda = {kind: 'lambda', functionName: 'order-processor'} as const;

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
  const q = planRedrive([e], {kind: 'queue', queueUrl: 'http://q/src'});
  assert.equal(q.sends[0]!.payload, record);
  assert.deepEqual(q.sends[0]!.messageAttributes, {n: {dataType: 'Number', stringValue: '5'}});
});

test('skips unrecoverable, oversized, wrong-target and duplicate events with reasons', () => {
  const big = 'x'.repeat(ASYNC_PAYLOAD_LIMIT_BYTES + 1);
  const exact = 'y'.repeat(ASYNC_PAYLOAD_LIMIT_BYTES);
  const plan = planRedrive(
    [
      event({messageId: 'a', payload: null, note: 'body is not JSON'}),
      event({messageId: 'b', body: big, payload: big}),
      event({messageId: 'c', body: exact, payload: exact}),
      event({messageId: 'd', source: 'source-dlq', shape: 'source-message'}),
      event({messageId: 'e', body: '{"k":1}', payload: '{"k":1}'}),
      event({messageId: 'f', body: '{"k":1}', payload: '{"k":1}'}),
    ],
    lambda,
  );
  assert.deepEqual(plan.sends.map((s) => s.event.messageId), ['c', 'e']);
  assert.deepEqual(plan.skips.map((s) => [s.event.messageId, s.reason]), [['a', 'no-payload'], ['b', 'too-large'], ['d', 'wrong-target'], ['f', 'duplicate']]);
  assert.equal(plan.skips[0]!.detail, 'body is not JSON');
});

test('resume: a payload accepted from the same message is only deleted; from another message it failed again', () => {
  const index = new JournalIndex();
  const body = '{"order":42}';
  index.add({time: '2026-01-01T00:00:00.000Z', messageId: 'm1', requestId: 'r', payloadHash: payloadHash(body), source: 'q', target: 'lambda:order-processor', outcome: 'accepted', detail: ''});
  const plan = planRedrive([event({messageId: 'm1', body}), event({messageId: 'm2', body}), event({messageId: 'm3', body: '{"order":43}'})], lambda, {journal: index});
  assert.deepEqual(plan.skips.map((s) => [s.event.messageId, s.reason, s.deleteLeftover]), [['m1', 'already-accepted', true], ['m2', 'failed-again', false]]);
  assert.equal(plan.failedAgain, 1);
  assert.deepEqual(plan.sends.map((s) => s.event.messageId), ['m3']);
  // Another target has not seen it: it is sent there.
  const other = planRedrive([event({messageId: 'm1', body})], {kind: 'lambda', functionName: 'other'}, {journal: index});
  assert.equal(other.sends.length, 1);
});

test('limit caps sends; seenHashes carries duplicates across batches; filter excludes', () => {
  const seen = new Set<string>();
  const events = [1, 2, 3, 4].map((i) => event({messageId: `m${i}`, body: `{"i":${i}}`}));
  const first = planRedrive(events, lambda, {limit: 2, seenHashes: seen});
  assert.deepEqual(first.sends.map((s) => s.event.messageId), ['m1', 'm2']);
  assert.deepEqual(first.skips.map((s) => s.reason), ['limit', 'limit']);
  const second = planRedrive([event({messageId: 'x', body: '{"i":1}'})], lambda, {seenHashes: seen});
  assert.equal(second.skips[0]!.reason, 'duplicate');
  const filtered = planRedrive(events, lambda, {filter: (e) => e.messageId !== 'm2'});
  assert.equal(filtered.skips[0]!.reason, 'filtered');
  assert.equal(filtered.sends.length, 3);
});
