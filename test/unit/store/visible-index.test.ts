// The list's incremental order and filter give exactly what a full re-sort and re-filter give: pages merged in
// (ties in load order), a longer filter text narrowing the last result, payload matches merged in.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {failedEventMatches} from '../../../source/domain/failed-event.ts';
import type {ListedEvent, QueueRole} from '../../../source/domain/types.ts';
import {compareBy, everyListedMatches, filteredEvents, mergeSorted, sortedEvents} from '../../../source/store/visible-index.ts';
import type {FailedBrowserState, FailedSortKey} from '../../../source/store/types.ts';

let seq = 0;
function event(role: QueueRole, i: number): ListedEvent {
  const n = seq++;
  return {
    messageId: `m-${n}`,
    receiptHandle: `h-${n}`,
    queueUrl: `https://q/${role}`,
    source: role,
    sentAt: 1000 + (i % 7) * 10, // many ties
    time: i % 3 === 0 ? null : 1000 + (i % 5) * 10,
    receiveCount: 1 + (i % 4),
    attempts: i % 2 ? 3 : null,
    requestId: `req-${n}`,
    errorType: ['TypeError', 'Timeout', null, 'Error'][i % 4]!,
    errorMessage: `order ${i} failed ${i % 11 === 0 ? 'badly' : 'quietly'}`,
    errorCode: null,
    condition: null,
    functionArn: null,
    functionError: null,
    note: null,
    sizeBytes: 100 + (i % 9),
  } as unknown as ListedEvent;
}

type Sources = FailedBrowserState['sources'];
const source = (role: QueueRole, events: ListedEvent[]): Sources[number] => ({role, queueUrl: `https://q/${role}`, queueName: role, events, loading: false, error: null, exhausted: false});

/** The reference: every event, stable-sorted by the key, ties in source then queue order. */
function reference(sources: Sources, key: FailedSortKey, descending: boolean, filter = 'all'): ListedEvent[] {
  const all = sources.filter((s) => filter === 'all' || s.role === filter).flatMap((s) => s.events);
  const compare = compareBy(key);
  return all.map((e, index) => ({e, index})).sort((a, b) => (descending ? -compare(a.e, b.e) : compare(a.e, b.e)) || a.index - b.index).map((x) => x.e);
}

test('pages merged into the order equal a full stable sort, for every key and direction', () => {
  for (const key of ['time', 'attempts', 'error', 'source', 'size'] as FailedSortKey[]) {
    for (const descending of [true, false]) {
      let dlq: ListedEvent[] = [];
      let onf: ListedEvent[] = [];
      let i = 0;
      for (let page = 0; page < 12; page++) {
        // Pages alternate between the sources, as parallel loading delivers them.
        const fresh = Array.from({length: 1 + (page % 4) * 3}, () => event(page % 2 ? 'on-failure' : 'dlq', i++));
        if (page % 2) onf = [...onf, ...fresh];
        else dlq = [...dlq, ...fresh];
        const sources = [source('dlq', dlq), source('on-failure', onf)];
        assert.deepEqual(sortedEvents(sources, 'all', key, descending).map((e) => e.messageId), reference(sources, key, descending).map((e) => e.messageId), `${key} ${descending ? 'desc' : 'asc'} after page ${page}`);
      }
      const sources = [source('dlq', dlq), source('on-failure', onf)];
      assert.deepEqual(sortedEvents(sources, 'on-failure', key, descending), reference(sources, key, descending, 'on-failure'));
      // Events removed (a redrive): rebuilt, still right.
      const fewer = [source('dlq', dlq.filter((_, k) => k % 3 !== 0)), source('on-failure', onf)];
      assert.deepEqual(sortedEvents(fewer, 'all', key, descending), reference(fewer, key, descending));
    }
  }
});

