// A Lambda destination on the dashboard (issue 13, failure chains): its own health under its target row in the
// pipeline (figures per minute over complete minutes, its failure target and depth, or "lost one hop later"),
// and enter / esc through app/function-stack.ts: fleet -> A -> (enter) B -> esc -> A -> esc -> fleet.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {Text} from 'ink';
import {App} from '../../../source/ui/App.tsx';
import {noopActions} from '../../../source/ui/app-actions.ts';
import {createInitialState} from '../../../source/store/reducer.ts';
import {createStore, type Store} from '../../../source/store/store.ts';
import {createFunctionStack, type OpenDashboard} from '../../../source/app/function-stack.ts';
import type {Controller} from '../../../source/app/controller.ts';
import {buildPipelineRows, type PipelineRow} from '../../../source/ui/view-model.ts';
import {pipelineLines} from '../../../source/ui/components/PipelinePanel.tsx';
import {destinationMetricKey, type DestinationFunction, type FunctionTopology, type MetricSeries, type QueueStatus} from '../../../source/domain/types.ts';
import {KEYS, renderInk, stripSgr} from '../../helpers/render.tsx';
import {dashboard, fresh, makeMetrics, NOW, queues, snapshot, topology} from './fixtures.ts';

const FALLBACK = 'image-fallback';
const withLambdaDestination: FunctionTopology = {
  ...topology,
  onFailure: {arn: `arn:aws:lambda:eu-west-1:123456789012:function:${FALLBACK}`, kind: 'lambda', name: FALLBACK},
};
const fallbackTopology: FunctionTopology = {...topology, name: FALLBACK, arn: withLambdaDestination.onFailure!.arn, deadLetterTarget: null, onFailure: null};

/** The destination's series: 60 complete minutes (the last one 30 invocations, 6 errors, 2 throttles) and a filling one. */
function metricsWithDestination(periodSeconds = 60) {
  const m = makeMetrics();
  const base = m.series['Invocations']!;
  const complete = base.points.filter(([t]) => base.partialFrom === null || t < base.partialFrom);
  const make = (key: string, metricName: string, value: number, filling: number): MetricSeries => ({
    ...base,
    key: destinationMetricKey(FALLBACK, key),
    metricName,
    points: [...complete.map(([t]): [number, number] => [t, value]), [base.partialFrom!, filling]],
  });
  m.series[destinationMetricKey(FALLBACK, 'Invocations')] = make('Invocations', 'Invocations', 30 * (periodSeconds / 60), 1);
  m.series[destinationMetricKey(FALLBACK, 'Errors')] = make('Errors', 'Errors', 6 * (periodSeconds / 60), 0);
  m.series[destinationMetricKey(FALLBACK, 'Throttles')] = make('Throttles', 'Throttles', 2 * (periodSeconds / 60), 0);
  return {...m, periodSeconds};
}

function rowsFor(destinations: DestinationFunction[] | undefined, periodSeconds = 60): PipelineRow[] {
  const metrics = metricsWithDestination(periodSeconds);
  const snap = snapshot({topology: withLambdaDestination, metrics, queues: queues.filter((q) => q.role === 'dlq'), ...(destinations ? {destinations} : {})});
  return buildPipelineRows(dashboard({snapshot: snap, ...(destinations ? {destinations: fresh(destinations)} : {})}), {});
}

const byId = (rows: PipelineRow[], suffix: string): PipelineRow => {
  const row = rows.find((r) => r.id === `dest-${FALLBACK}-${suffix}`);
  assert.ok(row, `row ${suffix} in ${rows.map((r) => r.id).join(', ')}`);
  return row;
};
const text = (row: PipelineRow): string => (row.value.kind === 'value' ? row.value.text : row.value.kind);
const tone = (row: PipelineRow): string => (row.value.kind === 'value' ? row.value.tone : row.value.kind);

test('the Lambda destination row shows its health per minute over complete minutes, and no failure target in a warning colour', () => {
  const rows = rowsFor([{via: 'onFailure', name: FALLBACK, topology: fallbackTopology, error: null, queues: []}]);
  const target = rows.find((r) => r.id === 'target-OnFailure')!;
  assert.equal(target.opens, FALLBACK);
  assert.match(text(target), /^λ image-fallback · delivery failures 0\/min$/);
  // the filling minute (1 invocation) is not the value
  assert.equal(text(byId(rows, 'invoked')), '30/min');
  assert.equal(text(byId(rows, 'errors')), '6/min');
  assert.equal(byId(rows, 'errors').note, '20% of invocations');
  assert.equal(tone(byId(rows, 'errors')), 'critical');
  assert.equal(text(byId(rows, 'throttles')), '2/min');
  assert.equal(byId(rows, 'invoked').spark?.length, 60, 'a sparkline of the complete minutes');
  const fails = byId(rows, 'targets');
  assert.equal(text(fails), 'no failure target: lost one hop later');
  assert.equal(tone(fails), 'warning');
  // drawn: the rows sit under the last branch, the sentence spans the line, enter is offered when focused
  const lines = pipelineLines(rows, 110, {compact: false, windowMs: 3_600_000, focused: true}).map((l) => l.map((s) => s.text).join(''));
  assert.ok(lines.some((l) => l.startsWith('└ → OnFailure') && l.includes('λ image-fallback · delivery failures 0/min · enter opens')), lines.join('\n'));
  assert.ok(lines.some((l) => /^ {4}fails to {4}no failure target: lost one hop later/.test(l)), lines.join('\n'));
});

test('5-minute periods: the destination figures are per minute too', () => {
  const rows = rowsFor([{via: 'onFailure', name: FALLBACK, topology: fallbackTopology, error: null, queues: []}], 300);
  assert.equal(text(byId(rows, 'invoked')), '30/min');
  assert.equal(text(byId(rows, 'throttles')), '2/min');
});

