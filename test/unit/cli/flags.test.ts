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
  assert.match(usage(['--once']), /--function is required/);
  assert.match(usage(['frobnicate']), /unknown command "frobnicate"/);
  assert.match(usage(['-f', 'x', '--view', 'nope']), /--view must be/);
  assert.match(usage(['-f', 'x', '--json']), /--json needs --once/);
  assert.match(usage(['redrive']), /redrive needs --function/);
  assert.match(usage(['redrive', '-f', 'x', '--rate=-3']), /--rate must be/);
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

test('a negative value written with a space is refused, never read as flags (-1h is not -h)', () => {
  assert.match(usage(['-f', 'x', '--window', '-1h']), /^--window needs a value, and "-1h" looks like a flag \(write --window=-1h if you mean it\)$/);
  assert.match(usage(['-f', 'x', '--interval', '-5s']), /write --interval=-5s/);
  assert.match(usage(['redrive', '-f', 'x', '--rate', '-3']), /write --rate=-3/);
  assert.match(usage(['-f', '--once']), /^-f needs a value, and "--once" looks like a flag \(write --function=--once/);
  assert.match(usage(['-f', 'x', '--window']), /^--window needs a value$/);
  // Written on purpose with '=', the negative is still refused by the value's own check.
  assert.match(usage(['-f', 'x', '--window=-1h']), /--window: negative duration "-1h"/);
  assert.match(usage(['-f', 'x', '--interval=-5s']), /--interval: negative duration/);
  assert.match(usage(['redrive', '-f', 'x', '--rate=-3']), /--rate must be a number above 0/);
});

test('numbers are plain decimal: hex, exponents, binary and blanks are refused', () => {
  for (const [flag, value] of [['--rate', '0x10'], ['--rate', '1e3'], ['--limit', '0b11'], ['--limit', '2.5'], ['--port', '0o17'], ['--seed', ' 7'], ['--speed', 'Infinity'], ['--rate', '']]) {
    const argv = flag === '--port' || flag === '--seed' || flag === '--speed' ? ['simulate', flag, value!] : ['redrive', '-f', 'x', flag!, value!];
    assert.match(usage(argv), new RegExp(`^${flag} must be a .*decimal digits, got "${value!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"$`), argv.join(' '));
  }
  assert.equal(ok(['redrive', '-f', 'x', '--rate', '2.5']).rate, 2.5);
  assert.equal(ok(['simulate', '--port', '0']).port, 0);
});

test('--endpoint-url is checked with a URL parser', () => {
  for (const url of ['http://[::1', 'http://127.0.0.1:99999', 'http://127.0.0.1:9 /x', 'http://exa mple.com', 'ftp://127.0.0.1', 'http://', 'http://u:p@127.0.0.1:9', 'http://127.0.0.1:9/?x=1', 'http://127.0.0.1:9\u001b[31m']) {
    assert.match(usage(['-f', 'x', '--endpoint-url', url]), /^--endpoint-url /, url);
  }
  for (const url of ['http://127.0.0.1:4566', 'https://sqs.eu-west-1.amazonaws.com', 'http://[::1]:4566', 'http://localhost:4566/']) {
    assert.equal(ok(['-f', 'x', '--endpoint-url', url]).endpointUrl, url);
  }
});

test('--region must look like a region (any DNS label with an emulator endpoint)', () => {
  assert.match(usage(['-f', 'x', '--region', 'not a region!']), /^--region must be an AWS region name such as eu-west-1, got "not a region!"$/);
  assert.match(usage(['-f', 'x', '--region', 'EU-WEST-1']), /--region must be an AWS region name/);
  for (const region of ['eu-west-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5', 'eusc-de-east-1']) assert.equal(ok(['-f', 'x', '--region', region]).region, region);
  assert.equal(ok(['-f', 'x', '--region', 'local', '--endpoint-url', 'http://127.0.0.1:4566']).region, 'local');
  assert.match(usage(['-f', 'x', '--region', 'a b', '--endpoint-url', 'http://127.0.0.1:4566']), /--region must be/);
});

test('every redrive form the help shows parses; wrong mixes are refused', () => {
  const fromFileTo = ok(['redrive', '--from-file', 'events.jsonl', '--to', 'http://127.0.0.1:4566/000000000000/orders']);
  assert.equal(fromFileTo.fromFile, 'events.jsonl');
  assert.equal(fromFileTo.toQueueUrl, 'http://127.0.0.1:4566/000000000000/orders');
  assert.equal(ok(['redrive', '--from-file', 'events.jsonl', '--function', 'fn']).functionName, 'fn');
  assert.equal(ok(['redrive', '--queue', 'http://q/1/dlq']).queueUrl, 'http://q/1/dlq');
  assert.equal(ok(['redrive', '-f', 'fn', '--source', 'source-dlq']).source, 'source-dlq');
  assert.match(usage(['redrive', '--from-file', 'e.jsonl']), /--from-file needs a target: --function NAME or --to QUEUE_URL/);
  assert.match(usage(['redrive', '--from-file', 'e.jsonl', '-f', 'fn', '--to', 'http://q/1/src']), /one target/);
  assert.match(usage(['redrive', '--from-file', 'e.jsonl', '--queue', 'http://q/1/dlq', '--to', 'http://q/1/src']), /two sources/);
  assert.match(usage(['redrive', '--to', 'http://q/1/src']), /--to goes with --queue or --from-file/);
  assert.match(usage(['redrive', '--queue', 'not a url']), /^--queue must be a queue URL/);
  assert.match(usage(['redrive', '--from-file', 'e.jsonl', '--to', 'orders']), /^--to must be a queue URL/);
  assert.match(usage(['export', '-f', 'fn', '--from-file', 'e.jsonl']), /--from-file goes with redrive/);
});

test("--out - means stdout: a lone '-' is the flag's value, not an argument", () => {
  assert.equal(ok(['export', '--queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/q', '--out', '-']).out, '-');
  assert.equal(ok(['export', '--queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/q', '--out=-']).out, '-');
  assert.match(usage(['export', '--queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/q', '-']), /unexpected argument "-"/);
});

test('no --function opens the fleet view; --functions picks a set; --demo --fleet is the demo fleet', () => {
  assert.equal(ok([]).fleet, true);
  assert.equal(ok(['--region', 'eu-west-1']).fleet, true);
  assert.equal(ok(['-f', 'x']).fleet, false);
  assert.equal(ok(['--demo']).fleet, false, 'the plain demo still opens its primary function');
  const demo = ok(['--demo', '--fleet', '--fleet-size', '5000']);
  assert.equal(demo.fleet, true);
  assert.equal(demo.demoFleet, true);
  assert.equal(demo.fleetSize, 5000);
  assert.deepEqual(ok(['--functions', 'a, b,orders-*']).functionPatterns, ['a', 'b', 'orders-*']);
  assert.equal(ok(['simulate', '--fleet', '--fleet-size', '10']).fleetSize, 10);
});

test('fleet flags refused where they mean nothing', () => {
  assert.match(usage(['--fleet']), /--fleet is the demo fleet/);
  assert.match(usage(['--demo', '--fleet-size', '10']), /--fleet-size goes with --fleet/);
  assert.match(usage(['-f', 'x', '--functions', 'a,b']), /give one/);
  assert.match(usage(['--functions', 'a,,b']), /--functions needs names/);
  assert.match(usage(['--functions', 'a*b']), /may only end a prefix/);
  assert.match(usage(['--demo', '--fleet', '--fleet-size', '-3']), /--fleet-size/);
  assert.match(usage(['--view', 'failed']), /--view goes with --function/);
});
