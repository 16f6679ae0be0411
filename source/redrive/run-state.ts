// The counters of one redrive run, and the progress they add up to. No I/O.
import type {SkipReason} from './plan.ts';
import {UNDONE_REASONS} from './plan.ts';

export const LIST_CAP = 1000;

export interface RedriveProgress {
  /** Events to handle: exact for a selection; the queue depth at start (capped by --limit) without a filter;
   * null when unknown (a filter over a queue not read yet). Counts matched events, never messages read. */
  total: number | null;
  /** Messages to read: the queue's depth at start; null when unknown. */
  readTotal: number | null;
  /** Messages read (received, or lines of a file) so far. */
  read: number;
  /** Read messages that passed the filter / are in the selection: the events this run is about. */
  matched: number;
  /** Send attempts made (including retries' first attempt only). */
  sent: number;
  accepted: number;
  failed: number;
  /** Matched events not sent (journal, payload, size, failed again...); filtered-out messages are not here. */
  skipped: number;
  remaining: number | null;
  ratePerSecond: number;
  etaSeconds: number | null;
  lastError: string | null;
}

export class RunState {
  sent = 0;
  accepted = 0;
  failed = 0;
  skipped = 0;
  deleted = 0;
  leftoversDeleted = 0;
  copiesDeleted = 0;
  failedAgain = 0;
  throttles = 0;
  wouldSendCount = 0;
  undone = 0;
  read = 0;
  matched = 0;
  lastError: string | null = null;
  fatal: Error | null = null;
  readonly deleteFailures: Array<{messageId: string; code: string; message: string}> = [];
  readonly failures: Array<{messageId: string; outcome: string; detail: string}> = [];
  readonly skips: Partial<Record<SkipReason, number>> = {};
  readonly skippedEvents: Array<{messageId: string; reason: SkipReason; detail: string}> = [];
  /** Recent acceptances [clock ms, count], for the rate shown (a 10 s window). */
  private readonly acceptedTimes: Array<[number, number]> = [];

  constructor(
    readonly now: () => number,
    /** Matched events expected (null = unknown); read total (null = unknown). */
    public total: number | null,
    public readTotal: number | null,
  ) {}

  /** A matched event not sent. Filtered-out messages are not events of this run: not counted here. */
  noteSkip(messageId: string, reason: SkipReason, detail: string): void {
    if (reason === 'filtered') return;
    this.skipped++;
    this.skips[reason] = (this.skips[reason] ?? 0) + 1;
    if (UNDONE_REASONS.has(reason)) this.undone++;
    if (this.skippedEvents.length < LIST_CAP) this.skippedEvents.push({messageId, reason, detail});
  }

  noteFailure(messageId: string, outcome: string, detail: string): void {
    this.failed++;
    if (this.failures.length < LIST_CAP) this.failures.push({messageId, outcome, detail});
  }

  noteAccepted(n: number): void {
    this.accepted += n;
    if (n <= 0) return;
    // Bounded whether or not progress is read: acceptances within 100 ms share an entry, and entries older than
    // the window are dropped as new ones come.
    const t = this.now();
    const last = this.acceptedTimes[this.acceptedTimes.length - 1];
    if (last && t - last[0] < 100) last[1] += n;
    else this.acceptedTimes.push([t, n]);
    while (t - this.acceptedTimes[0]![0] > 10_000) this.acceptedTimes.shift();
  }

  noteDeleteFailure(messageId: string, code: string, message: string): void {
    if (this.deleteFailures.length < LIST_CAP) this.deleteFailures.push({messageId, code, message});
    this.lastError = `delete failed: ${code}: ${message}`;
  }

  progress(dryRun: boolean): RedriveProgress {
    const t = this.now();
    while (this.acceptedTimes.length > 0 && t - this.acceptedTimes[0]![0] > 10_000) this.acceptedTimes.shift();
    const windowCount = this.acceptedTimes.reduce((n, [, c]) => n + c, 0);
    const span = this.acceptedTimes.length > 0 ? Math.max(1, t - this.acceptedTimes[0]![0]) / 1000 : 0;
    const ratePerSecond = span > 0 ? Math.round((windowCount / Math.max(span, 1)) * 10) / 10 : 0;
    const done = dryRun ? this.wouldSendCount + this.skipped : this.accepted + this.failed + this.skipped;
    const remaining = this.total === null ? null : Math.max(0, this.total - done);
    return {
      total: this.total,
      readTotal: this.readTotal,
      read: this.read,
      matched: this.matched,
      sent: this.sent,
      accepted: this.accepted,
      failed: this.failed,
      skipped: this.skipped,
      remaining,
      ratePerSecond,
      etaSeconds: remaining !== null && ratePerSecond > 0 ? Math.ceil(remaining / ratePerSecond) : null,
      lastError: this.lastError,
    };
  }
}
