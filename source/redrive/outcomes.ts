// Closed-loop redrive: what became of each redriven event. Pure (no I/O): the follower (follow.ts) gathers
// the evidence, this module decides.
//
// Identity. An async Invoke answers 202 with `x-amzn-RequestId`; the journal keeps it as the acceptance's new
// id. AWS's texts do not state that this is the request id the queued invocation runs under (see the README,
// "Following redriven events"), so the evidence is matched by that id AND, for failure and success records
// (which carry the event), by the hash of the payload that was sent; a match by payload only is reported as
// such. Log lines carry no payload: they are matched by the id alone.
//
// Per event, strongest evidence first:
//   - an OnSuccess destination record for it                       -> succeeded
//   - a failure record (DLQ message / OnFailure record) for it      -> failed-again (final), linked to that record
//   - its attempts in the logs: one ended without an error          -> succeeded
//                               its last allowed attempt failed     -> failed-again (final)
//                               an attempt failed, retries remain   -> retrying (Lambda tries again)
//   - nothing (yet)                                                 -> pending, with the reason
import type {Attempt} from '../domain/request-attempts.ts';
import {sanitizeLine} from '../domain/sanitize.ts';

/** One redriven event, as the journal knows it. */
export interface FollowedSend {
  /** The source message it came from. */
  messageId: string;
  /** The failed invocation's request id the event carried (null when none). */
  originalRequestId: string | null;
  /** The 202's request id. */
  newId: string;
  /** sha256 of the payload sent (hex; the journal keeps the first 32 digits, which is what is compared). */
  payloadHash: string | null;
  /** Wall ms of the acceptance. */
  acceptedAt: number;
}

/** A failure record seen in a failure target (DLQ message, OnFailure invocation record), not consumed. */
export interface FailureRecord {
  /** Where it was seen (queue URL or name) and its message id there: the link to the new failure. */
  queue: string;
  messageId: string;
  requestId: string | null;
  payloadHash: string | null;
  errorType: string | null;
  errorMessage: string | null;
  /** The invocation record's condition (RetriesExhausted, EventAgeExceeded, ...), null for a DLQ message. */
  condition: string | null;
}

/** An OnSuccess destination record. */
export interface SuccessRecord {
  queue: string;
  messageId: string;
  requestId: string | null;
  payloadHash: string | null;
}

export interface OutcomeEvidence {
  /** Attempts found in the logs, by request id (the new ids). */
  attempts: ReadonlyMap<string, readonly Attempt[]>;
  failures: readonly FailureRecord[];
  successes: readonly SuccessRecord[];
  /** Why the logs could not be read (AccessDenied, no log group, throttled past the budget); null when read. */
  logsUnreadable: string | null;
  /** Why a failure target could not be peeked; null when peeked (or there is none). */
  targetsUnreadable?: string | null;
}

export interface RetryPolicy {
  /** MaximumRetryAttempts (0-2, default 2): a function error is retried this many times. */
  maximumRetryAttempts: number;
  /** The function's Timeout, seconds (an attempt lasts at most this long). */
  timeoutSeconds: number;
  /** Delay before the first and the second retry (Lambda: about 1 and 2 minutes). */
  retryDelaysMs?: readonly number[];
  /** How late log lines and failure records arrive after the fact (default 2 minutes). */
  deliveryLagMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];
export const DEFAULT_DELIVERY_LAG_MS = 120_000;

export type EventOutcome =
  | {state: 'succeeded'; via: 'logs' | 'on-success'; matchedBy: 'request-id' | 'payload'}
  | {
      state: 'failed-again';
      errorType: string;
      errorMessage: string | null;
      via: 'failure-target' | 'logs';
      matchedBy: 'request-id' | 'payload';
      /** The new failure: the record in a failure target (when seen), and the request id it failed under. */
      newFailure: {queue: string | null; messageId: string | null; requestId: string | null} | null;
      attempts: number;
    }
  | {state: 'retrying'; errorType: string; failedAttempts: number; allowedAttempts: number; nextAttemptAfter: number | null}
  | {state: 'pending'; reason: string};

export type OutcomeState = EventOutcome['state'];

export interface DecidedOutcome {
  send: FollowedSend;
  outcome: EventOutcome;
}

/** The error type an attempt failed with, in the words the summary uses ("Timeout", "InventoryApiError"). */
export function attemptErrorType(a: Attempt): string {
  if (a.outcome === 'timeout') return 'Timeout';
  if (a.outcome === 'runtime-exit') return a.runtimeExit?.errorType ?? 'Runtime.ExitError';
  const typed = a.errors.find((e) => e.type);
  return typed?.type ?? 'Error';
}

