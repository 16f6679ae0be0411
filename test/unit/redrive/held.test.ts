// HeldMessages: ids as 16-byte keys that spill to a file beyond a threshold, handles spooled beyond another; the
// same answers as a Set of ids: exact (never a false "held"), a message received again counted as superseded.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {test} from 'node:test';
import {HeldMessages} from '../../../source/redrive/held.ts';

test('held ids stay exact past the in-memory threshold (spilled), per queue; handles all come back from drain', async () => {
  const held = new HeldMessages(5, 64);
  const ids = Array.from({length: 300}, () => randomUUID());
  const others = Array.from({length: 300}, (_, i) => `not-a-uuid-${i}`);
  for (const [i, id] of ids.entries()) held.park('http://q/a', id, `h-${i}`);
  for (const [i, id] of others.entries()) held.park('http://q/b', id, `g-${i}`);
  assert.equal(held.size, 600);
  for (const id of ids) assert.ok(held.has('http://q/a', id), id);
  for (const id of others) assert.ok(held.has('http://q/b', id), id);
  // Never a false "held": unknown ids, and ids held in another queue.
  for (let i = 0; i < 2000; i++) assert.equal(held.has('http://q/a', randomUUID()), false);
  for (const id of ids.slice(0, 50)) assert.equal(held.has('http://q/b', id), false);
  for (const id of others.slice(0, 50)) assert.equal(held.has('http://q/a', id), false);
  assert.equal(held.has('http://q/b', 'not-a-uuid-300'), false);
  // Received again (a newer handle): not a new message, the older handle is superseded.
  held.park('http://q/a', ids[0]!, 'h-again');
  held.park('http://q/b', others[299]!, 'g-again');
  assert.equal(held.size, 600);
  assert.equal(held.superseded, 2);
  const drained = new Map<string, string[]>();
  for await (const [queue, handles] of held.drain(7)) drained.set(queue, [...(drained.get(queue) ?? []), ...handles]);
  assert.equal(drained.get('http://q/a')!.length, 301);
  assert.equal(drained.get('http://q/b')!.length, 301);
  assert.ok(drained.get('http://q/a')!.includes('h-again'));
  held.close();
});
