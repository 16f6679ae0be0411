// A small, complete CBOR (RFC 8949) encoder and decoder for the Smithy RPC v2 CBOR protocol.
// Decodes every major type (0-7), definite and indefinite lengths, half/single/double floats,
// 64-bit integers (as bigint when beyond 2^53) and tags; tag 1 (epoch time) becomes a Date,
// tags 2/3 (bignums) become bigint, other tags a CborTag. Encodes JS values with the shortest
// integer heads, doubles for non-integers, Date as tag 1 + epoch seconds, Uint8Array as bytes.

export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: unknown,
  ) {}
}

export class CborError extends Error {
  override name = 'CborError';
}

// ---------------------------------------------------------------- encoder

class Writer {
  private chunks: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(256);
  private offset = 0;

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    this.chunks.push(this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(Math.max(256, bytes, this.buffer.length * 2));
    this.offset = 0;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.offset++] = value;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buffer.set(data, this.offset);
    this.offset += data.length;
  }

  float64(value: number): void {
    this.ensure(9);
    this.buffer[this.offset++] = 0xfb;
    this.buffer.writeDoubleBE(value, this.offset);
    this.offset += 8;
  }

  head(major: number, length: number | bigint): void {
    const m = major << 5;
    if (typeof length === 'bigint') {
      this.ensure(9);
      this.buffer[this.offset++] = m | 27;
      this.buffer.writeBigUInt64BE(length, this.offset);
      this.offset += 8;
      return;
    }
    if (length < 24) this.byte(m | length);
    else if (length < 0x100) {
      this.ensure(2);
      this.buffer[this.offset++] = m | 24;
      this.buffer[this.offset++] = length;
    } else if (length < 0x10000) {
      this.ensure(3);
      this.buffer[this.offset++] = m | 25;
      this.buffer.writeUInt16BE(length, this.offset);
      this.offset += 2;
    } else if (length < 0x100000000) {
      this.ensure(5);
      this.buffer[this.offset++] = m | 26;
      this.buffer.writeUInt32BE(length, this.offset);
      this.offset += 4;
    } else {
      this.head(major, BigInt(length));
    }
  }

  result(): Buffer {
    this.chunks.push(this.buffer.subarray(0, this.offset));
    return Buffer.concat(this.chunks);
  }
}

const MAX_U64 = (1n << 64n) - 1n;

function encodeInto(w: Writer, value: unknown, depth: number): void {
  if (depth > 512) throw new CborError('value nested too deeply to encode');
  if (value === null) return w.byte(0xf6);
  if (value === undefined) return w.byte(0xf7);
  if (value === false) return w.byte(0xf4);
  if (value === true) return w.byte(0xf5);
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
      if (value >= 0) w.head(0, value);
      else w.head(1, -1 - value);
    } else {
      w.float64(value);
    }
    return;
  }
  if (typeof value === 'bigint') {
    if (value >= 0n) {
      if (value <= MAX_U64) return value <= BigInt(Number.MAX_SAFE_INTEGER) ? w.head(0, Number(value)) : w.head(0, value);
      w.head(6, 2);
      return encodeInto(w, bigintBytes(value), depth + 1);
    }
    const n = -1n - value;
    if (n <= MAX_U64) return n <= BigInt(Number.MAX_SAFE_INTEGER) ? w.head(1, Number(n)) : w.head(1, n);
    w.head(6, 3);
    return encodeInto(w, bigintBytes(n), depth + 1);
  }
  if (typeof value === 'string') {
    const data = Buffer.from(value, 'utf8');
    w.head(3, data.length);
    return w.bytes(data);
  }
  if (value instanceof Uint8Array) {
    w.head(2, value.length);
    return w.bytes(value);
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw new CborError('cannot encode an invalid Date');
    w.head(6, 1);
    // whole seconds encode as an integer, others as a double (both are valid for tag 1)
    return encodeInto(w, ms / 1000, depth + 1);
  }
  if (value instanceof CborTag) {
    w.head(6, value.tag);
    return encodeInto(w, value.value, depth + 1);
  }
  if (Array.isArray(value)) {
    w.head(4, value.length);
    for (const item of value) encodeInto(w, item, depth + 1);
    return;
  }
  if (value instanceof Map) {
    w.head(5, value.size);
    for (const [k, v] of value) {
      encodeInto(w, k, depth + 1);
      encodeInto(w, v, depth + 1);
    }
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    w.head(5, entries.length);
    for (const [k, v] of entries) {
      encodeInto(w, k, depth + 1);
      encodeInto(w, v, depth + 1);
    }
    return;
  }
  throw new CborError(`cannot encode a value of type ${typeof value}`);
}

