import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {KEYS, renderInk, stripSgr} from '../../helpers/render.tsx';
import {FleetApp, type FleetActions, type FleetDataSource} from '../../../source/ui/fleet/FleetApp.tsx';
import {createFleetUiStore, createTableModel, initialFleetUi} from '../../../source/ui/fleet/fleet-ui.ts';
import {EMPTY_FIGURES, healthOf, sortRows, type FleetFigures, type FleetRow} from '../../../source/domain/fleet.ts';
import type {FleetSnapshot} from '../../../source/pollers/fleet-source.ts';

const NOW = 1_800_000_000_000;
const idle = {data: null, updatedAt: null, error: null, syncing: false, consecutiveFailures: 0, nextAt: null};

function row(name: string, figures: Partial<FleetFigures> | null): FleetRow {
  const f = figures ? {...EMPTY_FIGURES, ...figures} : null;
  return {name, dlqQueueName: null, reserved: null, figures: f, figuresFrom: f ? 'metrics' : null, ...healthOf(f, null, NOW)};
}

function fleet(n: number): FleetRow[] {
  const rows: FleetRow[] = [];
  for (let i = 0; i < n; i++) rows.push(row(`svc-${String(i).padStart(4, '0')}`, {invocations: 1000 + i, errors: i % 7, throttles: 0, dropped: 0, ageMaxMs: 100}));
  rows.push(row('orders-throttled', {invocations: 500, errors: 1, throttles: 900, dropped: 0, ageMaxMs: 600_000}));
  rows.push(row('avatar-dropping', {invocations: 100, errors: 60, throttles: 0, dropped: 12, ageMaxMs: 1000}));
  rows.push(row('no-data-yet', null));
  return rows;
}

function source(rows: FleetRow[], more: Partial<FleetSnapshot> = {}): FleetDataSource & {visible: string[][]} {
  const snapshot: FleetSnapshot = {
    listing: {...idle, data: rows.map((r) => ({name: r.name, arn: null, runtime: null, timeoutSeconds: null, memoryMb: null, deadLetterTargetArn: null, logGroup: null, lastModified: null})), updatedAt: NOW},
    metrics: {...idle, data: 1, updatedAt: NOW},
    rows,
    mode: rows.length > 300 ? 'insights' : 'per-row',
    lastRefresh: {getMetricDataCalls: 5, metricQueries: 420, insightsQueries: 4},
    windowMs: 15 * 60_000,
    intervalMs: 10_000,
    ...more,
  };
  return {subscribe: () => () => {}, getSnapshot: () => snapshot, visible: []};
}

function open(rows: FleetRow[], size = {columns: 100, rows: 20}, more: Partial<FleetSnapshot> = {}) {
  const src = source(rows, more);
  const ui = createFleetUiStore();
  const calls: string[] = [];
  const actions: FleetActions = {
    open: (name) => calls.push(`open:${name}`),
    refresh: () => calls.push('refresh'),
    quit: () => calls.push('quit'),
    setVisible: (names) => src.visible.push([...names]),
  };
  const r = renderInk(<FleetApp source={src} ui={ui} actions={actions} region="eu-west-1" now={() => NOW} options={{...size, color: false}} />, size);
  return {...r, ui, calls, src};
}

const bodyLines = (frame: string) => stripSgr(frame).split('\n').slice(3, -2);

test('most critical first: dropped events, then throttles, then the healthy; unknown last', async () => {
  const m = open(fleet(30));
  const frame = await m.waitForFrame((f) => f.includes('avatar-dropping'));
  const body = bodyLines(frame);
  assert.match(body[0]!, /✖ avatar-dropping/);
  assert.match(body[1]!, /▲ orders-throttled/);
  assert.match(frame, /sort: health/);
  const sorted = sortRows(fleet(30), 'health');
  assert.equal(sorted[sorted.length - 1]!.name, 'no-data-yet', 'no data sorts last, never as 0');
  assert.match(frame, /no-data-yet|svc-/);
  m.unmount();
});

test('virtualised: 5,000 rows draw only the rows that fit, and the source hears which rows are on screen', async () => {
  const m = open(fleet(5000), {columns: 100, rows: 20});
  const frame = await m.waitForFrame((f) => f.includes('avatar-dropping'));
  assert.equal(stripSgr(frame).split('\n').filter((l) => /svc-\d{4}/.test(l)).length, 20 - 5 - 2, 'one screen of rows, not 5,000');
  const visible = m.src.visible.at(-1)!;
  assert.ok(visible.length >= 15 && visible.length <= 45, `${visible.length} names on screen plus margin`);
  await m.press(KEYS.end);
  const end = await m.waitForFrame((f) => f.includes('5003/5003'));
  assert.match(end, /no-data-yet/);
  assert.ok(m.src.visible.at(-1)!.includes('no-data-yet'), 'scrolling tells the source the new rows');
  m.unmount();
});

