// Redrive: the confirmation (what, from where, to where, how fast, what it means) and the progress of
// the running job (bar, counts, rate, ETA, then a summary). Also the generic yes/no dialog.
import React from 'react';
import {Box} from 'ink';
import {formatCount, formatDurationMs, formatRate} from '../../domain/format.ts';
import {sanitizeLine, sanitizeText} from '../../domain/sanitize.ts';
import type {ConfirmDialog, RedriveJobState, RedrivePlan} from '../../store/types.ts';
import {cell, wrapText, type Line} from '../text.ts';
import {roleLabel} from '../view-model.ts';
import {gaugeBar} from './ConcurrencyGauge.tsx';
import {Lines} from './StyledLine.tsx';
import {useTheme} from '../theme.tsx';

export const dialogWidth = (width: number): number => Math.max(20, Math.min(76, width - 4));

function paragraph(text: string, width: number, tone?: Line[number]['tone']): Line[] {
  return wrapText(text, width).map((t) => [{text: t, tone}]);
}

export function redriveConfirmLines(plan: RedrivePlan, width: number): Line[] {
  const inner = width - 4;
  const count = `${formatCount(plan.count)}${plan.countIsEstimate ? '+' : ''} event${plan.count === 1 ? '' : 's'}`;
  const lines: Line[] = [
    [{text: plan.dryRun ? 'Dry run: redrive ' : 'Redrive ', bold: true}, {text: count, bold: true, tone: 'warning'}, {text: '?', bold: true}],
    [],
    [{text: cell('from', 8), tone: 'muted'}, {text: `${plan.sourceRole ? roleLabel(plan.sourceRole) + ' ' : ''}${sanitizeLine(plan.sourceName, inner - 12)}`}],
    [{text: cell('to', 8), tone: 'muted'}, {text: sanitizeLine(plan.targetDescription, inner - 8)}],
    [{text: cell('rate', 8), tone: 'muted'}, {text: plan.ratePerSecond === null ? 'chosen by the service' : formatRate(plan.ratePerSecond)}],
  ];
  if (plan.ratePerSecond) lines.push([{text: cell('takes', 8), tone: 'muted'}, {text: `about ${formatDurationMs((plan.count / plan.ratePerSecond) * 1000)}`}]);
  lines.push([]);
  lines.push(...paragraph('Each event is removed from its queue only after the replacement was accepted. Handlers see these events again: make sure they are idempotent.', inner, 'muted'));
  for (const w of plan.warnings) lines.push(...paragraph(`⚠ ${sanitizeText(w)}`, inner, 'warning'));
  lines.push([]);
  lines.push([{text: 'y', role: 'key', bold: true}, {text: plan.dryRun ? ' run the dry run   ' : ' redrive   '}, {text: 'n', role: 'key', bold: true}, {text: '/'}, {text: 'esc', role: 'key', bold: true}, {text: ' cancel'}]);
  return lines;
}

