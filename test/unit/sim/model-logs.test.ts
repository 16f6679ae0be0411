// Section 7 of the reference: the log lines of an invocation, cold starts, timeouts, error lines, filtering, paging.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {testScenario} from '../../../source/sim/lambda/testing.ts';
import {compileFilterPattern} from '../../../source/sim/lambda/logs.ts';
import type {Scenario} from '../../../source/sim/lambda/scenario.ts';
import {MIN, S, T0, modelWorld} from '../../helpers/model-world.ts';


function world(scenario: Scenario) {
  const {w, clock, run} = modelWorld(scenario, {seed: 5, stepMs: 1 * S});
  const lines = (fn: string, filterPattern = '') => w.filterLogEvents({logGroupName: `/aws/lambda/${fn}`, filterPattern}).events;
  return {w, clock, run, lines};
}

const REPORT = /^REPORT RequestId: ([0-9a-f-]{36})\tDuration: (\d+\.\d\d) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB(\tInit Duration: (\d+\.\d\d) ms)?\t\n$/;

test('START / END / REPORT per invocation; Init Duration only on a cold start', () => {
  const {w, run, lines} = world(testScenario({functions: [{name: 'fn', memoryMb: 256}]}));
  const first = w.invoke('fn', '{}', 'Event');
  run(5 * S);
  const second = w.invoke('fn', '{}', 'Event');
  run(5 * S);
  const a = lines('fn', `"${first.requestId}"`).map((e) => e.message);
  const b = lines('fn', `"${second.requestId}"`).map((e) => e.message);
  assert.equal(a.length, 3);
  assert.equal(a[0], `START RequestId: ${first.requestId} Version: $LATEST\n`);
  assert.equal(a[1], `END RequestId: ${first.requestId}\n`);
  const cold = REPORT.exec(a[2]!);
  assert.ok(cold, a[2]);
  assert.equal(cold[1], first.requestId);
  assert.equal(cold[4], '256');
  assert.ok(cold[7], 'cold start: Init Duration');
  assert.equal(Number(cold[3]), Math.ceil(Number(cold[2]) + Number(cold[7])), 'billed = duration + init, rounded up to 1 ms');
  const warm = REPORT.exec(b[2]!);
  assert.ok(warm, b[2]);
  assert.equal(warm[6], undefined, 'warm start: no Init Duration');
  const all = lines('fn');
  assert.match(all[0]!.message, /^INIT_START Runtime Version: nodejs:20\./);
  assert.equal(all[0]!.logStreamName, all[1]!.logStreamName, 'one stream per instance');
  assert.match(all[0]!.logStreamName, /^2026\/11\/23\/\[\$LATEST\][0-9a-f]{32}$/);
  assert.ok(all.every((e, i) => i === 0 || all[i - 1]!.timestamp <= e.timestamp), 'ascending');
  assert.ok(all.every((e) => e.ingestionTime >= e.timestamp));
  assert.deepEqual(w.listLogGroups('/aws/lambda/').map((g) => g.logGroupName), ['/aws/lambda/fn']);
});

