// The lean path retries what the SDK's standard retry strategy retries (aws/lean-http.ts retryKind, against
// @smithy/core/retry's own isThrottlingError / isTransientError over a set of failures: service errors by code and
// status, transport errors by code, timeouts, aborts, causes), waits as it waits, and keeps its retry budget; and a
// LeanHttp retries a 503 and a throttle once with maxAttempts 2, never a 501 or a 400 (a request counter on a local
// server).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {isThrottlingError, isTransientError} from '@smithy/core/retry';
import {LeanHttp, LeanServiceError, RetryBudget, retryDelayMs, retryKind, jsonProtocolError} from '../../../source/aws/lean-http.ts';

const service = (name: string, status: number, message = 'm') => new LeanServiceError(name, message, status);
const transport = (code: string) => Object.assign(new Error(`connect ${code}`), {code});

const FAILURES: Array<[string, unknown]> = [
  ['429', service('Whatever', 429)],
  ['ThrottlingException 400', service('ThrottlingException', 400)],
  ['Throttling 400', service('Throttling', 400)],
  ['TooManyRequestsException 429', service('TooManyRequestsException', 429)],
  ['LimitExceededException 400', service('LimitExceededException', 400)],
  ['RequestThrottled 400', service('RequestThrottled', 400)],
  ['ProvisionedThroughputExceededException', service('ProvisionedThroughputExceededException', 400)],
  ['500', service('InternalFailure', 500)],
  ['502', service('BadGateway', 502)],
  ['503', service('ServiceUnavailable', 503)],
  ['504', service('GatewayTimeout', 504)],
  ['501', service('NotImplemented', 501)],
  ['505', service('Http505', 505)],
  ['400 validation', service('ValidationException', 400)],
  ['403 denied', service('AccessDeniedException', 403)],
  ['404 not found', service('ResourceNotFoundException', 404)],
  ['RequestTimeout 408', service('RequestTimeout', 408)],
  ['RequestTimeoutException', service('RequestTimeoutException', 400)],
  ['expired signature', service('InvalidSignatureException', 403, 'Signature expired: 20261201T000000Z is now earlier than ...')],
  ['other signature', service('InvalidSignatureException', 403, 'The request signature we calculated does not match')],
  ['TimeoutError', Object.assign(new Error('no answer'), {name: 'TimeoutError'})],
  ['AbortError', Object.assign(new Error('Request aborted'), {name: 'AbortError'})],
  ['ECONNRESET', transport('ECONNRESET')],
  ['ECONNREFUSED', transport('ECONNREFUSED')],
  ['EPIPE', transport('EPIPE')],
  ['ETIMEDOUT', transport('ETIMEDOUT')],
  ['ENOTFOUND', transport('ENOTFOUND')],
  ['EAI_AGAIN', transport('EAI_AGAIN')],
  ['EHOSTUNREACH', transport('EHOSTUNREACH')],
  ['EPROTO', transport('EPROTO')],
  ['ERR_TLS_CERT_ALTNAME_INVALID', transport('ERR_TLS_CERT_ALTNAME_INVALID')],
  ['a plain Error', new Error('boom')],
  ['a cause that is transient', Object.assign(new Error('wrapped'), {cause: transport('ECONNRESET')})],
  ['$retryable', Object.assign(service('Odd', 400), {$retryable: {}})],
  ['$retryable throttling', Object.assign(service('Odd', 400), {$retryable: {throttling: true}})],
];

test('retryKind is the SDK standard strategy\'s: throttling and transient retried, everything else not', () => {
  for (const [what, error] of FAILURES) {
    const e = error as Parameters<typeof isThrottlingError>[0];
    const sdk = isThrottlingError(e) ? 'throttling' : isTransientError(e) ? 'transient' : 'other';
    assert.equal(retryKind(error), sdk, what);
  }
});

test('the backoff and the budget are the SDK\'s (50 ms base, 1 s after a throttle, 500 tokens, 14 / 5 a retry)', () => {
  assert.equal(retryDelayMs('transient', 0, 0.5), 25);
  assert.equal(retryDelayMs('transient', 3, 0.999), 399);
  assert.equal(retryDelayMs('throttling', 0, 0.5), 500);
  assert.equal(retryDelayMs('throttling', 10, 1), 20_000);
  const budget = new RetryBudget();
  let retries = 0;
  while (budget.take('transient') !== null) retries++;
  assert.equal(retries, 35); // 35 x 14 = 490; 10 left
  assert.equal(budget.take('throttling'), 5);
  assert.equal(budget.take('throttling'), 5);
  assert.equal(budget.take('throttling'), null);
  budget.success(null);
  assert.equal(budget.available, 1);
  budget.success(14);
  assert.equal(budget.available, 15);
});

test('a LeanHttp retries a 503 and a throttle (maxAttempts 2), and never a 501 or a 400', async () => {
  let requests = 0;
  let answer: {status: number; body: string} = {status: 503, body: ''};
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(answer.status, {'content-type': 'application/x-amz-json-1.0'});
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lean = new LeanHttp({config: {region: 'us-east-1', credentials: async () => ({accessKeyId: 'a', secretAccessKey: 'b'}), maxAttempts: 2}}, {service: 'sqs', endpoint});
  const attempts = async (a: {status: number; body: string}) => {
    answer = a;
    requests = 0;
    await lean.send({method: 'POST', path: '/', headers: {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues'}, body: '{}'}, jsonProtocolError).catch(() => undefined);
    return requests;
  };
  try {
    assert.equal(await attempts({status: 503, body: ''}), 2);
    assert.equal(await attempts({status: 400, body: JSON.stringify({__type: 'com.amazonaws.sqs#RequestThrottled', message: 'Rate exceeded'})}), 2);
    assert.equal(await attempts({status: 501, body: ''}), 1);
    assert.equal(await attempts({status: 400, body: JSON.stringify({__type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'gone'})}), 1);
  } finally {
    lean.destroy();
    server.close();
  }
});
