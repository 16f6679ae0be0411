// The start-up snapshot's entry (scripts/build.mjs bundles it into one script, `node --build-snapshot` runs it and
// writes dist/snapshot/lambda-top.blob; the bin starts Node from that blob for the dashboard, see
// bin/lambda-top.js). While the snapshot is built, it evaluates every module the dashboard's first data needs
// (Ink, React, the UI, the controller, the AWS clients, the simulator), so a start from the blob begins with them
// already loaded: no module to resolve, read, compile or run. Nothing runs: no terminal, timer, socket or
// simulator exists in the snapshot, and the clock, the environment and the terminal are read after it is
// deserialised, as on a start without it. The build-time patches that keep load-time values honest (colour
// support, CI detection, yoga's WebAssembly, which cannot be in a snapshot) are in scripts/build.mjs.
// First: Intl objects made while modules load are stand-ins, and the console is repaired (see there).
import './snapshot-prepare.ts';
import v8 from 'node:v8';
import {runMain} from './run-main.ts';

declare global {
  /** Set by the bin before the snapshot's main runs: what `import.meta` would be in dist/cli.js. */
  var __ltImportMeta: {url: string} | undefined;
  /** Instantiates yoga's WebAssembly (patched in for the snapshot build). */
  var __ltLoadYoga: (() => Promise<void>) | undefined;
}

// Evaluated now, in the snapshot: the same lazy imports the dashboard makes after its first frame.
const preload = Promise.all([
  import('./run-dashboard.tsx'),
  import('./dashboard-session.ts'),
  import('./connection.ts'),
  import('../app/controller.ts'),
  import('../app/config.ts'),
  import('./settings.ts'),
  import('../aws/clients.ts'),
  import('../sim/index.ts'),
]);
preload.catch((error: unknown) => {
  process.stderr.write(`snapshot: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // The bin starts `node --snapshot-blob BLOB BIN ARGS...`: argv[1] is the bin, as on a start without the blob.
  const bin = process.argv[1] ?? '';
  globalThis.__ltImportMeta = {url: new URL('../dist/cli.js', `file://${bin}`).href};
  void globalThis.__ltLoadYoga!().then(() => runMain(process.argv.slice(2)));
});
