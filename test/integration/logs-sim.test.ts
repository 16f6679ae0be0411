// The logs adapter, pacer, tail and the `logs` command against the simulator over HTTP with the real SDK:
// a request's attempts found through pages that are empty while a nextToken still comes back, lines without the
// request id read from the attempt's stream, a missing log group, AccessDenied and throttling by fault injection,
// the pace of FilterLogEvents, the tail's fallback to polling without duplicates, and the binary's exit codes.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {RunningSimulator} from '../../source/sim/index.ts';
import {withSim} from '../helpers/sim-clients.ts';
import {countLeanReads} from '../helpers/count-reads.ts';
import type {AwsClients} from '../../source/aws/clients.ts';
import {filterLogEventsPage, readAllPages, searchRequestLogs, functionLogTarget} from '../../source/aws/logs.ts';
import {createLogsPacer} from '../../source/aws/logs-pacer.ts';
import {findRequestAttempts} from '../../source/cli/run-logs.ts';
import {createLogTail, type TailEvent, type TailMode} from '../../source/pollers/log-tail.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const MIN = 60_000;


async function faults(sim: RunningSimulator, config: unknown): Promise<void> {
  const response = await fetch(`${sim.endpoint}/_lambda-top/faults`, {method: 'POST', body: JSON.stringify(config)});
  assert.equal(response.status, 200, await response.text());
}

/** Records when each FilterLogEvents request was sent (an SDK middleware, or the lean reads: real sends). */
function sendTimes(clients: AwsClients): number[] {
  const times: number[] = [];
  (clients.logs.middlewareStack as {add(m: unknown, o: unknown): void}).add(
    (next: (args: unknown) => Promise<unknown>, context: {commandName?: string}) => async (args: unknown) => {
      if (context.commandName === 'FilterLogEventsCommand') times.push(Date.now());
      return next(args);
    },
    {step: 'finalizeRequest', name: 'lambdaTopSendTimes'},
  );
  // The lean reads (one custom endpoint): one request per call, as these clients make one attempt (maxAttempts 1).
  countLeanReads(clients, (name) => name === 'FilterLogEventsCommand' && times.push(Date.now()));
  return times;
}

/** A request of `fn` that failed, with when: from its error or timeout line. */
async function failedRequest(clients: AwsClients, sim: RunningSimulator, logGroup: string, pattern: string): Promise<{requestId: string; at: number; stream: string}> {
  const now = sim.world.clock.now();
  const page = await readAllPages(clients, {logGroup, filterPattern: pattern, startTime: now - 3 * 60 * MIN, endTime: now}, {limit: 50, deadline: Date.now() + 20_000});
  for (const e of page.events) {
    // The START before it on the same stream names the request (a Python traceback does not).
    const starts = await filterLogEventsPage(clients, {logGroup, logStreamNames: [e.stream], filterPattern: '"START RequestId"', startTime: e.timestamp - 5 * MIN, endTime: e.timestamp + 1});
    const start = starts.events.filter((s) => s.timestamp <= e.timestamp).at(-1);
    const id = start && /START RequestId: (\S+)/.exec(start.message)?.[1];
    if (id) return {requestId: id, at: e.timestamp, stream: e.stream};
  }
  throw new Error(`no failed request matching ${pattern}`);
}

test('a request\'s attempts through empty pages; its traceback (no request id in it) read from its stream', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const fn = await functionLogTarget(clients, 'avatar-resizer-fallback');
    assert.equal(fn.logGroup, `/aws/lambda/${fn.functionName}`);
    const failed = await failedRequest(clients, sim, fn.logGroup, '"[ERROR] KeyError"');
    const result = await findRequestAttempts(clients, {logGroup: fn.logGroup, requestId: failed.requestId, startTime: failed.at - 30 * MIN, endTime: failed.at + 30 * MIN});
    assert.ok(result.search.pages >= 3, `the simulator searches 5 minutes of lines a call: ${result.search.pages} pages`);
    assert.ok(result.search.emptyPages > 0, 'some pages were empty while a nextToken still came back');
    assert.equal(result.search.cutBy, null);
    assert.ok(result.search.events.every((e) => e.message.includes(failed.requestId)));
    assert.ok(!result.search.events.some((e) => e.message.includes('KeyError')), 'the traceback does not name the request');
    const attempt = result.attempts.find((a) => a.stream === failed.stream && a.startedAt !== null && a.startedAt <= failed.at && (a.endedAt ?? Infinity) >= failed.at);
    assert.ok(attempt, 'the failed attempt');
    assert.equal(attempt.outcome, 'error');
    assert.equal(attempt.errors[0]?.type, 'KeyError');
    assert.ok(attempt.errors[0]!.stack.length > 0, 'with its stack');
    assert.ok(attempt.durationMs !== null && attempt.memorySizeMb === fn.memoryMb && attempt.coldStart !== null);
  });
});

