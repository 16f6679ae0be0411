// The clock's rate against the wall (app/clock-rate.ts): what the stale-after age (2 x interval, on the data's
// clock) and the clock ticker's delays are converted with. 1 for AWS, the demo's virtual speed.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createClockRate} from '../../../source/app/clock-rate.ts';

/** A wall clock the test moves, and a data clock running `speed` times as fast from `start`. */
function clocks(speed: number, start = 1_000_000) {
  let wall = 50_000;
  return {
    wall: () => wall,
    now: () => start + (wall - 50_000) * speed,
    advance(ms: number) {
      wall += ms;
    },
  };
}

test('unknown until two readings a second apart; then the data clock\'s speed', () => {
  for (const speed of [1, 60]) {
    const c = clocks(speed);
    const rate = createClockRate(c.now, c.wall);
    assert.equal(rate.sample(), null);
    c.advance(400);
    assert.equal(rate.sample(), null, 'less than a second: not measured');
    c.advance(600);
    assert.equal(rate.sample(), speed, 'a second after the first reading (the one in between did not move it)');
    assert.equal(rate.rate(), speed);
  }
});

test('a clock that does not move gives no rate (never 0: delays are divided by it)', () => {
  const c = clocks(0);
  const rate = createClockRate(c.now, c.wall);
  rate.sample();
  c.advance(5000);
  assert.equal(rate.sample(), null);
  assert.equal(rate.rate(), null);
});

test('ready() waits for the second reading, then gives the rate', async (t) => {
  t.mock.timers.enable({apis: ['setTimeout', 'Date'], now: 50_000});
  const start = Date.now();
  const now = () => 1_000_000 + (Date.now() - start) * 60;
  const rate = createClockRate(now);
  rate.sample();
  let got: number | null | undefined;
  void rate.ready().then((r) => (got = r));
  t.mock.timers.tick(999);
  await Promise.resolve();
  assert.equal(got, undefined, 'not before a second');
  t.mock.timers.tick(10);
  for (let i = 0; i < 3; i++) await Promise.resolve();
  assert.equal(got, 60);
  assert.equal(await rate.ready(), 60, 'at once once known');
});
