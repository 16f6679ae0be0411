// How fast the app's clock runs against the wall clock: 1 for AWS, the speed of the demo's virtual clock.
// Measured from two readings of both clocks at least a second apart; null until then.
export interface ClockRate {
  /** Takes a reading (cheap); returns the rate once known. */
  sample(): number | null;
  /** Clock ms per wall ms, null when not measured yet. */
  rate(): number | null;
  /** The rate, waiting (at most about a second after the first reading) until it can be measured. */
  ready(): Promise<number | null>;
}

export function createClockRate(now: () => number, wall: () => number = Date.now): ClockRate {
  let known: number | null = null;
  let base: {wall: number; clock: number} | null = null;
  const sample = (): number | null => {
    const w = wall();
    const c = now();
    if (base && w - base.wall >= 1000) {
      const r = (c - base.clock) / (w - base.wall);
      if (r > 0 && Number.isFinite(r)) known = r;
    }
    if (!base || w - base.wall >= 1000) base = {wall: w, clock: c};
    return known;
  };
  const ready = async (): Promise<number | null> => {
    if (sample() !== null) return known;
    const wait = base ? Math.max(0, 1000 - (wall() - base.wall)) + 5 : 1005;
    await new Promise((resolve) => setTimeout(resolve, wait));
    return sample();
  };
  return {sample, rate: () => known, ready};
}
