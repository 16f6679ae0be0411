// V8's own `gc` function and the rule for when to call it (createHeapTrim), for the processes that bound their heap themselves: the dashboard's young-generation
// settle and idle heap trim (cli/young-generation.ts) and a redrive's heap bound (redrive/heap-bound.ts).
// V8 installs `gc` only on contexts created while --expose-gc is set: set it, make a context, unset it again, so the
// flag is never left on for the program's own code. Taken once per process.
import v8 from 'node:v8';
import vm from 'node:vm';

export type Gc = (options?: {type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort'}) => void;

let taken: Gc | null = null;

/** V8's `gc`, or null if V8 refused the flag. */
export function v8Collector(): Gc | null {
  if (taken) return taken;
  try {
    v8.setFlagsFromString('--expose-gc');
    try {
      taken = vm.runInNewContext('gc') as Gc;
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return null;
  }
  return taken;
}

/**
 * Keeps a long idle heap near what it holds live. An idle refresh promotes a few hundred KB of short-lived objects
 * (it allocates ~2.5 MB in a burst against a 1-2 MB young generation), and V8 lets the old generation grow 8 MB
 * past what its last collection left before the next one: for minutes the old space grew, and its pages stayed
 * resident (--endpoint-url: 82 -> 92 MB over 4 minutes). check() (every TRIM_CHECK_MS) runs one regular major
 * collection when the heap holds more than `growthBytes` over the least it was seen at since the last one (V8's
 * own collections lower that floor too): about one a minute in an idle dashboard, none while nothing grows, and
 * at most one per check whatever a burst does. The collection is synchronous (a pause of its own), so it only
 * runs while `quiet()` says nobody is working in the app (the dashboard view: not while the failed-event browser,
 * the logs or a redrive is open, where a key could wait behind it); the floor is still followed meanwhile.
 */
export function createHeapTrim(options: {used: () => number; collect: () => void; growthBytes: number; quiet?: () => boolean}) {
  let floor = options.used();
  return {
    check(): boolean {
      const used = options.used();
      if (used < floor) floor = used;
      if (used - floor <= options.growthBytes) return false;
      if (options.quiet && !options.quiet()) return false;
      options.collect();
      floor = options.used();
      return true;
    },
  };
}
