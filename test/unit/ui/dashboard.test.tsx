import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import type {DashboardState} from '../../../source/store/types.ts';
import {lineWidths, stripSgr} from '../../helpers/render.tsx';
import {NOW, dashboard, findings, loadingDashboard, makeMetrics, queues, snapshot, topology} from './fixtures.ts';
import {mount, type Mounted} from './harness.tsx';

let current: Mounted | null = null;
afterEach(() => {
  current?.unmount();
  current = null;
});
const open = (...args: Parameters<typeof mount>): Mounted => (current = mount(...args));
const update = (d: DashboardState) => ({type: 'dashboard/updated' as const, dashboard: d});
const rowOf = (frame: string, label: string): string => frame.split('\n').find((l) => l.includes(label)) ?? '';

test('header names the function, region, runtime, settings and where failures go', async () => {
  const m = open({actions: [update(dashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('order-processor'));
  const [first, second] = frame.split('\n');
  assert.match(first!, /λ order-processor · eu-west-1 · nodejs20\.x · timeout 30 s · 512 MB/);
  assert.match(first!, /updated 18:30:15Z/, 'the time of the refresh (UTC), not a ticking age');
  assert.match(second!, /failures → DLQ order-processor-dlq \(1\.2k\) \+ OnFailure order-processor-failures \(39\)/);
  assert.match(second!, /retries 2/);
});

test('before the first answer every figure says loading, never 0', async () => {
  const m = open({actions: [update(loadingDashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('Pipeline'));
  for (const label of ['received', 'queued', 'invoked', 'errors', 'throttles', 'duration', 'dropped']) {
    assert.match(rowOf(frame, label), /loading…/, `${label} row says loading`);
  }
  assert.doesNotMatch(frame, /\b0\/min|\b0 queued|\(0%\)/, 'no fake zero anywhere');
  assert.match(frame, /connecting…/);
  assert.match(frame, /discovering configuration…/);
  assert.match(rowOf(frame, 'Queues') + frame, /loading…/);
});

test('a series the tool could not read shows — with the reason, not 0', async () => {
  const metrics = makeMetrics();
  metrics.series['Throttles'] = {...metrics.series['Throttles']!, points: [], partialFrom: null, status: 'Forbidden'};
  delete metrics.series['AsyncEventsDropped'];
  const m = open({actions: [update(dashboard({snapshot: snapshot({metrics})}))]});
  const frame = await m.waitForFrame((f) => f.includes('throttles'));
  assert.match(rowOf(frame, 'throttles'), /—.*\(Forbidden\)/);
  assert.match(rowOf(frame, 'dropped'), /—.*\(not fetched\)/);
  assert.doesNotMatch(rowOf(frame, 'throttles'), /\d+\/min/);
});

test('the partial newest minute is not shown as the current value (no fake drop)', async () => {
  const m = open({actions: [update(dashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('received'));
  // The partial minute holds 37 invocations and 41 received; the last complete minute ~887 and ~1.3k.
  assert.match(rowOf(frame, 'invoked'), /887\/min/);
  assert.doesNotMatch(rowOf(frame, 'invoked'), /37\/min/);
  assert.match(rowOf(frame, 'received'), /1\.3k\/min/);
  // The sparkline ends at a full bar, not at a drop for the partial minute.
  const spark = rowOf(frame, 'invoked').match(/[▁▂▃▄▅▆▇█·]+/)![0];
  assert.ok(spark.length >= 20, 'a sparkline is drawn');
  assert.equal(spark.at(-1), '█');
});

test('sparklines rise with the incident: throttles flat at the bottom, then high', async () => {
  const m = open({actions: [update(dashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('throttles'));
  const spark = rowOf(frame, 'throttles').match(/[▁▂▃▄▅▆▇█·]+/)![0];
  assert.equal(spark[0], '▁');
  assert.equal(spark.at(-1), '█');
});

test('stale data keeps its values and says how old it is and why', async () => {
  const d = dashboard();
  const stale: DashboardState = {
    ...d,
    metrics: {...d.metrics, updatedAt: NOW - 150_000, error: {message: 'AccessDeniedException: not authorized to perform cloudwatch:GetMetricData', at: NOW - 20_000}, consecutiveFailures: 4},
  };
  const m = open({actions: [update(stale)]});
  const frame = await m.waitForFrame((f) => f.includes('STALE'));
  assert.match(frame.split('\n')[0]!, /STALE 2 min/);
  const words = frame.replace(/\n\s*/g, ' ');
  assert.match(words, /⚠ metrics: AccessDeniedException: not authorized to perform cloudwatch:GetMetricData \(4 failures, 20 s ago\)/);
  assert.match(words, /showing data from 2 min ago/);
  assert.match(rowOf(frame, 'invoked'), /887\/min/, 'the last good data stays on screen');
});

test('a queue that vanished says so in its row', async () => {
  const gone = [{...queues[0]!, visible: null, inFlight: null, delayed: null, oldestAgeSeconds: null, error: 'queue no longer exists (AWS.SimpleQueueService.NonExistentQueue)'}, queues[1]!];
  const m = open({actions: [update(dashboard({snapshot: snapshot({queues: gone})}))]});
  const frame = await m.waitForFrame((f) => f.includes('Queues'));
  assert.match(rowOf(frame, 'order-processor-dlq  '), /queue no longer exists/);
  assert.match(frame, /DLQ order-processor-dlq \(unreadable\)/);
});

test('retention left for the oldest DLQ message is retention minus its age', async () => {
  const m = open({actions: [update(dashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('Queues'));
  const row = frame.split('\n').find((l) => l.includes('order-processor-dlq') && l.includes('3 d 20 h'))!;
  assert.match(row, /4 h 00 min/);
});

test('findings are ranked: critical first, then warning, then info', async () => {
  const m = open({columns: 160, rows: 40, actions: [update(dashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('Diagnosis'));
  const at = (title: string): number => frame.indexOf(title.slice(0, 24));
  const [info, warning, dropped, retention] = findings.map((f) => at(f.title));
  assert.ok(dropped! >= 0 && retention! >= 0 && warning! >= 0 && info! >= 0, 'all four shown');
  assert.ok(dropped! < warning! && retention! < warning! && warning! < info!);
  assert.match(frame, /✖ Events are being dropped/);
  assert.match(frame, /▲ Throttling backlog/);
  assert.match(frame, /2 critical · 1 warning · 1 info/);
});

test('no DLQ and no OnFailure is said in red words, not hidden', async () => {
  const t = {...topology, deadLetterTarget: null, onFailure: null};
  const m = open({actions: [update(dashboard({snapshot: snapshot({topology: t, queues: []})}))]});
  const frame = await m.waitForFrame((f) => f.includes('Pipeline'));
  assert.match(frame, /failures → nowhere/);
  assert.match(rowOf(frame, 'failures to'), /nowhere/);
});

test('every frame fits the terminal exactly, at every size, and reflows on resize', async () => {
  const m = open({columns: 100, rows: 30, state: {demo: {name: 'throttled-downstream', title: 'Order processor throttled by a downstream API', story: 'A partner API answers 429; retries pile up at the reserved concurrency.'}, readOnly: true}, actions: [update(dashboard())]});
  await m.waitForFrame((f) => f.includes('Pipeline'));
  for (const [columns, rows] of [
    [60, 24],
    [40, 10],
    [59, 20],
    [79, 24],
    [80, 24],
    [119, 30],
    [120, 30],
    [149, 30],
    [150, 30],
    [160, 50],
    [200, 12],
  ] as const) {
    m.resize(columns, rows);
    const frame = await m.waitForFrame((f) => f.split('\n').length === rows && Math.max(...lineWidths(f)) <= columns, `${columns}x${rows}`);
    const widths = lineWidths(frame);
    assert.ok(Math.max(...widths) <= columns, `${columns}x${rows}: widest line ${Math.max(...widths)}`);
    assert.equal(frame.split('\n').length, rows, `${columns}x${rows} fills the screen exactly`);
    assert.match(frame, /order-processor/);
  }
});

test('compact layout at 60 columns keeps every panel and no line wider than 60', async () => {
  const m = open({columns: 60, rows: 30, actions: [update(dashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('Diagnosis'));
  for (const line of frame.split('\n')) assert.ok(stringWidth(line) <= 60, `too wide: ${line}`);
  for (const panel of ['Pipeline', 'Concurrency', 'Queues', 'Diagnosis']) assert.match(frame, new RegExp(panel));
  assert.match(frame, /50 \/ 50 reserved/);
});

test('a terminal that is too small says so instead of drawing a broken screen', async () => {
  const m = open({columns: 30, rows: 8, actions: [update(dashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('needs'));
  assert.ok(Math.max(...lineWidths(frame)) <= 30);
});

test('concurrency gauge: bar, current vs reserved, account pool', async () => {
  const m = open({actions: [update(dashboard())]});
  const frame = await m.waitForFrame((f) => f.includes('Concurrency'));
  const row = rowOf(frame, 'Concurrency');
  assert.match(row, /▕█+▏ 50 \/ 50 reserved \(100%\)/);
  assert.match(row, /account 1\.0k, 850 unreserved/);
});

test('demo mode shows the scenario title and story; read-only shows its badge', async () => {
  const m = open({
    state: {demo: {name: 'throttled-downstream', title: 'Order processor throttled by a downstream API', story: 'A partner API answers 429.'}, readOnly: true},
    actions: [update(dashboard())],
  });
  const frame = await m.waitForFrame((f) => f.includes('DEMO'));
  assert.match(frame, /DEMO +throttled-downstream · Order processor throttled by a downstream API/);
  assert.match(frame, /A partner API answers 429\./);
  assert.match(frame.split('\n')[0]!, /READ-ONLY/);
});

test('a hostile function or queue name from the wire is neutralised in the header and tables', async () => {
  const evil = {...topology, name: 'fn\u001b[2Jx', deadLetterTarget: {...topology.deadLetterTarget!, name: 'dlq\u202Eevil'}};
  const q = [{...queues[0]!, name: 'dlq\u202Eevil'}];
  const m = open({color: false, actions: [update(dashboard({snapshot: snapshot({topology: evil, queues: q})}))]});
  const raw = await m.waitForFrame((f) => f.includes('Queues')).then(() => m.lastFrame());
  assert.doesNotMatch(stripSgr(raw), /[\u001b\u202a-\u202e\u2066-\u2069\u0080-\u009f]/);
  assert.match(raw, /fn␛\[2Jx/);
  assert.match(raw, /dlq\\u202eevil/);
});

test('an SQS-fed function without async targets: failures go to the source DLQ, not "discarded"', async () => {
  const sqsFed = {
    ...topology,
    deadLetterTarget: null,
    onFailure: null,
    onSuccess: null,
    eventSources: [
      {
        uuid: 'esm-1',
        sourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
        queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
        state: 'Enabled',
        batchSize: 10,
        maximumConcurrency: null,
        redrive: {deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq', maxReceiveCount: 3},
        visibilityTimeoutSeconds: 180,
      },
    ],
  };
  const sourceDlq = {...queues[0]!, role: 'source-dlq' as const, name: 'orders-dlq', arn: 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq', url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq', visible: 63};
  const snap = snapshot({topology: sqsFed, queues: [sourceDlq]});
  const m = open({actions: [update(dashboard({snapshot: snap, queues: {...dashboard().queues, data: [sourceDlq]}}))]});
  const frame = await m.waitForFrame((f) => f.includes('orders-dlq'));
  const second = frame.split('\n')[1]!;
  assert.match(second, /failures → source DLQ orders-dlq \(63\)/);
  assert.match(second, /async: no DLQ, no OnFailure/);
  assert.doesNotMatch(frame, /failed events are discarded/);
  assert.match(rowOf(frame, 'failures to'), /SQS failures go to orders-dlq/);
});
