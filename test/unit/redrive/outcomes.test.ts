import assert from 'node:assert/strict';
import {test} from 'node:test';
import {groupAttempts, type LogEventIn} from '../../../source/domain/request-attempts.ts';
import {
  canaryVerdict, decideOutcome, followDeadline, isFinal, outcomeWord, summarizeOutcomes,
  type EventOutcome, type FailureRecord, type FollowedSend, type OutcomeEvidence, type RetryPolicy,
} from '../../../source/redrive/outcomes.ts';

const T0 = 1_767_225_600_000;
const NEW = '11111111-2222-4333-8444-555555555555';
const OLD = '99999999-2222-4333-8444-555555555555';
const send: FollowedSend = {messageId: 'm1', originalRequestId: OLD, newId: NEW, payloadHash: 'a'.repeat(64), acceptedAt: T0};
const policy: RetryPolicy = {maximumRetryAttempts: 2, timeoutSeconds: 10};

const iso = (t: number) => new Date(t).toISOString();
/** One attempt's lines on a stream, as the Node runtime writes them. */
function attemptLines(id: string, at: number, how: 'ok' | 'timeout' | 'error' | 'running', stream = 's1'): LogEventIn[] {
  const lines: LogEventIn[] = [{timestamp: at, stream, message: `START RequestId: ${id} Version: $LATEST\n`}];
  if (how === 'running') return lines;
  if (how === 'timeout') lines.push({timestamp: at + 10_000, stream, message: `${iso(at + 10_000)} ${id} Task timed out after 10.00 seconds\n`});
  if (how === 'error') lines.push({timestamp: at + 500, stream, message: `${iso(at + 500)}\t${id}\tERROR\tInvoke Error \t{"errorType":"InventoryApiError","errorMessage":"503 from inventory","stack":["at x"]}\n`});
  const end = at + (how === 'timeout' ? 10_000 : 600);
  lines.push({timestamp: end, stream, message: `END RequestId: ${id}\n`});
  lines.push({timestamp: end, stream, message: `REPORT RequestId: ${id}\tDuration: 600.00 ms\tBilled Duration: 600 ms\tMemory Size: 1024 MB\tMax Memory Used: 300 MB\t\n`});
  return lines;
}

function evidence(over: Partial<OutcomeEvidence> & {lines?: LogEventIn[]} = {}): OutcomeEvidence {
  const attempts = new Map(over.lines ? [[NEW, groupAttempts(NEW, over.lines)]] : []);
  return {attempts, failures: over.failures ?? [], successes: over.successes ?? [], logsUnreadable: over.logsUnreadable ?? null, targetsUnreadable: over.targetsUnreadable ?? null};
}

const dlqRecord = (over: Partial<FailureRecord> = {}): FailureRecord => ({
  queue: 'http://q/dlq', messageId: 'dlq-msg-2', requestId: NEW, payloadHash: send.payloadHash!.slice(0, 32), errorType: null,
  errorMessage: `RequestId: ${NEW} Error: Task timed out after 10.00 seconds`, condition: null, ...over,
});

test('a successful attempt in the logs: succeeded', () => {
  const o = decideOutcome(send, evidence({lines: attemptLines(NEW, T0 + 1000, 'ok')}), policy, T0 + 5000);
  assert.deepEqual(o, {state: 'succeeded', via: 'logs', matchedBy: 'request-id'});
  assert.equal(outcomeWord(o), 'succeeded');
});

test('a success after a failed attempt (a retry worked): succeeded', () => {
  const lines = [...attemptLines(NEW, T0 + 1000, 'timeout'), ...attemptLines(NEW, T0 + 80_000, 'ok', 's2')];
  assert.equal(decideOutcome(send, evidence({lines}), policy, T0 + 90_000).state, 'succeeded');
});

