// The failed-event list's order and filter, kept so that a key does not touch every loaded event:
// - the sorted order is maintained on load: a page's new events are sorted among themselves and merged into
//   the order (not a re-sort of everything per page, which made loading quadratic);
// - each event's lower-cased search text is computed once (a WeakMap on the event object, which is immutable);
// - the listed-field matches of a filter text are narrowed from those of the longest recent text it extends
//   (every word of the old text is part of a word of the new one, so nothing outside the old matches can match
//   the new text), whether or not the payload search of the old text finished; the last texts' matches are
//   kept, so a backspace costs a lookup;
// - payload matches found by the controller's search are merged into the result, not re-filtered from scratch;
//   those sent by search key (the spool's record number of each event, setSearchKey) are a bitmap, and the list
//   is one pass over its order against it (a typed array of the order's keys, made once per order).
// Pure: no I/O; the caches are keyed on the identity of the store's arrays.
import {filterWords, haystackMatches, searchHaystack} from '../domain/failed-event.ts';
import type {ListedEvent} from '../domain/types.ts';
import type {FailedBrowserState, FailedSortKey} from './types.ts';
import {BigramSieve} from './bigram-sieve.ts';

type Sources = FailedBrowserState['sources'];
type Compare = (a: ListedEvent, b: ListedEvent) => number;

// Built when a list is first sorted by text, not when the module loads: an Intl.Collator loads ICU's collation
// data, about 3 MB of resident memory that a dashboard never browsing its failed events does not need.
let shared: Intl.Collator | undefined;
const collator = (): Intl.Collator => (shared ??= new Intl.Collator());
const haystacks = new WeakMap<ListedEvent, string>();
/** Each loaded event's search key (the browser's spool numbers the events it keeps: app/event-spool.ts keyOf). */
const searchKeys = new WeakMap<ListedEvent, number>();

/** Gives a listed event its search key (a small integer, unique among the loaded events): payload matches sent
 * by key (textMatches.keys) are found by it. */
export function setSearchKey(event: ListedEvent, key: number): void {
  searchKeys.set(event, key);
}

/** The search keys of a list's events, index for index (-1: none), made once per list. */
const listKeys = new WeakMap<readonly ListedEvent[], Int32Array>();
function keysOf(list: readonly ListedEvent[]): Int32Array {
  let keys = listKeys.get(list);
  if (keys === undefined) {
    keys = new Int32Array(list.length);
    for (let i = 0; i < list.length; i++) keys[i] = searchKeys.get(list[i]!) ?? -1;
    listKeys.set(list, keys);
  }
  return keys;
}
const lowered = new WeakMap<ListedEvent, [string, string]>();

/** The event's lower-cased search text, computed once per event. */
export function haystackOf(event: ListedEvent): string {
  let hay = haystacks.get(event);
  if (hay === undefined) haystacks.set(event, (hay = searchHaystack(event)));
  return hay;
}

function errorKeys(event: ListedEvent): [string, string] {
  let keys = lowered.get(event);
  if (keys === undefined) lowered.set(event, (keys = [(event.errorType ?? '').toLowerCase(), (event.errorMessage ?? '').toLowerCase()]));
  return keys;
}

/** The sort's comparison (the same order String.localeCompare gives, through one shared collator). */
export function compareBy(key: FailedSortKey): Compare {
  switch (key) {
    case 'time':
      return (a, b) => (a.time ?? a.sentAt ?? 0) - (b.time ?? b.sentAt ?? 0);
    case 'attempts':
      return (a, b) => (a.attempts ?? a.receiveCount ?? 0) - (b.attempts ?? b.receiveCount ?? 0);
    case 'error':
      return (a, b) => {
        const [ta, ma] = errorKeys(a);
        const [tb, mb] = errorKeys(b);
        return collator().compare(ta, tb) || collator().compare(ma, mb);
      };
    case 'source':
      return (a, b) => collator().compare(a.source, b.source);
    case 'size':
      return (a, b) => a.sizeBytes - b.sizeBytes;
  }
}

/** Merges two lists each already in `compare` order (ties: `a` first, as `a` was loaded first). */
export function mergeSorted<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  if (b.length === 0) return a as T[];
  if (a.length === 0) return b as T[];
  const out = new Array<T>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

