// The redrive's SQS calls (receive, send, delete, change visibility) and its Invoke over the lean HTTP path
// (aws/lean-http.ts): the same requests, results and gates as aws/messages.ts and aws/invoke.ts, which the rest of
// the tool keeps using through the SDK. Results: an entry counts as sent ONLY when the service listed it as
// successful with a MessageId whose MD5OfMessageBody matches what was sent (the SDK's check), and an Invoke
// ONLY on a 202. A received message whose body does not match its MD5OfBody fails the receive (as in the SDK).
import {hash} from 'node:crypto';
import type {MessageAttribute, RawMessage} from '../domain/types.ts';
import type {AwsClients} from './clients.ts';
import {classifyInvokeError, type InvokeOutcome} from './invoke.ts';
import {jsonProtocolError, LeanHttp, restJsonError, type LeanRequest} from './lean-http.ts';
import {accountDeleteBatch, accountSendBatch, chunks, errorCode, errorText, failSendBatch, rawMessage, SQS_BATCH_MAX, toNumber, type SendEntry, type SendResult} from './messages.ts';
import type {MutationGate} from './mutation-gate.ts';
import {escapeUri} from './sigv4.ts';

/** The system attributes a redrive reads (receive count, sent time, a queue DLQ's source), instead of 'All'. */
export const REDRIVE_SYSTEM_ATTRIBUTES = ['ApproximateReceiveCount', 'SentTimestamp', 'DeadLetterQueueSourceArn'] as const;

interface WireAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string;
}

interface WireEntry {
  Id: string;
  MessageBody: string;
  MessageAttributes?: Record<string, WireAttribute>;
  DelaySeconds?: number;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

interface WireMessage {
  MessageId?: string;
  ReceiptHandle?: string;
  MD5OfBody?: string;
  Body?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, WireAttribute>;
}

/** One-shot (no Hash object per message); a string is hashed as UTF-8. */
const md5 = (text: string) => hash('md5', text, 'hex');

const cache = new WeakMap<AwsClients, LeanAws>();

/** Each operation's X-Amz-Target, made once (not a new string per call). */
const TARGETS: Record<string, string> = Object.create(null) as Record<string, string>;

/** The lean calls of these clients (one keep-alive pool per set of clients; idle sockets do not hold the process). */
export function leanAwsFor(clients: AwsClients): LeanAws {
  let lean = cache.get(clients);
  if (!lean) cache.set(clients, (lean = new LeanAws(clients)));
  return lean;
}

/** The lean SQS and Lambda calls of one set of clients. Sockets are kept alive until destroy(). */
export class LeanAws {
  private sqsHttp: LeanHttp | null = null;
  private lambdaHttp: LeanHttp | null = null;

  constructor(private readonly clients: AwsClients) {}

  private get sqs(): LeanHttp {
    return (this.sqsHttp ??= new LeanHttp(() => this.clients.lean.service('sqs'), {service: 'sqs', endpoint: this.clients.endpoint, ...this.clients.timeouts}));
  }

  private get lambda(): LeanHttp {
    return (this.lambdaHttp ??= new LeanHttp(() => this.clients.lean.service('lambda'), {service: 'lambda', endpoint: this.clients.endpoint, ...this.clients.timeouts}));
  }

