import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mergeScenarios, recycleCurve} from '../../../source/sim/fleet/all-scenarios.ts';
import {backgroundProfile, queryBackground, withBackgroundFleet} from '../../../source/sim/fleet/background.ts';
import {compileCurve, validateScenario} from '../../../source/sim/lambda/scenario.ts';
import {createWorld, listScenarios, loadScenario} from '../../../source/sim/lambda/index.ts';
import {createVirtualClock} from '../../../source/sim/clock.ts';

test('recycleCurve repeats a curve onto a longer cycle and delays it, exactly', () => {
  const curve: Array<[number, number]> = [[10, 1], [40, 5], [50, 2]];
  const f = compileCurve(curve, 60);
  const out = recycleCurve(curve, 60, 180, 25);
  const g = compileCurve(out, 180);
  for (let m = 0; m < 360; m += 0.5) assert.ok(Math.abs(g(m) - f(m - 25)) < 1e-9, `minute ${m}: ${g(m)} vs ${f(m - 25)}`);
  assert.equal(recycleCurve(3, 60, 180, 10), 3);
});

test('every scenario at once: one valid scenario, each opening where it opens alone', () => {
  const all = listScenarios().map((s) => loadScenario(s.name));
  const merged = validateScenario(structuredClone(mergeScenarios(all)));
  assert.equal(merged.functions.length, all.reduce((n, s) => n + s.functions.length, 0));
  assert.equal(merged.cycleMinutes % 360, 0);
  for (const s of all) {
    const own = compileCurve(s.producers[0]!.ratePerSecond, s.cycleMinutes);
    const mine = compileCurve(merged.producers.find((p) => p.name === s.producers[0]!.name)!.ratePerSecond, merged.cycleMinutes);
    const openOwn = s.prerollMinutes ?? 45;
    for (const dm of [0, 7, 33, 400]) assert.ok(Math.abs(own(openOwn + dm) - mine(merged.prerollMinutes! + dm)) < 1e-9, `${s.name} +${dm}`);
  }
  assert.throws(() => mergeScenarios([all[0]!, all[0]!]), /two scenarios define/);
});

test('background profiles are deterministic from the seed and differ between seeds', () => {
  assert.deepEqual(backgroundProfile(1, 42), backgroundProfile(1, 42));
  assert.notDeepEqual(backgroundProfile(1, 42), backgroundProfile(2, 42));
  const names = new Set(Array.from({length: 5000}, (_, i) => backgroundProfile(1, i).name));
  assert.equal(names.size, 5000, 'names are unique');
});

test('background metrics: plausible, stored nowhere, and the newest minute fills late like CloudWatch', () => {
  const p = Array.from({length: 200}, (_, i) => backgroundProfile(3, i)).find((x) => x.perMinute > 50 && x.async)!;
  const now = 1_800_000_000_000;
  const q = {namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: {FunctionName: p.name}, stat: 'Sum', periodSeconds: 60, start: now - 15 * 60_000, end: now};
  const points = queryBackground(3, p, q, now);
  assert.ok(points.length >= 12 && points.length <= 14, `${points.length} points`);
  const settled = points.slice(0, -3).map(([, v]) => v);
  for (const v of settled) assert.ok(v > p.perMinute * 0.3 && v < p.perMinute * 2.5, `${v} vs ${p.perMinute}`);
  // the newest minute that shows at all shows less than it will
  const later = queryBackground(3, p, q, now + 180_000);
  const last = points[points.length - 1]!;
  const same = later.find(([t]) => t === last[0])!;
  assert.ok(last[1] <= same[1]);
  assert.deepEqual(queryBackground(3, p, q, now), points, 'deterministic');
  const hot = Array.from({length: 5000}, (_, i) => backgroundProfile(3, i)).filter((x) => x.hot);
  assert.ok(hot.length >= 5, 'some background functions throttle');
  const throttling = hot.filter((h) => queryBackground(3, h, {...q, metricName: 'Throttles', dimensions: {FunctionName: h.name}}, now).some(([, v]) => v > 0));
  assert.ok(throttling.length >= 3, `${throttling.length} of the hot functions throttle`);
});

test('withBackgroundFleet: 5,000 extra functions answered by name and ARN, the scenario untouched', () => {
  const clock = createVirtualClock({speed: 30});
  const world = createWorld({clock, baseUrl: () => 'http://127.0.0.1:1', scenario: 'healthy', seed: 5});
  const fleet = withBackgroundFleet(world, {size: 5000, seed: 5});
  const all = fleet.listFunctions();
  assert.equal(all.length, 5000 + world.listFunctions().length);
  const bg = all[all.length - 1]!;
  assert.equal(fleet.getFunction(bg.FunctionArn).FunctionName, bg.FunctionName);
  assert.equal(fleet.getEventInvokeConfig(bg.FunctionName), undefined);
  assert.deepEqual(fleet.listEventSourceMappings({functionName: bg.FunctionName}), []);
  assert.equal(fleet.getFunction('notification-sender').FunctionName, 'notification-sender');
  assert.equal(fleet.primaryFunction, world.primaryFunction);
  assert.equal(fleet.invoke(bg.FunctionName, '{}', 'Event').statusCode, 202);
  assert.throws(() => fleet.getFunction('nope'), /Function not found/);
  const throttles = fleet.listMetrics('AWS/Lambda', 'Throttles').filter((m) => Object.keys(m.dimensions).length === 1);
  assert.ok(throttles.length > 4000);
  assert.ok(fleet.getAccountSettings().AccountUsage.FunctionCount >= 5000);
});
