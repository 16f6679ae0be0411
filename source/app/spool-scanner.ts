// The filter's payload search in a worker thread: the spool's search file (app/event-spool.ts: each loaded
// event's lower-cased search text, written once at load) is a file, so a worker reads and compares its bytes
// itself (Buffer.indexOf per block, no copy through the main thread) while the main thread keeps drawing and
// taking keys. The main thread says which records to search (their place in the file) and gets back, in
// batches, the numbers of the records that hold every word; a newer scan stops the older one between blocks
// (a shared counter), so fast typing searches only the last text.
// The worker's code is a string evaluated as the worker (no file of its own: the bundle stays one set of
// chunks, and esbuild's helpers never reach it). It needs only node:fs and node:worker_threads.
import {Worker} from 'node:worker_threads';

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

const WORKER_SOURCE = `
const {parentPort} = require('node:worker_threads');
const fs = require('node:fs');
let cancel = null;
let buffer = null;
parentPort.on('message', (m) => {
  if (m.type === 'init') {
    cancel = new Int32Array(m.cancel);
    return;
  }
  const {id, path, words, records, offsets, lengths} = m;
  const needles = words.map((w) => Buffer.from(w, 'utf8'));
  let longest = needles[0];
  for (const n of needles) if (n.length > longest.length) longest = n;
  let fd;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    parentPort.postMessage({id, error: String(error && error.message)});
    return;
  }
  let hits = [];
  let postedAt = Date.now();
  const post = (done) => {
    const out = Int32Array.from(hits);
    hits = [];
    postedAt = Date.now();
    parentPort.postMessage({id, records: out, done}, [out.buffer]);
  };
  try {
    const total = records.length;
    let i = 0;
    while (i < total) {
      if (Atomics.load(cancel, 0) !== id) {
        parentPort.postMessage({id, cancelled: true});
        return;
      }
      // A block: records i..end-1 that lie back to back in the file, about BLOCK_BYTES at most.
      const start = offsets[i];
      let bytes = lengths[i];
      let end = i + 1;
      while (end < total && offsets[end] === start + bytes && bytes + lengths[end] <= ${BLOCK_BYTES}) bytes += lengths[end++];
      if (buffer === null || buffer.length < bytes) buffer = Buffer.allocUnsafe(Math.max(bytes, ${BLOCK_BYTES}));
      let got = 0;
      while (got < bytes) {
        const n = fs.readSync(fd, buffer, got, bytes - got, start + got);
        if (n === 0) throw new Error('the search file is shorter than expected');
        got += n;
      }
      const block = buffer.subarray(0, bytes);
      // Hits of the longest word across the block, each mapped to its record; the other words are looked for
      // in that record only.
      let k = i;
      let at = 0;
      while (k < end) {
        const hit = block.indexOf(longest, at);
        if (hit === -1) break;
        while (k < end && hit >= offsets[k] - start + lengths[k]) k++;
        if (k >= end) break;
        const from = offsets[k] - start;
        const to = from + lengths[k];
        if (hit + longest.length > to) {
          at = hit + 1;
          continue;
        }
        let all = true;
        if (needles.length > 1) {
          const text = block.subarray(from, to);
          for (const needle of needles) if (text.indexOf(needle) === -1) { all = false; break; }
        }
        if (all) hits.push(records[k]);
        at = to;
        k++;
      }
      i = end;
      if (hits.length > 0 && Date.now() - postedAt >= ${POST_MS}) post(false);
    }
    post(true);
  } catch (error) {
    parentPort.postMessage({id, error: String(error && error.message)});
  } finally {
    fs.closeSync(fd);
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

  /** Starts the worker (ahead of the first scan, e.g. when the filter opens); false when there can be none. */
  start(): boolean {
    if (this.worker !== null) return true;
    if (this.failed) return false;
    try {
      const shared = new SharedArrayBuffer(4);
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
    return new Promise((resolve, reject) => {
      this.running = {id, onHits, resolve, reject};
      this.worker!.postMessage({type: 'scan', id, path: job.path, words: job.words, records: job.records, offsets: job.offsets, lengths: job.lengths});
    });
  }

  /** Stops the running scan (its promise resolves 'cancelled' now; the worker stops at its next block). */
  stop(): void {
    if (this.cancel !== null) Atomics.store(this.cancel, 0, 0);
    const running = this.running;
    this.running = null;
    running?.resolve('cancelled');
  }

  /** Stops the worker (a later scan starts a new one). */
  close(): void {
    this.stop();
    const worker = this.worker;
    this.worker = null;
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
    this.failed = true;
    const running = this.running;
    this.running = null;
    running?.reject(error);
  }
}
