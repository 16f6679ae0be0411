// Every SQS call about messages and queues that redrive, export and the failed-event browser need.
// Plain domain values out (RawMessage, MessageAttribute); SDK types never leave this file.
// Mutating calls (send, delete) take the MutationGate and ask it before building a request, so --read-only
// cannot be bypassed. Receive and release are not mutations of data: release only makes a message we hid
// visible again (ChangeMessageVisibility 0), which is how a peek undoes itself.
import type {MessageAttributeValue} from '@aws-sdk/client-sqs';
import {queueNameFromUrl} from '../domain/arn.ts';
import {parseRedrivePolicy} from './discovery.ts';
import type {AwsClients} from './clients.ts';
import type {MessageAttribute, RawMessage} from '../domain/types.ts';
import type {MutationGate} from './mutation-gate.ts';

/** The SDK's SQS module (commands, and the client clients.sqs builds), loaded with the first call: the dashboard
 * imports this module for its browser, and a dashboard that never opens it never loads the SQS client. */
const sqsSdk = () => import('./sdk/sqs.ts');

type SqsClients = Pick<AwsClients, 'sqs'>;

/** SQS batch calls take at most 10 entries. */
export const SQS_BATCH_MAX = 10;

/** Batches of at most `size` (SQS batch calls: 10). Shared with the lean path (lean-sqs.ts), as are the helpers below. */
export function chunks<T>(items: readonly T[], size = SQS_BATCH_MAX): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function errorCode(error: unknown): string {
  const e = error as {name?: string; Code?: string; code?: string} | null;
  return e?.name ?? e?.Code ?? e?.code ?? 'Error';
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function fromSdkAttribute(value: MessageAttributeValue): MessageAttribute {
  const out: MessageAttribute = {dataType: value.DataType ?? 'String'};
  if (value.StringValue !== undefined) out.stringValue = value.StringValue;
  if (value.BinaryValue !== undefined) out.binaryValue = Buffer.from(value.BinaryValue).toString('base64');
  return out;
}

/** Back to the SDK shape, every data type kept: String, Number, Binary and custom suffixes
 * ("Number.int", "Binary.gzip"). Binary values travel base64 in the domain, bytes in the SDK. */
export function toSdkAttribute(value: MessageAttribute): MessageAttributeValue {
  const out: MessageAttributeValue = {DataType: value.dataType};
  if (value.binaryValue !== undefined) out.BinaryValue = Buffer.from(value.binaryValue, 'base64');
  if (value.stringValue !== undefined) out.StringValue = value.stringValue;
  return out;
}

export function toNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export interface ReceiveOptions {
  /** 1-10 */
  max: number;
  /** How long the received messages stay hidden from other consumers. */
  visibilityTimeoutSeconds: number;
  /** Long-poll wait (0-20); 0 = short poll. */
  waitSeconds?: number;
  /** The message attributes to ask for (default: all). Fewer names, fewer bytes per message. */
  messageAttributeNames?: readonly string[];
  abortSignal?: AbortSignal;
}

/** ReceiveMessage with every system attribute and every (or the named) message attribute. Each receive increments the messages'
 * ApproximateReceiveCount and hides them for `visibilityTimeoutSeconds`. */
export async function receiveMessages(clients: SqsClients, queueUrl: string, options: ReceiveOptions): Promise<RawMessage[]> {
  const max = Math.max(1, Math.min(SQS_BATCH_MAX, Math.floor(options.max)));
  const {ReceiveMessageCommand} = await sqsSdk();
  const response = await clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: max,
      VisibilityTimeout: Math.max(0, Math.floor(options.visibilityTimeoutSeconds)),
      WaitTimeSeconds: Math.max(0, Math.min(20, Math.floor(options.waitSeconds ?? 0))),
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: options.messageAttributeNames ? [...options.messageAttributeNames] : ['All'],
    }),
    options.abortSignal ? {abortSignal: options.abortSignal} : {},
  );
  return (response.Messages ?? []).map((m): RawMessage => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.Attributes ?? {})) if (typeof v === 'string') attributes[k] = v;
    const messageAttributes: Record<string, MessageAttribute> = {};
    for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) messageAttributes[k] = fromSdkAttribute(v);
    return rawMessage(m, attributes, messageAttributes);
  });
}

/** A received message in the domain's shape, from its wire fields and its already converted attributes (the SDK
 * path and the lean path convert message attributes differently: bytes vs base64). */
