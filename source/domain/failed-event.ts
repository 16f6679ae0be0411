// Turns one queue message into a FailedEvent: what failed, why, how often, and the exact payload to replay.
// NEVER throws: any body (not JSON, binary, truncated, empty, huge, hostile) and any odd message object gives an
// event, with `note` saying what could not be read. Strings stay raw here; the UI sanitises them.
//
// Shapes (docs/aws-async.md sections 2-3):
// - invocation record (OnFailure/OnSuccess destination): {version, timestamp, requestContext{requestId,
//   functionArn, condition, approximateInvokeCount}, requestPayload, responseContext{statusCode, executedVersion,
//   functionError}, responsePayload}. Also unwrapped from an SNS notification envelope (topic -> queue without
//   raw delivery) and from an EventBridge event (`detail`, detail-type "Lambda Function Invocation Result - …").
//   payload = the requestPayload's JSON text, cut byte for byte out of the record (so large integers and number
//   formatting survive), falling back to JSON.stringify.
// - DLQ message (function DeadLetterConfig): body = the original event unchanged = payload; message attributes
//   RequestID (String), ErrorCode (Number), ErrorMessage (String, first 1 KB). Also through an SNS envelope.
// - source message (an SQS event source's queue or its own DLQ): body = the original message; no error details;
//   receive count and the DeadLetterQueueSourceArn attribute.
// - unparsed: anything else, with a note.
import type {FailedEvent, FailedEventShape, ListedEvent, MessageAttribute, QueueRole, RawMessage} from './types.ts';

/** Bodies longer than this (UTF-16 code units) are not parsed as JSON (SQS allows 1 MiB; this is 4x that). */
export const MAX_PARSE_LENGTH = 4 * 1024 * 1024;
/** errorSummary never returns more than this many characters. */
const SUMMARY_MAX = 2000;

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
type JsonObject = {[key: string]: Json};

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** UTF-8 length of a JS string; a lone surrogate counts as U+FFFD (3 bytes), as an encoder would write it. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

// ---- raw JSON spans: the exact text of a member's value inside an already validated JSON document ----

function skipWs(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else break;
  }
  return i;
}

/** Index just past the string token starting at i (text[i] === '"'). */
function skipString(text: string, i: number): number {
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return -1;
}

/** Index just past the JSON value starting at i. Iterative (no recursion), so deep nesting cannot overflow. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    while (i < text.length) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i = skipString(text, i);
        if (i < 0) return -1;
        continue;
      }
      if (ch === 0x7b || ch === 0x5b) depth++;
      else if (ch === 0x7d || ch === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  while (i < text.length && !',}] \n\r\t'.includes(text[i]!)) i++;
  return i;
}

/** [start, end) of the value of `key` in the object starting at `objectStart` (last one wins, like JSON.parse). */
function memberSpan(text: string, objectStart: number, key: string): [number, number] | null {
  let i = skipWs(text, objectStart);
  if (text[i] !== '{') return null;
  i = skipWs(text, i + 1);
  let found: [number, number] | null = null;
  while (i < text.length && text[i] !== '}') {
    if (text[i] !== '"') return null;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return null;
    let name: unknown;
    try {
      name = JSON.parse(text.slice(i, keyEnd));
    } catch {
      return null;
    }
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') return null;
    const valueStart = skipWs(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0) return null;
    if (name === key) found = [valueStart, valueEnd];
    i = skipWs(text, valueEnd);
    if (text[i] === ',') i = skipWs(text, i + 1);
  }
  return found;
}

/** The raw JSON text at a path of member names, or null. */
function rawAtPath(text: string, path: string[]): string | null {
  let start = 0;
  let end = text.length;
  for (const key of path) {
    const span = memberSpan(text.slice(0, end), start, key);
    if (!span) return null;
    [start, end] = span;
  }
  return text.slice(start, end);
}

// ---- helpers over parsed values ----

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function time(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

function stackLines(v: unknown): string[] {
  if (typeof v === 'string') return v.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const frame of v) {
    if (out.length >= 500) break;
    if (typeof frame === 'string') out.push(frame.replace(/\r?\n$/, ''));
    else if (Array.isArray(frame)) out.push(frame.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));
    else {
      try {
        out.push(JSON.stringify(frame) ?? String(frame));
      } catch {
        out.push(String(frame));
      }
    }
  }
  return out;
}

const TIMEOUT_TEXT = /Task timed out after\s+[\d.]+\s*seconds/i;

interface ErrorParts {
  errorType: string | null;
  errorMessage: string | null;
  stackTrace: string[];
}

