// Section 1 of the reference: "a long queue makes Lambda read it more slowly". The model adds a pickup delay to
// every re-queued attempt (retry or throttle backoff) once more than 100 events wait: 5 ms per event beyond 100,
// at most 20 s. Observed from the START lines: the delay between an event's two attempts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createWorld} from '../../../source/sim/lambda/index.ts';
import {createManualClock} from '../../../source/sim/clock.ts';
import {testScenario, ALWAYS_FAILS} from '../../../source/sim/lambda/testing.ts';

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const S = 1000;

/** Submits `events` failing events at once (one retry each, no concurrency limit in the way) and returns, per
 * event in the order its first attempt ended, the delay from that end to the retry's START. */
function retryDelays(events: number): number[] {
  const clock = createManualClock(T0);
  const w = createWorld({
    scenario: testScenario({
      accountConcurrency: 20_000,
      functions: [{name: 'fn', behavior: ALWAYS_FAILS, eventInvokeConfig: {maximumRetryAttempts: 1}}],
    }),
    seed: 5,
    clock,
    baseUrl: () => 'http://127.0.0.1:4566',
    prerollMinutes: 0,
  });
  for (let i = 0; i < events; i++) w.invoke('fn', JSON.stringify({i}), 'Event');
  for (let t = 0; t < 4 * 60 * S; t += 5 * S) {
    clock.advance(5 * S);
    w.advance();
  }
  const stats = w.asyncStats('fn');
  assert.equal(stats.received, events);
  assert.equal(stats.dropped, events, 'every event failed twice and was dropped');
  assert.equal(stats.lost, events, 'no failure target: every dropped event is lost');
  // START and END lines of every attempt, paginated
  const starts = new Map<string, number[]>();
  const ends = new Map<string, number[]>();
  let nextToken: string | undefined;
  do {
    const page = w.filterLogEvents({logGroupName: '/aws/lambda/fn', startTime: T0, filterPattern: 'RequestId:', ...(nextToken ? {nextToken} : {})});
    for (const e of page.events) {
      const m = /^(START|END) RequestId: (\S+)/.exec(e.message);
      if (!m) continue;
      const map = m[1] === 'START' ? starts : ends;
      map.set(m[2]!, [...(map.get(m[2]!) ?? []), e.timestamp]);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  assert.equal(starts.size, events);
  const firstEnds = [...ends].map(([id, times]) => ({id, end: Math.min(...times)})).sort((a, b) => a.end - b.end);
  return firstEnds.map(({id, end}) => {
    const s = starts.get(id)!;
    assert.equal(s.length, 2, 'two attempts');
    return Math.max(...s) - end;
  });
}

test('retries wait ~1 min (+0-4 s jitter) while the queue is short, and longer in proportion to a long queue (capped at +20 s)', () => {
  const short = retryDelays(80);
  for (const d of short) assert.ok(d >= 60 * S && d <= 64 * S, `short queue: retry ${d} ms after the failure`);

  const long = retryDelays(5000);
  // the k-th event to fail (1-based) re-enters a queue of k waiting events: pickup max(0, k - 100) * 5 ms, <= 20 s
  long.forEach((d, i) => {
    const pickup = Math.min(20 * S, Math.max(0, i + 1 - 100) * 5);
    assert.ok(d >= 60 * S + pickup && d <= 64 * S + pickup, `event #${i + 1} to fail: retry ${d} ms after the failure, pickup ${pickup} ms`);
  });
  assert.ok(long.slice(0, 100).every((d) => d <= 64 * S), 'the first 100 to fail see no pickup delay');
  assert.ok(long.slice(-100).every((d) => d >= 80 * S), 'the last ones wait the 20 s maximum on top of the minute');
});
