// The follower's I/O half with a fake CloudWatch Logs client behind the real adapters (readAllPages, the
// pacer): OR-patterns within the length limit, pages that are empty while a nextToken comes back, a success
// confirmed by reading its whole stream span (an unnamed traceback there turns it into a failure),
// throttling backed off, AccessDenied as the reason an outcome stays pending, and peeks released.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {AwsClients} from '../../../source/aws/clients.ts';
import {createLogsPacer} from '../../../source/aws/logs-pacer.ts';
import {readAllPages, readStreamSpan} from '../../../source/aws/logs.ts';
import type {RawMessage} from '../../../source/domain/types.ts';
import {collectEvidence, FILTER_PATTERN_MAX, followOutcomes, idPatterns, type FollowPorts, type FollowTargets} from '../../../source/redrive/follow.ts';
import {payloadHash} from '../../../source/redrive/journal.ts';
import type {FollowedSend} from '../../../source/redrive/outcomes.ts';

const T0 = 1_767_225_600_000;
const id = (n: number) => `${String(n).padStart(8, '0')}-2222-4333-8444-555555555555`;
const send = (n: number): FollowedSend => ({messageId: `m${n}`, originalRequestId: `old-${n}`, newId: id(n), payloadHash: payloadHash(`{"n":${n}}`), acceptedAt: T0});
const targets = (over: Partial<FollowTargets> = {}): FollowTargets => ({functionName: 'f', logGroup: '/aws/lambda/f', failureQueues: [], onSuccessQueue: null, policy: {maximumRetryAttempts: 2, timeoutSeconds: 10}, ...over});

interface Line {timestamp: number; logStreamName: string; message: string}
const ok = (rid: string, at: number, stream: string): Line[] => [
  {timestamp: at, logStreamName: stream, message: `START RequestId: ${rid} Version: $LATEST\n`},
  {timestamp: at + 100, logStreamName: stream, message: `END RequestId: ${rid}\n`},
  {timestamp: at + 101, logStreamName: stream, message: `REPORT RequestId: ${rid}\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n`},
];

/** A fake Logs client: FilterLogEvents over `lines` (filter terms ?"x" OR'ed, or a stream), `emptyFirst`
 * empty pages with a nextToken before the answer, optional throttles / AccessDenied. */
function fakeClients(lines: Line[], options: {emptyFirst?: number; throttles?: number; denied?: boolean} = {}) {
  const calls: Array<{filterPattern?: string; logStreamNames?: string[]; nextToken?: string}> = [];
  let throttles = options.throttles ?? 0;
  const clients = {
    region: async () => 'us-east-1',
    endpoint: 'http://fake',
    logs: {
      send: async (command: {input: {filterPattern?: string; logStreamNames?: string[]; nextToken?: string; startTime?: number; endTime?: number}}) => {
        const input = command.input;
        calls.push(input);
        if (options.denied) throw Object.assign(new Error('User is not authorized to perform: logs:FilterLogEvents'), {name: 'AccessDeniedException', $metadata: {httpStatusCode: 400}});
        if (throttles > 0) {
          throttles--;
          throw Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException', $metadata: {httpStatusCode: 400}});
        }
        const page = input.nextToken ? Number(input.nextToken) : 0;
        if (page < (options.emptyFirst ?? 0)) return {events: [], nextToken: String(page + 1)};
        const terms = [...(input.filterPattern ?? '').matchAll(/\?"([^"]+)"/g)].map((m) => m[1]!);
        const events = lines.filter((l) => (input.logStreamNames ? input.logStreamNames.includes(l.logStreamName) : terms.some((t) => l.message.includes(t))) && (input.startTime === undefined || l.timestamp >= input.startTime) && (input.endTime === undefined || l.timestamp < input.endTime));
        return {events: events.map((e, i) => ({...e, eventId: `${e.logStreamName}-${e.timestamp}-${i}`}))};
      },
    },
  } as unknown as AwsClients;
  return {clients, calls};
}

function ports(clients: AwsClients, peeked: Map<string, RawMessage[]> = new Map(), released: string[] = []): FollowPorts {
  const pacer = createLogsPacer({baseBackoffMs: 1, maxBackoffMs: 4, ratePerSecond: 1000});
  return {
    readLogs: (q, o) => readAllPages(clients, q, {...o, pacer}),
    readSpan: (s, o) => readStreamSpan(clients, s, {...o, pacer}),
    readStreams: (q, o) => readAllPages(clients, {logGroup: q.logGroup, logStreamNames: q.streams, startTime: q.startTime, endTime: q.endTime}, {...o, pacer}),
    peek: async (url) => ({messages: peeked.get(url) ?? [], release: async () => void released.push(url)}),
  };
}

test('idPatterns: OR terms of quoted ids, each pattern within the 1,024-character limit, every id once', () => {
  const ids = Array.from({length: 100}, (_, i) => id(i));
  const patterns = idPatterns(ids);
  assert.ok(patterns.length > 1);
  for (const p of patterns) assert.ok(p.length <= FILTER_PATTERN_MAX, `${p.length}`);
  assert.deepEqual(patterns.join(' ').split(' ').map((t) => t.slice(2, -1)), ids);
  assert.deepEqual(idPatterns([id(1), id(2)]), [`?"${id(1)}" ?"${id(2)}"`]);
});

