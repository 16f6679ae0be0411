// The failed-event browser's reading of its queues: one page a press (peekPage), or the whole queue (`m`,
// loadAll: BULK_LANES receives in flight, within the peek's visibility window). Each message read is held (the
// latest receipt handle, and until when it hides the message), spooled once (app/event-spool.ts), and
// delivered to the store as listed fields, with those whose full text matches the filter's text.
import type {AwsClients} from '../aws/clients.ts';
import {receiveMessages} from '../aws/messages.ts';
import {failedEventMatches, listedEvent, parseFailedEvent} from '../domain/failed-event.ts';
import type {FailedEvent, ListedEvent, QueueRole, QueueStatus, RawMessage} from '../domain/types.ts';
import type {BulkLoadProgress} from '../store/types.ts';
import {setSearchKey, type Store} from '../store/index.ts';
import {receiveInLanes} from './bulk-load.ts';
import type {ClockRate} from './clock-rate.ts';
import type {EventSpool} from './event-spool.ts';
import type {PayloadSearch} from './payload-search.ts';

/** Default time a peeked message stays hidden, in wall seconds. */
export const DEFAULT_PEEK_VISIBILITY_SECONDS = 60;

/** ReceiveMessage calls in flight while a whole queue loads (`m`). */
export const BULK_LANES = 8;
/** A whole-queue load stops reading at this share of the peek's visibility: what it read stays hidden. */
export const BULK_WINDOW_SHARE = 0.8;
const BULK_FLUSH_MS = 100;
const LAMBDA_DLQ_MESSAGE_ATTRIBUTES = ['RequestID', 'ErrorCode', 'ErrorMessage'] as const;

export interface Held {
  receiptHandle: string;
  /** App-clock ms at which SQS shows the message again (receive time + the visibility asked for). */
  hiddenUntil: number;
}

export interface QueueLoader {
  peekPage(role: QueueRole): Promise<void>;
  loadAll(role: QueueRole): Promise<void>;
}

