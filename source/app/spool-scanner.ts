// The filter's payload search in a worker thread: the spool's search file (app/event-spool.ts: each loaded
// event's lower-cased search text, written once at load) is a file, so a worker reads and compares its bytes
// itself (Buffer.indexOf per block, no copy through the main thread) while the main thread keeps drawing and
// taking keys. The main thread says which records to search (their place in the file) and gets back, in
// batches, the numbers of the records that hold every word; a newer scan stops the older one between blocks
// (a shared counter), so fast typing searches only the last text.
// A scan can also be waited for (scanWaiting): the worker then writes its progress and, when it ends, all its
// hits into a SharedArrayBuffer, so the main thread can block for a few milliseconds (Atomics.wait) inside a
// key and draw the key's frame with the final list when the worker is that quick.
// The worker's code is a string evaluated as the worker (no file of its own: the bundle stays one set of
// chunks, and esbuild's helpers never reach it). It needs only node:fs and node:worker_threads. Its token index
// (app/token-index.ts, which decides most scans without reading the file) is that module's createTokenIndex,
// put in as its own source text: a self-contained function (a `__name` stub stands in for the one helper an
// esbuild keepNames build would add to it).
import {Worker} from 'node:worker_threads';
import {createTokenIndex, type TokenIndexStats} from './token-index.ts';

/** Records appended to the search file, for the worker's token index: numbers (ascending), offsets, lengths. */
export interface IndexBatch {
  path: string;
  records: Int32Array;
  offsets: Float64Array;
  lengths: Int32Array;
}

/** What a worker scan searches: records (ascending), each one's byte offset and length in the search file. */
export interface ScanJob {
  path: string;
  words: readonly string[];
  records: Int32Array;
  offsets: Float64Array;
  lengths: Int32Array;
}

/** Read per block by the worker, and the least time between two batches of hits it posts. */
const BLOCK_BYTES = 1 << 20;
const POST_MS = 40;
/** Bytes kept per record from the last word's place on (see the worker's memo). */
const WINDOW = 32;

/** Records the worker indexes between two looks at its messages (a scan waits for at most one of them). */
const INDEX_CHUNK_BYTES = 256 << 10;

