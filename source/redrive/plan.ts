// Redrive planning: which failed events to send, with exactly which payload, and which to leave alone and
// why. Pure: no I/O; the journal index (what earlier runs achieved) is passed in.
import type {FailedEvent, MessageAttribute} from '../domain/types.ts';
import {ASYNC_PAYLOAD_LIMIT_BYTES} from '../aws/invoke.ts';
import {JournalIndex, payloadHash, targetKey, type RedriveTarget} from './journal.ts';

export type {RedriveTarget} from './journal.ts';
export {ASYNC_PAYLOAD_LIMIT_BYTES};

/** Why an event is not sent. */
export type SkipReason =
  /** No original payload could be recovered from the message. */
  | 'no-payload'
  /** Over Lambda's async payload limit. */
  | 'too-large'
  /** The journal says this target accepted this payload from this very message: only delete the leftover. */
  | 'already-accepted'
  /** The journal says this target accepted this payload before, and it is back in the queue under a new
   * message: it failed again after an earlier redrive. Left in the queue; a new journal sends it again. */
  | 'failed-again'
  /** Same payload as an event earlier in this plan / run. */
  | 'duplicate'
  /** An SQS event source message cannot be replayed as an async invocation. */
  | 'wrong-target'
  | 'limit'
  | 'filtered';

export interface PlannedSend {
  event: FailedEvent;
  /** The exact text to send: the invoke payload (Lambda) or the message body (queue). */
  payload: string;
  payloadHash: string;
  bytes: number;
  /** Queue targets: every message attribute, every data type, as received. */
  messageAttributes: Record<string, MessageAttribute>;
}

export interface PlannedSkip {
  event: FailedEvent;
  reason: SkipReason;
  detail: string;
  payloadHash: string | null;
  /** Only for 'already-accepted': the message is a leftover of an accepted send and may be deleted. */
  deleteLeftover: boolean;
}

export interface RedrivePlan {
  target: RedriveTarget;
  targetKey: string;
  sends: PlannedSend[];
  skips: PlannedSkip[];
  /** Events (sent or skipped) whose payload the journal saw accepted before under another message. */
  failedAgain: number;
}

export interface PlanOptions {
  /** At most this many sends (the rest are skipped with 'limit'). */
  limit?: number;
  journal?: JournalIndex;
  /** Hashes already planned/sent earlier in the same run (duplicates across batches). Updated in place. */
  seenHashes?: Set<string>;
  filter?: (event: FailedEvent) => boolean;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** What to send for an event: the original payload for Lambda (DLQ body byte for byte, or the invocation
 * record's requestPayload); the whole message body for a queue (an SQS-to-SQS move keeps the message as is). */
export function payloadFor(event: FailedEvent, target: RedriveTarget): string | null {
  return target.kind === 'queue' ? event.body : event.payload;
}

export function planRedrive(events: readonly FailedEvent[], target: RedriveTarget, options: PlanOptions = {}): RedrivePlan {
  const key = targetKey(target);
  const sends: PlannedSend[] = [];
  const skips: PlannedSkip[] = [];
  const seen = options.seenHashes ?? new Set<string>();
  let failedAgain = 0;
  const skip = (event: FailedEvent, reason: SkipReason, detail: string, hash: string | null, deleteLeftover = false) =>
    skips.push({event, reason, detail, payloadHash: hash, deleteLeftover});

  for (const event of events) {
    if (options.filter && !options.filter(event)) {
      skip(event, 'filtered', 'excluded by the filter', null);
      continue;
    }
    if (target.kind === 'lambda' && (event.source === 'source-dlq' || event.source === 'source' || event.shape === 'source-message')) {
      skip(event, 'wrong-target', 'an SQS event source message goes back to its queue (redrive --queue DLQ --to SOURCE), not to an async invoke', null);
      continue;
    }
    const payload = payloadFor(event, target);
    if (payload === null) {
      skip(event, 'no-payload', event.note ?? 'the original payload could not be recovered from this message', null);
      continue;
    }
    const hash = payloadHash(payload);
    const bytes = utf8Bytes(payload);
    const earlier = options.journal?.acceptance(key, hash);
    if (earlier) {
      if (earlier.messageIds.has(event.messageId)) {
        skip(event, 'already-accepted', `accepted by ${key} in an earlier run; only the leftover message is deleted`, hash, true);
      } else {
        failedAgain++;
        skip(event, 'failed-again', `this payload was accepted by ${key} at ${new Date(earlier.time).toISOString()} and failed again; left in the queue (use a new --journal to send it again)`, hash);
      }
      continue;
    }
    if (seen.has(hash)) {
      skip(event, 'duplicate', 'same payload as another event in this redrive; left in the queue', hash);
      continue;
    }
    if (target.kind === 'lambda' && bytes > ASYNC_PAYLOAD_LIMIT_BYTES) {
      skip(event, 'too-large', `${bytes} bytes is over the ${ASYNC_PAYLOAD_LIMIT_BYTES}-byte async invoke limit`, hash);
      continue;
    }
    if (options.limit !== undefined && sends.length >= options.limit) {
      skip(event, 'limit', `over --limit ${options.limit}`, hash);
      continue;
    }
    seen.add(hash);
    sends.push({event, payload, payloadHash: hash, bytes, messageAttributes: target.kind === 'queue' ? event.messageAttributes : {}});
  }
  return {target, targetKey: key, sends, skips, failedAgain};
}

/** Skip reasons that leave an event undone in its queue (a run with any of them exits 1). */
export const UNDONE_REASONS: ReadonlySet<SkipReason> = new Set(['no-payload', 'too-large', 'failed-again', 'duplicate', 'wrong-target']);
