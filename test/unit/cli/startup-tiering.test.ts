import {test} from 'node:test';
import assert from 'node:assert/strict';
import {holdOptimisingCompilers, OPTIMISING_HOLD_MAX_MS, type TieringControl} from '../../../source/cli/startup-tiering.ts';

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

test('holdOptimisingCompilers turns Maglev and TurboFan off at once and on again once, when resumed', () => {
  const {control, flags, timers} = fakeControl();
  const resume = holdOptimisingCompilers(control);
  assert.deepEqual(flags, ['--no-maglev --no-turbofan']);
  resume();
  resume();
  assert.deepEqual(flags, ['--no-maglev --no-turbofan', '--maglev --turbofan']);
  // the fallback timer that fires later changes nothing more
  timers[0]!.callback();
  assert.deepEqual(flags, ['--no-maglev --no-turbofan', '--maglev --turbofan']);
});

test('holdOptimisingCompilers resumes by itself after OPTIMISING_HOLD_MAX_MS (an unref’d timer) when nobody resumes it', () => {
  const {control, flags, timers} = fakeControl();
  const resume = holdOptimisingCompilers(control);
  assert.equal(timers.length, 1);
  assert.equal(timers[0]!.ms, OPTIMISING_HOLD_MAX_MS);
  assert.equal(timers[0]!.unrefed, true);
  timers[0]!.callback();
  assert.deepEqual(flags, ['--no-maglev --no-turbofan', '--maglev --turbofan']);
  resume();
  assert.deepEqual(flags, ['--no-maglev --no-turbofan', '--maglev --turbofan']);
});