const WORKER_SOURCE = `
const {parentPort} = require('node:worker_threads');
const fs = require('node:fs');
const __name = (f) => f;
const createTokenIndex = (${createTokenIndex.toString()});
let cancel = null;
let buffer = null;
// Records i.. that lie back to back in the file, at most maxBytes together (at least one): [end, bytes].
function runOf(offsets, lengths, i, total, maxBytes) {
  let end = i + 1;
  let bytes = lengths[i];
  while (end < total && offsets[end] === offsets[i] + bytes && bytes + lengths[end] <= maxBytes) bytes += lengths[end++];
  return [end, bytes];
}
// size bytes of the file fd from position on, in the read buffer (grown when it is smaller): that buffer.
function readAt(fd, size, position) {
  if (buffer === null || buffer.length < size) buffer = Buffer.allocUnsafe(Math.max(size, ${BLOCK_BYTES}));
  let got = 0;
  while (got < size) {
    const n = fs.readSync(fd, buffer, got, size - got, position + got);
    if (n === 0) throw new Error('the search file is shorter than expected');
    got += n;
  }
  return buffer;
}
// The job's records the index decides, by its bitmap of hits (bits) for records below upTo: the hits (into
// hits, when allWords: every word was decided; their count returned), and the places k in the job of the
// records left to the file (into rest): those from upTo on, and the index's hits when not every word was decided.
function splitByIndex(records, bits, upTo, allWords, hits, rest) {
  let n = 0;
  for (let k = 0; k < records.length; k++) {
    const r = records[k];
    if (r >= upTo) rest.push(k);
    else if ((bits[r >>> 5] >>> (r & 31)) & 1) {
      if (allWords) hits[n++] = r;
      else rest.push(k);
    }
  }
  return n;
}
// The index's hits of a scan, reused by every scan (a scan ends before the next message is read; its hits are
// copied out when posted): at least size long.
let indexHitStore = null;
function hitBuffer(size) {
  if (indexHitStore === null || indexHitStore.length < size) indexHitStore = new Int32Array(Math.max(size, 1024));
  return indexHitStore;
}
// The token index of the search file at indexed.path (app/token-index.ts), built as records are appended
// (type 'index' messages, queued, indexed in chunks between scans: a scan announced by the main thread, its
// id in cancel[0], stops a chunk at its next record). Records a scan finds not indexed yet are read from the
// file, as are all of them for words the index cannot decide.
let indexed = null;
function indexMessage(m) {
  if (indexed === null || indexed.path !== m.path) {
    indexed = {path: m.path, index: createTokenIndex(), queue: [], at: 0, scheduled: false, broken: false};
    if (cancel !== null) Atomics.store(cancel, 2, 0);
  }
  indexed.queue.push({records: m.records, offsets: m.offsets, lengths: m.lengths});
  scheduleIndex();
}
function dropQueue(state) {
  state.queue = [];
  state.at = 0;
}
function scheduleIndex() {
  if (indexed === null || indexed.scheduled || indexed.queue.length === 0) return;
  indexed.scheduled = true;
  setImmediate(indexSome);
}
function indexSome() {
  const state = indexed;
  state.scheduled = false;
  if (indexed !== state) return;
  if (state.broken || state.index.full) {
    // No more records will be indexed: the scans read them from the file.
    dropQueue(state);
    return;
  }
  // Paused while the main thread draws a frame: this core is its meanwhile.
  if (cancel !== null && Atomics.load(cancel, 1) === 1) {
    state.scheduled = true;
    setTimeout(indexSome, 2);
    return;
  }
  const seen = cancel === null ? 0 : Atomics.load(cancel, 0);
  const batch = state.queue[0];
  const {records, offsets, lengths} = batch;
  let i = state.at;
  // Records i..end-1, back to back in the file, about INDEX_CHUNK_BYTES.
  const [end, bytes] = runOf(offsets, lengths, i, records.length, ${INDEX_CHUNK_BYTES});
  let fd = -1;
  let text;
  try {
    fd = fs.openSync(state.path, 'r');
    text = readAt(fd, bytes, offsets[i]);
  } catch {
    state.broken = true;
    dropQueue(state);
    return;
  } finally {
    if (fd !== -1) fs.closeSync(fd);
  }
  const base = offsets[i];
  for (; i < end; i++) {
    const from = offsets[i] - base;
    if (!state.index.add(records[i], text, from, from + lengths[i])) {
      dropQueue(state);
      return;
    }
    if (cancel !== null && Atomics.load(cancel, 0) !== seen) {
      i++;
      break;
    }
  }
  state.at = i;
  // How many records the index decides, for the main thread (SpoolScanner.indexedRecords).
  if (cancel !== null) Atomics.store(cancel, 2, state.index.records);
  if (state.at >= records.length) {
    state.queue.shift();
    state.at = 0;
  }
  scheduleIndex();
}
// The first place of the last completed one-word scan's word in each record it searched (-1: not in it, -2: not
// searched), and the WINDOW bytes of the record from there, for the search file at memo.path. A word that
// extends it ("cus" after "cu") is found at that place or after it, and not at all where that word was not: a
// key typed on a word compares it with each record's window in memory, and reads from the file only the
// records where it is not there (WINDOW bytes a record: 1.6 MB at 50,000 events).
let memo = null;
let lists = null;
parentPort.on('message', (m) => {
  if (m.type === 'init') {
    cancel = new Int32Array(m.cancel);
    return;
  }
  if (m.type === 'index') {
    indexMessage(m);
    return;
  }
  // A job's lists ahead of its first scan (the filter opened): that scan then sends none. The index's match
  // and the pass over the lists run once now, so the first key's run compiled (token-index.ts warm).
  if (m.type === 'lists') {
    lists = {records: m.records, offsets: m.offsets, lengths: m.lengths};
    if (indexed !== null && indexed.index.records > 0) {
      indexed.index.warm();
      // And the pass over a job's records with the index's hits (all of them: every branch runs).
      splitByIndex(lists.records, new Uint32Array((indexed.index.records >>> 5) + 1).fill(-1), indexed.index.records, true, hitBuffer(lists.records.length), []);
    }
    return;
  }
  if (m.type === 'stats') {
    parentPort.postMessage({stats: indexed === null ? null : {...indexed.index.stats(), queued: indexed.queue.reduce((n, b) => n + b.records.length, 0) - indexed.at}});
    return;
  }
  // A job's lists are sent once: a job with the same lists as the last one sends none.
  if (m.records !== undefined) lists = {records: m.records, offsets: m.offsets, lengths: m.lengths};
  const {id, path, words} = m;
  let {records, offsets, lengths} = lists;
  // [0] the id of the scan whose hits are in it (set last), [1] their number, [2] records searched so far,
  // [3...] the hits (every one of this scan's, when they fit).
  const shared = m.shared !== undefined ? new Int32Array(m.shared) : null;
  const every = shared !== null && shared.length - 3 >= records.length ? [] : null;
  const needles = words.map((w) => Buffer.from(w, 'utf8'));
  let longest = needles[0];
  for (const n of needles) if (n.length > longest.length) longest = n;
  // The token index decides the records it holds for the words it can (every one: those records are hits or
  // not; some: only its candidates are read); the rest are read from the file below. 'decided' counts the
  // job's records settled here (the progress the main thread sees starts there).
  let decided = 0;
  let indexHits = null;
  let indexHitCount = 0;
  const index = indexed !== null && indexed.path === path && indexed.index.records > 0 ? indexed.index : null;
  const indexWords = index === null ? [] : needles.filter((n) => index.indexable(n));
  if (indexWords.length > 0 && Atomics.load(cancel, 0) === id) {
    const bits = index.match(indexWords);
    const allWords = indexWords.length === needles.length;
    const rest = [];
    if (allWords) indexHits = hitBuffer(records.length);
    indexHitCount = splitByIndex(records, bits, index.records, allWords, indexHits, rest);
    decided = records.length - rest.length;
    if (shared !== null) Atomics.store(shared, 2, decided);
    if (rest.length < records.length) {
      const all = {records, offsets, lengths};
      records = new Int32Array(rest.length);
      offsets = new Float64Array(rest.length);
      lengths = new Int32Array(rest.length);
      rest.forEach((k, i) => {
        records[i] = all.records[k];
        offsets[i] = all.offsets[k];
        lengths[i] = all.lengths[k];
      });
    }
  }
  // One word, nothing decided by the index (none built yet, or it lags behind the records): the memo of the
  // last word below, as without an index (else every word in each record read).
  const single = needles.length === 1 && decided === 0;
  const prior = single && memo !== null && memo.path === path && words[0].startsWith(memo.word) ? memo.places : null;
  let places = null;
  let windows = null;
  let widths = null;
  if (single) {
    let most = 0;
    for (let i = 0; i < records.length; i++) if (records[i] + 1 > most) most = records[i] + 1;
    const size = Math.max(most, memo !== null && memo.path === path ? memo.places.length : 0);
    places = new Int32Array(size).fill(-2);
    windows = new Uint8Array(size * ${WINDOW});
    widths = new Uint8Array(size);
    if (prior !== null) {
      windows.set(memo.windows);
      widths.set(memo.widths);
    }
  }
  // Per record of a block: 0 not a hit, 1 a hit, 2 to be searched in the block's bytes.
  let state = new Uint8Array(1024);
  let fd;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    parentPort.postMessage({id, error: String(error && error.message)});
    return;
  }
  let hits = [];
  let postedAt = Date.now();
  const addHit = (r) => {
    hits.push(r);
    if (every !== null) every.push(r);
  };
  // The index's hits go first (all below the records read from the file), in the first batch.
  let indexPending = indexHitCount > 0;
  const post = (done) => {
    if (done && every !== null && Atomics.load(cancel, 0) === id) {
      shared.set(indexHits === null ? every : indexHits.subarray(0, indexHitCount), 3);
      if (indexHits !== null) shared.set(every, 3 + indexHitCount);
      shared[1] = indexHitCount + every.length;
      Atomics.store(shared, 0, id);
      Atomics.notify(shared, 0);
    }
    let out;
    if (indexPending) {
      indexPending = false;
      out = new Int32Array(indexHitCount + hits.length);
      out.set(indexHits.subarray(0, indexHitCount));
      out.set(hits, indexHitCount);
    } else out = Int32Array.from(hits);
    hits = [];
    postedAt = Date.now();
    parentPort.postMessage({id, records: out, done}, [out.buffer]);
  };
  const priorOf = (r) => (prior !== null && r < prior.length ? prior[r] : -2);
  try {
    const total = records.length;
    let i = 0;
    while (i < total) {
      if (Atomics.load(cancel, 0) !== id) {
        parentPort.postMessage({id, cancelled: true});
        return;
      }
      // Paused while the main thread draws a frame (cancel[1] = 1): this core is its meanwhile.
      if (Atomics.load(cancel, 1) === 1) {
        Atomics.wait(cancel, 1, 1, 100);
        continue;
      }
      // A block: records i..end-1 that lie back to back in the file, about BLOCK_BYTES at most.
      const [end] = runOf(offsets, lengths, i, total, ${BLOCK_BYTES});
      if (state.length < end - i) state = new Uint8Array(end - i);
      // Only the records from the first to the last that the windows cannot decide are read.
      let first = end;
      let last = i - 1;
      for (let k = i; k < end; k++) {
        const decided = single ? fromMemory(k) : 2;
        state[k - i] = decided;
        if (decided === 2) {
          if (first === end) first = k;
          last = k;
        }
      }
      if (first <= last) {
        const start = offsets[first];
        const size = offsets[last] + lengths[last] - start;
        const block = readAt(fd, size, start).subarray(0, size);
        if (single) scanOne(block, start, first, last + 1, i);
        else scanAll(block, start, first, last + 1);
      }
      if (single) for (let k = i; k < end; k++) if (state[k - i] === 1) addHit(records[k]);
      i = end;
      if (shared !== null) Atomics.store(shared, 2, decided + i);
      if ((hits.length > 0 || indexPending) && Date.now() - postedAt >= ${POST_MS}) post(false);
    }
    post(true);
    if (single) memo = {path, word: words[0], places, windows, widths};
  } catch (error) {
    parentPort.postMessage({id, error: String(error && error.message)});
  } finally {
    fs.closeSync(fd);
  }

  // One word, record k decided from the last word's place and window: 0 not a hit (the last word was not in
  // it), 1 when the window holds this word (at the last word's place or further on: "cust-" in the window
  // 'customer":{"id":"cust-1' of "cust"; every place of this word is a place of the last one, so the first in
  // the window is the first in the record), its place and window moved there; else 2 (its bytes are searched).
  function fromMemory(k) {
    const r = records[k];
    const before = priorOf(r);
    if (before === -1) {
      places[r] = -1;
      return 0;
    }
    const length = longest.length;
    const width = before < 0 ? 0 : widths[r];
    if (length > width) return 2;
    const w = r * ${WINDOW};
    const first = longest[0];
    for (let d = 0; d + length <= width; d++) {
      if (windows[w + d] !== first) continue;
      let j = 1;
      while (j < length && windows[w + d + j] === longest[j]) j++;
      if (j < length) continue;
      places[r] = before + d;
      if (d > 0) {
        windows.copyWithin(w, w + d, w + width);
        widths[r] = width - d;
      }
      return 1;
    }
    return 2;
  }

  // One word, records from..to-1 of the block (those marked 2 in state, whose block index starts at base):
  // from where the last word was (when this word extends it), with the next hit in the block kept so a run of
  // records without the word costs one indexOf. A hit keeps its place and window for the next word.
  function scanOne(block, start, from, to, base) {
    const needle = longest;
    const length = needle.length;
    let next = -2;
    let nextFrom = 0;
    for (let k = from; k < to; k++) {
      if (state[k - base] !== 2) continue;
      const r = records[k];
      const before = priorOf(r);
      const recordStart = offsets[k] - start;
      const recordEnd = recordStart + lengths[k];
      let at = -1;
      if (before >= 0 && recordStart + before + length <= recordEnd) {
        let same = true;
        const p = recordStart + before;
        for (let j = 0; j < length; j++) if (block[p + j] !== needle[j]) { same = false; break; }
        if (same) at = p;
      }
      if (at === -1) {
        // Past the places the window held (fromMemory looked there).
        const searchFrom = recordStart + (before >= 0 ? before + Math.max(1, widths[r] - length + 1) : 0);
        if (next === -2 || nextFrom > searchFrom || (next !== -1 && next < searchFrom)) {
          next = block.indexOf(needle, searchFrom);
          nextFrom = searchFrom;
        }
        if (next !== -1 && next + length <= recordEnd) at = next;
      }
      if (at === -1) {
        places[r] = -1;
        state[k - base] = 0;
        continue;
      }
      places[r] = at - recordStart;
      const width = Math.min(${WINDOW}, recordEnd - at);
      windows.set(block.subarray(at, at + width), r * ${WINDOW});
      widths[r] = width;
      state[k - base] = 1;
    }
  }

  // Several words: hits of the longest word across the block, each mapped to its record; the other words are
  // looked for in that record only.
  function scanAll(block, start, from, to) {
    let k = from;
    let at = 0;
    while (k < to) {
      const hit = block.indexOf(longest, at);
      if (hit === -1) break;
      while (k < to && hit >= offsets[k] - start + lengths[k]) k++;
      if (k >= to) break;
      const recordStart = offsets[k] - start;
      const recordEnd = recordStart + lengths[k];
      if (hit + longest.length > recordEnd) {
        at = hit + 1;
        continue;
      }
      const text = block.subarray(recordStart, recordEnd);
      let all = true;
      for (const needle of needles) if (text.indexOf(needle) === -1) { all = false; break; }
      if (all) addHit(records[k]);
      at = recordEnd;
      k++;
    }
  }
});
`;