test('typing a longer filter narrows the last result and equals a fresh filter; payload matches are merged in order', () => {
  const dlq = Array.from({length: 300}, (_, i) => event('dlq', i));
  const sources = [source('dlq', dlq)];
  const sorted = sortedEvents(sources, 'all', 'time', true);
  const expect = (text: string, extra: ReadonlySet<string> = new Set()) => sorted.filter((e) => failedEventMatches(e, text) || extra.has(e.messageId)).map((e) => e.messageId);
  let previous = '';
  for (const text of ['o', 'or', 'ord', 'order', 'order 1', 'order 1 q', 'order 1 qu']) {
    // The controller's search ran and found nothing more: the result is complete, so the next text may narrow it.
    const done = {text, ids: new Set<string>(), searching: false};
    assert.deepEqual(filteredEvents(sorted, text, done).map((e) => e.messageId), expect(text), `"${text}" after "${previous}"`);
    previous = text;
  }
  // Payload matches arriving in chunks for one text: merged into the listed matches, in list order.
  const text = 'badly';
  const chunk1 = {text, ids: new Set([dlq[5]!.messageId, dlq[200]!.messageId]), searching: true};
  assert.deepEqual(filteredEvents(sorted, text, chunk1).map((e) => e.messageId), expect(text, chunk1.ids));
  const chunk2 = {text, ids: new Set([...chunk1.ids, dlq[77]!.messageId, dlq[0]!.messageId]), searching: false};
  assert.deepEqual(filteredEvents(sorted, text, chunk2).map((e) => e.messageId), expect(text, chunk2.ids));
  // A text that is not an extension of the last one is filtered afresh.
  assert.deepEqual(filteredEvents(sorted, 'quietly', null).map((e) => e.messageId), expect('quietly'));
});

test('keys typed while each payload search is still going narrow on listed fields; backspace and payload matches give a fresh filter', () => {
  const dlq = Array.from({length: 400}, (_, i) => event('dlq', i));
  const sorted = sortedEvents([source('dlq', dlq)], 'all', 'time', true);
  const expect = (text: string, extra: ReadonlySet<string> = new Set()) => sorted.filter((e) => failedEventMatches(e, text) || extra.has(e.messageId)).map((e) => e.messageId);
  // No search ever completes: every key's text is pending (the controller's search starts after the frame).
  for (const text of ['o', 'or', 'order', 'order 1', 'order 12', 'order 1', 'order', 'order 3 b', 'order 3']) {
    const pending = {text, ids: new Set<string>(), searching: true, added: [], after: null};
    assert.deepEqual(filteredEvents(sorted, text, pending).map((e) => e.messageId), expect(text), `"${text}" pending`);
  }
  // Then the search of the last text sends matches in two updates: merged into the narrowed listed matches.
  const text = 'order 3';
  const first = {text, ids: new Set<string>(), searching: true, added: [] as string[], after: null};
  filteredEvents(sorted, text, first);
  const ids1 = new Set([dlq[7]!.messageId, dlq[8]!.messageId]);
  const second = {text, ids: ids1, searching: true, added: [...ids1], after: first};
  assert.deepEqual(filteredEvents(sorted, text, second).map((e) => e.messageId), expect(text, ids1));
  const ids2 = new Set([...ids1, dlq[399]!.messageId]);
  const third = {text, ids: ids2, searching: false, added: [dlq[399]!.messageId], after: second};
  assert.deepEqual(filteredEvents(sorted, text, third).map((e) => e.messageId), expect(text, ids2));
  // The same matches for a list that changed (a page loaded): merged afresh into the new list's listed matches.
  const more = [...dlq, event('dlq', 3)];
  const sorted2 = sortedEvents([source('dlq', more)], 'all', 'time', true);
  const fresh = sorted2.filter((e) => failedEventMatches(e, text) || ids2.has(e.messageId)).map((e) => e.messageId);
  assert.deepEqual(filteredEvents(sorted2, text, third).map((e) => e.messageId), fresh);
});

test('mergeSorted keeps the first list first on ties', () => {
  const cmp = (a: [number, string], b: [number, string]) => a[0] - b[0];
  assert.deepEqual(mergeSorted<[number, string]>([[1, 'a'], [2, 'a'], [2, 'b']], [[0, 'x'], [2, 'y'], [3, 'z']], cmp), [[0, 'x'], [1, 'a'], [2, 'a'], [2, 'b'], [2, 'y'], [3, 'z']]);
});

