// Preload (node --import) for profiling key-to-frame inside the process: the time from stdin's bytes arriving
// to the first stdout write after them, and to the last write of that frame, appended to $KEY_LATENCY_LOG as
// "<in-to-first-write ms> <in-to-last-write ms> <bytes written> <key at, monotonic µs>" per key (the last in
// the clock of a --cpu-prof profile's sample times, to cut a profile by key: bench/profile-keys.mjs). A diagnostic for finding where a key's
// time goes (inside the app, or in the terminal round trip bench/fleet.mjs measures):
//   NODE_OPTIONS='--import ./bench/lib/key-latency-preload.mjs' KEY_LATENCY_LOG=/tmp/keys.log lambda-top ...
import {appendFileSync} from 'node:fs';

const file = process.env.KEY_LATENCY_LOG;
if (file) {
  let keyAt = null;
  let keyAtMicros = 0n;
  let first = null;
  let last = null;
  let bytes = 0;
  let timer = null;
  const flush = () => {
    timer = null;
    if (keyAt !== null && first !== null) appendFileSync(file, `${(first - keyAt).toFixed(2)} ${(last - keyAt).toFixed(2)} ${bytes} ${keyAtMicros}\n`);
    keyAt = null;
    first = null;
  };
  const emit = process.stdin.emit;
  process.stdin.emit = function (event, ...args) {
    if (event === 'readable' || event === 'data') {
      if (timer) {
        clearTimeout(timer);
        flush();
      }
      keyAt = performance.now();
      keyAtMicros = process.hrtime.bigint() / 1000n;
      first = null;
      bytes = 0;
    }
    return emit.call(this, event, ...args);
  };
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...args) {
    if (keyAt !== null) {
      const now = performance.now();
      first ??= now;
      last = now;
      bytes += chunk.length;
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, 40);
    }
    return write.call(this, chunk, ...args);
  };
}
