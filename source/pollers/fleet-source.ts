// The fleet view's data: the function list (ListFunctions, once, re-listed every 10 minutes), and metrics
// every refresh for the rows that need them, in one of two modes:
//  - 'per-row' (fleets up to INSIGHTS_THRESHOLD functions): batched GetMetricData for every row (bounded by
//    the threshold: at most 7 x 300 queries, 5 calls);
//  - 'insights' (larger fleets): Metrics Insights rankings (top RANK_LIMIT by throttles, errors, dropped events
//    and event age: 4 queries) say which functions are in trouble, and batched GetMetricData only for the rows
//    on screen plus a margin (setVisible), so a refresh costs in proportion to the screen, not to the fleet.
//    The rankings scan the whole fleet (the costly part), so they run at most every RANK_EVERY_MS (wall time);
//    rows scrolled into view get their metrics from a debounced "fill" that asks for those rows only.
// Timing, single flight, backoff and staleness are the generic poller's (poller.ts).
import type {AwsClients} from '../aws/clients.ts';
import {getReservedConcurrency, listFunctions, type FunctionSummary} from '../aws/functions.ts';
import {DLQ_DEPTH_KEY, FLEET_FUNCTION_METRICS, fetchFleetMetrics, rankFleet, type RankMetric} from '../aws/fleet-metrics.ts';
import {EMPTY_FIGURES, figuresFrom, healthOf, matchesPatterns, sqsQueueName, type FleetFigures, type FleetRow} from '../domain/fleet.ts';
import type {MetricsSnapshot, PollState} from '../domain/types.ts';
import {createPoller, type Poller, type Timers} from './poller.ts';

export const INSIGHTS_THRESHOLD = 300;
export const RANK_LIMIT = 50;
export const FLEET_WINDOW_MS = 15 * 60_000;
const RELIST_MS = 10 * 60_000;
export const RANK_EVERY_MS = 60_000;
/** Quiet time after the rows on screen changed before the rows without metrics are asked for. */
export const FILL_DEBOUNCE_MS = 400;
/** GetFunctionConcurrency calls a refresh may make for rows on screen whose reserved concurrency is not known. */
const CONCURRENCY_READS_PER_REFRESH = 20;
const RANKED: ReadonlyArray<{metric: RankMetric; figure: keyof FleetFigures}> = [
  {metric: 'Throttles', figure: 'throttles'},
  {metric: 'Errors', figure: 'errors'},
  {metric: 'AsyncEventsDropped', figure: 'dropped'},
  {metric: 'AsyncEventAge', figure: 'ageMaxMs'},
];

export type FleetMode = 'per-row' | 'insights';

export interface RefreshCost {
  getMetricDataCalls: number;
  /** MetricStat queries (one metric requested each). */
  metricQueries: number;
  /** Metrics Insights queries (each scans up to 10,000 metrics). */
  insightsQueries: number;
}

export interface FleetSnapshot {
  listing: PollState<FunctionSummary[]>;
  metrics: PollState<number>;
  rows: readonly FleetRow[];
  /** null until the listing is known. */
  mode: FleetMode | null;
  lastRefresh: RefreshCost | null;
  windowMs: number;
  intervalMs: number;
}

export interface FleetSourceOptions {
  clients: AwsClients;
  now: () => number;
  intervalMs: number;
  /** --functions */
  patterns?: readonly string[];
  insightsThreshold?: number;
  timers?: Timers;
  /** Wall clock for pacing the rankings (default Date.now; `now` may be the simulator's virtual clock). */
  wallNow?: () => number;
}

export interface FleetSource {
  start(): void;
  stop(): void;
  /** Stop asking for metrics while a function's dashboard is open (the list is kept); resume() asks again. */
  pause(): void;
  resume(): void;
  refreshNow(): void;
  /** The rows on screen plus a margin (names): the ones 'insights' mode asks metrics for. */
  setVisible(names: readonly string[]): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): FleetSnapshot;
}

interface RowData {
  figures: FleetFigures | null;
  figuresFrom: FleetRow['figuresFrom'];
  snapshot: MetricsSnapshot | null;
  reserved: number | null | undefined;
}

