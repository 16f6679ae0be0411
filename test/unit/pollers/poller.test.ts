import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createPoller, backoffDelay, type Timers, type PollState} from '../../../source/pollers/poller.ts';
import {deferred} from '../../helpers/deferred.ts';

/** Fake timers on a fake clock: nothing runs unless the test advances time. */
function fakeTimers() {
  let clock = 1_000_000;
  let nextId = 1;
  const pending = new Map<number, {at: number; callback: () => void; ms: number}>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = nextId++;
      pending.set(id, {at: clock + ms, callback, ms});
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    now: () => clock,
    pending,
    delays: () => [...pending.values()].map((p) => p.ms),
    /** Fires the earliest timer (advancing the clock to it). */
    async fireNext() {
      const [id, entry] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !entry) throw new Error('no timer pending');
      pending.delete(id);
      clock = entry.at;
      entry.callback();
      await flush();
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
};

test('backoffDelay: doubles from the interval, caps, throttling grows faster', () => {
  const d = (failures: number, throttled = false) => backoffDelay({intervalMs: 5000, failures, throttled, maxBackoffMs: 300_000, random: 0.5});
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => d(n)), [5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.deepEqual([1, 2, 3, 4].map((n) => d(n, true)), [20_000, 80_000, 300_000, 300_000]);
  // jitter stays within +-20% and never under the interval nor over the cap
  assert.equal(backoffDelay({intervalMs: 5000, failures: 1, throttled: false, maxBackoffMs: 300_000, random: 0}), 8000);
  assert.equal(backoffDelay({intervalMs: 5000, failures: 1, throttled: false, maxBackoffMs: 300_000, random: 0.999999}), 12_000);
  assert.equal(backoffDelay({intervalMs: 5000, failures: 9, throttled: false, maxBackoffMs: 300_000, random: 0.999999}), 300_000);
  // an interval longer than the cap is kept
  assert.equal(backoffDelay({intervalMs: 600_000, failures: 3, throttled: false, maxBackoffMs: 300_000, random: 0.5}), 600_000);
});

test('errors back off exponentially up to the cap, keep the last good data, and recover', async () => {
  const t = fakeTimers();
  let mode: 'ok' | 'fail' = 'ok';
  let calls = 0;
  const poller = createPoller<{value: number}>({
    name: 'test',
    intervalMs: 1000,
    maxBackoffMs: 10_000,
    timers: t.timers,
    now: t.now,
    random: () => 0.5,
    fetch: async () => {
      calls++;
      if (mode === 'fail') throw new Error(`boom ${calls}`);
      return {value: calls};
    },
  });
  poller.start();
  await flush();
  const first = poller.getSnapshot();
  assert.deepEqual(first.data, {value: 1});
  assert.equal(first.updatedAt, 1_000_000);
  assert.equal(first.error, null);
  assert.equal(first.nextAt, 1_001_000);
  assert.deepEqual(t.delays(), [1000]);

  mode = 'fail';
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) {
    await t.fireNext();
    delays.push(...t.delays());
    const s = poller.getSnapshot();
    assert.deepEqual(s.data, {value: 1}, 'last good data kept');
    assert.equal(s.updatedAt, 1_000_000, 'updatedAt stays at the last success: staleness is visible');
    assert.equal(s.consecutiveFailures, i + 1);
    assert.equal(s.error?.message, `boom ${i + 2}`);
    assert.equal(s.syncing, false);
  }
  assert.deepEqual(delays, [2000, 4000, 8000, 10_000, 10_000, 10_000]);

  mode = 'ok';
  await t.fireNext();
  const recovered = poller.getSnapshot();
  assert.equal(recovered.error, null);
  assert.equal(recovered.consecutiveFailures, 0);
  assert.deepEqual(recovered.data, {value: 8});
  assert.deepEqual(t.delays(), [1000]);
  poller.stop();
});

test('throttling errors back off harder than other errors', async () => {
  const t = fakeTimers();
  const throttle = Object.assign(new Error('Rate exceeded'), {kind: 'throttled'});
  const poller = createPoller({
    name: 'throttled',
    intervalMs: 1000,
    maxBackoffMs: 100_000,
    timers: t.timers,
    now: t.now,
    random: () => 0.5,
    fetch: async () => {
      throw throttle;
    },
  });
  poller.start();
  await flush();
  const delays = [...t.delays()];
  await t.fireNext();
  delays.push(...t.delays());
  await t.fireNext();
  delays.push(...t.delays());
  assert.deepEqual(delays, [4000, 16_000, 64_000]);
  poller.stop();
});

