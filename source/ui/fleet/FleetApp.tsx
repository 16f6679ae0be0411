// The fleet view: every function of the region in one virtualised table (only the rows on screen are drawn),
// most critical first. Keys come from the binding table (scopes 'fleet', 'fleet-filter', 'fleet-help'); the
// component renders props and dispatches intents: sort / filter / selection live in the FleetUiStore, data in
// the fleet source, and `actions` opens a function, refreshes, quits and says which rows are on screen.
import React, {useEffect, useMemo, useRef, useSyncExternalStore} from 'react';
import {Box, Text, useInput, useWindowSize, type Key} from 'ink';
import {formatClock, formatCount, formatDurationMs, formatRelativeTime} from '../../domain/format.ts';
import type {FleetRow, Health} from '../../domain/fleet.ts';
import {refreshCost} from '../../domain/fleet.ts';
import {sanitizeLine} from '../../domain/sanitize.ts';
import {fitToWidth, truncateToWidth} from '../../domain/width.ts';
import type {FleetSnapshot} from '../../pollers/fleet-source.ts';
import {INSIGHTS_THRESHOLD, RANK_EVERY_MS, RANK_LIMIT, refreshCostFor, type RefreshCost} from '../../pollers/fleet-source.ts';
import {bindingLabel, bindingsFor, findBinding, isPrintableInput, splitKeyChunk, type FleetScope, type Intent} from '../key-bindings.ts';
import {makeTheme, type Theme} from '../theme.tsx';
import {createTableModel, scrollFor, type FleetUiStore} from './fleet-ui.ts';

export interface FleetActions {
  open(name: string): void;
  refresh(): void;
  quit(): void;
  /** The rows drawn plus a margin above and below (names). */
  setVisible(names: readonly string[]): void;
}

export interface FleetDataSource {
  subscribe(listener: () => void): () => void;
  getSnapshot(): FleetSnapshot;
}

export interface FleetAppProps {
  source: FleetDataSource;
  ui: FleetUiStore;
  actions: FleetActions;
  region: string | null;
  demoTitle?: string | null;
  now: () => number;
  options?: {columns?: number; rows?: number; color?: boolean};
}

/** Lines around the table: title, status, column header above; filter/sort line and key hints below. */
const CHROME_LINES = 5;
const MARK: Record<Health, string> = {critical: '✖', warning: '▲', ok: '●', unknown: '?'};
const SORT_TITLES = {health: 'health', name: 'name', invocations: 'invocations', errors: 'errors', throttles: 'throttles', age: 'event age', dropped: 'dropped', concurrency: 'concurrency', dlq: 'DLQ depth'} as const;

const COLUMNS = [
  {title: 'INVOC', width: 7},
  {title: 'ERR', width: 6},
  {title: 'THROT', width: 6},
  {title: 'AGE MAX', width: 8},
  {title: 'DROP', width: 6},
  {title: 'CONC/RES', width: 9},
  {title: 'DLQ', width: 6},
] as const;
const FIXED = 2 + COLUMNS.reduce((n, c) => n + c.width + 1, 0);

function cells(row: FleetRow): string[] {
  const f = row.figures;
  const reserved = row.reserved === undefined ? '?' : row.reserved === null ? '∞' : formatCount(row.reserved);
  return [
    formatCount(f?.invocations),
    formatCount(f?.errors),
    formatCount(f?.throttles),
    f?.ageMaxMs === null || f?.ageMaxMs === undefined ? '—' : formatDurationMs(f.ageMaxMs),
    formatCount(f?.dropped),
    `${formatCount(f?.concurrency)}/${reserved}`,
    row.dlqQueueName ? formatCount(f?.dlqDepth) : 'none',
  ];
}

/** A row's text after its health mark, fitted to the columns: built once per row object and widths (a row object
 * is replaced only when its data changes), so a key that moves, sorts or filters the rows builds no strings. */
const rowTexts = new WeakMap<FleetRow, {widths: string; text: string}>();
export function rowText(row: FleetRow, nameWidth: number, reasonWidth: number): string {
  const widths = `${nameWidth}:${reasonWidth}`;
  const cached = rowTexts.get(row);
  if (cached?.widths === widths) return cached.text;
  const reason = reasonWidth ? ` ${fitToWidth(truncateToWidth(sanitizeLine(row.reason ?? (row.figuresFrom === 'ranking' ? 'ranked by Insights' : ''), reasonWidth), reasonWidth), reasonWidth)}` : '';
  const text = `${fitToWidth(truncateToWidth(sanitizeLine(row.name, nameWidth), nameWidth), nameWidth)} ${cells(row).map((c, j) => fitToWidth(c, COLUMNS[j]!.width, 'right')).join(' ')}${reason}`;
  rowTexts.set(row, {widths, text});
  return text;
}

