// The app controller: owns the side effects behind the UI's intents (AppActions) and feeds the store.
// Data flows one way: the dashboard feed (pollers) and the jobs dispatch into the store; the UI reads the
// store and calls these actions. Every mutation goes through one MutationGate (--read-only).
// One module per feature: the clock, the dashboard feed, the failed-event browser, redrive.
import type {AwsClients} from '../aws/clients.ts';
import {createMutationGate, type MutationGate} from '../aws/mutation-gate.ts';
import type {AppActions} from '../ui/app-actions.ts';
import type {Store} from '../store/index.ts';
import {createBrowserController} from './browser-controller.ts';
import {createClockRate} from './clock-rate.ts';
import {createClockTicker} from './clock-ticker.ts';
import {createDashboardFeed} from './dashboard-feed.ts';
import {createRedriveController} from './redrive-controller.ts';

export interface ControllerOptions {
  clients: AwsClients;
  store: Store;
  functionName: string;
  qualifier?: string;
  intervalMs: number;
  now: () => number;
  readOnly: boolean;
  /** Called once everything is stopped and released: unmount the UI. */
  onQuit: () => void;
  /** Where exports are written (default: the working directory). */
  exportDir?: string;
  /** Seconds a peeked message stays hidden (wall seconds). */
  peekVisibilitySeconds?: number;
  /** Full failed events the browser keeps in memory (the rest are spooled to a private temporary file). */
  eventsInMemory?: number;
  /**
   * Longest wall time between clock ticks while the clock's speed is not known yet (default 1000). Once it is
   * (from two readings of `now` a second apart: 1 for AWS, the speed of the demo's virtual clock), the clock
   * ticks exactly when an "ago" label on screen reaches its next step, and not at all when none is shown.
   */
  tickMs?: number;
}

export interface Controller {
  actions: AppActions;
  start(): void;
  /** Stops pollers and jobs and releases every peeked message. Safe to call twice. */
  stop(): Promise<void>;
  readonly gate: MutationGate;
}

export function createController(options: ControllerOptions): Controller {
  const {clients, store, functionName, now} = options;
  const gate = createMutationGate({readOnly: options.readOnly});
  const rate = createClockRate(now);
  rate.sample();
  let stopped = false;
  /** The browser was opened before the failure queues were known: open it when they are. */
  let openWhenQueuesKnown = false;

  const clock = createClockTicker({store, now, rate, ...(options.tickMs !== undefined ? {tickMs: options.tickMs} : {})});
  const browser = createBrowserController({
    clients,
    store,
    functionName,
    now,
    rate,
    ...(options.peekVisibilitySeconds !== undefined ? {peekVisibilitySeconds: options.peekVisibilitySeconds} : {}),
    ...(options.exportDir !== undefined ? {exportDir: options.exportDir} : {}),
    ...(options.eventsInMemory !== undefined ? {eventsInMemory: options.eventsInMemory} : {}),
  });
  const feed = createDashboardFeed({
    clients,
    store,
    functionName,
    ...(options.qualifier ? {qualifier: options.qualifier} : {}),
    intervalMs: options.intervalMs,
    now,
    onUpdate: () => {
      if (openWhenQueuesKnown && browser.failureQueuesKnown()) {
        if (store.getState().view === 'failed') actions.openFailedEvents();
        else openWhenQueuesKnown = false;
      }
    },
  });
  const redrive = createRedriveController({
    clients,
    store,
    gate,
    browser,
    functionName,
    ...(options.qualifier ? {qualifier: options.qualifier} : {}),
    onFinished: () => feed.refreshNow(),
  });

  const actions: AppActions = {
    quit() {
      void controller.stop().then(() => options.onQuit());
    },
    refreshNow: () => feed.refreshNow(),
    setWindow: (ms) => feed.setWindow(ms),
    openFailedEvents() {
      if (!browser.failureQueuesKnown()) {
        openWhenQueuesKnown = true;
        return;
      }
      openWhenQueuesKnown = false;
      browser.open();
    },
    loadMoreFailed: (role) => browser.loadMore(role),
    closeFailedEvents() {
      void browser.release();
    },
    showRequestLogs: (event) => browser.showRequestLogs(event),
    requestRedrive: (ids) => redrive.request(ids),
    confirmRedrive: () => redrive.confirm(),
    cancelRedrive: () => redrive.cancel(),
    exportEvents: () => browser.exportEvents(),
  };

  const controller: Controller = {
    actions,
    gate,
    start() {
      feed.start();
      clock.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clock.stop();
      redrive.abort();
      feed.stop();
      await browser.release();
    },
  };
  return controller;
}