test('missing log group, AccessDenied (fault injection), a budget that runs out', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const now = sim.world.clock.now();
    const id = '8f5a2c3e-1b2d-4e5f-9a0b-1c2d3e4f5a6b';
    await assert.rejects(searchRequestLogs(clients, {logGroup: '/aws/lambda/nope', requestId: id, startTime: now - MIN, endTime: now}), (e: Error & {kind?: string}) => {
      assert.equal(e.kind, 'not-found');
      assert.match(e.message, /Log group \/aws\/lambda\/nope does not exist/);
      return true;
    });
    const budget = await searchRequestLogs(clients, {logGroup: '/aws/lambda/avatar-processor', requestId: id, startTime: now - 45 * MIN, endTime: now, budgetMs: 500});
    assert.equal(budget.cutBy, 'budget', 'a 45-minute window takes 9 pages at 5 a second: more than 0.5 s');
    assert.ok(budget.pages >= 1 && budget.pages < 9);
    await faults(sim, {rules: [{operation: 'FilterLogEvents', accessDenied: 1}]});
    await assert.rejects(searchRequestLogs(clients, {logGroup: '/aws/lambda/avatar-processor', requestId: id, startTime: now - MIN, endTime: now}), (e: Error & {kind?: string}) => {
      assert.equal(e.kind, 'access-denied');
      assert.match(e.message, /logs:FilterLogEvents on \/aws\/lambda\/avatar-processor/);
      return true;
    });
  });
});

test('throttled FilterLogEvents: backed off and retried, the same lines found, never over 5 requests a second', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const now = sim.world.clock.now();
    const reports = await filterLogEventsPage(clients, {logGroup: '/aws/lambda/avatar-processor', filterPattern: 'REPORT', startTime: now - 20 * MIN, endTime: now - 15 * MIN, limit: 1});
    const requestId = /REPORT RequestId: (\S+)/.exec(reports.events[0]!.message)![1]!;
    const query = {logGroup: '/aws/lambda/avatar-processor', requestId, startTime: now - 30 * MIN, endTime: now};
    const calm = await searchRequestLogs(clients, {...query, pacer: createLogsPacer()});
    const times = sendTimes(clients);
    await faults(sim, {seed: 3, rules: [{operation: 'FilterLogEvents', throttle: 0.5}]});
    const pacer = createLogsPacer();
    const stormy = await searchRequestLogs(clients, {...query, pacer});
    assert.deepEqual(stormy.events.map((e) => e.eventId), calm.events.map((e) => e.eventId));
    assert.ok(calm.events.length >= 3);
    assert.ok(pacer.stats.throttled > 0, 'some calls were throttled');
    assert.equal(pacer.stats.sent, times.length);
    const report = (await (await fetch(`${sim.endpoint}/_lambda-top/mutations`)).json()) as {injected: Record<string, {throttle?: number}>};
    assert.equal(report.injected['FilterLogEvents']?.throttle, pacer.stats.throttled, 'every throttle the simulator injected was seen and retried');
    for (let i = 5; i < times.length; i++) assert.ok(times[i]! - times[i - 5]! >= 990, `6 requests within a second (${times[i]! - times[i - 5]!} ms)`);
  });
});

test('the tail falls back to polling (no StartLiveTail), sees new lines once each, and reads Powertools lines', async () => {
  await withSim('throttled-orders', async (sim, clients) => {
    // The simulator speaks StartLiveTail (live-tail-sim.test.ts); here it answers as emulators without it do.
    await faults(sim, {rules: [{operation: 'StartLiveTail', unsupported: 1}]});
    const events: TailEvent[] = [];
    const modes: TailMode[] = [];
    const tail = createLogTail({
      clients,
      logGroup: '/aws/lambda/order-processor',
      logGroupArn: `arn:aws:logs:${sim.world.region}:123456789012:log-group:/aws/lambda/order-processor`,
      now: () => sim.world.clock.now(),
      intervalMs: 300,
      slowMs: 20_000,
      onEvent: (e) => events.push(e),
      onMode: (m) => modes.push(m),
    });
    const running = tail.run();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(events.length > 50 && events.some((e) => e.read.kind === 'structured' && e.read.level === 'ERROR'))) await new Promise((r) => setTimeout(r, 200));
    tail.stop();
    await running;
    assert.deepEqual(modes, [{kind: 'polling', reason: 'the endpoint does not support StartLiveTail'}]);
    assert.equal(tail.mode.kind, 'polling');
    const ids = events.map((e) => e.eventId);
    assert.equal(new Set(ids).size, ids.length, 'each line once, though polls overlap');
    assert.ok(events.every((e, i) => i === 0 || events[i - 1]!.timestamp <= e.timestamp || events[i - 1]!.stream !== e.stream));
    const info = events.find((e) => e.read.kind === 'structured' && e.read.level === 'INFO');
    assert.ok(info && info.read.kind === 'structured' && info.read.message === 'processing event' && info.read.requestId, 'Powertools INFO lines carry the request id');
    const error = events.find((e) => e.read.kind === 'structured' && e.read.level === 'ERROR');
    assert.ok(error?.failure, 'a Powertools ERROR line is a failure line');
    assert.equal(events.find((e) => e.read.kind === 'start')?.failure, false);
    assert.ok(tail.stats().invocations > 0);
    assert.equal(tail.scrollback.size, Math.min(events.length, 5000));
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], {cwd: root, timeout: 60_000, env: {...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'}, maxBuffer: 32 << 20}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
    });
  });
}

