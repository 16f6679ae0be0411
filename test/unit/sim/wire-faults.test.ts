import {test} from 'node:test';
import assert from 'node:assert/strict';
import {FaultInjector, parseFaultConfig} from '../../../source/sim/faults.ts';
import {decodeQueryParams, queryXmlResponse} from '../../../source/sim/wire/query.ts';

test('fault draws are seeded: the same seed gives the same sequence', () => {
  const run = (seed: number) => {
    const f = new FaultInjector({seed, rules: [{operation: 'Invoke', throttle: 0.3, error: 0.2, drop: 0.1}]});
    return Array.from({length: 200}, () => f.decide('Invoke').action).join(',');
  };
  assert.equal(run(7), run(7));
  assert.notEqual(run(7), run(8));
});

test('fault fractions hold over many draws, and counters add up', () => {
  const f = new FaultInjector({seed: 42, rules: [{operation: 'Invoke', throttle: 0.25, error: 0.1, dropAfter: 0.05}, {operation: '*', delayMs: 5, delay: 0.5}]});
  const counts: Record<string, number> = {};
  const n = 10_000;
  for (let i = 0; i < n; i++) {
    const d = f.decide('Invoke');
    counts[d.action] = (counts[d.action] ?? 0) + 1;
    assert.equal(d.delayMs, 0, 'the exact rule wins over "*"');
  }
  assert.ok(Math.abs(counts.throttle! / n - 0.25) < 0.02, `throttle ${counts.throttle}`);
  assert.ok(Math.abs(counts.error! / n - 0.1) < 0.02, `error ${counts.error}`);
  assert.ok(Math.abs(counts.dropAfter! / n - 0.05) < 0.015, `dropAfter ${counts.dropAfter}`);
  assert.equal(counts.drop, undefined);
  assert.deepEqual(f.injected.Invoke, {throttle: counts.throttle, error: counts.error, dropAfter: counts.dropAfter});
  let delayed = 0;
  for (let i = 0; i < 1000; i++) if (f.decide('ListQueues').delayMs === 5) delayed++;
  assert.ok(delayed > 400 && delayed < 600, `delayed ${delayed}`);
  assert.equal(f.decide('Anything').action, 'none');
});

test('entry failures only for rules that ask for them; mutating calls are counted', () => {
  const f = new FaultInjector({seed: 3, rules: [{operation: 'SendMessageBatch', failEntries: 0.5}]});
  let failed = 0;
  for (let i = 0; i < 1000; i++) if (f.failEntry('SendMessageBatch')) failed++;
  assert.ok(failed > 430 && failed < 570, `failed ${failed}`);
  assert.equal(f.injected.SendMessageBatch?.failEntry, failed);
  assert.equal(f.failEntry('DeleteMessageBatch'), false);
  f.noteReceived('Invoke');
  f.noteReceived('Invoke');
  f.noteReceived('GetMetricData');
  f.noteReceived('DeleteMessageBatch');
  assert.deepEqual({...f.received}, {Invoke: 2, DeleteMessageBatch: 1});
  f.resetCounters();
  assert.deepEqual({...f.received}, {});
  assert.deepEqual({...f.injected}, {});
});

test('configure validates rules and reseeds', () => {
  const f = new FaultInjector();
  assert.throws(() => f.configure({rules: [{operation: 'Invoke', throttle: 1.5}]}), /fraction/);
  assert.throws(() => f.configure({rules: [{operation: 'Invoke', throttle: 0.6, error: 0.6}]}), /must not exceed 1/);
  assert.throws(() => parseFaultConfig({rules: [{operation: 'Invoke', explode: 1}]}), /not a fault setting/);
  assert.throws(() => parseFaultConfig({rules: [{throttle: 0.1}]}), /operation/);
  assert.throws(() => parseFaultConfig([]), /object/);
  f.configure({seed: 9, rules: [{operation: '*', error: 1}]});
  assert.equal(f.seed, 9);
  assert.equal(f.decide('SendMessage').action, 'error');
  f.clear();
  assert.equal(f.decide('SendMessage').action, 'none');
});

test('awsQuery parameters decode into nested lists and maps', () => {
  const params = new URLSearchParams(
    'Action=GetMetricData&Version=2010-08-01&StartTime=2026-01-15T11%3A00%3A00Z&MetricDataQueries.member.2.Id=b&MetricDataQueries.member.1.Id=a' +
      '&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=FunctionName&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=f' +
      '&MetricDataQueries.member.1.ReturnData=false&Attributes.entry.1.key=K&Attributes.entry.1.value=V&Flat.1=x&Flat.2=y&__proto__.polluted=1',
  );
  const decoded = decodeQueryParams(params);
  assert.deepEqual(decoded, {
    Action: 'GetMetricData',
    Version: '2010-08-01',
    StartTime: '2026-01-15T11:00:00Z',
    MetricDataQueries: [{Id: 'a', MetricStat: {Metric: {Dimensions: [{Name: 'FunctionName', Value: 'f'}]}}, ReturnData: 'false'}, {Id: 'b'}],
    Attributes: {K: 'V'},
    Flat: ['x', 'y'],
  });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const xml = queryXmlResponse('ListMetrics', 'http://monitoring.amazonaws.com/doc/2010-08-01/', {Metrics: [{MetricName: 'a<b', Dimensions: []}], When: new Date(0)}, 'rid');
  assert.equal(
    xml.split('\n')[1],
    '<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ListMetricsResult><Metrics><member><MetricName>a&lt;b</MetricName><Dimensions></Dimensions></member></Metrics>' +
      '<When>1970-01-01T00:00:00.000Z</When></ListMetricsResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ListMetricsResponse>',
  );
});