/** Error details from a Lambda error object ({errorType, errorMessage, stackTrace}) or a plain string. */
function errorParts(v: unknown): ErrorParts | null {
  if (typeof v === 'string') {
    const trimmed = v.trim();
    if (trimmed.startsWith('{') && trimmed.length <= 1_000_000) {
      try {
        const inner = errorParts(JSON.parse(trimmed));
        if (inner && (inner.errorType !== null || inner.errorMessage !== null)) return inner;
      } catch {
        // a plain message that starts with a brace
      }
    }
    return {errorType: null, errorMessage: v, stackTrace: []};
  }
  if (!isObject(v)) return null;
  const errorType = str(v['errorType']);
  const errorMessage = str(v['errorMessage']);
  const stackTrace = stackLines(v['stackTrace'] ?? v['trace']);
  if (errorType === null && errorMessage === null && stackTrace.length === 0) return null;
  return {errorType, errorMessage, stackTrace};
}

function withTimeoutType(parts: ErrorParts): ErrorParts {
  if (parts.errorType === null && parts.errorMessage !== null && TIMEOUT_TEXT.test(parts.errorMessage)) {
    return {...parts, errorType: 'Timeout'};
  }
  return parts;
}

function attribute(attributes: Record<string, MessageAttribute>, name: string): MessageAttribute | null {
  const direct = attributes[name];
  if (direct) return direct;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(attributes)) if (key.toLowerCase() === lower) return value;
  return null;
}

function describeParseFailure(body: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (looksBinary(body)) return 'body is not JSON and looks binary';
  if (/end of JSON input|Unterminated/i.test(message)) return `body looks truncated: the JSON ends early (${message})`;
  return `body is not JSON (${message})`;
}

/** Control characters (other than whitespace) or replacement characters in the first 4 KB. */
function looksBinary(body: string): boolean {
  const n = Math.min(body.length, 4096);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = body.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd || (c >= 0x7f && c <= 0x9f)) odd++;
  }
  return n > 0 && odd / n > 0.05;
}

// ---- parsing ----

type Parsed = {ok: true; value: Json} | {ok: false; note: string};

function parseBody(body: string): Parsed {
  if (body.length === 0) return {ok: false, note: 'empty body'};
  if (body.length > MAX_PARSE_LENGTH) return {ok: false, note: `body too large to parse (${body.length} characters)`};
  try {
    return {ok: true, value: JSON.parse(body) as Json};
  } catch (error) {
    return {ok: false, note: describeParseFailure(body, error)};
  }
}

function isInvocationRecord(v: unknown): v is JsonObject {
  if (!isObject(v)) return false;
  const context = v['requestContext'];
  if (!isObject(context)) return false;
  return (
    has(v, 'requestPayload') ||
    has(v, 'responseContext') ||
    has(v, 'responsePayload') ||
    has(context, 'condition') ||
    has(context, 'approximateInvokeCount')
  );
}

const LAMBDA_DLQ_ATTRIBUTES = ['RequestID', 'ErrorCode', 'ErrorMessage'];

function hasDlqAttributes(attributes: Record<string, MessageAttribute>): boolean {
  return LAMBDA_DLQ_ATTRIBUTES.some((name) => attribute(attributes, name) !== null);
}

/** An SNS notification as delivered to an SQS subscription without raw message delivery. */
interface SnsEnvelope {
  message: string;
  topicArn: string | null;
  attributes: Record<string, MessageAttribute>;
  time: number | null;
}

function snsEnvelope(v: unknown): SnsEnvelope | null {
  if (!isObject(v) || v['Type'] !== 'Notification' || typeof v['Message'] !== 'string') return null;
  const attributes: Record<string, MessageAttribute> = {};
  const raw = v['MessageAttributes'];
  if (isObject(raw)) {
    for (const [name, a] of Object.entries(raw)) {
      if (!isObject(a)) continue;
      const dataType = str(a['Type']) ?? 'String';
      const value = str(a['Value']);
      if (value === null) continue;
      attributes[name] = dataType.startsWith('Binary') ? {dataType, binaryValue: value} : {dataType, stringValue: value};
    }
  }
  return {message: v['Message'], topicArn: str(v['TopicArn']), attributes, time: time(v['Timestamp'])};
}

/** An EventBridge event carrying a destination invocation record in `detail`. */
function isEventBridgeRecord(v: unknown): v is JsonObject {
  return isObject(v) && typeof v['detail-type'] === 'string' && v['detail-type'].startsWith('Lambda Function Invocation Result') && isInvocationRecord(v['detail']);
}

