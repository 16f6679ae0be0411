// The redrive's heap bound: a major collection when the old generation grew more than the allowed bytes over the
// least it was seen at since the last one, read every `every` batches; none while nothing grows.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createHeapBound, processHeapBound} from '../../../source/redrive/heap-bound.ts';

function world(start: number) {
  const w = {used: start, collected: 0, reads: 0, afterCollect: start};
  const bound = createHeapBound({
    used: () => (w.reads++, w.used),
    collect: () => {
      w.collected++;
      w.used = w.afterCollect;
    },
    growthBytes: 100,
    every: 4,
  });
  return {w, bound};
}

test('no collection while the old generation stays within the growth over its floor', () => {
  const {w, bound} = world(1000);
  for (let i = 0; i < 40; i++) {
    w.used = 1000 + (i % 3) * 50;
    bound.check();
  }
  assert.equal(w.collected, 0);
  assert.equal(bound.collections, 0);
});

test('a collection once the growth passes the bound, read only every `every` checks; the floor follows V8 down', () => {
  const {w, bound} = world(1000);
  const readsAtStart = w.reads;
  w.used = 1101;
  for (let i = 0; i < 3; i++) bound.check();
  assert.equal(w.collected, 0, 'not read before the 4th check');
  assert.equal(w.reads, readsAtStart);
  bound.check();
  assert.equal(w.collected, 1);
  assert.equal(bound.collections, 1);
  // V8's own collection lowers the floor: growth is measured from there.
  w.used = 600;
  for (let i = 0; i < 4; i++) bound.check();
  w.used = 690;
  for (let i = 0; i < 4; i++) bound.check();
  assert.equal(w.collected, 1);
  w.used = 701;
  w.afterCollect = 650;
  for (let i = 0; i < 4; i++) bound.check();
  assert.equal(w.collected, 2);
  // The floor is what the collection left (650): 740 is within the bound, 751 is not.
  w.used = 740;
  for (let i = 0; i < 4; i++) bound.check();
  assert.equal(w.collected, 2);
  w.used = 751;
  for (let i = 0; i < 4; i++) bound.check();
  assert.equal(w.collected, 3);
});

test('the process bound reads the old generation and runs V8 collections', () => {
  const bound = processHeapBound(1024 * 1024);
  assert.ok(bound, 'V8 hands out its collector');
  for (let i = 0; i < 8; i++) bound.check();
  const before = bound.collections;
  // 4.8 MB of doubles, one large object: the old generation grows past the bound at once.
  const big = Array.from({length: 600_000}, (_, i) => i * 1.5);
  for (let i = 0; i < 8; i++) bound.check();
  assert.equal(bound.collections, before + 1);
  assert.equal(big.length, 600_000);
});
