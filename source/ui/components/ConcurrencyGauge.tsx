// Concurrency: the function's current executions against its limit (reserved, else the account's
// unreserved pool), as a bar; account figures and provisioned utilisation beside it.
import React from 'react';
import {formatCount, formatPercent} from '../../domain/format.ts';
import type {Line, Segment} from '../text.ts';
import {displayWidth} from '../text.ts';
import type {ConcurrencyModel} from '../view-model.ts';
import {cellSegment} from './panel.ts';
import {Lines} from './StyledLine.tsx';
import {countRender} from '../render-probe.ts';

export function gaugeBar(ratio: number, width: number): {filled: string; empty: string} {
  const w = Math.max(0, width);
  const filled = Math.max(0, Math.min(w, Math.round(Math.min(1, Math.max(0, ratio)) * w)));
  return {filled: '█'.repeat(filled), empty: '░'.repeat(w - filled)};
}

export function concurrencyLines(model: ConcurrencyModel, width: number, options: {compact: boolean; focused: boolean}): Line[] {
  const label: Segment = options.focused
    ? {text: ' Concurrency ', inverse: true, bold: true, role: 'accent'}
    : {text: 'Concurrency ', bold: true, role: 'accent'};
  const figures: Segment[] = [
    cellSegment(model.current),
    {text: ` / ${formatCount(model.limit)} ${model.limitLabel}`, tone: model.limit === null ? 'muted' : 'normal'},
  ];
  const figuresWidth = figures.reduce((n, s) => n + displayWidth(s.text), 0);
  const barWidth = Math.max(6, Math.min(options.compact ? 16 : 30, width - displayWidth(label.text) - figuresWidth - 4));
  const line: Line = [label];
  if (model.ratio !== null) {
    const bar = gaugeBar(model.ratio, barWidth);
    line.push({text: '▕', tone: 'muted'}, {text: bar.filled, tone: model.tone}, {text: bar.empty, tone: 'muted'}, {text: '▏ ', tone: 'muted'});
  } else {
    line.push({text: '▕' + ' '.repeat(barWidth) + '▏ ', tone: 'muted'});
  }
  line.push(...figures);
  if (model.ratio !== null) line.push({text: ` (${formatPercent(model.ratio)})`, tone: model.tone});

  const extras: Segment[] = [];
  if (model.accountLimit !== null) {
    extras.push({text: `account ${formatCount(model.accountLimit)}`, tone: 'muted'});
    if (model.accountUnreserved !== null) extras.push({text: `, ${formatCount(model.accountUnreserved)} unreserved`, tone: 'muted'});
  }
  if (model.provisioned) {
    extras.push({text: `${extras.length ? ' · ' : ''}provisioned ${formatCount(model.provisioned.allocated)}`, tone: 'normal'});
    if (model.provisioned.utilization !== null) {
      const u = model.provisioned.utilization;
      extras.push({text: ` (${formatPercent(u)} used)`, tone: u >= 0.9 ? 'warning' : 'muted'});
    }
  }
  const lines: Line[] = [];
  const lineWidth = line.reduce((n, s) => n + displayWidth(s.text), 0);
  const extrasWidth = extras.reduce((n, s) => n + displayWidth(s.text), 0);
  if (extras.length && lineWidth + 3 + extrasWidth <= width) {
    lines.push([...line, {text: ' · ', tone: 'muted'}, ...extras]);
  } else {
    lines.push(line);
    if (extras.length && !options.compact) lines.push([{text: '            '}, ...extras]);
  }
  if (model.note) lines.push([{text: '            '}, {text: model.note, tone: model.tone === 'critical' ? 'critical' : 'muted'}]);
  return lines;
}

/** Memoised: redraws only when its props change (not on clock ticks or syncing flips). */
export const ConcurrencyGauge = React.memo(function ConcurrencyGauge(props: {model: ConcurrencyModel; width: number; height?: number; compact: boolean; focused: boolean}): React.JSX.Element {
  countRender('ConcurrencyGauge');
  const lines = concurrencyLines(props.model, props.width, props);
  return <Lines lines={lines} width={props.width} {...(props.height !== undefined ? {height: props.height} : {})} />;
});
