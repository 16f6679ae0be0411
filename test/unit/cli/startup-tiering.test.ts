import {test} from 'node:test';
import assert from 'node:assert/strict';
import {holdTurbofan, TURBOFAN_HOLD_MAX_MS, type TieringControl} from '../../../source/cli/startup-tiering.ts';

function fakeControl() {
  const flags: string[] = [];
  const timers: Array<{callback: () => void; ms: number; unrefed: boolean}> = [];
  const control: TieringControl = {
    setFlags: (f) => void flags.push(f),
    setTimeout(callback, ms) {
      const timer = {callback, ms, unrefed: false};
      timers.push(timer);
      return {unref: () => (timer.unrefed = true)};
    },
  };
  return {control, flags, timers};
}

test('holdTurbofan turns TurboFan off at once and on again once, when resumed', () => {
  const {control, flags, timers} = fakeControl();
  const resume = holdTurbofan(control);
  assert.deepEqual(flags, ['--no-turbofan']);
  resume();
  resume();
  assert.deepEqual(flags, ['--no-turbofan', '--turbofan']);
  // the fallback timer that fires later changes nothing more
  timers[0]!.callback();
  assert.deepEqual(flags, ['--no-turbofan', '--turbofan']);
});

test('holdTurbofan resumes by itself after TURBOFAN_HOLD_MAX_MS (an unref’d timer) when nobody resumes it', () => {
  const {control, flags, timers} = fakeControl();
  const resume = holdTurbofan(control);
  assert.equal(timers.length, 1);
  assert.equal(timers[0]!.ms, TURBOFAN_HOLD_MAX_MS);
  assert.equal(timers[0]!.unrefed, true);
  timers[0]!.callback();
  assert.deepEqual(flags, ['--no-turbofan', '--turbofan']);
  resume();
  assert.deepEqual(flags, ['--no-turbofan', '--turbofan']);
});
