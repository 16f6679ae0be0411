// The simulator's CloudWatch: metric series aggregated per minute, with CloudWatch statistic semantics and
// CloudWatch's late newest minute.
//
// Storage: each series keeps one slot per minute (in one typed array per series); a slot is split into six
// 10-second slices holding sum / count / min / max (and, for series that need percentiles, a bounded reservoir
// of samples).
// Samples are stamped at the time the model gives them (invocation time, reference section 5), not when
// they are recorded.
//
// PUBLICATION RULE (the "late newest minute"): a slice [s, s + 10 s) becomes visible to queries at
//   s + 10 s + 60 s + k * 10 s, with k in 0..6 fixed per (series, minute, slice) by a hash,
// i.e. 60-120 virtual seconds after the slice ends. So at any moment the newest one or two minutes of a
// series are partial and fill in over the next two minutes, as CloudWatch's do (reference section 5:
// "can arrive several minutes late: the newest minute is usually incomplete").
import type {SimMetricQuery} from '../ports.ts';

export const SLICE_MS = 10_000;
const SLICES = 6;
const MINUTE = 60_000;
/** Reservoir size per 10-second slice for series with percentiles (bounded memory, ~300 samples a minute). */
const RESERVOIR = 50;

/** The longest publicationDelayMs (k = 6): a minute is whole once this long after its end. */
const MAX_PUBLICATION_DELAY_MS = 120_000;

export function publicationDelayMs(seriesHash: number, minuteIndex: number, slice: number): number {
  const k = Math.abs((seriesHash ^ Math.imul(minuteIndex, 2654435761) ^ Math.imul(slice + 1, 40503)) | 0) % 7;
  return 60_000 + k * 10_000;
}

/** Doubles per minute: [sum x6, count x6, min x6, max x6]. */
const SLOT = SLICES * 4;

/** One series: per minute, its SLOT doubles in one typed array shared by all its minutes (a slot each, reused
 * after a prune), instead of a typed array per minute (some 350 bytes a minute with its buffer and bucket
 * object, against 200; the demo keeps six hours of about twenty series). */
export class Series {
  /** minute index -> slot */
  private readonly slots = new Map<number, number>();
  private data = new Float64Array(SLOT * 16);
  private readonly free: number[] = [];
  private used = 0;
  /** per minute, a reservoir per slice (series with percentiles only) */
  private readonly samples: Map<number, number[][]> | null;
  readonly hash: number;
  private rand: number;
  /** The newest minute a slot was made for, and whether every slot was made in ascending minute order: then the
   * slots iterate oldest first, and a prune stops at the first minute it keeps instead of visiting all six hours. */
  private newest = -Infinity;
  private ascending = true;
  /** The minute add() last wrote to and its slot: samples come in time order, most to the minute before
   * (a Map lookup per sample, about ten per invocation, otherwise). lastSlot -1: none. */
  private lastMinute = 0;
  private lastSlot = -1;
  constructor(
    readonly key: string,
    readonly namespace: string,
    readonly metricName: string,
    readonly dimensions: Record<string, string>,
    readonly keepSamples: boolean,
  ) {
    let h = 2166136261;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    this.hash = h >>> 0;
    this.rand = this.hash || 1;
    this.samples = keepSamples ? new Map() : null;
  }

  /** Minutes holding data. */
  get minutes(): number {
    return this.slots.size;
  }

  /** Where minute `minuteIndex` starts in `values`, or -1 when it has no data. */
  offsetOf(minuteIndex: number): number {
    const slot = this.slots.get(minuteIndex);
    return slot === undefined ? -1 : slot * SLOT;
  }

  /** The minutes' doubles (see SLOT); read at offsetOf(). */
  get values(): Float64Array {
    return this.data;
  }

  /** The reservoir of one slice of one minute (series with percentiles). */
  samplesOf(minuteIndex: number, slice: number): number[] | undefined {
    return this.samples?.get(minuteIndex)?.[slice];
  }

