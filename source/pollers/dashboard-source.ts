// The dashboard's data: three pollers composed into one immutable DashboardState.
//
//   discovery (at start, then every few minutes) ──► topology ──► queue names / URLs
//             an SQS source's URL, redrive policy and visibility timeout come from the queue reads below once
//             they have read it (two calls per source at the first discovery only); a read that differs from the
//             topology runs discovery again at once
//   metrics   (every interval)  ONE GetMetricData for every series on screen
//   queues    (every interval)  ONE GetQueueAttributes per distinct queue on screen, and a few of the others
//             in turn (domain/queue-rotation.ts): their metrics likewise, so a function with 200 SQS sources
//             costs what is on screen per refresh; a queue read on an earlier refresh keeps its reading and
//             says how old it is (QueueStatus.readAt). The queues panel says which rows it shows
//             (setQueuesVisible): when they change (scroll, resize), the rows that came into view with an
//             older reading are read at once (GetQueueAttributes only; their metrics at the next refresh)
//   logs      (every few intervals, when asked for) ONE paced FilterLogEvents query: a sample of recent
//             START/REPORT/error lines whose statistics add findings the metrics cannot give
//   destinations (every interval) the Lambda destination functions: discovered with discovery (cached
//             in between), then ONE GetQueueAttributes per SQS failure target of theirs; their metrics
//             ride in the same GetMetricData as the rest
//
// The metrics and queue pollers start once discovery has answered (or failed: function metrics still
// work without a topology). Findings come from the domain's diagnosis; `errors` lists what failed.
import type {AwsClients} from '../aws/clients.ts';
import {discoverTopology} from '../aws/discovery.ts';
import {isThrottleError} from '../aws/errors.ts';
import {buildMetricQueries, choosePeriodSeconds, fetchMetrics} from '../aws/metrics.ts';
import {fetchQueueStatuses, queueRolesOf, resolveQueues, type QueueRef} from '../aws/queues.ts';
import {diagnose, type DiagnoseInput} from '../domain/diagnose.ts';
import {logSampleFindings, mergeFindings, type LogSample} from '../domain/log-sample.ts';
import {fetchLogSample} from './log-sample.ts';
import {chainStarts} from '../domain/failure-chain.ts';
import {clampWindow, newlyVisible, pickQueues, QUEUES_ON_SCREEN_DEFAULT, QUEUES_ROTATED_PER_REFRESH, type QueueWindow} from '../domain/queue-rotation.ts';
import {createInViewReads, queueKey, refreshedAt} from './queues-in-view.ts';
import {sameJson} from './same-json.ts';
import {createSourceReads} from './source-reads.ts';
import {QUEUE_METRICS, queueMetricKey, type DashboardState, type DestinationFunction, type Finding, type FunctionTopology, type MetricsSnapshot, type QueueStatus, type Snapshot, type SourceError} from '../domain/types.ts';
import {createPoller, realTimers, type PollState, type Poller, type Timers} from './poller.ts';
import {createPollRound} from './poll-round.ts';

export type {PollState} from './poller.ts';

export type {DashboardState} from '../domain/types.ts';

export interface DashboardSourceOptions {
  functionName: string;
  qualifier?: string;
  /** Metrics and queue refresh interval (wall ms). */
  intervalMs: number;
  /** Metrics window (ms of the injected clock). */
  windowMs: number;
  /** The clock data times are read against (the simulator's virtual clock in demo mode). */
  now: () => number;
  /** Re-discovery interval (default 5 minutes). */
  discoveryIntervalMs?: number;
  /** Error backoff cap (default 5 minutes). */
  maxBackoffMs?: number;
  timers?: Timers;
  random?: () => number;
  /** Findings from a snapshot (default: the domain's diagnose). */
  diagnose?: (input: DiagnoseInput) => Finding[];
  /** Sample the function's logs for the diagnosis, every few refreshes (logSampleIntervalMs of the current
   * interval: setInterval moves it too); off when absent or false. */
  logSample?: boolean;
  /** The queue rows on screen at start (default: the first QUEUES_ON_SCREEN_DEFAULT). */
  queueWindow?: QueueWindow;
}

