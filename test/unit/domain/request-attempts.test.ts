import {test} from 'node:test';
import assert from 'node:assert/strict';
import {attemptSpans, groupAttempts, AttemptTracker} from '../../../source/domain/request-attempts.ts';
import {computeLogStats, logFindings} from '../../../source/domain/log-stats.ts';
import {formatAttempts, formatStats, formatTailEvent} from '../../../source/domain/log-format.ts';
import {readLogLine} from '../../../source/domain/log-events.ts';
import {displayWidth} from '../../../source/domain/width.ts';
import {Scrollback} from '../../../source/domain/scrollback.ts';

const id = '8f5a2c3e-1b2d-4e5f-9a0b-1c2d3e4f5a6b';
const other = '11111111-2222-4333-8444-555555555555';
const T = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;

const report = (rid: string, duration: number, used: number, init?: number) =>
  `REPORT RequestId: ${rid}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: 512 MB\tMax Memory Used: ${used} MB${init ? `\tInit Duration: ${init.toFixed(2)} ms` : ''}\t\n`;

/** Three attempts of one async event (retried after 1 and 2 minutes): a cold-start timeout, a Python-style error
 * whose traceback does not name the request, and a success; another request's lines in between. */
function threeAttempts() {
  return [
    {timestamp: T, stream: 's1', message: `START RequestId: ${id} Version: $LATEST\n`},
    {timestamp: T + 10_000, stream: 's1', message: `2026-01-15T12:00:10.000Z ${id} Task timed out after 10.00 seconds\n`},
    {timestamp: T + 10_000, stream: 's1', message: `END RequestId: ${id}\n`},
    {timestamp: T + 10_000, stream: 's1', message: report(id, 10000, 200, 180.5)},
    {timestamp: T + 30_000, stream: 's1', message: `START RequestId: ${other} Version: $LATEST\n`},
    {timestamp: T + 30_100, stream: 's1', message: `[ERROR] KeyError: 'not mine'\nTraceback (most recent call last):\n  File "x.py", line 1\n`},
    {timestamp: T + 30_200, stream: 's1', message: report(other, 200, 100)},
    {timestamp: T + MIN + 10_000, stream: 's2', message: `START RequestId: ${id} Version: $LATEST\n`},
    {timestamp: T + MIN + 10_050, stream: 's2', message: `[ERROR] KeyError: 'Records'\nTraceback (most recent call last):\n  File "/var/task/app.py", line 41, in handler\n`},
    {timestamp: T + MIN + 10_100, stream: 's2', message: `END RequestId: ${id}\n`},
    {timestamp: T + MIN + 10_100, stream: 's2', message: report(id, 100, 490)},
    {timestamp: T + 3 * MIN + 10_000, stream: 's2', message: `START RequestId: ${id} Version: $LATEST\n`},
    {timestamp: T + 3 * MIN + 10_300, stream: 's2', message: report(id, 300, 300)},
  ];
}

test('groups one request\'s lines into attempts, lines without the id attached by their stream', () => {
  const attempts = groupAttempts(id, [...threeAttempts()].reverse());
  assert.equal(attempts.length, 3);
  const [first, second, third] = attempts as [typeof attempts[0], typeof attempts[0], typeof attempts[0]];
  assert.equal(first.outcome, 'timeout');
  assert.equal(first.timedOutAfterSeconds, 10);
  assert.equal(first.coldStart, true);
  assert.equal(first.initDurationMs, 180.5);
  assert.equal(first.durationMs, 10000);
  assert.equal(first.billedDurationMs, 10000);
  assert.equal(first.memorySizeMb, 512);
  assert.equal(first.maxMemoryUsedMb, 200);
  assert.equal(first.startedAt, T);
  assert.equal(first.endedAt, T + 10_000);
  assert.equal(first.lines.length, 4, 'the other request\'s lines on the same stream are not this attempt\'s');
  assert.equal(second.outcome, 'error');
  assert.deepEqual(second.errors, [{type: 'KeyError', message: "'Records'", stack: ['File "/var/task/app.py", line 41, in handler']}]);
  assert.equal(second.coldStart, false);
  assert.equal(third.outcome, 'ok');
  assert.deepEqual(attemptSpans(attempts).map((s) => s.stream), ['s1', 's2', 's2']);
});

