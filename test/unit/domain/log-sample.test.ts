// The dashboard's log sample: its statistics from START/REPORT/error lines (a Python traceback without a request
// id counted with its invocation), its findings saying the sample they come from, none without lines, and the
// merge with the diagnosis' findings. Also the simulator's `?term` filter patterns the sample's query uses.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LOG_SAMPLE_PATTERN, logSampleFindings, mergeFindings, summarizeLogSample} from '../../../source/domain/log-sample.ts';
import {compileFilterPattern} from '../../../source/sim/lambda/logs.ts';
import type {Finding} from '../../../source/domain/types.ts';

const T = Date.UTC(2026, 0, 15, 12, 0, 0);
let n = 0;
function invocation(outcome: 'ok' | 'timeout' | 'python-error', options: {cold?: boolean; usedMb?: number} = {}) {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const stream = `stream-${n % 3}`;
  const at = T + n * 1000;
  const lines = [{timestamp: at, stream, message: `START RequestId: ${id} Version: $LATEST\n`}];
  if (outcome === 'timeout') lines.push({timestamp: at + 500, stream, message: `2026-01-15T12:00:00.500Z ${id} Task timed out after 10.00 seconds\n`});
  if (outcome === 'python-error') lines.push({timestamp: at + 300, stream, message: "[ERROR] KeyError: 'Records'\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 3\n"});
  const init = options.cold ? '\tInit Duration: 180.00 ms' : '';
  lines.push({timestamp: at + 600, stream, message: `REPORT RequestId: ${id}\tDuration: 600.00 ms\tBilled Duration: 600 ms\tMemory Size: 256 MB\tMax Memory Used: ${options.usedMb ?? 90} MB${init}\t\n`});
  return lines;
}

test('statistics of a sample: timeouts among failures, cold starts, memory headroom; the findings say the sample', () => {
  const events = [
    ...invocation('timeout', {cold: true}),
    ...invocation('timeout'),
    ...invocation('timeout'),
    ...invocation('python-error'),
    ...Array.from({length: 8}, () => invocation('ok', {usedMb: 252})).flat(),
  ];
  const sample = summarizeLogSample(events, {windowMs: 5 * 60_000, cut: false});
  assert.equal(sample.lines, events.length);
  assert.equal(sample.stats.invocations, 12);
  assert.equal(sample.stats.failures, 4, 'the traceback (no request id) counts with its invocation');
  assert.equal(sample.stats.timeouts, 3);
  assert.equal(sample.stats.coldStarts, 1);
  const findings = logSampleFindings(sample);
  const timeouts = findings.find((f) => f.id === 'logs-errors-mostly-timeouts');
  assert.ok(timeouts, 'errors are mostly timeouts');
  assert.match(timeouts.title, /75% of 4 failed invocations/);
  assert.match(timeouts.detail, /raise Timeout or fix the downstream/);
  assert.match(timeouts.detail, new RegExp(`from a sample of ${events.length} log lines \\(12 invocations, the last 5 min\\)`));
  assert.ok(findings.some((f) => f.id === 'logs-memory-headroom' && f.severity === 'critical'), '252 of 256 MB');
});

test('no lines, or no finished invocation: no sample, no log findings (unknown is not 0)', () => {
  assert.deepEqual(logSampleFindings(null), []);
  assert.deepEqual(logSampleFindings(summarizeLogSample([], {windowMs: 300_000, cut: false})), []);
  const started = [{timestamp: T, stream: 's', message: 'START RequestId: 00000000-0000-4000-8000-000000000001 Version: $LATEST'}];
  assert.deepEqual(logSampleFindings(summarizeLogSample(started, {windowMs: 300_000, cut: false})), []);
});

test('log findings join the diagnosis by severity; counted timeouts replace the duration-based guess', () => {
  const f = (id: string, severity: Finding['severity']): Finding => ({id, severity, title: id, detail: ''});
  const diagnosed = [f('events-dropped', 'critical'), f('timeouts-dominate', 'warning'), f('no-failure-target', 'info')];
  assert.deepEqual(mergeFindings(diagnosed, []).map((x) => x.id), ['events-dropped', 'timeouts-dominate', 'no-failure-target']);
  const merged = mergeFindings(diagnosed, [f('logs-errors-mostly-timeouts', 'warning'), f('logs-cold-starts', 'info'), f('logs-memory-headroom', 'critical')]);
  assert.deepEqual(merged.map((x) => x.id), ['events-dropped', 'logs-memory-headroom', 'logs-errors-mostly-timeouts', 'no-failure-target', 'logs-cold-starts']);
  assert.deepEqual(mergeFindings(diagnosed, [f('logs-cold-starts', 'info')]).map((x) => x.id), ['events-dropped', 'timeouts-dominate', 'no-failure-target', 'logs-cold-starts']);
});

test("the simulator's filter patterns: ?terms match when any does", () => {
  const match = compileFilterPattern(LOG_SAMPLE_PATTERN);
  assert.ok(match('START RequestId: x Version: $LATEST'));
  assert.ok(match('2026-01-15T12:00:00.500Z x Task timed out after 10.00 seconds'));
  assert.ok(match("[ERROR] KeyError: 'Records'"));
  assert.ok(!match('2026-01-15T12:00:00.100Z\tx\tINFO\tcharging card'));
  assert.ok(!match('END RequestId: x'));
  assert.ok(compileFilterPattern('?a ?b -c')('xb'));
  assert.ok(!compileFilterPattern('?a ?b -c')('xbc'));
  assert.ok(compileFilterPattern('"two words" plain')('two words and plain'), 'the rest unchanged');
});
