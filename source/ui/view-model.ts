// Pure calculators from state to what the panels draw: rows, values, tones. No React here, so every
// rule ("loading, not 0", "unknown is —", "the partial minute is not a drop") is testable directly.
import {formatAgeSeconds, formatClock, formatCount, formatDurationMs, formatPercent, formatPerMinute, formatRelativeTime, UNKNOWN} from '../domain/format.ts';
import {completePoints, lastCompleteValue, seriesOnGrid, trendPerMinute} from '../domain/sparkline.ts';
import {targetFromArn} from '../domain/arn.ts';
import {droppedBreakdown, type DroppedBreakdown} from '../domain/dropped.ts';
import {queueWaiting} from '../domain/waiting.ts';
import {formatQueueAge, queueAge, queueAgeFootnote, retentionLeft, type PeekLog} from '../domain/queue-age.ts';
import {diagnose} from '../domain/diagnose.ts';
import {sanitizeLine} from '../domain/sanitize.ts';
import {destinationMetricKey} from '../domain/types.ts';
import type {DestinationFunction, Finding, FunctionTopology, MetricSeries, MetricsSnapshot, QueueRole, QueueStatus, Target} from '../domain/types.ts';
import type {AppState, DashboardState, PollState} from '../store/types.ts';

export type Tone = 'normal' | 'ok' | 'warning' | 'critical' | 'muted';

export type Cell =
  | {kind: 'loading'}
  | {kind: 'unknown'; reason: string | null}
  | {kind: 'value'; text: string; tone: Tone};

export const LOADING_TEXT = 'loading…';

