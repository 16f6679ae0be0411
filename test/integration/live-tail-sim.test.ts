// StartLiveTail for real: the production path (source/aws/live-tail.ts through @aws-sdk/client-cloudwatch-logs,
// source/pollers/log-tail.ts, source/app/logs-controller.ts) against the simulator's event stream over loopback
// HTTP/1.1 (the SDK's "stream-" host prefix is off for a custom endpoint: source/aws/clients.ts). Covered: the
// session start, updates with the model's lines and with lines a test puts, the filter pattern, sampling beyond
// an update's cap, the panel in "live tail" mode, the session closed when the panel closes, and a reconnect when
// the service ends the session (its 3-hour limit, shortened here). The fallback to polling is tested in
// logs-sim.test.ts, logs-panel-sim.test.ts and logs-moto.test.ts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {liveTail, type LiveTailUpdate} from '../../source/aws/live-tail.ts';
import {createLogTail, type TailEvent, type TailMode} from '../../source/pollers/log-tail.ts';
import {createController} from '../../source/app/controller.ts';
import {createLogsController} from '../../source/app/logs-controller.ts';
import {createInitialState} from '../../source/store/reducer.ts';
import {createStore} from '../../source/store/store.ts';
import {parseFaultConfig, startSimulator, type RunningSimulator} from '../../source/sim/index.ts';
import type {LiveTailOptions, LiveTailStats} from '../../source/sim/wire/live-tail.ts';
import {logsLayout} from '../../source/ui/components/LogsView.tsx';