test('twins found page by page equal twins found at once', async () => {
  const {selectTwins} = await import('../../../source/store/selectors.ts');
  const {createInitialState} = await import('../../../source/store/reducer.ts');
  const base = createInitialState({functionName: 'f', now: 0});
  const withRequest = (e: ListedEvent, requestId: string): ListedEvent => ({...e, requestId});
  let dlq: ListedEvent[] = [];
  let onf: ListedEvent[] = [];
  for (let page = 0; page < 8; page++) {
    const fresh = Array.from({length: 5}, (_, k) => withRequest(event(page % 2 ? 'on-failure' : 'dlq', k), `req-${(page >> 1) * 5 + k}`));
    if (page % 2) onf = [...onf, ...fresh];
    else dlq = [...dlq, ...fresh];
    const state = {...base, failed: {...base.failed, sources: [source('dlq', dlq), source('on-failure', onf)]}};
    const paged = selectTwins(state);
    selectTwins(base); // no sources: the next call builds from scratch
    const atOnce = selectTwins({...base, failed: {...base.failed, sources: [source('dlq', dlq), source('on-failure', onf)]}});
    selectTwins(state); // and page on from the paged state
    const flat = (m: ReadonlyMap<string, ListedEvent[]>) => [...m].map(([id, others]) => `${id}:${others.map((o) => o.messageId).join(',')}`).sort();
    assert.deepEqual(flat(paged), flat(atOnce), `page ${page}`);
    assert.equal(paged.size, page % 2 ? 10 * ((page + 1) / 2) : 10 * (page / 2));
  }
});

test('payload matches sent in updates through the reducer are merged in, each once, in list order', async () => {
  const {reduce, createInitialState} = await import('../../../source/store/reducer.ts');
  const {selectVisibleEvents} = await import('../../../source/store/selectors.ts');
  const dlq = Array.from({length: 120}, (_, i) => event('dlq', i));
  let s = createInitialState({functionName: 'f', now: 0});
  s = reduce(s, {type: 'failed/sources', sources: [{role: 'dlq', queueUrl: 'https://q/dlq', queueName: 'dlq'}]});
  s = reduce(s, {type: 'failed/page-loaded', role: 'dlq', events: dlq, exhausted: true, queueUrl: 'https://q/dlq', queueName: 'dlq'});
  s = reduce(s, {type: 'failed/filter-set', text: 'badly'});
  const payloadHits = [dlq[3]!, dlq[50]!, dlq[51]!, dlq[119]!, dlq[0]!].map((e) => e.messageId);
  s = reduce(s, {type: 'failed/text-matches', text: 'badly', ids: [], done: false});
  s = reduce(s, {type: 'failed/text-matches', text: 'badly', ids: payloadHits.slice(0, 2), done: false});
  s = reduce(s, {type: 'failed/text-matches', text: 'badly', ids: [...payloadHits.slice(1, 4), dlq[11]!.messageId], done: false});
  s = reduce(s, {type: 'failed/text-matches', text: 'badly', ids: payloadHits.slice(4), done: true});
  const expected = sortedEvents(s.failed.sources, 'all', 'time', true)
    .filter((e) => failedEventMatches(e, 'badly') || payloadHits.includes(e.messageId) || e.messageId === dlq[11]!.messageId)
    .map((e) => e.messageId);
  assert.deepEqual(selectVisibleEvents(s).map((e) => e.messageId), expected);
  assert.equal(new Set(expected).size, expected.length);
});

test('everyListedMatches: only when the filtered text matched every event of the whole order on its listed fields', () => {
  const events = Array.from({length: 40}, (_, i) => event('dlq', i));
  const sources = [source('dlq', events)];
  const sorted = sortedEvents(sources, 'all', 'time', true);
  assert.equal(filteredEvents(sorted, 'order', null).length, 40);
  assert.equal(everyListedMatches('order', 40), true, 'every event says "order"');
  assert.equal(everyListedMatches('order', 41), false, 'one loaded event not in the order');
  assert.equal(filteredEvents(sorted, 'badly', null).length, 4);
  assert.equal(everyListedMatches('badly', 40), false);
  assert.equal(everyListedMatches('not filtered yet', 40), false, 'a text no key filtered: unknown, so no');
  // A list of one source (a source tab): payloads of the others are not known to match.
  const dlqOnly = sortedEvents([source('dlq', events), source('on-failure', [])], 'dlq', 'time', true);
  filteredEvents(dlqOnly, 'order', null);
  assert.equal(everyListedMatches('order', 40), false);
});

