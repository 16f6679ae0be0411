// The failed-event filter's search of full text (payload, body), which the list's fields do not hold: the
// spool's search file (app/event-spool.ts), searched in a worker thread (app/spool-scanner.ts) that the key
// waits for up to SEARCH_WAIT_IN_KEY_MS (so the key's frame shows the final list), else after the key's frame
// (its hits kept as the batches of record numbers it sends), and on this thread for what the worker could not
// search (and inside the key, up to SEARCH_IN_KEY_MS, for fewer than WORKER_IN_KEY_RECORDS events). Matches
// reach the store ('failed/text-matches': the worker's by search key, the spool's record numbers, no ids) at
// most every SEARCH_FLUSH_MS, and with done: true once every loaded event was searched; a newer text (or a
// close) stops an older search, so fast typing searches only the last text.
// A text that extends the last one searched to the end only searches the events that matched it when they are
// few (`complete`: its matches, kept up to date as pages load; a list, made a set only when it narrows a search:
// adding 50,000 ids to a set per key cost more than the narrowing saves, and the worker's search of a word typed
// on is cheap where the last one was not).
import {filterWords} from '../domain/failed-event.ts';
import type {Action} from '../store/actions.ts';
import {everyListedMatches, listedFieldsMatcher, warmListedFields} from '../store/index.ts';
import {drawNow} from './draw-now.ts';
import type {EventSpool} from './event-spool.ts';
import {SpoolScanner, type ScanJob} from './spool-scanner.ts';
import {tokenIndexable} from './token-index.ts';

const SEARCH_BLOCK_BYTES = 256 << 10;
const SEARCH_FLUSH_MS = 120;
const SEARCH_SLICE_MS = 4;
/** A search that ends within this much of the key (a short list, a narrowed text) ends inside it, so the key's
 * own frame shows its final list; a longer one goes on after that frame. Small blocks, so it stays bounded. */
export const SEARCH_IN_KEY_MS = 2;
const SEARCH_IN_KEY_BYTES = 32 << 10;
/** A search of more text than this cannot end inside the key (about 1 GB/s of indexOf): it starts after the
 * key's frame, so the key does not spend its 2 ms on a search it cannot finish. */
const SEARCH_IN_KEY_MAX_BYTES = 2 << 20;
/** A longer search is started in the worker inside the key, and waited for (this thread blocked) while the
 * worker looks likely to end it within this much: then the key's own frame shows the final list (one frame, not
 * two: the typed text and the list together). Else the key's frame says "searching payloads…", the worker goes
 * on meanwhile, and its final list is drawn at once when it ends (app/draw-now.ts). 2, not 5: with the token
 * index most scans end in 1-6 ms, and a key that waited 5 ms for one that did not end drew its text 5 ms late
 * and its list later still (bench/browser.mjs at 50,000, 3 alternating rounds: list settled p95 22.4 (19.6-55.8)
 * against 29.3 (25.0-32.6) ms with 5 ms and the worker paused during the key's frame, typed text 19.2 against
 * 19.7; the median of per-run p95s, one run a round). */
export const SEARCH_WAIT_IN_KEY_MS = 2;
/** The wait for a worker scan the token index decides whole (every record indexed, every word indexable): it
 * reads no file, and at 50,000 events ends in 0.3-3 ms (bench/browser-probe.mjs), so most keys end within it and
 * draw their final list in the key's own frame instead of a second one. */
export const SEARCH_WAIT_INDEXED_MS = 4;
/** From this many loaded events on, a key's search goes to the worker at once (not SEARCH_IN_KEY_MS here first). */
const WORKER_IN_KEY_RECORDS = 2000;
/** Loaded records go to the worker's token index in batches at most this often (one message per batch, not
 * per receive of 10 messages). */
const INDEX_BATCH_MS = 25;

