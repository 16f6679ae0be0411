import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseLogLine, parseReportLine} from '../../../source/aws/log-lines.ts';

const id = '8f5a2c3e-1b2d-4e5f-9a0b-1c2d3e4f5a6b';

test('START / END lines', () => {
  assert.deepEqual(parseLogLine(`START RequestId: ${id} Version: $LATEST\n`), {kind: 'start', requestId: id, version: '$LATEST'});
  assert.deepEqual(parseLogLine(`END RequestId: ${id}`), {kind: 'end', requestId: id});
});

test('REPORT line with and without a cold start', () => {
  assert.deepEqual(parseReportLine(`REPORT RequestId: ${id}\tDuration: 128.83 ms\tBilled Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\t\n`), {
    kind: 'report',
    requestId: id,
    durationMs: 128.83,
    billedDurationMs: 200,
    memorySizeMb: 128,
    maxMemoryUsedMb: 74,
    initDurationMs: 166.62,
    status: null,
  });
  const warm = parseReportLine(`REPORT RequestId: ${id} Duration: 3000.00 ms Billed Duration: 3000 ms Memory Size: 256 MB Max Memory Used: 90 MB Status: timeout`);
  assert.equal(warm?.durationMs, 3000);
  assert.equal(warm?.billedDurationMs, 3000);
  assert.equal(warm?.initDurationMs, null);
  assert.equal(warm?.memorySizeMb, 256);
  assert.equal(warm?.status, 'timeout');
});

test('Duration is not read from "Billed Duration" when the order differs', () => {
  const odd = parseReportLine(`REPORT RequestId: ${id}\tBilled Duration: 200 ms\tInit Duration: 5 ms\tDuration: 12.5 ms`);
  assert.equal(odd?.durationMs, 12.5);
  assert.equal(odd?.billedDurationMs, 200);
  assert.equal(odd?.initDurationMs, 5);
});

test('timeout lines, with and without a timestamp / request id', () => {
  assert.deepEqual(parseLogLine(`2026-01-01T10:00:00.000Z ${id} Task timed out after 10.00 seconds`), {kind: 'timeout', requestId: id, afterSeconds: 10});
  assert.deepEqual(parseLogLine(`${id} Task timed out after 3.01 seconds`), {kind: 'timeout', requestId: id, afterSeconds: 3.01});
  assert.deepEqual(parseLogLine('Task timed out after 900.00 seconds'), {kind: 'timeout', requestId: null, afterSeconds: 900});
});

test('JSON log format platform events', () => {
  const report = JSON.stringify({time: '2026-01-01T00:00:00Z', type: 'platform.report', record: {requestId: id, metrics: {durationMs: 10.5, billedDurationMs: 11, memorySizeMB: 128, maxMemoryUsedMB: 60, initDurationMs: 150}, status: 'timeout'}});
  assert.deepEqual(parseLogLine(report), {kind: 'report', requestId: id, durationMs: 10.5, billedDurationMs: 11, memorySizeMb: 128, maxMemoryUsedMb: 60, initDurationMs: 150, status: 'timeout'});
  assert.deepEqual(parseLogLine(JSON.stringify({type: 'platform.start', record: {requestId: id, version: '$LATEST'}})), {kind: 'start', requestId: id, version: '$LATEST'});
  assert.equal(parseLogLine(JSON.stringify({type: 'platform.report', record: {requestId: id, metrics: {durationMs: 1}, status: 'success'}}))?.kind, 'report');
});

test('anything else is not a platform line', () => {
  for (const line of ['', 'hello', '{not json', '{"type":"app","record":{}}', 'INFO REPORT RequestId: x', `ERROR\t${id}\tInvoke Error`, JSON.stringify({level: 'INFO', message: 'x'})]) {
    assert.equal(parseLogLine(line), null, line);
  }
  assert.equal(parseReportLine(`START RequestId: ${id}`), null);
});
