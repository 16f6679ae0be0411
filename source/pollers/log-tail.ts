// A live tail of one log group, the source the `logs --tail` command (and later the TUI's logs panel) reads:
// - Live Tail (StartLiveTail) where the service has it and the caller may use it; the session is closed on
//   stop() and opened again when the service ends it (its 3-hour limit);
// - otherwise polling FilterLogEvents from the last timestamp seen, re-reading an overlap (late lines) and
//   dropping what was already seen by eventId; the mode, and why, is reported;
// - every event is read (source/domain/log-events.ts), marked failure or not (source/domain/log-filter.ts), kept
//   in a bounded scrollback, and finished attempts feed the log statistics.
import type {AwsClients} from '../aws/clients.ts';
import {AwsCallError, isAbortError, toAwsCallError} from '../aws/errors.ts';
import {liveTail, type LiveTailUpdate} from '../aws/live-tail.ts';
import {readAllPages, type LogEvent} from '../aws/logs.ts';
import {readLogLine, type ReadLogLine} from '../domain/log-events.ts';
import {isFailureLine} from '../domain/log-filter.ts';
import {LogStatsAccumulator, type LogStats} from '../domain/log-stats.ts';
import {AttemptTracker} from '../domain/request-attempts.ts';
import {Scrollback} from '../domain/scrollback.ts';
import {sleep} from '../redrive/token-bucket.ts';

export type TailMode = {kind: 'connecting'} | {kind: 'live-tail'} | {kind: 'polling'; reason: string};

export interface TailEvent extends LogEvent {
  read: ReadLogLine;
  failure: boolean;
}

export interface LogTailOptions {
  clients: AwsClients;
  logGroup: string;
  /** Needed for Live Tail (it takes ARNs); null = poll. */
  logGroupArn: string | null;
  /** 'auto' tries Live Tail first; 'poll' never does. */
  mode?: 'auto' | 'poll';
  /** The logs' clock: wall time, or the simulator's virtual clock. */
  now: () => number;
  /** First timestamp read when polling (default now - 60 s). */
  since?: number;
  /** Wall ms between polls (default 2 s). */
  intervalMs?: number;
  /** Re-read window before the last timestamp seen, for lines ingested late (default 10 s of log time). */
  overlapMs?: number;
  /** A REPORT at least this long is a failure line (ms); null = not for its duration. */
  slowMs: number | null;
  /** Lines kept (default 5000). */
  scrollback?: number;
  onEvent(event: TailEvent): void;
  /** After the events of one Live Tail update or one poll were given to onEvent (a batch read at once). */
  onBatch?(): void;
  onMode?(mode: TailMode): void;
  /** A failed poll or session (it goes on: polls back off, sessions reconnect). */
  onError?(error: AwsCallError): void;
}

export interface LogTail {
  /** Runs until stop(); resolves then. Rejects only for errors the tail cannot go on after (access denied,
   * a missing log group). */
  run(): Promise<void>;
  stop(): void;
  readonly mode: TailMode;
  readonly scrollback: Scrollback<TailEvent>;
  /** Live Tail updates the service sampled (more lines than it sends in an update: 500 a second). */
  readonly sampledUpdates: number;
  stats(): LogStats;
}

/** Why a first StartLiveTail that failed means polling instead (not a failure of the tail): whatever the reason
 * (emulators answer "unknown operation", or moto an HTML 500), FilterLogEvents may still work. */
function liveTailUnusable(error: AwsCallError): string {
  if (error.kind === 'unsupported') return 'the endpoint does not support StartLiveTail';
  if (error.kind === 'access-denied') return 'logs:StartLiveTail is not allowed';
  return `StartLiveTail failed (${error.message})`;
}

/** Errors after which polling cannot go on. */
function fatal(error: AwsCallError): boolean {
  return error.kind === 'access-denied' || error.kind === 'not-found' || error.kind === 'no-credentials' || error.kind === 'no-region' || error.kind === 'invalid';
}

