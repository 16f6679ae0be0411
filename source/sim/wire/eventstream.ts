// The AWS event stream framing (`application/vnd.amazon.eventstream`), the encoding side, as the simulator's
// streamed answers need it (StartLiveTail). A message is:
//   total length (uint32 BE) | headers length (uint32 BE) | CRC32 of those 8 bytes
//   headers: name length (uint8), name, value type (7 = string), value length (uint16 BE), value
//   payload | CRC32 of everything before it
// Written here (the simulator does not use the SDK); test/unit/sim/eventstream.test.ts decodes these frames with
// the SDK's own codec (@smithy/core/event-streams), so the two are checked against each other.

// Made at first use (live tail only): 2,048 steps run when the simulator's modules load cost the --demo's first
// data 0.5-2 ms of CPU in the interpreter.
let crcTable: Uint32Array | undefined;
function crcTableOf(): Uint32Array {
  if (crcTable) return crcTable;
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (crcTable = table);
}

/** CRC-32 (IEEE 802.3, as zlib's), which the framing uses. */
export function crc32(bytes: Uint8Array): number {
  const table = crcTableOf();
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const STRING_TYPE = 7;

/** One frame with string headers (the only header type the simulator sends). */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    if (n.length > 255 || v.length > 0xffff) throw new RangeError(`event stream header ${name} is too long`);
    const head = Buffer.alloc(1 + n.length + 3);
    head.writeUInt8(n.length, 0);
    n.copy(head, 1);
    head.writeUInt8(STRING_TYPE, 1 + n.length);
    head.writeUInt16BE(v.length, 2 + n.length);
    parts.push(head, v);
  }
  const headerBytes = Buffer.concat(parts);
  const total = 12 + headerBytes.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBytes.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headerBytes.copy(out, 12);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(out, 12 + headerBytes.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** An event of a JSON protocol's stream: `:event-type` names the union member, the payload is its JSON. */
export function jsonEvent(eventType: string, body: unknown): Buffer {
  return encodeEventStreamMessage({':message-type': 'event', ':event-type': eventType, ':content-type': 'application/json'}, Buffer.from(JSON.stringify(body), 'utf8'));
}

/** A modeled exception member of the stream (SessionTimeoutException, SessionStreamingException). */
export function jsonException(exceptionType: string, message: string): Buffer {
  return encodeEventStreamMessage({':message-type': 'exception', ':exception-type': exceptionType, ':content-type': 'application/json'}, Buffer.from(JSON.stringify({message}), 'utf8'));
}
