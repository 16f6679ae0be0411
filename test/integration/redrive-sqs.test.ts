// The redrive adapters and engine against fauxqs (an independent SQS emulator).
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {after, before, test} from 'node:test';
import {CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, type MessageAttributeValue} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {deleteMessages, peekMessages, receiveMessages, releaseMessages, sendMessages} from '../../source/aws/messages.ts';
import {cancelMoveTask, startMoveTask, listMoveTasks} from '../../source/aws/move-tasks.ts';
import {invokeAsync} from '../../source/aws/invoke.ts';
import {redriveCommand, exportCommand} from '../../source/redrive/commands.ts';
import {runRedrive} from '../../source/redrive/engine.ts';
import {readRedriveFile} from '../../source/redrive/export.ts';
import {readJournal} from '../../source/redrive/journal.ts';
import {createMutationGate, ReadOnlyError} from '../../source/aws/mutation-gate.ts';
import {startFauxqs, testAwsConfig, type RunningServer} from '../helpers/servers.ts';

let server: RunningServer;
let clients: AwsClients;
let dir: string;
const calls: string[] = [];
const gate = createMutationGate({readOnly: false});
let n = 0;

before(async () => {
  server = await startFauxqs();
  clients = createClients(testAwsConfig(server.endpoint));
  clients.sqs.middlewareStack.add((next, context) => async (args) => {
    calls.push(String(context.commandName));
    return next(args);
  }, {step: 'initialize', name: 'countCalls'});
  dir = await mkdtemp(join(tmpdir(), 'redrive-sqs-'));
  process.env.XDG_STATE_HOME = dir; // default journals go to a temp dir, never the user's state
});
after(async () => {
  clients?.destroy();
  await server?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

async function queue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const r = await clients.sqs.send(new CreateQueueCommand({QueueName: `${name}-${++n}`, Attributes: attributes}));
  return r.QueueUrl!;
}

async function counts(url: string) {
  const r = await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']}));
  return {visible: Number(r.Attributes?.ApproximateNumberOfMessages), inFlight: Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible)};
}

const allTypes = (i: number): Record<string, MessageAttributeValue> => ({
  RequestID: {DataType: 'String', StringValue: `req-${i}`},
  ErrorCode: {DataType: 'Number', StringValue: '500'},
  Ratio: {DataType: 'Number.float', StringValue: '0.25'},
  Blob: {DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255, i & 0xff])},
  Zipped: {DataType: 'Binary.gzip', BinaryValue: Buffer.from('zz')},
  Note: {DataType: 'String.custom', StringValue: 'ünïcode ✓'},
});

async function fill(url: string, count: number, body = (i: number) => JSON.stringify({id: `evt-${i}`})) {
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({length: Math.min(10, count - i)}, (_, k) => ({Id: `e${k}`, MessageBody: body(i + k), MessageAttributes: allTypes(i + k)}));
    const r = await clients.sqs.send(new SendMessageBatchCommand({QueueUrl: url, Entries: entries}));
    assert.equal(r.Successful?.length, entries.length);
  }
}

