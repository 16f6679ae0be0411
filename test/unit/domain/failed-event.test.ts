import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseFailedEvent, isTimeout, errorSummary, failedEventMatches, utf8ByteLength} from '../../../source/domain/failed-event.ts';
import type {MessageAttribute, RawMessage} from '../../../source/domain/types.ts';

const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/q';

function message(body: string, extra: Partial<RawMessage> = {}): RawMessage {
  return {messageId: 'm-1', receiptHandle: 'rh-1', body, md5OfBody: null, attributes: {}, messageAttributes: {},
    receiveCount: 1, sentAt: 1_700_000_000_000, ...extra};
}

// The reference's invocation record (docs/aws-async.md section 2), verbatim apart from the elided ids.
const RECORD = '{"version": "1.0", "timestamp": "2019-11-14T18:16:05.568Z", "requestContext": {"requestId": "e4b46cbf-b738-xmpl-8880-a18cdf61200e", "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST", "condition": "RetriesExhausted", "approximateInvokeCount": 3}, "requestPayload": {"ORDER_IDS": ["9e07af03-ce31-4ff3-xmpl-36dce652cb4f"]}, "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}, "responsePayload": {"errorMessage": "RequestId: e4b46cbf-b738-xmpl-8880-a18cdf61200e Process exited before completing request", "errorType": "Error", "stackTrace": ["exports.handler (/var/task/index.js:18:18)"]}}';

test('invocation record (the reference example)', () => {
  const e = parseFailedEvent(message(RECORD), 'on-failure', URL);
  assert.equal(e.shape, 'invocation-record');
  assert.equal(e.source, 'on-failure');
  assert.equal(e.queueUrl, URL);
  assert.equal(e.time, Date.UTC(2019, 10, 14, 18, 16, 5, 568));
  assert.equal(e.requestId, 'e4b46cbf-b738-xmpl-8880-a18cdf61200e');
  assert.equal(e.functionArn, 'arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST');
  assert.equal(e.condition, 'RetriesExhausted');
  assert.equal(e.attempts, 3);
  assert.equal(e.errorCode, 200);
  assert.equal(e.functionError, 'Unhandled');
  assert.equal(e.errorType, 'Error');
  assert.match(e.errorMessage!, /Process exited before completing request/);
  assert.deepEqual(e.stackTrace, ['exports.handler (/var/task/index.js:18:18)']);
  assert.equal(e.payload, '{"ORDER_IDS": ["9e07af03-ce31-4ff3-xmpl-36dce652cb4f"]}');
  assert.deepEqual(JSON.parse(e.payload!), {ORDER_IDS: ['9e07af03-ce31-4ff3-xmpl-36dce652cb4f']});
  assert.equal(e.sizeBytes, RECORD.length);
  assert.equal(e.note, null);
  assert.equal(e.body, RECORD);
  assert.equal(isTimeout(e), false);
  // The summary drops Lambda's leading "RequestId: <id>" (the list has a request id column); the message keeps it.
  assert.equal(errorSummary(e), 'Process exited before completing request');
});

test('error summary: a DLQ ErrorMessage "RequestId: <id> Error: Task timed out…" reads from the words; other text is kept', () => {
  const base = parseFailedEvent({messageId: 'm', receiptHandle: 'h', body: '{}', md5OfBody: null, attributes: {}, messageAttributes: {}, receiveCount: 1, sentAt: 0}, 'dlq', 'https://q');
  const msg = (errorMessage: string) => errorSummary({...base, errorMessage});
  assert.equal(msg('RequestId: 319f694c-aa74-4d15-9ac8-5d2a3c1b0e9f Error: Task timed out after 10.00 seconds'), 'Task timed out after 10.00 seconds');
  assert.equal(msg('RequestId: abc'), 'RequestId: abc', 'nothing after the id: kept as is');
  assert.equal(msg('Inventory API answered 503'), 'Inventory API answered 503');
});

