// The model keeps a request id as the position of its draws in the seeded stream and writes its text when read
// (sim/lambda/world.ts newRequestId): uuidAt(position, salt) must give the text uuid(salt) gave at that position, and
// skipping UUID_DRAWS must leave the stream where drawing the id would have.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createRandom, uuidAt, UUID_DRAWS} from '../../../source/sim/random.ts';

test('uuidAt writes the id uuid() draws at that position, with or without a salt', () => {
  for (const seed of [1, 7, 123_456]) {
    const rng = createRandom(seed);
    for (let i = 0; i < 2000; i++) {
      rng.next(); // other draws between ids, as the model makes
      if (i % 3 === 0) rng.normal();
      const salt = i % 4 === 0 ? 0 : (Math.imul(i, 2654435761) >>> 0);
      const position = rng.position();
      const drawn = rng.uuid(salt);
      assert.equal(uuidAt(position, salt), drawn);
      assert.match(drawn, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  }
});

test('skipping UUID_DRAWS leaves the stream where drawing the id does', () => {
  const drawn = createRandom(9);
  const skipped = createRandom(9);
  for (let i = 0; i < 500; i++) {
    drawn.uuid(0xabcdef01);
    skipped.skip(UUID_DRAWS);
    assert.equal(skipped.position(), drawn.position());
    assert.equal(skipped.next(), drawn.next());
  }
});

test('SQS message ids are version 4 UUIDs, all different (flatUuid: random bytes from a pool, written once)', async () => {
  const {flatUuid} = await import('../../../source/sim/sqs/engine.ts');
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = flatUuid();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 5000);
});