test('an attempt cut by the window: no START (started before), no REPORT (outcome unknown, cold start unknown)', () => {
  const attempts = groupAttempts(id, [
    {timestamp: T, stream: 's1', message: `2026-01-15T12:00:00.000Z\t${id}\tERROR\tboom`},
    {timestamp: T + 5, stream: 's1', message: report(id, 5, 50)},
    {timestamp: T + MIN, stream: 's2', message: `START RequestId: ${id} Version: $LATEST`},
  ]);
  assert.equal(attempts.length, 2);
  assert.equal(attempts[0]!.startedAt, null);
  assert.equal(attempts[0]!.outcome, 'error');
  assert.equal(attempts[1]!.outcome, 'unknown');
  assert.equal(attempts[1]!.coldStart, null, 'unknown is not "warm"');
  assert.deepEqual(attemptSpans(attempts), [], 'only attempts with both ends are read in full');
});

test('statistics: cold-start share, memory headroom, timeouts among failures; unknown stays null', () => {
  const stats = computeLogStats(groupAttempts(id, threeAttempts()));
  assert.equal(stats.invocations, 3);
  assert.equal(stats.coldStarts, 1);
  assert.equal(stats.coldStartShare, 1 / 3);
  assert.equal(stats.memorySizeMb, 512);
  assert.equal(stats.maxMemoryUsedMb, 490);
  assert.ok(Math.abs(stats.memoryHeadroom! - (1 - 490 / 512)) < 1e-9);
  assert.equal(stats.failures, 2);
  assert.equal(stats.timeouts, 1);
  assert.equal(stats.timeoutShareOfFailures, 0.5);
  const empty = computeLogStats([]);
  assert.equal(empty.coldStartShare, null);
  assert.equal(empty.memoryHeadroom, null);
  assert.equal(empty.timeoutShareOfFailures, null);
  assert.equal(formatStats(empty), 'no finished invocation (REPORT line) read yet');
  const ids = logFindings(stats, {minFailures: 2, minInvocations: 3}).map((f) => f.id);
  assert.deepEqual(ids, ['logs-errors-mostly-timeouts', 'logs-memory-headroom', 'logs-cold-starts']);
  assert.deepEqual(logFindings(stats).map((f) => f.id), ['logs-memory-headroom'], 'too few lines for shares with the defaults');
});

test('the tracker over many requests (the tail) finishes each attempt at its REPORT', () => {
  const tracker = new AttemptTracker({keepLines: false});
  const done = threeAttempts().map((e) => tracker.push(e)).filter((a) => a !== null);
  assert.deepEqual(done.map((a) => `${a.requestId === id ? 'id' : 'other'}:${a.outcome}`), ['id:timeout', 'other:error', 'id:error', 'id:ok']);
  assert.ok(done.every((a) => a.lines.length === 0));
});

test('human blocks: one per attempt, sanitised, never wider than the terminal', () => {
  const hostile = [
    {timestamp: T, stream: 's1', message: `START RequestId: ${id} Version: $LATEST`},
    {timestamp: T + 1, stream: 's1', message: `2026-01-15T12:00:00.000Z\t${id}\tERROR\tEvil: \u001b]0;pwned\u0007 \u202e ${'界'.repeat(200)}`},
    {timestamp: T + 2, stream: 's1', message: report(id, 2, 60)},
  ];
  const lines = formatAttempts(groupAttempts(id, hostile), {width: 60});
  assert.match(lines[0]!, /^attempt 1 of 1: FAILED/);
  for (const line of lines) {
    assert.ok(displayWidth(line) <= 60, line);
    assert.doesNotMatch(line, /[\u001b\u0007\u202e]/);
  }
  const tail = formatTailEvent(hostile[1]!, readLogLine(hostile[1]!.message), {width: 50});
  assert.ok(tail.every((l) => displayWidth(l) <= 50 && !/[\u001b\u0007]/.test(l)));
  assert.match(tail[0]!, /ERROR Evil:/);
});

test('bounded scrollback keeps the newest lines and counts the dropped', () => {
  const s = new Scrollback<number>(3);
  for (let i = 1; i <= 5; i++) s.push(i);
  assert.deepEqual(s.toArray(), [3, 4, 5]);
  assert.deepEqual(s.last(2), [4, 5]);
  assert.equal(s.dropped, 2);
  assert.throws(() => new Scrollback(0), RangeError);
});
