// CloudWatch (monitoring) answered from the world's metric store, in three encodings:
//  (a) AWS JSON 1.0, `X-Amz-Target: GraniteServiceVersion20100801.<Op>` (query-compatible): what
//      @aws-sdk/client-cloudwatch and botocore/aws-cli 1.45 send (timestamps as epoch-second numbers);
//  (b) Smithy RPC v2 CBOR, `POST /service/GraniteServiceVersion20100801/operation/<Op>` with
//      `smithy-protocol: rpc-v2-cbor` (timestamps as tag 1);
//  (c) awsQuery, form-encoded `Action=<Op>&Version=2010-08-01`, answered in XML.
// Operations: GetMetricData (MetricStat and simple metric-math expressions), GetMetricStatistics, ListMetrics.
import type {LambdaWorld, WireRequest, WireResponse} from '../ports.ts';
import {decodeCbor, encodeCbor} from './cbor.ts';
import {WireError, renderError, unknownOperation, type WireProtocol} from './errors.ts';
import {decodeQueryParams, queryXmlResponse} from './query.ts';
import {INSIGHTS_MAX_RANGE_MS, InsightsError, isInsightsQuery, parseInsights, runInsights, type InsightsQuery} from './insights.ts';

export const CLOUDWATCH_TARGET = 'GraniteServiceVersion20100801';
export const CLOUDWATCH_CBOR_PREFIX = `/service/${CLOUDWATCH_TARGET}/operation/`;
const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const NS = 'com.amazonaws.cloudwatch';
export const CLOUDWATCH_OPERATIONS = ['GetMetricData', 'GetMetricStatistics', 'ListMetrics'] as const;

const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const MAX_STATISTICS_DATAPOINTS = 1440;
const LIST_METRICS_PAGE = 500;

type Json = Record<string, unknown>;

// ---------------------------------------------------------------- input coercion (JSON, CBOR and query inputs)

function validation(message: string): WireError {
  return new WireError('ValidationException', message, 400, {queryCode: 'ValidationError', namespace: NS});
}
function invalidValue(message: string): WireError {
  return new WireError('InvalidParameterValueException', message, 400, {queryCode: 'InvalidParameterValue', namespace: NS});
}
function missing(name: string): WireError {
  return new WireError('MissingRequiredParameterException', `The parameter ${name} is required.`, 400, {queryCode: 'MissingParameter', namespace: NS});
}
function combination(message: string): WireError {
  return new WireError('InvalidParameterCombinationException', message, 400, {queryCode: 'InvalidParameterCombination', namespace: NS});
}

function str(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidValue(`The parameter ${name} must be a string.`);
  return value;
}

function num(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw invalidValue(`The value ${String(value)} for parameter ${name} is not a number.`);
  return n;
}

function bool(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** A timestamp in any of the encodings: Date (CBOR tag 1), epoch seconds (JSON), ISO 8601 or epoch string (query). */
export function toEpochMs(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'bigint') ms = Number(value) * 1000;
  else if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) ms = Number(value) * 1000;
  else if (typeof value === 'string') ms = Date.parse(value);
  else ms = Number.NaN;
  if (!Number.isFinite(ms)) throw invalidValue(`The parameter ${name} must be a valid timestamp.`);
  return Math.round(ms);
}

function list(value: unknown, name: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidValue(`The parameter ${name} must be a list.`);
  return value;
}

function obj(value: unknown, name: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidValue(`The parameter ${name} must be a structure.`);
  return value as Json;
}

function dimensionsOf(value: unknown, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, d] of list(value, name).entries()) {
    const dim = obj(d, `${name}.member.${i + 1}`) ?? {};
    const n = str(dim.Name, `${name}.member.${i + 1}.Name`);
    const v = str(dim.Value, `${name}.member.${i + 1}.Value`);
    if (!n) throw missing(`${name}.member.${i + 1}.Name`);
    if (v === undefined) throw missing(`${name}.member.${i + 1}.Value`);
    out[n] = v;
  }
  return out;
}

function checkPeriod(period: number | undefined, name: string): number {
  if (period === undefined) throw missing(name);
  if (!Number.isInteger(period) || period <= 0) throw invalidValue(`The parameter ${name} must be a positive integer.`);
  if (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period)) {
    throw invalidValue(`The parameter ${name} must be 1, 5, 10, 20, 30, or a multiple of 60.`);
  }
  return period;
}

