// MD5 digests exactly as SQS computes them.
// - MD5OfBody: hex MD5 of the UTF-8 body.
// - MD5OfMessageAttributes (SQS developer guide, "Calculating the MD5 message digest for message
//   attributes"): attributes sorted by name (ascending code units); for each: 4-byte big-endian length
//   + UTF-8 name, 4-byte length + UTF-8 data type, one transport byte (1 = String/Number, 2 = Binary),
//   4-byte length + value bytes (UTF-8 string, or the raw binary bytes).
import {createHash} from 'node:crypto';
import type {SqsAttributeValue} from '../ports.ts';

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length, 0);
  return [length, bytes];
}

/** undefined when there are no attributes (SQS omits the field then). */
export function md5OfMessageAttributes(attributes: Record<string, SqsAttributeValue> | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const value = attributes[name]!;
    parts.push(...lengthPrefixed(Buffer.from(name, 'utf8')));
    parts.push(...lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (isBinaryType(value.DataType)) {
      parts.push(Buffer.from([2]));
      parts.push(...lengthPrefixed(Buffer.from(value.BinaryValue ?? '', 'base64')));
    } else {
      parts.push(Buffer.from([1]));
      parts.push(...lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

export function isBinaryType(dataType: string): boolean {
  return dataType === 'Binary' || dataType.startsWith('Binary.');
}