test('payload matches sent by search key (a bitmap) give the list matches by id give: with listed-field and id matches, across source tabs and updates', async () => {
  const {reduce, createInitialState} = await import('../../../source/store/reducer.ts');
  const {selectVisibleEvents, setSearchKey} = await import('../../../source/store/selectors.ts');
  const dlq = Array.from({length: 150}, (_, i) => event('dlq', i));
  const onf = Array.from({length: 60}, (_, i) => event('on-failure', i));
  // Keys as the loader gives them (the spool's record numbers): unique, in load order across both sources.
  [...dlq, ...onf].forEach((e, k) => setSearchKey(e, k));
  const keyOf = new Map([...dlq, ...onf].map((e, k) => [e.messageId, k]));
  const setup = () => {
    let s = createInitialState({functionName: 'f', now: 0});
    s = reduce(s, {type: 'failed/sources', sources: [{role: 'dlq', queueUrl: 'https://q/dlq', queueName: 'dlq'}, {role: 'on-failure', queueUrl: 'https://q/on-failure', queueName: 'onf'}]});
    s = reduce(s, {type: 'failed/page-loaded', role: 'dlq', events: dlq, exhausted: true, queueUrl: 'https://q/dlq', queueName: 'dlq'});
    s = reduce(s, {type: 'failed/page-loaded', role: 'on-failure', events: onf, exhausted: true, queueUrl: 'https://q/on-failure', queueName: 'onf'});
    return reduce(s, {type: 'failed/filter-set', text: 'badly'});
  };
  const hits = [dlq[3]!, dlq[50]!, dlq[51]!, dlq[149]!, dlq[0]!, dlq[11]!, onf[7]!, onf[59]!].map((e) => e.messageId);
  const updates = [hits.slice(0, 2), [...hits.slice(1, 5)], hits.slice(5, 7), hits.slice(7)];
  let byId = setup();
  let byKey = setup();
  for (const [u, ids] of updates.entries()) {
    const done = u === updates.length - 1;
    byId = reduce(byId, {type: 'failed/text-matches', text: 'badly', ids, done});
    // The last update by id (as the main thread's own search and the loader send them), the rest by key.
    byKey = reduce(byKey, done ? {type: 'failed/text-matches', text: 'badly', ids, done} : {type: 'failed/text-matches', text: 'badly', ids: [], keys: Int32Array.from(ids, (id) => keyOf.get(id)!), done});
    const list = (s: typeof byId) => selectVisibleEvents(s).map((e) => e.messageId);
    assert.deepEqual(list(byKey), list(byId), `update ${u}`);
    assert.equal(byKey.failed.textMatches?.searching, !done);
  }
  const expected = sortedEvents(byId.failed.sources, 'all', 'time', true).filter((e) => failedEventMatches(e, 'badly') || hits.includes(e.messageId)).map((e) => e.messageId);
  assert.deepEqual(selectVisibleEvents(byKey).map((e) => e.messageId), expected);
  // A source tab and another sort: the same matches, in that list's order.
  for (const action of [{type: 'failed/source-cycle'}, {type: 'failed/source-cycle'}, {type: 'failed/sort-cycle'}, {type: 'failed/sort-reverse'}] as const) {
    byId = reduce(byId, action);
    byKey = reduce(byKey, action);
    assert.deepEqual(selectVisibleEvents(byKey).map((e) => e.messageId), selectVisibleEvents(byId).map((e) => e.messageId), action.type);
  }
  // Every event matched by key: the list is the order itself.
  let all = setup();
  all = reduce(all, {type: 'failed/text-matches', text: 'badly', ids: [], keys: Int32Array.from([...dlq, ...onf], (e) => keyOf.get(e.messageId)!), done: true});
  const order = sortedEvents(all.failed.sources, all.failed.sourceFilter, all.failed.sort.key, all.failed.sort.descending);
  assert.equal(selectVisibleEvents(all), order);
});