const SIMPLE_STATS = new Set(['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount']);
const PERCENTILE = /^p(\d{1,2}(\.\d+)?|100)$/;

function isSupportedStat(stat: string): boolean {
  return SIMPLE_STATS.has(stat) || PERCENTILE.test(stat);
}

/** Units the Lambda and SQS metrics are published with (CloudWatch reports them on datapoints). */
export function unitFor(metricName: string): string {
  if (/Duration$|^AsyncEventAge$/.test(metricName)) return 'Milliseconds';
  if (metricName === 'ApproximateAgeOfOldestMessage') return 'Seconds';
  if (metricName === 'ProvisionedConcurrencyUtilization') return 'None';
  if (metricName === 'SentMessageSize') return 'Bytes';
  return 'Count';
}

// ---------------------------------------------------------------- metric math (a small, honest subset)

type Series = Array<[number, number]>;
type Value = {kind: 'series'; points: Series} | {kind: 'scalar'; value: number};

class MathError extends Error {}

/** Evaluates + - * / ( ) over numbers and query ids. Series-series operations align on timestamps. */
function evaluateExpression(expression: string, resolve: (id: string) => Series): Series {
  const tokens = expression.match(/\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/()]|\S)/g)?.map((t) => t.trim()) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const primary = (): Value => {
    const t = next();
    if (t === undefined) throw new MathError('unexpected end of expression');
    if (t === '(') {
      const v = sum();
      if (next() !== ')') throw new MathError('missing )');
      return v;
    }
    if (t === '-') return apply('*', {kind: 'scalar', value: -1}, primary());
    if (/^\d/.test(t)) return {kind: 'scalar', value: Number(t)};
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') throw new MathError(`the function ${t}() is not supported by the simulator`);
      return {kind: 'series', points: resolve(t)};
    }
    throw new MathError(`unexpected "${t}"`);
  };
  const product = (): Value => {
    let left = primary();
    while (peek() === '*' || peek() === '/') {
      const op = next()!;
      left = apply(op, left, primary());
    }
    return left;
  };
  const sum = (): Value => {
    let left = product();
    while (peek() === '+' || peek() === '-') {
      const op = next()!;
      left = apply(op, left, product());
    }
    return left;
  };
  const result = sum();
  if (i !== tokens.length) throw new MathError(`unexpected "${tokens[i]}"`);
  if (result.kind === 'scalar') throw new MathError('the expression must produce a time series');
  return result.points;
}

function op(operator: string, a: number, b: number): number {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    default:
      return a / b;
  }
}

function apply(operator: string, a: Value, b: Value): Value {
  if (a.kind === 'scalar' && b.kind === 'scalar') return {kind: 'scalar', value: op(operator, a.value, b.value)};
  const keep = (points: Series) => points.filter(([, v]) => Number.isFinite(v));
  if (a.kind === 'series' && b.kind === 'scalar') return {kind: 'series', points: keep(a.points.map(([t, v]) => [t, op(operator, v, b.value)]))};
  if (a.kind === 'scalar' && b.kind === 'series') return {kind: 'series', points: keep(b.points.map(([t, v]) => [t, op(operator, a.value, v)]))};
  const right = new Map((b as {points: Series}).points);
  const out: Series = [];
  for (const [t, v] of (a as {points: Series}).points) {
    const w = right.get(t);
    if (w !== undefined) out.push([t, op(operator, v, w)]);
  }
  return {kind: 'series', points: keep(out)};
}

// ---------------------------------------------------------------- operations

interface QueryResult {
  Id: string;
  Label: string;
  points: Series;
  status: 'Complete' | 'PartialData' | 'InternalError' | 'Forbidden';
  messages: Array<{Code: string; Value: string}>;
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({o: offset, v: 1})).toString('base64url');
}

function decodeToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {o?: unknown; v?: unknown};
    if (parsed.v === 1 && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw new WireError('InvalidNextToken', 'The service cannot complete the request: the NextToken is invalid.', 400, {queryCode: 'InvalidNextToken', namespace: NS});
}

/** A datapoint's time as a Date (CBOR's tag 1, the query protocol's ISO text: see the encodings below). */
const asDate = (t: number): unknown => new Date(t);

