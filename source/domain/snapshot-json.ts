// The document `lambda-top --function F --once --json` prints: a stable, script-friendly view of one Snapshot.
// Unknown values are null, never 0. Targets are ARN strings (null when none). Metric points leave out a partial
// newest minute (CloudWatch fills it late), so `latest` is the last point shown.
import type {Finding, QueueRole, Severity, Snapshot} from './types.ts';
import {completePoints, lastCompleteValue} from './sparkline.ts';
import {droppedBreakdown} from './dropped.ts';
import {queueAge, queueAgeCaveat} from './queue-age.ts';

export interface SnapshotJson {
  function: {
    name: string;
    arn: string | null;
    region: string;
    timeoutSeconds: number | null;
    memoryMb: number | null;
    /** null when unreserved (or not known). */
    reservedConcurrency: number | null;
    maximumRetryAttempts: number | null;
    maximumEventAgeSeconds: number | null;
    deadLetterTarget: string | null;
    onSuccess: string | null;
    onFailure: string | null;
  } | null;
  /** Each point is one period (`periodSeconds`): a Sum over 5 minutes is 5 minutes' worth. `latestPerMinute`
   * (count metrics only) is `latest` divided by the period's minutes, what the dashboard shows as "/min". */
  metrics: Record<string, {stat: string; periodSeconds: number; latest: number | null; latestPerMinute?: number | null; points: Array<[string, number | null]>}> | null;
  /** The metrics' period, and the end of the newest complete period: newer periods are still filling
   * (CloudWatch adds data for minutes after a period ends) and are left out of `points` and `latest`. */
  metricsPeriodSeconds: number | null;
  metricsCompleteUntil: string | null;
  queues: Array<{
    role: QueueRole;
    url: string;
    arn: string;
    visible: number | null;
    inFlight: number | null;
    delayed: number | null;
    oldestAgeSeconds: number | null;
    /** Why `oldestAgeSeconds` may be too young (a standard queue's own DLQ: the metric counts from the move, SQS
     * expires from the first enqueue in the source queue); null when nothing to say. */
    oldestAgeNote: string | null;
  }>;
  /** AsyncEventsDropped over the window, split into kept (a target holds them) and lost; null when not known. */
  dropped: {
    windowSeconds: number;
    dropped: number;
    kept: number | null;
    lost: number | null;
    lostIsUpperBound: boolean;
    keptIn: Array<{role: 'dlq' | 'on-failure'; arn: string; count: number}>;
  } | null;
  findings: Array<{id: string; severity: Severity; title: string; detail: string}>;
  errors: Array<{source: string; message: string}>;
}

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function isoOrNull(t: number): string | null {
  if (!Number.isFinite(t)) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function snapshotToJson(snapshot: Snapshot): SnapshotJson {
  const t = snapshot.topology;
  const known = (field: string): boolean => !t || !Object.prototype.hasOwnProperty.call(t.unknown ?? {}, field);
  const fn: SnapshotJson['function'] = t
    ? {
        name: t.name,
        arn: t.arn ?? null,
        region: t.region,
        timeoutSeconds: numberOrNull(t.timeoutSeconds),
        memoryMb: numberOrNull(t.memoryMb),
        reservedConcurrency: known('reservedConcurrency') ? numberOrNull(t.reservedConcurrency) : null,
        maximumRetryAttempts: known('maximumRetryAttempts') ? numberOrNull(t.maximumRetryAttempts) : null,
        maximumEventAgeSeconds: known('maximumEventAgeSeconds') ? numberOrNull(t.maximumEventAgeSeconds) : null,
        deadLetterTarget: known('deadLetterTarget') ? (t.deadLetterTarget?.arn ?? null) : null,
        onSuccess: known('onSuccess') ? (t.onSuccess?.arn ?? null) : null,
        onFailure: known('onFailure') ? (t.onFailure?.arn ?? null) : null,
      }
    : null;

  let metrics: SnapshotJson['metrics'] = null;
  if (snapshot.metrics) {
    metrics = {};
    for (const [key, series] of Object.entries(snapshot.metrics.series)) {
      const points: Array<[string, number | null]> = [];
      for (const [time, value] of completePoints(series)) {
        const iso = isoOrNull(time);
        if (iso !== null) points.push([iso, numberOrNull(value)]);
      }
      const latest = numberOrNull(lastCompleteValue(series));
      const perMinute = series.stat === 'Sum' && series.unit === 'Count';
      metrics[key] = {
        stat: series.stat,
        periodSeconds: snapshot.metrics.periodSeconds,
        latest,
        ...(perMinute ? {latestPerMinute: latest === null ? null : latest / (snapshot.metrics.periodSeconds / 60)} : {}),
        points,
      };
    }
  }

  const b = droppedBreakdown(snapshot.topology, snapshot.metrics);
  const dropped: SnapshotJson['dropped'] = b
    ? {windowSeconds: b.windowSeconds, dropped: b.dropped, kept: b.kept, lost: b.lost, lostIsUpperBound: b.lostIsUpperBound, keptIn: b.keptIn.map((k) => ({role: k.role, arn: k.target.arn, count: k.count}))}
    : null;

  const completeUntil = snapshot.metrics ? (snapshot.metrics.fillingFrom ?? null) : null;
  return {
    function: fn,
    metrics,
    metricsPeriodSeconds: snapshot.metrics ? snapshot.metrics.periodSeconds : null,
    metricsCompleteUntil: completeUntil === null ? null : isoOrNull(completeUntil),
    dropped,
    queues: snapshot.queues.map((q) => ({
      role: q.role,
      url: q.url,
      arn: q.arn,
      visible: numberOrNull(q.visible),
      inFlight: numberOrNull(q.inFlight),
      delayed: numberOrNull(q.delayed),
      oldestAgeSeconds: numberOrNull(q.oldestAgeSeconds),
      oldestAgeNote: queueAgeCaveat(q, queueAge(q, undefined, snapshot.at)),
    })),
    findings: snapshot.findings.map((f: Finding) => ({id: f.id, severity: f.severity, title: f.title, detail: f.detail})),
    errors: snapshot.errors.map((e) => ({source: e.source, message: e.message})),
  };
}
