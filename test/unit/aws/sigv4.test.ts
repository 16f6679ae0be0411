// The lean path's SigV4 signer (source/aws/sigv4.ts) against the SDK's own signer (@smithy/signature-v4, what
// every SDK client signs with): the same headers and the same Authorization header for the requests the
// redrive sends (SQS JSON POST /, Lambda Invoke with an ARN, a qualifier and a session token).
import assert from 'node:assert/strict';
import {createHash, createHmac} from 'node:crypto';
import {test} from 'node:test';
import {SignatureV4} from '@smithy/signature-v4';
import {escapeUri, signedHeaderList, signRequest, type Credentials} from '../../../source/aws/sigv4.ts';

/** The SDK's Hash interface over node:crypto (what @smithy/hash-node does). */
class NodeSha256 {
  private readonly h;
  constructor(secret?: string | Uint8Array) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: Uint8Array | string) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

async function sdkSign(req: {method: string; host: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body: string}, region: string, service: string, credentials: Credentials, date: Date) {
  const signer = new SignatureV4({service, region, credentials, sha256: NodeSha256 as never});
  const signed = await signer.sign(
    {method: req.method, protocol: 'https:', hostname: req.host, path: req.path, query: req.query ?? {}, headers: {...req.headers, host: req.host}, body: req.body} as never,
    {signingDate: date},
  );
  return (signed as unknown as {headers: Record<string, string>}).headers;
}

const date = new Date('2026-12-01T10:11:12.345Z');

