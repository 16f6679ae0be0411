// A redrive of exactly the events the operator chose (marked, or the one under the cursor), by identity.
// The contract between the browser (which holds peeked messages and their receipt handles) and the engine
// (which sends, journals and deletes). Pure: no I/O.
//
// - A message is identified by its messageId; a DLQ/destination twin pair by the failed invocation's
//   requestId (the same failure, written to both targets). Never by payload.
// - The engine uses the receipt handles the browser holds while they are valid (heldUntil in the future),
//   so no other message is received, hidden or has its receive count raised.
// - A handle that expired (or that SQS refuses) is looked for by messageId with a bounded search: at most
//   `searchReceives` receives of up to 10 messages, each raising those messages' receive counts. The cost is
//   stated before the run starts (selectionCost) and reported after it (the summary's `searched`).
import type {FailedEvent} from '../domain/types.ts';

export interface SelectedMessage {
  /** The peeked event: queueUrl, messageId, receiptHandle, requestId, role (event.source). */
  event: FailedEvent;
  /** Clock ms until which our receipt handle keeps the message hidden (peek time + visibility timeout);
   * null when not known (treat as expired). */
  heldUntil: number | null;
}

/** The prefix of an identity that is a request id (identityKey): `request:<request id>`. */
export const REQUEST_IDENTITY = 'request:';

/** The identity under which copies of one failure are sent once: the request id for a Lambda target when
 * the event carries one (a DLQ message and its destination twin share it), else the queue and message id. */
export function identityKey(event: FailedEvent, targetKind: 'lambda' | 'queue'): string {
  if (targetKind === 'lambda' && event.requestId) return `${REQUEST_IDENTITY}${event.requestId}`;
  return `message:${event.queueUrl}#${event.messageId}`;
}

export interface SelectionCost {
  /** Selected messages (all copies). */
  messages: number;
  /** Distinct events that would be sent (twins counted once). */
  events: number;
  /** Messages whose receipt handle is still held: redriven without any further receive. */
  held: number;
  /** Messages whose handle expired: looked for by id. */
  expired: number;
  /** The bound on the search: receives at most, and messages they may touch (receive count +1 each). */
  searchReceives: number;
  maxMessagesTouched: number;
}

/** Receives a search may make per expired message, by default (10 messages each). */
export const DEFAULT_SEARCH_RECEIVES_PER_MESSAGE = 5;
/** Never more than this many receives in one search, whatever the selection. */
export const MAX_SEARCH_RECEIVES = 200;

/** A handle about to expire is as good as expired: the send and the delete must both happen before it does. */
export const HOLD_MARGIN_MS = 5_000;

export function selectionCost(
  selected: readonly SelectedMessage[],
  now: number,
  targetKind: 'lambda' | 'queue',
  options: {searchReceivesPerMessage?: number; maxSearchReceives?: number; marginMs?: number} = {},
): SelectionCost {
  const margin = options.marginMs ?? HOLD_MARGIN_MS;
  let held = 0;
  let expired = 0;
  const identities = new Set<string>();
  for (const s of selected) {
    identities.add(identityKey(s.event, targetKind));
    if (s.heldUntil !== null && s.heldUntil - margin > now) held++;
    else expired++;
  }
  const perMessage = options.searchReceivesPerMessage ?? DEFAULT_SEARCH_RECEIVES_PER_MESSAGE;
  const searchReceives = expired === 0 ? 0 : Math.min(options.maxSearchReceives ?? MAX_SEARCH_RECEIVES, Math.max(1, expired * perMessage));
  return {messages: selected.length, events: identities.size, held, expired, searchReceives, maxMessagesTouched: searchReceives * 10};
}
