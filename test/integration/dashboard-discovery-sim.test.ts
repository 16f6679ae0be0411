// Issue 10: rediscovery of a function with 200 SQS event sources takes each source's URL, redrive policy and
// visibility timeout from the dashboard's own queue reads (which read every queue in turn) instead of GetQueueUrl +
// GetQueueAttributes per source every 5 minutes; a read that differs from the topology runs discovery again at once,
// so a changed redrive policy shows sooner than the next rediscovery, not later.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SetQueueAttributesCommand} from '@aws-sdk/client-sqs';
import {withSim} from '../helpers/sim-clients.ts';
import type {AwsClients} from '../../source/aws/clients.ts';
import {createDashboardSource, type DashboardState} from '../../source/pollers/dashboard-source.ts';
import type {Timers} from '../../source/pollers/poller.ts';
import {countLeanReads} from '../helpers/count-reads.ts';

function countCalls(clients: AwsClients): {counts: Map<string, number>; reset(): void} {
  const counts = new Map<string, number>();
  // what leaves the process, whichever path sends it: the SDK clients and the lean reads (one custom endpoint)
  countLeanReads(clients, (name) => counts.set(name, (counts.get(name) ?? 0) + 1));
  for (const client of [clients.lambda, clients.sqs, clients.cloudwatch]) {
    (client.middlewareStack as {add(m: unknown, o: unknown): void}).add(
      (next: (args: unknown) => Promise<unknown>, context: {commandName?: string}) => async (args: unknown) => {
        const name = context.commandName ?? 'unknown';
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return next(args);
      },
      {step: 'initialize', name: 'discoveryCostCounter'},
    );
  }
  return {counts, reset: () => counts.clear()};
}
const heldTimers = (): Timers => ({setTimeout: () => 0, clearTimeout: () => {}});
async function until(source: {getSnapshot(): DashboardState}, ok: (s: DashboardState) => boolean, what: string): Promise<DashboardState> {
  for (let i = 0; i < 400; i++) {
    if (ok(source.getSnapshot())) return source.getSnapshot();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out: ${what}`);
}
const idle = (s: DashboardState) => !s.discovery.syncing && !s.queues.syncing && !s.metrics.syncing && !(s.destinations?.syncing ?? false);

test('200 SQS sources: rediscovery reads no source queue the queue reads have read; a changed redrive policy is seen at its read', async () => {
  await withSim('healthy', async (sim, clients) => {
    const counter = countCalls(clients);
    const source = createDashboardSource(clients, {functionName: 'notification-sender', intervalMs: 5000, windowMs: 30 * 60_000, now: () => sim.world.clock.now(), timers: heldTimers()});
    try {
      await until(source, (s) => s.queues.data !== null && s.metrics.data !== null && idle(s), 'the first refresh');
      // the first discovery reads every source: GetQueueUrl and GetQueueAttributes each
      assert.ok((counter.counts.get('GetQueueUrlCommand') ?? 0) >= 200, `first discovery: ${counter.counts.get('GetQueueUrlCommand')} GetQueueUrl`);
      // every queue read once in turn
      for (let i = 0; i < 20; i++) await source.refreshNow();
      assert.ok(source.getSnapshot().snapshot.queues.every((q) => q.readAt !== null));
      counter.reset();
      await source.rediscover();
      await until(source, idle, 'rediscovery settled');
      const sqsCalls = (counter.counts.get('GetQueueUrlCommand') ?? 0) + (counter.counts.get('GetQueueAttributesCommand') ?? 0);
      assert.equal(counter.counts.get('ListEventSourceMappingsCommand'), 2, 'the mappings are listed again (200 in pages of 100)');
      assert.ok(sqsCalls <= 4, `rediscovery: ${sqsCalls} SQS calls, not 400 (the destinations' own queues at most)`);
      assert.equal(source.getSnapshot().snapshot.topology!.eventSources.length, 200);

      // a source queue gets a DLQ: its next read (here: scrolled into view) runs discovery again at once
      const topology = source.getSnapshot().snapshot.topology!;
      const target = topology.eventSources[150]!;
      const dlqArn = topology.deadLetterTarget!.arn;
      await clients.sqs.send(new SetQueueAttributesCommand({QueueUrl: target.queueUrl!, Attributes: {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlqArn, maxReceiveCount: 4})}}));
      const row = source.getSnapshot().snapshot.queues.findIndex((q) => q.arn === target.sourceArn);
      counter.reset();
      source.setQueuesVisible(row, 5);
      const after = await until(source, (s) => s.snapshot.topology!.eventSources.find((m) => m.sourceArn === target.sourceArn)!.redrive !== null && idle(s), 'the new redrive policy in the topology');
      assert.deepEqual(after.snapshot.topology!.eventSources.find((m) => m.sourceArn === target.sourceArn)!.redrive, {deadLetterTargetArn: dlqArn, maxReceiveCount: 4});
      assert.ok(after.snapshot.queues.some((q) => q.role === 'source-dlq' && q.arn === dlqArn), 'its DLQ is watched as a source DLQ');
      assert.equal(counter.counts.get('GetFunctionConfigurationCommand'), 1, 'one discovery, at once (not at the next 5-minute one)');
    } finally {
      source.stop();
    }
  }, undefined, {sourceQueues: 200});
});
