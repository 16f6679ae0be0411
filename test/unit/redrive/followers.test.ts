import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Followers} from '../../../source/redrive/settle.ts';
import type {FailedEvent} from '../../../source/domain/types.ts';

test('Followers agrees with a Map over random starts, follows and finishes (colliding suffixes, growth past its first size)', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const followers = new Followers();
  const model = new Map<string, FailedEvent[]>();
  // Half the identities end alike (the hash reads the last 16 characters): they collide and probe.
  const ids = Array.from({length: 600}, (_, i) => (i % 2 ? `request:${i}-0000-0000-0000-000000000000` : `message:${(i * 7919).toString(16)}`));
  for (let step = 0; step < 20_000; step++) {
    const id = ids[Math.floor(random() * (step < 5000 ? ids.length : 80))]!;
    const r = random();
    if (r < 0.4) {
      followers.start(id);
      model.set(id, []);
    } else if (r < 0.6) {
      const event = {messageId: `e${step}`} as FailedEvent;
      const list = model.get(id);
      list?.push(event);
      assert.equal(followers.follow(id, event), list !== undefined);
    } else {
      assert.deepEqual(followers.finish(id).map((e) => e.messageId), (model.get(id) ?? []).map((e) => e.messageId), `finish ${id} at step ${step}`);
      model.delete(id);
    }
    if (step % 97 === 0) for (const other of ids) assert.equal(followers.identities().has(other), model.has(other), `${other} at step ${step}`);
  }
});
