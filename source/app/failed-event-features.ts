// The dashboard's features behind a key: the failed-event browser, redrive (which works on the browser's
// selection) and the logs panel. The app controller loads this module with a dynamic import when one is first
// used (or once the first data frame is on screen), so their modules (SQS messages, the spool, the redrive
// engine, the log tail: about 120 KB of the bundle) are not parsed before the first data.
import type {MutationGate} from '../aws/mutation-gate.ts';
import {createBrowserController, type BrowserController} from './browser-controller.ts';
import type {ClockRate} from './clock-rate.ts';
import type {ControllerOptions} from './controller.ts';
import {createLogsController, type LogsController} from './logs-controller.ts';
import {createRedriveController, type RedriveController} from './redrive-controller.ts';

export interface FailedEventFeatures {
  browser: BrowserController;
  logs: LogsController;
  redrive: RedriveController;
}

export function createFailedEventFeatures(options: ControllerOptions, deps: {gate: MutationGate; rate: ClockRate; onRedriveFinished: () => void}): FailedEventFeatures {
  const {clients, store, functionName, now} = options;
  const browser = createBrowserController({
    clients,
    store,
    functionName,
    now,
    rate: deps.rate,
    ...(options.peekVisibilitySeconds !== undefined ? {peekVisibilitySeconds: options.peekVisibilitySeconds} : {}),
    ...(options.exportDir !== undefined ? {exportDir: options.exportDir} : {}),
    ...(options.eventsInMemory !== undefined ? {eventsInMemory: options.eventsInMemory} : {}),
    ...(options.searchInKeyMs !== undefined ? {searchInKeyMs: options.searchInKeyMs} : {}),
  });
  const logs = createLogsController({clients, store, functionName, now, ...(options.tailMode ? {mode: options.tailMode} : {})});
  const redrive = createRedriveController({
    clients,
    store,
    gate: deps.gate,
    browser,
    functionName,
    ...(options.qualifier ? {qualifier: options.qualifier} : {}),
    onFinished: deps.onRedriveFinished,
    ...(options.confirmTypeAbove !== undefined ? {confirmTypeAbove: options.confirmTypeAbove} : {}),
  });
  return {browser, logs, redrive};
}
