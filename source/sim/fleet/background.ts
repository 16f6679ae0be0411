// The background fleet of `--demo --fleet`: thousands of generated functions around the scenario's own,
// so that the fleet view has a haystack to find the needle in.
//
// A LIGHT STATISTICAL MODEL, not the discrete-event one: a background function has no queue, no instances and
// no log lines. Each has a profile drawn once from the seed (traffic level, error share, duration, reserved
// concurrency, async or not) and its per-minute metrics are a pure function of (seed, function, minute):
// traffic follows a daily curve with per-minute noise, errors are a share of it, a few functions run above
// their reserved concurrency and throttle (their async events then wait longer), a handful drop events.
// Nothing is stored per minute, so memory does not grow with time or with the window asked for, and
// CloudWatch's late newest minute is imitated (a minute's counts are visible 60-120 s after it ends).
// Account-level metrics ({} dimensions) stay the scenario model's own.
import {LambdaError, type SimFunctionConfig, type SimMetricQuery} from '../ports.ts';
import type {SimWorld} from '../lambda/world.ts';

const MINUTE = 60_000;
const TEAMS = ['payments', 'search', 'identity', 'catalog', 'shipping', 'billing', 'media', 'growth', 'ledger', 'notify', 'pricing', 'fraud', 'support', 'ads', 'inventory', 'reports'];
const NOUNS = ['orders', 'users', 'events', 'images', 'invoices', 'sessions', 'tokens', 'carts', 'emails', 'webhooks', 'exports', 'feeds', 'metrics', 'audits', 'quotes', 'refunds'];
const VERBS = ['sync', 'ingest', 'resize', 'index', 'notify', 'enrich', 'archive', 'validate', 'render', 'score', 'dedupe', 'publish', 'expire', 'rollup', 'fanout', 'import'];
const RUNTIMES = ['nodejs22.x', 'nodejs20.x', 'python3.12', 'python3.13', 'java21', 'provided.al2023'];
const TIMEOUTS = [3, 6, 10, 15, 30, 60, 120, 300, 900];
const MEMORY = [128, 256, 512, 1024, 1536, 2048, 3008];
/** The metrics a background function publishes (the async ones only when it is invoked asynchronously). */
export const BACKGROUND_METRICS = ['Invocations', 'Errors', 'Throttles', 'Duration', 'ConcurrentExecutions', 'AsyncEventsReceived', 'AsyncEventAge', 'AsyncEventsDropped'] as const;
const ASYNC_ONLY = new Set(['AsyncEventsReceived', 'AsyncEventAge', 'AsyncEventsDropped']);

export interface BackgroundProfile {
  index: number;
  name: string;
  /** mean invocations per minute at the daily mean; 0 = idle (publishes nothing) */
  perMinute: number;
  errorShare: number;
  durationMs: number;
  /** concurrency the traffic needs, against `reserved` */
  reserved: number | undefined;
  async: boolean;
  /** a function whose demand exceeds its reserved concurrency: throttles, and its async events age */
  hot: boolean;
  phase: number;
  timeoutSeconds: number;
  memoryMb: number;
  runtime: string;
}

/** A uniform number in [0, 1) from integers (a 32-bit mix: splitmix-like, deterministic everywhere). */
export function unit(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return (h >>> 0) / 4294967296;
}

export function backgroundProfile(seed: number, index: number): BackgroundProfile {
  const u = (salt: number) => unit(seed, index, salt);
  const pick = <T>(items: readonly T[], salt: number): T => items[Math.floor(u(salt) * items.length)]!;
  const name = `${pick(TEAMS, 1)}-${pick(NOUNS, 2)}-${pick(VERBS, 3)}-${index.toString().padStart(4, '0')}`;
  const idle = u(4) < 0.08;
  const hot = !idle && u(9) < 0.003;
  const e = u(6);
  const errorShare = e < 0.7 ? 0.0005 * u(7) : e < 0.99 ? 0.002 + 0.02 * u(7) : 0.05 + 0.25 * u(7);
  const durationMs = Math.round(10 ** (1.3 + u(8) * 2.2)); // 20 ms .. 3 s
  const drawn = idle ? 0 : 10 ** (u(5) * 3.5 - 0.5); // 0.3 .. 1000 a minute
  // a hot function needs at least 5 instances (and gets 60% of what it needs), so it throttles every minute
  const perMinute = hot ? Math.max(drawn, (5 * 60_000) / durationMs) : drawn;
  const demand = (perMinute / 60) * (durationMs / 1000);
  const reservedDraw = u(10) < 0.04;
  const reserved = hot ? Math.max(1, Math.floor(demand * 0.6)) : reservedDraw ? Math.max(2, Math.ceil(demand * 3) + Math.floor(u(11) * 20)) : undefined;
  return {
    index,
    name,
    perMinute,
    errorShare,
    durationMs,
    reserved,
    async: u(12) < 0.6,
    hot,
    phase: u(13) * 2 * Math.PI,
    timeoutSeconds: pick(TIMEOUTS, 14),
    memoryMb: pick(MEMORY, 15),
    runtime: pick(RUNTIMES, 16),
  };
}