export function formatWindow(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

// ---- refresh state ---------------------------------------------------------------------------

export interface RefreshStatus {
  kind: 'loading' | 'fresh' | 'stale' | 'failing';
  syncing: boolean;
  /** Newest successful update of any source. */
  updatedAt: number | null;
  /** Age of the oldest data still shown from a failing source. */
  staleSince: number | null;
  /** Fresh data older than this (twice the refresh interval, on the same clock) reads "stale: 25 s"; null: never. */
  staleAfterMs: number | null;
  errors: Array<{source: string; message: string; at: number; failures: number}>;
}

export function refreshStatus(dashboard: DashboardState | null, staleAfterMs: number | null = null): RefreshStatus {
  if (!dashboard) return {kind: 'loading', syncing: true, updatedAt: null, staleSince: null, staleAfterMs, errors: []};
  const polls: Array<[string, PollState]> = [
    ['discovery', dashboard.discovery],
    ['metrics', dashboard.metrics],
    ['queues', dashboard.queues],
  ];
  const syncing = polls.some(([, p]) => p.syncing);
  const updated = polls.map(([, p]) => p.updatedAt).filter((t): t is number => t !== null);
  const errors = polls
    .filter(([, p]) => p.error !== null)
    .map(([source, p]) => ({source, message: p.error!.message, at: p.error!.at, failures: p.consecutiveFailures}));
  const updatedAt = updated.length ? Math.max(...updated) : null;
  const failingWithData = polls.filter(([, p]) => p.error !== null && p.updatedAt !== null).map(([, p]) => p.updatedAt!);
  if (errors.length === 0) {
    return {kind: updatedAt === null ? 'loading' : 'fresh', syncing, updatedAt, staleSince: null, staleAfterMs, errors};
  }
  if (failingWithData.length > 0) {
    return {kind: 'stale', syncing, updatedAt, staleSince: Math.min(...failingWithData), staleAfterMs, errors};
  }
  return {kind: 'failing', syncing, updatedAt, staleSince: null, staleAfterMs, errors};
}

/** Fresh data past its stale-after age (no refresh answered for two intervals, without an error). */
export function isOverdue(status: RefreshStatus, now: number): boolean {
  return status.kind === 'fresh' && status.updatedAt !== null && status.staleAfterMs !== null && now - status.updatedAt >= status.staleAfterMs;
}

/**
 * The header's refresh text. Fresh data shows the time of the refresh ("updated 12:04:31Z", UTC like the
 * pipeline's minutes), not a ticking age: an idle dashboard then draws no frame between refreshes. Only once
 * the data is older than twice the interval does an age appear, as a warning ("stale: 25 s").
 */
export function describeRefresh(status: RefreshStatus, now: number): {text: string; tone: Tone} {
  switch (status.kind) {
    case 'loading':
      return {text: 'connecting…', tone: 'muted'};
    case 'fresh':
      if (isOverdue(status, now)) return {text: `stale: ${formatAgeSeconds((now - status.updatedAt!) / 1000)}`, tone: 'warning'};
      return {text: `updated ${formatClock(status.updatedAt, {utc: true})}Z`, tone: 'muted'};
    case 'stale':
      return {text: `STALE ${formatRelativeTime(status.staleSince, now).replace(/ ago$/, '')}`, tone: 'warning'};
    case 'failing':
      return {text: 'NO DATA', tone: 'critical'};
  }
}

// ---- the clock -------------------------------------------------------------------------------------

/**
 * The next instant (on the same clock) at which an age of `then` reads differently: formatAgeSeconds steps
 * every second under a minute, every minute under a day, then every hour; formatRelativeTime also says
 * "just now" for its first `justNowMs`.
 */
export function nextAgeChange(then: number, now: number, justNowMs = 0): number {
  return nextAgeStep(then, now, justNowMs).at;
}

/** nextAgeChange, with the size of the step the label takes then (1 s, 1 min, 1 h). */
export function nextAgeStep(then: number, now: number, justNowMs = 0): ClockStep {
  const age = now - then;
  if (!Number.isFinite(age) || age < 0) return {at: now + 1000, stepMs: 1000}; // "in 3 s" (clock skew)
  if (age < justNowMs) return {at: then + justNowMs, stepMs: 1000};
  const stepMs = age < 60_000 ? 1000 : age < 86_400_000 ? 60_000 : 3_600_000;
  return {at: then + (Math.floor(age / stepMs) + 1) * stepMs, stepMs};
}

export interface ClockStep {
  /** When the text changes (the state's clock). */
  at: number;
  /** How coarse that text is: 1000 for seconds, 60000 for minutes... */
  stepMs: number;
}

const JUST_NOW_MS = 5000;

/**
 * When the screen's clock-dependent text next changes (on the state's clock), or null when nothing on screen
 * reads the clock. The controller ticks the clock then, not every second: an idle dashboard whose header says
 * "updated 12:04:31Z" needs one tick, at the moment that data would turn stale (usually never: the next
 * refresh comes first). The header's ages (stale / STALE / an error's age) are exact; the failed-event views
 * (ages on every row) step by the second while they are open.
 */
export function nextClockChange(state: AppState): number | null {
  return nextClockStep(state)?.at ?? null;
}

/** nextClockChange with the step size of the soonest changing text (the finest when several change then). */
export function nextClockStep(state: AppState): ClockStep | null {
  const now = state.now;
  let best: ClockStep | null = null;
  const consider = (step: ClockStep): void => {
    if (!best || step.at < best.at || (step.at === best.at && step.stepMs < best.stepMs)) best = step;
  };
  const refresh = refreshStatus(state.dashboard, state.staleAfterMs);
  if (refresh.kind === 'fresh' && refresh.updatedAt !== null && refresh.staleAfterMs !== null) {
    const staleAt = refresh.updatedAt + refresh.staleAfterMs;
    consider(now < staleAt ? {at: staleAt, stepMs: 1000} : nextAgeStep(refresh.updatedAt, now));
  }
  if (refresh.kind === 'stale' && refresh.staleSince !== null) consider(nextAgeStep(refresh.staleSince, now, JUST_NOW_MS));
  const error = refresh.errors[0];
  if (error) consider(nextAgeStep(error.at, now, JUST_NOW_MS));
  if (state.view !== 'dashboard' && state.view !== 'help') consider({at: now + 1000, stepMs: 1000});
  return best;
}

// ---- metric cells ------------------------------------------------------------------------------

export interface MetricContext {
  metrics: MetricsSnapshot | null;
  /** End of the sparkline grid, common to every row so their minutes line up: the start of the newest
   * (partial) minute when any series marks one, else the end of the query window. */
  gridEnd: number | null;
  /** The metrics poller is still waiting for its first answer. */
  loading: boolean;
  /** Why there are no metrics at all (the poller's error), if any. */
  error: string | null;
}

export function metricContext(dashboard: DashboardState | null): MetricContext {
  const metrics = dashboard?.snapshot.metrics ?? dashboard?.metrics.data ?? null;
  if (metrics) {
    const partials = Object.values(metrics.series)
      .map((s) => s.partialFrom)
      .filter((t): t is number => t !== null);
    const gridEnd = metrics.fillingFrom ?? (partials.length ? Math.max(...partials) : metrics.end);
    return {metrics, gridEnd, loading: false, error: null};
  }
  const error = dashboard?.metrics.error?.message ?? null;
  return {metrics: null, gridEnd: null, loading: error === null, error};
}

export function seriesOf(ctx: MetricContext, key: string): MetricSeries | null {
  return ctx.metrics?.series[key] ?? null;
}

/** The newest complete value, or why there is none. */
export function metricValue(ctx: MetricContext, key: string): {value: number} | {cell: Cell} {
  if (!ctx.metrics) return {cell: ctx.loading ? {kind: 'loading'} : {kind: 'unknown', reason: ctx.error}};
  const series = seriesOf(ctx, key);
  if (!series) return {cell: {kind: 'unknown', reason: 'not fetched'}};
  const value = lastCompleteValue(series);
  if (value === null) {
    const status = series.status && series.status !== 'Complete' ? series.status : 'no data';
    return {cell: {kind: 'unknown', reason: status}};
  }
  return {value};
}

/** Values on the window's period grid, ending at the last complete period (the filling ones are left out).
 * `scale` multiplies each value (per-minute rates). */
export function sparkValues(ctx: MetricContext, key: string, scale = 1): Array<number | null> | null {
  const series = seriesOf(ctx, key);
  if (!ctx.metrics || !series) return null;
  const period = ctx.metrics.periodSeconds * 1000;
  const end = Math.min(series.partialFrom ?? Infinity, ctx.gridEnd ?? ctx.metrics.end);
  const values = seriesOnGrid(completePoints(series), ctx.metrics.start, end, period);
  return scale === 1 ? values : values.map((v) => (v === null ? null : v * scale));
}

/** Minutes per metric period: a Sum over a 5-minute period is 5 minutes' worth, not a per-minute rate. */
export function periodMinutes(ctx: MetricContext): number {
  return Math.max(1, (ctx.metrics?.periodSeconds ?? 60) / 60);
}

/** The pipeline's subtitle: which period the values are, up to when data is complete, and the window. */
export function pipelineSubtitle(dashboard: DashboardState | null, windowMs: number): string {
  const ctx = metricContext(dashboard);
  const window = formatWindow(windowMs);
  if (!ctx.metrics) return window;
  const minutes = periodMinutes(ctx);
  const per = minutes === 1 ? 'last complete minute' : `per min, ${minutes}-min periods`;
  const until = ctx.gridEnd !== null && ctx.gridEnd < ctx.metrics.end ? ` · to ${new Date(ctx.gridEnd).toISOString().slice(11, 16)}, newer filling` : '';
  return `${per}${until} · ${window}`;
}

export const cellText = (cell: Cell): string => (cell.kind === 'loading' ? LOADING_TEXT : cell.kind === 'unknown' ? UNKNOWN : cell.text);

// ---- pipeline ------------------------------------------------------------------------------------

export interface PipelineRow {
  id: string;
  /** Flow glyph at the left: stage (▸) or branch (├ └). */
  glyph: string;
  label: string;
  value: Cell;
  /** null = no sparkline for this row. */
  spark: Array<number | null> | null;
  sparkTone: Tone;
  note: string | null;
  noteTone: Tone;
  /** A row under a target (a Lambda destination's own health): drawn indented, under its target's branch. */
  sub?: boolean;
  /** The value is a sentence drawn across the value, sparkline and note columns. */
  wide?: boolean;
  /** Enter (the pipeline focused) opens this function's dashboard. */
  opens?: string;
}

const perMinute = (n: number): string => formatPerMinute(n);

/** Keys whose value is a count per period (Sum): shown per minute whatever the period. */
const RATE_KEYS: ReadonlySet<string> = new Set(['AsyncEventsReceived', 'Invocations', 'Errors', 'Throttles', 'AsyncEventsDropped', 'DeadLetterErrors', 'DestinationDeliveryFailures']);

/** A count per period (RATE_KEYS, and a destination function's `lambda:<name>:<key>` of one). */
export const isRateKey = (key: string): boolean => RATE_KEYS.has(key) || (key.startsWith('lambda:') && RATE_KEYS.has(key.slice(key.lastIndexOf(':') + 1)));

/** The newest complete value of a metric, per minute for the count metrics (isRateKey). */
export function metricRate(ctx: MetricContext, key: string): {value: number} | {cell: Cell} {
  const got = metricValue(ctx, key);
  return 'value' in got && isRateKey(key) ? {value: got.value / periodMinutes(ctx)} : got;
}

function metricRow(
  ctx: MetricContext,
  id: string,
  glyph: string,
  label: string,
  key: string,
  format: (n: number) => string,
  tone: (n: number) => Tone,
  note?: (n: number) => {text: string; tone: Tone} | null,
): PipelineRow {
  const got = metricRate(ctx, key);
  const spark = sparkValues(ctx, key, isRateKey(key) ? 1 / periodMinutes(ctx) : 1);
  if ('cell' in got) return {id, glyph, label, value: got.cell, spark, sparkTone: 'normal', note: null, noteTone: 'muted'};
  const t = tone(got.value);
  const extra = note?.(got.value) ?? null;
  return {id, glyph, label, value: {kind: 'value', text: format(got.value), tone: t}, spark, sparkTone: t === 'ok' || t === 'muted' ? 'normal' : t, note: extra?.text ?? null, noteTone: extra?.tone ?? 'muted'};
}

/** The dropped row: the newest minute's rate, and over the window how many were kept by a target and how many lost
 * (dropped is not lost: AsyncEventsDropped includes the events sent to a target; see domain/dropped.ts). */
function droppedRow(ctx: MetricContext, topology: FunctionTopology | null, metrics: MetricsSnapshot | null): PipelineRow {
  const b = droppedBreakdown(topology, metrics ?? ctx.metrics);
  const note = b ? droppedNote(b) : null;
  const lostTone = (n: number): Tone => (b?.lost === null || (b?.lost ?? 0) > 0 ? 'critical' : n > 0 ? 'warning' : 'ok');
  return metricRow(ctx, 'dropped', '▸', 'dropped', 'AsyncEventsDropped', perMinute, lostTone, () => note);
}

/** Over the whole window (the panel's title names it): "135 kept, 4 lost". */
export function droppedNote(b: DroppedBreakdown): {text: string; tone: Tone} | null {
  if (b.dropped <= 0) return null;
  const prefix = 'window: ';
  if (b.lost === null) return {text: `${prefix}${formatCount(b.dropped)}, lost unknown`, tone: 'critical'};
  if (b.lostBecause === 'no-target') return {text: `${prefix}all ${formatCount(b.lost)} lost`, tone: 'critical'};
  const kept = `${formatCount(b.kept ?? 0)} kept`;
  if (b.lost === 0) return {text: `${prefix}${kept}, 0 lost`, tone: 'warning'};
  return {text: `${prefix}${kept}, ${b.lostIsUpperBound ? '≤' : ''}${formatCount(b.lost)} lost`, tone: 'critical'};
}

const ROLE_LABEL: Record<QueueRole, string> = {
  dlq: 'DLQ',
  'on-failure': 'OnFailure',
  'on-success': 'OnSuccess',
  source: 'source',
  'source-dlq': 'source DLQ',
};
export const roleLabel = (role: QueueRole): string => ROLE_LABEL[role];

export function queueForTarget(queues: QueueStatus[], target: Target | null): QueueStatus | null {
  if (!target) return null;
  return queues.find((q) => q.arn === target.arn) ?? queues.find((q) => q.name === target.name && target.kind === 'sqs') ?? null;
}

export function buildPipelineRows(dashboard: DashboardState | null, queueHistory: Record<string, Array<[number, number]>>): PipelineRow[] {
  const ctx = metricContext(dashboard);
  const topology = dashboard?.snapshot.topology ?? null;
  const queues = dashboard?.snapshot.queues ?? [];
  const invocations = metricRate(ctx, 'Invocations');
  const invocationCount = 'value' in invocations ? invocations.value : null;
  const maxAgeMs = (topology?.maximumEventAgeSeconds ?? 21600) * 1000;
  const timeoutMs = topology?.timeoutSeconds ? topology.timeoutSeconds * 1000 : null;

  const rows: PipelineRow[] = [
    metricRow(ctx, 'received', '▸', 'received', 'AsyncEventsReceived', perMinute, () => 'normal'),
    metricRow(
      ctx,
      'queued',
      '▸',
      'queued',
      'AsyncEventAge',
      (n) => `age ${formatDurationMs(n)}`,
      (n) => (n >= maxAgeMs / 2 ? 'critical' : n >= 60_000 ? 'warning' : 'normal'),
      () => {
        const max = metricValue(ctx, 'AsyncEventAge.max');
        if (!('value' in max)) return null;
        return {text: `max ${formatDurationMs(max.value)}`, tone: max.value >= maxAgeMs / 2 ? 'critical' : max.value >= 60_000 ? 'warning' : 'muted'};
      },
    ),
    metricRow(ctx, 'invoked', '▸', 'invoked', 'Invocations', perMinute, () => 'normal'),
    metricRow(
      ctx,
      'errors',
      '├',
      'errors',
      'Errors',
      perMinute,
      (n) => (n > 0 ? 'critical' : 'ok'),
      (n) => (invocationCount && invocationCount > 0 ? {text: `${formatPercent(n / invocationCount)} of invocations`, tone: n > 0 ? 'critical' : 'muted'} : null),
    ),
    metricRow(ctx, 'throttles', '├', 'throttles', 'Throttles', perMinute, (n) => (n > 0 ? 'warning' : 'ok')),
    metricRow(
      ctx,
      'duration',
      '└',
      'duration',
      'Duration.p50',
      (n) => `p50 ${formatDurationMs(n)}`,
      () => 'normal',
      () => {
        const p99 = metricValue(ctx, 'Duration.p99');
        if (!('value' in p99)) return null;
        const near = timeoutMs !== null && p99.value >= timeoutMs * 0.8;
        return {text: `p99 ${formatDurationMs(p99.value)}${timeoutMs !== null ? ` / timeout ${formatDurationMs(timeoutMs)}` : ''}`, tone: near ? 'warning' : 'muted'};
      },
    ),
    droppedRow(ctx, topology, dashboard?.snapshot.metrics ?? null),
  ];

  // Where failures go: one row per target, its depth (and history) and the metric of failed writes.
  const targets: Array<{label: string; target: Target; failuresKey: string; failuresLabel: string}> = [];
  if (topology?.deadLetterTarget) targets.push({label: 'DLQ', target: topology.deadLetterTarget, failuresKey: 'DeadLetterErrors', failuresLabel: 'write errors'});
  if (topology?.onFailure) targets.push({label: 'OnFailure', target: topology.onFailure, failuresKey: 'DestinationDeliveryFailures', failuresLabel: 'delivery failures'});
  // An OnSuccess Lambda is shown beside an OnFailure target too: its failures are this pipeline's events.
  if (topology?.onSuccess && (!topology.onFailure || topology.onSuccess.kind === 'lambda')) targets.push({label: 'OnSuccess', target: topology.onSuccess, failuresKey: 'DestinationDeliveryFailures', failuresLabel: 'delivery failures'});

  if (!topology) {
    rows.push({id: 'targets', glyph: '▸', label: 'failures to', value: dashboard?.discovery.error ? {kind: 'unknown', reason: dashboard.discovery.error.message} : {kind: 'loading'}, spark: null, sparkTone: 'normal', note: null, noteTone: 'muted'});
    return rows;
  }
  if (targets.length === 0) {
    // An SQS-fed function's failures go to its source queue's DLQ; only async events would be discarded.
    const sourceDlqs = sourceDeadLetterTargets(topology, queues);
    const note = sourceDlqs.length
      ? `SQS failures go to ${sourceDlqs.map((d) => d.name).join(', ')}; async events: no DLQ, no OnFailure`
      : 'no DLQ, no OnFailure: failed events are discarded';
    rows.push({id: 'targets', glyph: '▸', label: 'failures to', value: {kind: 'value', text: 'nowhere', tone: sourceDlqs.length ? 'warning' : 'critical'}, spark: null, sparkTone: 'normal', note, noteTone: sourceDlqs.length ? 'muted' : 'critical'});
    return rows;
  }
  let opens = true;
  targets.forEach((t, index) => {
    const glyph = index === targets.length - 1 ? '└' : '├';
    if (t.target.kind === 'lambda') {
      const failures = metricRate(ctx, t.failuresKey);
      const failuresText = 'value' in failures ? ` · ${t.failuresLabel} ${perMinute(failures.value)}` : '';
      const failing = 'value' in failures && failures.value > 0;
      const row: PipelineRow = {id: `target-${t.label}`, glyph, label: `→ ${t.label}`, value: {kind: 'value', text: sanitizeLine(`λ ${t.target.name}${failuresText}`, 300), tone: failing ? 'critical' : 'normal'}, spark: null, sparkTone: 'normal', note: null, noteTone: 'muted', wide: true};
      if (opens) row.opens = t.target.name;
      opens = false;
      const destination = dashboard?.snapshot.destinations?.find((d) => d.name === t.target.name);
      rows.push(row, ...destinationRows(ctx, t.target.name, destination, dashboard?.destinations?.error?.message ?? null, index === targets.length - 1 ? ' ' : '│'));
      return;
    }
    const queue = queueForTarget(queues, t.target);
    const failures = metricRate(ctx, t.failuresKey);
    const failureNote =
      'value' in failures
        ? {text: `${t.failuresLabel} ${perMinute(failures.value)}`, tone: (failures.value > 0 ? 'critical' : 'muted') as Tone}
        : null;
    let value: Cell;
    let spark: Array<number | null> | null = null;
    if (t.target.kind !== 'sqs') {
      value = {kind: 'value', text: t.target.kind, tone: 'muted'};
    } else if (!queue) {
      value = dashboard?.queues.error ? {kind: 'unknown', reason: dashboard.queues.error.message} : dashboard?.queues.updatedAt ? {kind: 'unknown', reason: 'not read'} : {kind: 'loading'};
    } else if (queue.error) {
      value = {kind: 'unknown', reason: queue.error};
    } else if (queue.visible === null) {
      value = {kind: 'loading'};
    } else {
      const waiting = queueWaiting(queue) ?? 0;
      value = {kind: 'value', text: `${formatCount(waiting)} waiting`, tone: waiting > 0 ? 'warning' : 'ok'};
      const history = queueHistory[queue.url];
      if (history && history.length > 1) spark = history.map((p) => p[1]);
    }
    rows.push({id: `target-${t.label}`, glyph, label: `→ ${t.label}`, value, spark, sparkTone: 'normal', note: failureNote?.text ?? null, noteTone: failureNote?.tone ?? 'muted'});
  });
  return rows;
}

/** A Lambda destination's own health under its target row: invocations, errors (and %), throttles per minute
 * over complete minutes, and where its failures go (with depth), or that they are lost one hop later. */
export function destinationRows(ctx: MetricContext, name: string, destination: DestinationFunction | undefined, pollError: string | null, glyph: string): PipelineRow[] {
  const key = (k: string) => destinationMetricKey(name, k);
  const id = (k: string) => `dest-${name}-${k}`;
  const invocations = metricRate(ctx, key('Invocations'));
  const invocationCount = 'value' in invocations ? invocations.value : null;
  const sub = (row: PipelineRow): PipelineRow => ({...row, sub: true});
  return [
    sub(metricRow(ctx, id('invoked'), glyph, '  invoked', key('Invocations'), perMinute, () => 'normal')),
    sub(metricRow(ctx, id('errors'), glyph, '  errors', key('Errors'), perMinute, (n) => (n > 0 ? 'critical' : 'ok'), (n) =>
      invocationCount && invocationCount > 0 ? {text: `${formatPercent(n / invocationCount)} of invocations`, tone: n > 0 ? 'critical' : 'muted'} : null,
    )),
    sub(metricRow(ctx, id('throttles'), glyph, '  throttles', key('Throttles'), perMinute, (n) => (n > 0 ? 'warning' : 'ok'))),
    {id: id('targets'), glyph, label: '  fails to', value: destinationTargetsCell(destination, pollError), spark: null, sparkTone: 'normal', note: null, noteTone: 'muted', sub: true, wide: true},
  ];
}

function destinationTargetsCell(destination: DestinationFunction | undefined, pollError: string | null): Cell {
  if (!destination) return pollError ? {kind: 'unknown', reason: sanitizeLine(pollError, 300)} : {kind: 'loading'};
  const topology = destination.topology;
  if (!topology) return destination.error ? {kind: 'unknown', reason: sanitizeLine(destination.error, 300)} : {kind: 'loading'};
  const unknown = topology.unknown['onFailure'] ?? topology.unknown['deadLetterTarget'];
  const parts: string[] = [];
  let tone: Tone = 'ok';
  for (const [label, target] of [['DLQ', topology.deadLetterTarget], ['OnFailure', topology.onFailure]] as const) {
    if (!target) continue;
    if (target.kind !== 'sqs') {
      parts.push(`${label} ${target.kind === 'unknown' ? target.arn : `${target.kind}:${target.name}`}`);
      continue;
    }
    const queue = queueForTarget(destination.queues, target);
    const waiting = queue && !queue.error ? queueWaiting(queue) : null;
    if (waiting !== null && waiting > 0) tone = 'warning';
    parts.push(`${label} ${target.name}: ${waiting === null ? (queue?.error ? `depth unknown (${queue.error})` : 'depth unknown') : `${formatCount(waiting)} waiting`}`);
  }
  if (parts.length > 0) return {kind: 'value', text: sanitizeLine(parts.join(' · '), 300), tone};
  if (unknown !== undefined) return {kind: 'unknown', reason: sanitizeLine(unknown, 300)};
  return {kind: 'value', text: 'no failure target: lost one hop later', tone: 'warning'};
}

// ---- concurrency ----------------------------------------------------------------------------------

export interface ConcurrencyModel {
  current: Cell;
  currentValue: number | null;
  limit: number | null;
  limitLabel: string;
  /** 0..1 of the limit, null when either side is unknown. */
  ratio: number | null;
  tone: Tone;
  accountLimit: number | null;
  accountUnreserved: number | null;
  provisioned: {allocated: number; utilization: number | null} | null;
  note: string | null;
}

export function buildConcurrency(dashboard: DashboardState | null): ConcurrencyModel {
  const ctx = metricContext(dashboard);
  const topology = dashboard?.snapshot.topology ?? null;
  const got = metricValue(ctx, 'ConcurrentExecutions');
  const currentValue = 'value' in got ? got.value : null;
  const current: Cell = 'value' in got ? {kind: 'value', text: formatCount(got.value), tone: 'normal'} : got.cell;
  const reserved = topology?.reservedConcurrency ?? null;
  const unreservedMetric = metricValue(ctx, 'UnreservedConcurrentExecutions');
  const accountUnreserved = topology?.account.unreservedConcurrentExecutions ?? null;
  const limit = reserved ?? accountUnreserved;
  const limitLabel = reserved !== null ? 'reserved' : accountUnreserved !== null ? 'unreserved pool' : 'limit';
  const ratio = currentValue !== null && limit !== null && limit > 0 ? currentValue / limit : null;
  let tone: Tone = 'ok';
  if (reserved === 0) tone = 'critical';
  else if (ratio !== null && ratio >= 0.95) tone = 'critical';
  else if (ratio !== null && ratio >= 0.8) tone = 'warning';
  else if (ratio === null) tone = 'muted';
  const allocated = topology?.provisioned.reduce((n, p) => n + (p.allocated ?? 0), 0) ?? 0;
  const utilization = metricValue(ctx, 'ProvisionedConcurrencyUtilization');
  let note: string | null = null;
  if (reserved === 0) note = 'reserved concurrency 0: the function is switched off';
  else if ('value' in unreservedMetric && reserved === null) note = `account using ${formatCount(unreservedMetric.value)} unreserved`;
  return {
    current,
    currentValue,
    limit,
    limitLabel,
    ratio,
    tone,
    accountLimit: topology?.account.concurrentExecutions ?? null,
    accountUnreserved,
    provisioned: allocated > 0 ? {allocated, utilization: 'value' in utilization ? utilization.value : null} : null,
    note,
  };
}

// ---- queues ----------------------------------------------------------------------------------------

export interface QueueRow {
  url: string;
  role: string;
  name: string;
  visible: string;
  inFlight: string;
  delayed: string;
  /** "12 min", "≥ 12 min" (a lower bound), or — when not known. */
  oldest: string;
  /** "3 d 2 h", "≤ 3 d 2 h" (an upper bound: the age is a lower bound), "expiring", or —. */
  retentionLeft: string;
  retentionTone: Tone;
  /** Short words on why the age is a bound (peeks hidden from the age metric, a source DLQ's first enqueue); null
   * when the age is the metric's as it is. */
  ageNote: string | null;
  /** ↑ ↓ → with a rate, or '' when not enough history. */
  trend: string;
  trendTone: Tone;
  depthTone: Tone;
  error: string | null;
  /** When the dashboard reads its queues in turn (many queues) and this one was not read at the latest refresh:
   * how old its reading is ("3 min"), or "not read" before its first turn; null when it is current. */
  readAgo: string | null;
}

/** The queues panel's rows. `peeked`: what our peeks saw per queue URL (the age metric may skip those messages,
 * and their SentTimestamps bound the oldest age from below). */
export function buildQueueRows(dashboard: DashboardState | null, queueHistory: Record<string, Array<[number, number]>>, peeked: PeekLog = {}): QueueRow[] {
  const queues = dashboard?.snapshot.queues ?? [];
  const now = dashboard?.snapshot.at ?? 0;
  // queues read in turn carry their reading's time; the latest refresh's is the snapshot's (else the newest one): an
  // older reading shows its age, a newer one (read at once when it came into view) is current
  const latestRead = dashboard?.snapshot.queuesReadAt ?? Math.max(-Infinity, ...queues.map((q) => q.readAt ?? -Infinity));
  return queues.map((q) => {
    const age = queueAge(q, peeked[q.url], now);
    const left = retentionLeft(q, age);
    let retentionTone: Tone = 'muted';
    if (left !== null && q.retentionSeconds) {
      retentionTone = left.seconds <= Math.max(3600, q.retentionSeconds * 0.1) ? 'critical' : left.seconds <= q.retentionSeconds * 0.25 ? 'warning' : 'ok';
    }
    const history = queueHistory[q.url] ?? [];
    const slope = trendPerMinute(history, 10);
    let trend = '';
    let trendTone: Tone = 'muted';
    if (slope !== null) {
      if (Math.abs(slope) < 0.5) trend = '→';
      else {
        trend = `${slope > 0 ? '↑' : '↓'}${formatCount(Math.abs(Math.round(slope)))}/m`;
        // A failure queue filling up is bad news; draining is good.
        const failureQueue = q.role !== 'source' && q.role !== 'on-success';
        trendTone = slope > 0 && failureQueue ? 'warning' : slope < 0 && failureQueue ? 'ok' : 'normal';
      }
    }
    const failureQueue = q.role === 'dlq' || q.role === 'on-failure' || q.role === 'source-dlq';
    return {
      url: q.url,
      role: roleLabel(q.role),
      name: q.name,
      visible: formatCount(q.visible),
      inFlight: formatCount(q.inFlight),
      delayed: formatCount(q.delayed),
      oldest: formatQueueAge(age) ?? UNKNOWN,
      retentionLeft: left === null ? UNKNOWN : left.seconds <= 0 ? 'expiring' : `${left.atMost ? '≤ ' : ''}${formatAgeSeconds(left.seconds)}`,
      retentionTone,
      ageNote: queueAgeFootnote(age),
      trend,
      trendTone,
      depthTone: q.visible !== null && q.visible > 0 && failureQueue ? 'warning' : 'normal',
      error: q.error,
      readAgo: q.readAt === null ? 'not read' : q.readAt !== undefined && q.readAt < latestRead ? formatAgeSeconds(Math.max(0, (now - q.readAt) / 1000)) : null,
    };
  });
}

/** The diagnosis to show: the poller's, or, once our peeks saw messages of a watched queue, the same rules run again
 * with what the peeks saw (the age metric may skip peeked messages; their SentTimestamps bound the oldest age). */
export function findingsFor(dashboard: DashboardState | null, peeked: PeekLog = {}): Finding[] {
  const snapshot = dashboard?.snapshot;
  if (!snapshot) return [];
  if (!snapshot.queues.some((q) => Object.keys(peeked[q.url] ?? {}).length > 0)) return snapshot.findings;
  try {
    return diagnose({topology: snapshot.topology, metrics: snapshot.metrics, queues: snapshot.queues, peeks: peeked, now: snapshot.at});
  } catch {
    return snapshot.findings;
  }
}

// ---- header: where failures go ------------------------------------------------------------------

export interface TargetSummary {
  label: string;
  /** The queue's URL when it is a queue we read. */
  url: string | null;
  name: string;
  kind: string;
  depth: number | null;
  error: string | null;
}

export function failureTargets(topology: FunctionTopology, queues: QueueStatus[]): TargetSummary[] {
  const out: TargetSummary[] = [];
  const add = (label: string, target: Target | null): void => {
    if (!target) return;
    const q = queueForTarget(queues, target);
    out.push({label, url: q?.url ?? null, name: target.name, kind: target.kind, depth: q ? queueWaiting(q) : null, error: q?.error ?? null});
  };
  add('DLQ', topology.deadLetterTarget);
  add('OnFailure', topology.onFailure);
  add('OnSuccess', topology.onSuccess);
  return out;
}

/** The DLQs of the function's SQS event sources (a setting of each source queue, not of the function). */
export function sourceDeadLetterTargets(topology: FunctionTopology, queues: QueueStatus[]): TargetSummary[] {
  const seen = new Set<string>();
  const out: TargetSummary[] = [];
  for (const mapping of topology.eventSources) {
    const arn = mapping.redrive?.deadLetterTargetArn;
    if (!arn || seen.has(arn)) continue;
    seen.add(arn);
    const target = targetFromArn(arn);
    const q = queueForTarget(queues, target);
    out.push({label: 'source DLQ', url: q?.url ?? null, name: target.name, kind: target.kind, depth: q ? queueWaiting(q) : null, error: q?.error ?? null});
  }
  return out;
}
