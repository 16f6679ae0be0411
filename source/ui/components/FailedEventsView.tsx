// The failed-event browser: one row per peeked event (age, source, request id, condition, attempts,
// error, size), marks, sort, `/` filter, paging in more from the queues on demand. Virtualised: only
// the rows that fit are built.
import React, {useRef} from 'react';
import {Box, Text} from 'ink';
import {formatAgeSeconds, formatBytes, formatCount} from '../../domain/format.ts';
import {errorSummary} from '../../domain/failed-event.ts';
import {sanitizeLine} from '../../domain/sanitize.ts';
import type {ListedEvent, QueueRole} from '../../domain/types.ts';
import type {BulkLoadProgress, FailedBrowserState} from '../../store/types.ts';
import {cell, displayWidth, type Line} from '../text.ts';
import {roleLabel} from '../view-model.ts';
import {titleLine} from './panel.ts';
import {Row} from './AnsiLine.tsx';

export interface FailedListProps {
  events: ListedEvent[];
  failed: FailedBrowserState;
  loadedCount: number;
  now: number;
  width: number;
  height: number;
  readOnly: boolean;
  /** Loaded DLQ/destination twins: messageId -> the other copies of the same failure (see selectTwins). */
  twins?: ReadonlyMap<string, ListedEvent[]>;
}

type ColumnId = 'mark' | 'age' | 'source' | 'request' | 'condition' | 'attempts' | 'error' | 'message' | 'size';
interface Column {
  id: ColumnId;
  title: string;
  width: number;
  align: 'left' | 'right';
}

export function failedColumns(width: number): Column[] {
  const compact = width < 100;
  const cols: Column[] = [
    {id: 'mark', title: '', width: 2, align: 'left'},
    {id: 'age', title: 'age', width: compact ? 7 : 10, align: 'right'},
    {id: 'source', title: compact ? 'src' : 'source', width: compact ? 4 : 10, align: 'left'},
  ];
  if (!compact) cols.push({id: 'request', title: 'request id', width: width >= 160 ? 36 : 13, align: 'left'});
  if (width >= 120) cols.push({id: 'condition', title: 'condition', width: 16, align: 'left'});
  cols.push({id: 'attempts', title: 'att', width: 3, align: 'right'});
  if (!compact) cols.push({id: 'error', title: 'error', width: 14, align: 'left'});
  cols.push({id: 'message', title: compact ? 'error' : 'message', width: 0, align: 'left'});
  if (!compact) cols.push({id: 'size', title: 'size', width: 9, align: 'right'});
  const fixed = cols.reduce((n, c) => n + c.width, 0) + (cols.length - 1);
  cols.find((c) => c.id === 'message')!.width = Math.max(8, width - fixed);
  return cols;
}

const SHORT_ROLE: Record<QueueRole, string> = {dlq: 'DLQ', 'on-failure': 'OnF', 'on-success': 'OnS', source: 'src', 'source-dlq': 'sDLQ'};

function cellValue(col: Column, e: ListedEvent, now: number): string {
  switch (col.id) {
    case 'mark':
      return '';
    case 'age': {
      const t = e.time ?? e.sentAt;
      return t === null ? '—' : formatAgeSeconds(Math.max(0, (now - t) / 1000));
    }
    case 'source':
      return col.width < 8 ? SHORT_ROLE[e.source] : roleLabel(e.source);
    case 'request':
      return e.requestId ? sanitizeLine(e.requestId, col.width) : '—';
    case 'condition':
      return e.condition === null ? '—' : sanitizeLine(e.condition, col.width);
    case 'attempts':
      return formatCount(e.attempts ?? null);
    case 'error':
      return sanitizeLine(e.errorType ?? (e.errorCode !== null ? `HTTP ${e.errorCode}` : '—'), col.width);
    case 'message': {
      const message = errorSummary(e) || '—';
      // Without an error-type column (compact), the type leads the message.
      if (col.title === 'error' && e.errorType) return sanitizeLine(`${e.errorType}: ${message}`, col.width);
      return sanitizeLine(message, col.width);
    }
    case 'size':
      return formatBytes(e.sizeBytes);
  }
}

/** The first row to show so that the cursor stays visible, moving the window as little as possible. */
export function scrollTop(previousTop: number, cursor: number, visibleRows: number, count: number): number {
  const rows = Math.max(1, visibleRows);
  let top = Math.min(previousTop, Math.max(0, count - rows));
  if (cursor < top) top = cursor;
  if (cursor >= top + rows) top = cursor - rows + 1;
  return Math.max(0, top);
}

function sourcesLine(failed: FailedBrowserState, width: number): Line {
  const line: Line = [];
  const tab = (label: string, active: boolean): void => {
    if (line.length) line.push({text: '  '});
    line.push(active ? {text: ` ${label} `, inverse: true, bold: true} : {text: label, tone: 'muted'});
  };
  tab('all', failed.sourceFilter === 'all');
  for (const s of failed.sources) {
    const state = s.loading ? ' loading…' : s.error ? ' ⚠' : '';
    const count = `${formatCount(s.events.length)}${s.exhausted ? '' : '+'}`;
    const name = s.queueName ? ` ${sanitizeLine(s.queueName, 28)}` : '';
    tab(`${roleLabel(s.role)}${name} ${count}${state}`, failed.sourceFilter === s.role);
  }
  const errors = failed.sources.filter((s) => s.error);
  for (const s of errors) line.push({text: `  ${roleLabel(s.role)}: `, tone: 'critical', bold: true}, {text: sanitizeLine(s.error!, width), tone: 'critical'});
  return line;
}