/** One minute of a background function: every statistic of every metric it publishes. */
interface MinuteAgg {
  sum: number;
  count: number;
  max: number;
  min: number;
}

export function backgroundMinute(seed: number, p: BackgroundProfile, metricName: string, minuteIndex: number): MinuteAgg | null {
  if (p.perMinute === 0) return null;
  if (ASYNC_ONLY.has(metricName) && !p.async) return null;
  if (!(BACKGROUND_METRICS as readonly string[]).includes(metricName)) return null;
  const daily = 1 + 0.35 * Math.sin((2 * Math.PI * minuteIndex) / 1440 + p.phase);
  const noise = 0.75 + 0.5 * unit(seed, p.index, minuteIndex, 101);
  const wanted = p.perMinute * daily * noise;
  const demand = (wanted / 60) * (p.durationMs / 1000);
  // above reserved concurrency the excess is throttled (a share of the attempts per minute)
  const throttledShare = p.reserved !== undefined && demand > p.reserved ? 1 - p.reserved / demand : 0;
  const attempts = Math.round(wanted);
  const invocations = Math.round(attempts * (1 - throttledShare));
  const throttles = attempts - invocations;
  if (attempts === 0) return null;
  const errors = Math.round(invocations * p.errorShare * (0.5 + unit(seed, p.index, minuteIndex, 102)));
  const concurrent = Math.max(invocations > 0 ? 1 : 0, Math.min(p.reserved ?? Infinity, Math.ceil(demand * (1.2 + 0.6 * unit(seed, p.index, minuteIndex, 103)))));
  const ageMaxMs = throttledShare > 0 ? Math.round(60_000 * throttledShare * (5 + 10 * unit(seed, p.index, minuteIndex, 104))) : Math.round(20 + 200 * unit(seed, p.index, minuteIndex, 105));
  const dropped = p.hot && throttledShare > 0.3 ? Math.round(throttles * 0.05) : 0;
  const one = (sum: number, count: number, max: number, min: number): MinuteAgg => ({sum, count: Math.max(1, count), max, min});
  switch (metricName) {
    case 'Invocations':
      return invocations > 0 ? one(invocations, invocations, 1, 1) : one(0, 1, 0, 0);
    case 'Errors':
      return one(errors, invocations, errors > 0 ? 1 : 0, errors < invocations ? 0 : 1);
    case 'Throttles':
      return one(throttles, attempts, throttles > 0 ? 1 : 0, throttles < attempts ? 0 : 1);
    case 'Duration':
      return invocations > 0 ? one(invocations * p.durationMs, invocations, p.durationMs * 3, p.durationMs / 3) : null;
    case 'ConcurrentExecutions':
      return one(concurrent, 1, concurrent, concurrent);
    case 'AsyncEventsReceived':
      return one(attempts, attempts, 1, 1);
    case 'AsyncEventAge':
      return one(attempts * ageMaxMs * 0.4, attempts, ageMaxMs, 1);
    case 'AsyncEventsDropped':
      return one(dropped, attempts, dropped > 0 ? 1 : 0, 0);
  }
  return null;
}

/** The share of minute m's samples CloudWatch would show at `now`: none until 60 s after it ended, all 120 s after. */
function visibleShare(minuteIndex: number, now: number): number {
  const end = (minuteIndex + 1) * MINUTE;
  return Math.max(0, Math.min(1, (now - end - 60_000) / 60_000));
}

