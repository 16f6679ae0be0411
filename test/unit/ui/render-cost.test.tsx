// Cheap to leave open: the header shows the refresh's time, so an idle clock tick redraws nothing; once data is
// twice the interval old the header (only) turns to "stale: N s"; a quick poll redraws nothing (the spinner
// waits), and a tick that moves no label to its next step redraws nothing.
// (Any React commit costs Ink a whole frame, so "nothing" means no component render at all.)
import {test, afterEach, beforeEach} from 'node:test';
import assert from 'node:assert/strict';
import {renderProbe} from '../../../source/ui/render-probe.ts';
import {QUEUE_HISTORY_LIMIT} from '../../../source/store/index.ts';
import {NOW, dashboard} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';

let current: Mounted | null = null;
beforeEach(() => {
  renderProbe.enabled = true;
  renderProbe.reset();
});
afterEach(() => {
  current?.unmount();
  current = null;
  renderProbe.enabled = false;
});

const PANELS = ['DashboardBody', 'PipelinePanel', 'ConcurrencyGauge', 'QueuesPanel', 'DiagnosisPanel', 'StatusBar'];
/** Lets React commit what the last dispatch scheduled (store updates render in a microtask). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function ready(): Promise<Mounted> {
  // The fixture's data was fetched 5 s before NOW (18:30:15Z); stale after 20 s (a 10 s interval), at NOW + 15 s.
  const m = (current = mount({columns: 120, rows: 40, actions: [{type: 'app/stale-after', ms: 20_000}, {type: 'dashboard/updated', dashboard: dashboard()}]}));
  await m.waitForFrame((f) => f.includes('updated 18:30:15Z') && f.includes('Diagnosis'));
  await settle();
  for (const name of PANELS) assert.ok((renderProbe.counts[name] ?? 0) >= 1, `${name} rendered at first`);
  renderProbe.reset();
  return m;
}

test('idle clock ticks redraw nothing while the data is fresh: no frame for the seconds going by', async () => {
  const m = await ready();
  const frames = m.frames.length;
  for (const t of [1000, 2000, 9000, 14_900]) m.store.dispatch({type: 'clock/tick', now: NOW + t});
  await settle();
  assert.deepEqual(renderProbe.counts, {});
  assert.equal(m.frames.length, frames, 'no frame written');
});

test('data twice the interval old turns the header to a stale warning, redrawing the header, not the panels', async () => {
  const m = await ready();
  m.store.dispatch({type: 'clock/tick', now: NOW + 15_000});
  await m.waitForFrame((f) => f.includes('stale: 20 s'));
  await settle();
  assert.equal(renderProbe.counts['HeaderView'], 1);
  for (const name of PANELS) assert.equal(renderProbe.counts[name] ?? 0, 0, `${name} not redrawn by a tick`);
  // A tick that moves no label to its next step redraws nothing; the next second is drawn.
  renderProbe.reset();
  m.store.dispatch({type: 'clock/tick', now: NOW + 15_400});
  await settle();
  assert.deepEqual(renderProbe.counts, {});
  m.store.dispatch({type: 'clock/tick', now: NOW + 16_000});
  await m.waitForFrame((f) => f.includes('stale: 21 s'));
  // New data is fresh again.
  const base = m.store.getState().dashboard!;
  m.store.dispatch({type: 'dashboard/updated', dashboard: {...base, queues: {...base.queues, updatedAt: NOW + 16_000}}});
  await m.waitForFrame((f) => f.includes('updated 18:30:36Z') && !f.includes('stale:'));
});

test('a quick poll (syncing on and off) commits nothing: no panel, no header, no frame', async () => {
  const m = await ready();
  const frames = m.frames.length;
  const base = m.store.getState().dashboard!;
  m.store.dispatch({type: 'dashboard/updated', dashboard: {...base, metrics: {...base.metrics, syncing: true}}});
  m.store.dispatch({type: 'dashboard/updated', dashboard: {...base, queues: {...base.queues, syncing: true}}});
  await settle();
  m.store.dispatch({type: 'dashboard/updated', dashboard: {...base, metrics: {...base.metrics, syncing: false}}});
  m.store.dispatch({type: 'dashboard/updated', dashboard: base});
  await settle();
  assert.deepEqual(renderProbe.counts, {});
  assert.equal(m.frames.length, frames, 'no frame written');
});

test('a slow poll shows the spinner after a moment, and only the header redraws for it', async () => {
  const m = await ready();
  const base = m.store.getState().dashboard!;
  m.store.dispatch({type: 'dashboard/updated', dashboard: {...base, metrics: {...base.metrics, syncing: true}}});
  await m.waitForFrame((f) => /updated 18:30:15Z [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(f), 'spinner');
  m.store.dispatch({type: 'dashboard/updated', dashboard: base});
  await m.waitForFrame((f) => !/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(f), 'spinner gone');
  await settle();
  for (const name of PANELS) assert.equal(renderProbe.counts[name] ?? 0, 0, `${name} not redrawn by syncing`);
  assert.ok((renderProbe.counts['HeaderView'] ?? 0) >= 2, 'the header drew the spinner and took it away');
});

test('a refresh that brings the same figures redraws the header\'s time, no panel (once the depth history is full)', async () => {
  const m = await ready();
  const base = m.store.getState().dashboard!;
  const refresh = (at: number) => m.store.dispatch({type: 'dashboard/updated', dashboard: {...base, queues: {...base.queues, updatedAt: at}, metrics: {...base.metrics, updatedAt: at}}});
  // Until the depth history is full, each sample lengthens the queues' sparklines in the pipeline (a change).
  for (let i = 1; i <= QUEUE_HISTORY_LIMIT; i++) refresh(NOW + i * 10_000);
  await settle();
  renderProbe.reset();
  const history = m.store.getState().queueHistory;
  refresh(NOW + 700_000);
  await m.waitForFrame((f) => f.includes('updated 18:42:00Z'));
  await settle();
  assert.notEqual(m.store.getState().queueHistory, history, 'the refresh added a sample');
  assert.equal(renderProbe.counts['HeaderView'], 1);
  for (const name of PANELS.filter((n) => n !== 'DashboardBody')) assert.equal(renderProbe.counts[name] ?? 0, 0, `${name} not redrawn by the same figures`);
});

test('new data redraws the panels it feeds', async () => {
  const m = await ready();
  const base = m.store.getState().dashboard!;
  const queues = base.snapshot.queues.map((q) => ({...q, visible: (q.visible ?? 0) + 1000}));
  m.store.dispatch({type: 'dashboard/updated', dashboard: {...base, snapshot: {...base.snapshot, queues}, queues: {...base.queues, data: queues}}});
  await m.waitForFrame((f) => f.includes('2.2k'));
  await settle();
  assert.ok((renderProbe.counts['QueuesPanel'] ?? 0) >= 1);
});
