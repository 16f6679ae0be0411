// The model is a discrete-event simulation: how often it is advanced must not change its history. The
// simulator's idle tick is coarse (sim/index.ts DEFAULT_TICK_MS) because of this; a world advanced every
// virtual second and one advanced every five virtual minutes must answer every read the same way.
// The golden digests pin the history itself (seed 1, 30 virtual minutes after the pre-roll, read at the end):
// a change to how the model stores or computes things (typed arrays, flat strings, lazy logs) must leave them
// as they are. A deliberate change to the model's behaviour updates them, and says so in its commit.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createWorld, listScenarios, type SimWorld} from '../../../source/sim/lambda/index.ts';
import {createManualClock} from '../../../source/sim/clock.ts';
import {lagsBy} from '../../../source/sim/index.ts';
import {worldFingerprint} from '../../helpers/sim-fingerprint.ts';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const S = 1000;
const MIN = 60_000;

function run(scenario: string, stepMs: number, spanMs: number): SimWorld {
  const clock = createManualClock(T0);
  const w = createWorld({scenario, seed: 1, clock, baseUrl: () => 'http://127.0.0.1:4566'});
  for (let t = 0; t < spanMs; t += stepMs) {
    clock.advance(Math.min(stepMs, spanMs - t));
    w.advance();
  }
  return w;
}

for (const {name} of listScenarios()) {
  test(`${name}: advanced every second or every 5 minutes, the same history`, () => {
    const fine = worldFingerprint(run(name, 1 * S, 20 * MIN));
    const coarse = worldFingerprint(run(name, 5 * MIN, 20 * MIN));
    assert.ok(fine.counts.lines > 100 && fine.counts.points > 100, JSON.stringify(fine.counts));
    assert.deepEqual(coarse, fine);
  });
}

const GOLDEN: Record<string, string> = {
  'avatar-timeouts': '716c17ff4ed38e349621de8ad6e1b712ec9e9e05f279bf31277d53acaa630d39',
  'throttled-orders': '2022f96cc9ea4a277b7928949aa7c58f7b5417ce14c814b964e57aacfbaa1e7d',
  'upload-burst': '8450f02490a5133b3b7a0c9614ca2d918e2c592b4d70fea4739bab36be7dac78',
  healthy: '25524ccb53e3ebbb3718eb0145fb23b28c1db44e0260ec450e4c1083539527df',
};

for (const {name} of listScenarios()) {
  test(`${name}: the history of seed 1 is the one pinned`, () => {
    const {digest, counts} = worldFingerprint(run(name, 30 * S, 30 * MIN));
    assert.equal(digest, GOLDEN[name], `${name} ${JSON.stringify(counts)}`);
  });
}

test('lagsBy: how far the model is behind its clock, in wall time', () => {
  const clock = createManualClock(T0);
  const w = createWorld({scenario: 'healthy', seed: 1, clock, baseUrl: () => 'http://127.0.0.1:4566'});
  assert.equal(lagsBy(w, 1), false);
  clock.advance(4 * S);
  assert.equal(lagsBy(w, 5 * S), false);
  assert.equal(lagsBy(w, 4 * S), true);
  w.advance();
  assert.equal(lagsBy(w, 1), false);
});
