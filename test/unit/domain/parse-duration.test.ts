import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseDuration, DurationError, durationToText} from '../../../source/domain/parse-duration.ts';

test('accepted forms', () => {
  const cases: Array<[string, number]> = [['10s', 10_000], ['5m', 300_000], ['1h', 3_600_000], ['1h30m', 5_400_000],
    ['90', 90_000], ['500ms', 500], ['2d', 172_800_000], ['1.5h', 5_400_000], [' 1h 30m ', 5_400_000], ['0s', 0],
    ['2m30s', 150_000], ['1m500ms', 60_500], ['0.5', 500], ['10S', 10_000], ['5min', 300_000], ['3 sec', 3000]];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

test('malformed input throws DurationError with a clear message', () => {
  assert.throws(() => parseDuration('10x'), (e: unknown) => e instanceof DurationError && /^malformed duration "10x": use forms like 30s, 5m, 1h/.test(e.message));
  for (const bad of ['', '   ', 'abc', '-5s', 's', '1h1h', '10 x', '1..5s', 'h1', '1e3', '5m-']) {
    assert.throws(() => parseDuration(bad), DurationError, JSON.stringify(bad));
  }
  assert.throws(() => parseDuration('9'.repeat(400) + 's'), DurationError);
  assert.throws(() => parseDuration(''), /empty duration/);
});

test('durationToText round-trips', () => {
  for (const ms of [0, 500, 1000, 90_000, 5_400_000, 172_800_000 + 1]) assert.equal(parseDuration(durationToText(ms)), ms);
  assert.equal(durationToText(90_000), '1m30s');
});