/** `lambda-top logs --tail` until it printed a timeout line, then SIGINT. */
async function tailUntilTimeout(common: string[]): Promise<{code: number | null; out: string; err: string}> {
  const child = spawn(process.execPath, [bin, 'logs', ...common, '--tail'], {cwd: root, env: {...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'}});
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = Date.now() + 30_000;
  while (Date.now() < until && !/Task timed out/.test(out)) await new Promise((r) => setTimeout(r, 200));
  child.kill('SIGINT');
  return {code: await exited, out, err};
}

test('lambda-top logs: found (0, JSON and text), no lines (1), missing function / access denied (2), --tail until SIGINT (0) with Live Tail and polling', async () => {
  await withSim('avatar-timeouts', async (sim, clients) => {
    const common = ['--endpoint-url', sim.endpoint, '--region', sim.world.region, '--function', 'avatar-processor'];
    const failed = await failedRequest(clients, sim, '/aws/lambda/avatar-processor', '"Task timed out"');
    const around = new Date(failed.at).toISOString();
    const json = await cli(['logs', ...common, '--request-id', failed.requestId, '--around', around, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as {requestId: string; logGroup: string; complete: boolean; attempts: Array<{outcome: string; timedOutAfterSeconds: number | null; durationMs: number | null}>; stats: {timeouts: number}};
    assert.equal(doc.requestId, failed.requestId);
    assert.equal(doc.logGroup, '/aws/lambda/avatar-processor');
    assert.equal(doc.complete, true);
    const timedOut = doc.attempts.find((a) => a.outcome === 'timeout');
    assert.ok(timedOut && timedOut.timedOutAfterSeconds === 10 && timedOut.durationMs === 10000);
    assert.ok(doc.stats.timeouts >= 1);

    const text = await cli(['logs', ...common, '--request-id', failed.requestId, '--around', around]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^request \S+ in \/aws\/lambda\/avatar-processor/);
    assert.match(text.stdout, /attempt 1 of \d+: TIMED OUT/);
    assert.match(text.stdout, /Task timed out after 10\.00 seconds/);
    assert.match(text.stdout, /\nlogs: \d+ invocation/);

    const none = await cli(['logs', ...common, '--request-id', '00000000-0000-4000-8000-000000000000', '--window', '10m']);
    assert.equal(none.code, 1, none.stderr);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^lambda-top: no log lines for request 00000000-0000-4000-8000-000000000000 in \/aws\/lambda\/avatar-processor/);

    const missing = await cli(['logs', '--endpoint-url', sim.endpoint, '--region', sim.world.region, '--function', 'nope', '--request-id', failed.requestId]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^lambda-top: Function nope not found/);

    await faults(sim, {rules: [{operation: 'FilterLogEvents', accessDenied: 1}]});
    const denied = await cli(['logs', ...common, '--request-id', failed.requestId]);
    assert.equal(denied.code, 2);
    assert.equal(denied.stderr.trim().split('\n').length, 1, denied.stderr);
    assert.match(denied.stderr, /^lambda-top: Access denied: .*logs:FilterLogEvents on \/aws\/lambda\/avatar-processor/);
    await faults(sim, {rules: []});

    // --tail with Live Tail (the simulator speaks it), then as against an endpoint without it (polling).
    const live = await tailUntilTimeout(common);
    assert.equal(live.code, 0, live.err);
    assert.match(live.err, /Live Tail session open \(billed per minute while it runs; closed on exit\)/);
    assert.match(live.out, /Task timed out/);
    assert.doesNotMatch(live.out, /START RequestId/, 'failures only by default');
    assert.match(live.err, /logs while tailing: /);
    const sessions = (await (await fetch(`${sim.endpoint}/_lambda-top/live-tail`)).json()) as {opened: number; open: number; closedByClient: number};
    assert.deepEqual([sessions.opened, sessions.open, sessions.closedByClient], [1, 0, 1], 'the session was closed on exit');

    await faults(sim, {rules: [{operation: 'StartLiveTail', unsupported: 1}]});
    const polled = await tailUntilTimeout(common);
    assert.equal(polled.code, 0, polled.err);
    assert.match(polled.err, /polling FilterLogEvents every 2 s: the endpoint does not support StartLiveTail/);
    assert.match(polled.out, /Task timed out/);
    assert.doesNotMatch(polled.out, /START RequestId/, 'failures only by default');
    assert.match(polled.err, /logs while tailing: /);
  });
});
