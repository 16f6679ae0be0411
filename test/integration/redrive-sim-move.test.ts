// `redrive --function X --source source-dlq` against the simulator (throttled-orders: the orders queue feeds
// order-processor through an event source mapping; orders-dlq is the queue's redrive-policy DLQ).
// (a) the server-side move (StartMessageMoveTask) takes every DLQ message back to the orders queue;
// (b) with StartMessageMoveTask failing, or its answer lost, the client-side fallback does it: nothing lost;
// (c) read-only refuses with zero mutating requests reaching the simulator;
// and the errors of `redrive --function` name where the function's failures do go.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {after, before, test} from 'node:test';
import {GetQueueUrlCommand, ReceiveMessageCommand} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {redriveCommand, type RedriveCommandOptions} from '../../source/redrive/commands.ts';
import {startSimulator} from '../../source/sim/index.ts';
import type {SimSqs} from '../../source/sim/sqs/engine.ts';

const FN = 'order-processor';
let sim: Awaited<ReturnType<typeof startSimulator>>;
let clients: AwsClients;
let dir: string;
let engine: SimSqs;
let ordersUrl: string;
let dlqUrl: string;
/** Bodies received from the orders queue by anyone (the event source mapping, SDK callers), while recording. */
const receivedFromOrders = new Set<string>();
let recording = false;