export function rawMessage(
  m: {MessageId?: string; ReceiptHandle?: string; Body?: string; MD5OfBody?: string},
  attributes: Record<string, string>,
  messageAttributes: Record<string, MessageAttribute>,
): RawMessage {
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    md5OfBody: m.MD5OfBody ?? null,
    attributes,
    messageAttributes,
    receiveCount: toNumber(attributes.ApproximateReceiveCount),
    sentAt: toNumber(attributes.SentTimestamp),
  };
}

/** Makes hidden messages visible again at once (ChangeMessageVisibilityBatch, VisibilityTimeout 0, in tens). */
export async function releaseMessages(
  clients: SqsClients,
  queueUrl: string,
  receiptHandles: readonly string[],
): Promise<{released: number; failed: Array<{receiptHandle: string; message: string}>}> {
  return changeVisibility(clients, queueUrl, receiptHandles, 0);
}

/** Changes the visibility timeout of messages we hold (0 = release). Not gated: it never changes data. */
export async function changeVisibility(
  clients: SqsClients,
  queueUrl: string,
  receiptHandles: readonly string[],
  visibilityTimeoutSeconds: number,
): Promise<{released: number; failed: Array<{receiptHandle: string; message: string}>}> {
  let released = 0;
  const failed: Array<{receiptHandle: string; message: string}> = [];
  for (const chunk of chunks(receiptHandles)) {
    const entries = chunk.map((receiptHandle, i) => ({Id: `m${i}`, ReceiptHandle: receiptHandle, VisibilityTimeout: visibilityTimeoutSeconds}));
    try {
      const {ChangeMessageVisibilityBatchCommand} = await sqsSdk();
      const response = await clients.sqs.send(new ChangeMessageVisibilityBatchCommand({QueueUrl: queueUrl, Entries: entries}));
      released += response.Successful?.length ?? 0;
      for (const f of response.Failed ?? []) {
        // Releasing a message that is already visible again (its timeout ran out) achieved what we wanted.
        if (visibilityTimeoutSeconds === 0 && /MessageNotInflight/i.test(f.Code ?? '')) {
          released++;
          continue;
        }
        const index = Number(String(f.Id).slice(1));
        failed.push({receiptHandle: chunk[index] ?? '', message: `${f.Code ?? 'Error'}: ${f.Message ?? ''}`.trim()});
      }
    } catch (error) {
      for (const receiptHandle of chunk) failed.push({receiptHandle, message: `${errorCode(error)}: ${errorText(error)}`});
    }
  }
  return {released, failed};
}

/** DeleteMessageBatch of exactly these entries (in tens). Gated ('delete'). Each entry's result is checked. */
export async function deleteMessages(
  clients: SqsClients,
  gate: MutationGate,
  queueUrl: string,
  entries: ReadonlyArray<{id: string; receiptHandle: string}>,
): Promise<{deleted: string[]; failed: Array<{id: string; code: string; message: string}>}> {
  if (entries.length === 0) return {deleted: [], failed: []};
  gate.assertAllowed('delete', `would delete ${entries.length} message${entries.length === 1 ? '' : 's'} from ${queueUrl}`);
  const deleted: string[] = [];
  const failed: Array<{id: string; code: string; message: string}> = [];
  for (const chunk of chunks(entries)) {
    // Batch entry ids must be unique and [A-Za-z0-9_-]{1,80}: use positions, map back.
    const request = chunk.map((e, i) => ({Id: `d${i}`, ReceiptHandle: e.receiptHandle}));
    try {
      const {DeleteMessageBatchCommand} = await sqsSdk();
      const response = await clients.sqs.send(new DeleteMessageBatchCommand({QueueUrl: queueUrl, Entries: request}));
      accountDeleteBatch(chunk, response, deleted, failed);
    } catch (error) {
      for (const e of chunk) failed.push({id: e.id, code: errorCode(error), message: errorText(error)});
    }
  }
  return {deleted, failed};
}

/** One DeleteMessageBatch answer mapped back to its entries (ids `d<position>`): each entry counts once, as
 * deleted or failed, and an entry the answer does not mention is failed ("NoResult"). Shared by the SDK path
 * and the lean path (lean-sqs.ts). */
export function accountDeleteBatch(
  chunk: ReadonlyArray<{id: string}>,
  answer: {Successful?: Array<{Id?: string}>; Failed?: Array<{Id?: string; Code?: string; Message?: string}>},
  deleted: string[],
  failed: Array<{id: string; code: string; message: string}>,
): void {
  const seen = new Set<string>();
  for (const s of answer.Successful ?? []) {
    const entry = chunk[Number(String(s.Id).slice(1))];
    if (entry && !seen.has(entry.id)) {
      deleted.push(entry.id);
      seen.add(entry.id);
    }
  }
  for (const f of answer.Failed ?? []) {
    const entry = chunk[Number(String(f.Id).slice(1))];
    if (entry && !seen.has(entry.id)) {
      failed.push({id: entry.id, code: f.Code ?? 'Error', message: f.Message ?? ''});
      seen.add(entry.id);
    }
  }
  for (const e of chunk) if (!seen.has(e.id)) failed.push({id: e.id, code: 'NoResult', message: 'the service returned no result for this entry'});
}

