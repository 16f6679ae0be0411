// Dropped is not lost (reference section 1): AsyncEventsDropped counts every event Lambda discards from its
// async queue without a successful run (retries exhausted, too old, reserved concurrency 0), INCLUDING those it
// sent to the DLQ or OnFailure destination first. An event is lost only when there is no target, or for the
// writes that failed (DeadLetterErrors, DestinationDeliveryFailures). One calculation, used by the diagnosis,
// the pipeline panel and `--once --json`, so they say the same numbers.
import type {FunctionTopology, MetricsSnapshot, Target} from './types.ts';
import {completePoints, sumValues} from './sparkline.ts';

export interface KeptIn {
  role: 'dlq' | 'on-failure';
  target: Target;
  /** Dropped events written there (dropped minus that target's failed writes). */
  count: number;
}

export interface DroppedBreakdown {
  /** AsyncEventsDropped over the complete points of the window. */
  dropped: number;
  /** Of `dropped`, the events no target holds; null when it cannot be told (targets or failure metrics unknown). */
  lost: number | null;
  /** With both a DLQ and a destination, an event is lost only when both writes failed: `lost` is then an upper
   * bound (the smaller of the two failure counts). */
  lostIsUpperBound: boolean;
  /** Why the lost ones are lost. */
  lostBecause: 'no-target' | 'write-failed' | null;
  /** Of `dropped`, the events a target holds (the largest count of any one target); null when not known. */
  kept: number | null;
  keptIn: KeptIn[];
  deadLetterErrors: number | null;
  destinationDeliveryFailures: number | null;
  windowSeconds: number;
}

/** Sum of the complete points of a series; null when the series is missing or could not be read. */
export function completeSum(metrics: MetricsSnapshot | null, key: string): number | null {
  const series = metrics?.series[key];
  if (!series || series.status === 'Forbidden' || series.status === 'InternalError') return null;
  if (series.status === null && series.points.length === 0) return null;
  return sumValues(completePoints(series));
}

const knownField = (t: FunctionTopology, field: string): boolean => !Object.prototype.hasOwnProperty.call(t.unknown ?? {}, field);

/** null when AsyncEventsDropped is not known. */
export function droppedBreakdown(topology: FunctionTopology | null, metrics: MetricsSnapshot | null): DroppedBreakdown | null {
  const dropped = completeSum(metrics, 'AsyncEventsDropped');
  if (dropped === null || !metrics) return null;
  const deadLetterErrors = completeSum(metrics, 'DeadLetterErrors');
  const destinationDeliveryFailures = completeSum(metrics, 'DestinationDeliveryFailures');
  const windowSeconds = Math.round((metrics.end - metrics.start) / 1000);
  const out: DroppedBreakdown = {dropped, lost: null, lostIsUpperBound: false, lostBecause: null, kept: null, keptIn: [], deadLetterErrors, destinationDeliveryFailures, windowSeconds};
  if (!topology || !knownField(topology, 'deadLetterTarget') || !knownField(topology, 'onFailure')) return out;
  const dlq = topology.deadLetterTarget;
  const destination = topology.onFailure;
  if (!dlq && !destination) return {...out, lost: dropped, kept: 0, lostBecause: dropped > 0 ? 'no-target' : null};
  const writes: Array<{role: KeptIn['role']; target: Target; failed: number | null}> = [];
  if (dlq) writes.push({role: 'dlq', target: dlq, failed: deadLetterErrors});
  if (destination && destination.arn !== dlq?.arn) writes.push({role: 'on-failure', target: destination, failed: destinationDeliveryFailures});
  if (writes.some((w) => w.failed === null)) return out;
  const keptIn = writes.map((w) => ({role: w.role, target: w.target, count: Math.max(0, dropped - w.failed!)}));
  // An event is lost only when every write failed: with one target that is its failure count; with two, at most
  // the smaller one (CloudWatch does not say which events failed where).
  const lost = Math.min(dropped, ...writes.map((w) => w.failed!));
  return {
    ...out,
    lost,
    lostIsUpperBound: writes.length > 1 && lost > 0,
    lostBecause: lost > 0 ? 'write-failed' : null,
    kept: Math.max(...keptIn.map((k) => k.count)),
    keptIn,
  };
}
