// The dashboard's cost per queue (issue 10): a function with 200 SQS event sources (simulate --source-queues 200)
// reads the queues on screen every refresh and the others in turn, so the calls per refresh do not grow with the
// queues; every queue is read within a bounded number of refreshes, and an older reading says how old it is.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {withSim} from '../helpers/sim-clients.ts';
import type {AwsClients} from '../../source/aws/clients.ts';
import {createDashboardSource, type DashboardState} from '../../source/pollers/dashboard-source.ts';
import type {Timers} from '../../source/pollers/poller.ts';
import {QUEUES_ON_SCREEN_DEFAULT, QUEUES_ROTATED_PER_REFRESH} from '../../source/domain/queue-rotation.ts';
import {QUEUE_METRICS} from '../../source/domain/types.ts';
import {buildQueueRows} from '../../source/ui/view-model.ts';
import {countLeanReads} from '../helpers/count-reads.ts';

function countCalls(clients: AwsClients): {counts: Map<string, number>; queries: () => number; reset(): void} {
  const counts = new Map<string, number>();
  let queries = 0;
  for (const client of [clients.lambda, clients.sqs, clients.cloudwatch]) {
    (client.middlewareStack as {add(m: unknown, o: unknown): void}).add(
      (next: (args: {input?: {MetricDataQueries?: unknown[]}}) => Promise<unknown>, context: {commandName?: string}) => async (args: {input?: {MetricDataQueries?: unknown[]}}) => {
        const name = context.commandName ?? 'unknown';
        counts.set(name, (counts.get(name) ?? 0) + 1);
        queries += args.input?.MetricDataQueries?.length ?? 0;
        return next(args);
      },
      {step: 'initialize', name: 'queueCostCounter'},
    );
  }
  countLeanReads(clients, (name, input) => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    queries += (input?.['MetricDataQueries'] as unknown[] | undefined)?.length ?? 0;
  });
  return {counts, queries: () => queries, reset: () => (counts.clear(), (queries = 0))};
}

const heldTimers = (): Timers => ({setTimeout: () => 0, clearTimeout: () => {}});

