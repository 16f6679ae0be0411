import assert from 'node:assert/strict';
import {test} from 'node:test';
import {classifyInvokeError} from '../../../source/aws/invoke.ts';
import {isUnsupportedOperation} from '../../../source/aws/move-tasks.ts';

const err = (name: string, status?: number) => Object.assign(new Error(`${name} message`), {name, $metadata: status === undefined ? {} : {httpStatusCode: status}});

test('invoke errors map to outcomes with retryability', () => {
  const cases: Array<[Error, string, boolean]> = [
    [err('TooManyRequestsException', 429), 'throttled', true],
    [err('RequestTooLargeException', 413), 'too-large', false],
    [err('ResourceNotFoundException', 404), 'not-found', false],
    [err('AccessDeniedException', 403), 'denied', false],
    [err('ServiceException', 500), 'failed', true],
    [err('ResourceConflictException', 409), 'failed', true],
    [err('InvalidRequestContentException', 400), 'failed', false],
    [err('TimeoutError'), 'failed', true],
  ];
  for (const [error, outcome, retryable] of cases) {
    const r = classifyInvokeError(error);
    assert.deepEqual([r.outcome, r.retryable], [outcome, retryable], error.name);
  }
});

test('unsupported move-task answers from emulators are recognised, real refusals are not', () => {
  assert.equal(isUnsupportedOperation(err('InvalidAction', 400)), true);
  assert.equal(isUnsupportedOperation(Object.assign(new SyntaxError("Unexpected token '<'\n  Deserialization error: to see the raw response"), {$metadata: {httpStatusCode: 500}})), true);
  assert.equal(isUnsupportedOperation(err('UnsupportedOperation', 400)), true);
  assert.equal(isUnsupportedOperation(err('AccessDenied', 403)), false);
  assert.equal(isUnsupportedOperation(err('ResourceNotFoundException', 400)), false);
});
