// The clock ticker (app/clock-ticker.ts) over the real store and clock rate, on node:test's mock timers (setTimeout
// and Date): it ticks when a label on screen next reads differently, so that "stale: 20 s" appears when a
// refresh is overdue, and never when nothing reads the clock (an idle dashboard wakes for nothing).
import {test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {createClockRate} from '../../../source/app/clock-rate.ts';
import {createClockTicker} from '../../../source/app/clock-ticker.ts';
import {createInitialState, createStore, reduce, type Action, type DashboardState, type Store} from '../../../source/store/index.ts';
import {describeRefresh, refreshStatus} from '../../../source/ui/view-model.ts';
import {dashboard, fresh, NOW, snapshot} from '../ui/fixtures.ts';
import {pendingTimers} from './pending-timers.ts';

const STEP_MS = 5;

interface World {
  store: Store;
  ticker: ReturnType<typeof createClockTicker>;
  /** The wall times (mocked Date) of each clock tick dispatched. */
  ticks: number[];
  timers: {readonly size: number};
  /** The header's refresh text, as the screen would show it now. */
  header(): string;
  /** Moves the mocked wall clock, running the timers due meanwhile each at (about) its own time. */
  advance(ms: number): void;
}

/**
 * The ticker on the clock `now` (default the wall clock, as with AWS), its rate measured first (`rateKnown`, as a
 * controller that ran a second) or not yet (a dashboard just started).
 */
function world(t: TestContext, options: {now?: () => number; rateKnown?: boolean} = {}): World {
  t.mock.timers.enable({apis: ['setTimeout', 'Date'], now: NOW});
  const now = options.now ?? (() => Date.now());
  const rate = createClockRate(now);
  rate.sample();
  if (options.rateKnown ?? true) {
    t.mock.timers.tick(1000);
    assert.notEqual(rate.sample(), null);
  }
  const timers = pendingTimers();
  const ticks: number[] = [];
  const store = createStore(createInitialState({functionName: 'order-processor', now: now()}), (state, action: Action) => {
    if (action.type === 'clock/tick') ticks.push(Date.now());
    return reduce(state, action);
  });
  const ticker = createClockTicker({store, now, rate});
  t.after(() => ticker.stop());
  return {
    store,
    ticker,
    ticks,
    timers,
    header: () => describeRefresh(refreshStatus(store.getState().dashboard, store.getState().staleAfterMs), store.getState().now).text,
    // (the mock's tick(ms) moves Date to the end first, then runs what was due: in steps of STEP_MS, a timer's
    // callback reads the time it was due at, within STEP_MS, and the timers it sets run at theirs)
    advance: (ms) => {
      for (let left = ms; left > 0; left -= STEP_MS) t.mock.timers.tick(Math.min(STEP_MS, left));
    },
  };
}

/** A dashboard whose polls all answered at `at` (the data clock). */
function answeredAt(at: number): DashboardState {
  return dashboard({snapshot: snapshot({at}), discovery: fresh(snapshot().topology, at), metrics: fresh(snapshot().metrics, at), queues: fresh(snapshot().queues, at)});
}

test('nothing on screen reads the clock: no timer at all; once the stale-after age is known, one', (t) => {
  const w = world(t);
  w.store.dispatch({type: 'dashboard/updated', dashboard: answeredAt(Date.now())});
  w.ticker.start();
  assert.match(w.header(), /^updated /);
  assert.equal(w.timers.size, 0, '"updated 18:30:20Z" does not read the clock');
  w.advance(10 * 60_000);
  assert.deepEqual(w.ticks, []);
  w.store.dispatch({type: 'app/stale-after', ms: 20_000});
  assert.equal(w.timers.size, 1);
});

test('fresh data: one tick, when it turns stale (never before); then "stale: N s" steps once a second', (t) => {
  const w = world(t);
  const at = Date.now();
  w.store.dispatch({type: 'app/stale-after', ms: 20_000});
  w.store.dispatch({type: 'dashboard/updated', dashboard: answeredAt(at)});
  w.ticker.start();
  w.advance(20_000 - 1);
  assert.deepEqual(w.ticks, [], 'no tick while "updated …" is current');
  w.advance(50);
  assert.equal(w.ticks.length, 1);
  assert.ok(w.ticks[0]! >= at + 20_000, 'not early (an early tick draws nothing and needs another)');
  assert.equal(w.header(), 'stale: 20 s');
  for (const label of ['stale: 21 s', 'stale: 22 s', 'stale: 23 s']) {
    w.advance(1000);
    assert.equal(w.header(), label);
  }
  assert.equal(w.ticks.length, 4, 'one tick per label');
  assert.equal(w.timers.size, 1, 'one timer');
});

test('a refresh answering moves the stale tick: none when the new data is still fresh', (t) => {
  const w = world(t);
  const at = Date.now();
  w.store.dispatch({type: 'app/stale-after', ms: 20_000});
  w.store.dispatch({type: 'dashboard/updated', dashboard: answeredAt(at)});
  w.ticker.start();
  w.advance(10_000);
  w.store.dispatch({type: 'dashboard/updated', dashboard: answeredAt(at + 10_000)});
  assert.equal(w.timers.size, 1, 're-armed, not a second timer');
  w.advance(15_000);
  assert.deepEqual(w.ticks, [], 'no tick at the first data\'s stale moment');
  assert.match(w.header(), /^updated /);
  w.advance(5_100);
  assert.equal(w.ticks.length, 1);
  assert.equal(w.header(), 'stale: 20 s');
});

test('before the clock\'s rate is known it ticks at most a second apart, then exactly when the label changes', (t) => {
  const w = world(t, {rateKnown: false});
  const at = Date.now();
  w.store.dispatch({type: 'app/stale-after', ms: 20_000});
  w.store.dispatch({type: 'dashboard/updated', dashboard: answeredAt(at)});
  w.ticker.start();
  w.advance(1000);
  assert.equal(w.ticks.length, 1, 'a tick a second after start: the rate is measured');
  w.advance(20_000 - 1000 - 1);
  assert.equal(w.ticks.length, 1, 'then none until the stale moment');
  w.advance(50);
  assert.equal(w.ticks.length, 2);
  assert.equal(w.header(), 'stale: 20 s');
});

test('the demo\'s fast clock: a label in minutes is redrawn every 5 wall seconds, not at each of its steps', (t) => {
  // the virtual clock runs 60 times as fast as the wall: "STALE 10 min" would change every wall second
  const wall0 = NOW;
  const now = () => NOW + (Date.now() - wall0) * 60;
  const w = world(t, {now});
  const virtual = now();
  const d = answeredAt(virtual - 10 * 60_000);
  w.store.dispatch({type: 'dashboard/updated', dashboard: {...d, metrics: {...d.metrics, error: {message: 'throttled', at: virtual - 10 * 60_000}, consecutiveFailures: 3}}});
  w.ticker.start();
  const first = w.header();
  assert.match(first, /^STALE \d+ min$/);
  w.advance(30_000);
  assert.ok(w.ticks.length >= 5 && w.ticks.length <= 7, `about one tick per 5 wall seconds (${w.ticks.length} in 30 s)`);
  for (let i = 1; i < w.ticks.length; i++) assert.ok(w.ticks[i]! - w.ticks[i - 1]! >= 5000, `ticks ${w.ticks[i]! - w.ticks[i - 1]!} ms apart`);
  assert.notEqual(w.header(), first, 'the label moves on');
});

test('the failed-event views tick once a second; back on the dashboard the per-second tick stops', (t) => {
  const w = world(t);
  w.store.dispatch({type: 'dashboard/updated', dashboard: answeredAt(Date.now())});
  w.ticker.start();
  w.store.dispatch({type: 'view/set', view: 'failed'});
  w.advance(5_100);
  assert.equal(w.ticks.length, 5, 'rows\' ages step by the second');
  w.store.dispatch({type: 'view/set', view: 'dashboard'});
  assert.equal(w.timers.size, 0, 'nothing on the dashboard reads the clock');
  w.advance(60_000);
  assert.equal(w.ticks.length, 5);
});

test('stop() leaves no timer and ticks nothing after, whatever the store does', (t) => {
  const w = world(t);
  w.store.dispatch({type: 'app/stale-after', ms: 20_000});
  w.store.dispatch({type: 'dashboard/updated', dashboard: answeredAt(Date.now())});
  w.ticker.start();
  assert.equal(w.timers.size, 1);
  w.ticker.stop();
  assert.equal(w.timers.size, 0);
  w.store.dispatch({type: 'view/set', view: 'failed'});
  assert.equal(w.timers.size, 0, 'nothing armed by a later change');
  w.advance(60_000);
  assert.deepEqual(w.ticks, []);
});