export function createLogTail(options: LogTailOptions): LogTail {
  const abort = new AbortController();
  const signal = abort.signal;
  const intervalMs = options.intervalMs ?? 2000;
  const overlapMs = options.overlapMs ?? 10_000;
  const scrollback = new Scrollback<TailEvent>(options.scrollback ?? 5000);
  const tracker = new AttemptTracker({keepLines: false});
  const statistics = new LogStatsAccumulator();
  let mode: TailMode = {kind: 'connecting'};
  let sampledUpdates = 0;

  const setMode = (next: TailMode) => {
    mode = next;
    options.onMode?.(next);
  };

  const emit = (e: LogEvent) => {
    const read = readLogLine(e.message);
    const finished = tracker.push(e, read);
    if (finished) statistics.add(finished);
    const event: TailEvent = {...e, read, failure: isFailureLine(read, {slowMs: options.slowMs})};
    scrollback.push(event);
    options.onEvent(event);
  };

  /** Live Tail until the signal aborts; returns why it could not be used (then poll), or null when stopped. */
  async function runLiveTail(arn: string): Promise<string | null> {
    let sessions = 0;
    while (!signal.aborted) {
      const session = new AbortController();
      const onStop = () => session.abort();
      signal.addEventListener('abort', onStop, {once: true});
      try {
        let ended: LiveTailUpdate | null = null;
        for await (const update of liveTail(options.clients, {logGroupArn: arn, signal: session.signal})) {
          if (update.kind === 'started' && mode.kind !== 'live-tail') setMode({kind: 'live-tail'});
          else if (update.kind === 'events') {
            if (update.sampled) sampledUpdates++;
            for (const e of update.events) emit(e);
            if (update.events.length > 0) options.onBatch?.();
          }
          else if (update.kind === 'ended') ended = update;
        }
        sessions++;
        if (ended && !signal.aborted) options.onError?.(new AwsCallError({kind: 'other', message: `Live Tail session ended (${ended.reason}): reconnecting`, retryable: true}, 'logs:StartLiveTail', null));
      } catch (error) {
        if (signal.aborted || isAbortError(error)) return null;
        const classified = toAwsCallError(error, {action: 'logs:StartLiveTail', resource: arn});
        // Before a first session worked, any failure means polling; after, a reconnect.
        if (sessions === 0 && mode.kind !== 'live-tail') return liveTailUnusable(classified);
        options.onError?.(classified);
        await sleep(Math.min(30_000, 1000 * 2 ** Math.min(5, sessions)), signal);
      } finally {
        signal.removeEventListener('abort', onStop);
        session.abort(); // the session is closed whatever ended it: Live Tail bills per minute while open
      }
    }
    return null;
  }

  async function runPolling(): Promise<void> {
    let cursor = options.since ?? options.now() - 60_000;
    /** eventId (or stream+time+text) -> timestamp, for what the overlap reads again. */
    const seen = new Map<string, number>();
    let failures = 0;
    while (!signal.aborted) {
      try {
        const result = await readAllPages(
          options.clients,
          {logGroup: options.logGroup, startTime: Math.max(0, cursor - overlapMs)},
          {limit: 10_000, deadline: Date.now() + 15_000, signal},
        );
        failures = 0;
        const fresh = result.events
          .filter((e) => {
            const key = e.eventId ?? `${e.stream}\u0000${e.timestamp}\u0000${e.message}`;
            if (seen.has(key)) return false;
            seen.set(key, e.timestamp);
            return true;
          })
          .sort((a, b) => a.timestamp - b.timestamp);
        for (const e of fresh) {
          emit(e);
          cursor = Math.max(cursor, e.timestamp);
        }
        if (fresh.length > 0) options.onBatch?.();
        for (const [key, ts] of seen) if (ts < cursor - overlapMs - 1000) seen.delete(key);
      } catch (error) {
        if (signal.aborted || isAbortError(error)) return;
        const classified = toAwsCallError(error, {action: 'logs:FilterLogEvents', resource: options.logGroup});
        if (fatal(classified)) throw classified;
        options.onError?.(classified);
        failures++;
      }
      await sleep(failures === 0 ? intervalMs : Math.min(60_000, intervalMs * 2 ** Math.min(5, failures)), signal);
    }
  }

  return {
    get mode() {
      return mode;
    },
    get sampledUpdates() {
      return sampledUpdates;
    },
    scrollback,
    stats: () => statistics.stats(),
    stop: () => abort.abort(),
    async run() {
      let reason = options.mode === 'poll' ? 'polling was asked for' : options.logGroupArn === null ? 'the log group ARN is unknown (Live Tail takes ARNs)' : null;
      if (reason === null) reason = await runLiveTail(options.logGroupArn!);
      if (reason === null || signal.aborted) return;
      setMode({kind: 'polling', reason});
      await runPolling();
    },
  };
}
