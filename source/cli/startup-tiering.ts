// TurboFan (V8's optimising compiler, on its worker threads) is held off between --demo's skeleton frame and its
// first data: it compiled the simulator's pre-roll and the first refresh's hot functions mostly after they had
// run, CPU taken from the second core (which V8's concurrent marking, tmux and the terminal share on a two-core
// machine) while the data frame was being drawn. V8 tiers those functions up with Maglev meanwhile; TurboFan gets
// them afterwards, as it would have. Measured, side by side with main (bench/dashboard.mjs --first-frame-only and
// 10 alternating starts reading each thread's CPU at the data frame): V8's worker threads 81-82 against 90-93 ms of
// CPU, the main thread the same. The flag changes only between the skeleton and the data, so the files compiled
// then (the session, the SDK, the simulator) are compiled under the same flags at every --demo start (the compile
// cache's flag hash).
import v8 from 'node:v8';

/** At the latest this long after holdTurbofan(), TurboFan runs again (a start whose data never comes). */
export const TURBOFAN_HOLD_MAX_MS = 5000;

export interface TieringControl {
  setFlags(flags: string): void;
  setTimeout(callback: () => void, ms: number): {unref(): unknown};
}

const defaultControl: TieringControl = {setFlags: (flags) => v8.setFlagsFromString(flags), setTimeout: (callback, ms) => setTimeout(callback, ms)};

/** Holds TurboFan off until the returned function is called, or TURBOFAN_HOLD_MAX_MS have passed; resuming twice
 * (or after the timeout) does nothing. */
export function holdTurbofan(control: TieringControl = defaultControl): () => void {
  let held = true;
  control.setFlags('--no-turbofan');
  const resume = () => {
    if (!held) return;
    held = false;
    control.setFlags('--turbofan');
  };
  control.setTimeout(resume, TURBOFAN_HOLD_MAX_MS).unref();
  return resume;
}
