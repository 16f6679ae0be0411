// The simulator's event stream frames (source/sim/wire/eventstream.ts), decoded by the SDK's own codec
// (@smithy/core/event-streams, what @aws-sdk/client-cloudwatch-logs reads StartLiveTail with): headers, payload
// and both CRCs must agree, or the codec throws. And the CRC-32 against zlib's.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import {EventStreamCodec} from '@smithy/core/event-streams';
import {crc32, encodeEventStreamMessage, jsonEvent, jsonException} from '../../../source/sim/wire/eventstream.ts';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

test('crc32 is zlib\'s', () => {
  for (const text of ['', 'a', 'The quick brown fox', 'ünïcødé ✓'.repeat(40)]) {
    const bytes = Buffer.from(text, 'utf8');
    assert.equal(crc32(bytes), zlib.crc32(bytes), text);
  }
});

test('an event frame decodes with the SDK codec: its headers and JSON payload', () => {
  const frame = jsonEvent('sessionUpdate', {sessionMetadata: {sampled: false}, sessionResults: [{message: 'REPORT RequestId: x\tDuration: 1.00 ms', timestamp: 1}]});
  const message = codec.decode(frame);
  assert.deepEqual(
    Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, v.value])),
    {':message-type': 'event', ':event-type': 'sessionUpdate', ':content-type': 'application/json'},
  );
  assert.deepEqual(JSON.parse(utf8(message.body)), {sessionMetadata: {sampled: false}, sessionResults: [{message: 'REPORT RequestId: x\tDuration: 1.00 ms', timestamp: 1}]});
});

test('an exception frame names its type; an empty payload and non-ASCII headers frame correctly', () => {
  const ex = codec.decode(jsonException('SessionTimeoutException', 'over'));
  assert.equal(ex.headers[':message-type']?.value, 'exception');
  assert.equal(ex.headers[':exception-type']?.value, 'SessionTimeoutException');
  assert.deepEqual(JSON.parse(utf8(ex.body)), {message: 'over'});
  const empty = codec.decode(encodeEventStreamMessage({'x-ünï': 'välue'}, new Uint8Array()));
  assert.equal(empty.headers['x-ünï']?.value, 'välue');
  assert.equal(empty.body.length, 0);
});

test('a flipped byte is caught by the codec (the CRCs are real)', () => {
  const frame = jsonEvent('sessionStart', {sessionId: 's'});
  const bad = Buffer.from(frame);
  bad.writeUInt8(bad[bad.length - 6]! ^ 0xff, bad.length - 6);
  assert.throws(() => codec.decode(bad), /checksum/i);
});