/** A simulator (with its Live Tail options) and the real SDK clients pointed at it, stopped whatever the test does. */
async function withSim(scenario: string, run: (sim: RunningSimulator, clients: AwsClients) => Promise<void>, speed = 30, more: {liveTail?: LiveTailOptions} = {}): Promise<void> {
  const sim = await startSimulator({port: 0, scenario, seed: 7, speed, ...more});
  const clients = createClients({endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'}, maxAttempts: 1});
  try {
    await run(sim, clients);
  } finally {
    clients.destroy();
    await sim.stop();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const stats = async (sim: RunningSimulator): Promise<LiveTailStats> => (await (await fetch(`${sim.endpoint}/_lambda-top/live-tail`)).json()) as LiveTailStats;
const groupArn = (sim: RunningSimulator, fn: string) => `arn:aws:logs:${sim.world.region}:${sim.world.accountId}:log-group:/aws/lambda/${fn}`;

/** Counts the calls the logs client sends, by command. */
function countCalls(clients: AwsClients): Record<string, number> {
  const counts: Record<string, number> = {};
  (clients.logs.middlewareStack as {add(m: unknown, o: unknown): void}).add(
    (next: (args: unknown) => Promise<unknown>, context: {commandName?: string}) => async (args: unknown) => {
      const name = context.commandName ?? '?';
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    {step: 'initialize', name: 'lambdaTopCountCalls'},
  );
  return counts;
}

async function putLines(clients: AwsClients, sim: RunningSimulator, logGroupName: string, logStreamName: string, messages: string[]): Promise<void> {
  const t = sim.world.clock.now();
  await clients.logs.send(new PutLogEventsCommand({logGroupName, logStreamName, logEvents: messages.map((message, i) => ({timestamp: t + i, message}))}));
}

test('liveTail (the SDK over loopback): sessionStart, then updates holding the model\'s lines that match the filter pattern; abort closes the session', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const signal = new AbortController();
    const updates: LiveTailUpdate[] = [];
    let openDuring = -1;
    for await (const update of liveTail(clients, {logGroupArn: groupArn(sim, 'avatar-processor'), filterPattern: '"Task timed out"', signal: signal.signal})) {
      updates.push(update);
      if (update.kind === 'events' && updates.filter((u) => u.kind === 'events' && u.events.length > 0).length >= 2) {
        openDuring = (await stats(sim)).open;
        signal.abort();
      }
    }
    assert.equal(updates[0]?.kind, 'started');
    const events = updates.flatMap((u) => (u.kind === 'events' ? u.events : []));
    assert.ok(events.length >= 2);
    for (const e of events) {
      assert.match(e.message, /Task timed out after 10\.00 seconds/, 'only lines matching the pattern');
      assert.match(e.stream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\]/);
      assert.ok(e.timestamp > 0);
    }
    assert.equal(openDuring, 1);
    await until('the session closed', async () => (await stats(sim)).open === 0, 5000);
    const after = await stats(sim);
    assert.equal(after.opened, 1);
    assert.equal(after.closedByClient, 1, 'aborting the signal closed the session (billing stops)');
  }, 30, {liveTail: {updateMs: 200}});
});

test('lines put with PutLogEvents reach an open session once each; beyond an update\'s cap it is sampled and says so', async () => {
  await withSim('healthy', async (sim, clients) => {
    const group = '/aws/lambda/' + sim.world.listFunctions()[0]!.FunctionName;
    await clients.logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: 'bench/1'}));
    await assert.rejects(clients.logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: 'bench/1'})), /ResourceAlreadyExists/);
    await assert.rejects(clients.logs.send(new PutLogEventsCommand({logGroupName: group, logStreamName: 'nope', logEvents: [{timestamp: 1, message: 'x'}]})), /log stream does not exist/);
    const signal = new AbortController();
    const seen: string[] = [];
    let sampled = false;
    let phase = 0;
    for await (const update of liveTail(clients, {logGroupArn: groupArn(sim, group.slice('/aws/lambda/'.length)), filterPattern: 'marker', signal: signal.signal})) {
      if (update.kind === 'started') {
        await putLines(clients, sim, group, 'bench/1', ['marker one', 'marker two', 'not this one', 'marker three']);
        continue;
      }
      if (update.kind !== 'events') continue;
      seen.push(...update.events.map((e) => e.message));
      if (phase === 0 && seen.length >= 3) {
        phase = 1;
        await putLines(clients, sim, group, 'bench/1', Array.from({length: 40}, (_, i) => `marker burst ${i}`));
      } else if (phase === 1 && update.events.length > 0) {
        sampled = update.sampled;
        assert.equal(update.events.length, 5, 'the update holds its cap');
        signal.abort();
      }
    }
    assert.deepEqual(seen.slice(0, 3), ['marker one', 'marker two', 'marker three']);
    assert.equal(new Set(seen).size, seen.length, 'each line once');
    assert.equal(sampled, true);
    const s = await stats(sim);
    assert.equal(s.sampledOut, 35);
  }, 30, {liveTail: {updateMs: 150, maxEventsPerUpdate: 5}});
});

test('the tail uses Live Tail (no polling), and reconnects when the service ends the session (its limit, shortened)', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const calls = countCalls(clients);
    const events: TailEvent[] = [];
    const modes: TailMode[] = [];
    const errors: string[] = [];
    const tail = createLogTail({
      clients,
      logGroup: '/aws/lambda/avatar-processor',
      logGroupArn: groupArn(sim, 'avatar-processor'),
      now: () => sim.world.clock.now(),
      slowMs: 8000,
      onEvent: (e) => events.push(e),
      onMode: (m) => modes.push(m),
      onError: (e) => errors.push(e.message),
    });
    const running = tail.run();
    try {
      await until('two sessions and lines', async () => (await stats(sim)).opened >= 2 && events.length > 20, 20_000);
    } finally {
      tail.stop();
      await running;
    }
    assert.deepEqual(modes, [{kind: 'live-tail'}], 'live tail from the start, never polling');
    assert.equal(calls['FilterLogEventsCommand'] ?? 0, 0, 'no FilterLogEvents while Live Tail works');
    assert.ok((calls['StartLiveTailCommand'] ?? 0) >= 2);
    assert.ok(errors.some((m) => /Live Tail session ended \(the session reached its 3-hour limit\): reconnecting/.test(m)), errors.join('\n'));
    assert.ok(events.some((e) => e.read.kind === 'report'));
    assert.ok(events.some((e) => e.failure && /Task timed out/.test(e.message)), 'timeouts are failure lines');
    assert.ok(tail.stats().invocations > 0, 'finished attempts feed the statistics');
    await until('every session closed', async () => (await stats(sim)).open === 0, 5000);
    const s = await stats(sim);
    assert.ok(s.timedOut >= 1);
    assert.equal(s.opened, s.timedOut + s.closedByClient, 'each session ended by its limit or closed by the tail');
  }, 30, {liveTail: {updateMs: 200, maxSessionMs: 1200}});
});

