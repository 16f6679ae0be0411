// MD5 digests exactly as SQS computes them.
// - MD5OfBody: hex MD5 of the UTF-8 body.
// - MD5OfMessageAttributes (SQS developer guide, "Calculating the MD5 message digest for message
//   attributes"): attributes sorted by name (ascending code units); for each: 4-byte big-endian length
//   + UTF-8 name, 4-byte length + UTF-8 data type, one transport byte (1 = String/Number, 2 = Binary),
//   4-byte length + value bytes (UTF-8 string, or the raw binary bytes).
// Both hash in one call (crypto.hash) and the attribute encoding is written into one buffer: this runs for
// every message sent and received, and per-field Buffers dominated the engine's cost.
import {createHash, hash} from 'node:crypto';
import type {SqsAttributeValue} from '../ports.ts';

export function md5Hex(text: string): string {
  return hash('md5', text, 'hex'); // a string is hashed as UTF-8
}

/** undefined when there are no attributes (SQS omits the field then). */
export function md5OfMessageAttributes(attributes: Record<string, SqsAttributeValue> | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  names.sort(); // default sort: ascending UTF-16 code units
  let total = 0;
  const binaries: Array<Buffer | undefined> = [];
  for (const name of names) {
    const value = attributes[name]!;
    total += 4 + Buffer.byteLength(name, 'utf8') + 4 + Buffer.byteLength(value.DataType, 'utf8') + 1 + 4;
    if (isBinaryType(value.DataType)) {
      const bytes = Buffer.from(value.BinaryValue ?? '', 'base64');
      binaries.push(bytes);
      total += bytes.length;
    } else {
      binaries.push(undefined);
      total += Buffer.byteLength(value.StringValue ?? '', 'utf8');
    }
  }
  const buf = Buffer.allocUnsafe(total);
  let at = 0;
  const text = (s: string): void => {
    const n = buf.write(s, at + 4, 'utf8');
    buf.writeUInt32BE(n, at);
    at += 4 + n;
  };
  for (let i = 0; i < names.length; i++) {
    const value = attributes[names[i]!]!;
    text(names[i]!);
    text(value.DataType);
    const bytes = binaries[i];
    if (bytes) {
      buf[at++] = 2;
      buf.writeUInt32BE(bytes.length, at);
      bytes.copy(buf, at + 4);
      at += 4 + bytes.length;
    } else {
      buf[at++] = 1;
      text(value.StringValue ?? '');
    }
  }
  return createHash('md5').update(buf.subarray(0, at)).digest('hex');
}

export function isBinaryType(dataType: string): boolean {
  return dataType === 'Binary' || dataType.startsWith('Binary.');
}