/** A percentile of a background function's duration (a log-normal-ish shape around its mean). */
function durationPercentile(mean: number, pct: number): number {
  return pct <= 50 ? mean * (0.4 + 1.2 * (pct / 100)) : mean * (1 + 4 * ((pct - 50) / 50) ** 3);
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)$/;

export function queryBackground(seed: number, p: BackgroundProfile, q: SimMetricQuery, now: number): Array<[number, number]> {
  const period = q.periodSeconds * 1000;
  if (!(period >= MINUTE) || period % MINUTE !== 0) throw new LambdaError('InvalidParameterValue', `period must be a multiple of 60 seconds, got ${q.periodSeconds}`, 400);
  const pct = PERCENTILE.exec(q.stat);
  if (!pct && !['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'].includes(q.stat)) throw new LambdaError('InvalidParameterValue', `unsupported statistic ${q.stat}`, 400);
  if (pct && q.metricName !== 'Duration') return [];
  const first = Math.floor(q.start / MINUTE);
  const last = Math.min(Math.ceil(q.end / MINUTE) - 1, Math.floor(now / MINUTE));
  const per = period / MINUTE;
  const out: Array<[number, number]> = [];
  for (let p0 = first; p0 <= last; p0 += per) {
    let sum = 0;
    let count = 0;
    let max = -Infinity;
    let min = Infinity;
    for (let m = p0; m <= Math.min(p0 + per - 1, last); m++) {
      const share = visibleShare(m, now);
      if (share === 0) continue;
      const a = backgroundMinute(seed, p, q.metricName, m);
      if (!a) continue;
      sum += Math.round(a.sum * share);
      count += Math.max(1, Math.round(a.count * share));
      max = Math.max(max, a.max);
      min = Math.min(min, a.min);
    }
    if (count === 0) continue;
    let value: number;
    if (pct) value = durationPercentile(sum / count, Number(pct[1]));
    else if (q.stat === 'Sum') value = sum;
    else if (q.stat === 'Average') value = sum / count;
    else if (q.stat === 'Maximum') value = max;
    else if (q.stat === 'Minimum') value = min;
    else value = count;
    out.push([p0 * MINUTE, value]);
  }
  return out;
}

/** The function name in a name, partial ARN or ARN (qualifier dropped). */
function plainName(nameOrArn: string): string {
  const arn = /(?:^|:)function:([^:]+)/.exec(nameOrArn);
  if (arn) return arn[1]!;
  const i = nameOrArn.indexOf(':');
  return i >= 0 ? nameOrArn.slice(0, i) : nameOrArn;
}

export interface BackgroundFleetOptions {
  /** How many background functions. */
  size: number;
  seed: number;
}

