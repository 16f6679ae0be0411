import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readdirSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {EventSpool} from '../../../source/app/event-spool.ts';
import {failedEventMatches, filterWords, parseFailedEvent} from '../../../source/domain/failed-event.ts';

const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
const event = (i: number, body: string) => parseFailedEvent({messageId: `m-${i}`, receiptHandle: `rh-${i}`, body, md5OfBody: null, attributes: {}, messageAttributes: {n: {dataType: 'String', stringValue: `v${i}`}}, receiveCount: 1, sentAt: i}, 'dlq', URL);
const spoolDirs = () => new Set(readdirSync(tmpdir()).filter((d) => d.startsWith('lambda-top-events-')));

test('every event comes back exactly, from memory or from the private spool file, which close removes', () => {
  const before = spoolDirs();
  const spool = new EventSpool(2);
  // Bodies JSON would not keep as they are if parsed: lone surrogates, big numbers, escapes, spacing, NUL.
  const bodies = ['{"a": 12345678901234567890123, "b": 1.50}', 'lone \ud800 and \udc00 surrogates', 'café ☕ 😀\u2028\u0000 "q" \\', 'x'.repeat(300_000)];
  const events = bodies.map((b, i) => event(i, b));
  for (const e of events) spool.put(e);
  assert.equal(spool.size, 4);
  const dirs = [...spoolDirs()].filter((d) => !before.has(d));
  assert.equal(dirs.length, 1, 'one spool directory');
  const dir = join(tmpdir(), dirs[0]!);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'events')).mode & 0o777, 0o600);
  assert.equal(spool.inMemory, 2, 'at most 2 full events in memory');
  for (const e of events) {
    const back = spool.get(e.messageId)!;
    assert.deepEqual(back, e);
    assert.equal(back.body, e.body);
    assert.equal(back.payload, e.payload);
  }
  assert.equal(spool.inMemory, 2);
  assert.equal(spool.get('never-put'), null);
  spool.close();
  assert.equal(existsSync(dir), false, 'the spool file is removed');
  assert.equal(spool.size, 0);
});

test('the LRU keeps the most recently viewed: a read-back event stays in memory, the oldest leaves', () => {
  const spool = new EventSpool(2);
  for (let i = 0; i < 3; i++) spool.put(event(i, `body ${i}`));
  assert.deepEqual(spool.idsInMemory(), ['m-1', 'm-2']);
  spool.get('m-0');
  assert.deepEqual(spool.idsInMemory(), ['m-2', 'm-0']);
  // A scan reads without reordering what was viewed.
  assert.equal(spool.peek('m-1')?.body, 'body 1');
  assert.deepEqual(spool.idsInMemory(), ['m-2', 'm-0']);
  spool.close();
});

test('the search file finds exactly what failedEventMatches finds in the full events, block by block and narrowed', () => {
  const spool = new EventSpool(3);
  const words = ['alpha', 'beta', 'Gamma', 'café', 'ünïcode 😀'];
  const events = Array.from({length: 400}, (_, i) => event(i, JSON.stringify({n: i, tag: words[i % 5], more: i % 7 === 0 ? 'RARE token' : 'common'})));
  for (const e of events) spool.put(e);
  spool.put(events[3]!); // a re-put event has a newer record: found once
  const scanAll = (text: string, budget: number, only?: ReadonlySet<string>) => {
    const w = filterWords(text);
    const found: string[] = [];
    for (let from: number | null = 0; from !== null; ) {
      const step = spool.scan(w, from, budget, only);
      found.push(...step.ids);
      from = step.next;
    }
    return found.sort();
  };
  // '}m-' is only found across two records (one's payload ends with }, the next begins with its id): no match.
  for (const text of ['gamma', 'rare TOKEN', 'café', '😀', 'm-1', 'nothing-matches', 'alpha rare', '}m-']) {
    const expected = events.filter((e) => failedEventMatches(e, text)).map((e) => e.messageId).sort();
    assert.ok(text === 'nothing-matches' || text === '}m-' || expected.length > 0, text);
    assert.deepEqual(scanAll(text, 1 << 20), expected, `${text}: one block`);
    assert.deepEqual(scanAll(text, 2000), expected, `${text}: small blocks`);
  }
  // Narrowed to the previous text's matches (few: record by record; many: blocks skipping the others).
  const rare = new Set(scanAll('rare', 1 << 20));
  assert.deepEqual(scanAll('rare token', 1 << 20, rare), events.filter((e) => failedEventMatches(e, 'rare token')).map((e) => e.messageId).sort());
  const some = new Set(scanAll('a', 1 << 20));
  assert.deepEqual(scanAll('alpha', 5000, some), events.filter((e) => failedEventMatches(e, 'alpha')).map((e) => e.messageId).sort());
  spool.close();
  assert.deepEqual(spool.scan(['alpha'], 0, 1 << 20), {ids: [], next: null});
});

test('when the spool file cannot be written, events stay in memory: read back and searched all the same', () => {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = join(tmpdir(), 'lambda-top-no-such-dir', 'deeper');
  try {
    const spool = new EventSpool(1);
    const events = Array.from({length: 5}, (_, i) => event(i, JSON.stringify({tag: i % 2 ? 'odd' : 'even'})));
    spool.putAll(events.slice(0, 3));
    spool.put(events[3]!);
    spool.put(events[4]!);
    assert.ok(spool.writeError);
    for (const e of events) assert.deepEqual(spool.get(e.messageId), e);
    const step = spool.scan(filterWords('odd'), 0, 1 << 20);
    assert.deepEqual(step, {ids: ['m-1', 'm-3'], next: null});
    spool.close();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
});

test('search keys: an id keeps its first record\'s number through re-puts; a superseded record has none', () => {
  const spool = new EventSpool(1);
  try {
    spool.putAll([event(0, 'a'), event(1, 'b'), event(2, 'c')]);
    assert.deepEqual([0, 1, 2].map((i) => spool.keyOf(`m-${i}`)), [0, 1, 2]);
    spool.put(event(1, 'b again'));
    assert.equal(spool.keyOf('m-1'), 1);
    assert.equal(spool.keyOfRecord(3), 1, 'the newer record of m-1');
    assert.equal(spool.keyOfRecord(1), -1, 'superseded');
    assert.equal(spool.keyOf('m-9'), -1);
    assert.deepEqual([...spool.keysOfRecords(Int32Array.of(0, 1, 2, 3, 7))], [0, -1, 2, 1, -1], 'keyOfRecord of each, -1 past the end');
    assert.deepEqual([0, 1, 3, 4, -1].map((r) => spool.idOfRecord(r)), ['m-0', 'm-1', 'm-1', null, null], 'the id a record was put with, superseded or not');
    spool.close();
    spool.put(event(5, 'e'));
    assert.equal(spool.keyOf('m-5'), 0, 'a new spool numbers afresh');
  } finally {
    spool.close();
  }
});
