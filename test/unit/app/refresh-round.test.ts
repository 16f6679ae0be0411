// A refresh's polls drift apart on their own timers; the feed waits for one about to start, not only for one in
// flight, so a refresh is one frame.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createRoundTracker, roundPending} from '../../../source/app/refresh-round.ts';
import type {PollState} from '../../../source/domain/types.ts';

const poll = (patch: Partial<PollState<unknown>> = {}): PollState<unknown> => ({data: 1, updatedAt: 1000, error: null, syncing: false, consecutiveFailures: 0, nextAt: null, ...patch});
const INTERVAL = 10_000;

test('the tracker notes the wall time of each new answer, and keeps it while the state repeats', () => {
  let wall = 50_000;
  const tracker = createRoundTracker(() => wall);
  assert.deepEqual(
    tracker.note({metrics: poll({updatedAt: null, data: null}), queues: poll()}).map((p) => p.answeredAt),
    [null, 50_000],
    'no answer yet: none',
  );
  wall = 50_040;
  const again = tracker.note({metrics: poll({updatedAt: 2000}), queues: poll(), destinations: undefined});
  assert.deepEqual(again.map((p) => p.answeredAt), [50_040, 50_000], 'metrics answered now; queues still at its answer; no destinations poll');
  wall = 51_000;
  const failed = tracker.note({metrics: poll({updatedAt: 2000, error: {message: 'x', at: 3000}}), queues: poll()});
  assert.deepEqual(failed.map((p) => p.answeredAt), [51_000, 50_000], 'a failure is an answer too');
});

test('the round is pending while a poll is in flight, or when one is due within the window', () => {
  const now = 100_000;
  const at = (answeredAt: number | null, patch: Partial<PollState<unknown>> = {}) => ({state: poll(patch), answeredAt});
  const pending = (polls: ReturnType<typeof at>[]) => roundPending(polls, {now, intervalMs: INTERVAL, withinMs: 250});
  // metrics just answered; queues answered 9.9 s ago, so its timer fires in 100 ms
  assert.equal(pending([at(now), at(now - 9_900)]), true, 'queues about to start');
  assert.equal(pending([at(now), at(now - 10_010)]), true, "queues' timer a moment late");
  assert.equal(pending([at(now), at(now - 5_000)]), false, 'queues due in 5 s: another refresh');
  assert.equal(pending([at(now), at(now - 60_000)]), false, 'queues long overdue (stopped): not waited for');
  assert.equal(pending([at(now), at(now - 9_900, {consecutiveFailures: 2})]), false, 'a poll backing off is not waited for');
  assert.equal(pending([at(now), at(null, {updatedAt: null})]), false, 'nor one that never answered');
  assert.equal(pending([at(now), at(now - 5_000, {syncing: true})]), true, 'in flight');
  assert.equal(pending([at(now), at(now - 20)]), false, 'both answered in this round');
});
