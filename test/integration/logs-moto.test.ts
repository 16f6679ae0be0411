// The logs adapter against moto (an independent emulator) with log events this test puts: CreateLogGroup,
// CreateLogStream, PutLogEvents of three attempts of one request (a cold-start timeout, an error with a stack, a
// success) among other requests' lines; the log group read from the function's LoggingConfig; a missing group;
// StartLiveTail missing in moto (the tail falls back to polling) and the tail reading what is put while it runs.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {CreateFunctionCommand} from '@aws-sdk/client-lambda';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {functionLogTarget, searchRequestLogs} from '../../source/aws/logs.ts';
import {findRequestAttempts} from '../../source/cli/run-logs.ts';
import {computeLogStats} from '../../source/domain/log-stats.ts';
import {createLogTail, type TailEvent, type TailMode} from '../../source/pollers/log-tail.ts';
import {createMotoRole, startMoto, testAwsConfig, tinyLambdaZip, type RunningServer} from '../helpers/servers.ts';

let moto: RunningServer;
let clients: AwsClients;
const group = '/aws/lambda/order-processor';
const id = '8f5a2c3e-1b2d-4e5f-9a0b-1c2d3e4f5a6b';
const other = '11111111-2222-4333-8444-555555555555';
const T = Date.now() - 30 * 60_000;

const report = (rid: string, duration: number, used: number, init?: number) =>
  `REPORT RequestId: ${rid}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: 512 MB\tMax Memory Used: ${used} MB${init ? `\tInit Duration: ${init.toFixed(2)} ms` : ''}\t\n`;

async function put(stream: string, events: Array<[number, string]>): Promise<void> {
  await clients.logs.send(new PutLogEventsCommand({logGroupName: group, logStreamName: stream, logEvents: events.map(([timestamp, message]) => ({timestamp, message}))}));
}

before(async () => {
  moto = await startMoto();
  clients = createClients(testAwsConfig(moto.endpoint));
  const role = await createMotoRole(moto.endpoint);
  await clients.lambda.send(new CreateFunctionCommand({FunctionName: 'order-processor', Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: {ZipFile: tinyLambdaZip()}, Timeout: 10, MemorySize: 512}));
  await clients.logs.send(new CreateLogGroupCommand({logGroupName: group}));
  for (const s of ['2026/01/15/[$LATEST]aaa', '2026/01/15/[$LATEST]bbb']) await clients.logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: s}));
  const error = JSON.stringify({errorType: 'PaymentsApiError', errorMessage: 'payments answered 503', stack: ['PaymentsApiError: payments answered 503', '    at charge (file:///var/task/pay.mjs:12:9)', '    at Runtime.handler (file:///var/task/index.mjs:30:5)']});
  await put('2026/01/15/[$LATEST]aaa', [
    [T, `START RequestId: ${id} Version: $LATEST\n`],
    [T + 10_000, `${new Date(T + 10_000).toISOString()} ${id} Task timed out after 10.00 seconds\n`],
    [T + 10_000, `END RequestId: ${id}\n`],
    [T + 10_001, report(id, 10000, 180, 412.3)],
    [T + 20_000, `START RequestId: ${other} Version: $LATEST\n`],
    [T + 20_100, report(other, 100, 90)],
  ]);
  await put('2026/01/15/[$LATEST]bbb', [
    [T + 70_000, `START RequestId: ${id} Version: $LATEST\n`],
    [T + 70_040, `processing order 42\n`],
    [T + 70_050, `${new Date(T + 70_050).toISOString()}\t${id}\tERROR\tInvoke Error \t${error}\n`],
    [T + 70_060, `END RequestId: ${id}\n`],
    [T + 70_061, report(id, 60, 200)],
    [T + 190_000, `START RequestId: ${id} Version: $LATEST\n`],
    [T + 190_300, `END RequestId: ${id}\n`],
    [T + 190_301, report(id, 300, 210)],
  ]);
});

after(async () => {
  clients?.destroy();
  await moto?.stop();
});

test('the log group from the function\'s configuration (LoggingConfig.LogGroup, else /aws/lambda/NAME)', async () => {
  const target = await functionLogTarget(clients, 'order-processor');
  assert.equal(target.logGroup, group);
  assert.equal(target.timeoutSeconds, 10);
  assert.equal(target.memoryMb, 512);
  await assert.rejects(functionLogTarget(clients, 'nope'), {name: 'FunctionNotFoundError'});
});

test('every attempt of the request, with figures, the timeout, the error and its stack; a line without the id from its stream', async () => {
  const result = await findRequestAttempts(clients, {logGroup: group, requestId: id, startTime: T - 60_000, endTime: T + 10 * 60_000});
  assert.ok(result.search.events.every((e) => e.message.includes(id)), 'moto matched the quoted id only');
  const [timeout, error, ok] = result.attempts;
  assert.equal(result.attempts.length, 3);
  assert.equal(timeout!.outcome, 'timeout');
  assert.equal(timeout!.coldStart, true);
  assert.equal(timeout!.initDurationMs, 412.3);
  assert.equal(timeout!.durationMs, 10000);
  assert.equal(timeout!.stream, '2026/01/15/[$LATEST]aaa');
  assert.equal(error!.outcome, 'error');
  assert.deepEqual(error!.errors, [{type: 'PaymentsApiError', message: 'payments answered 503', stack: ['at charge (file:///var/task/pay.mjs:12:9)', 'at Runtime.handler (file:///var/task/index.mjs:30:5)']}]);
  assert.ok(error!.lines.some((l) => l.message.startsWith('processing order 42')), 'read from the attempt\'s stream between START and REPORT');
  assert.equal(ok!.outcome, 'ok');
  assert.equal(ok!.coldStart, false);
  const stats = computeLogStats(result.attempts);
  assert.equal(stats.timeoutShareOfFailures, 0.5);
  assert.equal(stats.maxMemoryUsedMb, 210);
});

test('a missing log group is one clear error', async () => {
  await assert.rejects(searchRequestLogs(clients, {logGroup: '/aws/lambda/never-ran', requestId: id, startTime: T, endTime: T + 60_000}), (e: Error & {kind?: string}) => {
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /Log group \/aws\/lambda\/never-ran does not exist/);
    return true;
  });
});

test('the tail: no StartLiveTail in moto, so it polls, and shows what is put while it runs, once', async () => {
  const events: TailEvent[] = [];
  const modes: TailMode[] = [];
  const tail = createLogTail({
    clients,
    logGroup: group,
    logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${group}`,
    now: Date.now,
    intervalMs: 200,
    slowMs: 5000,
    onEvent: (e) => events.push(e),
    onMode: (m) => modes.push(m),
  });
  const running = tail.run();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && modes.length === 0) await new Promise((r) => setTimeout(r, 50));
  const now = Date.now();
  await put('2026/01/15/[$LATEST]bbb', [
    [now, `START RequestId: ${other} Version: $LATEST\n`],
    [now + 1, `RequestId: ${other} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n`],
    [now + 2, report(other, 1, 512)],
  ]);
  while (Date.now() < deadline && !events.some((e) => e.read.kind === 'report')) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 600)); // a few more polls over the same lines
  tail.stop();
  await running;
  assert.equal(modes[0]?.kind, 'polling');
  assert.equal(events.length, 3, events.map((e) => e.message).join(' | '));
  assert.equal(events[1]!.read.kind, 'runtime-exit');
  assert.equal(events[1]!.failure, true);
  assert.equal(tail.stats().runtimeExits, 1);
});
