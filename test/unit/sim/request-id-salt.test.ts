// Request ids are unique in AWS. Two simulators built from one seed must not share them, or a redrive journal
// kept from an earlier demo would take this demo's failures for leftovers it already sent.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createWorld} from '../../../source/sim/lambda/index.ts';
import {createManualClock} from '../../../source/sim/clock.ts';
import {startSimulator} from '../../../source/sim/index.ts';
import {T0} from '../../helpers/model-world.ts';

const ids = (salt?: string) => {
  const w = createWorld({scenario: 'avatar-timeouts', seed: 3, clock: createManualClock(T0), baseUrl: () => 'http://127.0.0.1:4566', prerollMinutes: 0, ...(salt ? {requestIdSalt: salt} : {})});
  return Array.from({length: 20}, () => w.invoke('avatar-processor', '{}', 'Event').requestId);
};

test('a salt changes every request id and nothing else of the seeded history', () => {
  const plain = ids();
  assert.deepEqual(ids(), plain, 'no salt: the seed alone decides (model tests stay deterministic)');
  const salted = ids('0a1b2c3d');
  assert.deepEqual(ids('0a1b2c3d'), salted, 'the same salt: the same ids');
  assert.equal(salted.filter((id) => plain.includes(id)).length, 0, 'no id in common');
  for (const [i, id] of salted.entries()) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'still a v4-shaped uuid');
    assert.equal(id.slice(8), plain[i]!.slice(8), 'only the first group differs');
    assert.equal(id.slice(0, 8), ((Number.parseInt(plain[i]!.slice(0, 8), 16) ^ 0x0a1b2c3d) >>> 0).toString(16).padStart(8, '0'), 'the first group XORed with the salt');
  }
});

test('the salt is XORed into the first group as the number its digits spell, for any salt', () => {
  const plain = ids();
  for (const salt of ['00000001', '80000000', 'ff00ff00', '12345678', 'ffffffff', 'deadbeef']) {
    const salted = ids(salt);
    for (const [i, id] of salted.entries()) {
      assert.equal(id, ((Number.parseInt(plain[i]!.slice(0, 8), 16) ^ Number.parseInt(salt, 16)) >>> 0).toString(16).padStart(8, '0') + plain[i]!.slice(8), `salt ${salt}`);
    }
  }
});

test('two simulators started from one seed share no request id', async () => {
  const a = await startSimulator({port: 0, scenario: 'avatar-timeouts', seed: 1});
  const b = await startSimulator({port: 0, scenario: 'avatar-timeouts', seed: 1});
  try {
    const first = (w: typeof a.world) => Array.from({length: 10}, () => w.invoke('avatar-processor', '{}', 'Event').requestId);
    const x = first(a.world);
    const y = first(b.world);
    assert.equal(x.filter((id) => y.includes(id)).length, 0);
  } finally {
    await a.stop();
    await b.stop();
  }
});