export interface DashboardSource {
  subscribe(listener: () => void): () => void;
  getSnapshot(): DashboardState;
  /** The log sample is in flight: its answer, not part of the poll states in the snapshot, is on its way. */
  sampling(): boolean;
  /** A poll of the snapshot (discovery, metrics, queues, destinations) is in flight: getSnapshot()'s poll states say
   * so too, but this does not assemble the snapshot. */
  polling(): boolean;
  /** Refreshes metrics and queues now (and discovery too when it has not succeeded yet). */
  refreshNow(): Promise<void>;
  /** Runs discovery again now (topology changes re-resolve queues and refresh the rest). */
  rediscover(): Promise<void>;
  setWindow(ms: number): void;
  setInterval(ms: number): void;
  /** How many queue rows the screen shows (the first ones, in topology order): read every refresh; the others a
   * few per refresh in turn. Default QUEUES_ON_SCREEN_DEFAULT. */
  setQueuesOnScreen(count: number): void;
  /** The queue rows the screen shows: `count` from row `first` (topology order). Read every refresh; when the
   * window moves, the rows that came into view and hold an older reading are read at once. */
  setQueuesVisible(first: number, count: number): void;
  /** Stops polling and keeps the data (another function's dashboard is on screen); resume() polls again at once. */
  pause(): void;
  resume(): void;
  stop(): void;
}

/** Least wall time between two log samples for the diagnosis. */
export const LOG_SAMPLE_MIN_INTERVAL_MS = 60_000;
/** The log sample starts with every this many refreshes (at least LOG_SAMPLE_MIN_INTERVAL_MS apart). */
export const LOG_SAMPLE_EVERY_REFRESHES = 6;

/** Wall ms between two log samples at a refresh interval: every 6 refreshes, at least a minute apart (one paced
 * FilterLogEvents query; the sample only adds findings). */
export function logSampleIntervalMs(refreshMs: number): number {
  return Math.max(LOG_SAMPLE_MIN_INTERVAL_MS, LOG_SAMPLE_EVERY_REFRESHES * refreshMs);
}

/** The names of the Lambda functions a topology's destinations invoke (OnFailure first), once each. */
export function destinationNames(topology: FunctionTopology | null): string[] {
  return topology ? [...new Set(chainStarts(topology).map((s) => s.target.name))] : [];
}

const topologyEqual = (a: FunctionTopology, b: FunctionTopology) => sameJson({...a, discoveredAt: 0}, {...b, discoveredAt: 0});

/** The newest ApproximateAgeOfOldestMessage reading, if recent, for a queue that is not known to be empty. */
export function oldestAgeFromMetrics(status: QueueStatus, metrics: MetricsSnapshot | null): number | null {
  if (!metrics || status.error) return null;
  if (status.visible === 0 && status.inFlight === 0 && status.delayed === 0) return null;
  const series = metrics.series[queueMetricKey(status.name, 'ApproximateAgeOfOldestMessage')];
  const newest = series?.points[series.points.length - 1];
  if (!newest) return null;
  const recentMs = Math.max(5 * 60_000, 2 * metrics.periodSeconds * 1000);
  if (newest[0] < metrics.end - recentMs) return null;
  // The depth is read now, the age metric lags by minutes: an age of 0 (the queue was empty then) next to a
  // queue that holds messages now says nothing about them. Not known yet, never "0 s".
  if (newest[1] <= 0 && (status.visible ?? 0) + (status.inFlight ?? 0) + (status.delayed ?? 0) > 0) return null;
  return newest[1];
}

