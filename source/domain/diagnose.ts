// The diagnosis: pure rules over one snapshot (configuration, metrics, queue depths, a sample of failed events)
// that name what is wrong in plain words, with the numbers. Covers the pitfalls of docs/aws-async.md section 9
// plus failed events waiting, a high error rate, FIFO targets and unreadable queues.
//
// Principles:
// - Never claim anything from unknown data. A topology field listed in `topology.unknown`, a metric that was
//   Forbidden or never fetched, a queue depth not read yet: the rules that need it stay silent, and one 'info'
//   finding says what could not be checked.
// - The newest CloudWatch minute is usually incomplete (series.partialFrom): only complete points are used.
// - One finding per rule (a rule that concerns several queues lists them), so ids are stable and unique.
// - Ranked by severity (critical, warning, info), then impact.
import type {Finding, FunctionTopology, MetricSeries, MetricsSnapshot, QueueRole, QueueStatus, Severity, Target} from './types.ts';
import {completePoints, sumValues, trendPerMinute} from './sparkline.ts';
import {formatAgeSeconds, formatCount, formatDurationMs, formatPercent} from './format.ts';
import {isFifoTargetArn} from './arn.ts';
import {droppedBreakdown, type KeptIn} from './dropped.ts';
import {queueWaiting} from './waiting.ts';
import {hiddenFromMetricWords, queueAge, type PeekLog, type QueueAge} from './queue-age.ts';

export interface DiagnoseInput {
  topology: FunctionTopology | null;
  metrics: MetricsSnapshot | null;
  queues: QueueStatus[];
  /** Failed events inspected (e.g. the loaded page of the failure queues): how many, how many timed out. */
  failureSample?: {total: number; timeouts: number};
  /** What our own peeks saw per queue URL: SentTimestamps bound the oldest age, receive counts > 3 hide messages
   * from the age metric (domain/queue-age.ts). */
  peeks?: PeekLog;
  now: number;
}

/** Lambda's defaults when the event invoke config was never set. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;
/** Back-off before the 2nd and the 3rd attempt after a function error (about 1 and 2 minutes). */
export const RETRY_DELAYS_SECONDS = [60, 120] as const;

/** Thresholds, exported for tests and the help screen. */
export const THRESHOLDS = {
  /** Minutes of recent data the trend and throttle rules look at. */
  recentMinutes: 10,
  /** Minutes of recent data the error-rate rule looks at. */
  errorMinutes: 5,
  /** Error rate (errors / invocations) for a warning, and for critical. */
  errorRateWarning: 0.05,
  errorRateCritical: 0.5,
  /** Fewer invocations than this in the error window are not judged. */
  errorMinInvocations: 10,
  /** Concurrency counts as "at the limit" from this fraction of it. */
  atLimitRatio: 0.9,
  /** Event age rising faster than this (seconds per minute) counts as rising. */
  ageRisingSecondsPerMinute: 5,
  /** Event age worth a finding without throttles: this fraction of MaximumEventAge. */
  ageConcernRatio: 0.5,
  /** Projected age-out within this many minutes is critical. */
  ageOutCriticalMinutes: 30,
  /** Oldest DLQ message at this fraction of the retention: warning; critical from the second value or < 1 day left. */
  retentionWarningRatio: 0.75,
  retentionCriticalRatio: 0.9,
  /** Failure samples needed before judging timeouts, and the share that "dominates". */
  timeoutMinSample: 5,
  timeoutDominantRatio: 0.5,
  /** AWS's advice for SQS event sources: visibility timeout at least 6 x the function timeout. */
  visibilityFactor: 6,
  /** Duration max at this fraction of the timeout counts as hitting it. */
  durationAtTimeoutRatio: 0.98,
} as const;

const SEVERITY_RANK: Record<Severity, number> = {critical: 0, warning: 1, info: 2};

interface Ranked extends Finding {
  impact: number;
}

/** Where the failure of a role goes, in words. */
const ROLE_WORDS: Record<QueueRole, string> = {
  'dlq': 'the DLQ',
  'on-failure': 'the OnFailure destination',
  'on-success': 'the OnSuccess destination',
  'source': 'the event source queue',
  'source-dlq': "the event source queue's DLQ",
};

const FAILURE_ROLES: ReadonlySet<QueueRole> = new Set(['dlq', 'on-failure', 'source-dlq']);

