// GetMetricData over AWS JSON 1.0 is written without a Date per datapoint and without toJsonValue's copy of the
// answer: these tests hold its bytes to what the general path (toJsonValue of the answer with Dates) writes.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createWorld} from '../../../source/sim/lambda/index.ts';
import {createManualClock} from '../../../source/sim/clock.ts';
import {createCloudWatchHandler, getMetricData, toJsonValue} from '../../../source/sim/wire/cloudwatch.ts';
import {T0} from '../../helpers/model-world.ts';

const clock = createManualClock(T0);
const world = createWorld({scenario: 'avatar-timeouts', seed: 1, clock, baseUrl: () => 'http://127.0.0.1:4566', prerollMinutes: 45});
const handler = createCloudWatchHandler(world);
const fn = {Namespace: 'AWS/Lambda', Dimensions: [{Name: 'FunctionName', Value: 'avatar-processor'}]};
const stat = (id: string, metricName: string, s: string, period = 60) => ({Id: id, MetricStat: {Metric: {...fn, MetricName: metricName}, Period: period, Stat: s}});

function both(input: Record<string, unknown>): {fast: string; general: string} {
  const response = handler({method: 'POST', path: '/', query: new URLSearchParams(), headers: {'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData', 'content-type': 'application/x-amz-json-1.0'}, body: Buffer.from(JSON.stringify(input))}, 'req-1');
  assert.ok(response);
  assert.equal(response.status, 200, String(response.body));
  return {fast: String(response.body), general: JSON.stringify(toJsonValue(getMetricData(world, input)))};
}

const now = Math.floor(T0 / 1000);
const queries = [
  stat('m0', 'Invocations', 'Sum'),
  stat('m1', 'Duration', 'Average'),
  stat('m2', 'Duration', 'p50'),
  stat('m3', 'Duration', 'p99.9'),
  stat('m4', 'Duration', 'Maximum', 300),
  stat('m5', 'AsyncEventAge', 'Minimum'),
  stat('m6', 'Errors', 'SampleCount'),
  {...stat('hidden', 'Errors', 'Sum'), ReturnData: false},
  {Id: 'rate', Expression: 'hidden / m0 * 100', Label: 'error rate'},
  {Id: 'broken', Expression: 'nosuch * 2'},
  stat('empty', 'NoSuchMetric', 'Sum'),
];

test('the JSON answer of GetMetricData is the general path\'s, byte for byte', () => {
  for (const scanBy of [undefined, 'TimestampAscending', 'TimestampDescending']) {
    const {fast, general} = both({StartTime: now - 3600, EndTime: now, MetricDataQueries: queries, ...(scanBy ? {ScanBy: scanBy} : {})});
    assert.equal(fast, general, `ScanBy ${scanBy}`);
    assert.match(fast, /"Timestamps":\[\d/, 'epoch seconds, not ISO text');
  }
});

test('paged answers (MaxDatapoints, NextToken) and odd time bounds too', () => {
  let token: string | undefined;
  let pages = 0;
  do {
    const input = {StartTime: now - 2700.5, EndTime: now - 0.25, MaxDatapoints: 70, MetricDataQueries: queries, ...(token ? {NextToken: token} : {})};
    const {fast, general} = both(input);
    assert.equal(fast, general, `page ${pages}`);
    token = (JSON.parse(fast) as {NextToken?: string}).NextToken;
    pages++;
  } while (token && pages < 20);
  assert.ok(pages > 2, `${pages} pages`);
});

test('a Metrics Insights query', () => {
  const {fast, general} = both({StartTime: now - 3600, EndTime: now, MetricDataQueries: [{Id: 'q', Period: 60, Expression: 'SELECT SUM(Invocations) FROM SCHEMA("AWS/Lambda", FunctionName) GROUP BY FunctionName'}]});
  assert.equal(fast, general);
  assert.ok((JSON.parse(fast) as {MetricDataResults: unknown[]}).MetricDataResults.length > 0);
});
