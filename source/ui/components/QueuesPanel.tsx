// The failure queues (and SQS sources): depth, in flight, delayed, oldest message, retention left for
// that oldest message, and a depth trend. A queue that cannot be read says why, in its row.
import React from 'react';
import {sanitizeLine} from '../../domain/sanitize.ts';
import {cell, displayWidth, type Line} from '../text.ts';
import type {QueueRow} from '../view-model.ts';
import {titleLine} from './panel.ts';
import {Lines} from './StyledLine.tsx';
import {countRender} from '../render-probe.ts';

type ColumnKey = 'visible' | 'inFlight' | 'delayed' | 'oldest' | 'retentionLeft' | 'trend';

interface Column {
  key: ColumnKey;
  title: string;
  width: number;
  align: 'left' | 'right';
}

const ALL_COLUMNS: readonly Column[] = [
  {key: 'visible', title: 'visible', width: 8, align: 'right'},
  {key: 'inFlight', title: 'in flight', width: 9, align: 'right'},
  {key: 'delayed', title: 'delayed', width: 7, align: 'right'},
  {key: 'oldest', title: 'oldest', width: 12, align: 'right'},
  {key: 'retentionLeft', title: 'retention left', width: 14, align: 'right'},
  {key: 'trend', title: 'trend', width: 10, align: 'right'},
];
const COMPACT_TITLES: Partial<Record<ColumnKey, {title: string; width: number}>> = {
  visible: {title: 'visible', width: 7},
  inFlight: {title: 'in fl.', width: 6},
  oldest: {title: 'oldest', width: 11},
  retentionLeft: {title: 'ret. left', width: 12},
};
/** Dropped first to last while the queue names do not fit (issue 7: at 80 columns names win over the delayed and
 * retention columns); visible and oldest always stay. */
const DROP_ORDER: ReadonlyArray<ColumnKey | 'narrow'> = ['trend', 'delayed', 'narrow', 'retentionLeft', 'inFlight'];
/** Names are shown whole up to this width (longer ones are cut rather than drop every column). */
const NAME_WANT_MAX = 40;
const NAME_MIN = 6;

/** The columns that fit `width`, keeping `longestName` whole where dropping low-priority columns can. `keepAge`: some
 * rows show how old their reading is (in the trend column), so that column stays (names are cut first). */
export function queueColumns(width: number, compact: boolean, longestName = 0, keepAge = false): {role: number; name: number; cols: Column[]} {
  const role = 10; // "source DLQ"
  const narrow = (cs: Column[]): Column[] => cs.map((c) => (COMPACT_TITLES[c.key] ? {...c, ...COMPACT_TITLES[c.key]} : c));
  let cols: Column[] = ALL_COLUMNS.map((c) => ({...c}));
  if (compact) cols = narrow(cols.filter((c) => (c.key !== 'trend' || keepAge) && c.key !== 'delayed'));
  const nameFor = (cs: Column[]): number => width - (1 + role + 1 + cs.reduce((n, c) => n + c.width + 1, 0));
  const want = Math.min(NAME_WANT_MAX, Math.max(NAME_MIN, longestName));
  for (const step of DROP_ORDER) {
    if (nameFor(cols) >= want) break;
    if (step === 'trend' && keepAge) continue;
    cols = step === 'narrow' ? narrow(cols) : cols.filter((c) => c.key !== step);
  }
  return {role, name: Math.max(NAME_MIN, nameFor(cols)), cols};
}

/** Lines above the queue rows: the title and the column heads. */
export const QUEUE_HEAD_LINES = 2;

/** The queue rows a panel of `height` lines shows from row `scroll` (the scroll clamped to the rows there are). */
export function queueWindowFor(rowCount: number, height: number, scroll: number): {first: number; count: number} {
  const fit = Math.max(0, height - QUEUE_HEAD_LINES);
  const first = Math.max(0, Math.min(Math.floor(scroll), rowCount - fit));
  return {first, count: Math.max(0, Math.min(fit, rowCount - first))};
}

