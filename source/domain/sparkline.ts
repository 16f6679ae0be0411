// Sparklines and the small series arithmetic the diagnosis and the UI share.
import type {MetricSeries} from './types.ts';

export const SPARK_LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** Drawn for a bucket with no data (a missing minute): visibly not a zero. */
export const SPARK_GAP = '·';
/** Drawn left of the oldest value when the series is shorter than the width. */
export const SPARK_PAD = ' ';

export interface SparklineOptions {
  /** Top of the scale (default: the largest value). */
  max?: number;
  /** Bottom of the scale (default: 0, or the smallest value when negative). */
  min?: number;
  /** Character for missing data (default '·'). */
  gap?: string;
  /** Pad on the left with spaces to exactly `width` chars when there are fewer values (default true). */
  pad?: boolean;
}

const isValue = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Down-samples to at most `width` buckets aligned on the newest value (the newest bucket is always the last
 * value alone or with its predecessors; leftover old values go in the oldest bucket). A bucket is the max of
 * its values, null when it has none.
 */
export function resample(values: ReadonlyArray<number | null>, width: number): Array<number | null> {
  const w = Math.max(0, Math.floor(width));
  if (values.length <= w) return values.map((v) => (isValue(v) ? v : null));
  if (w === 0) return [];
  const out: Array<number | null> = new Array<number | null>(w).fill(null);
  const n = values.length;
  for (let b = 0; b < w; b++) {
    // Bucket b (0 = oldest) covers [start, end) with ends measured from the right.
    const end = n - Math.floor(((w - 1 - b) * n) / w);
    const start = n - Math.floor(((w - b) * n) / w);
    let best: number | null = null;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (isValue(v) && (best === null || v > best)) best = v;
    }
    out[b] = best;
  }
  return out;
}

/**
 * ▁▂▃▄▅▆▇█ for `values` (oldest first), at most `width` chars, newest at the right. A zero (the bottom of the
 * scale) is ▁, any value above it at least ▂, the maximum █; a flat non-zero series sits at mid-height ▄;
 * null/NaN draw the gap char.
 */
export function sparkline(values: ReadonlyArray<number | null>, width: number, options: SparklineOptions = {}): string {
  const w = Math.max(0, Math.floor(width));
  if (w === 0) return '';
  const gap = options.gap ?? SPARK_GAP;
  const buckets = resample(values, w);
  let dataMin = Infinity;
  let dataMax = -Infinity;
  // (indexed loops: this runs for every sparkline of every refresh, a few times a minute, never optimised, where
  // `for (const v of ...)` allocates an iterator result per value)
  for (let i = 0; i < buckets.length; i++) {
    const v = buckets[i]!;
    if (v === null) continue;
    if (v < dataMin) dataMin = v;
    if (v > dataMax) dataMax = v;
  }
  const min = isValue(options.min) ? options.min : Math.min(0, dataMin === Infinity ? 0 : dataMin);
  const max = isValue(options.max) ? options.max : dataMax;
  const flat = !isValue(options.max) && dataMin === dataMax && dataMax > min;
  let out = '';
  for (let i = 0; i < buckets.length; i++) {
    const v = buckets[i]!;
    if (v === null) {
      out += gap;
      continue;
    }
    out += SPARK_LEVELS[level(v, min, max, flat)];
  }
  if (options.pad !== false && buckets.length < w) out = SPARK_PAD.repeat(w - buckets.length) + out;
  return out;
}

function level(v: number, min: number, max: number, flat: boolean): number {
  if (v <= min) return 0;
  if (flat) return 3;
  if (!(max > min)) return 0;
  if (v >= max) return 7;
  // Linear over the 8 levels, but at least 1 above the bottom: a small non-zero value never looks like a zero.
  return Math.max(1, Math.min(7, Math.round(((v - min) / (max - min)) * 7)));
}

// A refresh reads each series' complete points many times (the diagnosis's rules, the pipeline rows, the dropped
// breakdown): the filtered copy is made once per series object. A series is never changed once built (each
// GetMetricData answer builds new ones), so its complete points cannot change either; callers do not change the
// array they are given (it is the series' own `points` when nothing is partial).
const completeOf = new WeakMap<MetricSeries, Array<[number, number]>>();

/** The points that are complete: drops the newest minute when it is marked partial. */
export function completePoints(series: MetricSeries | null | undefined): Array<[number, number]> {
  if (!series) return [];
  const partialFrom = series.partialFrom;
  if (partialFrom === null || partialFrom === undefined) return series.points;
  let complete = completeOf.get(series);
  if (complete === undefined) {
    // (index access, not `([t]) =>`: this code runs a few times a minute, never optimised, and a destructured
    // parameter there walks an array iterator per point: about a fifth of an idle refresh's allocations)
    complete = series.points.filter((p) => p[0] < partialFrom);
    completeOf.set(series, complete);
  }
  return complete;
}

/** Sum of the points' finite values, in order (as `reduce((a, [, v]) => a + (finite ? v : 0), 0)`). */
export function sumValues(points: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const v = points[i]![1];
    sum += Number.isFinite(v) ? v : 0;
  }
  return sum;
}

/** The newest value, excluding a partial newest minute; null when there is none. */
export function lastCompleteValue(series: MetricSeries | null | undefined): number | null {
  const points = completePoints(series);
  const last = points[points.length - 1];
  return last && Number.isFinite(last[1]) ? last[1] : null;
}

/** Time of the newest complete point, or null. */
export function lastCompleteTime(series: MetricSeries | null | undefined): number | null {
  const points = completePoints(series);
  const last = points[points.length - 1];
  return last ? last[0] : null;
}

/**
 * Least-squares slope in value units per minute over the points within `lookbackMinutes` of the newest one.
 * null when fewer than 2 points (or all at one time). Pass complete points (see completePoints).
 */
export function trendPerMinute(points: ReadonlyArray<readonly [number, number]>, lookbackMinutes: number): number | null {
  const valid = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (valid.length < 2) return null;
  const newest = valid.reduce((m, p) => Math.max(m, p[0]), -Infinity);
  const from = newest - lookbackMinutes * 60_000;
  const used = valid.filter((p) => p[0] >= from);
  if (used.length < 2) return null;
  const xs = used.map((p) => (p[0] - newest) / 60_000);
  const ys = used.map((p) => p[1]);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    num += dx * (ys[i]! - my);
    den += dx * dx;
  }
  if (den === 0) return null;
  return num / den;
}

/** The values of a series on a minute grid from `start` to `end` (exclusive), null where a minute is missing. */
export function seriesOnGrid(
  points: ReadonlyArray<readonly [number, number]>,
  start: number,
  end: number,
  periodMs = 60_000,
): Array<number | null> {
  if (!(periodMs > 0) || !(end > start)) return [];
  const count = Math.min(100_000, Math.ceil((end - start) / periodMs));
  const out: Array<number | null> = new Array<number | null>(count).fill(null);
  for (let k = 0; k < points.length; k++) {
    const t = points[k]![0];
    const v = points[k]![1];
    const i = Math.floor((t - start) / periodMs);
    if (i >= 0 && i < count && Number.isFinite(v)) out[i] = v;
  }
  return out;
}