test('L in the app, pressed before discovery answered: the panel says "live tail", shows the lines, and closing it closes the session', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const now = () => sim.world.clock.now();
    const store = createStore(createInitialState({functionName: 'avatar-processor', now: now()}));
    const controller = createController({clients, store, functionName: 'avatar-processor', intervalMs: 60_000, now, readOnly: true, onQuit() {}});
    controller.start();
    try {
      // L before discovery has answered: the tail waits for it (Live Tail takes the ARN discovery gives).
      assert.equal(store.getState().dashboard?.snapshot.topology ?? null, null);
      store.dispatch({type: 'tail/open'});
      controller.actions.openLogs();
      assert.equal(store.getState().tail.mode.kind, 'connecting');
      await until('live tail mode', () => store.getState().tail.mode.kind === 'live-tail');
      await until('lines', () => store.getState().tail.received > 10 && store.getState().tail.lines.some((l) => l.failure));
      assert.equal((await stats(sim)).open, 1);
      store.dispatch({type: 'tail/close'});
      controller.actions.closeLogs();
      await until('the session closed', async () => (await stats(sim)).open === 0, 5000);
      const s = await stats(sim);
      assert.equal(s.opened, 1);
      assert.equal(s.closedByClient, 1, 'closing the panel closed the session');
    } finally {
      await controller.stop();
    }
  }, 30, {liveTail: {updateMs: 250}});
});

test('the panel says when Live Tail sampled an update (more lines than the service sends)', async () => {
  await withSim('healthy', async (sim, clients) => {
    const fn = sim.world.listFunctions()[0]!.FunctionName;
    const group = `/aws/lambda/${fn}`;
    await clients.logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: 'bench/2'}));
    const now = () => sim.world.clock.now();
    const store = createStore(createInitialState({functionName: fn, now: now()}));
    const controller = createController({clients, store, functionName: fn, intervalMs: 60_000, now, readOnly: true, onQuit() {}});
    controller.start();
    try {
      store.dispatch({type: 'tail/open'});
      controller.actions.openLogs();
      await until('live tail mode', () => store.getState().tail.mode.kind === 'live-tail');
      assert.equal(store.getState().tail.sampled, 0);
      await putLines(clients, sim, group, 'bench/2', Array.from({length: 30}, (_, i) => `ERROR burst ${i}`));
      await until('sampled', () => store.getState().tail.sampled > 0);
      const header = logsLayout(store.getState().tail, 120, 30).header.map((r) => r.map((s) => s.text).join('')).join('\n');
      assert.match(header, /Live Tail sampled \d+ updates?: the service sends at most 500 lines a second, not every line was sent/);
    } finally {
      await controller.stop();
    }
  }, 30, {liveTail: {updateMs: 200, maxEventsPerUpdate: 10}});
});