test('one failed attempt with retries left: retrying, with the next attempt due about a minute later', () => {
  const o = decideOutcome(send, evidence({lines: attemptLines(NEW, T0 + 1000, 'timeout')}), policy, T0 + 20_000);
  assert.equal(o.state, 'retrying');
  assert.ok(o.state === 'retrying');
  assert.equal(o.errorType, 'Timeout');
  assert.equal(o.failedAttempts, 1);
  assert.equal(o.allowedAttempts, 3);
  assert.equal(o.nextAttemptAfter, T0 + 11_000 + 60_000);
  assert.equal(isFinal(o), false);
});

test('the last allowed attempt failed in the logs: failed again (final) with its error type, linked to the new request id', () => {
  const lines = [...attemptLines(NEW, T0, 'error'), ...attemptLines(NEW, T0 + 61_000, 'error', 's2'), ...attemptLines(NEW, T0 + 182_000, 'error', 's3')];
  const o = decideOutcome(send, evidence({lines}), policy, T0 + 190_000);
  assert.ok(o.state === 'failed-again');
  assert.equal(o.errorType, 'InventoryApiError');
  assert.equal(o.via, 'logs');
  assert.equal(o.attempts, 3);
  assert.deepEqual(o.newFailure, {queue: null, messageId: null, requestId: NEW});
  assert.equal(outcomeWord(o), 'failed again (InventoryApiError)');
});

test('MaximumRetryAttempts 0: the first failed attempt is final', () => {
  const o = decideOutcome(send, evidence({lines: attemptLines(NEW, T0, 'timeout')}), {...policy, maximumRetryAttempts: 0}, T0 + 20_000);
  assert.ok(o.state === 'failed-again');
  assert.equal(o.errorType, 'Timeout');
});

test('a record under the new id in a failure target: failed again, linked to that message, even without logs', () => {
  const o = decideOutcome(send, evidence({failures: [dlqRecord()]}), policy, T0 + 1000);
  assert.ok(o.state === 'failed-again');
  assert.equal(o.errorType, 'Timeout');
  assert.equal(o.via, 'failure-target');
  assert.equal(o.matchedBy, 'request-id');
  assert.deepEqual(o.newFailure, {queue: 'http://q/dlq', messageId: 'dlq-msg-2', requestId: NEW});
});

test('a failure record with the sent payload under another id: failed again, matched by payload; the old copy (original id) is not a match', () => {
  const other = '77777777-2222-4333-8444-555555555555';
  const viaPayload = decideOutcome(send, evidence({failures: [dlqRecord({requestId: other, errorType: 'InventoryApiError'})]}), policy, T0);
  assert.ok(viaPayload.state === 'failed-again');
  assert.equal(viaPayload.matchedBy, 'payload');
  assert.equal(viaPayload.errorType, 'InventoryApiError');
  const oldCopy = decideOutcome(send, evidence({failures: [dlqRecord({requestId: OLD})]}), policy, T0);
  assert.equal(oldCopy.state, 'pending');
  const otherPayload = decideOutcome(send, evidence({failures: [dlqRecord({requestId: other, payloadHash: 'b'.repeat(32)})]}), policy, T0);
  assert.equal(otherPayload.state, 'pending');
});

test('an OnSuccess record: succeeded, and it beats anything else', () => {
  const o = decideOutcome(send, evidence({successes: [{queue: 'http://q/ok', messageId: 'x', requestId: NEW, payloadHash: null}], lines: attemptLines(NEW, T0, 'timeout')}), policy, T0);
  assert.deepEqual(o, {state: 'succeeded', via: 'on-success', matchedBy: 'request-id'});
});