interface SortedCache {
  sources: Sources;
  sourceFilter: string;
  key: FailedSortKey;
  descending: boolean;
  /** Events taken from each source so far (the sources' arrays only ever grow by appending while cached). */
  taken: number[];
  /** Each event's load rank (source order, then queue order): the tie-break that keeps paging from shuffling. */
  rank: Map<ListedEvent, number>;
  /** message id -> event, for the events in the order. */
  byId: Map<string, ListedEvent>;
  compare: Compare;
  result: ListedEvent[];
}

/** Whether `next` is `prev` with events appended to some sources (same sources, same order, same prefixes). */
function appendedTo(prev: Sources, next: Sources, taken: readonly number[]): boolean {
  if (prev.length !== next.length) return false;
  for (let i = 0; i < next.length; i++) {
    const a = prev[i]!;
    const b = next[i]!;
    if (a.role !== b.role || a.queueUrl !== b.queueUrl) return false;
    const n = taken[i]!;
    if (b.events.length < n) return false;
    if (n > 0 && (b.events[0] !== a.events[0] || b.events[n - 1] !== a.events[n - 1])) return false;
  }
  return true;
}

let sortedCache: SortedCache | null = null;

/** Every event of the chosen sources in list order (sort, ties in load order). Appended pages are merged in. */
export function sortedEvents(sources: Sources, sourceFilter: string, key: FailedSortKey, descending: boolean): ListedEvent[] {
  const c = sortedCache;
  if (c && c.sources === sources && c.sourceFilter === sourceFilter && c.key === key && c.descending === descending) return c.result;
  const reuse = c !== null && c.sourceFilter === sourceFilter && c.key === key && c.descending === descending && appendedTo(c.sources, sources, c.taken);
  const rank = reuse ? c.rank : new Map<ListedEvent, number>();
  const byId = reuse ? c.byId : new Map<string, ListedEvent>();
  const base = compareBy(key);
  const compare: Compare = reuse
    ? c.compare
    : (a, b) => {
        const d = base(a, b);
        return (descending ? -d : d) || rank.get(a)! - rank.get(b)!;
      };
  const taken = reuse ? [...c.taken] : sources.map(() => 0);
  const fresh: ListedEvent[] = [];
  sources.forEach((source, i) => {
    const from = taken[i]!;
    taken[i] = source.events.length;
    if (sourceFilter !== 'all' && source.role !== sourceFilter) return;
    for (let p = from; p < source.events.length; p++) {
      const event = source.events[p]!;
      rank.set(event, i * 2 ** 32 + p);
      byId.set(event.messageId, event);
      fresh.push(event);
    }
  });
  fresh.sort(compare);
  const result = reuse ? mergeSorted(c.result, fresh, compare) : fresh;
  sortedCache = {sources, sourceFilter, key, descending, taken, rank, byId, compare, result};
  return result;
}

/** The current order's comparison and id lookup (for merging into a filtered result); null for another list. */
function currentOrder(sorted: readonly ListedEvent[]): SortedCache | null {
  return sortedCache && sortedCache.result === sorted ? sortedCache : null;
}

/** Whether the listed fields of the loaded event with this id (in the current order) match `words`: such an event
 * is in the filter's result whatever the payload search finds, so the search need not send it. False for an id
 * not in the order. */
export function listedFieldsMatch(id: string, text: string): boolean {
  const event = sortedCache?.byId.get(id);
  if (event === undefined) return false;
  // A set lookup in the text's listed-field matches when warmListedFields built it, else the event's search text.
  const set = listSets.get(fieldListOf(text) ?? []);
  return set !== undefined ? set.has(event) : haystackMatches(haystackOf(event), filterWords(text));
}

/** listedFieldsMatch for many ids of one text: the lookups it needs are made once (the caller takes a new one
 * per batch: the order may change between batches as pages load). */
