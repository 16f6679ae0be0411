// The demo simulator's in-memory SQS, on a virtual clock (ports.ts: SqsEngine).
//
// Every message is in exactly one state: delayed, visible, in flight, or gone. Each state that changes
// with time has a lazy min-heap keyed by the time it ends, so advancing the clock costs O(due work), never
// O(all messages); receive pops visible messages from an ordered heap (no scan of the queue). A retention
// heap ordered by enqueue time removes expired messages silently.
//
// Follows the AWS documentation where emulators differ (see test/contract/sqs-contract.test.ts):
// - a message that was received maxReceiveCount times moves to the dead-letter queue on the next receive
//   attempt, keeping its MessageId, SentTimestamp (retention counts from the original enqueue) and
//   ApproximateReceiveCount, and gains the system attribute DeadLetterQueueSourceArn;
// - DeleteMessage with an older receipt handle (the message was received again since) succeeds without
//   deleting ("the request will succeed, but the message might not be deleted"); ChangeMessageVisibility
//   with an older handle fails (InvalidParameterValue, "The receipt handle has expired");
// - MD5OfMessageAttributes on receive covers the attributes returned by that receive;
// - message move tasks (StartMessageMoveTask) move at the asked rate in virtual time, back to each
//   message's DeadLetterQueueSourceArn (new MessageIds), and FAIL on a message with no SQS source.
import {createHash, randomFillSync, randomUUID} from 'node:crypto';
import type {SimClock, SqsAttributeValue, SqsEngine, SqsMessageView, SqsSendInput} from '../ports.ts';
import {sqsError} from './errors.ts';
import {LazyHeap, type HeapEntry} from './heap.ts';
import {isBinaryType, md5Hex, md5OfMessageAttributes} from './md5.ts';

export const SQS_LIMITS = {
  maxBatchEntries: 10,
  /** total payload of a SendMessageBatch, and the largest MaximumMessageSize */
  maxBatchBytes: 1_048_576,
  maxMessageAttributes: 10,
  maxReceiveMessages: 10,
  maxVisibilityTimeout: 43_200,
  maxDelaySeconds: 900,
  maxWaitTimeSeconds: 20,
  maxMoveRate: 500,
  /** rate used when StartMessageMoveTask omits MaxNumberOfMessagesPerSecond ("the system chooses") */
  defaultMoveRate: 500,
  fifoDeduplicationWindowMs: 300_000,
  purgeIntervalMs: 60_000,
} as const;

type MessageState = 'delayed' | 'visible' | 'inflight' | 'gone';

interface StoredMessage {
  id: string;
  body: string;
  /** MD5 of the body, computed when first read (bodyMd5): most messages the model sends are never received */
  md5OfBody?: string;
  attributes: Record<string, SqsAttributeValue>;
  /** MD5OfMessageAttributes of all its attributes (what a receive asking for All returns), computed when first
   * read (attributesMd5); null: it has none */
  md5OfAttributes?: string | null;
  size: number;
  /** virtual epoch ms of the original enqueue (kept when moved to a DLQ by a redrive policy) */
  sentAt: number;
  /** virtual epoch ms it entered THIS queue (a redrive-policy move resets it; ApproximateAgeOfOldestMessage counts from it) */
  enqueuedAt: number;
  senderId: string;
  receiveCount: number;
  firstReceiveAt?: number;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
  state: MessageState;
  /** end of the delay or of the visibility timeout (virtual ms) */
  until: number;
  /** bumps on every state change: invalidates older heap entries */
  version: number;
  /** enqueue order within its queue */
  seq: number;
  /** nonce of the latest receipt handle */
  receipt?: string;
  /** the latest receipt handle (key in its queue's `handles`) */
  handle?: string;
}

interface Queue {
  name: string;
  arn: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  messages: Map<string, StoredMessage>;
  /** current receipt handle -> its message, for every message of this queue received at least once: deletes and
   * visibility changes with a current handle skip decoding it (other handles take the decoding path) */
  handles: Map<string, StoredMessage>;
  visible: LazyHeap<StoredMessage>;
  delayed: LazyHeap<StoredMessage>;
  inflight: LazyHeap<StoredMessage>;
  retention: LazyHeap<StoredMessage>;
  counts: {visible: number; inflight: number; delayed: number};
  /** FIFO: in-flight messages per group (a group with one in flight is locked) */
  groupsInFlight: Map<string, number>;
  /** FIFO: deduplication id -> {messageId, expiresAt} */
  dedup: Map<string, {messageId: string; sequenceNumber: string; expiresAt: number}>;
  lastPurgeAt?: number;
  nextSeq: number;
  /** The newest enqueuedAt, and whether every message was enqueued at or after the one before (the model's clock
   * only moves on): then `messages`, in insertion order, is in enqueuedAt order too (see oldestAgeTimestamp). */
  lastEnqueuedAt: number;
  enqueuedInOrder: boolean;
  /** RedrivePolicy parsed once per value (receive needs it on every call) */
  redrive?: {policy: string; deadLetterTargetArn: string; maxReceiveCount: number};
}

export interface MoveTaskView {
  TaskHandle?: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  FailureReason?: string;
  StartedTimestamp: number;
}

interface MoveTask {
  handle: string;
  sourceArn: string;
  destinationArn?: string;
  rate?: number;
  status: MoveTaskView['Status'];
  moved: number;
  toMove: number;
  failureReason?: string;
  startedAt: number;
}

export interface BatchResultError {
  Id: string;
  Code: string;
  SenderFault: boolean;
  Message: string;
}

export interface SendBatchEntry extends SqsSendInput {
  id: string;
  /** an entry the caller already found invalid (e.g. a wire-level DelaySeconds out of range): reported in Failed */
  rejected?: Error;
}

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  sequenceNumber?: string;
}

/** A state snapshot of one message, for tests and the Lambda model (changes nothing). */
export interface PeekedMessage {
  messageId: string;
  body: string;
  messageAttributes: Record<string, SqsAttributeValue>;
  state: Exclude<MessageState, 'gone'>;
  receiveCount: number;
  sentTimestamp: number;
  deadLetterQueueSourceArn?: string;
  messageGroupId?: string;
}

export interface ReceiveOptions {
  maxNumberOfMessages?: number;
  /** virtual seconds; undefined = the queue's VisibilityTimeout */
  visibilityTimeoutSeconds?: number;
  attributeNames?: string[];
  messageAttributeNames?: string[];
}

