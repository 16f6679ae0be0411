import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile, appendFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {openJournal, parseJournal, payloadHash, readJournal, targetKey, type JournalRecord} from '../../../source/redrive/journal.ts';

const rec = (over: Partial<JournalRecord>): JournalRecord => ({
  time: '2026-01-01T00:00:00.000Z', messageId: 'm1', requestId: 'r1', payloadHash: payloadHash('p1'), source: 'q', target: 'lambda:f', outcome: 'accepted', detail: '', ...over,
});

test('targetKey and payloadHash', () => {
  assert.equal(targetKey({kind: 'lambda', functionName: 'f', qualifier: 'live'}), 'lambda:f:live');
  assert.equal(targetKey({kind: 'queue', queueUrl: 'http://x/q'}), 'queue:http://x/q');
  assert.equal(payloadHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('index: accepted per target and hash, with the messages; other outcomes do not count', () => {
  const index = parseJournal([rec({}), rec({outcome: 'failed', payloadHash: payloadHash('p2'), messageId: 'm2'}), rec({messageId: 'm3'}), rec({outcome: 'deleted'})].map((r) => JSON.stringify(r)).join('\n') + '\n');
  assert.equal(index.records, 4);
  assert.deepEqual([...index.acceptance('lambda:f', payloadHash('p1'))!.messageIds], ['m1', 'm3']);
  assert.equal(index.acceptance('lambda:f', payloadHash('p2')), undefined);
  assert.equal(index.acceptance('lambda:g', payloadHash('p1')), undefined);
  assert.equal(index.wasDeleted('m1'), true);
  assert.equal(index.acceptedCount(), 1);
});

test('a torn last line (kill -9) is ignored when reading and ended before the next append', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'journal-'));
  try {
    const path = join(dir, 'j.jsonl');
    await writeFile(path, JSON.stringify(rec({})) + '\n' + JSON.stringify(rec({messageId: 'm2', payloadHash: payloadHash('p2')})).slice(0, 40));
    const before = await readJournal(path);
    assert.equal(before.records, 1);
    assert.equal(before.badLines, 1);
    const writer = await openJournal(path);
    await writer.append([rec({messageId: 'm3', payloadHash: payloadHash('p3')})], {sync: true});
    await writer.close();
    const after = await readJournal(path);
    assert.equal(after.records, 2);
    assert.equal(after.badLines, 1);
    assert.ok(after.acceptance('lambda:f', payloadHash('p3')));
    const lines = (await readFile(path, 'utf8')).split('\n');
    assert.equal(lines.length, 4, 'torn fragment, then the new record on its own line, then the final newline');
    // A torn line that happens to be valid JSON of another shape is not a record either
    await appendFile(path, '{"messageId":1}\n');
    assert.equal((await readJournal(path)).badLines, 2);
    assert.equal((await readJournal(join(dir, 'missing.jsonl'))).records, 0);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
});

test('concurrent appends never interleave inside a line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'journal-'));
  try {
    const path = join(dir, 'j.jsonl');
    const writer = await openJournal(path);
    await Promise.all(Array.from({length: 50}, (_, i) => writer.append([rec({messageId: `m${i}`, detail: 'x'.repeat(5000)})], {sync: i % 10 === 0})));
    await writer.close();
    const index = await readJournal(path);
    assert.equal(index.records, 50);
    assert.equal(index.badLines, 0);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
});