test('single flight: refreshes during a fetch join it', async () => {
  const t = fakeTimers();
  let calls = 0;
  let gate = deferred<number>();
  const poller = createPoller<number>({name: 'sf', intervalMs: 1000, timers: t.timers, now: t.now, fetch: () => (calls++, gate.promise)});
  poller.start();
  const a = poller.refreshNow();
  const b = poller.refreshNow();
  await flush();
  assert.equal(calls, 1);
  assert.equal(poller.getSnapshot().syncing, true);
  assert.equal(t.pending.size, 0, 'no timer while a fetch is in flight');
  gate.resolve(42);
  await Promise.all([a, b]);
  assert.equal(calls, 1);
  assert.equal(poller.getSnapshot().data, 42);
  // a refresh after it settled is a new fetch, and replaces the pending timer
  gate = deferred<number>();
  const c = poller.refreshNow();
  assert.equal(calls, 2);
  assert.equal(t.pending.size, 0);
  gate.resolve(43);
  await c;
  assert.equal(poller.getSnapshot().data, 43);
  assert.equal(t.pending.size, 1);
  poller.stop();
});

test('stop aborts the fetch in flight, drops its answer, and leaves no timers', async () => {
  const t = fakeTimers();
  let signal: AbortSignal | undefined;
  const gate = deferred<string>();
  const poller = createPoller<string>({
    name: 'stop',
    intervalMs: 1000,
    timers: t.timers,
    now: t.now,
    fetch: (s) => {
      signal = s;
      return gate.promise;
    },
  });
  let emissions = 0;
  poller.subscribe(() => emissions++);
  poller.start();
  await flush();
  assert.equal(signal?.aborted, false);
  poller.stop();
  assert.equal(signal?.aborted, true);
  const afterStop = poller.getSnapshot();
  assert.equal(afterStop.syncing, false);
  assert.equal(afterStop.nextAt, null);
  const emissionsAtStop = emissions;
  gate.resolve('late answer');
  await flush();
  assert.equal(t.pending.size, 0, 'no timers after stop');
  assert.equal(poller.getSnapshot(), afterStop, 'a late answer changes nothing');
  assert.equal(emissions, emissionsAtStop);
  await poller.refreshNow();
  assert.equal(t.pending.size, 0);
  poller.setInterval(50);
  assert.equal(t.pending.size, 0);
});

test('stop after a failed fetch started: the rejection is dropped too', async () => {
  const t = fakeTimers();
  const gate = deferred<string>();
  const poller = createPoller<string>({name: 'x', intervalMs: 1000, timers: t.timers, now: t.now, fetch: () => gate.promise});
  poller.start();
  poller.stop();
  gate.reject(new Error('aborted'));
  await flush();
  assert.equal(poller.getSnapshot().error, null);
  assert.equal(poller.getSnapshot().consecutiveFailures, 0);
  assert.equal(t.pending.size, 0);
});

test('equal answers keep the data identity; no emission when nothing changed', async () => {
  const t = fakeTimers();
  let n = 0;
  const poller = createPoller<{items: number[]}>({
    name: 'eq',
    intervalMs: 1000,
    timers: t.timers,
    now: t.now,
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    fetch: async () => ({items: [1, 2, n++ >= 2 ? 3 : 2]}),
  });
  const states: Array<PollState<{items: number[]}>> = [];
  poller.subscribe(() => states.push(poller.getSnapshot()));
  poller.start();
  await flush();
  const firstData = poller.getSnapshot().data;
  await t.fireNext();
  assert.equal(poller.getSnapshot().data, firstData, 'same answer: same object');
  await t.fireNext();
  assert.notEqual(poller.getSnapshot().data, firstData);
  assert.deepEqual(poller.getSnapshot().data, {items: [1, 2, 3]});
  // every emitted state is a distinct frozen object and differs from its predecessor
  for (let i = 1; i < states.length; i++) assert.notEqual(states[i], states[i - 1]);
  assert.ok(states.every((s) => Object.isFrozen(s)));
  // calls that change nothing emit nothing and keep the same snapshot object
  const before = poller.getSnapshot();
  const count = states.length;
  poller.setInterval(1000);
  poller.start();
  assert.equal(states.length, count);
  assert.equal(poller.getSnapshot(), before);
  poller.stop();
  const stopped = poller.getSnapshot();
  const afterStopCount = states.length;
  poller.stop();
  assert.equal(states.length, afterStopCount);
  assert.equal(poller.getSnapshot(), stopped);
});

