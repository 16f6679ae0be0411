// The logs panel's side effects: it owns the tail source (source/pollers/log-tail.ts). open() starts it on the
// function's log group (LoggingConfig.LogGroup from discovery, else /aws/lambda/NAME), with Live Tail where the
// service has it, else polling FilterLogEvents through the shared pacer; close() stops it, which closes a Live
// Tail session (billed per minute). Opened before discovery has answered, it waits for it (at most
// `discoveryWaitMs`, not at all when discovery failed): Live Tail takes the log group's ARN, built from the
// function's, and the group may be LoggingConfig's own. What the tail reads reaches the store in batches: when a
// Live Tail update or a poll has been read whole, else `flushMs` after the first line (one dispatch per batch
// however fast lines come): the scrollback as it is, the counts, the mode, the last error.
import type {AwsClients} from '../aws/clients.ts';
import {logGroupArn} from '../aws/logs.ts';
import {defaultSlowMs} from '../domain/log-filter.ts';
import {createLogTail, type LogTail, type TailMode} from '../pollers/log-tail.ts';
import type {Store, TailModeState} from '../store/index.ts';

/** Wall ms between polls of FilterLogEvents when Live Tail is not available. */
export const TAIL_POLL_MS = 2000;
/** Lines the panel keeps (the tail's scrollback). */
export const TAIL_SCROLLBACK = 5000;

export interface LogsController {
  open(): void;
  /** Stops the tail; resolves once it has stopped (its session closed, no call in flight). */
  close(): Promise<void>;
  readonly running: boolean;
}

export interface LogsControllerOptions {
  clients: AwsClients;
  store: Store;
  functionName: string;
  /** The logs' clock: wall time, or the simulator's virtual clock. */
  now: () => number;
  /** 'auto' tries Live Tail first (default); 'poll' never does. */
  mode?: 'auto' | 'poll';
  intervalMs?: number;
  scrollback?: number;
  /** Most wall ms between a line read and its dispatch (default 250). */
  flushMs?: number;
  /** Most wall ms open() waits for discovery before it starts with what is known (default 10 s). */
  discoveryWaitMs?: number;
}

function modeState(mode: TailMode, intervalMs: number): TailModeState {
  return mode.kind === 'polling' ? {kind: 'polling', reason: mode.reason, intervalMs} : mode;
}

export function createLogsController(options: LogsControllerOptions): LogsController {
  const {store, functionName} = options;
  const dispatch = store.dispatch;
  const intervalMs = options.intervalMs ?? TAIL_POLL_MS;
  const capacity = options.scrollback ?? TAIL_SCROLLBACK;
  const flushMs = options.flushMs ?? 250;
  let tail: LogTail | null = null;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let received = 0;
  /** Set while open() waits for discovery: cancels the wait. */
  let waiting: (() => void) | null = null;

  const flush = (source: LogTail) => {
    timer = null;
    if (tail !== source) return; // closed since
    dispatch({type: 'tail/lines', lines: source.scrollback.toArray(), received, dropped: source.scrollback.dropped, sampled: source.sampledUpdates});
  };

  /** Starts the tail on what discovery knows now. */
  const start = (): void => {
    const topology = store.getState().dashboard?.snapshot.topology ?? null;
    const logGroup = topology?.logGroup ?? `/aws/lambda/${functionName}`;
    received = 0;
    const source: LogTail = createLogTail({
      clients: options.clients,
      logGroup,
      logGroupArn: logGroupArn(topology?.arn ?? null, logGroup),
      mode: options.mode ?? 'auto',
      now: options.now,
      intervalMs,
      slowMs: defaultSlowMs(topology?.timeoutSeconds ?? null),
      scrollback: capacity,
      onEvent() {
        received++;
        if (timer === null) {
          timer = setTimeout(() => flush(source), flushMs);
          timer.unref?.();
        }
      },
      onBatch() {
        // A Live Tail update or a poll is read whole: draw it now rather than when the timer fires (lag).
        if (timer === null) return;
        clearTimeout(timer);
        flush(source);
      },
      onMode(mode) {
        if (tail === source) dispatch({type: 'tail/mode', mode: modeState(mode, intervalMs)});
      },
      onError(error) {
        if (tail === source) dispatch({type: 'tail/error', message: error.message});
      },
    });
    tail = source;
    dispatch({type: 'tail/started', logGroup, capacity});
    running = source.run().catch((error: unknown) => {
      // Access denied, a missing log group: the tail cannot go on. Said on the panel, the app goes on.
      if (tail === source) dispatch({type: 'tail/mode', mode: {kind: 'stopped', reason: error instanceof Error ? error.message : String(error)}});
    });
  };

  return {
    get running() {
      return tail !== null;
    },
    open() {
      if (tail || waiting) return;
      // Known, or discovery failed (no topology will come): start with what is known.
      const settled = () => Boolean(store.getState().dashboard?.snapshot.topology) || Boolean(store.getState().dashboard?.discovery.error);
      if (settled()) return start();
      // Discovery has not answered yet: wait for it (the panel says "connecting…"), then start.
      const stop = () => {
        unsubscribe();
        clearTimeout(timeout);
        waiting = null;
      };
      const unsubscribe = store.subscribe(() => {
        if (!settled()) return;
        stop();
        start();
      });
      const timeout = setTimeout(() => {
        stop();
        start();
      }, options.discoveryWaitMs ?? 10_000);
      timeout.unref?.();
      waiting = stop;
    },
    async close() {
      waiting?.();
      const source = tail;
      tail = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (!source) return;
      source.stop();
      await running;
      running = null;
    },
  };
}
