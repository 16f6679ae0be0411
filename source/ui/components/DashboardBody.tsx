// The dashboard's panels laid out for the terminal: two columns when wide, stacked otherwise.
import React, {useEffect, useMemo, useRef} from 'react';
import {Box} from 'ink';
import type {DashboardState, PanelId} from '../../store/types.ts';
import {dashboardLayout} from '../layout.ts';
import type {Finding} from '../../domain/types.ts';
import type {PeekLog} from '../../domain/queue-age.ts';
import {buildConcurrency, buildPipelineRows, buildQueueRows, findingsFor, pipelineSubtitle, type ConcurrencyModel, type PipelineRow, type QueueRow} from '../view-model.ts';
import {ConcurrencyGauge, concurrencyLines} from './ConcurrencyGauge.tsx';
import {DiagnosisPanel, diagnosisLines, rankFindings} from './DiagnosisPanel.tsx';
import {PipelinePanel, pipelineRowsFor} from './PipelinePanel.tsx';
import {QueuesPanel, queueLines, queueWindowFor} from './QueuesPanel.tsx';
import {countRender} from '../render-probe.ts';
import {sharePrevious} from '../share-equal.ts';

export interface DashboardBodyProps {
  dashboard: DashboardState | null;
  queueHistory: Record<string, Array<[number, number]>>;
  windowMs: number;
  focus: PanelId | null;
  diagnosisScroll: number;
  /** What our own peeks saw per queue URL (store `peeked`): ages and the diagnosis take it into account. */
  peeked?: PeekLog;
  width: number;
  /** undefined = natural height (static rendering). */
  height?: number;
  /** First queue row shown (the queues panel scrolls when focused). */
  queuesScroll?: number;
  /** The intent the queues panel sends when the rows it shows change (scroll, resize, new queues): not on refresh. */
  onQueuesVisible?: (first: number, count: number) => void;
}

const compactFor = (w: number): boolean => w < 80;

interface BodyModel {
  pipelineRows: PipelineRow[];
  concurrency: ConcurrencyModel;
  queueRows: QueueRow[];
  findings: Finding[];
  diagnosisState: 'loading' | 'ready' | 'no-data';
  queuesLoading: boolean;
  queuesError: string | null;
  noQueuesText: string;
}

const NO_PEEKS: PeekLog = {};

function bodyModel(dashboard: DashboardState | null, queueHistory: Record<string, Array<[number, number]>>, peeked: PeekLog): BodyModel {
  const topologyKnown = Boolean(dashboard?.snapshot.topology);
  const anyData = topologyKnown || (dashboard?.snapshot.metrics ?? null) !== null;
  const anyError = Boolean(dashboard?.discovery.error || dashboard?.metrics.error);
  return {
    pipelineRows: buildPipelineRows(dashboard, queueHistory),
    concurrency: buildConcurrency(dashboard),
    queueRows: buildQueueRows(dashboard, queueHistory, peeked),
    findings: findingsFor(dashboard, peeked),
    diagnosisState: anyData ? 'ready' : anyError ? 'no-data' : 'loading',
    queuesLoading: !dashboard || (dashboard.queues.updatedAt === null && dashboard.queues.error === null),
    queuesError: dashboard?.queues.error?.message ?? null,
    noQueuesText: topologyKnown
      ? 'no SQS failure queues to watch (no DLQ / OnFailure queue configured)'
      : dashboard?.discovery.error
        ? 'unknown: the function configuration could not be read'
        : 'waiting for discovery…',
  };
}

/** The diagnosis's title, its first shown finding whole (title and advice) and, when more follow, the "more" line. */
function diagnosisFirstHeight(findings: Finding[], width: number, scroll: number, state: BodyModel['diagnosisState']): number {
  const ranked = rankFindings(findings);
  const from = Math.max(0, Math.min(scroll, ranked.length - 1));
  const first = diagnosisLines(ranked.slice(from, from + 1), width, {scroll: 0, focused: false, state}).length;
  return first + (ranked.length - from > 1 || from > 0 ? 1 : 0);
}

