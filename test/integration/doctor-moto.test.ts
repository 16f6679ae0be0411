// `lambda-top doctor` (the built binary) against moto with a few real functions (CreateFunction after an IAM role),
// behind test/helpers/moto-dlq-proxy.ts (moto does not store DeadLetterConfig). moto publishes no AWS/Lambda
// metrics: its series come back empty, so these checks run on configuration (plus what the test publishes).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {CreateFunctionCommand, PutFunctionEventInvokeConfigCommand} from '@aws-sdk/client-lambda';
import {CreateQueueCommand} from '@aws-sdk/client-sqs';
import {PutMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {createMotoRole, freePort, startMoto, testAwsConfig, tinyLambdaZip, type RunningServer} from '../helpers/servers.ts';
import {startMotoDlqProxy} from '../helpers/moto-dlq-proxy.ts';
import type {DoctorJson} from '../../source/domain/doctor-report.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const ACCOUNT = '123456789012';
const sqsArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
let moto: RunningServer;
let proxy: RunningServer;
let clients: AwsClients;
let dir: string;

before(async () => {
  moto = await startMoto();
  proxy = await startMotoDlqProxy(moto.endpoint);
  clients = createClients(testAwsConfig(proxy.endpoint));
  dir = await mkdtemp(path.join(tmpdir(), 'doctor-moto-'));
  const role = await createMotoRole(moto.endpoint);
  for (const name of ['doctor-kept-dlq', 'doctor-chain-failures']) await clients.sqs.send(new CreateQueueCommand({QueueName: name}));
  const create = (name: string, extra: Record<string, unknown> = {}) =>
    clients.lambda.send(new CreateFunctionCommand({FunctionName: name, Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: {ZipFile: tinyLambdaZip()}, Timeout: 30, ...extra}));
  await create('doctor-kept', {DeadLetterConfig: {TargetArn: sqsArn('doctor-kept-dlq')}});
  // Async traffic is published for it (moto runs nothing): with async events and no target, failures would be lost.
  await create('doctor-no-target');
  // Never invoked asynchronously: no target is only worth an info.
  await create('doctor-sync-only');
  await create('doctor-fallback');
  await create('doctor-main');
  await clients.lambda.send(new PutFunctionEventInvokeConfigCommand({FunctionName: 'doctor-main', DestinationConfig: {OnFailure: {Destination: fnArn('doctor-fallback')}}}));
  await create('doctor-safe-fallback', {DeadLetterConfig: {TargetArn: sqsArn('doctor-chain-failures')}});
  await create('doctor-safe-main');
  await clients.lambda.send(new PutFunctionEventInvokeConfigCommand({FunctionName: 'doctor-safe-main', DestinationConfig: {OnFailure: {Destination: fnArn('doctor-safe-fallback')}}}));
  const minute = 60_000;
  const t = Math.floor(Date.now() / minute) * minute - 10 * minute;
  await clients.cloudwatch.send(new PutMetricDataCommand({
    Namespace: 'AWS/Lambda',
    MetricData: [0, 1, 2].map((i) => ({MetricName: 'AsyncEventsReceived', Dimensions: [{Name: 'FunctionName', Value: 'doctor-no-target'}], Timestamp: new Date(t + i * minute), Value: 12, Unit: 'Count'})),
  }));
});

after(async () => {
  clients?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

function doctor(args: string[], endpoint = proxy.endpoint): Promise<{code: number; stdout: string; stderr: string}> {
  const env = {
    ...(process.env as Record<string, string>),
    AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', HOME: dir, XDG_STATE_HOME: dir, NO_COLOR: '1',
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'doctor', '--endpoint-url', endpoint, '--region', 'us-east-1', ...args], {cwd: dir, env, timeout: 90_000}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
    });
  });
}

const one = (stdout: string) => (JSON.parse(stdout) as DoctorJson).functions[0]!;

test('moto: a function with a DLQ is healthy (exit 0); one with async traffic and no failure target exits 1 with no-failure-target', async () => {
  const kept = await doctor(['--function', 'doctor-kept', '--json']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.equal(one(kept.stdout).status, 'healthy');
  assert.ok(!one(kept.stdout).findings.some((f) => f.id === 'no-failure-target'));
  const bare = await doctor(['--function', 'doctor-no-target', '--json']);
  assert.equal(bare.code, 1, bare.stderr);
  const finding = one(bare.stdout).findings.find((f) => f.id === 'no-failure-target');
  assert.equal(finding?.severity, 'warning');
  const sync = await doctor(['--function', 'doctor-sync-only', '--json']);
  assert.equal(sync.code, 0, sync.stderr);
  assert.equal(one(sync.stdout).findings.find((f) => f.id === 'no-failure-target')?.severity, 'info');
});

test('moto: the failure chain through a Lambda OnFailure destination; a fallback with a DLQ of its own ends it kept', async () => {
  const main = await doctor(['--function', 'doctor-main']);
  assert.equal(main.code, 1, main.stderr);
  assert.match(main.stdout, /failure chain \(onFailure\): doctor-main → doctor-fallback → \(discarded\)/);
  assert.match(main.stdout, /fallback-without-failure-target: Fallback doctor-fallback has no failure target/);
  const safe = await doctor(['--function', 'doctor-safe-main', '--json']);
  const fn = one(safe.stdout);
  assert.deepEqual(fn.chains.map((c) => c.text), ['doctor-safe-main → doctor-safe-fallback → sqs:doctor-chain-failures']);
  assert.ok(!fn.findings.some((f) => f.id === 'fallback-without-failure-target'));
});

test('moto: --all --functions checks the matching functions, table first, and exits with the worst', async () => {
  const all = await doctor(['--all', '--functions', 'doctor-*']);
  assert.equal(all.code, 1, all.stderr);
  const lines = all.stdout.split('\n');
  assert.match(lines[0]!, /^lambda-top doctor: 7 functions in us-east-1, 7 checked$/);
  assert.match(lines[2]!, /^FUNCTION\s+WORST\s+FINDING$/);
  const rows = lines.slice(3, 10).map((l) => l.split(/\s+/).slice(0, 2));
  // doctor-fallback alone shows no async traffic in moto (no metrics), so its own missing target is an info; the
  // chain finding on doctor-main is what flags it.
  assert.deepEqual(rows.slice(0, 3).map((r) => r[1]), ['warning', 'warning', 'ok']);
  assert.deepEqual(rows.slice(0, 2).map((r) => r[0]).sort(), ['doctor-main', 'doctor-no-target']);
  const json = JSON.parse((await doctor(['--all', '--functions', 'doctor-kept,doctor-sync-only', '--json'])).stdout) as DoctorJson;
  assert.deepEqual(json.functions.map((f) => f.name).sort(), ['doctor-kept', 'doctor-sync-only']);
  assert.equal(json.exitCode, 0);
});

test('moto: an unreachable endpoint exits 3 ("could not check")', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const run = await doctor(['--function', 'doctor-kept', '--json'], closed);
  assert.equal(run.code, 3);
  assert.equal(one(run.stdout).status, 'could-not-check');
  assert.match(run.stderr, /^lambda-top: could not check doctor-kept fully: .*Cannot reach/);
});
