// Scenario data: the shape of demo/*.json, its validation (clear errors, path included), and curve evaluation.
//
// Times in a scenario are virtual. "Minutes" are scenario minutes: minute 0 is the start of the simulated history
// (creation time minus the pre-roll), and every curve repeats every `cycleMinutes` so that a long-running demo
// keeps developing and recovering instead of going dead.

/** A value that varies over scenario minutes: a constant, or points [minute, value] joined linearly
 * (held flat before the first and after the last point). */
export type Curve = number | Array<[number, number]>;

/** A log-normal distribution given by its median and 99th percentile. */
export interface Dist {
  median: number;
  p99: number;
}

export interface ScenarioQueue {
  name: string;
  /** Virtual seconds (default 30). */
  visibilityTimeoutSeconds?: number;
  /** Virtual seconds (default 4 days). */
  messageRetentionSeconds?: number;
  maximumMessageSizeBytes?: number;
  /** The queue's own redrive policy (section 3 of the reference). */
  redrive?: {deadLetterQueue: string; maxReceiveCount: number};
}

/** A destination or DLQ target: a queue or function of the scenario, or any ARN (e.g. a missing queue). */
export type ScenarioTarget = {queue: string} | {function: string} | {arn: string};

export interface ScenarioErrorKind {
  kind: 'handled' | 'unhandled';
  /** Probability per invocation (per record for SQS batches). */
  rate: Curve;
  errorType: string;
  errorMessage: string;
  stack?: string[];
}

export interface ScenarioBehavior {
  durationMs: Dist;
  /** Cold start Init Duration (default median 180 ms, p99 600 ms). */
  initDurationMs?: Dist;
  /** Max Memory Used (default 40% .. 70% of the memory size). */
  memoryUsedMb?: Dist;
  /** How long an idle instance stays warm (virtual minutes, default 7). */
  keepWarmMinutes?: number;
  /** Dotted path to a number in the payload giving the work size in bytes (e.g. "Records.0.s3.object.size");
   * default: the payload's own size. */
  sizeField?: string;
  /** Extra duration per MB of work size (ms). */
  msPerMb?: Curve;
  /** A downstream dependency that saturates: above `capacity` concurrent calls, each extra concurrent
   * call slows every call by `slowdown` (fraction) and adds `errorRate` failure probability (capped at 0.95). */
  downstream?: {capacity: Curve; slowdown: number; errorRate: number; errorType: string; errorMessage: string; stack?: string[]};
  errors?: ScenarioErrorKind[];
  /** What a successful invocation returns (default null). */
  successPayload?: unknown;
}

export interface ScenarioFunction {
  name: string;
  description?: string;
  /** nodejs20.x, nodejs22.x, python3.12, ... (error log format follows the runtime family). */
  runtime: string;
  handler?: string;
  timeoutSeconds: number;
  memoryMb: number;
  reservedConcurrency?: number;
  deadLetterQueue?: ScenarioTarget;
  /** Absent = PutFunctionEventInvokeConfig never called (defaults apply: 2 retries, 6 hours). */
  eventInvokeConfig?: {maximumRetryAttempts?: number; maximumEventAgeInSeconds?: number; onSuccess?: ScenarioTarget; onFailure?: ScenarioTarget};
  /** A published version with an alias (invocations through it get the {FunctionName, Resource} dimension). */
  alias?: {name: string; version: string; provisionedConcurrency?: number};
  /** How its code logs: the runtime's own lines (default), or Powertools-style JSON lines (an INFO line per
   * invocation, errors as ERROR lines with name, message and stack). An error kind whose errorType is Runtime.*
   * (Runtime.ExitError) is written as the runtime exiting, in either style. */
  logStyle?: 'runtime' | 'powertools';
  behavior: ScenarioBehavior;
}

export interface ScenarioMapping {
  queue: string;
  function: string;
  batchSize?: number;
  maximumConcurrency?: number;
}

export interface ScenarioProducer {
  name: string;
  target: {function: string; qualifier?: string} | {queue: string};
  /** Events per virtual second. */
  ratePerSecond: Curve;
  /** Multiplicative noise per second: rate * (1 + noise * N(0,1)), never below 0 (default 0.15). */
  noise?: number;
  /** Payload template. Strings may hold {{uuid}}, {{hex:N}}, {{seq}}, {{now}}, {{int:A:B}}, {{pick:a|b|c}}, {{pad:N}} (N filler characters), and
   * {{size}} (a string that is exactly "{{size}}" becomes the sampled number). */
  payload: unknown;
  /** Distribution of {{size}} in bytes. */
  sizeBytes?: Dist;
  /** Share of events whose {{size}} is drawn from `largeSizeBytes` instead (a curve: heavy inputs arrive in waves). */
  largeShare?: Curve;
  largeSizeBytes?: Dist;
}

