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
// 120 at 8; bench/redrive-memory.ts at 8 MB: dry run 116 -> 124 MB, move 108 -> 116 MB from 10,000 to 100,000. The flags must be set before V8 starts, so the process replaces itself once (execve keeps
// its pid: a kill -9 still reaches the redrive itself). Flags already given (NODE_OPTIONS, node --...) win.
var HEAP_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=512'];
var command = process.argv[2];
if (
  (command === 'redrive' || command === 'export') &&
  typeof process.execve === 'function' &&
  !process.env.LAMBDA_TOP_HEAP_FLAGS_SET &&
  !/max-(semi|old)-space-size/.test(process.execArgv.join(' ') + ' ' + (process.env.NODE_OPTIONS || ''))
) {
  var env = Object.assign({}, process.env, {LAMBDA_TOP_HEAP_FLAGS_SET: '1'});
  try {
    process.execve(process.execPath, [process.execPath].concat(HEAP_FLAGS, process.execArgv, [process.argv[1]], process.argv.slice(2)), env);
  } catch (error) {
    // Not replaced (a platform without execve): run with V8's defaults.
  }
}
// The dashboard starts from a V8 start-up snapshot when there is one for this very Node (dist/snapshot, made by
// `npm run build`, see scripts/build.mjs and source/cli/snapshot-entry.ts): its modules (Ink, React, the UI, the
// AWS clients, the simulator) are then already loaded, which costs one more exec of Node but no module to resolve,
// compile or run. Anything unusual (other commands, no terminal, Node flags or NODE_OPTIONS given, DEV=true for
// Ink's devtools, LAMBDA_TOP_NO_SNAPSHOT set, a blob made by another Node) starts the normal way below.
var SNAPSHOT_SKIPS = ['redrive', 'export', 'logs', 'doctor', 'simulate', 'scenarios', 'config', 'completion', '--help', '-h', '--version'];
function snapshotBlob() {
  if (typeof process.execve !== 'function' || typeof process.getBuiltinModule !== 'function') return null;
  if (process.env.LAMBDA_TOP_NO_SNAPSHOT || process.env.NODE_OPTIONS || process.env.DEV === 'true' || process.execArgv.length > 0) return null;
  var args = process.argv.slice(2);
  for (var i = 0; i < args.length; i++) if (SNAPSHOT_SKIPS.indexOf(args[i]) !== -1) return null;
  try {
    var tty = process.getBuiltinModule('node:tty');
    if (!tty.isatty(0) || !tty.isatty(1)) return null;
    var fs = process.getBuiltinModule('node:fs');
    var dir = new URL('../dist/snapshot/', import.meta.url);
    var made = JSON.parse(fs.readFileSync(new URL('node.json', dir), 'utf8'));
    var exe = fs.statSync(process.execPath);
    var blob = new URL('lambda-top.blob', dir);
    if (made.version !== process.version || made.arch !== process.arch || made.platform !== process.platform || made.execPath !== process.execPath || made.execSize !== exe.size || made.execMtimeMs !== exe.mtimeMs || made.blobSize !== fs.statSync(blob).size) return null;
    return process.getBuiltinModule('node:url').fileURLToPath(blob);
  } catch (error) {
    return null; // no snapshot built (or unreadable): the normal start
  }
}
var blob = command !== 'redrive' && command !== 'export' ? snapshotBlob() : null;
if (blob) {
  try {
    process.execve(process.execPath, [process.execPath, '--snapshot-blob', blob, process.argv[1]].concat(process.argv.slice(2)), process.env);
  } catch (error) {
    // Not replaced: the normal start.
  }
}
// V8's on-disk compile cache (Node >= 22.1): later starts skip compiling the bundle's chunks again.
import('node:module')
  .then(function (module) {
    if (typeof module.enableCompileCache === 'function' && !process.env.LAMBDA_TOP_NO_COMPILE_CACHE) {
      try {
        module.enableCompileCache();
      } catch (error) {
        // A read-only or full temp directory only costs speed.
      }
    }
    return import('../dist/cli.js');
  })
  .catch(function (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).indexOf('dist/cli.js') !== -1) {
      process.stderr.write('lambda-top is not built yet: run `npm run build` first.\n');
      process.exit(2);
    }
    throw error;
  });
