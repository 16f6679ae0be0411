// The clock: ticks only when something on screen reads it differently ("12 s ago" becoming "13 s ago"),
// never when nothing shows clock-dependent text.
import type {Store} from '../store/index.ts';
import {nextClockStep} from '../ui/view-model.ts';
import type {ClockRate} from './clock-rate.ts';

/** The clock never ticks more often than this (wall ms)... */
const MIN_TICK_WALL_MS = 1000;
/** ...nor more often than this when the next label to change reads minutes or hours. */
const COARSE_TICK_WALL_MS = 5000;

export interface ClockTicker {
  start(): void;
  stop(): void;
}

export function createClockTicker(options: {store: Store; now: () => number; rate: ClockRate; tickMs?: number}): ClockTicker {
  const {store, now, rate} = options;
  let tick: ReturnType<typeof setTimeout> | null = null;
  /** The clock reading the armed tick is for. */
  let tickFor: number | null = null;
  let unsubscribe: (() => void) | null = null;
  let lastNow: number | null = null;
  let lastNowWall = 0;
  let stopped = false;

  /** (Re)arms the one clock timer for the next change of clock-dependent text; none when nothing shows one. */
  function arm(): void {
    if (stopped) return;
    const state = store.getState();
    // The screen was last redrawn for the clock when `now` last moved (a tick, or data arriving).
    if (state.now !== lastNow) {
      lastNow = state.now;
      lastNowWall = Date.now();
    }
    const step = nextClockStep(state);
    const next = step?.at ?? null;
    if (next === tickFor && (tick !== null || next === null)) return;
    if (tick) clearTimeout(tick);
    tick = null;
    tickFor = next;
    if (step === null) return;
    const maxWall = options.tickMs ?? 1000;
    const clockDelay = Math.max(0, step.at - now());
    const clockRate = rate.rate();
    // A few ms late rather than early: an early tick would redraw nothing and need another.
    const wallDelay = clockRate === null ? Math.min(maxWall, clockDelay) : clockDelay / clockRate + 5;
    // Labels in seconds move at most once a wall second, labels in minutes or hours at most every 5 s: with
    // AWS's clock these floors never delay a label; the demo's fast virtual clock is stepped in wall time.
    const floor = (step.stepMs >= 60_000 ? COARSE_TICK_WALL_MS : MIN_TICK_WALL_MS) - (Date.now() - lastNowWall);
    const delay = Math.max(wallDelay, floor, 20);
    tick = setTimeout(onTick, Math.min(delay, 2_147_000_000));
    tick.unref?.();
  }

  function onTick(): void {
    tick = null;
    tickFor = null;
    if (stopped) return;
    rate.sample();
    store.dispatch({type: 'clock/tick', now: now()});
    arm(); // (when the tick changed the state, the subscription armed it already)
  }

  return {
    start() {
      unsubscribe = store.subscribe(arm);
      arm();
    },
    stop() {
      stopped = true;
      unsubscribe?.();
      if (tick) clearTimeout(tick);
      tick = null;
    },
  };
}