export function redriveProgressLines(job: RedriveJobState, width: number): Line[] {
  const inner = width - 4;
  const p = job.progress;
  const done = p.total > 0 ? (p.total - p.remaining) / p.total : job.phase === 'done' ? 1 : 0;
  const bar = gaugeBar(done, Math.max(10, inner - 8));
  const tone = job.phase === 'failed' ? 'critical' : p.failed > 0 ? 'warning' : 'ok';
  const title =
    job.phase === 'running'
      ? job.cancelling
        ? 'Cancelling: finishing the message in flight…'
        : `Redriving ${formatCount(p.total)} events${job.plan.dryRun ? ' (dry run)' : ''}`
      : job.phase === 'done'
        ? `Redrive finished${job.plan.dryRun ? ' (dry run)' : ''}`
        : 'Redrive stopped';
  const lines: Line[] = [
    [{text: title, bold: true, tone: job.phase === 'running' ? undefined : tone}],
    [{text: sanitizeLine(`${job.plan.sourceName} → ${job.plan.targetDescription}`, inner), tone: 'muted'}],
    [],
    [{text: bar.filled, tone}, {text: bar.empty, tone: 'muted'}, {text: ` ${String(Math.floor(done * 100)).padStart(3)}%`}],
    [
      {text: 'sent ', tone: 'muted'},
      {text: formatCount(p.sent)},
      {text: '  accepted ', tone: 'muted'},
      {text: formatCount(p.accepted), tone: 'ok'},
      {text: '  failed ', tone: 'muted'},
      {text: formatCount(p.failed), tone: p.failed > 0 ? 'critical' : undefined, bold: p.failed > 0},
      {text: '  skipped ', tone: 'muted'},
      {text: formatCount(p.skipped), tone: p.skipped > 0 ? 'warning' : undefined},
      {text: '  left ', tone: 'muted'},
      {text: formatCount(p.remaining)},
    ],
    [
      {text: 'rate ', tone: 'muted'},
      {text: formatRate(p.ratePerSecond)},
      {text: '  eta ', tone: 'muted'},
      {text: job.phase === 'running' && p.etaSeconds !== null ? formatDurationMs(p.etaSeconds * 1000) : '—'},
    ],
  ];
  if (p.lastError) lines.push(...paragraph(`last error: ${sanitizeText(p.lastError)}`, inner, 'critical'));
  if (job.summary) {
    lines.push([]);
    lines.push(...paragraph(sanitizeText(job.summary, {multiline: true}), inner, job.phase === 'failed' ? 'critical' : undefined));
  }
  if (job.journalPath) lines.push([{text: 'journal ', tone: 'muted'}, {text: sanitizeLine(job.journalPath, inner - 8)}]);
  lines.push([]);
  lines.push(
    job.phase === 'running'
      ? [{text: 'c', role: 'key', bold: true}, {text: ' cancel (events not yet sent stay in their queue)', tone: 'muted'}]
      : [{text: 'enter', role: 'key', bold: true}, {text: ' close', tone: 'muted'}],
  );
  return lines;
}

export function confirmDialogLines(dialog: ConfirmDialog, width: number): Line[] {
  return [
    [{text: sanitizeText(dialog.title), bold: true, tone: 'warning'}],
    [],
    ...paragraph(sanitizeText(dialog.message), width - 4),
    [],
    [{text: 'y', role: 'key', bold: true}, {text: ' yes   '}, {text: 'n', role: 'key', bold: true}, {text: '/'}, {text: 'esc', role: 'key', bold: true}, {text: ' no'}],
  ];
}

/** A bordered box centred in the area. */
export function DialogBox({lines, width, height, tone}: {lines: Line[]; width: number; height: number; tone?: 'warning' | 'critical'}): React.JSX.Element {
  const theme = useTheme();
  const w = dialogWidth(width);
  const inner = w - 4;
  const shown = lines.slice(0, Math.max(1, height - 2));
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center" flexDirection="column">
      <Box borderStyle="round" borderColor={tone === 'critical' ? theme.critical : tone === 'warning' ? theme.warning : theme.accent} paddingX={1} width={w} flexDirection="column">
        <Lines lines={shown} width={inner} />
      </Box>
    </Box>
  );
}

export function RedriveConfirm(props: {plan: RedrivePlan; width: number; height: number}): React.JSX.Element {
  return <DialogBox lines={redriveConfirmLines(props.plan, dialogWidth(props.width))} width={props.width} height={props.height} tone="warning" />;
}

export function RedriveProgressView(props: {job: RedriveJobState; width: number; height: number}): React.JSX.Element {
  const tone = props.job.phase === 'failed' ? 'critical' : undefined;
  return <DialogBox lines={redriveProgressLines(props.job, dialogWidth(props.width))} width={props.width} height={props.height} {...(tone ? {tone} : {})} />;
}

export function ConfirmDialogView(props: {dialog: ConfirmDialog; width: number; height: number}): React.JSX.Element {
  return <DialogBox lines={confirmDialogLines(props.dialog, dialogWidth(props.width))} width={props.width} height={props.height} tone="warning" />;
}
