// The simulator for bench/browser.mjs, in its own process: the browser world of the integration tests
// (order-processor with a DLQ, a clock that stands still, so a peeked message stays hidden until released)
// with N failed events in the DLQ, each a typical order (about 1 KB of JSON) with the error in attributes.
// Prints "endpoint: URL" once filled; runs until stdin closes or SIGTERM.
// Usage: node --import tsx bench/browser-sim.ts N
import {sendDlqMessage, startBrowserWorld} from '../test/helpers/browser-world.tsx';
import {benchError, benchPayload, benchRequestId} from './browser-data.mjs';

const count = Number(process.argv[2] ?? '1000');
const w = await startBrowserWorld();
for (let i = 0; i < count; i++) sendDlqMessage(w, benchPayload(i), {requestId: benchRequestId(i), error: benchError(i)});
process.stdout.write(`endpoint: ${w.sim.endpoint}\nevents: ${count}\n`);
const stop = async () => {
  await w.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