test('record payload is cut out byte for byte: big integers and number forms survive', () => {
  const body = '{"requestContext":{"requestId":"r","condition":"RetriesExhausted","approximateInvokeCount":3},"requestPayload":{"id":12345678901234567890,"x":1.0,"s":"caf\\u00e9 \\"q\\" }]"},"responsePayload":null}';
  const e = parseFailedEvent(message(body), 'on-failure', URL);
  assert.equal(e.payload, '{"id":12345678901234567890,"x":1.0,"s":"caf\\u00e9 \\"q\\" }]"}');
  // scalar and null payloads
  assert.equal(parseFailedEvent(message('{"requestContext":{"condition":"RetriesExhausted"},"requestPayload":"just text"}'), 'on-failure', URL).payload, '"just text"');
  assert.equal(parseFailedEvent(message('{"requestContext":{"condition":"RetriesExhausted"},"requestPayload":null}'), 'on-failure', URL).payload, 'null');
  assert.equal(parseFailedEvent(message('{"requestContext":{"condition":"RetriesExhausted"},"requestPayload": 42 }'), 'on-failure', URL).payload, '42');
  // duplicate keys: the last wins, as in JSON.parse
  assert.equal(parseFailedEvent(message('{"requestPayload":{"a":1},"requestContext":{"condition":"X"},"requestPayload":{"b":2}}'), 'on-failure', URL).payload, '{"b":2}');
});

