// The `--demo` simulator's options from the command line, and its worker thread for the interactive dashboard
// (sim/worker-host.ts), started as early as main() knows the command: it loads and pre-rolls on another core while
// this thread reads the config file, loads the UI and draws the skeleton, and answers the dashboard's requests
// there. openConnection takes that thread; every other command runs the simulator on its own thread, as before.
import type {ParsedCli} from './flags.ts';
import type {ThreadSimulatorOptions} from '../sim/worker-protocol.ts';
import {startSimulatorThread, type SimulatorThread} from '../sim/worker-host.ts';

export function simulatorOptions(cli: ParsedCli, port = 0): ThreadSimulatorOptions {
  return {
    port,
    scenario: cli.scenario,
    speed: cli.speed,
    seed: cli.seed,
    fleet: cli.demoFleet,
    ...(cli.fleetSize !== undefined ? {fleetSize: cli.fleetSize} : {}),
    ...(cli.startMinute !== undefined ? {startMinute: cli.startMinute} : {}),
    ...(cli.sourceQueues ? {sourceQueues: cli.sourceQueues} : {}),
  };
}

let early: {key: string; thread: SimulatorThread} | null = null;

/** Starts the demo simulator's thread now, for the dashboard's openConnection (a no-op but for `--demo`'s
 * function dashboard). */
export function prestartDemoSimulator(cli: ParsedCli): void {
  if (!cli.demo || cli.command !== 'dashboard' || cli.fleet || early) return;
  const options = simulatorOptions(cli);
  early = {key: JSON.stringify(options), thread: startSimulatorThread(options)};
}

/** The thread prestartDemoSimulator started, if it was for these options (once); else null, and a thread
 * started for other options is ended. */
export function takeDemoSimulatorThread(cli: ParsedCli): SimulatorThread | null {
  if (!early) return null;
  const {key, thread} = early;
  early = null;
  if (key === JSON.stringify(simulatorOptions(cli))) return thread;
  void thread.stop();
  return null;
}
