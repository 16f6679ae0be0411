// Metrics: every series the dashboard draws, in ONE GetMetricData call per refresh.
// buildMetricQueries is pure (which series, under which ids); fetchMetrics sends them and turns the
// answer into a MetricsSnapshot: ascending points, no invented zeros, per-series status, and the
// newest (incomplete) point marked.
import type {MetricDataQuery, MetricDataResult} from '@aws-sdk/client-cloudwatch';
import type {AwsClients} from './clients.ts';
import {readsFor} from './sdk-reads.ts';
import {call} from './call.ts';
import type {AwsCallError} from './errors.ts';
import {ACCOUNT_METRICS, DESTINATION_METRICS, destinationMetricKey, FUNCTION_METRICS, QUEUE_METRICS, queueMetricKey, type FunctionTopology, type MetricSeries, type MetricsSnapshot} from '../domain/types.ts';

export interface MetricQuery {
  /** CloudWatch query id: ^[a-z][a-zA-Z0-9_]*$, unique within the call. */
  id: string;
  /** The key in MetricsSnapshot.series (types.ts contract). */
  key: string;
  namespace: string;
  metricName: string;
  /** Dimension name -> value. Empty = account/region level. */
  dimensions: Record<string, string>;
  stat: string;
  unit: string;
  periodSeconds: number;
}

/** GetMetricData accepts at most this many queries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** How long CloudWatch keeps adding data to a period after it ends: a period is complete only once it ended at
 * least this long ago; newer ones are "filling" (a minute that ended 1 minute ago still grew from 60 to 111).
 * The simulator publishes each 10-second slice 60-120 s after it ends, like CloudWatch's usual lag. */
export const METRICS_SETTLE_MS = 180_000;

const PERIOD_STEPS = [60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** The period for a window: 60 s up to 3 hours, then the smallest standard period keeping points <= 360. */
export function choosePeriodSeconds(windowMs: number): number {
  const windowSeconds = Math.max(60, Math.ceil(windowMs / 1000));
  if (windowSeconds <= 3 * 3600) return 60;
  const wanted = windowSeconds / 360;
  return PERIOD_STEPS.find((step) => step >= wanted) ?? Math.ceil(wanted / 86_400) * 86_400;
}

function queryId(index: number, key: string): string {
  const slug = key.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
  return `m${index}${slug ? `_${slug}` : ''}`;
}

/** Every FUNCTION_METRICS + ACCOUNT_METRICS series, QUEUE_METRICS for each distinct queue name, and
 * DESTINATION_METRICS for each Lambda destination function (`options.destinations`). */
export function buildMetricQueries(
  topology: Pick<FunctionTopology, 'name' | 'qualifier'>,
  queues: ReadonlyArray<{name: string}>,
  options: {periodSeconds: number; destinations?: readonly string[]},
): MetricQuery[] {
  const periodSeconds = options.periodSeconds;
  // CloudWatch's Resource dimension for a version or alias is "<function>:<qualifier>" (as CDK builds it).
  const functionDimensions: Record<string, string> = topology.qualifier
    ? {FunctionName: topology.name, Resource: `${topology.name}:${topology.qualifier}`}
    : {FunctionName: topology.name};
  const specs: Array<Omit<MetricQuery, 'id'>> = [];
  for (const metric of FUNCTION_METRICS) {
    specs.push({key: metric.key, namespace: 'AWS/Lambda', metricName: metric.metricName, dimensions: functionDimensions, stat: metric.stat, unit: metric.unit, periodSeconds});
  }
  for (const metric of ACCOUNT_METRICS) {
    specs.push({key: metric.key, namespace: 'AWS/Lambda', metricName: metric.metricName, dimensions: {}, stat: metric.stat, unit: metric.unit, periodSeconds});
  }
  const seen = new Set<string>();
  for (const queue of queues) {
    if (!queue.name || seen.has(queue.name)) continue;
    seen.add(queue.name);
    for (const metric of QUEUE_METRICS) {
      specs.push({
        key: queueMetricKey(queue.name, metric.metricName),
        namespace: 'AWS/SQS',
        metricName: metric.metricName,
        dimensions: {QueueName: queue.name},
        stat: metric.stat,
        unit: metric.unit,
        periodSeconds,
      });
    }
  }
  for (const name of new Set(options.destinations ?? [])) {
    for (const metric of DESTINATION_METRICS) {
      specs.push({key: destinationMetricKey(name, metric.key), namespace: 'AWS/Lambda', metricName: metric.metricName, dimensions: {FunctionName: name}, stat: metric.stat, unit: metric.unit, periodSeconds});
    }
  }
  return specs.map((spec, index) => ({id: queryId(index, spec.key), ...spec, dimensions: {...spec.dimensions}}));
}

function toSdkQuery(query: MetricQuery, periodSeconds: number): MetricDataQuery {
  return {
    Id: query.id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: query.namespace,
        MetricName: query.metricName,
        Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({Name, Value})),
      },
      Period: periodSeconds,
      Stat: query.stat,
      // No Unit: CloudWatch would filter data points by it, and a mismatch silently returns nothing.
    },
  };
}