/** A failure record's error type: "Timeout" for a timeout message, else its type, else the condition. */
export function recordErrorType(r: FailureRecord): string {
  if (r.errorType && r.errorType.trim() !== '') return r.errorType;
  if (r.errorMessage && /Task timed out after/.test(r.errorMessage)) return 'Timeout';
  return r.condition ?? 'Error';
}

const sameHash = (a: string | null, b: string | null): boolean => !!a && !!b && a.slice(0, 32) === b.slice(0, 32);

/** When the whole retry schedule of an event accepted at `acceptedAt` is over, evidence delivered (wall ms). */
export function followDeadline(acceptedAt: number, policy: RetryPolicy): number {
  const delays = policy.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const retries = Math.max(0, Math.min(2, Math.floor(policy.maximumRetryAttempts)));
  let wait = (retries + 1) * Math.max(1, policy.timeoutSeconds) * 1000;
  for (let i = 0; i < retries; i++) wait += delays[i] ?? delays[delays.length - 1] ?? 0;
  return acceptedAt + wait + (policy.deliveryLagMs ?? DEFAULT_DELIVERY_LAG_MS);
}

/** Decides one event's outcome from the evidence. `now` (wall ms) only words the pending reason. */
export function decideOutcome(send: FollowedSend, evidence: OutcomeEvidence, policy: RetryPolicy, now: number): EventOutcome {
  const byId = <T extends {requestId: string | null; payloadHash: string | null}>(list: readonly T[]): {record: T; matchedBy: 'request-id' | 'payload'} | null => {
    const exact = list.find((r) => r.requestId === send.newId);
    if (exact) return {record: exact, matchedBy: 'request-id'};
    // By payload: only a record that does not carry the ORIGINAL failure's id (the event's old copy, still in
    // the DLQ, has the same payload) and that arrived under an id nobody else claims.
    const byPayload = list.find((r) => sameHash(r.payloadHash, send.payloadHash) && r.requestId !== send.originalRequestId && r.requestId !== null);
    return byPayload ? {record: byPayload, matchedBy: 'payload'} : null;
  };
  const attempts = [...(evidence.attempts.get(send.newId) ?? [])].sort((a, b) => (a.startedAt ?? a.endedAt ?? 0) - (b.startedAt ?? b.endedAt ?? 0));
  const success = byId(evidence.successes);
  if (success) return {state: 'succeeded', via: 'on-success', matchedBy: success.matchedBy};
  const failure = byId(evidence.failures);
  if (failure) {
    const r = failure.record;
    return {
      state: 'failed-again', errorType: recordErrorType(r), errorMessage: r.errorMessage, via: 'failure-target', matchedBy: failure.matchedBy,
      newFailure: {queue: r.queue, messageId: r.messageId, requestId: r.requestId}, attempts: attempts.length,
    };
  }
  if (attempts.some((a) => a.outcome === 'ok')) return {state: 'succeeded', via: 'logs', matchedBy: 'request-id'};
  const failed = attempts.filter((a) => a.outcome === 'timeout' || a.outcome === 'error' || a.outcome === 'runtime-exit');
  const allowed = Math.max(0, Math.min(2, Math.floor(policy.maximumRetryAttempts))) + 1;
  if (failed.length >= allowed) {
    const last = failed[failed.length - 1]!;
    const message = last.timedOutAfterSeconds !== null ? `Task timed out after ${last.timedOutAfterSeconds.toFixed(2)} seconds` : (last.runtimeExit?.reason ?? last.errors[0]?.message ?? null);
    return {state: 'failed-again', errorType: attemptErrorType(last), errorMessage: message, via: 'logs', matchedBy: 'request-id', newFailure: {queue: null, messageId: null, requestId: send.newId}, attempts: failed.length};
  }
  if (failed.length > 0) {
    const last = failed[failed.length - 1]!;
    const delays = policy.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const endedAt = last.endedAt ?? last.startedAt;
    const delay = delays[failed.length - 1] ?? delays[delays.length - 1] ?? 0;
    return {state: 'retrying', errorType: attemptErrorType(last), failedAttempts: failed.length, allowedAttempts: allowed, nextAttemptAfter: endedAt === null ? null : endedAt + delay};
  }
  const running = attempts.length > 0;
  const over = now >= followDeadline(send.acceptedAt, policy);
  const why: string[] = [];
  if (evidence.logsUnreadable) why.push(`logs not readable: ${evidence.logsUnreadable}`);
  if (evidence.targetsUnreadable) why.push(`failure target not readable: ${evidence.targetsUnreadable}`);
  if (why.length === 0) why.push(running ? 'running (START seen, no REPORT yet)' : over ? 'no log line, failure or success record seen within the retry schedule' : 'no log line yet');
  return {state: 'pending', reason: why.join('; ')};
}

