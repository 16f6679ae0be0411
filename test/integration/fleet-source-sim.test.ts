import {test} from 'node:test';
import assert from 'node:assert/strict';
import {withSim} from '../helpers/sim-clients.ts';
import {countGetMetricData} from '../helpers/count-metrics.ts';
import {createFleetSource} from '../../source/pollers/fleet-source.ts';
import {untilFleet} from '../helpers/fleet-until.ts';
import {sortRows} from '../../source/domain/fleet.ts';


test('fleet source, 5,000 functions: Insights mode, GetMetricData queries in proportion to the rows on screen, not the fleet', async () => {
  await withSim('healthy', async (sim, clients) => {
    const counter = countGetMetricData(clients);
    const source = createFleetSource({clients, now: () => sim.world.clock.now(), intervalMs: 60_000, lambdaCallsPerSecond: 500});
    source.start();
    try {
      const screen = (n: number) => sim.world.listFunctions().slice(0, n).map((f) => f.FunctionName);
      source.setVisible(screen(40));
      let s = await untilFleet(source, (x) => x.listing.data !== null && x.lastRefresh !== null && x.metrics.data !== null);
      assert.equal(s.mode, 'insights');
      assert.equal(s.rows.length, sim.world.listFunctions().length);
      const first = {...s.lastRefresh!};
      assert.equal(first.insightsQueries, 4);
      // the first refresh may have run before the visible set arrived; ask once more with it
      source.refreshNow();
      s = await untilFleet(source, (x) => (x.metrics.data ?? 0) >= 2 && !x.metrics.syncing);
      const forty = s.lastRefresh!;
      assert.ok(forty.metricQueries >= 40 * 6 && forty.metricQueries <= 40 * 7, `${forty.metricQueries} queries for 40 rows`);
      assert.equal(forty.insightsQueries, 0, 'the rankings (which scan the fleet) run at most once a minute');
      // rows scrolled into view get their own metrics from a fill of those rows only, without a whole refresh
      const callsBefore = counter.calls;
      source.setVisible(screen(80));
      s = await untilFleet(source, (x) => screen(80).every((n) => x.rows.find((r) => r.name === n)?.figuresFrom === 'metrics'));
      assert.equal(s.metrics.data, 2, 'no refresh ran for the fill');
      assert.ok(counter.calls - callsBefore <= 1, `${counter.calls - callsBefore} calls for 40 new rows`);
      source.refreshNow();
      s = await untilFleet(source, (x) => (x.metrics.data ?? 0) >= 3 && !x.metrics.syncing);
      const eighty = s.lastRefresh!;
      assert.ok(eighty.metricQueries >= 80 * 6);
      assert.ok(eighty.metricQueries <= 80 * 7, 'twice the rows, about twice the queries');
      assert.ok(eighty.metricQueries < 5000, 'never per function of the fleet');
      assert.ok(counter.queries < 3 * 80 * 7 + 20, `${counter.queries} queries sent in all`);
      // the scenario functions in trouble come first by health, from metrics of their own or the rankings
      const sorted = sortRows(s.rows, 'health');
      assert.ok(sorted[0]!.health === 'critical' || sorted[0]!.health === 'warning', JSON.stringify(sorted[0]));
      const onScreen = s.rows.find((r) => r.name === 'avatar-processor')!;
      assert.equal(onScreen.figuresFrom, 'metrics');
      assert.ok(onScreen.figures!.invocations! > 0);
    } finally {
      source.stop();
    }
  }, undefined, {fleet: true, fleetSize: 5000});
});

