import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import type {Key} from 'ink';
import {KEY_BINDINGS, activeScope, bindingLabel, findBinding, keyMatches, type ActiveScope, type KeySpec, type Scope} from '../../../source/ui/key-bindings.ts';
import type {View} from '../../../source/store/types.ts';
import {KEYS} from '../../helpers/render.tsx';
import {dashboard} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';

let current: Mounted | null = null;
afterEach(() => {
  current?.unmount();
  current = null;
});
const open = (...args: Parameters<typeof mount>): Mounted => (current = mount(...args));
const update = {type: 'dashboard/updated' as const, dashboard: dashboard()};

const VIEWS: Array<View | 'filter'> = ['dashboard', 'failed', 'detail', 'help', 'confirm', 'redrive', 'filter'];
const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false,
  hyper: false, capsLock: false, numLock: false,
};
/** The (input, key) Ink reports for a spec. */
function press(spec: KeySpec): [string, Key] {
  const key = {...noKey, ctrl: Boolean(spec.ctrl)};
  if (spec.input !== undefined) return [spec.input, {...key, shift: spec.input !== spec.input.toLowerCase()}];
  switch (spec.key) {
    case 'up': return ['', {...key, upArrow: true}];
    case 'down': return ['', {...key, downArrow: true}];
    case 'pageUp': return ['', {...key, pageUp: true}];
    case 'pageDown': return ['', {...key, pageDown: true}];
    case 'home': return ['', {...key, home: true}];
    case 'end': return ['', {...key, end: true}];
    case 'enter': return ['\r', {...key, return: true}];
    case 'escape': return ['', {...key, escape: true}];
    case 'tab': return ['\t', {...key, tab: true}];
    case 'shiftTab': return ['', {...key, tab: true, shift: true}];
    case 'space': return [' ', key];
    case 'backspace': return ['', {...key, backspace: true}];
    default: throw new Error('unknown key');
  }
}

test('binding table: within any one view no key means two things', () => {
  for (const view of VIEWS) {
    const seen = new Map<string, string>();
    for (const b of KEY_BINDINGS) {
      const applies = b.scopes.some((s: Scope) => s === view || s === 'any' || (s === 'main' && ['dashboard', 'failed', 'detail'].includes(view)));
      if (!applies) continue;
      for (const spec of b.keys) {
        const label = `${spec.ctrl ? 'ctrl-' : ''}${spec.key ?? spec.input}`;
        assert.ok(!seen.has(label), `${view}: ${label} is bound to both ${seen.get(label)} and ${b.intent}`);
        seen.set(label, b.intent);
      }
    }
  }
});

test('binding table: every key of every binding is found again by findBinding in its scopes', () => {
  for (const b of KEY_BINDINGS) {
    for (const scope of b.scopes) {
      const views: ActiveScope[] = scope === 'any' ? VIEWS : scope === 'main' ? ['dashboard', 'failed', 'detail'] : [scope];
      for (const view of views) {
        for (const spec of b.keys) {
          const [input, key] = press(spec);
          assert.ok(keyMatches(spec, input, key), `${bindingLabel(b)} matches itself`);
          assert.equal(findBinding(view, input, key)?.intent, b.intent, `${view}: ${bindingLabel(b)}`);
        }
      }
    }
  }
});

test('typing a filter takes over the keys of the list', () => {
  assert.equal(activeScope('failed', true), 'filter');
  const [input, key] = press({input: 'q'});
  assert.equal(findBinding('filter', input, key), undefined, 'q types a q, it does not quit');
  assert.equal(findBinding('filter', '\u0003', {...noKey, ctrl: true}), undefined);
  assert.equal(findBinding('filter', 'c', {...noKey, ctrl: true})?.intent, 'quit', 'ctrl-c still quits');
});

