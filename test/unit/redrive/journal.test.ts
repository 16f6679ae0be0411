import assert from 'node:assert/strict';
import {chmod, mkdtemp, open as openFile, readFile, rm, symlink, writeFile, appendFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {encode, JournalFormatError, JOURNAL_KIND, openJournal, parseJournal, payloadHash, readJournal, readJournalEntries, targetKey, type JournalRecord} from '../../../source/redrive/journal.ts';

const rec = (over: Partial<JournalRecord>): JournalRecord => ({outcome: 'accepted', time: 1_767_225_600_000, messageId: 'm1', newId: 'new-1', originalRequestId: 'req-1', payloadHash: payloadHash('p1'), ...over});
const open = (path: string) => openJournal(path, {source: 'http://q/dlq', target: 'lambda:f', visibilitySeconds: 30});

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'journal-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}

test('targetKey and payloadHash', () => {
  assert.equal(targetKey({kind: 'lambda', functionName: 'f', qualifier: 'live'}), 'lambda:f:live');
  assert.equal(targetKey({kind: 'queue', queueUrl: 'http://x/q'}), 'queue:http://x/q');
  assert.equal(payloadHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a new journal starts with a header naming tool, version, queue and target; records are compact ids and hashes', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'j.jsonl');
    const writer = await open(path);
    await writer.append([rec({}), rec({outcome: 'deleted', newId: null, originalRequestId: null, payloadHash: ''})], {sync: true});
    await writer.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0]!.kind, JOURNAL_KIND);
    assert.equal(lines[0]!.tool, 'lambda-top');
    assert.equal(lines[0]!.queue, 'http://q/dlq');
    assert.equal(lines[0]!.target, 'lambda:f');
    assert.equal(typeof lines[0]!.toolVersion, 'string');
    assert.equal(lines[1]!.k, 'run');
    assert.equal(lines[1]!.visibilitySeconds, 30);
    assert.deepEqual(Object.keys(lines[2]!).sort(), ['h', 'm', 'n', 'o', 'q', 't', 'u']);
    assert.equal((lines[2]!.h as string).length, 32, 'a 128-bit hash prefix, not the payload');
    const entries = await readJournalEntries(path);
    assert.deepEqual(entries.map((e) => [e.outcome, e.messageId, e.target]), [['accepted', 'm1', 'lambda:f'], ['deleted', 'm1', 'lambda:f']]);
    const index = await readJournal(path);
    assert.equal(index.header?.target, 'lambda:f');
    assert.equal(index.lastRun?.visibilitySeconds, 30);
  });
});

test('index: by message id, by original request id and by the new id, per target', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'j.jsonl');
    const writer = await open(path);
    await writer.append([rec({}), rec({outcome: 'failed', messageId: 'm2', newId: null, originalRequestId: 'req-2'})], {sync: true});
    await writer.close();
    const index = await readJournal(path);
    assert.equal(index.acceptedMessage('lambda:f', 'm1')?.newId, 'new-1');
    assert.equal(index.acceptedRequest('lambda:f', 'req-1')?.messageId, 'm1');
    assert.equal(index.acceptedAs('lambda:f', 'new-1')?.originalRequestId, 'req-1');
    assert.equal(index.acceptedMessage('lambda:f', 'm2'), undefined, 'a failure is not an acceptance');
    assert.equal(index.acceptedMessage('lambda:g', 'm1'), undefined, 'another target has not seen it');
    assert.equal(index.acceptedCount(), 1);
  });
});

test('a v1 journal (one full record per line, no header) is still read', () => {
  const v1 = {time: '2026-01-01T00:00:00.000Z', messageId: 'm1', requestId: 'r', payloadHash: payloadHash('x'), source: 'q', target: 'lambda:f', outcome: 'accepted', detail: ''};
  const index = parseJournal(JSON.stringify(v1) + '\n' + JSON.stringify({...v1, outcome: 'skipped', messageId: 'm2'}) + '\n');
  assert.equal(index.acceptedMessage('lambda:f', 'm1')?.newId, 'r');
  assert.equal(index.records, 2);
});

test('a file that is not a journal is refused, for reading and for appending, and left unchanged', async () => {
  await withDir(async (dir) => {
    const passwd = join(dir, 'passwd');
    await writeFile(passwd, 'root:x:0:0:root:/root:/bin/bash\n');
    await assert.rejects(readJournal(passwd), JournalFormatError);
    await assert.rejects(open(passwd), JournalFormatError);
    assert.equal(await readFile(passwd, 'utf8'), 'root:x:0:0:root:/root:/bin/bash\n');
    const json = join(dir, 'other.json');
    await writeFile(json, '{"name":"package","version":"1.0.0"}\n');
    await assert.rejects(open(json), /not a lambda-top redrive journal/);
    await assert.rejects(open(dir), /not a regular file/);
    const link = join(dir, 'link.jsonl');
    await symlink(passwd, link);
    await assert.rejects(open(link), /not a regular file/);
  });
});

test('a journal that cannot be written is refused when opened', {skip: process.getuid?.() === 0 ? 'root can write anything' : false}, async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'ro.jsonl');
    (await open(path)).close();
    await chmod(path, 0o400);
    await assert.rejects(open(path), /EACCES/);
  });
});

