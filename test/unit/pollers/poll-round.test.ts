// The polls of one refresh on one shared schedule (poll-round.ts): they start together at each tick, whenever
// each answered, so they never drift apart; a failing one backs off on its own timer and rejoins. Fake timers on
// a fake clock: nothing runs unless the test advances it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createPollRound} from '../../../source/pollers/poll-round.ts';
import {deferred} from '../../helpers/deferred.ts';
import {createPoller, type Timers} from '../../../source/pollers/poller.ts';

function fakeTimers() {
  let clock = 0;
  let nextId = 1;
  const pending = new Map<number, {at: number; callback: () => void}>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = nextId++;
      pending.set(id, {at: clock + ms, callback});
      return id;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
    now: () => clock,
  };
  return {
    timers,
    pending,
    now: () => clock,
    advance(ms: number) {
      clock += ms;
    },
    /** Fires the earliest timer, the clock moved to it (callbacks run synchronously). */
    fireNext() {
      const [id, entry] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !entry) throw new Error('no timer pending');
      pending.delete(id);
      clock = Math.max(clock, entry.at);
      entry.callback();
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

test('polls that answer at different times wait for the same tick, on one timer, an interval after the round started', () => {
  const t = fakeTimers();
  const round = createPollRound({intervalMs: 10_000, timers: t.timers});
  const starts: string[] = [];
  const a = round.started();
  const b = round.started();
  t.advance(40);
  const waitA = round.wait(a, () => starts.push('a'));
  t.advance(900);
  const waitB = round.wait(b, () => starts.push('b'));
  assert.deepEqual([waitA.delayMs, waitB.delayMs], [9_960, 9_060], 'both due at 10 s, whenever each answered');
  assert.equal(t.pending.size, 1, 'one timer for the round');
  t.fireNext();
  assert.equal(t.now(), 10_000);
  assert.deepEqual(starts, ['a', 'b'], 'both started by the same timer');
  assert.equal(t.pending.size, 0, 'nobody waits: no timer');
});

test('ticks stay an interval apart from the round\'s start whatever the answers take: no drift', () => {
  const t = fakeTimers();
  const round = createPollRound({intervalMs: 10_000, timers: t.timers});
  const startTimes: number[] = [];
  const durations = [120, 3_000, 40, 4_900, 800];
  const poll = (): void => {
    const startedAt = round.started();
    startTimes.push(startedAt);
    t.advance(durations[(startTimes.length - 1) % durations.length]!);
    round.wait(startedAt, poll);
  };
  poll();
  for (let i = 0; i < 6; i++) t.fireNext();
  assert.deepEqual(startTimes, [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
});

test('a poll started off the round rejoins at the first tick at least half an interval later; one slower than an interval at the next', () => {
  const t = fakeTimers();
  const round = createPollRound({intervalMs: 10_000, timers: t.timers});
  round.started(); // the round starts at 0
  t.advance(9_000);
  const early = round.started(); // a refresh of its own a second before the tick at 10 s
  assert.equal(round.wait(early, () => {}).delayMs, 11_000, 'the tick at 20 s, not one a second later');
  t.advance(2_000);
  const mid = round.started(); // at 11 s
  assert.equal(round.wait(mid, () => {}).delayMs, 9_000, 'the tick at 20 s (9 s away)');
  const slow = round.started(); // at 11 s, answering at 23 s
  t.advance(12_000);
  assert.equal(round.wait(slow, () => {}).delayMs, 7_000, 'the tick at 30 s: ticks in the past are skipped');
});

test('a poll of a longer interval (the log sample: 60 s in a round of 10 s) starts at every sixth tick, with the others', () => {
  const t = fakeTimers();
  const round = createPollRound({intervalMs: 10_000, timers: t.timers});
  const starts: Array<[string, number]> = [];
  const roundPoll = (): void => {
    const startedAt = round.started();
    starts.push(['metrics', startedAt]);
    t.advance(5); // a timer fires a few ms late, and the answer takes some more
    round.wait(startedAt, roundPoll);
  };
  const sample = (): void => {
    const startedAt = round.started();
    starts.push(['logs', startedAt]);
    round.wait(startedAt, sample, 60_000);
  };
  roundPoll();
  t.advance(200);
  sample(); // its first start, off the round (after the first answers)
  while (t.now() < 130_000) t.fireNext();
  const logs = starts.filter(([name]) => name === 'logs').map(([, at]) => at);
  assert.deepEqual(logs, [205, 60_000, 120_000], 'on the ticks at 60 s and 120 s, not at 70 s: about a minute apart');
  for (const at of logs.slice(1)) assert.ok(starts.some(([name, s]) => name === 'metrics' && s === at), `a round's poll started at ${at} too`);
  assert.equal(t.pending.size, 1, 'still one timer');
});

test('a cancelled wait leaves no timer; restart and a new interval start the ticks again from the next poll', () => {
  const t = fakeTimers();
  const round = createPollRound({intervalMs: 10_000, timers: t.timers});
  const w = round.wait(round.started(), () => assert.fail('cancelled'));
  w.cancel();
  assert.equal(t.pending.size, 0);
  t.advance(3_000);
  round.restart();
  const again = round.started();
  t.advance(100);
  assert.equal(round.wait(again, () => {}).delayMs, 9_900, 'ticks from the restart (3 s): 13 s');
  round.setInterval(60_000);
  assert.equal(round.intervalMs, 60_000);
  assert.equal(round.wait(again, () => {}).delayMs, 60_000, 'a new interval: an interval from now');
});

test('pollers in a round: a failing poll backs off on its own timer, then rejoins the round\'s tick', async () => {
  const t = fakeTimers();
  const round = createPollRound({intervalMs: 10_000, timers: t.timers});
  const starts: Array<[string, number]> = [];
  const answers = {metrics: [] as Array<ReturnType<typeof deferred<number>>>, queues: [] as Array<ReturnType<typeof deferred<number>>>};
  const make = (name: 'metrics' | 'queues') =>
    createPoller<number>({
      name,
      intervalMs: 10_000,
      timers: t.timers,
      now: t.now,
      random: () => 0.5,
      round,
      fetch: () => {
        starts.push([name, t.now()]);
        const d = deferred<number>();
        answers[name].push(d);
        return d.promise;
      },
    });
  const metrics = make('metrics');
  const queues = make('queues');
  metrics.start();
  queues.start();
  t.advance(50);
  answers.metrics[0]!.resolve(1);
  await flush();
  t.advance(200);
  answers.queues[0]!.resolve(1);
  await flush();
  assert.equal(metrics.getSnapshot().nextAt, 10_000);
  assert.equal(queues.getSnapshot().nextAt, 10_000);
  assert.equal(t.pending.size, 1, 'one timer for both');
  t.fireNext();
  assert.ok(metrics.getSnapshot().syncing && queues.getSnapshot().syncing, 'both in flight at once');
  t.advance(30);
  answers.metrics[1]!.resolve(2);
  answers.queues[1]!.reject(new Error('down'));
  await flush();
  assert.equal(queues.getSnapshot().consecutiveFailures, 1);
  assert.equal(queues.getSnapshot().nextAt, 10_030 + 20_000, 'its own backoff (2 intervals at jitter 0.5)');
  assert.equal(metrics.getSnapshot().nextAt, 20_000, 'the others keep the round');
  assert.equal(t.pending.size, 2);
  t.fireNext(); // the round at 20 s: metrics only
  answers.metrics[2]!.resolve(3);
  await flush();
  t.fireNext(); // the round at 30 s
  t.fireNext(); // queues' backoff at 30.03 s
  assert.deepEqual(starts.slice(4), [['metrics', 20_000], ['metrics', 30_000], ['queues', 30_030]]);
  answers.metrics[3]!.resolve(4);
  t.advance(400);
  answers.queues[2]!.resolve(5);
  await flush();
  assert.equal(queues.getSnapshot().nextAt, 40_000, 'recovered: back on the round');
  assert.equal(metrics.getSnapshot().nextAt, 40_000);
  metrics.stop();
  queues.stop();
  assert.equal(t.pending.size, 0, 'stopped: no timer left');
});