interface Running {
  id: number;
  onHits: (records: Int32Array) => void;
  resolve: (outcome: 'done' | 'cancelled') => void;
  reject: (error: Error) => void;
}

/** One worker, one scan at a time (a new scan cancels the running one). */
export class SpoolScanner {
  private worker: Worker | null = null;
  private cancel: Int32Array | null = null;
  private running: Running | null = null;
  private nextId = 1;
  private failed = false;
  /** The records list of the last job sent to the worker (it keeps that job's lists). */
  private sent: Int32Array | null = null;
  /** Shared with the worker: which scan ended, its hits and its progress (the worker's `shared`). */
  private shared: Int32Array | null = null;

  /** Whether the worker is running. */
  get started(): boolean {
    return this.worker !== null;
  }

  /** Starts the worker (ahead of the first scan, e.g. when the filter opens); false when there can be none. */
  start(): boolean {
    if (this.worker !== null) return true;
    if (this.failed) return false;
    try {
      // [0] the running scan's id (another: cancelled), [1] 1 while paused, [2] the records the worker's token
      // index decides (1 + the last one it holds).
      const shared = new SharedArrayBuffer(12);
      this.cancel = new Int32Array(shared);
      const worker = new Worker(WORKER_SOURCE, {eval: true});
      worker.unref();
      worker.on('message', (m: {id: number; records?: Int32Array; done?: boolean; cancelled?: boolean; error?: string}) => this.onMessage(m));
      worker.on('error', (error) => this.onExit(error));
      worker.on('exit', () => this.onExit(new Error('the search worker stopped')));
      worker.postMessage({type: 'init', cancel: shared});
      this.worker = worker;
      return true;
    } catch {
      this.failed = true;
      this.worker = null;
      return false;
    }
  }

