import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readLogLine} from '../../../source/domain/log-events.ts';
import {isFailureLine, defaultSlowMs, textFilter} from '../../../source/domain/log-filter.ts';

const id = '8f5a2c3e-1b2d-4e5f-9a0b-1c2d3e4f5a6b';

test('Node unhandled "Invoke Error" line: type, message and stack (the repeated first frame dropped)', () => {
  const body = JSON.stringify({errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'id')", stack: ["TypeError: Cannot read properties of undefined (reading 'id')", '    at Runtime.handler (file:///var/task/index.mjs:42:11)']});
  const read = readLogLine(`2026-01-01T10:00:00.000Z\t${id}\tERROR\tInvoke Error \t${body}\n`);
  assert.deepEqual(read, {kind: 'error', requestId: id, error: {type: 'TypeError', message: "Cannot read properties of undefined (reading 'id')", stack: ['at Runtime.handler (file:///var/task/index.mjs:42:11)']}});
});

test('Node console.error and console.log lines', () => {
  assert.deepEqual(readLogLine(`2026-01-01T10:00:00.000Z\t${id}\tERROR\tPaymentsApiError: 503 from payments\n    at charge (/var/task/pay.js:3:1)`), {
    kind: 'error',
    requestId: id,
    error: {type: 'PaymentsApiError', message: '503 from payments', stack: ['at charge (/var/task/pay.js:3:1)']},
  });
  assert.deepEqual(readLogLine(`2026-01-01T10:00:00.000Z\t${id}\tINFO\tcharging order 42`), {kind: 'text', requestId: id, level: 'INFO', text: 'charging order 42'});
});

test('Python: unhandled exception with its traceback (no request id), and the logger format', () => {
  const read = readLogLine(`[ERROR] KeyError: 'Records'\nTraceback (most recent call last):\n  File "/var/task/app.py", line 41, in handler\n  File "/var/task/app.py", line 18, in process\n`);
  assert.deepEqual(read, {kind: 'error', requestId: null, error: {type: 'KeyError', message: "'Records'", stack: ['File "/var/task/app.py", line 41, in handler', 'File "/var/task/app.py", line 18, in process']}});
  assert.deepEqual(readLogLine(`[WARNING]\t2026-01-01T10:00:00.000Z\t${id}\tslow downstream`), {kind: 'text', requestId: id, level: 'WARNING', text: 'slow downstream'});
  assert.equal(readLogLine(`[ERROR]\t2026-01-01T10:00:00.000Z\t${id}\tValueError: bad vat id`).kind, 'error');
});

test('runtime exits, and a failed init phase', () => {
  assert.deepEqual(readLogLine(`RequestId: ${id} Error: Runtime exited with error: signal: killed\nRuntime.ExitError`), {kind: 'runtime-exit', requestId: id, reason: 'signal: killed', errorType: 'Runtime.ExitError'});
  assert.deepEqual(readLogLine('Runtime exited without providing a reason'), {kind: 'runtime-exit', requestId: null, reason: 'without providing a reason', errorType: null});
  assert.equal(readLogLine('INIT_REPORT Init Duration: 10000.00 ms Phase: init Status: timeout').kind, 'runtime-exit');
  assert.equal(readLogLine('INIT_REPORT Init Duration: 100.00 ms Phase: init Status: success').kind, 'text');
});

test('structured lines: Powertools (TypeScript and Python), Lambda JSON log format', () => {
  const ts = readLogLine(JSON.stringify({level: 'ERROR', message: 'request failed', service: 'orders', function_request_id: id, error: {name: 'PaymentsApiError', location: 'pay.js:3', message: '503', stack: 'PaymentsApiError: 503\n    at charge (pay.js:3:1)'}}));
  assert.deepEqual(ts, {kind: 'structured', requestId: id, level: 'ERROR', message: 'request failed', error: {type: 'PaymentsApiError', message: '503', stack: ['at charge (pay.js:3:1)']}});
  const py = readLogLine(JSON.stringify({level: 'ERROR', location: 'handler:12', message: 'boom', function_request_id: id, exception: 'Traceback (most recent call last):\n  File "app.py", line 12, in handler\nKeyError: \'Records\'', exception_name: 'KeyError'}));
  assert.equal(py.kind, 'structured');
  assert.deepEqual(py.kind === 'structured' && py.error, {type: 'KeyError', message: "'Records'", stack: ['Traceback (most recent call last):', 'File "app.py", line 12, in handler']});
  const lambdaJson = readLogLine(JSON.stringify({timestamp: '2026-01-01T00:00:00Z', level: 'ERROR', requestId: id, message: 'Invoke Error', errorType: 'Error', errorMessage: 'x', stackTrace: ['Error: x', '    at h (index.js:1:1)']}));
  assert.deepEqual(lambdaJson, {kind: 'structured', requestId: id, level: 'ERROR', message: 'Error: x', error: {type: 'Error', message: 'x', stack: ['at h (index.js:1:1)']}});
  assert.deepEqual(readLogLine(JSON.stringify({level: 'info', message: {order: 42}})), {kind: 'structured', requestId: null, level: 'INFO', message: '{"order":42}', error: null});
  // JSON that is not a log record, and platform JSON events, keep their kinds
  assert.equal(readLogLine('{"order": 42}').kind, 'text');
  assert.equal(readLogLine(JSON.stringify({type: 'platform.start', record: {requestId: id}})).kind, 'start');
});

test('a bare UUID in free text is not taken for a request id', () => {
  assert.deepEqual(readLogLine(`processing order ${id}`), {kind: 'text', requestId: null, level: null, text: `processing order ${id}`});
});

test('the failure filter: errors, timeouts, exits, ERROR levels, failed and slow REPORTs', () => {
  const slow = {slowMs: 8000};
  const yes = [
    `2026-01-01T10:00:00.000Z\t${id}\tERROR\tboom`,
    `2026-01-01T10:00:00.000Z ${id} Task timed out after 10.00 seconds`,
    `RequestId: ${id} Error: Runtime exited with error: exit status 1`,
    JSON.stringify({level: 'FATAL', message: 'x'}),
    JSON.stringify({level: 'INFO', message: 'x', error: {name: 'E', message: 'm'}}),
    `REPORT RequestId: ${id}\tDuration: 9000.00 ms\tBilled Duration: 9000 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB`,
    `REPORT RequestId: ${id} Duration: 10.00 ms Billed Duration: 10 ms Memory Size: 128 MB Max Memory Used: 74 MB Status: error`,
  ];
  const no = [
    `START RequestId: ${id} Version: $LATEST`,
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: 7999.00 ms\tBilled Duration: 8000 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB`,
    JSON.stringify({level: 'INFO', message: 'x'}),
    `2026-01-01T10:00:00.000Z\t${id}\tINFO\tall good`,
    'hello',
  ];
  for (const line of yes) assert.equal(isFailureLine(readLogLine(line), slow), true, line);
  for (const line of no) assert.equal(isFailureLine(readLogLine(line), slow), false, line);
  assert.equal(isFailureLine(readLogLine(yes[5]!), {slowMs: null}), false, 'no threshold: a successful REPORT is never a failure');
  assert.equal(defaultSlowMs(10), 8000);
  assert.equal(defaultSlowMs(null), null);
});

test('the text filter matches what is shown (sanitised), case-insensitively', () => {
  const f = textFilter('payments');
  assert.equal(f('PaymentsApiError: 503'), true);
  assert.equal(f('Pay\u001b[31mments'), false, 'an escape sequence splits the word on screen too');
  assert.equal(f('orders'), false);
  assert.equal(textFilter('')('anything'), true);
  assert.equal(textFilter(undefined)('anything'), true);
});
