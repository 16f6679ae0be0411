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

/** What the fleet source's parts share: its settings, the rows' data and the bookkeeping of what was asked when. */
interface FleetContext {
  options: FleetSourceOptions;
  /** The clients, every Lambda call paced. */
  clients: AwsClients;
  now: () => number;
  wallNow: () => number;
  threshold: number;
  timers: Timers;
  data: Map<string, RowData>;
  /** Data-clock time each row's metrics were last asked for (answered or not: a row with no data points is not
   * asked again before the next period). */
  askedAt: Map<string, number>;
  visible: readonly string[];
  lastRefresh: RefreshCost | null;
  refreshCount: number;
  lastRankAt: number;
  lastFullAt: number;
  metricsAt: number | null;
  forceNext: boolean;
  stopped: boolean;
  metricsStarted: boolean;
  /** The first listing's pages so far (matching --functions), and the region's function count. */
  partial: FunctionSummary[] | null;
  expected: number | null;
  /** Bumped whenever a row's data or the list changes: the rows are rebuilt only then. */
  version: number;
  spend: {startedAt: number | null; getMetricDataCalls: number; metricQueries: number; insightsQueries: number; insightsMetricsScanned: number; refreshes: number};
  listeners: Set<() => void>;
  snapshot: FleetSnapshot | null;
  /** Set once the pollers exist (createFleetSource). */
  listing: Poller<FunctionSummary[]>;
  metrics: Poller<number>;
  build: () => FleetSnapshot;
}

function createContext(options: FleetSourceOptions): FleetContext {
  return {
    options,
    clients: withPacedLambda(options.clients, createLambdaPacer({ratePerSecond: options.lambdaCallsPerSecond ?? FLEET_LAMBDA_CALLS_PER_SECOND})),
    now: options.now,
    wallNow: options.wallNow ?? (() => Date.now()),
    threshold: options.insightsThreshold ?? INSIGHTS_THRESHOLD,
    timers: options.timers ?? {setTimeout: (f: () => void, ms: number) => setTimeout(f, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>)},
    data: new Map(),
    askedAt: new Map(),
    visible: [],
    lastRefresh: null,
    refreshCount: 0,
    lastRankAt: -Infinity,
    lastFullAt: -Infinity,
    metricsAt: null,
    forceNext: false,
    stopped: false,
    metricsStarted: false,
    partial: null,
    expected: null,
    version: 0,
    spend: {startedAt: null, getMetricDataCalls: 0, metricQueries: 0, insightsQueries: 0, insightsMetricsScanned: 0, refreshes: 0},
    listeners: new Set(),
    snapshot: null,
    listing: null as unknown as Poller<FunctionSummary[]>,
    metrics: null as unknown as Poller<number>,
    build: () => {
      throw new Error('fleet source: not built yet');
    },
  };
}

function notify(ctx: FleetContext): void {
  ctx.snapshot = ctx.build();
  for (const l of ctx.listeners) l();
}

function startMetrics(ctx: FleetContext): void {
  if (ctx.metricsStarted || ctx.stopped) return;
  ctx.metricsStarted = true;
  ctx.metrics.start();
}

/** Adds a refresh's or a fill's cost to what the metrics cost since the start. */
function charge(ctx: FleetContext, cost: RefreshCost, scanned: number): void {
  const spend = ctx.spend;
  spend.startedAt ??= ctx.wallNow();
  spend.getMetricDataCalls += cost.getMetricDataCalls;
  spend.metricQueries += cost.metricQueries;
  spend.insightsQueries += cost.insightsQueries;
  spend.insightsMetricsScanned += cost.insightsQueries * scanned;
}

/** The functions known: the listing, or its first pages while it runs. */
function known(ctx: FleetContext): FunctionSummary[] | null {
  return ctx.listing.getSnapshot().data ?? ctx.partial;
}

/** While listing, the mode the whole fleet will need: the region's count says, or (not known: GetAccountSettings
 * denied or not answered yet) the functions listed so far. */
