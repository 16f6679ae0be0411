// The closed loop as the redrive command uses it: which sends to follow (from the journals), following them
// with a countdown on stderr, recording the outcomes in the journals, and the words and JSON of the result.
// `--canary N` (commands.ts) sends N, follows them with this, and goes on only on canaryVerdict's go.
import type {AwsClients} from '../aws/clients.ts';
import {sanitizeLine} from '../domain/sanitize.ts';
import {appendOutcomes, readJournal, readJournalEntries, type OutcomeRecord} from './journal.ts';
import {createFollowPorts, followOutcomes, type FollowPorts, type FollowTargets} from './follow.ts';
import {isFinal, outcomeWord, summarizeOutcomes, type DecidedOutcome, type EventOutcome, type FollowedSend} from './outcomes.ts';

const clean = (text: string, width = 200) => sanitizeLine(text, width);

export type JournaledSend = FollowedSend & {journal: string};

/** The acceptances journaled at or after `since` (wall ms) in these journals: what a run just sent. */
export async function acceptancesSince(paths: readonly string[], since: number): Promise<JournaledSend[]> {
  const out: JournaledSend[] = [];
  for (const journal of new Set(paths)) {
    let entries: Awaited<ReturnType<typeof readJournalEntries>>;
    try {
      entries = await readJournalEntries(journal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const e of entries) {
      if (e.outcome !== 'accepted' || !e.newId || e.time < since || !e.target.startsWith('lambda:')) continue;
      out.push({messageId: e.messageId, originalRequestId: e.originalRequestId ?? null, newId: e.newId, payloadHash: e.payloadHash ?? null, acceptedAt: e.time, journal});
    }
  }
  return out;
}

/** `--outcomes`: the acceptances of each journal's latest run that sent something, with the outcomes the
 * journal already records for them (final ones need no new look-up). */
export async function lastRunSends(paths: readonly string[]): Promise<{sends: JournaledSend[]; recorded: Map<string, OutcomeRecord>}> {
  const sends: JournaledSend[] = [];
  const recorded = new Map<string, OutcomeRecord>();
  for (const journal of new Set(paths)) {
    const index = await readJournal(journal);
    const lambda = index.acceptanceLog.filter((a) => a.target.startsWith('lambda:') && a.newId);
    const last = lambda[lambda.length - 1]?.run;
    for (const a of lambda) {
      if (a.run !== last) continue;
      sends.push({messageId: a.messageId, originalRequestId: a.originalRequestId, newId: a.newId!, payloadHash: a.payloadHash ?? null, acceptedAt: a.time, journal});
      const r = index.outcomes.get(a.newId!);
      if (r) recorded.set(a.newId!, r);
    }
  }
  return {sends, recorded};
}

/** A recorded final outcome as an EventOutcome (null when it is not final: look it up again). */
export function fromRecord(r: OutcomeRecord): EventOutcome | null {
  if (r.state === 'succeeded') return {state: 'succeeded', via: r.detail === 'on-success' ? 'on-success' : 'logs', matchedBy: 'request-id'};
  if (r.state === 'failed-again') {
    return {state: 'failed-again', errorType: r.errorType ?? 'Error', errorMessage: null, via: r.detail === 'failure-target' ? 'failure-target' : 'logs', matchedBy: 'request-id', newFailure: r.newFailure ?? null, attempts: 0};
  }
  return null;
}

export function toRecord(d: DecidedOutcome, time: number): OutcomeRecord {
  const o = d.outcome;
  return {
    time, newId: d.send.newId, messageId: d.send.messageId, state: o.state,
    errorType: o.state === 'failed-again' || o.state === 'retrying' ? o.errorType : null,
    newFailure: o.state === 'failed-again' ? o.newFailure : null,
    detail: o.state === 'pending' ? o.reason : o.state === 'succeeded' || o.state === 'failed-again' ? o.via : null,
  };
}

export interface FollowRunOptions {
  clients: AwsClients;
  /** The command line's progress lines and problems; absent in the TUI (it passes onUpdate / onProblem). */
  stderr?: NodeJS.WritableStream;
  isTTY?: boolean;
  onUpdate?: (decided: readonly DecidedOutcome[], remainingMs: number) => void;
  onProblem?: (text: string) => void;
  signal?: AbortSignal;
  /** Wall ms between passes (default 5 s) and the longest wait (default: the retry schedule). */
  pollMs?: number;
  maxWaitMs?: number;
  /** Outcomes known already (the journal's), not looked up again. */
  known?: ReadonlyMap<string, EventOutcome>;
  /** "canary" or "outcomes": the progress line's head. */
  label: string;
  /** One pass only (--outcomes without --follow). */
  once?: boolean;
  ports?: FollowPorts;
}

function seconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Follows the sends to their outcomes with a countdown on stderr, then journals every outcome beside its
 * acceptance. Returns the outcomes in the order of `sends`. */
export async function followAndRecord(targets: FollowTargets, sends: readonly JournaledSend[], options: FollowRunOptions): Promise<DecidedOutcome[]> {
  const known = options.known ?? new Map<string, EventOutcome>();
  const open = sends.filter((s) => !known.has(s.newId));
  let lastLine = 0;
  const write = (text: string) => options.stderr?.write(options.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
  const problem = options.onProblem ?? ((text: string) => options.stderr?.write(`lambda-top: ${text}\n`));
  const decidedOpen = open.length === 0 ? [] : await followOutcomes(targets, open, options.ports ?? createFollowPorts(options.clients), {
    ...(options.signal ? {signal: options.signal} : {}),
    ...(options.pollMs !== undefined ? {pollMs: options.pollMs} : {}),
    ...(options.once ? {maxWaitMs: 0} : options.maxWaitMs !== undefined ? {maxWaitMs: options.maxWaitMs} : {}),
    onUpdate: (decided, remainingMs) => {
      options.onUpdate?.(decided, remainingMs);
      if (!options.stderr) return;
      const final = decided.filter((d) => isFinal(d.outcome)).length;
      if (options.once || (Date.now() - lastLine < (options.isTTY ? 250 : 5000) && final < decided.length)) return;
      lastLine = Date.now();
      const summary = summarizeOutcomes(decided.map((d) => d.outcome)).line;
      write(`${options.label}: following ${decided.length} event${decided.length === 1 ? '' : 's'}: ${summary}${final < decided.length ? ` · waiting up to ${seconds(remainingMs)} more (retry schedule)` : ''}`);
    },
  });
  if (lastLine > 0 && options.isTTY) options.stderr?.write('\n');
  const byId = new Map(decidedOpen.map((d) => [d.send.newId, d]));
  const all = sends.map((s): DecidedOutcome => byId.get(s.newId) ?? {send: s, outcome: known.get(s.newId)!});
  // Journal each newly learned outcome beside its acceptance (a record for the on-call engineer, never
  // a reason to delete anything).
  const now = Date.now();
  const perJournal = new Map<string, OutcomeRecord[]>();
  for (const d of decidedOpen) {
    const journal = (d.send as JournaledSend).journal;
    perJournal.set(journal, [...(perJournal.get(journal) ?? []), toRecord(d, now)]);
  }
  for (const [journal, records] of perJournal) {
    await appendOutcomes(journal, records).catch((error: Error) => problem(`could not journal the outcomes in ${clean(journal)}: ${clean(error.message)}`));
  }
  return all;
}

/** Per event, for --json: the word ("succeeded", "failed again (Timeout)", "pending") and the detail. */
export function outcomesJson(decided: readonly DecidedOutcome[]): {summary: ReturnType<typeof summarizeOutcomes>; events: unknown[]} {
  return {
    summary: summarizeOutcomes(decided.map((d) => d.outcome)),
    events: decided.map(({send, outcome}) => ({
      messageId: send.messageId,
      originalRequestId: send.originalRequestId,
      newRequestId: send.newId,
      outcome: outcome.state === 'retrying' ? 'pending' : outcomeWord(outcome),
      ...outcome,
    })),
  };
}

/** One line per event that did not succeed (raw: sanitise at display). */
export function outcomeDetails(decided: readonly DecidedOutcome[]): string[] {
  const out: string[] = [];
  for (const {send, outcome} of decided) {
    const id = `${send.messageId} (now request ${send.newId})`;
    if (outcome.state === 'failed-again') {
      const link = outcome.newFailure?.messageId ? `; new failure: message ${outcome.newFailure.messageId} in ${outcome.newFailure.queue ?? '?'}` : '';
      out.push(`failed again ${id}: ${outcome.errorType}${outcome.errorMessage ? ` — ${outcome.errorMessage}` : ''}${link}`);
    } else if (outcome.state === 'retrying') out.push(`retrying ${id}: attempt ${outcome.failedAttempts} of ${outcome.allowedAttempts} failed (${outcome.errorType})`);
    else if (outcome.state === 'pending') out.push(`pending ${id}: ${outcome.reason}`);
  }
  return out;
}

/** The summary line and the events that did not succeed (at most 20), for stderr. */
export function outcomesText(decided: readonly DecidedOutcome[], head = 'outcomes'): string {
  const lines = [`${head}: ${summarizeOutcomes(decided.map((d) => d.outcome)).line}`];
  const notOk = decided.filter((d) => d.outcome.state !== 'succeeded');
  for (const {send, outcome} of notOk.slice(0, 20)) {
    const id = `${clean(send.messageId, 40)} (now request ${clean(send.newId, 40)})`;
    if (outcome.state === 'failed-again') {
      const link = outcome.newFailure?.messageId ? `; new failure: message ${clean(outcome.newFailure.messageId, 40)} in ${clean(outcome.newFailure.queue ?? '?', 80)}` : '';
      lines.push(`  failed again ${id}: ${clean(outcome.errorType, 60)}${outcome.errorMessage ? ` — ${clean(outcome.errorMessage, 100)}` : ''}${link}`);
    } else if (outcome.state === 'retrying') lines.push(`  retrying ${id}: attempt ${outcome.failedAttempts} of ${outcome.allowedAttempts} failed (${clean(outcome.errorType, 60)})`);
    else if (outcome.state === 'pending') lines.push(`  pending ${id}: ${clean(outcome.reason, 160)}`);
  }
  if (notOk.length > 20) lines.push(`  … and ${notOk.length - 20} more (--json lists every event)`);
  return lines.join('\n') + '\n';
}
