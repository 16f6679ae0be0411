// The fleet view (`lambda-top` with no --function, `--functions`, `--demo --fleet`): the first frame before
// anything slow, then the connection and the fleet source. Enter opens the one-function dashboard: a store and
// a controller of its own, built for that name and drawn in place of the table (app/function-stack.ts; enter on a
// Lambda destination opens that one over it, esc pops it); esc (or the controller's
// back) stops that controller and the table comes back with its sort, filter and selection (they live in the
// FleetUiStore, outside the component).
import React from 'react';
import {render} from 'ink';
import type {ParsedCli} from './flags.ts';
import {CliError, userFacingMessage} from './errors.ts';
import {App} from '../ui/index.ts';
import {createFunctionStack, type FunctionStack} from '../app/function-stack.ts';
import {quitTopOr, runUntilExit} from './app-lifetime.ts';
import {buildFunctionDashboard} from './function-dashboard.ts';
import {FleetApp, type FleetActions, type FleetDataSource} from '../ui/fleet/FleetApp.tsx';
import {createFleetUiStore} from '../ui/fleet/fleet-ui.ts';
import type {FleetSnapshot, FleetSource} from '../pollers/fleet-source.ts';

const idle = {data: null, updatedAt: null, error: null, syncing: true, consecutiveFailures: 0, nextAt: null};

/** A data source for the first frames: "listing functions…" until the real one is connected. */
function lateSource(intervalMs: number): FleetDataSource & {connect(source: FleetSource): void} {
  const waiting: FleetSnapshot = {listing: idle, metrics: {...idle, syncing: false}, rows: [], mode: null, lastRefresh: null, windowMs: 15 * 60_000, intervalMs};
  let real: FleetSource | null = null;
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      const off = real?.subscribe(listener);
      return () => {
        listeners.delete(listener);
        off?.();
      };
    },
    getSnapshot: () => real?.getSnapshot() ?? waiting,
    connect(source) {
      real = source;
      for (const l of listeners) source.subscribe(l);
      for (const l of listeners) l();
    },
  };
}

export async function runFleet(cli: ParsedCli): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new CliError('the fleet view needs a terminal; for scripts use --function NAME --once --json');
  const ui = createFleetUiStore();
  const data = lateSource(cli.intervalMs);
  let fleet: FleetSource | null = null;
  let now = () => Date.now();
  let region: string | null = cli.region ?? null;
  let demoTitle: string | null = null;
  let app: ReturnType<typeof render> | null = null;
  let exitCode = 0;
  let fatal: string | null = null;
  // the dashboards opened over the table (enter on a row, then on Lambda destinations)
  let stack: FunctionStack | null = null;
  let openFunction: (name: string) => void = () => {};

  const fleetActions: FleetActions = {
    open: (name) => openFunction(name),
    refresh: () => fleet?.refreshNow(),
    quit: () => app?.unmount(),
    setVisible: (names) => fleet?.setVisible(names),
  };
  const table = () => <FleetApp source={data} ui={ui} actions={fleetActions} region={region} demoTitle={demoTitle} now={() => now()} options={{color: cli.color}} />;
  // Ink throttles frames to maxFps: at 60 a key that comes within 16 ms of the last frame (fast typing, a key held
  // down, keys sent back to back) waits for the rest of those 16 ms. 240 (4 ms) lets each key show as soon as it
  // is drawn; frames are still drawn only on change, and the table's data changes at most a few times a second
  app = render(table(), {alternateScreen: true, exitOnCtrlC: false, interactive: true, patchConsole: true, maxFps: 240});
  await new Promise((resolve) => setImmediate(resolve));

  const [{openConnection}, {createController}, {createFleetSource}] = await Promise.all([import('./connection.ts'), import('../app/controller.ts'), import('../pollers/fleet-source.ts')]);
  let connection: Awaited<ReturnType<typeof openConnection>> | null = null;
  try {
    connection = await openConnection(cli);
    const conn = connection;
    now = conn.now;
    region = conn.region;
    demoTitle = conn.demo?.title ?? null;
    fleet = createFleetSource({clients: conn.clients, now: conn.now, intervalMs: cli.intervalMs, ...(cli.functionPatterns ? {patterns: cli.functionPatterns} : {})});
    data.connect(fleet);
    fleet.start();
    app.rerender(table());

    stack = createFunctionStack({
      build: (name, hooks) => buildFunctionDashboard(createController, conn, cli, name, {...hooks, onQuit: () => app?.unmount()}),
      show: (top) => app?.rerender(top ? <App store={top.store} actions={top.controller.actions} options={{color: cli.color}} /> : table()),
      leaveBase: () => fleet?.pause(),
      returnToBase: () => fleet?.resume(),
    });
    const opened = stack;
    openFunction = (name) => {
      if (!opened.top()) opened.open(name);
    };
  } catch (error) {
    const {message, exitCode: code} = userFacingMessage(error);
    fatal = message;
    exitCode = code;
    app.unmount();
  }

  await runUntilExit(
    app,
    () => quitTopOr(stack, () => app?.unmount()),
    async () => {
      fleet?.stop();
      await stack?.stopAll();
      await connection?.close();
    },
  );
  if (fatal) process.stderr.write(`lambda-top: ${fatal}\n`);
  return exitCode;
}