export interface Scenario {
  name: string;
  title: string;
  story: string;
  /** The function the dashboard opens first. */
  primaryFunction: string;
  /** Curves repeat with this period (scenario minutes). */
  cycleMinutes: number;
  /** Virtual minutes of history simulated before the first screen (default 45): where in its story the demo
   * opens. */
  prerollMinutes?: number;
  /** Account concurrency limit (default 1000). */
  accountConcurrency?: number;
  queues: ScenarioQueue[];
  functions: ScenarioFunction[];
  eventSourceMappings?: ScenarioMapping[];
  producers: ScenarioProducer[];
  /** What happens when (narrative; the curves carry the mechanics). */
  timeline: Array<{at: number; note: string}>;
}

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

// ---- validation ------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  constructor(private readonly scenario: string) {}
  fail(path: string, what: string): never {
    throw new ScenarioError(`scenario ${this.scenario}: ${path}: ${what}`);
  }
  obj(v: unknown, path: string): Obj {
    if (!isObj(v)) this.fail(path, 'must be an object');
    return v;
  }
  str(v: unknown, path: string): string {
    if (typeof v !== 'string' || v === '') this.fail(path, 'must be a non-empty string');
    return v;
  }
  num(v: unknown, path: string, min = -Infinity, max = Infinity): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'must be a number');
    if (v < min || v > max) this.fail(path, `must be between ${min} and ${max}, got ${v}`);
    return v;
  }
  optNum(v: unknown, path: string, min = -Infinity, max = Infinity): void {
    if (v !== undefined) this.num(v, path, min, max);
  }
  arr(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'must be an array');
    return v;
  }
  curve(v: unknown, path: string, min = 0): void {
    if (typeof v === 'number') {
      this.num(v, path, min);
      return;
    }
    const points = this.arr(v, path);
    if (points.length === 0) this.fail(path, 'a curve needs at least one [minute, value] point');
    let last = -Infinity;
    points.forEach((p, i) => {
      if (!Array.isArray(p) || p.length !== 2) this.fail(`${path}[${i}]`, 'must be [minute, value]');
      const minute = this.num(p[0], `${path}[${i}][0]`, 0);
      this.num(p[1], `${path}[${i}][1]`, min);
      if (minute < last) this.fail(`${path}[${i}]`, 'minutes must not decrease');
      last = minute;
    });
  }
  dist(v: unknown, path: string): void {
    const d = this.obj(v, path);
    const median = this.num(d.median, `${path}.median`, 0);
    const p99 = this.num(d.p99, `${path}.p99`, 0);
    if (p99 < median) this.fail(path, 'p99 must be >= median');
  }
}

