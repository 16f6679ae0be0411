// The failed-event browser's side effects: peeking pages of the failure queues (and holding what was read,
// with when each receipt handle stops hiding its message), releasing them, the request's log lines,
// exports, and the exact selection a marked redrive works on. Identity is the message id everywhere.
// Memory: the store's list holds listed fields only; the full events live in an EventSpool (a bounded LRU in
// memory, the rest in a private temporary file), read back for the detail view, the filter's search of
// payload text, export and redrive.
import {open as openFile, rm} from 'node:fs/promises';
import path from 'node:path';
import type {AwsClients} from '../aws/clients.ts';
import {classifyAwsError} from '../aws/errors.ts';
import {fetchRequestLogs} from '../aws/logs.ts';
import {receiveMessages, releaseMessages} from '../aws/messages.ts';
import {queueRolesOf} from '../aws/queues.ts';
import {failedEventMatches, filterWords, listedEvent, parseFailedEvent} from '../domain/failed-event.ts';
import type {FailedEvent, ListedEvent, QueueRole, QueueStatus, RawMessage} from '../domain/types.ts';
import type {BulkLoadProgress} from '../store/types.ts';
import {receiveInLanes} from './bulk-load.ts';
import type {SelectedMessage} from '../redrive/selection.ts';
import {toExportRecord} from '../redrive/export.ts';
import {everyListedMatches, listedFieldsMatcher, warmListedFields, selectTwins, selectVisibleEvents, warmFilterIndex, type Store} from '../store/index.ts';
import type {ClockRate} from './clock-rate.ts';
import {EventSpool} from './event-spool.ts';
import {SpoolScanner, type ScanJob} from './spool-scanner.ts';
import {defaultExportName} from './state-paths.ts';

export const BROWSABLE_ROLES: readonly QueueRole[] = ['dlq', 'on-failure', 'source-dlq'];

/** Default time a peeked message stays hidden, in wall seconds. */
export const DEFAULT_PEEK_VISIBILITY_SECONDS = 60;

/** ReceiveMessage calls in flight while a whole queue loads (`m`). */
export const BULK_LANES = 8;
/** A whole-queue load stops reading at this share of the peek's visibility: what it read stays hidden. */
export const BULK_WINDOW_SHARE = 0.8;
const BULK_FLUSH_MS = 100;
const LAMBDA_DLQ_MESSAGE_ATTRIBUTES = ['RequestID', 'ErrorCode', 'ErrorMessage'] as const;

interface Held {
  receiptHandle: string;
  /** App-clock ms at which SQS shows the message again (receive time + the visibility asked for). */
  hiddenUntil: number;
}

export interface BrowserController {
  failureQueuesKnown(): boolean;
  queueFor(role: QueueRole): QueueStatus | null;
  open(): void;
  loadMore(role: QueueRole): void;
  /** Loads every message the queue holds (parallel receives, within the peek's visibility window). */
  loadAll(role: QueueRole): void;
  /** Releases every held message (or one role's): ChangeMessageVisibility 0. */
  release(role?: QueueRole): Promise<void>;
  showRequestLogs(event: ListedEvent): void;
  exportEvents(): void;
  /** Loaded events by message id, each with its loaded twins (a DLQ/destination pair is one failure). */
  eventsWithTwins(ids: readonly string[]): ListedEvent[];
  /** A loaded event in full (body, payload, stack), read back from the spool; null when not loaded or unreadable. */
  fullEvent(messageId: string): FailedEvent | null;
  /** The selection a marked redrive sends: each full event (read back, byte for byte) with the latest receipt
   * handle we hold for it and until when (wall ms, the engine's clock) it keeps the message hidden; null = not
   * held (treated as expired). Throws when an event cannot be read back (nothing is sent then). */
  selection(events: readonly ListedEvent[]): SelectedMessage[];
}

/** Resolves after the frame a dispatch has just scheduled is drawn: React schedules its render with
 * setImmediate and Ink writes the frame in the commit; a timer runs in the event loop's next turn, after it. */
const afterFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createBrowserController(options: {
  clients: AwsClients;
  store: Store;
  functionName: string;
  now: () => number;
  rate: ClockRate;
  /** Wall seconds a peeked message stays hidden (converted to the app clock's seconds). */
  peekVisibilitySeconds?: number;
  /** Where exports are written (default: the working directory). */
  exportDir?: string;
  /** Full events kept in memory (the rest are read back from the spool file); default DEFAULT_EVENTS_IN_MEMORY. */
  eventsInMemory?: number;
  /** The payload search's time inside a filter key, on this thread (default SEARCH_IN_KEY_MS); the rest goes on
   * after the key's frame, in the worker thread. */
  searchInKeyMs?: number;
}): BrowserController {
  const {clients, store, functionName, now, rate} = options;
  const dispatch = store.dispatch;
  /** queue URL -> message id -> the latest receipt handle. */
  const held = new Map<string, Map<string, Held>>();
  const spool = new EventSpool(options.eventsInMemory);
  /** The filter's payload search off the main thread (app/spool-scanner.ts). */
  const scanner = new SpoolScanner();
  /** Counts browser closes: a load begun before one stops and delivers nothing. */
  let browserSession = 0;
  let spoolWarned = false;
  const flash = (level: 'error' | 'warning' | 'info', text: string) => dispatch({type: 'flash/show', level, text});
  const describe = (error: unknown, action: string) => classifyAwsError(error, {action}).message;

  const queues = (): QueueStatus[] => store.getState().dashboard?.snapshot.queues ?? [];
  const queueFor = (role: QueueRole) => queues().find((q) => q.role === role && !q.error) ?? null;
  /** Discovery has answered and the queues it names have been read (an early empty answer does not count). */
  const failureQueuesKnown = (): boolean => {
    const dashboard = store.getState().dashboard;
    const topology = dashboard?.discovery.data;
    if (!topology || !dashboard.queues.data) return false;
    const expected = queueRolesOf(topology).length;
    return expected === 0 || dashboard.snapshot.queues.length > 0;
  };

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
        if (search.complete?.text === batch.text) {
          search.complete.ids.push(event.messageId);
          search.complete.set?.add(event.messageId);
        }
      }
      batch.fresh.push(listedEvent(event));
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
    const session = browserSession;
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
            if (session === browserSession) ingestAndCount(messages, hiddenUntil);
            return messages;
          });
        },
        onMessages: () => {
          if (performance.now() - flushedAt < BULK_FLUSH_MS) return;
          flush(false);
          dispatch({type: 'failed/bulk-progress', role, progress: progress(null)});
        },
        shouldStop: () => (session !== browserSession ? 'closed' : now() >= stopAt ? 'window' : null),
      });
      function ingestAndCount(messages: RawMessage[], hiddenUntil: number): void {
        const before = batch.fresh.length;
        ingest(batch, messages, role, queue!.url, hiddenUntil);
        read += batch.fresh.length - before;
      }
      if (session !== browserSession) return;
      flush(outcome.stopped === 'exhausted');
      if (outcome.stopped === 'error') dispatch({type: 'failed/load-failed', role, message: describe(outcome.error, 'sqs:ReceiveMessage')});
      dispatch({type: 'failed/bulk-progress', role, progress: progress(outcome.stopped)});
    } finally {
      bulkRunning.delete(role);
    }
  }

  async function release(role?: QueueRole): Promise<void> {
    const url = role ? queueFor(role)?.url : undefined;
    const entries = role ? (url ? [[url, held.get(url)] as const] : []) : [...held.entries()];
    if (!role) {
      // The browser closed (or the app stops): its events are gone from the list, so from the spool too.
      browserSession++;
      search.generation++;
      search.complete = null;
      scanner.close();
      spool.close();
    }
    await Promise.all(
      entries.map(async ([queueUrl, messages]) => {
        held.delete(queueUrl);
        if (!messages || messages.size === 0) return;
        try {
          await releaseMessages(clients, queueUrl, [...messages.values()].map((m) => m.receiptHandle));
        } catch {
          // The visibility timeout releases them anyway, shortly.
        }
      }),
    );
  }

  const loadedEvents = (): ListedEvent[] => store.getState().failed.sources.flatMap((s) => s.events);

  /** The full event of a listed one, read back from the spool (an event dispatched whole is its own). */
  const fullOf = (event: ListedEvent, recent = false): FailedEvent => {
    const full = recent ? spool.get(event.messageId) : spool.peek(event.messageId);
    if (full) return full;
    if ('body' in event) return event as FailedEvent;
    throw new Error(`event ${event.messageId} is not in the spool`);
  };

  // The filter's search of full text (payload, body), which the list's fields do not hold: the spool's search
  // file, read in blocks between which the UI runs (matches reach the store at most every SEARCH_FLUSH_MS); a
  // newer text (or a close) stops an older search. A text that extends the last one searched to the end
  // only searches the events that matched it when they are few (`complete`: its matches, kept up to date as
  // pages load; a list, made a set only when it narrows a search: adding 50,000 ids to a set per key cost more
  // than the narrowing saves, and the worker's search of a word typed on is cheap where the last one was not).
  const search: {text: string; generation: number; complete: {text: string; ids: string[]; set: Set<string> | null} | null} = {text: '', generation: 0, complete: null};
  /** The last complete search's matches as a set, when `text` extends its text and they are few enough to be
   * worth searching alone (every match of `text` is one of them); else undefined (search every event). */
  const narrowing = (text: string): ReadonlySet<string> | undefined => {
    const previous = search.complete;
    if (!previous || previous.text === '' || !text.startsWith(previous.text) || previous.ids.length * 4 >= spool.records) return undefined;
    return (previous.set ??= new Set(previous.ids));
  };
  const SEARCH_CHUNK = 500;
  const SEARCH_BLOCK_BYTES = 256 << 10;
  const SEARCH_FLUSH_MS = 120;
  const SEARCH_SLICE_MS = 4;
  /** The worker's hits are taken in shorter slices: each is only map lookups, and a key waits for one at most. */
  const SEARCH_DRAIN_SLICE_MS = 2;
  /** A search that ends within this much of the key (a short list, a narrowed text) ends inside it, so the key's
   * own frame shows its final list; a longer one goes on after that frame. Small blocks, so it stays bounded. */
  const SEARCH_IN_KEY_MS = 2;
  const SEARCH_IN_KEY_BYTES = 32 << 10;
  /** A search of more text than this cannot end inside the key (about 1 GB/s of indexOf): it starts after the
   * key's frame, so the key does not spend its 2 ms on a search it cannot finish. */
  const SEARCH_IN_KEY_MAX_BYTES = 2 << 20;
  /** Runs a worker scan and takes its hits here in slices of SEARCH_DRAIN_SLICE_MS (a key waits for one slice at
   * most, not for a batch of thousands of hits): `take` gets each hit's id, `onBatch` runs before each slice,
   * `flush` after it. 'failed' when the worker could not search (then the caller searches on this thread). */
  async function drainWorkerScan(job: ScanJob, generation: number, take: (id: string) => void, onBatch: () => void, flush: () => void): Promise<'done' | 'cancelled' | 'failed'> {
    const queue: Int32Array[] = [];
    let finished: 'done' | 'cancelled' | 'failed' | null = null;
    let wake: (() => void) | null = null;
    const poke = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    scanner.scan(job, (hits) => {
      queue.push(hits);
      poke();
    }).then(
      (outcome) => {
        finished = outcome;
        poke();
      },
      () => {
        finished = 'failed';
        poke();
      },
    );
    for (;;) {
      if (generation !== search.generation) return 'cancelled';
      const hits = queue.shift();
      if (hits === undefined) {
        if (finished !== null) return finished;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const sliceStart = performance.now();
      onBatch();
      let i = 0;
      for (; i < hits.length; i++) {
        if ((i & 127) === 127 && performance.now() - sliceStart >= SEARCH_DRAIN_SLICE_MS) break;
        const id = spool.currentId(hits[i]!);
        if (id !== null) take(id);
      }
      if (i < hits.length) queue.unshift(hits.subarray(i));
      flush();
      if (i < hits.length || queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function searchText(text: string, generation: number): Promise<void> {
    if (everyListedMatches(text, spool.size)) {
      // Every loaded event is listed on its fields already ("c", "o": the error message has them): no payload
      // can add one, so there is nothing to search. (Not kept as the next text's narrowing: that would need
      // a set of every id.)
      search.complete = null;
      dispatch({type: 'failed/text-matches', text, ids: [], done: true});
      return;
    }
    const words = filterWords(text);
    const only = narrowing(text);
    const found: string[] = [];
    let pending: string[] = [];
    let flushedAt = performance.now();
    let from: number | null = 0;
    let isListed = listedFieldsMatcher(text);
    const take = (id: string): void => {
      found.push(id);
      // An event whose listed fields match is in the list already: only payload matches are sent.
      if (!isListed(id)) pending.push(id);
    };
    const flushSome = (): void => {
      if (pending.length > 0 && performance.now() - flushedAt >= SEARCH_FLUSH_MS) {
        dispatch({type: 'failed/text-matches', text, ids: pending, done: false});
        pending = [];
        flushedAt = performance.now();
      }
    };
    const failed = (error: unknown): void => {
      flash('error', `the filter could not search every payload: ${(error as Error).message}`);
      dispatch({type: 'failed/text-matches', text, ids: pending, done: true});
    };
    // Inside the key, on this thread: a search that ends within SEARCH_IN_KEY_MS (a short list, a narrowed
    // text) shows its final list in the key's own frame; one of more than SEARCH_IN_KEY_MAX_BYTES of text
    // starts after the frame.
    const keyStart = performance.now();
    const textBytes = only ? (only.size * spool.searchBytes) / Math.max(1, spool.records) : spool.searchBytes;
    const inKeyMs = options.searchInKeyMs ?? (textBytes > SEARCH_IN_KEY_MAX_BYTES ? 0 : SEARCH_IN_KEY_MS);
    try {
      while (from !== null && performance.now() - keyStart < inKeyMs) {
        const step = spool.scan(words, from, SEARCH_IN_KEY_BYTES, only);
        for (const id of step.ids) take(id);
        from = step.next;
      }
    } catch (error) {
      return failed(error);
    }
    if (from !== null) {
      // Not done within the key: the list is marked "searching payloads…" in the key's own frame (with the
      // listed-field matches), and the search goes on after that frame. A newer key (a new generation) stops
      // it, so fast typing searches only the last text.
      dispatch({type: 'failed/text-matches', text, ids: pending, done: false});
      pending = [];
      flushedAt = performance.now();
      await afterFrame();
      if (generation !== search.generation) return;
      warmListedFields(text);
      isListed = listedFieldsMatcher(text);
      // The rest in the worker thread, which reads the search file itself; the records loaded meanwhile (and
      // any the worker cannot read) are searched here after it.
      const records = spool.records;
      // A narrowed search gives the worker only the records the last text matched (a match of this text
      // matches the last one, so nothing is lost).
      const job = scanner.start() ? spool.scanJob(words, from, only) : null;
      if (job !== null) {
        const outcome = await drainWorkerScan(job, generation, take, () => {
          isListed = listedFieldsMatcher(text);
        }, flushSome);
        if (outcome === 'cancelled' || generation !== search.generation) return;
        if (outcome === 'done') {
          from = records < spool.records ? records : null;
        } else {
          // No worker after all (or it failed): this thread searches it all again.
          found.length = 0;
          from = 0;
          isListed = listedFieldsMatcher(text);
        }
      }
      let sliceStart = performance.now();
      while (from !== null) {
        if (performance.now() - sliceStart >= SEARCH_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          if (generation !== search.generation) return;
          sliceStart = performance.now();
          isListed = listedFieldsMatcher(text);
        }
        try {
          const step = spool.scan(words, from, SEARCH_BLOCK_BYTES, only);
          for (const id of step.ids) take(id);
          from = step.next;
        } catch (error) {
          return failed(error);
        }
        if (from !== null) flushSome();
      }
    }
    search.complete = {text, ids: found, set: null};
    dispatch({type: 'failed/text-matches', text, ids: pending, done: true});
  }

  let filterWarm = false;
  /** Reads the detail view's full event back when it opens, and searches full text when the filter changes. */
  function onStateChange(): void {
    const state = store.getState();
    const f = state.failed;
    if (state.view === 'detail' && f.detailId !== null && f.detail?.id !== f.detailId && spool.has(f.detailId)) {
      const id = f.detailId;
      try {
        dispatch({type: 'detail/loaded', id, event: spool.get(id), error: null});
      } catch (error) {
        dispatch({type: 'detail/loaded', id, event: null, error: `could not read this event back from lambda-top's spool file: ${(error as Error).message}`});
      }
    }
    if (f.filter.editing && !filterWarm) {
      filterWarm = true;
      void afterFrame().then(() => {
        warmFilterIndex(store.getState());
        if (spool.size > 0) scanner.start();
      });
    } else if (!f.filter.editing) filterWarm = false;
    const text = f.filter.text.trim();
    if (text !== search.text) {
      search.text = text;
      const generation = ++search.generation;
      scanner.stop();
      if (text !== '' && spool.size > 0) void searchText(text, generation);
    }
  }
  store.subscribe(onStateChange);

  /** Writes the events' full records, read back from the spool a chunk at a time (memory stays bounded). */
  async function writeExport(file: string, events: readonly ListedEvent[]): Promise<void> {
    const handle = await openFile(file, 'wx');
    try {
      for (let i = 0; i < events.length; i += SEARCH_CHUNK) {
        const text = events.slice(i, i + SEARCH_CHUNK).map((e) => JSON.stringify(toExportRecord(fullOf(e))) + '\n').join('');
        await handle.write(text);
      }
    } catch (error) {
      await handle.close();
      await rm(file, {force: true}); // no partial export left behind
      throw error;
    }
    await handle.close();
  }

  return {
    failureQueuesKnown,
    queueFor,
    release,
    fullEvent(messageId) {
      const listed = loadedEvents().find((e) => e.messageId === messageId);
      if (!listed) return null;
      try {
        return fullOf(listed, true);
      } catch {
        return null;
      }
    },
    open() {
      if (loadedEvents().length === 0) {
        // A new spool numbers its records afresh: the worker's places of the last word go with the old one.
        scanner.close();
        spool.close();
      }
      const roles = BROWSABLE_ROLES.filter((role) => queueFor(role));
      const sources = BROWSABLE_ROLES.map((role) => {
        const queue = queueFor(role);
        return {role, queueUrl: queue?.url ?? null, queueName: queue?.name ?? null};
      }).filter((s) => s.queueUrl);
      dispatch({type: 'failed/sources', sources});
      dispatch({
        type: 'failed/peek-notice',
        text: "Peeking is not free: each read increments the message's receive count and hides it for a minute; lambda-top releases what it read when you leave.",
      });
      if (roles.length === 0) flash('info', queues().length === 0 ? 'queues are not known yet: wait for discovery' : 'this function has no SQS failure queue to browse');
      for (const role of roles) {
        dispatch({type: 'failed/load-requested', role});
        void peekPage(role);
      }
    },
    loadMore(role) {
      void peekPage(role);
    },
    loadAll(role) {
      void loadAll(role);
    },
    showRequestLogs(event) {
      const requestId = event.requestId;
      if (!requestId) {
        flash('warning', 'this event carries no request id');
        return;
      }
      const topology = store.getState().dashboard?.snapshot.topology;
      const logGroup = topology?.logGroup ?? `/aws/lambda/${functionName}`;
      dispatch({type: 'logs/loading', requestId});
      fetchRequestLogs(clients, {logGroup, requestId, around: event.time ?? event.sentAt ?? now()})
        .then((lines) => dispatch({type: 'logs/loaded', requestId, lines: lines.map((l) => l.message.replace(/[\r\n]+$/, ''))}))
        .catch((error: unknown) => dispatch({type: 'logs/failed', requestId, message: describe(error, 'logs:FilterLogEvents')}));
    },
    exportEvents() {
      const state = store.getState();
      const marked = Object.keys(state.failed.marked);
      const events = marked.length > 0 ? loadedEvents().filter((e) => state.failed.marked[e.messageId]) : selectVisibleEvents(state);
      if (events.length === 0) {
        flash('info', 'no loaded events to export');
        return;
      }
      const file = path.resolve(options.exportDir ?? process.cwd(), defaultExportName(functionName, now()));
      writeExport(file, events)
        .then(() => flash('info', `exported ${events.length} event${events.length === 1 ? '' : 's'} to ${file}`))
        .catch((error: unknown) => flash('error', `export failed: ${(error as Error).message}`));
    },
    eventsWithTwins(ids) {
      const state = store.getState();
      const byId = new Map(loadedEvents().map((e) => [e.messageId, e]));
      const twins = selectTwins(state);
      const out = new Map<string, ListedEvent>();
      for (const id of ids) {
        const event = byId.get(id);
        if (!event) continue;
        out.set(id, event);
        for (const twin of twins.get(id) ?? []) out.set(twin.messageId, twin);
      }
      return [...out.values()];
    },
    selection(events) {
      const clockNow = now();
      const wallNow = Date.now();
      const r = rate.sample();
      return events.map((listed): SelectedMessage => {
        const event = fullOf(listed);
        const h = held.get(event.queueUrl)?.get(event.messageId);
        if (!h) return {event, heldUntil: null};
        // The engine runs on the wall clock; convert the app clock's hiding time (unknown rate: not held).
        const heldUntil = r === null ? (clockNow === wallNow ? h.hiddenUntil : null) : wallNow + (h.hiddenUntil - clockNow) / r;
        return {event: {...event, receiptHandle: h.receiptHandle}, heldUntil: heldUntil === null ? null : Math.floor(heldUntil)};
      });
    },
  };
}
