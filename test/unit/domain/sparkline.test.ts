import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sparkline, resample, lastCompleteValue, completePoints, trendPerMinute, seriesOnGrid} from '../../../source/domain/sparkline.ts';
import type {MetricSeries} from '../../../source/domain/types.ts';

test('levels: zero is the baseline, the max is full, small non-zero values are above the baseline', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([0, 0.01, 100], 3), '▁▂█');
  assert.equal(sparkline([0, 0, 0], 3), '▁▁▁');
});

test('a flat non-zero series shows mid-height; an explicit max scales it', () => {
  assert.equal(sparkline([5, 5, 5], 3), '▄▄▄');
  assert.equal(sparkline([5, 5, 5], 3, {max: 10}), '▅▅▅');
  assert.equal(sparkline([10, 10], 2, {max: 10}), '██');
  assert.equal(sparkline([20], 1, {max: 10}), '█');
});

test('missing values show the gap char, never a zero', () => {
  assert.equal(sparkline([1, null, 1, Number.NaN], 4, {max: 1}), '█·█·');
  assert.equal(sparkline([null, null], 2), '··');
  assert.equal(sparkline([1, null], 2, {gap: ' ', max: 1}), '█ ');
});

test('fewer values than the width: right-aligned, newest at the right', () => {
  assert.equal(sparkline([0, 7], 5), '   ▁█');
  assert.equal(sparkline([0, 7], 5, {pad: false}), '▁█');
  assert.equal(sparkline([], 3), '   ');
  assert.equal(sparkline([1, 2], 0), '');
});

test('down-sampling takes the bucket max and keeps the newest value in the last bucket', () => {
  assert.deepEqual(resample([1, 9, 2, 3, 4, 8], 3), [9, 3, 8]);
  assert.deepEqual(resample([1, 2, 3, 4, 5], 2), [3, 5]);
  assert.deepEqual(resample([null, null, 1, null], 2), [null, 1]);
  const spike = new Array<number>(100).fill(0);
  spike[37] = 50;
  const line = sparkline(spike, 10);
  assert.equal(line.length, 10);
  assert.equal(line, '▁▁▁█▁▁▁▁▁▁');
  const out = resample(Array.from({length: 1000}, (_, i) => i), 7);
  assert.equal(out.length, 7);
  assert.equal(out[6], 999);
});

test('negative values scale from the smallest', () => {
  assert.equal(sparkline([-10, 0, 10], 3), '▁▅█');
  assert.equal(sparkline([-10, -5], 2), '▁█');
});

const series = (points: Array<[number, number]>, partialFrom: number | null): MetricSeries => ({
  key: 'Errors', namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', points, partialFrom, status: 'Complete', unit: 'Count',
});

test('lastCompleteValue ignores a partial newest minute', () => {
  assert.equal(lastCompleteValue(series([[0, 5], [60_000, 7], [120_000, 1]], 120_000)), 7);
  assert.equal(lastCompleteValue(series([[0, 5], [60_000, 7]], null)), 7);
  assert.equal(lastCompleteValue(series([[120_000, 1]], 120_000)), null);
  assert.equal(lastCompleteValue(series([], null)), null);
  assert.equal(lastCompleteValue(null), null);
  assert.deepEqual(completePoints(series([[0, 5], [60_000, 7]], 60_000)), [[0, 5]]);
});

test('trendPerMinute is the least-squares slope per minute over the lookback', () => {
  const pts: Array<[number, number]> = [0, 1, 2, 3, 4].map((m) => [m * 60_000, 10 + 3 * m]);
  assert.ok(Math.abs(trendPerMinute(pts, 10)! - 3) < 1e-9);
  // only the last 2 minutes (3 points): a falling tail
  const bent: Array<[number, number]> = [[0, 0], [60_000, 100], [120_000, 200], [180_000, 150], [240_000, 100]];
  assert.ok(Math.abs(trendPerMinute(bent, 2)! - -50) < 1e-9);
  assert.equal(trendPerMinute([[0, 1]], 5), null);
  assert.equal(trendPerMinute([], 5), null);
  assert.equal(trendPerMinute([[0, 1], [0, 2]], 5), null);
  assert.ok(Math.abs(trendPerMinute([[0, 5], [60_000, 5], [120_000, 5]], 5)!) < 1e-12);
});

test('seriesOnGrid puts points on minute slots, null where missing', () => {
  assert.deepEqual(seriesOnGrid([[0, 1], [120_000, 3]], 0, 240_000), [1, null, 3, null]);
  assert.deepEqual(seriesOnGrid([], 10, 0), []);
});

test('completePoints is computed once per series object, and sumValues adds finite values in order', async () => {
  const {sumValues} = await import('../../../source/domain/sparkline.ts');
  const series: MetricSeries = {key: 'k', namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', unit: 'Count', status: 'Complete', points: [[0, 1], [60_000, 2], [120_000, 3]], partialFrom: 120_000};
  const first = completePoints(series);
  assert.deepEqual(first, [[0, 1], [60_000, 2]]);
  assert.equal(completePoints(series), first, 'the same array on the second read');
  // another series object with other points: its own complete points
  assert.deepEqual(completePoints({...series, points: [[0, 5], [120_000, 6]]}), [[0, 5]]);
  assert.equal(completePoints({...series, partialFrom: null}).length, 3);
  const points: Array<[number, number]> = [[0, 0.1], [1, 0.2], [2, Number.NaN], [3, 0.3], [4, Infinity]];
  assert.equal(sumValues(points), points.reduce((a, [, v]) => a + (Number.isFinite(v) ? v : 0), 0));
  assert.equal(sumValues([]), 0);
});