export function validateScenario(data: unknown, label = 'scenario'): Scenario {
  const c = new Checker(isObj(data) && typeof data.name === 'string' ? data.name : label);
  const s = c.obj(data, '(root)');
  c.str(s.name, 'name');
  c.str(s.title, 'title');
  c.str(s.story, 'story');
  const cycle = c.num(s.cycleMinutes, 'cycleMinutes', 10);
  c.optNum(s.prerollMinutes, 'prerollMinutes', 0, 360);
  c.optNum(s.accountConcurrency, 'accountConcurrency', 1, 100000);

  const queueNames = new Set<string>();
  c.arr(s.queues, 'queues').forEach((q, i) => {
    const p = `queues[${i}]`;
    const o = c.obj(q, p);
    const name = c.str(o.name, `${p}.name`);
    if (!/^[A-Za-z0-9_-]{1,75}(\.fifo)?$/.test(name)) c.fail(`${p}.name`, `"${name}" is not a valid queue name`);
    if (queueNames.has(name)) c.fail(`${p}.name`, `duplicate queue "${name}"`);
    queueNames.add(name);
    c.optNum(o.visibilityTimeoutSeconds, `${p}.visibilityTimeoutSeconds`, 0, 43200);
    c.optNum(o.messageRetentionSeconds, `${p}.messageRetentionSeconds`, 60, 1209600);
    c.optNum(o.maximumMessageSizeBytes, `${p}.maximumMessageSizeBytes`, 1024, 1048576);
  });
  c.arr(s.queues, 'queues').forEach((q, i) => {
    const o = q as Obj;
    if (o.redrive !== undefined) {
      const r = c.obj(o.redrive, `queues[${i}].redrive`);
      const dlq = c.str(r.deadLetterQueue, `queues[${i}].redrive.deadLetterQueue`);
      if (!queueNames.has(dlq)) c.fail(`queues[${i}].redrive.deadLetterQueue`, `unknown queue "${dlq}"`);
      c.num(r.maxReceiveCount, `queues[${i}].redrive.maxReceiveCount`, 1, 1000);
    }
  });

  const functionNames = new Set<string>();
  const fns = c.arr(s.functions, 'functions');
  if (fns.length === 0) c.fail('functions', 'at least one function is needed');
  for (const [i, f] of fns.entries()) {
    const name = c.str(c.obj(f, `functions[${i}]`).name, `functions[${i}].name`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) c.fail(`functions[${i}].name`, `"${name}" is not a valid function name`);
    if (functionNames.has(name)) c.fail(`functions[${i}].name`, `duplicate function "${name}"`);
    functionNames.add(name);
  }
  const target = (v: unknown, path: string): void => {
    const t = c.obj(v, path);
    if (typeof t.queue === 'string') {
      if (!queueNames.has(t.queue)) c.fail(path, `unknown queue "${t.queue}"`);
    } else if (typeof t.function === 'string') {
      if (!functionNames.has(t.function)) c.fail(path, `unknown function "${t.function}"`);
    } else if (typeof t.arn === 'string') {
      if (!t.arn.startsWith('arn:')) c.fail(path, 'arn must start with "arn:"');
    } else c.fail(path, 'must be {queue}, {function} or {arn}');
  };
  for (const [i, f] of fns.entries()) {
    const p = `functions[${i}]`;
    const o = f as Obj;
    c.str(o.runtime, `${p}.runtime`);
    c.num(o.timeoutSeconds, `${p}.timeoutSeconds`, 1, 900);
    c.num(o.memoryMb, `${p}.memoryMb`, 128, 10240);
    c.optNum(o.reservedConcurrency, `${p}.reservedConcurrency`, 0, 100000);
    if (o.deadLetterQueue !== undefined) {
      target(o.deadLetterQueue, `${p}.deadLetterQueue`);
      if (isObj(o.deadLetterQueue) && 'function' in o.deadLetterQueue) c.fail(`${p}.deadLetterQueue`, 'a DLQ is an SQS queue or SNS topic, not a function');
    }
    if (o.eventInvokeConfig !== undefined) {
      const e = c.obj(o.eventInvokeConfig, `${p}.eventInvokeConfig`);
      c.optNum(e.maximumRetryAttempts, `${p}.eventInvokeConfig.maximumRetryAttempts`, 0, 2);
      c.optNum(e.maximumEventAgeInSeconds, `${p}.eventInvokeConfig.maximumEventAgeInSeconds`, 60, 21600);
      if (e.onSuccess !== undefined) target(e.onSuccess, `${p}.eventInvokeConfig.onSuccess`);
      if (e.onFailure !== undefined) target(e.onFailure, `${p}.eventInvokeConfig.onFailure`);
    }
    if (o.alias !== undefined) {
      const a = c.obj(o.alias, `${p}.alias`);
      c.str(a.name, `${p}.alias.name`);
      if (!/^\d+$/.test(c.str(a.version, `${p}.alias.version`))) c.fail(`${p}.alias.version`, 'must be a published version number');
      c.optNum(a.provisionedConcurrency, `${p}.alias.provisionedConcurrency`, 0, 10000);
    }
    if (o.logStyle !== undefined && o.logStyle !== 'runtime' && o.logStyle !== 'powertools') c.fail(`${p}.logStyle`, 'must be "runtime" or "powertools"');
    const b = c.obj(o.behavior, `${p}.behavior`);
    c.dist(b.durationMs, `${p}.behavior.durationMs`);
    if (b.initDurationMs !== undefined) c.dist(b.initDurationMs, `${p}.behavior.initDurationMs`);
    if (b.memoryUsedMb !== undefined) c.dist(b.memoryUsedMb, `${p}.behavior.memoryUsedMb`);
    c.optNum(b.keepWarmMinutes, `${p}.behavior.keepWarmMinutes`, 0);
    if (b.sizeField !== undefined) c.str(b.sizeField, `${p}.behavior.sizeField`);
    if (b.msPerMb !== undefined) c.curve(b.msPerMb, `${p}.behavior.msPerMb`);
    if (b.downstream !== undefined) {
      const d = c.obj(b.downstream, `${p}.behavior.downstream`);
      c.curve(d.capacity, `${p}.behavior.downstream.capacity`, 1);
      c.num(d.slowdown, `${p}.behavior.downstream.slowdown`, 0);
      c.num(d.errorRate, `${p}.behavior.downstream.errorRate`, 0, 1);
      c.str(d.errorType, `${p}.behavior.downstream.errorType`);
      c.str(d.errorMessage, `${p}.behavior.downstream.errorMessage`);
    }
    if (b.errors !== undefined) {
      c.arr(b.errors, `${p}.behavior.errors`).forEach((e, j) => {
        const q = `${p}.behavior.errors[${j}]`;
        const eo = c.obj(e, q);
        if (eo.kind !== 'handled' && eo.kind !== 'unhandled') c.fail(`${q}.kind`, 'must be "handled" or "unhandled"');
        c.curve(eo.rate, `${q}.rate`);
        c.str(eo.errorType, `${q}.errorType`);
        c.str(eo.errorMessage, `${q}.errorMessage`);
      });
    }
  }
  if (!functionNames.has(c.str(s.primaryFunction, 'primaryFunction'))) c.fail('primaryFunction', `unknown function "${String(s.primaryFunction)}"`);

  if (s.eventSourceMappings !== undefined) {
    c.arr(s.eventSourceMappings, 'eventSourceMappings').forEach((m, i) => {
      const p = `eventSourceMappings[${i}]`;
      const o = c.obj(m, p);
      if (!queueNames.has(c.str(o.queue, `${p}.queue`))) c.fail(`${p}.queue`, `unknown queue "${String(o.queue)}"`);
      if (!functionNames.has(c.str(o.function, `${p}.function`))) c.fail(`${p}.function`, `unknown function "${String(o.function)}"`);
      c.optNum(o.batchSize, `${p}.batchSize`, 1, 10);
      c.optNum(o.maximumConcurrency, `${p}.maximumConcurrency`, 2, 1000);
    });
  }
  c.arr(s.producers, 'producers').forEach((pr, i) => {
    const p = `producers[${i}]`;
    const o = c.obj(pr, p);
    c.str(o.name, `${p}.name`);
    const t = c.obj(o.target, `${p}.target`);
    if (typeof t.function === 'string') {
      if (!functionNames.has(t.function)) c.fail(`${p}.target`, `unknown function "${t.function}"`);
      if (t.qualifier !== undefined) {
        const fn = fns.find((f) => (f as Obj).name === t.function) as Obj;
        const alias = fn.alias as Obj | undefined;
        if (t.qualifier !== '$LATEST' && t.qualifier !== alias?.name && t.qualifier !== alias?.version) c.fail(`${p}.target.qualifier`, `unknown qualifier "${String(t.qualifier)}"`);
      }
    } else if (typeof t.queue === 'string') {
      if (!queueNames.has(t.queue)) c.fail(`${p}.target`, `unknown queue "${t.queue}"`);
    } else c.fail(`${p}.target`, 'must be {function} or {queue}');
    c.curve(o.ratePerSecond, `${p}.ratePerSecond`);
    c.optNum(o.noise, `${p}.noise`, 0, 2);
    if (o.payload === undefined) c.fail(`${p}.payload`, 'is required');
    if (o.sizeBytes !== undefined) c.dist(o.sizeBytes, `${p}.sizeBytes`);
    if (o.largeShare !== undefined) c.curve(o.largeShare, `${p}.largeShare`);
    if (o.largeSizeBytes !== undefined) c.dist(o.largeSizeBytes, `${p}.largeSizeBytes`);
  });
  c.arr(s.timeline, 'timeline').forEach((e, i) => {
    const o = c.obj(e, `timeline[${i}]`);
    c.num(o.at, `timeline[${i}].at`, 0, cycle);
    c.str(o.note, `timeline[${i}].note`);
  });
  return data as Scenario;
}

// ---- curves ----------------------------------------------------------------------------------

/** Compiles a curve into a function of the scenario minute (cycled). */
export function compileCurve(curve: Curve | undefined, cycleMinutes: number, fallback = 0): (minute: number) => number {
  if (curve === undefined) return () => fallback;
  if (typeof curve === 'number') return () => curve;
  const xs = curve.map((p) => p[0]);
  const ys = curve.map((p) => p[1]);
  const n = xs.length;
  return (minute: number) => {
    const m = ((minute % cycleMinutes) + cycleMinutes) % cycleMinutes;
    if (m <= xs[0]!) return ys[0]!;
    if (m >= xs[n - 1]!) return ys[n - 1]!;
    let i = 1;
    while (xs[i]! < m) i++;
    const x0 = xs[i - 1]!;
    const x1 = xs[i]!;
    const y0 = ys[i - 1]!;
    const y1 = ys[i]!;
    return x1 === x0 ? y1 : y0 + ((y1 - y0) * (m - x0)) / (x1 - x0);
  };
}
