import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import type {Action} from '../../../source/store/actions.ts';
import {emptyProgress} from '../../../source/store/reducer.ts';
import type {RedrivePlan} from '../../../source/store/types.ts';
import {KEYS, lineWidths} from '../../helpers/render.tsx';
import {BIDI_OVERRIDE, ESC, dashboard, dlqEvents, hostileEvent, onFailureEvents, queues} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';

let current: Mounted | null = null;
afterEach(() => {
  current?.unmount();
  current = null;
});
const open = (...args: Parameters<typeof mount>): Mounted => (current = mount(...args));

const PEEK = 'Peeking receives messages: each one\'s receive count goes up and it is hidden for 30 s; released when you leave.';

function browser(onFailure = onFailureEvents(6), dlq = dlqEvents(3), exhausted = true): Action[] {
  return [
    {type: 'dashboard/updated', dashboard: dashboard()},
    {type: 'failed/open'},
    {type: 'failed/sources', sources: [{role: 'dlq', queueUrl: queues[0]!.url, queueName: 'order-processor-dlq'}, {role: 'on-failure', queueUrl: queues[1]!.url, queueName: 'order-processor-failures'}]},
    {type: 'failed/page-loaded', role: 'on-failure', events: onFailure, exhausted},
    {type: 'failed/page-loaded', role: 'dlq', events: dlq, exhausted},
    {type: 'failed/peek-notice', text: PEEK},
  ];
}

const plan: RedrivePlan = {count: 3, sourceRole: 'on-failure', sourceName: 'order-processor-failures', targetDescription: 'order-processor (async Invoke, original payload)', ratePerSecond: 5, dryRun: false, warnings: ['3 of these were redriven before (same request id)']};

test('the list shows one row per event with its source, request, condition, attempts and error', async () => {
  const m = open({columns: 160, rows: 30, actions: browser()});
  const frame = await m.waitForFrame((f) => f.includes('Failed events'));
  assert.match(frame, /9 shown · 9 loaded · sort time ↓/);
  assert.match(frame, /all +DLQ order-processor-dlq 3 +OnFailure order-processor-failures 6/);
  assert.match(frame, /⚠ Peeking receives messages/);
  const row = frame.split('\n').find((l) => l.includes('e4b46cbf-1000-4c1a-9f0e-1b2c3d4e5f60'))!;
  assert.match(row, /OnFailure +e4b46cbf-1000-4c1a-9f0e-1b2c3d4e5f60 +RetriesExhausted +3 +Error +Downstream 429: rate exceeded +\d/);
  const dlqRow = frame.split('\n').find((l) => l.includes('9b1d7c2a-2000'))!;
  assert.match(dlqRow, /DLQ .*Task timed out after 30\.03 seconds/);
  assert.match(dlqRow, /HTTP 200/, 'a DLQ message has no error type: its numeric ErrorCode is shown');
});

