// Memory of a dashboard left open for hours. During start-up (the bundle's chunks, the SDK's first calls, the
// demo simulator's pre-roll) V8 grows its young generation to its largest semi-spaces, 32-64 MB resident here,
// and keeps them for good, although an idle refresh then allocates a few hundred KB. Once the first data is on
// screen, settleYoungGeneration() stops the young generation from growing again and runs one memory-reducing
// collection, which shrinks it to its initial size and compacts the old generation.
// Why not a flag at start (--max-semi-space-size, as the bin does for redrive): a small young generation from
// the first instruction costs about 90 ms more CPU before the first data (more scavenges, start-up garbage
// promoted), and a flag would need the process to re-exec itself, another Node start. Measured with
// bench/dashboard.mjs (idle RSS and first frame).
import v8 from 'node:v8';
import vm from 'node:vm';

type Gc = (options?: {type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort'}) => void;

/** Flags the user gave Node that size the heap themselves: then we leave V8 alone. */
export function heapSizedByUser(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return /--(max|min)-semi-space-size|--semi-space-growth-factor/.test(`${execArgv.join(' ')} ${nodeOptions ?? ''}`);
}

/** Caps the young generation at its current (initial, after the collection) size. False when V8 refused. */
export function settleYoungGeneration(): boolean {
  if (heapSizedByUser(process.execArgv, process.env.NODE_OPTIONS)) return false;
  try {
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    // `gc` is only installed on contexts created while --expose-gc is set: take one, and unset it again.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as Gc;
    v8.setFlagsFromString('--no-expose-gc');
    // "last-resort" is the collection V8 runs near the heap limit: it also shrinks the new space.
    gc({type: 'major', execution: 'sync', flavor: 'last-resort'});
    return true;
  } catch {
    return false;
  }
}