export function createFleetSource(options: FleetSourceOptions): FleetSource {
  const {clients, now} = options;
  const threshold = options.insightsThreshold ?? INSIGHTS_THRESHOLD;
  const data = new Map<string, RowData>();
  let visible: readonly string[] = [];
  let lastRefresh: RefreshCost | null = null;
  let refreshCount = 0;
  let lastRankAt = -Infinity;
  const wallNow = options.wallNow ?? (() => Date.now());
  const timers = options.timers ?? {setTimeout: (f: () => void, ms: number) => setTimeout(f, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>)};
  let fillTimer: unknown = null;
  let filling: Promise<void> | null = null;
  let stopped = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    snapshot = build();
    for (const l of listeners) l();
  };

  const listing: Poller<FunctionSummary[]> = createPoller({
    name: 'fleet-listing',
    intervalMs: RELIST_MS,
    now,
    ...(options.timers ? {timers: options.timers} : {}),
    fetch: async (signal) => (await listFunctions(clients, {signal, pageDelayMs: 50})).filter((f) => matchesPatterns(f.name, options.patterns)),
    equals: (a, b) => a.length === b.length && a.every((f, i) => f.name === b[i]!.name && f.deadLetterTargetArn === b[i]!.deadLetterTargetArn),
  });

  const modeFor = (count: number): FleetMode => (count > threshold ? 'insights' : 'per-row');

  async function refreshMetrics(signal: AbortSignal): Promise<number> {
    const functions = listing.getSnapshot().data;
    if (!functions) throw new Error('waiting for the function list');
    const mode = modeFor(functions.length);
    const end = now();
    const window = {start: end - FLEET_WINDOW_MS, end, periodSeconds: 60, signal};
    const byName = new Map(functions.map((f) => [f.name, f]));
    const wanted = mode === 'per-row' ? functions : visible.map((n) => byName.get(n)).filter((f): f is FunctionSummary => f !== undefined);
    const rows = wanted.map((f) => ({name: f.name, dlqQueueName: sqsQueueName(f.deadLetterTargetArn)}));
    const answer = await fetchFleetMetrics(clients, rows, window);
    const cost: RefreshCost = {getMetricDataCalls: answer.calls, metricQueries: answer.queries, insightsQueries: 0};
    const ranked = new Map<string, Partial<FleetFigures>>();
    if (mode === 'insights' && wallNow() - lastRankAt >= RANK_EVERY_MS) {
      lastRankAt = wallNow();
      for (const {metric, figure} of RANKED) {
        const top = await rankFleet(clients, metric, {limit: RANK_LIMIT, ...window});
        cost.getMetricDataCalls++;
        cost.insightsQueries++;
        for (const r of top) (ranked.get(r.name) ?? ranked.set(r.name, {}).get(r.name)!)[figure] = r.value;
      }
    }
    // reserved concurrency for rows that got metrics, a few a refresh, once each (config rarely changes)
    let reads = 0;
    for (const row of rows) {
      const own = data.get(row.name);
      if (own?.reserved !== undefined || reads >= CONCURRENCY_READS_PER_REFRESH) continue;
      reads++;
      const reserved = await getReservedConcurrency(clients, row.name, signal).catch(() => undefined);
      data.set(row.name, {...(own ?? {figures: null, figuresFrom: null, snapshot: null}), reserved});
    }
    for (const row of rows) {
      const snap = answer.byFunction.get(row.name) ?? null;
      const own = data.get(row.name);
      data.set(row.name, {figures: snap ? figuresFrom(snap, DLQ_DEPTH_KEY) : null, figuresFrom: snap ? 'metrics' : null, snapshot: snap, reserved: own?.reserved});
    }
    // rows known only from a ranking (not on screen): the ranked figures, the rest unknown
    for (const [name, partial] of ranked) {
      if (answer.byFunction.has(name) || !byName.has(name)) continue;
      const own = data.get(name);
      data.set(name, {figures: {...EMPTY_FIGURES, ...partial}, figuresFrom: 'ranking', snapshot: null, reserved: own?.reserved});
    }
    lastRefresh = cost;
    return ++refreshCount;
  }

  /** Metrics for the rows on screen that have none of their own yet (after scrolling, sorting, filtering). */
  async function fill(): Promise<void> {
    const functions = listing.getSnapshot().data;
    if (!functions || stopped) return;
    const byName = new Map(functions.map((f) => [f.name, f]));
    const missing = visible.filter((n) => byName.has(n) && data.get(n)?.figuresFrom !== 'metrics');
    if (missing.length === 0) return;
    const end = now();
    const rows = missing.map((n) => ({name: n, dlqQueueName: sqsQueueName(byName.get(n)!.deadLetterTargetArn)}));
    try {
      const answer = await fetchFleetMetrics(clients, rows, {start: end - FLEET_WINDOW_MS, end, periodSeconds: 60});
      for (const row of rows) {
        const snap = answer.byFunction.get(row.name) ?? null;
        const own = data.get(row.name);
        if (snap) data.set(row.name, {figures: figuresFrom(snap, DLQ_DEPTH_KEY), figuresFrom: 'metrics', snapshot: snap, reserved: own?.reserved});
      }
      if (!stopped) notify();
    } catch {
      // the next refresh asks for them again (and reports the error through the poller)
    }
  }

  const metrics: Poller<number> = createPoller({
    name: 'fleet-metrics',
    intervalMs: options.intervalMs,
    now,
    ...(options.timers ? {timers: options.timers} : {}),
    fetch: refreshMetrics,
  });

  const build = (): FleetSnapshot => {
    const functions = listing.getSnapshot().data;
    const at = now();
    const rows: FleetRow[] = (functions ?? []).map((f) => {
      const d = data.get(f.name);
      const judged = healthOf(d?.figures ?? null, d?.snapshot ?? null, at);
      // a row known only from a ranking has a few figures: nothing wrong in them is not "fine"
      const {health, reason} = d?.figuresFrom === 'ranking' && judged.health === 'ok' ? {health: 'unknown' as const, reason: 'ranked by Insights, no metrics of its own yet'} : judged;
      return {name: f.name, dlqQueueName: sqsQueueName(f.deadLetterTargetArn), reserved: d?.reserved, figures: d?.figures ?? null, figuresFrom: d?.figuresFrom ?? null, health, reason};
    });
    return {
      listing: listing.getSnapshot(),
      metrics: metrics.getSnapshot(),
      rows,
      mode: functions ? modeFor(functions.length) : null,
      lastRefresh,
      windowMs: FLEET_WINDOW_MS,
      intervalMs: options.intervalMs,
    };
  };
  let snapshot = build();
  let lastListing = listing.getSnapshot();
  listing.subscribe(() => {
    const next = listing.getSnapshot();
    const firstList = lastListing.data === null && next.data !== null;
    lastListing = next;
    notify();
    if (firstList) metrics.start();
  });
  metrics.subscribe(notify);

  return {
    start() {
      listing.start();
    },
    stop() {
      stopped = true;
      if (fillTimer !== null) timers.clearTimeout(fillTimer);
      listing.stop();
      metrics.stop();
    },
    pause() {
      metrics.stop();
    },
    resume() {
      if (listing.getSnapshot().data) metrics.start();
    },
    refreshNow() {
      void metrics.refreshNow();
    },
    setVisible(names) {
      visible = [...names];
      const functions = listing.getSnapshot().data;
      if (!functions || modeFor(functions.length) === 'per-row') return;
      // rows come into view without metrics of their own: ask for those rows only, once the screen is quiet
      if (!names.some((n) => data.get(n)?.figuresFrom !== 'metrics')) return;
      if (fillTimer !== null) timers.clearTimeout(fillTimer);
      fillTimer = timers.setTimeout(() => {
        fillTimer = null;
        filling ??= fill().finally(() => (filling = null));
      }, FILL_DEBOUNCE_MS);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
  };
}

export const FLEET_QUERIES_PER_ROW = FLEET_FUNCTION_METRICS.length;