async function drain(url: string) {
  const out = [];
  for (;;) {
    const batch = await receiveMessages(clients, url, {max: 10, visibilityTimeoutSeconds: 60});
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

test('peek increments receive counts but leaves depth unchanged after release', async () => {
  const url = await queue('peek');
  await fill(url, 5);
  const peek = await peekMessages(clients, url, {max: 10, visibilityTimeoutSeconds: 30});
  assert.equal(peek.messages.length, 5);
  assert.equal((await counts(url)).inFlight, 5);
  const released = await peek.release();
  assert.equal(released.released, 5);
  assert.deepEqual(await counts(url), {visible: 5, inFlight: 0});
  const again = await receiveMessages(clients, url, {max: 10, visibilityTimeoutSeconds: 0});
  assert.ok(again.every((m) => m.receiveCount === 2), 'each peek counts a receive');
  // Every attribute type survives the round trip into domain values.
  const m = again.find((x) => x.messageAttributes.RequestID?.stringValue === 'req-0')!;
  assert.deepEqual(m.messageAttributes.ErrorCode, {dataType: 'Number', stringValue: '500'});
  assert.deepEqual(m.messageAttributes.Blob, {dataType: 'Binary', binaryValue: Buffer.from([0, 1, 2, 255, 0]).toString('base64')});
  assert.equal(typeof m.sentAt, 'number');
});

test('client-side move of N messages: all in the source, DLQ empty, attributes of every type preserved', async () => {
  const dlq = await queue('move-dlq');
  const source = await queue('move-src');
  await fill(dlq, 137);
  const original = new Map((await peekAll(dlq)).map((m) => [JSON.parse(m.body).id as string, m]));
  assert.equal(original.size, 137);
  const journalPath = join(dir, 'move.jsonl');
  const summary = await runRedrive({source: {queueUrl: dlq, role: 'source-dlq'}, target: {kind: 'queue', queueUrl: source}, rate: Infinity, journalPath, emptyWaitSeconds: 0}, {clients, gate});
  assert.equal(summary.accepted, 137);
  assert.equal(summary.deleted, 137);
  assert.equal(summary.exitCode, 0);
  assert.deepEqual(await counts(dlq), {visible: 0, inFlight: 0});
  const moved = await drain(source);
  assert.equal(moved.length, 137);
  for (const m of moved) {
    const before = original.get(JSON.parse(m.body).id)!;
    assert.equal(m.body, before.body);
    assert.deepEqual(m.messageAttributes, before.messageAttributes);
  }
  const journal = await readJournal(journalPath);
  assert.equal(journal.acceptedCount(`queue:${source}`), 137);
});

async function peekAll(url: string) {
  const all = await drain(url);
  await releaseMessages(clients, url, all.map((m) => m.receiptHandle));
  return all;
}

test('a destination with a small MaximumMessageSize rejects some entries: those stay in the DLQ, nothing lost', async () => {
  const dlq = await queue('size-dlq');
  const dest = await queue('size-dest', {MaximumMessageSize: '1024'});
  await fill(dlq, 30, (i) => JSON.stringify({id: `evt-${i}`, pad: i % 3 === 0 ? 'x'.repeat(2000) : ''}));
  const summary = await runRedrive({source: {queueUrl: dlq, role: 'source-dlq'}, target: {kind: 'queue', queueUrl: dest}, rate: Infinity, emptyWaitSeconds: 0}, {clients, gate});
  assert.equal(summary.accepted, 20);
  assert.equal(summary.failed, 10);
  assert.equal(summary.exitCode, 1);
  assert.ok(summary.failures.every((f) => f.outcome === 'rejected'), JSON.stringify(summary.failures[0]));
  const left = await drain(dlq);
  const arrived = await drain(dest);
  assert.equal(left.length, 10, 'the rejected ones are back and visible in the DLQ');
  assert.ok(left.every((m) => JSON.parse(m.body).pad.length === 2000));
  const ids = new Set([...left, ...arrived].map((m) => JSON.parse(m.body).id));
  assert.equal(ids.size, 30, 'every message is in exactly one of the two queues');
});

test('dry run peeks, reports what would be sent, sends and deletes nothing', async () => {
  const dlq = await queue('dry-dlq');
  const dest = await queue('dry-dest');
  await fill(dlq, 25);
  const readOnly = createMutationGate({readOnly: true});
  const summary = await runRedrive({source: {queueUrl: dlq, role: 'source-dlq'}, target: {kind: 'queue', queueUrl: dest}, dryRun: true, emptyWaitSeconds: 0}, {clients, gate: readOnly});
  assert.equal(summary.wouldSendCount, 25);
  assert.equal(summary.wouldSend.length, 25);
  assert.equal(summary.accepted, 0);
  assert.deepEqual(await counts(dlq), {visible: 25, inFlight: 0});
  assert.deepEqual(await counts(dest), {visible: 0, inFlight: 0});
});

test('read-only refuses every mutation and no mutating request reaches the server', async () => {
  const dlq = await queue('ro-dlq');
  const dest = await queue('ro-dest');
  await fill(dlq, 12);
  const readOnly = createMutationGate({readOnly: true});
  calls.length = 0;
  const refusals = [
    () => sendMessages(clients, readOnly, dest, [{id: 'a', body: 'x', messageAttributes: {}}]),
    () => deleteMessages(clients, readOnly, dlq, [{id: 'a', receiptHandle: 'rh'}]),
    () => startMoveTask(clients, readOnly, {sourceArn: 'arn:aws:sqs:us-east-1:000000000000:x'}),
    () => cancelMoveTask(clients, readOnly, 'handle'),
    () => invokeAsync(clients, readOnly, 'order-processor', '{}'),
    () => runRedrive({source: {queueUrl: dlq, role: 'source-dlq'}, target: {kind: 'queue', queueUrl: dest}}, {clients, gate: readOnly}),
  ];
  for (const call of refusals) await assert.rejects(call(), ReadOnlyError);
  assert.deepEqual(calls.filter((c) => c !== 'GetQueueAttributesCommand'), [], 'only the depth estimate was read');
  calls.length = 0;
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c) => (text += c));
  const code = await redriveCommand({queueUrl: dlq, toQueueUrl: dest, readOnly: true, yes: true}, {clients, stdout: new PassThrough(), stderr, confirm: async () => true, isTTY: false});
  assert.equal(code, 2);
  assert.match(text, /^lambda-top: refused: --read-only is set; redrive would send 12 events to /);
  const mutating = calls.filter((c) => /Send|Delete|ChangeMessageVisibility|Receive|Purge|MoveTask/.test(c));
  assert.deepEqual(mutating, []);
  assert.equal(readOnly.counts.allowed, 0);
  assert.deepEqual(await counts(dlq), {visible: 12, inFlight: 0});
  assert.deepEqual(await counts(dest), {visible: 0, inFlight: 0});
  // listMoveTasks is a read: allowed, and fauxqs says it does not support it.
  const listed = await listMoveTasks(clients, 'arn:aws:sqs:us-east-1:000000000000:x');
  assert.equal(listed.supported, false);
});

