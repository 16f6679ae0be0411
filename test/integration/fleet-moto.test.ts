// The fleet source against moto, an independent AWS emulator, with a few real functions (CreateFunction after an
// IAM role): the listing is moto's (ListFunctions paging, DeadLetterConfig as moto keeps it), the metrics are what
// the test publishes to moto's CloudWatch, and the health marks follow them. Few functions: per-row GetMetricData.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {CreateFunctionCommand} from '@aws-sdk/client-lambda';
import {PutMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {createFleetSource} from '../../source/pollers/fleet-source.ts';
import {untilFleet} from '../helpers/fleet-until.ts';
import {FLEET_SORT_KEYS, sortRows} from '../../source/domain/fleet.ts';
import {createMotoRole, startMoto, testAwsConfig, tinyLambdaZip, type RunningServer} from '../helpers/servers.ts';

let moto: RunningServer;
let clients: AwsClients;
const NAMES = ['fleet-orders', 'fleet-mailer', 'fleet-thumbs', 'other-billing'];

before(async () => {
  moto = await startMoto();
  clients = createClients(testAwsConfig(moto.endpoint));
  const role = await createMotoRole(moto.endpoint);
  for (const name of NAMES) {
    await clients.lambda.send(new CreateFunctionCommand({FunctionName: name, Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: {ZipFile: tinyLambdaZip()}, Timeout: 30}));
  }
  // fleet-orders throttles and errors over settled minutes (older than CloudWatch's filling window); the others are quiet.
  const minute = 60_000;
  const t = Math.floor(Date.now() / minute) * minute - 12 * minute;
  const points = (fn: string, metric: string, value: number) =>
    [0, 1, 2, 3].map((i) => ({MetricName: metric, Dimensions: [{Name: 'FunctionName', Value: fn}], Timestamp: new Date(t + i * minute), Value: value, Unit: 'Count' as const}));
  await clients.cloudwatch.send(new PutMetricDataCommand({
    Namespace: 'AWS/Lambda',
    MetricData: [...points('fleet-orders', 'Invocations', 100), ...points('fleet-orders', 'Errors', 30), ...points('fleet-orders', 'Throttles', 25), ...points('fleet-mailer', 'Invocations', 50), ...points('fleet-mailer', 'Errors', 0)],
  }));
});

after(async () => {
  clients?.destroy();
  await moto?.stop();
});


test('fleet source against moto: every function listed, the one in trouble first, its figures from its own metrics', async () => {
  const source = createFleetSource({clients, now: Date.now, intervalMs: 60_000});
  source.start();
  try {
    const s = await untilFleet(source, (x) => x.rows.length === NAMES.length && x.rows.every((r) => r.figuresFrom === 'metrics'));
    assert.equal(s.mode, 'per-row', 'a few functions: per-row GetMetricData, no Insights');
    assert.deepEqual(s.rows.map((r) => r.name).sort(), [...NAMES].sort());
    const orders = s.rows.find((r) => r.name === 'fleet-orders')!;
    assert.ok((orders.figures?.throttles ?? 0) > 0, JSON.stringify(orders.figures));
    assert.ok((orders.figures?.errors ?? 0) > 0);
    assert.notEqual(orders.health, 'ok');
    const sorted = sortRows(s.rows, FLEET_SORT_KEYS[0]);
    assert.equal(sorted[0]!.name, 'fleet-orders', 'most critical first');
    const quiet = s.rows.find((r) => r.name === 'other-billing')!;
    assert.notEqual(quiet.health, 'critical', 'no data is never critical');
  } finally {
    source.stop();
  }
});

test('fleet source against moto with --functions fleet-*: only the matching functions', async () => {
  const source = createFleetSource({clients, now: Date.now, intervalMs: 60_000, patterns: ['fleet-*']});
  source.start();
  try {
    const s = await untilFleet(source, (x) => x.listing.data !== null);
    assert.deepEqual(s.rows.map((r) => r.name).sort(), ['fleet-mailer', 'fleet-orders', 'fleet-thumbs']);
  } finally {
    source.stop();
  }
});
