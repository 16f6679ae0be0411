// When the screen's clock-dependent text next changes: the controller ticks then, not every second.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {formatAgeSeconds, formatRelativeTime} from '../../../source/domain/format.ts';
import {createInitialState, reduce} from '../../../source/store/reducer.ts';
import type {AppState} from '../../../source/store/types.ts';
import {nextAgeChange, nextClockChange, nextClockStep} from '../../../source/ui/view-model.ts';
import {NOW, dashboard, fresh, snapshot} from './fixtures.ts';

test('nextAgeChange is the first instant the age reads differently (and nothing changes before it)', () => {
  const then = NOW - 1_000_000;
  for (const age of [0, 1200, 4999, 5000, 59_400, 60_000, 61_000, 3_599_000, 7_260_500, 86_399_000, 90_061_000]) {
    const now = then + age;
    const next = nextAgeChange(then, now, 5000);
    assert.ok(next > now, `next change after now (age ${age})`);
    const text = formatRelativeTime(then, now);
    assert.notEqual(formatRelativeTime(then, next), text, `changes at ${next - then} (age ${age})`);
    for (const t of [now + (next - now) / 2, next - 1]) assert.equal(formatRelativeTime(then, t), text, `no change before it (age ${age})`);
  }
  // Without the "just now" span it follows formatAgeSeconds.
  assert.equal(nextAgeChange(0, 2500), 3000);
  assert.equal(formatAgeSeconds(2.999), formatAgeSeconds(2));
  // A time in the future (clock skew) steps by the second.
  assert.equal(nextAgeChange(NOW + 10_000, NOW), NOW + 1000);
});

const state = (over: Partial<AppState> = {}): AppState => ({...createInitialState({functionName: 'f', now: NOW}), ...over});

test('nextClockChange: fresh data needs one tick, when it turns stale (twice the interval); then the age steps', () => {
  assert.equal(nextClockChange(state()), null, 'nothing on screen reads the clock before the first answer');
  const d = dashboard(); // updated 5 s before NOW (discovery 50 s before: the newest counts)
  assert.equal(nextClockChange(state({dashboard: d})), null, '"updated 18:30:15Z" does not read the clock');
  assert.equal(nextClockChange(state({dashboard: d, staleAfterMs: 20_000})), NOW + 15_000, 'one tick, at the stale moment');
  const overdue = state({dashboard: d, staleAfterMs: 20_000, now: NOW + 15_000});
  assert.deepEqual(nextClockStep(overdue), {at: NOW + 16_000, stepMs: 1000}, '"stale: 20 s" steps by the second');
  const old = dashboard({metrics: fresh(snapshot().metrics, NOW - 125_000), queues: fresh(snapshot().queues, NOW - 130_000), discovery: fresh(snapshot().topology, NOW - 200_000)});
  // 2 min old (125 s): "stale: 2 min" next reads "3 min" at 180 s.
  assert.deepEqual(nextClockStep(state({dashboard: old, staleAfterMs: 20_000})), {at: NOW + 55_000, stepMs: 60_000}, 'a label in minutes');
});

test('nextClockChange: a failing source\'s error age and the STALE label are followed too', () => {
  const d = dashboard();
  const failing = {...d, metrics: {...d.metrics, error: {message: 'throttled', at: NOW - 30_500}, consecutiveFailures: 2}};
  // stale since the metrics data (5 s ago: next at 6 s); error 30.5 s ago (next at 31 s): the earliest wins.
  assert.equal(nextClockChange(state({dashboard: failing})), NOW + 500);
});

test('nextClockChange: the failed-event views step by the second; help and dashboard only follow the header', () => {
  assert.equal(nextClockChange(state({view: 'failed'})), NOW + 1000);
  assert.equal(nextClockChange(state({view: 'detail'})), NOW + 1000);
  assert.equal(nextClockChange(state({view: 'help'})), null);
});

test('dashboard/updated keeps the queue history object when no sample was added (syncing flips)', () => {
  const d = dashboard();
  const s1 = reduce(state(), {type: 'dashboard/updated', dashboard: d});
  assert.ok(Object.keys(s1.queueHistory).length > 0);
  const s2 = reduce(s1, {type: 'dashboard/updated', dashboard: {...d, metrics: {...d.metrics, syncing: true}}});
  assert.equal(s2.queueHistory, s1.queueHistory);
  const later = {...d, queues: {...d.queues, updatedAt: NOW + 5000}};
  const s3 = reduce(s2, {type: 'dashboard/updated', dashboard: later});
  assert.notEqual(s3.queueHistory, s2.queueHistory);
});
