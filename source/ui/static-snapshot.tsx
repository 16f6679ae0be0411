// A one-shot text view of a Snapshot (`--once` without --json): the dashboard's header and panels at
// their natural height, rendered to a string with Ink's renderToString (no terminal session).
import React from 'react';
import {Box, renderToString} from 'ink';
import type {FunctionTopology, MetricsSnapshot, QueueStatus, Snapshot} from '../domain/types.ts';
import type {DashboardState, DemoInfo, PollState} from '../store/types.ts';
import {DashboardBody} from './components/DashboardBody.tsx';
import {Header} from './components/Header.tsx';
import {COMPACT_COLUMNS} from './layout.ts';
import {ThemeProvider, makeTheme} from './theme.tsx';
import {refreshStatus} from './view-model.ts';

export interface StaticSnapshotOptions {
  columns: number;
  color?: boolean;
  demo?: DemoInfo | null;
  windowMs?: number;
}

function poll<T>(data: T | null, at: number, error: string | null): PollState<T> {
  return {data, updatedAt: data === null ? null : at, error: error === null ? null : {message: error, at}, syncing: false, consecutiveFailures: error === null ? 0 : 1, nextAt: null};
}

/** The poll states a one-shot snapshot implies: data as collected, errors from `snapshot.errors`. */
export function dashboardFromSnapshot(snapshot: Snapshot): DashboardState {
  const errorOf = (source: string): string | null => snapshot.errors.find((e) => e.source === source)?.message ?? null;
  const queueErrors = snapshot.errors.filter((e) => e.source === 'queues');
  return {
    snapshot,
    // A one-shot view never waits: what is missing was not learned, and says so.
    discovery: poll<FunctionTopology>(snapshot.topology, snapshot.at, errorOf('discovery') ?? (snapshot.topology ? null : 'not discovered')),
    metrics: poll<MetricsSnapshot>(snapshot.metrics, snapshot.at, errorOf('metrics') ?? (snapshot.metrics ? null : 'not collected')),
    queues: poll<QueueStatus[]>(snapshot.queues, snapshot.at, queueErrors[0]?.message ?? null),
  };
}

export function renderStaticSnapshot(snapshot: Snapshot, options: StaticSnapshotOptions): string {
  const columns = Math.max(40, Math.floor(options.columns));
  const dashboard = dashboardFromSnapshot(snapshot);
  const windowMs = options.windowMs ?? (snapshot.metrics ? snapshot.metrics.end - snapshot.metrics.start : 3_600_000);
  const tree = (
    <ThemeProvider theme={makeTheme(options.color ?? false)}>
      <Box flexDirection="column" width={columns}>
        <Header
          functionName={snapshot.topology?.name ?? '?'}
          qualifier={snapshot.topology?.qualifier ?? null}
          region={snapshot.topology?.region ?? null}
          topology={snapshot.topology}
          discoveryError={dashboard.discovery.error?.message ?? null}
          queues={snapshot.queues}
          refresh={refreshStatus(dashboard)}
          now={snapshot.at}
          demo={options.demo ?? null}
          readOnly={false}
          width={columns}
          compact={columns < COMPACT_COLUMNS}
        />
        <DashboardBody dashboard={dashboard} queueHistory={{}} windowMs={windowMs} focus={null} diagnosisScroll={0} width={columns} />
      </Box>
    </ThemeProvider>
  );
  return renderToString(tree, {columns}).replace(/[ \t]+$/gm, '');
}
