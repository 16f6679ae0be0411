import {test} from 'node:test';
import assert from 'node:assert/strict';
import {errorSummary, failedEventMatches, listedEvent, parseFailedEvent} from '../../../source/domain/failed-event.ts';
import type {RawMessage} from '../../../source/domain/types.ts';

const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
const dlq = (body: string, errorMessage: string): RawMessage => ({
  messageId: 'm-1', receiptHandle: 'rh-1', body, md5OfBody: null, attributes: {}, receiveCount: 1, sentAt: 5000,
  messageAttributes: {RequestID: {dataType: 'String', stringValue: 'req-1'}, ErrorCode: {dataType: 'Number', stringValue: '200'}, ErrorMessage: {dataType: 'String', stringValue: errorMessage}},
});

test('listedEvent: no body, payload, stack or attributes; the error message cut after its first line; the summary unchanged', () => {
  const full = parseFailedEvent(dlq('{"orderId":"o-1","blob":"' + 'x'.repeat(10_000) + '"}', '\n  Error: reserve failed\n    at a (/x.js:1:1)\n    at b (/y.js:2:2)'), 'dlq', URL);
  const listed = listedEvent(full);
  for (const key of ['body', 'payload', 'stackTrace', 'messageAttributes']) assert.equal(key in listed, false, key);
  assert.equal(listed.errorMessage, '\n  Error: reserve failed');
  assert.equal(errorSummary(listed), errorSummary(full));
  assert.equal(listed.messageId, full.messageId);
  assert.equal(listed.requestId, 'req-1');
  assert.equal(listed.sizeBytes, full.sizeBytes);
  // Text in the listed fields matches; payload text needs the full event (the browser searches it).
  assert.equal(failedEventMatches(listed, 'reserve'), true);
  assert.equal(failedEventMatches(listed, 'o-1'), false);
  assert.equal(failedEventMatches(full, 'o-1'), true);
  // Whatever the listed fields match, the full event matches too (the list never shows a false match).
  for (const text of ['req-1', 'error reserve', 'm-1', '200', 'at a']) if (failedEventMatches(listed, text)) assert.equal(failedEventMatches(full, text), true, text);
  assert.equal(failedEventMatches(listed, 'req-1 error reserve'), true);
});

test('listedEvent keeps a one-line or absent error message as it is', () => {
  const one = listedEvent(parseFailedEvent(dlq('{}', 'Task timed out after 3.00 seconds'), 'dlq', URL));
  assert.equal(one.errorMessage, 'Task timed out after 3.00 seconds');
  const none = listedEvent(parseFailedEvent({...dlq('{}', ''), messageAttributes: {}}, 'source-dlq', URL));
  assert.equal(none.errorMessage, null);
});
