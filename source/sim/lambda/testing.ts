// Small hand-made scenarios for tests of the model and of the wire handlers (no producers unless given:
// the test drives the world with invoke() and a manual clock).
import type {Scenario, ScenarioBehavior, ScenarioFunction, ScenarioMapping, ScenarioProducer, ScenarioQueue} from './scenario.ts';

export type FunctionInput = Partial<Omit<ScenarioFunction, 'behavior'>> & {name: string; behavior?: Partial<ScenarioBehavior>};

export function testFunction(input: FunctionInput): ScenarioFunction {
  const {behavior, ...rest} = input;
  return {
    runtime: 'nodejs20.x',
    timeoutSeconds: 10,
    memoryMb: 128,
    ...rest,
    behavior: {durationMs: {median: 100, p99: 200}, initDurationMs: {median: 150, p99: 300}, ...behavior},
  };
}

export function testScenario(parts: {
  functions: FunctionInput[];
  queues?: ScenarioQueue[];
  producers?: ScenarioProducer[];
  eventSourceMappings?: ScenarioMapping[];
  accountConcurrency?: number;
  name?: string;
}): Scenario {
  const functions = parts.functions.map(testFunction);
  return {
    name: parts.name ?? 'test',
    title: 'Test scenario',
    story: 'A scenario built by a test.',
    primaryFunction: functions[0]!.name,
    cycleMinutes: 1440,
    queues: parts.queues ?? [],
    functions,
    producers: parts.producers ?? [],
    timeline: [{at: 0, note: 'test'}],
    ...(parts.eventSourceMappings ? {eventSourceMappings: parts.eventSourceMappings} : {}),
    ...(parts.accountConcurrency ? {accountConcurrency: parts.accountConcurrency} : {}),
  };
}

/** Errors on every invocation (unhandled Error "boom"). */
export const ALWAYS_FAILS: Partial<ScenarioBehavior> = {errors: [{kind: 'unhandled', rate: 1, errorType: 'Error', errorMessage: 'boom'}]};