test('space marks and moves down, a marks all matching, u clears; counts follow', async () => {
  const m = open({actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press(KEYS.space, KEYS.space);
  let frame = await m.waitForFrame((f) => f.includes('2 marked'));
  assert.equal(frame.split('\n').filter((l) => l.startsWith('●')).length, 2);
  assert.deepEqual(Object.keys(m.store.getState().failed.marked).sort(), ['msg-0000', 'msg-0001']);
  await m.press(KEYS.space);
  await m.press('u');
  await m.waitForFrame((f) => !f.includes('marked'));
  await m.press('/', 't', 'i', 'm', 'e', 'd', KEYS.enter);
  frame = await m.waitForFrame((f) => f.includes('3 shown'));
  await m.press('a');
  frame = await m.waitForFrame((f) => f.includes('3 marked'));
  assert.match(frame, /marked 3 matching events \(of those loaded\)/);
  assert.deepEqual(Object.keys(m.store.getState().failed.marked).sort(), ['dlq-0000', 'dlq-0001', 'dlq-0002']);
});

test('/ filters as you type, enter keeps it, esc while typing clears it', async () => {
  const m = open({actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press('/');
  let frame = await m.waitForFrame((f) => f.includes('enter keep'));
  await m.press('o', 'r', 'd', '-', '7', '0', '0', '4');
  frame = await m.waitForFrame((f) => f.includes('1 shown'));
  assert.match(frame, /\/ord-7004▏/);
  await m.press(KEYS.backspace);
  frame = await m.waitForFrame((f) => f.includes('/ord-700▏'));
  await m.press('4', KEYS.enter);
  frame = await m.waitForFrame((f) => f.includes('filter ord-7004'));
  assert.equal(m.store.getState().failed.filter.editing, false);
  await m.press('/', KEYS.escape);
  frame = await m.waitForFrame((f) => f.includes('9 shown'));
  assert.equal(m.store.getState().failed.filter.text, '');
});

test('r redrives the marked events (or the one under the cursor), R everything matching', async () => {
  const m = open({actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press('r');
  assert.deepEqual(m.named('requestRedrive').map((c) => c.args[0]), [['msg-0000']], 'no marks: the cursor row');
  await m.press(KEYS.down, KEYS.space, KEYS.space, 'r');
  assert.deepEqual(m.named('requestRedrive')[1]!.args[0], ['msg-0001', 'msg-0002']);
  await m.press('R');
  assert.equal(m.named('requestRedrive')[2]!.args[0], 'all-matching');
});

test('read-only: redrive keys flash and never reach the actions, in the list and in the detail', async () => {
  const m = open({state: {readOnly: true}, actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press(KEYS.space, 'r');
  await m.waitForFrame((f) => f.includes('read-only: redrive disabled'));
  await m.press('R');
  await m.press(KEYS.enter);
  await m.waitForFrame((f) => f.includes('Failed event '));
  await m.press('r');
  await m.waitForFrame((f) => f.includes('read-only: redrive disabled'));
  assert.equal(m.named('requestRedrive').length, 0);
  assert.equal(m.named('confirmRedrive').length, 0);
  // Even if something upstream asked for a confirmation, the store refuses it.
  m.store.dispatch({type: 'redrive/confirm-requested', plan});
  assert.equal(m.store.getState().redrive, null);
});

test('export, logs and esc go through the actions', async () => {
  const m = open({actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press('e');
  assert.equal(m.named('exportEvents').length, 1);
  await m.press('l');
  assert.equal((m.named('showRequestLogs')[0]!.args[0] as {messageId: string}).messageId, 'msg-0000');
  assert.equal(m.store.getState().view, 'detail', 'logs open in the detail view');
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => f.includes('Failed events '));
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => f.includes('Pipeline'));
  assert.equal(m.named('closeFailedEvents').length, 1);
  assert.equal(m.store.getState().view, 'dashboard');
});

test('virtualised: 500 loaded events draw only the rows that fit; pgdn pages; the end pages in more', async () => {
  const many = onFailureEvents(500);
  const m = open({columns: 100, rows: 24, actions: browser(many, dlqEvents(0), false)});
  let frame = await m.waitForFrame((f) => f.includes('Failed events'));
  assert.equal(frame.split('\n').length, 24);
  const rowsShown = frame.split('\n').filter((l) => /e4b46cbf-\d/.test(l)).length;
  assert.ok(rowsShown > 5 && rowsShown < 24, `${rowsShown} rows drawn`);
  await m.press(KEYS.pageDown);
  const afterPage = m.store.getState().failed.cursor;
  assert.equal(afterPage, rowsShown, 'pgdn moves one page');
  frame = await m.waitForFrame((f) => f.includes(`${afterPage + 1}/500`));
  await m.press('G');
  frame = await m.waitForFrame((f) => f.includes('500/500'));
  assert.ok(m.named('loadMoreFailed').length >= 1, 'reaching the end asks for more');
  assert.equal(m.named('loadMoreFailed')[0]!.args[0], 'on-failure');
  frame = await m.waitForFrame((f) => f.includes('loading more from OnFailure'));
  for (const w of lineWidths(frame)) assert.ok(w <= 100);
});

test('the detail view shows error, stack, attributes and the payload as coloured JSON, scrollable', async () => {
  const m = open({columns: 100, rows: 24, actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press(KEYS.enter);
  let frame = await m.waitForFrame((f) => f.includes('Failed event '));
  assert.match(frame, /request id +e4b46cbf-1000-4c1a-9f0e-1b2c3d4e5f60/);
  assert.match(frame, /condition +RetriesExhausted/);
  assert.match(frame, /retention left +14 d 0 h \(then SQS deletes it\)/);
  assert.match(frame, /Error: Downstream 429: rate exceeded/);
  assert.doesNotMatch(frame, /"coupon"/, 'the payload is below the fold');
  await m.press('j', 'j', 'j');
  assert.equal(m.store.getState().failed.detailScroll, 3);
  await m.press('G');
  frame = await m.waitForFrame((f) => f.includes('"coupon": null'));
  assert.match(frame, /"orderId": "ord-7000"/);
  assert.match(frame, /callApi \(\/var\/task\/api\.js:44:11\)/);
  const max = m.store.getState().failed.detailScroll;
  assert.ok(max > 3);
  await m.press('j');
  assert.equal(m.store.getState().failed.detailScroll, max, 'cannot scroll past the end');
  assert.match(frame.split('\n').at(-1)!, new RegExp(`${max + 1}-\\d+/\\d+$`), 'position shown');
  await m.press('g');
  assert.equal(m.store.getState().failed.detailScroll, 0);
  // Logs arrive for this request.
  await m.press('l');
  m.store.dispatch({type: 'logs/loading', requestId: 'e4b46cbf-1000-4c1a-9f0e-1b2c3d4e5f60'});
  m.store.dispatch({type: 'logs/loaded', requestId: 'e4b46cbf-1000-4c1a-9f0e-1b2c3d4e5f60', lines: ['START RequestId: e4b46cbf-1000 Version: $LATEST', `2025-11-14T18:29:00Z ERROR Downstream 429 ${ESC}[31mred`]});
  frame = await m.waitForFrame((f) => f.includes('Logs for'));
  assert.match(frame, /START RequestId: e4b46cbf-1000/);
  assert.match(frame, /ERROR Downstream 429 ␛\[31mred/);
});

test('a DLQ message detail lists every attribute with its type, numeric ErrorCode included', async () => {
  const m = open({columns: 100, rows: 40, actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press('G', KEYS.enter);
  const frame = await m.waitForFrame((f) => f.includes('Message attributes'));
  assert.match(frame, /ErrorCode +Number +200/);
  assert.match(frame, /RequestID +String +9b1d7c2a/);
  assert.match(frame, /receive count +2/);
});

test('a hostile payload (ESC[2J, OSC 8 link, bidi override, C1 CSI) reaches the frame only as visible text', async () => {
  const m = open({columns: 120, rows: 60, color: false, actions: browser([hostileEvent(), ...onFailureEvents(2)], dlqEvents(0))});
  await m.waitForFrame((f) => f.includes('Failed events'));
  let raw = m.lastFrame();
  await m.press('G', KEYS.enter);
  await m.waitForFrame((f) => f.includes('Payload'));
  raw = m.lastFrame();
  // Only Ink's own colour codes may carry ESC; nothing from the payload.
  const withoutSgr = raw.replace(/\u001b\[[0-9;]*m/g, '');
  assert.doesNotMatch(withoutSgr, /\u001b/, 'no raw ESC');
  assert.doesNotMatch(raw, /[\u0080-\u009f]/, 'no C1 control');
  assert.doesNotMatch(raw, /[\u202a-\u202e\u2066-\u2069]/, 'no bidi control');
  assert.doesNotMatch(raw, /\u0007/, 'no BEL');
  // ...and the operator can see what was there.
  assert.match(withoutSgr, /␛\[2J␛\[H/);
  assert.match(withoutSgr, /␛\]8;;https:\/\/evil\.example\//);
  assert.match(withoutSgr, /invoice\\u202efdp\.exe/);
  assert.match(withoutSgr, /req-␛\[31mred/, 'the request id too');
  assert.match(withoutSgr, /Evil␛\]0;pwned␇Type/);
  assert.ok(raw.includes(BIDI_OVERRIDE) === false);
  for (const w of lineWidths(raw)) assert.ok(w <= 120);
});

test('hostile text in the list row is neutralised too', async () => {
  const m = open({columns: 160, rows: 30, color: false, actions: browser([hostileEvent()], dlqEvents(0))});
  await m.waitForFrame((f) => f.includes('Failed events'));
  const raw = m.lastFrame().replace(/\u001b\[[0-9;]*m/g, '');
  assert.doesNotMatch(raw, /[\u001b\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.match(raw, /boom ␛\[2J␛\[H/);
});

test('redrive: confirm shows count, source, target, rate; y starts; progress; c cancels; summary; enter closes', async () => {
  const m = open({columns: 100, rows: 30, actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  m.store.dispatch({type: 'redrive/confirm-requested', plan});
  let frame = await m.waitForFrame((f) => f.includes('Redrive 3 events?'));
  assert.match(frame, /from +OnFailure order-processor-failures/);
  assert.match(frame, /to +order-processor \(async Invoke, original payload\)/);
  assert.match(frame, /rate +5\/s/);
  assert.match(frame, /⚠ 3 of these were redriven before/);
  assert.match(frame, /y redrive +n\/esc cancel/);
  await m.press('y', 'y');
  assert.equal(m.named('confirmRedrive').length, 1, 'a double y starts one job');
  m.store.dispatch({type: 'redrive/started', total: 3, journalPath: '/tmp/lambda-top-redrive-order-processor-failures.jsonl'});
  m.store.dispatch({type: 'redrive/progress', progress: {...emptyProgress(3), sent: 2, accepted: 1, failed: 1, remaining: 1, ratePerSecond: 4.8, etaSeconds: 1, lastError: 'TooManyRequestsException: Rate exceeded'}});
  frame = await m.waitForFrame((f) => f.includes('accepted 1'));
  assert.match(frame, /Redriving 3 events/);
  assert.match(frame, /█+░+ +66%/);
  assert.match(frame, /sent 2 +accepted 1 +failed 1 +skipped 0 +left 1/);
  assert.match(frame, /rate 4\.8\/s +eta 1\.0 s/);
  assert.match(frame, /last error: TooManyRequestsException: Rate exceeded/);
  await m.press(KEYS.enter);
  assert.equal(m.store.getState().view, 'redrive', 'enter does not close a running job');
  await m.press('c');
  assert.equal(m.named('cancelRedrive').length, 1);
  await m.waitForFrame((f) => f.includes('Cancelling'));
  m.store.dispatch({type: 'redrive/finished', outcome: 'done', summary: 'Cancelled: 2 redriven (1 failed and stays in the queue), 1 not sent.'});
  frame = await m.waitForFrame((f) => f.includes('Redrive finished'));
  assert.match(frame, /Cancelled: 2 redriven/);
  assert.match(frame, /journal \/tmp\/lambda-top-redrive-order-processor-failures\.jsonl/);
  await m.press(KEYS.enter);
  await m.waitForFrame((f) => f.includes('Failed events'));
});

test('n at the confirmation cancels without starting anything', async () => {
  const m = open({actions: browser()});
  await m.waitForFrame((f) => f.includes('Failed events'));
  m.store.dispatch({type: 'redrive/confirm-requested', plan});
  await m.waitForFrame((f) => f.includes('Redrive 3 events?'));
  await m.press('n');
  await m.waitForFrame((f) => f.includes('Failed events'));
  assert.equal(m.named('confirmRedrive').length, 0);
  assert.equal(m.named('cancelRedrive').length, 1);
  assert.equal(m.store.getState().redrive, null);
});

test('q during a running redrive asks first; n keeps it running, y quits', async () => {
  const m = open({actions: [...browser(), {type: 'redrive/confirm-requested', plan}, {type: 'redrive/confirmed'}, {type: 'redrive/started', total: 3}]});
  await m.waitForFrame((f) => f.includes('Redriving'));
  await m.press('c');
  assert.equal(m.named('cancelRedrive').length, 1);
  m.store.dispatch({type: 'redrive/started', total: 3});
  await m.press(KEYS.ctrlC);
  let frame = await m.waitForFrame((f) => f.includes('A redrive is running'));
  assert.match(frame, /3 events not sent yet stay in their queue/);
  assert.equal(m.named('quit').length, 0);
  await m.press('n');
  frame = await m.waitForFrame((f) => f.includes('Cancelling'), 'back to the progress of the cancelling job');
  await m.press(KEYS.ctrlC, 'y');
  assert.equal(m.named('quit').length, 1);
});

test('a filter that shows fewer rows, none, then all again draws the same table as before (rows below the events blank)', async () => {
  const m = open({columns: 160, rows: 30, actions: browser()});
  const before = await m.waitForFrame((f) => f.includes('9 shown'));
  await m.press('/');
  const editing = await m.waitForFrame((f) => f.includes('enter keep'));
  await m.press('o', 'r', 'd', '-', '7', '0', '0', '4');
  let frame = await m.waitForFrame((f) => f.includes('1 shown'));
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => l.includes('e4b46cbf-1004'));
  assert.ok(at > 0, 'the matching row is drawn');
  assert.ok(lines.slice(at + 1, -2).every((l) => l.trim() === ''), 'the rows below it are blank');
  await m.press('z', 'z');
  frame = await m.waitForFrame((f) => f.includes('0 shown'));
  assert.match(frame, /^no event matches the filter$/m, 'the message in the first table row, from column 0');
  for (let i = 0; i < 10; i++) await m.press(KEYS.backspace);
  frame = await m.waitForFrame((f) => f.includes('9 shown') && f.includes('/▏'));
  // The cursor stayed on the event it was on (the one that matched): only the position differs.
  const position = (f: string) => f.replace(/ \d+\/9$/m, ' N/9');
  assert.equal(position(frame), position(editing), 'the full list again, as drawn before filtering');
  await m.press(KEYS.escape);
  assert.equal(position(await m.waitForFrame((f) => f.includes('9 shown') && !f.includes('enter keep'))), position(before));
});
