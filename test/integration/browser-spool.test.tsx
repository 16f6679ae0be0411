// The browser keeps listed fields for every loaded event and the full event for a bounded few; the rest is read
// back from its spool file. An event that is only in the spool is still found by payload text, shown whole in
// the detail view, exported and redriven byte for byte (whole stack: App -> controller -> engine -> simulator).
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {KEYS} from '../helpers/render.tsx';
import {selectVisibleEvents} from '../../source/store/selectors.ts';
import {closeBrowserWorlds, mountApp, sendDlqMessage, startBrowserWorld, type BrowserWorld, type MountedBrowser} from '../helpers/browser-world.tsx';

let world: BrowserWorld | null = null;
let app: MountedBrowser | null = null;
afterEach(closeBrowserWorlds);

// Formatting JSON.parse/stringify would change (a big integer, 1.50, escapes, spacing) and non-ASCII text.
const RAW = '{"orderId": "spooled-one",  "big": 12345678901234567890123, "price": 1.50, "note": "caf\\u00e9 ☕ 😀 \\"q\\""}';

async function openWithSpool(w: BrowserWorld): Promise<{m: MountedBrowser; id: string}> {
  w.sqs.send(w.dlqUrl, {
    body: RAW,
    messageAttributes: {
      RequestID: {DataType: 'String', StringValue: 'req-spooled-0000-4000-8000-000000000000'},
      ErrorCode: {DataType: 'Number', StringValue: '200'},
      ErrorMessage: {DataType: 'String', StringValue: 'Error: inventory unavailable\n    at reserve (/var/task/index.js:10:5)'},
    },
  });
  for (let i = 0; i < 9; i++) sendDlqMessage(w, {orderId: `plain-${i}`});
  const m = (app = mountApp(w, {eventsInMemory: 1}));
  await m.waitForFrame((f) => /Pipeline/.test(f), 'the dashboard');
  await m.press('f');
  await m.waitForFrame((f) => /Failed events\s+\d+ shown · 10 loaded/.test(f) && !/loading more|peeking/.test(f), 'the first page', 10_000);
  const events = m.store.getState().failed.sources.find((s) => s.role === 'dlq')!.events;
  const spooled = events.find((e) => e.requestId === 'req-spooled-0000-4000-8000-000000000000')!;
  assert.ok(spooled, 'the event is loaded');
  for (const e of events) assert.equal('body' in e || 'payload' in e || 'stackTrace' in e || 'messageAttributes' in e, false, 'the list holds listed fields only');
  // With one full event in memory (the last one loaded), this one is read back from the file.
  assert.notEqual(events.at(-1)!.messageId, spooled.messageId);
  return {m, id: spooled.messageId};
}

test('a spooled event: found by payload text, shown whole in the detail view, exported byte for byte', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  const {m, id} = await openWithSpool(w);
  await m.press('/', ...'12345678901234567890123', KEYS.enter);
  await m.waitForFrame((f) => /1 shown · 10 loaded/.test(f) && !/searching payloads/.test(f), 'the payload search');
  assert.equal(m.store.getState().failed.cursorId, id);
  await m.press(KEYS.enter);
  const detail = await m.waitForFrame((f) => /Payload \(JSON\)/.test(f), 'the detail with its payload');
  assert.match(detail, /spooled-one/);
  assert.match(detail, /reserve \(\/var\/task\/index\.js:10:5\)|inventory unavailable/);
  assert.equal(m.store.getState().failed.detail?.event?.payload, RAW, 'the detail event is the exact original');
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => /1 shown · 10 loaded/.test(f));
  await m.press('e');
  const flash = await m.waitForFrame((f) => /exported 1 event to/.test(f), 'the export');
  const file = /exported 1 event to (\S+)/.exec(flash.replace(/\n/g, ' '))![1]!;
  const record = JSON.parse(readFileSync(file, 'utf8').trim()) as {messageId: string; body: string; payload: string};
  assert.equal(record.messageId, id);
  assert.equal(record.body, RAW);
  assert.equal(record.payload, RAW);
});

test('a short payload search ends inside the filter key: the key returns with the payload match listed', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  const {m, id} = await openWithSpool(w);
  await m.press('/');
  await m.waitForFrame((f) => /\/▏/.test(f), 'the filter prompt');
  // Ten events: the search of their full text takes far less than its in-key budget, so the key's own frame
  // (drawn after the dispatch returns) shows the final list, not a "searching payloads…" one.
  m.store.dispatch({type: 'failed/filter-set', text: 'spooled-one'});
  const state = m.store.getState();
  assert.equal(state.failed.textMatches?.searching, false);
  assert.deepEqual(selectVisibleEvents(state).map((e) => e.messageId), [id]);
  await m.waitForFrame((f) => /1 shown · 10 loaded/.test(f) && !/searching payloads/.test(f), 'the list');
});

