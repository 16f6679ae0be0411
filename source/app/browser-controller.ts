// The failed-event browser's side effects: peeking pages of the failure queues (app/queue-loader.ts, which
// holds what was read, with when each receipt handle stops hiding its message), releasing them, the filter's
// search of full text (app/payload-search.ts), the request's log lines, exports, and the exact selection a
// marked redrive works on. Identity is the message id everywhere.
// Memory: the store's list holds listed fields only; the full events live in an EventSpool (a bounded LRU in
// memory, the rest in a private temporary file), read back for the detail view, the filter's search of
// payload text, export and redrive.
import {open as openFile, rm} from 'node:fs/promises';
import path from 'node:path';
import type {AwsClients} from '../aws/clients.ts';
import {classifyAwsError} from '../aws/errors.ts';
import {fetchRequestLogs} from '../aws/logs.ts';
import {releaseMessages} from '../aws/messages.ts';
import type {FailedEvent, ListedEvent, QueueRole, QueueStatus} from '../domain/types.ts';
import type {SelectedMessage} from '../redrive/selection.ts';
import {toExportRecord} from '../redrive/export.ts';
import {selectTwins, selectVisibleEvents, warmFilterIndex, type Store} from '../store/index.ts';
import type {ClockRate} from './clock-rate.ts';
import {EventSpool} from './event-spool.ts';
import {afterFrame, createPayloadSearch} from './payload-search.ts';
import {createQueueLoader, type Held} from './queue-loader.ts';
import {defaultExportName} from './state-paths.ts';

export const BROWSABLE_ROLES: readonly QueueRole[] = ['dlq', 'on-failure', 'source-dlq'];

export interface BrowserController {
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
  /** The payload search's time inside a filter key (default payload-search.ts SEARCH_IN_KEY_MS on this thread, and
   * up to SEARCH_WAIT_IN_KEY_MS waiting for the worker); when given, both: the rest goes on after the key's frame,
   * in the worker thread. (The worker, started as events load, now often answers within the wait.) */
  searchInKeyMs?: number;
}): BrowserController {
  const {clients, store, functionName, now, rate} = options;
  const dispatch = store.dispatch;
  /** queue URL -> message id -> the latest receipt handle. */
  const held = new Map<string, Map<string, Held>>();
  const spool = new EventSpool(options.eventsInMemory);
  /** Counts browser closes: a load begun before one stops and delivers nothing. */
  let browserSession = 0;
  const flash = (level: 'error' | 'warning' | 'info', text: string) => dispatch({type: 'flash/show', level, text});
  const describe = (error: unknown, action: string) => classifyAwsError(error, {action}).message;
  /** The filter's search of the loaded events' full text (app/payload-search.ts). */
  const search = createPayloadSearch({spool, dispatch, flash, ...(options.searchInKeyMs !== undefined ? {searchInKeyMs: options.searchInKeyMs, searchWaitInKeyMs: options.searchInKeyMs} : {})});

  const queues = (): QueueStatus[] => store.getState().dashboard?.snapshot.queues ?? [];
  const queueFor = (role: QueueRole) => queues().find((q) => q.role === role && !q.error) ?? null;

  const loader = createQueueLoader({
    clients, store, spool, search, held, session: () => browserSession, queueFor, now, rate, flash, describe,
    ...(options.peekVisibilitySeconds !== undefined ? {peekVisibilitySeconds: options.peekVisibilitySeconds} : {}),
  });
  const {peekPage} = loader;

  async function release(role?: QueueRole): Promise<void> {
    const url = role ? queueFor(role)?.url : undefined;
    const entries = role ? (url ? [[url, held.get(url)] as const] : []) : [...held.entries()];
    if (!role) {
      // The browser closed (or the app stops): its events are gone from the list, so from the spool too.
      browserSession++;
      search.close();
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

  const SEARCH_CHUNK = 500;

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
      void afterFrame().then(async () => {
        const more = warmFilterIndex(store.getState());
        search.warm();
        // The sieve a slice per turn of the event loop: a key typed meanwhile is read between two slices.
        while (more()) await new Promise((resolve) => setImmediate(resolve));
      });
    } else if (!f.filter.editing) filterWarm = false;
    search.setText(f.filter.text.trim());
  }
  store.subscribe(onStateChange);
  // A filter key's payload search starts before the store filters the list's fields for the new text, so the
  // worker's scan runs beside that (one core each) instead of after it.
  store.beforeDispatch((action, state) => {
    if (action.type === 'failed/filter-set' && state.failed.filter.editing && action.text.trim() !== state.failed.filter.text.trim()) search.anticipate(action.text.trim());
  });

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
        search.close();
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
      void loader.loadAll(role);
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
