// The `--demo` simulator's options from the command line, and its worker thread started as early as main() knows
// the command (sim/worker-host.ts): it loads and pre-rolls on another core while this thread reads the config
// file, loads the UI and draws the skeleton. openConnection takes that thread, or starts one itself.
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

/** Starts the demo simulator's thread now, for the openConnection that follows (a no-op without --demo). */
export function prestartDemoSimulator(cli: ParsedCli): void {
  if (!cli.demo || early) return;
  const options = simulatorOptions(cli);
  early = {key: JSON.stringify(options), thread: startSimulatorThread(options)};
}

/** The thread prestartDemoSimulator started for these options (once), else a new one. */
export function demoSimulatorThread(cli: ParsedCli): SimulatorThread {
  const options = simulatorOptions(cli);
  const key = JSON.stringify(options);
  if (early && early.key === key) {
    const {thread} = early;
    early = null;
    return thread;
  }
  return startSimulatorThread(options);
}