  /** Searches `job` in the worker: `onHits` gets batches of matching record numbers (ascending). Resolves
   * 'done' after the last batch, or 'cancelled' once a newer scan (or stop/close) took over. */
  scan(job: ScanJob, onHits: (records: Int32Array) => void): Promise<'done' | 'cancelled'> {
    if (!this.start()) return Promise.reject(new Error('no worker thread for the search'));
    this.stop();
    const id = this.nextId++;
    Atomics.store(this.cancel!, 0, id);
    this.resume();
    if (this.shared === null || this.shared.length - 3 < job.records.length) this.shared = new Int32Array(new SharedArrayBuffer(4 * (3 + job.records.length)));
    const shared = this.shared;
    Atomics.store(shared, 0, 0);
    Atomics.store(shared, 2, 0);
    return new Promise((resolve, reject) => {
      this.running = {id, onHits, resolve, reject};
      // The worker keeps the last job's lists: the same lists again (a job kept by the spool) are not copied.
      const same = this.sent === job.records;
      this.sent = job.records;
      const scan = {type: 'scan', id, path: job.path, words: job.words, shared: shared.buffer};
      this.worker!.postMessage(same ? scan : {...scan, records: job.records, offsets: job.offsets, lengths: job.lengths});
    });
  }

  /** Sends a job's lists to the worker ahead of its first scan (when the filter opens): that scan, with the same
   * lists, then sends none (the first payload key at 50,000 events spent about 5 ms copying them). */
  prepare(job: ScanJob): void {
    if (this.sent === job.records || !this.start()) return;
    this.sent = job.records;
    this.worker!.postMessage({type: 'lists', records: job.records, offsets: job.offsets, lengths: job.lengths});
  }

