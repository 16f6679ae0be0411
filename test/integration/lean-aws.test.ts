// The redrive's lean HTTP path (source/aws/lean-sqs.ts) against fauxqs and the simulator, side by side with the SDK
// path (aws/messages.ts, aws/invoke.ts) on the same servers: the same messages, attributes of every data type,
// results, error names and outcomes; SigV4-signed requests for the right service and region; and nothing sent at
// all when the gate is read-only. A counting proxy in front of each server sees every request.
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, test} from 'node:test';
import {CreateQueueCommand} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {invokeAsync} from '../../source/aws/invoke.ts';
import {LeanAws} from '../../source/aws/lean-sqs.ts';
import {receiveMessages, sendMessages} from '../../source/aws/messages.ts';
import {createMutationGate, ReadOnlyError} from '../../source/aws/mutation-gate.ts';
import {startSimulator} from '../../source/sim/index.ts';
import {startFauxqs, testAwsConfig, type RunningServer} from '../helpers/servers.ts';

interface Seen {
  target: string;
  path: string;
  authorization: string;
}

/** A proxy that records each request's operation and Authorization header, then forwards it. */
async function countingProxy(upstream: string): Promise<{url: string; seen: Seen[]; close(): Promise<void>}> {
  const to = new URL(upstream);
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({target: String(req.headers['x-amz-target'] ?? ''), path: req.url ?? '', authorization: String(req.headers.authorization ?? '')});
      const out = http.request({host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers}, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(() => r()))};
}

let fauxqs: RunningServer;
let proxy: Awaited<ReturnType<typeof countingProxy>>;
let clients: AwsClients;
let lean: LeanAws;
const gate = createMutationGate({readOnly: false});
let n = 0;
const queue = async (name: string) => (await clients.sqs.send(new CreateQueueCommand({QueueName: `${name}-${++n}`}))).QueueUrl!;

before(async () => {
  fauxqs = await startFauxqs();
  proxy = await countingProxy(fauxqs.endpoint);
  clients = createClients(testAwsConfig(proxy.url));
  lean = new LeanAws(clients);
});
after(async () => {
  lean?.destroy();
  clients?.destroy();
  await proxy?.close();
  await fauxqs?.stop();
});

const attributes = {
  RequestID: {dataType: 'String', stringValue: 'req-1'},
  ErrorCode: {dataType: 'Number', stringValue: '500'},
  Raw: {dataType: 'Binary', binaryValue: Buffer.from([0, 1, 2, 250, 255]).toString('base64')},
  Custom: {dataType: 'Number.int', stringValue: '7'},
};

