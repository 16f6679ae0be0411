// A sieve for the filter's listed-field search: which loaded events cannot hold a word, without reading their
// search text. Each bigram (two UTF-16 code units) of an event's lower-cased listed-field text is hashed into
// one of BUCKETS buckets, a bitmap over search keys (store/visible-index.ts setSearchKey); a word of two or more
// code units can only be in an event whose key is set in the bucket of each of its bigrams. A set bit is only a
// maybe (buckets are shared by many bigrams, and a word's bigrams may lie apart): every candidate is still
// checked with includes, so the sieve never changes a result, only how many events are read. At 50,000 events
// "cu" (in no listed field) read every event's text, 3-7 ms a key (16 with the payload search's worker on the
// other core); through the sieve it reads the few events of its buckets.
// Pure: no I/O. An event is added once (by key; a key given to another event is added again: its old bits stay,
// which only widens candidates).
import type {ListedEvent} from '../domain/types.ts';

/** Buckets of bigrams (a power of two). An event's listed text has some 150 distinct bigrams, each in two
 * buckets: about a quarter of the buckets set per event, so a bigram an event lacks passes it about 1 time in
 * 16 (both its buckets set). Memory: BUCKETS bits per key, 6.4 MB at 50,000 keys. */
const BUCKETS = 1024;

export class BigramSieve {
  /** Bucket b's bit for key k: bits[b * stride + (k >>> 5)] >>> (k & 31) & 1. */
  private bits = new Uint32Array(0);
  private stride = 0;
  /** The event each key was added for (a key not added, or since given to another event: added again). Kept
   * dense (grown by push in reserve): written at keys out of order, a plain array turned into a dictionary,
   * and its lookups cost more than the text they save reading. */
  private readonly owners: (ListedEvent | null)[] = [];

  /** Adds the events from..to of a list not added yet (`keys` and `hays`: theirs, index for index). */
  addAll(events: readonly ListedEvent[], keys: Int32Array, hays: readonly string[], from = 0, to = events.length): void {
    let most = -1;
    for (let i = from; i < to; i++) {
      const k = keys[i]!;
      if (k >= 0 && this.owners[k] !== events[i]) most = Math.max(most, k);
    }
    if (most < 0) return;
    this.reserve(most);
    for (let i = from; i < to; i++) {
      const k = keys[i]!;
      if (k < 0 || this.owners[k] === events[i]) continue;
      this.owners[k] = events[i]!;
      this.add(k, hays[i]!);
    }
  }

  /** The keys that may hold every word (a bitmap: key k is bit k & 31 of word k >>> 5), or null when no word has
   * a bigram (one letter: the sieve cannot tell). */
  candidates(words: readonly string[]): Uint32Array | null {
    let mask: Uint32Array | null = null;
    const stride = this.stride;
    for (const word of words) {
      for (let i = 0; i + 1 < word.length; i++) {
        const a = word.charCodeAt(i);
        const b = word.charCodeAt(i + 1);
        for (const bucket of [bucketOf(a, b), otherBucketOf(a, b)]) {
          const base = bucket * stride;
          if (mask === null) {
            mask = this.bits.slice(base, base + stride);
            continue;
          }
          for (let w = 0; w < stride; w++) mask[w]! &= this.bits[base + w]!;
        }
      }
    }
    return mask;
  }

  /** Whether event `event` (key `key`) may hold the words of `mask` (candidates): true unless it was added and a
   * bucket of theirs lacks it. */
  mayHold(mask: Uint32Array, key: number, event: ListedEvent): boolean {
    if (key < 0 || key >= this.owners.length || this.owners[key] !== event) return true;
    return ((mask[key >>> 5]! >>> (key & 31)) & 1) === 1;
  }

  /** Room for keys up to `most` (the buckets grown by doubling, their bits kept). */
  private reserve(most: number): void {
    const need = (most >>> 5) + 1;
    if (need <= this.stride) return;
    const stride = Math.max(need, this.stride * 2, 64);
    const owners = this.owners;
    while (owners.length < stride * 32) owners.push(null);
    const bits = new Uint32Array(BUCKETS * stride);
    for (let b = 0; b < BUCKETS && this.stride > 0; b++) bits.set(this.bits.subarray(b * this.stride, (b + 1) * this.stride), b * stride);
    this.bits = bits;
    this.stride = stride;
  }

  private add(key: number, hay: string): void {
    const word = key >>> 5;
    const bit = 1 << (key & 31);
    const stride = this.stride;
    const bits = this.bits;
    let previous = hay.length > 0 ? hay.charCodeAt(0) : 0;
    for (let i = 1; i < hay.length; i++) {
      const c = hay.charCodeAt(i);
      bits[bucketOf(previous, c) * stride + word]! |= bit;
      bits[otherBucketOf(previous, c) * stride + word]! |= bit;
      previous = c;
    }
  }
}

// Two buckets per bigram (a Bloom filter's two hashes): with one, a bigram sharing its bucket with one that every
// event holds ("cu" with one of "could not be reserved"'s, at the bench's 50,000 events) ruled out nothing.
function bucketOf(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 22;
}

function otherBucketOf(a: number, b: number): number {
  return (Math.imul(a, 0xc2b2ae35) + Math.imul(b ^ 0x5bd1e995, 0x27d4eb2f)) >>> 22;
}