test('setInterval reschedules the waiting timer; unsubscribe stops notifications', async () => {
  const t = fakeTimers();
  const poller = createPoller<number>({name: 'iv', intervalMs: 5000, timers: t.timers, now: t.now, fetch: async () => 1});
  let notified = 0;
  const unsubscribe = poller.subscribe(() => notified++);
  poller.start();
  await flush();
  assert.deepEqual(t.delays(), [5000]);
  poller.setInterval(2000);
  assert.deepEqual(t.delays(), [2000]);
  assert.equal(poller.getSnapshot().nextAt, t.now() + 2000);
  unsubscribe();
  const seen = notified;
  await t.fireNext();
  assert.equal(notified, seen);
  poller.stop();
});

test('the first answer is "not yet known" (null), never a default value', async () => {
  const t = fakeTimers();
  const gate = deferred<number>();
  const poller = createPoller<number>({name: 'init', intervalMs: 1000, timers: t.timers, now: t.now, fetch: () => gate.promise});
  assert.deepEqual(poller.getSnapshot(), {data: null, updatedAt: null, error: null, syncing: false, consecutiveFailures: 0, nextAt: null});
  poller.start();
  assert.equal(poller.getSnapshot().syncing, true);
  gate.reject(new Error('denied'));
  await flush();
  const s = poller.getSnapshot();
  assert.equal(s.data, null);
  assert.equal(s.updatedAt, null);
  assert.deepEqual(s.error, {message: 'denied', at: t.now()});
  poller.stop();
});

test('a refresh right after a fetch settled starts a new fetch (no stale single-flight join)', async () => {
  const t = fakeTimers();
  let calls = 0;
  const poller = createPoller<number>({name: 'settled', intervalMs: 1000, timers: t.timers, now: t.now, fetch: async () => ++calls});
  const seen: number[] = [];
  // A listener that refreshes synchronously when it sees the result (as a composed source does).
  let chained = false;
  poller.subscribe(() => {
    const s = poller.getSnapshot();
    if (!s.syncing && s.data === 1 && !chained) {
      chained = true;
      void poller.refreshNow();
    }
    seen.push(calls);
  });
  poller.start();
  await flush();
  assert.equal(calls, 2);
  assert.equal(poller.getSnapshot().data, 2);
  poller.stop();
});

test('a fetch that throws synchronously is an error like any other, and the poller keeps going', async () => {
  const t = fakeTimers();
  let calls = 0;
  const poller = createPoller<number>({
    name: 'sync-throw',
    intervalMs: 1000,
    timers: t.timers,
    now: t.now,
    random: () => 0.5,
    fetch: () => {
      calls++;
      if (calls === 1) throw new Error('sync boom');
      return Promise.resolve(calls);
    },
  });
  poller.start();
  await flush();
  assert.equal(poller.getSnapshot().error?.message, 'sync boom');
  assert.deepEqual(t.delays(), [2000]);
  await poller.refreshNow();
  assert.equal(calls, 2);
  assert.equal(poller.getSnapshot().data, 2);
  poller.stop();
});

test('a settled fetch publishes its result and next time in one state change', async () => {
  const t = fakeTimers();
  const poller = createPoller<number>({name: 'one', intervalMs: 1000, timers: t.timers, now: t.now, fetch: async () => 5});
  const states: Array<PollState<number>> = [];
  poller.subscribe(() => states.push(poller.getSnapshot()));
  poller.start();
  await flush();
  assert.equal(states.length, 2, 'syncing, then settled');
  assert.deepEqual({...states[1]}, {data: 5, updatedAt: t.now(), error: null, syncing: false, consecutiveFailures: 0, nextAt: t.now() + 1000});
  poller.stop();
});
