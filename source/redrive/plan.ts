// Redrive planning: which failed events to send, with exactly which payload, and which to leave alone and
// why. Pure: no I/O; the journal index (what earlier runs achieved) is passed in.
//
// Identity, never payload: two messages with the same body are two events (the same event failing twice,
// heartbeats, a producer's retries). Only the same message (its id) or, for a Lambda target, the same
// failure (its request id: a DLQ message and its OnFailure-destination twin) is one event.
import type {FailedEvent, MessageAttribute} from '../domain/types.ts';
import {ASYNC_PAYLOAD_LIMIT_BYTES} from '../aws/invoke.ts';
import {JournalIndex, payloadHash, targetKey, type RedriveTarget} from './journal.ts';
import {identityKey} from './selection.ts';

export type {RedriveTarget} from './journal.ts';
export {ASYNC_PAYLOAD_LIMIT_BYTES};

/** Why an event is not sent. */
export type SkipReason =
  /** No original payload could be recovered from the message. */
  | 'no-payload'
  /** Over Lambda's async payload limit. */
  | 'too-large'
  /** The journal says this target accepted this very message (or its twin, same request id) in an earlier
   * run: only the leftover message is deleted. */
  | 'already-accepted'
  /** The event carries the id the target gave an earlier redrive of it (the new request id / message id in
   * the journal): the redriven event failed again. Left in the queue unless includeFailedAgain. */
  | 'failed-again'
  /** Another copy of the same event (same identity) is being sent in this run: deleted once it is accepted. */
  | 'duplicate'
  /** An SQS event source message cannot be replayed as an async invocation. */
  | 'wrong-target'
  | 'limit'
  | 'filtered';

export interface PlannedSend {
  event: FailedEvent;
  /** identityKey(event): copies with the same identity are sent once. */
  identity: string;
  /** Other messages of the same event in this batch (twins, redelivered copies): deleted after acceptance. */
  copies: FailedEvent[];
  /** The exact text to send: the invoke payload (Lambda) or the message body (queue). */
  payload: string;
  payloadHash: string;
  bytes: number;
  /** Queue targets: every message attribute, every data type, as received. */
  messageAttributes: Record<string, MessageAttribute>;
  /** The event failed again after an earlier redrive and is sent anyway (includeFailedAgain). */
  failedAgain: boolean;
}

export interface PlannedSkip {
  event: FailedEvent;
  reason: SkipReason;
  detail: string;
  /** 'already-accepted': a leftover of an accepted send; delete it. 'duplicate': delete it once the copy
   * with this identity is accepted (the engine follows the send in flight). */
  deleteLeftover: boolean;
  identity: string | null;
}

export interface RedrivePlan {
  target: RedriveTarget;
  targetKey: string;
  sends: PlannedSend[];
  skips: PlannedSkip[];
  /** Events that failed again after an earlier redrive (skipped, or sent with includeFailedAgain). */
  failedAgain: number;
}

