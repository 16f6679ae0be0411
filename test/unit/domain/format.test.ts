import {test} from 'node:test';
import assert from 'node:assert/strict';
import {formatCount, formatDurationMs, formatAgeSeconds, formatBytes, formatPercent, formatRate, formatRelativeTime,
  formatClock, formatTimestamp} from '../../../source/domain/format.ts';

test('unknown is never shown as 0', () => {
  for (const f of [formatCount, formatDurationMs, formatAgeSeconds, formatBytes, formatPercent, formatRate]) {
    assert.equal(f(null), '—');
    assert.equal(f(undefined), '—');
    assert.equal(f(Number.NaN), '—');
  }
  assert.equal(formatRelativeTime(null, 1000), '—');
  assert.equal(formatClock(undefined), '—');
  assert.equal(formatTimestamp(null), '—');
});

test('formatCount', () => {
  const cases: Array<[number, string]> = [[0, '0'], [7, '7'], [999, '999'], [2.5, '2.5'], [12.4, '12'], [1000, '1.0k'],
    [1234, '1.2k'], [9949, '9.9k'], [9950, '10k'], [34_000, '34k'], [999_499, '999k'], [999_500, '1.0M'],
    [1_234_567, '1.2M'], [3_400_000_000, '3.4B'], [-1500, '-1.5k'], [999.7, '1.0k']];
  for (const [n, s] of cases) assert.equal(formatCount(n), s, String(n));
});

test('formatDurationMs', () => {
  const cases: Array<[number, string]> = [[0, '0 ms'], [850, '850 ms'], [2.5, '2.5 ms'], [999.6, '1.0 s'], [1200, '1.2 s'],
    [9949, '9.9 s'], [12_000, '12 s'], [59_499, '59 s'], [59_500, '1m 00s'], [184_000, '3m 04s'], [7_500_000, '2h 05m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 04h']];
  for (const [n, s] of cases) assert.equal(formatDurationMs(n), s, String(n));
});

test('formatAgeSeconds', () => {
  const cases: Array<[number, string]> = [[0, '0 s'], [42, '42 s'], [59.9, '59 s'], [60, '1 min'], [41 * 60 + 30, '41 min'],
    [2 * 3600 + 5 * 60, '2 h 05 min'], [3 * 86400 + 4 * 3600 + 59, '3 d 4 h']];
  for (const [n, s] of cases) assert.equal(formatAgeSeconds(n), s, String(n));
});

test('formatBytes', () => {
  const cases: Array<[number, string]> = [[0, '0 B'], [512, '512 B'], [1023, '1023 B'], [1536, '1.5 KiB'], [1024 * 1024, '1.0 MiB'],
    [262_144, '256 KiB'], [1024 * 1024 - 1, '1.0 MiB'], [5 * 1024 ** 3, '5.0 GiB']];
  for (const [n, s] of cases) assert.equal(formatBytes(n), s, String(n));
});

test('formatPercent and formatRate', () => {
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(0.123), '12%');
  assert.equal(formatPercent(0.05), '5%');
  assert.equal(formatPercent(0.005), '0.5%');
  assert.equal(formatPercent(0.0001), '<0.1%');
  assert.equal(formatPercent(1.5), '150%');
  assert.equal(formatRate(0), '0/s');
  assert.equal(formatRate(12), '12/s');
  assert.equal(formatRate(0.5), '0.5/s');
  assert.equal(formatRate(0.02), '0.02/s');
  assert.equal(formatRate(3400), '3.4k/s');
  assert.equal(formatRate(5), '5/s');
});

test('formatRelativeTime', () => {
  const now = 1_700_000_000_000;
  assert.equal(formatRelativeTime(now, now), 'just now');
  assert.equal(formatRelativeTime(now - 4000, now), 'just now');
  assert.equal(formatRelativeTime(now - 12_000, now), '12 s ago');
  assert.equal(formatRelativeTime(now - 3 * 60_000, now), '3 min ago');
  assert.equal(formatRelativeTime(now - (2 * 3600 + 300) * 1000, now), '2 h 05 min ago');
  assert.equal(formatRelativeTime(now + 12_000, now), 'in 12 s');
});

test('formatClock and formatTimestamp', () => {
  const t = Date.UTC(2019, 10, 14, 18, 16, 5, 568);
  assert.equal(formatClock(t, {utc: true}), '18:16:05');
  assert.match(formatClock(t), /^\d\d:\d\d:\d\d$/);
  assert.equal(formatTimestamp(t), '2019-11-14 18:16:05Z');
  assert.equal(formatTimestamp(t, {milliseconds: true}), '2019-11-14 18:16:05.568Z');
  assert.equal(formatTimestamp(1e20), '—');
});