function bigintBytes(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** Encodes a JS value as CBOR. Object properties whose value is undefined are left out. */
export function encodeCbor(value: unknown): Buffer {
  const w = new Writer();
  encodeInto(w, value, 0);
  return w.result();
}

// ---------------------------------------------------------------- decoder

const BREAK = Symbol('break');
const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

class Reader {
  offset = 0;
  constructor(private readonly data: Buffer) {}

  need(bytes: number): void {
    if (this.offset + bytes > this.data.length) throw new CborError(`truncated CBOR at byte ${this.offset}`);
  }

  u8(): number {
    this.need(1);
    return this.data[this.offset++]!;
  }

  /** The argument of a head: a number, or a bigint when beyond 2^53; -1 for indefinite (info 31). */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    switch (info) {
      case 24:
        return this.u8();
      case 25: {
        this.need(2);
        const v = this.data.readUInt16BE(this.offset);
        this.offset += 2;
        return v;
      }
      case 26: {
        this.need(4);
        const v = this.data.readUInt32BE(this.offset);
        this.offset += 4;
        return v;
      }
      case 27: {
        this.need(8);
        const v = this.data.readBigUInt64BE(this.offset);
        this.offset += 8;
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      case 31:
        return -1;
      default:
        throw new CborError(`reserved additional information ${info} at byte ${this.offset - 1}`);
    }
  }

  length(info: number): number {
    const n = this.argument(info);
    if (typeof n === 'bigint' || n > this.data.length) throw new CborError(`length too large at byte ${this.offset}`);
    return n;
  }

  slice(n: number): Buffer {
    this.need(n);
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  item(depth: number, allowBreak = false): unknown {
    if (depth > 512) throw new CborError('CBOR nested too deeply');
    const start = this.offset;
    const initial = this.u8();
    const major = initial >> 5;
    const info = initial & 0x1f;
    switch (major) {
      case 0: {
        if (info === 31) throw new CborError(`indefinite length on an integer at byte ${start}`);
        return this.argument(info);
      }
      case 1: {
        if (info === 31) throw new CborError(`indefinite length on an integer at byte ${start}`);
        const n = this.argument(info);
        return typeof n === 'bigint' ? -1n - n : -1 - n;
      }
      case 2:
      case 3: {
        let bytes: Buffer;
        if (info === 31) {
          const parts: Buffer[] = [];
          for (;;) {
            const next = this.u8();
            if (next === 0xff) break;
            if (next >> 5 !== major || (next & 0x1f) === 31) {
              throw new CborError(`bad chunk in an indefinite-length ${major === 2 ? 'byte' : 'text'} string at byte ${this.offset - 1}`);
            }
            parts.push(this.slice(this.length(next & 0x1f)));
          }
          bytes = Buffer.concat(parts);
        } else {
          bytes = this.slice(this.length(info));
        }
        if (major === 2) return new Uint8Array(bytes);
        try {
          return utf8.decode(bytes);
        } catch {
          throw new CborError(`invalid UTF-8 in a text string at byte ${start}`);
        }
      }
      case 4: {
        const out: unknown[] = [];
        if (info === 31) {
          for (;;) {
            const v = this.item(depth + 1, true);
            if (v === BREAK) break;
            out.push(v);
          }
        } else {
          const n = this.length(info);
          for (let i = 0; i < n; i++) out.push(this.item(depth + 1));
        }
        return out;
      }
      case 5: {
        const out: Record<string, unknown> = {};
        const put = (key: unknown, value: unknown) => {
          const k = typeof key === 'string' ? key : typeof key === 'number' || typeof key === 'bigint' ? String(key) : undefined;
          if (k === undefined) throw new CborError(`unsupported map key type at byte ${start}`);
          if (k === '__proto__') Object.defineProperty(out, k, {value, enumerable: true, configurable: true, writable: true});
          else out[k] = value;
        };
        if (info === 31) {
          for (;;) {
            const key = this.item(depth + 1, true);
            if (key === BREAK) break;
            put(key, this.item(depth + 1));
          }
        } else {
          const n = this.length(info);
          for (let i = 0; i < n; i++) put(this.item(depth + 1), this.item(depth + 1));
        }
        return out;
      }
      case 6: {
        if (info === 31) throw new CborError(`indefinite length on a tag at byte ${start}`);
        const tag = this.argument(info);
        const value = this.item(depth + 1);
        if (tag === 1) {
          if (typeof value !== 'number' && typeof value !== 'bigint') throw new CborError(`tag 1 needs a number at byte ${start}`);
          return new Date(Number(value) * 1000);
        }
        if ((tag === 2 || tag === 3) && value instanceof Uint8Array) {
          const n = value.length ? BigInt(`0x${Buffer.from(value).toString('hex')}`) : 0n;
          return tag === 2 ? n : -1n - n;
        }
        return new CborTag(Number(tag), value);
      }
      default: {
        // major 7: simple values and floats
        switch (info) {
          case 20:
            return false;
          case 21:
            return true;
          case 22:
            return null;
          case 23:
            return undefined;
          case 24: {
            const simple = this.u8();
            if (simple < 32) throw new CborError(`invalid two-byte simple value at byte ${start}`);
            return new CborTag(-1, simple);
          }
          case 25: {
            this.need(2);
            const half = this.data.readUInt16BE(this.offset);
            this.offset += 2;
            return decodeHalf(half);
          }
          case 26: {
            this.need(4);
            const v = this.data.readFloatBE(this.offset);
            this.offset += 4;
            return v;
          }
          case 27: {
            this.need(8);
            const v = this.data.readDoubleBE(this.offset);
            this.offset += 8;
            return v;
          }
          case 31:
            if (!allowBreak) throw new CborError(`unexpected break at byte ${start}`);
            return BREAK;
          default:
            if (info < 20) return new CborTag(-1, info);
            throw new CborError(`reserved simple value ${info} at byte ${start}`);
        }
      }
    }
  }
}

function decodeHalf(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Decodes exactly one CBOR data item; throws CborError on malformed, truncated or trailing input. */
export function decodeCbor(data: Uint8Array): unknown {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const reader = new Reader(buffer);
  const value = reader.item(0);
  if (reader.offset !== buffer.length) throw new CborError(`trailing bytes after the CBOR item at byte ${reader.offset}`);
  return value;
}
