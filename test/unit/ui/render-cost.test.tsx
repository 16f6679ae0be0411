// Cheap to leave open: a clock tick redraws only what reads the clock (the header's "ago" labels), a quick
// poll redraws nothing (the spinner waits), and a tick that moves no label to its next step redraws nothing.
// (Any React commit costs Ink a whole frame, so "nothing" means no component render at all.)
import {test, afterEach, beforeEach} from 'node:test';
import assert from 'node:assert/strict';
import {renderProbe} from '../../../source/ui/render-probe.ts';
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
  // The fixture's data was fetched 5 s before NOW: the header says "updated 5 s ago".
  const m = (current = mount({columns: 120, rows: 40, actions: [{type: 'dashboard/updated', dashboard: dashboard()}]}));
  await m.waitForFrame((f) => f.includes('updated 5 s ago') && f.includes('Diagnosis'));
  await settle();
  for (const name of PANELS) assert.ok((renderProbe.counts[name] ?? 0) >= 1, `${name} rendered at first`);
  renderProbe.reset();
  return m;
}

test('a clock tick that changes an "ago" label redraws the header, not the panels', async () => {
  const m = await ready();
  m.store.dispatch({type: 'clock/tick', now: NOW + 1000});
  await m.waitForFrame((f) => f.includes('updated 6 s ago'));
  await settle();
  assert.equal(renderProbe.counts['HeaderView'], 1);
  for (const name of PANELS) assert.equal(renderProbe.counts[name] ?? 0, 0, `${name} not redrawn by a tick`);
});

test('a clock tick that changes no label redraws nothing', async () => {
  const m = await ready();
  m.store.dispatch({type: 'clock/tick', now: NOW + 400});
  await settle();
  assert.deepEqual(renderProbe.counts, {});
  // ...and the next real change is still drawn.
  m.store.dispatch({type: 'clock/tick', now: NOW + 2000});
  await m.waitForFrame((f) => f.includes('updated 7 s ago'));
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
  await m.waitForFrame((f) => /updated 5 s ago [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(f), 'spinner');
  m.store.dispatch({type: 'dashboard/updated', dashboard: base});
  await m.waitForFrame((f) => !/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(f), 'spinner gone');
  await settle();
  for (const name of PANELS) assert.equal(renderProbe.counts[name] ?? 0, 0, `${name} not redrawn by syncing`);
  assert.ok((renderProbe.counts['HeaderView'] ?? 0) >= 2, 'the header drew the spinner and took it away');
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
