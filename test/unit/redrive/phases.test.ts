// The send and settle phases on their own, with fake ports: where the guarantees are kept.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {FailedEvent} from '../../../source/domain/types.ts';
import type {JournalRecord, JournalWriter} from '../../../source/redrive/journal.ts';
import {planRedrive} from '../../../source/redrive/plan.ts';
import {RunState} from '../../../source/redrive/run-state.ts';
import {Pacer, sendPlanned, type SendContext} from '../../../source/redrive/send.ts';
import {Followers, settleSends, settleSkips, type SettleContext} from '../../../source/redrive/settle.ts';
import {HeldMessages} from '../../../source/redrive/held.ts';
import {collectSelection} from '../../../source/redrive/selected.ts';
import {event} from './helpers.ts';

const lambda = {kind: 'lambda', functionName: 'f'} as const;
const events = (n: number): FailedEvent[] => Array.from({length: n}, (_, i) => event({messageId: `m${i}`, requestId: `r${i}`, receiptHandle: `h${i}`, body: `{"i":${i}}`}));

function sendContext(log: string[], over: Partial<SendContext> = {}): SendContext {
  return {
    target: lambda,
    ports: {
      invoke: async (_fn, payload) => (log.push(`invoke ${payload}`), {outcome: 'accepted', statusCode: 202, requestId: `new-${payload}`}),
      sendBatch: async () => ({accepted: [], failed: []}),
    },
    pacer: new Pacer(Infinity, 10, Date.now),
    maxAttempts: 2,
    invokeConcurrency: 1,
    onAccepted: async (accepted) => void log.push(...accepted.map((a) => `journal ${a.send.payload} as ${a.newId}`)),
    onAttempt: () => undefined,
    onError: () => undefined,
    currentRate: () => 0,
    ...over,
  };
}

test('send: each acceptance is journaled as it arrives, before the worker invokes the next event', async () => {
  const log: string[] = [];
  const plan = planRedrive(events(3), lambda);
  const out = await sendPlanned(plan.sends, sendContext(log));
  assert.deepEqual(log, ['invoke {"i":0}', 'journal {"i":0} as new-{"i":0}', 'invoke {"i":1}', 'journal {"i":1} as new-{"i":1}', 'invoke {"i":2}', 'journal {"i":2} as new-{"i":2}']);
  assert.equal(out.ok.length, 3);
});

test('send: an acceptance the journal could not record is "unjournaled", never ok', async () => {
  const plan = planRedrive(events(2), lambda);
  const out = await sendPlanned(plan.sends, sendContext([], {onAccepted: async () => Promise.reject(new Error('ENOSPC'))}));
  assert.equal(out.ok.length, 0);
  assert.deepEqual(out.unjournaled.map((s) => s.event.messageId), ['m0', 'm1']);
});

function settleContext(deletes: string[][], journal: JournalRecord[], sync: () => Promise<void> = async () => undefined): SettleContext {
  const state = new RunState(Date.now, null, null);
  const writer: JournalWriter = {path: 'j', append: async (records) => void journal.push(...records), sync, end: async () => undefined, close: async () => undefined};
  return {
    state, journal: writer, held: new HeldMessages(), followers: new Followers(), now: Date.now, leftoverAttempts: new Map(),
    ports: {
      delete: async (_url, entries) => (deletes.push(entries.map((e) => e.id)), {deleted: entries.map((e) => e.id), failed: []}),
      changeVisibility: async () => ({failed: []}),
    },
  };
}

test('settle: deletes exactly the journaled acceptances and their copies; failed and unjournaled messages are held', async () => {
  const deletes: string[][] = [];
  const journal: JournalRecord[] = [];
  const ctx = settleContext(deletes, journal);
  const [a, b, c] = planRedrive(events(3), lambda).sends;
  a!.copies.push(event({messageId: 'twin-of-m0', requestId: 'r0', receiptHandle: 'ht', source: 'on-failure'}));
  await settleSends({ok: [{send: a!, newId: 'n0'}], bad: [{send: b!, outcome: 'throttled', detail: 'slow down'}], unsent: [], unjournaled: [c!]}, [], ctx);
  assert.deepEqual(deletes, [['m0', 'twin-of-m0']]);
  assert.equal(ctx.state.copiesDeleted, 1);
  assert.ok(ctx.held.has('http://q/dlq', 'm1'), 'failed: held, released at the end');
  assert.ok(ctx.held.has('http://q/dlq', 'm2'), 'accepted but not journaled: never deleted');
  assert.deepEqual(journal.map((r) => [r.outcome, r.messageId]), [['failed', 'm1'], ['deleted', 'm0'], ['deleted', 'twin-of-m0']]);
});

