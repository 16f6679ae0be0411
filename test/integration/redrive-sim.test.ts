// Lambda redrive against the simulator (real wire protocols) with its fault injection: Invoke throttled,
// failing, connections dropped before and after the call; DeleteMessageBatch entries failing and answers lost.
// Every event that was in the DLQ is afterwards either still there or accepted (journal), never neither;
// no message and no payload is accepted twice within one run.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {discoverTopology} from '../../source/aws/discovery.ts';
import {receiveMessages, releaseMessages} from '../../source/aws/messages.ts';
import {getQueueUrl} from '../../source/aws/discovery.ts';
import {runRedrive} from '../../source/redrive/engine.ts';
import {readJournalEntries} from '../../source/redrive/journal.ts';
import {createMutationGate} from '../../source/aws/mutation-gate.ts';
import {startSimulator} from '../../source/sim/index.ts';

let sim: Awaited<ReturnType<typeof startSimulator>>;
let clients: AwsClients;
let dir: string;

before(async () => {
  sim = await startSimulator({port: 0, scenario: 'avatar-timeouts', speed: 60, seed: 3});
  clients = createClients({endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1, requestTimeoutMs: 3000});
  dir = await mkdtemp(join(tmpdir(), 'redrive-sim-'));
});
after(async () => {
  clients?.destroy();
  await sim?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

async function peekAll(url: string) {
  const all = [];
  for (;;) {
    const batch = await receiveMessages(clients, url, {max: 10, visibilityTimeoutSeconds: 20});
    if (batch.length === 0) break;
    all.push(...batch);
  }
  await releaseMessages(clients, url, all.map((m) => m.receiptHandle));
  return all;
}

test('redrive under injected faults: every DLQ event still queued or accepted, none accepted twice in a run', {timeout: 90_000}, async () => {
  const fn = 'avatar-processor';
  const topology = await discoverTopology(clients, {functionName: fn});
  const dlq = await getQueueUrl(clients, topology.deadLetterTarget!.arn);
  const before = await peekAll(dlq);
  assert.ok(before.length >= 10, `the scenario should have filled the DLQ (has ${before.length})`);
  sim.faults.configure({
    seed: 9,
    rules: [
      {operation: 'Invoke', throttle: 0.15, error: 0.1, drop: 0.05, dropAfter: 0.05},
      {operation: 'DeleteMessageBatch', failEntries: 0.2, dropAfter: 0.1},
      {operation: 'ReceiveMessage', drop: 0.05},
    ],
  });
  const journalPath = join(dir, 'sim.jsonl');
  const runs: Array<{accepted: number; failed: number; deleteFailures: number; throttles: number}> = [];
  for (let run = 0; run < 3; run++) {
    const summary = await runRedrive(
      {source: {queueUrl: dlq, role: 'dlq'}, target: {kind: 'lambda', functionName: fn}, rate: 100, limit: before.length, journalPath, visibilityTimeoutSeconds: 2, emptyWaitSeconds: 0, maxAttempts: 3},
      {clients, gate: createMutationGate({readOnly: false})},
    );
    runs.push({accepted: summary.accepted, failed: summary.failed, deleteFailures: summary.deleteFailures.length, throttles: summary.throttles});
  }
  sim.faults.configure({rules: []});
  await new Promise((r) => setTimeout(r, 2100)); // messages held by the runs reappear
  const still = new Set((await peekAll(dlq)).map((m) => m.messageId));
  const records = await readJournalEntries(journalPath);
  const acceptedIds = new Set(records.filter((r) => r.outcome === 'accepted').map((r) => r.messageId));
  for (const m of before) assert.ok(still.has(m.messageId) || acceptedIds.has(m.messageId), `lost ${m.messageId}`);
  // Never accepted twice: the journal has at most one acceptance per message and per failed request id.
  const perMessage = new Map<string, number>();
  const perRequest = new Map<string, number>();
  for (const r of records.filter((x) => x.outcome === 'accepted')) {
    perMessage.set(r.messageId, (perMessage.get(r.messageId) ?? 0) + 1);
    if (r.originalRequestId) perRequest.set(r.originalRequestId, (perRequest.get(r.originalRequestId) ?? 0) + 1);
  }
  assert.ok([...perMessage.values()].every((n) => n === 1), 'a message accepted twice');
  assert.ok([...perRequest.values()].every((n) => n === 1), 'a request id accepted twice');
  const injected = JSON.stringify((sim.faults as unknown as {injected?: unknown}).injected ?? '');
  process.stderr.write(`# sim faults: ${before.length} events; runs ${JSON.stringify(runs)}; ${acceptedIds.size} accepted, ${[...still].filter((id) => before.some((m) => m.messageId === id)).length} of the originals still queued ${injected.slice(0, 200)}\n`);
  assert.ok(runs.some((r) => r.accepted > 0));
  // A resumed run without faults finishes the job: leftovers of accepted sends are deleted, never resent.
  const cleanup = await runRedrive(
    {source: {queueUrl: dlq, role: 'dlq'}, target: {kind: 'lambda', functionName: fn}, rate: 100, journalPath, visibilityTimeoutSeconds: 2, emptyWaitSeconds: 0},
    {clients, gate: createMutationGate({readOnly: false})},
  );
  const leftoverOriginals = [...still].filter((id) => acceptedIds.has(id));
  assert.ok(cleanup.leftoversDeleted >= leftoverOriginals.length, `leftovers ${leftoverOriginals.length}, deleted ${cleanup.leftoversDeleted}`);
  await new Promise((r) => setTimeout(r, 2100));
  const finalIds = new Set((await peekAll(dlq)).map((m) => m.messageId));
  assert.deepEqual(before.filter((m) => finalIds.has(m.messageId)).map((m) => m.messageId), [], 'every original left the DLQ');
  const all = await readJournalEntries(journalPath);
  const acceptedTwice = new Set<string>();
  const seen = new Set<string>();
  for (const r of all.filter((x) => x.outcome === 'accepted')) (seen.has(r.messageId) ? acceptedTwice : seen).add(r.messageId);
  assert.deepEqual([...acceptedTwice], [], 'the journal never lets a message be sent twice, across runs too');
  process.stderr.write(`# sim cleanup run: ${cleanup.accepted} accepted, ${cleanup.leftoversDeleted} leftovers deleted, ${cleanup.failedAgain} failed again after redrive\n`);
});