/** One table row: re-rendered only when its text, mark or selection changes. */
const FleetRowLine = React.memo(function FleetRowLine({mark, color, text, selected}: {mark: string; color: string | undefined; text: string; selected: boolean}): React.JSX.Element {
  return (
    <Text inverse={selected} wrap="truncate">
      <Text color={color}>{mark} </Text>
      {text}
    </Text>
  );
});

function healthColor(theme: Theme, h: Health): string | undefined {
  return h === 'critical' ? theme.critical : h === 'warning' ? theme.warning : h === 'ok' ? theme.ok : theme.muted;
}

export function modeWords(s: FleetSnapshot): string {
  if (s.mode === null) return 'listing functions…';
  if (s.mode === 'per-row') return `GetMetricData for every function (≤ ${INSIGHTS_THRESHOLD})`;
  return `Metrics Insights top ${RANK_LIMIT} by throttles, errors, dropped, age + GetMetricData for the rows on screen`;
}

const exact = (n: number): string => n.toLocaleString('en-US');
const every = (ms: number): string => (ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : formatDurationMs(ms));

/** The help overlay's cost lines: what a refresh asks for (`next`: for the rows on screen now), how often, and what
 * that costs per hour (the steady state against AWS, and what this session has spent so far). */
export function costLines(s: FleetSnapshot, next: RefreshCost | null = null): string[] {
  const r = s.lastRefresh;
  const periodMs = s.periodMs ?? 60_000;
  const everyMs = Math.max(periodMs, s.intervalMs);
  const when = `Metrics are asked for once per ${every(everyMs)} (CloudWatch's Lambda metrics have ${every(periodMs)} resolution; --interval ${every(s.intervalMs)} only redraws and checks), and for rows that come on screen without them.`;
  if (!r) return [when, 'Cost known after the first refresh.'];
  const scanned = Math.min(10_000, s.rows.length);
  const rankEveryMs = Math.max(RANK_EVERY_MS, everyMs);
  const rankingsPerHour = s.mode === 'insights' ? 3_600_000 / rankEveryMs : 0;
  // the steady state: what a refresh asks for the rows on screen now (the last refresh may have run before they
  // were known), rankings counted apart
  const steady = next ?? r;
  const metricsPerHour = steady.metricQueries * (3_600_000 / everyMs) + rankingsPerHour * 4 * scanned;
  const cost = refreshCost(metricsPerHour, 1).perHour;
  const money = (n: number) => `$${n.toFixed(n < 1 ? 3 : 2)}`;
  const spend = s.spend;
  const spent = spend && spend.elapsedMs >= 60_000 ? refreshCost(spend.metricQueries + spend.insightsMetricsScanned, 1).perHour : null;
  return [
    `Mode: ${modeWords(s)}.`,
    when,
    `Per refresh: ${steady.getMetricDataCalls} GetMetricData calls, ${steady.metricQueries} metric queries for the rows on screen${s.mode === 'insights' ? ' and a screen above and below' : ''}; the last one sent ${r.getMetricDataCalls} calls, ${r.metricQueries} metric queries${r.insightsQueries ? `, ${r.insightsQueries} Metrics Insights queries` : ''}.`,
    ...(s.mode === 'insights' ? [`Rankings: 4 Metrics Insights queries every ${every(rankEveryMs)}, up to ${formatCount(scanned)} metrics analyzed each.`] : []),
    `Estimated cost: ${money(cost)} per hour at $0.01 per 1,000 metrics requested or analyzed (public price, unconfirmed${s.mode === 'insights' ? `; rankings ${money(refreshCost(rankingsPerHour * 4 * scanned, 1).perHour)} of it` : ''}).`,
    ...(spend && spent !== null
      ? [`This session: ${formatCount(spend.metricQueries + spend.insightsMetricsScanned)} metrics in ${formatDurationMs(spend.elapsedMs)} (${spend.refreshes} refreshes, ${spend.getMetricDataCalls} calls): ${money((spent * 3_600_000) / spend.elapsedMs)} per hour at this pace.`]
      : []),
  ];
}

