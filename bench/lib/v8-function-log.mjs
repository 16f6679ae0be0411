// V8's function-event log (node --log-function-events --logfile=F --no-logfile-per-isolate), read once for the
// benches that sum it (bench/lazy-compile.mjs: compile time by kind; bench/chunk-coverage.mjs: bytes called).

/** The log's scripts (id -> name) and its events: `function` lines (event, script id, source range, ms spent,
 * time in ms on the log's clock) and script deserialisations (from the code cache: no range, no time spent). */
export function readFunctionLog(log) {
  const scripts = new Map();
  const events = [];
  for (const line of log.split('\n')) {
    const f = line.split(',');
    if (f[0] === 'script-details') scripts.set(f[1], f[2]);
    else if (f[0] === 'function') events.push({event: f[1], script: f[2], start: Number(f[3]), end: Number(f[4]), ms: Number(f[5]), at: Number(f[6]) / 1000});
    else if (f[0] === 'script' && f[1] === 'deserialize') events.push({event: 'deserialize', script: f[2], start: 0, end: 0, ms: 0, at: Number(f[3]) / 1000});
  }
  return {scripts, events};
}
