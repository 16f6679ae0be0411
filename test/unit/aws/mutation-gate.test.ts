import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMutationGate, ReadOnlyError} from '../../../source/aws/mutation-gate.ts';

test('read-only gate refuses every action with the detail in words', () => {
  const gate = createMutationGate({readOnly: true});
  for (const action of ['redrive', 'delete', 'purge', 'move', 'send', 'invoke'] as const) {
    assert.throws(() => gate.assertAllowed(action, 'redrive would send 12 events to order-processor'), (error: unknown) => {
      assert.ok(error instanceof ReadOnlyError);
      assert.equal(error.name, 'ReadOnlyError');
      assert.equal(error.action, action);
      assert.equal(error.message, 'refused: --read-only is set; redrive would send 12 events to order-processor');
      return true;
    });
  }
  assert.equal(gate.counts.refused, 6);
  assert.equal(gate.counts.allowed, 0);
});

test('a writable gate lets actions through and counts them; the gate cannot be switched', () => {
  const gate = createMutationGate({readOnly: false});
  gate.assertAllowed('send', 'x');
  gate.assertAllowed('delete', 'y');
  assert.equal(gate.counts.allowed, 2);
  assert.throws(() => {
    (gate as {readOnly: boolean}).readOnly = true;
  }, TypeError);
});
