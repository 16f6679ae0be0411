// The numbers the panels draw must be the ones an on-call engineer can trust (issue 12): dropped split into kept
// and lost, rates per minute whatever the period, "waiting" counted one way, unknown ages never shown as 0.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildPipelineRows, cellText, pipelineSubtitle} from '../../../source/ui/view-model.ts';
import {dashboard, makeMetrics, snapshot, topology} from './fixtures.ts';

test('the dropped row says how many of the window\'s dropped events were kept by a target and how many were lost', () => {
  // fixtures: AsyncEventsDropped 3, 6, ..., 27 in the last 9 complete minutes = 135; no failed writes; DLQ and destination
  const rows = buildPipelineRows(dashboard(), {});
  const dropped = rows.find((r) => r.id === 'dropped')!;
  assert.equal(dropped.note, 'window: 135 kept, 0 lost');
  assert.equal(dropped.noteTone, 'warning');
  assert.doesNotMatch(dropped.note ?? '', /events lost/);
  // no failure target: all of them are lost
  const none = {...topology, deadLetterTarget: null, onFailure: null};
  const lostRows = buildPipelineRows(dashboard({snapshot: snapshot({topology: none})}), {});
  assert.equal(lostRows.find((r) => r.id === 'dropped')!.note, 'window: all 135 lost');
  // failed writes to the destination (and the DLQ): at most the smaller count is lost
  const metrics = makeMetrics();
  metrics.series['DestinationDeliveryFailures'] = {...metrics.series['DestinationDeliveryFailures']!, points: metrics.series['DestinationDeliveryFailures']!.points.map(([t]) => [t, 1])};
  metrics.series['DeadLetterErrors'] = {...metrics.series['DeadLetterErrors']!, points: metrics.series['DeadLetterErrors']!.points.map(([t], i) => [t, i === 0 ? 5 : 0])};
  const some = buildPipelineRows(dashboard({snapshot: snapshot({metrics})}), {}).find((r) => r.id === 'dropped')!;
  assert.equal(some.note, 'window: 130 kept, ≤5 lost');
  assert.equal(some.noteTone, 'critical');
  assert.ok(cellText(some.value).length > 0);
});

test('rates labelled /min are per minute at every period: a 5-minute Sum of 995 is 199/min, in the value and the sparkline', () => {
  const metrics = makeMetrics();
  const FIVE = 5 * 60_000;
  const start = metrics.start;
  const five = (values: number[]) => values.map((v, i): [number, number] => [start + i * FIVE, v]);
  metrics.periodSeconds = 300;
  metrics.fillingFrom = start + 6 * FIVE;
  metrics.series['Invocations'] = {...metrics.series['Invocations']!, points: five([500, 600, 700, 800, 900, 995, 3]), partialFrom: start + 6 * FIVE};
  const rows = buildPipelineRows(dashboard({snapshot: snapshot({metrics})}), {});
  const invoked = rows.find((r) => r.id === 'invoked')!;
  assert.equal(cellText(invoked.value), '199/min', 'not 995/min');
  assert.deepEqual(invoked.spark, [100, 120, 140, 160, 180, 199], 'the sparkline scale is per minute too, and stops before the filling period');
  assert.match(pipelineSubtitle(dashboard({snapshot: snapshot({metrics})}), 24 * 3_600_000), /^per min, 5-min periods · to \d\d:\d\d, newer filling · 24h$/);
});

test('the pipeline subtitle says up to when the minutes are complete', () => {
  const metrics = {...makeMetrics(), fillingFrom: Date.UTC(2025, 10, 14, 18, 27)};
  assert.equal(pipelineSubtitle(dashboard({snapshot: snapshot({metrics})}), 3_600_000), 'last complete minute · to 18:27, newer filling · 1h');
});

test('one count per queue: the header, the pipeline and the diagnosis count visible + in flight + delayed as waiting', async () => {
  const {failureTargets} = await import('../../../source/ui/view-model.ts');
  const {diagnose} = await import('../../../source/domain/diagnose.ts');
  const {queues} = await import('./fixtures.ts');
  // the DLQ: 714 visible and 10 in flight (our own peek): the 714 against 724
  const dlq = {...queues.find((q) => q.role === 'dlq')!, visible: 714, inFlight: 10, delayed: 0};
  const all = [dlq, ...queues.filter((q) => q.role !== 'dlq')];
  const header = failureTargets(topology, all).find((t) => t.label === 'DLQ')!;
  assert.equal(header.depth, 724);
  const rows = buildPipelineRows(dashboard({snapshot: snapshot({queues: all})}), {});
  assert.equal(cellText(rows.find((r) => r.id === 'target-DLQ')!.value), '724 waiting');
  const waiting = diagnose({topology, metrics: null, queues: all, now: Date.now()}).find((f) => f.id === 'failed-events-waiting')!;
  assert.match(waiting.detail, /724 failed events in the DLQ order-processor-dlq/);
  // all of them hidden by our peek: still 724 waiting, not 0
  const peeked = {...dlq, visible: 0, inFlight: 724};
  assert.equal(failureTargets(topology, [peeked]).find((t) => t.label === 'DLQ')!.depth, 724);
});

test('the header shows our own peek as ours, inside the waiting count', async () => {
  const {headerLines} = await import('../../../source/ui/components/Header.tsx');
  const {queues} = await import('./fixtures.ts');
  const lineText = (line: Array<{text: string}>): string => line.map((seg) => seg.text).join('');
  const dlq = {...queues.find((q) => q.role === 'dlq')!, visible: 0, inFlight: 724, delayed: 0};
  const lines = headerLines({functionName: 'order-processor', qualifier: null, region: 'eu-west-1', topology, discoveryError: null, queues: [dlq],
    heldByUs: {[dlq.url]: 724}, refresh: {kind: 'fresh', syncing: false, updatedAt: 0, staleSince: null, staleAfterMs: null, errors: []}, now: 0, demo: null, readOnly: false, width: 200, compact: false});
  assert.match(lines.map(lineText).join('\n'), /DLQ order-processor-dlq \(724, 724 peeked by us\)/);
});
