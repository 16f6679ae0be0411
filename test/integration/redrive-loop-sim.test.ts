// Closed-loop and canary redrive against the simulator (real wire protocols, the real SDK): avatar-timeouts
// before its fix ships (minute 105) -> the canary's events time out again under the NEW request ids the 202s
// returned, land in the DLQ under those ids, and the canary stops (exit 4, nothing more sent); after the fix
// (the simulator opened at minute 110) -> the canary succeeds and the rest is sent and followed. Also:
// AccessDenied on FilterLogEvents (outcomes stay pending with the reason), throttled FilterLogEvents (backed
// off, outcomes still found), and `--outcomes` reading an earlier run back from its journal.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {discoverTopology, getQueueUrl} from '../../source/aws/discovery.ts';
import {getQueueInfo, receiveMessages, releaseMessages} from '../../source/aws/messages.ts';
import {logsPacerFor} from '../../source/aws/logs-pacer.ts';
import {parseFailedEvent} from '../../source/domain/failed-event.ts';
import {redriveCommand, type RedriveCommandOptions} from '../../source/redrive/commands.ts';
import {readJournal, readJournalEntries} from '../../source/redrive/journal.ts';
import {startSimulator, type RunningSimulator} from '../../source/sim/index.ts';
import type {SimWorld} from '../../source/sim/lambda/world.ts';
import {captureIo} from '../helpers/capture.ts';

const FN = 'avatar-processor';

async function withWorld<T>(startMinute: number | undefined, run: (sim: RunningSimulator, clients: AwsClients, dir: string) => Promise<T>): Promise<T> {
  const sim = await startSimulator({port: 0, scenario: 'avatar-timeouts', seed: 5, speed: 60, ...(startMinute !== undefined ? {startMinute} : {})});
  const clients = createClients({endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1, requestTimeoutMs: 5000});
  const dir = await mkdtemp(join(tmpdir(), 'redrive-loop-'));
  try {
    return await run(sim, clients, dir);
  } finally {
    clients.destroy();
    await sim.stop();
    await rm(dir, {recursive: true, force: true});
  }
}

async function redrive(clients: AwsClients, options: Partial<RedriveCommandOptions>): Promise<{code: number; err: string; json: any}> {
  const {stdout, stderr} = captureIo();
  const code = await redriveCommand(
    {functionName: FN, source: 'dlq', yes: true, readOnly: false, rate: 50, followPollMs: 500, ...options},
    {clients, stdout, stderr, confirm: async () => true, isTTY: false},
  );
  return {code, err: stderr.text, json: stdout.text.trim() === '' ? null : JSON.parse(stdout.text)};
}

async function dlqUrl(clients: AwsClients): Promise<string> {
  const topology = await discoverTopology(clients, {functionName: FN});
  return getQueueUrl(clients, topology.deadLetterTarget!.arn);
}

/** Every DLQ message's RequestID (peeked, released). */
async function dlqRequestIds(clients: AwsClients, url: string): Promise<Map<string, string>> {
  const held: string[] = [];
  const ids = new Map<string, string>();
  for (;;) {
    const batch = await receiveMessages(clients, url, {max: 10, visibilityTimeoutSeconds: 30});
    if (batch.length === 0) break;
    for (const m of batch) {
      held.push(m.receiptHandle);
      const e = parseFailedEvent(m, 'dlq', url);
      if (e.requestId) ids.set(e.requestId, m.messageId);
    }
  }
  await releaseMessages(clients, url, held);
  return ids;
}

test('before the fix: the canary times out again under the 202 request ids, lands in the DLQ under them, and stops the run', {timeout: 120_000}, async () => {
  await withWorld(undefined, async (sim, clients, dir) => {
    assert.ok((sim.world as SimWorld).scenarioMinute() < 105, 'the fix has not shipped');
    const url = await dlqUrl(clients);
    const before = (await getQueueInfo(clients, url)).visible ?? 0;
    assert.ok(before >= 10, `the DLQ holds failures (${before})`);
    const journalPath = join(dir, 'j.jsonl');
    const r = await redrive(clients, {canary: 3, journalPath, json: true});
    assert.equal(r.code, 4, r.err);
    // Each redriven event draws its duration anew: one whose image is near the limit may pass this time.
    assert.match(r.err, /canary: [1-3] of 3 failed again: Timeout; 0 more sent; the rest are still in avatar-processor-dlq/);
    assert.equal(r.json.canary.go, false);
    const all = r.json.canary.outcomes.events as Array<{newRequestId: string; outcome: string; newFailure: {messageId: string | null; requestId: string | null} | null}>;
    assert.equal(all.length, 3);
    for (const e of all) assert.ok(e.outcome === 'failed again (Timeout)' || e.outcome === 'succeeded', e.outcome);
    const events = all.filter((e) => e.outcome !== 'succeeded');
    assert.ok(events.length >= 1);
    // Only the canary was sent: 3 acceptances in the journal.
    const accepted = (await readJournalEntries(journalPath)).filter((x) => x.outcome === 'accepted');
    assert.equal(accepted.length, 3);
    // The identity fact in the simulator: the new failure is in the DLQ under the id the 202 returned.
    const inDlq = await dlqRequestIds(clients, url);
    for (const e of events) assert.ok(inDlq.has(e.newRequestId), `the redriven event failed for good under its new id ${e.newRequestId}`);
    const linked = events.filter((e) => e.newFailure?.messageId);
    for (const e of linked) assert.equal(inDlq.get(e.newRequestId), e.newFailure!.messageId, 'linked to its new DLQ message');
    // The outcomes are journaled beside the acceptances.
    const index = await readJournal(journalPath);
    for (const e of events) {
      assert.equal(index.outcomes.get(e.newRequestId)?.state, 'failed-again');
      assert.equal(index.outcomes.get(e.newRequestId)?.errorType, 'Timeout');
    }
    for (const a of accepted) assert.ok(index.outcomes.has(a.newId!), 'every canary outcome journaled');
  });
});