function modeNow(ctx: FleetContext): FleetMode | null {
  const listed = ctx.listing.getSnapshot().data;
  if (listed) return listed.length > ctx.threshold ? 'insights' : 'per-row';
  if (!ctx.partial) return null;
  return (ctx.expected ?? 0) > ctx.threshold || ctx.partial.length > ctx.threshold ? 'insights' : 'per-row';
}

const fresh = (ctx: FleetContext, name: string, at: number): boolean => (ctx.askedAt.get(name) ?? -Infinity) > at - METRIC_PERIOD_MS;

/** ListFunctions every RELIST_MS: the first listing shown page by page as it comes, a re-listing replacing the list
 * when complete; the region's function count asked for once, beside the first. */
function createListing(ctx: FleetContext): Poller<FunctionSummary[]> {
  const {options, clients} = ctx;
  const listing: Poller<FunctionSummary[]> = createPoller({
    name: 'fleet-listing',
    intervalMs: RELIST_MS,
    now: ctx.now,
    ...(options.timers ? {timers: options.timers} : {}),
    fetch: async (signal) => {
      const first = listing.getSnapshot().data === null;
      if (first && ctx.expected === null) {
        getFunctionCount(clients, signal)
          .then((n) => {
            ctx.expected = n;
            if (!ctx.stopped) notify(ctx);
          })
          .catch(() => {});
      }
      const all = await listFunctions(clients, {
        signal,
        // the first listing is shown as it comes; a re-listing replaces the list when complete
        ...(first
          ? {
              onPage: (_: number, so: readonly FunctionSummary[]) => {
                ctx.partial = so.filter((f) => matchesPatterns(f.name, options.patterns));
                ctx.version++;
                notify(ctx);
                startMetrics(ctx);
              },
            }
          : {}),
      });
      return all.filter((f) => matchesPatterns(f.name, options.patterns));
    },
    equals: (a, b) => a.length === b.length && a.every((f, i) => f.name === b[i]!.name && f.deadLetterTargetArn === b[i]!.deadLetterTargetArn),
  });
  return listing;
}

/** The Metrics Insights rankings (RANKED), when due: the ranked figures by function name. Counts their cost. */
async function askRankings(ctx: FleetContext, window: {start: number; end: number; periodSeconds: number; signal: AbortSignal}, cost: RefreshCost): Promise<Map<string, Partial<FleetFigures>>> {
  const ranked = new Map<string, Partial<FleetFigures>>();
  ctx.lastRankAt = ctx.wallNow();
  for (const {metric, figure} of RANKED) {
    const top = await rankFleet(ctx.clients, metric, {limit: RANK_LIMIT, ...window});
    cost.getMetricDataCalls++;
    cost.insightsQueries++;
    for (const r of top) (ranked.get(r.name) ?? ranked.set(r.name, {}).get(r.name)!)[figure] = r.value;
  }
  return ranked;
}

/** Reserved concurrency for rows that got metrics, a few a refresh, once each (config rarely changes). */
async function readReservedConcurrency(ctx: FleetContext, rows: ReadonlyArray<{name: string}>, signal: AbortSignal): Promise<void> {
  let reads = 0;
  for (const row of rows) {
    const own = ctx.data.get(row.name);
    if (own?.reserved !== undefined || reads >= CONCURRENCY_READS_PER_REFRESH) continue;
    reads++;
    const reserved = await getReservedConcurrency(ctx.clients, row.name, signal).catch(() => undefined);
    ctx.data.set(row.name, {...(own ?? {figures: null, figuresFrom: null, snapshot: null}), reserved});
  }
}

/** Each row's own metrics from the answer; rows known only from a ranking (not on screen) get the ranked figures,
 * the rest unknown. */