test('a timeout writes "Task timed out after N.00 seconds" and a REPORT of the full timeout', () => {
  const {w, run, lines} = world(testScenario({functions: [{name: 'slow', timeoutSeconds: 10, behavior: {durationMs: {median: 30_000, p99: 30_001}}, eventInvokeConfig: {maximumRetryAttempts: 0}}]}));
  const {requestId} = w.invoke('slow', '{}', 'Event');
  run(30 * S);
  const messages = lines('slow', `"${requestId}"`).map((e) => e.message);
  const timeout = messages.find((m) => m.includes('Task timed out'));
  assert.ok(timeout);
  assert.match(timeout, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${requestId} Task timed out after 10\\.00 seconds`));
  assert.match(messages.find((m) => m.startsWith('REPORT'))!, /\tDuration: 10000\.00 ms\t/);
  assert.equal(lines('slow', 'ERROR').length, 0);
});

test('Node error lines use the runtime format; Python functions log a traceback', () => {
  const {w, run, lines} = world(
    testScenario({
      functions: [
        {name: 'node', behavior: {errors: [{kind: 'unhandled', rate: 1, errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'id')"}]}, eventInvokeConfig: {maximumRetryAttempts: 0}},
        {name: 'py', runtime: 'python3.12', behavior: {errors: [{kind: 'unhandled', rate: 1, errorType: 'KeyError', errorMessage: "'Records'"}]}, eventInvokeConfig: {maximumRetryAttempts: 0}},
      ],
    }),
  );
  const n = w.invoke('node', '{}', 'Event');
  w.invoke('py', '{}', 'Event');
  run(10 * S);
  const [line] = lines('node', 'ERROR');
  assert.ok(line);
  const parts = line.message.split('\t');
  assert.match(parts[0]!, /^\d{4}-\d\d-\d\dT/);
  assert.equal(parts[1], n.requestId);
  assert.equal(parts[2], 'ERROR');
  assert.equal(parts[3], 'Invoke Error ');
  const body = JSON.parse(parts[4]!);
  assert.equal(body.errorType, 'TypeError');
  assert.equal(body.errorMessage, "Cannot read properties of undefined (reading 'id')");
  assert.ok(Array.isArray(body.stack) && body.stack[0] === "TypeError: Cannot read properties of undefined (reading 'id')");
  const [py] = lines('py', '"[ERROR]"');
  assert.ok(py);
  assert.match(py.message, /^\[ERROR\] KeyError: 'Records'\nTraceback \(most recent call last\):\n  File "/);
});

test('filter patterns and paging', () => {
  const {w, run} = world(testScenario({functions: [{name: 'fn'}], producers: [{name: 'p', target: {function: 'fn'}, ratePerSecond: 2, noise: 0, payload: {}}]}));
  run(5 * MIN, 5 * S);
  const group = '/aws/lambda/fn';
  const all = w.filterLogEvents({logGroupName: group}).events;
  assert.ok(all.length > 1000);
  const starts = w.filterLogEvents({logGroupName: group, filterPattern: 'START RequestId'}).events;
  const reports = w.filterLogEvents({logGroupName: group, filterPattern: '"REPORT RequestId"'}).events;
  assert.ok(starts.length > 500 && reports.length > 500);
  assert.ok(starts.every((e) => e.message.startsWith('START')));
  assert.equal(w.filterLogEvents({logGroupName: group, filterPattern: 'REPORT -Init'}).events.some((e) => e.message.includes('Init Duration')), false);
  // a window
  const windowed = w.filterLogEvents({logGroupName: group, startTime: T0 + MIN, endTime: T0 + 2 * MIN}).events;
  assert.ok(windowed.length > 0 && windowed.every((e) => e.timestamp >= T0 + MIN && e.timestamp <= T0 + 2 * MIN));
  // paging returns every event exactly once, in order
  const paged: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = w.filterLogEvents({logGroupName: group, limit: 250, ...(nextToken ? {nextToken} : {})});
    assert.ok(page.events.length <= 250);
    paged.push(...page.events.map((e) => e.eventId));
    nextToken = page.nextToken;
    pages++;
  } while (nextToken && pages < 100);
  assert.deepEqual(paged, all.map((e) => e.eventId));
  assert.ok(pages > 1);
  assert.throws(() => w.filterLogEvents({logGroupName: '/aws/lambda/nope'}), (e: Error & {type?: string}) => e.type === 'ResourceNotFoundException');
  assert.throws(() => w.filterLogEvents({logGroupName: group, nextToken: 'garbage'}), (e: Error & {type?: string}) => e.type === 'InvalidParameterException');
});

test('lines in the virtual future are not visible yet', () => {
  const {w, clock, lines} = world(testScenario({functions: [{name: 'long', timeoutSeconds: 60, behavior: {durationMs: {median: 20_000, p99: 20_001}}}]}));
  const {requestId} = w.invoke('long', '{}', 'Event');
  clock.advance(5 * S);
  w.advance();
  assert.deepEqual(lines('long', `"${requestId}"`).map((e) => e.message.split(' ')[0]), ['START']);
  clock.advance(30 * S);
  w.advance();
  assert.deepEqual(lines('long', `"${requestId}"`).map((e) => e.message.split(' ')[0]), ['START', 'END', 'REPORT']);
});

test('compileFilterPattern: terms, quoted phrases, exclusions', () => {
  const m = compileFilterPattern('ERROR "Invoke Error" -healthcheck');
  assert.equal(m('x ERROR Invoke Error y'), true);
  assert.equal(m('x ERROR Invoke y Error'), false);
  assert.equal(m('ERROR Invoke Error healthcheck'), false);
  assert.equal(compileFilterPattern('')('anything'), true);
  assert.equal(compileFilterPattern('error')('ERROR'), false, 'case-sensitive');
});
