// The failed-event browser against the simulator's wire protocols, with a hand-made world (a manual clock
// that never moves, so peeked messages stay hidden exactly as long as the test says): order-processor with
// a DLQ and an OnFailure queue, filled by the test. Receive counts and calls are read from the simulator.
import React from 'react';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {createController, type Controller, type ControllerOptions} from '../../source/app/controller.ts';
import type {Clipboard} from '../../source/app/clipboard.ts';
import {startSimulator, type RunningSimulator} from '../../source/sim/index.ts';
import type {SimSqs} from '../../source/sim/sqs/engine.ts';
import {createInitialState, createStore, type Store} from '../../source/store/index.ts';
import {App} from '../../source/ui/App.tsx';
import {createFixtureWorld, FIXTURE_NOW, type FixtureWorld} from './fixture-world.ts';
import {renderInk, type RenderResult} from './render.tsx';

export interface BrowserWorld {
  sim: RunningSimulator;
  world: FixtureWorld;
  sqs: SimSqs;
  clients: AwsClients;
  dlqUrl: string;
  failuresUrl: string;
  /** message id -> receive count, for every message in a queue (reads the model, receives nothing). */
  receiveCounts(url: string): Map<string, number>;
  /** Calls of one operation the simulator received so far (its mutation log). */
  calls(operation: string): number;
  stateDir: string;
  stop(): Promise<void>;
}

// What the tests opened, for closeBrowserWorlds (a test file's afterEach).
const openWorlds = new Set<BrowserWorld>();
const openApps = new Set<MountedBrowser>();

/** Closes every app mountApp mounted (controller stopped, renderer unmounted), then stops every world
 * startBrowserWorld started: the afterEach of the browser integration tests. */
export async function closeBrowserWorlds(): Promise<void> {
  for (const app of [...openApps]) await app.close();
  for (const world of [...openWorlds]) await world.stop();
}

export async function startBrowserWorld(): Promise<BrowserWorld> {
  let endpoint = '';
  const world = createFixtureWorld({baseUrl: () => endpoint});
  const sim = await startSimulator({world, tickMs: 0});
  endpoint = sim.endpoint;
  const sqs = world.sqs;
  const failures = sqs.createQueue('order-failures');
  const dlqUrl = sqs.getQueueUrl('order-processor-dlq');
  const clients = createClients({endpoint, region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1, requestTimeoutMs: 5000});
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-browser-'));
  const opened: BrowserWorld = {
    sim,
    world,
    sqs,
    clients,
    dlqUrl,
    failuresUrl: failures.url,
    receiveCounts: (url) => new Map(sqs.peekAll(url).map((m) => [m.messageId, m.receiveCount])),
    calls: (operation) => sim.faults.received[operation] ?? 0,
    stateDir,
    async stop() {
      if (!openWorlds.delete(opened)) return; // stopped already
      clients.destroy();
      await sim.stop();
      rmSync(stateDir, {recursive: true, force: true});
    },
  };
  openWorlds.add(opened);
  return opened;
}

let n = 0;
/** A Lambda DLQ message: the raw event as the body, the error in attributes. Returns the request id. */
export function sendDlqMessage(w: BrowserWorld, payload: Record<string, unknown>, options: {requestId?: string; error?: string} = {}): string {
  const requestId = options.requestId ?? `req-${String(++n).padStart(5, '0')}-0000-4000-8000-000000000000`;
  w.sqs.send(w.dlqUrl, {
    body: JSON.stringify(payload),
    messageAttributes: {
      RequestID: {DataType: 'String', StringValue: requestId},
      ErrorCode: {DataType: 'Number', StringValue: '200'},
      ErrorMessage: {DataType: 'String', StringValue: options.error ?? 'Task timed out after 10.00 seconds'},
    },
  });
  return requestId;
}

/** The OnFailure destination's invocation record of the same failure (the DLQ message's twin). */
export function sendFailureRecord(w: BrowserWorld, payload: Record<string, unknown>, requestId: string): void {
  w.sqs.send(w.failuresUrl, {
    body: JSON.stringify({
      version: '1.0',
      timestamp: new Date(FIXTURE_NOW - 60_000).toISOString(),
      requestContext: {requestId, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:order-processor:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3},
      requestPayload: payload,
      responseContext: {statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled'},
      responsePayload: {errorMessage: 'Task timed out after 10.00 seconds', errorType: 'Sandbox.Timedout'},
    }),
  });
}

export interface MountedBrowser extends RenderResult {
  store: Store;
  controller: Controller;
  close(): Promise<void>;
}

/** The whole app (real controller, real engine, SDK over HTTP) in a fake terminal. */
export function mountApp(
  w: BrowserWorld,
  options: {columns?: number; rows?: number; accountReadOnly?: (accountId: string | null) => string | null; clipboard?: Clipboard; eventsInMemory?: number; searchInKeyMs?: number} & Pick<ControllerOptions, 'accountMarks' | 'confirmTypeAbove'> = {},
): MountedBrowser {
  process.env.XDG_STATE_HOME = w.stateDir;
  const store = createStore(createInitialState({functionName: 'order-processor', region: 'us-east-1', now: Date.now()}));
  const controller = createController({
    clients: w.clients,
    store,
    functionName: 'order-processor',
    intervalMs: 60_000,
    // The world's clock stands still; the app's runs on the wall clock (as with AWS), so held receipt
    // handles stay valid for the whole peek visibility.
    now: Date.now,
    readOnly: false,
    ...(options.accountReadOnly ? {accountReadOnly: options.accountReadOnly} : {}),
    ...(options.clipboard ? {clipboard: options.clipboard} : {}),
    ...(options.accountMarks ? {accountMarks: options.accountMarks} : {}),
    ...(options.confirmTypeAbove !== undefined ? {confirmTypeAbove: options.confirmTypeAbove} : {}),
    onQuit: () => {},
    exportDir: w.stateDir,
    ...(options.eventsInMemory !== undefined ? {eventsInMemory: options.eventsInMemory} : {}),
    ...(options.searchInKeyMs !== undefined ? {searchInKeyMs: options.searchInKeyMs} : {}),
  });
  const r = renderInk(<App store={store} actions={controller.actions} options={{color: false}} />, {columns: options.columns ?? 120, rows: options.rows ?? 40});
  controller.start();
  const mounted: MountedBrowser = {
    ...r,
    store,
    controller,
    async close() {
      if (!openApps.delete(mounted)) return; // closed already (by the test, or by closeBrowserWorlds)
      await controller.stop();
      r.unmount();
    },
  };
  openApps.add(mounted);
  return mounted;
}
