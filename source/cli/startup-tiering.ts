// V8's optimising compilers (Maglev and TurboFan, which compile on V8's worker threads) are held off between
// --demo's skeleton frame and its first data. They compiled the simulator's pre-roll and the first refresh's hot
// functions mostly after those had run: CPU taken from the second core, which V8's concurrent marking, tmux and the
// terminal share on a two-core machine, while the data frame was being drawn. Meanwhile those functions run as
// Sparkplug (baseline) code; the optimising compilers get them afterwards, as they would have.
// Measured side by side (CPU of each thread at the data frame from /proc/<pid>/task/<tid>/schedstat, 10 alternating
// starts): V8's worker threads 47 against 87-95 ms, the whole process 251-255 against 285-289 ms, the main thread 6-9
// ms more (201-204 against 193-198: the pre-roll's loops in baseline code); TurboFan alone held: workers 73-76, main
// the same. bench/dashboard.mjs: CPU of the process tree to the data 225 against 250 ms.
// The flags change only between the skeleton and the data, so the files compiled then (the session, the SDK, the
// simulator) are compiled under the same flags at every --demo start (the compile cache's flag hash).
import v8 from 'node:v8';

const HOLD_FLAGS = '--no-maglev --no-turbofan';
const RESUME_FLAGS = '--maglev --turbofan';

/** At the latest this long after holdOptimisingCompilers(), they run again (a start whose data never comes). */
export const OPTIMISING_HOLD_MAX_MS = 5000;

export interface TieringControl {
  setFlags(flags: string): void;
  setTimeout(callback: () => void, ms: number): {unref(): unknown};
}

const defaultControl: TieringControl = {setFlags: (flags) => v8.setFlagsFromString(flags), setTimeout: (callback, ms) => setTimeout(callback, ms)};

/** Holds Maglev and TurboFan off until the returned function is called, or OPTIMISING_HOLD_MAX_MS have passed;
 * resuming twice (or after the timeout) does nothing. */
export function holdOptimisingCompilers(control: TieringControl = defaultControl): () => void {
  let held = true;
  control.setFlags(HOLD_FLAGS);
  const resume = () => {
    if (!held) return;
    held = false;
    control.setFlags(RESUME_FLAGS);
  };
  control.setTimeout(resume, OPTIMISING_HOLD_MAX_MS).unref();
  return resume;
}
