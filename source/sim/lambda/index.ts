// The Lambda side of the demo simulator: scenarios and the world model (ports.ts: LambdaWorld).
// Scenario files are imported statically so that esbuild bundles them into dist/cli.js.
import avatarTimeouts from '../../../demo/avatar-timeouts.json' with {type: 'json'};
import throttledOrders from '../../../demo/throttled-orders.json' with {type: 'json'};
import uploadBurst from '../../../demo/upload-burst.json' with {type: 'json'};
import healthy from '../../../demo/healthy.json' with {type: 'json'};
import type {SimClock} from '../ports.ts';
import {validateScenario, ScenarioError, type Scenario} from './scenario.ts';
import {createModel, type SimWorld, type WorldOptions} from './world.ts';

export type {Scenario} from './scenario.ts';
export {ScenarioError, validateScenario} from './scenario.ts';
export type {SimWorld, AsyncStats} from './world.ts';

/** The scenario `lambda-top --demo` shows first: a full incident arc (timeouts on heavy inputs, retries on the
 * documented schedule, failures in both a DLQ and a fallback destination, then a fix after which redriven
 * events succeed) that exercises the dashboard, the failed-event browser and redrive within a few minutes. */
export const DEFAULT_SCENARIO = 'avatar-timeouts';

const REGISTRY: ReadonlyArray<readonly [string, unknown]> = [
  ['avatar-timeouts', avatarTimeouts],
  ['throttled-orders', throttledOrders],
  ['upload-burst', uploadBurst],
  ['healthy', healthy],
];

const cache = new Map<string, Scenario>();

/** A built-in scenario by name (validated). Throws ScenarioError listing the known names when unknown. */
export function loadScenario(name: string): Scenario {
  const cached = cache.get(name);
  if (cached) return cached;
  const entry = REGISTRY.find(([n]) => n === name);
  if (!entry) throw new ScenarioError(`unknown scenario "${name}": try ${REGISTRY.map(([n]) => n).join(', ')}`);
  const scenario = validateScenario(structuredClone(entry[1]), name);
  if (scenario.name !== name) throw new ScenarioError(`scenario file ${name}.json names itself "${scenario.name}"`);
  cache.set(name, scenario);
  return scenario;
}

/** The built-in scenarios, the default first. */
export function listScenarios(): Array<{name: string; title: string; story: string; default: boolean}> {
  return REGISTRY.map(([name]) => loadScenario(name))
    .map((s) => ({name: s.name, title: s.title, story: s.story, default: s.name === DEFAULT_SCENARIO}))
    .sort((a, b) => Number(b.default) - Number(a.default));
}

export interface CreateWorldOptions extends Omit<WorldOptions, 'scenario'> {
  /** A scenario, or the name of a built-in one (default DEFAULT_SCENARIO). */
  scenario?: Scenario | string;
}

/** Builds the model, simulates the pre-roll, and returns the world (advance() it before answering a request). */
export function createWorld(options: CreateWorldOptions): SimWorld {
  const scenario = typeof options.scenario === 'object' ? validateScenario(options.scenario) : loadScenario(options.scenario ?? DEFAULT_SCENARIO);
  return createModel({...options, scenario});
}