test('dashboard keys: r refreshes, +/- step the window, f opens failed events, q quits', async () => {
  const m = open({actions: [update]});
  await m.waitForFrame((f) => f.includes('Pipeline'));
  await m.press('r');
  assert.equal(m.named('refreshNow').length, 1);
  await m.press('+');
  assert.deepEqual(m.named('setWindow').map((c) => c.args[0]), [3 * 3_600_000]);
  await m.waitForFrame((f) => f.includes('window 3h'));
  await m.press('-', '-', '-');
  assert.deepEqual(m.named('setWindow').map((c) => c.args[0]), [10_800_000, 3_600_000, 900_000], 'the third - at 15m does nothing');
  await m.waitForFrame((f) => f.includes('window is already 15m (shortest)'));
  await m.press('f');
  assert.equal(m.named('openFailedEvents').length, 1);
  assert.equal(m.store.getState().view, 'failed');
  await m.press('q');
  assert.equal(m.named('quit').length, 1);
});

test('ctrl-c quits from any view, even while typing a filter', async () => {
  const m = open({actions: [update, {type: 'failed/open'}, {type: 'failed/filter-start'}]});
  await m.waitForFrame((f) => f.includes('Failed events'));
  await m.press('q');
  assert.equal(m.named('quit').length, 0);
  assert.equal(m.store.getState().failed.filter.text, 'q');
  await m.press(KEYS.ctrlC);
  assert.equal(m.named('quit').length, 1);
});

test('tab moves the focus between panels and the focused one is highlighted', async () => {
  const m = open({actions: [update]});
  await m.waitForFrame((f) => f.includes('Pipeline'));
  await m.press(KEYS.tab, KEYS.tab, KEYS.tab);
  assert.equal(m.store.getState().focus, 'diagnosis');
  await m.waitForFrame((f) => f.includes(' Diagnosis '));
  await m.press(KEYS.shiftTab);
  assert.equal(m.store.getState().focus, 'queues');
});

test('? opens help generated from the binding table; every binding is listed', async () => {
  const m = open({columns: 100, rows: 120, actions: [update]});
  await m.waitForFrame((f) => f.includes('Pipeline'));
  await m.press('?');
  const frame = await m.waitForFrame((f) => f.includes('Help'));
  const words = frame.replace(/\s+/g, ' ');
  // the fleet view's own keys are listed by the fleet view's help (test/unit/ui/fleet.test.tsx)
  const fleetOnly = (b: (typeof KEY_BINDINGS)[number]) => b.scopes.every((s) => s === 'fleet' || s === 'fleet-filter' || s === 'fleet-help');
  for (const b of KEY_BINDINGS.filter((x) => !fleetOnly(x))) {
    assert.ok(frame.includes(bindingLabel(b)), `help shows keys ${bindingLabel(b)}`);
    assert.ok(words.includes(b.description), `help shows "${b.description}"`);
  }
  await m.press(KEYS.escape);
  await m.waitForFrame((f) => f.includes('Pipeline'));
  assert.equal(m.store.getState().view, 'dashboard');
});

test('help in read-only mode marks the redrive keys as disabled', async () => {
  const m = open({columns: 100, rows: 120, state: {readOnly: true}, actions: [update]});
  await m.press('?');
  const frame = await m.waitForFrame((f) => f.includes('Help'));
  const words = frame.replace(/\s+/g, ' ');
  for (const b of KEY_BINDINGS.filter((x) => x.mutation)) assert.ok(words.includes(`${b.description} [read-only: disabled]`), b.description);
});

test('the status bar hints come from the binding table of the current view', async () => {
  const m = open({actions: [update]});
  let frame = await m.waitForFrame((f) => f.includes('Pipeline'));
  assert.match(frame.split('\n').at(-1)!, /\? help +r refresh +f failed events +L logs +\+ window +tab panel +q quit/);
  await m.press('f');
  frame = await m.waitForFrame((f) => f.includes('Failed events'));
  assert.match(frame.split('\n').at(-1)!, /\? help +enter detail +esc back +\/ filter +space mark +r redrive +R redrive all/);
});
