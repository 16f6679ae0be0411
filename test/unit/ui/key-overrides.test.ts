import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import type {Key} from 'ink';
import {applyKeyOverrides, bindingsFor, findBinding, KEY_BINDINGS, keyConflict, parseKeySpec, setKeyBindings} from '../../../source/ui/key-bindings.ts';

const noKey = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false} as Key;

afterEach(() => setKeyBindings(KEY_BINDINGS));

test('the built-in table has no key that reaches two actions', () => {
  assert.equal(keyConflict(KEY_BINDINGS), null);
});

test('keys as a config file writes them', () => {
  assert.deepEqual(parseKeySpec('R'), {input: 'R'});
  assert.deepEqual(parseKeySpec('ctrl-R'), {input: 'r', ctrl: true});
  assert.deepEqual(parseKeySpec('enter'), {key: 'enter'});
  assert.deepEqual(parseKeySpec('PgDn'), {key: 'pageDown'});
  assert.deepEqual(parseKeySpec('shift-tab'), {key: 'shiftTab'});
  for (const bad of ['', ' ', 'ab', '\u001b', 'ctrl-1', 'alt-x']) assert.equal(parseKeySpec(bad), null, JSON.stringify(bad));
});

test('an override moves the action to its new key, in the handler and in help', () => {
  const applied = applyKeyOverrides(KEY_BINDINGS, {refresh: [{input: 'R'}]});
  assert.ok('table' in applied);
  setKeyBindings(applied.table);
  assert.equal(findBinding('dashboard', 'R', noKey)?.intent, 'refresh');
  assert.equal(findBinding('dashboard', 'r', noKey), undefined, 'the old key is free');
  assert.deepEqual(bindingsFor('dashboard').find((b) => b.intent === 'refresh')?.keys, [{input: 'R'}]);
  // The failed list's own r (redrive) is untouched.
  assert.equal(findBinding('failed', 'r', noKey)?.intent, 'redrive-marked');
});

test('Ctrl-C always quits; an override of quit moves q only', () => {
  const applied = applyKeyOverrides(KEY_BINDINGS, {quit: [{input: 'x'}]});
  assert.ok('table' in applied);
  setKeyBindings(applied.table);
  assert.equal(findBinding('dashboard', 'x', noKey)?.intent, 'quit');
  assert.equal(findBinding('dashboard', 'c', {...noKey, ctrl: true})?.intent, 'quit');
  assert.equal(findBinding('dashboard', 'q', noKey), undefined);
});

test('two actions on one key are refused, naming both', () => {
  const applied = applyKeyOverrides(KEY_BINDINGS, {'open-failed': [{input: 'r'}]});
  assert.ok('error' in applied);
  assert.match(applied.error, /key "r" for "open-failed" is already "refresh"/);
  // Keys may repeat across views that never share a keypress.
  assert.ok('table' in applyKeyOverrides(KEY_BINDINGS, {'open-failed': [{input: 'e'}]}), '"e" is export in the failed list only');
});