/** A datapoint's time as AWS JSON 1.0 writes it: epoch seconds, the number toJsonValue makes of new Date(t) (the
 * Date's time clip: truncated to whole ms, NaN beyond 8.64e15 ms). */
const asEpochSeconds = (t: number): number => (Math.abs(t) <= 8.64e15 ? Math.trunc(t) : Number.NaN) / 1000;

/** `timestamp` makes each datapoint's time (default a Date). */
export function getMetricData(world: LambdaWorld, input: Json, timestamp: (t: number) => unknown = asDate): Json {
  const queries = list(input.MetricDataQueries, 'MetricDataQueries');
  if (input.MetricDataQueries === undefined || input.MetricDataQueries === null) throw missing('MetricDataQueries');
  if (queries.length === 0) throw validation('The collection MetricDataQueries must not be empty.');
  if (queries.length > MAX_QUERIES) throw validation(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const start = toEpochMs(input.StartTime, 'StartTime');
  const end = toEpochMs(input.EndTime, 'EndTime');
  if (start === undefined) throw missing('StartTime');
  if (end === undefined) throw missing('EndTime');
  if (start >= end) throw validation('The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = str(input.ScanBy, 'ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw validation(`1 validation error detected: Value '${scanBy}' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [TimestampDescending, TimestampAscending]`);
  }
  const maxDatapoints = num(input.MaxDatapoints, 'MaxDatapoints') ?? DEFAULT_MAX_DATAPOINTS;
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1) throw invalidValue('The parameter MaxDatapoints must be a positive integer.');
  const offset = input.NextToken === undefined || input.NextToken === null || input.NextToken === '' ? 0 : decodeToken(String(input.NextToken));

  // Parse and validate every query first (AWS rejects the whole call on a malformed query).
  type Parsed = {id: string; label?: string; returnData: boolean} & (
    | {kind: 'stat'; namespace: string; metricName: string; dimensions: Record<string, string>; stat: string; period: number}
    | {kind: 'expression'; expression: string}
    | {kind: 'insights'; query: InsightsQuery; period: number}
  );
  const parsed: Parsed[] = [];
  const ids = new Set<string>();
  for (const [index, raw] of queries.entries()) {
    const at = `MetricDataQueries.member.${index + 1}`;
    const q = obj(raw, at) ?? {};
    const id = str(q.Id, `${at}.Id`);
    if (!id) throw missing(`${at}.Id`);
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(id) || id.length > 255) {
      throw validation(`The value ${id} for parameter ${at}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    }
    if (ids.has(id)) throw validation(`The value ${id} for parameter MetricDataQueries.member.Id is duplicated.`);
    ids.add(id);
    const label = str(q.Label, `${at}.Label`);
    const returnData = bool(q.ReturnData) ?? true;
    const expression = str(q.Expression, `${at}.Expression`);
    const metricStat = obj(q.MetricStat, `${at}.MetricStat`);
    if ((expression === undefined) === (metricStat === undefined)) {
      throw validation(`Exactly one element of the ${at} must be set: MetricStat or Expression.`);
    }
    if (metricStat) {
      const metric = obj(metricStat.Metric, `${at}.MetricStat.Metric`);
      if (!metric) throw missing(`${at}.MetricStat.Metric`);
      const namespace = str(metric.Namespace, `${at}.MetricStat.Metric.Namespace`);
      const metricName = str(metric.MetricName, `${at}.MetricStat.Metric.MetricName`);
      if (!namespace) throw missing(`${at}.MetricStat.Metric.Namespace`);
      if (!metricName) throw missing(`${at}.MetricStat.Metric.MetricName`);
      const stat = str(metricStat.Stat, `${at}.MetricStat.Stat`);
      if (!stat) throw missing(`${at}.MetricStat.Stat`);
      const period = checkPeriod(num(metricStat.Period, `${at}.MetricStat.Period`), `${at}.MetricStat.Period`);
      const dimensions = dimensionsOf(metric.Dimensions, `${at}.MetricStat.Metric.Dimensions`);
      parsed.push({id, returnData, kind: 'stat', namespace, metricName, dimensions, stat, period, ...(label !== undefined ? {label} : {})});
    } else if (isInsightsQuery(expression!)) {
      // Metrics Insights: Period is required, one query per call, the most recent 3 hours only.
      const period = checkPeriod(num(q.Period, `${at}.Period`), `${at}.Period`);
      if (parsed.some((p) => p.kind === 'insights')) throw validation('Only one Metrics Insights query is allowed in a GetMetricData call.');
      if (start < world.clock.now() - INSIGHTS_MAX_RANGE_MS - 5 * 60_000) throw validation('Metrics Insights queries can only query the most recent 3 hours of data.');
      let query: InsightsQuery;
      try {
        query = parseInsights(expression!);
      } catch (error) {
        if (error instanceof InsightsError) throw validation(`${at}.Expression: ${error.message}`);
        throw error;
      }
      parsed.push({id, returnData, kind: 'insights', query, period, ...(label !== undefined ? {label} : {})});
    } else {
      parsed.push({id, returnData, kind: 'expression', expression: expression!, ...(label !== undefined ? {label} : {})});
    }
  }
  if (!parsed.some((q) => q.returnData)) throw validation('At least one MetricDataQuery must have ReturnData set to true.');

  // Evaluate (expressions may reference other queries, including ReturnData=false ones).
  const byId = new Map(parsed.map((q) => [q.id, q]));
  const values = new Map<string, Series>();
  const evaluating = new Set<string>();
  const seriesOf = (id: string): Series => {
    const cached = values.get(id);
    if (cached) return cached;
    const q = byId.get(id);
    if (!q) throw new MathError(`Unrecognized identifier ${id}`);
    if (evaluating.has(id)) throw new MathError(`the expression of ${id} refers to itself`);
    evaluating.add(id);
    try {
      let points: Series;
      if (q.kind === 'insights') throw new MathError(`${id} is a Metrics Insights query: other queries cannot use it`);
      if (q.kind === 'stat') {
        if (!isSupportedStat(q.stat)) throw new MathError(`the statistic ${q.stat} is not supported by the simulator`);
        points = world.queryMetric({namespace: q.namespace, metricName: q.metricName, dimensions: q.dimensions, stat: q.stat, periodSeconds: q.period, start, end});
      } else {
        points = evaluateExpression(q.expression, seriesOf);
      }
      points = points.filter(([t]) => t >= start && t < end).sort((a, b) => a[0] - b[0]);
      values.set(id, points);
      return points;
    } finally {
      evaluating.delete(id);
    }
  };

  const results: QueryResult[] = [];
  for (const q of parsed) {
    if (!q.returnData) continue;
    if (q.kind === 'insights') {
      // one result per group, all with the query's Id, the group's value as the Label (as CloudWatch answers)
      const answer = runInsights(world, q.query, {start, end, periodSeconds: q.period});
      for (const series of answer.series) {
        const points = series.points.filter(([t]) => t >= start && t < end);
        const messages = answer.truncated ? [{Code: 'MaxMetricsScanned', Value: 'The query scanned the first 10000 metrics only.'}] : [];
        results.push({Id: q.id, Label: series.label, points: scanBy === 'TimestampDescending' ? [...points].reverse() : points, status: answer.truncated ? 'PartialData' : 'Complete', messages});
      }
      continue;
    }
    const label = q.label ?? (q.kind === 'stat' ? q.metricName : q.id);
    try {
      const points = seriesOf(q.id);
      results.push({Id: q.id, Label: label, points: scanBy === 'TimestampDescending' ? [...points].reverse() : points, status: 'Complete', messages: []});
    } catch (error) {
      if (!(error instanceof MathError)) throw error;
      results.push({Id: q.id, Label: label, points: [], status: 'InternalError', messages: [{Code: 'InternalError', Value: error.message}]});
    }
  }

  // Page over all datapoints in query order, MaxDatapoints at a time.
  const total = results.reduce((n, r) => n + r.points.length, 0);
  if (offset > total) decodeToken('');
  const pageEnd = offset + maxDatapoints;
  let cursor = 0;
  const MetricDataResults = results.map((r) => {
    const from = Math.max(0, offset - cursor);
    const to = Math.max(0, Math.min(r.points.length, pageEnd - cursor));
    const slice = from < to ? r.points.slice(from, to) : [];
    const incomplete = cursor + r.points.length > pageEnd;
    cursor += r.points.length;
    const out: Json = {
      Id: r.Id,
      Label: r.Label,
      Timestamps: slice.map(([t]) => timestamp(t)),
      Values: slice.map(([, v]) => v),
      StatusCode: r.status === 'Complete' && incomplete ? 'PartialData' : r.status,
    };
    if (r.messages.length) out.Messages = r.messages;
    return out;
  });
  const output: Json = {MetricDataResults, Messages: []};
  if (pageEnd < total) output.NextToken = encodeToken(pageEnd);
  return output;
}

export function getMetricStatistics(world: LambdaWorld, input: Json): Json {
  const namespace = str(input.Namespace, 'Namespace');
  const metricName = str(input.MetricName, 'MetricName');
  if (!namespace) throw missing('Namespace');
  if (!metricName) throw missing('MetricName');
  const start = toEpochMs(input.StartTime, 'StartTime');
  const end = toEpochMs(input.EndTime, 'EndTime');
  if (start === undefined) throw missing('StartTime');
  if (end === undefined) throw missing('EndTime');
  if (start >= end) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  const period = checkPeriod(num(input.Period, 'Period'), 'Period');
  const dimensions = dimensionsOf(input.Dimensions, 'Dimensions');
  const statistics = list(input.Statistics, 'Statistics').map((s, i) => str(s, `Statistics.member.${i + 1}`) ?? '');
  const extended = list(input.ExtendedStatistics, 'ExtendedStatistics').map((s, i) => str(s, `ExtendedStatistics.member.${i + 1}`) ?? '');
  if (statistics.length === 0 && extended.length === 0) throw combination('Must specify either Statistics or ExtendedStatistics.');
  for (const s of statistics) if (!SIMPLE_STATS.has(s)) throw invalidValue(`The parameter Statistics contains an invalid value: ${s}.`);
  for (const s of extended) if (!PERCENTILE.test(s)) throw invalidValue(`The parameter ExtendedStatistics contains an invalid value: ${s}.`);
  const datapointsAsked = Math.ceil((end - start) / (period * 1000));
  if (datapointsAsked > MAX_STATISTICS_DATAPOINTS) {
    throw combination(`You have requested up to ${datapointsAsked} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
  }
  const unit = unitFor(metricName);
  const requestedUnit = str(input.Unit, 'Unit');
  const byTime = new Map<number, Json>();
  const fetch = (stat: string) => world.queryMetric({namespace, metricName, dimensions, stat, periodSeconds: period, start, end});
  if (requestedUnit === undefined || requestedUnit === unit) {
    for (const stat of statistics) {
      for (const [t, v] of fetch(stat)) {
        if (t < start || t >= end) continue;
        const dp = byTime.get(t) ?? {Timestamp: new Date(t), Unit: unit};
        dp[stat] = v;
        byTime.set(t, dp);
      }
    }
    for (const stat of extended) {
      for (const [t, v] of fetch(stat)) {
        if (t < start || t >= end) continue;
        const dp = byTime.get(t) ?? {Timestamp: new Date(t), Unit: unit};
        dp.ExtendedStatistics = {...(dp.ExtendedStatistics as Json | undefined), [stat]: v};
        byTime.set(t, dp);
      }
    }
  }
  const Datapoints = [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, dp]) => dp);
  return {Label: metricName, Datapoints};
}

