// The production guard on screen: the header names the account (id, alias), the profile and the region and
// draws a production account's mark in the warning colour at 80 and 120 columns; a redrive dialog names the
// account and, when it asks for the function name, y does nothing, a wrong name is refused, the right one
// starts it; P / G open the pickers, and choosing switches.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import type {Action} from '../../../source/store/actions.ts';
import type {RedrivePlan} from '../../../source/store/types.ts';
import {createInitialState, reduce} from '../../../source/store/reducer.ts';
import {KEYS, lineWidths, stripSgr} from '../../helpers/render.tsx';
import {NOW, dashboard} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';
import {headerPropsFor} from '../../../source/ui/App.tsx';
import {headerLayout} from '../../../source/ui/components/Header.tsx';
import {segmentColor} from '../../../source/ui/components/StyledLine.tsx';
import {makeTheme} from '../../../source/ui/theme.tsx';

let current: Mounted | null = null;
afterEach(() => {
  current?.unmount();
  current = null;
});
const open = (...args: Parameters<typeof mount>): Mounted => (current = mount(...args));

const production: Action[] = [
  {type: 'dashboard/updated', dashboard: dashboard()},
  {type: 'app/identity', identity: {profile: 'prod', alias: {kind: 'alias', alias: 'acme-prod'}, label: 'PROD EU', color: null, production: true}},
];

for (const columns of [80, 120]) {
  test(`header at ${columns} columns: account id, alias, profile and region; the production mark in the warning colour`, async () => {
    const m = open({columns, rows: 24, actions: production});
    const frame = await m.waitForFrame((f) => f.includes('account 123456789012'));
    assert.match(frame, /account 123456789012 \(acme-prod\) · profile prod · region eu-west-1/);
    assert.match(frame, /⚠ PROD EU/);
    assert.ok(lineWidths(m.lastFrame()).every((w) => w <= columns), 'no row wider than the terminal');
    // The frames carry no colour codes here (no colour terminal): the colour is the segment's, drawn by the theme.
    const mark = headerLayout(headerPropsFor(m.store.getState(), columns, 24)).lines[0]!.find((seg) => seg.text.includes('PROD EU'))!;
    assert.equal(mark.inverse, true);
    assert.equal(segmentColor(makeTheme(true), mark), 'yellow', 'the warning colour');
    assert.equal(segmentColor(makeTheme(false), mark), undefined, 'no colour with --no-color (inverse still marks it)');
  });
}

test('a non-production profile: its label in its own colour, no production mark; unreadable alias is a muted note', async () => {
  const m = open({columns: 120, actions: [{type: 'dashboard/updated', dashboard: dashboard()}, {type: 'app/identity', identity: {profile: 'dev', alias: {kind: 'unreadable'}, label: 'dev sandbox', color: 'green'}}]});
  const frame = await m.waitForFrame((f) => f.includes('account 123456789012'));
  assert.match(frame, /dev sandbox/);
  assert.doesNotMatch(frame, /PRODUCTION|⚠ dev/);
  assert.match(frame, /alias: not readable/);
  const label = headerLayout(headerPropsFor(m.store.getState(), 120, 30)).lines[0]!.find((seg) => seg.text.includes('dev sandbox'))!;
  assert.equal(segmentColor(makeTheme(true), label), 'green', 'as configured');
});

test('the demo (no profile) has no account row', async () => {
  const m = open({columns: 120, actions: [{type: 'dashboard/updated', dashboard: dashboard()}]});
  const frame = await m.waitForFrame((f) => f.includes('order-processor'));
  assert.doesNotMatch(frame, /account 123456789012/);
});

const typedPlan: RedrivePlan = {
  count: 25,
  sourceRole: 'dlq',
  sourceName: 'order-processor-dlq',
  targetDescription: 'order-processor (async Invoke)',
  ratePerSecond: 10,
  dryRun: false,
  warnings: [],
  account: {id: '123456789012', alias: 'acme-prod', label: 'PROD EU', production: true},
  typeToConfirm: 'order-processor',
  typeReason: 'this account is marked production',
};

