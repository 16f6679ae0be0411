// The failed-event browser driven by keys through the whole stack (App -> controller -> engine -> SDK ->
// simulator): R with a filter, marked-only redrive, DLQ/destination twins. Receive counts and calls are
// read from the simulator's model and its mutation log.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {KEYS} from '../helpers/render.tsx';
import {closeBrowserWorlds, mountApp, sendDlqMessage, sendFailureRecord, startBrowserWorld, type BrowserWorld, type MountedBrowser} from '../helpers/browser-world.tsx';

let world: BrowserWorld | null = null;
let app: MountedBrowser | null = null;
afterEach(closeBrowserWorlds);

/** The text inside a dialog's border, lines joined: what the operator reads, whatever the wrapping. */
const dialogText = (frame: string): string =>
  frame
    .split('\n')
    .map((l) => /│ (.*) │/.exec(l)?.[1]?.trim() ?? '')
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');

async function openBrowser(w: BrowserWorld, options: {columns?: number; rows?: number} = {}): Promise<MountedBrowser> {
  app = mountApp(w, options);
  await app.waitForFrame((f) => /Pipeline/.test(f), 'the dashboard');
  await app.press('f');
  await app.waitForFrame((f) => /Failed events\s+\d+ shown · [1-9]\d* loaded/.test(f) && !/loading more|peeking/.test(f), 'the first page', 10_000);
  return app;
}

test('R with a filter: the dialog names the filter and the source, counts matches among those read, and redrives what matches', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  for (let i = 0; i < 30; i++) sendDlqMessage(w, {orderId: `ord-${i}`, kind: i % 5 === 0 ? 'special' : 'plain'});
  const m = await openBrowser(w);
  await m.press('/', ...'special', KEYS.enter);
  const filtered = await m.waitForFrame((f) => /filter special/.test(f), 'the filter applied');
  const shown = Number(/(\d+) shown/.exec(filtered)![1]);
  assert.ok(shown >= 1 && shown <= 3, `shown ${shown}`);
  await m.press('R');
  const confirm = dialogText(await m.waitForFrame((f) => /Redrive every event matching the filter\?/.test(f), 'the confirmation'));
  assert.match(confirm, /from DLQ order-processor-dlq/);
  assert.match(confirm, /filter "special"/);
  assert.match(confirm, new RegExp(`matches ${shown} of 10 messages read so far match; the rest`));
  assert.match(confirm, /~30 in the queue/);
  assert.match(confirm, /will be read and filtered as it goes/);
  assert.match(confirm.replace(/\/ /g, '/'), /journal .*journals\/123456789012\/us-east-1\/order-processor-dlq\.jsonl/);
  // Every event matching: how many is not known in advance, so the name is asked for instead of y.
  assert.match(confirm, /Type the function name order-processor to confirm/);
  await m.press(...'order-processor', KEYS.enter);
  const done = dialogText(await m.waitForFrame((f) => /Redrive finished/.test(f), 'the summary', 40_000));
  assert.match(done, /6 accepted, 0 failed/);
  assert.match(done, /read 30 messages, 6 matched/);
  assert.equal(w.world.invocations.length, 6);
  assert.ok(w.world.invocations.every((i) => i.payload.includes('special')), 'only matching events were sent');
  assert.ok(existsSync(path.join(w.stateDir, 'lambda-top', 'journals', '123456789012', 'us-east-1', 'order-processor-dlq.jsonl')), 'the journal is under the XDG state dir');
});

test('R with a filter nothing matches: said before it starts, and the result never reads 100 %', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  for (let i = 0; i < 12; i++) sendDlqMessage(w, {orderId: `ord-${i}`});
  const m = await openBrowser(w);
  await m.press('/', ...'zzz', KEYS.enter);
  await m.waitForFrame((f) => /no event matches the filter/.test(f));
  await m.press('R');
  const confirm = dialogText(await m.waitForFrame((f) => /Redrive every event matching the filter\?/.test(f)));
  assert.match(confirm, /filter "zzz"/);
  assert.match(confirm, /matches 0 of 10 messages read so far match/);
  // Every event matching: how many is not known in advance, so the name is asked for instead of y.
  assert.match(confirm, /Type the function name order-processor to confirm/);
  await m.press(...'order-processor', KEYS.enter);
  const done = dialogText(await m.waitForFrame((f) => /Redrive finished/.test(f), 'the summary', 40_000));
  assert.doesNotMatch(done, /100%/);
  assert.match(done, /none matched/);
  assert.match(done, /0 accepted/);
  assert.equal(w.world.invocations.length, 0);
});

