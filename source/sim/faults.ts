// Fault injection for the simulator's HTTP face: per operation ('Invoke', 'SendMessageBatch', ... or '*'),
// a fraction of calls answered with the protocol's throttling error or a 500, connections dropped before the
// call is handled (no effect) or after (the effect happened, the answer is lost), slow answers, and for SQS
// batch operations a fraction of entries reported Failed (those entries are really not performed).
// Randomness is seeded, so a test run is reproducible. Also counts every mutating call received.
import {createRandom} from './random.ts';

export interface FaultRule {
  /** Operation name ('Invoke', 'SendMessageBatch', 'GetMetricData', ...) or '*' for every operation. */
  operation: string;
  /** Fraction (0..1) of calls answered with the protocol's throttling error. */
  throttle?: number;
  /** Fraction answered with a 500 internal error (the call has no effect). */
  error?: number;
  /** Fraction answered as an unknown operation, the way emulators answer what they do not implement (no effect). */
  unsupported?: number;
  /** Fraction answered with the service's access-denied error, as for a caller whose IAM policy lacks the action (no effect). */
  accessDenied?: number;
  /** Fraction whose connection is destroyed before the call is handled (the call has no effect). */
  drop?: number;
  /** Fraction whose connection is destroyed mid-response after the call was handled (effect happened, answer lost). */
  dropAfter?: number;
  /** Wall milliseconds to wait before handling a call. */
  delayMs?: number;
  /** Fraction of calls delayed by delayMs (default 1 when delayMs is set). */
  delay?: number;
  /** SQS batch operations: fraction of entries reported Failed (and not performed). */
  failEntries?: number;
}

export interface FaultConfig {
  rules: FaultRule[];
  seed?: number;
}

export type FaultKind = 'throttle' | 'error' | 'unsupported' | 'accessDenied' | 'drop' | 'dropAfter' | 'delay' | 'failEntry';

export interface FaultDecision {
  /** What to do with the call instead of (or, for dropAfter, after) answering it normally. */
  action: 'none' | 'throttle' | 'error' | 'unsupported' | 'accessDenied' | 'drop' | 'dropAfter';
  /** Wall ms to wait first (0 = none). */
  delayMs: number;
}

/** Operations that change state, counted per operation as they are received. ReceiveMessage counts: it
 * hides messages and increments their receive count. */
export const MUTATING_OPERATIONS: ReadonlySet<string> = new Set([
  'Invoke',
  'InvokeAsync',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'PurgeQueue',
  'StartMessageMoveTask',
  'CancelMessageMoveTask',
  'CreateQueue',
  'DeleteQueue',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
  'AddPermission',
  'RemovePermission',
  'PutFunctionEventInvokeConfig',
  'UpdateFunctionEventInvokeConfig',
  'DeleteFunctionEventInvokeConfig',
  'PutFunctionConcurrency',
  'DeleteFunctionConcurrency',
  'UpdateEventSourceMapping',
  'PutMetricData',
  'PutLogEvents',
]);

/** SQS batch operations whose entries can fail one by one. */
export const BATCH_OPERATIONS: ReadonlySet<string> = new Set(['SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch']);

const FRACTIONS = ['throttle', 'error', 'unsupported', 'accessDenied', 'drop', 'dropAfter', 'delay', 'failEntries'] as const;

/** Validates a fault configuration (e.g. a POST /_lambda-top/faults body); throws TypeError with a clear message. */
export function parseFaultConfig(value: unknown): FaultConfig {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('fault config must be an object {rules: [...], seed?}');
  const {rules, seed} = value as {rules?: unknown; seed?: unknown};
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) throw new TypeError('seed must be an integer');
  if (!Array.isArray(rules)) throw new TypeError('rules must be an array');
  const parsed = rules.map((rule, i): FaultRule => {
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) throw new TypeError(`rules[${i}] must be an object`);
    const r = rule as Record<string, unknown>;
    if (typeof r.operation !== 'string' || r.operation === '') throw new TypeError(`rules[${i}].operation must be an operation name or "*"`);
    for (const key of Object.keys(r)) {
      if (key !== 'operation' && key !== 'delayMs' && !(FRACTIONS as readonly string[]).includes(key)) throw new TypeError(`rules[${i}].${key} is not a fault setting`);
    }
    const out: FaultRule = {operation: r.operation};
    for (const key of FRACTIONS) {
      const v = r[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new TypeError(`rules[${i}].${key} must be a fraction between 0 and 1`);
      out[key] = v;
    }
    if (r.delayMs !== undefined) {
      if (typeof r.delayMs !== 'number' || !(r.delayMs >= 0 && r.delayMs <= 600_000)) throw new TypeError(`rules[${i}].delayMs must be between 0 and 600000`);
      out.delayMs = r.delayMs;
    }
    const total = (out.throttle ?? 0) + (out.error ?? 0) + (out.unsupported ?? 0) + (out.accessDenied ?? 0) + (out.drop ?? 0) + (out.dropAfter ?? 0);
    if (total > 1 + 1e-9) throw new TypeError(`rules[${i}]: throttle + error + unsupported + accessDenied + drop + dropAfter must not exceed 1`);
    return out;
  });
  return seed === undefined ? {rules: parsed} : {rules: parsed, seed};
}