export interface SendEntry {
  id: string;
  body: string;
  messageAttributes: Record<string, MessageAttribute>;
  delaySeconds?: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface SendResult {
  accepted: Array<{id: string; messageId: string}>;
  failed: Array<{id: string; code: string; message: string; senderFault: boolean}>;
}

/** SendMessageBatch (in tens). Gated ('send'). An entry counts as accepted ONLY when the service listed it
 * as successful with a MessageId; anything else (listed as failed, missing from the answer, the whole call
 * failing or timing out) is failed. All message attributes are sent as they were, every data type. */
export async function sendMessages(clients: SqsClients, gate: MutationGate, queueUrl: string, entries: readonly SendEntry[]): Promise<SendResult> {
  if (entries.length === 0) return {accepted: [], failed: []};
  gate.assertAllowed('send', `would send ${entries.length} message${entries.length === 1 ? '' : 's'} to ${queueUrl}`);
  const accepted: SendResult['accepted'] = [];
  const failed: SendResult['failed'] = [];
  for (const chunk of chunks(entries)) {
    const request = chunk.map((e, i) => {
      const attributes: Record<string, MessageAttributeValue> = {};
      for (const [k, v] of Object.entries(e.messageAttributes)) attributes[k] = toSdkAttribute(v);
      return {
        Id: `s${i}`,
        MessageBody: e.body,
        ...(Object.keys(attributes).length > 0 ? {MessageAttributes: attributes} : {}),
        ...(e.delaySeconds !== undefined ? {DelaySeconds: e.delaySeconds} : {}),
        ...(e.messageGroupId !== undefined ? {MessageGroupId: e.messageGroupId} : {}),
        ...(e.messageDeduplicationId !== undefined ? {MessageDeduplicationId: e.messageDeduplicationId} : {}),
      };
    });
    try {
      const {SendMessageBatchCommand} = await sqsSdk();
      const response = await clients.sqs.send(new SendMessageBatchCommand({QueueUrl: queueUrl, Entries: request}));
      accountSendBatch(chunk, response, accepted, failed);
    } catch (error) {
      failSendBatch(chunk, error, failed);
    }
  }
  return {accepted, failed};
}

/** One SendMessageBatch answer mapped back to its entries (ids `s<position>`): accepted ONLY when listed as
 * successful with a MessageId (and, given `md5`, the service's MD5 of the body matches: the SDK path's
 * middleware checks that itself); each entry counts once; an entry the answer does not mention is failed. */
export function accountSendBatch(
  chunk: ReadonlyArray<{id: string; body: string}>,
  answer: {Successful?: Array<{Id?: string; MessageId?: string; MD5OfMessageBody?: string}>; Failed?: Array<{Id?: string; Code?: string; Message?: string; SenderFault?: boolean}>},
  accepted: SendResult['accepted'],
  failed: SendResult['failed'],
  md5?: (body: string) => string,
): void {
  const seen = new Set<string>();
  for (const s of answer.Successful ?? []) {
    const entry = chunk[Number(String(s.Id).slice(1))];
    if (!entry || seen.has(entry.id)) continue;
    seen.add(entry.id);
    if (!s.MessageId) failed.push({id: entry.id, code: 'NoMessageId', message: 'listed as successful without a MessageId', senderFault: false});
    else if (md5 && s.MD5OfMessageBody !== undefined && s.MD5OfMessageBody !== md5(entry.body)) failed.push({id: entry.id, code: 'InvalidMD5', message: `the service's MD5 of message ${s.MessageId} does not match the body sent`, senderFault: false});
    else accepted.push({id: entry.id, messageId: s.MessageId});
  }
  for (const f of answer.Failed ?? []) {
    const entry = chunk[Number(String(f.Id).slice(1))];
    if (!entry || seen.has(entry.id)) continue;
    seen.add(entry.id);
    failed.push({id: entry.id, code: f.Code ?? 'Error', message: f.Message ?? '', senderFault: f.SenderFault ?? false});
  }
  for (const e of chunk) if (!seen.has(e.id)) failed.push({id: e.id, code: 'NoResult', message: 'the service returned no result for this entry', senderFault: false});
}

/** A SendMessageBatch call that failed as a whole: every entry failed; the sender's fault for a 4xx other than
 * a throttle (429). */
export function failSendBatch(chunk: ReadonlyArray<{id: string}>, error: unknown, failed: SendResult['failed']): void {
  const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode;
  const senderFault = status !== undefined && status >= 400 && status < 500 && status !== 429;
  for (const e of chunk) failed.push({id: e.id, code: errorCode(error), message: errorText(error), senderFault});
}

/** A peek: receive with a short visibility timeout. Peeking is not free: every peek increments each
 * message's ApproximateReceiveCount (which can push a message over a maxReceiveCount into another DLQ) and
 * hides it for `visibilityTimeoutSeconds` (default 30). Call `release()` when done to make the messages
 * visible again at once. */
export async function peekMessages(
  clients: SqsClients,
  queueUrl: string,
  options: {max?: number; visibilityTimeoutSeconds?: number; waitSeconds?: number} = {},
): Promise<{messages: RawMessage[]; release: () => Promise<{released: number; failed: Array<{receiptHandle: string; message: string}>}>}> {
  const messages = await receiveMessages(clients, queueUrl, {
    max: options.max ?? SQS_BATCH_MAX,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    ...(options.waitSeconds !== undefined ? {waitSeconds: options.waitSeconds} : {}),
  });
  let released = false;
  return {
    messages,
    async release() {
      if (released) return {released: 0, failed: []};
      released = true;
      return releaseMessages(clients, queueUrl, messages.map((m) => m.receiptHandle));
    },
  };
}

export interface QueueInfo {
  url: string;
  arn: string | null;
  name: string;
  visible: number | null;
  inFlight: number | null;
  delayed: number | null;
  maximumMessageSizeBytes: number | null;
  visibilityTimeoutSeconds: number | null;
  /** MessageRetentionPeriod: how long SQS keeps a message before deleting it. */
  retentionSeconds: number | null;
  fifo: boolean;
  redrivePolicy: {deadLetterTargetArn: string; maxReceiveCount: number} | null;
}

export async function getQueueInfo(clients: SqsClients, queueUrl: string): Promise<QueueInfo> {
  const {GetQueueAttributesCommand} = await sqsSdk();
  const response = await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: queueUrl, AttributeNames: ['All']}));
  const a = response.Attributes ?? {};
  const redrivePolicy = parseRedrivePolicy(a.RedrivePolicy);
  return {
    url: queueUrl,
    arn: a.QueueArn ?? null,
    name: queueNameFromUrl(queueUrl) ?? queueUrl,
    visible: toNumber(a.ApproximateNumberOfMessages),
    inFlight: toNumber(a.ApproximateNumberOfMessagesNotVisible),
    delayed: toNumber(a.ApproximateNumberOfMessagesDelayed),
    maximumMessageSizeBytes: toNumber(a.MaximumMessageSize),
    visibilityTimeoutSeconds: toNumber(a.VisibilityTimeout),
    retentionSeconds: toNumber(a.MessageRetentionPeriod),
    fifo: a.FifoQueue === 'true' || queueUrl.endsWith('.fifo'),
    redrivePolicy,
  };
}