test('nothing seen: pending with a reason; START without REPORT: running; unreadable logs say why', () => {
  const none = decideOutcome(send, evidence(), policy, T0 + 1000);
  assert.deepEqual(none, {state: 'pending', reason: 'no log line yet'});
  const late = decideOutcome(send, evidence(), policy, followDeadline(T0, policy) + 1);
  assert.ok(late.state === 'pending' && /within the retry schedule/.test(late.reason));
  const running = decideOutcome(send, evidence({lines: attemptLines(NEW, T0, 'running')}), policy, T0 + 1000);
  assert.ok(running.state === 'pending' && /running/.test(running.reason));
  const denied = decideOutcome(send, evidence({logsUnreadable: 'AccessDenied: logs:FilterLogEvents on /aws/lambda/f'}), policy, T0 + 1000);
  assert.ok(denied.state === 'pending' && denied.reason.startsWith('logs not readable: AccessDenied'));
});

test('the follow deadline covers three attempts, the 1 and 2 minute waits and the delivery lag', () => {
  assert.equal(followDeadline(T0, policy), T0 + 3 * 10_000 + 60_000 + 120_000 + 120_000);
  assert.equal(followDeadline(T0, {maximumRetryAttempts: 0, timeoutSeconds: 3, deliveryLagMs: 0}), T0 + 3000);
});

test('summary line: "37 succeeded, 3 failed again: InventoryApiError"; several types are counted', () => {
  const ok: EventOutcome = {state: 'succeeded', via: 'logs', matchedBy: 'request-id'};
  const failed = (errorType: string): EventOutcome => ({state: 'failed-again', errorType, errorMessage: null, via: 'logs', matchedBy: 'request-id', newFailure: null, attempts: 3});
  const s = summarizeOutcomes([...Array(37).fill(ok), failed('InventoryApiError'), failed('InventoryApiError'), failed('InventoryApiError')]);
  assert.equal(s.line, '37 succeeded, 3 failed again: InventoryApiError');
  assert.equal(s.succeeded, 37);
  assert.equal(s.failedAgain, 3);
  const mixed = summarizeOutcomes([failed('Timeout'), failed('Timeout'), failed('KeyError'), {state: 'pending', reason: 'x'}]);
  assert.equal(mixed.line, '0 succeeded, 3 failed again: Timeout 2, KeyError 1, 1 pending'.replace('0 succeeded, ', ''));
  assert.deepEqual(mixed.errorTypes, [{errorType: 'Timeout', count: 2}, {errorType: 'KeyError', count: 1}]);
});

test('canary verdict: go only when all succeeded; otherwise the reason', () => {
  const ok: EventOutcome = {state: 'succeeded', via: 'logs', matchedBy: 'request-id'};
  const timeout: EventOutcome = {state: 'failed-again', errorType: 'Timeout', errorMessage: null, via: 'logs', matchedBy: 'request-id', newFailure: null, attempts: 3};
  assert.deepEqual(canaryVerdict([ok, ok, ok, ok, ok]), {go: true, line: 'canary: 5 of 5 succeeded'});
  assert.deepEqual(canaryVerdict([ok, ok, ok, timeout, timeout]), {go: false, line: 'canary: 2 of 5 failed again: Timeout'});
  assert.equal(canaryVerdict([ok, {state: 'pending', reason: 'x'}]).go, false);
  assert.match(canaryVerdict([ok, {state: 'pending', reason: 'x'}]).line, /1 of 2 not known within the retry schedule/);
  assert.equal(canaryVerdict([]).go, false);
});

test('an error type from the logs or a record is untrusted: the summary and the verdict lines neutralise it, --json keeps it', () => {
  const hostile = 'Err\u001b[2J\u001b]52;c;cHduZWQ=\u0007\u202eor';
  const failed: EventOutcome = {state: 'failed-again', errorType: hostile, errorMessage: null, via: 'failure-target', matchedBy: 'request-id', newFailure: null, attempts: 3};
  const s = summarizeOutcomes([failed]);
  const verdict = canaryVerdict([failed]);
  for (const line of [s.line, verdict.line]) {
    assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/, JSON.stringify(line));
    assert.match(line, /failed again: Err/);
  }
  assert.equal(s.errorTypes[0]!.errorType, hostile);
});