export class FaultInjector {
  private ruleList: FaultRule[] = [];
  private random: () => number;
  private currentSeed: number;
  private readonly receivedCounts: Record<string, number> = {};
  private readonly injectedCounts: Record<string, Partial<Record<FaultKind, number>>> = {};

  constructor(options: {seed?: number; rules?: FaultRule[]} = {}) {
    this.currentSeed = options.seed ?? 1;
    this.random = createRandom(this.currentSeed).next;
    if (options.rules) this.ruleList = parseFaultConfig({rules: options.rules}).rules;
  }

  /** Replaces the rules (and reseeds when a seed is given). */
  configure(config: FaultConfig): void {
    const parsed = parseFaultConfig(config);
    this.ruleList = parsed.rules;
    if (parsed.seed !== undefined) {
      this.currentSeed = parsed.seed;
      this.random = createRandom(parsed.seed).next;
    }
  }

  clear(): void {
    this.ruleList = [];
  }

  get rules(): readonly FaultRule[] {
    return this.ruleList;
  }

  get seed(): number {
    return this.currentSeed;
  }

  /** The rule for an operation: an exact match wins over '*'. */
  ruleFor(operation: string): FaultRule | undefined {
    return this.ruleList.find((r) => r.operation === operation) ?? this.ruleList.find((r) => r.operation === '*');
  }

  private count(operation: string, kind: FaultKind): void {
    const entry = (this.injectedCounts[operation] ??= {});
    entry[kind] = (entry[kind] ?? 0) + 1;
  }

  /** Draws the fate of one call (and counts the faults it injects). */
  decide(operation: string): FaultDecision {
    const rule = this.ruleFor(operation);
    if (!rule) return {action: 'none', delayMs: 0};
    let delayMs = 0;
    if (rule.delayMs && this.random() < (rule.delay ?? 1)) {
      delayMs = rule.delayMs;
      this.count(operation, 'delay');
    }
    const r = this.random();
    let edge = 0;
    for (const action of ['throttle', 'error', 'unsupported', 'accessDenied', 'drop', 'dropAfter'] as const) {
      edge += rule[action] ?? 0;
      if (r < edge) {
        this.count(operation, action);
        return {action, delayMs};
      }
    }
    return {action: 'none', delayMs};
  }

  /** For SQS batch operations: whether this entry is to be reported Failed (counted when true). */
  failEntry(operation: string): boolean {
    const rule = this.ruleFor(operation);
    if (!rule?.failEntries) return false;
    if (this.random() < rule.failEntries) {
      this.count(operation, 'failEntry');
      return true;
    }
    return false;
  }

  /** Counts a call as received (only mutating operations are counted). */
  noteReceived(operation: string): void {
    if (MUTATING_OPERATIONS.has(operation)) this.receivedCounts[operation] = (this.receivedCounts[operation] ?? 0) + 1;
  }

  /** Mutating calls received, per operation (including ones a fault then rejected). */
  get received(): Readonly<Record<string, number>> {
    return this.receivedCounts;
  }

  /** Faults injected, per operation and kind. */
  get injected(): Readonly<Record<string, Partial<Record<FaultKind, number>>>> {
    return this.injectedCounts;
  }

  resetCounters(): void {
    for (const key of Object.keys(this.receivedCounts)) delete this.receivedCounts[key];
    for (const key of Object.keys(this.injectedCounts)) delete this.injectedCounts[key];
  }
}