export function listedFieldsMatcher(text: string): (id: string) => boolean {
  const byId = sortedCache?.byId;
  if (byId === undefined) return () => false;
  // The text's listed-field matches, computed here when the list has not filtered by it yet (inside the key,
  // before its frame: the frame then finds them made).
  const list = fieldListOf(text) ?? fieldMatches(sortedCache!.result, text);
  // No event matches on its listed fields ("cu": a customer id is in payloads only): nothing to look up.
  if (list !== undefined && list.length === 0) return () => false;
  const set = list === undefined ? undefined : listSets.get(list);
  if (set !== undefined) {
    return (id) => {
      const event = byId.get(id);
      return event !== undefined && set.has(event);
    };
  }
  const words = filterWords(text);
  return (id) => {
    const event = byId.get(id);
    return event !== undefined && haystackMatches(haystackOf(event), words);
  };
}

/** Whether every event of the current order matches `text` on its listed fields (known from the key that
 * filtered it: no work here), and the order holds `loaded` events: then no payload can add a match. */
export function everyListedMatches(text: string, loaded: number): boolean {
  const list = fieldListOf(text);
  return list !== undefined && sortedCache !== null && sortedCache.sourceFilter === 'all' && list.length === sortedCache.result.length && sortedCache.result.length === loaded;
}

function fieldListOf(text: string): ListedEvent[] | undefined {
  return fieldCache !== null && sortedCache !== null && fieldCache.sorted === sortedCache.result ? fieldCache.byText.get(text) : undefined;
}

/** Builds the set listedFieldsMatch looks in for this text (the payload search calls it once it is past the
 * key's frame: a set of 50,000 takes milliseconds). */
export function warmListedFields(text: string): void {
  const list = fieldListOf(text);
  if (list !== undefined) setOf(list);
}

type Matches = FailedBrowserState['textMatches'];

/** The search texts of a list's events, index for index, built once per list (a key then reads an array,
 * not a WeakMap per event). */
const listHaystacks = new WeakMap<readonly ListedEvent[], string[]>();
function haystacksOf(list: readonly ListedEvent[]): string[] {
  let hays = listHaystacks.get(list);
  if (hays === undefined) listHaystacks.set(list, (hays = list.map(haystackOf)));
  return hays;
}

/** Builds the search texts of a list ahead of the first filter key (the browser calls it when `/` opens the
 * filter, after that frame is drawn), so the first key does not compute every event's text. */
export function warmHaystacks(list: readonly ListedEvent[]): void {
  haystacksOf(list);
  keyRangeOf(list);
}

/** Computes the search texts of events from..from+count of a list (each kept on its event: haystackOf); the index
 * to go on from. */
export function warmSearchTexts(list: readonly ListedEvent[], from: number, count: number): number {
  const to = Math.min(list.length, from + count);
  for (let i = from; i < to; i++) haystackOf(list[i]!);
  return to;
}

/** Adds events from..from+count of a list (warmHaystacks'd) to the bigram sieve, a slice at a time so that a key
 * typed meanwhile is not held up (50,000 events took some 50 ms at once, and the bench's first key comes right
 * after the filter opens); the index to go on from, or null once the list is in (or too short to need it). */
export function warmSieve(list: readonly ListedEvent[], from: number, count: number): number | null {
  if (list.length < SIEVE_FROM) return null;
  const to = Math.min(list.length, from + count);
  sieve.addAll(list, keysOf(list), haystacksOf(list), from, to);
  if (to < list.length) return to;
  // Then filterList's loops run a few times on part of the list, for words no event holds (one without a
  // bigram, one with): the first keys run them compiled. Cold, the first key's pass over 50,000 events took 14
  // ms instead of 3-6 (CPU profile, bench/profile-keys.mjs), its first key with a bigram 8 ms more.
  const part = list.slice(0, Math.min(list.length, 4 * SIEVE_FROM));
  for (let i = 0; i < 3; i++) {
    filterList(part, ['\u0000']);
    filterList(part, ['\u0000\u0001']);
  }
  return null;
}

/** From this many candidates on, filterList asks the bigram sieve first (below, reading them all is cheap). */
const SIEVE_FROM = 2000;
const sieve = new BigramSieve();

/** The events of `candidates` whose listed fields match `words`; their haystacks are kept for the next text.
 * When every candidate matches (a first letter often does), the candidates' own list is the result: nothing
 * is copied until the first event that does not match. */
