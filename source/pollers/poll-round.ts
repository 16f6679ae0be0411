// One refresh is a round of polls (metrics, queues, the destinations' queues). Each on a timer of its own, armed an
// interval after its own answer, they drift apart (the one that answers later is due later), until one starts
// only after another answered and the dashboard draws the refresh twice. On one shared schedule they cannot: a
// healthy poll of the round waits for the round's next tick (ticks an interval apart from the round's start), and
// one timer starts every poll due at that tick in the same callback, so they are all in flight together.
//
// The pollers still own their timing otherwise: a failing poll backs off on its own timer and rejoins the round
// when it answers again; a poll started off the round (a new window, a refresh of its own) rejoins at the first
// tick at least half an interval after its start (never two calls a moment apart, never data older than one and
// a half intervals from it). A poll of a longer interval than the round's (the log sample) starts at every few
// ticks of the round, with the others.
import type {Timers} from './poller.ts';

export interface RoundWait {
  /** Ms from now until the tick this poll waits for (in the timers' clock). */
  readonly delayMs: number;
  cancel(): void;
}

export interface PollRound {
  /** A poll of the round starts a fetch: the time it started (the timers' clock). The first start anchors the
   * round's ticks when it has none. */
  started(): number;
  /** Calls `start` at the round's first tick at least half an interval after `startedAt` (and not in the past).
   * A poll of a longer interval (`everyMs`, e.g. the log sample's minute in a round of 10 s) waits for the first
   * tick at least everyMs - half the round's interval after its start: it starts every few ticks, with the
   * others (one wakeup, one frame), everyMs apart as long as the ticks are on time. */
  wait(startedAt: number, start: () => void, everyMs?: number): RoundWait;
  /** Every poll of the round starts again now (a refresh of the round, resume): the next start anchors the ticks. */
  restart(): void;
  /** A new interval: the ticks start again from the next start or wait (the polls re-arm themselves). */
  setInterval(ms: number): void;
  readonly intervalMs: number;
}

const defaultClock = (): number => performance.now();

export function createPollRound(options: {intervalMs: number; timers: Timers}): PollRound {
  const {timers} = options;
  const clock = timers.now ?? defaultClock;
  let intervalMs = options.intervalMs;
  /** The round's ticks are anchor + k * interval (k >= 1); null until a poll of the round starts or waits. */
  let anchor: number | null = null;
  const waiting = new Map<object, {at: number; start: () => void}>();
  let timer: unknown = undefined;
  let timerAt: number | null = null;

  function clearTimer(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    timerAt = null;
  }

  /** One timer, for the earliest tick any poll waits for (none when nobody waits). */
  function arm(now: number): void {
    let next = Infinity;
    for (const w of waiting.values()) next = Math.min(next, w.at);
    if (next === Infinity) return clearTimer();
    if (timer !== undefined && timerAt === next) return;
    clearTimer();
    timerAt = next;
    timer = timers.setTimeout(fire, Math.max(0, next - now));
  }

  function fire(): void {
    const at = timerAt;
    timer = undefined;
    timerAt = null;
    const due: Array<() => void> = [];
    for (const [key, w] of waiting) {
      if (at !== null && w.at <= at) {
        waiting.delete(key);
        due.push(w.start);
      }
    }
    // Every poll due at this tick starts before any of them can answer (their fetches settle later).
    for (const start of due) start();
    arm(clock());
  }

  return {
    get intervalMs() {
      return intervalMs;
    },
    started() {
      const now = clock();
      if (anchor === null) anchor = now;
      return now;
    },
    wait(startedAt, start, everyMs) {
      const now = clock();
      if (anchor === null) anchor = now;
      const after = Math.max(intervalMs / 2, (everyMs ?? intervalMs) - intervalMs / 2);
      const earliest = Math.max(startedAt + after, now);
      const at = anchor + Math.max(1, Math.ceil((earliest - anchor) / intervalMs)) * intervalMs;
      const key = {};
      waiting.set(key, {at, start});
      arm(now);
      return {
        delayMs: at - now,
        cancel() {
          if (waiting.delete(key)) arm(clock());
        },
      };
    },
    restart() {
      anchor = null;
    },
    setInterval(ms) {
      if (!(ms > 0) || ms === intervalMs) return;
      intervalMs = ms;
      anchor = null;
    },
  };
}
