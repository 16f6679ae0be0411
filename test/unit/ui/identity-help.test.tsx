// Frames and keys: the cursor follows the event through load, sort, filter and refresh; the help overlay
// scrolls to every section; the status bar keeps the keys that matter when narrow; "c cancel" only while
// there is something to cancel.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import type {Action} from '../../../source/store/actions.ts';
import {emptyProgress} from '../../../source/store/reducer.ts';
import type {RedrivePlan} from '../../../source/store/types.ts';
import type {FailedEvent} from '../../../source/domain/types.ts';
import {KEYS} from '../../helpers/render.tsx';
import {NOW, dashboard, onFailureEvents, queues} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';

let current: Mounted | null = null;
afterEach(() => {
  current?.unmount();
  current = null;
});
const open = (...args: Parameters<typeof mount>): Mounted => (current = mount(...args));
const page = (offsetMs: number, tag: string): FailedEvent[] =>
  onFailureEvents(10).map((e, i) => ({...e, messageId: `${tag}-${i}`, requestId: `${tag}-req-${i}-0000-4000-8000-000000000000`, time: NOW - offsetMs - i * 1000}));
const browser = (): Action[] => [
  {type: 'dashboard/updated', dashboard: dashboard()},
  {type: 'failed/open'},
  {type: 'failed/sources', sources: [{role: 'on-failure', queueUrl: queues[1]!.url, queueName: 'order-processor-failures'}]},
  {type: 'failed/page-loaded', role: 'on-failure', events: page(600_000, 'old'), exhausted: false},
];

test('j x4, Enter, Esc, a newer page, Enter: the same event (by request id), as before the load', async () => {
  const m = open({columns: 160, rows: 30, actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press('j', 'j', 'j', 'j', KEYS.enter);
  let frame = await m.waitForFrame((f) => f.includes('Failed event '));
  const first = /request id +(\S+)/.exec(frame)![1]!;
  assert.equal(first, 'old-req-4-0000-4000-8000-000000000000');
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => f.includes('Failed events'));
  m.store.dispatch({type: 'failed/page-loaded', role: 'on-failure', events: page(0, 'new'), exhausted: false});
  await m.waitForFrame((f) => f.includes('20 loaded'));
  await m.press(KEYS.enter);
  frame = await m.waitForFrame((f) => f.includes('Failed event '));
  assert.equal(/request id +(\S+)/.exec(frame)![1], first);
  await m.press(KEYS.escape);
  // Sort and a refresh: still the same event under the cursor; r names it.
  await m.press('s', 'S');
  m.store.dispatch({type: 'dashboard/updated', dashboard: dashboard()});
  await m.press('r');
  assert.deepEqual(m.named('requestRedrive').at(-1)!.args[0], ['old-4']);
  // A filter hiding everything: r acts on nothing.
  await m.press('/', 'z', 'z', 'z', KEYS.enter);
  await m.waitForFrame((f) => f.includes('no event matches the filter'));
  await m.press('r');
  assert.equal(m.named('requestRedrive').length, 1, 'nothing under the cursor: nothing asked');
  await m.waitForFrame((f) => f.includes('nothing to redrive: no event selected'));
});

test('help scrolls at 120x40: the Event detail, Confirm and Redrive sections can be reached', async () => {
  const m = open({columns: 120, rows: 40, actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press('?');
  let frame = await m.waitForFrame((f) => f.includes('Help'));
  const all = new Set<string>();
  const seen = (f: string) => {
    for (const t of ['Event detail', 'Confirm dialog', 'Redrive progress', 'While typing a filter', 'Everywhere']) if (f.includes(t)) all.add(t);
  };
  seen(frame);
  assert.match(frame, /lines 1-\d+ of \d+ · j\/k pgup\/pgdn scroll/);
  for (let i = 0; i < 6; i++) {
    await m.press(KEYS.pageDown);
    frame = m.plainFrame();
    seen(frame);
  }
  assert.deepEqual([...all].sort(), ['Confirm dialog', 'Event detail', 'Everywhere', 'Redrive progress', 'While typing a filter']);
  assert.ok(m.store.getState().helpScroll > 0);
  await m.press('g');
  assert.equal(m.store.getState().helpScroll, 0);
  await m.press('j');
  assert.equal(m.store.getState().helpScroll, 1);
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => f.includes('Failed events'));
});

test('a narrow status bar keeps the keys of the view that matter: mark, redrive, detail, back', async () => {
  const m = open({columns: 80, rows: 24, actions: browser()});
  const frame = await m.waitForFrame((f) => f.includes('Failed events'));
  const status = frame.split('\n').at(-1)!;
  for (const hint of ['? help', 'enter detail', 'esc back', 'space mark', 'r redrive', 'q quit']) assert.ok(status.includes(hint), `${hint} in "${status}"`);
});

test('"c cancel" shows while a job runs, not once it finished', async () => {
  const plan: RedrivePlan = {count: 2, sourceRole: 'on-failure', sourceName: 'order-processor-failures', targetDescription: 'order-processor (async Invoke)', ratePerSecond: 5, dryRun: false, warnings: []};
  const m = open({columns: 100, rows: 30, actions: [...browser(), {type: 'redrive/confirm-requested', plan}, {type: 'redrive/confirmed'}, {type: 'redrive/started', total: 2}]});
  let frame = await m.waitForFrame((f) => f.includes('Redriving 2 events'));
  assert.match(frame.split('\n').at(-1)!, /c cancel/);
  m.store.dispatch({type: 'redrive/finished', outcome: 'done', summary: '2 accepted, 0 failed, 0 skipped', progress: {...emptyProgress(2), accepted: 2, remaining: 0}});
  frame = await m.waitForFrame((f) => f.includes('Redrive finished'));
  assert.doesNotMatch(frame, /c cancel/);
  assert.match(frame.split('\n').at(-1)!, /enter close/);
});