function emptyEvent(message: RawMessage, source: QueueRole, queueUrl: string, body: string): FailedEvent {
  const receiveCount = num(message.receiveCount);
  const sentAt = num(message.sentAt);
  return {
    shape: 'unparsed',
    source,
    queueUrl: typeof queueUrl === 'string' ? queueUrl : '',
    messageId: typeof message.messageId === 'string' ? message.messageId : '',
    receiptHandle: typeof message.receiptHandle === 'string' ? message.receiptHandle : '',
    time: sentAt,
    requestId: null,
    functionArn: null,
    condition: null,
    attempts: null,
    errorType: null,
    errorMessage: null,
    stackTrace: [],
    errorCode: null,
    functionError: null,
    payload: null,
    sizeBytes: utf8ByteLength(body),
    receiveCount,
    sentAt,
    messageAttributes: isObject(message.messageAttributes) ? (message.messageAttributes as Record<string, MessageAttribute>) : {},
    note: null,
    body,
  };
}

function fromRecord(base: FailedEvent, record: JsonObject, recordText: string | null, recordPath: string[], note: string | null): FailedEvent {
  const context = isObject(record['requestContext']) ? record['requestContext'] : {};
  const response = isObject(record['responseContext']) ? record['responseContext'] : null;
  const condition = str(context['condition']);
  let payload: string | null = null;
  let payloadNote: string | null = null;
  if (has(record, 'requestPayload')) {
    payload = recordText !== null ? rawAtPath(recordText, [...recordPath, 'requestPayload']) : null;
    if (payload === null) payload = JSON.stringify(record['requestPayload']) ?? null;
  } else {
    payloadNote = 'the record has no requestPayload: the original event cannot be recovered';
  }
  let parts: ErrorParts | null = null;
  if (has(record, 'responsePayload') && condition !== 'Success') parts = errorParts(record['responsePayload']);
  if (parts) parts = withTimeoutType(parts);
  const notes = [note, payloadNote].filter((x): x is string => x !== null);
  return {
    ...base,
    shape: 'invocation-record',
    time: time(record['timestamp']) ?? base.time,
    requestId: str(context['requestId']),
    functionArn: str(context['functionArn']),
    condition,
    attempts: num(context['approximateInvokeCount']),
    errorType: parts?.errorType ?? null,
    errorMessage: parts?.errorMessage ?? null,
    stackTrace: parts?.stackTrace ?? [],
    errorCode: response ? num(response['statusCode']) : null,
    functionError: response ? str(response['functionError']) : null,
    payload,
    note: notes.length > 0 ? notes.join('; ') : null,
  };
}

function dlqErrorFields(attributes: Record<string, MessageAttribute>): Pick<FailedEvent, 'requestId' | 'errorCode' | 'errorType' | 'errorMessage' | 'stackTrace'> {
  const requestId = attribute(attributes, 'RequestID')?.stringValue ?? null;
  const errorCode = num(attribute(attributes, 'ErrorCode')?.stringValue);
  const rawMessage = attribute(attributes, 'ErrorMessage')?.stringValue ?? null;
  let parts: ErrorParts = {errorType: null, errorMessage: rawMessage, stackTrace: []};
  if (rawMessage !== null) parts = withTimeoutType(errorParts(rawMessage) ?? parts);
  return {requestId, errorCode, ...parts};
}

function fromDlq(base: FailedEvent, payloadText: string, parsed: Parsed, attributes: Record<string, MessageAttribute>, via: string | null): FailedEvent {
  const fields = dlqErrorFields(attributes);
  const notes: string[] = [];
  if (via) notes.push(via);
  if (!hasDlqAttributes(attributes)) notes.push('no Lambda error attributes (RequestID, ErrorCode, ErrorMessage) on this message');
  let shape: FailedEventShape = 'dlq-message';
  let payload: string | null = payloadText;
  if (!parsed.ok) {
    shape = 'unparsed';
    payload = null;
    notes.push(`${parsed.note}: cannot be re-invoked as is`);
  }
  // `base` is this parse's own object (emptyEvent, or its copy with the SNS time): filled in place, not copied.
  Object.assign(base, fields);
  base.shape = shape;
  base.payload = payload;
  base.note = notes.length > 0 ? notes.join('; ') : null;
  return base;
}

