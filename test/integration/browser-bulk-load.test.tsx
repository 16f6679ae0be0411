// `m` loads every message of the failure queues: several receives in flight, each message read once (no
// duplicates: the list is keyed by message id), the cursor kept on its event, the progress and the result in
// the footer; the messages are only peeked (nothing deleted) and are released when the browser closes.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {KEYS} from '../helpers/render.tsx';
import {closeBrowserWorlds, mountApp, sendDlqMessage, sendFailureRecord, startBrowserWorld, type BrowserWorld, type MountedBrowser} from '../helpers/browser-world.tsx';

let world: BrowserWorld | null = null;
let app: MountedBrowser | null = null;
afterEach(closeBrowserWorlds);

test('m reads both queues whole, each message once, and keeps the cursor on its event', {timeout: 90_000}, async () => {
  const w = (world = await startBrowserWorld());
  for (let i = 0; i < 250; i++) sendDlqMessage(w, {orderId: `ord-${i}`}, {error: `Error: order ${i} failed`});
  for (let i = 0; i < 40; i++) sendFailureRecord(w, {orderId: `rec-${i}`}, `req-rec-${String(i).padStart(4, '0')}-4000-8000-000000000000`);
  const m = (app = mountApp(w));
  await m.waitForFrame((f) => /Pipeline/.test(f), 'the dashboard');
  await m.press('f');
  await m.waitForFrame((f) => /Failed events\s+\d+ shown · 20 loaded/.test(f) && !/loading more|peeking/.test(f), 'the first page of each queue', 10_000);
  await m.press('j', 'j');
  // A cursor near the end of the list reads one more page of each queue by itself (App.tsx), and whether `j j` is
  // near it depends on how many list rows the frame has then: let that settle, and count what `m` still has to read.
  await new Promise((resolve) => setTimeout(resolve, 50)); // the keys' effects (App.tsx) have run
  await m.waitForFrame((f) => /Failed events/.test(f) && !/loading more|peeking/.test(f), 'no page being read', 10_000);
  const cursorId = m.store.getState().failed.cursorId;
  assert.ok(cursorId);
  const loadedBefore = (role: string) => m.store.getState().failed.sources.find((s) => s.role === role)!.events.length;
  const dlqLeft = 250 - loadedBefore('dlq');
  const failuresLeft = 40 - loadedBefore('on-failure');
  assert.ok([240, 230].includes(dlqLeft) && [30, 20].includes(failuresLeft), `left to read: ${dlqLeft} + ${failuresLeft}`);
  const receivesBefore = w.calls('ReceiveMessage');
  await m.press('m');
  const done = await m.waitForFrame((f) => /290 loaded/.test(f) && /end of the queues/.test(f), 'every message loaded', 60_000);
  assert.match(done, new RegExp(`loaded DLQ ${dlqLeft} in [\\d.]+ s.*OnFailure ${failuresLeft} in`));
  const state = m.store.getState().failed;
  const ids = state.sources.flatMap((s) => s.events.map((e) => e.messageId));
  assert.equal(ids.length, 290);
  assert.equal(new Set(ids).size, 290, 'no duplicates');
  // pages of at most 10, and one empty receive at each queue's end
  assert.ok(w.calls('ReceiveMessage') - receivesBefore >= Math.ceil(dlqLeft / 10) + Math.ceil(failuresLeft / 10) + 2, 'pages of at most 10');
  // Each message was read exactly once: hidden after its read, never read again, nothing deleted.
  for (const url of [w.dlqUrl, w.failuresUrl]) for (const [, count] of w.receiveCounts(url)) assert.equal(count, 1);
  assert.equal(w.receiveCounts(w.dlqUrl).size, 250);
  // The cursor stayed on its event through the loads.
  assert.equal(state.cursorId, cursorId);
  // The error attributes of DLQ messages were read (only those three are asked for).
  const dlqEvent = state.sources.find((s) => s.role === 'dlq')!.events.find((e) => e.errorMessage === 'Error: order 7 failed');
  assert.ok(dlqEvent, 'the ErrorMessage attribute was received');
  // Leaving the browser releases every message read.
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => /Pipeline/.test(f), 'the dashboard again');
  await waitUntil(() => w.sqs.peekAll(w.dlqUrl).every((msg) => msg.state === 'visible'));
});

async function waitUntil(check: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
