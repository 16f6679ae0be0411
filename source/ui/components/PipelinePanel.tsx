// The async pipeline as a flow: received -> queued -> invoked (errors, throttles, duration) -> dropped /
// failure targets. Each row: the last complete minute's value and a sparkline over the window.
import React from 'react';
import {sparkline} from '../../domain/sparkline.ts';
import {cell, type Line} from '../text.ts';
import {formatWindow, type PipelineRow} from '../view-model.ts';
import {cellSegment, titleLine} from './panel.ts';
import {Lines} from './StyledLine.tsx';
import {countRender} from '../render-probe.ts';

export interface PipelineGeometry {
  label: number;
  value: number;
  spark: number;
  note: number;
}

export function pipelineGeometry(width: number, compact: boolean): PipelineGeometry {
  const label = compact ? 11 : 13;
  const value = compact ? 11 : 13;
  const rest = Math.max(0, width - (2 + label + 1 + value + 1));
  const note = rest > 24 ? Math.min(30, rest - 21) : 0;
  const spark = Math.max(0, rest - note - (note > 0 ? 1 : 0));
  return {label, value, spark, note};
}

/** Rows given up first when the panel is shorter than all of them (a short terminal: the diagnosis and the queue
 * names win, issue 7): rows with no data (an SQS-fed function has no async events), duration, the target rows (the
 * header names the targets and their depth), errors and throttles at 0, queued, then errors and throttles. The
 * flow's stages received, invoked, dropped and "failures to nowhere" stay. */
const quiet = (r: PipelineRow): boolean => r.value.kind === 'value' && (r.value.tone === 'ok' || r.value.tone === 'muted');
const DROP_ORDER: ReadonlyArray<(row: PipelineRow) => boolean> = [
  (r) => r.value.kind === 'unknown' && r.id !== 'targets' && !r.sub,
  (r) => r.id === 'duration',
  (r) => r.sub === true,
  (r) => r.id.startsWith('target-'),
  (r) => (r.id === 'errors' || r.id === 'throttles') && quiet(r),
  (r) => r.id === 'queued',
  (r) => r.id === 'throttles',
  (r) => r.id === 'errors',
];

/** The rows that fit `height` lines (with the title), in their order, with the tree glyphs redrawn. */
export function pipelineRowsFor(rows: PipelineRow[], height: number | undefined): PipelineRow[] {
  if (height === undefined || rows.length + 1 <= height) return rows;
  let kept = rows;
  for (const drop of DROP_ORDER) {
    if (kept.length + 1 <= height) break;
    kept = kept.filter((r) => !drop(r));
  }
  const child = (r: PipelineRow | undefined): boolean => r !== undefined && !r.sub && (r.glyph === '├' || r.glyph === '└');
  // Another branch below (a destination's rows sit between branches): ├ and │, else └ and blank.
  const branchFollows = (i: number): boolean => {
    for (let j = i + 1; j < kept.length; j++) if (!kept[j]!.sub) return child(kept[j]);
    return false;
  };
  return kept.map((r, i) => (r.sub ? {...r, glyph: branchFollows(i) ? '│' : ' '} : child(r) ? {...r, glyph: branchFollows(i) ? '├' : '└'} : r));
}

export function pipelineLines(rows: PipelineRow[], width: number, options: {compact: boolean; windowMs: number; focused: boolean; subtitle?: string; height?: number}): Line[] {
  const g = pipelineGeometry(width, options.compact);
  const lines: Line[] = [titleLine('Pipeline', options.subtitle ?? `last complete minute · ${formatWindow(options.windowMs)}`, width, options.focused)];
  for (const row of pipelineRowsFor(rows, options.height)) {
    const stage = row.glyph === '▸';
    if (row.wide && row.value.kind === 'value') {
      const hint = row.opens && options.focused ? ' · enter opens' : '';
      lines.push([
        {text: `${row.glyph} `, tone: 'muted'},
        {text: cell(row.label, g.label)},
        {text: ' '},
        {text: cell(row.value.text + hint, Math.max(0, width - 2 - g.label - 1)), tone: row.value.tone},
      ]);
      continue;
    }
    const noteText = row.note ?? (row.value.kind === 'unknown' && row.value.reason ? `(${row.value.reason})` : '');
    const line: Line = [
      {text: `${row.glyph} `, tone: stage ? 'normal' : 'muted', role: stage ? 'accent' : undefined},
      {text: cell(row.label, g.label), bold: stage},
      {text: ' '},
      cellSegment(row.value, cell(row.value.kind === 'value' ? row.value.text : row.value.kind === 'loading' ? 'loading…' : '—', g.value, 'right')),
      {text: ' '},
    ];
    if (g.spark > 0) {
      const spark = row.spark && row.spark.length > 0 ? sparkline(row.spark, g.spark) : ' '.repeat(g.spark);
      line.push({text: cell(spark, g.spark, 'right'), tone: row.sparkTone === 'normal' ? undefined : row.sparkTone, role: row.sparkTone === 'normal' ? 'accent' : undefined});
    }
    if (g.note > 0 && noteText) line.push({text: ' '}, {text: cell(noteText, g.note), tone: row.noteTone});
    lines.push(line);
  }
  return lines;
}

export interface PipelinePanelProps {
  rows: PipelineRow[];
  width: number;
  height?: number;
  compact: boolean;
  windowMs: number;
  focused: boolean;
  /** Period, completeness and window (view-model's pipelineSubtitle). */
  subtitle?: string;
}

/** Memoised: redraws only when its props change (not on clock ticks or syncing flips). */
export const PipelinePanel = React.memo(function PipelinePanel(props: PipelinePanelProps): React.JSX.Element {
  countRender('PipelinePanel');
  const lines = pipelineLines(props.rows, props.width, props);
  return <Lines lines={lines} width={props.width} {...(props.height !== undefined ? {height: props.height} : {})} />;
});
