// The simulator's clocks. `now()` is virtual epoch ms; `speed` is virtual ms per wall ms (see SimClock in ports.ts).
import type {SimClock} from './ports.ts';

/** A clock that runs `speed` times faster than the wall clock, starting at `start` (default: the wall time now). */
export function createVirtualClock(options: {speed: number; start?: number; wallNow?: () => number}): SimClock {
  const {speed} = options;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed must be a positive number, got ${speed}`);
  const wallNow = options.wallNow ?? Date.now;
  const wall0 = wallNow();
  const start = Math.floor(options.start ?? wall0);
  return {
    speed,
    // Whole milliseconds, as AWS stamps them (SentTimestamp, metric times): a fractional clock leaked
    // "1796109121149.8699" into message attributes and exports.
    now: () => Math.floor(start + (wallNow() - wall0) * speed),
  };
}

export interface ManualClock extends SimClock {
  set(t: number): void;
  advance(ms: number): void;
}

/** A clock that only moves when told to (tests). speed is 1. */
export function createManualClock(start: number): ManualClock {
  let t = start;
  return {
    speed: 1,
    now: () => t,
    set(next: number) {
      t = next;
    },
    advance(ms: number) {
      t += ms;
    },
  };
}
