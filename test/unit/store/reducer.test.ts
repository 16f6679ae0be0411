import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createInitialState, emptyProgress, reduce, stepWindow} from '../../../source/store/reducer.ts';
import {createStore} from '../../../source/store/store.ts';
import {selectVisibleEvents, selectCursorEvent} from '../../../source/store/selectors.ts';
import type {Action} from '../../../source/store/actions.ts';
import type {AppState, RedrivePlan} from '../../../source/store/types.ts';
import {NOW, dashboard, dlqEvents, onFailureEvents, queues} from '../ui/fixtures.ts';

const initial = (over: Partial<Parameters<typeof createInitialState>[0]> = {}): AppState =>
  createInitialState({functionName: 'order-processor', region: 'eu-west-1', now: NOW, ...over});
const run = (state: AppState, ...actions: Action[]): AppState => actions.reduce(reduce, state);

const plan: RedrivePlan = {count: 3, sourceRole: 'on-failure', sourceName: 'order-processor-failures', targetDescription: 'order-processor (async Invoke)', ratePerSecond: 5, dryRun: false, warnings: []};

function withEvents(state = initial()): AppState {
  return run(
    state,
    {type: 'failed/open'},
    {type: 'failed/sources', sources: [{role: 'dlq', queueUrl: queues[0]!.url, queueName: 'order-processor-dlq'}, {role: 'on-failure', queueUrl: queues[1]!.url, queueName: 'order-processor-failures'}]},
    {type: 'failed/page-loaded', role: 'on-failure', events: onFailureEvents(5), exhausted: true},
    {type: 'failed/page-loaded', role: 'dlq', events: dlqEvents(3), exhausted: false},
  );
}

test('stepWindow walks 15m,1h,3h,6h,12h,24h and clamps at both ends', () => {
  const m = 60_000;
  assert.equal(stepWindow(60 * m, 1), 180 * m);
  assert.equal(stepWindow(60 * m, -1), 15 * m);
  assert.equal(stepWindow(15 * m, -1), 15 * m);
  assert.equal(stepWindow(1440 * m, 1), 1440 * m);
  assert.equal(stepWindow(90 * m, 1), 180 * m, 'an off-step window moves to the next step');
  assert.equal(stepWindow(90 * m, -1), 60 * m);
});

test('no-op actions return the same state object (no re-render)', () => {
  const s = initial();
  assert.equal(reduce(s, {type: 'clock/tick', now: NOW}), s);
  assert.equal(reduce(s, {type: 'view/set', view: 'dashboard'}), s);
  assert.equal(reduce(s, {type: 'window/set', windowMs: s.windowMs}), s);
  assert.equal(reduce(s, {type: 'flash/expire', id: 99}), s);
});

test('dashboard/updated stores the data, advances the clock and records queue depth history once per poll', () => {
  const d = dashboard();
  let s = run(initial({now: NOW - 60_000}), {type: 'dashboard/updated', dashboard: d});
  assert.equal(s.dashboard, d);
  assert.equal(s.now, d.snapshot.at);
  assert.deepEqual(s.queueHistory[queues[0]!.url], [[d.queues.updatedAt, 1204]]);
  s = reduce(s, {type: 'dashboard/updated', dashboard: d});
  assert.equal(s.queueHistory[queues[0]!.url]!.length, 1, 'the same poll twice is one sample');
  const later = {...d, queues: {...d.queues, updatedAt: d.queues.updatedAt! + 10_000}, snapshot: {...d.snapshot, queues: [{...queues[0]!, visible: 1300}]}};
  s = reduce(s, {type: 'dashboard/updated', dashboard: later});
  assert.deepEqual(s.queueHistory[queues[0]!.url]!.map(([, v]) => v), [1204, 1300]);
});

test('help toggles back to the view it was opened from', () => {
  let s = withEvents();
  s = run(s, {type: 'help/toggle'});
  assert.equal(s.view, 'help');
  s = run(s, {type: 'help/toggle'});
  assert.equal(s.view, 'failed');
});

test('focus cycles through the panels both ways', () => {
  let s = initial();
  assert.equal(s.focus, 'pipeline');
  s = run(s, {type: 'focus/next'}, {type: 'focus/next'});
  assert.equal(s.focus, 'queues');
  s = run(s, {type: 'focus/prev'}, {type: 'focus/prev'}, {type: 'focus/prev'});
  assert.equal(s.focus, 'diagnosis');
});

test('flash messages get increasing ids and expire only by their own id', () => {
  let s = run(initial(), {type: 'flash/show', level: 'info', text: 'one'});
  const first = s.flash!;
  s = run(s, {type: 'flash/show', level: 'warning', text: 'two'});
  assert.notEqual(s.flash!.id, first.id);
  s = run(s, {type: 'flash/expire', id: first.id});
  assert.equal(s.flash?.text, 'two', 'an old timer cannot clear a newer message');
  s = run(s, {type: 'flash/expire', id: s.flash!.id});
  assert.equal(s.flash, null);
});