test('many ids in few calls, through empty pages; successes are confirmed by their whole stream spans, read together', async () => {
  const lines = [...ok(id(1), T0 + 1000, 's1'), ...ok(id(2), T0 + 2000, 's2')];
  const {clients, calls} = fakeClients(lines, {emptyFirst: 3});
  const evidence = await collectEvidence(targets(), [send(1), send(2)], ports(clients), {now: () => T0});
  assert.equal(evidence.logsUnreadable, null);
  assert.equal(evidence.attempts.get(id(1))?.[0]?.outcome, 'ok');
  assert.equal(evidence.attempts.get(id(2))?.[0]?.outcome, 'ok');
  const byPattern = calls.filter((c) => c.filterPattern);
  assert.equal(byPattern.length, 4, 'one pattern for both ids: three empty pages, then the answer');
  assert.ok(byPattern.every((c) => c.filterPattern === `?"${id(1)}" ?"${id(2)}"`));
  const spanReads = calls.filter((c) => c.logStreamNames);
  assert.equal(spanReads.length, 4, 'both successes\' streams read in one query (three empty pages, then the lines)');
  assert.deepEqual(spanReads[0]!.logStreamNames, ['s1', 's2']);
});

test('an unnamed traceback inside the attempt (no request id on it) makes it an error, not a success', async () => {
  const lines = [...ok(id(1), T0 + 1000, 's1'), {timestamp: T0 + 1050, logStreamName: 's1', message: '[ERROR] KeyError: \'Records\'\nTraceback (most recent call last):\n'}];
  const {clients} = fakeClients(lines);
  const evidence = await collectEvidence(targets(), [send(1)], ports(clients), {now: () => T0});
  assert.equal(evidence.attempts.get(id(1))?.[0]?.outcome, 'error');
});

test('throttled FilterLogEvents: backed off and retried, the lines still found', async () => {
  const {clients, calls} = fakeClients(ok(id(1), T0 + 1000, 's1'), {throttles: 3});
  const evidence = await collectEvidence(targets(), [send(1)], ports(clients), {now: Date.now});
  assert.equal(evidence.logsUnreadable, null);
  assert.equal(evidence.attempts.get(id(1))?.[0]?.outcome, 'ok');
  assert.ok(calls.length >= 4);
});

test('AccessDenied on the log group: the outcome stays pending and says why; the follow ends at its bound', async () => {
  const {clients} = fakeClients([], {denied: true});
  let now = T0;
  const decided = await followOutcomes(targets(), [send(1)], ports(clients), {now: () => now, maxWaitMs: 10_000, pollMs: 5000, sleep: async (ms) => void (now += ms)});
  assert.equal(decided[0]!.outcome.state, 'pending');
  assert.match((decided[0]!.outcome as {reason: string}).reason, /^logs not readable: .*logs:FilterLogEvents/);
});

test('failure and success queues are peeked (released, never deleted): records under the new id, or with the sent payload', async () => {
  const record = (requestId: string, payload: object, condition: string) => ({
    messageId: `rec-${requestId}`, receiptHandle: `h-${requestId}`, md5OfBody: null, attributes: {}, messageAttributes: {}, receiveCount: 1, sentAt: T0,
    body: JSON.stringify({version: '1.0', timestamp: new Date(T0).toISOString(), requestContext: {requestId, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', condition, approximateInvokeCount: 3}, requestPayload: payload, responseContext: {statusCode: 200, functionError: 'Unhandled'}, responsePayload: {errorType: 'InventoryApiError', errorMessage: '503'}}),
  });
  const peeked = new Map<string, RawMessage[]>([
    ['http://q/failures', [record(id(1), {n: 1}, 'RetriesExhausted'), record('unrelated-id', {n: 99}, 'RetriesExhausted'), record('another-id', {n: 3}, 'RetriesExhausted')]],
    ['http://q/success', [record(id(2), {n: 2}, 'Success')]],
  ]);
  const released: string[] = [];
  const {clients} = fakeClients([]);
  const t = targets({failureQueues: [{url: 'http://q/failures', role: 'on-failure'}], onSuccessQueue: 'http://q/success'});
  let now = T0;
  const decided = await followOutcomes(t, [send(1), send(2), send(3)], ports(clients, peeked, released), {now: () => now, maxWaitMs: 0, sleep: async (ms) => void (now += ms)});
  const [one, two, three] = decided.map((d) => d.outcome);
  assert.ok(one!.state === 'failed-again' && one!.matchedBy === 'request-id' && one!.errorType === 'InventoryApiError' && one!.newFailure?.messageId === `rec-${id(1)}`);
  assert.ok(two!.state === 'succeeded' && two!.via === 'on-success');
  assert.ok(three!.state === 'failed-again' && three!.matchedBy === 'payload', 'matched by the payload sent when the id differs');
  assert.ok(released.includes('http://q/failures') && released.includes('http://q/success'), 'every peek released');
});

test('a success whose stream span could not be read within the pass budget is not a success yet', async () => {
  const {clients} = fakeClients(ok(id(1), T0 + 1000, 's1'));
  const p = ports(clients);
  const none = async () => ({events: [], pages: 0, emptyPages: 0, cutBy: 'budget' as const});
  const cut: FollowPorts = {...p, readSpan: none, readStreams: none};
  const evidence = await collectEvidence(targets(), [send(1)], cut, {now: () => T0});
  assert.equal(evidence.attempts.has(id(1)), false, 'left for the next pass');
});

test('the queues are peeked on the first pass, every 6th, and the last, not on every pass (a peek raises receive counts)', async () => {
  const {clients} = fakeClients([]);
  const p = ports(clients);
  let peeks = 0;
  const counting: FollowPorts = {...p, peek: async (url, max) => (peeks++, p.peek(url, max))};
  let now = T0;
  await followOutcomes(targets({failureQueues: [{url: 'http://q/dlq', role: 'dlq'}]}), [send(1)], counting, {now: () => now, pollMs: 1000, maxWaitMs: 20_000, sleep: async (ms) => void (now += ms)});
  // 21 passes (0 s .. 20 s): passes 0, 6, 12, 18 by the cadence, 19 and 20 as the last ones.
  assert.equal(peeks, 6);
});