export interface PlanOptions {
  /** At most this many sends (the rest are skipped with 'limit'). */
  limit?: number;
  journal?: JournalIndex;
  /** Identities being sent earlier in the same run (across batches): a copy is a 'duplicate' to follow. */
  inFlight?: {has(identity: string): boolean};
  filter?: (event: FailedEvent) => boolean;
  /** Send events that failed again after an earlier redrive anyway. */
  includeFailedAgain?: boolean;
  /** Only acceptances at or after this clock ms count for failed-again (the failure queue's retention:
   * an older redrive cannot have come back into it). Default: all. */
  failedAgainSince?: number;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** What to send for an event: the original payload for Lambda (DLQ body byte for byte, or the invocation
 * record's requestPayload); the whole message body for a queue (an SQS-to-SQS move keeps the message as is). */
export function payloadFor(event: FailedEvent, target: RedriveTarget): string | null {
  return target.kind === 'queue' ? event.body : event.payload;
}

/** The copy whose payload to send when several share an identity: the DLQ's raw event (byte for byte) over
 * the destination record's re-serialised requestPayload. */
function better(a: FailedEvent, b: FailedEvent): boolean {
  return b.source === 'dlq' && a.source !== 'dlq';
}

export function planRedrive(events: readonly FailedEvent[], target: RedriveTarget, options: PlanOptions = {}): RedrivePlan {
  const key = targetKey(target);
  const sends: PlannedSend[] = [];
  const skips: PlannedSkip[] = [];
  const byIdentity = new Map<string, PlannedSend>();
  const since = options.failedAgainSince ?? -Infinity;
  let failedAgain = 0;
  const skip = (event: FailedEvent, reason: SkipReason, detail: string, deleteLeftover = false, identity: string | null = null) =>
    skips.push({event, reason, detail, deleteLeftover, identity});

  for (const event of events) {
    if (options.filter && !options.filter(event)) {
      skip(event, 'filtered', 'excluded by the filter');
      continue;
    }
    if (target.kind === 'lambda' && (event.source === 'source-dlq' || event.source === 'source' || event.shape === 'source-message')) {
      skip(event, 'wrong-target', 'an SQS event source message goes back to its queue (redrive --queue DLQ --to SOURCE), not to an async invoke');
      continue;
    }
    const identity = identityKey(event, target.kind);
    const journal = options.journal;
    const same = journal?.acceptedMessage(key, event.messageId);
    if (same) {
      skip(event, 'already-accepted', `accepted by ${key} in an earlier run; only the leftover message is deleted`, true);
      continue;
    }
    // The id the event carries is the one the target gave an earlier redrive: it failed again.
    const carried = target.kind === 'lambda' ? event.requestId : event.messageId;
    const again = carried ? journal?.acceptedAs(key, carried) : undefined;
    const isFailedAgain = again !== undefined && again.time >= since;
    if (isFailedAgain) {
      failedAgain++;
      if (!options.includeFailedAgain) {
        skip(event, 'failed-again', `redriven to ${key} at ${new Date(again.time).toISOString()} (as ${carried}) and failed again; left in the queue (--include-failed-again sends it anyway)`);
        continue;
      }
    }
    if (target.kind === 'lambda' && event.requestId && !isFailedAgain) {
      const twin = journal?.acceptedRequest(key, event.requestId);
      if (twin) {
        skip(event, 'already-accepted', `request ${event.requestId} was accepted by ${key} ${twin.inRun ? 'earlier in this run' : `from message ${twin.messageId} in an earlier run`}; this copy is deleted without being sent`, true);
        continue;
      }
    }
    const planned = byIdentity.get(identity);
    if (planned) {
      // Another copy of an event in this batch: keep the better payload, delete every copy after acceptance.
      if (better(planned.event, event) && payloadFor(event, target) !== null) {
        planned.copies.push(planned.event);
        Object.assign(planned, sendFor(event, identity, target, planned.failedAgain));
      } else planned.copies.push(event);
      continue;
    }
    if (options.inFlight?.has(identity)) {
      skip(event, 'duplicate', 'another copy of this event is being sent in this run; deleted once it is accepted', false, identity);
      continue;
    }
    const payload = payloadFor(event, target);
    if (payload === null) {
      skip(event, 'no-payload', event.note ?? 'the original payload could not be recovered from this message');
      continue;
    }
    const bytes = utf8Bytes(payload);
    if (target.kind === 'lambda' && bytes > ASYNC_PAYLOAD_LIMIT_BYTES) {
      skip(event, 'too-large', `${bytes} bytes is over the ${ASYNC_PAYLOAD_LIMIT_BYTES}-byte async invoke limit`);
      continue;
    }
    if (options.limit !== undefined && sends.length >= options.limit) {
      skip(event, 'limit', `over --limit ${options.limit}`);
      continue;
    }
    const send: PlannedSend = {...sendFor(event, identity, target, isFailedAgain), copies: []};
    byIdentity.set(identity, send);
    sends.push(send);
  }
  return {target, targetKey: key, sends, skips, failedAgain};
}

function sendFor(event: FailedEvent, identity: string, target: RedriveTarget, failedAgain: boolean): Omit<PlannedSend, 'copies'> {
  const payload = payloadFor(event, target)!;
  return {event, identity, payload, payloadHash: payloadHash(payload), bytes: utf8Bytes(payload), messageAttributes: target.kind === 'queue' ? event.messageAttributes : {}, failedAgain};
}

/** Skip reasons that leave an event undone in its queue (a run with any of them exits 1). */
export const UNDONE_REASONS: ReadonlySet<SkipReason> = new Set(['no-payload', 'too-large', 'failed-again', 'wrong-target']);
