// V8's own `gc` function, for the processes that bound their heap themselves: the dashboard's young-generation
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
