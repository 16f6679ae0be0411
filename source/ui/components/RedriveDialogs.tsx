// Redrive: the confirmation (what, from where, to where, how fast, what it means) and the progress of
// the running job (bar, counts, rate, ETA, then a summary). Also the generic yes/no dialog.
import React from 'react';
import {Box} from 'ink';
import {formatCount, formatDurationMs, formatRate} from '../../domain/format.ts';
import {sanitizeLine, sanitizeText} from '../../domain/sanitize.ts';
import type {AccountNaming, ConfirmDialog, RedriveJobState, RedrivePlan, RedriveProgress} from '../../store/types.ts';
import {accountText} from '../../domain/confirm-guard.ts';
import {cell, wrapText, type Line} from '../text.ts';
import {roleLabel} from '../view-model.ts';
import {gaugeBar} from './ConcurrencyGauge.tsx';
import {Lines} from './StyledLine.tsx';
import {useTheme} from '../theme.tsx';

export const dialogWidth = (width: number): number => Math.max(20, Math.min(76, width - 4));

function paragraph(text: string, width: number, tone?: Line[number]['tone']): Line[] {
  return wrapText(text, width).map((t) => [{text: t, tone}]);
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** "label   text" wrapped under its label: nothing the operator must read is cut. */
function labelled(label: string, text: string, inner: number, tone?: Line[number]['tone']): Line[] {
  return wrapText(text, Math.max(8, inner - 8)).map((t, i): Line => [{text: cell(i === 0 ? label : '', 8), tone: 'muted'}, {text: t, tone}]);
}

/** What a run reads before it starts, in words: the cost of a selection, or how a filter is applied. */
export function scopeLines(plan: RedrivePlan, inner: number): Line[] {
  const scope = plan.scope;
  if (!scope) return [];
  const label = (text: string): Line[number] => ({text: cell(text, 8), tone: 'muted'});
  if (scope.kind === 'selected') {
    const copies = scope.messages > scope.events ? ` (${plural(scope.messages, 'message')}: DLQ/destination twins are sent once, both copies deleted)` : '';
    const reads =
      scope.expired === 0
        ? `none: the ${plural(scope.held, 'receipt handle')} peeked ${scope.held === 1 ? 'is' : 'are'} still held, no other message is received`
        : `${plural(scope.expired, 'message')} no longer held: looked for by id in at most ${plural(scope.searchReceives, 'receive')}, touching at most ${plural(scope.maxMessagesTouched, 'message')} (receive count +1 each)${scope.held ? `; ${formatCount(scope.held)} still held` : ''}`;
    return [...labelled('events', `${formatCount(scope.events)} selected${copies}`, inner), ...labelled('reads', reads, inner, scope.expired ? 'warning' : undefined)];
  }
  const filter = scope.filter ? `"${sanitizeLine(scope.filter, inner - 20)}"` : 'none (every message)';
  const depth = scope.queueDepth === null ? 'an unknown number of' : `~${formatCount(scope.queueDepth)}`;
  const matching = scope.complete
    ? `${formatCount(scope.matchedLoaded)} of the ${plural(scope.readLoaded, 'message')} in the queue${scope.readLoaded === 1 ? '' : 's'} match`
    : `${formatCount(scope.matchedLoaded)} of ${plural(scope.readLoaded, 'message')} read so far match; the rest (${depth} in the queue) will be read and filtered as it goes (receive count +1 each)`;
  return [[label('filter'), {text: filter, bold: Boolean(scope.filter)}], ...labelled('matches', matching, inner)];
}

/** The account the run mutates: "account 123456789012 (acme-prod, PROD EU)", production in the warning colour. */
export function accountLine(account: AccountNaming | null | undefined, inner: number): Line[] {
  if (account === undefined) return [];
  const text = sanitizeLine(account ? accountText(account) : 'not known yet', inner - 20);
  const line: Line = [{text: cell('account', 8), tone: 'muted'}, {text, bold: Boolean(account?.production), tone: account?.production ? 'warning' : undefined}];
  if (account?.production) line.push({text: ' '}, {text: ' PRODUCTION ', inverse: true, bold: true, tone: 'warning'});
  return [line];
}

/** The name input of a dialog that asks for the function name: what to type, why, and what was typed. */
function typedNameLines(plan: RedrivePlan, typed: string, inner: number): Line[] {
  const name = sanitizeLine(plan.typeToConfirm ?? '', inner);
  const matches = typed === plan.typeToConfirm;
  const lines = paragraph(`Type the function name ${name} to confirm${plan.typeReason ? ` (${sanitizeLine(plan.typeReason, inner)})` : ''}:`, inner, 'warning');
  lines.push([{text: '> ', role: 'key', bold: true}, {text: sanitizeLine(typed, inner - 4), bold: true, tone: typed === '' || matches ? undefined : 'critical'}, {text: '█', tone: 'muted'}]);
  lines.push([]);
  lines.push([{text: 'enter', role: 'key', bold: true}, {text: matches ? (plan.dryRun ? ' run the dry run   ' : ' redrive   ') : ' (when the name matches)   ', tone: matches ? undefined : 'muted'}, {text: 'esc', role: 'key', bold: true}, {text: ' cancel'}]);
  return lines;
}

export function redriveConfirmLines(plan: RedrivePlan, width: number, typed = ''): Line[] {
  const inner = width - 4;
  const matching = plan.scope?.kind === 'matching';
  const count = matching
    ? `every event matching${plan.scope?.kind === 'matching' && plan.scope.filter ? ' the filter' : ''}`
    : `${formatCount(plan.count)}${plan.countIsEstimate ? '+' : ''} event${plan.count === 1 ? '' : 's'}`;
  const lines: Line[] = [
    [{text: plan.dryRun ? 'Dry run: redrive ' : 'Redrive ', bold: true}, {text: count, bold: true, tone: 'warning'}, {text: '?', bold: true}],
    [],
    [{text: cell('from', 8), tone: 'muted'}, {text: `${plan.sourceRole ? roleLabel(plan.sourceRole) + ' ' : ''}${sanitizeLine(plan.sourceName, inner - 12)}`}],
    [{text: cell('to', 8), tone: 'muted'}, {text: sanitizeLine(plan.targetDescription, inner - 8)}],
    ...accountLine(plan.account, inner),
    ...scopeLines(plan, inner),
    [{text: cell('rate', 8), tone: 'muted'}, {text: plan.ratePerSecond === null ? 'chosen by the service' : formatRate(plan.ratePerSecond)}],
  ];
  if (plan.ratePerSecond && !plan.countIsEstimate) lines.push([{text: cell('takes', 8), tone: 'muted'}, {text: `about ${formatDurationMs((plan.count / plan.ratePerSecond) * 1000)}`}]);
  if (plan.journalPath) lines.push(...labelled('journal', sanitizeText(plan.journalPath), inner));
  if (!plan.dryRun) lines.push(...loopLines(plan, inner));
  lines.push([]);
  lines.push(...paragraph('Each event is removed from its queue only after the replacement was accepted. Handlers see these events again: make sure they are idempotent.', inner, 'muted'));
  for (const w of plan.warnings) lines.push(...paragraph(`⚠ ${sanitizeText(w)}`, inner, 'warning'));
  lines.push([]);
  if (plan.typeToConfirm) {
    lines.push(...typedNameLines(plan, typed, inner));
    return lines;
  }
  lines.push([{text: 'y', role: 'key', bold: true}, {text: plan.dryRun ? ' run the dry run   ' : ' redrive   '}, {text: 'n', role: 'key', bold: true}, {text: '/'}, {text: 'esc', role: 'key', bold: true}, {text: ' cancel'}]);
  return lines;
}

/** The dialog's "after" line: what happens once the events are sent (tab cycles it). */
export function loopLines(plan: RedrivePlan, inner: number): Line[] {
  const n = plan.canarySize ?? 5;
  const text =
    plan.loop === 'canary'
      ? `canary: send ${formatCount(n)} first, follow them to their outcomes (up to the retry schedule, ~6 min), and send the rest only if all ${formatCount(n)} succeeded`
      : plan.loop === 'follow'
        ? 'follow every event to its outcome: succeeded / failed again / pending (logs and failure targets)'
        : 'nothing: send only (tab: follow outcomes, or a canary first)';
  return labelled('after', text, inner, plan.loop === 'canary' ? 'warning' : undefined);
}

/** The outcomes of the sent events as they arrive, the wait left, and the canary's verdict. */
export function outcomeLines(job: RedriveJobState, inner: number): Line[] {
  const o = job.outcomes;
  if (!o) return [];
  const wait = o.waitingMs !== null ? ` · waiting up to ${formatDurationMs(o.waitingMs)} more` : '';
  const lines: Line[] = [[], [{text: cell(o.head, 10), tone: 'muted'}, {text: sanitizeLine(o.summary, inner - 10 - wait.length), bold: true}, {text: wait, tone: 'muted'}]];
  for (const d of o.details.slice(0, 5)) lines.push(...paragraph(`  ${sanitizeText(d)}`, inner, 'warning'));
  if (o.details.length > 5) lines.push([{text: `  … and ${o.details.length - 5} more (see the journal or redrive --outcomes)`, tone: 'muted'}]);
  if (o.verdict) lines.push(...paragraph(sanitizeText(o.verdict), inner, /succeeded;/.test(o.verdict) ? 'ok' : 'critical'));
  return lines;
}

/** The bar and its label: the share of matched events handled; while nothing matched yet, how much of the
 * queue was read ("reading"); when the run ended with nothing matched, "none matched", never 100 %. */
export function progressShare(p: RedriveProgress, phase: RedriveJobState['phase']): {share: number; label: string} {
  const readShare = p.readTotal !== null && p.readTotal > 0 ? Math.min(1, p.read / p.readTotal) : 0;
  if (p.read > 0 && p.matched === 0) return phase === 'running' ? {share: readShare, label: ' reading'} : {share: 0, label: ' none matched'};
  const done = p.accepted + p.failed + p.skipped;
  const pct = (x: number) => ` ${String(Math.floor(x * 100)).padStart(3)}%`;
  if (p.total !== null && p.total > 0) {
    const share = Math.min(1, done / p.total);
    return {share, label: pct(share)};
  }
  if (phase === 'running' && p.readTotal !== null && p.readTotal > 0) return {share: readShare, label: ' reading'};
  return {share: 0, label: ''};
}

export function redriveProgressLines(job: RedriveJobState, width: number): Line[] {
  const inner = width - 4;
  const p = job.progress;
  const {share, label: percent} = progressShare(p, job.phase);
  const bar = gaugeBar(share, Math.max(10, inner - 14));
  const tone = job.phase === 'failed' ? 'critical' : p.failed > 0 ? 'warning' : 'ok';
  const what = p.total === null ? 'matching events' : plural(p.total, 'event');
  const title =
    job.phase === 'running'
      ? job.cancelling
        ? 'Cancelling: finishing the message in flight…'
        : `Redriving ${what}${job.plan.dryRun ? ' (dry run)' : ''}`
      : job.phase === 'done'
        ? `Redrive finished${job.plan.dryRun ? ' (dry run)' : ''}`
        : 'Redrive stopped';
  const reading: Line =
    p.read > 0 || p.readTotal !== null
      ? [
          {text: 'read ', tone: 'muted'},
          {text: `${formatCount(p.read)}${p.readTotal !== null ? ` of ~${formatCount(p.readTotal)}` : ''}`},
          {text: '  matched ', tone: 'muted'},
          {text: formatCount(p.matched)},
        ]
      : [];
  const lines: Line[] = [
    [{text: title, bold: true, tone: job.phase === 'running' ? undefined : tone}],
    [{text: sanitizeLine(`${job.plan.sourceName} → ${job.plan.targetDescription}`, inner), tone: 'muted'}],
    [],
    [{text: bar.filled, tone}, {text: bar.empty, tone: 'muted'}, {text: percent}],
    ...(reading.length ? [reading] : []),
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
      {text: p.remaining === null ? '—' : formatCount(p.remaining)},
    ],
    [
      {text: 'rate ', tone: 'muted'},
      {text: formatRate(p.ratePerSecond)},
      {text: '  eta ', tone: 'muted'},
      {text: job.phase === 'running' && p.etaSeconds !== null ? formatDurationMs(p.etaSeconds * 1000) : '—'},
    ],
  ];
  if (p.lastError) lines.push(...paragraph(`last error: ${sanitizeText(p.lastError)}`, inner, 'critical'));
  lines.push(...outcomeLines(job, inner));
  if (job.summary) {
    lines.push([]);
    lines.push(...paragraph(sanitizeText(job.summary, {multiline: true}), inner, job.phase === 'failed' ? 'critical' : undefined));
  }
  if (job.journalPath) lines.push(...labelled('journal', sanitizeText(job.journalPath), inner));
  lines.push([]);
  lines.push(
    job.phase === 'running'
      ? job.cancelling
        ? [{text: 'cancelling: events not yet sent stay in their queue', tone: 'muted'}]
        : [{text: 'c', role: 'key', bold: true}, {text: ' cancel (events not yet sent stay in their queue)', tone: 'muted'}]
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
  // Too tall for the terminal: keep the top and the keys line at the bottom, cut in between.
  const room = Math.max(1, height - 2);
  const shown = lines.length <= room ? lines : room < 3 ? lines.slice(0, room) : [...lines.slice(0, room - 2), [{text: '…', tone: 'muted'}] as Line, lines[lines.length - 1]!];
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center" flexDirection="column">
      <Box borderStyle="round" borderColor={tone === 'critical' ? theme.critical : tone === 'warning' ? theme.warning : theme.accent} paddingX={1} width={w} flexDirection="column">
        <Lines lines={shown} width={inner} />
      </Box>
    </Box>
  );
}

export function RedriveConfirm(props: {plan: RedrivePlan; typed?: string; width: number; height: number}): React.JSX.Element {
  return <DialogBox lines={redriveConfirmLines(props.plan, dialogWidth(props.width), props.typed ?? '')} width={props.width} height={props.height} tone={props.plan.account?.production ? 'critical' : 'warning'} />;
}

export function RedriveProgressView(props: {job: RedriveJobState; width: number; height: number}): React.JSX.Element {
  const tone = props.job.phase === 'failed' ? 'critical' : undefined;
  return <DialogBox lines={redriveProgressLines(props.job, dialogWidth(props.width))} width={props.width} height={props.height} {...(tone ? {tone} : {})} />;
}

export function ConfirmDialogView(props: {dialog: ConfirmDialog; width: number; height: number}): React.JSX.Element {
  return <DialogBox lines={confirmDialogLines(props.dialog, dialogWidth(props.width))} width={props.width} height={props.height} tone="warning" />;
}
