// The read phase of a selection (the events the operator marked): take the receipt handles the browser
// holds while they are valid, without any receive; look for the others by message id with a bounded
// number of receives, keeping the non-matching messages hidden during the search and releasing them after.
import type {FailedEvent} from '../domain/types.ts';
import type {RawMessage} from '../domain/types.ts';
import type {RedriveTarget} from './journal.ts';
import {HOLD_MARGIN_MS, selectionCost, type SelectedMessage} from './selection.ts';

export interface SelectionPorts {
  receive(queueUrl: string, options: {max: number; visibilityTimeoutSeconds: number; waitSeconds?: number}): Promise<RawMessage[]>;
  changeVisibility(queueUrl: string, receiptHandles: string[], seconds: number): Promise<{failed: Array<{receiptHandle: string; message: string}>}>;
}

export interface SelectionSearch {
  receives: number;
  messagesTouched: number;
  notFound: string[];
}

export async function collectSelection(
  selected: readonly SelectedMessage[],
  options: {
    ports: SelectionPorts;
    target: RedriveTarget;
    now: () => number;
    /** How long to hold each message for the send and the delete. */
    visibilitySeconds: number;
    searchReceives?: number;
    onSearch: (search: SelectionSearch) => void;
  },
): Promise<FailedEvent[]> {
  const {ports, now} = options;
  const ready: FailedEvent[] = [];
  const lost: FailedEvent[] = [];
  // 1. Held handles: extend the hold to cover the send (no receive, no receive count). SQS refuses a handle
  //    that is no longer valid (ReceiptHandleIsInvalid, MessageNotInflight): those are looked for.
  const byQueue = new Map<string, FailedEvent[]>();
  for (const s of selected) {
    if (s.heldUntil !== null && s.heldUntil - HOLD_MARGIN_MS > now() && s.event.receiptHandle !== '') {
      byQueue.set(s.event.queueUrl, [...(byQueue.get(s.event.queueUrl) ?? []), s.event]);
    } else lost.push(s.event);
  }
  for (const [queueUrl, events] of byQueue) {
    const result = await ports.changeVisibility(queueUrl, events.map((e) => e.receiptHandle), options.visibilitySeconds).catch((error: Error) => ({
      failed: events.map((e) => ({receiptHandle: e.receiptHandle, message: error.message})),
    }));
    const refused = new Set(result.failed.map((f) => f.receiptHandle));
    for (const e of events) (refused.has(e.receiptHandle) ? lost : ready).push(e);
  }
  if (lost.length === 0) return ready;
  // 2. The bounded search, by message id.
  const bound =
    options.searchReceives ??
    selectionCost(
      lost.map((event) => ({event, heldUntil: null})),
      now(),
      options.target.kind,
    ).searchReceives;
  const search: SelectionSearch = {receives: 0, messagesTouched: 0, notFound: []};
  const wanted = new Map<string, Map<string, FailedEvent>>();
  for (const e of lost) {
    let m = wanted.get(e.queueUrl);
    if (!m) wanted.set(e.queueUrl, (m = new Map()));
    m.set(e.messageId, e);
  }
  for (const [queueUrl, ids] of wanted) {
    const others: string[] = [];
    try {
      while (ids.size > 0 && search.receives < bound) {
        search.receives++;
        const messages = await ports.receive(queueUrl, {max: 10, visibilityTimeoutSeconds: options.visibilitySeconds});
        search.messagesTouched += messages.length;
        if (messages.length === 0) break;
        for (const m of messages) {
          const event = ids.get(m.messageId);
          if (event) {
            ids.delete(m.messageId);
            ready.push({...event, receiptHandle: m.receiptHandle, receiveCount: m.receiveCount});
          } else others.push(m.receiptHandle);
        }
      }
    } finally {
      // Not ours: hidden only while we searched; visible again now.
      if (others.length > 0) await ports.changeVisibility(queueUrl, others, 0).catch(() => undefined);
    }
    search.notFound.push(...ids.keys());
  }
  options.onSearch(search);
  return ready;
}