function withOldestAge(queues: readonly QueueStatus[], metrics: MetricsSnapshot | null): QueueStatus[] {
  return queues.map((q) => {
    const oldestAgeSeconds = oldestAgeFromMetrics(q, metrics);
    return oldestAgeSeconds === q.oldestAgeSeconds ? q : {...q, oldestAgeSeconds};
  });
}

/** Per-series CloudWatch statuses that deserve a word (denied or failed series). */
function metricSeriesErrors(metrics: MetricsSnapshot | null): SourceError[] {
  if (!metrics) return [];
  const byStatus = new Map<string, string[]>();
  for (const series of Object.values(metrics.series)) {
    if (series.status === 'Forbidden' || series.status === 'InternalError') {
      byStatus.set(series.status, [...(byStatus.get(series.status) ?? []), series.key]);
    }
  }
  return [...byStatus.entries()].map(([status, keys]) => ({
    source: 'metrics',
    message:
      status === 'Forbidden'
        ? `CloudWatch denied ${keys.length} series (${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''})`
        : `CloudWatch failed to compute ${keys.length} series (${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''})`,
  }));
}

export interface AssembleInput {
  topology: FunctionTopology | null;
  metrics: MetricsSnapshot | null;
  queues: readonly QueueStatus[];
  errors: SourceError[];
  at: number;
  diagnose?: (input: DiagnoseInput) => Finding[];
  /** The latest log sample (null: none read, so no log findings). */
  logSample?: LogSample | null;
  destinations?: DestinationFunction[] | null;
  /** When queues are read in turn: the latest refresh's reading time of the queues on screen (Snapshot.queuesReadAt). */
  queuesReadAt?: number | null;
}

/** Builds a Snapshot (pure apart from the diagnosis it calls): oldest ages filled from metrics, findings, errors. */
export function assembleSnapshot(input: AssembleInput): Snapshot {
  const queues = withOldestAge(input.queues, input.metrics);
  const errors: SourceError[] = [...input.errors, ...metricSeriesErrors(input.metrics)];
  for (const q of queues) if (q.error) errors.push({source: `queue:${q.name}`, message: q.error});
  const run = input.diagnose ?? diagnose;
  let findings: Finding[];
  try {
    findings = mergeFindings(run({topology: input.topology, metrics: input.metrics, queues, now: input.at}), logSampleFindings(input.logSample ?? null));
  } catch (error) {
    findings = [];
    errors.push({source: 'diagnosis', message: `diagnosis failed: ${error instanceof Error ? error.message : String(error)}`});
  }
  const destinations = input.destinations ? {destinations: input.destinations.map((d) => ({...d, queues: withOldestAge(d.queues, input.metrics)}))} : {};
  const readAt = input.queuesReadAt !== undefined && input.queuesReadAt !== null ? {queuesReadAt: input.queuesReadAt} : {};
  return {topology: input.topology, metrics: input.metrics, queues, findings, errors, at: input.at, ...destinations, ...readAt};
}

/** A queue of the topology no refresh has read yet (its turn has not come): every figure unknown. */
function unreadStatus(ref: QueueRef): QueueStatus {
  return {role: ref.role, url: ref.url, arn: ref.arn, name: ref.name, visible: null, inFlight: null, delayed: null, oldestAgeSeconds: null, retentionSeconds: null, visibilityTimeoutSeconds: null, maximumMessageSizeBytes: null, fifo: ref.name.endsWith('.fifo'), error: null, readAt: null};
}