test('settle: a copy of an event another batch is sending follows it and is deleted after that acceptance', async () => {
  const deletes: string[][] = [];
  const ctx = settleContext(deletes, []);
  const [send] = planRedrive(events(1), lambda).sends;
  ctx.followers.start(send!.identity);
  const later = planRedrive([event({messageId: 'again', requestId: 'r0', receiptHandle: 'h-again'})], lambda, {inFlight: ctx.followers.identities()});
  assert.deepEqual(settleSkips(later.skips, ctx, true), [], 'not deleted yet');
  assert.equal(ctx.state.skipped, 0);
  await settleSends({ok: [{send: send!, newId: 'n'}], bad: [], unsent: [], unjournaled: []}, [], ctx);
  assert.deepEqual(deletes, [['m0', 'again']]);
});

test('selection: a held handle SQS refuses is searched for; a valid one is used without a receive', async () => {
  const [ok, refused] = events(2);
  let receives = 0;
  const found: string[] = [];
  const ready = await collectSelection(
    [{event: ok!, heldUntil: Date.now() + 60_000}, {event: refused!, heldUntil: Date.now() + 60_000}],
    {
      ports: {
        changeVisibility: async (_url, handles) => ({failed: handles.filter((h) => h === 'h1').map((h) => ({receiptHandle: h, message: 'ReceiptHandleIsInvalid'}))}),
        receive: async () => (receives++, [{messageId: 'other', receiptHandle: 'x', body: '{}', md5OfBody: null, attributes: {}, messageAttributes: {}, receiveCount: 2, sentAt: 1}, {messageId: 'm1', receiptHandle: 'h1-new', body: '{}', md5OfBody: null, attributes: {}, messageAttributes: {}, receiveCount: 3, sentAt: 1}]),
      },
      target: lambda, now: Date.now, visibilitySeconds: 30,
      onSearch: (s) => found.push(JSON.stringify(s)),
    },
  );
  assert.deepEqual(ready.map((e) => [e.messageId, e.receiptHandle]), [['m0', 'h0'], ['m1', 'h1-new']]);
  assert.equal(receives, 1);
  assert.deepEqual(found, [JSON.stringify({receives: 1, messagesTouched: 2, notFound: []})]);
});

test('held messages: ids in memory, handles beyond the in-memory bound spooled to a private file and all given back', async () => {
  const held = new HeldMessages(3);
  for (let i = 0; i < 10; i++) held.park(i % 2 ? 'q1' : 'q2', `m${i}`, `h${i}`);
  held.park('q1', 'm1', 'h1-newer');
  await Promise.all([held.flush(), held.flush()]); // concurrent batches flush at once: one spool
  held.park('q2', 'm10', 'h10');
  await Promise.all([held.flush(), held.flush()]);
  assert.equal(held.size, 11);
  assert.equal(held.superseded, 1);
  assert.ok(held.has('q1', 'm1') && !held.has('q2', 'm1'));
  const out: Record<string, string[]> = {};
  for await (const [q, handles] of held.drain(4)) (out[q] ??= []).push(...handles);
  assert.deepEqual(out.q1!.sort(), ['h1', 'h1-newer', 'h3', 'h5', 'h7', 'h9']);
  assert.deepEqual(out.q2!.sort(), ['h0', 'h10', 'h2', 'h4', 'h6', 'h8']);
});

test('settle: no delete before the journal sync returned; a failed sync deletes nothing and holds every accepted message', async () => {
  const deletes: string[][] = [];
  let release!: () => void;
  const synced = new Promise<void>((r) => (release = r));
  const ctx = settleContext(deletes, [], () => synced);
  const [a] = planRedrive(events(1), lambda).sends;
  const settling = settleSends({ok: [{send: a!, newId: 'n0'}], bad: [], unsent: [], unjournaled: []}, [], ctx);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(deletes, [], 'waiting for the fdatasync');
  release();
  await settling;
  assert.deepEqual(deletes, [['m0']]);

  const failing = settleContext(deletes.splice(0), [], async () => Promise.reject(new Error('EIO')));
  const [b, c] = planRedrive(events(2), lambda).sends;
  await settleSends({ok: [{send: b!, newId: 'n0'}, {send: c!, newId: 'n1'}], bad: [], unsent: [], unjournaled: []}, [], failing);
  assert.deepEqual(deletes, []);
  assert.ok(failing.held.has('http://q/dlq', 'm0') && failing.held.has('http://q/dlq', 'm1'));
  assert.match(String(failing.state.fatal), /journal sync failed/);
  assert.equal(failing.state.accepted, 2, 'accepted by the target all the same');
});