before(async () => {
  sim = await startSimulator({port: 0, scenario: 'throttled-orders', speed: 10, seed: 5});
  clients = createClients({endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1, requestTimeoutMs: 5000});
  dir = await mkdtemp(join(tmpdir(), 'redrive-sim-move-'));
  process.env.XDG_STATE_HOME = dir; // default journals go to a temp dir, never the user's state
  engine = sim.world.sqs as SimSqs;
  ordersUrl = (await clients.sqs.send(new GetQueueUrlCommand({QueueName: 'orders'}))).QueueUrl!;
  dlqUrl = (await clients.sqs.send(new GetQueueUrlCommand({QueueName: 'orders-dlq'}))).QueueUrl!;
  // Observe what leaves the orders queue: the mapping consumes redriven messages, so "the source queue got
  // them" means received from it (or still in it). The wire handler and the model both call world.sqs.receive.
  const wrapper = engine as unknown as {receive: SimSqs['receive']};
  const receive = wrapper.receive.bind(engine);
  wrapper.receive = (url, options) => {
    const messages = receive(url, options);
    if (recording && engine.resolve(url).name === 'orders') for (const m of messages) receivedFromOrders.add(m.Body);
    return messages;
  };
});
after(async () => {
  clients?.destroy();
  await sim?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

async function mutations(): Promise<Record<string, number>> {
  const response = await fetch(`${sim.endpoint}/_lambda-top/mutations`);
  return ((await response.json()) as {received: Record<string, number>}).received;
}

/** Receives from the orders queue past maxReceiveCount (3) until the DLQ holds at least `n` messages
 * (each receive with VisibilityTimeout 0 counts one receive; the 4th moves a message to orders-dlq). */
async function fillDlq(n: number): Promise<Array<{messageId: string; body: string}>> {
  const deadline = Date.now() + 20_000;
  while (engine.peekAll(dlqUrl).length < n) {
    assert.ok(Date.now() < deadline, `orders-dlq has only ${engine.peekAll(dlqUrl).length} messages`);
    await clients.sqs.send(new ReceiveMessageCommand({QueueUrl: ordersUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0}));
  }
  return engine.peekAll(dlqUrl).map((m) => ({messageId: m.messageId, body: m.body}));
}

async function run(options: Partial<RedriveCommandOptions>): Promise<{code: number; err: string; out: string}> {
  let err = '';
  let out = '';
  const stderr = new PassThrough();
  const stdout = new PassThrough();
  stderr.on('data', (c) => (err += c));
  stdout.on('data', (c) => (out += c));
  const code = await redriveCommand({functionName: FN, source: 'source-dlq', readOnly: false, yes: true, journalPath: join(dir, `j-${Date.now()}.jsonl`), ...options}, {clients, stdout, stderr, confirm: async () => true, isTTY: false});
  return {code, err, out};
}

/** Every original DLQ message left the DLQ and its body reached the orders queue. */
async function assertMovedBack(originals: Array<{messageId: string; body: string}>) {
  // Redriven messages get new ids: an original id still in the DLQ is a message that was not moved.
  const left = new Set(engine.peekAll(dlqUrl).map((m) => m.messageId));
  assert.deepEqual(originals.filter((m) => left.has(m.messageId)).map((m) => m.messageId), [], 'original messages still in orders-dlq');
  const inOrders = new Set(engine.peekAll(ordersUrl).map((m) => m.body));
  const missing = originals.filter((m) => !inOrders.has(m.body) && !receivedFromOrders.has(m.body));
  assert.deepEqual(missing.map((m) => m.messageId), [], 'messages that never reached the orders queue');
}

test('--function errors say where the failures go; read-only refuses with zero mutating requests', async () => {
  const plain = await run({source: undefined});
  assert.equal(plain.code, 2);
  assert.match(plain.err, /^lambda-top: order-processor has no OnFailure destination queue; its failures go to the DLQ orders-dlq of its SQS event source orders \(--source source-dlq\)/);
  const dlq = await run({source: 'dlq'});
  assert.match(dlq.err, /^lambda-top: order-processor has no dead-letter queue; its failures go to the DLQ orders-dlq/);
  const mailer = await run({functionName: 'order-confirmation-mailer'});
  assert.equal(mailer.code, 2);
  assert.match(mailer.err, /^lambda-top: order-confirmation-mailer has no SQS event source; its failures go to its DLQ, the SQS queue order-confirmation-mailer-dlq \(--source dlq\)/);

  await fillDlq(3);
  const before = await mutations();
  const refused = await run({readOnly: true});
  assert.equal(refused.code, 2);
  assert.match(refused.err, /^lambda-top: refused: --read-only is set; redrive would send \d+ events? to http:\/\/127\.0\.0\.1:\d+\/\d+\/orders\n$/);
  assert.deepEqual(await mutations(), before, 'no mutating request reached the simulator');
});

test('(a) source-dlq: StartMessageMoveTask moves every DLQ message back to the orders queue', {timeout: 60_000}, async () => {
  const originals = await fillDlq(12);
  recording = true;
  const before = await mutations();
  const {code, err, out} = await run({json: true});
  assert.equal(code, 0, err);
  assert.match(err, /server-side move task started on orders-dlq \(StartMessageMoveTask\), back to the queue each message came from/);
  assert.match(err, /redrive \(server-side move\): \d+\/\d+ moved/);
  assert.match(err, /redrive finished: the server-side move took \d+ of \d+ message\(s\) from orders-dlq/);
  const summary = JSON.parse(out) as {mode: string; task: {status: string; moved: number}};
  assert.equal(summary.mode, 'server-side');
  assert.equal(summary.task.status, 'COMPLETED');
  assert.ok(summary.task.moved >= originals.length, `moved ${summary.task.moved} of ${originals.length}`);
  const after = await mutations();
  assert.equal((after.StartMessageMoveTask ?? 0) - (before.StartMessageMoveTask ?? 0), 1);
  assert.equal((after.SendMessageBatch ?? 0) - (before.SendMessageBatch ?? 0), 0, 'nothing moved client-side');
  assert.equal((after.DeleteMessageBatch ?? 0) - (before.DeleteMessageBatch ?? 0), 0, 'nothing deleted client-side');
  await assertMovedBack(originals);
  process.stderr.write(`# server-side move: ${originals.length} originals, task moved ${summary.task.moved}\n`);
});

for (const [name, rule] of [
  ['fails (500 on every call)', {operation: 'StartMessageMoveTask', error: 1}],
  ['is throttled', {operation: 'StartMessageMoveTask', throttle: 1}],
  ['is not supported (as on emulators)', {operation: 'StartMessageMoveTask', unsupported: 1}],
  ['starts but its answer is lost', {operation: 'StartMessageMoveTask', dropAfter: 1}],
] as const) {
  test(`(b) StartMessageMoveTask ${name}: the move still completes, nothing lost`, {timeout: 60_000}, async () => {
    const originals = await fillDlq(10);
    recording = true;
    sim.faults.configure({seed: 1, rules: [rule]});
    const before = await mutations();
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run({json: true});
    } finally {
      sim.faults.configure({rules: []});
    }
    assert.equal(result.code, 0, result.err);
    const after = await mutations();
    const sent = (after.SendMessageBatch ?? 0) - (before.SendMessageBatch ?? 0);
    if ('dropAfter' in rule) {
      // The task started: it is followed (still running when listed) or reported (it already ended). Never a
      // client-side move beside it: not one SendMessageBatch.
      assert.match(result.err, /a move task is running on orders-dlq|the move task it started on orders-dlq \(started [^)]+\) has already ended: COMPLETED/);
      assert.match(result.err, /redrive finished: the server-side move took \d+ of \d+ message\(s\) from orders-dlq/);
      assert.equal(sent, 0, 'no client-side move beside the task');
    } else {
      assert.match(result.err, 'unsupported' in rule ? /server-side move not available here \(InvalidAction: .*\); moving client-side/ : /server-side move failed \(.+\); moving client-side/);
      assert.match(result.err, /redrive finished: \d+ accepted by queue:/);
      assert.ok(sent > 0, 'the client-side fallback sent the messages');
      const summary = JSON.parse(result.out) as {accepted: number; deleted: number};
      assert.ok(summary.accepted >= originals.length && summary.deleted === summary.accepted, JSON.stringify(summary));
    }
    await assertMovedBack(originals);
    process.stderr.write(`# StartMessageMoveTask ${name}: ${originals.length} originals, ${sent} SendMessageBatch call(s); ${result.err.split('\n').find((l) => /server-side move|move task/.test(l))}\n`);
  });
}

