#!/usr/bin/env node
// Kept in old-fashioned syntax on purpose: it must run on any Node to say clearly that it needs Node >= 22.
var major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write('lambda-top needs Node.js 22 or newer; this is Node.js ' + process.versions.node + ': install Node.js 22 or 24 (in a checkout, `npm start` uses the pinned Node).\n');
  process.exit(2);
}
// redrive and export run through queues of any size: a small young generation and a 512 MB old-space limit keep
// their RSS flat (bench/redrive-memory.ts: 100,000 messages move in 120 MB against 116 MB for 10,000, and 270 MB
// with V8's defaults). The semi-spaces are 8 MB, not 1: a redrive keeps about 1 MB of batches and requests live, so
// at 1 MB every scavenge copied nearly all of it (GC was ~20 % of its CPU). Measured (a canned fast endpoint,
// 20,000 invokes): 1 / 4 / 8 / 16 MB: 117 / 90-100 / 81-83 / 81-84 us of CPU per message, 230 scavenges at 4 MB,
// 120 at 8; bench/redrive-memory.ts at 8 MB: dry run 116 -> 124 MB, move 108 -> 116 MB from 10,000 to 100,000.
// The semi-spaces start at 8 MB too (--min-semi-space-size): they reach it within half a second of a redrive
// anyway, and growing there from 1 MB promoted what the small early scavenges found live, so the old space grew
// to its next collection sooner (Lambda redrive against simulate --speed 1, 100,000 invokes: 2 mark-compacts
// instead of 2-6, heap 41-42 MB instead of 42-48 at its peak). The flags must be set before V8 starts, so the
// process replaces itself once (execve keeps its pid: a kill -9 still reaches the redrive itself). Flags already
// given (NODE_OPTIONS, node --...) win.
// --no-concurrent-recompilation: V8 optimises hot functions on the main thread instead of its worker threads. Without
// it a redrive's anonymous RSS grew with the run, none of it V8 heap or external memory: consistent with the compile
// jobs' zone memory (malloc'd on the worker thread that runs them, so in glibc's per-thread arenas, which keep what is
// freed). Lambda redrive against simulate --speed 1, 20,000 invokes, end of run: anonymous RSS 53.0 / 53.0 MB against
// 63.6 / 78.9, the V8 heap the same (40 MB committed); the raw receive/Invoke/delete loop 55-56. Beside the default in
// bench/redrive-throughput.ts: no consistent throughput difference, CPU per message within a few % (README, Where
// it stands).
var HEAP_FLAGS = ['--min-semi-space-size=8', '--max-semi-space-size=8', '--max-old-space-size=512', '--no-concurrent-recompilation'];
var command = process.argv[2];
if (
  (command === 'redrive' || command === 'export') &&
  typeof process.execve === 'function' &&
  !process.env.LAMBDA_TOP_HEAP_FLAGS_SET &&
  !/(min|max)-semi-space-size|max-old-space-size|concurrent-recompilation/.test(process.execArgv.join(' ') + ' ' + (process.env.NODE_OPTIONS || ''))
) {
  var env = Object.assign({}, process.env, {LAMBDA_TOP_HEAP_FLAGS_SET: '1'});
  try {
    process.execve(process.execPath, [process.execPath].concat(HEAP_FLAGS, process.execArgv, [process.argv[1]], process.argv.slice(2)), env);
  } catch (error) {
    // Not replaced (a platform without execve): run with V8's defaults.
  }
}
// V8's on-disk compile cache (Node >= 22.1): later starts skip compiling the bundle's chunks again.
// The cache holds V8's code as compiled when a module is compiled: only its eagerly compiled functions. The ~1,700
// of the bundle's functions a dashboard start first calls before its data were compiled again at each call, on every
// start (bench/lazy-compile.mjs). With --no-lazy V8 compiles every function of a module with the module, so the
// cache holds them all. The flag is set identically at every start before any of the bundle compiles, so the
// cache's flag hash matches (Node keeps it in a directory of its own). Node's builtins carry a code cache made with
// V8's default flags, which any flag change makes V8 reject (NODE_DEBUG_NATIVE=CODE_CACHE): those the bundle uses
// are loaded first, under the default flags (a builtin missed here only compiles from source). Measured side by
// side (bench/dashboard.mjs --first-frame-only, loaded machine): data on screen --demo 311 vs 355 ms, --endpoint-url
// 250 vs 311 ms; without the builtins first, --demo lost (397 vs 380 ms). Cost: the cache is ~4x larger (3.4 MB
// against 0.8 for a --demo start), an empty-cache start ~25 ms slower, idle RSS +6-9 MB (bytecode of functions
// never called): --endpoint-url went to 92 MB, past its 90 MB budget, and so only --demo (whose data needs the
// simulator's chunks as well) compiles eagerly, and not all of the bundle: the files dist/compile-lazily.json lists
// (meow, 130 KB a plain command line never calls) still compile lazily (bin/compile-scope.js): idle RSS of --demo
// 97.2 against 99.5 MB (3 rounds side by side, 25 s after the data), its data on screen unchanged (269 vs 272 ms).
// Eager for the other dashboards' UI alone (Ink, React, the store: compiled eagerly until the dashboard's module ran,
// lazily from there) was measured too: CPU to the data 170 against 185 ms, but idle RSS 84.2 against 81.0 MB.
var EAGER_BUILTINS = ['http', 'https', 'crypto', 'child_process', 'worker_threads', 'readline', 'readline/promises', 'tty', 'tls', 'net', 'dgram', 'cluster', 'assert', 'perf_hooks', 'async_hooks', 'vm', 'querystring', 'fs/promises', 'stream/promises', 'diagnostics_channel', 'string_decoder', 'url', 'util', 'os'];
// An eager start also holds V8's optimising compilers (Maglev, TurboFan) off until its first data: the dashboard lets
// them go once its data frame is drawn (source/cli/startup-tiering.ts, which says why and what it measured), any
// other command after OPTIMISING_HOLD_MAX_MS. Set with --no-lazy, before any file of the bundle compiles: the same
// flags at every start (the compile cache's flag hash).
var OPTIMISING_HOLD_MAX_MS = 5000;
function holdOptimisingCompilers(v8) {
  v8.setFlagsFromString('--no-maglev --no-turbofan');
  var held = true;
  var resume = function () {
    if (!held) return;
    held = false;
    v8.setFlagsFromString('--maglev --turbofan');
  };
  globalThis[Symbol.for('lambda-top.resume-optimising-compilers')] = resume;
  setTimeout(resume, OPTIMISING_HOLD_MAX_MS).unref();
}
import('node:module')
  .then(function (module) {
    var builtin = module.createRequire(import.meta.url);
    var eager = false;
    if (typeof module.enableCompileCache === 'function' && !process.env.LAMBDA_TOP_NO_COMPILE_CACHE) {
      try {
        if (process.argv.indexOf('--demo') !== -1 && !process.env.LAMBDA_TOP_LAZY_COMPILE) {
          EAGER_BUILTINS.forEach(function (name) {
            builtin('node:' + name);
          });
          builtin('node:v8').setFlagsFromString('--no-lazy');
          holdOptimisingCompilers(builtin('node:v8'));
          eager = true;
        }
        module.enableCompileCache();
      } catch (error) {
        // A read-only or full temp directory only costs speed.
      }
    }
    if (typeof module.registerHooks !== 'function') return import('../dist/cli.js');
    var hooks = [];
    // The bundle's own imports resolve without Node's general search (bin/fast-resolve.js).
    if (!process.env.LAMBDA_TOP_NO_FAST_RESOLVE) hooks.push(import('./fast-resolve.js'));
    // An eager start still compiles the files dist/compile-lazily.json lists lazily (bin/compile-scope.js).
    if (eager) hooks.push(import('./compile-scope.js'));
    return Promise.all(hooks).then(function (loaded) {
      var distUrl = new URL('../dist/', import.meta.url).href;
      var options = {};
      loaded.forEach(function (hook) {
        try {
          if (hook.bundleResolveHook) options.resolve = hook.bundleResolveHook(distUrl);
          if (hook.compileScopeLoadHook) {
            var lazyUrls = hook.lazyFileUrls(builtin('node:fs').readFileSync(new URL('compile-lazily.json', distUrl), 'utf8'), distUrl);
            var v8 = builtin('node:v8');
            options.load = hook.compileScopeLoadHook(distUrl, lazyUrls, function (lazy) {
              v8.setFlagsFromString(lazy ? '--lazy' : '--no-lazy');
            }, false);
          }
        } catch (error) {
          // No list (an older build): every file eagerly.
        }
      });
      try {
        if (options.resolve || options.load) module.registerHooks(options);
      } catch (error) {
        // Node's resolution and the flags as they are.
      }
      return import('../dist/cli.js');
    });
  })
  .catch(function (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).indexOf('dist/cli.js') !== -1) {
      process.stderr.write('lambda-top is not built yet: run `npm run build` first.\n');
      process.exit(2);
    }
    throw error;
  });