test('a spooled event is redriven with its exact original body', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  const {m, id} = await openWithSpool(w);
  await m.press('/', ...'spooled-one', KEYS.enter);
  await m.waitForFrame((f) => /1 shown · 10 loaded/.test(f) && !/searching payloads/.test(f), 'the payload search');
  await m.press(KEYS.space);
  await m.waitForFrame((f) => /1 marked/.test(f));
  await m.press('r');
  await m.waitForFrame((f) => /Redrive 1 event\?/.test(f));
  await m.press('y');
  await m.waitForFrame((f) => /Redrive finished/.test(f), 'the summary', 40_000);
  assert.equal(w.world.invocations.length, 1);
  assert.equal(w.world.invocations[0]!.payload, RAW, 'byte for byte');
  assert.equal(w.receiveCounts(w.dlqUrl).has(id), false, 'deleted after it was accepted');
});

test('a payload search that goes on after the key (in the worker thread) says so, then lists exactly the matches', {timeout: 60_000}, async () => {
  const w = (world = await startBrowserWorld());
  // By request id (sendDlqMessage's answer).
  const vip: string[] = [];
  const vip1: string[] = [];
  for (let i = 0; i < 30; i++) {
    const requestId = sendDlqMessage(w, {orderId: `order-${i}`, customer: i % 4 === 0 ? `vip-${i}` : `regular-${i}`});
    if (i % 4 === 0) vip.push(requestId);
    if (i % 4 === 0 && String(i).startsWith('1')) vip1.push(requestId);
  }
  // No time for the search inside a key: it always goes on after the key's frame, in the worker.
  const m = (app = mountApp(w, {eventsInMemory: 1, searchInKeyMs: 0}));
  await m.waitForFrame((f) => /Pipeline/.test(f), 'the dashboard');
  await m.press('f');
  await m.waitForFrame((f) => /Failed events\s+\d+ shown · 10 loaded/.test(f) && !/loading more|peeking/.test(f), 'the first page', 10_000);
  await m.press('m');
  await m.waitForFrame((f) => /30 loaded/.test(f) && /end of the queues/.test(f), 'every event', 10_000);
  await m.press('/');
  await m.waitForFrame((f) => /\/▏/.test(f), 'the filter prompt');
  m.store.dispatch({type: 'failed/filter-set', text: 'vip-'});
  // The key's own state: the listed-field matches (none: the customer is in the payload only), still searching.
  assert.equal(m.store.getState().failed.textMatches?.searching, true);
  await m.press(KEYS.enter);
  await m.waitForFrame((f) => /8 shown · 30 loaded/.test(f) && !/searching payloads/.test(f), 'the search done');
  assert.deepEqual(selectVisibleEvents(m.store.getState()).map((e) => e.requestId).sort(), [...vip].sort());
  // A narrower text searches only what the last one found, also in the worker: exact again.
  m.store.dispatch({type: 'failed/filter-set', text: 'vip-1'});
  await m.waitForFrame((f) => /filter vip-1\b/.test(f) && /2 shown · 30 loaded/.test(f) && !/searching payloads/.test(f), 'the narrowed search');
  assert.deepEqual(selectVisibleEvents(m.store.getState()).map((e) => e.requestId).sort(), [...vip1].sort());
});

test('at 2,000+ loaded events the worker decides each typed key from its token index, started before the store filters the listed fields: exact lists, and a text every event matches is the whole list', {timeout: 120_000}, async () => {
  const w = (world = await startBrowserWorld());
  const count = 2100;
  const tagged3: string[] = [];
  for (let i = 0; i < count; i++) {
    const requestId = sendDlqMessage(w, {orderId: `order-${i}`, tag: `every-one-${i % 5}`});
    if (i % 5 === 3) tagged3.push(requestId);
  }
  const m = (app = mountApp(w, {eventsInMemory: 1}));
  await m.waitForFrame((f) => /Pipeline/.test(f), 'the dashboard');
  await m.press('f');
  await m.waitForFrame((f) => /Failed events\s+\d+ shown · [\d.]+k? loaded/.test(f) && !/loading more|peeking/.test(f), 'the first page', 10_000);
  await m.press('m');
  await m.waitForFrame((f) => /2\.1k loaded/.test(f) && /end of the queues/.test(f), 'every event', 60_000);
  await m.press('/');
  await m.waitForFrame((f) => /\/▏/.test(f), 'the filter prompt');
  // The worker indexes what was loaded (batches every 25 ms): give it time to hold every record.
  await new Promise((r) => setTimeout(r, 1500));
  const all = selectVisibleEvents(m.store.getState());
  assert.equal(all.length, count);
  for (const ch of 'every-one') await m.press(ch);
  await m.waitForFrame((f) => /filter|\/every-one▏/.test(f) && /2\.1k shown · 2\.1k loaded/.test(f) && !/searching payloads/.test(f), 'every event matched');
  assert.equal(selectVisibleEvents(m.store.getState()), all, 'the order itself, not a copy');
  assert.equal(m.store.getState().failed.textMatches?.everyKeyBelow, count, 'sent as every key, not 2,100 keys');
  await m.press('-');
  await m.press('3');
  await m.waitForFrame((f) => /\/every-one-3▏/.test(f) && /420 shown · 2\.1k loaded/.test(f) && !/searching payloads/.test(f), 'a fifth of them');
  assert.deepEqual(selectVisibleEvents(m.store.getState()).map((e) => e.requestId).sort(), [...tagged3].sort());
  assert.equal(m.store.getState().failed.textMatches?.everyKeyBelow, undefined);
});
