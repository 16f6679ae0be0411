// A binary min-heap with lazy invalidation: entries carry the version of the message state they
// were pushed for; an entry whose version no longer matches is stale and skipped when it surfaces.
// The owner compacts the heap (drops stale entries) when it grows well beyond its live content.

export interface HeapEntry<T> {
  /** primary key (a time, or 0) */
  key: number;
  /** tie-breaker (enqueue order) */
  seq: number;
  item: T;
  /** state version the entry was pushed for; -1 = valid while the item lives */
  version: number;
}

export class LazyHeap<T> {
  private entries: Array<HeapEntry<T>> = [];

  constructor(private readonly isValid: (entry: HeapEntry<T>) => boolean) {}

  get size(): number {
    return this.entries.length;
  }

  push(entry: HeapEntry<T>): void {
    const a = this.entries;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  /** The smallest valid entry, without removing it (stale entries on top are dropped). */
  peek(): HeapEntry<T> | undefined {
    while (this.entries.length > 0) {
      const top = this.entries[0]!;
      if (this.isValid(top)) return top;
      this.popRaw();
    }
    return undefined;
  }

  /** Removes and returns the smallest valid entry. */
  pop(): HeapEntry<T> | undefined {
    const top = this.peek();
    if (top) this.popRaw();
    return top;
  }

  /** Drops every stale entry (O(n)); call when size is far above the live count. */
  compact(): void {
    const live = this.entries.filter((e) => this.isValid(e));
    live.sort((x, y) => (less(x, y) ? -1 : less(y, x) ? 1 : 0));
    this.entries = live; // a sorted array is a valid heap
  }

  clear(): void {
    this.entries = [];
  }

  private popRaw(): void {
    const a = this.entries;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && less(a[l]!, a[m]!)) m = l;
      if (r < a.length && less(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}

function less<T>(x: HeapEntry<T>, y: HeapEntry<T>): boolean {
  return x.key < y.key || (x.key === y.key && x.seq < y.seq);
}
