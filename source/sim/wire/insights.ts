// CloudWatch Metrics Insights, the subset the fleet view uses, answered from the world's metric store:
//   SELECT SUM|MAX|MIN|AVG|COUNT(Metric) FROM SCHEMA("Namespace", Dim[, Dim...])
//     [WHERE Dim = 'v' | Dim != 'v' | Dim LIKE 'pre%' [AND ...]]
//     [GROUP BY Dim] [ORDER BY SUM|MAX|MIN|AVG|COUNT() [ASC|DESC]] [LIMIT n]
// As CloudWatch does: SCHEMA(...) matches the series whose dimension set is exactly the listed one; at most
// 10,000 series are scanned (the answer is then PartialData); at most 500 series come back (LIMIT <= 500);
// each group is one result with the query's Id and the group's value as its Label; ORDER BY ranks by the
// function over the whole time range; only the most recent 3 hours can be queried.
import type {LambdaWorld} from '../ports.ts';

export const INSIGHTS_MAX_SCANNED = 10_000;
export const INSIGHTS_MAX_SERIES = 500;
export const INSIGHTS_MAX_RANGE_MS = 3 * 3600_000;

export class InsightsError extends Error {}

const STATS: Record<string, string> = {SUM: 'Sum', MAX: 'Maximum', MIN: 'Minimum', AVG: 'Average', COUNT: 'SampleCount'};

export interface InsightsQuery {
  fn: string;
  metricName: string;
  namespace: string;
  schemaDimensions: string[];
  where: Array<{dimension: string; op: '=' | '!=' | 'LIKE'; value: string}>;
  groupBy: string | null;
  orderBy: {fn: string; descending: boolean} | null;
  limit: number;
}

export function isInsightsQuery(expression: string): boolean {
  return /^\s*SELECT\b/i.test(expression);
}

const IDENT = String.raw`(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_.\-/]*)`;
const unquote = (s: string): string => (s.startsWith('"') ? s.slice(1, -1) : s);

export function parseInsights(expression: string): InsightsQuery {
  const text = expression.trim().replace(/\s+/g, ' ');
  const head = new RegExp(String.raw`^SELECT (\w+)\((${IDENT})\) FROM SCHEMA\((${IDENT})((?:, ?${IDENT})*)\)(.*)$`, 'i').exec(text);
  if (!head) throw new InsightsError(`the simulator's Metrics Insights understands SELECT FN(Metric) FROM SCHEMA("Namespace", Dim) [WHERE] [GROUP BY] [ORDER BY] [LIMIT]; got: ${expression}`);
  const fn = head[1]!.toUpperCase();
  if (!STATS[fn]) throw new InsightsError(`unsupported function ${head[1]}(): use SUM, MAX, MIN, AVG or COUNT`);
  const schemaDimensions = head[4]!.split(',').map((s) => unquote(s.trim())).filter(Boolean);
  let rest = head[5]!.trim();
  const where: InsightsQuery['where'] = [];
  const whereMatch = /^WHERE (.*?)(?= GROUP BY | ORDER BY | LIMIT |$)/i.exec(rest);
  if (whereMatch) {
    for (const part of whereMatch[1]!.split(/ AND /i)) {
      const m = new RegExp(String.raw`^(${IDENT}) ?(=|!=|LIKE) ?'([^']*)'$`, 'i').exec(part.trim());
      if (!m) throw new InsightsError(`unsupported WHERE clause: ${part.trim()}`);
      where.push({dimension: unquote(m[1]!), op: m[2]!.toUpperCase() as '=' | '!=' | 'LIKE', value: m[3]!});
    }
    rest = rest.slice(whereMatch[0].length).trim();
  }
  let groupBy: string | null = null;
  const g = new RegExp(String.raw`^GROUP BY (${IDENT})`, 'i').exec(rest);
  if (g) {
    groupBy = unquote(g[1]!);
    if (!schemaDimensions.includes(groupBy)) throw new InsightsError(`GROUP BY ${groupBy}: not a dimension of the SCHEMA`);
    rest = rest.slice(g[0].length).trim();
  }
  let orderBy: InsightsQuery['orderBy'] = null;
  const o = /^ORDER BY (\w+)\(\)(?: (ASC|DESC))?/i.exec(rest);
  if (o) {
    const ofn = o[1]!.toUpperCase();
    if (!STATS[ofn]) throw new InsightsError(`unsupported ORDER BY function ${o[1]}()`);
    orderBy = {fn: ofn, descending: (o[2] ?? 'ASC').toUpperCase() === 'DESC'};
    rest = rest.slice(o[0].length).trim();
  }
  let limit = INSIGHTS_MAX_SERIES;
  const l = /^LIMIT (\d+)/i.exec(rest);
  if (l) {
    limit = Number(l[1]);
    if (limit < 1 || limit > INSIGHTS_MAX_SERIES) throw new InsightsError(`LIMIT must be between 1 and ${INSIGHTS_MAX_SERIES}`);
    rest = rest.slice(l[0].length).trim();
  }
  if (rest) throw new InsightsError(`unexpected "${rest}"`);
  return {fn, metricName: unquote(head[2]!), namespace: unquote(head[3]!), schemaDimensions, where, groupBy, orderBy, limit};
}

