// Words and figures of a TUI redrive, pure: the progress of several engine runs added up, and the summary
// the operator reads afterwards (what was sent, what was skipped and why, what was read to find them).
import type {RedriveProgress as EngineProgress, RedriveSummary} from '../redrive/engine.ts';
import type {SkipReason} from '../redrive/plan.ts';
import {sanitizeText} from '../domain/sanitize.ts';
import type {RedriveProgress} from '../store/index.ts';

/** Totals of the runs finished so far, added to the progress of the current one. */
export type ProgressOffset = Pick<EngineProgress, 'total' | 'readTotal' | 'read' | 'matched' | 'sent' | 'accepted' | 'failed' | 'skipped'>;

export const zeroOffset = (): ProgressOffset => ({total: 0, readTotal: 0, read: 0, matched: 0, sent: 0, accepted: 0, failed: 0, skipped: 0});

const addNullable = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a + b);

/** The store's progress: the finished runs plus the current one. Unknown stays unknown (null), never 0. */
export function combineProgress(offset: ProgressOffset, progress: EngineProgress): RedriveProgress {
  const total = addNullable(offset.total, progress.total);
  const accepted = offset.accepted + progress.accepted;
  const failed = offset.failed + progress.failed;
  const skipped = offset.skipped + progress.skipped;
  return {
    total,
    readTotal: addNullable(offset.readTotal, progress.readTotal),
    read: offset.read + progress.read,
    matched: offset.matched + progress.matched,
    sent: offset.sent + progress.sent,
    accepted,
    failed,
    skipped,
    remaining: total === null ? null : Math.max(0, total - accepted - failed - skipped),
    ratePerSecond: progress.ratePerSecond,
    etaSeconds: progress.etaSeconds,
    lastError: progress.lastError === null ? null : sanitizeText(progress.lastError),
  };
}

export function addToOffset(offset: ProgressOffset, summary: RedriveSummary): ProgressOffset {
  return {
    total: addNullable(offset.total, summary.total),
    readTotal: addNullable(offset.readTotal, summary.readTotal),
    read: offset.read + summary.read,
    matched: offset.matched + summary.matched,
    sent: offset.sent + summary.sent,
    accepted: offset.accepted + summary.accepted,
    failed: offset.failed + summary.failed,
    skipped: offset.skipped + summary.skipped,
  };
}

const SKIP_WORDS: Record<SkipReason, string> = {
  'no-payload': 'no payload to send',
  'too-large': 'over the async payload limit',
  'already-accepted': 'already accepted by an earlier run (leftover deleted)',
  'failed-again': 'failed again after an earlier redrive (left in the queue)',
  duplicate: 'same event already sent in this run',
  'wrong-target': 'cannot go to this target',
  limit: 'over the limit',
  filtered: 'excluded by the filter',
};

/** "2 failed again after an earlier redrive (left in the queue), 1 no payload to send". */
export function skipWords(skips: Partial<Record<SkipReason, number>>): string {
  return (Object.entries(skips) as Array<[SkipReason, number]>)
    .filter(([reason, n]) => n > 0 && reason !== 'filtered')
    .map(([reason, n]) => `${n} ${SKIP_WORDS[reason] ?? reason}`)
    .join(', ');
}

/** The summary shown when the job ends, one fact a line. */
export function summaryText(summaries: readonly RedriveSummary[], options: {aborted: boolean; kind: 'selected' | 'matching'}): string {
  const sum = (pick: (s: RedriveSummary) => number) => summaries.reduce((n, s) => n + pick(s), 0);
  const skips: Partial<Record<SkipReason, number>> = {};
  for (const s of summaries) for (const [reason, n] of Object.entries(s.skips) as Array<[SkipReason, number]>) skips[reason] = (skips[reason] ?? 0) + n;
  // Messages a filter left out are not events of this run: not counted as skipped.
  const reasons = (Object.entries(skips) as Array<[SkipReason, number]>).filter(([reason]) => reason !== 'filtered');
  const skipped = Object.keys(skips).length > 0 ? reasons.reduce((n, [, v]) => n + v, 0) : sum((s) => s.skipped);
  const why = skipWords(skips);
  const lines = [`${options.aborted ? 'cancelled: ' : ''}${sum((s) => s.accepted)} accepted, ${sum((s) => s.failed)} failed, ${skipped} skipped${why ? ` (${why})` : ''}`];
  if (options.kind === 'matching') {
    lines.push(`read ${sum((s) => s.read)} messages, ${sum((s) => s.matched)} matched`);
  } else {
    const searches = summaries.map((s) => s.searched).filter((s): s is NonNullable<RedriveSummary['searched']> => s !== null);
    if (searches.length === 0) {
      lines.push('no search: only the selected messages were touched');
    } else {
      const notFound = searches.flatMap((s) => s.notFound);
      lines.push(
        `searched for expired handles: ${searches.reduce((n, s) => n + s.receives, 0)} receives touched ${searches.reduce((n, s) => n + s.messagesTouched, 0)} messages` +
          (notFound.length ? `; not found: ${notFound.slice(0, 5).join(', ')}${notFound.length > 5 ? ` and ${notFound.length - 5} more` : ''}` : ''),
      );
    }
  }
  const failedAgain = sum((s) => s.failedAgain);
  if (failedAgain > 0 && !skips['failed-again']) lines.push(`${failedAgain} had been redriven before and failed again`);
  const deleteFailures = sum((s) => s.deleteFailures.length);
  if (deleteFailures > 0) lines.push(`${deleteFailures} accepted but not deleted yet (the journal keeps them from being sent twice)`);
  return lines.join('\n');
}
