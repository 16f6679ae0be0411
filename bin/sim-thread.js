// The `--demo` simulator's worker thread (source/sim/worker-host.ts starts it). A worker has a module loader of
// its own: what bin/lambda-top.js sets up for the main thread is set up again here, the compile cache (the same
// directory: later starts skip compiling the simulator's chunks) and the resolve hook for the bundle's own imports
// (bin/fast-resolve.js), with the same switches; then the simulator itself (dist/sim-worker.js).
import module from 'node:module';
import {bundleResolveHook} from './fast-resolve.js';

if (typeof module.enableCompileCache === 'function' && !process.env.LAMBDA_TOP_NO_COMPILE_CACHE) {
  try {
    module.enableCompileCache();
  } catch (error) {
    // Only speed is lost.
  }
}
if (typeof module.registerHooks === 'function' && !process.env.LAMBDA_TOP_NO_FAST_RESOLVE) {
  try {
    module.registerHooks({resolve: bundleResolveHook(new URL('../dist/', import.meta.url).href)});
  } catch (error) {
    // Node's resolution only.
  }
}
await import('../dist/sim-worker.js');