export function DashboardBody(p: DashboardBodyProps): React.JSX.Element {
  countRender('DashboardBody');
  // The panels' models depend on the data and the poll errors, not on syncing flips or poll times: keyed on
  // those, a refresh that only toggles "syncing" (or brings the same answer) rebuilds nothing.
  const d = p.dashboard;
  const snapshot = d?.snapshot ?? null;
  const discoveryError = d?.discovery.error ?? null;
  const metricsError = d?.metrics.error ?? null;
  const queuesError = d?.queues.error ?? null;
  const queuesRead = (d?.queues.updatedAt ?? null) !== null;
  const metricsData = d?.metrics.data ?? null;
  const known = d !== null;
  // Each refresh adds a queue-history sample, so the model is rebuilt; parts that came out the same keep their
  // previous objects, and the memoised panels they feed skip their render.
  const previousModel = useRef<BodyModel | null>(null);
  const model = useMemo(
    () => (previousModel.current = sharePrevious(previousModel.current, bodyModel(d, p.queueHistory, p.peeked ?? NO_PEEKS))),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [known, snapshot, metricsData, discoveryError, metricsError, queuesError, queuesRead, p.queueHistory, p.peeked],
  );
  const {pipelineRows, concurrency, queueRows, findings, diagnosisState, queuesLoading, noQueuesText} = model;
  const queuesErrorText = model.queuesError;

  const layout = useMemo(
    () =>
      dashboardLayout(p.width, p.height, ({left, right}) => ({
        pipeline: pipelineRows.length + 1,
        concurrency: concurrencyLines(concurrency, left, {compact: compactFor(left), focused: false}).length,
        queues: queueLines(queueRows, right, {compact: compactFor(right), focused: false, loading: queuesLoading, error: queuesErrorText, noQueuesText}).length,
        diagnosis: diagnosisLines(findings, right, {scroll: p.diagnosisScroll, focused: false, state: diagnosisState}).length,
        diagnosisFirst: diagnosisFirstHeight(findings, right, p.diagnosisScroll, diagnosisState),
        pipelineMin: pipelineRowsFor(pipelineRows, 0).length + 1,
      })),
    [model, p.width, p.height, p.diagnosisScroll],
  );
  const h = layout.heights;
  // The queue rows on screen (a fixed height only): what the dashboard reads every refresh.
  const fitted = p.height === undefined ? undefined : queueWindowFor(queueRows.length, h.queues, p.queuesScroll ?? 0);
  const windowFirst = fitted?.first ?? -1;
  const windowCount = fitted?.count ?? -1;
  // one object per window, so the memoised panel skips its render when the rows shown did not change
  const queuesWindow = useMemo(() => (windowCount < 0 ? undefined : {first: windowFirst, count: windowCount}), [windowFirst, windowCount]);
  const onQueuesVisible = p.onQueuesVisible;
  useEffect(() => {
    // only when the rows shown changed, and once there are rows to show
    if (windowCount > 0 && onQueuesVisible) onQueuesVisible(windowFirst, windowCount);
  }, [windowFirst, windowCount, onQueuesVisible]);
  const left = layout.leftWidth;
  const right = layout.rightWidth;
  const height = (n: number): {height: number} | Record<string, never> => (p.height === undefined ? {} : {height: n});

  const pipeline = h.pipeline > 0 && (
    <PipelinePanel rows={pipelineRows} width={left} {...height(h.pipeline)} compact={compactFor(left)} windowMs={p.windowMs} subtitle={pipelineSubtitle(p.dashboard, p.windowMs)} focused={p.focus === 'pipeline'} />
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
      error={queuesErrorText}
      noQueuesText={noQueuesText}
      {...(queuesWindow ? {window: queuesWindow} : {})}
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