function fromSource(base: FailedEvent, message: RawMessage): FailedEvent {
  const attributes = isObject(message.attributes) ? (message.attributes as Record<string, string>) : {};
  const sourceArn = typeof attributes['DeadLetterQueueSourceArn'] === 'string' ? attributes['DeadLetterQueueSourceArn'] : null;
  const notes: string[] = [];
  if (sourceArn) notes.push(`moved here from ${sourceArn}`);
  if (base.receiveCount !== null) notes.push(`received ${base.receiveCount} time${base.receiveCount === 1 ? '' : 's'}`);
  return {
    ...base,
    shape: 'source-message',
    payload: base.body,
    attempts: base.receiveCount,
    note: notes.length > 0 ? notes.join('; ') : null,
  };
}

function parseInner(message: RawMessage, source: QueueRole, queueUrl: string): FailedEvent {
  const body = typeof message.body === 'string' ? message.body : message.body == null ? '' : String(message.body);
  const base = emptyEvent(message, source, queueUrl, body);

  if (source === 'source' || source === 'source-dlq') return fromSource(base, message);

  const parsed = parseBody(body);
  const attributes = base.messageAttributes;

  if (parsed.ok) {
    const value = parsed.value;
    const dlqAttributes = hasDlqAttributes(attributes);
    // A DLQ message whose original event happens to look like a record is still a DLQ message.
    if (isInvocationRecord(value) && !(source === 'dlq' && dlqAttributes)) return fromRecord(base, value, body, [], null);
    if (isEventBridgeRecord(value)) {
      return fromRecord(base, value['detail'] as JsonObject, body, ['detail'], `EventBridge event: ${String(value['detail-type'])}`);
    }
    const sns = snsEnvelope(value);
    if (sns) {
      const via = `delivered through SNS${sns.topicArn ? ` topic ${sns.topicArn}` : ''}`;
      const inner = parseBody(sns.message);
      const withTime = {...base, time: sns.time ?? base.time};
      if (inner.ok && isInvocationRecord(inner.value) && !hasDlqAttributes(sns.attributes)) {
        return fromRecord(withTime, inner.value, sns.message, [], via);
      }
      if (source === 'dlq' || hasDlqAttributes(sns.attributes)) return fromDlq(withTime, sns.message, inner, sns.attributes, via);
      return {...withTime, note: `${via}; the message is not an invocation record`};
    }
    if (source === 'dlq' || dlqAttributes) return fromDlq(base, body, parsed, attributes, null);
    return {
      ...base,
      note: `not an invocation record (no requestContext)${source === 'on-success' || source === 'on-failure' ? ' in a destination queue' : ''}`,
    };
  }

  if (source === 'dlq' || hasDlqAttributes(attributes)) return fromDlq(base, body, parsed, attributes, null);
  return {...base, note: parsed.note};
}

/** A failed event from one queue message. Never throws. */
export function parseFailedEvent(message: RawMessage, source: QueueRole, queueUrl: string): FailedEvent {
  try {
    return parseInner(message ?? ({} as RawMessage), source, queueUrl);
  } catch (error) {
    // Last resort: whatever the message held, the operator still sees it (and nothing is replayed from it).
    let body = '';
    try {
      body = typeof message?.body === 'string' ? message.body : '';
    } catch {
      body = '';
    }
    const base = emptyEvent({} as RawMessage, source, '', body);
    let messageId = '';
    let receiptHandle = '';
    try {
      messageId = typeof message?.messageId === 'string' ? message.messageId : '';
      receiptHandle = typeof message?.receiptHandle === 'string' ? message.receiptHandle : '';
    } catch {
      // ignore
    }
    return {...base, queueUrl: typeof queueUrl === 'string' ? queueUrl : '', messageId, receiptHandle, note: `could not be parsed: ${error instanceof Error ? error.message : String(error)}`};
  }
}

/** A timeout, by type (Timeout, Sandbox.Timedout) or by Lambda's "Task timed out after N seconds" message. */
export function isTimeout(event: ListedEvent): boolean {
  const type = event.errorType?.toLowerCase() ?? '';
  if (type === 'timeout' || type === 'sandbox.timedout' || type.endsWith('.timedout')) return true;
  return event.errorMessage !== null && TIMEOUT_TEXT.test(event.errorMessage);
}