test('fleet source, a small fleet: per-row mode, every row measured, no Insights; --functions limits the set', async () => {
  await withSim('throttled-orders', async (sim, clients) => {
    const source = createFleetSource({clients, now: () => sim.world.clock.now(), intervalMs: 60_000, patterns: ['order-*'], lambdaCallsPerSecond: 500});
    source.start();
    try {
      const s = await untilFleet(source, (x) => x.lastRefresh !== null);
      assert.equal(s.mode, 'per-row');
      assert.deepEqual(s.rows.map((r) => r.name).sort(), ['order-confirmation-mailer', 'order-processor']);
      assert.equal(s.lastRefresh!.insightsQueries, 0);
      const orders = s.rows.find((r) => r.name === 'order-processor')!;
      assert.equal(orders.figuresFrom, 'metrics');
      assert.ok(orders.figures!.throttles! > 0, 'the throttled scenario throttles');
      assert.notEqual(orders.health, 'ok');
      assert.equal(orders.reserved, sim.world.getReservedConcurrency('order-processor') ?? null);
    } finally {
      source.stop();
    }
  });
});

test('fleet source, 5,000 functions: rows shown page by page as ListFunctions answers ("loading N of ~5,007"), metrics for the rows on screen before the listing ends', async () => {
  await withSim('healthy', async (sim, clients) => {
    const total = sim.world.listFunctions().length;
    // hold the listing after its second page until the rows on screen have their metrics: the order is then
    // certain, whatever the machine's speed
    let pages = 0;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    (clients.lambda.middlewareStack as {add(m: unknown, o: unknown): void}).add(
      (next: (args: unknown) => Promise<unknown>, context: {commandName?: string}) => async (args: unknown) => {
        if (context.commandName === 'ListFunctionsCommand' && ++pages > 2) await held;
        return next(args);
      },
      {step: 'initialize', name: 'holdListing'},
    );
    const source = createFleetSource({clients, now: () => sim.world.clock.now(), intervalMs: 60_000});
    source.start();
    try {
      const partial = await untilFleet(source, (x) => (x.loading?.listed ?? 0) >= 100 && x.loading?.expected !== null, 60_000);
      assert.equal(partial.listing.data, null, 'the listing has not ended');
      assert.ok(partial.rows.length > 0 && partial.rows.length < total, `${partial.rows.length} rows`);
      assert.equal(partial.loading!.expected, total, "GetAccountSettings' FunctionCount says how many to expect");
      assert.equal(partial.mode, 'insights', 'a large region is asked for by rows on screen from the first page');
      const first = partial.rows.slice(0, 10).map((r) => r.name);
      source.setVisible(first);
      const measured = await untilFleet(source, (x) => first.every((n) => x.rows.find((r) => r.name === n)?.figuresFrom === 'metrics'), 60_000);
      assert.equal(measured.listing.data, null, 'metrics for the rows on screen came while the listing was still running');
      assert.ok(measured.loading !== null);
      release();
      const done = await untilFleet(source, (x) => x.listing.data !== null, 60_000);
      assert.equal(done.rows.length, total);
      assert.equal(done.loading, null);
    } finally {
      release();
      source.stop();
    }
  }, undefined, {fleet: true, fleetSize: 5000});
});

test('fleet source: metrics are asked for once per 1-minute metric period, not at every --interval tick; new rows on screen are filled at once', async () => {
  await withSim('throttled-orders', async (sim, clients) => {
    const counter = countGetMetricData(clients);
    let t = sim.world.clock.now();
    // a 100 ms interval: dozens of ticks while the data clock stands still
    const source = createFleetSource({clients, now: () => t, intervalMs: 100, lambdaCallsPerSecond: 500});
    source.start();
    try {
      await untilFleet(source, (x) => x.listing.data !== null && x.lastRefresh !== null);
      const after = counter.calls;
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(counter.calls, after, 'no GetMetricData inside the metric period');
      assert.ok((source.getSnapshot().metrics.data ?? 0) <= 2, 'no refresh counted either');
      const refreshed = source.getSnapshot().lastRefresh;
      t += 60_000;
      // the call is counted when it is sent, the snapshot changes when its answer is stored: wait for that
      const next = await untilFleet(source, (x) => counter.calls > after && x.lastRefresh !== refreshed, 5_000);
      assert.equal(next.metricsAt, t, 'the next period was asked for');
      const spend = source.getSnapshot().spend!;
      assert.equal(spend.getMetricDataCalls, counter.calls, 'the help overlay spends what was sent');
      assert.equal(spend.metricQueries, counter.queries);
    } finally {
      source.stop();
    }
  });
});