export interface FetchMetricsOptions {
  /** Window start and end, epoch ms (end is normally "now" of the injected clock). */
  start: number;
  end: number;
  periodSeconds: number;
  signal?: AbortSignal;
  /** Bound on NextToken pages per call (default 20). */
  maxPages?: number;
}

/** Percentile / extended statistics (p99, tm90, ...): some endpoints fail the whole call on them. */
export function isExtendedStat(stat: string): boolean {
  return !['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'].includes(stat);
}

/** Status given to series an endpoint could not compute (its GetMetricData failed on their statistic):
 * CloudWatch's own word for a series it failed to compute, which every consumer already treats as unknown. */
export const UNSUPPORTED_STATUS = 'InternalError';

// Endpoints (per clients object) that failed GetMetricData because of extended statistics: later refreshes
// leave those series out from the start, so a refresh stays one call.
const extendedStatsRejected = new WeakMap<AwsClients, string>();

/** Per query id: its points in the order the pages gave them (time, value; a later one for the same time wins). */
type Merged = Map<string, {points: Array<[number, number]>; status: string | null}>;

/** The points by time, each time once with the last value given for it (as a Map keyed by time would keep it). An
 * answer asked for TimestampAscending is in order already: then it is taken as it is, with no map or sort. */
export function pointsByTime(points: Array<[number, number]>): Array<[number, number]> {
  let ascending = true;
  for (let i = 1; i < points.length; i++) {
    if (!(points[i]![0] > points[i - 1]![0])) {
      ascending = false;
      break;
    }
  }
  if (ascending) return points;
  const byTime = new Map<number, number>();
  for (let i = 0; i < points.length; i++) byTime.set(points[i]![0], points[i]![1]);
  const sorted: Array<[number, number]> = [];
  byTime.forEach((value, time) => sorted.push([time, value]));
  return sorted.sort((a, b) => a[0] - b[0]);
}