test('a dialog that asks for the function name: y is a letter, a wrong name is refused, the right name with enter starts it', async () => {
  const m = open({columns: 100, rows: 30, actions: [...production, {type: 'failed/open'}, {type: 'redrive/confirm-requested', plan: typedPlan}]});
  let frame = await m.waitForFrame((f) => f.includes('Type the function name'));
  assert.match(frame, /account +123456789012 \(acme-prod, PROD EU\) +PRODUCTION/);
  assert.match(frame.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' '), /Type the function name order-processor to confirm \(this account is marked production\)/);
  await m.press('y');
  frame = await m.waitForFrame((f) => f.includes('> y'));
  assert.equal(m.named('confirmRedrive').length, 0, 'y did not start it');
  assert.equal(m.store.getState().redrive?.phase, 'confirming');
  await m.press(KEYS.backspace, 'o', 'r', 'd', 'e', 'r', KEYS.enter);
  frame = await m.waitForFrame((f) => f.includes('is not the function name'));
  assert.equal(m.named('confirmRedrive').length, 0, 'a wrong name starts nothing');
  assert.equal(m.store.getState().redrive?.phase, 'confirming');
  await m.press(...'-processor'.split(''));
  await m.waitForFrame((f) => f.includes('> order-processor'));
  await m.press(KEYS.enter);
  await m.waitForFrame(() => m.named('confirmRedrive').length === 1);
  assert.equal(m.store.getState().redrive?.phase, 'running');
});

test('esc cancels a dialog that asks for the name', async () => {
  const m = open({actions: [...production, {type: 'failed/open'}, {type: 'redrive/confirm-requested', plan: typedPlan}]});
  await m.waitForFrame((f) => f.includes('Type the function name'));
  await m.press(KEYS.escape);
  await m.waitForFrame(() => m.named('cancelRedrive').length === 1);
  assert.equal(m.store.getState().redrive, null);
});

test('below the threshold and not production: y is enough, as before', async () => {
  const plan: RedrivePlan = {...typedPlan, count: 3, account: {id: '123456789012', alias: null, label: null, production: false}, typeToConfirm: null};
  const m = open({actions: [{type: 'dashboard/updated', dashboard: dashboard()}, {type: 'failed/open'}, {type: 'redrive/confirm-requested', plan}]});
  const frame = await m.waitForFrame((f) => f.includes('Redrive'));
  assert.match(frame, /account +123456789012/);
  assert.doesNotMatch(frame, /Type the function name/);
  await m.press('y');
  await m.waitForFrame(() => m.named('confirmRedrive').length === 1);
});

test('the reducer refuses redrive/confirmed until the typed name matches', () => {
  let s = createInitialState({functionName: 'order-processor', now: NOW});
  s = reduce(s, {type: 'redrive/confirm-requested', plan: typedPlan});
  s = reduce(s, {type: 'redrive/confirmed'});
  assert.equal(s.redrive?.phase, 'confirming');
  s = reduce(s, {type: 'redrive/type', text: 'order-processo'});
  s = reduce(s, {type: 'redrive/confirmed'});
  assert.equal(s.redrive?.phase, 'confirming');
  s = reduce(s, {type: 'redrive/type', text: 'order-processor'});
  s = reduce(s, {type: 'redrive/confirmed'});
  assert.equal(s.redrive?.phase, 'running');
});

test('P and G ask for the pickers; in a picker, down and enter switch to the chosen one', async () => {
  const m = open({columns: 100, actions: [{type: 'dashboard/updated', dashboard: dashboard()}]});
  await m.waitForFrame((f) => f.includes('order-processor'));
  await m.press('P');
  await m.waitForFrame(() => m.named('openProfilePicker').length === 1);
  await m.press('G');
  await m.waitForFrame(() => m.named('openRegionPicker').length === 1);
  m.store.dispatch({type: 'picker/open', picker: {kind: 'profile', current: 'dev', notes: ['SSO profiles: the clients use the region chosen here'], items: [{value: 'dev', detail: 'credential_process'}, {value: 'prod', detail: 'sso · eu-west-1 · PRODUCTION'}]}});
  const frame = await m.waitForFrame((f) => f.includes('Switch AWS profile'));
  assert.match(frame, /dev .*credential_process .*\(in use\)/);
  assert.match(frame, /prod .*sso · eu-west-1 · PRODUCTION/);
  await m.press('j', KEYS.enter);
  await m.waitForFrame(() => m.named('switchProfile').length === 1);
  assert.deepEqual(m.named('switchProfile')[0]!.args, ['prod']);
  assert.equal(m.store.getState().picker, null);
  assert.ok(!stripSgr(m.lastFrame()).includes('Switch AWS profile'));
});