test('randomised: the filtered list with payload matches by key and by id equals the plain per-event filter', async () => {
  const {setSearchKey} = await import('../../../source/store/visible-index.ts');
  const {haystackOf} = await import('../../../source/store/visible-index.ts');
  // A small deterministic generator (no Math.random: a failure replays).
  let state = 12345;
  const rand = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31) >>> 15) % n;
  const texts = ['o', 'or', 'ord', 'order 1', 'b', 'ba', 'badly', 'q', 'qu', 'zz', 'req-1', 'order 2 badly', '1'];
  for (let round = 0; round < 40; round++) {
    const dlq = Array.from({length: 1 + rand(120)}, (_, i) => event('dlq', i + round));
    const onf = Array.from({length: rand(60)}, (_, i) => event('on-failure', i + round));
    const all = [...dlq, ...onf];
    all.forEach((e, k) => setSearchKey(e, k));
    const sources = [source('dlq', dlq), source('on-failure', onf)];
    const sorted = sortedEvents(sources, 'all', (['time', 'size', 'error'] as FailedSortKey[])[round % 3]!, round % 2 === 0);
    for (const text of texts) {
      // Payload hits: none, a few, or all of them, by key; some more by id.
      const mode = rand(4);
      const bits = new Uint8Array(all.length);
      for (let k = 0; k < all.length; k++) if (mode === 3 || (mode > 0 && rand(4) === 0)) bits[k] = 1;
      const ids = new Set(mode === 2 ? all.filter(() => rand(10) === 0).map((e) => e.messageId) : []);
      const matches = {text, ids, keys: bits, searching: false};
      const words = text.toLowerCase().split(/\s+/);
      const keyOf = new Map(all.map((e, k) => [e, k]));
      const expected = sorted.filter((e) => words.every((w) => haystackOf(e).includes(w)) || bits[keyOf.get(e)!] === 1 || ids.has(e.messageId));
      const got = filteredEvents(sorted, text, matches);
      assert.deepEqual(got.map((e) => e.messageId), expected.map((e) => e.messageId), `round ${round} ${JSON.stringify(text)} mode ${mode}`);
      if (expected.length === sorted.length) assert.equal(got, sorted, 'every event matched: the order itself');
      // Without payload matches: the listed fields alone.
      const plain = sorted.filter((e) => words.every((w) => haystackOf(e).includes(w)));
      assert.deepEqual(filteredEvents(sorted, text, null).map((e) => e.messageId), plain.map((e) => e.messageId));
    }
  }
});

test('randomised: payload matches as "every key below a bound" (a search every event matched) equal the plain per-event filter, and are the order itself when they cover it', async () => {
  const {setSearchKey, haystackOf} = await import('../../../source/store/visible-index.ts');
  let state = 777;
  const rand = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31) >>> 15) % n;
  const texts = ['o', 'ord', 'zz', 'req-1', 'badly', '1'];
  for (let round = 0; round < 30; round++) {
    const dlq = Array.from({length: 1 + rand(80)}, (_, i) => event('dlq', i + round * 3));
    const onf = Array.from({length: rand(40)}, (_, i) => event('on-failure', i + round * 3));
    const all = [...dlq, ...onf];
    // Keys as the spool gives them, some events without one (-1: never spooled).
    const keyOf = new Map(all.map((e, k) => [e, rand(9) === 0 ? -1 : k]));
    for (const [e, k] of keyOf) setSearchKey(e, k);
    const sorted = sortedEvents([source('dlq', dlq), source('on-failure', onf)], 'all', (['time', 'size', 'error'] as FailedSortKey[])[round % 3]!, round % 2 === 1);
    for (const text of texts) {
      // The bound: past every key (all matched), or part of them (events loaded after the search); some by bitmap or id.
      const below = rand(3) === 0 ? all.length : rand(all.length + 1);
      const bits = rand(2) === 0 ? undefined : Uint8Array.from(all, () => (rand(5) === 0 ? 1 : 0));
      const ids = new Set(all.filter(() => rand(12) === 0).map((e) => e.messageId));
      const matches = {text, ids, ...(bits ? {keys: bits} : {}), everyKeyBelow: below, searching: false};
      const words = text.toLowerCase().split(/\s+/);
      const hit = (e: (typeof all)[number]) => {
        const k = keyOf.get(e)!;
        return k >= 0 && (k < below || bits?.[k] === 1);
      };
      const expected = sorted.filter((e) => words.every((w) => haystackOf(e).includes(w)) || hit(e) || ids.has(e.messageId));
      const got = filteredEvents(sorted, text, matches);
      assert.deepEqual(got.map((e) => e.messageId), expected.map((e) => e.messageId), `round ${round} ${JSON.stringify(text)} below ${below}`);
      if (expected.length === sorted.length) assert.equal(got, sorted, 'every event matched: the order itself');
    }
  }
});

