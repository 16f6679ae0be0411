import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {CompactIdSet, compareAt, keyOf} from '../../../source/redrive/id-set.ts';
import {SpillingIdSet} from '../../../source/redrive/id-spill.ts';
import {JournalIndex} from '../../../source/redrive/journal.ts';
import {planRedrive} from '../../../source/redrive/plan.ts';
import type {FailedEvent} from '../../../source/domain/types.ts';

test('a compact id set finds every id it was given, with its first time (to the second), across growth; others are absent', () => {
  const set = new CompactIdSet();
  const start = 1_767_225_600_000;
  const ids = Array.from({length: 20_000}, (_, i) => (i % 3 === 0 ? `req-${i}` : randomUUID()));
  ids.forEach((id, i) => set.add(id, start + i * 1000 + (i % 1000)));
  set.add(ids[5]!, start + 99_000_000); // again: the first time stays
  assert.equal(set.size, ids.length);
  ids.forEach((id, i) => assert.equal(set.get(id), start + i * 1000, id));
  for (let i = 0; i < 2000; i++) assert.equal(set.has(randomUUID()), false);
  assert.equal(set.has('req-20000'), false);
  assert.equal(set.has(''), false);
});

test('keys: a lower-case UUID is its own 16 bytes; an upper-case one or another id is keyed apart by its SHA-256', () => {
  const a = new Uint32Array(4);
  keyOf('0123abcd-4567-89ef-0123-456789abcdef', a);
  assert.deepEqual([...a], [0x0123abcd, 0x456789ef, 0x01234567, 0x89abcdef]);
  const upper = new Uint32Array(4);
  keyOf('0123ABCD-4567-89EF-0123-456789ABCDEF', upper);
  assert.notDeepEqual([...upper], [...a], 'request ids are compared exactly, case included');
  const set = new CompactIdSet();
  set.add('0123abcd-4567-89ef-0123-456789abcdef', 5);
  assert.equal(set.has('0123ABCD-4567-89EF-0123-456789ABCDEF'), false);
  assert.equal(set.has('0123abcd-4567-89ef-0123-456789abcdee'), false);
});

const dlqEvent = (messageId: string, requestId: string): FailedEvent =>
  ({
    shape: 'dlq-message', source: 'dlq', queueUrl: 'http://q/dlq', messageId, receiptHandle: `rh-${messageId}`, time: 0, requestId, functionArn: null, condition: null, attempts: null,
    errorType: null, errorMessage: null, stackTrace: [], errorCode: null, functionError: null, payload: '{"a":1}', sizeBytes: 7, receiveCount: 1, sentAt: 0, messageAttributes: {}, note: null, body: '{"a":1}',
  }) as FailedEvent;

test('in-run acceptances: a later twin (same request id) is already accepted, a redriven invoke coming back (its new id) failed again', () => {
  const index = new JournalIndex();
  const req = randomUUID();
  const fresh = randomUUID();
  index.addInRun('lambda:f', {time: 5000, messageId: 'm1', newId: fresh, originalRequestId: req});
  assert.equal(index.inRunCount('lambda:f'), 1);
  assert.equal(index.acceptedRequest('lambda:f', req)?.time, 5000);
  assert.equal(index.acceptedRequest('lambda:g', req), undefined, 'another target');
  assert.equal(index.acceptedAs('lambda:f', fresh)?.time, 5000);
  const plan = planRedrive([dlqEvent('m2', req), dlqEvent('m3', fresh), dlqEvent('m4', randomUUID())], {kind: 'lambda', functionName: 'f'}, {journal: index});
  assert.deepEqual(plan.skips.map((s) => [s.event.messageId, s.reason, s.deleteLeftover]), [['m2', 'already-accepted', true], ['m3', 'failed-again', false]]);
  assert.match(plan.skips[0]!.detail, /earlier in this run/);
  assert.deepEqual(plan.sends.map((s) => s.event.messageId), ['m4']);
  // failedAgainSince: an acceptance before it does not count.
  const later = planRedrive([dlqEvent('m3', fresh)], {kind: 'lambda', functionName: 'f'}, {journal: index, failedAgainSince: 6000});
  assert.deepEqual(later.sends.map((s) => s.event.messageId), ['m3']);
});

