// One function's dashboard opened from another screen (the fleet table, or a Lambda destination on a
// dashboard): its own store and controller on the connection already open.
import type {ParsedCli} from './flags.ts';
import type {openConnection} from './connection.ts';
import {createInitialState, createStore, type Store} from '../store/index.ts';
import type {Controller, ControllerOptions} from '../app/controller.ts';

type Connection = Awaited<ReturnType<typeof openConnection>>;

export function buildFunctionDashboard(
  createController: (options: ControllerOptions) => Controller,
  conn: Connection,
  cli: ParsedCli,
  name: string,
  hooks: {onBack: () => void; onOpenFunction: (name: string) => void; onQuit: () => void; extra?: Partial<ControllerOptions>},
): {store: Store; controller: Controller} {
  const store = createStore(
    createInitialState({
      functionName: name,
      region: conn.region,
      now: conn.now(),
      windowMs: cli.windowMs,
      readOnly: hooks.extra?.readOnly ?? cli.readOnly,
      demo: conn.demo ? {name: conn.demo.name, title: conn.demo.title, story: conn.demo.story} : null,
      view: 'dashboard',
    }),
  );
  store.dispatch({type: 'clock/tick', now: conn.now()});
  const controller = createController({
    ...hooks.extra,
    clients: conn.clients,
    store,
    functionName: name,
    intervalMs: cli.intervalMs,
    now: conn.now,
    readOnly: hooks.extra?.readOnly ?? cli.readOnly,
    onQuit: hooks.onQuit,
    onBack: hooks.onBack,
    onOpenFunction: hooks.onOpenFunction,
  });
  return {store, controller};
}