export function listMetrics(world: LambdaWorld, input: Json): Json {
  const namespace = str(input.Namespace, 'Namespace');
  const metricName = str(input.MetricName, 'MetricName');
  const filters = list(input.Dimensions, 'Dimensions').map((d, i) => {
    const f = obj(d, `Dimensions.member.${i + 1}`) ?? {};
    const name = str(f.Name, `Dimensions.member.${i + 1}.Name`);
    if (!name) throw missing(`Dimensions.member.${i + 1}.Name`);
    return {name, value: str(f.Value, `Dimensions.member.${i + 1}.Value`)};
  });
  const offset = input.NextToken === undefined || input.NextToken === null || input.NextToken === '' ? 0 : decodeToken(String(input.NextToken));
  const all = world
    .listMetrics(namespace, metricName)
    .filter((m) => (!namespace || m.namespace === namespace) && (!metricName || m.metricName === metricName))
    .filter((m) => filters.every((f) => f.name in m.dimensions && (f.value === undefined || m.dimensions[f.name] === f.value)))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.metricName.localeCompare(b.metricName) || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)));
  if (offset > all.length) decodeToken('');
  const page = all.slice(offset, offset + LIST_METRICS_PAGE);
  const out: Json = {
    Metrics: page.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({Name, Value})),
    })),
  };
  if (offset + LIST_METRICS_PAGE < all.length) out.NextToken = encodeToken(offset + LIST_METRICS_PAGE);
  return out;
}