test('a torn last line (kill -9) is ignored when reading and ended before the next append', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'j.jsonl');
    const w1 = await open(path);
    await w1.append([rec({})], {sync: true});
    await w1.close();
    await appendFile(path, '{"o":"a","t":1,"m":"m2","n":"x","u":"zz');
    const before = await readJournal(path);
    assert.equal(before.badLines, 1);
    const writer = await open(path);
    await writer.append([rec({messageId: 'm3', newId: 'new-3'})], {sync: true});
    await writer.close();
    const after = await readJournal(path);
    assert.equal(after.badLines, 1);
    assert.ok(after.acceptedMessage('lambda:f', 'm3'));
    assert.ok(after.acceptedMessage('lambda:f', 'm1'));
  });
});

test('concurrent appends never interleave inside a line; syncs are grouped', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'j.jsonl');
    const writer = await open(path);
    await Promise.all(Array.from({length: 50}, (_, i) => writer.append([rec({messageId: `m${i}`, newId: `n${i}`, detail: 'x'.repeat(150)})], {sync: i % 10 === 0})));
    await writer.close();
    const index = await readJournal(path);
    assert.equal(index.acceptedCount(), 50);
    assert.equal(index.badLines, 0);
  });
});

test('deferred records wait for the next write and keep their order; close writes what is left', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'j.jsonl');
    const writer = await open(path);
    const ids = async () => (await readJournalEntries(path)).map((e) => `${e.outcome[0]}:${e.messageId}`);
    await writer.append([rec({messageId: 'm1'})], {sync: true});
    await writer.append([rec({outcome: 'deleted', messageId: 'm1'})], {defer: true});
    assert.deepEqual(await ids(), ['a:m1'], 'a deferred record gets no write of its own');
    await writer.append([rec({messageId: 'm2', newId: 'n2'})], {sync: true});
    assert.deepEqual(await ids(), ['a:m1', 'd:m1', 'a:m2'], 'it goes out, in order, with the next synced write');
    await writer.append([rec({outcome: 'failed', messageId: 'm3', detail: 'x'})], {defer: true});
    await writer.close();
    assert.deepEqual(await ids(), ['a:m1', 'd:m1', 'a:m2', 'f:m3']);
  });
});

test('sync() covers what was appended before it, including deferred records; a closed journal refuses it', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'j.jsonl');
    const writer = await open(path);
    await writer.append([rec({messageId: 'm1'})]);
    await writer.append([rec({outcome: 'deleted', messageId: 'm0'})], {defer: true});
    await Promise.all([writer.sync(), writer.sync()]);
    assert.deepEqual((await readJournalEntries(path)).map((e) => `${e.outcome[0]}:${e.messageId}`), ['a:m1', 'd:m0']);
    await writer.close();
    await assert.rejects(writer.sync(), /closed/);
  });
});

test('an append is written while an fdatasync is under way (it never waits for one); a sync waits for one that starts after it', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'j.jsonl');
    const writer = await open(path);
    // Hold every fdatasync until released, counting them (FileHandle's prototype: the writer's handle is private).
    const probe = await openFile(path, 'r');
    const proto = Object.getPrototypeOf(probe) as {datasync(): Promise<void>};
    await probe.close();
    const real = proto.datasync;
    const held: Array<() => void> = [];
    proto.datasync = function (this: unknown) {
      return new Promise<void>((resolve, reject) => held.push(() => real.call(this).then(resolve, reject)));
    };
    try {
      const ids = async () => (await readJournalEntries(path)).map((e) => e.messageId);
      await writer.append([rec({messageId: 'm1'})]);
      let firstSynced = false;
      const first = writer.sync().then(() => (firstSynced = true));
      while (held.length === 0) await new Promise((r) => setImmediate(r));
      // The fdatasync is under way (held): an acceptance's append still gets written and resolves.
      await writer.append([rec({messageId: 'm2', newId: 'n2'})]);
      assert.deepEqual(await ids(), ['m1', 'm2'], 'written while the sync is still under way');
      assert.equal(firstSynced, false);
      // A sync asked for now must not be served by the one under way (it may have started before m2 was written).
      let secondSynced = false;
      const second = writer.sync().then(() => (secondSynced = true));
      held.shift()!();
      await first;
      while (held.length === 0) await new Promise((r) => setImmediate(r));
      assert.equal(secondSynced, false, 'waits for an fdatasync that started after it was asked for');
      held.shift()!();
      await second;
    } finally {
      proto.datasync = real;
      for (const release of held) release();
    }
    await writer.close();
  });
});

test('a record line is the JSON.stringify of its short form, for plain ids and for ids that need escaping', () => {
  const ids = ['0123abcd-4567-89ef-0123-456789abcdef', 'AQEB+x/y=z', 'a"b', 'back\\slash', 'line\nbreak', 'ünï', '\u2028', 'tab\t', ''];
  for (const id of ids) {
    const record: JournalRecord = {outcome: 'accepted', time: 1.5, messageId: id, newId: id || null, originalRequestId: id || null, payloadHash: payloadHash(id), detail: id || undefined};
    const expected = {o: 'a', t: 1.5, m: id, ...(id ? {n: id, q: id} : {}), h: payloadHash(id).slice(0, 32), ...(id ? {why: id} : {}), u: id || 'r'};
    const line = encode(record, id || 'r');
    assert.equal(line, JSON.stringify(expected) + '\n', id);
    assert.deepEqual(JSON.parse(line), expected);
  }
});