export function createQueueLoader(options: {
  clients: AwsClients;
  store: Store;
  spool: EventSpool;
  search: PayloadSearch;
  /** queue URL -> message id -> the latest receipt handle (the controller releases them). */
  held: Map<string, Map<string, Held>>;
  /** The browser's session: a load begun in an earlier one (the browser closed since) stops and delivers nothing. */
  session: () => number;
  queueFor: (role: QueueRole) => QueueStatus | null;
  now: () => number;
  rate: ClockRate;
  /** Wall seconds a peeked message stays hidden (converted to the app clock's seconds). */
  peekVisibilitySeconds?: number;
  flash: (level: 'warning' | 'info', text: string) => void;
  describe: (error: unknown, action: string) => string;
}): QueueLoader {
  const {clients, store, spool, search, held, queueFor, now, rate, flash, describe} = options;
  const dispatch = store.dispatch;
  let spoolWarned = false;

/** The peek's visibility in the queue's clock: the demo's virtual seconds run faster than wall seconds. */
const peekVisibility = async (): Promise<number> => {
  const wallSeconds = options.peekVisibilitySeconds ?? DEFAULT_PEEK_VISIBILITY_SECONDS;
  // Right after start the rate may not be measured yet: wait for it (under a second) rather than guess.
  const r = (await rate.ready()) ?? 1;
  return Math.max(1, Math.min(43_200, Math.round(wallSeconds * r)));
};

async function peekPage(role: QueueRole): Promise<void> {
  const queue = queueFor(role);
  if (!queue) {
    dispatch({type: 'failed/page-loaded', role, events: [], exhausted: true, queueUrl: null, queueName: null});
    return;
  }
  try {
    const visibility = await peekVisibility();
    const receivedAt = now();
    const messages = await receiveMessages(clients, queue.url, {max: 10, visibilityTimeoutSeconds: visibility, ...receiveAttributes(role)});
    const batch = newBatch();
    ingest(batch, messages, role, queue.url, receivedAt + visibility * 1000);
    deliver(batch, role, queue, messages.length === 0);
  } catch (error) {
    dispatch({type: 'failed/load-failed', role, message: describe(error, 'sqs:ReceiveMessage')});
  }
}

/** Lambda writes exactly these message attributes on a DLQ message, and none on a destination record: ask
 * for those only. A queue's own DLQ (source-dlq) keeps every attribute: a move sends them on. */
const receiveAttributes = (role: QueueRole): {messageAttributeNames?: readonly string[]} =>
  role === 'dlq' || role === 'on-failure' ? {messageAttributeNames: LAMBDA_DLQ_MESSAGE_ATTRIBUTES} : {};

interface Batch {
  text: string;
  fresh: ListedEvent[];
  matching: string[];
}
const newBatch = (): Batch => ({text: store.getState().failed.filter.text.trim(), fresh: [], matching: []});

/** Holds the messages' receipt handles and spools the new ones (deduplicated by message id) into `batch`. */
function ingest(batch: Batch, messages: readonly RawMessage[], role: QueueRole, queueUrl: string, hiddenUntil: number): void {
  let entry = held.get(queueUrl);
  if (!entry) held.set(queueUrl, (entry = new Map()));
  const parsed: FailedEvent[] = [];
  for (const message of messages) {
    // A message read again gets a new handle and a new hiding time: keep the latest.
    entry.set(message.messageId, {receiptHandle: message.receiptHandle, hiddenUntil});
    if (spool.has(message.messageId) || parsed.some((e) => e.messageId === message.messageId)) continue;
    parsed.push(parseFailedEvent(message, role, queueUrl));
  }
  spool.putAll(parsed);
  for (const event of parsed) {
    if (batch.text && failedEventMatches(event, batch.text)) {
      batch.matching.push(event.messageId);
      search.loadedMatch(batch.text, event.messageId);
    }
    const listed = listedEvent(event);
    setSearchKey(listed, spool.keyOf(event.messageId));
    batch.fresh.push(listed);
  }
}

function deliver(batch: Batch, role: QueueRole, queue: QueueStatus, exhausted: boolean): void {
  if (spool.writeError && !spoolWarned) {
    spoolWarned = true;
    flash('warning', `events are kept in memory: the spool file cannot be written (${spool.writeError})`);
  }
  const text = batch.text;
  dispatch({type: 'failed/page-loaded', role, events: batch.fresh, exhausted, queueUrl: queue.url, queueName: queue.name, ...(text ? {textMatches: {text, ids: batch.matching}} : {})});
}

/** `m`: every message the queue holds, BULK_LANES receives in flight, within the peek's visibility window.
 * Batches reach the store at most every BULK_FLUSH_MS (one merge into the list per batch, not per page). */
const bulkRunning = new Set<QueueRole>();
async function loadAll(role: QueueRole): Promise<void> {
  const queue = queueFor(role);
  if (!queue) return peekPage(role);
  if (bulkRunning.has(role)) return flash('info', 'already loading this queue');
  bulkRunning.add(role);
  const session = options.session();
  try {
    const visibility = await peekVisibility();
    const clockRate = rate.rate() ?? 1;
    const startedAt = now();
    const visibleAgainAt = startedAt + visibility * 1000;
    const stopAt = startedAt + visibility * 1000 * BULK_WINDOW_SHARE;
    const depth = queue.visible === null ? null : queue.visible + (queue.inFlight ?? 0);
    let read = 0;
    const progress = (stopped: BulkLoadProgress['stopped']): BulkLoadProgress => ({read, expected: depth, startedAt, visibleAgainAt, clockRate, stopped, tookMs: stopped === null ? null : now() - startedAt});
    dispatch({type: 'failed/bulk-progress', role, progress: progress(null)});
    let batch = newBatch();
    let flushedAt = performance.now();
    const flush = (exhausted: boolean) => {
      deliver(batch, role, queue, exhausted);
      batch = newBatch();
      flushedAt = performance.now();
    };
    const outcome = await receiveInLanes<RawMessage>({
      lanes: BULK_LANES,
      receive: () => {
        const hiddenUntil = now() + visibility * 1000;
        return receiveMessages(clients, queue.url, {max: 10, visibilityTimeoutSeconds: visibility, ...receiveAttributes(role)}).then((messages) => {
          if (session === options.session()) ingestAndCount(messages, hiddenUntil);
          return messages;
        });
      },
      onMessages: () => {
        if (performance.now() - flushedAt < BULK_FLUSH_MS) return;
        flush(false);
        dispatch({type: 'failed/bulk-progress', role, progress: progress(null)});
      },
      shouldStop: () => (session !== options.session() ? 'closed' : now() >= stopAt ? 'window' : null),
    });
    function ingestAndCount(messages: RawMessage[], hiddenUntil: number): void {
      const before = batch.fresh.length;
      ingest(batch, messages, role, queue!.url, hiddenUntil);
      read += batch.fresh.length - before;
    }
    if (session !== options.session()) return;
    flush(outcome.stopped === 'exhausted');
    if (outcome.stopped === 'error') dispatch({type: 'failed/load-failed', role, message: describe(outcome.error, 'sqs:ReceiveMessage')});
    dispatch({type: 'failed/bulk-progress', role, progress: progress(outcome.stopped)});
  } finally {
    bulkRunning.delete(role);
  }
}

  return {peekPage, loadAll};
}