/** The queues whose redrive policy names this queue as their DLQ. */
export async function listDeadLetterSourceQueues(clients: SqsClients, dlqUrl: string): Promise<string[]> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const {ListDeadLetterSourceQueuesCommand} = await sqsSdk();
    const response = await clients.sqs.send(new ListDeadLetterSourceQueuesCommand({QueueUrl: dlqUrl, ...(token ? {NextToken: token} : {})}));
    urls.push(...(response.queueUrls ?? []));
    token = response.NextToken;
  } while (token);
  return urls;
}

/** Like listDeadLetterSourceQueues, for endpoints without that call (some emulators): lists queues (up to
 * `max`) and keeps those whose RedrivePolicy names the DLQ's ARN. */
export async function findDeadLetterSourcesByScan(clients: SqsClients, dlqArn: string, max = 1000): Promise<string[]> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const {ListQueuesCommand} = await sqsSdk();
    const response = await clients.sqs.send(new ListQueuesCommand({MaxResults: 1000, ...(token ? {NextToken: token} : {})}));
    urls.push(...(response.QueueUrls ?? []));
    token = response.NextToken;
  } while (token && urls.length < max);
  const found: string[] = [];
  for (const url of urls.slice(0, max)) {
    try {
      const info = await getQueueInfo(clients, url);
      if (info.redrivePolicy?.deadLetterTargetArn === dlqArn) found.push(url);
    } catch {
      // a queue that vanished or cannot be read is not a source we can use
    }
  }
  return found;
}
