// A binary min-heap of timed items, ordered by (t, seq): items due at the same instant run in the order
// they were scheduled, which keeps the model deterministic.

export interface Timed {
  t: number;
  seq: number;
}

export class TimedHeap<T extends Timed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent]!;
      if (p.t < item.t || (p.t === item.t && p.seq < item.seq)) break;
      a[i] = p;
      i = parent;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n) {
        const ar = a[r]!;
        const al = a[l]!;
        if (ar.t < al.t || (ar.t === al.t && ar.seq < al.seq)) c = r;
      }
      const ac = a[c]!;
      if (last.t < ac.t || (last.t === ac.t && last.seq < ac.seq)) break;
      a[i] = ac;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
