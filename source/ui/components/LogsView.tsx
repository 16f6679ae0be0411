// The logs panel (`L`): a live tail of the function's log group. A header says how it reads (Live Tail, or
// polling FilterLogEvents and why), what it shows (failures or every line, the filter), whether it is paused or
// following, and the counts; below, the lines (structured ones compact: level, message, a few keys), each
// sanitised and cut by display width (domain/log-format.ts), scrolled or following the newest.
// `logsLayout` is pure and exported: the App uses its geometry for the keys (page size, last scroll).
import React from 'react';
import {formatCount} from '../../domain/format.ts';
import {formatTailEvent} from '../../domain/log-format.ts';
import {sanitizeLine, sanitizeText} from '../../domain/sanitize.ts';
import type {LogTailState, TailLine, TailModeState} from '../../store/types.ts';
import {truncateToWidth, wrapText, type Line} from '../text.ts';
import {Lines} from './StyledLine.tsx';

interface Laid {
  width: number;
  rows: Line[];
}

/** Rows of a line at a width, and its searchable text: computed once per line (the scrollback holds thousands). */
/** Exact counts (the header is about these lines, not a rate). */
const count = (n: number): string => n.toLocaleString('en-US');

const laidOut = new WeakMap<TailLine, Laid>();
const searchText = new WeakMap<TailLine, string>();

function rowsOf(line: TailLine, width: number): Line[] {
  const cached = laidOut.get(line);
  if (cached && cached.width === width) return cached.rows;
  const platform = line.read.kind === 'start' || line.read.kind === 'end' || line.read.kind === 'report';
  const tone = line.failure ? 'critical' : platform ? 'muted' : undefined;
  const rows = formatTailEvent(line, line.read, {width}).map((text, i): Line => [{text, ...(i === 0 && tone ? {tone} : i > 0 ? {tone: 'muted'} : {})}]);
  laidOut.set(line, {width, rows});
  return rows;
}

/** The filter matches the line as sanitised (what can be shown), case-insensitively: as `logs --tail --filter`. */
function matches(line: TailLine, needle: string): boolean {
  if (needle === '') return true;
  let text = searchText.get(line);
  if (text === undefined) searchText.set(line, (text = sanitizeText(line.message).toLowerCase()));
  return text.includes(needle);
}

export function modeWords(mode: TailModeState): string {
  switch (mode.kind) {
    case 'connecting':
      return 'connecting…';
    case 'live-tail':
      return 'live tail (StartLiveTail: billed per minute while open, closed when you leave)';
    case 'polling':
      return `polling FilterLogEvents every ${formatCount(mode.intervalMs / 1000)} s (StartLiveTail not available: ${mode.reason})`;
    case 'stopped':
      return `stopped: ${mode.reason}`;
  }
}

export interface LogsLayout {
  header: Line[];
  body: Line[];
  bodyHeight: number;
  /** The first row shown, and the last it can be. */
  scroll: number;
  maxScroll: number;
  totalRows: number;
}

export function logsLayout(tail: LogTailState, width: number, height: number): LogsLayout {
  const lines = tail.frozen?.lines ?? tail.lines;
  const needle = tail.filter.text.trim().toLowerCase();
  const shown = lines.filter((l) => (tail.showAll || l.failure) && matches(l, needle));
  const rows: Line[] = [];
  for (const line of shown) rows.push(...rowsOf(line, width));

  const cut = (text: string): string => sanitizeLine(text, width);
  const header: Line[] = [];
  // The mode wraps to a second row rather than lose its reason.
  const modeTone = tail.mode.kind === 'stopped' ? 'critical' : tail.mode.kind === 'polling' ? 'warning' : 'normal';
  const [first = '', second] = wrapText(sanitizeText(`${tail.logGroup ?? ''} · ${modeWords(tail.mode)}`), Math.max(8, width - 5));
  header.push([{text: 'Logs ', bold: true, role: 'accent'}, {text: first, tone: modeTone}]);
  if (second !== undefined) header.push([{text: '     '}, {text: truncateToWidth(second, Math.max(8, width - 5)), tone: modeTone}]);
  const what = tail.showAll ? 'every line (t: failures only)' : 'failures only (t: every line)';
  const state = tail.paused
    ? `PAUSED, ${count(tail.received - (tail.frozen?.received ?? tail.received))} new lines since (space resumes)`
    : tail.following
      ? 'following'
      : 'scrolled (f follows)';
  const filter = tail.filter.editing ? ` · filter: ${tail.filter.text}▏` : tail.filter.text ? ` · filter "${tail.filter.text}"` : '';
  const kept = tail.capacity !== null && tail.dropped > 0 ? ` (newest ${count(tail.capacity)} kept)` : '';
  header.push([{text: cut(`${count(shown.length)} shown of ${count(tail.received)} read${kept} · ${state} · ${what}${filter}`), tone: tail.paused ? 'warning' : 'muted'}]);
  if (tail.error) header.push([{text: cut(tail.error), tone: 'warning'}]);

  const bodyHeight = Math.max(1, height - header.length);
  const maxScroll = Math.max(0, rows.length - bodyHeight);
  const scroll = tail.following ? maxScroll : Math.min(tail.scroll, maxScroll);
  let body = rows.slice(scroll, scroll + bodyHeight);
  if (rows.length === 0) {
    const why =
      tail.mode.kind === 'stopped'
        ? 'the tail stopped (see above)'
        : tail.received === 0
          ? 'no lines read yet'
          : needle !== ''
            ? `no line matches the filter among the ${count(lines.length)} kept`
            : `no failure line among the ${count(lines.length)} read (t shows every line)`;
    body = [[{text: why, tone: 'muted'}]];
  }
  return {header, body, bodyHeight, scroll, maxScroll, totalRows: rows.length};
}

export function LogsView({layout, width, height}: {layout: LogsLayout; width: number; height: number}): React.JSX.Element {
  return <Lines lines={[...layout.header, ...layout.body]} width={width} height={height} />;
}