test("the destination's own DLQ with its depth; not discovered yet is loading, a failed discovery says why (never 0 or 'no target')", () => {
  const dlq: QueueStatus = {...queues[0]!, name: 'image-fallback-dlq', arn: 'arn:aws:sqs:eu-west-1:123456789012:image-fallback-dlq', url: 'https://sqs/123/image-fallback-dlq', visible: 3, inFlight: 1};
  const withDlq: FunctionTopology = {...fallbackTopology, deadLetterTarget: {arn: dlq.arn, kind: 'sqs', name: dlq.name}};
  const kept = rowsFor([{via: 'onFailure', name: FALLBACK, topology: withDlq, error: null, queues: [dlq]}]);
  assert.equal(text(byId(kept, 'targets')), 'DLQ image-fallback-dlq: 4 waiting');
  assert.equal(tone(byId(kept, 'targets')), 'warning');

  const loading = rowsFor(undefined);
  assert.equal(byId(loading, 'targets').value.kind, 'loading');
  const denied = rowsFor([{via: 'onFailure', name: FALLBACK, topology: null, error: 'AccessDenied: lambda:GetFunctionConfiguration', queues: []}]);
  assert.deepEqual(byId(denied, 'targets').value, {kind: 'unknown', reason: 'AccessDenied: lambda:GetFunctionConfiguration'});
  // metrics without the destination's series: unknown, not 0
  const snap = snapshot({topology: withLambdaDestination});
  const noSeries = buildPipelineRows(dashboard({snapshot: snap}), {});
  assert.equal(byId(noSeries, 'invoked').value.kind, 'unknown');
});

// ---- enter / esc ----------------------------------------------------------------------------------

function storeFor(name: string, top: FunctionTopology): Store {
  const store = createStore(createInitialState({functionName: name, region: 'eu-west-1', now: NOW}));
  const snap = snapshot({topology: top, metrics: metricsWithDestination(), ...(top.name === topology.name ? {destinations: [{via: 'onFailure', name: FALLBACK, topology: fallbackTopology, error: null, queues: []}]} : {queues: []})});
  store.dispatch({type: 'dashboard/updated', dashboard: dashboard({snapshot: snap})});
  return store;
}

test('enter on the pipeline opens the destination, esc comes back to it as it was, and esc again to the fleet', async () => {
  const log: string[] = [];
  const r = renderInk(<Text>FLEET TABLE</Text>, {columns: 110, rows: 40});
  const stack = createFunctionStack({
    build: (name, hooks) => {
      const store = storeFor(name, name === FALLBACK ? fallbackTopology : withLambdaDestination);
      const controller: Controller = {
        actions: {...noopActions, openFunction: hooks.onOpenFunction, backToFleet: hooks.onBack},
        start: () => log.push(`start ${name}`),
        pause: () => log.push(`pause ${name}`),
        resume: () => log.push(`resume ${name}`),
        stop: async () => void log.push(`stop ${name}`),
        gate: undefined as never,
      };
      return {store, controller};
    },
    show: (top: OpenDashboard | null) => r.instance.rerender(top ? <App store={top.store} actions={top.controller.actions} options={{color: false}} /> : <Text>FLEET TABLE</Text>),
    leaveBase: () => log.push('fleet paused'),
    returnToBase: () => log.push('fleet resumed'),
  });
  try {
    stack.open(topology.name);
    await r.waitForFrame((f) => f.includes('λ order-processor') && f.includes('no failure target: lost one hop later'), 'A with its destination');
    const a = stack.top()!.store;
    a.dispatch({type: 'window/set', windowMs: 2 * 3_600_000});
    const windowBefore = a.getState().windowMs;
    await r.press(KEYS.enter);
    await r.waitForFrame((f) => stripSgr(f).includes('λ image-fallback ·') && f.includes('failures → nowhere'), "B's dashboard");
    assert.equal(stack.top()!.name, FALLBACK);
    await r.press(KEYS.escape);
    await r.waitForFrame((f) => f.includes('λ order-processor') && f.includes('λ image-fallback · delivery failures'), 'back on A');
    assert.equal(stack.top()!.store, a, "A's own store, as it was");
    assert.equal(a.getState().windowMs, windowBefore);
    await r.press(KEYS.escape);
    await r.waitForFrame((f) => f.includes('FLEET TABLE'), 'the fleet');
    assert.deepEqual(log, ['fleet paused', 'start order-processor', 'pause order-processor', `start ${FALLBACK}`, `stop ${FALLBACK}`, 'resume order-processor', 'stop order-processor', 'fleet resumed']);
  } finally {
    await stack.stopAll();
    r.unmount();
  }
});

test('enter with another panel focused says to tab to the pipeline; with no Lambda destination it says so', async () => {
  const calls: string[] = [];
  const store = storeFor(topology.name, withLambdaDestination);
  const r = renderInk(<App store={store} actions={{...noopActions, openFunction: (n) => void calls.push(n)}} options={{color: false}} />, {columns: 110, rows: 40});
  try {
    await r.waitForFrame((f) => f.includes('λ order-processor'));
    await r.press(KEYS.tab);
    await r.press(KEYS.enter);
    await r.waitForFrame((f) => f.includes('tab to the pipeline panel first'));
    assert.deepEqual(calls, []);
    store.dispatch({type: 'dashboard/updated', dashboard: dashboard({snapshot: snapshot()})});
    await r.press(KEYS.enter);
    await r.waitForFrame((f) => f.includes('no Lambda destination to open'));
    assert.deepEqual(calls, []);
  } finally {
    r.unmount();
  }
});