export function FleetApp({source, ui, actions, region, demoTitle, now, options = {}}: FleetAppProps): React.JSX.Element {
  const snapshot = useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
  const state = useSyncExternalStore(ui.subscribe, ui.getState, ui.getState);
  const size = useWindowSize();
  const columns = options.columns ?? size.columns ?? 100;
  const rows = options.rows ?? size.rows ?? 30;
  const theme = useMemo(() => makeTheme(options.color ?? true), [options.color]);
  const model = useMemo(() => createTableModel(), []);
  const table = model(snapshot.rows, state);
  const height = Math.max(1, rows - CHROME_LINES);
  const top = scrollFor(table.cursor, state.scrollTop, height, table.rows.length);
  const drawn = table.rows.slice(top, top + height);
  const scope: FleetScope = state.help ? 'fleet-help' : state.editing ? 'fleet-filter' : 'fleet';

  // the rows drawn plus a screen's margin above and below: what the source asks metrics for
  const visibleKey = `${top}|${height}|${table.rows.length}|${table.rows[top]?.name ?? ''}`;
  const lastVisible = useRef('');
  useEffect(() => {
    if (lastVisible.current === visibleKey) return;
    lastVisible.current = visibleKey;
    actions.setVisible(table.rows.slice(Math.max(0, top - height), top + 2 * height).map((r) => r.name));
  });

  const live = useRef({table, top, height, state});
  live.current = {table, top, height, state};
  const onKey = (input: string, key: Key): void => {
    const {table: t, top: tp, height: h} = live.current;
    // the scope at this key, not at the last render: "/" then a fast "ord" types "ord" into the filter
    const st = ui.getState();
    const now: FleetScope = st.help ? 'fleet-help' : st.editing ? 'fleet-filter' : 'fleet';
    const binding = findBinding(now, input, key);
    if (!binding) {
      if (now === 'fleet-filter' && isPrintableInput(input, key)) return ui.dispatch({type: 'filter-set', text: st.filterText + input});
      // a chunk of keys: "/ord" is "/" then "ord"
      for (const [one, oneKey] of splitKeyChunk(input, key) ?? []) onKey(one, oneKey);
      return;
    }
    runFleetIntent(binding.intent, {table: t, top: tp, height: h, filterText: st.filterText, ui, actions});
  };
  useInput(onKey);

  // what a refresh asks for now: the rows sent to setVisible in 'insights' mode, every row in 'per-row' mode
  if (state.help) return <FleetHelp snapshot={snapshot} next={refreshCostFor(snapshot.mode === 'insights' ? table.rows.slice(Math.max(0, top - height), top + 2 * height) : snapshot.rows)} columns={columns} theme={theme} />;

  const nameWidth = Math.max(12, columns - FIXED - (columns >= 130 ? 34 : 0));
  const reasonWidth = columns >= 130 ? 33 : 0;
  const listing = snapshot.listing;
  const metrics = snapshot.metrics;
  const loading = snapshot.loading ?? null;
  const known = listing.data !== null || loading !== null;
  const metricsAt = snapshot.metricsAt !== undefined ? snapshot.metricsAt : metrics.updatedAt;
  const status = listing.error && !listing.data
    ? `cannot list functions: ${listing.error.message}`
    : metrics.error
      ? `metrics: ${metrics.error.message}${metrics.updatedAt ? ` (data from ${formatRelativeTime(metrics.updatedAt, now())})` : ''}`
      : metricsAt
        ? `updated ${formatClock(metricsAt)} · last ${formatDurationMs(snapshot.windowMs)}, newest minutes filling left out`
        : known ? 'loading metrics…' : 'listing functions…';
  const header = `lambda-top fleet · ${region ?? 'region ?'} · ${loading ? `loading ${exact(loading.listed)}${loading.expected ? ` of ~${exact(loading.expected)}` : ''} functions${table.rows.length !== snapshot.rows.length ? ` (${exact(table.rows.length)} match)` : ''}` : listing.data ? `${table.rows.length}${table.rows.length !== snapshot.rows.length ? ` of ${snapshot.rows.length}` : ''} functions` : '…'}${demoTitle ? ` · demo: ${demoTitle}` : ''}`;
  const hints = bindingsFor(scope).filter((b) => b.hint).map((b) => `${bindingLabel(b)} ${b.hint}`).join('  ');
  const footer = state.editing
    ? `filter: /${state.filterText}█${table.filterError ? `  ${table.filterError}` : ''}`
    : `sort: ${SORT_TITLES[state.sortKey]}${state.filterText ? ` · filter: /${state.filterText}/${table.filterError ? ` (${table.filterError}: nothing filtered)` : ''}` : ''} · ${table.rows.length ? `${table.cursor + 1}/${table.rows.length}` : 'no function matches'}`;
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Text bold color={theme.accent} wrap="truncate">{sanitizeLine(header, columns)}</Text>
      <Text color={listing.error || metrics.error ? theme.warning : theme.muted} wrap="truncate">{sanitizeLine(`${status} · ${modeWords(snapshot)}`, columns)}</Text>
      <Text bold wrap="truncate">
        {fitToWidth(`  FUNCTION`, 2 + nameWidth)} {COLUMNS.map((c) => fitToWidth(c.title, c.width, 'right')).join(' ')}{reasonWidth ? ` ${fitToWidth('WHY', reasonWidth)}` : ''}
      </Text>
      <Box flexDirection="column" height={height}>
        {drawn.map((row, i) => (
          // keyed by position: a sort or a filter keystroke updates the same Ink nodes with new text
          <FleetRowLine key={i} mark={MARK[row.health]} color={healthColor(theme, row.health)} text={rowText(row, nameWidth, reasonWidth)} selected={top + i === table.cursor} />
        ))}
      </Box>
      <Text color={table.filterError ? theme.warning : undefined} wrap="truncate">{sanitizeLine(footer, columns)}</Text>
      <Text color={theme.muted} wrap="truncate">{sanitizeLine(hints, columns)}</Text>
    </Box>
  );
}

