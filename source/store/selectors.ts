// Derived views of the state. Memoised on input identity so a render with thousands of loaded events
// does not re-filter and re-sort them when nothing relevant changed.
import {filteredEvents, sortedEvents, warmHaystacks, warmSearchTexts, warmSieve} from './visible-index.ts';
export {everyListedMatches, listedFieldsMatch, listedFieldsMatcher, setSearchKey, warmListedFields} from './visible-index.ts';
import type {FailedEvent, ListedEvent} from '../domain/types.ts';
import type {AppState, FailedBrowserState} from './types.ts';

export const eventId = (event: ListedEvent): string => event.messageId;

/** True while the filter text's search of the loaded events' full text is still going (the list may grow). */
export function selectTextSearching(state: AppState): boolean {
  const text = state.failed.filter.text.trim();
  const m = state.failed.textMatches;
  return text !== '' && m !== null && m.text === text && m.searching;
}

/** The events the list shows, in order: source filter, text filter, sort. Stable identity while inputs are
 * unchanged; pages loaded are merged into the order and a longer filter text narrows the last result
 * (store/visible-index.ts), so a key costs what changed, not every loaded event. */
export function selectVisibleEvents(state: AppState): ListedEvent[] {
  const {sources, sourceFilter, filter, sort, textMatches} = state.failed;
  const sorted = sortedEvents(sources, sourceFilter, sort.key, sort.descending);
  return filteredEvents(sorted, filter.text.trim(), textMatches);
}

/** Builds the search texts of the list the filter will narrow (called when the filter opens, off the key's
 * frame), so its first key reads them instead of computing every loaded event's. */
export function warmFilterIndex(state: AppState): () => boolean {
  const {sources, sourceFilter, sort} = state.failed;
  const list = sortedEvents(sources, sourceFilter, sort.key, sort.descending);
  // A slice per call (true while there is more), so a key typed right after the filter opens is read between
  // two slices: the events' search texts, then the list's arrays of them, then the bigram sieve.
  let texts = 0;
  let sieve: number | null = 0;
  return () => {
    if (texts < list.length) {
      texts = warmSearchTexts(list, texts, WARM_SLICE);
      if (texts >= list.length) warmHaystacks(list);
      return true;
    }
    sieve = sieve === null ? null : warmSieve(list, sieve, WARM_SLICE);
    return sieve !== null;
  };
}

/** Events per slice of warmFilterIndex (some 2-3 ms at the bench's events). */
const WARM_SLICE = 2048;

/** The event under the cursor: the one the operator sees highlighted, or null when none is shown. */
export function selectCursorEvent(state: AppState): ListedEvent | null {
  const visible = selectVisibleEvents(state);
  const id = state.failed.cursorId;
  if (id === null) return null;
  const at = visible[state.failed.cursor];
  if (at && at.messageId === id) return at;
  return visible.find((e) => e.messageId === id) ?? null;
}

/** Roles whose copies of one failure are twins: Lambda writes a failure to both its DLQ (the raw event) and
 * its OnFailure destination (the invocation record), with the same request id. */
const TWIN_ROLES: ReadonlySet<string> = new Set(['dlq', 'on-failure']);

let twinCache: {sources: FailedBrowserState['sources']; taken: number[]; byRequest: Map<string, ListedEvent[]>; result: ReadonlyMap<string, ListedEvent[]>} | null = null;

/** Whether `next` only appended events to the sources of `prev` (same sources, same order, same prefixes). */
function onlyAppended(prev: FailedBrowserState['sources'], next: FailedBrowserState['sources'], taken: readonly number[]): boolean {
  if (prev.length !== next.length) return false;
  return next.every((b, i) => {
    const a = prev[i]!;
    const n = taken[i]!;
    return a.role === b.role && b.events.length >= n && (n === 0 || (b.events[0] === a.events[0] && b.events[n - 1] === a.events[n - 1]));
  });
}

/** For each loaded event that has a twin loaded (same request id, the other failure target), its other
 * copies: messageId -> the twins (never the event itself). Memoised on the loaded sources; pages appended
 * update only the request ids they bring (not every loaded event per page). */
