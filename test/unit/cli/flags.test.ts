import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseCli} from '../../../source/cli/flags.ts';

const ok = (argv: string[]) => {
  const result = parseCli(argv, '1.2.3');
  assert.equal(result.kind, 'ok', JSON.stringify(result));
  return (result as Extract<typeof result, {kind: 'ok'}>).cli;
};
const usage = (argv: string[]) => {
  const result = parseCli(argv, '1.2.3');
  assert.equal(result.kind, 'usage-error', JSON.stringify(result));
  return (result as Extract<typeof result, {kind: 'usage-error'}>).message;
};

test('the dashboard with defaults', () => {
  const cli = ok(['--function', 'order-processor']);
  assert.equal(cli.command, 'dashboard');
  assert.equal(cli.functionName, 'order-processor');
  assert.equal(cli.intervalMs, 10_000);
  assert.equal(cli.windowMs, 3_600_000);
  assert.equal(cli.readOnly, false);
  assert.equal(cli.view, 'dashboard');
});

test('short flags, durations and booleans', () => {
  const cli = ok(['-f', 'fn', '--interval', '5s', '--window', '3h', '--read-only', '--no-color', '--qualifier', 'live']);
  assert.equal(cli.intervalMs, 5000);
  assert.equal(cli.windowMs, 3 * 3_600_000);
  assert.equal(cli.readOnly, true);
  assert.equal(cli.color, false);
  assert.equal(cli.qualifier, 'live');
});

test('--once --json becomes the once command', () => {
  const cli = ok(['-f', 'fn', '--once', '--json']);
  assert.equal(cli.command, 'once');
  assert.equal(cli.json, true);
});

test('demo needs no function; its options parse', () => {
  const cli = ok(['--demo', '--scenario', 'healthy', '--speed', '60', '--seed', '7']);
  assert.equal(cli.demo, true);
  assert.equal(cli.scenario, 'healthy');
  assert.equal(cli.speed, 60);
  assert.equal(cli.seed, 7);
});

test('help and version', () => {
  assert.equal(parseCli(['--help'], '1.2.3').kind, 'help');
  const version = parseCli(['--version'], '1.2.3');
  assert.deepEqual(version, {kind: 'version', text: '1.2.3'});
});

test('usage errors are one clear line', () => {
  assert.match(usage(['--function', 'x', '--bogus']), /unknown flag --bogus/);
  assert.match(usage(['-f', 'x', '-z']), /unknown flag -z/);
  assert.match(usage(['--function', 'x', '--interval', '10x']), /--interval: .*10x/);
  assert.match(usage([]), /--function is required/);
  assert.match(usage(['frobnicate']), /unknown command "frobnicate"/);
  assert.match(usage(['-f', 'x', '--view', 'nope']), /--view must be/);
  assert.match(usage(['-f', 'x', '--json']), /--json needs --once/);
  assert.match(usage(['redrive']), /redrive needs --function/);
  assert.match(usage(['redrive', '-f', 'x', '--rate', '-3']), /--rate must be/);
  assert.match(usage(['redrive', '-f', 'x', '--source', 'elsewhere']), /--source must be/);
  assert.match(usage(['--demo', '--endpoint-url', 'http://127.0.0.1:1']), /leave out --endpoint-url/);
  assert.match(usage(['-f', 'x', '--endpoint-url', 'not a url']), /--endpoint-url must be/);
  for (const message of [usage(['--bogus']), usage(['-f', 'x', '--window', '1s'])]) assert.doesNotMatch(message, /\n/);
});

test('redrive and export commands', () => {
  const redrive = ok(['redrive', '-f', 'fn', '--source', 'on-failure', '--rate', '5', '--limit', '100', '--dry-run', '-y']);
  assert.equal(redrive.command, 'redrive');
  assert.equal(redrive.source, 'on-failure');
  assert.equal(redrive.rate, 5);
  assert.equal(redrive.limit, 100);
  assert.equal(redrive.dryRun, true);
  assert.equal(redrive.yes, true);
  const direct = ok(['redrive', '--queue', 'http://q/1/dlq', '--to', 'http://q/1/src']);
  assert.equal(direct.queueUrl, 'http://q/1/dlq');
  assert.equal(direct.toQueueUrl, 'http://q/1/src');
  const exported = ok(['export', '-f', 'fn', '--source', 'dlq', '--out', 'x.jsonl']);
  assert.equal(exported.out, 'x.jsonl');
});
