// The interactive dashboard. The first frame is drawn before anything slow happens (the AWS SDK, the
// simulator and the data layer load after it, in their own bundle chunks); then we connect, start the
// controller, and the panels fill in as the pollers answer.
import React from 'react';
import {render} from 'ink';
import type {ParsedCli} from './flags.ts';
import {CliError, userFacingMessage} from './errors.ts';
import {startFrameStats} from './frame-stats.ts';
import {App, noopActions, type AppActions} from '../ui/index.ts';
import {createInitialState, createStore} from '../store/index.ts';
import {initialIdentity, type Settings} from './settings.ts';
import {createClipboard, osc52Unsupported} from '../app/clipboard.ts';
import {createFunctionStack, type FunctionStack} from '../app/function-stack.ts';
import {setDrawNow} from '../app/draw-now.ts';
import {buildFunctionDashboard} from './function-dashboard.ts';
import {quitTopOr, runUntilExit} from './app-lifetime.ts';
import {applyKeyOverrides, KEY_BINDINGS, setKeyBindings} from '../ui/key-bindings.ts';
import {settleYoungGeneration} from './young-generation.ts';
import {resumeOptimisingCompilers} from './startup-tiering.ts';

/** After the first metrics arrive, the rest of the first refresh (queues, the log sample) is given this long. */
const SETTLE_AFTER_DATA_MS = 3000;

