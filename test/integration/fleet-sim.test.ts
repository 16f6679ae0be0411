import {test} from 'node:test';
import assert from 'node:assert/strict';
import {withSim} from '../helpers/sim-clients.ts';
import {listFunctions} from '../../source/aws/functions.ts';

test('--demo --fleet: every scenario at once among 5,000 generated functions, listed page by page over HTTP', async () => {
  await withSim('healthy', async (sim, clients) => {
    const started = Date.now();
    const pages: number[] = [];
    const functions = await listFunctions(clients, {onPage: (n) => pages.push(n)});
    assert.equal(functions.length, sim.world.listFunctions().length);
    assert.ok(functions.length >= 5007, `${functions.length}`);
    assert.equal(pages.length, Math.ceil(functions.length / 50));
    assert.equal(new Set(functions.map((f) => f.name)).size, functions.length, 'no function listed twice');
    for (const name of ['avatar-processor', 'order-processor', 'media-ingest', 'notification-sender']) assert.ok(functions.some((f) => f.name === name), name);
    assert.equal(sim.world.scenario.name, 'all-scenarios');
    assert.ok(Date.now() - started < 20_000, 'listing 5,000 functions stays quick');
  }, undefined, {fleet: true, fleetSize: 5000});
});

import {fetchFleetMetrics, rankFleet, rankingQuery} from '../../source/aws/fleet-metrics.ts';
import {GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {countGetMetricData} from '../helpers/count-metrics.ts';

test('Metrics Insights over HTTP: the top N of 5,000 functions by throttles, one series per function labelled with its name', async () => {
  await withSim('healthy', async (sim, clients) => {
    const now = sim.world.clock.now();
    // 15 whole minutes ending 3 minutes ago: a background minute's counts become visible 60-120 s after it ends
    // (sim/fleet/background.ts), so a window ending at `now` could gain a minute between the two answers.
    const end = Math.floor(now / 60_000) * 60_000 - 3 * 60_000;
    const start = end - 15 * 60_000;
    const counter = countGetMetricData(clients);
    const top = await rankFleet(clients, 'Throttles', {limit: 20, start, end, periodSeconds: 60});
    assert.equal(counter.calls, 1);
    assert.equal(counter.queries, 1);
    assert.ok(top.length > 0 && top.length <= 20);
    for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]!.value >= top[i]!.value, 'highest first');
    // the ranking agrees with asking each function (the same window, MetricStat queries)
    const names = sim.world.listFunctions().map((f) => f.FunctionName);
    const all = await fetchFleetMetrics(clients, names.map((name) => ({name, dlqQueueName: null})), {start, end, periodSeconds: 60});
    const sums = names.map((name) => ({name, value: (all.byFunction.get(name)?.series.Throttles?.points ?? []).reduce((n, [, v]) => n + v, 0)})).sort((a, b) => b.value - a.value);
    assert.equal(top[0]!.name, sums[0]!.name);
    assert.equal(top[0]!.value, sums[0]!.value);
    assert.equal(all.calls, Math.ceil(all.queries / 500), 'at most 500 queries a call');
    assert.ok(all.calls > 50);
    const age = await rankFleet(clients, 'AsyncEventAge', {limit: 5, start, end, periodSeconds: 60});
    assert.ok(age.length === 5);
    assert.match(rankingQuery('AsyncEventAge', 5), /^SELECT MAX\(AsyncEventAge\) FROM SCHEMA\("AWS\/Lambda", FunctionName\) GROUP BY FunctionName ORDER BY MAX\(\) DESC LIMIT 5$/);
  }, 0.001, {fleet: true, fleetSize: 5000}); // the clock nearly stopped: both answers see the same minutes
});

test('Metrics Insights refusals: beyond 3 hours, LIMIT over 500, two queries in one call, no Period', async () => {
  await withSim('healthy', async (sim, clients) => {
    const now = sim.world.clock.now();
    const ask = (queries: object[], start = now - 600_000) =>
      clients.cloudwatch.send(new GetMetricDataCommand({MetricDataQueries: queries as never, StartTime: new Date(start), EndTime: new Date(now)}));
    const q = (expression: string, id = 'q') => ({Id: id, Expression: expression, Period: 60});
    await assert.rejects(ask([q(rankingQuery('Errors', 5))], now - 4 * 3600_000), /3 hours/);
    await assert.rejects(ask([q(rankingQuery('Errors', 501))]), /LIMIT/);
    await assert.rejects(ask([q(rankingQuery('Errors', 5)), q(rankingQuery('Throttles', 5), 'r')]), /Only one Metrics Insights/);
    await assert.rejects(ask([{Id: 'q', Expression: rankingQuery('Errors', 5)}]), /Period/);
    const where = await ask([q(`SELECT SUM(Invocations) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'notification-sender' GROUP BY FunctionName`)]);
    assert.deepEqual(where.MetricDataResults?.map((r) => r.Label), ['notification-sender']);
  }, undefined, {fleet: true, fleetSize: 50});
});
