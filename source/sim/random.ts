// A small seeded PRNG (mulberry32) with the distributions the simulator needs. Deterministic per seed:
// the same seed and the same sequence of calls give the same numbers on every platform.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(min: number, max: number): number;
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Log-normal fixed by its median and its 99th percentile (p99 >= median). */
  lognormal(median: number, p99: number): number;
  /** Poisson-distributed count with the given mean. */
  poisson(mean: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** n lowercase hex digits. */
  hex(n: number): string;
  /** A random (version 4 shaped) UUID. */
  uuid(): string;
}

const Z99 = 2.3263478740408408; // the standard normal's 99th percentile

export function createRandom(seed: number): Random {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spareNormal: number | null = null;
  const normal = (): number => {
    if (spareNormal !== null) {
      const v = spareNormal;
      spareNormal = null;
      return v;
    }
    let u = next();
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const hexDigits = '0123456789abcdef';
  const byteHex = Array.from({length: 256}, (_, i) => i.toString(16).padStart(2, '0'));
  const hex = (n: number): string => {
    let s = '';
    while (s.length < n) {
      const x = (next() * 4294967296) >>> 0;
      s += byteHex[x & 255]! + byteHex[(x >>> 8) & 255]! + byteHex[(x >>> 16) & 255]! + byteHex[x >>> 24]!;
    }
    return s.length === n ? s : s.slice(0, n);
  };
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    exponential: (mean) => -Math.log(1 - next()) * mean,
    normal,
    lognormal(median, p99) {
      if (!(median > 0)) return 0;
      const mu = Math.log(median);
      const sigma = p99 > median ? (Math.log(p99) - mu) / Z99 : 0;
      return Math.exp(mu + sigma * normal());
    },
    poisson(mean) {
      if (!(mean > 0)) return 0;
      if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
      const limit = Math.exp(-mean);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
    chance: (p) => p > 0 && next() < p,
    pick: (items) => items[Math.floor(next() * items.length)] as never,
    hex,
    uuid() {
      const a = hex(8);
      const b = hex(8);
      const c = hex(8);
      const d = hex(8);
      const variant = hexDigits[8 + ((next() * 4) | 0)];
      return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
    },
  };
}
