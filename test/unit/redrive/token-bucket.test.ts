import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTokenBucket} from '../../../source/redrive/token-bucket.ts';
import {createAimd} from '../../../source/redrive/aimd.ts';

function simulate(rate: number, burst: number, seconds: number, take = 1) {
  let clock = 0;
  const bucket = createTokenBucket({ratePerSecond: rate, burst, now: () => clock});
  let sent = 0;
  while (true) {
    const wait = bucket.reserve(take);
    clock += wait;
    if (clock > seconds * 1000) break;
    sent += take;
  }
  return sent;
}

test('token bucket holds the rate within 5% over a simulated clock', () => {
  for (const [rate, burst, take] of [[10, 10, 1], [200, 10, 1], [200, 10, 10], [3, 1, 1], [0.5, 1, 1]] as const) {
    const seconds = Math.max(60, 200 / rate);
    const achieved = simulate(rate, burst, seconds, take) / seconds;
    assert.ok(Math.abs(achieved - rate) / rate < 0.05, `rate ${rate} burst ${burst} take ${take}: achieved ${achieved}`);
  }
});

test('token bucket allows a burst and then spaces calls', () => {
  let clock = 0;
  const bucket = createTokenBucket({ratePerSecond: 10, burst: 5, now: () => clock});
  for (let i = 0; i < 5; i++) assert.equal(bucket.reserve(), 0);
  assert.equal(bucket.reserve(), 100);
  assert.equal(bucket.reserve(), 200);
  clock = 1000;
  // 10 tokens refilled minus 2 owed, capped at burst 5
  assert.equal(bucket.reserve(5), 0);
  assert.throws(() => createTokenBucket({ratePerSecond: 0, now: () => 0}), RangeError);
  assert.equal(createTokenBucket({ratePerSecond: Infinity, now: () => 0}).reserve(1000), 0);
});

test('setRate changes the spacing', () => {
  let clock = 0;
  const bucket = createTokenBucket({ratePerSecond: 10, burst: 1, now: () => clock});
  bucket.reserve();
  bucket.setRate(2);
  assert.equal(bucket.reserve(), 500);
});

test('AIMD halves on throttle (once per cooldown), grows additively, stays in bounds', () => {
  let clock = 0;
  const aimd = createAimd({initial: 100, min: 5, max: 100, increase: 10, cooldownMs: 1000, now: () => clock});
  assert.equal(aimd.onThrottle(), 50);
  assert.equal(aimd.onThrottle(), 50, 'a second throttle within the cooldown does not halve again');
  clock = 1000;
  assert.equal(aimd.onThrottle(), 25);
  for (let i = 0; i < 10; i++) {
    clock += 1000;
    aimd.onThrottle();
  }
  assert.equal(aimd.rate, 5, 'never below min');
  // ~increase per second of clean sending: at rate r, r successes add `increase`
  const before = aimd.rate;
  aimd.onSuccess(5);
  assert.ok(Math.abs(aimd.rate - (before + 10)) < 1e-9);
  for (let i = 0; i < 1000; i++) aimd.onSuccess(100);
  assert.equal(aimd.rate, 100, 'never above max');
  assert.equal(aimd.throttles, 13);
});
