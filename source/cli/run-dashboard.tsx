// The interactive dashboard: connect, build the store, start the controller, render the Ink app full-screen.
import React from 'react';
import type {ParsedCli} from './flags.ts';
import {openConnection} from './connection.ts';
import {CliError} from './errors.ts';

export async function runDashboard(cli: ParsedCli): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new CliError('the dashboard needs a terminal; for scripts use --once --json');
  }
  const [{render}, ui, store, {createController}] = await Promise.all([
    import('ink'),
    import('../ui/index.ts'),
    import('../store/index.ts'),
    import('../app/controller.ts'),
  ]);
  const connection = await openConnection(cli);
  const functionName = connection.functionName;
  if (!functionName) {
    await connection.close();
    throw new CliError('--function is required');
  }
  const appStore = store.createStore(
    store.createInitialState({
      functionName,
      region: connection.region,
      ...(cli.qualifier ? {qualifier: cli.qualifier} : {}),
      now: connection.now(),
      windowMs: cli.windowMs,
      readOnly: cli.readOnly,
      demo: connection.demo ? {name: connection.demo.name, title: connection.demo.title, story: connection.demo.story} : null,
      view: 'dashboard',
    }),
  );
  let app: ReturnType<typeof render> | null = null;
  const controller = createController({
    clients: connection.clients,
    store: appStore,
    functionName,
    ...(cli.qualifier ? {qualifier: cli.qualifier} : {}),
    intervalMs: cli.intervalMs,
    now: connection.now,
    readOnly: cli.readOnly,
    onQuit: () => app?.unmount(),
  });
  app = render(<ui.App store={appStore} actions={controller.actions} options={{color: cli.color}} />, {
    alternateScreen: true,
    exitOnCtrlC: false,
    interactive: true,
    patchConsole: true,
    maxFps: 20,
  });
  controller.start();
  if (cli.view === 'failed') {
    // The controller waits for discovery to know the failure queues before it peeks.
    appStore.dispatch({type: 'failed/open'});
    controller.actions.openFailedEvents();
  }
  const onSignal = () => controller.actions.quit();
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    await app.waitUntilExit();
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    await controller.stop();
    await connection.close();
  }
  return 0;
}
