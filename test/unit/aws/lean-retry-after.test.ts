// The lean path waits before a retry what the pinned SDK's standard retry strategy waits when the failed answer
// has a retry-after or x-amz-retry-after header (aws/lean-retry-after.ts): the hint read as the SDK's
// getRetryAfterHint reads it (@smithy/core/retry) over a set of headers, the wait as
// StandardRetryStrategy.refreshRetryTokenForRetry computes it (timers mocked, Math.random fixed), and a LeanHttp
// against a local server passing the hint on (its wait recorded), and giving up a hinted wait when aborted. And the
// strategy's long-poll case (ReceiveMessage): refused a retry by an empty budget, it still waits the backoff.
import {test, mock} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {getRetryAfterHint, StandardRetryStrategy} from '@smithy/core/retry';
import {HttpResponse} from '@smithy/core/protocols';
import {hintedDelayMs, retryAfterHint} from '../../../source/aws/lean-retry-after.ts';
import {LeanHttp, jsonProtocolError, retryDelayMs} from '../../../source/aws/lean-http.ts';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0, 0);

const HEADERS: Array<Record<string, string>> = [
  {},
  {'content-type': 'application/json'},
  {'retry-after': '3'},
  {'retry-after': '0'},
  {'retry-after': '0.5'},
  {'retry-after': '1.5.2'},
  {'retry-after': '-1'},
  {'retry-after': 'soon'},
  {'retry-after': ''},
  {'retry-after': 'Tue, 01 Dec 2026 12:00:07 GMT'},
  {'retry-after': 'Tue, 01 Dec 2026 11:59:00 GMT'},
  {'retry-after': 'Tuesday, 01-Dec-26 12:00:09 GMT'},
  {'retry-after': 'Tue Dec  1 12:00:04 2026'},
  {'retry-after': 'Not a date GMT'},
  {'retry-after': 'Tue, 01 Dec 2026 12:00:07 GMT, 4'},
  {'retry-after': '2026-12-01T12:00:10Z'},
  {'retry-after': '2026-12-01T11:00:00Z'},
  {'x-amz-retry-after': '1500'},
  {'x-amz-retry-after': '0'},
  {'x-amz-retry-after': 'abc'},
  {'x-amz-retry-after': '1500, 2000'},
  {'x-amz-retry-after': '-300'},
  {'date': 'Tue, 01 Dec 2026 12:00:00 GMT', 'retry-after': '2', 'x-amz-retry-after': '9000'},
  {'x-amz-retry-after': '9000', 'retry-after': '2'},
  {'x-amz-retry-after': 'abc', 'retry-after': '2'},
  {'Retry-After': '6'},
];

test("the hint is the SDK's getRetryAfterHint for each set of headers", async () => {
  const realNow = Date.now;
  Date.now = () => T0;
  try {
    for (const headers of HEADERS) {
      const sdk = getRetryAfterHint(new HttpResponse({statusCode: 503, headers, body: ''}))?.getTime();
      assert.equal(await retryAfterHint({headers}), sdk, JSON.stringify(headers));
    }
  } finally {
    Date.now = realNow;
  }
});

test("the wait is the SDK standard strategy's: the backoff, lengthened by the hint by 5 s at most", async () => {
  mock.timers.enable({apis: ['setTimeout', 'Date'], now: T0});
  const random = mock.method(Math, 'random', () => 0.37);
  try {
    for (const errorType of ['TRANSIENT', 'THROTTLING'] as const) {
      for (const retries of [0, 1, 4]) {
        for (const hintMs of [undefined, -1000, 0, 10, 700, 3000, 9000, 60_000]) {
          const strategy = new StandardRetryStrategy({maxAttempts: 10});
          let token = await strategy.acquireInitialRetryToken('');
          for (let i = 0; i < retries; i++) {
            const p = strategy.refreshRetryTokenForRetry(token, {errorType});
            await new Promise((r) => setImmediate(r));
            mock.timers.tick(30_000);
            token = await p;
          }
          const hint = hintMs === undefined ? undefined : Date.now() + hintMs;
          const p = strategy.refreshRetryTokenForRetry(token, {errorType, ...(hint !== undefined ? {retryAfterHint: new Date(hint)} : {})});
          await new Promise((r) => setImmediate(r));
          const expected = hintedDelayMs(retryDelayMs(errorType === 'THROTTLING' ? 'throttling' : 'transient', retries, 0.37), hint);
          mock.timers.tick(30_000);
          const next = (await p) as unknown as {$retryLog: {acquisitionDelay: number}};
          assert.equal(expected, next.$retryLog.acquisitionDelay, `${errorType}, ${retries} retries, hint ${hintMs}`);
        }
      }
    }
  } finally {
    random.mock.restore();
    mock.timers.reset();
  }
});

async function server(answer: () => {status: number; headers: Record<string, string>; body: string}): Promise<{endpoint: string; requests: () => number; close: () => Promise<void>}> {
  let requests = 0;
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      const a = answer();
      res.writeHead(a.status, {'content-type': 'application/x-amz-json-1.0', ...a.headers});
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {endpoint: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, requests: () => requests, close: () => new Promise((r) => s.close(() => r()))};
}

