// "The newest complete minute" must really be complete (issue 12 point 4): against the simulator, which
// publishes late like CloudWatch, the value fetchMetrics reports as the newest complete minute does not change
// when the same minute is read again later; the newer minutes are marked filling.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createWorld} from '../../../source/sim/lambda/index.ts';
import {createManualClock} from '../../../source/sim/clock.ts';
import {buildMetricQueries, fetchMetrics, fillingStart, METRICS_SETTLE_MS} from '../../../source/aws/metrics.ts';
import {lastCompleteTime, lastCompleteValue} from '../../../source/domain/sparkline.ts';
import type {AwsClients} from '../../../source/aws/clients.ts';

const MIN = 60_000;

/** GetMetricData answered straight from a simulator world (what its CloudWatch wire does, without HTTP). */
function worldCloudWatch(w: ReturnType<typeof createWorld>): AwsClients {
  return {
    cloudwatch: {
      async send(command: {input: {MetricDataQueries: Array<{Id: string; MetricStat: {Period: number; Stat: string; Metric: {Namespace: string; MetricName: string; Dimensions: Array<{Name: string; Value: string}>}}}>; StartTime: Date; EndTime: Date}}) {
        const {MetricDataQueries, StartTime, EndTime} = command.input;
        return {
          MetricDataResults: MetricDataQueries.map((q) => {
            const points = w.queryMetric({
              namespace: q.MetricStat.Metric.Namespace,
              metricName: q.MetricStat.Metric.MetricName,
              dimensions: Object.fromEntries(q.MetricStat.Metric.Dimensions.map((d) => [d.Name, d.Value])),
              stat: q.MetricStat.Stat,
              periodSeconds: q.MetricStat.Period,
              start: StartTime.getTime(),
              end: EndTime.getTime(),
            });
            return {Id: q.Id, Timestamps: points.map(([t]) => new Date(t)), Values: points.map(([, v]) => v), StatusCode: 'Complete'};
          }),
        };
      },
    },
    async region() {
      return 'us-east-1';
    },
  } as unknown as AwsClients;
}

test('the newest complete minute against the late-publishing simulator (healthy) stops changing; newer ones are filling', async () => {
  const clock = createManualClock(Date.parse('2026-11-23T10:00:30.000Z'));
  const w = createWorld({scenario: 'healthy', seed: 3, clock, baseUrl: () => 'http://127.0.0.1:4566', prerollMinutes: 30});
  const clients = worldCloudWatch(w);
  const queries = buildMetricQueries({name: w.primaryFunction, qualifier: null}, [], {periodSeconds: 60});
  const read = async () => fetchMetrics(clients, queries, {start: clock.now() - 30 * MIN, end: clock.now(), periodSeconds: 60});
  for (let step = 0; step < 8; step++) {
    const first = await read();
    const received = first.series['AsyncEventsReceived']!;
    const latestAt = lastCompleteTime(received)!;
    const latest = lastCompleteValue(received)!;
    assert.ok(latestAt + MIN <= clock.now() - METRICS_SETTLE_MS, 'the newest complete minute ended at least the settle time ago');
    assert.equal(first.fillingFrom, latestAt + MIN, 'everything after it is filling');
    // time passes: CloudWatch (the simulator) publishes the rest of the late minutes
    clock.advance(5 * MIN);
    w.advance();
    const later = await read();
    const again = later.series['AsyncEventsReceived']!.points.find(([t]) => t === latestAt)?.[1];
    assert.equal(again, latest, `minute ${new Date(latestAt).toISOString()} did not change after it was reported complete`);
    clock.advance(37_000); // the next read lands at another second of the minute
    w.advance();
  }
});

test('a minute that ended 2 minutes ago is still filling (the old rule called it complete after 1 minute)', () => {
  const start = Date.UTC(2026, 0, 1, 12, 0);
  const now = Date.UTC(2026, 0, 1, 12, 30, 20);
  // 12:28 ended at 12:29, 80 s ago: filling. 12:27 ended at 12:28, 140 s ago: still filling. 12:26 ended 200 s ago: complete.
  assert.equal(fillingStart(start, MIN, now), Date.UTC(2026, 0, 1, 12, 27));
  // 5-minute periods: the period 12:25-12:30 is filling, 12:20-12:25 ended 320 s ago: complete
  assert.equal(fillingStart(start, 5 * MIN, now), Date.UTC(2026, 0, 1, 12, 25));
});