test('a spilling id set finds every id across spilled runs with its first time, others are absent, and leaves no file behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'id-spill-test-'));
  try {
    const set = new SpillingIdSet(100, dir);
    const start = 1_767_225_600_000;
    const ids = Array.from({length: 2_050}, (_, i) => (i % 3 === 0 ? `req-${i}` : randomUUID()));
    ids.forEach((id, i) => set.add(id, start + i * 1000 + (i % 1000)));
    assert.equal(set.spilledRuns, 20, 'the table spilled every 100 ids');
    set.add(ids[5]!, start + 99_000_000); // again, from a spilled run: the first time stays, not counted twice
    set.add(ids[2_040]!, start + 99_000_000); // again, from the table
    assert.equal(set.size, ids.length);
    ids.forEach((id, i) => assert.equal(set.get(id), start + i * 1000, id));
    for (let i = 0; i < 5000; i++) assert.equal(set.has(randomUUID()), false);
    assert.equal(set.has('req-2050'), false);
    assert.deepEqual(readdirSync(dir), [], 'the spill file was unlinked once open');
    set.close();
    assert.equal(set.has(ids[0]!), false, 'closed: the runs are gone');
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

test('a spilling id set whose runs span many pages (1,000 ids a run, 128 a page) finds every id in them, others are absent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'id-spill-test-'));
  try {
    const set = new SpillingIdSet(1000, dir);
    const ids = Array.from({length: 3_500}, (_, i) => (i % 5 === 0 ? `req-${i}` : randomUUID()));
    ids.forEach((id, i) => set.add(id, 1_000_000 + i * 1000));
    assert.equal(set.spilledRuns, 3);
    ids.forEach((id, i) => assert.equal(set.get(id), 1_000_000 + i * 1000, id));
    for (let i = 0; i < 3000; i++) assert.equal(set.has(randomUUID()), false);
    set.close();
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

test('a spilling id set whose file cannot be written keeps its ids in memory', () => {
  const set = new SpillingIdSet(10, join(tmpdir(), 'no-such-dir-for-id-spill', 'deeper'));
  const ids = Array.from({length: 100}, () => randomUUID());
  ids.forEach((id, i) => set.add(id, i * 1000));
  assert.equal(set.spilledRuns, 0);
  assert.equal(set.size, 100);
  ids.forEach((id, i) => assert.equal(set.get(id), i * 1000));
  set.close();
});

test('in-run acceptances spilled to the file still make a twin already accepted and a returning new id failed again', () => {
  const index = new JournalIndex(8);
  const accepted = Array.from({length: 50}, (_, i) => ({time: 1000 * i, messageId: `m${i}`, newId: randomUUID(), originalRequestId: randomUUID()}));
  for (const a of accepted) index.addInRun('lambda:f', a);
  assert.equal(index.inRunCount('lambda:f'), 50);
  const first = accepted[0]!;
  const plan = planRedrive([dlqEvent('twin', first.originalRequestId), dlqEvent('back', first.newId), dlqEvent('new', randomUUID())], {kind: 'lambda', functionName: 'f'}, {journal: index});
  assert.deepEqual(plan.skips.map((s) => [s.event.messageId, s.reason]), [['twin', 'already-accepted'], ['back', 'failed-again']]);
  assert.deepEqual(plan.sends.map((s) => s.event.messageId), ['new']);
  index.close();
});

test('sortedRecords: every id once, in key order, ids sharing their first 32 bits included', () => {
  const set = new CompactIdSet();
  const ids = Array.from({length: 3000}, (_, i) => (i % 10 === 0 ? `deadbeef${randomUUID().slice(8)}` : i % 7 === 0 ? `id-${i}` : randomUUID()));
  ids.forEach((id, i) => set.add(id, i * 1000));
  const records = set.sortedRecords();
  assert.equal(records.length, ids.length * 5);
  for (let i = 1; i < ids.length; i++) assert.equal(compareAt(records, (i - 1) * 5, records, i * 5), -1, `record ${i} after ${i - 1}`);
  const key = new Uint32Array(4);
  const stamps = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) stamps.set([...records.subarray(i * 5, i * 5 + 4)].join(','), records[i * 5 + 4]!);
  ids.forEach((id, i) => {
    keyOf(id, key);
    assert.equal(set.timeOf(stamps.get([...key].join(','))!), i * 1000, id);
  });
});

test('sortedPages: after clear(), the ids added since, in key order, a page at a time (pages of 7, the last one short)', () => {
  const set = new CompactIdSet();
  for (let i = 0; i < 2000; i++) set.add(randomUUID(), i * 1000);
  set.sortedRecords();
  set.clear();
  const ids = Array.from({length: 300}, (_, i) => (i % 9 === 0 ? `id-${i}` : randomUUID()));
  ids.forEach((id, i) => set.add(id, 5_000_000 + i * 1000));
  const page = new Uint32Array(7 * 5);
  const pages: number[][] = [];
  set.sortedPages(page, (n) => pages.push([...page.subarray(0, n * 5)]));
  assert.deepEqual(pages.map((p) => p.length / 5), [...Array.from({length: 42}, () => 7), 6]);
  const records = Uint32Array.from(pages.flat());
  assert.deepEqual(records, set.sortedRecords());
  for (let i = 1; i < ids.length; i++) assert.equal(compareAt(records, (i - 1) * 5, records, i * 5), -1, `record ${i} after ${i - 1}`);
  const key = new Uint32Array(4);
  const found = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) found.set([...records.subarray(i * 5, i * 5 + 4)].join(','), records[i * 5 + 4]!);
  ids.forEach((id, i) => {
    keyOf(id, key);
    assert.equal(set.timeOf(found.get([...key].join(','))!), 5_000_000 + i * 1000, id);
  });
});
