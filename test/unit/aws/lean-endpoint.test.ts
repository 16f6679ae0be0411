// The lean HTTP path (redrive's hot calls) resolves its endpoint as the SDK's own calls do: a configured endpoint
// (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL; a profile's endpoint_url through the same SDK function) wins over the region's, and
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns that off; FIPS and dual-stack come from the client's rules. Before,
// the lean path ignored a configured endpoint: with AWS_ENDPOINT_URL set (LocalStack, say) and no --endpoint-url,
// the SDK's calls went there and redrive's receive/send/delete went to AWS itself.
import {test, beforeEach, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {SQSClient} from '@aws-sdk/client-sqs';
import {LambdaClient} from '@aws-sdk/client-lambda';
import {LeanHttp, type SdkClientLike} from '../../../source/aws/lean-http.ts';
import {createClients} from '../../../source/aws/clients.ts';
import {leanAwsFor} from '../../../source/aws/lean-sqs.ts';

const credentials = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret'};
const ENV = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_LAMBDA', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'HOME'];
let saved: Record<string, string | undefined> = {};
let home = '';

beforeEach(() => {
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  for (const k of ENV) delete process.env[k];
  home = mkdtempSync(path.join(os.tmpdir(), 'lean-endpoint-'));
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = path.join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, 'credentials');
});
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(home, {recursive: true, force: true});
});

/** Where a LeanHttp for this client would send its requests (its private resolve(), as a request does). */
async function target(client: unknown, service: 'sqs' | 'lambda'): Promise<string> {
  const lean = new LeanHttp(client as SdkClientLike, {service});
  const resolved = await (lean as unknown as {resolve(): Promise<{url: URL; region: string}>}).resolve();
  return `${resolved.region} ${resolved.url.href}`;
}

test("the region's endpoint, FIPS and dual-stack from the client's own rules", async () => {
  assert.equal(await target(new SQSClient({region: 'eu-west-1', credentials}), 'sqs'), 'eu-west-1 https://sqs.eu-west-1.amazonaws.com/');
  assert.equal(await target(new SQSClient({region: 'us-east-1', credentials, useFipsEndpoint: true}), 'sqs'), 'us-east-1 https://sqs-fips.us-east-1.amazonaws.com/');
  assert.equal(await target(new LambdaClient({region: 'us-west-2', credentials, useDualstackEndpoint: true}), 'lambda'), 'us-west-2 https://lambda.us-west-2.api.aws/');
});

test('a configured endpoint wins as it does for the SDK: per service, then global; ignorable', async () => {
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4566';
  process.env.AWS_ENDPOINT_URL_SQS = 'http://127.0.0.1:9324';
  assert.equal(await target(new SQSClient({region: 'us-east-1', credentials}), 'sqs'), 'us-east-1 http://127.0.0.1:9324/');
  assert.equal(await target(new LambdaClient({region: 'us-east-1', credentials}), 'lambda'), 'us-east-1 http://127.0.0.1:4566/');
  process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
  assert.equal(await target(new SQSClient({region: 'us-east-1', credentials}), 'sqs'), 'us-east-1 https://sqs.us-east-1.amazonaws.com/');
});

test("redrive's lean SQS call reaches the endpoint AWS_ENDPOINT_URL_SQS names (no --endpoint-url)", async () => {
  const seen: Array<{target: string | undefined; host: string | undefined}> = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({target: req.headers['x-amz-target'] as string | undefined, host: req.headers.host});
      res.writeHead(200, {'content-type': 'application/x-amz-json-1.0'});
      res.end(JSON.stringify({Attributes: {ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '1', VisibilityTimeout: '30', MessageRetentionPeriod: '345600'}}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  process.env.AWS_ENDPOINT_URL_SQS = `http://127.0.0.1:${port}`;
  const clients = createClients({region: 'us-east-1', credentials, maxAttempts: 1});
  try {
    const state = await leanAwsFor(clients).queueState(`http://127.0.0.1:${port}/000000000000/orders-dlq`);
    assert.equal(state.visible, 3);
    assert.equal(state.inFlight, 1);
    assert.deepEqual(seen, [{target: 'AmazonSQS.GetQueueAttributes', host: `127.0.0.1:${port}`}]);
  } finally {
    leanAwsFor(clients).destroy();
    clients.destroy();
    await new Promise((r) => server.close(r));
  }
});
