// The fleet view's data: the function list (ListFunctions, shown page by page as it arrives, re-listed every 10
// minutes), and metrics for the rows that need them, in one of two modes:
//  - 'per-row' (fleets up to INSIGHTS_THRESHOLD functions): batched GetMetricData for every row (bounded by
//    the threshold: at most 7 x 300 queries, 5 calls);
//  - 'insights' (larger fleets): Metrics Insights rankings (top RANK_LIMIT by throttles, errors, dropped events
//    and event age: 4 queries) say which functions are in trouble, and batched GetMetricData only for the rows
//    on screen plus a margin (setVisible), so a refresh costs in proportion to the screen, not to the fleet.
//    The rankings scan the whole fleet (the costly part), so they run at most every RANK_EVERY_MS (wall time);
//    rows that come into view get their metrics from a "fill" that asks for those rows only.
// Metrics are asked for once per metric period (METRIC_PERIOD_MS of the data clock: CloudWatch's Lambda metrics
// have 1-minute resolution, so asking again sooner buys nothing), not at every --interval tick: a tick inside the
// period sends nothing unless rows without fresh metrics came on screen. The cost lines of the help overlay say
// what that costs, per refresh and per hour.
// Timing, single flight, backoff and staleness are the generic poller's (poller.ts).
import type {AwsClients} from '../aws/clients.ts';
import {createLambdaPacer, DOCTOR_LAMBDA_CALLS_PER_SECOND, withPacedLambda} from '../aws/lambda-pacer.ts';
import {getFunctionCount, getReservedConcurrency, listFunctions, type FunctionSummary} from '../aws/functions.ts';
import {callsFor, DLQ_DEPTH_KEY, FLEET_FUNCTION_METRICS, fetchFleetMetrics, rankFleet, type RankMetric} from '../aws/fleet-metrics.ts';
import {EMPTY_FIGURES, figuresFrom, healthOf, matchesPatterns, sqsQueueName, type FleetFigures, type FleetRow} from '../domain/fleet.ts';
import type {MetricsSnapshot, PollState} from '../domain/types.ts';
import {createPoller, type Poller, type Timers} from './poller.ts';

export const INSIGHTS_THRESHOLD = 300;
export const RANK_LIMIT = 50;
export const FLEET_WINDOW_MS = 15 * 60_000;
/** CloudWatch's period for Lambda's metrics: a refresh sooner than this (data clock) finds no new data point. */
export const METRIC_PERIOD_MS = 60_000;
const RELIST_MS = 10 * 60_000;
/** The rankings scan every function of the fleet (4 queries x up to 10,000 metrics: at $0.01 per 1,000 metrics
 * analyzed, $0.20 a round at 5,000 functions), so they run every 10 minutes (wall): $1.20/hour at 5,000, where
 * once a minute was $12. Their 15-minute window still covers every minute between two rounds. */
export const RANK_EVERY_MS = 10 * 60_000;
/** Quiet time after the rows on screen changed before the rows without metrics are asked for (and at most
 * FILL_MAX_WAIT_MS while they keep changing: pages of the listing arriving). */
export const FILL_DEBOUNCE_MS = 400;
const FILL_MAX_WAIT_MS = 1500;
const FIRST_FILL_MS = 50;
/** Every Lambda call of the fleet source (ListFunctions pages, GetFunctionConcurrency, GetAccountSettings) goes
 * through one token bucket at 10 a second (burst 1), with a shared pause when throttled (aws/lambda-pacer.ts).
 * Lambda's control-plane quota is 15 requests per second per account and Region for every control-plane API
 * together (all but Invoke, GetFunction and GetPolicy; it cannot be raised:
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), shared with the console, CI and
 * deploys: a third of it is left to them. 5,000 functions are 100 pages, 10 s; the table fills from the first. */
export const FLEET_LAMBDA_CALLS_PER_SECOND = DOCTOR_LAMBDA_CALLS_PER_SECOND;
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