export function selectTwins(state: AppState): ReadonlyMap<string, ListedEvent[]> {
  const {sources} = state.failed;
  const c = twinCache;
  if (c && c.sources === sources) return c.result;
  const reuse = c !== null && onlyAppended(c.sources, sources, c.taken);
  const byRequest = reuse ? c.byRequest : new Map<string, ListedEvent[]>();
  const touched = new Set<string>();
  const taken = sources.map((source, i) => {
    const from = reuse ? c.taken[i]! : 0;
    if (!TWIN_ROLES.has(source.role)) return source.events.length;
    for (let p = from; p < source.events.length; p++) {
      const event = source.events[p]!;
      if (!event.requestId) continue;
      const list = byRequest.get(event.requestId);
      if (list) list.push(event);
      else byRequest.set(event.requestId, [event]);
      touched.add(event.requestId);
    }
    return source.events.length;
  });
  let result: Map<string, ListedEvent[]> | ReadonlyMap<string, ListedEvent[]> = reuse ? c.result : new Map();
  const requests = reuse ? touched : byRequest.keys();
  let copied = !reuse;
  for (const requestId of requests) {
    const copies = byRequest.get(requestId)!;
    // Twins live in different queues; two messages with one request id in the same queue are duplicates
    // of a delivery, not twins, and stay separate events.
    if (copies.length < 2 || new Set(copies.map((x) => x.source)).size < 2) continue;
    if (!copied) {
      result = new Map(result);
      copied = true;
    }
    for (const copy of copies) {
      const others = copies.filter((x) => x !== copy && x.source !== copy.source);
      if (others.length) (result as Map<string, ListedEvent[]>).set(copy.messageId, others);
    }
  }
  twinCache = {sources, taken, byRequest, result};
  return result;
}

/** The ids of these events and of their loaded twins, each once. */
export function withTwins(state: AppState, ids: readonly string[]): string[] {
  const twins = selectTwins(state);
  const out = new Set<string>();
  for (const id of ids) {
    out.add(id);
    for (const twin of twins.get(id) ?? []) out.add(twin.messageId);
  }
  return [...out];
}

export function selectDetailEvent(state: AppState): ListedEvent | null {
  const id = state.failed.detailId;
  if (id === null) return null;
  for (const source of state.failed.sources) {
    const found = source.events.find((e) => e.messageId === id);
    if (found) return found;
  }
  return null;
}

/** The full event the detail view shows: read back by the browser controller (state.failed.detail); an event
 * loaded whole (stores filled without a controller) is its own full event. null while not read (or unreadable). */
export function selectDetailFull(state: AppState): FailedEvent | null {
  const id = state.failed.detailId;
  if (id === null) return null;
  const read = state.failed.detail;
  if (read && read.id === id) return read.event;
  const listed = selectDetailEvent(state);
  return listed && 'body' in listed ? (listed as FailedEvent) : null;
}

export function selectMarkedIds(state: AppState): string[] {
  return Object.keys(state.failed.marked);
}

export function selectLoadedCount(state: AppState): number {
  return state.failed.sources.reduce((n, s) => n + s.events.length, 0);
}

/** Sources that can still page in more events (not exhausted, not loading, no error). */
export function selectLoadableSources(state: AppState): FailedBrowserState['sources'] {
  return state.failed.sources.filter(
    (s) => !s.exhausted && !s.loading && !s.error && (state.failed.sourceFilter === 'all' || s.role === state.failed.sourceFilter),
  );
}

const NO_HELD: Readonly<Record<string, number>> = Object.freeze({});
let heldCache: {sources: FailedBrowserState['sources']; result: Readonly<Record<string, number>>} | null = null;

/** Messages our own peek holds hidden (the browser's loaded events), per queue URL. Stable identity while the
 * loaded sources are unchanged, so the header's memo holds. */
export function selectHeldByUs(state: AppState): Readonly<Record<string, number>> {
  const sources = state.failed.sources;
  if (heldCache && heldCache.sources === sources) return heldCache.result;
  const out: Record<string, number> = {};
  for (const source of sources) if (source.queueUrl && source.events.length > 0) out[source.queueUrl] = (out[source.queueUrl] ?? 0) + source.events.length;
  const result = Object.keys(out).length > 0 ? out : NO_HELD;
  heldCache = {sources, result};
  return result;
}

/** Is the operator typing a filter (the failed list's, or the logs panel's)? */
export function selectFilterEditing(state: AppState): boolean {
  return state.view === 'logs' ? state.tail.filter.editing : state.failed.filter.editing;
}