/** The engine with the rest of the SQS API the wire handler serves. */
export interface SimSqs extends SqsEngine {
  readonly region: string;
  readonly accountId: string;
  createQueue(name: string, attributes?: Record<string, string>, tags?: Record<string, string>): {url: string; arn: string};
  deleteQueue(url: string): void;
  /** GetQueueUrl: throws QueueDoesNotExist when missing or owned by another account. */
  getQueueUrl(name: string, ownerAccountId?: string): string;
  send(url: string, input: SqsSendInput): SendResult;
  sendBatch(url: string, entries: SendBatchEntry[]): {successful: Array<SendResult & {id: string}>; failed: BatchResultError[]};
  receive(url: string, options: ReceiveOptions): SqsMessageView[];
  deleteBatch(url: string, entries: Array<{id: string; receiptHandle: string}>): {successful: string[]; failed: BatchResultError[]};
  changeVisibilityBatch(url: string, entries: Array<{id: string; receiptHandle: string; visibilityTimeoutSeconds: number}>): {successful: string[]; failed: BatchResultError[]};
  tagQueue(url: string, tags: Record<string, string>): void;
  untagQueue(url: string, keys: string[]): void;
  listQueueTags(url: string): Record<string, string>;
  startMoveTask(input: {sourceArn: string; destinationArn?: string; maxNumberOfMessagesPerSecond?: number}): {taskHandle: string};
  /** Most recent first; maxResults 1..10 (default 1, as AWS). */
  listMoveTasks(sourceArn: string, maxResults?: number): MoveTaskView[];
  cancelMoveTask(taskHandle: string): {approximateNumberOfMessagesMoved: number};
  /** Message counts by state, after applying due work. */
  stats(url: string): {visible: number; inflight: number; delayed: number; total: number};
  /** Every message with its state, oldest enqueue first (O(n): tests and small queues only). */
  peekAll(url: string): PeekedMessage[];
  /** SentTimestamp of the oldest message in the queue, whatever its state (delayed, visible or in flight), after
   * applying due work; null when the queue is empty. The top of the retention heap: O(log n) amortised. */
  oldestSentTimestamp(url: string): number | null;
  /** What AWS/SQS ApproximateAgeOfOldestMessage counts from: the earliest time a message still in the queue
   * entered THIS queue (a move to a DLQ restarts it), leaving out messages received more than 3 times
   * (reference section 4); null when no message counts. A scan: called once a virtual minute. */
  oldestAgeTimestamp(url: string): number | null;
}

/** ApproximateAgeOfOldestMessage leaves out messages received more than this many times (reference section 4). */
export const AGE_METRIC_MAX_RECEIVES = 3;

/** A message's MD5OfBody, computed the first time it is read. */
function bodyMd5(m: StoredMessage): string {
  return (m.md5OfBody ??= md5Hex(m.body));
}

/** A message's MD5OfMessageAttributes over all its attributes (undefined: none), computed the first time it is read. */
function attributesMd5(m: StoredMessage): string | undefined {
  if (m.md5OfAttributes === undefined) m.md5OfAttributes = md5OfMessageAttributes(m.attributes) ?? null;
  return m.md5OfAttributes ?? undefined;
}

/** A random (version 4) UUID as one flat string, as crypto.randomUUID() gives (it is one). Node builds randomUUID()'s
 * by concatenating hex pieces, a tree of some fifteen string pieces (about 490 bytes, against 67 flat), and the
 * engine keeps one per message for its lifetime (a demo DLQ holds thousands); a Latin-1 round trip of it made it
 * flat at the cost of a Buffer and a string more per id. Here its 36 characters are written into one scratch
 * buffer from a pool of random bytes and read once (the DLQ sends of the demo's incident: 5 % of the model's time
 * in a CPU profile, against about 1 % now). */
export function flatUuid(): string {
  if (uuidPoolAt + 16 > UUID_POOL.length) {
    randomFillSync(UUID_POOL);
    uuidPoolAt = 0;
  }
  const pool = UUID_POOL;
  const at = uuidPoolAt;
  uuidPoolAt += 16;
  const out = UUID_SCRATCH;
  let k = 0;
  for (let i = 0; i < 16; i++) {
    let b = pool[at + i]!;
    if (i === 6) b = (b & 0x0f) | 0x40; // version 4
    else if (i === 8) b = (b & 0x3f) | 0x80; // variant 10xx
    out[k++] = HEX_CODES[b >>> 4]!;
    out[k++] = HEX_CODES[b & 15]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) out[k++] = 45; // '-'
  }
  return out.toString('latin1', 0, 36);
}

const UUID_POOL = Buffer.alloc(16 * 256);
let uuidPoolAt = UUID_POOL.length;
const UUID_SCRATCH = Buffer.alloc(36);
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

const DEFAULTS: Record<string, string> = {
  VisibilityTimeout: '30',
  MessageRetentionPeriod: '345600',
  MaximumMessageSize: '1048576',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
  SqsManagedSseEnabled: 'true',
};

