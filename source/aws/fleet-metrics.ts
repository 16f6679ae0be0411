// The fleet view's metrics: a few series per function for the rows on screen, batched into GetMetricData calls
// of at most 500 queries (fetchMetrics does the batching), and Metrics Insights rankings ("the 50 functions with
// the most throttles") for fleets too large to ask row by row.
import {GetMetricDataCommand} from './sdk/cloudwatch.ts';
import type {AwsClients} from './clients.ts';
import {call} from './call.ts';
import {MAX_QUERIES_PER_CALL, fetchMetrics, type MetricQuery} from './metrics.ts';
import {FUNCTION_METRICS, type MetricsSnapshot, type MetricSeries} from '../domain/types.ts';

/** The series each fleet row asks for, keyed as FUNCTION_METRICS keys them (so diagnose() reads them), plus the
 * DLQ's visible depth from AWS/SQS when the listing names a DLQ queue. */
const FLEET_KEYS: readonly string[] = ['Invocations', 'Errors', 'Throttles', 'AsyncEventAge.max', 'AsyncEventsDropped', 'ConcurrentExecutions'];
export const FLEET_FUNCTION_METRICS = FUNCTION_METRICS.filter((m) => FLEET_KEYS.includes(m.key));
export const DLQ_DEPTH_KEY = 'dlq:ApproximateNumberOfMessagesVisible';

export interface FleetMetricsRow {
  name: string;
  /** The DLQ's queue name (from ListFunctions' DeadLetterConfig), when it is an SQS queue. */
  dlqQueueName: string | null;
}

/** Queries for these rows: FLEET_FUNCTION_METRICS each, and the DLQ depth where there is a DLQ queue. */
export function buildFleetQueries(rows: readonly FleetMetricsRow[], periodSeconds: number): MetricQuery[] {
  const out: MetricQuery[] = [];
  rows.forEach((row, i) => {
    FLEET_FUNCTION_METRICS.forEach((m, j) => {
      out.push({id: `r${i}_${j}`, key: `${row.name}\u0000${m.key}`, namespace: 'AWS/Lambda', metricName: m.metricName, dimensions: {FunctionName: row.name}, stat: m.stat, unit: m.unit, periodSeconds});
    });
    if (row.dlqQueueName) {
      out.push({id: `r${i}_q`, key: `${row.name}\u0000${DLQ_DEPTH_KEY}`, namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: {QueueName: row.dlqQueueName}, stat: 'Maximum', unit: 'Count', periodSeconds});
    }
  });
  return out;
}

/** GetMetricData calls a set of queries takes. */
export const callsFor = (queries: number): number => Math.ceil(queries / MAX_QUERIES_PER_CALL);

export interface FleetMetricsAnswer {
  /** Per function, a MetricsSnapshot of its own series (keys as FLEET_FUNCTION_METRICS, and DLQ_DEPTH_KEY). */
  byFunction: Map<string, MetricsSnapshot>;
  queries: number;
  calls: number;
}

export async function fetchFleetMetrics(
  clients: AwsClients,
  rows: readonly FleetMetricsRow[],
  window: {start: number; end: number; periodSeconds: number; signal?: AbortSignal},
): Promise<FleetMetricsAnswer> {
  const queries = buildFleetQueries(rows, window.periodSeconds);
  const byFunction = new Map<string, MetricsSnapshot>();
  if (queries.length === 0) return {byFunction, queries: 0, calls: 0};
  const snapshot = await fetchMetrics(clients, queries, {start: window.start, end: window.end, periodSeconds: window.periodSeconds, ...(window.signal ? {signal: window.signal} : {})});
  for (const [key, series] of Object.entries(snapshot.series)) {
    const cut = key.indexOf('\u0000');
    const name = key.slice(0, cut);
    let own = byFunction.get(name);
    if (!own) {
      own = {periodSeconds: snapshot.periodSeconds, start: snapshot.start, end: snapshot.end, ...(snapshot.fillingFrom !== undefined ? {fillingFrom: snapshot.fillingFrom} : {}), series: {}};
      byFunction.set(name, own);
    }
    const short = key.slice(cut + 1);
    own.series[short] = {...series, key: short} satisfies MetricSeries;
  }
  return {byFunction, queries: queries.length, calls: callsFor(queries.length)};
}

export type RankMetric = 'Throttles' | 'Errors' | 'AsyncEventsDropped' | 'AsyncEventAge';

/** The Insights query ranking functions by one metric: SUM for counts, MAX for the event age. */
export function rankingQuery(metric: RankMetric, limit: number): string {
  const fn = metric === 'AsyncEventAge' ? 'MAX' : 'SUM';
  return `SELECT ${fn}(${metric}) FROM SCHEMA("AWS/Lambda", FunctionName) GROUP BY FunctionName ORDER BY ${fn}() DESC LIMIT ${limit}`;
}

export interface Ranked {
  name: string;
  /** The metric over the window: sum of counts, or the maximum age (ms). */
  value: number;
}

/** One Metrics Insights query (one GetMetricData call): the top `limit` functions by `metric`, highest first.
 * The window must lie within the last 3 hours (Insights' limit). */
export async function rankFleet(
  clients: AwsClients,
  metric: RankMetric,
  options: {limit: number; start: number; end: number; periodSeconds: number; signal?: AbortSignal},
): Promise<Ranked[]> {
  const periodMs = options.periodSeconds * 1000;
  const start = Math.floor(options.start / periodMs) * periodMs;
  const end = Math.max(start + periodMs, Math.ceil(options.end / periodMs) * periodMs);
  const response = await call(clients, {action: 'cloudwatch:GetMetricData', ...(options.signal ? {signal: options.signal} : {})}, (o) =>
    clients.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{Id: 'rank', Expression: rankingQuery(metric, options.limit), Period: options.periodSeconds, ReturnData: true}],
        StartTime: new Date(start),
        EndTime: new Date(end),
        ScanBy: 'TimestampAscending',
      }),
      o,
    ),
  );
  const out: Ranked[] = [];
  for (const r of response.MetricDataResults ?? []) {
    if (!r.Label || r.Id !== 'rank') continue;
    const values = (r.Values ?? []).filter((v) => Number.isFinite(v));
    if (values.length === 0) continue;
    out.push({name: r.Label, value: metric === 'AsyncEventAge' ? Math.max(...values) : values.reduce((a, b) => a + b, 0)});
  }
  return out;
}
