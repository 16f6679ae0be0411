// The running redrive's id sets without a memory that grows with the run: the newest ids are kept in a compact
// in-memory table (id-set.ts) of at most `spillAt` ids; when it is full, its keys are written, sorted, to a private
// temporary file as one run (20 bytes an id: the 16-byte key and its stamp), and the table starts again. A run
// keeps in memory only a Bloom filter (12 bits an id, 8 probes: about 0.3 % false hits) and the first key of each
// page of 128 ids (0.13 bytes an id), so a lookup that misses costs a few bit tests per run, and one that hits (or
// is a false hit) one read of a 2.5 KB page from the page cache. About 1.6 bytes an id stay in memory, against
// 27-53 in the table alone.
// The file is unlinked as soon as it is open (on a POSIX system nothing is left behind, even after a kill -9); the
// descriptor is closed by close(). When the file cannot be written, the ids stay in memory (the table grows):
// memory, never a lost id.
import {closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CompactIdSet, compareAt, keyOf} from './id-set.ts';

/** Words of one record: the key's 4, then the stamp. */
const WORDS = 5;
const PAGE_IDS = 128;
const BLOOM_BITS_PER_ID = 12;
const BLOOM_PROBES = 8;
/** The in-memory table's ids before a spill: 5,460 fills its 8,192 slots to 2/3 (about 164 KB), and a run's Bloom
 * filter, sized up to a power of two, is exactly its 12 bits an id (5,460 x 12 <= 2^16; at 6,144 or 12,288 it was
 * 21). Not more: a Lambda redrive has four such sets (planned, held, requests, new ids); at 12,288 each table grew
 * on to 16,384 slots past 6,144 ids, the smaller tables it outgrew left in typed-array memory until a
 * mark-compact. Four sets of 100,000 ids: 3.8 MB of array buffers at 12,288, 2.0 MB now, 1.3 MB at 5,000 ids
 * either way. A spilled run costs a few bit tests per lookup that misses. */
export const SPILL_AT = 5_460;

interface Run {
  /** Byte offset of the run in the file. */
  offset: number;
  count: number;
  bloom: Uint32Array;
  /** Bits of the filter - 1 (a power of two). */
  mask: number;
  /** The first key of each page (4 words a page). */
  firstKeys: Uint32Array;
}

/** Sorted runs of keys in one temporary file. I/O (synchronous: a lookup is part of a pure, synchronous plan). */
export class SpilledRuns {
  private fd: number | null = null;
  private path: string | null = null;
  private end = 0;
  private readonly runs: Run[] = [];
  private readonly page = new Uint32Array(PAGE_IDS * WORDS);
  private readonly pageBytes = new Uint8Array(this.page.buffer);
  /** The page a run is written through (PAGE_IDS records: each page's first key is the one findIn reads). */
  private readonly writePage = new Uint32Array(PAGE_IDS * WORDS);
  private readonly writeBytes = new Uint8Array(this.writePage.buffer);

  constructor(private readonly dir: string = tmpdir()) {}

  get count(): number {
    return this.runs.length;
  }

  /** Appends the ids of `set` as a run of sorted records (WORDS words an id), a page at a time; throws when the file
   * cannot be written (and then no run is added). */
  write(set: CompactIdSet): void {
    const count = set.size;
    if (count === 0) return;
    const fd = this.open();
    const bits = 2 ** Math.ceil(Math.log2(Math.max(32, count * BLOOM_BITS_PER_ID)));
    const run: Run = {offset: this.end, count, bloom: new Uint32Array(bits / 32), mask: bits - 1, firstKeys: new Uint32Array(Math.ceil(count / PAGE_IDS) * 4)};
    const page = this.writePage;
    const bytes = this.writeBytes;
    let written = 0;
    let pages = 0;
    set.sortedPages(page, (n) => {
      const length = n * WORDS * 4;
      for (let off = 0; off < length; ) off += writeSync(fd, bytes, off, length - off, this.end + written + off);
      for (let i = 0; i < n; i++) bloomAdd(run, page, i * WORDS);
      run.firstKeys.set(page.subarray(0, 4), pages++ * 4);
      written += length;
    });
    this.end += written;
    this.runs.push(run);
  }

