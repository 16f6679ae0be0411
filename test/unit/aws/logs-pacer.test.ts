import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createLogsPacer} from '../../../source/aws/logs-pacer.ts';
import {AwsCallError} from '../../../source/aws/errors.ts';

/** A virtual clock: sleeps wait for it, and `drive` moves it to the next wake-up whenever every caller waits. */
function virtualTime() {
  let t = 1_000_000;
  const sleepers: Array<{at: number; wake: () => void}> = [];
  return {
    now: () => t,
    sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({at: t + ms, wake})),
    async drive<T>(work: Promise<T>): Promise<T> {
      let settled = false;
      const outcome = work.then((value) => ({ok: true as const, value}), (error: unknown) => ({ok: false as const, error}));
      void outcome.then(() => (settled = true));
      while (!settled) {
        await new Promise((r) => setImmediate(r));
        if (settled || sleepers.length === 0) continue;
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift()!;
        t = Math.max(t, next.at);
        next.wake();
      }
      const result = await outcome;
      if (!result.ok) throw result.error;
      return result.value;
    },
  };
}

const throttled = () => new AwsCallError({kind: 'throttled', message: 'Throttled by AWS on logs:FilterLogEvents: slowing down', retryable: true}, 'logs:FilterLogEvents', null);

test('no sliding second ever holds more than 5 calls, across concurrent callers', async () => {
  const clock = virtualTime();
  const pacer = createLogsPacer({now: clock.now, sleep: clock.sleep});
  const starts: number[] = [];
  await clock.drive(Promise.all(Array.from({length: 4}, () => (async () => {
    for (let i = 0; i < 10; i++) await pacer.run(async () => starts.push(clock.now()));
  })())));
  assert.equal(starts.length, 40);
  starts.sort((a, b) => a - b);
  for (let i = 5; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 5]! >= 1000, `6 calls within a second at ${i}`);
  assert.ok(starts.at(-1)! - starts[0]! <= 8000, 'and it does not go slower than it must');
});

test('throttling: exponential backoff with jitter, shared by every caller, then success', async () => {
  const clock = virtualTime();
  const pacer = createLogsPacer({now: clock.now, sleep: clock.sleep, random: () => 1});
  let answers = 0;
  const sent: number[] = [];
  const result = await clock.drive(pacer.run(async () => {
    sent.push(clock.now());
    if (answers++ < 4) throw throttled();
    return 'page';
  }));
  assert.equal(result, 'page');
  assert.equal(pacer.stats.throttled, 4);
  const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
  // random() = 1: each wait is the full step, 250, 500, 1000, 2000 ms (at least the bucket's 200 ms)
  assert.deepEqual(gaps, [250, 500, 1000, 2000]);
  // a second caller arriving during a backoff waits for it too
  const other = createLogsPacer({now: clock.now, sleep: clock.sleep, random: () => 0});
  let first = true;
  const order: string[] = [];
  await clock.drive(Promise.all([
    other.run(async () => {
      order.push(`a@${clock.now()}`);
      if (first) {
        first = false;
        throw throttled();
      }
    }),
    other.run(async () => void order.push(`b@${clock.now()}`)),
  ]));
  const times = order.map((o) => Number(o.split('@')[1]));
  assert.ok(times[1]! - times[0]! >= 125, `the other caller paused for the backoff: ${order.join(' ')}`);
});

test('a throttled call is given up at its deadline; other errors are not retried', async () => {
  const clock = virtualTime();
  const pacer = createLogsPacer({now: clock.now, sleep: clock.sleep, random: () => 0.5});
  const deadline = clock.now() + 3000;
  let calls = 0;
  await assert.rejects(clock.drive(pacer.run(async () => {
    calls++;
    throw throttled();
  }, {deadline})), {kind: 'throttled'});
  assert.ok(calls >= 3 && calls <= 6, `${calls} tries within 3 s`);
  assert.ok(clock.now() <= deadline, 'never waits past the deadline');
  calls = 0;
  await assert.rejects(clock.drive(pacer.run(async () => {
    calls++;
    throw new AwsCallError({kind: 'access-denied', message: 'Access denied', retryable: false}, 'logs:FilterLogEvents', null);
  })), {kind: 'access-denied'});
  assert.equal(calls, 1);
});

test('an aborted caller stops waiting', async () => {
  const pacer = createLogsPacer({ratePerSecond: 0.001});
  await pacer.run(async () => 1); // takes the only token
  const abort = new AbortController();
  const pending = pacer.run(async () => 2, {signal: abort.signal});
  abort.abort();
  await assert.rejects(pending, {name: 'AbortError'});
});
