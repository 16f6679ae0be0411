// Invocation records sent to a function that does not weigh its events are written when read (world.ts
// deliverRecord), and request ids when read (newRequestId): the text must be the one written at once before. The
// built-in scenarios' golden digests do not read such a record (the demo's fallback has no DLQ), so this variant
// of avatar-timeouts gives its fallback a DLQ and a destination function of successes that fails into a DLQ: every
// record and every request id ends up in a message body or attribute, all of them hashed. The digests were computed
// with main at 9ebbd1e, where records were written at once.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createWorld, loadScenario, type Scenario} from '../../../source/sim/lambda/index.ts';
import {createManualClock} from '../../../source/sim/clock.ts';
import {worldFingerprint} from '../../helpers/sim-fingerprint.ts';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const MIN = 60_000;

function recordsScenario(): Scenario {
  const s = structuredClone(loadScenario('avatar-timeouts'));
  s.queues.push({name: 'fallback-dlq'}, {name: 'audit-dlq'});
  const processor = s.functions.find((f) => f.name === 'avatar-processor')!;
  processor.eventInvokeConfig = {...processor.eventInvokeConfig, onSuccess: {function: 'audit'}};
  const fallback = s.functions.find((f) => f.name === 'avatar-resizer-fallback')!;
  fallback.deadLetterQueue = {queue: 'fallback-dlq'};
  fallback.eventInvokeConfig = {maximumRetryAttempts: 0};
  fallback.behavior.errors = [{kind: 'unhandled', rate: 0.5, errorType: 'KeyError', errorMessage: "'Records'"}];
  s.functions.push({
    name: 'audit',
    runtime: 'nodejs20.x',
    timeoutSeconds: 5,
    memoryMb: 128,
    deadLetterQueue: {queue: 'audit-dlq'},
    eventInvokeConfig: {maximumRetryAttempts: 0},
    behavior: {durationMs: {median: 20, p99: 60}, errors: [{kind: 'handled', rate: 0.3, errorType: 'AuditError', errorMessage: 'audit store "busy"'}]},
  });
  return s;
}

const GOLDEN: Record<string, string> = {
  plain: '10cfa37f1b45a070333eedddc4e38ee6d6b5cc35988e2f185964302f435b096b',
  salted: 'f3bedc9cc1b8b12121e23ebf5231761b9cfd18264d1cef806a027a112bce8975',
};

for (const [label, salt] of [['plain', undefined], ['salted', '5eed1234']] as const) {
  test(`records to functions and request ids read back: the history main wrote (${label})`, () => {
    const clock = createManualClock(T0);
    const w = createWorld({scenario: recordsScenario(), seed: 1, clock, baseUrl: () => 'http://127.0.0.1:4566', prerollMinutes: 60, ...(salt ? {requestIdSalt: salt} : {})});
    for (let t = 0; t < 20 * MIN; t += 30_000) {
      clock.advance(30_000);
      w.advance();
    }
    const {digest, counts} = worldFingerprint(w);
    assert.ok(counts.messages > 100, JSON.stringify(counts));
    assert.equal(digest, GOLDEN[label], `${label} ${JSON.stringify(counts)}`);
  });
}
