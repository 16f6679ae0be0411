// receiveInLanes: several receives in flight, every batch handed on once, and the reasons it stops.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {receiveInLanes} from '../../../source/app/bulk-load.ts';

/** A queue of `n` numbers served 10 at a time, each answer after a tick; counts receives in flight. */
function fakeQueue(n: number) {
  let next = 0;
  const q = {inFlight: 0, maxInFlight: 0, receives: 0, fail: false};
  const receive = async (): Promise<number[]> => {
    q.receives++;
    q.inFlight++;
    q.maxInFlight = Math.max(q.maxInFlight, q.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    q.inFlight--;
    if (q.fail) throw new Error('AccessDenied');
    const batch: number[] = [];
    while (batch.length < 10 && next < n) batch.push(next++);
    return batch;
  };
  return {q, receive};
}

test('every message is handed on once, with the lanes in flight together, until the queue is empty', async () => {
  const {q, receive} = fakeQueue(1234);
  const got: number[] = [];
  const outcome = await receiveInLanes({lanes: 6, receive, onMessages: (m) => got.push(...m), shouldStop: () => null});
  assert.deepEqual(outcome, {stopped: 'exhausted'});
  assert.deepEqual(got.sort((a, b) => a - b), Array.from({length: 1234}, (_, i) => i));
  assert.equal(q.maxInFlight, 6, 'six receives in flight at once');
});

test('the window (or a close) stops new receives; what was in flight is still handed on', async () => {
  const {q, receive} = fakeQueue(100_000);
  const got: number[] = [];
  let stop = false;
  const outcome = await receiveInLanes({
    lanes: 4,
    receive,
    onMessages: (m) => {
      got.push(...m);
      if (got.length >= 200) stop = true;
    },
    shouldStop: () => (stop ? 'window' : null),
  });
  assert.deepEqual(outcome, {stopped: 'window'});
  assert.ok(got.length >= 200 && got.length <= 240, `${got.length}: stopped within one round of lanes`);
  assert.equal(new Set(got).size, got.length);
  assert.equal(q.receives * 10, got.length, 'every answer received was handed on');
});

test('an error stops the load and is reported', async () => {
  const {q, receive} = fakeQueue(50);
  q.fail = true;
  const outcome = await receiveInLanes({lanes: 3, receive, onMessages: () => assert.fail('nothing received'), shouldStop: () => null});
  assert.equal(outcome.stopped, 'error');
  assert.match(String((outcome as {error: unknown}).error), /AccessDenied/);
});