export async function runDashboard(cli: ParsedCli, settings: Settings): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new CliError('the dashboard needs a terminal; for scripts use --once --json');
  }
  // Validated with the file (config.ts); applied here, before the first frame, so help lists the keys in use.
  const keys = applyKeyOverrides(KEY_BINDINGS, settings.keys);
  if ('error' in keys) throw new CliError(`${settings.configPath}: ${keys.error}`);
  setKeyBindings(keys.table);
  const store = createStore(
    createInitialState({
      functionName: cli.functionName ?? '',
      region: cli.region ?? null,
      ...(cli.qualifier ? {qualifier: cli.qualifier} : {}),
      now: Date.now(),
      windowMs: cli.windowMs,
      readOnly: cli.readOnly,
      demo: null,
      view: 'dashboard',
      identity: initialIdentity(cli, settings),
    }),
  );

  // Intents made before the controller exists (a key pressed while connecting) wait for it; quit is at once.
  let actions: AppActions | null = null;
  const early: Array<[keyof AppActions, unknown[]]> = [];
  let exitCode = 0;
  let fatal: string | null = null;
  let app: ReturnType<typeof render> | null = null;
  const proxy: AppActions = Object.fromEntries(
    (Object.keys(noopActions) as Array<keyof AppActions>).map((name) => [
      name,
      (...args: unknown[]) => {
        if (actions) return (actions[name] as (...a: unknown[]) => void)(...args);
        if (name === 'quit') app?.unmount();
        else early.push([name, args]);
      },
    ]),
  ) as unknown as AppActions;
  // One render call with the real tree: Ink throttles frames (maxFps), and a first render of anything else
  // would push this frame behind the heavy imports below.
  const frameStats = startFrameStats();
  app = render(<App store={store} actions={proxy} options={{color: cli.color}} />, {
    ...(frameStats ? {onRender: frameStats} : {}),
    alternateScreen: true,
    exitOnCtrlC: false,
    interactive: true,
    patchConsole: true,
    // Ink throttles frames (leading and trailing edge): a key that comes within 1000/maxFps ms of the last
    // frame waits for the window to end. At 20 that was up to 50 ms after any frame (a refresh, a held `j`, fast
    // typing in the filter): the browser's key-to-frame p95. 60 matches the display; bursts (the log tail at 500
    // lines/s, redrive progress) still coalesce into at most one frame per 16 ms, and an idle screen draws none.
    maxFps: 60,
    // Rewrite only the lines that changed: a clock tick ("updated 12 s ago") is one line, not the whole screen.
    incrementalRendering: true,
  });
  // A result that ends after a key's frame (the filter's payload search) is drawn at once (app/draw-now.ts).
  const drawn = app;
  setDrawNow(() => void drawn.waitUntilRenderFlush());
  // Let Ink write the first frame before the heavy chunks (AWS SDK, simulator) are parsed.
  await new Promise((resolve) => setImmediate(resolve));

  const [{createDashboardSession}, {createController}] = await Promise.all([import('./dashboard-session.ts'), import('../app/controller.ts')]);
  // Lambda destinations' dashboards opened over this one (enter), popped by esc.
  let stack: FunctionStack | null = null;
  const session = createDashboardSession({
    cli,
    settings,
    store,
    controller: {
      onOpenFunction: (name) => stack?.open(name),
      clipboard: createClipboard({
        // OSC 52 straight to the terminal Ink draws on: it moves no cursor, so the frame stays as drawn.
        write: (data) => process.stdout.write(data),
        unsupported: osc52Unsupported({isTTY: Boolean(process.stdout.isTTY), env: process.env, mode: settings.clipboard.value}),
        tmux: Boolean(process.env.TMUX),
      }),
    },
    onQuit: () => app?.unmount(),
  });
  try {
    await session.open();
    actions = {
      ...Object.fromEntries((Object.keys(noopActions) as Array<keyof AppActions>).map((name) => [name, (...args: unknown[]) => (session.actions?.[name] as ((...a: unknown[]) => void) | undefined)?.(...args)])),
    } as unknown as AppActions;
    const conn = session.connection!;
    stack = createFunctionStack({
      build: (name, hooks) => buildFunctionDashboard(createController, conn, cli, name, {...hooks, onQuit: () => app?.unmount(), extra: session.guards()}),
      show: (top) => app?.rerender(<App store={top ? top.store : store} actions={top ? top.controller.actions : proxy} options={{color: cli.color}} />),
      leaveBase: () => session.pause(),
      returnToBase: () => session.resume(),
    });
    for (const [name, args] of early.splice(0)) (actions[name] as (...a: unknown[]) => void)(...args);
    // A function that does not exist is a usage error: say so in one line and exit 2, as --once does (at start
    // only: after a switch to a profile or region without it, the dashboard says so and keeps running).
    const unsubscribe = store.subscribe(() => {
      if (session.switches > 0) return unsubscribe();
      const discovery = store.getState().dashboard?.discovery;
      if (discovery?.error?.name === 'FunctionNotFoundError' && discovery.data === null) {
        unsubscribe();
        fatal = discovery.error.message;
        exitCode = 2;
        actions?.quit();
      }
    });
    // Once the first metrics are on screen the start-up burst is over: give back the young generation it grew.
    const unwatchData = store.subscribe(() => {
      if (store.getState().dashboard?.metrics.updatedAt == null) return;
      unwatchData();
      // V8's optimising compilers, held by the bin in a --demo start (startup-tiering.ts), after this update's frame
      setImmediate(resumeOptimisingCompilers);
      // Against AWS the idle heap is trimmed from then on (young-generation.ts), while the dashboard view is shown (its
      // collection is a pause: not while someone works in the browser, logs or a redrive); the demo keeps V8's sizing.
      setTimeout(() => settleYoungGeneration({trimIdleHeap: !cli.demo, quiet: () => store.getState().view === 'dashboard'}), SETTLE_AFTER_DATA_MS).unref();
    });
    if (cli.view === 'failed') {
      // The controller waits for discovery to know the failure queues before it peeks.
      store.dispatch({type: 'failed/open'});
      actions.openFailedEvents();
    }
  } catch (error) {
    const {message, exitCode: code} = userFacingMessage(error);
    fatal = message;
    exitCode = code;
    app.unmount();
  }

  await runUntilExit(
    app,
    () => quitTopOr(stack, () => (actions ? actions.quit() : app?.unmount())),
    async () => {
      await stack?.stopAll();
      await session.stop();
    },
  );
  if (fatal) process.stderr.write(`lambda-top: ${fatal}\n`);
  return exitCode;
}