export function createDashboardSource(clients: AwsClients, options: DashboardSourceOptions): DashboardSource {
  const now = options.now;
  let windowMs = options.windowMs;
  const common = {
    now,
    isThrottle: isThrottleError,
    ...(options.timers ? {timers: options.timers} : {}),
    ...(options.random ? {random: options.random} : {}),
    ...(options.maxBackoffMs ? {maxBackoffMs: options.maxBackoffMs} : {}),
  };

  // One refresh's polls (metrics, queues, destinations) start together at the round's ticks (poll-round.ts).
  const round = createPollRound({intervalMs: options.intervalMs, timers: options.timers ?? realTimers});
  const inRound = {...common, round};

  const discoveryIntervalMs = options.discoveryIntervalMs ?? 5 * 60_000;
  // rediscovery takes an SQS source's attributes from the queue reads (a read older than two rediscoveries: not)
  const sourceReads = createSourceReads({maxAgeMs: 2 * discoveryIntervalMs});
  const discovery: Poller<FunctionTopology> = createPoller({
    ...common,
    name: 'discovery',
    intervalMs: discoveryIntervalMs,
    equals: topologyEqual,
    fetch: (signal) =>
      discoverTopology(clients, {functionName: options.functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {}), now, signal, knownSource: sourceReads.known}),
  });
  /** Notes what reads of SQS source queues said; when one differs from the topology (its redrive policy or visibility
   * timeout changed), discovery runs again now (taking it from the read: no extra call per source). */
  function noteSourceReads(statuses: readonly QueueStatus[]): void {
    const changed = sourceReads.note(statuses, discovery.getSnapshot().data);
    if (changed && !discovery.getSnapshot().syncing) queueMicrotask(() => void rediscoverNow());
  }

  const fallbackTopology = {name: options.functionName, qualifier: options.qualifier ?? null};
  let queueWindow: QueueWindow = options.queueWindow ? {...options.queueWindow} : {first: 0, count: QUEUES_ON_SCREEN_DEFAULT};
  let metricsCursor = 0;
  const metrics: Poller<MetricsSnapshot> = createPoller({
    ...inRound,
    name: 'metrics',
    intervalMs: options.intervalMs,
    equals: sameJson,
    fetch: async (signal) => {
      const topology = discovery.getSnapshot().data;
      const roles = topology ? queueRolesOf(topology) : [];
      // the queues on screen every refresh, the others in turn (the same rule as their GetQueueAttributes)
      const pick = pickQueues(roles.length, {first: queueWindow.first, onScreen: queueWindow.count, rotate: QUEUES_ROTATED_PER_REFRESH, cursor: metricsCursor});
      const names = pick.indexes.map((i) => ({name: roles[i]!.name}));
      const periodSeconds = choosePeriodSeconds(windowMs);
      const end = now();
      const queries = buildMetricQueries(topology ?? fallbackTopology, names, {periodSeconds, destinations: destinationNames(topology)});
      const fresh = await fetchMetrics(clients, queries, {start: end - windowMs, end, periodSeconds, signal});
      metricsCursor = pick.cursor;
      if (pick.indexes.length === roles.length) return fresh;
      // the queues not asked for this time keep their series from the last time they were (same period)
      const previous = metrics.getSnapshot().data;
      if (!previous || previous.periodSeconds !== fresh.periodSeconds) return fresh;
      const asked = new Set(names.map((n) => n.name));
      const series = {...fresh.series};
      for (const role of roles) {
        if (asked.has(role.name)) continue;
        for (const m of QUEUE_METRICS) {
          const key = queueMetricKey(role.name, m.metricName);
          if (previous.series[key] && !series[key]) series[key] = previous.series[key];
        }
      }
      return {...fresh, series};
    },
  });

  // Queue URLs, resolved once per topology (unresolved ones are retried by each read).
  let resolvedFor: FunctionTopology | null = null;
  let refs: QueueRef[] = [];
  let queuesCursor = 0;
  const queues: Poller<QueueStatus[]> = createPoller({
    ...inRound,
    name: 'queues',
    intervalMs: options.intervalMs,
    equals: sameJson,
    fetch: async (signal) => {
      const topology = discovery.getSnapshot().data;
      if (!topology) return [];
      if (resolvedFor !== topology) {
        refs = await resolveQueues(clients, topology, {signal});
        resolvedFor = topology;
      }
      const pick = pickQueues(refs.length, {first: queueWindow.first, onScreen: queueWindow.count, rotate: QUEUES_ROTATED_PER_REFRESH, cursor: queuesCursor});
      const read = await fetchQueueStatuses(clients, pick.indexes.map((i) => refs[i]!), {signal});
      queuesCursor = pick.cursor;
      noteSourceReads(read);
      const rotating = pick.indexes.length < refs.length;
      const at = now();
      const statuses: QueueStatus[] = new Array(refs.length);
      pick.indexes.forEach((i, k) => {
        statuses[i] = rotating ? {...read[k]!, readAt: at} : read[k]!;
        // A queue whose URL resolved on this read needs no GetQueueUrl next time.
        const ref = refs[i]!;
        if (ref.unresolved && !read[k]!.error) refs[i] = {role: ref.role, url: read[k]!.url, arn: ref.arn, name: ref.name};
      });
      // the others keep their last reading (and its time; one read at once when it came into view, too), or are
      // not read yet
      const previous = new Map(inView.overlay(queues.getSnapshot().data ?? []).map((q) => [queueKey(q), q]));
      refs.forEach((ref, i) => {
        if (statuses[i]) return;
        const last = previous.get(queueKey(ref));
        statuses[i] = last ? {...last, readAt: last.readAt ?? queues.getSnapshot().updatedAt ?? at} : unreadStatus(ref);
      });
      inView.absorb(statuses);
      return statuses;
    },
  });

  // Rows that came into view (scroll, resize) with an older reading are read at once (queues-in-view.ts).
  const inView = createInViewReads({
    clients,
    now,
    refs: () => refs,
    window: () => queueWindow,
    polled: () => queues.getSnapshot().data ?? [],
    onRead: (read) => {
      noteSourceReads(read);
      update();
    },
  });
  function setQueuesVisible(first: number, count: number): void {
    if (!Number.isFinite(first) || !Number.isFinite(count) || first < 0 || count < 0) return;
    const next = {first: Math.floor(first), count: Math.floor(count)};
    if (next.first === queueWindow.first && next.count === queueWindow.count) return;
    const before = clampWindow(refs.length, queueWindow);
    queueWindow = next;
    if (stopped || paused || refs.length === 0) return;
    const came = newlyVisible(before, clampWindow(refs.length, next));
    if (came.length) inView.read(came);
  }

  // In the round: a sample starts with a refresh's polls every few ticks (at least a minute apart), so its
  // answer is drawn with theirs (the feed holds the refresh while it is in flight), not in a frame of its own.
  const logs: Poller<LogSample> | null = options.logSample
    ? createPoller({
        ...inRound,
        name: 'logs',
        intervalMs: logSampleIntervalMs(options.intervalMs),
        equals: sameJson,
        fetch: (signal) => fetchLogSample(clients, {logGroup: discovery.getSnapshot().data?.logGroup ?? `/aws/lambda/${options.functionName}`, now, signal}),
      })
    : null;
  // The Lambda destinations: discovered once per discovery answer (cached in between), their SQS failure
  // targets' depth read at each refresh.
  let hopsFor: number | null = null;
  let hops: Array<{via: DestinationFunction['via']; name: string; topology: FunctionTopology | null; error: string | null; refs: QueueRef[]}> = [];
  const destinations: Poller<DestinationFunction[]> = createPoller({
    ...inRound,
    name: 'destinations',
    intervalMs: options.intervalMs,
    equals: sameJson,
    fetch: async (signal) => {
      const d = discovery.getSnapshot();
      if (!d.data) return [];
      if (hopsFor !== d.updatedAt) {
        const starts = chainStarts(d.data).filter((s, i, all) => all.findIndex((o) => o.target.name === s.target.name) === i);
        hops = await Promise.all(
          starts.map(async ({via, target}) => {
            try {
              const topology = await discoverTopology(clients, {functionName: target.arn || target.name, now, signal});
              // Only its own failure targets: its OnSuccess queue and event sources are not this pipeline's.
              const refs = await resolveQueues(clients, {...topology, onSuccess: null, eventSources: []}, {signal});
              return {via, name: target.name, topology, error: null, refs};
            } catch (error) {
              if (signal.aborted) throw error;
              return {via, name: target.name, topology: null, error: error instanceof Error ? error.message : String(error), refs: []};
            }
          }),
        );
        hopsFor = d.updatedAt;
      }
      const all = hops.flatMap((h) => h.refs);
      const statuses = all.length ? await fetchQueueStatuses(clients, all, {signal}) : [];
      let at = 0;
      return hops.map((h) => ({via: h.via, name: h.name, topology: h.topology, error: h.error, queues: statuses.slice(at, (at += h.refs.length))}));
    },
  });

  let stopped = false;
  let paused = false;
  let dependentsStarted = false;
  let lastDiscoveryAt: number | null = null;
  let lastTopology: FunctionTopology | null = null;
  const unsubscribeDiscovery = discovery.subscribe(() => {
    const state = discovery.getSnapshot();
    if (state.syncing || stopped) return;
    if (!dependentsStarted && (state.data || state.error)) {
      dependentsStarted = true;
      lastTopology = state.data;
      lastDiscoveryAt = state.updatedAt;
      if (paused) return;
      metrics.start();
      queues.start();
      startLogsAfterFirstAnswers();
      destinations.start();
      return;
    }
    if (dependentsStarted && state.data && state.data !== lastTopology) {
      lastTopology = state.data;
      lastDiscoveryAt = state.updatedAt;
      round.restart();
      void metrics.refreshNow();
      void queues.refreshNow();
      void destinations.refreshNow();
    } else if (dependentsStarted && state.data && state.updatedAt !== lastDiscoveryAt) {
      // Discovery ran again and found the same function: the destinations are discovered again too.
      lastDiscoveryAt = state.updatedAt;
      void destinations.refreshNow();
    }
  });

  function rediscoverNow(): Promise<void> {
    return stopped || paused ? Promise.resolve() : discovery.refreshNow();
  }

  // The log sample only adds findings: its first query (and the Logs client's set-up) waits until the first
  // metrics and queues answered (their update is drawn first: these listeners run after `update`), so that it
  // is not on the way to the first frame with data.
  let logsStarted = false;
  let unwatchFirstAnswers: (() => void) | null = null;
  function startLogsAfterFirstAnswers(): void {
    if (!logs || logsStarted || unwatchFirstAnswers) return;
    const answered = (p: Poller<unknown>) => {
      const s = p.getSnapshot();
      return !s.syncing && (s.updatedAt !== null || s.error !== null);
    };
    const check = (): void => {
      if (!answered(metrics) || !answered(queues)) return;
      unwatchFirstAnswers?.();
      unwatchFirstAnswers = null;
      logsStarted = true;
      if (!stopped && !paused) logs.start();
    };
    const off = [metrics.subscribe(check), queues.subscribe(check)];
    unwatchFirstAnswers = () => off.forEach((f) => f());
    check();
  }

  const listeners = new Set<() => void>();
  /** The log sample's state the snapshot was built from (it is not part of DashboardState). */
  let logsSeen: ReturnType<Poller<LogSample>['getSnapshot']> | undefined;
  /** The readings taken at once the snapshot was built with. */
  let inViewSeen = 0;
  /** The log sample is in flight (as its poll state last said). */
  let sampling = false;
  let state: DashboardState = build(now());
  // A round's polls answer one by one (metrics, queues, destinations, now and then the log sample), and the feed
  // draws the round once they all answered: assembling the snapshot (and its diagnosis) at each answer built about
  // 2.2 per refresh for the one drawn (a minute of an idle dashboard against simulate --speed 1: 13 builds, 6
  // refreshes). So an answer that changes the data only notes when it came (`staleAt`, the snapshot's time as it
  // would have been built then); the snapshot is built when it is read, from the same poll states. `seen` holds the
  // poll states the last update saw (what `state` holds once it is built).
  let staleAt: number | null = null;
  let seen = {discovery: state.discovery, metrics: state.metrics, queues: state.queues, destinations: state.destinations};

  function build(at: number): DashboardState {
    const d = discovery.getSnapshot();
    const m = metrics.getSnapshot();
    const q = queues.getSnapshot();
    const h = destinations.getSnapshot();
    const errors: SourceError[] = [];
    if (d.error) errors.push({source: 'discovery', message: d.error.message});
    if (m.error) errors.push({source: 'metrics', message: m.error.message});
    if (q.error) errors.push({source: 'queues', message: q.error.message});
    const l = logs?.getSnapshot();
    if (l?.error) errors.push({source: 'logs', message: `log sample: ${l.error.message}`});
    const snapshot = assembleSnapshot({
      topology: d.data,
      metrics: m.data,
      queues: inView.overlay(q.data ?? []),
      queuesReadAt: refreshedAt(q.data ?? []),
      errors,
      at,
      logSample: l?.data ?? null,
      ...(options.diagnose ? {diagnose: options.diagnose} : {}),
      destinations: h.data,
    });
    logsSeen = l;
    inViewSeen = inView.version();
    return {snapshot, discovery: d, metrics: m, queues: q, destinations: h};
  }

  function update(): void {
    const d = discovery.getSnapshot();
    const m = metrics.getSnapshot();
    const q = queues.getSnapshot();
    const l = logs?.getSnapshot();
    const h = destinations.getSnapshot();
    const logsChanged = l !== undefined && (l.data !== logsSeen?.data || l.error !== logsSeen?.error);
    const inViewChanged = inView.version() !== inViewSeen;
    const samplingNow = l?.syncing ?? false;
    const samplingEnded = sampling && !samplingNow;
    sampling = samplingNow;
    if (d === seen.discovery && m === seen.metrics && q === seen.queues && h === seen.destinations && !logsChanged && !inViewChanged) {
      // The sample answered the same: what is held back for it can be drawn now (the state is the same object).
      if (samplingEnded) for (const listener of [...listeners]) listener();
      return;
    }
    // Reassemble the snapshot only when data or errors changed; syncing/nextAt flips keep it.
    const dataChanged =
      logsChanged ||
      inViewChanged ||
      d.data !== seen.discovery.data || m.data !== seen.metrics.data || q.data !== seen.queues.data || h.data !== seen.destinations?.data ||
      d.error !== seen.discovery.error || m.error !== seen.metrics.error || q.error !== seen.queues.error;
    seen = {discovery: d, metrics: m, queues: q, destinations: h};
    if (dataChanged) {
      // (what build() notes, noted now: the next update compares against these)
      staleAt = now();
      logsSeen = l;
      inViewSeen = inView.version();
    } else if (staleAt === null) {
      state = {snapshot: state.snapshot, discovery: d, metrics: m, queues: q, destinations: h};
    }
    for (const listener of [...listeners]) listener();
  }

  /** The state, its snapshot built now if an answer changed the data since it was last read. */
  function current(): DashboardState {
    if (staleAt !== null) {
      state = build(staleAt);
      staleAt = null;
    }
    return state;
  }
  const unsubscribers = [discovery.subscribe(update), metrics.subscribe(update), queues.subscribe(update), destinations.subscribe(update), unsubscribeDiscovery, ...(logs ? [logs.subscribe(update)] : [])];

  discovery.start();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: current,
    polling() {
      return seen.discovery.syncing || seen.metrics.syncing || seen.queues.syncing || (seen.destinations?.syncing ?? false);
    },
    sampling() {
      return sampling;
    },
    async refreshNow() {
      if (stopped || paused) return;
      const d = discovery.getSnapshot();
      if (!d.data || !dependentsStarted) {
        await discovery.refreshNow();
        if (!dependentsStarted) return;
      }
      round.restart();
      await Promise.all([metrics.refreshNow(), queues.refreshNow(), destinations.refreshNow()]);
    },
    async rediscover() {
      if (stopped) return;
      await discovery.refreshNow();
    },
    setWindow(ms: number) {
      if (!(ms > 0) || ms === windowMs) return;
      windowMs = ms;
      if (dependentsStarted && !stopped) void metrics.refreshNow();
    },
    setQueuesOnScreen(count: number) {
      setQueuesVisible(0, count);
    },
    setQueuesVisible,
    setInterval(ms: number) {
      if (!(ms > 0)) return;
      round.setInterval(ms);
      metrics.setInterval(ms);
      queues.setInterval(ms);
      destinations.setInterval(ms);
      logs?.setInterval(logSampleIntervalMs(ms));
    },
    pause() {
      if (stopped || paused) return;
      paused = true;
      for (const poller of [discovery, metrics, queues, destinations, ...(logs ? [logs] : [])]) poller.stop();
    },
    resume() {
      if (stopped || !paused) return;
      paused = false;
      round.restart();
      discovery.start();
      if (dependentsStarted) for (const poller of [metrics, queues, destinations, ...(logs && logsStarted ? [logs] : [])]) poller.start();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      inView.stop();
      discovery.stop();
      metrics.stop();
      queues.stop();
      logs?.stop();
      destinations.stop();
      unwatchFirstAnswers?.();
      for (const unsubscribe of unsubscribers) unsubscribe();
      update();
    },
  };
}