/** The worker's batches of record numbers as one array. */
function concatRecords(batches: readonly Int32Array[]): Int32Array {
  let length = 0;
  for (const b of batches) length += b.length;
  const out = new Int32Array(length);
  let at = 0;
  for (const b of batches) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Resolves after the frame a dispatch has just scheduled is drawn: React schedules its render with
 * setImmediate and Ink writes the frame in the commit; a timer runs in the event loop's next turn, after it. */
export const afterFrame = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface PayloadSearch {
  /** The filter's text (trimmed) as the store now has it: a new text stops the running search and starts its
   * own (none for an empty text or an empty spool). */
  setText(text: string): void;
  /** The filter's text is about to become `text` (before the store takes it, which filters the list's fields):
   * a scan the worker's token index decides starts now, so it runs beside that filtering; setText then waits for
   * it instead of starting it. Nothing for a text it would not search that way. */
  anticipate(text: string): void;
  /** Starts the worker ahead of the first search (the filter opened). */
  warm(): void;
  /** A loaded event whose full text matches `text` (checked as it was loaded): kept in the last complete
   * search's matches when that was of `text`. */
  loadedMatch(text: string, id: string): void;
  /** Stops any search and the worker, and forgets the last matches (the spool was emptied). */
  close(): void;
}

/** A worker scan's batches of hits (record numbers) not taken yet, and how it ended (null: still going). */
interface WorkerScan {
  queue: Int32Array[];
  finished: 'done' | 'cancelled' | 'failed' | null;
  wake: (() => void) | null;
  /** The scan's promise and its job's record count (for SpoolScanner.wait). */
  outcome: Promise<'done' | 'cancelled'>;
  records: number;
}

/** A scan started by anticipate, for `text`, not waited for yet. */
interface Anticipated {
  text: string;
  scan: WorkerScan;
}

/** A search that covered every loaded event: its matches, the next text's narrowing. */
interface Complete {
  text: string;
  ids: string[];
  records: Int32Array[];
  count: number;
  set: Set<string> | null;
}

/** The ids found for one text, and what goes to the store next. */
interface Found {
  text: string;
  generation: number;
  /** Every match found on this thread (listed-field matches included), by id: the next text's narrowing. */
  all: string[];
  /** Every match the worker found, as its batches of record numbers (no id per hit: about 4 ms a key at
   * 50,000 hits went to mapping them): made ids only when the next text is narrowed by them. */
  records: Int32Array[];
  /** How many matches `all` and `records` hold. */
  count: number;
  /** Payload matches not sent yet (an event whose listed fields match is in the list already). */
  pending: string[];
  /** The worker's matches not sent yet, as batches of record numbers (the store gets their search keys: the
   * list passes over its order with them, no ids). */
  pendingRecords: Int32Array[];
  flushedAt: number;
  isListed: (id: string) => boolean;
}

export function createPayloadSearch(options: {
  spool: EventSpool;
  dispatch: (action: Action) => void;
  flash: (level: 'error', text: string) => void;
  /** The search's time inside a filter key, on this thread (default SEARCH_IN_KEY_MS; 0 for a spool of more
   * than SEARCH_IN_KEY_MAX_BYTES of text to search). */
  searchInKeyMs?: number;
  /** How long a filter key waits for the worker's search (default SEARCH_WAIT_IN_KEY_MS; 0: not at all). */
  searchWaitInKeyMs?: number;
}): PayloadSearch {
  const {spool, dispatch, flash} = options;
  const scanner = new SpoolScanner();
  // Every loaded record goes to the worker's token index as it is loaded (the worker starts once
  // WORKER_IN_KEY_RECORDS are loaded), so the first key of the filter finds them indexed; the records from
  // `indexedTo` on are not sent yet.
  let indexedTo = 0;
  let indexTimer: ReturnType<typeof setTimeout> | null = null;
  const sendToIndex = () => {
    indexTimer = null;
    // Below WORKER_IN_KEY_RECORDS a key searches on the main thread first: a small DLQ starts no worker (some
    // 19 MB) just to be indexed. Once one runs, or the load passes that size, every record goes to it (from 0).
    if (!scanner.started && spool.records < WORKER_IN_KEY_RECORDS) return;
    const batch = spool.searchRecordsFrom(indexedTo);
    indexedTo = spool.records;
    if (batch !== null) scanner.index(batch);
  };
  spool.onAppend(() => {
    if (indexTimer !== null) return;
    indexTimer = setTimeout(sendToIndex, INDEX_BATCH_MS);
    indexTimer.unref?.();
  });
  let text = '';
  let generation = 0;
  let complete: Complete | null = null;
  let anticipated: Anticipated | null = null;
  /** Whether a search of `next` would be a worker scan the token index decides whole (search: indexDecides). */
  const indexWouldDecide = (next: string): boolean =>
    spool.records >= WORKER_IN_KEY_RECORDS && (options.searchWaitInKeyMs ?? SEARCH_WAIT_IN_KEY_MS) > 0 && scanner.started &&
    filterWords(next).every(tokenIndexable) && scanner.indexedRecords() >= spool.records;

  /** The last complete search's matches as a set, when `next` extends its text and they are few enough to be
   * worth searching alone (every match of `next` is one of them); else undefined (search every event). */
  const narrowing = (next: string): ReadonlySet<string> | undefined => {
    const previous = complete;
    if (!previous || previous.text === '' || !next.startsWith(previous.text) || previous.count * 4 >= spool.records) return undefined;
    return (previous.set ??= matchSet(previous));
  };
  /** The ids of a complete search's matches (a worker hit's record by the id it was put with: a superset at
   * worst, which only widens what the next text searches). */
  const matchSet = (found: Complete): Set<string> => {
    const set = new Set(found.ids);
    for (const batch of found.records) {
      for (const r of batch) {
        const id = spool.idOfRecord(r);
        if (id !== null) set.add(id);
      }
    }
    return set;
  };

  const take = (found: Found, id: string): void => {
    found.all.push(id);
    found.count++;
    if (!found.isListed(id)) found.pending.push(id);
  };
  /** A batch of the worker's hits (record numbers, kept as they are): the next text's narrowing, and keys for
   * the store. */
  const takeRecords = (found: Found, records: Int32Array): void => {
    if (records.length === 0) return;
    found.records.push(records);
    found.count += records.length;
    found.pendingRecords.push(records);
  };
  /** `every`: the worker's hits are every loaded event's current record (none loaded since its job was made):
   * the store is told every key below the spool's records matched, not sent 50,000 keys to set and pass. */
  const send = (found: Found, done: boolean, every = false): void => {
    const pending = found.pendingRecords;
    const records = every || pending.length === 0 ? null : pending.length === 1 ? pending[0]! : concatRecords(pending);
    const keys = every ? {everyKeyBelow: spool.records} : records !== null && records.length > 0 ? {keys: spool.keysOfRecords(records)} : {};
    dispatch({type: 'failed/text-matches', text: found.text, ids: found.pending, ...keys, done});
    found.pending = [];
    found.pendingRecords = [];
    found.flushedAt = performance.now();
  };
  const flushSome = (found: Found): void => {
    if ((found.pending.length > 0 || found.pendingRecords.length > 0) && performance.now() - found.flushedAt >= SEARCH_FLUSH_MS) send(found, false);
  };
  const failed = (found: Found, error: unknown): void => {
    flash('error', `the filter could not search every payload: ${(error as Error).message}`);
    send(found, true);
  };

  /** Starts a worker scan whose hits queue up here until drained (this thread meanwhile builds the listed-field
   * set); with `waitMs`, waited for first (scanWaiting): every hit at once when it ended in time. */
  function startWorkerScan(job: ScanJob, waitMs = 0): WorkerScan | {hits: Int32Array} {
    const running: WorkerScan = {queue: [], finished: null, wake: null, outcome: Promise.resolve('cancelled'), records: job.records.length};
    const poke = () => {
      const w = running.wake;
      running.wake = null;
      w?.();
    };
    const onHits = (hits: Int32Array) => {
      running.queue.push(hits);
      poke();
    };
    let outcome: Promise<'done' | 'cancelled'>;
    if (waitMs > 0) {
      const waited = scanner.scanWaiting(job, onHits, waitMs);
      if ('hits' in waited) return waited;
      outcome = waited.outcome;
    } else outcome = scanner.scan(job, onHits);
    running.outcome = outcome;
    outcome.then(
      (outcome) => {
        running.finished = outcome;
        poke();
      },
      () => {
        running.finished = 'failed';
        poke();
      },
    );
    return running;
  }

  /** Takes a worker scan's batches of hits as they come (each kept as it is: no work per hit here). 'failed'
   * when the worker could not search (then the caller searches on this thread). */
  async function drainWorkerScan(running: WorkerScan, found: Found): Promise<'done' | 'cancelled' | 'failed'> {
    const queue = running.queue;
    for (;;) {
      if (found.generation !== generation) return 'cancelled';
      const hits = queue.shift();
      if (hits === undefined) {
        if (running.finished !== null) return running.finished;
        await new Promise<void>((resolve) => (running.wake = resolve));
        continue;
      }
      takeRecords(found, hits);
      flushSome(found);
    }
  }

  /** Records `from` on, searched on this thread in slices of SEARCH_SLICE_MS; false when a newer text took over
   * or the spool could not be read. */
  async function searchHere(found: Found, words: readonly string[], from: number | null, only: ReadonlySet<string> | undefined): Promise<boolean> {
    let sliceStart = performance.now();
    while (from !== null) {
      if (performance.now() - sliceStart >= SEARCH_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        if (found.generation !== generation) return false;
        sliceStart = performance.now();
        found.isListed = listedFieldsMatcher(found.text);
      }
      try {
        const step = spool.scan(words, from, SEARCH_BLOCK_BYTES, only);
        for (const id of step.ids) take(found, id);
        from = step.next;
      } catch (error) {
        failed(found, error);
        return false;
      }
      if (from !== null) flushSome(found);
    }
    return true;
  }

  async function search(found: Found): Promise<void> {
    const anticipatedScan = anticipated !== null && anticipated.text === found.text ? anticipated.scan : null;
    anticipated = null;
    if (everyListedMatches(found.text, spool.size)) {
      if (anticipatedScan !== null) scanner.stop();
      // Every loaded event is listed on its fields already ("c", "o": the error message has them): no payload
      // can add one, so there is nothing to search. (Not kept as the next text's narrowing: that would need
      // a list of every id.)
      complete = null;
      dispatch({type: 'failed/text-matches', text: found.text, ids: [], done: true});
      return;
    }
    const words = filterWords(found.text);
    const keyStart = performance.now();
    const waitMs = options.searchWaitInKeyMs ?? SEARCH_WAIT_IN_KEY_MS;
    // Many records with a worker: the worker's search, waited for below, is the quicker one (a text typed on is
    // decided from its memory of the last word; this thread would read each narrowed record back).
    const toWorker = spool.records >= WORKER_IN_KEY_RECORDS && waitMs > 0 && scanner.start();
    // The worker's token index holds every record and decides these words: it finds them in memory whatever
    // the job's records, so the job is the one of every record (kept by the spool, not sent again) and the last
    // matches are not made a set of ids (at 50,000 events, 10,000 matches took about 5 ms to make a set and 3
    // more to narrow a job with, for a scan the index decides in a fraction of a millisecond).
    const indexDecides = toWorker && indexWouldDecide(found.text);
    let only = indexDecides ? undefined : narrowing(found.text);
    // Inside the key, on this thread: a search that ends within SEARCH_IN_KEY_MS (a short list, a narrowed
    // text) shows its final list in the key's own frame; one of more than SEARCH_IN_KEY_MAX_BYTES of text
    // starts after the frame.
    const textBytes = only ? (only.size * spool.searchBytes) / Math.max(1, spool.records) : spool.searchBytes;
    const inKeyMs = options.searchInKeyMs ?? (textBytes > SEARCH_IN_KEY_MAX_BYTES || toWorker ? 0 : SEARCH_IN_KEY_MS);
    let from: number | null = 0;
    try {
      while (from !== null && performance.now() - keyStart < inKeyMs) {
        const step = spool.scan(words, from, SEARCH_IN_KEY_BYTES, only);
        for (const id of step.ids) take(found, id);
        from = step.next;
      }
    } catch (error) {
      return failed(found, error);
    }
    let records = spool.records;
    let running: WorkerScan | null = null;
    let afterKey = false;
    const ahead = anticipatedScan !== null && indexDecides && from === 0 ? anticipatedScan : null;
    if (anticipatedScan !== null && ahead === null) scanner.stop();
    if (ahead !== null) {
      // Started before the store filtered the list's fields for this text (anticipate): waited for now.
      const waited = scanner.wait(ahead.outcome, ahead.records, options.searchWaitInKeyMs === undefined ? SEARCH_WAIT_INDEXED_MS : waitMs);
      if ('hits' in waited) {
        takeRecords(found, waited.hits);
        from = null;
      } else running = ahead;
    } else if (from !== null && waitMs > 0 && scanner.start()) {
      // Still inside the key: the rest in the worker, waited for while it looks likely to end in time (every
      // hit then goes to the store before the key's frame is drawn: no record was loaded meanwhile).
      const job = spool.scanJob(words, from, only);
      const started = job === null ? null : startWorkerScan(job, indexDecides && options.searchWaitInKeyMs === undefined ? SEARCH_WAIT_INDEXED_MS : waitMs);
      if (started !== null && 'hits' in started) {
        takeRecords(found, started.hits);
        from = null;
      } else running = started;
    }
    if (from !== null) {
      // Not done within the key: the list is marked "searching payloads…" in the key's own frame (with the
      // listed-field matches), and the search goes on after that frame, in the worker thread (started in the
      // key when it was waited for, else after the frame: a worker searching while this thread draws it takes
      // a core from that frame, the typed text shows later), which reads the search file itself (given only
      // the records the last text matched, when narrowed); the records loaded meanwhile (and any the worker
      // cannot read) are searched here after it.
      // A worker scan begun in the key goes on while this thread draws the key's frame (it is likely to end
      // soon; pausing it there until the frame was drawn made its list later: measured with
      // SEARCH_WAIT_IN_KEY_MS above).
      send(found, false);
      afterKey = true;
      await afterFrame();
      if (found.generation !== generation) return;
      if (running === null) {
        records = spool.records;
        const job = scanner.start() ? spool.scanJob(words, from, only) : null;
        const started = job === null ? null : startWorkerScan(job);
        running = started !== null && !('hits' in started) ? started : null;
      }
      warmListedFields(found.text);
      found.isListed = listedFieldsMatcher(found.text);
      if (running !== null) {
        const outcome = await drainWorkerScan(running, found);
        if (outcome === 'cancelled' || found.generation !== generation) return;
        if (outcome === 'done') {
          from = records < spool.records ? records : null;
        } else {
          // No worker after all (or it failed): this thread searches it all again (narrowed when it can be).
          only ??= narrowing(found.text);
          found.all.length = 0;
          found.records.length = 0;
          found.pendingRecords.length = 0;
          found.count = 0;
          from = 0;
          found.isListed = listedFieldsMatcher(found.text);
        }
      }
      if (!(await searchHere(found, words, from, only))) return;
    }
    complete = {text: found.text, ids: found.all, records: found.records, count: found.count, set: null};
    // Hits unique per record, a record per loaded id: as many worker hits as loaded ids, with no record put since
    // the job, is every loaded event.
    send(found, true, found.all.length === 0 && found.count > 0 && found.count === spool.size && records === spool.records);
    // Ended after the key's frame: its final list now, not at the end of Ink's throttle window (inside the key
    // the key's own frame shows it).
    if (afterKey) drawNow();
  }

  return {
    anticipate(next) {
      // Not a single character: the first letter typed is mostly in every event's listed fields ("c", "o": no
      // search then), and one byte is the token index's dearest match (a scan of its whole dictionary), which
      // would only take the second core from drawing the key's frame (bench/browser-probe.mjs: "c" 9-14 ms
      // with none, 20-24 anticipated; "cu" 18-27 ms without anticipating, 9-11 with).
      if (next.length < 2 || next === text || spool.size === 0 || anticipated?.text === next || !indexWouldDecide(next)) return;
      const job = spool.scanJob(filterWords(next), 0);
      if (job === null) return;
      // The older text's search stops here (its results would be dropped by setText anyway).
      generation++;
      const started = startWorkerScan(job);
      anticipated = 'hits' in started ? null : {text: next, scan: started};
    },
    setText(next) {
      if (next === text) return;
      text = next;
      generation++;
      if (anticipated?.text !== next) {
        anticipated = null;
        scanner.stop();
      }
      if (next === '' || spool.size === 0) return;
      void search({text: next, generation, all: [], records: [], count: 0, pending: [], pendingRecords: [], flushedAt: performance.now(), isListed: listedFieldsMatcher(next)});
    },
    warm() {
      if (spool.size === 0 || !scanner.start()) return;
      // The lists of a scan of every record (built once and kept by the spool while no record is put) go to
      // the worker now, after the filter's first frame: the first key's scan builds and copies none (about
      // 8 + 5 ms of that key at 50,000 events, CPU profile). The words are the key's; these are a placeholder.
      if (spool.records >= WORKER_IN_KEY_RECORDS) {
        const job = spool.scanJob(['\n'], 0);
        if (job !== null) scanner.prepare(job);
      }
    },
    loadedMatch(matchText, id) {
      if (complete?.text !== matchText) return;
      complete.ids.push(id);
      complete.count++;
      complete.set?.add(id);
    },
    close() {
      generation++;
      complete = null;
      anticipated = null;
      scanner.close();
      if (indexTimer !== null) clearTimeout(indexTimer);
      indexTimer = null;
      indexedTo = 0;
    },
  };
}
