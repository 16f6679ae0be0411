// Mounting the whole App over a real store with spy actions, for frame and key tests.
import React from 'react';
import {App} from '../../../source/ui/App.tsx';
import type {AppActions} from '../../../source/ui/app-actions.ts';
import {createInitialState} from '../../../source/store/reducer.ts';
import {createStore, type Store} from '../../../source/store/store.ts';
import type {Action} from '../../../source/store/actions.ts';
import type {InitialStateOptions} from '../../../source/store/types.ts';
import {renderInk, type RenderResult} from '../../helpers/render.tsx';
import {NOW} from './fixtures.ts';

export interface Call {
  name: keyof AppActions;
  args: unknown[];
}

export function spyActions(): {actions: AppActions; calls: Call[]; named: (name: keyof AppActions) => Call[]} {
  const calls: Call[] = [];
  const names: Array<keyof AppActions> = [
    'quit',
    'refreshNow',
    'setWindow',
    'setQueuesVisible',
    'openFailedEvents',
    'loadMoreFailed',
    'loadAllFailed',
    'closeFailedEvents',
    'showRequestLogs',
    'requestRedrive',
    'confirmRedrive',
    'cancelRedrive',
    'exportEvents',
    'openLogs',
    'closeLogs',
    'copy',
    'copyPayload',
    'openProfilePicker',
    'openRegionPicker',
    'switchProfile',
    'switchRegion',
  ];
  const actions = Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => void calls.push({name, args})])) as unknown as AppActions;
  return {actions, calls, named: (name) => calls.filter((c) => c.name === name)};
}

export interface Mounted extends RenderResult {
  store: Store;
  calls: Call[];
  named: (name: keyof AppActions) => Call[];
}

export function mount(
  options: {columns?: number; rows?: number; state?: Partial<InitialStateOptions>; actions?: Action[]; color?: boolean} = {},
): Mounted {
  const store = createStore(createInitialState({functionName: 'order-processor', region: 'eu-west-1', now: NOW, ...options.state}));
  for (const action of options.actions ?? []) store.dispatch(action);
  const spy = spyActions();
  const r = renderInk(<App store={store} actions={spy.actions} options={{color: options.color ?? true}} />, {columns: options.columns ?? 100, rows: options.rows ?? 30});
  return {...r, store, calls: spy.calls, named: spy.named};
}