  private newSlot(minuteIndex: number): number {
    if (minuteIndex < this.newest) this.ascending = false;
    else this.newest = minuteIndex;
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (this.used * SLOT > this.data.length) {
        const grown = new Float64Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
    }
    const base = slot * SLOT;
    this.data.fill(0, base, base + SLICES * 2);
    this.data.fill(Infinity, base + SLICES * 2, base + SLICES * 3);
    this.data.fill(-Infinity, base + SLICES * 3, base + SLOT);
    this.slots.set(minuteIndex, slot);
    if (this.samples) this.samples.set(minuteIndex, Array.from({length: SLICES}, () => []));
    return slot;
  }

  /** Drops the minutes before `limit` (a minute index). */
  prune(limit: number): void {
    for (const [m, slot] of this.slots) {
      if (m >= limit) {
        if (this.ascending) break; // the rest are newer
        continue;
      }
      this.slots.delete(m);
      this.free.push(slot);
      this.samples?.delete(m);
      if (m === this.lastMinute) this.lastSlot = -1;
    }
  }

  /** Adds one sample stamped at time t (epoch ms). */
  add(t: number, value: number): void {
    const minuteIndex = Math.floor(t / MINUTE);
    let slot: number;
    if (minuteIndex === this.lastMinute && this.lastSlot >= 0) slot = this.lastSlot;
    else {
      slot = this.slots.get(minuteIndex) ?? this.newSlot(minuteIndex);
      this.lastMinute = minuteIndex;
      this.lastSlot = slot;
    }
    const s = Math.floor((t - minuteIndex * MINUTE) / SLICE_MS);
    const v = this.data;
    const base = slot * SLOT;
    v[base + s] = v[base + s]! + value;
    const n = (v[base + SLICES + s] = v[base + SLICES + s]! + 1);
    if (value < v[base + SLICES * 2 + s]!) v[base + SLICES * 2 + s] = value;
    if (value > v[base + SLICES * 3 + s]!) v[base + SLICES * 3 + s] = value;
    if (this.samples) {
      const r = this.samples.get(minuteIndex)![s]!;
      if (r.length < RESERVOIR) r.push(value);
      else {
        // reservoir sampling with a deterministic xorshift
        let x = this.rand;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        this.rand = x >>> 0;
        const j = this.rand % n;
        if (j < RESERVOIR) r[j] = value;
      }
    }
  }
}

/** One period's percentile samples, gathered and sorted in place: one buffer for every query, not an array per
 * period and a sorted copy of it (GetMetricData asks for p50 and p99 of an hour of minutes every refresh). */
let sampleScratch = new Float64Array(1024);

function appendSamples(at: number, values: readonly number[]): number {
  if (at + values.length > sampleScratch.length) {
    const grown = new Float64Array(Math.max(sampleScratch.length * 2, at + values.length));
    grown.set(sampleScratch.subarray(0, at));
    sampleScratch = grown;
  }
  // one native copy, not a loop of assignments (some 300 a minute per percentile, run cold on the first refresh)
  sampleScratch.set(values, at);
  return at + values.length;
}

export function seriesKey(namespace: string, metricName: string, dimensions: Record<string, string>): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join(',');
  return `${namespace}|${metricName}|${dims}`;
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)$/;

export class MetricStore {
  private readonly series = new Map<string, Series>();

  /** The series for (namespace, name, dimensions), created on first use. Keep the reference for fast adds. */
  get(namespace: string, metricName: string, dimensions: Record<string, string>, options: {samples?: boolean} = {}): Series {
    const key = seriesKey(namespace, metricName, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = new Series(key, namespace, metricName, {...dimensions}, options.samples ?? false);
      this.series.set(key, s);
    }
    return s;
  }