const REQUEST = {method: 'POST' as const, path: '/', headers: {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues'}, body: '{}'};
const config = {region: 'us-east-1', credentials: async () => ({accessKeyId: 'a', secretAccessKey: 'b'}), maxAttempts: 2};

test("a LeanHttp waits what the failed answer's retry-after asks (within the SDK's bounds) before its retry", async () => {
  let headers: Record<string, string> = {};
  let status = 503;
  let body = '';
  const s = await server(() => ({status, headers, body}));
  const waits: number[] = [];
  const lean = new LeanHttp({config}, {service: 'sqs', endpoint: s.endpoint, wait: async (ms) => void waits.push(ms)});
  const waitFor = async (h: Record<string, string>, st = 503, b = '') => {
    headers = h;
    status = st;
    body = b;
    waits.length = 0;
    await lean.send({...REQUEST, headers: {...REQUEST.headers}}, jsonProtocolError).catch(() => undefined);
    assert.equal(waits.length, 1, JSON.stringify(h));
    return waits[0]!;
  };
  try {
    const seconds = await waitFor({'retry-after': '2'});
    assert.ok(seconds > 1000 && seconds <= 2000, `retry-after 2: ${seconds}`);
    const capped = await waitFor({'x-amz-retry-after': '60000'});
    assert.ok(capped >= 5000 && capped < 5050, `x-amz-retry-after 60000, capped at the backoff + 5 s: ${capped}`);
    const none = await waitFor({});
    assert.ok(none < 50, `no hint: the backoff alone: ${none}`);
    const throttled = await waitFor({'retry-after': '0'}, 400, JSON.stringify({__type: 'com.amazonaws.sqs#RequestThrottled', message: 'Rate exceeded'}));
    assert.ok(throttled < 1000, `a throttle with retry-after 0: its backoff: ${throttled}`);
  } finally {
    lean.destroy();
    await s.close();
  }
});

test('a hinted wait ends when the request is aborted, with an AbortError', {timeout: 10_000}, async () => {
  const s = await server(() => ({status: 503, headers: {'retry-after': '20'}, body: ''}));
  const lean = new LeanHttp({config}, {service: 'sqs', endpoint: s.endpoint});
  const controller = new AbortController();
  try {
    const sent = lean.send({...REQUEST, headers: {...REQUEST.headers}, signal: controller.signal}, jsonProtocolError);
    while (s.requests() === 0) await new Promise((r) => setTimeout(r, 5));
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(sent, {name: 'AbortError'});
    assert.equal(s.requests(), 1);
  } finally {
    lean.destroy();
    await s.close();
  }
});

test('a long poll refused a retry by an empty budget still waits its backoff, as the SDK waits for ReceiveMessage; other requests do not', async () => {
  // The SDK's side: with its capacity spent, a ":longpoll" token's refresh waits the backoff, then refuses.
  mock.timers.enable({apis: ['setTimeout'], now: T0});
  const random = mock.method(Math, 'random', () => 0.5);
  try {
    const strategy = new StandardRetryStrategy({maxAttempts: 3});
    for (let spent = 0; spent < 35; spent++) {
      const p = strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(''), {errorType: 'TRANSIENT'});
      await new Promise((r) => setImmediate(r));
      mock.timers.tick(30_000);
      await p;
    }
    for (const [scope, waits] of [['', false], [':longpoll', true]] as const) {
      let settled = false;
      const p = strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(scope), {errorType: 'TRANSIENT'}).finally(() => (settled = true));
      p.catch(() => undefined);
      await new Promise((r) => setImmediate(r));
      assert.equal(settled, !waits, `SDK, scope "${scope}": settled before its backoff`);
      mock.timers.tick(25); // the backoff: floor(0.5 * 50)
      await assert.rejects(p, /No retry token available/);
    }
  } finally {
    random.mock.restore();
    mock.timers.reset();
  }
  // The lean side: the same budget spent by 35 failed retries, then one request of each kind.
  const s = await server(() => ({status: 503, headers: {}, body: ''}));
  const waits: number[] = [];
  const lean = new LeanHttp({config}, {service: 'sqs', endpoint: s.endpoint, wait: async (ms) => void waits.push(ms)});
  try {
    for (let i = 0; i < 35; i++) await lean.send({...REQUEST, headers: {...REQUEST.headers}}, jsonProtocolError).catch(() => undefined);
    for (const longPoll of [false, true]) {
      waits.length = 0;
      const before = s.requests();
      await assert.rejects(lean.send({...REQUEST, headers: {...REQUEST.headers}, longPoll}, jsonProtocolError), {name: 'Unknown'});
      assert.equal(s.requests() - before, 1, `long poll ${longPoll}: one request, no retry`);
      assert.equal(waits.length, longPoll ? 1 : 0, `long poll ${longPoll}: waits before failing`);
    }
  } finally {
    lean.destroy();
    await s.close();
  }
});
