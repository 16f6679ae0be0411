// The SQS MD5s (the SDK validates MD5OfBody and MD5OfMessageAttributes on every send and receive) against a
// straightforward reference encoding, on many generated bodies and attribute sets: names and values with
// multi-byte and astral characters, lone surrogates, empty strings, binary values, custom type suffixes.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {md5Hex, md5OfMessageAttributes} from '../../../source/sim/sqs/md5.ts';
import {createRandom} from '../../../source/sim/random.ts';
import type {SqsAttributeValue} from '../../../source/sim/ports.ts';

function referenceAttributes(attributes: Record<string, SqsAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return undefined;
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return [length, bytes];
  };
  const parts: Buffer[] = [];
  for (const name of names) {
    const v = attributes[name]!;
    parts.push(...field(Buffer.from(name, 'utf8')), ...field(Buffer.from(v.DataType, 'utf8')));
    if (v.DataType.startsWith('Binary')) parts.push(Buffer.from([2]), ...field(Buffer.from(v.BinaryValue ?? '', 'base64')));
    else parts.push(Buffer.from([1]), ...field(Buffer.from(v.StringValue ?? '', 'utf8')));
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

const ALPHABET = ['a', 'Z', '0', '-', '.', ' ', '\t', 'é', 'ü', '€', '中', '😀', '\u{10FFFF}', '\uD800', '\uDFFF', '\u0000', '"'];

test('md5Hex and md5OfMessageAttributes match the reference encoding on 2,000 generated inputs', () => {
  const rng = createRandom(42);
  const text = (max: number) => {
    let s = '';
    for (let n = rng.int(0, max); n > 0; n--) s += rng.pick(ALPHABET);
    return s;
  };
  for (let i = 0; i < 2000; i++) {
    const body = text(60);
    assert.equal(md5Hex(body), createHash('md5').update(body, 'utf8').digest('hex'), JSON.stringify(body));
    const attributes: Record<string, SqsAttributeValue> = {};
    for (let n = rng.int(0, 10); n > 0; n--) {
      const name = text(8) || 'x';
      if (rng.chance(0.3)) {
        const bytes = Buffer.from(Array.from({length: rng.int(0, 40)}, () => rng.int(0, 255)));
        attributes[name] = {DataType: rng.pick(['Binary', 'Binary.gzip', 'Binary.ü']), BinaryValue: bytes.toString('base64')};
      } else {
        attributes[name] = {DataType: rng.pick(['String', 'Number', 'String.json', 'Number.float', 'String.中']), StringValue: text(30)};
      }
    }
    assert.equal(md5OfMessageAttributes(attributes), referenceAttributes(attributes), JSON.stringify(attributes));
  }
});
