import {test} from 'node:test';
import assert from 'node:assert/strict';
import {CborError, CborTag, decodeCbor, encodeCbor} from '../../../source/sim/wire/cbor.ts';

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');

// Examples from RFC 8949 Appendix A.
test('decodes the RFC 8949 appendix A examples', () => {
  const cases: Array<[string, unknown]> = [
    ['00', 0],
    ['17', 23],
    ['1818', 24],
    ['1903e8', 1000],
    ['1a000f4240', 1000000],
    ['1b000000e8d4a51000', 1000000000000],
    ['1bffffffffffffffff', 18446744073709551615n],
    ['c249010000000000000000', 18446744073709551616n],
    ['3bffffffffffffffff', -18446744073709551616n],
    ['20', -1],
    ['29', -10],
    ['3903e7', -1000],
    ['f90000', 0],
    ['f93c00', 1],
    ['f93e00', 1.5],
    ['f97bff', 65504],
    ['fa47c35000', 100000],
    ['fb3ff199999999999a', 1.1],
    ['f90001', 5.960464477539063e-8],
    ['f90400', 0.00006103515625],
    ['f9c400', -4],
    ['f97c00', Infinity],
    ['f9fc00', -Infinity],
    ['f4', false],
    ['f5', true],
    ['f6', null],
    ['f7', undefined],
    ['40', new Uint8Array([])],
    ['4401020304', new Uint8Array([1, 2, 3, 4])],
    ['60', ''],
    ['6161', 'a'],
    ['6449455446', 'IETF'],
    ['62225c', '"\\'],
    ['62c3bc', 'ü'],
    ['63e6b0b4', '水'],
    ['64f0908591', '𐅑'],
    ['80', []],
    ['83010203', [1, 2, 3]],
    ['8301820203820405', [1, [2, 3], [4, 5]]],
    ['98190102030405060708090a0b0c0d0e0f101112131415161718181819', Array.from({length: 25}, (_, i) => i + 1)],
    ['a0', {}],
    ['a201020304', {'1': 2, '3': 4}],
    ['a26161016162820203', {a: 1, b: [2, 3]}],
    ['826161a161626163', ['a', {b: 'c'}]],
    ['5f42010243030405ff', new Uint8Array([1, 2, 3, 4, 5])],
    ['7f657374726561646d696e67ff', 'streaming'],
    ['9fff', []],
    ['9f018202039f0405ffff', [1, [2, 3], [4, 5]]],
    ['9f01820203820405ff', [1, [2, 3], [4, 5]]],
    ['83018202039f0405ff', [1, [2, 3], [4, 5]]],
    ['bf61610161629f0203ffff', {a: 1, b: [2, 3]}],
    ['826161bf61626163ff', ['a', {b: 'c'}]],
    ['bf6346756ef563416d7421ff', {Fun: true, Amt: -2}],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(decodeCbor(hex(input)), expected, input);
  }
  assert.ok(Number.isNaN(decodeCbor(hex('f97e00'))));
  assert.ok(Number.isNaN(decodeCbor(hex('fb7ff8000000000000'))));
});

test('tag 1 decodes to a Date (integer and float seconds); other tags are kept', () => {
  assert.deepEqual(decodeCbor(hex('c11a514b67b0')), new Date(1363896240 * 1000));
  assert.deepEqual(decodeCbor(hex('c1fb41d452d9ec200000')), new Date(1363896240.5 * 1000));
  const tagged = decodeCbor(hex('d74401020304'));
  assert.ok(tagged instanceof CborTag);
  assert.equal(tagged.tag, 23);
  assert.deepEqual(tagged.value, new Uint8Array([1, 2, 3, 4]));
  const uri = decodeCbor(hex('d82076687474703a2f2f7777772e6578616d706c652e636f6d')) as CborTag;
  assert.equal(uri.tag, 32);
  assert.equal(uri.value, 'http://www.example.com');
});

