// The logs panel's controller against the simulator over HTTP (the app's controller, the real store): the tail
// starts when the panel opens (on the log group discovery named), says it polls and why (StartLiveTail answered
// "unknown operation" here, as emulators without it do; the real session is tested in live-tail-sim.test.ts), lines reach the store in batches, and it stops when the panel closes (no FilterLogEvents
// after). And with a Live Tail stand-in: the session opened on open is closed (aborted) on close and on quit.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {AwsClients} from '../../source/aws/clients.ts';
import {createController} from '../../source/app/controller.ts';
import {createLogsController} from '../../source/app/logs-controller.ts';
import {createInitialState} from '../../source/store/reducer.ts';
import {createStore} from '../../source/store/store.ts';
import {parseFaultConfig} from '../../source/sim/index.ts';
import {withSim} from '../helpers/sim-clients.ts';
import {countLeanReads} from '../helpers/count-reads.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Counts the tail's FilterLogEvents (no filter pattern; the dashboard's log sample has one). */
function countFilterCalls(clients: AwsClients): {count: number} {
  const counter = {count: 0};
  (clients.logs.middlewareStack as {add(m: unknown, o: unknown): void}).add(
    (next: (args: unknown) => Promise<unknown>, context: {commandName?: string}) => async (args: unknown) => {
      if (context.commandName === 'FilterLogEventsCommand' && !(args as {input: {filterPattern?: string}}).input.filterPattern) counter.count++;
      return next(args);
    },
    {step: 'initialize', name: 'lambdaTopCountFilter'},
  );
  countLeanReads(clients, (name, input) => {
    if (name === 'FilterLogEventsCommand' && !input?.['filterPattern']) counter.count++;
  });
  return counter;
}

test('L: the tail starts on open (polling, with why), lines reach the store, and it stops on close', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    sim.faults.configure(parseFaultConfig({rules: [{operation: 'StartLiveTail', unsupported: 1}]}));
    const calls = countFilterCalls(clients);
    const now = () => sim.world.clock.now();
    const store = createStore(createInitialState({functionName: 'avatar-processor', now: now()}));
    const controller = createController({clients, store, functionName: 'avatar-processor', intervalMs: 60_000, now, readOnly: true, onQuit() {}});
    controller.start();
    try {
      await until('discovery', () => store.getState().dashboard?.snapshot.topology !== null && store.getState().dashboard?.snapshot.topology !== undefined);
      const group = store.getState().dashboard!.snapshot.topology!.logGroup;
      assert.equal(calls.count, 0, 'no tail before the panel opens');

      store.dispatch({type: 'tail/open'});
      controller.actions.openLogs();
      await until('polling mode', () => store.getState().tail.mode.kind === 'polling');
      const tail = store.getState().tail;
      assert.equal(tail.logGroup, group);
      assert.deepEqual(tail.mode, {kind: 'polling', reason: 'the endpoint does not support StartLiveTail', intervalMs: 2000});
      await until('lines', () => store.getState().tail.received > 20 && store.getState().tail.lines.some((l) => l.failure));
      const state = store.getState().tail;
      assert.equal(state.lines.length, Math.min(state.received, 5000));
      assert.ok(state.lines.some((l) => /Task timed out/.test(l.message) && l.failure), 'timeouts are failure lines');

      store.dispatch({type: 'tail/close'});
      controller.actions.closeLogs();
      await sleep(100);
      const after = calls.count;
      assert.ok(after > 0);
      await sleep(4500); // two poll intervals
      assert.equal(calls.count, after, 'no tail FilterLogEvents after the panel closed');
      assert.equal(store.getState().tail.received, 0, 'the store forgot the closed tail');
    } finally {
      await controller.stop();
    }
  }, 30);
});

/** Clients whose StartLiveTail opens a session that stays open until its abort signal fires. */
function liveTailClients(): {clients: AwsClients; sessions: Array<{closed: boolean}>} {
  const sessions: Array<{closed: boolean}> = [];
  const logs = {
    async send(command: {constructor: {name: string}}, options: {abortSignal?: AbortSignal} = {}) {
      if (command.constructor.name !== 'StartLiveTailCommand') throw new Error(`unexpected ${command.constructor.name}`);
      const session = {closed: false};
      sessions.push(session);
      const signal = options.abortSignal!;
      async function* stream() {
        yield {sessionStart: {}};
        yield {sessionUpdate: {sessionResults: [{timestamp: Date.now(), logStreamName: 's', message: 'ERROR boom'}]}};
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), {once: true}));
        session.closed = true;
      }
      signal.addEventListener('abort', () => (session.closed = true), {once: true});
      return {responseStream: stream()};
    },
  };
  const clients = {logs, region: async () => 'eu-west-1', endpoint: 'http://127.0.0.1:9', destroy() {}} as unknown as AwsClients;
  return {clients, sessions};
}

test('a Live Tail session opened with the panel is closed when the panel closes', async () => {
  const {clients, sessions} = liveTailClients();
  const store = createStore(createInitialState({functionName: 'order-processor', now: Date.now()}));
  store.dispatch({
    type: 'dashboard/updated',
    dashboard: {
      snapshot: {topology: {arn: 'arn:aws:lambda:eu-west-1:123456789012:function:order-processor', logGroup: '/aws/lambda/order-processor', timeoutSeconds: 10} as never, metrics: null, queues: [], findings: [], errors: [], at: Date.now()},
      discovery: {data: null, error: null, syncing: false, updatedAt: null, nextAt: null} as never,
      metrics: {data: null, error: null, syncing: false, updatedAt: null, nextAt: null} as never,
      queues: {data: null, error: null, syncing: false, updatedAt: null, nextAt: null} as never,
    },
  });
  const logs = createLogsController({clients, store, functionName: 'order-processor', now: Date.now, flushMs: 10});
  store.dispatch({type: 'tail/open'});
  logs.open();
  await until('live tail', () => store.getState().tail.mode.kind === 'live-tail' && store.getState().tail.received === 1);
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0]!.closed, false);
  await logs.close();
  assert.equal(sessions[0]!.closed, true, 'the session is closed: Live Tail bills per minute while open');
  assert.equal(logs.running, false);
});
