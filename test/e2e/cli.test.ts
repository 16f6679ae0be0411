// The binary as a user runs it: a built dist/cli.js, a real process, its stdout/stderr and exit code.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: {node?: string; env?: Record<string, string>; timeoutMs?: number} = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      options.node ?? process.execPath,
      [bin, ...args],
      {
        cwd: root,
        timeout: options.timeoutMs ?? 60_000,
        env: {...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...options.env},
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({code, stdout, stderr});
      },
    );
  });
}

test('the build exists (npm test builds before testing)', () => {
  assert.ok(existsSync(path.join(root, 'dist/cli.js')), 'dist/cli.js missing: run npm run build');
});

test('--help and --version answer and exit 0', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /lambda-top --function NAME/);
  assert.match(help.stdout, /--read-only/);
  const version = await run(['--version']);
  assert.equal(version.code, 0);
  const {version: packageVersion} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};
  assert.equal(version.stdout, `${packageVersion}\n`, 'the version of package.json, from the build');
});

test('usage errors: one clear line on stderr and exit code 2', async () => {
  for (const args of [['--function', 'x', '--bogus'], ['--function', 'x', '--interval', 'soon'], [], ['nonsense']]) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /^lambda-top: /);
    assert.equal(result.stdout, '');
  }
});

test('a missing region is a clear error, not a stack', async () => {
  const result = await run(['--function', 'x', '--once', '--json'], {env: {AWS_REGION: '', AWS_DEFAULT_REGION: ''}});
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /region/i);
  assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
});

test('an old Node gets a one-line error, not a stack', async (t) => {
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((candidate) => existsSync(candidate));
  if (!systemNode) return t.skip('no system Node to try');
  const version = await new Promise<string>((resolve) => execFile(systemNode, ['--version'], (_e, out) => resolve(String(out).trim())));
  if (Number(version.replace(/^v/, '').split('.')[0]) >= 22) return t.skip(`system Node is ${version}`);
  const result = await run(['--help'], {node: systemNode});
  assert.equal(result.code, 2);
  assert.match(result.stderr, /needs Node\.js 22 or newer/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
});

test('scenarios lists the demo stories', async () => {
  const result = await run(['scenarios']);
  assert.equal(result.code, 0, result.stderr);
  for (const name of ['avatar-timeouts', 'throttled-orders', 'upload-burst', 'healthy']) assert.match(result.stdout, new RegExp(name));
});

test('--demo --once --json prints the documented document', async () => {
  const result = await run(['--demo', '--once', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const document = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(document).sort(), ['dropped', 'errors', 'findings', 'function', 'metrics', 'metricsCompleteUntil', 'metricsPeriodSeconds', 'queues']);
  assert.equal(document.metricsPeriodSeconds, 60, 'the period is stated');
  assert.ok(!Number.isNaN(Date.parse(document.metricsCompleteUntil as string)), 'up to when the minutes are complete');
  const fn = document.function as Record<string, unknown>;
  for (const key of ['name', 'arn', 'region', 'timeoutSeconds', 'memoryMb', 'reservedConcurrency', 'maximumRetryAttempts', 'maximumEventAgeSeconds', 'deadLetterTarget', 'onSuccess', 'onFailure']) {
    assert.ok(key in fn, `function.${key} missing`);
  }
  assert.equal(typeof fn.name, 'string');
  const metrics = document.metrics as Record<string, {stat: string; latest: number | null; points: Array<[string, number]>}>;
  assert.ok(metrics.Invocations, 'Invocations metric present');
  assert.ok(metrics.Invocations.points.length > 0, 'the demo has history at once');
  assert.ok(!Number.isNaN(Date.parse(metrics.Invocations.points[0]![0])));
  const queues = document.queues as Array<Record<string, unknown>>;
  for (const queue of queues) {
    assert.ok(['dlq', 'on-failure', 'on-success', 'source', 'source-dlq'].includes(queue.role as string));
    for (const key of ['url', 'arn', 'visible', 'inFlight', 'delayed', 'oldestAgeSeconds']) assert.ok(key in queue, `queue.${key}`);
  }
  assert.ok(Array.isArray(document.findings));
});

test('an unknown function names the function and the region it looked in, exit 2', async () => {
  const result = await run(['--demo', '--function', 'no-such-function', '--once', '--json']);
  assert.equal(result.code, 2, result.stderr + result.stdout);
  assert.match(result.stderr, /no-such-function/);
  assert.match(result.stderr, /us-east-1/);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
});

test('no credentials: one line saying how to provide them, exit 2', async () => {
  // A closed loopback port as the endpoint, and no credential source at all (instance metadata switched off,
  // so nothing leaves this machine).
  const result = await run(['--function', 'x', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', '--once', '--json'], {
    env: {AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '', AWS_CONTAINER_CREDENTIALS_FULL_URI: '', AWS_WEB_IDENTITY_TOKEN_FILE: ''},
  });
  assert.equal(result.code, 2, result.stderr + result.stdout);
  assert.match(result.stderr, /credentials/i);
  assert.match(result.stderr, /AWS_PROFILE|aws sso login|AWS_ACCESS_KEY_ID/);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
});

test('an unreachable endpoint is reported in words, never as a stack', async () => {
  const result = await run(['--function', 'x', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', '--once', '--json']);
  // Discovery cannot reach the endpoint: the snapshot still prints (exit 0) with the reason in errors[],
  // or the command fails with one line; either way no stack trace.
  assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
  if (result.code === 0) {
    const document = JSON.parse(result.stdout) as {errors: Array<{source: string; message: string}>};
    assert.ok(document.errors.some((e) => /127\.0\.0\.1:9|connect|reach/i.test(e.message)), JSON.stringify(document.errors));
  } else {
    assert.match(result.stderr, /127\.0\.0\.1:9|connect|reach/i);
  }
});
