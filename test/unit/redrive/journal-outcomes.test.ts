// Outcome lines (k:"out") in the redrive journal: written beside the acceptances, read back by new id (the
// latest line wins), ignored by the resend logic, and the acceptances' payload hashes and runs kept for
// `redrive --outcomes`.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, appendFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {appendOutcomes, openJournal, payloadHash, readJournal} from '../../../source/redrive/journal.ts';
import {lastRunSends} from '../../../source/redrive/loop.ts';

test('outcomes are appended beside the acceptances and read back by new id; the last run\'s sends are found', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'journal-out-'));
  try {
    const path = join(dir, 'j.jsonl');
    const first = await openJournal(path, {source: 'http://q/dlq', target: 'lambda:f', visibilitySeconds: 30});
    await first.append([{outcome: 'accepted', time: 1, messageId: 'm1', newId: 'n1', originalRequestId: 'r1', payloadHash: payloadHash('a')}], {sync: true});
    await first.end();
    await appendOutcomes(path, [{time: 2, newId: 'n1', messageId: 'm1', state: 'pending', detail: 'no log line yet'}]);
    const second = await openJournal(path, {source: 'http://q/dlq', target: 'lambda:f', visibilitySeconds: 30});
    await second.append([{outcome: 'accepted', time: 3, messageId: 'm2', newId: 'n2', originalRequestId: 'r2', payloadHash: payloadHash('b')}], {sync: true});
    await second.end();
    await appendFile(path, '{"k":"out","t":4,"n":"n1","m":"m1","s":"failed-again","e":"Tim'); // torn by a kill
    await appendOutcomes(path, [
      {time: 5, newId: 'n1', messageId: 'm1', state: 'failed-again', errorType: 'Timeout', newFailure: {queue: 'http://q/dlq', messageId: 'dlq-9', requestId: 'n1'}, detail: 'failure-target'},
      {time: 5, newId: 'n2', messageId: 'm2', state: 'succeeded', detail: 'logs'},
    ]);
    const text = await readFile(path, 'utf8');
    assert.ok(!text.includes('"payload"'), 'ids and types only');
    const index = await readJournal(path);
    assert.equal(index.badLines, 1, 'the torn line is skipped');
    assert.equal(index.outcomes.get('n1')?.state, 'failed-again', 'the latest line wins');
    assert.deepEqual(index.outcomes.get('n1')?.newFailure, {queue: 'http://q/dlq', messageId: 'dlq-9', requestId: 'n1'});
    assert.equal(index.outcomes.get('n2')?.state, 'succeeded');
    assert.equal(index.acceptedCount('lambda:f'), 2, 'outcome lines are not acceptances');
    assert.equal(index.acceptanceLog[0]?.payloadHash, payloadHash('a').slice(0, 32));
    const {sends, recorded} = await lastRunSends([path]);
    assert.deepEqual(sends.map((s) => s.newId), ['n2'], 'the last run that sent something');
    assert.equal(recorded.get('n2')?.state, 'succeeded');
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
});
