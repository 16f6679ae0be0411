// The dashboard's panels laid out for the terminal: two columns when wide, stacked otherwise.
import React from 'react';
import {Box} from 'ink';
import type {DashboardState, PanelId} from '../../store/types.ts';
import {dashboardLayout} from '../layout.ts';
import {buildConcurrency, buildPipelineRows, buildQueueRows} from '../view-model.ts';
import {ConcurrencyGauge, concurrencyLines} from './ConcurrencyGauge.tsx';
import {DiagnosisPanel, diagnosisLines} from './DiagnosisPanel.tsx';
import {PipelinePanel} from './PipelinePanel.tsx';
import {QueuesPanel, queueLines} from './QueuesPanel.tsx';

export interface DashboardBodyProps {
  dashboard: DashboardState | null;
  queueHistory: Record<string, Array<[number, number]>>;
  windowMs: number;
  focus: PanelId | null;
  diagnosisScroll: number;
  width: number;
  /** undefined = natural height (static rendering). */
  height?: number;
}

export function DashboardBody(p: DashboardBodyProps): React.JSX.Element {
  const pipelineRows = buildPipelineRows(p.dashboard, p.queueHistory);
  const concurrency = buildConcurrency(p.dashboard);
  const queueRows = buildQueueRows(p.dashboard, p.queueHistory);
  const findings = p.dashboard?.snapshot.findings ?? [];
  const topologyKnown = Boolean(p.dashboard?.snapshot.topology);
  const anyData = topologyKnown || (p.dashboard?.snapshot.metrics ?? null) !== null;
  const anyError = Boolean(p.dashboard?.discovery.error || p.dashboard?.metrics.error);
  const diagnosisState: 'loading' | 'ready' | 'no-data' = anyData ? 'ready' : anyError ? 'no-data' : 'loading';
  const queuesLoading = !p.dashboard || (p.dashboard.queues.updatedAt === null && p.dashboard.queues.error === null);
  const queuesError = p.dashboard?.queues.error?.message ?? null;
  const noQueuesText = topologyKnown
    ? 'no SQS failure queues to watch (no DLQ / OnFailure queue configured)'
    : p.dashboard?.discovery.error
      ? 'unknown: the function configuration could not be read'
      : 'waiting for discovery…';
  const compactFor = (w: number): boolean => w < 80;

  const layout = dashboardLayout(p.width, p.height, ({left, right}) => ({
    pipeline: pipelineRows.length + 1,
    concurrency: concurrencyLines(concurrency, left, {compact: compactFor(left), focused: false}).length,
    queues: queueLines(queueRows, right, {compact: compactFor(right), focused: false, loading: queuesLoading, error: queuesError, noQueuesText}).length,
    diagnosis: diagnosisLines(findings, right, {scroll: p.diagnosisScroll, focused: false, state: diagnosisState}).length,
  }));
  const h = layout.heights;
  const left = layout.leftWidth;
  const right = layout.rightWidth;
  const height = (n: number): {height: number} | Record<string, never> => (p.height === undefined ? {} : {height: n});

  const pipeline = h.pipeline > 0 && (
    <PipelinePanel rows={pipelineRows} width={left} {...height(h.pipeline)} compact={compactFor(left)} windowMs={p.windowMs} focused={p.focus === 'pipeline'} />
  );
  const gauge = h.concurrency > 0 && (
    <ConcurrencyGauge model={concurrency} width={left} {...height(h.concurrency)} compact={compactFor(left)} focused={p.focus === 'concurrency'} />
  );
  const queues = h.queues > 0 && (
    <QueuesPanel
      rows={queueRows}
      width={right}
      {...height(h.queues)}
      compact={compactFor(right)}
      focused={p.focus === 'queues'}
      loading={queuesLoading}
      error={queuesError}
      noQueuesText={noQueuesText}
    />
  );
  const diagnosis = h.diagnosis > 0 && (
    <DiagnosisPanel findings={findings} width={right} {...height(h.diagnosis)} scroll={p.diagnosisScroll} focused={p.focus === 'diagnosis'} state={diagnosisState} />
  );

  if (layout.mode === 'wide') {
    return (
      <Box flexDirection="row" width={p.width} {...height(p.height ?? 0)}>
        <Box flexDirection="column" width={left} flexShrink={0}>
          {pipeline}
          {gauge}
        </Box>
        <Box width={2} flexShrink={0} />
        <Box flexDirection="column" width={right} flexShrink={0}>
          {queues}
          {diagnosis}
        </Box>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={p.width} {...height(p.height ?? 0)}>
      {pipeline}
      {gauge}
      {queues}
      {diagnosis}
    </Box>
  );
}