function run(world: LambdaWorld, operation: string, input: Json): Json {
  switch (operation) {
    case 'GetMetricData':
      return getMetricData(world, input);
    case 'GetMetricStatistics':
      return getMetricStatistics(world, input);
    case 'ListMetrics':
      return listMetrics(world, input);
    default:
      throw unknownOperation(operation);
  }
}

// ---------------------------------------------------------------- encodings

/** JSON encoding: Dates become epoch seconds (AWS JSON 1.0's default timestamp format). */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

export interface CloudWatchRequestInfo {
  protocol: WireProtocol;
  operation: string;
}

/** Recognises a CloudWatch request (any of the three encodings) without reading its body. */
export function identifyCloudWatch(request: WireRequest): CloudWatchRequestInfo | undefined {
  const target = request.headers['x-amz-target'];
  if (target?.startsWith(`${CLOUDWATCH_TARGET}.`)) return {protocol: 'json-1.0', operation: target.slice(CLOUDWATCH_TARGET.length + 1)};
  if (request.method === 'POST' && request.path.startsWith(CLOUDWATCH_CBOR_PREFIX)) {
    return {protocol: 'rpc-v2-cbor', operation: request.path.slice(CLOUDWATCH_CBOR_PREFIX.length)};
  }
  if (isForm(request)) {
    const form = formParams(request);
    if (form.get('Version') === '2010-08-01' && form.get('Action')) return {protocol: 'query', operation: form.get('Action')!};
  }
  return undefined;
}

