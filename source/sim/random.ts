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
  /** A random (version 4 shaped) UUID. With `firstGroupXor`, its first group (8 hex digits, read as one 32-bit
   * number) is XORed with that number: the same draws, the same other characters. */
  uuid(firstGroupXor?: number): string;
}

const Z99 = 2.3263478740408408; // the standard normal's 99th percentile
/** mulberry32's state moves by this constant at every draw, whatever the draw gives. */
const STEP = 0x6d2b79f5;

/** A seeded stream that can say where it is and jump ahead: numbers set aside to be used later (a deferred
 * payload's) are kept as the position they start at instead of being drawn and stored. */
export interface SeededRandom extends Random {
  /** Where the stream is now: streamAt(position()) gives the numbers next() would give from here. */
  position(): number;
  /** Moves on as n calls of next() would (O(1): the state is a counter). */
  skip(n: number): void;
}

/** mulberry32's 32 bits for a state (the state after the draw's step), as an int32. */
function mixBits(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return t ^ (t >>> 14);
}

/** mulberry32's number for a state: its 32 bits over 2^32. */
function mix(state: number): number {
  return (mixBits(state) >>> 0) / 4294967296;
}

export function createRandom(seed: number): SeededRandom {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + STEP) >>> 0;
    return mix(state);
  };
  // the same draw's 32 bits, for hex() and uuid(): next() * 2^32 is exactly them, but as a double (a heap number
  // each in code not yet optimised: a request id made four, and the pre-roll makes thousands of ids cold)
  const nextBits = (): number => {
    state = (state + STEP) >>> 0;
    return mixBits(state);
  };
  const random = randomFrom(next, nextBits) as SeededRandom;
  random.position = () => state;
  random.skip = (n) => {
    state = (state + Math.imul(STEP, n)) >>> 0;
  };
  return random;
}

/** The uniform numbers a seeded stream gives from `position` on (see SeededRandom.position). */
export function streamAt(position: number): () => number {
  let state = position >>> 0;
  return () => {
    state = (state + STEP) >>> 0;
    return mix(state);
  };
}

/** The 32-bit number with the bytes of `x` in reverse order. */
function byteSwap(x: number): number {
  return ((x & 255) << 24) | (((x >>> 8) & 255) << 16) | (((x >>> 16) & 255) << 8) | (x >>> 24);
}

/** The distributions over any source of uniform numbers in [0, 1): createRandom's stream, or numbers drawn
 * earlier and replayed (the model's deferred payloads, sim/lambda/payload.ts). `nextBits`: the next draw as its
 * 32 bits (next() * 2^32, any int32 or uint32 with those bits), which hex() and uuid() read. */
export function randomFrom(next: () => number, nextBits: () => number = () => (next() * 4294967296) >>> 0): Random {
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
  // hex() and uuid() write character codes and make one flat string of them: built by concatenation, a request
  // id was a tree of about ten string pieces (some 300 bytes instead of 50), and the simulator keeps thousands
  // (log lines, DLQ messages). Same characters, same draws: 8 digits per draw, each byte high nibble first,
  // bytes from the lowest.
  const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
  const DASH = 45;
  const codes: number[] = [];
  const digits = new Array<number>(8);
  /** The 8 hex digits of one draw into `digits` (its bits XORed with `xor`, in the digits' order). */
  const draw8 = (xor = 0): void => {
    const x = nextBits() ^ xor;
    for (let byte = 0; byte < 4; byte++) {
      const b = (x >>> (8 * byte)) & 255;
      digits[2 * byte] = HEX[b >>> 4]!;
      digits[2 * byte + 1] = HEX[b & 15]!;
    }
  };
  const text = (length: number): string => {
    codes.length = length;
    return String.fromCharCode.apply(null, codes);
  };
  const hex = (n: number): string => {
    let k = 0;
    while (k < n) {
      draw8();
      for (let i = 0; i < 8 && k < n; i++) codes[k++] = digits[i]!;
    }
    return text(n);
  };
  /** a-b[0..4]-4b[5..8]-{variant}c[1..4]-c[4..8]d: four draws, then one for the variant digit. The first group
   * is XORed with `firstGroupXor` as the number its digits spell (most significant first): draw8 writes the draw's
   * lowest byte first, so the draw is XORed with that number's bytes swapped. */
  const uuid = (firstGroupXor = 0): string => {
    draw8(firstGroupXor === 0 ? 0 : byteSwap(firstGroupXor));
    for (let i = 0; i < 8; i++) codes[i] = digits[i]!;
    codes[8] = DASH;
    draw8();
    for (let i = 0; i < 4; i++) codes[9 + i] = digits[i]!;
    codes[13] = DASH;
    codes[14] = HEX[4]!;
    for (let i = 5; i < 8; i++) codes[10 + i] = digits[i]!; // 15..17
    codes[18] = DASH;
    draw8();
    for (let i = 1; i < 4; i++) codes[19 + i] = digits[i]!; // 20..22
    codes[23] = DASH;
    for (let i = 4; i < 8; i++) codes[20 + i] = digits[i]!; // 24..27
    draw8();
    for (let i = 0; i < 8; i++) codes[28 + i] = digits[i]!;
    codes[19] = HEX[8 + ((next() * 4) | 0)]!;
    return text(36);
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
    uuid,
  };
}

/** A replay of the seeded stream from a set position, for uuidAt (one, reused: its state is set at every call). */
let replayState = 0;
const replay = randomFrom(
  () => {
    replayState = (replayState + STEP) >>> 0;
    return mix(replayState);
  },
  () => {
    replayState = (replayState + STEP) >>> 0;
    return mixBits(replayState);
  },
);

/** The request id uuid(firstGroupXor) gives when drawn at `position` of a seeded stream (SeededRandom.position()),
 * written now: the model keeps an id's position (a number) and writes its text when something reads it. */
export function uuidAt(position: number, firstGroupXor = 0): string {
  replayState = position >>> 0;
  return replay.uuid(firstGroupXor);
}

/** How many of the stream's numbers one uuid() draws (four groups of 8 hex digits and the variant digit). */
export const UUID_DRAWS = 5;
