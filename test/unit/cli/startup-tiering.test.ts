import {test} from 'node:test';
import assert from 'node:assert/strict';
import {resumeOptimisingCompilers} from '../../../source/cli/startup-tiering.ts';

const RESUME = Symbol.for('lambda-top.resume-optimising-compilers');
const slot = globalThis as Record<symbol, unknown>;

test('resumeOptimisingCompilers calls what the bin registered, and nothing when it registered nothing', () => {
  delete slot[RESUME];
  assert.doesNotThrow(() => resumeOptimisingCompilers());
  let calls = 0;
  slot[RESUME] = () => void calls++;
  try {
    resumeOptimisingCompilers();
    assert.equal(calls, 1);
  } finally {
    delete slot[RESUME];
  }
});