test('failed pages append per source, dedupe by message id, and track exhaustion', () => {
  let s = withEvents();
  assert.equal(selectVisibleEvents(s).length, 8);
  s = run(s, {type: 'failed/load-requested', role: 'dlq'});
  assert.equal(s.failed.sources.find((x) => x.role === 'dlq')!.loading, true);
  s = run(s, {type: 'failed/page-loaded', role: 'dlq', events: dlqEvents(5), exhausted: true});
  const dlq = s.failed.sources.find((x) => x.role === 'dlq')!;
  assert.equal(dlq.events.length, 5, '3 already loaded + 2 new');
  assert.equal(dlq.loading, false);
  assert.equal(dlq.exhausted, true);
  s = run(s, {type: 'failed/load-failed', role: 'dlq', message: 'AccessDenied: sqs:ReceiveMessage'});
  assert.equal(s.failed.sources.find((x) => x.role === 'dlq')!.error, 'AccessDenied: sqs:ReceiveMessage');
});

test('sort: newest first by default, cycling keys and reversing', () => {
  let s = withEvents();
  const times = selectVisibleEvents(s).map((e) => e.time!);
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  s = run(s, {type: 'failed/sort-cycle'});
  assert.equal(s.failed.sort.key, 'attempts');
  s = run(s, {type: 'failed/sort-reverse'});
  assert.equal(s.failed.sort.descending, false);
  const attempts = selectVisibleEvents(s).map((e) => e.attempts ?? e.receiveCount ?? 0);
  assert.deepEqual(attempts, [...attempts].sort((a, b) => a - b));
});

test('filter narrows the list (text over ids, errors and payload) and resets the cursor', () => {
  let s = run(withEvents(), {type: 'failed/cursor-move', delta: 4});
  assert.equal(s.failed.cursor, 4);
  s = run(s, {type: 'failed/filter-start'}, {type: 'failed/filter-set', text: 'timed out'});
  assert.equal(s.failed.filter.editing, true);
  assert.equal(s.failed.cursor, 0);
  assert.deepEqual(selectVisibleEvents(s).map((e) => e.source), ['dlq', 'dlq', 'dlq']);
  s = run(s, {type: 'failed/filter-set', text: 'ord-7003'});
  assert.deepEqual(selectVisibleEvents(s).map((e) => e.messageId), ['msg-0003'], 'matches payload text');
  s = run(s, {type: 'failed/filter-apply'});
  assert.equal(s.failed.filter.editing, false);
  assert.equal(s.failed.filter.text, 'ord-7003');
  s = run(s, {type: 'failed/filter-clear'});
  assert.equal(selectVisibleEvents(s).length, 8);
});

test('source filter cycles all -> each loaded source -> all', () => {
  let s = withEvents();
  s = run(s, {type: 'failed/source-cycle'});
  assert.equal(s.failed.sourceFilter, 'dlq');
  assert.ok(selectVisibleEvents(s).every((e) => e.source === 'dlq'));
  s = run(s, {type: 'failed/source-cycle'});
  assert.equal(s.failed.sourceFilter, 'on-failure');
  s = run(s, {type: 'failed/source-cycle'});
  assert.equal(s.failed.sourceFilter, 'all');
});

test('cursor is clamped to the visible rows', () => {
  let s = run(withEvents(), {type: 'failed/cursor-move', delta: 100});
  assert.equal(s.failed.cursor, 7);
  s = run(s, {type: 'failed/cursor-move', delta: -100});
  assert.equal(s.failed.cursor, 0);
  s = run(s, {type: 'failed/cursor-set', index: -1});
  assert.equal(s.failed.cursor, 7, '-1 = last');
});

test('marks toggle, mark-all adds, events-removed drops marks and rows', () => {
  let s = withEvents();
  s = run(s, {type: 'failed/toggle-mark', id: 'msg-0001'}, {type: 'failed/toggle-mark', id: 'msg-0002'}, {type: 'failed/toggle-mark', id: 'msg-0001'});
  assert.deepEqual(Object.keys(s.failed.marked), ['msg-0002']);
  s = run(s, {type: 'failed/mark-all', ids: ['dlq-0000', 'dlq-0001']});
  assert.deepEqual(Object.keys(s.failed.marked).sort(), ['dlq-0000', 'dlq-0001', 'msg-0002']);
  s = run(s, {type: 'failed/events-removed', ids: ['dlq-0000', 'msg-0002']});
  assert.deepEqual(Object.keys(s.failed.marked), ['dlq-0001']);
  assert.equal(selectVisibleEvents(s).length, 6);
  s = run(s, {type: 'failed/unmark-all'});
  assert.deepEqual(s.failed.marked, {});
});