export function decideAll(sends: readonly FollowedSend[], evidence: OutcomeEvidence, policy: RetryPolicy, now: number): DecidedOutcome[] {
  return sends.map((send) => ({send, outcome: decideOutcome(send, evidence, policy, now)}));
}

/** Final: nothing later can change it (a success, or a failure Lambda will not retry). */
export const isFinal = (o: EventOutcome): boolean => o.state === 'succeeded' || o.state === 'failed-again';

export interface OutcomeSummary {
  total: number;
  succeeded: number;
  failedAgain: number;
  retrying: number;
  pending: number;
  /** Failed-again error types, most frequent first. */
  errorTypes: Array<{errorType: string; count: number}>;
  /** "37 succeeded, 3 failed again: InventoryApiError". */
  line: string;
}

/** An error type inside a display line (the summary, the canary's verdict): it comes from the function's logs or
 * a failure record, so it is untrusted text; `errorTypes` keeps it exact for --json. */
const shownType = (errorType: string) => sanitizeLine(errorType, 60);

export function summarizeOutcomes(outcomes: readonly EventOutcome[]): OutcomeSummary {
  const count = (s: OutcomeState) => outcomes.filter((o) => o.state === s).length;
  const types = new Map<string, number>();
  for (const o of outcomes) if (o.state === 'failed-again') types.set(o.errorType, (types.get(o.errorType) ?? 0) + 1);
  const errorTypes = [...types].map(([errorType, n]) => ({errorType, count: n})).sort((a, b) => b.count - a.count || (a.errorType < b.errorType ? -1 : 1));
  const s = {total: outcomes.length, succeeded: count('succeeded'), failedAgain: count('failed-again'), retrying: count('retrying'), pending: count('pending')};
  const parts: string[] = [];
  if (s.succeeded > 0 || outcomes.length === 0) parts.push(`${s.succeeded} succeeded`);
  if (s.failedAgain > 0) {
    const shown = errorTypes.slice(0, 3).map((t) => (errorTypes.length > 1 ? `${shownType(t.errorType)} ${t.count}` : shownType(t.errorType)));
    parts.push(`${s.failedAgain} failed again: ${shown.join(', ')}${errorTypes.length > 3 ? ', …' : ''}`);
  }
  if (s.retrying > 0) parts.push(`${s.retrying} retrying`);
  if (s.pending > 0) parts.push(`${s.pending} pending`);
  return {...s, errorTypes, line: parts.join(', ')};
}

/** The word per event that --json and the views use: "succeeded", "failed again (Timeout)", "retrying", "pending". */
export function outcomeWord(o: EventOutcome): string {
  switch (o.state) {
    case 'succeeded':
      return 'succeeded';
    case 'failed-again':
      return `failed again (${o.errorType})`;
    case 'retrying':
      return `retrying (attempt ${o.failedAttempts} of ${o.allowedAttempts} failed: ${o.errorType})`;
    case 'pending':
      return 'pending';
  }
}

export interface CanaryVerdict {
  go: boolean;
  /** "canary: 2 of 5 failed again: Timeout" or "canary: 5 of 5 succeeded". */
  line: string;
}

/** The canary's decision: go on only when every canary event succeeded. */
export function canaryVerdict(outcomes: readonly EventOutcome[]): CanaryVerdict {
  const s = summarizeOutcomes(outcomes);
  if (s.total > 0 && s.succeeded === s.total) return {go: true, line: `canary: ${s.succeeded} of ${s.total} succeeded`};
  if (s.total === 0) return {go: false, line: 'canary: no event was accepted, so nothing proves the fix'};
  const parts: string[] = [];
  if (s.failedAgain > 0) parts.push(`${s.failedAgain} of ${s.total} failed again: ${s.errorTypes.map((t) => shownType(t.errorType)).join(', ')}`);
  if (s.retrying > 0) parts.push(`${s.retrying} of ${s.total} still retrying`);
  if (s.pending > 0) parts.push(`${s.pending} of ${s.total} not known within the retry schedule`);
  return {go: false, line: `canary: ${parts.join('; ')}`};
}
