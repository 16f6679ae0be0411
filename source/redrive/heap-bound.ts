// The old generation of a `lambda-top redrive` process, held near what it keeps live whatever the run's length.
// A redrive promotes about 100 bytes a message to the old generation (objects that outlive two scavenges of the
// 8 MB young generation: requests and batches in flight, timers, socket buffers) that die there; V8 lets the old
// generation grow by at least its growing step (8 MB here) past what its last mark-compact left before the next
// one. A 5,000-message run ends before that; a 100,000-message run reaches it: its peak RSS sat 4-6 MB above the
// 5,000-message run's, all of it V8 heap (bench/redrive-throughput.ts --sizes: V8 heap 45.5 MB at the 100k peak
// against 39.5 at 5k, the native part and external memory the same).
// check(), once a batch: every CHECK_EVERY calls it reads the old generation's size (old space and large objects),
// and when that is more than `growthBytes` over the least seen since the last collection (V8's own collections
// lower that floor too), it runs one memory-reducing major collection itself (the 'last-resort' flavor: it compacts
// and gives freed pages back; the semi-spaces stay at the bin's --min-semi-space-size). Measured side by side
// (this build, --compare-env, loaded machine, 5k x3 / 100k x2): 2 MB growth, last-resort: peak 103 / 105-106 MB, 2
// bound collections in 100k, mark-compact pauses 70 ms in all (longest 19); regular: 103 / 106-107, pauses 49 ms
// (longest 27); 1 MB growth, regular: 103 / 106 MB with 5 bound collections (109 ms): no lower for more pauses.
// Against main (same bench child on both sides, loaded machine, 5k x5 / 100k x3): 103 / 105 (103-106) MB against
// 103 / 107 (106-107): the 100k peak comes before the first bound collection (one growth step over the start),
// so what is left of the rise is about `growthBytes` plus the native part's own run-to-run spread (2-5 MB). Only for a process that is the redrive
// (the CLI command, not the dashboard, where the synchronous pause could hold up a key): commands.ts passes it.
import v8 from 'node:v8';
import {createHeapTrim, v8Collector} from './v8-gc.ts';

export interface HeapBound {
  /** Once a batch (cheap: a counter, and every CHECK_EVERY calls one read of V8's space sizes). */
  check(): void;
  /** Collections run so far. */
  readonly collections: number;
}

/** The old generation's allowed growth over its floor before a collection. */
export const GROWTH_BYTES = 2 * 1024 * 1024;
/** Batches between two reads of the heap's size (one read costs a few µs and allocates the space list). */
export const CHECK_EVERY = 8;

/** The decision, without V8: `used()` is the old generation's size, `collect()` one major collection. */
export function createHeapBound(options: {used: () => number; collect: () => void; growthBytes?: number; every?: number}): HeapBound {
  const every = Math.max(1, options.every ?? CHECK_EVERY);
  const trim = createHeapTrim({used: options.used, collect: options.collect, growthBytes: options.growthBytes ?? GROWTH_BYTES});
  let calls = 0;
  let collections = 0;
  return {
    check() {
      if (++calls % every !== 0) return;
      if (trim.check()) collections++;
    },
    get collections() {
      return collections;
    },
  };
}

/** Old space and large objects: where promoted objects and big strings live (the young generation is fixed). */
function oldGenerationBytes(): number {
  let bytes = 0;
  for (const s of v8.getHeapSpaceStatistics()) if (s.space_name === 'old_space' || s.space_name === 'large_object_space') bytes += s.space_used_size;
  return bytes;
}

/** The bound for this process ('last-resort': see the head of this file), or null when V8 refuses the collector (then V8's own schedule stays). */
export function processHeapBound(growthBytes = GROWTH_BYTES, flavor: 'regular' | 'last-resort' = 'last-resort'): HeapBound | null {
  const gc = v8Collector();
  if (!gc) return null;
  return createHeapBound({used: oldGenerationBytes, collect: () => gc({type: 'major', execution: 'sync', flavor}), growthBytes});
}
