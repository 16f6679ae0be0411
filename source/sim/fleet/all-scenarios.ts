// `--demo --fleet`: every built-in scenario at once, in one world. Pure data: the scenarios' queues,
// functions, mappings and producers side by side (their names do not collide), and each curve rewritten onto
// the common cycle (the least common multiple of the scenarios' cycles) and shifted so that every scenario
// opens at the same point of its story as it does alone (its own pre-roll).
import type {Curve, Scenario} from '../lambda/scenario.ts';
import {compileCurve} from '../lambda/scenario.ts';

export const ALL_SCENARIOS_NAME = 'all-scenarios';
const DEFAULT_PREROLL = 45;
const WRAP_EPSILON = 1e-6;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The curve c (period `cycle`) as a curve of period `common` (a multiple of it), delayed by `shift` minutes:
 * out(m) = c(m - shift). Exact: each repetition keeps its points, and the jump at each wrap is kept as two
 * points a microminute apart (at the wrap itself the new repetition's value holds, as compileCurve's does). */
export function recycleCurve(curve: Curve, cycle: number, common: number, shift: number): Curve {
  if (typeof curve === 'number') return curve;
  const original = compileCurve(curve, cycle, 0);
  const points: Array<[number, number]> = [[0, original(-shift)]];
  for (let base = shift - cycle; base < common; base += cycle) {
    const inside = curve.filter(([m]) => m < cycle - WRAP_EPSILON).map(([m, v]) => [base + m, v] as [number, number]);
    const segment: Array<[number, number]> = [[base, original(0)], ...inside, [base + cycle - WRAP_EPSILON, original(cycle - WRAP_EPSILON)]];
    for (const p of segment) if (p[0] > 0 && p[0] < common) points.push(p);
  }
  points.push([common, original(common - shift)]);
  // the same minute twice in a row with the same value says nothing
  return points.filter((p, i) => i === 0 || p[0] !== points[i - 1]![0] || p[1] !== points[i - 1]![1]);
}

/** One scenario holding all of `scenarios` (the first one's primary function is the primary). */
export function mergeScenarios(scenarios: readonly Scenario[], options: {name?: string; story?: string} = {}): Scenario {
  if (scenarios.length === 0) throw new Error('mergeScenarios needs at least one scenario');
  const common = scenarios.reduce((l, s) => (l * s.cycleMinutes) / gcd(l, s.cycleMinutes), 1);
  const preroll = Math.max(...scenarios.map((s) => s.prerollMinutes ?? DEFAULT_PREROLL));
  const seen = new Set<string>();
  const unique = (kind: string, name: string): void => {
    const key = `${kind}:${name}`;
    if (seen.has(key)) throw new Error(`mergeScenarios: two scenarios define the ${kind} "${name}"`);
    seen.add(key);
  };
  const out: Scenario = {
    name: options.name ?? ALL_SCENARIOS_NAME,
    title: 'Every scenario at once',
    story: options.story ?? `${scenarios.map((s) => s.name).join(', ')} side by side: find the functions in trouble.`,
    primaryFunction: scenarios[0]!.primaryFunction,
    cycleMinutes: common,
    prerollMinutes: preroll,
    accountConcurrency: Math.max(...scenarios.map((s) => s.accountConcurrency ?? 1000)),
    queues: [],
    functions: [],
    eventSourceMappings: [],
    producers: [],
    timeline: [{at: 0, note: 'Every scenario runs at once: sort by trouble and dive in'}],
  };
  for (const s of scenarios) {
    const shift = preroll - (s.prerollMinutes ?? DEFAULT_PREROLL);
    const re = (c: Curve): Curve => recycleCurve(c, s.cycleMinutes, common, shift);
    for (const q of s.queues) {
      unique('queue', q.name);
      out.queues.push(structuredClone(q));
    }
    for (const f of s.functions) {
      unique('function', f.name);
      const copy = structuredClone(f);
      const b = copy.behavior;
      if (b.msPerMb !== undefined) b.msPerMb = re(b.msPerMb);
      if (b.downstream) b.downstream.capacity = re(b.downstream.capacity);
      for (const e of b.errors ?? []) e.rate = re(e.rate);
      out.functions.push(copy);
    }
    for (const m of s.eventSourceMappings ?? []) out.eventSourceMappings!.push(structuredClone(m));
    for (const p of s.producers) {
      unique('producer', p.name);
      const copy = structuredClone(p);
      copy.ratePerSecond = re(copy.ratePerSecond);
      if (copy.largeShare !== undefined) copy.largeShare = re(copy.largeShare);
      out.producers.push(copy);
    }
  }
  return out;
}
