// The app controller: owns the side effects behind the UI's intents (AppActions) and feeds the store.
// Data flows one way: the dashboard feed (pollers) and the jobs dispatch into the store; the UI reads the
// store and calls these actions. Every mutation goes through one MutationGate (--read-only).
// One module per feature: the clock, the dashboard feed, the failed-event browser, redrive, the logs panel. The
// last three load on first use (app/failed-event-features.ts, a dynamic import: a chunk of its own in the bundle),
// or once the first data frame is on screen, whichever comes first: the first data does not wait for their modules.
import type {AwsClients} from '../aws/clients.ts';
import {sanitizeLine} from '../domain/sanitize.ts';
import {createMutationGate, type MutationGate} from '../aws/mutation-gate.ts';
import type {AppActions} from '../ui/app-actions.ts';
import type {Clipboard} from './clipboard.ts';
import type {Store} from '../store/index.ts';
import {createClockRate} from './clock-rate.ts';
import {createClockTicker} from './clock-ticker.ts';
import {createDashboardFeed} from './dashboard-feed.ts';
import type {FailedEventFeatures} from './failed-event-features.ts';
import {failureQueuesKnown} from './failure-queues.ts';
import {createLazyFeature} from './lazy-feature.ts';
import {accountAlias} from '../aws/account-alias.ts';

/** The account alias is looked up this long after the first metrics reached the store (after their frame). */
const ALIAS_AFTER_DATA_MS = 50;
/** The browser, logs and redrive modules are loaded this long after the first metrics reached the store, if no
 * key has asked for them before: the first key that opens one then finds them in. */
const FEATURES_AFTER_DATA_MS = 250;

export interface ControllerOptions {
  clients: AwsClients;
  store: Store;
  functionName: string;
  qualifier?: string;
  intervalMs: number;
  now: () => number;
  readOnly: boolean;
  /** Why the account in use must be read-only (the config file says so), or null; asked once discovery
   * knows the account. */
  accountReadOnly?: (accountId: string | null) => string | null;
  /** What the config file says of the account (label, colour, production), asked once discovery knows it;
   * the header shows them, and a production account asks for the function name before any redrive. */
  accountMarks?: (accountId: string | null) => {label: string | null; color: string | null; production: boolean};
  /** Look up the account's alias (iam:ListAccountAliases) once the account is known (default true). */
  lookUpAlias?: boolean;
  /** A redrive of more events than this asks for the function name to be typed (default 10). */
  confirmTypeAbove?: number;
  /** The profile and region pickers and the switch: owned by whoever owns the connection (cli/). */
  switcher?: Pick<AppActions, 'openProfilePicker' | 'openRegionPicker' | 'switchProfile' | 'switchRegion'>;
  /** Where y / Y copy to (OSC 52 or a temp file); without one, copying says it is not available. */
  clipboard?: Clipboard;
  /** Called once everything is stopped and released: unmount the UI. */
  onQuit: () => void;
  /** Esc on the dashboard: the fleet view it was opened from takes over (absent: esc does nothing there). */
  onBack?: () => void;
  /** Enter on a Lambda destination: that function's dashboard takes over (absent: enter says it cannot). */
  onOpenFunction?: (name: string) => void;
  /** Where exports are written (default: the working directory). */
  exportDir?: string;
  /** Seconds a peeked message stays hidden (wall seconds). */
  peekVisibilitySeconds?: number;
  /** Full failed events the browser keeps in memory (the rest are spooled to a private temporary file). */
  eventsInMemory?: number;
  /** The filter's payload search time inside a key before it goes on after the key's frame (default 2 ms). */
  searchInKeyMs?: number;
  /**
   * Longest wall time between clock ticks while the clock's speed is not known yet (default 1000). Once it is
   * (from two readings of `now` a second apart: 1 for AWS, the speed of the demo's virtual clock), the clock
   * ticks exactly when an "ago" label on screen reaches its next step, and not at all when none is shown.
   */
  tickMs?: number;
  /** The logs panel's tail: 'auto' tries Live Tail first (default), 'poll' never does. */
  tailMode?: 'auto' | 'poll';
}

