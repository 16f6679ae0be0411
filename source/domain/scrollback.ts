// A bounded scrollback: the newest `capacity` items, oldest dropped first, with how many were dropped. Pure.

export class Scrollback<T> {
  private readonly items: T[] = [];
  private start = 0;
  private droppedCount = 0;
  constructor(readonly capacity: number) {
    if (!(capacity >= 1) || !Number.isInteger(capacity)) throw new RangeError(`capacity must be a whole number above 0, got ${capacity}`);
  }

  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    this.droppedCount++;
  }

  get size(): number {
    return this.items.length;
  }

  /** Items pushed out by newer ones. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Oldest first: one copy of the kept items (the ring is overwritten in place, so a snapshot must copy). */
  toArray(): T[] {
    const n = this.items.length;
    const out = new Array<T>(n);
    for (let i = 0, j = this.start; i < n; i++, j = j + 1 === n ? 0 : j + 1) out[i] = this.items[j]!;
    return out;
  }

  /** The newest `n` items, oldest first. */
  last(n: number): T[] {
    const all = this.toArray();
    return n >= all.length ? all : all.slice(all.length - n);
  }
}