function storeRefresh(ctx: FleetContext, rows: ReadonlyArray<{name: string}>, answer: {byFunction: ReadonlyMap<string, MetricsSnapshot>}, ranked: ReadonlyMap<string, Partial<FleetFigures>>, byName: ReadonlyMap<string, FunctionSummary>, end: number): void {
  for (const row of rows) {
    const snap = answer.byFunction.get(row.name) ?? null;
    const own = ctx.data.get(row.name);
    ctx.askedAt.set(row.name, end);
    ctx.data.set(row.name, {figures: snap ? figuresFrom(snap, DLQ_DEPTH_KEY) : null, figuresFrom: snap ? 'metrics' : null, snapshot: snap, reserved: own?.reserved});
  }
  for (const [name, partialFigures] of ranked) {
    if (answer.byFunction.has(name) || !byName.has(name)) continue;
    const own = ctx.data.get(name);
    ctx.data.set(name, {figures: {...EMPTY_FIGURES, ...partialFigures}, figuresFrom: 'ranking', snapshot: null, reserved: own?.reserved});
  }
}

/** The metrics poller's fetch: the rows a refresh wants (every row, or those on screen), the rankings when due, once
 * per metric period unless forced. Returns the refresh count (unchanged when nothing was asked). */
async function refreshMetrics(ctx: FleetContext, signal: AbortSignal): Promise<number> {
  const functions = known(ctx);
  if (!functions) throw new Error('waiting for the function list');
  const mode = modeNow(ctx)!;
  const end = ctx.now();
  const byName = new Map(functions.map((f) => [f.name, f]));
  const wanted = mode === 'per-row' ? functions : ctx.visible.map((n) => byName.get(n)).filter((f): f is FunctionSummary => f !== undefined);
  const rankDue = mode === 'insights' && ctx.wallNow() - ctx.lastRankAt >= RANK_EVERY_MS;
  // inside the metric period nothing new is published: ask only when forced (r), the rankings are due, or
  // rows on screen have no metrics of this period (a fill may not have run yet)
  const periodDue = end - ctx.lastFullAt >= METRIC_PERIOD_MS;
  if (!ctx.forceNext && !periodDue && !rankDue && wanted.every((f) => fresh(ctx, f.name, end))) return ctx.refreshCount;
  ctx.forceNext = false;
  const window = {start: end - FLEET_WINDOW_MS, end, periodSeconds: METRIC_PERIOD_MS / 1000, signal};
  const rows = wanted.map((f) => ({name: f.name, dlqQueueName: sqsQueueName(f.deadLetterTargetArn)}));
  const answer = await fetchFleetMetrics(ctx.clients, rows, window);
  const cost: RefreshCost = {getMetricDataCalls: answer.calls, metricQueries: answer.queries, insightsQueries: 0};
  const ranked = rankDue ? await askRankings(ctx, window, cost) : new Map<string, Partial<FleetFigures>>();
  await readReservedConcurrency(ctx, rows, signal);
  storeRefresh(ctx, rows, answer, ranked, byName, end);
  charge(ctx, cost, Math.min(10_000, functions.length));
  ctx.spend.refreshes++;
  ctx.lastRefresh = cost;
  ctx.lastFullAt = end;
  ctx.metricsAt = end;
  ctx.version++;
  return ++ctx.refreshCount;
}

interface Filler {
  /** The rows on screen (insights mode) with no metrics of their own and none asked for this period. */
  missing(): string[];
  /** A fill once the rows on screen have been still for a while (see createFiller). */
  schedule(): void;
  cancel(): void;
}

/** Metrics for the rows on screen that have none of their own yet (after scrolling, sorting, filtering, or rows
 * arriving with the listing's pages): a fill once the rows on screen have been still for FILL_DEBOUNCE_MS (typing a
 * filter or scrolling sends nothing until it pauses: a fill's answer is work in this process that would delay the
 * next key), or every FILL_MAX_WAIT_MS while they keep changing (pages of the listing arriving). */
