import {test} from 'node:test';
import assert from 'node:assert/strict';
import {clampWindow, newlyVisible, pickQueues} from '../../../source/domain/queue-rotation.ts';

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

test('pickQueues with a window scrolled down: the rows in view every time, the others (before and after it) in turn', () => {
  let cursor = 0;
  const seen = new Set<number>();
  const picks: number[][] = [];
  for (let round = 0; round < 3; round++) {
    const pick = pickQueues(12, {first: 5, onScreen: 3, rotate: 4, cursor});
    cursor = pick.cursor;
    picks.push(pick.indexes);
    assert.ok([5, 6, 7].every((i) => pick.indexes.includes(i)), 'the rows in view');
    assert.equal(pick.indexes.length, 3 + 4);
    assert.equal(new Set(pick.indexes).size, pick.indexes.length);
    for (const i of pick.indexes) seen.add(i);
  }
  // off screen in order: 0 1 2 3 4 8 9 10 11
  assert.deepEqual(picks[0], [0, 1, 2, 3, 5, 6, 7]);
  assert.deepEqual(picks[1], [4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(picks[2], [0, 1, 2, 5, 6, 7, 11], 'wraps around');
  assert.equal(seen.size, 12, 'every queue within ceil(9 / 4) turns');
});

test('pickQueues: a window past the end is clamped to the last rows', () => {
  assert.deepEqual(pickQueues(10, {first: 8, onScreen: 4, rotate: 0, cursor: 0}).indexes, [6, 7, 8, 9]);
  assert.deepEqual(clampWindow(10, {first: -3, count: 50}), {first: 0, count: 10});
  assert.deepEqual(clampWindow(0, {first: 4, count: 5}), {first: 0, count: 0});
});

test('newlyVisible: the rows a scroll or a resize brought into view, none when the window did not move', () => {
  assert.deepEqual(newlyVisible(null, {first: 2, count: 3}), [2, 3, 4]);
  assert.deepEqual(newlyVisible({first: 0, count: 5}, {first: 0, count: 5}), []);
  assert.deepEqual(newlyVisible({first: 0, count: 5}, {first: 2, count: 5}), [5, 6], 'scrolled down by 2');
  assert.deepEqual(newlyVisible({first: 10, count: 5}, {first: 8, count: 5}), [8, 9], 'scrolled up by 2');
  assert.deepEqual(newlyVisible({first: 0, count: 5}, {first: 0, count: 8}), [5, 6, 7], 'a taller terminal');
  assert.deepEqual(newlyVisible({first: 0, count: 8}, {first: 0, count: 5}), [], 'a shorter one');
  assert.deepEqual(newlyVisible({first: 0, count: 5}, {first: 20, count: 5}), [20, 21, 22, 23, 24], 'a page down');
});