test('lean send and receive carry the same bodies and attributes as the SDK path, signed for sqs in the region', async () => {
  const q = await queue('lean-roundtrip');
  proxy.seen.length = 0;
  const bodies = ['{"uid":"a"}', 'plain text ü ✓', '{"uid":"c","nested":{"x":[1,2,3]}}'];
  const sent = await lean.sendBatch(gate, q, bodies.map((body, i) => ({id: `e${i}`, body, messageAttributes: attributes})));
  assert.deepEqual(sent.failed, []);
  assert.deepEqual(sent.accepted.map((a) => a.id).sort(), ['e0', 'e1', 'e2']);
  assert.ok(sent.accepted.every((a) => a.messageId.length > 0));
  assert.equal(proxy.seen[0]!.target, 'AmazonSQS.SendMessageBatch');
  assert.match(proxy.seen[0]!.authorization, /^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/sqs\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
  // The same messages sent through the SDK, for comparison.
  const viaSdk = await sendMessages(clients, gate, q, bodies.map((body, i) => ({id: `s${i}`, body, messageAttributes: attributes})));
  assert.equal(viaSdk.accepted.length, 3);

  const received = [];
  for (let i = 0; i < 5 && received.length < 6; i++) received.push(...(await lean.receive(q, {max: 10, visibilityTimeoutSeconds: 30})));
  assert.equal(received.length, 6);
  for (const m of received) {
    assert.ok(bodies.includes(m.body));
    assert.deepEqual(m.messageAttributes, attributes);
    assert.equal(m.receiveCount, 1);
    assert.ok(m.sentAt !== null && m.sentAt > 0);
    assert.ok(m.receiptHandle.length > 0);
  }
  // Only the system attributes a redrive reads were asked for.
  assert.ok(received.every((m) => Object.keys(m.attributes).every((k) => ['ApproximateReceiveCount', 'SentTimestamp', 'DeadLetterQueueSourceArn'].includes(k))));
  // Released (visibility 0), the SDK path receives the very same messages and attributes.
  assert.deepEqual((await lean.changeVisibility(q, received.map((m) => m.receiptHandle), 0)).failed, []);
  const again = [];
  for (let i = 0; i < 5 && again.length < 6; i++) again.push(...(await receiveMessages(clients, q, {max: 10, visibilityTimeoutSeconds: 30})));
  assert.deepEqual(again.map((m) => m.messageId).sort(), received.map((m) => m.messageId).sort());
  for (const m of again) assert.deepEqual(m.messageAttributes, attributes);

  assert.deepEqual(await lean.queueState(q), {visible: 0, inFlight: 6, visibilityTimeoutSeconds: 30, retentionSeconds: 345600});
  const deleted = await lean.delete(gate, q, again.map((m) => ({id: m.messageId, receiptHandle: m.receiptHandle})));
  assert.deepEqual(deleted.failed, []);
  assert.equal(deleted.deleted.length, 6);
  assert.deepEqual(await lean.receive(q, {max: 10, visibilityTimeoutSeconds: 30}), []);
});

test('errors: a queue that does not exist fails the receive with the SDK error name, and every entry of a send', async () => {
  const missing = `${fauxqs.endpoint}/000000000000/no-such-queue-${++n}`;
  const sdkError = await receiveMessages(clients, missing, {max: 1, visibilityTimeoutSeconds: 1}).then(() => null, (e: Error) => e);
  const leanError = await lean.receive(missing, {max: 1, visibilityTimeoutSeconds: 1}).then(() => null, (e: Error) => e);
  assert.ok(sdkError && leanError);
  assert.equal(leanError.name, sdkError.name);
  assert.equal((leanError as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode, 400);
  const sent = await lean.sendBatch(gate, missing, [{id: 'x', body: 'b', messageAttributes: {}}]);
  const sdkSent = await sendMessages(clients, gate, missing, [{id: 'x', body: 'b', messageAttributes: {}}]);
  assert.deepEqual(sent.accepted, []);
  assert.deepEqual(sent.failed.map((f) => [f.id, f.code, f.senderFault]), sdkSent.failed.map((f) => [f.id, f.code, f.senderFault]));
  // A receipt handle the queue does not know: that entry fails, the call does not.
  const q = await queue('lean-bad-handle');
  const vis = await lean.changeVisibility(q, ['not-a-handle'], 10);
  assert.equal(vis.failed.length, 1);
  assert.equal(vis.failed[0]!.receiptHandle, 'not-a-handle');
});

test('read-only: every lean mutation is refused before a request is built', async () => {
  const readOnly = createMutationGate({readOnly: true});
  const q = await queue('lean-ro');
  proxy.seen.length = 0;
  await assert.rejects(lean.sendBatch(readOnly, q, [{id: 'a', body: 'x', messageAttributes: {}}]), ReadOnlyError);
  await assert.rejects(lean.delete(readOnly, q, [{id: 'a', receiptHandle: 'h'}]), ReadOnlyError);
  await assert.rejects(lean.invokeAsync(readOnly, 'fn', '{}'), ReadOnlyError);
  assert.deepEqual(proxy.seen, []);
});

test('lean Invoke(Event) against the simulator: a 202 with its request id, and the same outcomes as the SDK path', async () => {
  const sim = await startSimulator({port: 0, scenario: 'healthy', speed: 1, seed: 3});
  const simProxy = await countingProxy(sim.endpoint);
  const simClients = createClients({endpoint: simProxy.url, region: sim.world.region, credentials: {accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't'}, maxAttempts: 1});
  const simLean = new LeanAws(simClients);
  try {
    const ok = await simLean.invokeAsync(gate, 'notification-sender', '{"uid":"lean-1"}');
    assert.equal(ok.outcome, 'accepted');
    assert.ok(ok.outcome === 'accepted' && ok.requestId.length > 0);
    const seen = simProxy.seen.at(-1)!;
    assert.equal(seen.path, '/2015-03-31/functions/notification-sender/invocations');
    assert.match(seen.authorization, new RegExp(`Credential=a/\\d{8}/${sim.world.region}/lambda/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-security-token`));
    const arn = await simLean.invokeAsync(gate, `arn:aws:lambda:${sim.world.region}:123456789012:function:notification-sender`, '{}', 'live');
    const sdkArn = await invokeAsync(simClients, gate, `arn:aws:lambda:${sim.world.region}:123456789012:function:notification-sender`, '{}', 'live');
    assert.equal(arn.outcome, sdkArn.outcome);
    assert.match(simProxy.seen.at(-2)!.path, /^\/2015-03-31\/functions\/arn%3Aaws%3Alambda%3A[^/]+\/invocations\?Qualifier=live$/);
    for (const [fn, payload] of [['no-such-function', '{}'], ['notification-sender', 'not json']] as const) {
      const viaLean = await simLean.invokeAsync(gate, fn, payload);
      const viaSdk = await invokeAsync(simClients, gate, fn, payload);
      assert.notEqual(viaLean.outcome, 'accepted');
      assert.equal(viaLean.outcome, viaSdk.outcome, `${fn}: ${JSON.stringify(viaLean)} vs ${JSON.stringify(viaSdk)}`);
      assert.equal(viaLean.outcome !== 'accepted' && viaLean.message.split(':')[0], viaSdk.outcome !== 'accepted' && viaSdk.message.split(':')[0]);
    }
  } finally {
    simLean.destroy();
    simClients.destroy();
    await simProxy.close();
    await sim.stop();
  }
});