function filterList(candidates: readonly ListedEvent[], words: readonly string[]): ListedEvent[] {
  const hays = haystacksOf(candidates);
  const single = words.length === 1 ? words[0]! : null;
  // Many candidates: the bigram sieve rules out most of those that cannot hold the words, without reading them.
  // (Only the events warmSieve added are ruled out: the others are read, as they all were before it.)
  const keys = candidates.length >= SIEVE_FROM ? keysOf(candidates) : null;
  const mask = keys !== null ? sieve.candidates(words) : null;
  let result: ListedEvent[] | null = null;
  let resultHays: string[] | null = null;
  let resultKeys: number[] | null = null;
  for (let i = 0; i < candidates.length; i++) {
    const hay = hays[i]!;
    const match = (mask === null || sieve.mayHold(mask, keys![i]!, candidates[i]!)) && (single !== null ? hay.includes(single) : haystackMatches(hay, words));
    if (result === null) {
      if (match) continue;
      result = candidates.slice(0, i);
      resultHays = hays.slice(0, i);
      if (keys !== null) resultKeys = Array.from(keys.subarray(0, i));
      continue;
    }
    if (match) {
      result.push(candidates[i]!);
      resultHays!.push(hay);
      resultKeys?.push(keys![i]!);
    }
  }
  if (result === null) return candidates as ListedEvent[];
  listHaystacks.set(result, resultHays!);
  if (resultKeys !== null) listKeys.set(result, Int32Array.from(resultKeys));
  return result;
}

/** Listed-field matches of the recent texts for one list (typing, then backspace, finds the shorter text here). */
const FIELD_TEXTS_KEPT = 32;
let fieldCache: {sorted: readonly ListedEvent[]; byText: Map<string, ListedEvent[]>} | null = null;

/** The events of `sorted` whose listed fields match `text`: from the cache, or narrowed from the matches of the
 * longest cached text it extends (every word of that text is part of a word of this one, so nothing outside
 * those matches can match this), or filtered from the whole list. Payload matches play no part here, so a key
 * never waits for the payload search to narrow. */
function fieldMatches(sorted: readonly ListedEvent[], text: string): ListedEvent[] {
  if (fieldCache === null || fieldCache.sorted !== sorted) fieldCache = {sorted, byText: new Map()};
  const byText = fieldCache.byText;
  const hit = byText.get(text);
  if (hit) {
    byText.delete(text);
    byText.set(text, hit);
    return hit;
  }
  let base: readonly ListedEvent[] = sorted;
  let baseLength = 0;
  for (const [cached, list] of byText) {
    if (cached.length > baseLength && text.startsWith(cached) && list.length <= base.length) {
      base = list;
      baseLength = cached.length;
    }
  }
  const result = filterList(base, filterWords(text));
  byText.set(text, result);
  if (byText.size > FIELD_TEXTS_KEPT) byText.delete(byText.keys().next().value!);
  return result;
}

interface FilterCache {
  sorted: ListedEvent[];
  text: string;
  matches: Matches;
  result: ListedEvent[];
}
let filterCache: FilterCache | null = null;

/** `sorted` filtered by `text` (trimmed): an event passes on its listed fields or when the controller's search of
 * its full text (`matches.ids`) found it. The listed-field matches are narrowed from an earlier text's; payload
 * matches are merged into them as the search sends them. */
export function filteredEvents(sorted: ListedEvent[], text: string, matches: Matches): ListedEvent[] {
  if (!text) return sorted;
  const f = filterCache;
  if (f && f.sorted === sorted && f.text === text && f.matches === matches) return f.result;
  const usable = matches && matches.text === text ? matches : null;
  const words = filterWords(text);
  const field = fieldMatches(sorted, text);
  const order = currentOrder(sorted);
  let result: ListedEvent[];
  // The result was made from the value this one updates, or (the first for this text) from none for it.
  const chained =
    usable !== null && usable.added !== undefined && f !== null && f.sorted === sorted && f.text === text &&
    (usable.after === f.matches || (usable.after === null && (f.matches === null || f.matches.text !== text)));
  if (usable === null) {
    result = field;
  } else if (usable.everyKeyBelow !== undefined) {
    result = passEvery(sorted, field, usable.everyKeyBelow, usable.keys, usable.ids);
  } else if (usable.keys !== undefined) {
    result = passByKey(sorted, field, usable.keys, usable.ids);
  } else if (chained && order) {
    // More payload matches for the same text, as an update of the value the result was made from (ids are
    // added in place, so only the update's `added` says which are new): merge those in.
    result = mergeMatched(sorted, f!.result, field, usable.added!, usable.ids, words, order);
  } else if (order) {
    result = mergeMatched(sorted, field, field, [...usable.ids], usable.ids, words, order);
  } else {
    const kept = new Set(field);
    result = sorted.filter((e) => kept.has(e) || usable.ids.has(e.messageId));
  }
  filterCache = {sorted, text, matches, result};
  return result;
}

