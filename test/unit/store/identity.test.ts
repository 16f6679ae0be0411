// The cursor and the marks follow the message, not the row number: loading, sorting, filtering, refreshes.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createInitialState, reduce} from '../../../source/store/reducer.ts';
import {selectCursorEvent, selectTwins, selectVisibleEvents} from '../../../source/store/selectors.ts';
import type {Action} from '../../../source/store/actions.ts';
import type {AppState} from '../../../source/store/types.ts';
import type {FailedEvent} from '../../../source/domain/types.ts';
import {NOW, dashboard, dlqEvents, onFailureEvents, queues} from '../ui/fixtures.ts';

const run = (s: AppState, ...actions: Action[]): AppState => actions.reduce(reduce, s);
const sources: Action = {type: 'failed/sources', sources: [{role: 'dlq', queueUrl: queues[0]!.url, queueName: 'order-processor-dlq'}, {role: 'on-failure', queueUrl: queues[1]!.url, queueName: 'order-processor-failures'}]};
const at = (events: FailedEvent[], offsetMs: number): FailedEvent[] => events.map((e, i) => ({...e, messageId: `${e.messageId}-${offsetMs}`, time: NOW - offsetMs - i * 1000}));

function opened(): AppState {
  return run(createInitialState({functionName: 'order-processor', now: NOW}), {type: 'dashboard/updated', dashboard: dashboard()}, {type: 'failed/open'}, sources, {
    type: 'failed/page-loaded',
    role: 'on-failure',
    events: at(onFailureEvents(10), 600_000),
    exhausted: false,
  });
}

test('the first page puts the cursor on the first row, by id', () => {
  const s = opened();
  assert.equal(s.failed.cursor, 0);
  assert.equal(s.failed.cursorId, selectVisibleEvents(s)[0]!.messageId);
});

test('a page of newer events loaded above keeps the cursor on its event (the j x4, m, Enter repro)', () => {
  let s = run(opened(), ...Array.from({length: 4}, (): Action => ({type: 'failed/cursor-move', delta: 1})));
  const before = selectCursorEvent(s)!;
  assert.equal(s.failed.cursor, 4);
  s = run(s, {type: 'failed/page-loaded', role: 'on-failure', events: at(onFailureEvents(10), 0), exhausted: false});
  assert.equal(selectCursorEvent(s)!.messageId, before.messageId, 'same message under the cursor');
  assert.equal(s.failed.cursor, 14, 'its row moved down by the ten newer events');
  assert.equal(selectVisibleEvents(s)[s.failed.cursor]!.messageId, before.messageId);
});

test('re-sorting and reversing keep the cursor on the same message', () => {
  let s = run(opened(), {type: 'failed/cursor-move', delta: 3});
  const id = s.failed.cursorId;
  for (const action of [{type: 'failed/sort-reverse'}, {type: 'failed/sort-cycle'}, {type: 'failed/sort-cycle'}, {type: 'failed/sort-cycle'}] as Action[]) {
    s = run(s, action);
    assert.equal(selectCursorEvent(s)?.messageId, id, `after ${action.type}`);
  }
});

test('a filter that still shows the event keeps the cursor on it; one that hides it goes to the first row shown', () => {
  let s = run(opened(), {type: 'failed/page-loaded', role: 'dlq', events: at(dlqEvents(3), 300_000), exhausted: true}, {type: 'failed/cursor-set', index: -1});
  const last = selectCursorEvent(s)!;
  s = run(s, {type: 'failed/filter-set', text: last.messageId});
  assert.equal(selectCursorEvent(s)?.messageId, last.messageId);
  s = run(s, {type: 'failed/filter-set', text: 'timed out'});
  assert.equal(s.failed.cursor, 0);
  assert.equal(selectCursorEvent(s)?.messageId, selectVisibleEvents(s)[0]!.messageId);
  s = run(s, {type: 'failed/filter-set', text: 'zzz'});
  assert.equal(selectCursorEvent(s), null, 'nothing shown: the cursor is on nothing (r acts on nothing)');
});

test('a refresh (dashboard update, sources declared again) and redriven events keep the cursor and the marks by identity', () => {
  let s = run(opened(), {type: 'failed/cursor-move', delta: 2}, {type: 'failed/toggle-mark', id: 'x'});
  const visible = selectVisibleEvents(s);
  s = run(s, {type: 'failed/toggle-mark', id: visible[5]!.messageId}, {type: 'failed/toggle-mark', id: visible[6]!.messageId});
  const id = s.failed.cursorId;
  s = run(s, {type: 'dashboard/updated', dashboard: dashboard()}, sources);
  assert.equal(s.failed.cursorId, id);
  assert.deepEqual(Object.keys(s.failed.marked).sort(), [visible[5]!.messageId, visible[6]!.messageId].sort(), 'marks of loaded events kept, a stray one dropped');
  // The events above the cursor are redriven: the cursor stays on its event.
  s = run(s, {type: 'failed/events-removed', ids: [visible[0]!.messageId, visible[1]!.messageId]});
  assert.equal(s.failed.cursorId, id);
  assert.equal(s.failed.cursor, 0);
  // Its own event is redriven: the cursor stays on the row, on the event now shown there.
  s = run(s, {type: 'failed/events-removed', ids: [id!]});
  assert.equal(s.failed.cursor, 0);
  assert.equal(s.failed.cursorId, visible[3]!.messageId);
});

test('twins: a DLQ message and the OnFailure record with the same request id are a pair; marking one marks both', () => {
  const record = onFailureEvents(2);
  const raw = dlqEvents(2).map((e, i) => ({...e, requestId: record[i]!.requestId}));
  let s = run(createInitialState({functionName: 'order-processor', now: NOW}), {type: 'failed/open'}, sources, {type: 'failed/page-loaded', role: 'on-failure', events: record, exhausted: true}, {type: 'failed/page-loaded', role: 'dlq', events: [...raw, ...dlqEvents(3).slice(2)], exhausted: true});
  const twins = selectTwins(s);
  assert.equal(twins.size, 4);
  assert.deepEqual(twins.get(record[0]!.messageId)!.map((e) => e.messageId), [raw[0]!.messageId]);
  s = run(s, {type: 'failed/toggle-mark', id: raw[1]!.messageId});
  assert.deepEqual(Object.keys(s.failed.marked).sort(), [raw[1]!.messageId, record[1]!.messageId].sort());
  s = run(s, {type: 'failed/toggle-mark', id: record[1]!.messageId});
  assert.deepEqual(s.failed.marked, {}, 'unmarking either copy unmarks the pair');
  // Two messages with one request id in the same queue are two deliveries, not twins.
  const dup = run(s, {type: 'failed/page-loaded', role: 'dlq', events: [{...raw[0]!, messageId: 'dup-copy'}], exhausted: true});
  assert.deepEqual(selectTwins(dup).get('dup-copy')?.map((e) => e.source), ['on-failure'], 'twin of the record, not of the other DLQ copy');
});