test('encodes with the shortest heads (RFC examples, canonical form)', () => {
  const cases: Array<[unknown, string]> = [
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [100, '1864'],
    [1000, '1903e8'],
    [1000000, '1a000f4240'],
    [1000000000000, '1b000000e8d4a51000'],
    [18446744073709551615n, '1bffffffffffffffff'],
    [18446744073709551616n, 'c249010000000000000000'],
    [-18446744073709551617n, 'c349010000000000000000'],
    [-1, '20'],
    [-1000, '3903e7'],
    [1.1, 'fb3ff199999999999a'],
    [-4.1, 'fbc010666666666666'],
    [false, 'f4'],
    [true, 'f5'],
    [null, 'f6'],
    ['', '60'],
    ['IETF', '6449455446'],
    ['水', '63e6b0b4'],
    [new Uint8Array([1, 2, 3, 4]), '4401020304'],
    [[1, [2, 3], [4, 5]], '8301820203820405'],
    [{a: 1, b: [2, 3]}, 'a26161016162820203'],
    [new Date(1363896240000), 'c11a514b67b0'],
    [new Date(1363896240500), 'c1fb41d452d9ec200000'],
    [new CborTag(23, new Uint8Array([1, 2, 3, 4])), 'd74401020304'],
  ];
  for (const [value, expected] of cases) assert.equal(encodeCbor(value).toString('hex'), expected, String(value));
});

test('leaves undefined properties out of maps and round-trips nested values', () => {
  assert.equal(encodeCbor({a: 1, b: undefined}).toString('hex'), 'a1616101');
  const value = {
    MetricDataResults: [{Id: 'm1', Label: 'Invocations', Timestamps: [new Date(1700000000000), new Date(1700000060000)], Values: [1, 2.5, -3], StatusCode: 'Complete'}],
    Messages: [],
    big: 2n ** 70n,
    neg: -(2 ** 40),
    text: 'x'.repeat(70_000),
    bytes: new Uint8Array(300).fill(7),
  };
  assert.deepEqual(decodeCbor(encodeCbor(value)), value);
});

test('rejects malformed input with CborError', () => {
  const bad = [
    '', // nothing
    '18', // truncated argument
    '62 61', // truncated string
    '9f01', // indefinite array without break
    'ff', // lone break
    '1c', // reserved additional information
    '5f 61 61 ff', // text chunk inside a byte string
    'c1 61 61', // tag 1 on a string
    '00 00', // trailing bytes
    '62 c3 28', // invalid UTF-8
    'a1 80 01', // array as a map key
  ];
  for (const input of bad) assert.throws(() => decodeCbor(hex(input)), CborError, input);
  // Deep nesting is refused rather than overflowing the stack.
  assert.throws(() => decodeCbor(Buffer.alloc(100_000, 0x81)), CborError);
});

test('agrees with the AWS SDK\'s own CBOR codec (@smithy/core/cbor)', async () => {
  let smithy: {cbor: {serialize(value: unknown): Uint8Array; deserialize(data: Uint8Array): unknown}};
  try {
    smithy = (await import('@smithy/core/cbor')) as unknown as typeof smithy;
  } catch {
    return; // the SDK's codec is not resolvable here; the RFC vectors above still apply
  }
  const value = {
    MetricDataQueries: [{Id: 'a', MetricStat: {Metric: {Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{Name: 'FunctionName', Value: 'f'}]}, Period: 60, Stat: 'Sum'}, ReturnData: true}],
    MaxDatapoints: 100800,
    Values: [0.5, 1e300, -2, 65536, 4294967296],
    Label: 'ünïcödé ✓',
    Empty: [],
    Nested: {deep: {deeper: [null, true, false]}},
  };
  // Our bytes decode with theirs, and theirs with ours.
  assert.deepEqual(smithy.cbor.deserialize(encodeCbor(value)), value);
  assert.deepEqual(decodeCbor(smithy.cbor.serialize(value)), value);
});