/** The events of `sorted` in `field` (its listed-field matches, in its order) or matched by key (`bits`, or a key
 * below `below`) or by id (`ids`): one pass, typed-array reads (field is walked beside the order, no set). All of them: `sorted` itself. */
function passByKey(sorted: readonly ListedEvent[], field: readonly ListedEvent[], bits: Uint8Array | undefined, ids: ReadonlySet<string>, below = 0): ListedEvent[] {
  const keys = keysOf(sorted);
  const byId = ids.size > 0;
  const result: ListedEvent[] = [];
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (j < field.length && field[j] === e) {
      j++;
      result.push(e);
      continue;
    }
    const k = keys[i]!;
    if ((k >= 0 && (k < below || (bits !== undefined && bits[k] === 1))) || (byId && ids.has(e.messageId))) result.push(e);
  }
  return result.length === sorted.length ? (sorted as ListedEvent[]) : result;
}

/** The least and greatest search key of a list's events (-1: one has none), made once per list. */
const keyRanges = new WeakMap<readonly ListedEvent[], {least: number; most: number}>();
function keyRangeOf(list: readonly ListedEvent[]): {least: number; most: number} {
  let range = keyRanges.get(list);
  if (range === undefined) {
    const keys = keysOf(list);
    let least = keys.length > 0 ? keys[0]! : 0;
    let most = -1;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k < least) least = k;
      if (k > most) most = k;
    }
    keyRanges.set(list, (range = {least, most}));
  }
  return range;
}

/** passByKey when every event with a search key below `below` matched: `sorted` itself when all its events'
 * keys are (no pass over them: a search that matched all 50,000 costs the list nothing), else one pass. */
function passEvery(sorted: readonly ListedEvent[], field: readonly ListedEvent[], below: number, bits: Uint8Array | undefined, ids: ReadonlySet<string>): ListedEvent[] {
  const range = keyRangeOf(sorted);
  if (range.least >= 0 && range.most < below) return sorted as ListedEvent[];
  return passByKey(sorted, field, bits, ids, below);
}

/** Each listed-field match list as a set (built once per list, for merging many payload matches). */
const listSets = new WeakMap<readonly ListedEvent[], ReadonlySet<ListedEvent>>();
function setOf(list: readonly ListedEvent[]): ReadonlySet<ListedEvent> {
  let set = listSets.get(list);
  if (set === undefined) listSets.set(list, (set = new Set(list)));
  return set;
}

/** `base` (in list order: the listed-field matches `field` and payload matches in `ids`) with the events of the
 * `fresh` ids it lacks merged in, in list order. Nothing new: `base` itself. */
function mergeMatched(sorted: readonly ListedEvent[], base: ListedEvent[], field: readonly ListedEvent[], fresh: readonly string[], ids: ReadonlySet<string>, words: readonly string[], order: SortedCache): ListedEvent[] {
  if (fresh.length === 0) return base;
  if (fresh.length * 8 > sorted.length) {
    // Many: one pass over the order (no sort, no text compare): an event is in when its listed fields matched or
    // the search found it.
    const kept = setOf(field);
    const hays = haystacksOf(sorted);
    const resultHays: string[] = [];
    const result: ListedEvent[] = [];
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i]!;
      if (!kept.has(e) && !ids.has(e.messageId)) continue;
      result.push(e);
      resultHays.push(hays[i]!);
    }
    listHaystacks.set(result, resultHays);
    return result;
  }
  const added: ListedEvent[] = [];
  for (const id of fresh) {
    const event = order.byId.get(id);
    if (event && !haystackMatches(haystackOf(event), words)) added.push(event);
  }
  added.sort(order.compare);
  return mergeSorted(base, added, order.compare);
}