/** What the metrics cost since the source started (every refresh and fill), for the help overlay. */
export interface FleetSpend {
  /** Wall ms since the first metrics call. */
  elapsedMs: number;
  getMetricDataCalls: number;
  metricQueries: number;
  insightsQueries: number;
  /** Metrics the Insights queries scanned (counted as the functions listed, at most 10,000 each). */
  insightsMetricsScanned: number;
  /** Full refreshes (not fills) so far. */
  refreshes: number;
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
  /** While the first listing runs: the functions listed so far, and how many the region holds (GetAccountSettings;
   * null when not known). null once listed. */
  loading?: {listed: number; expected: number | null} | null;
  /** Data-clock time of the newest metrics (a refresh or a fill), null before the first. */
  metricsAt?: number | null;
  /** The metric period a refresh waits for (data-clock ms). */
  periodMs?: number;
  spend?: FleetSpend;
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
  /** Lambda calls a second (default FLEET_LAMBDA_CALLS_PER_SECOND; tests against a local simulator go faster). */
  lambdaCallsPerSecond?: number;
}

export interface FleetSource {
  start(): void;
  stop(): void;
  /** Stop asking for metrics while a function's dashboard is open (the list is kept); resume() asks again. */
  pause(): void;
  resume(): void;
  /** A refresh now, whatever the metric period (r). */
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

/** The table's rows from the list and each row's data, rebuilt only when `version` (bumped whenever a row's data or
 * the list changes) moved; each row object is kept while its own data and listing entry are the same objects, so
 * the table's memoised sort and its row texts survive a refresh. */
function createRowBuilder(data: ReadonlyMap<string, RowData>, now: () => number): (functions: FunctionSummary[] | null, version: number) => readonly FleetRow[] {
  const rowCache = new Map<string, {f: FunctionSummary; d: RowData | undefined; row: FleetRow}>();
  let builtVersion = -1;
  let builtFrom: FunctionSummary[] | null = null;
  let builtRows: readonly FleetRow[] = [];
  return (functions, version) => {
    if (builtVersion === version && builtFrom === functions) return builtRows;
    const at = now();
    const rows: FleetRow[] = (functions ?? []).map((f) => {
      const d = data.get(f.name);
      const cached = rowCache.get(f.name);
      if (cached && cached.f === f && cached.d === d) return cached.row;
      const judged = healthOf(d?.figures ?? null, d?.snapshot ?? null, at);
      // a row known only from a ranking has a few figures: nothing wrong in them is not "fine"
      const {health, reason} = d?.figuresFrom === 'ranking' && judged.health === 'ok' ? {health: 'unknown' as const, reason: 'ranked by Insights, no metrics of its own yet'} : judged;
      const row: FleetRow = {name: f.name, dlqQueueName: sqsQueueName(f.deadLetterTargetArn), reserved: d?.reserved, figures: d?.figures ?? null, figuresFrom: d?.figuresFrom ?? null, health, reason};
      rowCache.set(f.name, {f, d, row});
      return row;
    });
    if (functions && rowCache.size > functions.length * 2) {
      const names = new Set(functions.map((f) => f.name));
      for (const name of rowCache.keys()) if (!names.has(name)) rowCache.delete(name);
    }
    builtVersion = version;
    builtFrom = functions;
    builtRows = rows;
    return rows;
  };
}

export function createFleetSource(options: FleetSourceOptions): FleetSource {
  const {now} = options;
  const clients = withPacedLambda(options.clients, createLambdaPacer({ratePerSecond: options.lambdaCallsPerSecond ?? FLEET_LAMBDA_CALLS_PER_SECOND}));
  const threshold = options.insightsThreshold ?? INSIGHTS_THRESHOLD;
  const data = new Map<string, RowData>();
  /** Data-clock time each row's metrics were last asked for (answered or not: a row with no data points is not
   * asked again before the next period). */
  const askedAt = new Map<string, number>();
  let visible: readonly string[] = [];
  let lastRefresh: RefreshCost | null = null;
  let refreshCount = 0;
  let lastRankAt = -Infinity;
  let lastFullAt = -Infinity;
  let metricsAt: number | null = null;
  let forceNext = false;
  const wallNow = options.wallNow ?? (() => Date.now());
  const spend = {startedAt: null as number | null, getMetricDataCalls: 0, metricQueries: 0, insightsQueries: 0, insightsMetricsScanned: 0, refreshes: 0};
  const charge = (cost: RefreshCost, scanned: number) => {
    spend.startedAt ??= wallNow();
    spend.getMetricDataCalls += cost.getMetricDataCalls;
    spend.metricQueries += cost.metricQueries;
    spend.insightsQueries += cost.insightsQueries;
    spend.insightsMetricsScanned += cost.insightsQueries * scanned;
  };
  const timers = options.timers ?? {setTimeout: (f: () => void, ms: number) => setTimeout(f, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>)};
  let fillTimer: unknown = null;
  let filling: Promise<void> | null = null;
  let stopped = false;
  let metricsStarted = false;
  /** The first listing's pages so far (matching --functions), and the region's function count. */
  let partial: FunctionSummary[] | null = null;
  let expected: number | null = null;
  /** Bumped whenever a row's data or the list changes: the rows are rebuilt only then. */
  let version = 0;
  const listeners = new Set<() => void>();
  const notify = () => {
    snapshot = build();
    for (const l of listeners) l();
  };

  const startMetrics = () => {
    if (metricsStarted || stopped) return;
    metricsStarted = true;
    metrics.start();
  };

  const listing: Poller<FunctionSummary[]> = createPoller({
    name: 'fleet-listing',
    intervalMs: RELIST_MS,
    now,
    ...(options.timers ? {timers: options.timers} : {}),
    fetch: async (signal) => {
      const first = listing.getSnapshot().data === null;
      if (first && expected === null) {
        getFunctionCount(clients, signal)
          .then((n) => {
            expected = n;
            if (!stopped) notify();
          })
          .catch(() => {});
      }
      const all = await listFunctions(clients, {
        signal,
        // the first listing is shown as it comes; a re-listing replaces the list when complete
        ...(first
          ? {
              onPage: (_: number, so: readonly FunctionSummary[]) => {
                partial = so.filter((f) => matchesPatterns(f.name, options.patterns));
                version++;
                notify();
                startMetrics();
              },
            }
          : {}),
      });
      return all.filter((f) => matchesPatterns(f.name, options.patterns));
    },
    equals: (a, b) => a.length === b.length && a.every((f, i) => f.name === b[i]!.name && f.deadLetterTargetArn === b[i]!.deadLetterTargetArn),
  });

  /** The functions known: the listing, or its first pages while it runs. */
  const known = (): FunctionSummary[] | null => listing.getSnapshot().data ?? partial;
  /** While listing, the mode the whole fleet will need: the region's count says, or (not known: GetAccountSettings
   * denied or not answered yet) the functions listed so far. */
  const modeNow = (): FleetMode | null => {
    const listed = listing.getSnapshot().data;
    if (listed) return listed.length > threshold ? 'insights' : 'per-row';
    if (!partial) return null;
    return (expected ?? 0) > threshold || partial.length > threshold ? 'insights' : 'per-row';
  };
  const fresh = (name: string, at: number) => (askedAt.get(name) ?? -Infinity) > at - METRIC_PERIOD_MS;

  async function refreshMetrics(signal: AbortSignal): Promise<number> {
    const functions = known();
    if (!functions) throw new Error('waiting for the function list');
    const mode = modeNow()!;
    const end = now();
    const byName = new Map(functions.map((f) => [f.name, f]));
    const wanted = mode === 'per-row' ? functions : visible.map((n) => byName.get(n)).filter((f): f is FunctionSummary => f !== undefined);
    const rankDue = mode === 'insights' && wallNow() - lastRankAt >= RANK_EVERY_MS;
    // inside the metric period nothing new is published: ask only when forced (r), the rankings are due, or
    // rows on screen have no metrics of this period (a fill may not have run yet)
    const periodDue = end - lastFullAt >= METRIC_PERIOD_MS;
    if (!forceNext && !periodDue && !rankDue && wanted.every((f) => fresh(f.name, end))) return refreshCount;
    forceNext = false;
    const window = {start: end - FLEET_WINDOW_MS, end, periodSeconds: METRIC_PERIOD_MS / 1000, signal};
    const rows = wanted.map((f) => ({name: f.name, dlqQueueName: sqsQueueName(f.deadLetterTargetArn)}));
    const answer = await fetchFleetMetrics(clients, rows, window);
    const cost: RefreshCost = {getMetricDataCalls: answer.calls, metricQueries: answer.queries, insightsQueries: 0};
    const ranked = new Map<string, Partial<FleetFigures>>();
    if (rankDue) {
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
      askedAt.set(row.name, end);
      data.set(row.name, {figures: snap ? figuresFrom(snap, DLQ_DEPTH_KEY) : null, figuresFrom: snap ? 'metrics' : null, snapshot: snap, reserved: own?.reserved});
    }
    // rows known only from a ranking (not on screen): the ranked figures, the rest unknown
    for (const [name, partialFigures] of ranked) {
      if (answer.byFunction.has(name) || !byName.has(name)) continue;
      const own = data.get(name);
      data.set(name, {figures: {...EMPTY_FIGURES, ...partialFigures}, figuresFrom: 'ranking', snapshot: null, reserved: own?.reserved});
    }
    charge(cost, Math.min(10_000, functions.length));
    spend.refreshes++;
    lastRefresh = cost;
    lastFullAt = end;
    metricsAt = end;
    version++;
    return ++refreshCount;
  }

  // the names of the functions known, built once per list (setVisible asks at every key that moves the rows)
  const namesOf = new WeakMap<FunctionSummary[], Set<string>>();
  const missing = (): string[] => {
    const functions = known();
    if (!functions || modeNow() !== 'insights') return [];
    const at = now();
    let names = namesOf.get(functions);
    if (!names) namesOf.set(functions, (names = new Set(functions.map((f) => f.name))));
    return visible.filter((n) => names.has(n) && data.get(n)?.figuresFrom !== 'metrics' && !fresh(n, at));
  };

  /** Metrics for the rows on screen that have none of their own yet (after scrolling, sorting, filtering, or
   * rows arriving with the listing's pages). */
  async function fill(): Promise<void> {
    const functions = known();
    const names = missing();
    if (!functions || stopped || names.length === 0) return;
    const byName = new Map(functions.map((f) => [f.name, f]));
    const end = now();
    const rows = names.map((n) => ({name: n, dlqQueueName: sqsQueueName(byName.get(n)!.deadLetterTargetArn)}));
    try {
      const answer = await fetchFleetMetrics(clients, rows, {start: end - FLEET_WINDOW_MS, end, periodSeconds: METRIC_PERIOD_MS / 1000});
      charge({getMetricDataCalls: answer.calls, metricQueries: answer.queries, insightsQueries: 0}, 0);
      for (const row of rows) {
        const snap = answer.byFunction.get(row.name) ?? null;
        const own = data.get(row.name);
        askedAt.set(row.name, end);
        if (snap) data.set(row.name, {figures: figuresFrom(snap, DLQ_DEPTH_KEY), figuresFrom: 'metrics', snapshot: snap, reserved: own?.reserved});
      }
      metricsAt = Math.max(metricsAt ?? end, end);
      version++;
      if (!stopped) notify();
    } catch {
      // the next refresh asks for them again (and reports the error through the poller)
    }
  }

  /** A fill once the rows on screen have been still for FILL_DEBOUNCE_MS (typing a filter or scrolling sends
   * nothing until it pauses: a fill's answer is work in this process that would delay the next key), or every
   * FILL_MAX_WAIT_MS while they keep changing (pages of the listing arriving). */
  let visibleChangedAt = 0;
  let fillWaitStart: number | null = null;
  const scheduleFill = () => {
    visibleChangedAt = wallNow();
    fillWaitStart ??= visibleChangedAt;
    if (fillTimer !== null || stopped) return;
    const arm = (ms: number) => {
      fillTimer = timers.setTimeout(() => {
        fillTimer = null;
        const at = wallNow();
        const quietFor = at - visibleChangedAt;
        // the first fill (nothing measured yet) goes at once: the first screen of rows is what the user waits for
        if (metricsAt !== null && quietFor < FILL_DEBOUNCE_MS && at - (fillWaitStart ?? at) < FILL_MAX_WAIT_MS) return arm(FILL_DEBOUNCE_MS - quietFor);
        fillWaitStart = null;
        if (filling) return;
        filling = fill().finally(() => {
          filling = null;
          if (missing().length) scheduleFill();
        });
      }, ms);
    };
    arm(metricsAt === null ? FIRST_FILL_MS : FILL_DEBOUNCE_MS);
  };

  const metrics: Poller<number> = createPoller({
    name: 'fleet-metrics',
    intervalMs: options.intervalMs,
    now,
    ...(options.timers ? {timers: options.timers} : {}),
    fetch: refreshMetrics,
    equals: (a, b) => a === b,
  });

  const buildRows = createRowBuilder(data, now);

  const build = (): FleetSnapshot => {
    const listed = listing.getSnapshot().data;
    const functions = known();
    return {
      listing: listing.getSnapshot(),
      metrics: metrics.getSnapshot(),
      rows: buildRows(functions, version),
      mode: modeNow(),
      lastRefresh,
      windowMs: FLEET_WINDOW_MS,
      intervalMs: options.intervalMs,
      loading: !listed && partial ? {listed: partial.length, expected} : null,
      metricsAt,
      periodMs: METRIC_PERIOD_MS,
      spend: {
        elapsedMs: spend.startedAt === null ? 0 : wallNow() - spend.startedAt,
        getMetricDataCalls: spend.getMetricDataCalls,
        metricQueries: spend.metricQueries,
        insightsQueries: spend.insightsQueries,
        insightsMetricsScanned: spend.insightsMetricsScanned,
        refreshes: spend.refreshes,
      },
    };
  };
  let snapshot = build();
  let lastListing = listing.getSnapshot();
  listing.subscribe(() => {
    const next = listing.getSnapshot();
    const firstList = lastListing.data === null && next.data !== null;
    if (next.data !== lastListing.data) {
      version++;
      if (next.data) partial = null;
    }
    lastListing = next;
    notify();
    if (firstList) {
      // the whole list is known: the rows a refresh wants (every row in 'per-row' mode) may not have metrics of
      // this period yet (listed after the last refresh, or asked in the other mode); a refresh in flight was asked
      // with the partial list, so ask again after it
      const stale = () => {
        const functions = known();
        const at = now();
        return modeNow() === 'per-row' && functions !== null && functions.some((f) => !fresh(f.name, at));
      };
      if (!metricsStarted) startMetrics();
      else if (stale()) void metrics.refreshNow().then(() => (stale() && !stopped ? metrics.refreshNow() : undefined));
      // rows on screen from the last pages may still want metrics
      if (missing().length) scheduleFill();
    }
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
      if (metricsStarted) metrics.start();
    },
    refreshNow() {
      forceNext = true;
      void metrics.refreshNow();
    },
    setVisible(names) {
      visible = [...names];
      // rows come into view without metrics of their own: ask for those rows only, once the screen is quiet
      if (missing().length) scheduleFill();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
  };
}

export const FLEET_QUERIES_PER_ROW = FLEET_FUNCTION_METRICS.length;

/** What a refresh of these rows asks for (rankings aside): FLEET_QUERIES_PER_ROW each, one more for a DLQ queue's
 * depth, as buildFleetQueries builds them; the help overlay's steady cost. */
export function refreshCostFor(rows: ReadonlyArray<{dlqQueueName: string | null}>): RefreshCost {
  const queries = rows.reduce((n, r) => n + FLEET_QUERIES_PER_ROW + (r.dlqQueueName ? 1 : 0), 0);
  return {getMetricDataCalls: callsFor(queries), metricQueries: queries, insightsQueries: 0};
}
