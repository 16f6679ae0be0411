import {test} from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import {heapSizedByUser, settleYoungGeneration} from '../../../source/cli/young-generation.ts';

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