test('redrive --queue DLQ (redrive policy source) falls back to a client-side move; export leaves messages; --from-file replays', async () => {
  const dlq = await queue('policy-dlq');
  const dlqArn = (await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: dlq, AttributeNames: ['QueueArn']}))).Attributes!.QueueArn!;
  const source = await queue('policy-src', {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlqArn, maxReceiveCount: 3})});
  await fill(dlq, 15);
  // export: nothing removed
  const out = join(dir, 'export.jsonl');
  const exportCode = await exportCommand({queueUrl: dlq, source: 'source-dlq', out}, {clients, stdout: new PassThrough(), stderr: new PassThrough(), isTTY: false});
  assert.equal(exportCode, 0);
  const lines = (await readFile(out, 'utf8')).trim().split('\n');
  assert.equal(lines.length, 15);
  assert.deepEqual(await counts(dlq), {visible: 15, inFlight: 0});
  // without --yes and no TTY: refused
  const noTty = await redriveCommand({queueUrl: dlq, readOnly: false}, {clients, stdout: new PassThrough(), stderr: new PassThrough(), confirm: async () => true, isTTY: false});
  assert.equal(noTty, 2);
  assert.equal((await counts(dlq)).visible, 15);
  // move back to the source found through ListDeadLetterSourceQueues
  let err = '';
  const stderr = new PassThrough();
  stderr.on('data', (c) => (err += c));
  const stdout = new PassThrough();
  let json = '';
  stdout.on('data', (c) => (json += c));
  const code = await redriveCommand({queueUrl: dlq, readOnly: false, yes: true, json: true, journalPath: join(dir, 'policy.jsonl'), rate: 1000}, {clients, stdout, stderr, confirm: async () => true, isTTY: false});
  assert.equal(code, 0, err);
  assert.match(err, /server-side move not available here/);
  assert.equal(JSON.parse(json).accepted, 15);
  assert.deepEqual(await counts(dlq), {visible: 0, inFlight: 0});
  assert.equal((await counts(source)).visible, 15);
  // --from-file replays the exported (editable) records to another queue; the journal prevents a second send
  const replayTarget = await queue('replay');
  const events = [];
  for await (const e of readRedriveFile(out)) events.push(e);
  assert.equal(events.length, 15);
  assert.equal(events[0]!.messageAttributes.ErrorCode?.dataType, 'Number');
  const journalPath = join(dir, 'replay.jsonl');
  for (let round = 0; round < 2; round++) {
    const out2 = new PassThrough();
    let json2 = '';
    out2.on('data', (c) => (json2 += c));
    const code2 = await redriveCommand({fromFile: out, toQueueUrl: replayTarget, readOnly: false, yes: true, json: true, journalPath, rate: 1000}, {clients, stdout: out2, stderr: new PassThrough(), confirm: async () => true, isTTY: false});
    assert.equal(code2, 0);
    const s2 = JSON.parse(json2);
    if (round === 1) assert.deepEqual([s2.accepted, s2.skips['already-accepted']], [0, 15], 'the second round finds every payload already accepted');
  }
  assert.equal((await counts(replayTarget)).visible, 15, 'sent once, not twice');
});