export interface CollectOnceOptions {
  functionName: string;
  qualifier?: string;
  /** Accepted for symmetry with the dashboard; unused by a single collection. */
  intervalMs?: number;
  windowMs: number;
  now: () => number;
  diagnose?: (input: DiagnoseInput) => Finding[];
}

/**
 * One snapshot for `--once --json`: discovery, then metrics and queues in parallel.
 * Throws FunctionNotFoundError for an unknown function, and the errors a user must fix before anything can be
 * read (no credentials, no region, access denied to the function itself); every other failure goes to `errors`.
 */
export async function collectSnapshotOnce(clients: AwsClients, options: CollectOnceOptions): Promise<Snapshot> {
  const errors: SourceError[] = [];
  let topology: FunctionTopology | null = null;
  try {
    topology = await discoverTopology(clients, {functionName: options.functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {}), now: options.now});
  } catch (error) {
    if ((error as {name?: string} | null)?.name === 'FunctionNotFoundError') throw error;
    const kind = (error as {kind?: string} | null)?.kind;
    if (kind === 'no-credentials' || kind === 'no-region' || kind === 'access-denied') throw error;
    errors.push({source: 'discovery', message: error instanceof Error ? error.message : String(error)});
  }
  const end = options.now();
  const periodSeconds = choosePeriodSeconds(options.windowMs);
  const names = topology ? queueRolesOf(topology).map((r) => ({name: r.name})) : [];
  const queries = buildMetricQueries(topology ?? {name: options.functionName, qualifier: options.qualifier ?? null}, names, {periodSeconds});
  const [metrics, queues] = await Promise.all([
    fetchMetrics(clients, queries, {start: end - options.windowMs, end, periodSeconds}).catch((error: unknown) => {
      errors.push({source: 'metrics', message: error instanceof Error ? error.message : String(error)});
      return null;
    }),
    (async () => {
      if (!topology) return [] as QueueStatus[];
      try {
        return await fetchQueueStatuses(clients, await resolveQueues(clients, topology));
      } catch (error) {
        errors.push({source: 'queues', message: error instanceof Error ? error.message : String(error)});
        return [] as QueueStatus[];
      }
    })(),
  ]);
  return assembleSnapshot({topology, metrics, queues, errors, at: options.now(), ...(options.diagnose ? {diagnose: options.diagnose} : {})});
}
