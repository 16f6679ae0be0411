// kill -9 a redrive at random instants, many times, and resume until done: every original message reaches
// the target at least once and leaves the DLQ; duplicates stay within the in-flight window per kill.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {receiveMessages, deleteMessages} from '../../source/aws/messages.ts';
import {readJournal} from '../../source/redrive/journal.ts';
import {createMutationGate} from '../../source/aws/mutation-gate.ts';
import {startFauxqs, testAwsConfig, type RunningServer} from '../helpers/servers.ts';
import {killAllChildren, runRedriveChild, type ChildRun} from '../helpers/killable-child.ts';

const MESSAGES = 3000;
const CONCURRENCY = 4;
const BATCH = 10;
const TIME_BUDGET_MS = 45_000;

let server: RunningServer;
let clients: AwsClients;
let dir: string;

before(async () => {
  server = await startFauxqs();
  clients = createClients(testAwsConfig(server.endpoint));
  dir = await mkdtemp(join(tmpdir(), 'redrive-kill-'));
});
after(async () => {
  killAllChildren();
  clients?.destroy();
  await server?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

async function depth(url: string) {
  const r = await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']}));
  return {visible: Number(r.Attributes?.ApproximateNumberOfMessages), inFlight: Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible)};
}

function runChild(dlq: string, target: string, journal: string, killAfterMs: number | null): Promise<ChildRun> {
  return runRedriveChild([server.endpoint, dlq, target, journal, String(CONCURRENCY), '2', '600'], killAfterMs);
}

test(`kill -9 during a ${MESSAGES}-message move, resume until done: nothing lost, duplicates bounded`, {timeout: 120_000}, async () => {
  const dlq = (await clients.sqs.send(new CreateQueueCommand({QueueName: 'kill-dlq'}))).QueueUrl!;
  const target = (await clients.sqs.send(new CreateQueueCommand({QueueName: 'kill-target'}))).QueueUrl!;
  for (let i = 0; i < MESSAGES; i += 10) {
    await clients.sqs.send(new SendMessageBatchCommand({QueueUrl: dlq, Entries: Array.from({length: 10}, (_, k) => ({Id: `e${k}`, MessageBody: JSON.stringify({uid: `u-${i + k}`}), MessageAttributes: {N: {DataType: 'Number', StringValue: String(i + k)}}}))}));
  }
  const journal = join(dir, 'kill.jsonl');
  const started = Date.now();
  let kills = 0;
  let runs = 0;
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (;;) {
    const left = await depth(dlq);
    if (left.visible === 0 && left.inFlight === 0) break;
    // Held by a killed child: it reappears after the 2 s visibility timeout (fauxqs expires it lazily, on
    // the next receive, so a resumed run is what brings it back).
    if (left.visible === 0) await new Promise((r) => setTimeout(r, 2100));
    const budgetLeft = TIME_BUDGET_MS - (Date.now() - started);
    assert.ok(budgetLeft > -30_000, 'resume did not finish in time');
    const killAfter = budgetLeft > 0 ? 20 + Math.floor(random() * 400) : null;
    const result = await runChild(dlq, target, journal, killAfter);
    runs++;
    if (process.env.KILL_DEBUG) process.stderr.write(`# run ${runs} killAfter ${killAfter} killed ${result.killed} ${JSON.stringify(left)} ${result.output.replace(/\n/g, ' ').slice(0, 200)}\n`);
    if (result.killed) kills++;
    else assert.ok(result.done, result.output);
  }
  // Every original message arrived at least once.
  const counts = new Map<string, number>();
  let arrived = 0;
  for (;;) {
    const batch = await receiveMessages(clients, target, {max: 10, visibilityTimeoutSeconds: 60});
    if (batch.length === 0) break;
    for (const m of batch) {
      const uid = JSON.parse(m.body).uid as string;
      counts.set(uid, (counts.get(uid) ?? 0) + 1);
      arrived++;
      assert.equal(m.messageAttributes.N?.dataType, 'Number');
    }
    await deleteMessages(clients, createMutationGate({readOnly: false}), target, batch.map((m) => ({id: m.messageId, receiptHandle: m.receiptHandle})));
  }
  for (let i = 0; i < MESSAGES; i++) assert.ok(counts.has(`u-${i}`), `u-${i} never arrived`);
  assert.deepEqual(await depth(dlq), {visible: 0, inFlight: 0});
  const duplicates = arrived - MESSAGES;
  const index = await readJournal(journal);
  process.stderr.write(`# kill test: ${MESSAGES} messages, ${runs} runs, ${kills} kill -9, ${duplicates} duplicates (bound ${kills * CONCURRENCY * BATCH}), journal ${index.records} records, ${index.badLines} torn line(s), ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  assert.ok(kills >= 8, `only ${kills} kills landed`);
  assert.ok(duplicates <= kills * CONCURRENCY * BATCH, `duplicates ${duplicates} > ${kills} kills x in-flight ${CONCURRENCY * BATCH}`);
});
