// V8's optimising compilers (Maglev and TurboFan, which compile on V8's worker threads) are held off from the start of
// a --demo process (bin/lambda-top.js: holdOptimisingCompilers, set with --no-lazy before the bundle compiles) until
// its first data is on screen. They compiled the start-up's hot functions (module loading, React's first renders,
// the simulator's pre-roll, the first refresh) mostly after those had run: CPU taken from the second core, which
// V8's concurrent marking, tmux and the terminal share on a two-core machine, while the first frames were drawn.
// Meanwhile those functions run as Sparkplug (baseline) code; the optimising compilers get them afterwards, as they
// would have.
// Measured side by side (CPU of each thread at the data frame, /proc/<pid>/task/<tid>/schedstat; 10 alternating
// starts, twice, builds in turn): V8's worker threads 41 against 89-91 ms, the whole process 234-240 against 276-287,
// the main thread the same (194-198 against 189-193); data on screen 218-229 against 247-253 ms, skeleton 109-110
// against 119-137. Held from the skeleton on instead: workers 48-50; TurboFan alone held: workers 73-76.
// bench/dashboard.mjs --first-frame-only: see the README (Benchmarks, demo10).
const RESUME = Symbol.for('lambda-top.resume-optimising-compilers');

/** Lets Maglev and TurboFan run again if the bin held them (once: later calls, and calls in a process that did not
 * hold them, do nothing). */
export function resumeOptimisingCompilers(): void {
  const resume = (globalThis as Record<symbol, unknown>)[RESUME];
  if (typeof resume === 'function') resume();
}