interface FleetIntentContext {
  table: ReturnType<ReturnType<typeof createTableModel>>;
  top: number;
  height: number;
  filterText: string;
  ui: FleetUiStore;
  actions: FleetActions;
}

/** One fleet intent. Exported for tests. */
export function runFleetIntent(intent: Intent, ctx: FleetIntentContext): void {
  const {table, ui, actions} = ctx;
  const move = (to: number) => {
    const last = table.rows.length - 1;
    if (last < 0) return;
    const cursor = Math.max(0, Math.min(last, to));
    ui.dispatch({type: 'select', name: table.rows[cursor]!.name, scrollTop: scrollFor(cursor, ctx.top, ctx.height, table.rows.length)});
  };
  const page = Math.max(1, ctx.height - 1);
  switch (intent) {
    case 'quit':
      return actions.quit();
    case 'refresh':
      return actions.refresh();
    case 'fleet-up':
      return move(table.cursor - 1);
    case 'fleet-down':
      return move(table.cursor + 1);
    case 'fleet-page-up':
      return move(table.cursor - page);
    case 'fleet-page-down':
      return move(table.cursor + page);
    case 'fleet-top':
      return move(0);
    case 'fleet-bottom':
      return move(table.rows.length - 1);
    case 'fleet-open': {
      const row = table.rows[table.cursor];
      if (!row) return;
      // keep the selection by name, so esc comes back to this row
      ui.dispatch({type: 'select', name: row.name, scrollTop: ctx.top});
      return actions.open(row.name);
    }
    case 'fleet-sort': {
      const row = table.rows[table.cursor];
      if (row) ui.dispatch({type: 'select', name: row.name, scrollTop: ctx.top});
      return ui.dispatch({type: 'sort-cycle'});
    }
    case 'fleet-filter-start':
      return ui.dispatch({type: 'filter-start'});
    case 'fleet-filter-apply':
      return ui.dispatch({type: 'filter-apply'});
    case 'fleet-filter-cancel':
      return ui.dispatch({type: 'filter-cancel'});
    case 'fleet-filter-backspace':
      return ui.dispatch({type: 'filter-set', text: ctx.filterText.slice(0, -1)});
    case 'fleet-help':
    case 'fleet-help-close':
      return ui.dispatch({type: 'help-toggle'});
    default:
      return;
  }
}

function FleetHelp({snapshot, next, columns, theme}: {snapshot: FleetSnapshot; next: RefreshCost; columns: number; theme: Theme}): React.JSX.Element {
  const scopes: Array<[FleetScope, string]> = [['fleet', 'Fleet view'], ['fleet-filter', 'While typing the filter']];
  const keyWidth = 16;
  return (
    <Box flexDirection="column" width={columns}>
      <Text bold color={theme.accent}>Help: the fleet view (? or esc closes)</Text>
      {scopes.map(([scope, title]) => (
        <Box key={scope} flexDirection="column" marginTop={1}>
          <Text bold>{title}</Text>
          {bindingsFor(scope)
            .filter((b) => !b.scopes.includes('any'))
            .map((b) => (
              <Text key={b.intent} wrap="truncate">
                <Text color={theme.key}>{fitToWidth(bindingLabel(b), keyWidth)}</Text> {b.description}
              </Text>
            ))}
        </Box>
      ))}
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Refresh cost</Text>
        {costLines(snapshot, next).map((line) => (
          <Text key={line} wrap="wrap">{sanitizeLine(line, columns * 3)}</Text>
        ))}
        <Text color={theme.muted} wrap="wrap">Health: ✖ critical (events dropped, most invocations failing), ▲ warning (throttles, errors ≥ 5%, events waiting ≥ 5 min, DLQ not empty), ● fine, ? no data yet. Figures: sums over the window; — = not known.</Text>
      </Box>
    </Box>
  );
}