test('timeout record: errorType "Timeout" when only the message says so', () => {
  const body = JSON.stringify({version: '1.0', timestamp: '2024-01-01T00:00:00.000Z',
    requestContext: {requestId: 'r-1', functionArn: 'arn:aws:lambda:us-east-1:1:function:f', condition: 'RetriesExhausted', approximateInvokeCount: 3},
    requestPayload: {a: 1}, responseContext: {statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled'},
    responsePayload: {errorMessage: '2024-01-01T00:00:00.000Z r-1 Task timed out after 10.00 seconds'}});
  const e = parseFailedEvent(message(body), 'on-failure', URL);
  assert.equal(e.errorType, 'Timeout');
  assert.equal(isTimeout(e), true);
  assert.deepEqual(e.stackTrace, []);
  const sandbox = parseFailedEvent(message(body.replace('"responsePayload":{', '"responsePayload":{"errorType":"Sandbox.Timedout",')), 'on-failure', URL);
  assert.equal(sandbox.errorType, 'Sandbox.Timedout');
  assert.equal(isTimeout(sandbox), true);
});

test('records without responseContext, with unknown conditions, string or odd response payloads', () => {
  const aged = parseFailedEvent(message('{"version":"1.0","timestamp":"2024-01-01T00:00:00Z","requestContext":{"requestId":"r","functionArn":"arn:aws:lambda:us-east-1:1:function:f","condition":"EventAgeExceeded","approximateInvokeCount":0},"requestPayload":{"k":1}}'), 'on-failure', URL);
  assert.equal(aged.shape, 'invocation-record');
  assert.equal(aged.condition, 'EventAgeExceeded');
  assert.equal(aged.attempts, 0);
  assert.equal(aged.errorCode, null);
  assert.equal(aged.errorMessage, null);
  assert.equal(errorSummary(aged), 'EventAgeExceeded');
  const weird = parseFailedEvent(message('{"requestContext":{"condition":"SomethingNew","approximateInvokeCount":"2"},"requestPayload":{},"responsePayload":"boom\\nsecond line"}'), 'on-failure', URL);
  assert.equal(weird.condition, 'SomethingNew');
  assert.equal(weird.attempts, 2);
  assert.equal(weird.errorMessage, 'boom\nsecond line');
  assert.equal(errorSummary(weird), 'boom');
  const arrayResponse = parseFailedEvent(message('{"requestContext":{"condition":"RetriesExhausted"},"requestPayload":{},"responsePayload":[1,2]}'), 'on-failure', URL);
  assert.equal(arrayResponse.errorMessage, null);
  const noPayload = parseFailedEvent(message('{"requestContext":{"condition":"RetriesExhausted"},"responseContext":{"statusCode":200}}'), 'on-failure', URL);
  assert.equal(noPayload.payload, null);
  assert.match(noPayload.note!, /no requestPayload/);
  // python-style stack frames as arrays
  const py = parseFailedEvent(message('{"requestContext":{"condition":"RetriesExhausted"},"requestPayload":{},"responsePayload":{"errorType":"KeyError","errorMessage":"\'id\'","stackTrace":[["/var/task/app.py",3,"handler","x[\'id\']"]]}}'), 'on-failure', URL);
  assert.deepEqual(py.stackTrace, ['/var/task/app.py 3 handler x[\'id\']']);
});

test('success record: the response is a result, not an error', () => {
  const e = parseFailedEvent(message('{"requestContext":{"requestId":"r","condition":"Success","approximateInvokeCount":1},"requestPayload":{"a":1},"responseContext":{"statusCode":200},"responsePayload":{"errorMessage":"not really"}}'), 'on-success', URL);
  assert.equal(e.shape, 'invocation-record');
  assert.equal(e.errorMessage, null);
  assert.equal(errorSummary(e), '');
});

const dlqAttributes = (code = '200'): Record<string, MessageAttribute> => ({
  RequestID: {dataType: 'String', stringValue: 'd0a4e0b5-xmpl'},
  ErrorCode: {dataType: 'Number', stringValue: code},
  ErrorMessage: {dataType: 'String', stringValue: 'Cannot read properties of undefined (reading \'id\')'},
});

test('raw DLQ message: body is the payload byte for byte, error from attributes', () => {
  const body = '{ "orderId" : 12345678901234567890,\n  "note": "caf\\u00e9" }';
  const e = parseFailedEvent(message(body, {messageAttributes: dlqAttributes(), receiveCount: 2}), 'dlq', URL);
  assert.equal(e.shape, 'dlq-message');
  assert.equal(e.payload, body);
  assert.equal(e.requestId, 'd0a4e0b5-xmpl');
  assert.equal(e.errorCode, 200);
  assert.equal(e.errorMessage, 'Cannot read properties of undefined (reading \'id\')');
  assert.equal(e.errorType, null);
  assert.equal(e.receiveCount, 2);
  assert.equal(e.time, 1_700_000_000_000);
  assert.equal(e.note, null);
  assert.deepEqual(e.messageAttributes, dlqAttributes());
});

test('DLQ timeout message and a non-numeric ErrorCode', () => {
  const attrs = dlqAttributes('abc');
  attrs['ErrorMessage'] = {dataType: 'String', stringValue: 'Task timed out after 3.00 seconds'};
  const e = parseFailedEvent(message('{"a":1}', {messageAttributes: attrs}), 'dlq', URL);
  assert.equal(e.errorCode, null);
  assert.equal(e.errorType, 'Timeout');
  assert.equal(isTimeout(e), true);
});

test('DLQ message whose original event looks like an invocation record stays a DLQ message', () => {
  const e = parseFailedEvent(message(RECORD, {messageAttributes: dlqAttributes()}), 'dlq', URL);
  assert.equal(e.shape, 'dlq-message');
  assert.equal(e.payload, RECORD);
});

test('DLQ message without Lambda attributes, and with a non-JSON body', () => {
  const plain = parseFailedEvent(message('{"a":1}'), 'dlq', URL);
  assert.equal(plain.shape, 'dlq-message');
  assert.equal(plain.payload, '{"a":1}');
  assert.match(plain.note!, /no Lambda error attributes/);
  const text = parseFailedEvent(message('hello there', {messageAttributes: dlqAttributes()}), 'dlq', URL);
  assert.equal(text.shape, 'unparsed');
  assert.equal(text.payload, null);
  assert.equal(text.requestId, 'd0a4e0b5-xmpl');
  assert.match(text.note!, /not JSON.*cannot be re-invoked/);
});

test('SNS envelopes: a DLQ topic and a destination topic delivered to SQS without raw delivery', () => {
  const original = '{"orderId": 7}';
  const envelope = JSON.stringify({Type: 'Notification', MessageId: 'x', TopicArn: 'arn:aws:sns:us-east-1:1:dlq-topic', Message: original,
    Timestamp: '2024-05-01T10:00:00.000Z', MessageAttributes: {RequestID: {Type: 'String', Value: 'req-9'}, ErrorCode: {Type: 'Number', Value: '200'}, ErrorMessage: {Type: 'String', Value: 'boom'}}});
  const d = parseFailedEvent(message(envelope), 'dlq', URL);
  assert.equal(d.shape, 'dlq-message');
  assert.equal(d.payload, original);
  assert.equal(d.requestId, 'req-9');
  assert.equal(d.errorCode, 200);
  assert.equal(d.errorMessage, 'boom');
  assert.equal(d.time, Date.UTC(2024, 4, 1, 10));
  assert.match(d.note!, /SNS topic arn:aws:sns:us-east-1:1:dlq-topic/);
  const r = parseFailedEvent(message(JSON.stringify({Type: 'Notification', TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: RECORD})), 'on-failure', URL);
  assert.equal(r.shape, 'invocation-record');
  assert.equal(r.payload, '{"ORDER_IDS": ["9e07af03-ce31-4ff3-xmpl-36dce652cb4f"]}');
});

test('EventBridge event carrying a record in detail', () => {
  const body = `{"version":"0","id":"e","detail-type":"Lambda Function Invocation Result - Failure","source":"lambda","detail":${RECORD}}`;
  const e = parseFailedEvent(message(body), 'on-failure', URL);
  assert.equal(e.shape, 'invocation-record');
  assert.equal(e.condition, 'RetriesExhausted');
  assert.equal(e.payload, '{"ORDER_IDS": ["9e07af03-ce31-4ff3-xmpl-36dce652cb4f"]}');
  assert.match(e.note!, /EventBridge/);
});

test('source-dlq message: body is the payload; receive count and source arn in the note', () => {
  const e = parseFailedEvent(message('not json at all', {receiveCount: 5, attributes: {DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:1:orders'}}), 'source-dlq', URL);
  assert.equal(e.shape, 'source-message');
  assert.equal(e.payload, 'not json at all');
  assert.equal(e.attempts, 5);
  assert.equal(e.errorMessage, null);
  assert.match(e.note!, /moved here from arn:aws:sqs:us-east-1:1:orders; received 5 times/);
  assert.match(errorSummary(e), /received 5 times/);
});

test('unparsed bodies in a destination queue: empty, truncated, binary, not a record', () => {
  const empty = parseFailedEvent(message(''), 'on-failure', URL);
  assert.equal(empty.shape, 'unparsed');
  assert.equal(empty.note, 'empty body');
  assert.equal(empty.sizeBytes, 0);
  const truncated = parseFailedEvent(message(RECORD.slice(0, 100)), 'on-failure', URL);
  assert.equal(truncated.shape, 'unparsed');
  assert.match(truncated.note!, /truncated/);
  assert.equal(truncated.payload, null);
  const binary = parseFailedEvent(message('\x00\x01\x02PK\x03\x04\uFFFD\uFFFD'), 'on-failure', URL);
  assert.match(binary.note!, /binary/);
  const other = parseFailedEvent(message('{"hello":"world"}'), 'on-failure', URL);
  assert.equal(other.shape, 'unparsed');
  assert.match(other.note!, /not an invocation record/);
  assert.equal(errorSummary(other), other.note);
});

test('sizeBytes is the UTF-8 size', () => {
  assert.equal(parseFailedEvent(message('{"a":"é注🚀"}'), 'dlq', URL).sizeBytes, 8 + 2 + 3 + 4);
  assert.equal(utf8ByteLength('\uD800'), 3);
  assert.equal(utf8ByteLength('🚀'), 4);
  assert.equal(utf8ByteLength(''), 0);
});

test('huge bodies: a 1 MiB DLQ body is kept whole; beyond the parse limit it is unparsed', () => {
  const big = JSON.stringify({data: 'x'.repeat(1024 * 1024)});
  const e = parseFailedEvent(message(big, {messageAttributes: dlqAttributes()}), 'dlq', URL);
  assert.equal(e.payload, big);
  assert.equal(e.sizeBytes, big.length);
  const huge = '[' + '1,'.repeat(2_200_000) + '1]';
  const h = parseFailedEvent(message(huge), 'on-failure', URL);
  assert.equal(h.shape, 'unparsed');
  assert.match(h.note!, /too large/);
});

test('deeply nested JSON does not throw', () => {
  const deep = '{"requestContext":{"condition":"RetriesExhausted"},"requestPayload":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
  const e = parseFailedEvent(message(deep), 'on-failure', URL);
  assert.ok(e.shape === 'invocation-record' || e.shape === 'unparsed');
  if (e.shape === 'invocation-record') assert.equal(e.payload!.length, 200_000);
});

test('fuzz: never throws, for random bodies, roles and malformed message objects', () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pieces = ['{', '}', '[', ']', '"', ':', ',', 'requestContext', 'requestPayload', 'responsePayload', 'responseContext',
    'condition', 'null', 'true', '1e999', '-0', '\\u0000', '\\', '\x00', '\uD800', '🚀', 'Type', 'Notification', 'Message',
    'detail-type', 'Lambda Function Invocation Result', 'detail', 'stackTrace', 'errorMessage', ' ', '\n', '"__proto__"', 'constructor'];
  const roles = ['dlq', 'on-failure', 'on-success', 'source', 'source-dlq'] as const;
  for (let i = 0; i < 600; i++) {
    let body = '';
    const n = Math.floor(rand() * 40);
    for (let j = 0; j < n; j++) body += pieces[Math.floor(rand() * pieces.length)];
    if (i % 3 === 0) body = RECORD.slice(0, Math.floor(rand() * RECORD.length)) + body; // truncated records + junk
    if (i % 7 === 0) {
      // valid JSON with hostile shapes
      body = JSON.stringify({requestContext: rand() < 0.5 ? [] : {condition: {x: 1}, approximateInvokeCount: 'many', requestId: 5},
        requestPayload: rand() < 0.5 ? undefined : {a: [1, {b: null}]}, responsePayload: rand() < 0.5 ? {errorMessage: {}, stackTrace: 'a\nb'} : 7,
        responseContext: 'nope', timestamp: 'yesterday'});
    }
    const role = roles[i % roles.length]!;
    const attrs: Record<string, MessageAttribute> = rand() < 0.3 ? {ErrorCode: {dataType: 'Number'}, RequestID: {dataType: 'Binary', binaryValue: 'AA=='}} : {};
    const e = parseFailedEvent(message(body, {messageAttributes: attrs}), role, URL);
    assert.equal(typeof e.shape, 'string');
    assert.equal(e.body, body);
    assert.ok(Array.isArray(e.stackTrace));
    assert.ok(e.payload === null || typeof e.payload === 'string');
    if (e.shape === 'invocation-record' && e.payload !== null) JSON.parse(e.payload); // a record payload is always valid JSON
    errorSummary(e);
    isTimeout(e);
    failedEventMatches(e, {text: 'a b', errorType: 'Timeout', since: 0});
  }
  // malformed message objects from a buggy adapter
  for (const bad of [null, undefined, {}, {body: 5}, {body: null, messageAttributes: null}, {body: '{}', attributes: 'x', receiveCount: 'NaN'}]) {
    const e = parseFailedEvent(bad as unknown as RawMessage, 'dlq', URL);
    assert.equal(typeof e.note === 'string' || e.note === null, true);
  }
});

test('failedEventMatches: text words, error type, time window, source; a plain string is a text filter', () => {
  const rec = parseFailedEvent(message(RECORD), 'on-failure', URL);
  const attrs = dlqAttributes();
  attrs['ErrorMessage'] = {dataType: 'String', stringValue: 'Task timed out after 3.00 seconds'};
  const dlq = parseFailedEvent(message('{"orderId":"A-77"}', {messageAttributes: attrs, sentAt: 5000}), 'dlq', URL);
  assert.equal(failedEventMatches(rec, {}), true);
  assert.equal(failedEventMatches(rec, 'process EXITED'), true);
  assert.equal(failedEventMatches(rec, 'process timeout'), false);
  assert.equal(failedEventMatches(rec, '9e07af03'), true); // payload
  assert.equal(failedEventMatches(dlq, 'a-77'), true);
  assert.equal(failedEventMatches(dlq, {errorType: 'timeout'}), true);
  assert.equal(failedEventMatches(rec, {errorType: 'timeout'}), false);
  assert.equal(failedEventMatches(rec, {errorType: 'error'}), true);
  assert.equal(failedEventMatches(dlq, {since: 5000, until: 5001}), true);
  assert.equal(failedEventMatches(dlq, {since: 5001}), false);
  assert.equal(failedEventMatches(dlq, {until: 5000}), false);
  assert.equal(failedEventMatches(dlq, {source: 'dlq'}), true);
  assert.equal(failedEventMatches(dlq, {source: 'on-failure'}), false);
  const unknownTime = {...dlq, time: null, sentAt: null};
  assert.equal(failedEventMatches(unknownTime, {since: 0}), false);
});

test('errorSummary: first non-empty line, capped', () => {
  const e = parseFailedEvent(message('{"a":1}', {messageAttributes: {ErrorMessage: {dataType: 'String', stringValue: '\n\n  first line  \nsecond'}}}), 'dlq', URL);
  assert.equal(errorSummary(e), 'first line');
  const long = {...e, errorMessage: 'x'.repeat(10_000)};
  assert.equal(errorSummary(long).length, 2000);
});
