// Additive increase, multiplicative decrease of a send rate: on a throttle the rate is multiplied by
// `decrease` (at most once per `cooldownMs`, so one burst of 429s from one batch counts once); each
// accepted send adds `increase / rate`, i.e. about `increase` msgs/s per second of clean sending.
// Bounded to [min, max]; `max` is the operator's --rate. Pure: the clock is injected.

export interface Aimd {
  readonly rate: number;
  readonly min: number;
  readonly max: number;
  readonly throttles: number;
  onSuccess(count?: number): number;
  onThrottle(): number;
}

export function createAimd(options: {initial: number; min: number; max: number; increase?: number; decrease?: number; cooldownMs?: number; now: () => number}): Aimd {
  const {min, max} = options;
  if (!(min > 0) || !(max >= min)) throw new RangeError(`need 0 < min <= max, got ${min}, ${max}`);
  const increase = options.increase ?? 1;
  const decrease = options.decrease ?? 0.5;
  const cooldownMs = options.cooldownMs ?? 1000;
  let rate = Math.min(max, Math.max(min, options.initial));
  let lastDecrease = -Infinity;
  let throttles = 0;
  return {
    get rate() {
      return rate;
    },
    min,
    max,
    get throttles() {
      return throttles;
    },
    onSuccess(count = 1) {
      if (rate < max) rate = Math.min(max, rate + (increase * count) / Math.max(rate, 1));
      return rate;
    },
    onThrottle() {
      throttles++;
      const now = options.now();
      if (now - lastDecrease >= cooldownMs) {
        rate = Math.max(min, rate * decrease);
        lastDecrease = now;
      }
      return rate;
    },
  };
}
