// A generic poller: fetches one resource on an interval and publishes an immutable PollState.
//
// - Single flight: a refresh asked for while a fetch is in flight joins that fetch.
// - Errors back off exponentially with jitter, capped (default 5 min); throttling backs off harder.
// - The last good data is kept when a fetch fails: the error and the data's age are visible instead.
// - A new state object is published only when some field changed (useSyncExternalStore-friendly),
//   and `data` keeps its identity when `equals` says the new answer is the same.
// - stop() aborts the fetch in flight and clears every timer; nothing is scheduled after it.
// - In a round (poll-round.ts), a healthy poll waits for the round's next tick instead of an interval after its
//   answer, so the polls of one refresh start together; a failing one backs off on its own timer.

import type {PollError, PollState} from '../domain/types.ts';
import type {PollRound} from './poll-round.ts';

export type {PollError, PollState};

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** The clock these timers count in (a poll round's ticks; default performance.now). */
  now?: () => number;
}

export interface PollerOptions<T> {
  name: string;
  intervalMs: number;
  fetch: (signal: AbortSignal) => Promise<T>;
  /** Same answer as before? Then the previous data object is kept (identity preserved). */
  equals?: (a: T, b: T) => boolean;
  /** Cap of the error backoff (default 5 minutes). */
  maxBackoffMs?: number;
  timers?: Timers;
  now?: () => number;
  /** Errors that mean "slow down" (back off harder). Default: `error.kind === 'throttled'`. */
  isThrottle?: (error: unknown) => boolean;
  /** Random numbers in [0, 1) for jitter (tests inject a fixed one). */
  random?: () => number;
  /** Turns an error into the message shown (default: error.message). */
  describeError?: (error: unknown) => string;
  /** The round this poll is part of: while healthy, it starts at the round's ticks (poll-round.ts), at every
   * tick or, with a longer interval than the round's, at the first tick about `intervalMs` after its start. */
  round?: PollRound;
}

export interface Poller<T> {
  readonly name: string;
  start(): void;
  stop(): void;
  /** Fetches now (joining a fetch already in flight). Resolves when that fetch settled; never rejects. */
  refreshNow(): Promise<void>;
  setInterval(ms: number): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): PollState<T>;
}

/** The process's timers, on performance.now (a poll round's default). */
export const realTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => performance.now(),
};

const defaultIsThrottle = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as {kind?: unknown}).kind === 'throttled';

function errorName(error: unknown): {name?: string} {
  const name = (error as {name?: unknown} | null)?.name;
  return typeof name === 'string' && name !== 'Error' ? {name} : {};
}

function defaultDescribe(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}

/** The delay before the next attempt after `failures` consecutive failures (exported for tests and the UI). */
export function backoffDelay(options: {intervalMs: number; failures: number; throttled: boolean; maxBackoffMs: number; random: number}): number {
  const {intervalMs, failures, throttled, maxBackoffMs} = options;
  const cap = Math.max(maxBackoffMs, intervalMs);
  if (failures <= 0) return intervalMs;
  const base = Math.max(intervalMs, 1000);
  const growth = throttled ? 4 : 2;
  const raw = base * growth ** Math.min(failures, 30);
  // +-20% jitter so that many pollers (or many users) do not retry in lockstep.
  const jittered = raw * (0.8 + 0.4 * options.random);
  return Math.round(Math.min(cap, Math.max(intervalMs, jittered)));
}

