import {test} from 'node:test';
import assert from 'node:assert/strict';

test('tests run on the pinned Node (>= 22), not the machine default', () => {
  const major = Number(process.versions.node.split('.')[0]);
  assert.ok(major >= 22, `running on Node ${process.versions.node}`);
});
