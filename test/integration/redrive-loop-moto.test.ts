// Closed-loop redrive against moto, an independent emulator. moto does not run functions without Docker, so
// this test plays Lambda: once the canary's invokes were accepted, it reads the new request ids from the
// journal and PUTS the evidence: log events in the function's log group (one success; one event whose three
// attempts failed), an invocation record in the OnSuccess queue, and a failure record under a new id in the
// OnFailure queue. The redrive must find each (logs by batched FilterLogEvents, queues by peeking, never
// consuming), decide succeeded / failed again, link the failure, and stop the canary.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {after, before, test} from 'node:test';
import {CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {CreateFunctionCommand, PutFunctionEventInvokeConfigCommand} from '@aws-sdk/client-lambda';
import {CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {redriveCommand} from '../../source/redrive/commands.ts';
import {readJournal, readJournalEntries} from '../../source/redrive/journal.ts';
import {createMotoRole, startMoto, testAwsConfig, tinyLambdaZip, type RunningServer} from '../helpers/servers.ts';

let moto: RunningServer;
let clients: AwsClients;
let dir: string;
const FN = 'inventory-sync';
const GROUP = `/aws/lambda/${FN}`;
let failuresUrl = '';
let successUrl = '';

const record = (requestId: string, orderId: string, condition: 'RetriesExhausted' | 'Success') =>
  JSON.stringify({
    version: '1.0', timestamp: new Date().toISOString(),
    requestContext: {requestId, functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FN}:$LATEST`, condition, approximateInvokeCount: condition === 'Success' ? 1 : 3},
    requestPayload: {orderId},
    responseContext: {statusCode: 200, executedVersion: '$LATEST', ...(condition === 'Success' ? {} : {functionError: 'Unhandled'})},
    responsePayload: condition === 'Success' ? {ok: true} : {errorType: 'InventoryApiError', errorMessage: 'inventory answered 503', stackTrace: ['at sync (/var/task/index.js:9:11)']},
  });

before(async () => {
  moto = await startMoto();
  clients = createClients(testAwsConfig(moto.endpoint));
  dir = await mkdtemp(join(tmpdir(), 'redrive-loop-moto-'));
  process.env.XDG_STATE_HOME = dir;
  const role = await createMotoRole(moto.endpoint);
  const queue = async (name: string) => {
    const url = (await clients.sqs.send(new CreateQueueCommand({QueueName: name}))).QueueUrl!;
    const arn = (await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['QueueArn']}))).Attributes!.QueueArn!;
    return {url, arn};
  };
  const failures = await queue(`${FN}-failures`);
  const success = await queue(`${FN}-success`);
  failuresUrl = failures.url;
  successUrl = success.url;
  await clients.lambda.send(new CreateFunctionCommand({FunctionName: FN, Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler', Code: {ZipFile: tinyLambdaZip()}, Timeout: 5}));
  await clients.lambda.send(new PutFunctionEventInvokeConfigCommand({FunctionName: FN, MaximumRetryAttempts: 2, DestinationConfig: {OnFailure: {Destination: failures.arn}, OnSuccess: {Destination: success.arn}}}));
  await clients.logs.send(new CreateLogGroupCommand({logGroupName: GROUP}));
  for (const s of ['a', 'b', 'c']) await clients.logs.send(new CreateLogStreamCommand({logGroupName: GROUP, logStreamName: `2026/12/01/[$LATEST]${s}`}));
  // Six failed events in the OnFailure queue, from the incident.
  await clients.sqs.send(new SendMessageBatchCommand({QueueUrl: failures.url, Entries: Array.from({length: 6}, (_, i) => ({Id: `e${i}`, MessageBody: record(`0000000${i}-aaaa-4bbb-8ccc-dddddddddddd`, `o-${i}`, 'RetriesExhausted')}))}));
});

after(async () => {
  clients?.destroy();
  await moto?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

const report = (id: string) => `REPORT RequestId: ${id}\tDuration: 120.00 ms\tBilled Duration: 120 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n`;

async function putLogs(stream: string, events: Array<[number, string]>): Promise<void> {
  await clients.logs.send(new PutLogEventsCommand({logGroupName: GROUP, logStreamName: `2026/12/01/[$LATEST]${stream}`, logEvents: events.map(([timestamp, message]) => ({timestamp, message}))}));
}

test('canary of 3 against moto: success by logs, success by OnSuccess record, failed again by a failure record (linked); the rest stays', {timeout: 90_000}, async () => {
  const journalPath = join(dir, 'j.jsonl');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const running = redriveCommand(
    {functionName: FN, yes: true, readOnly: false, rate: 20, canary: 3, json: true, journalPath, followPollMs: 300, followMaxWaitMs: 60_000},
    {clients, stdout, stderr, confirm: async () => true, isTTY: false},
  );
  // Play Lambda: wait for the three acceptances, then put what their runs would have left behind.
  let accepted: Array<{newId: string; messageId: string}> = [];
  for (const until = Date.now() + 30_000; Date.now() < until && accepted.length < 3; await new Promise((r) => setTimeout(r, 100))) {
    accepted = (await readJournalEntries(journalPath).catch(() => [])).filter((r) => r.outcome === 'accepted' && r.newId).map((r) => ({newId: r.newId!, messageId: r.messageId}));
  }
  assert.equal(accepted.length, 3, `three canary events accepted: ${err}`);
  const [ok, viaOnSuccess, failing] = accepted.map((a) => a.newId) as [string, string, string];
  assert.ok(new Set([ok, viaOnSuccess, failing]).size === 3 && ok.length > 0, 'moto gave each 202 its own request id');
  const t = Date.now();
  await putLogs('a', [[t, `START RequestId: ${ok} Version: $LATEST\n`], [t + 100, `END RequestId: ${ok}\n`], [t + 101, report(ok)]]);
  const error = (k: number) => `${new Date(t + k).toISOString()}\t${failing}\tERROR\tInvoke Error \t{"errorType":"InventoryApiError","errorMessage":"inventory answered 503","stack":["at sync (/var/task/index.js:9:11)"]}\n`;
  await putLogs('b', [[t, `START RequestId: ${failing} Version: $LATEST\n`], [t + 50, error(50)], [t + 60, `END RequestId: ${failing}\n`], [t + 61, report(failing)]]);
  await clients.sqs.send(new SendMessageCommand({QueueUrl: successUrl, MessageBody: record(viaOnSuccess, 'o-x', 'Success')}));
  const newFailure = (await clients.sqs.send(new SendMessageCommand({QueueUrl: failuresUrl, MessageBody: record(failing, 'o-y', 'RetriesExhausted')}))).MessageId!;

  const code = await running;
  assert.equal(code, 4, err);
  assert.match(err, /canary: 1 of 3 failed again: InventoryApiError; 0 more sent; the rest are still in inventory-sync-failures/);
  const json = JSON.parse(out) as {canary: {go: boolean; outcomes: {summary: {line: string}; events: Array<Record<string, any>>}}};
  assert.equal(json.canary.go, false);
  assert.equal(json.canary.outcomes.summary.line, '2 succeeded, 1 failed again: InventoryApiError');
  const byId = new Map(json.canary.outcomes.events.map((e) => [e.newRequestId as string, e]));
  assert.equal(byId.get(ok)?.outcome, 'succeeded');
  assert.equal(byId.get(ok)?.via, 'logs');
  assert.equal(byId.get(viaOnSuccess)?.outcome, 'succeeded');
  assert.equal(byId.get(viaOnSuccess)?.via, 'on-success');
  assert.equal(byId.get(failing)?.outcome, 'failed again (InventoryApiError)');
  assert.equal(byId.get(failing)?.via, 'failure-target');
  assert.equal(byId.get(failing)?.newFailure.messageId, newFailure, 'linked to its new failure record');
  // Journaled beside the acceptances; nothing more was sent; the peeks consumed nothing.
  const index = await readJournal(journalPath);
  assert.equal(index.outcomes.get(failing)?.state, 'failed-again');
  assert.equal(index.outcomes.get(failing)?.newFailure?.messageId, newFailure);
  assert.equal(index.outcomes.get(ok)?.state, 'succeeded');
  assert.equal((await readJournalEntries(journalPath)).filter((r) => r.outcome === 'accepted').length, 3);
  const depth = async (url: string) => {
    const a = (await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']}))).Attributes!;
    return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
  };
  assert.equal(await depth(failuresUrl), 3 + 1, 'the 3 not sent and the new failure stay in the OnFailure queue');
  assert.equal(await depth(successUrl), 1, 'the OnSuccess record was peeked, not consumed');
});