function isForm(request: WireRequest): boolean {
  return request.method === 'POST' && (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

const formCache = new WeakMap<Buffer, URLSearchParams>();
function formParams(request: WireRequest): URLSearchParams {
  let params = formCache.get(request.body);
  if (!params) {
    params = new URLSearchParams(request.body.toString('utf8'));
    formCache.set(request.body, params);
  }
  return params;
}

export function createCloudWatchHandler(world: LambdaWorld) {
  return (request: WireRequest, requestId: string): WireResponse | undefined => {
    const info = identifyCloudWatch(request);
    if (!info) return undefined;
    const {protocol, operation} = info;
    try {
      let input: Json;
      if (protocol === 'json-1.0') {
        const text = request.body.toString('utf8').trim();
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : {};
        } catch {
          throw new WireError('SerializationException', 'Could not parse the request body as JSON.', 400, {namespace: NS});
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new WireError('SerializationException', 'The request body must be a JSON object.', 400, {namespace: NS});
        input = parsed as Json;
      } else if (protocol === 'rpc-v2-cbor') {
        let parsed: unknown = {};
        if (request.body.length) {
          try {
            parsed = decodeCbor(request.body);
          } catch (error) {
            throw new WireError('SerializationException', `Could not parse the request body as CBOR: ${(error as Error).message}`, 400, {namespace: NS});
          }
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new WireError('SerializationException', 'The request body must be a CBOR map.', 400, {namespace: NS});
        input = parsed as Json;
      } else {
        const {Action: _action, Version: _version, ...rest} = decodeQueryParams(formParams(request));
        input = rest;
      }
      if (protocol === 'json-1.0') {
        // GetMetricData (every refresh, some 1,100 datapoints for the dashboard) is made with its times as epoch
        // seconds, so that its answer is JSON.stringify's of it as it is: the same bytes as toJsonValue's copy of
        // the answer with a Date per datapoint (test/unit/sim/wire-cloudwatch-json.test.ts), without either.
        const body = operation === 'GetMetricData' ? JSON.stringify(getMetricData(world, input, asEpochSeconds)) : JSON.stringify(toJsonValue(run(world, operation, input)));
        return {status: 200, headers: {'content-type': 'application/x-amz-json-1.0'}, body};
      }
      const output = run(world, operation, input);
      if (protocol === 'rpc-v2-cbor') {
        return {status: 200, headers: {'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor'}, body: encodeCbor(output)};
      }
      return {status: 200, headers: {'content-type': 'text/xml'}, body: queryXmlResponse(operation, XMLNS, output, requestId)};
    } catch (error) {
      if (error instanceof WireError) return renderError(protocol, error, requestId);
      throw error;
    }
  };
}
