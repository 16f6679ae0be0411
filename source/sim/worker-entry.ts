// The demo simulator in a worker thread (`--demo`; started by sim/worker-host.ts): it loads the simulator's
// modules, pre-rolls the scenario's history and serves HTTP on 127.0.0.1 on a core of its own, while the
// dashboard loads and draws on the main thread. Bundled as dist/sim-worker.js (scripts/build.mjs; bin/sim-thread.js
// sets up the thread's compile cache and resolve hook first). It says once whether it runs (the endpoint, the
// region, the clock) and then only answers HTTP, until it is terminated.
import {parentPort, workerData} from 'node:worker_threads';
import type {SimulatorInfo, WorkerInput, WorkerMessage} from './worker-protocol.ts';
import {toThreadError} from './worker-protocol.ts';

const input = workerData as WorkerInput;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const {startSimulator} = await import('./index.ts');
  const sim = await startSimulator(input.options);
  const {world} = sim;
  const clock = world.clock as {origin?: {start: number; wall0: number}; speed: number};
  if (!clock.origin) throw new Error('the simulator\'s clock does not say its origin');
  const info: SimulatorInfo = {
    endpoint: sim.endpoint,
    region: world.region,
    defaultFunction: (world as {primaryFunction?: string}).primaryFunction ?? world.listFunctions()[0]?.FunctionName,
    scenario: {name: world.scenario.name, title: world.scenario.title, story: world.scenario.story},
    clock: {start: clock.origin.start, wall0: clock.origin.wall0, speed: clock.speed},
  };
  post({kind: 'ready', info});
} catch (error) {
  post({kind: 'failed', error: toThreadError(error)});
}