test('s cycles the sort column and keeps the selected function selected', async () => {
  const m = open(fleet(30));
  await m.waitForFrame((f) => f.includes('avatar-dropping'));
  await m.press(KEYS.down); // orders-throttled
  await m.press('s');
  const byName = await m.waitForFrame((f) => f.includes('sort: name'));
  assert.equal(m.ui.getState().selected, 'orders-throttled');
  const selectedLine = byName.split('\n').find((l) => l.includes('orders-throttled'))!;
  assert.match(selectedLine, /\u001b\[7m|orders-throttled/);
  assert.match(byName, /\b30\/33\b|orders-throttled/);
  await m.press('s'); // invocations
  const byInvocations = await m.waitForFrame((f) => f.includes('sort: invocations'));
  const shown = bodyLines(byInvocations).map((l) => Number(/svc-(\d{4})/.exec(l)?.[1] ?? NaN)).filter((n) => !Number.isNaN(n));
  assert.ok(shown.length > 5);
  for (let i = 1; i < shown.length; i++) assert.ok(shown[i - 1]! > shown[i]!, 'highest invocations first');
  assert.ok(bodyLines(byInvocations).some((l) => l.includes('orders-throttled')), 'the selection stays on screen');
  m.unmount();
});

test('/ filters by name as a regex; an invalid regex says so and filters nothing; esc clears', async () => {
  const m = open(fleet(30));
  await m.waitForFrame((f) => f.includes('avatar-dropping'));
  await m.press('/ord'); // typed faster than a frame: one chunk
  let frame = await m.waitForFrame((f) => f.includes('filter: /ord'));
  assert.deepEqual(bodyLines(frame).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)[1]), ['orders-throttled']);
  await m.press(KEYS.enter);
  frame = await m.waitForFrame((f) => f.includes('1 of 33 functions'));
  await m.press('/', '(');
  frame = await m.waitForFrame((f) => /invalid regex/.test(f));
  assert.match(frame, /invalid regex/);
  assert.ok(bodyLines(frame).filter((l) => l.includes('svc-')).length > 5, 'nothing filtered while the regex is invalid');
  await m.press(KEYS.escape);
  frame = await m.waitForFrame((f) => f.includes('sort: health') && !f.includes('filter:'));
  assert.equal(m.ui.getState().filterText, '');
  m.unmount();
});

test('enter opens the selected function; q quits; ? shows the keys and the refresh cost', async () => {
  const m = open(fleet(30));
  await m.waitForFrame((f) => f.includes('avatar-dropping'));
  await m.press(KEYS.down, KEYS.enter);
  await m.waitForFrame(() => m.calls.includes('open:orders-throttled'));
  await m.press('?');
  const help = await m.waitForFrame((f) => f.includes('Refresh cost'));
  for (const words of ['sort by health', 'filter by name (a regex)', "open the function's dashboard", 'Metrics Insights queries', 'per hour at $0.01 per 1,000 metrics requested or analyzed (public price, unconfirmed', 'asked for once per 1 min']) {
    assert.ok(help.replace(/\s+/g, ' ').includes(words), words);
  }
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => f.includes('sort: health'));
  await m.press('q');
  await m.waitForFrame(() => m.calls.includes('quit'));
  m.unmount();
});

// Its speed is measured in bench/fleet-model.ts (no timing is asserted in a unit test); this checks what it gives.
test('the table model sorts and filters 5,000 rows: troubled first, a name filter keeps exactly the matches', () => {
  const rows = fleet(5000);
  const model = createTableModel();
  let ui = initialFleetUi();
  const byHealth = model(rows, {...ui, sortKey: 'health'});
  const names = (table: {rows: readonly FleetRow[]}) => table.rows.map((r) => r.name);
  const first = names(byHealth).slice(0, 2).sort();
  assert.deepEqual(first, ['avatar-dropping', 'orders-throttled']);
  ui = {...ui, sortKey: 'name', filterText: 'svc-1'};
  const filtered = names(model(rows, ui));
  assert.equal(filtered.length, rows.filter((r) => /svc-1/.test(r.name)).length);
  assert.ok(filtered.every((n) => n.includes('svc-1')));
  assert.deepEqual(filtered, [...filtered].sort(), 'by name');
});

test('while ListFunctions pages arrive, the table shows the rows listed so far and says how many are expected', async () => {
  const rows = fleet(1247);
  const m = open(rows, {columns: 100, rows: 20}, {listing: {...idle, syncing: true}, loading: {listed: rows.length, expected: 5007}, mode: 'insights', metricsAt: null});
  const frame = await m.waitForFrame((f) => f.includes('avatar-dropping'));
  assert.match(frame, /loading 1,250 of ~5,007 functions/);
  assert.ok(bodyLines(frame).filter((l) => /svc-\d{4}/.test(l)).length > 5, 'the rows listed so far are drawn, sorted');
  assert.ok(m.src.visible.at(-1)!.includes('avatar-dropping'), 'and the source hears which are on screen, to ask their metrics');
  m.unmount();
});