  /** `scan`, waited for on this thread (blocked, Atomics.wait) while the worker looks likely to end it within
   * `waitMs` at its pace so far: ended in time, `hits` holds every one (ascending; none went to `onHits`);
   * else `outcome` is scan's promise and the scan goes on as scan's does. */
  scanWaiting(job: ScanJob, onHits: (records: Int32Array) => void, waitMs: number): {hits: Int32Array} | {outcome: Promise<'done' | 'cancelled'>} {
    return this.wait(this.scan(job, onHits), job.records.length, waitMs);
  }

  /** scanWaiting's wait, for the scan `scan` started (its promise `outcome`, its job of `records` records) and
   * still running: a scan started ahead of the key's other work (app/payload-search.ts anticipate) is waited for
   * here once that work is done. */
  wait(outcome: Promise<'done' | 'cancelled'>, records: number, waitMs: number): {hits: Int32Array} | {outcome: Promise<'done' | 'cancelled'>} {
    const running = this.running;
    const shared = this.shared;
    if (running === null || shared === null) return {outcome};
    const started = performance.now();
    for (;;) {
      const ended = Atomics.load(shared, 0);
      if (ended === running.id) {
        const hits = shared.slice(3, 3 + shared[1]!);
        this.running = null;
        running.resolve('done');
        return {hits};
      }
      const elapsed = performance.now() - started;
      if (elapsed >= waitMs) return {outcome};
      const searched = Atomics.load(shared, 2);
      // Past its first half millisecond, a scan whose pace so far would not end it in time is not waited for.
      // Nothing decided yet is no pace: the token index decides its records all at once when its match ends
      // ("ord-0" at 50k: ~1.5 ms, every record a hit), so such a scan is waited for the whole waitMs (giving up
      // at half of it left those keys' final list to a later frame).
      if (elapsed >= 0.5 && searched > 0 && (elapsed * records) / searched > waitMs) return {outcome};
      Atomics.wait(shared, 0, ended, Math.min(0.25, waitMs - elapsed));
    }
  }