/** One line saying why it failed: the error message's first line (raw: sanitise before display). */
export function errorSummary(event: ListedEvent): string {
  const message = event.errorMessage;
  if (message !== null) {
    const first = firstLine(message);
    // Lambda's own messages lead with the request id ("RequestId: <id> Error: Task timed out after 10.00
    // seconds"): the list shows the request id in its own column, so the summary starts where the words do.
    const words = first?.trim().replace(/^RequestId:\s*\S+\s+(?:Error:\s*)?(?=\S)/, '');
    if (words !== undefined) return cutSummary(words);
  }
  if (event.errorType !== null) return cutSummary(event.errorType);
  if (event.condition !== null && event.condition !== 'Success') return cutSummary(event.condition);
  if (event.shape === 'source-message') return event.receiveCount !== null ? `received ${event.receiveCount} times, no error details in an SQS message` : 'no error details in an SQS message';
  if (event.shape === 'unparsed' && event.note) return cutSummary(event.note);
  return '';
}

/** The first non-blank line of an error message, within its first SUMMARY_MAX * 4 characters. */
function firstLine(message: string): string | undefined {
  const head = message.length > SUMMARY_MAX * 4 ? message.slice(0, SUMMARY_MAX * 4) : message;
  return head.split(/\r?\n|\r/).find((line) => line.trim() !== '');
}

/**
 * What the list keeps of an event: every field but the body, payload, stack and attributes, with the error
 * message cut after its first line (so errorSummary, the sort and the list read the same). A fresh object that
 * shares no large string with the event (a slice could keep the whole body alive).
 */
export function listedEvent(event: FailedEvent): ListedEvent {
  const {body: _body, payload: _payload, stackTrace: _stack, messageAttributes: _attributes, ...rest} = event;
  const message = event.errorMessage;
  let errorMessage = message;
  if (message !== null) {
    const first = firstLine(message);
    const end = first === undefined ? 0 : message.indexOf(first) + first.length;
    errorMessage = end >= message.length ? message : message.slice(0, end);
  }
  return {...rest, errorMessage: errorMessage === null ? null : unshare(errorMessage), note: rest.note === null ? null : unshare(rest.note)};
}

/** A copy of a string that holds no reference to the string it was cut from (V8 sliced strings do). */
const unshare = (text: string): string => (text.length < 13 ? text : Buffer.from(text, 'utf16le').toString('utf16le'));

function cutSummary(text: string): string {
  if (text.length <= SUMMARY_MAX) return text;
  let end = SUMMARY_MAX - 1;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}

export interface FailedEventFilter {
  /** Words that must all appear (case-insensitive) in the ids, error, condition, note or payload. */
  text?: string;
  /** Exact error type (case-insensitive); 'Timeout' also matches every timeout (see isTimeout). */
  errorType?: string;
  /** Failed at or after (epoch ms); events with an unknown time do not match. */
  since?: number;
  /** Failed before (epoch ms). */
  until?: number;
  source?: QueueRole;
}

/** Whether the event passes the filter. A plain string is a text filter. */
export function failedEventMatches(event: ListedEvent | FailedEvent, filter: FailedEventFilter | string): boolean {
  const f: FailedEventFilter = typeof filter === 'string' ? {text: filter} : (filter ?? {});
  if (f.source !== undefined && event.source !== f.source) return false;
  if (f.errorType !== undefined && f.errorType !== '') {
    const wanted = f.errorType.toLowerCase();
    const matchesType = (event.errorType ?? '').toLowerCase() === wanted || (wanted === 'timeout' && isTimeout(event));
    if (!matchesType) return false;
  }
  if (f.since !== undefined || f.until !== undefined) {
    const t = event.time ?? event.sentAt;
    if (t === null) return false;
    if (f.since !== undefined && t < f.since) return false;
    if (f.until !== undefined && t >= f.until) return false;
  }
  const words = filterWords(f.text ?? '');
  if (words.length === 0) return true;
  return haystackMatches(searchHaystack(event), words);
}

/** The words of a filter text, lower-cased: each must appear in an event's haystack. */
export function filterWords(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter((w) => w !== '');
}

/** The lower-cased text a filter searches: ids, error, condition, note, and for a full event its payload (or
 * body). A listed event's haystack is a part of its full event's (the listed error message is its first line). */
export function searchHaystack(event: ListedEvent | FailedEvent): string {
  const fields = [event.messageId, event.requestId, event.errorType, event.errorMessage, event.condition, event.functionArn,
    event.functionError, event.errorCode === null ? null : String(event.errorCode), event.note, 'body' in event ? (event.payload ?? event.body) : null];
  return fields.filter((x): x is string => typeof x === 'string').join('\n').toLowerCase();
}

export function haystackMatches(haystack: string, words: readonly string[]): boolean {
  for (const word of words) if (!haystack.includes(word)) return false;
  return true;
}