test('after the fix (opened at minute 110): the canary succeeds, the rest is sent and followed; --outcomes reads it back', {timeout: 120_000}, async () => {
  await withWorld(110, async (sim, clients, dir) => {
    assert.ok((sim.world as SimWorld).scenarioMinute() >= 106, 'the fix has shipped');
    const journalPath = join(dir, 'j.jsonl');
    const r = await redrive(clients, {canary: 5, limit: 8, follow: true, journalPath, json: true});
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /canary: 5 of 5 succeeded; sending the rest/);
    assert.equal(r.json.canary.go, true);
    assert.equal(r.json.outcomes.summary.line, '8 succeeded');
    assert.equal(r.json.outcomes.events.length, 8);
    assert.ok(r.json.outcomes.events.every((e: {outcome: string}) => e.outcome === 'succeeded'));
    assert.match(r.err, /outcomes: 8 succeeded/);
    // Later, from the journal: the last run's events (the 3 after the canary), known without a look-up.
    const later = await redrive(clients, {outcomes: true, journalPath, json: true, readOnly: true});
    assert.equal(later.code, 0, later.err);
    assert.match(later.err, /3 known from the journal/);
    assert.equal(later.json.outcomes.summary.line, '3 succeeded');
  });
});

test('AccessDenied on the log group: outcomes stay pending with the reason; throttled FilterLogEvents: backed off, outcomes found', {timeout: 120_000}, async () => {
  await withWorld(110, async (sim, clients, dir) => {
    sim.faults.configure({rules: [{operation: 'FilterLogEvents', accessDenied: 1}]});
    const denied = await redrive(clients, {canary: 2, limit: 2, journalPath: join(dir, 'a.jsonl'), json: true, followMaxWaitMs: 1500});
    assert.equal(denied.code, 4, denied.err);
    assert.match(denied.err, /canary: 2 of 2 not known within the retry schedule/);
    for (const e of denied.json.canary.outcomes.events as Array<{outcome: string; reason: string}>) {
      assert.equal(e.outcome, 'pending');
      assert.match(e.reason, /^logs not readable: .*(AccessDenied|not allowed|denied)/i);
    }
    sim.faults.configure({seed: 4, rules: [{operation: 'FilterLogEvents', throttle: 0.5}]});
    const pacer = await logsPacerFor(clients);
    const throttledBefore = pacer.stats.throttled;
    const throttled = await redrive(clients, {canary: 3, limit: 3, journalPath: join(dir, 't.jsonl'), json: true});
    assert.equal(throttled.code, 0, throttled.err);
    assert.equal(throttled.json.canary.verdict, 'canary: 3 of 3 succeeded');
    assert.ok(pacer.stats.throttled > throttledBefore, 'some FilterLogEvents calls were throttled and retried');
  });
});

test('a canary resumed after a kill: the earlier run\'s sends without a known outcome count in it; only the difference is sent', {timeout: 120_000}, async () => {
  await withWorld(110, async (_sim, clients, dir) => {
    const journalPath = join(dir, 'j.jsonl');
    // What a canary killed after its sends leaves: 2 acceptances journaled, no outcome lines.
    const {runRedrive} = await import('../../source/redrive/engine.ts');
    const {createMutationGate} = await import('../../source/aws/mutation-gate.ts');
    const killed = await runRedrive({source: {queueUrl: await dlqUrl(clients), role: 'dlq'}, target: {kind: 'lambda', functionName: FN}, rate: 50, limit: 2, journalPath}, {clients, gate: createMutationGate({readOnly: false})});
    assert.equal(killed.accepted, 2);
    const r = await redrive(clients, {canary: 5, limit: 5, journalPath, json: true});
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /canary: 2 event\(s\) an earlier run sent have no known outcome yet: they count in this canary; sending 3 more/);
    assert.equal(r.json.canary.verdict, 'canary: 5 of 5 succeeded');
    const accepted = (await readJournalEntries(journalPath)).filter((x) => x.outcome === 'accepted');
    assert.equal(accepted.length, 5, 'nothing accepted earlier was sent again');
  });
});
