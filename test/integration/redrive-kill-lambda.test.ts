// kill -9 a `redrive --function` (Lambda async DLQ -> Invoke) at random instants, a dozen+ times, and resume
// until done. The simulator runs in this process (it outlives the children); its world.invoke is observed
// to count, per payload id, the Invoke calls it ACCEPTED. Every original event must have been accepted at
// least once and have left the DLQ; duplicates stay within the in-flight window per kill.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {GetQueueUrlCommand, SendMessageBatchCommand} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {readJournal} from '../../source/redrive/journal.ts';
import {startSimulator} from '../../source/sim/index.ts';
import type {SimSqs} from '../../source/sim/sqs/engine.ts';
import type {LambdaWorld} from '../../source/sim/ports.ts';
import {killAllChildren, runRedriveChild, type ChildRun} from '../helpers/killable-child.ts';

const FN = 'avatar-processor';
const EVENTS = 1000;
/** The engine's defaults for a Lambda target: 2 batches of 10 in flight. */
const IN_FLIGHT = 2 * 10;
const KILL_BUDGET_MS = 20_000;

let sim: Awaited<ReturnType<typeof startSimulator>>;
let clients: AwsClients;
let dir: string;
/** uid -> Invoke calls the simulator accepted with that payload. */
const accepted = new Map<string, number>();

before(async () => {
  sim = await startSimulator({port: 0, scenario: 'avatar-timeouts', speed: 10, seed: 11});
  clients = createClients({endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1});
  dir = await mkdtemp(join(tmpdir(), 'redrive-kill-lambda-'));
  const world = sim.world as {invoke: LambdaWorld['invoke']};
  const invoke = world.invoke.bind(sim.world);
  world.invoke = (name, payload, type, qualifier) => {
    const result = invoke(name, payload, type, qualifier); // throws (not accepted) on throttles / errors
    const uid = /"uid":"(k-\d+)"/.exec(payload)?.[1];
    if (uid) accepted.set(uid, (accepted.get(uid) ?? 0) + 1);
    return result;
  };
});
after(async () => {
  killAllChildren();
  clients?.destroy();
  await sim?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

function runChild(journal: string, killAfterMs: number | null): Promise<ChildRun> {
  return runRedriveChild(['lambda', sim.endpoint, FN, journal, '150', '2'], killAfterMs);
}

test(`kill -9 during redrive --function of ${EVENTS} async failures, resume until done: every event invoked, duplicates bounded`, {timeout: 120_000}, async () => {
  const engine = sim.world.sqs as SimSqs;
  const dlq = (await clients.sqs.send(new GetQueueUrlCommand({QueueName: `${FN}-dlq`}))).QueueUrl!;
  for (let i = 0; i < EVENTS; i += 10) {
    await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlq,
        Entries: Array.from({length: 10}, (_, k) => ({
          Id: `e${k}`,
          MessageBody: JSON.stringify({uid: `k-${i + k}`, Records: [{eventSource: 'aws:s3', s3: {object: {key: `avatars/u${i + k}.png`, size: 2048}}}]}),
          MessageAttributes: {
            RequestID: {DataType: 'String', StringValue: `req-${i + k}`},
            ErrorCode: {DataType: 'Number', StringValue: '200'},
            ErrorMessage: {DataType: 'String', StringValue: 'Task timed out after 30.00 seconds'},
          },
        })),
      }),
    );
  }
  const originals = new Set(engine.peekAll(dlq).filter((m) => /"uid":"k-/.test(m.body)).map((m) => m.messageId));
  assert.equal(originals.size, EVENTS);
  const left = () => engine.peekAll(dlq).filter((m) => originals.has(m.messageId));
  const journal = join(dir, 'kill.jsonl');
  const started = Date.now();
  let kills = 0;
  let runs = 0;
  let seed = 4242;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (;;) {
    const remaining = left();
    if (remaining.length === 0) break;
    // Held by a killed child: visible again after the 2 s visibility timeout.
    if (remaining.every((m) => m.state !== 'visible')) await new Promise((r) => setTimeout(r, 2100));
    const budgetLeft = KILL_BUDGET_MS - (Date.now() - started);
    assert.ok(budgetLeft > -40_000, `resume did not finish in time (${remaining.length} originals left)`);
    const killAfter = budgetLeft > 0 ? 50 + Math.floor(random() * 600) : null;
    const result = await runChild(journal, killAfter);
    runs++;
    if (process.env.KILL_DEBUG) process.stderr.write(`# run ${runs} killAfter ${killAfter} killed ${result.killed} left ${remaining.length} ${result.output.replace(/\n/g, ' ').slice(-300)}\n`);
    if (result.killed) kills++;
    else assert.ok(result.done, result.output);
  }
  const missing = [...Array(EVENTS).keys()].map((i) => `k-${i}`).filter((uid) => !accepted.has(uid));
  assert.deepEqual(missing, [], 'events never accepted by Invoke');
  assert.deepEqual(left(), [], 'original events still in the DLQ');
  let duplicates = 0;
  for (const n of accepted.values()) duplicates += n - 1;
  const index = await readJournal(journal);
  process.stderr.write(
    `# lambda kill test: ${EVENTS} events, ${runs} runs, ${kills} kill -9, ${duplicates} duplicate invoke(s) (bound ${kills * IN_FLIGHT}), journal ${index.records} records, ${index.badLines} torn line(s), ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  assert.ok(kills >= 12, `only ${kills} kills landed`);
  assert.ok(duplicates <= kills * IN_FLIGHT, `duplicates ${duplicates} > ${kills} kills x in-flight ${IN_FLIGHT}`);
});
