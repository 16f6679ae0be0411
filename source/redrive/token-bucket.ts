// A token bucket: `ratePerSecond` tokens a second, holding at most `burst`. Reservation style: `reserve(n)`
// takes n tokens at once (the balance may go negative) and returns how long to wait before using them,
// so concurrent callers queue fairly and the long-run rate is exact. Pure: the clock is injected.

export interface TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Takes n tokens; returns the milliseconds to wait before acting on them (0 = now). */
  reserve(n?: number): number;
  /** Changes the rate (AIMD); tokens already reserved keep their place. */
  setRate(ratePerSecond: number): void;
}

export function createTokenBucket(options: {ratePerSecond: number; burst?: number; now: () => number}): TokenBucket {
  let rate = options.ratePerSecond;
  if (!(rate > 0)) throw new RangeError(`rate must be above 0, got ${rate}`);
  const burst = Math.max(1, options.burst ?? Math.min(10, Math.max(1, Math.ceil(rate))));
  let tokens = burst;
  let last = options.now();
  const refill = () => {
    const now = options.now();
    if (now > last) {
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
      last = now;
    }
  };
  return {
    get ratePerSecond() {
      return rate;
    },
    burst,
    reserve(n = 1) {
      if (rate === Infinity) return 0;
      refill();
      tokens -= n;
      return tokens >= 0 ? 0 : Math.ceil((-tokens / rate) * 1000);
    },
    setRate(next: number) {
      if (!(next > 0)) throw new RangeError(`rate must be above 0, got ${next}`);
      refill();
      rate = next;
    },
  };
}

/** Waits `ms` (abortable: resolves early when the signal fires). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, {once: true});
  });
}