/** `world` with `size` background functions around its own (listed after them, in index order). */
export function withBackgroundFleet(world: SimWorld, options: BackgroundFleetOptions): SimWorld {
  const {seed} = options;
  const size = Math.max(0, Math.floor(options.size));
  const profiles: BackgroundProfile[] = [];
  const byName = new Map<string, BackgroundProfile>();
  const own = new Set(world.listFunctions().map((f) => f.FunctionName));
  for (let i = 0; i < size; i++) {
    const p = backgroundProfile(seed, i);
    if (own.has(p.name)) continue;
    profiles.push(p);
    byName.set(p.name, p);
  }
  const reservedSum = profiles.reduce((n, p) => n + (p.reserved ?? 0), 0);
  const lastModified = new Date(world.scenarioStart - 7 * 86_400_000).toISOString().replace('Z', '+0000');
  const configOf = (p: BackgroundProfile): SimFunctionConfig => ({
    FunctionName: p.name,
    FunctionArn: `arn:aws:lambda:${world.region}:${world.accountId}:function:${p.name}`,
    Runtime: p.runtime,
    Handler: p.runtime.startsWith('python') ? 'app.handler' : 'index.handler',
    Role: `arn:aws:iam::${world.accountId}:role/${p.name}-role`,
    Timeout: p.timeoutSeconds,
    MemorySize: p.memoryMb,
    CodeSize: 20_000 + Math.floor(unit(seed, p.index, 17) * 5_000_000),
    LastModified: lastModified,
    Version: '$LATEST',
    State: 'Active',
    PackageType: 'Zip',
    Architectures: [unit(seed, p.index, 18) < 0.5 ? 'arm64' : 'x86_64'],
    LoggingConfig: {LogFormat: 'Text', LogGroup: `/aws/lambda/${p.name}`},
    Description: 'background fleet function (statistical model)',
  });
  const background = (nameOrArn: string): BackgroundProfile | undefined => byName.get(plainName(nameOrArn));
  let invokeSeq = 0;

  const fleet: SimWorld = Object.create(world) as SimWorld;
  Object.assign(fleet, {
    listFunctions: () => [...world.listFunctions(), ...profiles.map(configOf)],
    getFunction(nameOrArn: string) {
      const p = background(nameOrArn);
      if (!p) return world.getFunction(nameOrArn);
      const config = configOf(p);
      const qualifier = nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[7] : nameOrArn.split(':')[1];
      if (qualifier !== undefined && qualifier !== '$LATEST') {
        throw new LambdaError('ResourceNotFoundException', `Function not found: ${config.FunctionArn}:${qualifier}`, 404);
      }
      return config;
    },
    getEventInvokeConfig: (nameOrArn: string) => (background(nameOrArn) ? undefined : world.getEventInvokeConfig(nameOrArn)),
    getReservedConcurrency(nameOrArn: string) {
      const p = background(nameOrArn);
      return p ? p.reserved : world.getReservedConcurrency(nameOrArn);
    },
    getAccountSettings() {
      const inner = world.getAccountSettings();
      return {
        AccountLimit: {...inner.AccountLimit, ConcurrentExecutions: inner.AccountLimit.ConcurrentExecutions + reservedSum},
        AccountUsage: {...inner.AccountUsage, FunctionCount: inner.AccountUsage.FunctionCount + profiles.length},
      };
    },
    listProvisionedConcurrencyConfigs: (nameOrArn: string) => (background(nameOrArn) ? [] : world.listProvisionedConcurrencyConfigs(nameOrArn)),
    listEventSourceMappings: (filter: {functionName?: string; eventSourceArn?: string}) =>
      filter.functionName !== undefined && background(filter.functionName) ? [] : world.listEventSourceMappings(filter),
    invoke(nameOrArn: string, payload: string, invocationType: 'Event' | 'RequestResponse' | 'DryRun', qualifier?: string) {
      const p = background(nameOrArn);
      if (!p) return world.invoke(nameOrArn, payload, invocationType, qualifier);
      world.mutations.Invoke = (world.mutations.Invoke ?? 0) + 1;
      const requestId = `00000000-0000-4000-8000-${(++invokeSeq).toString(16).padStart(12, '0')}`;
      if (invocationType === 'DryRun') return {statusCode: 204, requestId, executedVersion: '$LATEST'};
      if (invocationType === 'Event') return {statusCode: 202, requestId, executedVersion: '$LATEST'};
      return {statusCode: 200, requestId, executedVersion: '$LATEST', payload: 'null'};
    },
    queryMetric(query: SimMetricQuery) {
      const name = query.namespace === 'AWS/Lambda' ? query.dimensions.FunctionName : undefined;
      const p = name !== undefined ? byName.get(name) : undefined;
      if (!p) return world.queryMetric(query);
      const keys = Object.keys(query.dimensions);
      if (keys.length !== 1) return []; // no Resource / ExecutedVersion series for background functions
      return queryBackground(seed, p, query, world.time);
    },
    listMetrics(namespace?: string, metricName?: string) {
      const inner = world.listMetrics(namespace, metricName);
      if (namespace !== undefined && namespace !== 'AWS/Lambda') return inner;
      const names = metricName === undefined ? BACKGROUND_METRICS : (BACKGROUND_METRICS as readonly string[]).includes(metricName) ? [metricName] : [];
      for (const p of profiles) {
        if (p.perMinute === 0) continue;
        for (const m of names) if (p.async || !ASYNC_ONLY.has(m)) inner.push({namespace: 'AWS/Lambda', metricName: m, dimensions: {FunctionName: p.name}});
      }
      return inner;
    },
  });
  return fleet;
}