test('closing the browser forgets peeked events (they are released) but keeps the sort', () => {
  let s = run(withEvents(), {type: 'failed/sort-cycle'}, {type: 'failed/toggle-mark', id: 'msg-0001'}, {type: 'failed/close'});
  assert.equal(s.view, 'dashboard');
  assert.equal(s.failed.sources.length, 0);
  assert.deepEqual(s.failed.marked, {});
  assert.equal(s.failed.sort.key, 'attempts');
});

test('detail open/scroll/close; removing the shown event returns to the list', () => {
  let s = run(withEvents(), {type: 'detail/open', id: 'msg-0002'});
  assert.equal(s.view, 'detail');
  s = run(s, {type: 'detail/scroll', delta: 30, maxScroll: 12});
  assert.equal(s.failed.detailScroll, 12);
  s = run(s, {type: 'detail/scroll', delta: -50, maxScroll: 12});
  assert.equal(s.failed.detailScroll, 0);
  s = run(s, {type: 'failed/events-removed', ids: ['msg-0002']});
  assert.equal(s.view, 'failed');
  assert.equal(s.failed.detailId, null);
});

test('logs: a late answer for another request is ignored', () => {
  let s = run(initial(), {type: 'logs/loading', requestId: 'a'});
  s = run(s, {type: 'logs/loaded', requestId: 'b', lines: ['nope']});
  assert.deepEqual(s.logs, {requestId: 'a', lines: [], loading: true, error: null});
  s = run(s, {type: 'logs/loaded', requestId: 'a', lines: ['START RequestId: a']});
  assert.deepEqual(s.logs!.lines, ['START RequestId: a']);
});

test('redrive: confirm -> confirmed -> started -> progress -> finished -> dismissed back to the list', () => {
  let s = run(withEvents(), {type: 'redrive/confirm-requested', plan});
  assert.equal(s.view, 'confirm');
  assert.equal(s.redrive!.phase, 'confirming');
  s = run(s, {type: 'redrive/confirmed'});
  assert.equal(s.view, 'redrive');
  assert.equal(s.redrive!.phase, 'running');
  assert.equal(reduce(s, {type: 'redrive/confirmed'}), s, 'a second yes does nothing');
  s = run(s, {type: 'redrive/started', total: 3, journalPath: '/tmp/j.jsonl'});
  s = run(s, {type: 'redrive/progress', progress: {...emptyProgress(3), sent: 2, accepted: 2, remaining: 1, ratePerSecond: 4.5, etaSeconds: 1}});
  assert.equal(s.redrive!.progress.accepted, 2);
  assert.equal(reduce(s, {type: 'redrive/dismiss'}), s, 'a running job cannot be dismissed');
  s = run(s, {type: 'redrive/finished', outcome: 'done', summary: '3 redriven, 0 failed'});
  assert.equal(s.redrive!.phase, 'done');
  s = run(s, {type: 'redrive/dismiss'});
  assert.equal(s.redrive, null);
  assert.equal(s.view, 'failed');
});

test('redrive dismissed while confirming goes back where it came from (detail)', () => {
  let s = run(withEvents(), {type: 'detail/open', id: 'msg-0001'}, {type: 'redrive/confirm-requested', plan});
  s = run(s, {type: 'redrive/dismiss'});
  assert.equal(s.view, 'detail');
});

test('read-only: the reducer refuses to open a redrive confirmation', () => {
  const s = run(withEvents(initial({readOnly: true})), {type: 'redrive/confirm-requested', plan});
  assert.equal(s.redrive, null);
  assert.equal(s.view, 'failed');
  assert.equal(s.flash?.text, 'read-only: redrive disabled');
});

test('quit confirmation during a running redrive returns to the progress view on "no"', () => {
  let s = run(withEvents(), {type: 'redrive/confirm-requested', plan}, {type: 'redrive/confirmed'});
  s = run(s, {type: 'confirm/open', dialog: {kind: 'quit-during-redrive', title: 't', message: 'm'}});
  assert.equal(s.view, 'confirm');
  s = run(s, {type: 'confirm/close'});
  assert.equal(s.view, 'redrive');
  assert.equal(s.confirm, null);
});

test('createStore notifies subscribers on change only, and unsubscribes', () => {
  const store = createStore(initial());
  let calls = 0;
  const off = store.subscribe(() => calls++);
  store.dispatch({type: 'clock/tick', now: NOW});
  assert.equal(calls, 0);
  store.dispatch({type: 'clock/tick', now: NOW + 1000});
  assert.equal(calls, 1);
  assert.equal(store.getState().now, NOW + 1000);
  off();
  store.dispatch({type: 'clock/tick', now: NOW + 2000});
  assert.equal(calls, 1);
});

test('selectCursorEvent follows sort and filter', () => {
  const s = run(withEvents(), {type: 'failed/cursor-set', index: 0});
  const first = selectCursorEvent(s)!;
  assert.equal(first.messageId, 'msg-0000', 'newest first');
});
