// The logs panel (`L`): a live tail of the function's log group. A header says how it reads (Live Tail, or
// polling FilterLogEvents and why), what it shows (failures or every line, the filter), whether it is paused or
// following, and the counts; below, the lines (structured ones compact: level, message, a few keys), each
// sanitised and cut by display width (domain/log-format.ts), scrolled or following the newest. Of the thousands
// of lines kept, only those on screen are formatted (each once, cached); a row still on screen is not drawn again.
// `logsLayout` is pure and exported: the App uses its geometry for the keys (page size, last scroll).
import React from 'react';
import {Box, Text} from 'ink';
import {formatCount} from '../../domain/format.ts';
import {formatTailEvent, tailEventRows} from '../../domain/log-format.ts';
import {sanitizeLine, sanitizeText} from '../../domain/sanitize.ts';
import type {LogTailState, TailLine, TailModeState} from '../../store/types.ts';
import {truncateToWidth, wrapText, type Line} from '../text.ts';
import {StyledLine} from './StyledLine.tsx';

interface Laid {
  width: number;
  rows: Line[];
}

/** Exact counts (the header is about these lines, not a rate). */
const count = (n: number): string => n.toLocaleString('en-US');

/** Rows of a line at a width, its row count and its searchable text: computed once per line (the scrollback
 * holds thousands), and only for the lines on screen. */
const laidOut = new WeakMap<TailLine, Laid>();
const rowCounts = new WeakMap<TailLine, number>();
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

/** Rows a line takes (cached: it does not depend on the width). */
function rowCount(line: TailLine): number {
  let n = rowCounts.get(line);
  if (n === undefined) rowCounts.set(line, (n = tailEventRows(line, line.read)));
  return n;
}

export function logsLayout(tail: LogTailState, width: number, height: number): LogsLayout {
  const lines = tail.frozen?.lines ?? tail.lines;
  const needle = tail.filter.text.trim().toLowerCase();
  const visible = (l: TailLine) => (tail.showAll || l.failure) && matches(l, needle);
  // One pass over the kept lines (thousands) counting rows; only the rows on screen are formatted below.
  let shownCount = 0;
  let totalRows = 0;
  for (const line of lines) {
    if (!visible(line)) continue;
    shownCount++;
    totalRows += rowCount(line);
  }

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
  header.push([{text: cut(`${count(shownCount)} shown of ${count(tail.received)} read${kept} · ${state} · ${what}${filter}`), tone: tail.paused ? 'warning' : 'muted'}]);
  if (tail.sampled > 0) {
    const updates = `${count(tail.sampled)} update${tail.sampled === 1 ? '' : 's'}`;
    header.push([{text: cut(`Live Tail sampled ${updates}: the service sends at most 500 lines a second, not every line was sent`), tone: 'warning'}]);
  }
  if (tail.error) header.push([{text: cut(tail.error), tone: 'warning'}]);

  const bodyHeight = Math.max(1, height - header.length);
  const maxScroll = Math.max(0, totalRows - bodyHeight);
  const scroll = tail.following ? maxScroll : Math.min(tail.scroll, maxScroll);
  let body = windowRows(lines, visible, scroll, totalRows, bodyHeight, width);
  if (totalRows === 0) {
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
  return {header, body, bodyHeight, scroll, maxScroll, totalRows};
}

/** Rows [scroll, scroll + height) of the visible lines, formatting only the lines that hold them: walked from the
 * newer end when the window is nearer to it (following: the last screenful), else from the older end. */
function windowRows(lines: readonly TailLine[], visible: (l: TailLine) => boolean, scroll: number, totalRows: number, height: number, width: number): Line[] {
  const end = Math.min(totalRows, scroll + height);
  if (end <= scroll) return [];
  const out: Line[] = [];
  if (totalRows - end < scroll) {
    // From the newest line back: `after` = rows below the current line.
    let after = 0;
    const picked: Line[][] = [];
    for (let i = lines.length - 1; i >= 0 && after < totalRows - scroll; i--) {
      const line = lines[i]!;
      if (!visible(line)) continue;
      const n = rowCount(line);
      const top = totalRows - after - n; // this line's first row
      after += n;
      if (top >= end) continue;
      const rows = rowsOf(line, width);
      picked.push(rows.slice(Math.max(0, scroll - top), Math.min(n, end - top)));
    }
    for (let i = picked.length - 1; i >= 0; i--) out.push(...picked[i]!);
    return out;
  }
  let top = 0;
  for (let i = 0; i < lines.length && top < end; i++) {
    const line = lines[i]!;
    if (!visible(line)) continue;
    const n = rowCount(line);
    if (top + n > scroll) out.push(...rowsOf(line, width).slice(Math.max(0, scroll - top), Math.min(n, end - top)));
    top += n;
  }
  return out;
}

/** A body row drawn again only when it is another row: rows are cached per line, so a row that stays on screen
 * (a key that changes the header, a paused panel, a scrolled one while lines arrive) is the same object. */
const Row = React.memo(StyledLine);
const rowIds = new WeakMap<Line, number>();
let nextRowId = 0;
function rowKey(line: Line): number {
  let id = rowIds.get(line);
  if (id === undefined) rowIds.set(line, (id = nextRowId++));
  return id;
}

export function LogsView({layout, width, height}: {layout: LogsLayout; width: number; height: number}): React.JSX.Element {
  const header = layout.header.slice(0, height);
  const body = layout.body.slice(0, Math.max(0, height - header.length));
  const blanks = Math.max(0, height - header.length - body.length);
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {header.map((line, i) => (
        <StyledLine key={`h${i}`} line={line} width={width} />
      ))}
      {body.map((line) => (
        <Row key={rowKey(line)} line={line} width={width} />
      ))}
      {Array.from({length: blanks}, (_, i) => (
        <Text key={`b${i}`}> </Text>
      ))}
    </Box>
  );
}