test('through the reducer: "every key below" survives later updates for the same text, events loaded after it match only by their own ids, and a new text drops it', async () => {
  const {reduce, createInitialState} = await import('../../../source/store/reducer.ts');
  const {selectVisibleEvents, setSearchKey} = await import('../../../source/store/selectors.ts');
  const first = Array.from({length: 60}, (_, i) => event('dlq', i));
  const later = Array.from({length: 20}, (_, i) => event('dlq', 60 + i));
  [...first, ...later].forEach((e, k) => setSearchKey(e, k));
  let s = createInitialState({functionName: 'f', now: 0});
  s = reduce(s, {type: 'failed/sources', sources: [{role: 'dlq', queueUrl: 'https://q/dlq', queueName: 'dlq'}]});
  s = reduce(s, {type: 'failed/page-loaded', role: 'dlq', events: first, exhausted: false, queueUrl: 'https://q/dlq', queueName: 'dlq'});
  s = reduce(s, {type: 'failed/filter-set', text: 'zzz'});
  assert.equal(selectVisibleEvents(s).length, 0, 'no listed field says zzz');
  s = reduce(s, {type: 'failed/text-matches', text: 'zzz', ids: [], keys: Int32Array.of(3, 7), done: false});
  assert.equal(selectVisibleEvents(s).length, 2);
  s = reduce(s, {type: 'failed/text-matches', text: 'zzz', ids: [], everyKeyBelow: 60, done: true});
  const sorted = sortedEvents(s.failed.sources, 'all', 'time', true);
  assert.equal(selectVisibleEvents(s), sorted, 'every loaded event matched: the order itself');
  // A page loaded after the search: only its matching ids join.
  s = reduce(s, {type: 'failed/page-loaded', role: 'dlq', events: later, exhausted: true, queueUrl: 'https://q/dlq', queueName: 'dlq', textMatches: {text: 'zzz', ids: [later[4]!.messageId]}});
  const shown = new Set(selectVisibleEvents(s).map((e) => e.messageId));
  assert.equal(shown.size, 61);
  assert.ok(shown.has(later[4]!.messageId) && !shown.has(later[5]!.messageId));
  assert.equal(s.failed.textMatches?.everyKeyBelow, 60);
  s = reduce(s, {type: 'failed/filter-set', text: 'zzzq'});
  s = reduce(s, {type: 'failed/text-matches', text: 'zzzq', ids: [], keys: Int32Array.of(1), done: true});
  assert.equal(s.failed.textMatches?.everyKeyBelow, undefined, 'a new text starts from nothing');
  assert.deepEqual(selectVisibleEvents(s).map((e) => e.messageId), [first[1]!.messageId]);
});

test('randomised, at sizes where the listed-field filter uses its bigram sieve: the filtered list equals the plain per-event filter, typed on and backspaced', async () => {
  const {setSearchKey, haystackOf, warmHaystacks, warmSieve} = await import('../../../source/store/visible-index.ts');
  let state = 4242;
  const rand = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31) >>> 15) % n;
  for (let round = 0; round < 3; round++) {
    const dlq = Array.from({length: 2500 + rand(1500)}, (_, i) => event('dlq', i * 7 + round));
    const onf = Array.from({length: rand(400)}, (_, i) => event('on-failure', i * 3 + round));
    [...dlq, ...onf].forEach((e, k) => setSearchKey(e, k % 97 === 5 ? -1 : k));
    const sorted = sortedEvents([source('dlq', dlq), source('on-failure', onf)], 'all', (['time', 'size', 'error'] as FailedSortKey[])[round]!, round === 1);
    warmHaystacks(sorted);
    // The sieve a slice at a time; the last round stops half-way (the rest are read, not ruled out).
    for (let at: number | null = 0; at !== null && !(round === 2 && at > sorted.length / 2); ) at = warmSieve(sorted, at, 700);
    for (const typed of ['badly', 'order 1', 'req-12', 'zq', '1 bad', 'm-1']) {
      for (let i = 1; i <= typed.length; i++) {
        const text = typed.slice(0, i).trim();
        if (!text) continue;
        const words = text.toLowerCase().split(/\s+/);
        const expected = sorted.filter((e) => words.every((w) => haystackOf(e).includes(w)));
        assert.deepEqual(filteredEvents(sorted, text, null).map((e) => e.messageId), expected.map((e) => e.messageId), `round ${round} ${JSON.stringify(text)}`);
      }
    }
  }
});