function createFiller(ctx: FleetContext): Filler {
  // the names of the functions known, built once per list (setVisible asks at every key that moves the rows)
  const namesOf = new WeakMap<FunctionSummary[], Set<string>>();
  const missing = (): string[] => {
    const functions = known(ctx);
    if (!functions || modeNow(ctx) !== 'insights') return [];
    const at = ctx.now();
    let names = namesOf.get(functions);
    if (!names) namesOf.set(functions, (names = new Set(functions.map((f) => f.name))));
    return ctx.visible.filter((n) => names.has(n) && ctx.data.get(n)?.figuresFrom !== 'metrics' && !fresh(ctx, n, at));
  };

  async function fill(): Promise<void> {
    const functions = known(ctx);
    const names = missing();
    if (!functions || ctx.stopped || names.length === 0) return;
    const byName = new Map(functions.map((f) => [f.name, f]));
    const end = ctx.now();
    const rows = names.map((n) => ({name: n, dlqQueueName: sqsQueueName(byName.get(n)!.deadLetterTargetArn)}));
    try {
      const answer = await fetchFleetMetrics(ctx.clients, rows, {start: end - FLEET_WINDOW_MS, end, periodSeconds: METRIC_PERIOD_MS / 1000});
      charge(ctx, {getMetricDataCalls: answer.calls, metricQueries: answer.queries, insightsQueries: 0}, 0);
      for (const row of rows) {
        const snap = answer.byFunction.get(row.name) ?? null;
        const own = ctx.data.get(row.name);
        ctx.askedAt.set(row.name, end);
        if (snap) ctx.data.set(row.name, {figures: figuresFrom(snap, DLQ_DEPTH_KEY), figuresFrom: 'metrics', snapshot: snap, reserved: own?.reserved});
      }
      ctx.metricsAt = Math.max(ctx.metricsAt ?? end, end);
      ctx.version++;
      if (!ctx.stopped) notify(ctx);
    } catch {
      // the next refresh asks for them again (and reports the error through the poller)
    }
  }

  let fillTimer: unknown = null;
  let filling: Promise<void> | null = null;
  let visibleChangedAt = 0;
  let fillWaitStart: number | null = null;
  const schedule = (): void => {
    visibleChangedAt = ctx.wallNow();
    fillWaitStart ??= visibleChangedAt;
    if (fillTimer !== null || ctx.stopped) return;
    const arm = (ms: number): void => {
      fillTimer = ctx.timers.setTimeout(() => {
        fillTimer = null;
        const at = ctx.wallNow();
        const quietFor = at - visibleChangedAt;
        // the first fill (nothing measured yet) goes at once: the first screen of rows is what the user waits for
        if (ctx.metricsAt !== null && quietFor < FILL_DEBOUNCE_MS && at - (fillWaitStart ?? at) < FILL_MAX_WAIT_MS) return arm(FILL_DEBOUNCE_MS - quietFor);
        fillWaitStart = null;
        if (filling) return;
        filling = fill().finally(() => {
          filling = null;
          if (missing().length) schedule();
        });
      }, ms);
    };
    arm(ctx.metricsAt === null ? FIRST_FILL_MS : FILL_DEBOUNCE_MS);
  };
  return {
    missing,
    schedule,
    cancel() {
      if (fillTimer !== null) ctx.timers.clearTimeout(fillTimer);
    },
  };
}

function buildSnapshot(ctx: FleetContext, buildRows: ReturnType<typeof createRowBuilder>): FleetSnapshot {
  const listed = ctx.listing.getSnapshot().data;
  const functions = known(ctx);
  const spend = ctx.spend;
  return {
    listing: ctx.listing.getSnapshot(),
    metrics: ctx.metrics.getSnapshot(),
    rows: buildRows(functions, ctx.version),
    mode: modeNow(ctx),
    lastRefresh: ctx.lastRefresh,
    windowMs: FLEET_WINDOW_MS,
    intervalMs: ctx.options.intervalMs,
    loading: !listed && ctx.partial ? {listed: ctx.partial.length, expected: ctx.expected} : null,
    metricsAt: ctx.metricsAt,
    periodMs: METRIC_PERIOD_MS,
    spend: {
      elapsedMs: spend.startedAt === null ? 0 : ctx.wallNow() - spend.startedAt,
      getMetricDataCalls: spend.getMetricDataCalls,
      metricQueries: spend.metricQueries,
      insightsQueries: spend.insightsQueries,
      insightsMetricsScanned: spend.insightsMetricsScanned,
      refreshes: spend.refreshes,
    },
  };
}

