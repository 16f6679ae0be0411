// A simulator world on a manual clock, for the model's unit tests: no pre-roll, stepped by hand.
import {createWorld} from '../../source/sim/lambda/index.ts';
import {createManualClock} from '../../source/sim/clock.ts';
import type {Scenario} from '../../source/sim/lambda/scenario.ts';

export const T0 = Date.parse('2026-11-23T10:00:00.000Z');
export const S = 1000;
export const MIN = 60_000;

/** A world for `scenario`; `run(ms)` advances the clock in steps of `stepMs` (virtual), advancing the model each step. */
export function modelWorld(scenario: Scenario, options: {seed: number; stepMs: number}) {
  const clock = createManualClock(T0);
  const w = createWorld({scenario, seed: options.seed, clock, baseUrl: () => 'http://127.0.0.1:4566', prerollMinutes: 0});
  const run = (ms: number, step = options.stepMs) => {
    for (let t = 0; t < ms; t += step) {
      clock.advance(step);
      w.advance();
    }
  };
  return {w, clock, run};
}
