// The dashboard's data: the pollers' source, its updates coalesced into the store (one frame per poll
// round, not one per answer), refresh and window changes.
import type {ControllerOptions} from './controller.ts';
import {createDashboardSource, type DashboardSource} from '../pollers/dashboard-source.ts';

/** Longest a dashboard update waits for the other polls of the round in flight (a slow one is drawn after). */
export const COALESCE_MS = 250;

export interface DashboardFeed {
  start(): void;
  stop(): void;
  refreshNow(): void;
  setWindow(ms: number): void;
  /** The queue rows on screen (the source reads them every refresh, and at once when they come into view). */
  setQueuesVisible(first: number, count: number): void;
  /** Stop polling, keep what the store shows (another dashboard is on screen); resume() polls again. */
  pause(): void;
  resume(): void;
}

export function createDashboardFeed(
  options: Pick<ControllerOptions, 'clients' | 'store' | 'functionName' | 'qualifier' | 'intervalMs' | 'now'> & {
    /** After each update reached the store. */
    onUpdate: () => void;
    /** Makes the pollers' source at start (default createDashboardSource; tests give a fake one). */
    createSource?: typeof createDashboardSource;
  },
): DashboardFeed {
  const {store} = options;
  const createSource = options.createSource ?? createDashboardSource;
  let source: DashboardSource | null = null;
  /** A dashboard update held back while a poll is in flight. */
  let heldUpdate: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  /** The last state dispatched. */
  let dispatched: ReturnType<DashboardSource['getSnapshot']> | null = null;

  const flush = (): void => {
    if (heldUpdate) clearTimeout(heldUpdate);
    heldUpdate = null;
    if (!source || stopped) return;
    const dashboard = source.getSnapshot();
    // (the log sample answering the same as before: nothing new since the last dispatch)
    if (dashboard === dispatched) return;
    dispatched = dashboard;
    store.dispatch({type: 'dashboard/updated', dashboard});
    options.onUpdate();
  };
  // While a poll of the round is in flight, hold updates back a little (COALESCE_MS at most): the round's polls
  // start together (one timer: pollers/poll-round.ts) and answer a few ms apart, and each dispatch that changes
  // the screen costs a whole frame. So a refresh is one update once all its polls answered, or two when one is
  // slower than COALESCE_MS (the others are not held back longer). The log sample starts with them every few
  // refreshes and is waited for the same way, once metrics are on screen: the first data is never held for it
  // (its FilterLogEvents answer is the slowest of a refresh, and the sample only adds a diagnosis).
  const push = (): void => {
    if (!source) return;
    const waitForSample = source.sampling() && (dispatched?.metrics.data ?? null) !== null;
    // (polling(): the snapshot's poll states, without assembling the snapshot at each answer)
    if (source.polling() || waitForSample) {
      if (!heldUpdate) {
        heldUpdate = setTimeout(flush, COALESCE_MS);
        heldUpdate.unref?.();
      }
      return;
    }
    flush();
  };

  return {
    start() {
      dispatched = null;
      source = createSource(options.clients, {
        functionName: options.functionName,
        ...(options.qualifier ? {qualifier: options.qualifier} : {}),
        intervalMs: options.intervalMs,
        windowMs: store.getState().windowMs,
        // the rows the queues panel showed before this source started (a profile switch), if it drew any
        ...(store.getState().queuesWindow.count > 0 ? {queueWindow: store.getState().queuesWindow} : {}),
        now: options.now,
        // A sample of the logs for the diagnosis every few refreshes (the source's logSampleIntervalMs): one paced query.
        logSample: true,
      });
      source.subscribe(push);
      push();
    },
    stop() {
      stopped = true;
      if (heldUpdate) clearTimeout(heldUpdate);
      heldUpdate = null;
      source?.stop();
    },
    refreshNow() {
      void source?.refreshNow();
    },
    setWindow(ms) {
      source?.setWindow(ms);
    },
    setQueuesVisible(first, count) {
      source?.setQueuesVisible(first, count);
    },
    pause() {
      source?.pause();
    },
    resume() {
      dispatched = null; // (the store may show another dashboard's meanwhile: the next update is dispatched)
      source?.resume();
    },
  };
}