/** One GetMetricData call (more only beyond 500 queries), following NextToken. */
export async function fetchMetrics(clients: AwsClients, queries: readonly MetricQuery[], options: FetchMetricsOptions): Promise<MetricsSnapshot> {
  const periodSeconds = Math.max(60, Math.round(options.periodSeconds / 60) * 60);
  const periodMs = periodSeconds * 1000;
  // Period-aligned bounds: CloudWatch answers faster and buckets line up with the period
  // (moto, for one, buckets from StartTime).
  const start = Math.floor(options.start / periodMs) * periodMs;
  const end = Math.max(start + periodMs, Math.ceil(options.end / periodMs) * periodMs);
  const maxPages = options.maxPages ?? 20;

  const byId: Merged = new Map();
  const unsupported = new Map<string, string>();
  const rejected = extendedStatsRejected.get(clients);
  const asked = rejected ? queries.filter((q) => !isExtendedStat(q.stat)) : [...queries];
  if (rejected) for (const q of queries) if (isExtendedStat(q.stat)) unsupported.set(q.id, rejected);

  for (let offset = 0; offset < asked.length; offset += MAX_QUERIES_PER_CALL) {
    const chunk = asked.slice(offset, offset + MAX_QUERIES_PER_CALL);
    try {
      await fetchChunk(clients, chunk, {start, end, periodSeconds, maxPages, signal: options.signal}, byId);
    } catch (error) {
      // Some emulators (moto) fail the whole call on percentile statistics. Ask again without them, once,
      // and report those series as unsupported instead of losing every series.
      const extended = chunk.filter((q) => isExtendedStat(q.stat));
      const kind = (error as AwsCallError).kind;
      if (extended.length === 0 || kind === 'access-denied' || kind === 'throttled' || kind === 'network' || kind === 'no-credentials' || options.signal?.aborted) throw error;
      const basic = chunk.filter((q) => !isExtendedStat(q.stat));
      await fetchChunk(clients, basic, {start, end, periodSeconds, maxPages, signal: options.signal}, byId);
      const reason = `the endpoint failed on percentile statistics (${(error as Error).message})`;
      extendedStatsRejected.set(clients, reason);
      for (const q of extended) unsupported.set(q.id, reason);
    }
  }

  const fillingFrom = fillingStart(start, periodMs, options.end);
  const series: Record<string, MetricSeries> = {};
  for (const query of queries) {
    const merged = byId.get(query.id);
    const points = merged ? pointsByTime(merged.points) : [];
    const filling = points.find((p) => p[0] >= fillingFrom);
    series[query.key] = {
      key: query.key,
      namespace: query.namespace,
      metricName: query.metricName,
      stat: query.stat,
      points,
      partialFrom: filling ? filling[0] : null,
      status: unsupported.has(query.id) ? UNSUPPORTED_STATUS : (merged?.status ?? null),
      unit: query.unit,
    };
  }
  return {periodSeconds, start, end, fillingFrom, series};
}

/** The start of the first period (aligned on `start`) that has not settled at `now`: period p is complete when
 * p + period <= now - METRICS_SETTLE_MS. */
export function fillingStart(start: number, periodMs: number, now: number): number {
  const k = Math.max(0, Math.floor((now - METRICS_SETTLE_MS - start) / periodMs));
  return start + k * periodMs;
}

async function fetchChunk(
  clients: AwsClients,
  chunk: readonly MetricQuery[],
  window: {start: number; end: number; periodSeconds: number; maxPages: number; signal: AbortSignal | undefined},
  byId: Merged,
): Promise<void> {
  if (chunk.length === 0) return;
  // Pages are merged into a local map first, so that a failure halfway leaves byId untouched.
  const local: Merged = new Map();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const input = {
      MetricDataQueries: chunk.map((q) => toSdkQuery(q, window.periodSeconds)),
      StartTime: new Date(window.start),
      EndTime: new Date(window.end),
      ScanBy: 'TimestampAscending' as const,
      ...(nextToken ? {NextToken: nextToken} : {}),
    };
    const response = await call(clients, {action: 'cloudwatch:GetMetricData', ...(window.signal ? {signal: window.signal} : {})}, (o) =>
      readsFor(clients).getMetricData(input, o),
    );
    for (const result of response.MetricDataResults ?? []) mergeResult(local, result);
    nextToken = response.NextToken || undefined;
    pages++;
  } while (nextToken && pages < window.maxPages);
  for (const [id, entry] of local) byId.set(id, entry);
}

function mergeResult(byId: Merged, result: MetricDataResult): void {
  if (!result.Id) return;
  let entry = byId.get(result.Id);
  if (!entry) {
    entry = {points: [], status: null};
    byId.set(result.Id, entry);
  }
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  for (let i = 0; i < timestamps.length && i < values.length; i++) {
    const time = timestamps[i] instanceof Date ? timestamps[i]!.getTime() : new Date(timestamps[i] as unknown as string).getTime();
    const value = values[i]!;
    if (Number.isFinite(time) && typeof value === 'number' && Number.isFinite(value)) entry.points.push([time, value]);
  }
  // The last page's status stands (earlier pages say PartialData while NextToken continues).
  if (result.StatusCode) entry.status = result.StatusCode;
}
