// Keys typed faster than a frame, or pasted, reach the app as one input chunk: each key must still count.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {Key} from 'ink';
import {createInitialState} from '../../../source/store/reducer.ts';
import {createStore} from '../../../source/store/store.ts';
import type {Action} from '../../../source/store/actions.ts';
import type {FailedEvent} from '../../../source/domain/types.ts';
import {handleKeypress, type IntentContext} from '../../../source/ui/intents.ts';
import type {AppActions} from '../../../source/ui/app-actions.ts';
import {NOW, dashboard, onFailureEvents, queues} from './fixtures.ts';

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false,
  hyper: false, capsLock: false, numLock: false,
};

function browser(): IntentContext {
  const store = createStore(createInitialState({functionName: 'order-processor', now: NOW}));
  const events: FailedEvent[] = onFailureEvents(10).map((e, i) => ({...e, messageId: `m-${i}`, time: NOW - i * 1000}));
  const actions: Action[] = [
    {type: 'dashboard/updated', dashboard: dashboard()},
    {type: 'failed/open'},
    {type: 'failed/sources', sources: [{role: 'on-failure', queueUrl: queues[1]!.url, queueName: 'order-processor-failures'}]},
    {type: 'failed/page-loaded', role: 'on-failure', events, exhausted: true},
  ];
  for (const a of actions) store.dispatch(a);
  const noop = () => undefined;
  const appActions = new Proxy({}, {get: () => noop}) as unknown as AppActions;
  return {getState: store.getState, dispatch: store.dispatch, actions: appActions, listPageSize: 20, detailPageSize: 20, detailMaxScroll: 0};
}

test('"jjj" in one chunk moves the cursor three rows, as three presses would', () => {
  const ctx = browser();
  assert.equal(ctx.getState().failed.cursor, 0);
  handleKeypress('jjj', noKey, ctx);
  assert.equal(ctx.getState().failed.cursor, 3);
  handleKeypress('k', noKey, ctx);
  assert.equal(ctx.getState().failed.cursor, 2);
});

test('a pasted "/abc" opens the filter and types its text; control characters in a chunk are not keys', () => {
  const ctx = browser();
  handleKeypress('/abc', noKey, ctx);
  assert.equal(ctx.getState().failed.filter.editing, true);
  assert.equal(ctx.getState().failed.filter.text, 'abc');
  const before = ctx.getState().failed.filter.text;
  handleKeypress('x\u001b[2Jy', noKey, ctx);
  assert.equal(ctx.getState().failed.filter.text, before, 'a chunk with an escape sequence is not typed');
});