/** The listing's updates: the rows rebuilt when the list changed; once the whole list is first known, metrics for
 * the rows that want them (a refresh in flight was asked with the partial list, so ask again after it), and a fill
 * for rows on screen from the last pages. */
function watchListing(ctx: FleetContext, filler: Filler): () => void {
  let lastListing = ctx.listing.getSnapshot();
  const stale = (): boolean => {
    const functions = known(ctx);
    const at = ctx.now();
    return modeNow(ctx) === 'per-row' && functions !== null && functions.some((f) => !fresh(ctx, f.name, at));
  };
  return () => {
    const next = ctx.listing.getSnapshot();
    const firstList = lastListing.data === null && next.data !== null;
    if (next.data !== lastListing.data) {
      ctx.version++;
      if (next.data) ctx.partial = null;
    }
    lastListing = next;
    notify(ctx);
    if (!firstList) return;
    if (!ctx.metricsStarted) startMetrics(ctx);
    else if (stale()) void ctx.metrics.refreshNow().then(() => (stale() && !ctx.stopped ? ctx.metrics.refreshNow() : undefined));
    if (filler.missing().length) filler.schedule();
  };
}

export function createFleetSource(options: FleetSourceOptions): FleetSource {
  const ctx = createContext(options);
  ctx.listing = createListing(ctx);
  const filler = createFiller(ctx);
  ctx.metrics = createPoller({
    name: 'fleet-metrics',
    intervalMs: options.intervalMs,
    now: options.now,
    ...(options.timers ? {timers: options.timers} : {}),
    fetch: (signal) => refreshMetrics(ctx, signal),
    equals: (a, b) => a === b,
  });
  const buildRows = createRowBuilder(ctx.data, options.now);
  ctx.build = () => buildSnapshot(ctx, buildRows);
  ctx.snapshot = ctx.build();
  ctx.listing.subscribe(watchListing(ctx, filler));
  ctx.metrics.subscribe(() => notify(ctx));

  return {
    start() {
      ctx.listing.start();
    },
    stop() {
      ctx.stopped = true;
      filler.cancel();
      ctx.listing.stop();
      ctx.metrics.stop();
    },
    pause() {
      ctx.metrics.stop();
    },
    resume() {
      if (ctx.metricsStarted) ctx.metrics.start();
    },
    refreshNow() {
      ctx.forceNext = true;
      void ctx.metrics.refreshNow();
    },
    setVisible(names) {
      ctx.visible = [...names];
      // rows come into view without metrics of their own: ask for those rows only, once the screen is quiet
      if (filler.missing().length) filler.schedule();
    },
    subscribe(listener) {
      ctx.listeners.add(listener);
      return () => ctx.listeners.delete(listener);
    },
    getSnapshot: () => ctx.snapshot!,
  };
}

export const FLEET_QUERIES_PER_ROW = FLEET_FUNCTION_METRICS.length;

/** What a refresh of these rows asks for (rankings aside): FLEET_QUERIES_PER_ROW each, one more for a DLQ queue's
 * depth, as buildFleetQueries builds them; the help overlay's steady cost. */
export function refreshCostFor(rows: ReadonlyArray<{dlqQueueName: string | null}>): RefreshCost {
  const queries = rows.reduce((n, r) => n + FLEET_QUERIES_PER_ROW + (r.dlqQueueName ? 1 : 0), 0);
  return {getMetricDataCalls: callsFor(queries), metricQueries: queries, insightsQueries: 0};
}
