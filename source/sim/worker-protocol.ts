// What the simulator's worker thread (sim/worker-entry.ts) and the thread that started it (sim/worker-host.ts)
// tell each other: the options in, one message out (it runs, or why it could not start). Everything else goes
// over HTTP on 127.0.0.1, as to any simulator.
import type {SimulatorOptions} from './index.ts';

/** Options a worker can be given: plain data (no injected world). */
export type ThreadSimulatorOptions = Omit<SimulatorOptions, 'world'>;

export interface WorkerInput {
  options: ThreadSimulatorOptions;
}

/** What the running simulator's users read of it, besides its HTTP endpoint. */
export interface SimulatorInfo {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  region: string;
  /** The scenario's primary function, else the first one listed. */
  defaultFunction: string | undefined;
  scenario: {name: string; title: string; story: string};
  /** The virtual clock: now() = floor(start + (Date.now() - wall0) * speed) (sim/clock.ts virtualNow). */
  clock: {start: number; wall0: number; speed: number};
}

/** An error as it crosses threads: structured clone keeps neither a custom name nor fields such as `code`,
 * which the CLI's messages read (ScenarioError, EADDRINUSE). */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  syscall?: string;
  path?: string;
  port?: number;
  address?: string;
}

export type WorkerMessage = {kind: 'ready'; info: SimulatorInfo} | {kind: 'failed'; error: ThreadError};

export function toThreadError(error: unknown): ThreadError {
  const e = (error ?? {}) as Partial<Record<keyof ThreadError, unknown>>;
  const out: ThreadError = {name: typeof e.name === 'string' ? e.name : 'Error', message: typeof e.message === 'string' ? e.message : String(error)};
  if (typeof e.stack === 'string') out.stack = e.stack;
  for (const key of ['code', 'syscall', 'path', 'address'] as const) if (typeof e[key] === 'string') out[key] = e[key];
  if (typeof e.port === 'number') out.port = e.port;
  return out;
}

export function fromThreadError(error: ThreadError): Error {
  const out = new Error(error.message) as Error & Omit<ThreadError, 'name' | 'message' | 'stack'>;
  out.name = error.name;
  if (error.stack) out.stack = error.stack;
  for (const key of ['code', 'syscall', 'path', 'address', 'port'] as const) if (error[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = error[key];
  return out;
}