test('an SQS JSON request is signed exactly as the SDK signs it', async () => {
  const body = JSON.stringify({QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq', MaxNumberOfMessages: 10, MessageAttributeNames: ['All']});
  const headers = {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage'};
  const credentials = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'};
  const ours = signRequest({method: 'POST', host: 'sqs.eu-west-1.amazonaws.com', path: '/', headers, body, region: 'eu-west-1', service: 'sqs', credentials, date});
  const sdk = await sdkSign({method: 'POST', host: 'sqs.eu-west-1.amazonaws.com', path: '/', headers, body}, 'eu-west-1', 'sqs', credentials, date);
  assert.deepEqual(ours, sdk);
  assert.match(ours.authorization!, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261201\/eu-west-1\/sqs\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
});

test('a Lambda Invoke of an ARN with a qualifier and a session token is signed exactly as the SDK signs it', async () => {
  const fn = 'arn:aws:lambda:us-east-1:123456789012:function:order-processor';
  const path = `/2015-03-31/functions/${escapeUri(fn)}/invocations`;
  const headers = {'content-type': 'application/octet-stream', 'x-amz-invocation-type': 'Event'};
  const credentials = {accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret/with+chars=', sessionToken: 'token//with==padding'};
  const body = JSON.stringify({Records: [{s3: {object: {key: 'a b/ü (1).png'}}}]});
  const ours = signRequest({method: 'POST', host: 'lambda.us-east-1.amazonaws.com', path, query: {Qualifier: 'live'}, headers, body, region: 'us-east-1', service: 'lambda', credentials, date});
  const sdk = await sdkSign({method: 'POST', host: 'lambda.us-east-1.amazonaws.com', path, query: {Qualifier: 'live'}, headers, body}, 'us-east-1', 'lambda', credentials, date);
  assert.deepEqual(ours, sdk);
  assert.equal(ours['x-amz-security-token'], 'token//with==padding');
});

test('a different body, date or key gives a different signature', () => {
  const base = {method: 'POST', host: 'sqs.eu-west-1.amazonaws.com', path: '/', headers: {'x-amz-target': 'AmazonSQS.SendMessageBatch'}, body: '{}', region: 'eu-west-1', service: 'sqs', credentials: {accessKeyId: 'A', secretAccessKey: 'S'}, date};
  const a = signRequest(base).authorization;
  assert.notEqual(signRequest({...base, body: '{"x":1}'}).authorization, a);
  assert.notEqual(signRequest({...base, date: new Date(date.getTime() + 86_400_000)}).authorization, a);
  assert.notEqual(signRequest({...base, credentials: {accessKeyId: 'A', secretAccessKey: 'T'}}).authorization, a);
});

test("an Invoke signed with the redrive's payload hash (bodySha256) is the SDK's signature: the payload is hashed once", async () => {
  const payload = JSON.stringify({order: 42, note: 'é ünïcode'});
  const headers = {'content-type': 'application/octet-stream', 'x-amz-invocation-type': 'Event'};
  const credentials = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'};
  const path = '/2015-03-31/functions/notification-sender/invocations';
  const bodySha256 = createHash('sha256').update(payload, 'utf8').digest('hex');
  const ours = signRequest({method: 'POST', host: 'lambda.eu-west-1.amazonaws.com', path, headers, body: payload, bodySha256, region: 'eu-west-1', service: 'lambda', credentials, date});
  const sdk = await sdkSign({method: 'POST', host: 'lambda.eu-west-1.amazonaws.com', path, headers, body: payload}, 'eu-west-1', 'lambda', credentials, date);
  assert.equal(ours.authorization, sdk.authorization);
  assert.equal(ours['x-amz-content-sha256'], sdk['x-amz-content-sha256'] ?? bodySha256);
  // It is used as given (a wrong one signs a different request): the caller must pass the body's own hash.
  const wrong = signRequest({method: 'POST', host: 'lambda.eu-west-1.amazonaws.com', path, headers, body: payload, bodySha256: '0'.repeat(64), region: 'eu-west-1', service: 'lambda', credentials, date});
  assert.notEqual(wrong.authorization, sdk.authorization);
});

test('the flat header list (what the lean path sends) is the signed record, each header once; a long string to sign still matches the SDK', async () => {
  const credentials = {accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'tok'};
  const headers = {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.DeleteMessageBatch', 'content-length': '2'};
  const input = {method: 'POST', host: 'sqs.eu-west-1.amazonaws.com', path: '/', headers, body: '{}', region: 'eu-west-1', service: 'sqs', credentials, date};
  const list = signedHeaderList(input);
  const names = list.filter((_, i) => i % 2 === 0);
  assert.equal(new Set(names).size, names.length, 'no header twice');
  assert.deepEqual(Object.fromEntries(names.map((n, i) => [n, list[2 * i + 1]])), signRequest(input));
  // A region long enough that the string to sign outgrows the HMAC's reused buffer.
  const region = 'r'.repeat(700);
  const long = signRequest({...input, region});
  assert.deepEqual(long, await sdkSign({method: 'POST', host: input.host, path: '/', headers, body: '{}'}, region, 'sqs', credentials, date));
  assert.deepEqual(signRequest(input), await sdkSign({method: 'POST', host: input.host, path: '/', headers, body: '{}'}, 'eu-west-1', 'sqs', credentials, date), 'and the short one after it');
});

test("a canonical request longer than the signer's reused buffer, a non-ASCII header value and alternating scopes still match the SDK", async () => {
  const credentials = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret'};
  const short = {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage'};
  const long = {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${'é'.repeat(3000)}x`};
  const one = (headers: Record<string, string>, region: string, service: string, host: string) => ({method: 'POST', host, path: '/', headers, body: '{}', region, service, credentials, date});
  for (const [headers, region, service, host] of [
    [short, 'eu-west-1', 'sqs', 'sqs.eu-west-1.amazonaws.com'],
    [long, 'eu-west-1', 'sqs', 'sqs.eu-west-1.amazonaws.com'],
    [short, 'us-east-2', 'lambda', 'lambda.us-east-2.amazonaws.com'],
    [short, 'eu-west-1', 'sqs', 'sqs.eu-west-1.amazonaws.com'],
  ] as const) {
    const input = one(headers, region, service, host);
    assert.deepEqual(signRequest(input), await sdkSign({method: 'POST', host, path: '/', headers, body: '{}'}, region, service, credentials, date), `${region} ${service} ${headers['x-amz-target'].length}`);
  }
});