  list(namespace?: string, metricName?: string): Array<{namespace: string; metricName: string; dimensions: Record<string, string>}> {
    const out: Array<{namespace: string; metricName: string; dimensions: Record<string, string>}> = [];
    for (const s of this.series.values()) {
      if (s.minutes === 0) continue;
      if (namespace !== undefined && s.namespace !== namespace) continue;
      if (metricName !== undefined && s.metricName !== metricName) continue;
      out.push({namespace: s.namespace, metricName: s.metricName, dimensions: {...s.dimensions}});
    }
    return out;
  }

  /** Drops buckets of minutes before `before` (epoch ms). */
  prune(before: number): void {
    const limit = Math.floor(before / MINUTE);
    for (const s of this.series.values()) s.prune(limit);
  }

  /** CloudWatch GetMetricData semantics for one series, as seen at time `now` (publication rule above).
   * Periods are multiples of 60 s, aligned to the minute at or before `start`; periods without visible
   * samples are absent. Returns [periodStart, value] ascending. */
  query(q: SimMetricQuery, now: number): Array<[number, number]> {
    const period = q.periodSeconds * 1000;
    if (!(period >= MINUTE) || period % MINUTE !== 0) throw new RangeError(`period must be a multiple of 60 seconds, got ${q.periodSeconds}`);
    const s = this.series.get(seriesKey(q.namespace, q.metricName, q.dimensions));
    if (!s) return [];
    const stat = q.stat;
    const pct = PERCENTILE.exec(stat);
    const wantSamples = pct !== null;
    if (!wantSamples && !['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'].includes(stat)) throw new RangeError(`unsupported statistic ${stat}`);
    const origin = Math.floor(q.start / MINUTE) * MINUTE;
    const firstMinute = origin / MINUTE;
    const lastMinute = Math.ceil(q.end / MINUTE) - 1; // minutes whose start < end
    const out: Array<[number, number]> = [];
    const minutesPerPeriod = period / MINUTE;
    for (let p0 = firstMinute; p0 <= lastMinute; p0 += minutesPerPeriod) {
      let sum = 0;
      let count = 0;
      let min = Infinity;
      let max = -Infinity;
      let samples = 0; // the period's samples, in sampleScratch[0, samples)
      const p1 = Math.min(p0 + minutesPerPeriod - 1, lastMinute);
      for (let m = p0; m <= p1; m++) {
        const base = s.offsetOf(m);
        if (base < 0) continue;
        const v = s.values;
        // Every slice of a minute ended more than the longest delay ago is published: no delay to work out (all
        // but the newest two or three minutes of an hour's query; the same answer as checking each slice).
        const whole = (m + 1) * MINUTE + MAX_PUBLICATION_DELAY_MS <= now;
        for (let i = 0; i < SLICES; i++) {
          const n = v[base + SLICES + i]!;
          if (n === 0) continue;
          if (!whole && m * MINUTE + (i + 1) * SLICE_MS + publicationDelayMs(s.hash, m, i) > now) continue;
          sum += v[base + i]!;
          count += n;
          min = Math.min(min, v[base + SLICES * 2 + i]!);
          max = Math.max(max, v[base + SLICES * 3 + i]!);
          const reservoir = wantSamples ? s.samplesOf(m, i) : undefined;
          if (reservoir) samples = appendSamples(samples, reservoir);
        }
      }
      if (count === 0) continue;
      let value: number;
      switch (stat) {
        case 'Sum':
          value = sum;
          break;
        case 'Average':
          value = sum / count;
          break;
        case 'Maximum':
          value = max;
          break;
        case 'Minimum':
          value = min;
          break;
        case 'SampleCount':
          value = count;
          break;
        default: {
          if (samples === 0) continue; // no percentiles for this series
          value = percentileOfSorted(sampleScratch.subarray(0, samples).sort(), Number(pct![1]));
        }
      }
      out.push([p0 * MINUTE, value]);
    }
    return out;
  }
}

/** Percentile by linear interpolation between closest ranks. */
export function percentile(values: number[], p: number): number {
  return percentileOfSorted(Float64Array.from(values).sort(), p);
}

/** The p-th percentile of ascending values (linear between the two nearest ranks). */
function percentileOfSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}
