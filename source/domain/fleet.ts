// The fleet view's pure logic: a row's figures from its metrics, its health mark, sorting and filtering.
// No I/O. Unknown stays null (shown as "–"), never 0.
import {diagnose} from './diagnose.ts';
import type {MetricsSnapshot, Severity} from './types.ts';

export interface FleetFigures {
  /** Sums over the settled part of the window (null: no data points, i.e. not known). */
  invocations: number | null;
  errors: number | null;
  throttles: number | null;
  dropped: number | null;
  /** Maximum AsyncEventAge over the window, ms. */
  ageMaxMs: number | null;
  /** Maximum ConcurrentExecutions over the window. */
  concurrency: number | null;
  /** The DLQ's visible messages (latest point of the AWS/SQS metric); null when none or not known. */
  dlqDepth: number | null;
}

export type Health = 'critical' | 'warning' | 'ok' | 'unknown';

export interface FleetRow {
  name: string;
  dlqQueueName: string | null;
  /** null = unreserved, undefined = not read yet */
  reserved: number | null | undefined;
  figures: FleetFigures | null;
  /** Where the figures come from: the rows' own GetMetricData, or only an Insights ranking. */
  figuresFrom: 'metrics' | 'ranking' | null;
  health: Health;
  /** The first finding's title (or the rule that set the mark), plain words. */
  reason: string | null;
}

export const EMPTY_FIGURES: FleetFigures = {invocations: null, errors: null, throttles: null, dropped: null, ageMaxMs: null, concurrency: null, dlqDepth: null};

function settled(snapshot: MetricsSnapshot, key: string): Array<[number, number]> | null {
  const s = snapshot.series[key];
  if (!s || s.points.length === 0) return null;
  const from = snapshot.fillingFrom ?? s.partialFrom ?? Infinity;
  const points = s.points.filter(([t]) => t < from);
  return points.length ? points : null;
}

const sum = (points: Array<[number, number]> | null): number | null => (points ? points.reduce((n, [, v]) => n + v, 0) : null);
const max = (points: Array<[number, number]> | null): number | null => (points ? Math.max(...points.map(([, v]) => v)) : null);

export function figuresFrom(snapshot: MetricsSnapshot, dlqKey: string): FleetFigures {
  const dlq = snapshot.series[dlqKey];
  return {
    invocations: sum(settled(snapshot, 'Invocations')),
    errors: sum(settled(snapshot, 'Errors')),
    throttles: sum(settled(snapshot, 'Throttles')),
    dropped: sum(settled(snapshot, 'AsyncEventsDropped')),
    ageMaxMs: max(settled(snapshot, 'AsyncEventAge.max')),
    concurrency: max(settled(snapshot, 'ConcurrentExecutions')),
    dlqDepth: dlq && dlq.points.length ? dlq.points[dlq.points.length - 1]![1] : null,
  };
}

const RANK: Record<Health, number> = {critical: 0, warning: 1, ok: 2, unknown: 3};
const SEVERITY_HEALTH: Record<Severity, Health> = {critical: 'critical', warning: 'warning', info: 'ok'};
/** Findings diagnose() gives without a topology that say nothing about the function's own trouble. */
const NOT_A_MARK = new Set(['all-clear', 'cannot-check', 'metrics-unknown']);
const AGE_WARNING_MS = 5 * 60_000;

/** The health mark: the figures' own rules (dropped events, throttles, error share, event age), and the
 * metric rules of diagnose() when the row has its own metrics (cheap: no topology, no queues). */
export function healthOf(figures: FleetFigures | null, snapshot: MetricsSnapshot | null, now: number): {health: Health; reason: string | null} {
  if (!figures) return {health: 'unknown', reason: null};
  const marks: Array<{health: Health; reason: string}> = [];
  if ((figures.dropped ?? 0) > 0) marks.push({health: 'critical', reason: `${figures.dropped} async events dropped`});
  const errorShare = figures.invocations ? (figures.errors ?? 0) / figures.invocations : null;
  if (errorShare !== null && errorShare >= 0.5) marks.push({health: 'critical', reason: `${Math.round(errorShare * 100)}% of invocations fail`});
  else if (errorShare !== null && errorShare >= 0.05) marks.push({health: 'warning', reason: `${Math.round(errorShare * 100)}% of invocations fail`});
  if ((figures.throttles ?? 0) > 0) marks.push({health: 'warning', reason: `${figures.throttles} throttles`});
  if ((figures.ageMaxMs ?? 0) >= AGE_WARNING_MS) marks.push({health: 'warning', reason: `events wait up to ${Math.round(figures.ageMaxMs! / 60_000)} min`});
  if ((figures.dlqDepth ?? 0) > 0) marks.push({health: 'warning', reason: `${figures.dlqDepth} messages in the DLQ`});
  if (snapshot) {
    for (const f of diagnose({topology: null, metrics: snapshot, queues: [], now})) {
      if (!NOT_A_MARK.has(f.id)) marks.push({health: SEVERITY_HEALTH[f.severity], reason: f.title});
    }
  }
  const known = Object.values(figures).some((v) => v !== null);
  if (marks.length === 0) return known ? {health: 'ok', reason: null} : {health: 'unknown', reason: 'no data in the window'};
  marks.sort((a, b) => RANK[a.health] - RANK[b.health]);
  return marks[0]!;
}

