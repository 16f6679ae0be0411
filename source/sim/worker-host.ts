// Starts the demo simulator in a worker thread (sim/worker-entry.ts) and hands back what its users read of it:
// the endpoint, region, default function, scenario and clock. Its module loading, its pre-roll and every HTTP
// answer then run beside the dashboard's thread instead of on it (issue 10: the first data of `--demo`).
import type {SimulatorInfo, ThreadSimulatorOptions, WorkerInput, WorkerMessage} from './worker-protocol.ts';
import {fromThreadError} from './worker-protocol.ts';

// The worker's script: in the bundle, bin/sim-thread.js (the compile cache and resolve hook of bin/lambda-top.js,
// then dist/sim-worker.js; scripts/build.mjs defines the name, relative to dist/, where cli.js is; this module may
// be bundled into cli.js or into a chunk of dist/chunks/); from the sources (tests, tsx), worker-entry.ts beside
// this file, run with the same loader (a worker inherits execArgv).
declare const LAMBDA_TOP_SIM_WORKER: string | undefined;

function workerUrl(): URL {
  if (typeof LAMBDA_TOP_SIM_WORKER !== 'string') return new URL('./worker-entry.ts', import.meta.url);
  const dist = new URL(/\/chunks\/[^/]*$/.test(new URL(import.meta.url).pathname) ? '../' : './', import.meta.url);
  return new URL(LAMBDA_TOP_SIM_WORKER, dist);
}

export interface SimulatorThread {
  /** Resolves when the simulator serves; rejects with the error that stopped it from starting. */
  readonly ready: Promise<SimulatorInfo>;
  /** Until this is called the thread does not keep the process alive (a simulator started early for a command
   * that then fails on its config file must not hold the process); afterwards it does, as a server would, until
   * stop(). */
  keepAlive(): void;
  /** Ends the thread (its server and timers with it). */
  stop(): Promise<void>;
}

export function startSimulatorThread(options: ThreadSimulatorOptions): SimulatorThread {
  let worker: import('node:worker_threads').Worker | null = null;
  let kept = false;
  let stopped: Promise<void> | undefined;
  const started = import('node:worker_threads').then(({Worker}) => {
    const input: WorkerInput = {options};
    const made = new Worker(workerUrl(), {workerData: input, stdout: false, stderr: false});
    if (!kept) made.unref();
    worker = made;
    return made;
  });
  const ready = started.then(
    (made) =>
      new Promise<SimulatorInfo>((resolve, reject) => {
        let running = false;
        made.once('message', (message: WorkerMessage) => {
          if (message.kind === 'ready') {
            running = true;
            resolve(message.info);
          } else {
            reject(fromThreadError(message.error));
            void made.terminate();
          }
        });
        made.on('error', (error) => {
          if (!running) return reject(error);
          // After it started, an uncaught error in the simulator ends the process, as it did in-process.
          process.nextTick(() => {
            throw error;
          });
        });
        made.once('exit', (code) => {
          if (!running) reject(new Error(`the demo simulator stopped before it started (exit code ${code})`));
        });
      }),
  );
  // A start that is never awaited (the command failed first) must not be an unhandled rejection.
  ready.catch(() => {});
  return {
    ready,
    keepAlive() {
      kept = true;
      worker?.ref();
    },
    stop() {
      stopped ??= started.then(
        async (made) => {
          await made.terminate();
        },
        () => {},
      );
      return stopped;
    },
  };
}