export interface Controller {
  actions: AppActions;
  start(): void;
  /** Another function's dashboard covers this one: polling stops, the store keeps what it shows. */
  pause(): void;
  /** This dashboard is on screen again: polling resumes at once (a refresh now). */
  resume(): void;
  /** Stops pollers and jobs, the logs panel's tail (closing a Live Tail session), and releases every peeked
   * message. Safe to call twice. */
  stop(): Promise<void>;
  readonly gate: MutationGate;
}

export function createController(options: ControllerOptions): Controller {
  const {clients, store, functionName, now} = options;
  // The store's flag is the one the screen shows; it only ever turns on (app/read-only), and the gate reads it.
  const gate = createMutationGate({readOnly: () => options.readOnly || store.getState().readOnly});
  let accountChecked = false;
  let aliasAsked = options.lookUpAlias === false;
  /** The first metrics (or their error) have reached the store. */
  let dataSeen = false;
  const aliasAbort = new AbortController();
  let aliasTimer: ReturnType<typeof setTimeout> | null = null;
  let featuresTimer: ReturnType<typeof setTimeout> | null = null;
  const checkAccount = (): void => {
    if (!accountChecked) {
      const topology = store.getState().dashboard?.snapshot.topology;
      if (!topology) return;
      accountChecked = true;
      if (options.accountMarks) store.dispatch({type: 'app/identity', identity: options.accountMarks(topology.accountId)});
      const reason = options.accountReadOnly?.(topology.accountId) ?? null;
      if (reason) store.dispatch({type: 'app/read-only', reason});
    }
    // The alias once the first metrics are in the store (the data frame follows within Ink's frame throttle): the
    // IAM client's set-up and its call would otherwise run between the data's arrival and its frame, and the
    // header shows no alias until it is known.
    const metrics = store.getState().dashboard?.metrics;
    if (dataSeen || !metrics || (metrics.updatedAt === null && metrics.error === null)) return;
    dataSeen = true;
    if (!features.started) {
      featuresTimer = setTimeout(() => {
        featuresTimer = null;
        if (!stopped) void features.load();
      }, FEATURES_AFTER_DATA_MS);
    }
    if (aliasAsked) return;
    aliasAsked = true;
    aliasTimer = setTimeout(() => {
      aliasTimer = null;
      accountAlias(clients, aliasAbort.signal).then(
        (alias) => {
          if (!stopped) store.dispatch({type: 'app/identity', identity: {alias: alias.kind === 'alias' ? {kind: 'alias', alias: alias.alias} : {kind: alias.kind}}});
        },
        () => {},
      );
    }, ALIAS_AFTER_DATA_MS);
  };
  const rate = createClockRate(now);
  rate.sample();
  let stopped = false;
  /** The browser was opened before the failure queues were known: open it when they are. */
  let openWhenQueuesKnown = false;

  const clock = createClockTicker({store, now, rate, ...(options.tickMs !== undefined ? {tickMs: options.tickMs} : {})});
  const feed = createDashboardFeed({
    clients,
    store,
    functionName,
    ...(options.qualifier ? {qualifier: options.qualifier} : {}),
    intervalMs: options.intervalMs,
    now,
    onUpdate: () => {
      checkAccount();
      if (openWhenQueuesKnown && failureQueuesKnown(store.getState())) {
        if (store.getState().view === 'failed') actions.openFailedEvents();
        else openWhenQueuesKnown = false;
      }
    },
  });
  const features = createLazyFeature<FailedEventFeatures>({
    load: async () => {
      const {createFailedEventFeatures} = await import('./failed-event-features.ts');
      return createFailedEventFeatures(options, {gate, rate, onRedriveFinished: () => feed.refreshNow()});
    },
    onError(error, during) {
      const reason = error instanceof Error ? error.message : String(error);
      store.dispatch({type: 'flash/show', level: 'error', text: sanitizeLine(during === 'load' ? `the failed-event browser, logs and redrive could not be loaded: ${reason}` : reason, 300)});
    },
    live: () => !stopped,
  });
  const browser = (intent: (f: FailedEventFeatures['browser']) => void) => features.run((f) => intent(f.browser));
  const redrive = (intent: (f: FailedEventFeatures['redrive']) => void) => features.run((f) => intent(f.redrive));
  const logs = (intent: (f: FailedEventFeatures['logs']) => void) => features.run((f) => intent(f.logs));
  const notHere = (): void => store.dispatch({type: 'flash/show', level: 'warning', text: 'switching profile or region is not available here'});

  const actions: AppActions = {
    quit() {
      void controller.stop().then(() => options.onQuit());
    },
    refreshNow: () => feed.refreshNow(),
    setWindow: (ms) => feed.setWindow(ms),
    setQueuesVisible: (first, count) => feed.setQueuesVisible(first, count),
    openFailedEvents() {
      if (!failureQueuesKnown(store.getState())) {
        openWhenQueuesKnown = true;
        // Its modules load meanwhile, so that the browser opens as soon as the queues are known.
        void features.load();
        return;
      }
      openWhenQueuesKnown = false;
      browser((b) => b.open());
    },
    loadMoreFailed: (role) => browser((b) => b.loadMore(role)),
    loadAllFailed: (role) => browser((b) => b.loadAll(role)),
    closeFailedEvents() {
      // Never loaded: nothing was peeked, nothing to release.
      if (features.started) browser((b) => void b.release());
    },
    showRequestLogs: (event) => browser((b) => b.showRequestLogs(event)),
    requestRedrive: (ids) => redrive((r) => r.request(ids)),
    confirmRedrive: () => redrive((r) => r.confirm()),
    cancelRedrive: () => redrive((r) => r.cancel()),
    exportEvents: () => browser((b) => b.exportEvents()),
    copyPayload(messageId) {
      const copyFrom = (b: FailedEventFeatures['browser'] | null) => {
        const event = b?.fullEvent(messageId) ?? null;
        if (!event) {
          store.dispatch({type: 'flash/show', level: 'warning', text: 'the payload could not be read back (the event is no longer loaded)'});
          return;
        }
        actions.copy(event.payload ?? event.body, 'payload');
      };
      // Never loaded: no event is loaded either.
      if (features.started) browser(copyFrom);
      else copyFrom(null);
    },
    copy(text, what) {
      if (!options.clipboard) {
        store.dispatch({type: 'flash/show', level: 'warning', text: 'copying is not available here'});
        return;
      }
      const result = options.clipboard.copy(text, what);
      store.dispatch({type: 'flash/show', level: result.kind === 'refused' ? 'warning' : 'info', text: sanitizeLine(result.message, 300), ttlMs: result.kind === 'file' ? 15_000 : 5_000});
    },
    backToFleet: () => options.onBack?.(),
    openLogs: () => logs((l) => l.open()),
    closeLogs() {
      if (features.started) logs((l) => void l.close());
    },
    openProfilePicker: () => (options.switcher ? options.switcher.openProfilePicker() : notHere()),
    openRegionPicker: () => (options.switcher ? options.switcher.openRegionPicker() : notHere()),
    switchProfile: (profile) => (options.switcher ? options.switcher.switchProfile(profile) : notHere()),
    switchRegion: (region) => (options.switcher ? options.switcher.switchRegion(region) : notHere()),
    openFunction(name) {
      if (!options.onOpenFunction) {
        store.dispatch({type: 'flash/show', level: 'warning', text: 'opening another function is not available here'});
        return;
      }
      options.onOpenFunction(name);
    },
  };

  const controller: Controller = {
    actions,
    gate,
    start() {
      feed.start();
      clock.start();
      // The header warns once data is twice the interval old, on the state's clock (the demo's runs faster).
      void rate.ready().then((r) => {
        if (!stopped && r !== null) store.dispatch({type: 'app/stale-after', ms: 2 * options.intervalMs * r});
      });
    },
    pause() {
      if (!stopped) feed.pause();
    },
    resume() {
      if (!stopped) feed.resume();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      aliasAbort.abort();
      if (aliasTimer) clearTimeout(aliasTimer);
      if (featuresTimer) clearTimeout(featuresTimer);
      clock.stop();
      features.current?.redrive.abort();
      feed.stop();
      // Intents still waiting for the features' modules are dropped (live() is false now); a load in flight is
      // waited for, so that what it creates is released too.
      const loaded = features.current ?? (features.started ? await features.load() : null);
      if (loaded) await Promise.all([loaded.browser.release(), loaded.logs.close()]);
    },
  };
  return controller;
}