export function queueLines(
  rows: QueueRow[],
  width: number,
  options: {compact: boolean; focused: boolean; loading: boolean; error: string | null; noQueuesText: string; window?: {first: number; count: number}},
): Line[] {
  const inTurn = rows.filter((r) => r.readAgo !== null).length;
  // a panel that shows some of the rows says which ones
  const w = options.window;
  const range = w && w.count < rows.length ? ` · ${w.first + 1}-${w.first + w.count}` : '';
  // many queues: those on screen are read every refresh, the others in turn (their readings' age in the trend column)
  const lines: Line[] = [titleLine('Queues', rows.length ? `${rows.length}${range}${inTurn ? ` · ${inTurn} read in turn` : ''}` : '', width, options.focused)];
  if (rows.length === 0) {
    if (options.error) lines.push([{text: ' '}, {text: sanitizeLine(options.error, width - 1), tone: 'critical'}]);
    else lines.push([{text: ' '}, {text: options.loading ? 'loading…' : options.noQueuesText, tone: 'muted'}]);
    return lines;
  }
  const longest = Math.max(0, ...rows.map((r) => displayWidth(sanitizeLine(r.name, NAME_WANT_MAX))));
  const {role, name, cols} = queueColumns(width, options.compact, longest, inTurn > 0);
  lines.push([
    {text: ' ' + cell('role', role) + ' ' + cell('name', name) + cols.map((c) => ' ' + cell(c.title, c.width, c.align)).join(''), tone: 'muted'},
  ]);
  const shown = w ? rows.slice(w.first, w.first + w.count) : rows;
  for (const r of shown) {
    const head: Line = [{text: ' '}, {text: cell(r.role, role), bold: true}, {text: ' '}, {text: cell(sanitizeLine(r.name, name), name)}];
    if (r.error) {
      lines.push([...head, {text: ' '}, {text: sanitizeLine(r.error, Math.max(1, width - 3 - role - name)), tone: 'critical'}]);
      continue;
    }
    const value: Record<ColumnKey, [string, Line[number]['tone']]> = {
      visible: [r.visible, r.depthTone],
      inFlight: [r.inFlight, 'normal'],
      delayed: [r.delayed, 'normal'],
      oldest: [r.oldest, 'normal'],
      retentionLeft: [r.retentionLeft, r.retentionTone],
      trend: r.readAgo !== null ? [r.readAgo === 'not read' ? r.readAgo : `${r.readAgo} ago`, 'muted'] : [r.trend, r.trendTone],
    };
    const line: Line = [...head];
    for (const c of cols) {
      const [text, tone] = value[c.key];
      line.push({text: ' '}, {text: cell(text, c.width, 'right'), tone: tone === 'ok' ? 'normal' : tone, bold: tone === 'critical'});
    }
    lines.push(line);
  }
  // Why an age is a bound (≥ / ≤): our peeks hid messages from the age metric, the age is from peeked timestamps,
  // or a source DLQ expires messages from their first enqueue. One muted line per such queue.
  for (const r of shown) {
    if (!r.ageNote || r.error) continue;
    lines.push([{text: ' '}, {text: sanitizeLine(`${r.name}: ${r.ageNote}`, width - 1), tone: 'muted'}]);
  }
  return lines;
}

/** Memoised: redraws only when its props change (not on clock ticks or syncing flips). */
export const QueuesPanel = React.memo(function QueuesPanel(props: {
  rows: QueueRow[];
  width: number;
  height?: number;
  compact: boolean;
  focused: boolean;
  loading: boolean;
  error: string | null;
  noQueuesText: string;
  /** The rows shown (scrolled); absent: all of them. */
  window?: {first: number; count: number};
}): React.JSX.Element {
  countRender('QueuesPanel');
  const lines = queueLines(props.rows, props.width, props);
  return <Lines lines={lines} width={props.width} {...(props.height !== undefined ? {height: props.height} : {})} />;
});