test('marked-only redrive: only the marked messages are touched, with the handles already held', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  for (let i = 0; i < 30; i++) sendDlqMessage(w, {orderId: `ord-${i}`});
  const m = await openBrowser(w);
  await m.press(KEYS.space, KEYS.space);
  await m.waitForFrame((f) => /2 marked/.test(f));
  const marked = Object.keys(m.store.getState().failed.marked);
  const before = w.receiveCounts(w.dlqUrl);
  const receivesBefore = w.calls('ReceiveMessage');
  await m.press('r');
  const confirm = dialogText(await m.waitForFrame((f) => /Redrive 2 events\?/.test(f)));
  assert.match(confirm, /reads none: the 2 receipt handles peeked are still held/);
  await m.press('y');
  const done = dialogText(await m.waitForFrame((f) => /Redrive (finished|stopped)/.test(f), 'the summary', 40_000));
  assert.match(done, /Redrive finished/);
  assert.match(done, /2 accepted, 0 failed, 0 skipped/);
  assert.match(done, /no search: only the selected messages were touched/);
  assert.equal(w.calls('ReceiveMessage'), receivesBefore, 'no receive during the redrive');
  const after = w.receiveCounts(w.dlqUrl);
  for (const id of marked) assert.equal(after.has(id), false, `${id} was redriven and deleted`);
  assert.equal(after.size, 28);
  for (const [id, count] of after) assert.equal(count, before.get(id), `unmarked ${id}: receive count unchanged`);
  assert.equal(w.world.invocations.length, 2);
});

test('the cursor event alone (r, no marks) is a selection of one', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  for (let i = 0; i < 15; i++) sendDlqMessage(w, {orderId: `ord-${i}`});
  const m = await openBrowser(w);
  await m.press('j', 'j');
  const cursor = m.store.getState().failed.cursorId!;
  const before = w.receiveCounts(w.dlqUrl);
  await m.press('r');
  await m.waitForFrame((f) => /Redrive 1 event\?/.test(f));
  await m.press('y');
  const done = dialogText(await m.waitForFrame((f) => /Redrive (finished|stopped)/.test(f), 'the summary', 40_000));
  assert.match(done, /Redrive finished/);
  const after = w.receiveCounts(w.dlqUrl);
  assert.equal(after.has(cursor), false);
  for (const [id, count] of after) assert.equal(count, before.get(id));
  assert.equal(w.world.invocations.length, 1);
});

test('DLQ/destination twins: shown as a pair, marking one marks both, the redrive sends the failure once', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  for (let i = 0; i < 3; i++) {
    const payload = {orderId: `twin-${i}`};
    const requestId = sendDlqMessage(w, payload);
    sendFailureRecord(w, payload, requestId);
  }
  sendDlqMessage(w, {orderId: 'single'});
  const m = await openBrowser(w, {columns: 160});
  const frame = await m.waitForFrame((f) => /7 loaded/.test(f), 'both queues', 10_000);
  assert.match(frame, /⇄ 6 in both DLQ and OnFailure/);
  assert.equal(frame.split('\n').filter((l) => /^ ⇄/.test(l) || /^●⇄/.test(l)).length, 6, 'each copy of a pair carries the pair mark');
  const cursor = m.store.getState().failed.cursorId!;
  await m.press(KEYS.enter);
  const detail = await m.waitForFrame((f) => /Failed event /.test(f));
  const twins = /single/.test(detail) ? 0 : 1;
  if (twins) assert.match(detail, /also in +(DLQ|OnFailure) as message .* \(same request id\)/);
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => /Failed events/.test(f) && !/Payload/.test(f));
  // Mark a copy that has a twin.
  const state = m.store.getState();
  const visible = (await import('../../source/store/index.ts')).selectVisibleEvents(state);
  const pairIndex = visible.findIndex((e) => e.requestId && visible.some((o) => o !== e && o.requestId === e.requestId));
  m.store.dispatch({type: 'failed/cursor-set', index: pairIndex});
  await m.press(KEYS.space);
  await m.waitForFrame((f) => /2 marked/.test(f));
  const markedIds = Object.keys(m.store.getState().failed.marked);
  const copies = visible.filter((e) => markedIds.includes(e.messageId));
  assert.deepEqual(copies.map((e) => e.source).sort(), ['dlq', 'on-failure']);
  assert.equal(copies[0]!.requestId, copies[1]!.requestId);
  await m.press('r');
  const confirm = dialogText(await m.waitForFrame((f) => /Redrive 1 event\?/.test(f)));
  assert.match(confirm, /1 selected \(2 messages: DLQ\/destination twins are sent once, both copies deleted\)/);
  assert.match(confirm, /none: the 2 receipt handles peeked are still held/);
  assert.ok(cursor);
  await m.press('n');
  await m.waitForFrame((f) => /Failed events/.test(f));
});