  /** Records appended to the search file: the worker indexes them (app/token-index.ts) between scans, so a
   * later scan reads only what the index cannot decide. Starts the worker; false when there can be none. */
  index(batch: IndexBatch): boolean {
    if (batch.records.length === 0) return this.worker !== null;
    if (!this.start()) return false;
    this.worker!.postMessage({type: 'index', ...batch}, [batch.records.buffer, batch.offsets.buffer, batch.lengths.buffer] as ArrayBuffer[]);
    return true;
  }

  /** Records 0..n-1 are in the worker's token index (n, 0 without a worker): a scan of words it can decide
   * (tokenIndexable) is then decided from memory for each of those records, whatever the job's record list. */
  indexedRecords(): number {
    return this.cancel === null ? 0 : Atomics.load(this.cancel, 2);
  }

  /** The worker's token index (records, tokens, bytes held, full) and the records queued for it: for benches. */
  indexStats(): Promise<(TokenIndexStats & {queued: number}) | null> {
    if (this.worker === null) return Promise.resolve(null);
    const worker = this.worker;
    return new Promise((resolve) => {
      const onMessage = (m: {stats?: (TokenIndexStats & {queued: number}) | null}) => {
        if (!('stats' in m)) return;
        worker.off('message', onMessage);
        resolve(m.stats ?? null);
      };
      worker.on('message', onMessage);
      worker.postMessage({type: 'stats'});
    });
  }

  /** Holds the running scan at its next block until resume (or a newer scan, or stop): while this thread draws
   * a frame, the worker does not take a core from it. */
  pause(): void {
    if (this.cancel !== null && this.running !== null) Atomics.store(this.cancel, 1, 1);
  }

  /** Lets a paused scan go on. */
  resume(): void {
    if (this.cancel === null || Atomics.load(this.cancel, 1) === 0) return;
    Atomics.store(this.cancel, 1, 0);
    Atomics.notify(this.cancel, 1);
  }

  /** Stops the running scan (its promise resolves 'cancelled' now; the worker stops at its next block). */
  stop(): void {
    if (this.cancel !== null) Atomics.store(this.cancel, 0, 0);
    this.resume();
    const running = this.running;
    this.running = null;
    running?.resolve('cancelled');
  }

  /** Stops the worker (a later scan starts a new one). */
  close(): void {
    this.stop();
    const worker = this.worker;
    this.worker = null;
    this.sent = null;
    if (worker) {
      worker.removeAllListeners();
      void worker.terminate();
    }
  }

  private onMessage(m: {id: number; records?: Int32Array; done?: boolean; cancelled?: boolean; error?: string}): void {
    const running = this.running;
    if (running === null || m.id !== running.id) return;
    if (m.error !== undefined) {
      this.running = null;
      running.reject(new Error(m.error));
      return;
    }
    if (m.cancelled) {
      this.running = null;
      running.resolve('cancelled');
      return;
    }
    if (m.records && m.records.length > 0) running.onHits(m.records);
    if (m.done) {
      this.running = null;
      running.resolve('done');
    }
  }

  private onExit(error: Error): void {
    this.worker = null;
    this.sent = null;
    this.failed = true;
    const running = this.running;
    this.running = null;
    running?.reject(error);
  }
}
