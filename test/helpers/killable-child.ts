// Runs test/helpers/redrive-child.ts in a child process that a kill test can kill -9 at a chosen moment.
import {spawn, type ChildProcess} from 'node:child_process';

export interface ChildRun {
  killed: boolean;
  /** The child printed its "done " line (it finished its redrive). */
  done: boolean;
  output: string;
}

const running = new Set<ChildProcess>();

/** Kills every child still running (call from `after`). */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts the redrive child with `args`; `killAfterMs` after it prints "started" (tsx start-up varies), SIGKILL. */
export function runRedriveChild(args: string[], killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/redrive-child.ts', ...args], {stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd()});
    running.add(child);
    let output = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfterMs !== null && !timer && output.includes('started')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({killed: signal === 'SIGKILL', done: output.includes('done '), output});
    });
  });
}
