// Structural sharing of rebuilt view models: equal parts keep the previous objects.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {plainEqual, sharePrevious} from '../../../source/ui/share-equal.ts';

test('plainEqual compares plain data deeply', () => {
  assert.ok(plainEqual({a: [1, {b: 'x'}, null], c: NaN}, {a: [1, {b: 'x'}, null], c: NaN}));
  assert.ok(!plainEqual({a: [1, 2]}, {a: [1, 3]}));
  assert.ok(!plainEqual({a: 1}, {a: 1, b: undefined}), 'a missing key is not an undefined one');
  assert.ok(!plainEqual([1], {0: 1}));
  assert.ok(!plainEqual({a: null}, {a: {}}));
  assert.ok(!plainEqual('1', 1));
});

test('sharePrevious keeps equal parts, takes changed ones, and returns the previous model when nothing changed', () => {
  const previous = {rows: [{id: 'a', value: 1}], gauge: {tone: 'ok'}, text: 'x'};
  const same = sharePrevious(previous, {rows: [{id: 'a', value: 1}], gauge: {tone: 'ok'}, text: 'x'});
  assert.equal(same, previous);
  const next = {rows: [{id: 'a', value: 2}], gauge: {tone: 'ok'}, text: 'x'};
  const shared = sharePrevious(previous, next);
  assert.equal(shared.rows, next.rows, 'a changed part is the new one');
  assert.equal(shared.gauge, previous.gauge, 'an equal part keeps the previous object');
  assert.deepEqual(shared, next);
  assert.equal(sharePrevious(null, next), next);
});
