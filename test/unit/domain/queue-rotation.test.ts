import {test} from 'node:test';
import assert from 'node:assert/strict';
import {pickQueues} from '../../../source/domain/queue-rotation.ts';

test('pickQueues: every queue while they fit on screen; no turn to keep', () => {
  assert.deepEqual(pickQueues(5, {onScreen: 20, rotate: 10, cursor: 7}), {indexes: [0, 1, 2, 3, 4], cursor: 0});
  assert.deepEqual(pickQueues(0, {onScreen: 20, rotate: 10, cursor: 0}), {indexes: [], cursor: 0});
});

test('pickQueues: the queues on screen every time, the others `rotate` at a time in turn, each within ceil(rest / rotate) picks', () => {
  const seen = new Map<number, number>();
  let cursor = 0;
  const picks: number[][] = [];
  for (let round = 0; round < 5; round++) {
    const pick = pickQueues(13, {onScreen: 3, rotate: 4, cursor});
    cursor = pick.cursor;
    picks.push(pick.indexes);
    assert.equal(pick.indexes.length, 3 + 4, 'a bounded number a refresh');
    assert.deepEqual(pick.indexes.slice(0, 3), [0, 1, 2], 'the ones on screen always');
    for (const i of pick.indexes) seen.set(i, (seen.get(i) ?? 0) + 1);
    assert.equal(new Set(pick.indexes).size, pick.indexes.length, 'no queue twice in one refresh');
  }
  assert.deepEqual(picks[0], [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(picks[1], [0, 1, 2, 7, 8, 9, 10]);
  assert.deepEqual(picks[2], [0, 1, 2, 3, 4, 11, 12], 'wraps around');
  for (let i = 0; i < 13; i++) assert.ok((seen.get(i) ?? 0) >= 1, `queue ${i} read within ${Math.ceil(10 / 4)} turns`);
});

test('pickQueues: fewer off screen than a turn reads them all', () => {
  assert.deepEqual(pickQueues(6, {onScreen: 4, rotate: 10, cursor: 3}).indexes, [0, 1, 2, 3, 4, 5]);
});