function targetWords(target: Target): string {
  switch (target.kind) {
    case 'sqs':
      return `SQS queue ${target.name}`;
    case 'sns':
      return `SNS topic ${target.name}`;
    case 'lambda':
      return `function ${target.name}`;
    case 'eventbridge':
      return `event bus ${target.name}`;
    case 's3':
      return `S3 bucket ${target.name}`;
    default:
      return target.arn;
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

function minutesWords(minutes: number): string {
  if (minutes < 1) return 'under a minute';
  return formatAgeSeconds(Math.round(minutes) * 60);
}

/** Seconds-per-minute as "3 min/min" or "40 s/min". */
function rateWords(secondsPerMinute: number): string {
  return secondsPerMinute >= 60 ? `${formatAgeSeconds(secondsPerMinute)}/min` : `${Math.round(secondsPerMinute)} s/min`;
}

// ---- reading metrics ----

class Metrics {
  constructor(
    private readonly snapshot: MetricsSnapshot | null,
    private readonly now: number,
  ) {}

  series(key: string): MetricSeries | null {
    return this.snapshot?.series[key] ?? null;
  }

  /** A series we may read: fetched, not Forbidden/InternalError. */
  known(key: string): boolean {
    const s = this.series(key);
    if (!s) return false;
    if (s.status === 'Forbidden' || s.status === 'InternalError') return false;
    if (s.status === null && s.points.length === 0) return false;
    return true;
  }

  points(key: string, minutes?: number): Array<[number, number]> {
    const s = this.series(key);
    if (!s || !this.known(key)) return [];
    const points = completePoints(s);
    if (minutes === undefined) return points;
    const from = this.now - minutes * 60_000;
    return points.filter((p) => p[0] >= from);
  }

  /** Sum of complete points in the last `minutes` (whole window when omitted); null when the series is unknown. */
  sum(key: string, minutes?: number): number | null {
    if (!this.known(key)) return null;
    return sumValues(this.points(key, minutes));
  }

  max(key: string, minutes?: number): number | null {
    if (!this.known(key)) return null;
    const pts = this.points(key, minutes);
    if (pts.length === 0) return null;
    let m = -Infinity;
    for (let i = 0; i < pts.length; i++) if (pts[i]![1] > m) m = pts[i]![1];
    return m;
  }

  /** Newest complete point. */
  last(key: string): [number, number] | null {
    const pts = this.points(key);
    return pts[pts.length - 1] ?? null;
  }

  /** Minutes the whole window covers. */
  windowMinutes(): number {
    if (!this.snapshot) return 0;
    return Math.max(1, Math.round((this.snapshot.end - this.snapshot.start) / 60_000));
  }

  unit(key: string): string {
    return this.series(key)?.unit ?? '';
  }

  all(): MetricSeries[] {
    return Object.values(this.snapshot?.series ?? {});
  }
}

/** AsyncEventAge to seconds (the metric is in milliseconds; accept seconds when the series says so). */
function ageSeconds(value: number, unit: string): number {
  return unit === 'Seconds' ? value : value / 1000;
}

// ---- the rules ----

interface Context {
  topology: FunctionTopology | null;
  metrics: Metrics;
  snapshot: MetricsSnapshot | null;
  hasMetrics: boolean;
  queues: QueueStatus[];
  failureSample: {total: number; timeouts: number} | undefined;
  peeks: PeekLog;
  now: number;
}

function isKnown(topology: FunctionTopology, field: string): boolean {
  return !Object.prototype.hasOwnProperty.call(topology.unknown ?? {}, field);
}

function retriesOf(t: FunctionTopology): number | null {
  if (!isKnown(t, 'maximumRetryAttempts')) return null;
  return t.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
}

function maxAgeOf(t: FunctionTopology): number | null {
  if (!isKnown(t, 'maximumEventAgeSeconds')) return null;
  return t.maximumEventAgeSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS;
}

/** Where failed events go, in words, when known: "the DLQ SQS queue x and the OnFailure destination …". */
function failureTargetsWords(t: FunctionTopology): string | null {
  if (!isKnown(t, 'onFailure') || !isKnown(t, 'deadLetterTarget')) return null;
  const parts: string[] = [];
  if (t.onFailure) parts.push(`the OnFailure destination (${targetWords(t.onFailure)})`);
  if (t.deadLetterTarget) parts.push(`the DLQ (${targetWords(t.deadLetterTarget)})`);
  // AWS sends each failure to both when both are set (reference section 1), not to one or the other
  return parts.length === 2 ? `both ${parts[0]} and ${parts[1]}` : parts.length === 1 ? parts[0]! : '';
}

/** What happens to events (or one event) that leave the async queue unprocessed. */
function fateWords(t: FunctionTopology, one = false): string {
  const targets = failureTargetsWords(t);
  const go = one ? 'goes' : 'go';
  if (targets === null) return `${go} to the failure target, if any (not known)`;
  if (targets === '') return `${one ? 'is' : 'are'} dropped (no DLQ or OnFailure destination)`;
  return `${go} to ${targets}`;
}

function queueLabel(q: QueueStatus): string {
  return `${ROLE_WORDS[q.role]} ${q.name}`;
}

function ruleReservedZero(c: Context): Ranked[] {
  const t = c.topology;
  if (!t || !isKnown(t, 'reservedConcurrency') || t.reservedConcurrency !== 0) return [];
  const targets = failureTargetsWords(t);
  const consequence =
    targets === null
      ? 'Every new async event fails at once, without retries, and goes to the failure target if there is one.'
      : targets === ''
        ? 'Every new async event fails at once, without retries, and is dropped: there is no DLQ or OnFailure destination.'
        : `Every new async event fails at once, without retries, and goes to ${targets}.`;
  return [{
    id: 'reserved-zero', severity: 'critical', impact: 95,
    title: 'Reserved concurrency is 0: the function is switched off',
    detail: `The function's reserved concurrency is 0, so Lambda runs no instance of it. ${consequence}`,
  }];
}

function ruleEventsDropped(c: Context): Ranked[] {
  const b = droppedBreakdown(c.topology, c.snapshot);
  if (!b || b.dropped <= 0) return [];
  const {dropped, lost} = b;
  const t = c.topology;
  const window = c.metrics.windowMinutes();
  const last = c.metrics.points('AsyncEventsDropped').filter((p) => p[1] > 0).pop();
  const causes: string[] = [];
  if (t && isKnown(t, 'reservedConcurrency') && t.reservedConcurrency === 0) causes.push('reserved concurrency is 0');
  if (t) {
    const maxAge = maxAgeOf(t);
    const ageMax = c.metrics.max('AsyncEventAge.max') ?? c.metrics.max('AsyncEventAge');
    const unit = c.metrics.known('AsyncEventAge.max') ? c.metrics.unit('AsyncEventAge.max') : c.metrics.unit('AsyncEventAge');
    if (maxAge !== null && ageMax !== null && ageSeconds(ageMax, unit) >= maxAge * 0.9) {
      causes.push(`events reached the maximum event age (${formatAgeSeconds(maxAge)})`);
    }
  }
  const errors = c.metrics.sum('Errors') ?? 0;
  if (errors > 0 && causes.length === 0) causes.push(`retries were exhausted (${plural(errors, 'error')} in the window)`);
  const cause = causes.length > 0 ? ` Likely cause: ${causes.join('; ')}.` : ' The cause is not visible in the metrics (age, retries or concurrency 0).';
  const period = c.snapshot?.periodSeconds ?? 60;
  const when = last ? ` The latest were ${formatCount(last[1])} in the ${periodWords(period)} starting ${new Date(last[0]).toISOString().slice(11, 16)} UTC.` : '';
  const what = `Lambda gave up on ${plural(dropped, 'async event')} in the last ${minutesWords(window)} (AsyncEventsDropped counts every event it discards, including those it sent to a DLQ or OnFailure destination first: dropped is not lost).`;
  // A queue or topic holds what it was given; a Lambda destination is invoked with it (asynchronously, under
  // its own retries and failure targets), so it does not hold anything to inspect or redrive here.
  const keptIn = b.keptIn.filter((k) => k.count > 0);
  const held = keptIn.filter((k) => k.target.kind !== 'lambda');
  const handed = keptIn.filter((k) => k.target.kind === 'lambda');
  const where = (k: KeptIn) => `${formatCount(k.count)} in ${k.role === 'dlq' ? 'the DLQ' : 'the OnFailure destination'} (${targetWords(k.target)})`;
  const twice = keptIn.length > 1 ? ' (the same failures, once in each)' : '';
  const keptWords =
    (held.length > 0 ? ` Kept: ${held.map(where).join(' and ')}${handed.length === 0 ? twice : ''}, waiting to be inspected and redriven.` : '') +
    (handed.length > 0
      ? ` ${held.length > 0 ? 'Also handed' : 'Handed'} to ${handed.map((k) => `${k.role === 'dlq' ? 'the DLQ' : 'the OnFailure destination'} ${targetWords(k.target)} (${formatCount(k.count)})`).join(' and ')}${held.length > 0 ? twice : ''}: a function destination runs each event asynchronously with its own retries and failure targets, so if it fails too the event is lost one hop later.`
      : '');
  let lostWords: string;
  let title: string;
  if (lost === null) {
    title = `${plural(dropped, 'event')} dropped`;
    lostWords = ' Whether any are lost is not known: the failure targets or their failed-write metrics could not be read.';
  } else if (b.lostBecause === 'no-target') {
    title = `${plural(dropped, 'event')} dropped and lost: no failure target`;
    lostWords = ` Lost: all ${formatCount(lost)}, as there is no DLQ or OnFailure destination; they can only be replayed from the producer.`;
  } else if (lost > 0) {
    title = `${plural(dropped, 'event')} dropped: ${b.lostIsUpperBound ? 'up to ' : ''}${formatCount(lost)} lost, ${formatCount(b.kept ?? 0)} kept`;
    const metric = b.keptIn.length > 1 ? 'DeadLetterErrors and DestinationDeliveryFailures' : b.keptIn[0]!.role === 'dlq' ? 'DeadLetterErrors' : 'DestinationDeliveryFailures';
    lostWords = ` Lost: ${b.lostIsUpperBound ? 'up to ' : ''}${formatCount(lost)}, whose write to the failure target failed (${metric}); they can only be replayed from the producer.`;
  } else {
    title = `${plural(dropped, 'event')} dropped, all kept`;
    lostWords = ' None lost: every write to the failure target succeeded.';
  }
  return [{
    id: 'events-dropped', severity: lost === null || lost > 0 ? 'critical' : 'warning', impact: (lost === null || lost > 0 ? 100 : 55) + Math.log10(1 + dropped),
    title,
    detail: `${what}${when}${cause}${keptWords}${lostWords}`,
  }];
}

/** "minute", "2 minutes", "5 minutes" for a metric period. */
function periodWords(periodSeconds: number): string {
  return periodSeconds <= 60 ? 'minute' : periodSeconds % 60 === 0 ? `${periodSeconds / 60} minutes` : `${periodSeconds} s`;
}

function ruleSafetyNet(c: Context): Ranked[] {
  const dlqErrors = c.metrics.sum('DeadLetterErrors');
  const destinationFailures = c.metrics.sum('DestinationDeliveryFailures');
  const parts: string[] = [];
  const t = c.topology;
  if (dlqErrors !== null && dlqErrors > 0) {
    parts.push(`${plural(dlqErrors, 'write')} to the DLQ${t?.deadLetterTarget ? ` (${targetWords(t.deadLetterTarget)})` : ''} failed (DeadLetterErrors)`);
  }
  if (destinationFailures !== null && destinationFailures > 0) {
    const dest = t?.onFailure ? ` (${targetWords(t.onFailure)})` : '';
    parts.push(`${plural(destinationFailures, 'delivery', 'deliveries')} to a destination${dest} failed (DestinationDeliveryFailures)`);
  }
  if (parts.length === 0) return [];
  const total = (dlqErrors ?? 0) + (destinationFailures ?? 0);
  return [{
    id: 'safety-net-failing', severity: 'critical', impact: 90 + Math.log10(1 + total),
    title: 'The safety net is failing',
    detail: `In the last ${minutesWords(c.metrics.windowMinutes())}, ${parts.join(' and ')}: check the target's permissions (sqs:SendMessage / sns:Publish for the function's role), its KMS key, the message size and that it is not FIFO. ${failedWriteFate(t)}`,
  }];
}

/** What becomes of an event whose write to a failure target failed (reference section 1: lost, unless the other
 * target of a function with both took it). */
function failedWriteFate(t: FunctionTopology | null): string {
  if (t?.deadLetterTarget && t.onFailure) {
    return 'With both a DLQ and an OnFailure destination, an event whose write to one failed is still kept in the other if that write succeeded; one that neither took is lost and can only be replayed from the producer.';
  }
  return 'An event whose write failed is lost: no queue holds it, it can only be replayed from the producer.';
}

function ruleFifoTarget(c: Context): Ranked[] {
  const found = new Map<string, string>();
  const t = c.topology;
  if (t) {
    const candidates: Array<[string, Target | null, string]> = [
      ['DLQ', t.deadLetterTarget, 'deadLetterTarget'],
      ['OnFailure destination', t.onFailure, 'onFailure'],
      ['OnSuccess destination', t.onSuccess, 'onSuccess'],
    ];
    for (const [label, target, field] of candidates) {
      if (target && isKnown(t, field) && isFifoTargetArn(target.arn)) found.set(`${label} ${target.arn}`, `the ${label} ${targetWords(target)}`);
    }
  }
  for (const q of c.queues) {
    if (!q.fifo || (q.role !== 'dlq' && q.role !== 'on-failure' && q.role !== 'on-success')) continue;
    const label = q.role === 'dlq' ? 'DLQ' : q.role === 'on-failure' ? 'OnFailure destination' : 'OnSuccess destination';
    if (![...found.keys()].some((k) => k.endsWith(q.arn))) found.set(`${label} ${q.arn}`, `the ${label} SQS queue ${q.name}`);
  }
  if (found.size === 0) return [];
  const list = [...found.values()];
  return [{
    id: 'fifo-target', severity: 'critical', impact: 88,
    title: 'A FIFO queue or topic is set as a failure target',
    detail: `${list.join(' and ')} ${list.length === 1 ? 'is' : 'are'} FIFO, which Lambda does not support for DLQs or destinations. Every delivery there fails (DeadLetterErrors / DestinationDeliveryFailures), so failed events are lost; use a standard queue or topic.`,
  }];
}

function ruleNoFailureTarget(c: Context): Ranked[] {
  const t = c.topology;
  if (!t || !isKnown(t, 'onFailure') || !isKnown(t, 'deadLetterTarget')) return [];
  if (t.onFailure || t.deadLetterTarget) return [];
  const received = c.metrics.sum('AsyncEventsReceived');
  const errors = c.metrics.sum('Errors');
  const dropped = c.metrics.sum('AsyncEventsDropped');
  const window = minutesWords(c.metrics.windowMinutes());
  const retries = retriesOf(t);
  const retryWords = retries === null ? 'after its retries' : retries === 0 ? 'after its first failure (no retries)' : `after ${plural(retries, 'retry', 'retries')}`;
  const base = `Neither a DLQ nor an OnFailure destination is configured, so an async event that still fails ${retryWords}, or grows too old, is discarded.`;
  const noAsyncTraffic = received !== null && received === 0 && c.hasMetrics;
  const dropping = dropped !== null && dropped > 0;
  // Errors only mean lost async events when there is async traffic (an SQS event source's errors are not).
  if (dropping || (!noAsyncTraffic && errors !== null && errors > 0)) {
    const facts = [errors ? plural(errors, 'error') : null, dropped ? `${formatCount(dropped)} dropped` : null].filter(Boolean).join(', ');
    return [{
      id: 'no-failure-target', severity: 'critical', impact: 80,
      title: 'Failed events are discarded: no DLQ or OnFailure destination',
      detail: `${base} With ${facts} in the last ${window}, events are being lost silently; add an OnFailure destination (an SQS queue) to keep them.`,
    }];
  }
  if (noAsyncTraffic) {
    return [{
      id: 'no-failure-target', severity: 'info', impact: 10,
      title: 'No DLQ or OnFailure destination',
      detail: `${base} No async invocations were seen in the last ${window}; if the function is invoked asynchronously, add an OnFailure destination.`,
    }];
  }
  return [{
    id: 'no-failure-target', severity: 'warning', impact: 70,
    title: 'Failed events would be discarded: no DLQ or OnFailure destination',
    detail: `${base} The next failure is lost without a trace; add an OnFailure destination (an SQS queue) to keep failed events for inspection and redrive.`,
  }];
}

function ruleBothTargets(c: Context): Ranked[] {
  const t = c.topology;
  if (!t || !isKnown(t, 'onFailure') || !isKnown(t, 'deadLetterTarget') || !t.onFailure || !t.deadLetterTarget) return [];
  const dlq = t.deadLetterTarget;
  const dest = t.onFailure;
  if (dlq.arn === dest.arn) {
    return [{
      id: 'both-dlq-and-destination', severity: 'info', impact: 20,
      title: 'The DLQ and the OnFailure destination are the same queue',
      detail: `Both the DLQ and the OnFailure destination point to ${targetWords(dlq)}. AWS sends each failure to both, so the queue holds every failure twice, under one request id: the raw event with error attributes and the invocation record. lambda-top reads both kinds; redrive each request id once.`,
    }];
  }
  const depth = (role: QueueRole, target: Target): string => {
    if (target.kind !== 'sqs') return `is ${targetWords(target)} (not a queue: what it received cannot be counted here)`;
    const q = c.queues.find((x) => x.role === role && x.arn === target.arn);
    if (!q || q.visible === null) return `${targetWords(target)} has an unknown depth`;
    return `${targetWords(target)} holds ${plural(queueWaiting(q) ?? 0, 'message')}`;
  };
  return [{
    id: 'both-dlq-and-destination', severity: 'warning', impact: 40,
    title: 'Both a DLQ and an OnFailure destination: every failure is in both',
    detail: `AWS sends each failed event to both: the raw event (with RequestID, ErrorCode and ErrorMessage attributes) to the DLQ, and the invocation record to the OnFailure destination, under the same request id. Right now the DLQ ${depth('dlq', dlq)} and the OnFailure destination ${depth('on-failure', dest)}. Redrive each request id once (redriving both queues sends every such event twice), and consider removing the DLQ: the destination keeps more (the error, the attempts and the request).`,
  }];
}

function ageSeries(c: Context): {key: string; unit: string} | null {
  for (const key of ['AsyncEventAge.max', 'AsyncEventAge']) {
    if (c.metrics.known(key) && c.metrics.points(key).length > 0) return {key, unit: c.metrics.unit(key)};
  }
  return null;
}

function ruleBacklog(c: Context): Ranked[] {
  const t = c.topology;
  const age = ageSeries(c);
  if (!age) return [];
  const recent = c.metrics.points(age.key, THRESHOLDS.recentMinutes);
  const last = c.metrics.last(age.key);
  if (!last || recent.length < 3) return [];
  const slopeRaw = trendPerMinute(recent, THRESHOLDS.recentMinutes);
  if (slopeRaw === null) return [];
  const slope = ageSeconds(slopeRaw, age.unit); // seconds of age per minute
  const ageNow = ageSeconds(last[1], age.unit);
  const rising = slope >= THRESHOLDS.ageRisingSecondsPerMinute;
  if (!rising) return [];
  const throttles = c.metrics.sum('Throttles', THRESHOLDS.recentMinutes);
  const maxAge = t ? maxAgeOf(t) : null;
  const remainingMinutes = maxAge !== null ? Math.max(0, (maxAge - ageNow) / slope) : null;
  const ageWords = `event age ${formatAgeSeconds(ageNow)} and rising ${rateWords(slope)}`;
  let ageOut = '';
  if (maxAge !== null && t) {
    const fate = fateWords(t);
    ageOut = ageNow >= maxAge
      ? ` Events have reached the maximum age of ${formatAgeSeconds(maxAge)} (MaximumEventAgeInSeconds=${maxAge}) and ${fate}.`
      : ` Events older than ${formatAgeSeconds(maxAge)} (MaximumEventAgeInSeconds=${maxAge}) ${fate}; at this rate the first one is in ~${minutesWords(remainingMinutes!)}.`;
  } else {
    ageOut = ' The maximum event age is not known, so when events start ageing out cannot be estimated.';
  }
  const urgent = remainingMinutes !== null && remainingMinutes <= THRESHOLDS.ageOutCriticalMinutes;
  const large = maxAge !== null && ageNow >= maxAge * THRESHOLDS.ageConcernRatio;

  if (throttles !== null && throttles > 0) {
    const concurrency = c.metrics.max('ConcurrentExecutions', THRESHOLDS.recentMinutes);
    const facts = [`${plural(throttles, 'throttle')} in the last ${THRESHOLDS.recentMinutes} min`];
    if (concurrency !== null) facts.push(`ConcurrentExecutions max ${formatCount(concurrency)}`);
    let limitWords = '';
    if (t && isKnown(t, 'reservedConcurrency') && t.reservedConcurrency !== null && t.reservedConcurrency > 0) {
      const atLimit = concurrency !== null && concurrency >= t.reservedConcurrency * THRESHOLDS.atLimitRatio;
      limitWords = atLimit
        ? ` at its reserved concurrency of ${t.reservedConcurrency}`
        : concurrency !== null
          ? ` below its reserved concurrency of ${t.reservedConcurrency} (burst scaling or the account limit)`
          : ` (reserved concurrency ${t.reservedConcurrency})`;
    } else if (t && isKnown(t, 'account') && t.account.unreservedConcurrentExecutions !== null) {
      const pool = t.account.unreservedConcurrentExecutions;
      const accountUse = c.metrics.max('UnreservedConcurrentExecutions', THRESHOLDS.recentMinutes);
      if (accountUse !== null && accountUse >= pool * THRESHOLDS.atLimitRatio) {
        limitWords = ` at the account's unreserved concurrency of ${formatCount(pool)}`;
        facts.push(`UnreservedConcurrentExecutions max ${formatCount(accountUse)}`);
      }
    }
    return [{
      id: 'throttling-backlog', severity: urgent || large ? 'critical' : 'warning', impact: 85 + (urgent ? 5 : 0),
      title: 'Throttling backlog: events are ageing in the async queue',
      detail: `The function is throttled${limitWords} (${facts.join(', ')}), so the async queue backs up: ${ageWords}.${ageOut}`,
    }];
  }
  if (!large && !urgent) return [];
  return [{
    id: 'event-age-rising', severity: urgent ? 'critical' : 'warning', impact: 75,
    title: 'Events are ageing in the async queue',
    detail: `Without throttles, the async queue is falling behind (slow invocations or retries): ${ageWords}.${ageOut}`,
  }];
}

function ruleEventAgeTooShort(c: Context): Ranked[] {
  const t = c.topology;
  if (!t) return [];
  const retries = retriesOf(t);
  const maxAge = maxAgeOf(t);
  if (retries === null || maxAge === null || retries === 0) return [];
  const backoff = RETRY_DELAYS_SECONDS.slice(0, retries).reduce((a, b) => a + b, 0);
  const timeout = t.timeoutSeconds;
  const needed = backoff + (timeout !== null ? (retries + 1) * timeout : 0);
  if (maxAge >= needed) return [];
  const how = timeout !== null
    ? `${formatAgeSeconds(backoff)} of back-off plus ${retries + 1} × the ${timeout} s timeout`
    : `${formatAgeSeconds(backoff)} of back-off (timeout not known)`;
  return [{
    id: 'event-age-too-short', severity: 'warning', impact: 45,
    title: 'Maximum event age is too short for the retries',
    detail: `MaximumEventAgeInSeconds=${maxAge} (${formatAgeSeconds(maxAge)}) is shorter than the ~${formatAgeSeconds(needed)} that ${plural(retries, 'retry', 'retries')} take (${how}). Failing events age out before their last retry runs and ${fateWords(t)} as too old.`,
  }];
}

function ruleRetention(c: Context): Ranked[] {
  const at: Array<{q: QueueStatus; age: QueueAge & {seconds: number}; left: number; ratio: number}> = [];
  const seen = new Set<string>();
  for (const q of c.queues) {
    if (!FAILURE_ROLES.has(q.role) || seen.has(q.arn)) continue;
    if (q.retentionSeconds === null || q.retentionSeconds <= 0) continue;
    if (q.visible !== null && (queueWaiting(q) ?? 0) === 0) continue;
    const age = queueAge(q, c.peeks[q.url], c.now);
    if (age.seconds === null || age.seconds <= 0) continue;
    const ratio = age.seconds / q.retentionSeconds;
    if (ratio < THRESHOLDS.retentionWarningRatio) continue;
    seen.add(q.arn);
    at.push({q, age: {...age, seconds: age.seconds}, left: Math.max(0, q.retentionSeconds - age.seconds), ratio});
  }
  if (at.length === 0) return [];
  at.sort((a, b) => a.left - b.left);
  const critical = at.some((x) => x.ratio >= THRESHOLDS.retentionCriticalRatio || x.left < 86_400);
  const parts = at.map(({q, age, left}) => retentionWords(q, age, left));
  const hidden = at.map(({q, age}) => {
    const words = hiddenFromMetricWords(age);
    return words ? ` In ${queueLabel(q)}, ${words}.` : '';
  }).join('');
  return [{
    id: 'dlq-retention', severity: critical ? 'critical' : 'warning', impact: 87 + 1 / (1 + at[0]!.left / 3600),
    title: 'Failed events are about to expire',
    detail: `${capitalise(parts.join('; '))}.${hidden} SQS deletes expired messages silently: redrive or export them before then, or raise the retention (up to 14 days).`,
  }];
}

/** One queue's oldest message against its retention, saying where the age comes from and which way it may be off. */
function retentionWords(q: QueueStatus, age: QueueAge & {seconds: number}, left: number): string {
  const keeps = `the queue keeps messages ${formatAgeSeconds(q.retentionSeconds)}`;
  const within = `${age.atLeast ? 'at most ' : ''}~${formatAgeSeconds(left)}`;
  if (age.from === 'peeked') {
    const sent = age.expiresFromSourceEnqueue
      ? `first entered the source queue ${formatAgeSeconds(age.seconds)} ago (its SentTimestamp, which a move to the DLQ keeps) and ${keeps}, counted from then`
      : `was sent ${formatAgeSeconds(age.seconds)} ago (its SentTimestamp) and ${keeps}`;
    return `the oldest message our peeks saw in ${queueLabel(q)} ${sent}, so SQS deletes it in ~${formatAgeSeconds(left)} (unpeeked older ones sooner)`;
  }
  if (age.expiresFromSourceEnqueue) {
    return `the oldest message in ${queueLabel(q)} moved there ${formatAgeSeconds(age.seconds)} ago and ${keeps}, counted from when it first entered the source queue, so SQS deletes it in ${within} (sooner by the time it spent in the source)`;
  }
  return `the oldest message in ${queueLabel(q)} is ${age.atLeast ? 'at least ' : ''}${formatAgeSeconds(age.seconds)} old and ${keeps}, so SQS deletes it in ${within}`;
}

/** A queue's own DLQ keeps the original enqueue time (reference section 4): a message's expiry in it counts from
 * when it entered the SOURCE queue, so a DLQ retention not longer than its source's deletes messages soon after
 * they arrive. */
function ruleSourceDlqRetention(c: Context): Ranked[] {
  const t = c.topology;
  if (!t || !isKnown(t, 'eventSources')) return [];
  const parts: string[] = [];
  for (const e of t.eventSources) {
    if (!e.redrive) continue;
    const source = c.queues.find((q) => q.role === 'source' && q.arn === e.sourceArn);
    const dlq = c.queues.find((q) => q.role === 'source-dlq' && q.arn === e.redrive!.deadLetterTargetArn);
    if (!source || !dlq || source.retentionSeconds === null || dlq.retentionSeconds === null) continue;
    if (dlq.retentionSeconds > source.retentionSeconds) continue;
    parts.push(`the DLQ ${dlq.name} keeps messages ${formatAgeSeconds(dlq.retentionSeconds)}, not longer than its source queue ${source.name} (${formatAgeSeconds(source.retentionSeconds)})`);
  }
  if (parts.length === 0) return [];
  return [{
    id: 'source-dlq-retention-short', severity: 'warning', impact: 33,
    title: "A source queue's DLQ does not keep messages longer than the source",
    detail: `${capitalise(parts.join('; '))}. For a standard queue, a message moved to its DLQ keeps its original enqueue time, and its expiry counts from it: a message that spent most of its retention in the source queue is deleted soon after it reaches the DLQ. AWS advises a DLQ retention longer than the source's (up to 14 days).`,
  }];
}

function capitalise(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function ruleFailedEventsWaiting(c: Context): Ranked[] {
  const parts: string[] = [];
  let total = 0;
  const seen = new Set<string>();
  for (const q of c.queues) {
    if (!FAILURE_ROLES.has(q.role) || q.error !== null || q.visible === null || seen.has(q.arn)) continue;
    seen.add(q.arn);
    const n = queueWaiting(q) ?? 0;
    if (n <= 0) continue;
    total += n;
    const age = queueAge(q, c.peeks[q.url], c.now);
    const oldest = age.seconds === null || age.seconds <= 0
      ? 'the age of the oldest is not known'
      : age.from === 'metric' && age.expiresFromSourceEnqueue
        ? `the oldest moved there ${formatAgeSeconds(age.seconds)} ago`
        : `the oldest is ${age.atLeast ? 'at least ' : ''}${formatAgeSeconds(age.seconds)} old`;
    const inFlight = q.inFlight ? `, ${formatCount(q.inFlight)} in flight` : '';
    parts.push(`${plural(n, 'failed event')} in ${queueLabel(q)} (${oldest}${inFlight})`);
  }
  if (parts.length === 0) return [];
  return [{
    id: 'failed-events-waiting', severity: 'warning', impact: 50 + Math.log10(1 + total),
    title: `${plural(total, 'failed event')} waiting`,
    detail: `${capitalise(parts.join('; '))}. Nothing retries them by itself: inspect them and redrive once the cause is fixed, before the queue's retention deletes them.`,
  }];
}

function ruleErrors(c: Context): Ranked[] {
  const errors = c.metrics.sum('Errors', THRESHOLDS.errorMinutes);
  const invocations = c.metrics.sum('Invocations', THRESHOLDS.errorMinutes);
  if (errors === null || invocations === null || invocations < THRESHOLDS.errorMinInvocations || errors <= 0) return [];
  const rate = errors / invocations;
  if (rate < THRESHOLDS.errorRateWarning) return [];
  const t = c.topology;
  const retries = t ? retriesOf(t) : null;
  const received = c.metrics.sum('AsyncEventsReceived');
  const sqsSources = t && isKnown(t, 'eventSources') ? t.eventSources.filter((e) => e.sourceArn.split(':')[2] === 'sqs') : [];
  let consequence = '';
  if (t && received === 0 && sqsSources.length > 0) {
    // No async traffic: these are the event source's (synchronous) invocations.
    const names = sqsSources.map((e) => {
      const name = e.sourceArn.split(':').pop() ?? e.sourceArn;
      return e.redrive ? `${name} (to its DLQ after ${e.redrive.maxReceiveCount} receives)` : name;
    });
    consequence = ` Failed SQS messages become visible again after the visibility timeout and are retried from ${names.join(', ')}.`;
  } else if (t) {
    const retryWords = retries === null ? 'retried' : retries === 0 ? 'not retried (MaximumRetryAttempts=0)' : `retried up to ${plural(retries, 'time')}`;
    consequence = ` Each failing async event is ${retryWords}, then ${fateWords(t, true)}.`;
  }
  return [{
    id: 'errors-high', severity: rate >= THRESHOLDS.errorRateCritical ? 'critical' : 'warning', impact: 60 + rate * 10,
    title: `${formatPercent(rate)} of invocations fail`,
    detail: `${formatCount(errors)} of ${formatCount(invocations)} invocations failed in the last ${THRESHOLDS.errorMinutes} min (Errors / Invocations).${consequence}`,
  }];
}

function ruleTimeouts(c: Context): Ranked[] {
  const t = c.topology;
  const timeoutWords = t?.timeoutSeconds != null ? `its Timeout of ${t.timeoutSeconds} s` : 'its Timeout';
  const sample = c.failureSample;
  if (sample && sample.total >= THRESHOLDS.timeoutMinSample && sample.timeouts / sample.total >= THRESHOLDS.timeoutDominantRatio) {
    return [{
      id: 'timeouts-dominate', severity: 'warning', impact: 42 + sample.timeouts / sample.total,
      title: 'Most failures are timeouts',
      detail: `${formatCount(sample.timeouts)} of ${formatCount(sample.total)} failed events looked at timed out ("Task timed out"). The function runs into ${timeoutWords} or waits on a slow downstream: raise the timeout or fix the dependency; more retries will mostly time out again.`,
    }];
  }
  // Without a sample, the duration metric can still show invocations hitting the timeout.
  if (!t || t.timeoutSeconds === null) return [];
  const durationMax = c.metrics.max('Duration.max', THRESHOLDS.recentMinutes);
  const errors = c.metrics.sum('Errors', THRESHOLDS.recentMinutes);
  if (durationMax === null || errors === null || errors <= 0) return [];
  if (durationMax < t.timeoutSeconds * 1000 * THRESHOLDS.durationAtTimeoutRatio) return [];
  return [{
    id: 'timeouts-dominate', severity: 'warning', impact: 41,
    title: 'Invocations are hitting the timeout',
    detail: `The longest invocation in the last ${THRESHOLDS.recentMinutes} min took ${formatDurationMs(durationMax)}, at ${timeoutWords}, and ${plural(errors, 'error')} occurred: some failures are likely timeouts. The function or a slow downstream needs more time than it is given; retries will mostly time out again.`,
  }];
}

function ruleSqsSources(c: Context): Ranked[] {
  const t = c.topology;
  if (!t || !isKnown(t, 'eventSources')) return [];
  const out: Ranked[] = [];
  const shortVisibility: string[] = [];
  const receiveOne: string[] = [];
  for (const source of t.eventSources) {
    const name = source.sourceArn.split(':').pop() ?? source.sourceArn;
    if (source.visibilityTimeoutSeconds !== null && t.timeoutSeconds !== null) {
      const wanted = THRESHOLDS.visibilityFactor * t.timeoutSeconds;
      if (source.visibilityTimeoutSeconds < wanted) {
        shortVisibility.push(`source queue ${name} has a visibility timeout of ${formatAgeSeconds(source.visibilityTimeoutSeconds)}, under ${THRESHOLDS.visibilityFactor} × the function's ${t.timeoutSeconds} s timeout (${formatAgeSeconds(wanted)})`);
      }
    }
    if (source.redrive && source.redrive.maxReceiveCount === 1) {
      const dlq = source.redrive.deadLetterTargetArn.split(':').pop() ?? source.redrive.deadLetterTargetArn;
      receiveOne.push(`source queue ${name} moves a message to ${dlq} after a single receive (maxReceiveCount=1)`);
    }
  }
  if (shortVisibility.length > 0) {
    out.push({
      id: 'sqs-visibility-too-short', severity: 'warning', impact: 30,
      title: "SQS source's visibility timeout is too short",
      detail: `${capitalise(shortVisibility.join('; '))}. A message still being processed (or waiting in a batch) becomes visible again and is delivered twice, and its receive count climbs towards the DLQ; AWS advises at least ${THRESHOLDS.visibilityFactor} × the function timeout.`,
    });
  }
  if (receiveOne.length > 0) {
    out.push({
      id: 'sqs-max-receive-one', severity: 'warning', impact: 28,
      title: 'SQS source sends messages to its DLQ after one failure',
      detail: `${capitalise(receiveOne.join('; '))}. One error or throttled batch is enough to dead-letter a message, with no retry; use a maxReceiveCount of 5 or more.`,
    });
  }
  return out;
}

/** Throttles of a function fed by SQS event sources (reference section 3): throttled batches go back to the queue,
 * are received again after the visibility timeout, and climb towards maxReceiveCount; the async backlog rule does
 * not see them (there is no async queue to age). */
function ruleSqsThrottles(c: Context): Ranked[] {
  const t = c.topology;
  if (!t || !isKnown(t, 'eventSources')) return [];
  const sources = t.eventSources.filter((e) => e.sourceArn.split(':')[2] === 'sqs');
  if (sources.length === 0) return [];
  const throttles = c.metrics.sum('Throttles', THRESHOLDS.recentMinutes);
  if (throttles === null || throttles <= 0) return [];
  const perMinute = throttles / Math.max(1, Math.min(THRESHOLDS.recentMinutes, c.metrics.points('Throttles', THRESHOLDS.recentMinutes).length * ((c.snapshot?.periodSeconds ?? 60) / 60)));
  const concurrency = c.metrics.max('ConcurrentExecutions', THRESHOLDS.recentMinutes);
  const reserved = isKnown(t, 'reservedConcurrency') ? t.reservedConcurrency : null;
  const facts = [`${plural(throttles, 'throttle')} in the last ${THRESHOLDS.recentMinutes} min (about ${formatCount(Math.round(perMinute))}/min)`];
  if (concurrency !== null) facts.push(`ConcurrentExecutions max ${formatCount(concurrency)}${reserved !== null && reserved > 0 ? ` of its reserved ${formatCount(reserved)}` : ''}`);
  const queueWords = sources.map((e) => {
    const name = e.sourceArn.split(':').pop() ?? e.sourceArn;
    const q = c.queues.find((x) => x.role === 'source' && x.arn === e.sourceArn);
    const depth = q && q.visible !== null ? `, ${formatCount(q.visible)} visible and ${formatCount(q.inFlight ?? 0)} in flight now` : '';
    const dlq = e.redrive ? `; after ${plural(e.redrive.maxReceiveCount, 'receive')} a message moves to ${e.redrive.deadLetterTargetArn.split(':').pop()}` : '; it has no DLQ';
    return `${name} (batch size ${e.batchSize ?? 'not known'}, MaximumConcurrency ${e.maximumConcurrency ?? 'not set'}${depth}${dlq})`;
  });
  const advice: string[] = [];
  const maxConc = sources.map((e) => e.maximumConcurrency).filter((n): n is number => n !== null);
  if (reserved !== null && reserved > 0) {
    if (maxConc.length < sources.length || maxConc.reduce((a, b) => a + b, 0) > reserved) {
      advice.push(`set the event source mapping's ScalingConfig.MaximumConcurrency to at most the reserved concurrency (${reserved}${sources.length > 1 ? ', shared between the sources' : ''}) so Lambda stops polling batches it cannot run, or raise the reserved concurrency`);
    } else {
      advice.push(`raise the reserved concurrency (${reserved}) if the downstream can take it; MaximumConcurrency already stays within it, so the throttles come from other invocations sharing it`);
    }
  } else {
    advice.push('set ScalingConfig.MaximumConcurrency on the event source mapping to what the function may use, or reserve concurrency for it');
  }
  advice.push('a smaller batch size makes each throttled batch return fewer messages to the queue');
  return [{
    id: 'sqs-source-throttled', severity: 'warning', impact: 62 + Math.log10(1 + throttles),
    title: 'Throttled while reading its SQS queue: messages are received again',
    detail: `The function is throttled (${facts.join(', ')}). For an SQS event source a throttled batch is not lost but goes back to the queue: it becomes visible again after the visibility timeout and is received again, so the queue backs up and each message's receive count climbs towards the DLQ. Source: ${queueWords.join('; ')}. To change: ${advice.join('; ')}.`,
  }];
}

function ruleQueueErrors(c: Context): Ranked[] {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const q of c.queues) {
    if (q.error === null || seen.has(q.arn)) continue;
    seen.add(q.arn);
    parts.push(`${queueLabel(q)}: ${q.error}`);
  }
  if (parts.length === 0) return [];
  return [{
    id: 'queue-unreadable', severity: 'warning', impact: 35,
    title: parts.length === 1 ? 'A failure queue cannot be read' : `${parts.length} queues cannot be read`,
    detail: `Cannot read ${parts.join('; ')}. Their depth and age are not known, so failed events there are not counted here; if a queue is gone, deliveries to it fail.`,
  }];
}

const FIELD_WORDS: Record<string, string> = {
  maximumRetryAttempts: 'retry attempts',
  maximumEventAgeSeconds: 'maximum event age',
  onFailure: 'OnFailure destination',
  onSuccess: 'OnSuccess destination',
  deadLetterTarget: 'DLQ',
  reservedConcurrency: 'reserved concurrency',
  account: 'account concurrency',
  provisioned: 'provisioned concurrency',
  eventSources: 'SQS event sources',
  timeoutSeconds: 'timeout',
};

function ruleUnknown(c: Context): Ranked[] {
  const out: Ranked[] = [];
  if (!c.topology) {
    out.push({
      id: 'cannot-check', severity: 'info', impact: 5,
      title: 'Function configuration not known',
      detail: 'The function configuration could not be read (yet), so failure targets, retries, event age and concurrency are not checked.',
    });
  } else {
    const byReason = new Map<string, string[]>();
    for (const [field, reason] of Object.entries(c.topology.unknown ?? {})) {
      const words = field.startsWith('eventSources.') ? `event source ${field.slice('eventSources.'.length)}` : (FIELD_WORDS[field] ?? field);
      const list = byReason.get(reason) ?? [];
      list.push(words);
      byReason.set(reason, list);
    }
    const parts = [...byReason.entries()].map(([reason, fields]) => `${fields.join(', ')} (${reason})`);
    if (parts.length > 0) {
      out.push({
        id: 'cannot-check', severity: 'info', impact: 5,
        title: 'Some settings could not be checked',
        detail: `Could not read: ${parts.join('; ')}. The checks that need them are skipped rather than guessed.`,
      });
    }
  }
  if (!c.hasMetrics) {
    out.push({
      id: 'metrics-unknown', severity: 'info', impact: 4,
      title: 'Metrics not known',
      detail: 'No CloudWatch metrics yet, so drops, throttles, event age and failing deliveries are not checked.',
    });
  } else {
    const denied = c.metrics
      .all()
      .filter((s) => s.status === 'Forbidden' || s.status === 'InternalError')
      .map((s) => `${s.key} (${s.status})`);
    if (denied.length > 0) {
      out.push({
        id: 'metrics-unknown', severity: 'info', impact: 4,
        title: 'Some metrics could not be read',
        detail: `CloudWatch did not return ${denied.join(', ')}; the checks based on them are skipped.`,
      });
    }
  }
  return out;
}

function allClear(c: Context, findings: Ranked[]): Ranked[] {
  if (!c.topology || !c.hasMetrics) return [];
  if (findings.some((f) => f.severity !== 'info')) return [];
  const facts: string[] = [];
  const window = minutesWords(c.metrics.windowMinutes());
  const checked: string[] = [];
  if (c.metrics.known('AsyncEventsDropped')) checked.push('dropped events');
  if (c.metrics.known('Throttles')) checked.push('throttles');
  if (c.metrics.known('DeadLetterErrors') || c.metrics.known('DestinationDeliveryFailures')) checked.push('failed deliveries');
  if (checked.length > 0) facts.push(`no ${checked.join(', ')} in the last ${window}`);
  const errors = c.metrics.sum('Errors');
  const invocations = c.metrics.sum('Invocations');
  if (errors !== null && invocations !== null && invocations > 0) facts.push(`error rate ${formatPercent(errors / invocations)}`);
  const targets = failureTargetsWords(c.topology);
  if (targets) facts.push(`failed events go to ${targets}`);
  const partial = findings.some((f) => f.id === 'cannot-check' || f.id === 'metrics-unknown');
  return [{
    id: 'all-clear', severity: 'info', impact: 1,
    title: 'All clear',
    detail: `${capitalise(facts.join('; ') || 'nothing wrong found')}.${partial ? ' Some checks were skipped for lack of data (see above).' : ''}`,
  }];
}

const RULES: Array<(c: Context) => Ranked[]> = [
  ruleReservedZero, ruleEventsDropped, ruleSafetyNet, ruleFifoTarget, ruleNoFailureTarget, ruleBothTargets, ruleBacklog,
  ruleEventAgeTooShort, ruleRetention, ruleFailedEventsWaiting, ruleErrors, ruleTimeouts, ruleSqsSources, ruleSqsThrottles, ruleSourceDlqRetention, ruleQueueErrors,
  ruleUnknown,
];

/** Findings for one snapshot, most severe and most impactful first. Pure and total: never throws on odd data. */
export function diagnose(input: DiagnoseInput): Finding[] {
  const c: Context = {
    topology: input.topology,
    metrics: new Metrics(input.metrics, input.now),
    snapshot: input.metrics,
    hasMetrics: input.metrics !== null,
    queues: input.queues ?? [],
    failureSample: input.failureSample,
    peeks: input.peeks ?? {},
    now: input.now,
  };
  const found: Ranked[] = [];
  for (const rule of RULES) {
    try {
      found.push(...rule(c));
    } catch {
      // A rule that trips over malformed data says nothing rather than take the others down.
    }
  }
  found.push(...allClear(c, found));
  found.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.impact - a.impact || a.id.localeCompare(b.id));
  return found.map(({id, severity, title, detail}) => ({id, severity, title, detail}));
}
