// The failure queues (and SQS sources): depth, in flight, delayed, oldest message, retention left for
// that oldest message, and a depth trend. A queue that cannot be read says why, in its row.
import React from 'react';
import {sanitizeLine} from '../../domain/sanitize.ts';
import {cell, type Line} from '../text.ts';
import type {QueueRow} from '../view-model.ts';
import {titleLine} from './panel.ts';
import {Lines} from './StyledLine.tsx';
import {countRender} from '../render-probe.ts';

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

export function queueColumns(width: number, compact: boolean): {role: number; name: number; cols: Column[]} {
  const cols: Column[] = compact
    ? [
        {title: 'visible', width: 7, align: 'right'},
        {title: 'oldest', width: 9, align: 'right'},
        {title: 'ret. left', width: 10, align: 'right'},
      ]
    : [
        {title: 'visible', width: 8, align: 'right'},
        {title: 'in flight', width: 9, align: 'right'},
        {title: 'delayed', width: 7, align: 'right'},
        {title: 'oldest', width: 13, align: 'right'},
        {title: 'retention left', width: 14, align: 'right'},
        {title: 'trend', width: 9, align: 'right'},
      ];
  const role = compact ? 9 : 11;
  const fixed = 1 + role + 1 + cols.reduce((n, c) => n + c.width + 1, 0);
  const name = Math.max(6, width - fixed);
  return {role, name, cols};
}

export function queueLines(
  rows: QueueRow[],
  width: number,
  options: {compact: boolean; focused: boolean; loading: boolean; error: string | null; noQueuesText: string},
): Line[] {
  const lines: Line[] = [titleLine('Queues', rows.length ? `${rows.length}` : '', width, options.focused)];
  if (rows.length === 0) {
    if (options.error) lines.push([{text: ' '}, {text: sanitizeLine(options.error, width - 1), tone: 'critical'}]);
    else lines.push([{text: ' '}, {text: options.loading ? 'loading…' : options.noQueuesText, tone: 'muted'}]);
    return lines;
  }
  const {role, name, cols} = queueColumns(width, options.compact);
  lines.push([
    {text: ' ' + cell('role', role) + ' ' + cell('name', name) + cols.map((c) => ' ' + cell(c.title, c.width, c.align)).join(''), tone: 'muted'},
  ]);
  for (const r of rows) {
    const head: Line = [{text: ' '}, {text: cell(r.role, role), bold: true}, {text: ' '}, {text: cell(sanitizeLine(r.name, name), name)}];
    if (r.error) {
      lines.push([...head, {text: ' '}, {text: sanitizeLine(r.error, Math.max(1, width - 3 - role - name)), tone: 'critical'}]);
      continue;
    }
    const values: Array<[string, Line[number]['tone']]> = options.compact
      ? [
          [r.visible, r.depthTone],
          [r.oldest, 'normal'],
          [r.retentionLeft, r.retentionTone],
        ]
      : [
          [r.visible, r.depthTone],
          [r.inFlight, 'normal'],
          [r.delayed, 'normal'],
          [r.oldest, 'normal'],
          [r.retentionLeft, r.retentionTone],
          [r.trend, r.trendTone],
        ];
    const line: Line = [...head];
    values.forEach(([text, tone], i) => {
      line.push({text: ' '}, {text: cell(text, cols[i]!.width, 'right'), tone: tone === 'ok' ? 'normal' : tone, bold: tone === 'critical'});
    });
    lines.push(line);
  }
  // Why an age is a bound (≥ / ≤): our peeks hid messages from the age metric, the age is from peeked timestamps,
  // or a source DLQ expires messages from their first enqueue. One muted line per such queue.
  for (const r of rows) {
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
}): React.JSX.Element {
  countRender('QueuesPanel');
  const lines = queueLines(props.rows, props.width, props);
  return <Lines lines={lines} width={props.width} {...(props.height !== undefined ? {height: props.height} : {})} />;
});