  private async call<T>(operation: string, input: Record<string, unknown>): Promise<T> {
    const response = await this.sqs.send(
      {method: 'POST', path: '/', headers: {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': (TARGETS[operation] ??= `AmazonSQS.${operation}`), 'x-amzn-query-mode': 'true'}, body: JSON.stringify(input)},
      jsonProtocolError,
    );
    return (response.text ? JSON.parse(response.text) : {}) as T;
  }

  async receive(queueUrl: string, options: {max: number; visibilityTimeoutSeconds: number; waitSeconds?: number}): Promise<RawMessage[]> {
    const out = await this.call<{Messages?: WireMessage[]}>('ReceiveMessage', {
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.max(1, Math.min(SQS_BATCH_MAX, Math.floor(options.max))),
      VisibilityTimeout: Math.max(0, Math.floor(options.visibilityTimeoutSeconds)),
      WaitTimeSeconds: Math.max(0, Math.min(20, Math.floor(options.waitSeconds ?? 0))),
      AttributeNames: REDRIVE_SYSTEM_ATTRIBUTES,
      MessageSystemAttributeNames: REDRIVE_SYSTEM_ATTRIBUTES,
      MessageAttributeNames: ['All'],
    });
    const messages = out.Messages ?? [];
    const bad = messages.filter((m) => m.MD5OfBody !== undefined && m.MD5OfBody !== md5(m.Body ?? '')).map((m) => m.MessageId);
    if (bad.length > 0) throw new Error(`Invalid MD5 checksum on messages: ${bad.join(', ')}`);
    return messages.map((m): RawMessage => {
      const attributes = m.Attributes ?? {};
      const messageAttributes: Record<string, MessageAttribute> = {};
      const wire = m.MessageAttributes;
      for (const k in wire) {
        const v = wire[k]!;
        const a: MessageAttribute = {dataType: v.DataType ?? 'String'};
        if (v.StringValue !== undefined) a.stringValue = v.StringValue;
        if (v.BinaryValue !== undefined) a.binaryValue = v.BinaryValue; // base64 on the wire and in the domain
        messageAttributes[k] = a;
      }
      return rawMessage(m, attributes, messageAttributes);
    });
  }

  /** The counts and timeouts a redrive reads (GetQueueAttributes of those four only); null = not reported. */
  async queueState(queueUrl: string): Promise<{visible: number | null; inFlight: number | null; visibilityTimeoutSeconds: number | null; retentionSeconds: number | null}> {
    const out = await this.call<{Attributes?: Record<string, string>}>('GetQueueAttributes', {
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout', 'MessageRetentionPeriod'],
    });
    const a = out.Attributes ?? {};
    return {
      visible: toNumber(a.ApproximateNumberOfMessages),
      inFlight: toNumber(a.ApproximateNumberOfMessagesNotVisible),
      visibilityTimeoutSeconds: toNumber(a.VisibilityTimeout),
      retentionSeconds: toNumber(a.MessageRetentionPeriod),
    };
  }

  /** SendMessageBatch (in tens). Gated ('send'). */
  async sendBatch(gate: MutationGate, queueUrl: string, entries: readonly SendEntry[]): Promise<SendResult> {
    if (entries.length === 0) return {accepted: [], failed: []};
    gate.assertAllowed('send', `would send ${entries.length} message${entries.length === 1 ? '' : 's'} to ${queueUrl}`);
    const accepted: SendResult['accepted'] = [];
    const failed: SendResult['failed'] = [];
    for (const chunk of chunks(entries)) {
      // Built field by field (no spread objects): the same JSON, less garbage per message.
      const request = chunk.map((e, i) => {
        const entry: WireEntry = {Id: `s${i}`, MessageBody: e.body};
        let attributes: Record<string, WireAttribute> | null = null;
        const given = e.messageAttributes;
        for (const k in given) {
          const v = given[k]!;
          const w: WireAttribute = {DataType: v.dataType};
          if (v.binaryValue !== undefined) w.BinaryValue = v.binaryValue;
          if (v.stringValue !== undefined) w.StringValue = v.stringValue;
          (attributes ??= {})[k] = w;
        }
        if (attributes) entry.MessageAttributes = attributes;
        if (e.delaySeconds !== undefined) entry.DelaySeconds = e.delaySeconds;
        if (e.messageGroupId !== undefined) entry.MessageGroupId = e.messageGroupId;
        if (e.messageDeduplicationId !== undefined) entry.MessageDeduplicationId = e.messageDeduplicationId;
        return entry;
      });
      try {
        const out = await this.call<{Successful?: Array<{Id?: string; MessageId?: string; MD5OfMessageBody?: string}>; Failed?: Array<{Id?: string; Code?: string; Message?: string; SenderFault?: boolean}>}>('SendMessageBatch', {QueueUrl: queueUrl, Entries: request});
        accountSendBatch(chunk, out, accepted, failed, md5);
      } catch (error) {
        failSendBatch(chunk, error, failed);
      }
    }
    return {accepted, failed};
  }

  /** DeleteMessageBatch of exactly these entries (in tens). Gated ('delete'). */
  async delete(gate: MutationGate, queueUrl: string, entries: ReadonlyArray<{id: string; receiptHandle: string}>): Promise<{deleted: string[]; failed: Array<{id: string; code: string; message: string}>}> {
    if (entries.length === 0) return {deleted: [], failed: []};
    gate.assertAllowed('delete', `would delete ${entries.length} message${entries.length === 1 ? '' : 's'} from ${queueUrl}`);
    const deleted: string[] = [];
    const failed: Array<{id: string; code: string; message: string}> = [];
    for (const chunk of chunks(entries)) {
      try {
        const out = await this.call<{Successful?: Array<{Id?: string}>; Failed?: Array<{Id?: string; Code?: string; Message?: string}>}>('DeleteMessageBatch', {
          QueueUrl: queueUrl,
          Entries: chunk.map((e, i) => ({Id: `d${i}`, ReceiptHandle: e.receiptHandle})),
        });
        accountDeleteBatch(chunk, out, deleted, failed);
      } catch (error) {
        for (const e of chunk) failed.push({id: e.id, code: errorCode(error), message: errorText(error)});
      }
    }
    return {deleted, failed};
  }

  /** ChangeMessageVisibilityBatch (0 = release). Not gated: it never changes data. */
  async changeVisibility(queueUrl: string, receiptHandles: readonly string[], seconds: number): Promise<{failed: Array<{receiptHandle: string; message: string}>}> {
    const failed: Array<{receiptHandle: string; message: string}> = [];
    for (const chunk of chunks(receiptHandles)) {
      try {
        const out = await this.call<{Failed?: Array<{Id?: string; Code?: string; Message?: string}>}>('ChangeMessageVisibilityBatch', {
          QueueUrl: queueUrl,
          Entries: chunk.map((receiptHandle, i) => ({Id: `m${i}`, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds})),
        });
        for (const f of out.Failed ?? []) {
          // Releasing a message already visible again (its timeout ran out) achieved what we wanted.
          if (seconds === 0 && /MessageNotInflight/i.test(f.Code ?? '')) continue;
          failed.push({receiptHandle: chunk[Number(String(f.Id).slice(1))] ?? '', message: `${f.Code ?? 'Error'}: ${f.Message ?? ''}`.trim()});
        }
      } catch (error) {
        for (const receiptHandle of chunk) failed.push({receiptHandle, message: `${errorCode(error)}: ${errorText(error)}`});
      }
    }
    return {failed};
  }

  /** Invoke with InvocationType Event. Gated ('invoke'). 'accepted' ONLY on a 202 (see aws/invoke.ts). */
  private lastInvokePath: {functionName: string; path: string} | null = null;

  /** The Invoke path of a function (escaped once per function, not per invoke). */
  private invokePath(functionName: string): string {
    const last = this.lastInvokePath;
    if (last?.functionName === functionName) return last.path;
    const path = `/2015-03-31/functions/${escapeUri(functionName)}/invocations`;
    this.lastInvokePath = {functionName, path};
    return path;
  }

  /** `payloadSha256`: the payload's SHA-256 in hex when known (the redrive's journal hash of it): signed without
   * hashing the payload a second time. */
  async invokeAsync(gate: MutationGate, functionName: string, payload: string, qualifier?: string, payloadSha256?: string): Promise<InvokeOutcome> {
    gate.assertAllowed('invoke', `redrive would invoke ${functionName}${qualifier ? `:${qualifier}` : ''}`);
    const request: LeanRequest = {method: 'POST', path: this.invokePath(functionName), headers: {'content-type': 'application/octet-stream', 'x-amz-invocation-type': 'Event'}, body: payload};
    if (qualifier) request.query = {Qualifier: qualifier};
    if (payloadSha256?.length === 64) request.bodySha256 = payloadSha256;
    try {
      const response = await this.lambda.send(request, restJsonError);
      if (response.status === 202) return {outcome: 'accepted', statusCode: 202, requestId: response.header('x-amzn-requestid') ?? ''};
      return {outcome: 'failed', message: `unexpected status ${response.status} for an Event invocation (expected 202)`, retryable: false};
    } catch (error) {
      return classifyInvokeError(error);
    }
  }

  destroy(): void {
    this.sqsHttp?.destroy();
    this.lambdaHttp?.destroy();
  }
}