/** Faults for the lost-start-answer case: StartMessageMoveTask's answer is lost (the task starts), and from the
 * moment it starts ListMessageMoveTasks is throttled, so the command cannot tell at once whether a task runs. */
function loseStartAnswerThenThrottleListing(): () => void {
  const wrapper = engine as unknown as {startMoveTask: SimSqs['startMoveTask']};
  const start = wrapper.startMoveTask;
  wrapper.startMoveTask = (input) => {
    sim.faults.configure({seed: 3, rules: [{operation: 'StartMessageMoveTask', dropAfter: 1}, {operation: 'ListMessageMoveTasks', throttle: 1}]});
    return start.call(engine, input);
  };
  sim.faults.configure({seed: 3, rules: [{operation: 'StartMessageMoveTask', dropAfter: 1}]});
  return () => {
    wrapper.startMoveTask = start;
    sim.faults.configure({rules: []});
  };
}

test('(d) StartMessageMoveTask answer lost, listing throttled for a while: it keeps asking, then reports what the task did; no client-side move', {timeout: 60_000}, async () => {
  const originals = await fillDlq(8);
  recording = true;
  const restore = loseStartAnswerThenThrottleListing();
  const before = await mutations();
  // The listing answers again after 3 s of throttling.
  const heal = setTimeout(() => sim.faults.configure({rules: []}), 3000);
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run({json: true, moveTaskLookupMs: 30_000});
  } finally {
    clearTimeout(heal);
    restore();
  }
  assert.equal(result.code, 0, result.err);
  assert.match(result.err, /StartMessageMoveTask answered .+, but (a move task is running on orders-dlq|the move task it started on orders-dlq \(started [^)]+\) has already ended: COMPLETED)/);
  assert.match(result.err, /redrive finished: the server-side move took \d+ of \d+ message\(s\) from orders-dlq/);
  assert.doesNotMatch(result.err, /moving client-side/);
  const after = await mutations();
  assert.equal((after.StartMessageMoveTask ?? 0) - (before.StartMessageMoveTask ?? 0), 1, 'one start, not a second task');
  assert.equal((after.SendMessageBatch ?? 0) - (before.SendMessageBatch ?? 0), 0, 'no client-side move beside the task');
  assert.equal((after.DeleteMessageBatch ?? 0) - (before.DeleteMessageBatch ?? 0), 0, 'nothing deleted client-side');
  const summary = JSON.parse(result.out) as {mode: string; task: {status: string; moved: number}};
  assert.equal(summary.mode, 'server-side');
  assert.equal(summary.task.status, 'COMPLETED');
  assert.ok(summary.task.moved >= originals.length, `moved ${summary.task.moved} of ${originals.length}`);
  await assertMovedBack(originals);
});

test('(d) StartMessageMoveTask answer lost, listing failing throughout: "a move task may be running", exit 1, nothing moved client-side', {timeout: 60_000}, async () => {
  const originals = await fillDlq(8);
  recording = true;
  const restore = loseStartAnswerThenThrottleListing();
  const before = await mutations();
  let result: Awaited<ReturnType<typeof run>>;
  const startedAt = Date.now();
  try {
    result = await run({json: true, moveTaskLookupMs: 3000});
  } finally {
    restore();
  }
  const seconds = (Date.now() - startedAt) / 1000;
  assert.equal(result.code, 1, result.err);
  assert.match(result.err, /^lambda-top: a move task may be running on orders-dlq: StartMessageMoveTask answered .+, and ListMessageMoveTasks could not say for \d+ s \(.*Throttl.*\); nothing was moved client-side: check with `aws sqs list-message-move-tasks --source-arn arn:aws:sqs:[^:]+:\d+:orders-dlq` before redriving again$/m);
  assert.ok(seconds < 20, `gave up after ${seconds} s, bounded by moveTaskLookupMs`);
  const after = await mutations();
  assert.equal((after.SendMessageBatch ?? 0) - (before.SendMessageBatch ?? 0), 0, 'no client-side move beside a task that may run');
  assert.equal((after.DeleteMessageBatch ?? 0) - (before.DeleteMessageBatch ?? 0), 0);
  assert.equal((JSON.parse(result.out) as {mode: string}).mode, 'unknown');
  // The task did run on the server: the messages are back in the orders queue all the same.
  const deadline = Date.now() + 10_000;
  while (engine.peekAll(dlqUrl).some((m) => originals.some((o) => o.messageId === m.messageId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await assertMovedBack(originals);
});
