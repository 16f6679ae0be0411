// Redrive of exactly the selected (marked) messages, against the simulator: held receipt handles are used
// without any receive; an expired handle is searched for within the bound; a message that is gone is reported
// as not found with nothing sent; DLQ/destination twins are invoked once and both deleted.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {receiveMessages, releaseMessages} from '../../source/aws/messages.ts';
import {parseFailedEvent} from '../../source/domain/failed-event.ts';
import type {FailedEvent, QueueRole} from '../../source/domain/types.ts';
import {createMutationGate} from '../../source/aws/mutation-gate.ts';
import {createAwsPorts, runRedrive, type RedrivePorts} from '../../source/redrive/engine.ts';
import {selectionCost, type SelectedMessage} from '../../source/redrive/selection.ts';
import {dlqAttributes, FN, invocationRecord, startRedriveWorld, type RedriveWorld} from '../helpers/redrive-world.ts';

let w: RedriveWorld;
let dir: string;
const gate = createMutationGate({readOnly: false});
const target = {kind: 'lambda', functionName: FN} as const;

before(async () => {
  w = await startRedriveWorld();
  dir = await mkdtemp(join(tmpdir(), 'redrive-selected-'));
});
after(async () => {
  await w?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

/** Peeks the whole queue as the browser does (every message hidden for `seconds`). */
async function peek(queueUrl: string, role: QueueRole, seconds = 60): Promise<FailedEvent[]> {
  const events: FailedEvent[] = [];
  for (;;) {
    const batch = await receiveMessages(w.clients, queueUrl, {max: 10, visibilityTimeoutSeconds: seconds});
    if (batch.length === 0) return events;
    events.push(...batch.map((m) => parseFailedEvent(m, role, queueUrl)));
  }
}

/** Ports that count the calls made (receive, changeVisibility). */
function counting(): {ports: Partial<RedrivePorts>; calls: Record<string, number>} {
  const base = createAwsPorts(w.clients, gate);
  const calls: Record<string, number> = {receive: 0, changeVisibility: 0};
  return {
    calls,
    ports: {
      receive: (url, o) => (calls.receive!++, base.receive(url, o)),
      changeVisibility: (url, h, s) => (calls.changeVisibility!++, base.changeVisibility(url, h, s)),
    },
  };
}

const held = (event: FailedEvent, ms = 60_000): SelectedMessage => ({event, heldUntil: Date.now() + ms});
const receiveCounts = (url: string) => new Map(w.engine.peekAll(url).map((m) => [m.messageId, m.receiveCount]));

test('a marked-only redrive of 2 of 12 uses the held handles: no receive, the other 10 untouched, 2 invokes', async () => {
  const dlq = await w.url('twin-dlq');
  const body = JSON.stringify({uid: 'same-body'}); // 12 messages, one body: 12 events
  await w.send(dlq, Array.from({length: 12}, (_, i) => ({body, attributes: dlqAttributes(`sel-${i}`)})));
  const events = await peek(dlq, 'dlq');
  assert.equal(events.length, 12);
  const countsBefore = receiveCounts(dlq);
  const marked = events.slice(0, 2);
  const {ports, calls} = counting();
  const dry = await runRedrive({source: {selected: marked.map((e) => held(e))}, target, dryRun: true}, {clients: w.clients, gate, ports});
  assert.equal(dry.wouldSendCount, 2);
  assert.deepEqual(calls, {receive: 0, changeVisibility: 0}, 'a dry run of a selection reads nothing');
  const summary = await runRedrive({source: {selected: marked.map((e) => held(e))}, target, journalPath: join(dir, 'held.jsonl'), rate: 100}, {clients: w.clients, gate, ports});
  assert.equal(summary.exitCode, 0, JSON.stringify(summary));
  assert.equal(summary.accepted, 2);
  assert.equal(summary.deleted, 2);
  assert.equal(summary.total, 2);
  assert.equal(summary.searched, null);
  assert.equal(calls.receive, 0, 'held handles: no receive at all');
  assert.equal(w.invoked.get('same-body'), 2, 'two messages with one body are two events');
  const after = receiveCounts(dlq);
  assert.equal(after.size, 10);
  for (const [id, count] of after) assert.equal(count, countsBefore.get(id), `receive count of ${id} changed`);
  for (const e of marked) assert.ok(!after.has(e.messageId), 'the marked messages are gone');
  await releaseMessages(w.clients, dlq, events.slice(2).map((e) => e.receiptHandle));
});

test('an expired handle is found by id within the bound; the messages the search touched are released', async () => {
  const dlq = await w.url('twin-dlq');
  const events = await peek(dlq, 'dlq', 1);
  assert.equal(events.length, 10);
  await new Promise((r) => setTimeout(r, 1200)); // the peek's hold ran out: every handle expired
  const wanted = events[7]!;
  const selected = [{event: wanted, heldUntil: Date.now() - 1000}];
  const bound = selectionCost(selected, Date.now(), 'lambda').searchReceives;
  const invokedBefore = w.invoked.get('same-body') ?? 0;
  const summary = await runRedrive({source: {selected}, target, journalPath: join(dir, 'expired.jsonl'), rate: 100}, {clients: w.clients, gate});
  assert.equal(summary.exitCode, 0, JSON.stringify(summary));
  assert.equal(summary.accepted, 1);
  assert.ok(summary.searched, 'a search ran');
  assert.ok(summary.searched!.receives <= bound, `${summary.searched!.receives} receives > bound ${bound}`);
  assert.deepEqual(summary.searched!.notFound, []);
  assert.equal(w.invoked.get('same-body'), invokedBefore + 1);
  const left = w.engine.peekAll(dlq);
  assert.equal(left.length, 9);
  assert.ok(left.every((m) => m.state === 'visible'), 'messages touched by the search are visible again');
  assert.ok(!left.some((m) => m.messageId === wanted.messageId));
});

test('a message that is gone is reported not found, and nothing is sent', async () => {
  const dlq = await w.url('twin-dlq');
  const [event] = await peek(dlq, 'dlq', 30);
  const gone: FailedEvent = {...event!, messageId: '00000000-0000-4000-8000-000000000000', requestId: 'no-such-request', body: '{"uid":"ghost"}', payload: '{"uid":"ghost"}'};
  await releaseMessages(w.clients, dlq, [event!.receiptHandle]);
  const summary = await runRedrive({source: {selected: [{event: gone, heldUntil: null}], searchReceives: 3}, target, journalPath: join(dir, 'gone.jsonl')}, {clients: w.clients, gate});
  assert.equal(summary.exitCode, 1);
  assert.equal(summary.accepted, 0);
  assert.equal(summary.sent, 0);
  assert.deepEqual(summary.searched?.notFound, [gone.messageId]);
  assert.ok(summary.searched!.receives <= 3);
  assert.equal(w.invoked.get('ghost'), undefined, 'nothing sent');
  assert.match(summary.failures[0]!.detail, /not find it/);
});

test('a DLQ message and its OnFailure twin (same request id) are invoked once; both are deleted', async () => {
  const dlq = await w.url('twin-dlq');
  const failures = await w.url('twin-failures');
  const payload = {uid: 'twin-1', order: 7};
  await w.send(dlq, [{body: JSON.stringify(payload), attributes: dlqAttributes('twin-request-1')}]);
  await w.send(failures, [{body: invocationRecord('twin-request-1', payload)}]);
  const fromDlq = (await peek(dlq, 'dlq')).filter((e) => e.requestId === 'twin-request-1');
  const fromFailures = await peek(failures, 'on-failure');
  assert.equal(fromDlq.length, 1);
  assert.equal(fromFailures.length, 1);
  const summary = await runRedrive(
    {source: {selected: [held(fromFailures[0]!), held(fromDlq[0]!)]}, target, journalPath: join(dir, 'twins.jsonl'), rate: 100},
    {clients: w.clients, gate},
  );
  assert.equal(summary.exitCode, 0, JSON.stringify(summary));
  assert.equal(summary.total, 1, 'one event');
  assert.equal(summary.accepted, 1);
  assert.equal(summary.deleted, 2);
  assert.equal(summary.copiesDeleted, 1);
  assert.equal(w.invoked.get('twin-1'), 1);
  assert.equal(w.engine.peekAll(failures).length, 0);
  assert.ok(!w.engine.peekAll(dlq).some((m) => m.messageId === fromDlq[0]!.messageId));
});

test('a filtered queue redrive: filtered-out messages are read, not skipped; total counts the matched events', async () => {
  const dlq = await w.url('twin-failures');
  await w.send(dlq, Array.from({length: 8}, (_, i) => ({body: invocationRecord(`filter-${i}`, {uid: `filter-${i}`})})));
  const summary = await runRedrive(
    {source: {queueUrl: dlq, role: 'on-failure'}, target, filter: (e) => /filter-[0-2]$/.test(e.requestId ?? ''), journalPath: join(dir, 'filter.jsonl'), emptyWaitSeconds: 0, rate: 100},
    {clients: w.clients, gate},
  );
  assert.equal(summary.exitCode, 0, JSON.stringify(summary));
  assert.equal(summary.read, 8);
  assert.equal(summary.matched, 3);
  assert.equal(summary.total, 3);
  assert.equal(summary.accepted, 3);
  assert.equal(summary.skipped, 0, 'filtered out is not skipped');
  assert.equal(summary.remaining, 0);
  assert.equal(w.engine.peekAll(dlq).length, 5);
  assert.ok(w.engine.peekAll(dlq).every((m) => m.state === 'visible'), 'the filtered-out messages were released');
});