/** Header rows above the table; the table gets what is left. */
export function failedHeaderLines(p: FailedListProps): Line[] {
  const f = p.failed;
  const marked = Object.keys(f.marked).length;
  const summary = [
    `${formatCount(p.events.length)} shown`,
    `${formatCount(p.loadedCount)} loaded`,
    marked ? `${formatCount(marked)} marked` : null,
    p.twins && p.twins.size ? `⇄ ${formatCount(p.twins.size)} in both DLQ and OnFailure (one failure each pair)` : null,
    `sort ${f.sort.key} ${f.sort.descending ? '↓' : '↑'}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const lines: Line[] = [titleLine('Failed events', summary, p.width, true), sourcesLine(f, p.width)];
  if (f.peekNotice) lines.push([{text: '⚠ ', tone: 'warning'}, {text: f.peekNotice, tone: 'warning'}]);
  if (f.filter.editing) {
    lines.push([
      {text: '/', role: 'key', bold: true},
      {text: sanitizeLine(f.filter.text, Math.max(1, p.width - 30))},
      {text: '▏', role: 'accent'},
      {text: '  enter keep · esc clear', tone: 'muted'},
    ]);
  } else if (f.filter.text) {
    const m = f.textMatches;
    const searching = m !== null && m.searching && m.text === f.filter.text.trim();
    lines.push([
      {text: 'filter ', tone: 'muted'},
      {text: sanitizeLine(f.filter.text, Math.max(1, p.width - 30)), bold: true},
      searching ? {text: '  searching payloads…', tone: 'warning'} : {text: '  / edit · esc in filter clears', tone: 'muted'},
    ]);
  }
  const cols = failedColumns(p.width);
  lines.push([{text: cols.map((c) => cell(c.title, c.width, c.align)).join(' '), tone: 'muted'}]);
  return lines;
}

const exact = (n: number): string => n.toLocaleString('en');

/** Wall seconds until the first messages a whole-queue load read become visible again (0 when they are). */
function visibleAgainSeconds(bulk: BulkLoadProgress, now: number): number {
  return Math.max(0, Math.ceil((bulk.visibleAgainAt - now) / bulk.clockRate / 1000));
}

/** A whole-queue load (`m`): "loading DLQ: 12,345 of ~50,000 read · the first ones become visible again in
 * 42 s", then what it did ("loaded 50,000 in 14.2 s (3,521/s)") and why it stopped. */
function bulkLine(p: FailedListProps): Line | null {
  const loads = p.failed.sources.filter((s) => s.bulk);
  if (loads.length === 0) return null;
  const running = loads.filter((s) => s.bulk!.stopped === null);
  if (running.length) {
    const parts = running.map((s) => {
      const b = s.bulk!;
      return `${roleLabel(s.role)}: ${exact(b.read)}${b.expected === null ? '' : ` of ~${exact(b.expected)}`} read`;
    });
    const first = running[0]!.bulk!;
    return [{text: `loading ${parts.join(', ')} · the first ones become visible again in ${visibleAgainSeconds(first, p.now)} s`, tone: 'muted'}];
  }
  const parts = loads.map((s) => {
    const b = s.bulk!;
    const seconds = (b.tookMs ?? 0) / b.clockRate / 1000;
    const rate = seconds > 0 ? ` (${exact(Math.round(b.read / seconds))}/s)` : '';
    return `${roleLabel(s.role)} ${exact(b.read)} in ${seconds.toFixed(1)} s${rate}`;
  });
  const window = loads.find((s) => s.bulk!.stopped === 'window');
  const tail = window ? ` · stopped inside the peek window: the first ones become visible again in ${visibleAgainSeconds(window.bulk!, p.now)} s` : '';
  return [{text: `loaded ${parts.join(', ')}${tail}`, tone: 'muted'}];
}

export function failedFooterLine(p: FailedListProps): Line {
  const loading = p.failed.sources.filter((s) => s.loading);
  const more = p.failed.sources.some((s) => !s.exhausted && !s.error);
  const bulk = bulkLine(p);
  if (bulk && loading.some((s) => s.bulk?.stopped === null)) return bulk;
  if (loading.length) return [{text: `loading more from ${loading.map((s) => roleLabel(s.role)).join(', ')}…`, tone: 'muted'}];
  if (p.loadedCount === 0 && p.failed.sources.length === 0) return [{text: 'looking for failure queues…', tone: 'muted'}];
  const rest: Line = more ? [{text: 'more in the queue: pgdn at the end or m loads more', tone: 'muted'}] : [{text: 'end of the queues', tone: 'muted'}];
  return bulk ? [...bulk, {text: ' · ', tone: 'muted'}, ...rest] : rest;
}

/** A row's cells that do not depend on the clock (all but age), cut and padded, per event and column set: a
 * scroll or a clock tick rebuilds the rows on screen from these instead of sanitising and measuring again. */
const rowCells = new WeakMap<ListedEvent, {cols: readonly Column[]; texts: string[]}>();
const columnsByWidth = new Map<number, Column[]>();
function columnsFor(width: number): Column[] {
  let cols = columnsByWidth.get(width);
  if (cols === undefined) {
    if (columnsByWidth.size > 8) columnsByWidth.clear();
    columnsByWidth.set(width, (cols = failedColumns(width)));
  }
  return cols;
}
function staticCells(e: ListedEvent, cols: readonly Column[]): string[] {
  const cached = rowCells.get(e);
  if (cached !== undefined && cached.cols === cols) return cached.texts;
  const texts = cols.map((c) => (c.id === 'mark' || c.id === 'age' ? '' : cell(cellValue(c, e, 0), c.width, c.align)));
  rowCells.set(e, {cols, texts});
  return texts;
}

/** Rows of the table for the visible window [top, top + rows). */
export function failedRowLines(p: FailedListProps, top: number, rows: number): Line[] {
  const cols = columnsFor(p.width);
  const out: Line[] = [];
  for (let i = top; i < Math.min(p.events.length, top + rows); i++) {
    const e = p.events[i]!;
    const isCursor = i === p.failed.cursor;
    const isMarked = Boolean(p.failed.marked[e.messageId]);
    const isTwin = Boolean(p.twins?.has(e.messageId));
    const texts = staticCells(e, cols);
    const line: Line = [];
    cols.forEach((c, j) => {
      if (j > 0) line.push({text: ' ', inverse: isCursor});
      if (c.id === 'mark') {
        line.push({text: `${isMarked ? '●' : ' '}${isTwin ? '⇄' : ' '}`, role: 'accent', bold: true, inverse: isCursor});
        return;
      }
      const text = c.id === 'age' ? cell(cellValue(c, e, p.now), c.width, c.align) : texts[j]!;
      const tone = c.id === 'error' || (c.id === 'condition' && e.condition && e.condition !== 'RetriesExhausted') ? 'warning' : c.id === 'age' || c.id === 'size' ? 'muted' : undefined;
      line.push({text, tone: isCursor ? undefined : tone, inverse: isCursor, bold: isMarked});
    });
    out.push(line);
  }
  return out;
}

export function failedLayout(p: FailedListProps): {header: Line[]; rows: number} {
  const header = failedHeaderLines(p);
  return {header, rows: Math.max(1, p.height - header.length - 1)};
}

export function FailedEventsView(props: FailedListProps): React.JSX.Element {
  const topRef = useRef(0);
  const {header, rows} = failedLayout(props);
  const top = scrollTop(topRef.current, props.failed.cursor, rows, props.events.length);
  topRef.current = top;
  const body = failedRowLines(props, top, rows);
  if (props.events.length === 0) {
    const loaded = props.loadedCount;
    const anyLoading = props.failed.sources.some((s) => s.loading) || props.failed.sources.length === 0;
    body.push([
      {
        text: anyLoading && loaded === 0 ? 'peeking…' : loaded > 0 ? 'no event matches the filter' : 'no failed events in these queues',
        tone: 'muted',
      },
    ]);
  }
  while (body.length < rows) body.push([]);
  const footer = failedFooterLine(props);
  const position = props.events.length ? `${props.failed.cursor + 1}/${formatCount(props.events.length)}` : '';
  const footerWidth = footer.reduce((n, s) => n + displayWidth(s.text), 0);
  const footerLine: Line = [...footer, {text: ' '.repeat(Math.max(1, props.width - footerWidth - position.length))}, {text: position, tone: 'muted'}];
  return <ListLines lines={[...header, ...body, footerLine]} width={props.width} height={props.height} rowsFrom={header.length} rowsTo={header.length + body.length} />;
}

/** Segments of an event row before its clock-independent part: the mark, a space, the age, a space. */
const ROW_CLOCK_SEGMENTS = 4;

/** The list's block of exactly `height` rows (as Lines in AnsiLine.tsx; each a Row, drawn again only when its text or
 * style changed, so `j` redraws the two rows the cursor left and reached and the footer, not the whole table);
 * lines [rowsFrom, rowsTo) are table rows (drawn split: an event's age is a text node of its own, and every table
 * row has the same node structure). */
function ListLines({lines, width, height, rowsFrom, rowsTo}: {lines: Line[]; width: number; height: number; rowsFrom: number; rowsTo: number}): React.JSX.Element {
  const shown = lines.slice(0, Math.max(0, height));
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {shown.map((line, i) => (
        <Row key={i} line={line} width={width} split={i >= rowsFrom && i < rowsTo ? ROW_CLOCK_SEGMENTS : 0} />
      ))}
      {Array.from({length: Math.max(0, height - shown.length)}, (_, i) => (
        <Text key={`b${i}`}> </Text>
      ))}
    </Box>
  );
}