  /** The stamp of `key` (4 words) in the newest run that has it, or 0. */
  find(key: Uint32Array): number {
    for (let r = this.runs.length - 1; r >= 0; r--) {
      const run = this.runs[r]!;
      if (!bloomHas(run, key)) continue;
      const stamp = this.findIn(run, key);
      if (stamp) return stamp;
    }
    return 0;
  }

  /** Binary search over the run's first keys, one read of the page, binary search in it. */
  private findIn(run: Run, key: Uint32Array): number {
    const pages = run.firstKeys.length / 4;
    let lo = 0;
    let hi = pages - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (compareAt(run.firstKeys, mid * 4, key, 0) <= 0) lo = mid;
      else hi = mid - 1;
    }
    if (compareAt(run.firstKeys, lo * 4, key, 0) > 0) return 0;
    const ids = Math.min(PAGE_IDS, run.count - lo * PAGE_IDS);
    const length = ids * WORDS * 4;
    const position = run.offset + lo * PAGE_IDS * WORDS * 4;
    for (let off = 0; off < length; ) {
      const n = readSync(this.fd!, this.pageBytes, off, length - off, position + off);
      if (n === 0) throw new Error(`id spill file ended early at ${position + off}`);
      off += n;
    }
    let a = 0;
    let b = ids - 1;
    while (a <= b) {
      const mid = (a + b) >>> 1;
      const c = compareAt(this.page, mid * WORDS, key, 0);
      if (c === 0) return this.page[mid * WORDS + 4]!;
      if (c < 0) a = mid + 1;
      else b = mid - 1;
    }
    return 0;
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    const dir = mkdtempSync(join(this.dir, 'lambda-top-ids-'));
    const path = join(dir, 'ids');
    try {
      this.fd = openSync(path, 'wx+', 0o600);
    } catch (error) {
      rmSync(dir, {recursive: true, force: true});
      throw error;
    }
    try {
      rmSync(dir, {recursive: true}); // the open descriptor keeps the file
    } catch {
      this.path = dir; // a system that cannot remove an open file: removed by close()
    }
    return this.fd;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.path) rmSync(this.path, {recursive: true, force: true});
    this.path = null;
    this.runs.length = 0;
  }
}

/** The Bloom filter's bits of the key at words[at..]: double hashing over two words made of the key's four. */
function bloomAdd(run: Run, words: Uint32Array, at: number): void {
  const h1 = (words[at]! ^ words[at + 2]!) >>> 0;
  const h2 = (words[at + 1]! ^ words[at + 3]!) | 1;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = (h1 + Math.imul(i, h2)) & run.mask;
    run.bloom[bit >>> 5]! |= 1 << (bit & 31);
  }
}

function bloomHas(run: Run, key: Uint32Array): boolean {
  const h1 = (key[0]! ^ key[2]!) >>> 0;
  const h2 = (key[1]! ^ key[3]!) | 1;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = (h1 + Math.imul(i, h2)) & run.mask;
    if ((run.bloom[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
  }
  return true;
}

/** An id set (add, get, has, as CompactIdSet) whose memory stays flat: see the top of this file. */
export class SpillingIdSet {
  private readonly memory = new CompactIdSet();
  private readonly runs: SpilledRuns;
  private readonly key = new Uint32Array(4);
  private spilled = 0;
  /** The file could not be written: every later id stays in memory. */
  private spillFailed = false;

  constructor(private readonly spillAt = SPILL_AT, dir?: string) {
    this.runs = new SpilledRuns(dir);
  }

  get size(): number {
    return this.memory.size + this.spilled;
  }

  /** Runs written to the file (for tests and benches). */
  get spilledRuns(): number {
    return this.runs.count;
  }

  add(id: string, time: number): void {
    keyOf(id, this.key);
    if (this.stampOf(this.key)) return; // the first time stays
    if (!this.spillFailed && this.memory.size >= this.spillAt) this.spill();
    this.memory.addKey(this.key, time);
  }

  get(id: string): number | undefined {
    keyOf(id, this.key);
    return this.memory.timeOf(this.stampOf(this.key));
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  close(): void {
    this.runs.close();
  }

  private stampOf(key: Uint32Array): number {
    return this.memory.stampOf(key) || this.runs.find(key);
  }

  private spill(): void {
    try {
      this.runs.write(this.memory);
    } catch {
      this.spillFailed = true;
      return;
    }
    this.spilled += this.memory.size;
    this.memory.clear();
  }

}