async function until(source: {getSnapshot(): DashboardState}, ok: (s: DashboardState) => boolean): Promise<DashboardState> {
  for (let i = 0; i < 400; i++) {
    if (ok(source.getSnapshot())) return source.getSnapshot();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

test('a function with 200 SQS sources: GetQueueAttributes and queue metrics per refresh stay at the queues on screen plus a few in turn', async () => {
  await withSim('healthy', async (sim, clients) => {
    const counter = countCalls(clients);
    const source = createDashboardSource(clients, {functionName: 'notification-sender', intervalMs: 5000, windowMs: 30 * 60_000, now: () => sim.world.clock.now(), timers: heldTimers()});
    try {
      const ready = await until(source, (s) => s.queues.data !== null && s.metrics.data !== null && !s.queues.syncing && !s.metrics.syncing);
      const total = ready.snapshot.queues.length;
      assert.equal(total, 201, 'the DLQ and 200 sources');
      const perRefresh = QUEUES_ON_SCREEN_DEFAULT + QUEUES_ROTATED_PER_REFRESH;
      const turns = Math.ceil((total - QUEUES_ON_SCREEN_DEFAULT) / QUEUES_ROTATED_PER_REFRESH);
      for (let i = 0; i < turns; i++) {
        counter.reset();
        await source.refreshNow();
        assert.equal(counter.counts.get('GetQueueAttributesCommand'), perRefresh, `refresh ${i + 1}: the queues on screen and ${QUEUES_ROTATED_PER_REFRESH} in turn, not ${total}`);
        assert.equal(counter.counts.get('GetMetricDataCommand'), 1);
        assert.ok(counter.queries() < 60 + perRefresh * QUEUE_METRICS.length, `${counter.queries()} metric queries`);
      }
      const s = source.getSnapshot();
      assert.ok(s.snapshot.queues.every((q) => q.readAt !== null && q.visible !== null), 'every queue read within its turns');
      const rows = buildQueueRows(s, {});
      assert.equal(rows.slice(0, QUEUES_ON_SCREEN_DEFAULT).filter((r) => r.readAgo !== null).length, 0, 'the queues on screen are current');
      assert.ok(rows.filter((r) => r.readAgo !== null).length >= total - perRefresh, 'the others say how old their reading is');
      // a taller screen: more queues every refresh
      source.setQueuesOnScreen(50);
      counter.reset();
      await source.refreshNow();
      assert.equal(counter.counts.get('GetQueueAttributesCommand'), 50 + QUEUES_ROTATED_PER_REFRESH);
    } finally {
      source.stop();
    }
  }, undefined, {sourceQueues: 200});
});

test('a function with a few queues: every queue read every refresh, no reading marked old', async () => {
  await withSim('healthy', async (sim, clients) => {
    const counter = countCalls(clients);
    const source = createDashboardSource(clients, {functionName: 'notification-sender', intervalMs: 5000, windowMs: 30 * 60_000, now: () => sim.world.clock.now(), timers: heldTimers()});
    try {
      await until(source, (s) => s.queues.data !== null && !s.queues.syncing);
      counter.reset();
      await source.refreshNow();
      const s = source.getSnapshot();
      assert.equal(counter.counts.get('GetQueueAttributesCommand'), s.snapshot.queues.length);
      assert.ok(s.snapshot.queues.every((q) => q.readAt === undefined));
      assert.ok(buildQueueRows(s, {}).every((r) => r.readAgo === null));
    } finally {
      source.stop();
    }
  });
});

test('200 SQS sources: the queues panel scrolled to rows out of turn reads them at once (not after a rotation), and only them', async () => {
  await withSim('healthy', async (sim, clients) => {
    const counter = countCalls(clients);
    const source = createDashboardSource(clients, {functionName: 'notification-sender', intervalMs: 5000, windowMs: 30 * 60_000, now: () => sim.world.clock.now(), timers: heldTimers(), queueWindow: {first: 0, count: 12}});
    try {
      await until(source, (s) => s.queues.data !== null && s.metrics.data !== null && !s.queues.syncing && !s.metrics.syncing);
      counter.reset();
      await source.refreshNow();
      const before = buildQueueRows(source.getSnapshot(), {});
      const window = {first: 150, count: 12};
      const stale = before.slice(window.first, window.first + window.count).filter((r) => r.readAgo !== null).length;
      assert.ok(stale >= window.count - QUEUES_ROTATED_PER_REFRESH, `rows 150-161 are not current before the scroll (${stale} of 12 old)`);
      counter.reset();
      source.setQueuesVisible(window.first, window.count);
      const after = await until(source, (s) => buildQueueRows(s, {}).slice(window.first, window.first + window.count).every((r) => r.readAgo === null));
      assert.equal(counter.counts.get('GetQueueAttributesCommand'), stale, 'exactly the rows that came into view with an older reading');
      assert.equal(counter.counts.get('GetMetricDataCommand') ?? 0, 0, 'no refresh of everything');
      const rows = buildQueueRows(after, {});
      assert.ok(rows.slice(window.first, window.first + window.count).every((r) => r.visible !== '—' && r.readAgo === null), 'the rows in view read and current');
      // the same window again: nothing to read
      counter.reset();
      source.setQueuesVisible(window.first, window.count);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(counter.counts.get('GetQueueAttributesCommand') ?? 0, 0);
      // the next refresh reads the window (every row in it) and 10 in turn, and keeps the rows current
      counter.reset();
      await source.refreshNow();
      assert.equal(counter.counts.get('GetQueueAttributesCommand'), window.count + QUEUES_ROTATED_PER_REFRESH);
      const next = buildQueueRows(source.getSnapshot(), {});
      assert.ok(next.slice(window.first, window.first + window.count).every((r) => r.readAgo === null));
      assert.ok(next.slice(0, 12).filter((r) => r.readAgo !== null).length >= 12 - QUEUES_ROTATED_PER_REFRESH, 'the rows scrolled away say their age');
    } finally {
      source.stop();
    }
  }, undefined, {sourceQueues: 200});
});
