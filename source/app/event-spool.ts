// The full failed events the browser has loaded (body, payload, stack, attributes), in bounded memory: every
// event is written through to a private temporary file (a directory of mode 0700, the file 0600, removed on
// close and at exit), and the `inMemory` most recently loaded or viewed are also kept in memory (an LRU).
// The list keeps only listed fields (domain/failed-event.ts listedEvent); the detail view, the payload-text
// filter, export and redrive read the full event back here, byte for byte: a record is the event's JSON, and
// JSON.stringify escapes every string losslessly (lone surrogates included), so JSON.parse gives it back exact.
// Same approach as redrive/held.ts (receipt handles); random access here, because the browser reads by id.
// Beside it, a second file holds each event's lower-cased search text (domain searchHaystack: ids, error,
// payload), written once at load, so the filter's search of payloads reads bytes and compares bytes
// (Buffer.indexOf, in blocks) instead of parsing every event back per key.
import {closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {failedEventMatches, searchHaystack} from '../domain/failed-event.ts';
import type {FailedEvent} from '../domain/types.ts';
import type {IndexBatch, ScanJob} from './spool-scanner.ts';

/** One step of a search (EventSpool.scan): the ids found, and the record to go on from (null: done). */
export interface ScanStep {
  ids: string[];
  next: number | null;
}

/** Full events kept in memory by default (the rest are read back from the spool file). */
export const DEFAULT_EVENTS_IN_MEMORY = 500;

export class EventSpool {
  /** message id -> record number (ids in load order; a re-put moves the id to a new record). */
  private readonly index = new Map<string, number>();
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private readonly order: string[] = [];
  /** Per record: its message id, and where its search text is in the search file (-1: not written). */
  private readonly recordIds: string[] = [];
  /** Per record: a newer record of its id was put since (a scan skips it without a lookup by id). */
  private readonly superseded: boolean[] = [];
  /** Per record: its id's first record (the id's search key, keyOf: the same through re-puts). */
  private readonly firstRecords: number[] = [];
  private readonly searchOffsets: number[] = [];
  private readonly searchLengths: number[] = [];
  private searchFd: number | null = null;
  private searchEnd = 0;
  private readonly recent = new Map<string, FailedEvent>();
  /** Events the spool file could not take (disk full, no temp dir): kept in memory rather than lost. */
  private readonly unspooled = new Map<string, FailedEvent>();
  private dir: string | null = null;
  private fd: number | null = null;
  private end = 0;
  private readonly onExit = () => this.close();
  /** The last write error (null when every event is spooled). */
  writeError: string | null = null;

  constructor(private readonly capacity = DEFAULT_EVENTS_IN_MEMORY) {}

  get size(): number {
    return this.index.size;
  }

  /** Full events held in memory (at most the LRU's size, plus any the spool file could not take). */
  get inMemory(): number {
    return this.recent.size + [...this.unspooled.keys()].filter((id) => !this.recent.has(id)).length;
  }

  /** The ids held in memory, least recently used first. */
  idsInMemory(): string[] {
    return [...this.recent.keys()];
  }

  /** Bytes written to the spool file so far. */
  get spooledBytes(): number {
    return this.end;
  }

  /** Bytes of search text written so far (what a search of every event reads). */
  get searchBytes(): number {
    return this.searchEnd;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** Message ids in load order. */
  ids(): readonly string[] {
    return this.order;
  }

  /** Keeps a loaded event: written to the spool file, and kept in memory as the most recent. */
  put(event: FailedEvent): void {
    this.putAll([event]);
  }

  /** Keeps a batch of loaded events (a receive's worth): one write to each file for all of them. */
  putAll(events: readonly FailedEvent[]): void {
    if (events.length === 0) return;
    const records = events.map((event) => Buffer.from(JSON.stringify(event), 'utf8'));
    const searches = events.map((event) => Buffer.from(searchHaystack(event), 'utf8'));
    let spooled = true;
    try {
      writeAll(this.open(), Buffer.concat(records), this.end);
    } catch (error) {
      spooled = false;
      this.writeError = (error as Error).message;
    }
    let searchable = spooled;
    if (spooled) {
      try {
        if (this.searchFd === null) this.searchFd = openSync(join(this.dir!, 'search'), 'wx+', 0o600);
        writeAll(this.searchFd, Buffer.concat(searches), this.searchEnd);
      } catch {
        searchable = false;
      }
    }
    events.forEach((event, i) => {
      const id = event.messageId;
      const older = this.index.get(id);
      if (older === undefined) this.order.push(id);
      else this.superseded[older] = true;
      this.firstRecords.push(older === undefined ? this.offsets.length : this.firstRecords[older]!);
      this.index.set(id, this.offsets.length);
      this.recordIds.push(id);
      this.superseded.push(false);
      if (spooled) {
        this.offsets.push(this.end);
        this.lengths.push(records[i]!.length);
        this.end += records[i]!.length;
        this.unspooled.delete(id);
      } else {
        this.offsets.push(-1);
        this.lengths.push(0);
        this.unspooled.set(id, event);
      }
      if (searchable) {
        this.searchOffsets.push(this.searchEnd);
        this.searchLengths.push(searches[i]!.length);
        this.searchEnd += searches[i]!.length;
      } else {
        this.searchOffsets.push(-1);
        this.searchLengths.push(0);
      }
      this.remember(id, event);
    });
    for (const listener of this.appendListeners) listener();
  }

  /** The full event, from memory or read back from the spool file; null for an id never put.
   * Throws when the spool file cannot be read (then nothing is made up). */
  get(id: string): FailedEvent | null {
    const cached = this.recent.get(id) ?? this.unspooled.get(id);
    if (cached) {
      this.remember(id, cached);
      return cached;
    }
    const record = this.index.get(id);
    if (record === undefined) return null;
    const event = this.read(record);
    this.remember(id, event);
    return event;
  }

  /** The full event without making it recent (for scans over every event: the LRU keeps what was viewed). */
  peek(id: string): FailedEvent | null {
    const cached = this.recent.get(id) ?? this.unspooled.get(id);
    if (cached) return cached;
    const record = this.index.get(id);
    return record === undefined ? null : this.read(record);
  }

  /** Removes every event and the spool file. The spool can be used again (a new file). */
  close(): void {
    this.index.clear();
    this.offsets.length = 0;
    this.lengths.length = 0;
    this.order.length = 0;
    this.recordIds.length = 0;
    this.superseded.length = 0;
    this.firstRecords.length = 0;
    this.searchOffsets.length = 0;
    this.searchLengths.length = 0;
    this.searchEnd = 0;
    this.searchBuffer = null;
    this.jobCache = null;
    if (this.searchFd !== null) {
      try {
        closeSync(this.searchFd);
      } catch {
        // already closed
      }
      this.searchFd = null;
    }
    this.recent.clear();
    this.unspooled.clear();
    this.end = 0;
    this.writeError = null;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = null;
    }
    if (this.dir !== null) {
      rmSync(this.dir, {recursive: true, force: true});
      this.dir = null;
      process.off('exit', this.onExit);
    }
  }

  /** Records put so far (a re-put event has a newer record; scans skip the older one). */
  get records(): number {
    return this.recordIds.length;
  }

  /**
   * Searches events for every word (lower-case, as domain/failed-event.ts filterWords gives them), from record
   * `from` on, reading about `budgetBytes` of the search file; `only` limits it to those ids (a narrowed search).
   * Throws when the file cannot be read.
   */
  scan(words: readonly string[], from: number, budgetBytes: number, only?: ReadonlySet<string>): ScanStep {
    const needles = words.map((w) => Buffer.from(w, 'utf8'));
    if (needles.length === 0) throw new Error('scan: no words');
    const longest = needles.reduce((a, b) => (b.length > a.length ? b : a));
    const ids: string[] = [];
    const total = this.recordIds.length;
    const current = (r: number) => !this.superseded[r] && (!only || only.has(this.recordIds[r]!));
    const matchesAll = (buffer: Buffer, start: number, end: number) => {
      const text = buffer.subarray(start, end);
      for (const needle of needles) if (text.indexOf(needle) === -1) return false;
      return true;
    };
    // Few candidates: read each one's record. Otherwise read contiguous blocks of the file.
    const sparse = only !== undefined && only.size * 16 < total - from;
    let r = from;
    let spent = 0;
    while (r < total && spent < budgetBytes) {
      if (!current(r)) {
        r++;
        continue;
      }
      const offset = this.searchOffsets[r]!;
      if (offset < 0 || this.searchFd === null) {
        // Not in the search file (it could not be written): search the event itself.
        const event = this.peek(this.recordIds[r]!);
        if (event && failedEventMatches(event, words.join(' '))) ids.push(this.recordIds[r]!);
        r++;
        continue;
      }
      let end = r + 1;
      if (!sparse) {
        let bytes = this.searchLengths[r]!;
        while (end < total && this.searchOffsets[end]! === offset + bytes && bytes < budgetBytes - spent) bytes += this.searchLengths[end++]!;
      }
      const length = this.searchOffsets[end - 1]! + this.searchLengths[end - 1]! - offset;
      const buffer = this.readSearch(offset, length);
      // Hits of the longest word across the whole block (one indexOf runs through text that lacks it), each
      // mapped to its record; the other words are looked for in that record only.
      const startOf = (k: number) => this.searchOffsets[k]! - offset;
      const endOf = (k: number) => startOf(k) + this.searchLengths[k]!;
      let k = r;
      let at = 0;
      while (k < end) {
        const hit = buffer.indexOf(longest, at);
        if (hit === -1) break;
        while (k < end && hit >= endOf(k)) k++;
        if (k >= end) break;
        if (hit + longest.length > endOf(k)) {
          at = hit + 1; // runs into the next record: not a hit of this one
          continue;
        }
        if (current(k) && (needles.length === 1 || matchesAll(buffer, startOf(k), endOf(k)))) ids.push(this.recordIds[k]!);
        at = endOf(k);
        k++;
      }
      spent += length;
      r = end;
    }
    return {ids, next: r < total ? r : null};
  }

  /** A scan of records `from` on (the current ones, and of those only the ids in `only`) for a worker thread
   * (app/spool-scanner.ts): the search file's path and each record's place in it. Null when there is nothing to
   * search or some record is not in the search file (then `scan` searches it here). */
  scanJob(words: readonly string[], from: number, only?: ReadonlySet<string>): ScanJob | null {
    if (this.searchFd === null || this.dir === null || words.length === 0) return null;
    const total = this.recordIds.length;
    // Every record from `from` on: the same lists as the last such job while no record was put since (a key
    // typed on 50,000 events then builds none).
    const cached = this.jobCache;
    if (only === undefined && cached !== null && cached.from === from && cached.total === total) return cached.job === null ? null : {...cached.job, words};
    const job = this.buildScanJob(words, from, total, only);
    if (only === undefined) this.jobCache = {from, total, job};
    return job;
  }

  private jobCache: {from: number; total: number; job: ScanJob | null} | null = null;

  private buildScanJob(words: readonly string[], from: number, total: number, only: ReadonlySet<string> | undefined): ScanJob | null {
    let list: number[] | null = null;
    if (only !== undefined) {
      // The ids' current records (in record order): as many lookups as ids, not one per record.
      list = [];
      for (const id of only) {
        const r = this.index.get(id);
        if (r !== undefined && r >= from) list.push(r);
      }
      list.sort((a, b) => a - b);
    }
    const size = list === null ? Math.max(0, total - from) : list.length;
    const records = new Int32Array(size);
    const offsets = new Float64Array(size);
    const lengths = new Int32Array(size);
    let n = 0;
    for (let i = 0; i < size; i++) {
      const r = list === null ? from + i : list[i]!;
      if (this.superseded[r]) continue;
      const offset = this.searchOffsets[r]!;
      if (offset < 0) return null;
      records[n] = r;
      offsets[n] = offset;
      lengths[n] = this.searchLengths[r]!;
      n++;
    }
    if (n === 0) return null;
    return {path: join(this.dir!, 'search'), words, records: records.slice(0, n), offsets: offsets.slice(0, n), lengths: lengths.slice(0, n)};
  }

  /** Called after every putAll (the filter's search indexes the new records: searchRecordsFrom). */
  private readonly appendListeners: (() => void)[] = [];

  onAppend(listener: () => void): void {
    this.appendListeners.push(listener);
  }

  /** Records `from` on that are in the search file (their numbers, offsets and lengths: fresh arrays), for the
   * worker's token index; null when there are none. */
  searchRecordsFrom(from: number): IndexBatch | null {
    if (this.searchFd === null || this.dir === null) return null;
    const total = this.recordIds.length;
    const records: number[] = [];
    for (let r = Math.max(0, from); r < total; r++) if (this.searchOffsets[r]! >= 0) records.push(r);
    if (records.length === 0) return null;
    const batch: IndexBatch = {path: join(this.dir, 'search'), records: Int32Array.from(records), offsets: new Float64Array(records.length), lengths: new Int32Array(records.length)};
    records.forEach((r, i) => {
      batch.offsets[i] = this.searchOffsets[r]!;
      batch.lengths[i] = this.searchLengths[r]!;
    });
    return batch;
  }

  /** The search key of a loaded id (its first record's number: a small integer, unique per id, kept through
   * re-puts); -1 for an id never put. */
  keyOf(id: string): number {
    const r = this.index.get(id);
    return r === undefined ? -1 : this.firstRecords[r]!;
  }

  /** The search key of record `r`'s id (see keyOf), when `r` is still its id's current record (else -1). */
  keyOfRecord(r: number): number {
    return r < this.recordIds.length && !this.superseded[r] ? this.firstRecords[r]! : -1;
  }

  /** The search keys of records `records` (keyOfRecord of each, -1 for one no longer current), in one typed
   * pass: a key's 50,000 worker hits become the store's keys without a number[] or an id per hit. */
  keysOfRecords(records: Int32Array): Int32Array {
    const keys = new Int32Array(records.length);
    const total = this.recordIds.length;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      keys[i] = r < total && !this.superseded[r] ? this.firstRecords[r]! : -1;
    }
    return keys;
  }

  /** The message id record `r` was put with (current or superseded since; null past the end). */
  idOfRecord(r: number): string | null {
    return r >= 0 && r < this.recordIds.length ? this.recordIds[r]! : null;
  }

  /** The message id of record `r`, when that record is still its id's current one (else null). */
  currentId(r: number): string | null {
    return r < this.recordIds.length && !this.superseded[r] ? this.recordIds[r]! : null;
  }

  /** The search file's read buffer, reused by every scan (a new 256 KB buffer per block made garbage enough
   * for full collections while typing at 50,000 events). */
  private searchBuffer: Buffer | null = null;

  /** Bytes of the search file, in the shared read buffer: valid until the next read (scan uses it at once). */
  private readSearch(offset: number, length: number): Buffer {
    if (this.searchBuffer === null || this.searchBuffer.length < length) this.searchBuffer = Buffer.allocUnsafe(Math.max(length, 256 << 10));
    const buffer = this.searchBuffer.subarray(0, length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.searchFd!, buffer, got, length - got, offset + got);
      if (n === 0) throw new Error('the search file is shorter than expected');
      got += n;
    }
    return buffer;
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    this.dir = mkdtempSync(join(tmpdir(), 'lambda-top-events-'));
    process.on('exit', this.onExit);
    this.fd = openSync(join(this.dir, 'events'), 'wx+', 0o600);
    return this.fd;
  }

  private read(record: number): FailedEvent {
    const offset = this.offsets[record]!;
    const length = this.lengths[record]!;
    if (this.fd === null || offset < 0) throw new Error('the event was not kept in the spool file');
    const buffer = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buffer, got, length - got, offset + got);
      if (n === 0) throw new Error('the spool file is shorter than expected');
      got += n;
    }
    return JSON.parse(buffer.toString('utf8')) as FailedEvent;
  }

  private remember(id: string, event: FailedEvent): void {
    this.recent.delete(id);
    this.recent.set(id, event);
    while (this.recent.size > this.capacity) this.recent.delete(this.recent.keys().next().value!);
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, position + written);
}
