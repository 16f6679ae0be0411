// One browser load for bench/browser-memory.ts: the real controller and store (no terminal), peeking every
// message of the world's failure queues page by page; prints {events, rssMb, heapMb, maxRssMb, seconds} as JSON.
// args: ENDPOINT EXPECTED_EVENTS  (run with --expose-gc so the figures are what is retained, not garbage)
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createClients} from '../source/aws/clients.ts';
import {createController} from '../source/app/controller.ts';
import {createInitialState, createStore} from '../source/store/index.ts';

const [endpoint, expectedText] = process.argv.slice(2) as [string, string];
const expected = Number(expectedText);
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-bench-'));
process.env.XDG_STATE_HOME = stateDir;
const clients = createClients({endpoint, region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1, requestTimeoutMs: 30_000});
const store = createStore(createInitialState({functionName: 'order-processor', region: 'us-east-1', now: Date.now()}));
const controller = createController({clients, store, functionName: 'order-processor', intervalMs: 600_000, now: Date.now, readOnly: true, onQuit: () => {}, exportDir: stateDir, peekVisibilitySeconds: 3600});
const gc = (globalThis as {gc?: () => void}).gc;
const loaded = () => store.getState().failed.sources.reduce((n, s) => n + s.events.length, 0);
const settled = (check: () => boolean) =>
  new Promise<void>((resolve) => {
    if (check()) return resolve();
    const off = store.subscribe(() => {
      if (check()) {
        off();
        resolve();
      }
    });
  });

controller.start();
await settled(() => store.getState().dashboard?.snapshot.queues.length === 2);
const baseline = process.memoryUsage();
const started = Date.now();
controller.actions.openFailedEvents();
await settled(() => store.getState().failed.sources.length === 2 && store.getState().failed.sources.every((s) => !s.loading));
// Page in every source until its queue comes back empty, one page at a time per source (as `m` does).
while (!store.getState().failed.sources.every((s) => s.exhausted)) {
  const pending = store.getState().failed.sources.filter((s) => !s.exhausted);
  const before = new Map(pending.map((s) => [s.role, s.events.length]));
  for (const s of pending) controller.actions.loadMoreFailed(s.role);
  await settled(() => store.getState().failed.sources.every((s) => s.exhausted || s.events.length !== before.get(s.role)));
}
const seconds = (Date.now() - started) / 1000;
gc?.();
gc?.();
const m = process.memoryUsage();
const events = loaded();
const result = {
  events,
  expected,
  rssMb: m.rss / 2 ** 20,
  heapMb: m.heapUsed / 2 ** 20,
  baselineRssMb: baseline.rss / 2 ** 20,
  baselineHeapMb: baseline.heapUsed / 2 ** 20,
  heapPerEventBytes: (m.heapUsed - baseline.heapUsed) / events,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  seconds,
};
await controller.stop();
clients.destroy();
rmSync(stateDir, {recursive: true, force: true});
process.stdout.write(JSON.stringify(result));