function matches(value: string | undefined, clause: InsightsQuery['where'][number]): boolean {
  if (value === undefined) return false;
  if (clause.op === '=') return value === clause.value;
  if (clause.op === '!=') return value !== clause.value;
  const re = new RegExp(`^${clause.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`);
  return re.test(value);
}

function reduce(fn: string, values: number[]): number {
  if (fn === 'MAX') return Math.max(...values);
  if (fn === 'MIN') return Math.min(...values);
  if (fn === 'AVG') return values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, b) => a + b, 0);
}

export interface InsightsSeries {
  label: string;
  points: Array<[number, number]>;
}

export interface InsightsAnswer {
  series: InsightsSeries[];
  /** More series matched than a query may scan: only the first INSIGHTS_MAX_SCANNED were. */
  truncated: boolean;
}

/** Runs a parsed query over [start, end) at `periodSeconds`. */
export function runInsights(world: LambdaWorld, q: InsightsQuery, window: {start: number; end: number; periodSeconds: number}): InsightsAnswer {
  const wanted = [...q.schemaDimensions].sort().join(',');
  let candidates = world
    .listMetrics(q.namespace, q.metricName)
    .filter((m) => Object.keys(m.dimensions).sort().join(',') === wanted && q.where.every((w) => matches(m.dimensions[w.dimension], w)));
  const truncated = candidates.length > INSIGHTS_MAX_SCANNED;
  if (truncated) candidates = candidates.slice(0, INSIGHTS_MAX_SCANNED);
  const stat = STATS[q.fn]!;
  // one group per GROUP BY value (without GROUP BY: everything in one series)
  const groups = new Map<string, Array<Array<[number, number]>>>();
  for (const m of candidates) {
    const points = world.queryMetric({namespace: q.namespace, metricName: q.metricName, dimensions: m.dimensions, stat, periodSeconds: window.periodSeconds, start: window.start, end: window.end});
    if (points.length === 0) continue;
    const key = q.groupBy ? m.dimensions[q.groupBy]! : q.metricName;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(points);
  }
  const series: Array<InsightsSeries & {rank: number}> = [];
  for (const [label, lists] of groups) {
    // several series in one group combine per timestamp with the query's function
    const byTime = new Map<number, number[]>();
    for (const points of lists) for (const [t, v] of points) (byTime.get(t) ?? byTime.set(t, []).get(t)!).push(v);
    const points = [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, vs]) => [t, reduce(q.fn, vs)] as [number, number]);
    const rank = q.orderBy ? reduce(q.orderBy.fn, points.map(([, v]) => v)) : 0;
    series.push({label, points, rank});
  }
  if (q.orderBy) {
    const sign = q.orderBy.descending ? -1 : 1;
    series.sort((a, b) => sign * (a.rank - b.rank) || a.label.localeCompare(b.label));
  }
  return {series: series.slice(0, q.limit).map(({label, points}) => ({label, points})), truncated};
}
