// Memory of a dashboard left open for hours. During start-up (the bundle's chunks, the SDK's first calls, the
// demo simulator's pre-roll) V8 grows its young generation to its largest semi-spaces, 32-64 MB resident here,
// and keeps them, although an idle refresh then allocates a few hundred KB. Once the first data is on screen,
// settleYoungGeneration() runs one memory-reducing collection (the one V8 runs near its heap limit): it
// shrinks the young generation to its initial size and compacts the old generation. V8 grows it again when a
// burst needs it (loading a large DLQ into the browser), so later work keeps V8's defaults.
// Not a flag at start (--max-semi-space-size, as the bin does for redrive): a small young generation from the
// first instruction costs about 90 ms more CPU before the first data (more scavenges, start-up garbage
// promoted), a flag would need the process to re-exec itself (another Node start), and a permanent cap makes
// every later burst pay in scavenges. Measured with bench/dashboard.mjs (idle RSS).
// The price, measured side by side (bench/dashboard.mjs --idle-only, and --cpu-prof over 30 s of --demo idle):
// the smaller young generation roughly doubles the GC time of each later refresh (about +0.1 % of a core in
// --demo), for 29 MB less RSS there (145 -> 116 MB) and about 3 MB in --endpoint-url. Kept: it is what holds the demo
// under its 120 MB target, and --endpoint-url stays under 0.3 % of a core with it. A regular (not last-resort)
// major collection saves the same memory at the same GC cost, so the flavor stays.
// Measured again later (idle7, 4-5 windows of 60-90 s, four dashboards side by side, loaded machine, whole-tree
// CPU): V8 now sizes the young generation itself between 1 and 8 MB semi-spaces after the settle (its own
// shrink at a low allocation rate), 3-6 scavenges of 0.3-6 ms per --demo refresh (7 MB allocated, 43 % of it by
// the simulator). No settle in --demo: 113.3 against 110.4 MB median, CPU 0.50 against 0.45 % (noise); a regular
// settle 110.8 MB, 0.52 %; a semi-space growth factor of 4 set at the settle (V8 reads it at each growth)
// 113.8 MB, 0.58 %. --endpoint-url: no settle and no trim 94.8 MB after 5 min against 91.8, trim off 96.2,
// CPU within noise of each other (0.20-0.28 % medians). The trim's collection is a 35-72 ms pause about every
// 80 s there (a PerformanceObserver's gc entries), where V8's own incremental ones pause 10-20 ms; `execution:
// 'async'` runs the same full collection from a task, so it is no cheaper. Semi-space sizes cannot be set after
// start (V8 sizes its spaces once), and a flag left changed may change V8's flag hash, which code caches (the compile
// cache) are checked against: so no flags here beyond --expose-gc, set and unset.
import v8 from 'node:v8';
import {createHeapTrim, v8Collector} from '../redrive/v8-gc.ts';

/** Flags the user gave Node that size the heap themselves: then we leave V8 alone. */
export function heapSizedByUser(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return /--(max|min)-semi-space-size|--semi-space-growth-factor|--expose-gc/.test(`${execArgv.join(' ')} ${nodeOptions ?? ''}`);
}

export const TRIM_CHECK_MS = 20_000;
export const TRIM_GROWTH_BYTES = 3 * 1024 * 1024;

/** One memory-reducing collection, then (`trimIdleHeap`) a heap trim every TRIM_CHECK_MS while `quiet()` (default:
 * always); false when the user sized the heap or V8 refused. */
export function settleYoungGeneration(options: {trimIdleHeap?: boolean; quiet?: () => boolean} = {}): boolean {
  if (heapSizedByUser(process.execArgv, process.env.NODE_OPTIONS)) return false;
  try {
    const gc = v8Collector();
    if (!gc) return false;
    gc({type: 'major', execution: 'sync', flavor: 'last-resort'});
    if (options.trimIdleHeap) {
      const trim = createHeapTrim({used: () => v8.getHeapStatistics().used_heap_size, collect: () => gc({type: 'major', execution: 'sync', flavor: 'regular'}), growthBytes: TRIM_GROWTH_BYTES, ...(options.quiet ? {quiet: options.quiet} : {})});
      setInterval(() => trim.check(), TRIM_CHECK_MS).unref();
    }
    return true;
  } catch {
    return false;
  }
}