const INTEGER_RANGES: Record<string, [number, number]> = {
  VisibilityTimeout: [0, 43_200],
  MessageRetentionPeriod: [60, 1_209_600],
  MaximumMessageSize: [1024, 1_048_576],
  DelaySeconds: [0, 900],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const SETTABLE = new Set([
  ...Object.keys(INTEGER_RANGES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

const COMPUTED = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

const READABLE = new Set([...SETTABLE, ...COMPUTED, 'FifoQueue']);

const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'MessageGroupId',
  'MessageDeduplicationId',
  'SequenceNumber',
  'DeadLetterQueueSourceArn',
];

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
// XML 1.0 characters SQS accepts in a body: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF
// (a lone surrogate is not a character: the `u` flag makes it fail the class).
const NUMBER_VALUE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INVALID_BODY_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function createSqsEngine(options: {clock: SimClock; region: string; accountId: string; baseUrl: () => string}): SimSqs {
  const {clock, region, accountId, baseUrl} = options;
  const queues = new Map<string, Queue>();
  const tasks = new Map<string, MoveTask[]>(); // by source ARN, most recent first
  let fifoSequence = 10_000_000_000_000_000_000n;

  const urlOf = (q: Queue) => `${baseUrl()}/${accountId}/${q.name}`;
  const arnOf = (name: string) => `arn:aws:sqs:${region}:${accountId}:${name}`;
  const noQueue = () => sqsError('QueueDoesNotExist', 'The specified queue does not exist.');

  // URL or ARN -> queue name (null: names no queue of this account). A pure function of the string, so the
  // answer is cached; whether the queue exists is checked on every lookup. Bounded: cleared when it grows large
  // (callers over the wire can send any number of distinct strings).
  const names = new Map<string, string | null>();
  const NAMES_CACHE_LIMIT = 4096;

  function lookup(urlOrArn: string): Queue {
    if (typeof urlOrArn !== 'string' || urlOrArn === '') throw noQueue();
    let name = names.get(urlOrArn);
    if (name === undefined) {
      name = parseQueueName(urlOrArn);
      if (names.size >= NAMES_CACHE_LIMIT) names.clear();
      names.set(urlOrArn, name);
    }
    const q = name === null ? undefined : queues.get(name);
    if (!q) throw noQueue();
    refresh(q);
    return q;
  }

  function parseQueueName(urlOrArn: string): string | null {
    let account: string | undefined;
    let name: string | undefined;
    if (urlOrArn.startsWith('arn:')) {
      const parts = urlOrArn.split(':');
      if (parts.length === 6 && parts[2] === 'sqs') {
        account = parts[4];
        name = parts[5];
      }
    } else {
      let path = urlOrArn;
      try {
        path = new URL(urlOrArn).pathname;
      } catch {
        // not absolute: treat as a path
      }
      const segments = path.split('/').filter((s) => s !== '');
      if (segments.length >= 2) {
        account = segments[segments.length - 2];
        name = segments[segments.length - 1];
      }
    }
    return account === accountId && name !== undefined ? name : null;
  }

  // ---- state transitions -------------------------------------------------------------------

  function newQueue(name: string, attributes: Record<string, string>, tags: Record<string, string>, fifo: boolean): Queue {
    const now = clock.now();
    const valid = (e: HeapEntry<StoredMessage>) => e.item.version === e.version;
    return {
      name,
      arn: arnOf(name),
      fifo,
      attributes,
      tags,
      createdAt: now,
      modifiedAt: now,
      messages: new Map(),
      handles: new Map(),
      visible: new LazyHeap(valid),
      delayed: new LazyHeap(valid),
      inflight: new LazyHeap(valid),
      // a message moved elsewhere is a new object there: this one is 'gone'
      retention: new LazyHeap((e) => e.item.state !== 'gone'),
      counts: {visible: 0, inflight: 0, delayed: 0},
      groupsInFlight: new Map(),
      dedup: new Map(),
      nextSeq: 0,
      lastEnqueuedAt: -Infinity,
      enqueuedInOrder: true,
    };
  }

  function leaveState(q: Queue, m: StoredMessage): void {
    if (m.state === 'visible') q.counts.visible--;
    else if (m.state === 'delayed') q.counts.delayed--;
    else if (m.state === 'inflight') {
      q.counts.inflight--;
      if (q.fifo && m.groupId !== undefined) {
        const n = (q.groupsInFlight.get(m.groupId) ?? 1) - 1;
        if (n <= 0) q.groupsInFlight.delete(m.groupId);
        else q.groupsInFlight.set(m.groupId, n);
      }
    }
    m.version++;
  }

  function makeVisible(q: Queue, m: StoredMessage, at: number): void {
    leaveState(q, m);
    m.state = 'visible';
    q.counts.visible++;
    // FIFO: strict enqueue order; standard: the order messages became available, then enqueue order
    q.visible.push({key: q.fifo ? 0 : at, seq: m.seq, item: m, version: m.version});
  }

  function makeInflight(q: Queue, m: StoredMessage, until: number): void {
    leaveState(q, m);
    m.state = 'inflight';
    m.until = until;
    q.counts.inflight++;
    if (q.fifo && m.groupId !== undefined) q.groupsInFlight.set(m.groupId, (q.groupsInFlight.get(m.groupId) ?? 0) + 1);
    q.inflight.push({key: until, seq: m.seq, item: m, version: m.version});
  }

  function remove(q: Queue, m: StoredMessage): void {
    leaveState(q, m);
    m.state = 'gone';
    q.messages.delete(m.id);
    if (m.handle !== undefined) q.handles.delete(m.handle);
    maybeCompact(q);
  }

  function maybeCompact(q: Queue): void {
    const limit = 2 * q.messages.size + 1024;
    if (q.visible.size > limit) q.visible.compact();
    if (q.delayed.size > limit) q.delayed.compact();
    if (q.inflight.size > limit) q.inflight.compact();
    if (q.retention.size > limit) q.retention.compact();
  }

  function enqueue(q: Queue, m: Omit<StoredMessage, 'state' | 'until' | 'version' | 'seq' | 'enqueuedAt'>, delayMs: number): StoredMessage {
    const now = clock.now();
    const stored: StoredMessage = {...m, enqueuedAt: now, state: 'gone', until: 0, version: 0, seq: q.nextSeq++};
    q.messages.set(stored.id, stored);
    if (now < q.lastEnqueuedAt) q.enqueuedInOrder = false;
    else q.lastEnqueuedAt = now;
    if (delayMs > 0) {
      stored.state = 'delayed';
      stored.until = now + delayMs;
      q.counts.delayed++;
      q.delayed.push({key: stored.until, seq: stored.seq, item: stored, version: stored.version});
    } else {
      stored.state = 'visible';
      q.counts.visible++;
      q.visible.push({key: q.fifo ? 0 : now, seq: stored.seq, item: stored, version: stored.version});
    }
    q.retention.push({key: stored.sentAt, seq: stored.seq, item: stored, version: -1});
    return stored;
  }

  /** Applies due work for one queue: delays and visibility timeouts that ended, retention expiry. */
  function refresh(q: Queue): void {
    const now = clock.now();
    for (let e = q.delayed.peek(); e && e.key <= now; e = q.delayed.peek()) {
      q.delayed.pop();
      makeVisible(q, e.item, e.key);
    }
    for (let e = q.inflight.peek(); e && e.key <= now; e = q.inflight.peek()) {
      q.inflight.pop();
      makeVisible(q, e.item, e.key);
    }
    const retentionMs = Number(q.attributes.MessageRetentionPeriod) * 1000;
    for (let e = q.retention.peek(); e && e.key + retentionMs <= now; e = q.retention.peek()) {
      q.retention.pop();
      remove(q, e.item);
    }
    if (q.fifo && q.dedup.size > 0) {
      for (const [id, entry] of q.dedup) {
        if (entry.expiresAt > now) break; // insertion order = expiry order
        q.dedup.delete(id);
      }
    }
  }

  // ---- attributes --------------------------------------------------------------------------

  function invalidValue(name: string, reason?: string) {
    return sqsError('InvalidAttributeValue', reason ? `Invalid value for the parameter ${name}. Reason: ${reason}` : `Invalid value for the parameter ${name}.`);
  }

  function queueByArn(arn: string): Queue | undefined {
    const parts = arn.split(':');
    if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || parts[3] !== region || parts[4] !== accountId) return undefined;
    return queues.get(parts[5]!);
  }

  /** Validates and normalises attributes; returns the values to store (an empty string removes). */
  function validateAttributes(attributes: Record<string, string>, fifo: boolean, self: string | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(attributes)) {
      if (!SETTABLE.has(name)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      const value = String(raw);
      const range = INTEGER_RANGES[name];
      if (range) {
        if (!/^\d+$/.test(value) || Number(value) < range[0] || Number(value) > range[1]) throw invalidValue(name);
        out[name] = String(Number(value));
      } else if (name === 'RedrivePolicy') {
        out[name] = value === '' ? '' : normaliseRedrivePolicy(value, fifo, self);
      } else if (name === 'RedriveAllowPolicy') {
        out[name] = value === '' ? '' : normaliseRedriveAllowPolicy(value);
      } else if (name === 'ContentBasedDeduplication' || name === 'DeduplicationScope' || name === 'FifoThroughputLimit') {
        if (!fifo) throw invalidValue(name, `Only FIFO queues support ${name}.`);
        const allowed = name === 'ContentBasedDeduplication' ? ['true', 'false'] : name === 'DeduplicationScope' ? ['messageGroup', 'queue'] : ['perQueue', 'perMessageGroupId'];
        if (!allowed.includes(value)) throw invalidValue(name);
        out[name] = value;
      } else if (name === 'SqsManagedSseEnabled') {
        if (value !== 'true' && value !== 'false') throw invalidValue(name);
        out[name] = value;
      } else {
        out[name] = value; // Policy, KmsMasterKeyId: stored as given
      }
    }
    return out;
  }

  function normaliseRedrivePolicy(value: string, fifo: boolean, self: string | undefined): string {
    const bad = (reason: string) => sqsError('InvalidParameterValue', `Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
    let policy: unknown;
    try {
      policy = JSON.parse(value);
    } catch {
      throw bad('Redrive policy is not a valid JSON map.');
    }
    if (!policy || typeof policy !== 'object' || Array.isArray(policy)) throw bad('Redrive policy is not a valid JSON map.');
    const {deadLetterTargetArn, maxReceiveCount, ...rest} = policy as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw bad(`Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`);
    if (typeof deadLetterTargetArn !== 'string') throw bad('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
    if (maxReceiveCount === undefined) throw bad('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
    const count = Number(maxReceiveCount);
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw bad('Invalid value for maxReceiveCount: ' + String(maxReceiveCount) + ', valid values are from 1 to 1000 both inclusive.');
    const dlq = queueByArn(deadLetterTargetArn);
    if (!dlq) throw bad('Dead letter target does not exist.');
    if (self !== undefined && dlq.name === self) throw bad('Dead-letter target cannot be the queue itself.');
    if (dlq.fifo !== fifo) throw bad(fifo ? 'Dead-letter queue must be same type of queue as the source.' : 'Dead-letter queue must be same type of queue as the source.');
    const allow = dlq.attributes.RedriveAllowPolicy;
    if (allow && self !== undefined) {
      const parsed = JSON.parse(allow) as {redrivePermission: string; sourceQueueArns?: string[]};
      const allowed = parsed.redrivePermission === 'allowAll' || (parsed.redrivePermission === 'byQueue' && (parsed.sourceQueueArns ?? []).includes(arnOf(self)));
      if (!allowed) throw bad('Dead-letter target does not allow this queue as a source (RedriveAllowPolicy).');
    }
    return JSON.stringify({deadLetterTargetArn, maxReceiveCount: count});
  }

  function normaliseRedriveAllowPolicy(value: string): string {
    const bad = (reason: string) => sqsError('InvalidParameterValue', `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: ${reason}`);
    let policy: unknown;
    try {
      policy = JSON.parse(value);
    } catch {
      throw bad('Redrive allow policy is not a valid JSON map.');
    }
    if (!policy || typeof policy !== 'object' || Array.isArray(policy)) throw bad('Redrive allow policy is not a valid JSON map.');
    const {redrivePermission, sourceQueueArns} = policy as Record<string, unknown>;
    if (redrivePermission !== 'allowAll' && redrivePermission !== 'denyAll' && redrivePermission !== 'byQueue') throw bad('Invalid value for redrivePermission: must be allowAll, denyAll or byQueue.');
    if (redrivePermission === 'byQueue') {
      if (!Array.isArray(sourceQueueArns) || sourceQueueArns.length < 1 || sourceQueueArns.length > 10 || !sourceQueueArns.every((a) => typeof a === 'string'))
        throw bad('sourceQueueArns must list 1 to 10 queue ARNs when redrivePermission is byQueue.');
      return JSON.stringify({redrivePermission, sourceQueueArns});
    }
    if (sourceQueueArns !== undefined) throw bad('sourceQueueArns is only allowed when redrivePermission is byQueue.');
    return JSON.stringify({redrivePermission});
  }

  function redriveOf(q: Queue): {dlq: Queue; maxReceiveCount: number} | undefined {
    const policy = q.attributes.RedrivePolicy;
    if (!policy) return undefined;
    let parsed = q.redrive;
    if (parsed?.policy !== policy) {
      const {deadLetterTargetArn, maxReceiveCount} = JSON.parse(policy) as {deadLetterTargetArn: string; maxReceiveCount: number};
      parsed = q.redrive = {policy, deadLetterTargetArn, maxReceiveCount};
    }
    const dlq = queueByArn(parsed.deadLetterTargetArn);
    return dlq ? {dlq, maxReceiveCount: parsed.maxReceiveCount} : undefined;
  }

  function readAttribute(q: Queue, name: string): string | undefined {
    switch (name) {
      case 'ApproximateNumberOfMessages':
        return String(q.counts.visible);
      case 'ApproximateNumberOfMessagesNotVisible':
        return String(q.counts.inflight);
      case 'ApproximateNumberOfMessagesDelayed':
        return String(q.counts.delayed);
      case 'CreatedTimestamp':
        return String(Math.floor(q.createdAt / 1000));
      case 'LastModifiedTimestamp':
        return String(Math.floor(q.modifiedAt / 1000));
      case 'QueueArn':
        return q.arn;
      case 'FifoQueue':
        return q.fifo ? 'true' : undefined;
      default: {
        const v = q.attributes[name];
        return v === undefined || v === '' ? undefined : v;
      }
    }
  }

  // ---- messages ----------------------------------------------------------------------------

  /** Attribute (name, type) pairs that passed validateMessageAttributes' name and type checks, with their bytes
   * (bounded: callers over the wire can send any number of names). */
  const validNameTypes = new Map<string, Map<string, number>>();
  const VALID_NAME_TYPES_LIMIT = 256;

  function validateMessageAttributes(attributes: Record<string, SqsAttributeValue> | undefined): number {
    if (!attributes) return 0;
    const names = Object.keys(attributes);
    if (names.length > SQS_LIMITS.maxMessageAttributes)
      throw sqsError('InvalidParameterValue', `Number of message attributes [${names.length}] exceeds the allowed maximum [${SQS_LIMITS.maxMessageAttributes}].`);
    let size = 0;
    for (const name of names) {
      const value = attributes[name]!;
      const type = value?.DataType;
      // a (name, type) pair seen valid before: its checks and its bytes are the same (the model sends the same three
      // with every DLQ message: these checks were 4 % of its time in the demo's incident)
      const known = typeof type === 'string' ? validNameTypes.get(name)?.get(type) : undefined;
      if (known !== undefined) {
        size += known + valueSize(name, type!, value);
        continue;
      }
      const lower = name.toLowerCase();
      if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || lower.startsWith('aws.') || lower.startsWith('amazon.'))
        throw sqsError('InvalidParameterValue', `Message (user) attribute name '${name}' is invalid.`);
      if (typeof type !== 'string' || type === '') throw sqsError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute type.`);
      const base = type.split('.')[0];
      if ((base !== 'String' && base !== 'Number' && base !== 'Binary') || type.length > 256 || (type.includes('.') && type.length === base.length + 1))
        throw sqsError('InvalidParameterValue', `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
      const nameTypeBytes = Buffer.byteLength(name, 'utf8') + Buffer.byteLength(type, 'utf8');
      size += valueSize(name, type, value) + nameTypeBytes;
      if (validNameTypes.size >= VALID_NAME_TYPES_LIMIT) validNameTypes.clear();
      let types = validNameTypes.get(name);
      if (!types) validNameTypes.set(name, (types = new Map()));
      types.set(type, nameTypeBytes);
    }
    return size;
  }

  /** The checks of an attribute's value and its bytes (its name and type are valid). */
  function valueSize(name: string, type: string, value: SqsAttributeValue): number {
    const base = type.split('.')[0];
    if (base === 'Binary') {
      if (value.BinaryValue === undefined || value.BinaryValue === '')
        throw sqsError('InvalidParameterValue', `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      return Buffer.byteLength(value.BinaryValue, 'base64');
    }
    if (value.StringValue === undefined || value.StringValue === '')
      throw sqsError('InvalidParameterValue', `The message attribute '${name}' with type '${base}' must use field 'String'.`);
    if (base === 'Number' && !NUMBER_VALUE.test(value.StringValue))
      throw sqsError('InvalidParameterValue', `Can't cast the value of message (user) attribute '${name}' to a number.`);
    if (INVALID_BODY_CHAR.test(value.StringValue)) throw sqsError('InvalidMessageContents', `Message (user) attribute '${name}' contains invalid characters.`);
    return Buffer.byteLength(value.StringValue, 'utf8');
  }

  function copyAttributes(attributes: Record<string, SqsAttributeValue> | undefined): Record<string, SqsAttributeValue> {
    const out: Record<string, SqsAttributeValue> = {};
    for (const [name, v] of Object.entries(attributes ?? {})) {
      out[name] = isBinaryType(v.DataType) ? {DataType: v.DataType, BinaryValue: v.BinaryValue} : {DataType: v.DataType, StringValue: v.StringValue};
    }
    return out;
  }

  function sendTo(q: Queue, input: SqsSendInput): SendResult {
    const body = input.body;
    if (typeof body !== 'string' || body === '') throw sqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    if (INVALID_BODY_CHAR.test(body))
      throw sqsError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
    const size = Buffer.byteLength(body, 'utf8') + validateMessageAttributes(input.messageAttributes);
    const max = Number(q.attributes.MaximumMessageSize);
    if (size > max) throw sqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
    if (input.delaySeconds !== undefined && (!Number.isFinite(input.delaySeconds) || input.delaySeconds < 0))
      throw sqsError('InvalidParameterValue', `Value ${input.delaySeconds} for parameter DelaySeconds is invalid.`);
    const now = clock.now();
    let groupId: string | undefined;
    let deduplicationId: string | undefined;
    let sequenceNumber: string | undefined;
    if (q.fifo) {
      if (input.delaySeconds !== undefined && input.delaySeconds !== 0)
        throw sqsError('InvalidParameterValue', `Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
      if (!input.messageGroupId) throw sqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      groupId = input.messageGroupId;
      deduplicationId = input.messageDeduplicationId;
      if (!deduplicationId) {
        if (q.attributes.ContentBasedDeduplication !== 'true')
          throw sqsError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
        deduplicationId = createHash('sha256').update(body, 'utf8').digest('hex');
      }
      const scopeKey = q.attributes.DeduplicationScope === 'messageGroup' ? `${groupId}\u0000${deduplicationId}` : deduplicationId;
      const seen = q.dedup.get(scopeKey);
      if (seen && seen.expiresAt > now) {
        const md5Attrs = md5OfMessageAttributes(input.messageAttributes);
        return {messageId: seen.messageId, md5OfBody: md5Hex(body), ...(md5Attrs ? {md5OfMessageAttributes: md5Attrs} : {}), sequenceNumber: seen.sequenceNumber};
      }
      fifoSequence += 1n;
      sequenceNumber = fifoSequence.toString();
      const messageId = flatUuid();
      q.dedup.delete(scopeKey);
      q.dedup.set(scopeKey, {messageId, sequenceNumber, expiresAt: now + SQS_LIMITS.fifoDeduplicationWindowMs});
      return store(messageId);
    } else if (input.messageDeduplicationId !== undefined) {
      throw sqsError('InvalidParameterValue', 'The request include parameter MessageDeduplicationId which is not valid for this queue type');
    } else {
      groupId = input.messageGroupId; // standard queues accept a group id (fair queues)
      return store(flatUuid());
    }

    function store(messageId: string): SendResult {
      const attributes = copyAttributes(input.messageAttributes);
      const delay = q.fifo ? Number(q.attributes.DelaySeconds) : (input.delaySeconds ?? Number(q.attributes.DelaySeconds));
      const m = enqueue(
        q,
        {
          id: messageId,
          body,
          attributes,
          size,
          sentAt: now,
          senderId: accountId,
          receiveCount: 0,
          ...(groupId !== undefined ? {groupId} : {}),
          ...(deduplicationId !== undefined ? {deduplicationId} : {}),
          ...(sequenceNumber !== undefined ? {sequenceNumber} : {}),
        },
        delay * 1000,
      );
      return sendResult(m, sequenceNumber);
    }
  }

  /** What a send answers; its digests are computed if something reads them (the wire; the model does not). */
  function sendResult(m: StoredMessage, sequenceNumber: string | undefined): SendResult {
    const r: SendResult = {
      messageId: m.id,
      get md5OfBody() {
        return bodyMd5(m);
      },
      get md5OfMessageAttributes() {
        return attributesMd5(m);
      },
    };
    if (sequenceNumber) r.sequenceNumber = sequenceNumber;
    return r;
  }

  function moveToDeadLetterQueue(q: Queue, m: StoredMessage, dlq: Queue): void {
    remove(q, m);
    refresh(dlq);
    enqueue(
      dlq,
      {
        id: m.id,
        body: m.body,
        md5OfBody: m.md5OfBody,
        attributes: m.attributes,
        md5OfAttributes: m.md5OfAttributes,
        size: m.size,
        // AWS: for standard queues the enqueue timestamp is unchanged by the move; FIFO resets it
        sentAt: dlq.fifo ? clock.now() : m.sentAt,
        senderId: m.senderId,
        receiveCount: m.receiveCount,
        ...(m.firstReceiveAt !== undefined ? {firstReceiveAt: m.firstReceiveAt} : {}),
        ...(m.groupId !== undefined ? {groupId: m.groupId} : {}),
        ...(m.deduplicationId !== undefined ? {deduplicationId: m.deduplicationId} : {}),
        ...(m.sequenceNumber !== undefined ? {sequenceNumber: m.sequenceNumber} : {}),
        deadLetterSourceArn: q.arn,
      },
      0,
    );
  }

  /** The message attributes a receive asked for, and whether that is all of them. */
  function selectMessageAttributes(m: StoredMessage, requested: string[] | undefined): {selected: Record<string, SqsAttributeValue>; everything: boolean} {
    const out: Record<string, SqsAttributeValue> = {};
    let total = 0;
    let taken = 0;
    if (requested && requested.length > 0) {
      const all = requested.includes('All') || requested.includes('.*');
      const prefixes = all ? [] : requested.filter((r) => r.endsWith('.*')).map((r) => r.slice(0, -1));
      for (const name in m.attributes) {
        total++;
        if (all || requested.includes(name) || prefixes.some((p) => name.startsWith(p))) {
          out[name] = {...m.attributes[name]!};
          taken++;
        }
      }
    } else {
      for (const _ in m.attributes) total++;
    }
    return {selected: out, everything: taken === total};
  }

  function view(q: Queue, m: StoredMessage, options: ReceiveOptions): SqsMessageView {
    const names = options.attributeNames;
    const attributes: Record<string, string> = {};
    if (names && names.length > 0) {
      const all = names.includes('All');
      const want = (name: string) => all || names.includes(name);
      if (want('SenderId')) attributes.SenderId = m.senderId;
      if (want('SentTimestamp')) attributes.SentTimestamp = String(m.sentAt);
      if (want('ApproximateReceiveCount')) attributes.ApproximateReceiveCount = String(m.receiveCount);
      if (m.firstReceiveAt !== undefined && want('ApproximateFirstReceiveTimestamp')) attributes.ApproximateFirstReceiveTimestamp = String(m.firstReceiveAt);
      if (m.groupId !== undefined && want('MessageGroupId')) attributes.MessageGroupId = m.groupId;
      if (m.deduplicationId !== undefined && want('MessageDeduplicationId')) attributes.MessageDeduplicationId = m.deduplicationId;
      if (m.sequenceNumber !== undefined && want('SequenceNumber')) attributes.SequenceNumber = m.sequenceNumber;
      if (m.deadLetterSourceArn !== undefined && want('DeadLetterQueueSourceArn')) attributes.DeadLetterQueueSourceArn = m.deadLetterSourceArn;
    }
    const {selected: messageAttributes, everything} = selectMessageAttributes(m, options.messageAttributeNames);
    // MD5OfMessageAttributes covers the attributes returned; when that is all of them, it was computed at send
    const md5Attrs = everything ? attributesMd5(m) : md5OfMessageAttributes(messageAttributes);
    return {
      MessageId: m.id,
      ReceiptHandle: m.handle ?? receiptHandle(q, m),
      Body: m.body,
      MD5OfBody: bodyMd5(m),
      ...(md5Attrs ? {MD5OfMessageAttributes: md5Attrs} : {}),
      Attributes: attributes,
      MessageAttributes: messageAttributes,
    };
  }

  // A receipt handle names the queue, the message and one receive: base64url("<queue>\n<id>\n<nonce>").
  function receiptHandle(q: Queue, m: StoredMessage): string {
    return Buffer.from(`${q.name}\n${m.id}\n${m.receipt}`, 'utf8').toString('base64url');
  }

  function parseHandle(q: Queue, handle: string): {message?: StoredMessage; current: boolean} {
    if (typeof handle !== 'string' || handle === '') throw sqsError('MissingParameter', 'The request must contain the parameter ReceiptHandle.');
    const known = q.handles.get(handle);
    if (known) return {message: known, current: true};
    const parts = /^[A-Za-z0-9_-]+$/.test(handle) ? Buffer.from(handle, 'base64url').toString('utf8').split('\n') : [];
    if (parts.length !== 3 || parts[0] !== q.name) throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
    const message = q.messages.get(parts[1]!);
    return message ? {message, current: message.receipt === parts[2]} : {current: false};
  }

  function receiveFrom(q: Queue, options: ReceiveOptions): SqsMessageView[] {
    const max = options.maxNumberOfMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > SQS_LIMITS.maxReceiveMessages)
      throw sqsError('InvalidParameterValue', `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    const visibilityS = options.visibilityTimeoutSeconds ?? Number(q.attributes.VisibilityTimeout);
    if (!Number.isFinite(visibilityS) || visibilityS < 0) throw sqsError('InvalidParameterValue', `Value ${visibilityS} for parameter VisibilityTimeout is invalid.`);
    const now = clock.now();
    const redrive = redriveOf(q);
    const result: SqsMessageView[] = [];
    const skipped: Array<HeapEntry<StoredMessage>> = [];
    const groupsTaken = new Set<string>();
    while (result.length < max) {
      const e = q.visible.pop();
      if (!e) break;
      const m = e.item;
      if (q.fifo && m.groupId !== undefined && q.groupsInFlight.has(m.groupId) && !groupsTaken.has(m.groupId)) {
        skipped.push(e); // the group is locked by a message in flight
        continue;
      }
      if (redrive && m.receiveCount >= redrive.maxReceiveCount) {
        moveToDeadLetterQueue(q, m, redrive.dlq);
        continue;
      }
      m.receiveCount++;
      m.firstReceiveAt ??= now;
      m.receipt = flatUuid();
      if (m.handle !== undefined) q.handles.delete(m.handle);
      m.handle = receiptHandle(q, m);
      q.handles.set(m.handle, m);
      makeInflight(q, m, now + visibilityS * 1000);
      if (m.groupId !== undefined) groupsTaken.add(m.groupId);
      result.push(view(q, m, options));
    }
    for (const e of skipped) q.visible.push(e);
    return result;
  }

  function deleteIn(q: Queue, handle: string): void {
    const {message, current} = parseHandle(q, handle);
    // Already deleted: succeeds. An older handle (received again since): succeeds without deleting (AWS docs).
    if (message && current) remove(q, message);
  }

  function changeVisibilityIn(q: Queue, handle: string, seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw sqsError('InvalidParameterValue', `Value for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and ${SQS_LIMITS.maxVisibilityTimeout}.`);
    const {message, current} = parseHandle(q, handle);
    if (!message || !current)
      throw sqsError('InvalidParameterValue', `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
    if (message.state !== 'inflight') throw sqsError('MessageNotInflight', 'Message is not in flight.');
    makeInflight(q, message, clock.now() + seconds * 1000);
    if (seconds === 0) refresh(q);
  }

  // ---- batches -----------------------------------------------------------------------------

  function checkBatch(entries: Array<{id: string}>, action: string): void {
    if (!Array.isArray(entries) || entries.length === 0)
      throw sqsError('EmptyBatchRequest', `There should be at least one ${action}RequestEntry in the request.`);
    if (entries.length > SQS_LIMITS.maxBatchEntries)
      throw sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${SQS_LIMITS.maxBatchEntries}. You have sent ${entries.length}.`);
    const seen = new Set<string>();
    for (const entry of entries) {
      if (typeof entry.id !== 'string' || !BATCH_ID.test(entry.id))
        throw sqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
      if (seen.has(entry.id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${entry.id} repeated.`);
      seen.add(entry.id);
    }
  }

  function entryFailure(id: string, error: unknown): BatchResultError {
    if (error instanceof Error && 'code' in error && typeof (error as {code: unknown}).code === 'string') {
      const e = error as Error & {code: string; status?: number};
      return {Id: id, Code: e.code, SenderFault: (e.status ?? 400) < 500, Message: e.message};
    }
    return {Id: id, Code: 'InternalError', SenderFault: false, Message: String(error)};
  }

  // ---- move tasks --------------------------------------------------------------------------

  function encodeHandle(task: {id: string; sourceArn: string}): string {
    return Buffer.from(JSON.stringify({taskId: task.id, sourceArn: task.sourceArn}), 'utf8').toString('base64');
  }

  function findTask(handle: string): MoveTask | undefined {
    let sourceArn: unknown;
    try {
      sourceArn = (JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as {sourceArn?: unknown}).sourceArn;
    } catch {
      return undefined;
    }
    if (typeof sourceArn !== 'string') return undefined;
    return tasks.get(sourceArn)?.find((t) => t.handle === handle);
  }

  function isDeadLetterQueue(q: Queue): boolean {
    for (const other of queues.values()) {
      const policy = other.attributes.RedrivePolicy;
      if (policy && (JSON.parse(policy) as {deadLetterTargetArn: string}).deadLetterTargetArn === q.arn) return true;
    }
    return false;
  }

  function runTask(task: MoveTask, now: number): void {
    if (task.status === 'CANCELLING') {
      task.status = 'CANCELLED';
      return;
    }
    if (task.status !== 'RUNNING') return;
    const source = queueByArn(task.sourceArn);
    if (!source) {
      task.status = 'FAILED';
      task.failureReason = 'The source queue was deleted.';
      return;
    }
    refresh(source);
    const rate = task.rate ?? SQS_LIMITS.defaultMoveRate;
    const allowed = Math.min(task.toMove, Math.floor(((now - task.startedAt) / 1000) * rate));
    while (task.moved < allowed) {
      const e = source.visible.peek();
      if (!e) break;
      const m = e.item;
      const destinationArn = task.destinationArn ?? m.deadLetterSourceArn;
      if (!destinationArn) {
        task.status = 'FAILED';
        task.failureReason =
          'CouldNotDetermineMessageSource: a message in the source queue was not moved there by an SQS redrive policy ' +
          '(DLQs whose source is Lambda or SNS are not supported); specify a DestinationArn.';
        return;
      }
      const destination = queueByArn(destinationArn);
      if (!destination) {
        task.status = 'FAILED';
        task.failureReason = `The destination queue ${destinationArn} does not exist.`;
        return;
      }
      source.visible.pop();
      remove(source, m);
      refresh(destination);
      enqueue(
        destination,
        {
          id: randomUUID(),
          body: m.body,
          md5OfBody: m.md5OfBody,
          attributes: m.attributes,
          md5OfAttributes: m.md5OfAttributes,
          size: m.size,
          sentAt: now,
          senderId: m.senderId,
          receiveCount: 0,
          ...(m.groupId !== undefined ? {groupId: m.groupId} : {}),
          ...(m.deduplicationId !== undefined ? {deduplicationId: m.deduplicationId} : {}),
          ...(destination.fifo ? {sequenceNumber: (fifoSequence += 1n).toString()} : {}),
        },
        Number(destination.attributes.DelaySeconds) * 1000,
      );
      task.moved++;
    }
    if (task.moved >= task.toMove || source.messages.size === 0) task.status = 'COMPLETED';
  }

  // ---- the engine ---------------------------------------------------------------------------

  const engine: SimSqs = {
    region,
    accountId,

    createQueue(name, attributes = {}, tags = {}) {
      if (typeof name !== 'string' || name === '') throw sqsError('MissingParameter', 'The request must contain the parameter QueueName.');
      const fifoName = name.endsWith('.fifo');
      const base = fifoName ? name.slice(0, -5) : name;
      if (!QUEUE_NAME.test(base) || name.length > 80)
        throw sqsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      const {FifoQueue, ...rest} = attributes;
      if (FifoQueue !== undefined && FifoQueue !== 'true' && FifoQueue !== 'false') throw invalidValue('FifoQueue');
      const fifo = FifoQueue === 'true';
      if (fifo && !fifoName) throw invalidValue('FifoQueue', 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix.');
      if (!fifo && fifoName) throw sqsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      const given = validateAttributes(rest, fifo, name);
      const existing = queues.get(name);
      if (existing) {
        for (const [key, value] of Object.entries(given)) {
          if ((existing.attributes[key] ?? '') !== value)
            throw sqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${key}`);
        }
        if (existing.fifo !== fifo) throw sqsError('QueueNameExists', 'A queue already exists with the same name and a different value for attribute FifoQueue');
        return {url: urlOf(existing), arn: existing.arn};
      }
      const stored: Record<string, string> = {...DEFAULTS, ...(fifo ? {ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue'} : {})};
      for (const [k, v] of Object.entries(given)) stored[k] = v;
      const q = newQueue(name, stored, {...tags}, fifo);
      queues.set(name, q);
      return {url: urlOf(q), arn: q.arn};
    },

    deleteQueue(url) {
      const q = lookup(url);
      for (const m of q.messages.values()) m.state = 'gone';
      q.messages.clear();
      q.handles.clear();
      queues.delete(q.name);
      for (const task of tasks.get(q.arn) ?? []) {
        if (task.status === 'RUNNING' || task.status === 'CANCELLING') {
          task.status = 'FAILED';
          task.failureReason = 'The source queue was deleted.';
        }
      }
    },

    resolve(urlOrArn) {
      const q = lookup(urlOrArn);
      return {url: urlOf(q), arn: q.arn, name: q.name};
    },

    getQueueUrl(name, ownerAccountId) {
      if (typeof name !== 'string' || name === '') throw sqsError('MissingParameter', 'The request must contain the parameter QueueName.');
      const q = queues.get(name);
      if (!q || (ownerAccountId !== undefined && ownerAccountId !== accountId)) throw noQueue();
      return urlOf(q);
    },

    listQueues(prefix) {
      const names = [...queues.keys()].filter((n) => !prefix || n.startsWith(prefix)).sort();
      return names.map((n) => urlOf(queues.get(n)!));
    },

    getAttributes(url, names = ['All']) {
      const q = lookup(url);
      const wanted = names.includes('All') ? [...READABLE] : names;
      for (const n of wanted) if (!READABLE.has(n)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
      const out: Record<string, string> = {};
      for (const n of wanted) {
        const v = readAttribute(q, n);
        if (v !== undefined) out[n] = v;
      }
      return out;
    },

    setAttributes(url, attributes) {
      const q = lookup(url);
      if ('FifoQueue' in attributes) throw sqsError('InvalidAttributeName', 'Unknown Attribute FifoQueue.');
      const given = validateAttributes(attributes, q.fifo, q.name);
      for (const [k, v] of Object.entries(given)) {
        if (v === '' && (k === 'RedrivePolicy' || k === 'RedriveAllowPolicy' || k === 'Policy' || k === 'KmsMasterKeyId')) delete q.attributes[k];
        else q.attributes[k] = v;
      }
      q.modifiedAt = clock.now();
      refresh(q); // a shorter retention applies at once
    },

    send(url, input) {
      return sendTo(lookup(url), input);
    },

    sendBatch(url, entries) {
      const q = lookup(url);
      checkBatch(entries, 'SendMessageBatch');
      let total = 0;
      for (const e of entries) {
        total += Buffer.byteLength(typeof e.body === 'string' ? e.body : '', 'utf8');
        for (const [name, v] of Object.entries(e.messageAttributes ?? {}))
          total += Buffer.byteLength(name) + Buffer.byteLength(v?.DataType ?? '') + (v?.BinaryValue ? Buffer.byteLength(v.BinaryValue, 'base64') : Buffer.byteLength(v?.StringValue ?? ''));
      }
      if (total > SQS_LIMITS.maxBatchBytes)
        throw sqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${SQS_LIMITS.maxBatchBytes} bytes. You have sent ${total} bytes.`);
      const successful: Array<SendResult & {id: string}> = [];
      const failed: BatchResultError[] = [];
      for (const {id, rejected, ...input} of entries) {
        try {
          if (rejected) throw rejected;
          successful.push({id, ...sendTo(q, input)});
        } catch (error) {
          failed.push(entryFailure(id, error));
        }
      }
      return {successful, failed};
    },

    receive(url, options) {
      return receiveFrom(lookup(url), options);
    },

    deleteMessage(url, receiptHandle) {
      deleteIn(lookup(url), receiptHandle);
    },

    deleteBatch(url, entries) {
      const q = lookup(url);
      checkBatch(entries, 'DeleteMessageBatch');
      const successful: string[] = [];
      const failed: BatchResultError[] = [];
      for (const e of entries) {
        try {
          deleteIn(q, e.receiptHandle);
          successful.push(e.id);
        } catch (error) {
          failed.push(entryFailure(e.id, error));
        }
      }
      return {successful, failed};
    },

    changeVisibility(url, receiptHandle, seconds) {
      changeVisibilityIn(lookup(url), receiptHandle, seconds);
    },

    changeVisibilityBatch(url, entries) {
      const q = lookup(url);
      checkBatch(entries, 'ChangeMessageVisibilityBatch');
      const successful: string[] = [];
      const failed: BatchResultError[] = [];
      for (const e of entries) {
        try {
          changeVisibilityIn(q, e.receiptHandle, e.visibilityTimeoutSeconds);
          successful.push(e.id);
        } catch (error) {
          failed.push(entryFailure(e.id, error));
        }
      }
      return {successful, failed};
    },

    purge(url) {
      const q = lookup(url);
      const now = clock.now();
      if (q.lastPurgeAt !== undefined && now - q.lastPurgeAt < SQS_LIMITS.purgeIntervalMs)
        throw sqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`);
      q.lastPurgeAt = now;
      for (const m of q.messages.values()) {
        m.state = 'gone';
        m.version++;
      }
      q.messages.clear();
      q.handles.clear();
      q.counts = {visible: 0, inflight: 0, delayed: 0};
      q.groupsInFlight.clear();
      for (const heap of [q.visible, q.delayed, q.inflight, q.retention]) heap.clear();
    },

    listDeadLetterSourceQueues(dlqUrl) {
      const dlq = lookup(dlqUrl);
      const out: string[] = [];
      for (const q of [...queues.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const policy = q.attributes.RedrivePolicy;
        if (policy && (JSON.parse(policy) as {deadLetterTargetArn: string}).deadLetterTargetArn === dlq.arn) out.push(urlOf(q));
      }
      return out;
    },

    tagQueue(url, tags) {
      const q = lookup(url);
      const merged = {...q.tags, ...tags};
      if (Object.keys(merged).length > 50) throw sqsError('InvalidParameterValue', 'Too many tags added for queue (the maximum is 50).');
      q.tags = merged;
    },

    untagQueue(url, keys) {
      const q = lookup(url);
      for (const k of keys) delete q.tags[k];
    },

    listQueueTags(url) {
      return {...lookup(url).tags};
    },

    startMoveTask({sourceArn, destinationArn, maxNumberOfMessagesPerSecond}) {
      if (typeof sourceArn !== 'string' || sourceArn === '') throw sqsError('MissingParameter', 'The request must contain the parameter SourceArn.');
      const source = queueByArn(sourceArn);
      if (!source) throw sqsError('ResourceNotFoundException', 'The resource that you specified for the SourceArn parameter doesn\'t exist.');
      if (!isDeadLetterQueue(source)) throw sqsError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
      if (destinationArn !== undefined) {
        if (!queueByArn(destinationArn)) throw sqsError('ResourceNotFoundException', 'The resource that you specified for the DestinationArn parameter doesn\'t exist.');
        if (destinationArn === sourceArn) throw sqsError('InvalidParameterValue', 'Source and destination queues must be different.');
      }
      if (maxNumberOfMessagesPerSecond !== undefined && (!Number.isInteger(maxNumberOfMessagesPerSecond) || maxNumberOfMessagesPerSecond < 1 || maxNumberOfMessagesPerSecond > SQS_LIMITS.maxMoveRate))
        throw sqsError('InvalidParameterValue', `Value ${maxNumberOfMessagesPerSecond} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and ${SQS_LIMITS.maxMoveRate}.`);
      const list = tasks.get(sourceArn) ?? [];
      if (list.some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING'))
        throw sqsError('UnsupportedOperation', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
      refresh(source);
      const handle = encodeHandle({id: randomUUID(), sourceArn});
      const task: MoveTask = {
        handle,
        sourceArn,
        ...(destinationArn !== undefined ? {destinationArn} : {}),
        ...(maxNumberOfMessagesPerSecond !== undefined ? {rate: maxNumberOfMessagesPerSecond} : {}),
        status: 'RUNNING',
        moved: 0,
        toMove: source.messages.size,
        startedAt: clock.now(),
      };
      list.unshift(task);
      if (list.length > 10) list.length = 10; // AWS keeps the most recent tasks
      tasks.set(sourceArn, list);
      if (task.toMove === 0) task.status = 'COMPLETED';
      return {taskHandle: handle};
    },

    listMoveTasks(sourceArn, maxResults = 1) {
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10)
        throw sqsError('InvalidParameterValue', `Value ${maxResults} for parameter MaxResults is invalid. Reason: Must be between 1 and 10, if provided.`);
      if (!queueByArn(sourceArn)) throw sqsError('ResourceNotFoundException', 'The resource that you specified for the SourceArn parameter doesn\'t exist.');
      return (tasks.get(sourceArn) ?? []).slice(0, maxResults).map((t) => ({
        ...(t.status === 'RUNNING' ? {TaskHandle: t.handle} : {}),
        Status: t.status,
        SourceArn: t.sourceArn,
        ...(t.destinationArn !== undefined ? {DestinationArn: t.destinationArn} : {}),
        ...(t.rate !== undefined ? {MaxNumberOfMessagesPerSecond: t.rate} : {}),
        ApproximateNumberOfMessagesMoved: t.moved,
        ApproximateNumberOfMessagesToMove: t.toMove,
        ...(t.failureReason !== undefined ? {FailureReason: t.failureReason} : {}),
        StartedTimestamp: t.startedAt,
      }));
    },

    cancelMoveTask(taskHandle) {
      const task = typeof taskHandle === 'string' ? findTask(taskHandle) : undefined;
      if (!task) throw sqsError('ResourceNotFoundException', 'Task does not exist.');
      if (task.status !== 'RUNNING') throw sqsError('UnsupportedOperation', `Only active tasks can be cancelled; this task is ${task.status}.`);
      task.status = 'CANCELLING';
      return {approximateNumberOfMessagesMoved: task.moved};
    },

    tick() {
      const now = clock.now();
      for (const q of queues.values()) refresh(q);
      for (const list of tasks.values()) for (const t of list) runTask(t, now);
    },

    stats(url) {
      const q = lookup(url);
      return {...q.counts, total: q.messages.size};
    },

    oldestSentTimestamp(url) {
      const q = lookup(url);
      return q.retention.peek()?.item.sentAt ?? null;
    },

    oldestAgeTimestamp(url) {
      const q = lookup(url);
      let oldest: number | null = null;
      for (const m of q.messages.values()) {
        if (m.state === 'gone' || m.receiveCount > AGE_METRIC_MAX_RECEIVES) continue;
        // in enqueue order, the first that counts is the oldest (the demo's DLQ holds thousands, scanned once a
        // virtual minute: 2 % of the model's time in its incident)
        if (q.enqueuedInOrder) return m.enqueuedAt;
        if (oldest === null || m.enqueuedAt < oldest) oldest = m.enqueuedAt;
      }
      return oldest;
    },

    peekAll(url) {
      const q = lookup(url);
      return [...q.messages.values()]
        .sort((a, b) => a.sentAt - b.sentAt || a.seq - b.seq)
        .map((m) => ({
          messageId: m.id,
          body: m.body,
          messageAttributes: copyAttributes(m.attributes),
          state: m.state as PeekedMessage['state'],
          receiveCount: m.receiveCount,
          sentTimestamp: m.sentAt,
          ...(m.deadLetterSourceArn !== undefined ? {deadLetterQueueSourceArn: m.deadLetterSourceArn} : {}),
          ...(m.groupId !== undefined ? {messageGroupId: m.groupId} : {}),
        }));
    },
  };
  return engine;
}
