// Issue 10: the queues panel tells the dashboard which rows it shows (an intent, setQueuesVisible), when they
// change (a scroll, a page key, a resize), never because of a refresh; a row whose reading is older than the
// latest refresh shows its age.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import type {QueueStatus} from '../../../source/domain/types.ts';
import type {DashboardState} from '../../../source/store/types.ts';
import {KEYS} from '../../helpers/render.tsx';
import {NOW, dashboard, queues as fixtureQueues, snapshot} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';
import {createInitialState, reduce} from '../../../source/store/reducer.ts';

let current: Mounted | null = null;
afterEach(() => {
  current?.unmount();
  current = null;
});

const COUNT = 120;
/** The DLQ and 119 SQS sources, all read at `readAt` except those listed in `older` (read a minute earlier). */
function manyQueues(readAt: number, older: ReadonlySet<number> = new Set(), visible = 5): QueueStatus[] {
  const template = fixtureQueues[0]!;
  return Array.from({length: COUNT}, (_, i) => ({
    ...template,
    role: i === 0 ? 'dlq' : 'source',
    name: i === 0 ? template.name : `orders-src-${String(i).padStart(3, '0')}`,
    arn: `${template.arn}-${i}`,
    url: `${template.url}-${i}`,
    visible: visible + i,
    readAt: older.has(i) ? readAt - 60_000 : readAt,
  })) as QueueStatus[];
}
const at = NOW - 5_000;
const update = (queues: QueueStatus[]): {type: 'dashboard/updated'; dashboard: DashboardState} => ({
  type: 'dashboard/updated',
  dashboard: dashboard({snapshot: snapshot({queues, queuesReadAt: at, findings: []})}),
});
const visibleCalls = (m: Mounted): Array<[number, number]> => m.named('setQueuesVisible').map((c) => c.args as [number, number]);

test('the queues panel says which rows it shows; j, page down and a resize move them; a refresh does not', async () => {
  const m = (current = mount({columns: 120, rows: 40, actions: [update(manyQueues(at))]}));
  await m.waitForFrame((f) => f.includes('orders-src-001'));
  await m.waitForFrame(() => visibleCalls(m).length > 0, 'the first window');
  const [[first0, count]] = visibleCalls(m) as [[number, number]];
  assert.equal(first0, 0);
  assert.ok(count > 5 && count < COUNT, `some of the rows fit (${count})`);
  assert.deepEqual(m.store.getState().queuesWindow, {first: 0, count});
  assert.match(m.plainFrame(), new RegExp(`Queues.*${COUNT} · 1-${count}`), 'the title says which rows are shown');

  // a refresh with new figures for the same queues: no intent
  m.store.dispatch(update(manyQueues(at + 5_000, new Set(), 9)));
  await m.waitForFrame((f) => /orders-src-001\s+10\b/.test(f), 'the refreshed figures');
  assert.equal(visibleCalls(m).length, 1, 'a refresh does not say the window again');

  // j without the queues panel focused scrolls nothing
  await m.press('j');
  assert.equal(visibleCalls(m).length, 1);
  m.store.dispatch({type: 'focus/set', panel: 'queues'});
  await m.press('j');
  await m.waitForFrame(() => visibleCalls(m).length === 2, 'the window after j');
  assert.deepEqual(visibleCalls(m)[1], [1, count]);
  await m.press(KEYS.pageDown);
  await m.waitForFrame(() => visibleCalls(m).length === 3, 'the window after page down');
  assert.deepEqual(visibleCalls(m)[2], [1 + count, count]);
  const firstShown = `orders-src-${String(1 + count).padStart(3, '0')}`;
  const frame = await m.waitForFrame((f) => f.includes(firstShown));
  assert.doesNotMatch(frame, /orders-src-001\b/, 'the rows above scrolled away');

  // a taller terminal shows more rows: the window grows
  m.resize(120, 60);
  await m.waitForFrame(() => visibleCalls(m).length === 4, 'the window after a resize');
  const [first4, count4] = visibleCalls(m)[3]!;
  assert.equal(first4, 1 + count);
  assert.ok(count4 > count, `more rows at 60 (${count4} > ${count})`);

  // to the end: the scroll stops at the last page
  for (let i = 0; i < 6; i++) await m.press(KEYS.pageDown);
  await m.waitForFrame((f) => f.includes(`orders-src-${COUNT - 1}`), 'the last row');
  const last = visibleCalls(m).at(-1)!;
  assert.deepEqual(last, [COUNT - count4, count4], 'the last rows, a whole page of them');
  await m.press('k');
  await m.waitForFrame(() => visibleCalls(m).at(-1)![0] === COUNT - count4 - 1, 'one up from the end at once');
});

test('a row whose reading is older than the latest refresh shows its age; the current ones do not', async () => {
  const m = (current = mount({columns: 120, rows: 40, actions: [update(manyQueues(at, new Set([2])))]}));
  const frame = await m.waitForFrame((f) => f.includes('orders-src-002'));
  const row = (name: string): string => frame.split('\n').find((l) => l.includes(name)) ?? '';
  assert.match(row('orders-src-002'), /1 min ago/);
  assert.doesNotMatch(row('orders-src-003'), /ago/);
});

test('reducer: queues/scroll stays within the rows there are, a page at a time, from where the panel is', () => {
  let s = createInitialState({functionName: 'f', now: NOW});
  s = reduce(s, update(manyQueues(at)));
  s = reduce(s, {type: 'queues/visible', first: 0, count: 25});
  s = reduce(s, {type: 'queues/scroll', delta: -1});
  assert.equal(s.queuesScroll, 0);
  s = reduce(s, {type: 'queues/scroll', delta: 1000});
  assert.equal(s.queuesScroll, COUNT - 25, 'the last page');
  // a taller panel shows more rows: one key up moves from the last page it can show
  s = reduce(s, {type: 'queues/visible', first: COUNT - 40, count: 40});
  s = reduce(s, {type: 'queues/scroll', delta: -1});
  assert.equal(s.queuesScroll, COUNT - 41);
  const same = reduce(s, {type: 'queues/visible', first: COUNT - 40, count: 40});
  assert.equal(same, s, 'the same window: the same state (no render)');
});

test('a narrow terminal keeps the age of an older reading (the trend column stays; names are cut first)', async () => {
  const m = (current = mount({columns: 70, rows: 30, actions: [update(manyQueues(at, new Set([1])))]}));
  const frame = await m.waitForFrame((f) => f.includes('orders-src-00'));
  const row = frame.split('\n').find((l) => /orders-src-00.?\s/.test(l) && /1 min ago/.test(l));
  assert.ok(row, `the row read a minute ago says so at 70 columns:\n${frame}`);
});
