import {test} from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import {heapSizedByUser, settleYoungGeneration} from '../../../source/cli/young-generation.ts';
import {createHeapTrim} from '../../../source/redrive/v8-gc.ts';

const newSpace = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

test('a heap the user sized (flags or NODE_OPTIONS) is left alone', () => {
  assert.equal(heapSizedByUser(['--max-semi-space-size=4'], undefined), true);
  assert.equal(heapSizedByUser([], '--max-old-space-size=100 --max-semi-space-size=2'), true);
  assert.equal(heapSizedByUser(['--import', 'tsx'], '--max-old-space-size=512'), false);
  assert.equal(heapSizedByUser([], undefined), false);
});

test('settling after a start-up burst gives the grown young generation back', (t) => {
  if (heapSizedByUser(process.execArgv, process.env.NODE_OPTIONS)) return t.skip('the heap is sized by flags here');
  // A burst with survivors, as start-up has (parsed modules, first answers): V8 grows the new space.
  let keep: Array<{i: number; s: string}> = [];
  for (let i = 0; i < 3_000_000; i++) {
    keep.push({i, s: `x${i}`});
    if (keep.length > 200_000) keep = [];
  }
  keep = [];
  const grown = newSpace();
  assert.equal(settleYoungGeneration(), true);
  const settled = newSpace();
  assert.ok(settled < grown, `new space ${settled} bytes after settling, ${grown} before`);
  assert.equal(typeof (globalThis as {gc?: unknown}).gc, 'undefined', 'gc is not left on the global object');
});

test('the heap trim collects once the heap grew past the step over the least it was seen at, and follows V8\'s own collections', () => {
  const MB = 1024 * 1024;
  let used = 10 * MB;
  const collections: number[] = [];
  const trim = createHeapTrim({used: () => used, collect: () => (collections.push(used), (used = 10.5 * MB)), growthBytes: 3 * MB});
  used = 12 * MB;
  assert.equal(trim.check(), false, '2 MB over: not yet');
  used = 13.5 * MB;
  assert.equal(trim.check(), true, '3.5 MB over the 10 MB seen at start');
  assert.deepEqual(collections, [13.5 * MB]);
  used = 9 * MB; // V8 collected on its own: the floor follows
  assert.equal(trim.check(), false);
  used = 12.5 * MB;
  assert.equal(trim.check(), true, '3.5 MB over the 9 MB floor, although under the floor after the last trim + 3 MB');
  used = 10.5 * MB;
  assert.equal(trim.check(), false, 'nothing grew since');
  assert.equal(collections.length, 2);
});

test('the heap trim waits while the app is not quiet (a view someone works in), and collects once it is again', () => {
  const MB = 1024 * 1024;
  let used = 10 * MB;
  let quiet = false;
  const collections: number[] = [];
  const trim = createHeapTrim({used: () => used, collect: () => (collections.push(used), (used = 10 * MB)), growthBytes: 3 * MB, quiet: () => quiet});
  used = 20 * MB;
  assert.equal(trim.check(), false, 'grown, but the browser is open: no pause');
  used = 8 * MB; // V8 collected on its own meanwhile: the floor still follows
  assert.equal(trim.check(), false);
  used = 12 * MB;
  quiet = true;
  assert.equal(trim.check(), true, '4 MB over the 8 MB floor seen while not quiet');
  assert.deepEqual(collections, [12 * MB]);
});
