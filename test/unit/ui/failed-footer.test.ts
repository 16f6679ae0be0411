// The browser's footer during and after a whole-queue load (`m`): how far it got of the queue's depth, when the
// first messages it read show again (in wall seconds, also when the demo's clock runs faster), and what it did.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {failedFooterLine} from '../../../source/ui/components/FailedEventsView.tsx';
import {initialFailedState} from '../../../source/store/reducer.ts';
import type {BulkLoadProgress, FailedSourceState} from '../../../source/store/types.ts';

const text = (line: ReturnType<typeof failedFooterLine>) => line.map((s) => s.text).join('');
const source = (bulk: BulkLoadProgress, extra: Partial<FailedSourceState> = {}): FailedSourceState => ({role: 'dlq', queueUrl: 'u', queueName: 'dlq', events: [], loading: bulk.stopped === null, error: null, exhausted: false, bulk, ...extra});
const props = (sources: FailedSourceState[], now: number) => ({events: [], failed: {...initialFailedState(), sources}, loadedCount: 100, now, width: 120, height: 30, readOnly: false});

test('while loading: read of ~depth, and the wall seconds until the first ones show again', () => {
  const bulk: BulkLoadProgress = {read: 12_340, expected: 50_000, startedAt: 0, visibleAgainAt: 1_800_000, clockRate: 30, stopped: null, tookMs: null};
  // 480 s of the demo's clock (30x) went by: 1,320 clock seconds left are 44 wall seconds.
  assert.equal(text(failedFooterLine(props([source(bulk)], 480_000))), 'loading DLQ: 12,340 of ~50,000 read · the first ones become visible again in 44 s');
});

test('done: what it read and how fast; stopped by the window, it says when they show again', () => {
  const done: BulkLoadProgress = {read: 49_990, expected: 50_000, startedAt: 0, visibleAgainAt: 60_000, clockRate: 1, stopped: 'exhausted', tookMs: 21_200};
  assert.equal(text(failedFooterLine(props([source(done, {exhausted: true})], 30_000))), 'loaded DLQ 49,990 in 21.2 s (2,358/s) · end of the queues');
  const window: BulkLoadProgress = {...done, read: 30_000, stopped: 'window', tookMs: 48_000};
  assert.equal(text(failedFooterLine(props([source(window)], 50_000))), 'loaded DLQ 30,000 in 48.0 s (625/s) · stopped inside the peek window: the first ones become visible again in 10 s · more in the queue: pgdn at the end or m loads more');
});