export function createPoller<T>(options: PollerOptions<T>): Poller<T> {
  const timers = options.timers ?? realTimers;
  const now = options.now ?? Date.now;
  const isThrottle = options.isThrottle ?? defaultIsThrottle;
  const random = options.random ?? Math.random;
  const describe = options.describeError ?? defaultDescribe;
  const maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;
  let intervalMs = options.intervalMs;

  let state: PollState<T> = {data: null, updatedAt: null, error: null, syncing: false, consecutiveFailures: 0, nextAt: null};
  const listeners = new Set<() => void>();
  const round = options.round;
  let running = false;
  /** The next fetch's timer: its own, or its wait for the round's tick. */
  let timer: {cancel(): void} | undefined = undefined;
  /** When the latest fetch started (the round's clock). */
  let startedAt = 0;
  let inFlight: Promise<void> | null = null;
  let controller: AbortController | null = null;
  let lastThrottled = false;

  function publish(patch: Partial<PollState<T>>): void {
    const next = {...state, ...patch};
    const changed = (Object.keys(next) as Array<keyof PollState<T>>).some((key) => {
      if (key === 'error') {
        const a = state.error;
        const b = next.error;
        return a === null || b === null ? a !== b : a.message !== b.message || a.at !== b.at;
      }
      return !Object.is(state[key], next[key]);
    });
    if (!changed) return;
    state = Object.freeze(next);
    for (const listener of [...listeners]) listener();
  }

  function clearTimer(): void {
    if (timer !== undefined) {
      timer.cancel();
      timer = undefined;
    }
  }

  const fire = (): void => {
    timer = undefined;
    void run();
  };

  /** Arms the timer for the next fetch and returns when it will fire (null when not running). In a round, a
   * healthy poll (`delayMs` null) waits for the round's tick, elsewhere an interval; a failing one `delayMs`. */
  function arm(delayMs: number | null): number | null {
    clearTimer();
    if (!running) return null;
    if (delayMs === null && round) {
      const wait = round.wait(startedAt, fire, intervalMs);
      timer = wait;
      return now() + wait.delayMs;
    }
    const ms = delayMs ?? intervalMs;
    const handle = timers.setTimeout(fire, ms);
    timer = {cancel: () => timers.clearTimeout(handle)};
    return now() + ms;
  }

  function run(): Promise<void> {
    if (inFlight) return inFlight;
    if (!running) return Promise.resolve();
    clearTimer();
    const abort = new AbortController();
    controller = abort;
    if (round) startedAt = round.started();
    publish({syncing: true, nextAt: null});
    const attempt = (async () => {
      let data: T | undefined;
      let failure: {error: unknown} | undefined;
      try {
        data = await options.fetch(abort.signal);
      } catch (error) {
        failure = {error};
      }
      // Settled: from here on a refresh starts a new fetch (cleared before anyone is notified).
      if (controller === abort) {
        controller = null;
        inFlight = null;
      }
      // stop() ran meanwhile: drop the answer, schedule nothing.
      if (abort.signal.aborted || !running) return;
      let patch: Partial<PollState<T>>;
      if (failure) {
        lastThrottled = isThrottle(failure.error);
        patch = {syncing: false, error: {message: describe(failure.error), at: now(), ...errorName(failure.error)}, consecutiveFailures: state.consecutiveFailures + 1};
      } else {
        const previous = state.data;
        const same = previous !== null && options.equals !== undefined && options.equals(previous, data as T);
        lastThrottled = false;
        patch = {syncing: false, data: same ? previous : (data as T), updatedAt: now(), error: null, consecutiveFailures: 0};
      }
      const failures = patch.consecutiveFailures ?? 0;
      const delay = backoffDelay({intervalMs, failures, throttled: lastThrottled, maxBackoffMs, random: random()});
      // One state change per settled fetch: result and next time together.
      publish({...patch, nextAt: arm(failures === 0 ? null : delay)});
    })();
    // (A fetch that threw synchronously has already settled: nothing is in flight then.)
    if (controller === abort) inFlight = attempt;
    return attempt;
  }

  return {
    name: options.name,
    start() {
      if (running) return;
      running = true;
      void run();
    },
    stop() {
      running = false;
      clearTimer();
      controller?.abort();
      controller = null;
      inFlight = null;
      publish({syncing: false, nextAt: null});
    },
    refreshNow() {
      if (!running) return Promise.resolve();
      return run();
    },
    setInterval(ms: number) {
      if (!(ms > 0) || ms === intervalMs) return;
      intervalMs = ms;
      // Reschedule a waiting timer under the new interval (not while backing off: the backoff stands).
      if (running && timer !== undefined && state.consecutiveFailures === 0) publish({nextAt: arm(null)});
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot() {
      return state;
    },
  };
}
