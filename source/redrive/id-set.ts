// A compact set of ids with a time each, for what a running redrive must remember about its own acceptances
// (a Lambda twin by its request id, a failure of the redriven invoke by its new request id) without an object and
// two map entries per acceptance. Each id is a 16-byte key in one typed array (open addressing, linear probing):
// a lower-case UUID (the form of every Lambda request id) is its own 16 bytes, exact; any other id is keyed by the
// first 16 bytes of its SHA-256 (a false match needs two ids with one 128-bit digest: no accident, and no crafted
// pair either, unlike MD5, whose collisions can be made: a false twin would delete a message never sent).
// 20 bytes a slot (the key, and the time to the second), at most 4 slots for 3 ids and at least 8 for 3 after a
// growth, in two typed arrays whose size does not depend on the ids' text. Pure: no I/O.
import {hash} from 'node:crypto';

const EMPTY_CAPACITY = 1024;

export class CompactIdSet {
  private keys = new Uint32Array(EMPTY_CAPACITY * 4);
  /** Per slot: 0 = free, else 1 + the whole seconds from `base` to the id's time (20 bytes a slot in all). */
  private stamps = new Uint32Array(EMPTY_CAPACITY);
  private base: number | null = null;
  private count = 0;
  /** Scratch key of the id being added or looked up. */
  private readonly key = new Uint32Array(4);
  /** sortedPages()'s scratch: the occupied slots in key order (grown on first use). */
  private order = new Uint32Array(0);

  get size(): number {
    return this.count;
  }

  /** Remembers `id` with `time` (clock ms, kept to the second at or before it; the first time stays when it is
   * added again). */
  add(id: string, time: number): void {
    keyOf(id, this.key);
    this.addKey(this.key, time);
  }

  /** add() of an id already keyed (keyOf). */
  addKey(key: Uint32Array, time: number): void {
    if ((this.count + 1) * 4 > this.stamps.length * 3) this.grow();
    const slot = this.find(key);
    if (this.stamps[slot]) return;
    this.base ??= time;
    this.place(slot, key, 1 + Math.max(0, Math.min(0xfffffffe, Math.floor((time - this.base) / 1000))));
    this.count++;
  }

  /** The time `id` was added with (to the second), or undefined. */
  get(id: string): number | undefined {
    keyOf(id, this.key);
    return this.timeOf(this.stampOf(this.key));
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The stamp of a key (0 = absent): 1 + whole seconds from the set's first time. */
  stampOf(key: Uint32Array): number {
    return this.stamps[this.find(key)]!;
  }

  /** The time of a stamp this set made (0 = undefined). The base is kept across clear(). */
  timeOf(stamp: number): number | undefined {
    return stamp ? this.base! + (stamp - 1) * 1000 : undefined;
  }

  /** Every id's key and stamp, sorted by key (words compared as unsigned, in order): 5 words an id, in a new array. */
  sortedRecords(): Uint32Array {
    const out = new Uint32Array(this.count * 5);
    this.sortedPages(out, () => undefined);
    return out;
  }

  /** Every id's key and stamp in key order, a page at a time: `page` is filled with up to page.length / 5 records
   * (5 words each) and `emit` called with their number, until all are given. A spilling set writes its spill so,
   * through one small page, instead of through an array of all its records (109 KB at 5,460 ids, made per spill
   * in typed-array memory that only a mark-compact frees, and a redrive seldom has one). The slots' order is kept
   * in a scratch array the set reuses. */
  sortedPages(page: Uint32Array, emit: (n: number) => void): void {
    const count = this.count;
    if (this.order.length < count) this.order = new Uint32Array(Math.max(count, this.order.length * 2));
    const order = this.order.subarray(0, count);
    const stamps = this.stamps;
    let n = 0;
    for (let i = 0; i < stamps.length; i++) if (stamps[i]) order[n++] = i;
    const keys = this.keys;
    order.sort((a, b) => compareAt(keys, a * 4, keys, b * 4));
    const per = Math.floor(page.length / 5);
    for (let from = 0; from < count; from += per) {
      const m = Math.min(per, count - from);
      for (let j = 0; j < m; j++) {
        const at = order[from + j]! * 4;
        const to = j * 5;
        page[to] = keys[at]!;
        page[to + 1] = keys[at + 1]!;
        page[to + 2] = keys[at + 2]!;
        page[to + 3] = keys[at + 3]!;
        page[to + 4] = stamps[at / 4]!;
      }
      emit(m);
    }
  }

  /** Forgets every id (the arrays and the time base stay). */
  clear(): void {
    this.stamps.fill(0);
    this.count = 0;
  }

  /** The slot holding `key`, or the free slot where it would go. */
  private find(key: Uint32Array): number {
    const mask = this.stamps.length - 1;
    const keys = this.keys;
    for (let slot = (key[0]! ^ key[3]!) & mask; ; slot = (slot + 1) & mask) {
      if (!this.stamps[slot]) return slot;
      const at = slot * 4;
      if (keys[at] === key[0] && keys[at + 1] === key[1] && keys[at + 2] === key[2] && keys[at + 3] === key[3]) return slot;
    }
  }

  private place(slot: number, key: Uint32Array, stamp: number): void {
    this.keys.set(key, slot * 4);
    this.stamps[slot] = stamp;
  }

  private grow(): void {
    const {keys, stamps} = this;
    const capacity = stamps.length * 2;
    this.keys = new Uint32Array(capacity * 4);
    this.stamps = new Uint32Array(capacity);
    const key = new Uint32Array(4);
    for (let i = 0; i < stamps.length; i++) {
      if (!stamps[i]) continue;
      key.set(keys.subarray(i * 4, i * 4 + 4));
      this.place(this.find(key), key, stamps[i]!);
    }
  }
}

/** -1, 0 or 1: the 4-word key at a[i..] against the one at b[j..], word by word as unsigned numbers. */
export function compareAt(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  for (let w = 0; w < 4; w++) {
    const x = a[i + w]!;
    const y = b[j + w]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The last id keyed by its digest, and its key: a plan looks one request id up twice in a row (twin, failed again). */
let lastId: string | null = null;
const lastKey = new Uint32Array(4);

/** The 16-byte key of an id, into `out`: a lower-case UUID's own bytes, else the first 16 bytes of its SHA-256. */
export function keyOf(id: string, out: Uint32Array): void {
  if (id.length === 36 && uuidInto(id, out)) return;
  if (id !== lastId) {
    const digest = hash('sha256', id, 'buffer');
    lastKey[0] = digest.readUInt32BE(0);
    lastKey[1] = digest.readUInt32BE(4);
    lastKey[2] = digest.readUInt32BE(8);
    lastKey[3] = digest.readUInt32BE(12);
    lastId = id;
  }
  out.set(lastKey);
}

/** 8-4-4-4-12 lower-case hex digits: the 128 bits, true; anything else: false. */
function uuidInto(id: string, out: Uint32Array): boolean {
  let word = 0;
  let digits = 0;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
      continue;
    }
    let v: number;
    if (c >= 0x30 && c <= 0x39) v = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) v = c - 0x57;
    else return false;
    word = (word << 4) | v;
    if (++digits % 8 === 0) out[digits / 8 - 1] = word >>> 0;
  }
  return true;
}