export const FLEET_SORT_KEYS = ['health', 'name', 'invocations', 'errors', 'throttles', 'age', 'dropped', 'concurrency', 'dlq'] as const;
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];

export function nextSortKey(key: FleetSortKey): FleetSortKey {
  return FLEET_SORT_KEYS[(FLEET_SORT_KEYS.indexOf(key) + 1) % FLEET_SORT_KEYS.length]!;
}

const FIGURE: Partial<Record<FleetSortKey, keyof FleetFigures>> = {invocations: 'invocations', errors: 'errors', throttles: 'throttles', age: 'ageMaxMs', dropped: 'dropped', concurrency: 'concurrency', dlq: 'dlqDepth'};

/** A number saying how bad a row is (for "most critical first" within one health mark). */
function trouble(f: FleetFigures | null): number {
  if (!f) return -1;
  return (f.dropped ?? 0) * 1e6 + (f.throttles ?? 0) * 1e3 + (f.errors ?? 0) + (f.ageMaxMs ?? 0) / 1e3;
}

const byName = (a: FleetRow, b: FleetRow): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The rows in name order (the tie-break of every sort): sort once per listing and pass it to sortRows. */
export function sortByName(rows: readonly FleetRow[]): FleetRow[] {
  return [...rows].sort(byName);
}

/** The number a row sorts by under `key` (lower first): health = most critical first; figures = highest first;
 * unknown always last. */
function primaryOf(row: FleetRow, key: FleetSortKey, figure: keyof FleetFigures | undefined): number {
  if (key === 'health') return RANK[row.health] * 1e15 - Math.min(trouble(row.figures), 1e14);
  const v = row.figures?.[figure!] ?? null;
  return v === null ? Infinity : -v;
}

/** Rows sorted by `key`: health = most critical first; figures = highest first; unknown always last; ties by name.
 * `nameOrder` (the same rows in name order, from sortByName) saves the string comparisons: the sort is then a
 * stable numeric sort of it (V8's sort is stable), so ties keep name order. */
export function sortRows(rows: readonly FleetRow[], key: FleetSortKey, nameOrder?: readonly FleetRow[]): FleetRow[] {
  const named = nameOrder && nameOrder.length === rows.length ? nameOrder : sortByName(rows);
  if (key === 'name') return [...named];
  const figure = FIGURE[key];
  const primary = new Float64Array(named.length);
  const order = new Array<number>(named.length);
  for (let i = 0; i < named.length; i++) {
    primary[i] = primaryOf(named[i]!, key, figure);
    order[i] = i;
  }
  order.sort((a, b) => (primary[a]! < primary[b]! ? -1 : primary[a]! > primary[b]! ? 1 : a - b));
  return order.map((i) => named[i]!);
}

/** The filter as a case-insensitive regex; an invalid one says why instead of throwing. */
export function compileFilter(text: string): {regex: RegExp | null; error: string | null} {
  if (!text) return {regex: null, error: null};
  try {
    return {regex: new RegExp(text, 'i'), error: null};
  } catch (error) {
    return {regex: null, error: `invalid regex: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`};
  }
}

export function filterRows(rows: readonly FleetRow[], regex: RegExp | null): FleetRow[] {
  return regex ? rows.filter((r) => regex.test(r.name)) : [...rows];
}

/** --functions patterns: exact names, or prefixes ending in '*'. */
export function matchesPatterns(name: string, patterns: readonly string[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

/** The queue name of an SQS ARN (a DLQ from the listing); null for SNS or anything else. */
export function sqsQueueName(arn: string | null): string | null {
  const m = arn ? /^arn:[^:]+:sqs:[^:]*:[^:]*:(.+)$/.exec(arn) : null;
  return m ? m[1]! : null;
}

/** Estimated cost of a refresh: $0.01 per 1,000 metrics requested (public price, unconfirmed). */
export function refreshCost(metricsPerRefresh: number, refreshesPerHour: number): {perHour: number} {
  return {perHour: (metricsPerRefresh * refreshesPerHour * 0.01) / 1000};
}