test('StartLiveTail errors as the service answers them: a missing log group, more than 10 groups, streams with two groups', async () => {
  await withSim('healthy', async (sim, clients) => {
    const {StartLiveTailCommand} = await import('@aws-sdk/client-cloudwatch-logs');
    const fn = sim.world.listFunctions()[0]!.FunctionName;
    const arn = groupArn(sim, fn);
    const start = (input: ConstructorParameters<typeof StartLiveTailCommand>[0]) => clients.logs.send(new StartLiveTailCommand(input));
    await assert.rejects(start({logGroupIdentifiers: [groupArn(sim, 'nope')]}), (e: Error) => e.name === 'ResourceNotFoundException');
    await assert.rejects(start({logGroupIdentifiers: Array.from({length: 11}, () => arn)}), (e: Error) => e.name === 'InvalidParameterException');
    await assert.rejects(start({logGroupIdentifiers: [arn, arn], logStreamNames: ['a']}), (e: Error) => e.name === 'InvalidParameterException');
    // Through the tail: a first session that cannot open means polling (which then says the group is missing).
    const modes: TailMode[] = [];
    const tail = createLogTail({clients, logGroup: '/aws/lambda/nope', logGroupArn: groupArn(sim, 'nope'), now: () => sim.world.clock.now(), slowMs: null, onEvent() {}, onMode: (m) => modes.push(m)});
    await assert.rejects(tail.run(), /Log group \/aws\/lambda\/nope does not exist/);
    assert.equal(modes[0]?.kind, 'polling');
    assert.equal((await stats(sim)).opened, 0, 'no session was opened');
  });
});

test('discovery denied: L does not wait for a topology that will not come; it polls (Live Tail takes the ARN)', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    sim.faults.configure(parseFaultConfig({rules: [{operation: 'GetFunctionConfiguration', accessDenied: 1}, {operation: 'GetFunction', accessDenied: 1}]}));
    const now = () => sim.world.clock.now();
    const store = createStore(createInitialState({functionName: 'avatar-processor', now: now()}));
    const controller = createController({clients, store, functionName: 'avatar-processor', intervalMs: 60_000, now, readOnly: true, onQuit() {}});
    controller.start();
    try {
      await until('discovery failed', () => Boolean(store.getState().dashboard?.discovery.error));
      assert.equal(store.getState().dashboard?.snapshot.topology ?? null, null);
      store.dispatch({type: 'tail/open'});
      controller.actions.openLogs();
      await until('polling', () => store.getState().tail.mode.kind === 'polling', 5000);
      assert.deepEqual(store.getState().tail.mode, {kind: 'polling', reason: 'the log group ARN is unknown (Live Tail takes ARNs)', intervalMs: 2000});
      assert.equal(store.getState().tail.logGroup, '/aws/lambda/avatar-processor');
    } finally {
      await controller.stop();
    }
  });
});

test('a Live Tail update reaches the store as soon as it is read, one dispatch per update (not on a timer)', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const store = createStore(createInitialState({functionName: 'avatar-processor', now: sim.world.clock.now()}));
    store.dispatch({
      type: 'dashboard/updated',
      dashboard: {
        snapshot: {topology: {arn: `arn:aws:lambda:${sim.world.region}:${sim.world.accountId}:function:avatar-processor`, logGroup: '/aws/lambda/avatar-processor', timeoutSeconds: 10} as never, metrics: null, queues: [], findings: [], errors: [], at: Date.now()},
        discovery: {data: null, error: null, syncing: false, updatedAt: null, nextAt: null} as never,
        metrics: {data: null, error: null, syncing: false, updatedAt: null, nextAt: null} as never,
        queues: {data: null, error: null, syncing: false, updatedAt: null, nextAt: null} as never,
      },
    });
    let dispatches = 0;
    store.subscribe(() => dispatches++);
    // A flush timer this long would hold every line for a minute: the update's end must flush instead.
    const logs = createLogsController({clients, store, functionName: 'avatar-processor', now: () => sim.world.clock.now(), flushMs: 60_000});
    store.dispatch({type: 'tail/open'});
    logs.open();
    try {
      await until('lines within a few updates', () => store.getState().tail.received > 0, 10_000);
      const before = {dispatches, received: store.getState().tail.received};
      await sleep(1500); // about 5 updates
      const lines = store.getState().tail.received - before.received;
      assert.ok(lines > 20, `lines kept coming: ${lines}`);
      assert.ok(dispatches - before.dispatches <= 8, `a dispatch per update, not per line: ${dispatches - before.dispatches} for ${lines} lines`);
    } finally {
      await logs.close();
    }
  }, 30, {liveTail: {updateMs: 300}});
});
