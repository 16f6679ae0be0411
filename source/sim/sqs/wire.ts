// SQS's AWS JSON 1.0 (query-compatible) wire protocol over the simulator's engine, as the unmodified
// @aws-sdk/client-sqs and the AWS CLI send it: POST, `X-Amz-Target: AmazonSQS.<Operation>`, JSON body.
// Answers application/x-amz-json-1.0; errors carry `__type` and the `x-amzn-query-error` header.
// Durations callers pass (VisibilityTimeout, DelaySeconds, WaitTimeSeconds) are wall seconds: they are
// multiplied by clock.speed for the engine; queue attributes are virtual.
import {randomUUID} from 'node:crypto';
import {SqsError, type SimClock, type SqsAttributeValue, type WireHandler, type WireRequest, type WireResponse} from '../ports.ts';
import type {SendBatchEntry, SimSqs} from './engine.ts';
import {SQS_LIMITS} from './engine.ts';
import {jsonErrorType, sqsError} from './errors.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AmazonSQS.';
const LONG_POLL_STEP_MS = 100;

type Json = Record<string, unknown>;

function header(request: WireRequest, name: string): string | undefined {
  const direct = request.headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(request.headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function reply(status: number, body: Json, extra: Record<string, string> = {}): WireResponse {
  return {status, headers: {'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID(), ...extra}, body: JSON.stringify(body)};
}

function errorReply(error: SqsError): WireResponse {
  return reply(error.status, {__type: jsonErrorType(error), message: error.message}, error.queryCode ? {'x-amzn-query-error': error.queryCode} : {});
}

// ---- parameter readers (AWS validation messages) -----------------------------------------------

function missing(name: string): SqsError {
  return sqsError('MissingParameter', `The request must contain the parameter ${name}.`);
}

function invalid(name: string, value: unknown, reason?: string): SqsError {
  return sqsError('InvalidParameterValue', `Value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${name} is invalid.${reason ? ` Reason: ${reason}` : ''}`);
}

function str(input: Json, name: string): string {
  const v = input[name];
  if (v === undefined || v === null || v === '') throw missing(name);
  if (typeof v !== 'string') throw invalid(name, v, 'Must be a string.');
  return v;
}

function optStr(input: Json, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(name, v, 'Must be a string.');
  return v;
}

function optInt(input: Json, name: string, min: number, max: number, reason?: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalid(name, v, reason ?? `Must be between ${min} and ${max}, if provided.`);
  return v;
}

function int(input: Json, name: string, min: number, max: number, reason?: string): number {
  const v = optInt(input, name, min, max, reason);
  if (v === undefined) throw missing(name);
  return v;
}

function strList(input: Json, name: string): string[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalid(name, v, 'Must be a list of strings.');
  return v as string[];
}

function strMap(input: Json, name: string): Record<string, string> | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(name, v, 'Must be a map of strings.');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Json)) {
    if (typeof x !== 'string') throw invalid(`${name}.${k}`, x, 'Must be a string.');
    out[k] = x;
  }
  return out;
}

function entries(input: Json, name = 'Entries'): Json[] {
  const v = input[name];
  if (v === undefined || v === null) throw missing(name);
  if (!Array.isArray(v) || !v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) throw invalid(name, v, 'Must be a list of entries.');
  return v as Json[];
}

function messageAttributes(input: Json): Record<string, SqsAttributeValue> | undefined {
  const v = input.MessageAttributes;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid('MessageAttributes', v);
  const out: Record<string, SqsAttributeValue> = {};
  for (const [name, raw] of Object.entries(v as Json)) {
    if (!raw || typeof raw !== 'object') throw invalid(`MessageAttributes.${name}`, raw);
    const a = raw as Json;
    const value: SqsAttributeValue = {DataType: typeof a.DataType === 'string' ? a.DataType : ''};
    if (typeof a.StringValue === 'string') value.StringValue = a.StringValue;
    if (typeof a.BinaryValue === 'string') value.BinaryValue = a.BinaryValue;
    out[name] = value;
  }
  return out;
}

// ---- the handler ---------------------------------------------------------------------------

export function createSqsWireHandler(engine: SimSqs, clock: SimClock): WireHandler {
  const wallToVirtual = (seconds: number) => seconds * clock.speed;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  function delayOf(input: Json): number | undefined {
    const d = optInt(input, 'DelaySeconds', 0, SQS_LIMITS.maxDelaySeconds, `Must be >= 0 and <= ${SQS_LIMITS.maxDelaySeconds}, if provided.`);
    return d === undefined ? undefined : wallToVirtual(d);
  }

  function sendInput(input: Json) {
    const delaySeconds = delayOf(input);
    const attrs = messageAttributes(input);
    const groupId = optStr(input, 'MessageGroupId');
    const dedupId = optStr(input, 'MessageDeduplicationId');
    const body = input.MessageBody;
    if (body === undefined || body === null) throw missing('MessageBody');
    if (typeof body !== 'string') throw invalid('MessageBody', body, 'Must be a string.');
    return {
      body,
      ...(attrs ? {messageAttributes: attrs} : {}),
      ...(delaySeconds !== undefined ? {delaySeconds} : {}),
      ...(groupId !== undefined ? {messageGroupId: groupId} : {}),
      ...(dedupId !== undefined ? {messageDeduplicationId: dedupId} : {}),
    };
  }

  function paginate(items: string[], input: Json): {page: string[]; nextToken?: string} {
    const max = optInt(input, 'MaxResults', 1, 1000, 'Must be between 1 and 1000, if provided.');
    const token = optStr(input, 'NextToken');
    let start = 0;
    if (token) {
      const decoded = Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(decoded) || decoded < 0) throw invalid('NextToken', token, 'Invalid or expired next token.');
      start = decoded;
    }
    if (max === undefined) return {page: items.slice(start, start + 1000)};
    const page = items.slice(start, start + max);
    const next = start + max;
    return next < items.length ? {page, nextToken: Buffer.from(String(next), 'utf8').toString('base64url')} : {page};
  }

  const operations: Record<string, (input: Json) => Json | Promise<Json>> = {
    CreateQueue(input) {
      const name = str(input, 'QueueName');
      const {url} = engine.createQueue(name, strMap(input, 'Attributes') ?? {}, strMap(input, 'tags') ?? {});
      return {QueueUrl: url};
    },
    GetQueueUrl(input) {
      return {QueueUrl: engine.getQueueUrl(str(input, 'QueueName'), optStr(input, 'QueueOwnerAWSAccountId'))};
    },
    ListQueues(input) {
      const {page, nextToken} = paginate(engine.listQueues(optStr(input, 'QueueNamePrefix')), input);
      return {...(page.length > 0 ? {QueueUrls: page} : {}), ...(nextToken ? {NextToken: nextToken} : {})};
    },
    DeleteQueue(input) {
      engine.deleteQueue(str(input, 'QueueUrl'));
      return {};
    },
    GetQueueAttributes(input) {
      const url = str(input, 'QueueUrl');
      const names = strList(input, 'AttributeNames');
      engine.resolve(url);
      if (!names || names.length === 0) return {};
      const attributes = engine.getAttributes(url, names);
      return Object.keys(attributes).length > 0 ? {Attributes: attributes} : {};
    },
    SetQueueAttributes(input) {
      const url = str(input, 'QueueUrl');
      const attributes = strMap(input, 'Attributes');
      if (!attributes) throw missing('Attributes');
      engine.setAttributes(url, attributes);
      return {};
    },
    SendMessage(input) {
      const url = str(input, 'QueueUrl');
      const r = engine.send(url, sendInput(input));
      return {
        MessageId: r.messageId,
        MD5OfMessageBody: r.md5OfBody,
        ...(r.md5OfMessageAttributes ? {MD5OfMessageAttributes: r.md5OfMessageAttributes} : {}),
        ...(r.sequenceNumber ? {SequenceNumber: r.sequenceNumber} : {}),
      };
    },
    SendMessageBatch(input) {
      const url = str(input, 'QueueUrl');
      const list: SendBatchEntry[] = entries(input).map((e) => {
        const id = typeof e.Id === 'string' ? e.Id : '';
        try {
          return {id, ...sendInput(e)};
        } catch (error) {
          if (!(error instanceof SqsError)) throw error;
          return {id, body: typeof e.MessageBody === 'string' ? e.MessageBody : '', rejected: error};
        }
      });
      const r = engine.sendBatch(url, list);
      return {
        Successful: r.successful.map((s) => ({
          Id: s.id,
          MessageId: s.messageId,
          MD5OfMessageBody: s.md5OfBody,
          ...(s.md5OfMessageAttributes ? {MD5OfMessageAttributes: s.md5OfMessageAttributes} : {}),
          ...(s.sequenceNumber ? {SequenceNumber: s.sequenceNumber} : {}),
        })),
        Failed: r.failed,
      };
    },
    async ReceiveMessage(input) {
      const url = str(input, 'QueueUrl');
      const max = optInt(input, 'MaxNumberOfMessages', 1, SQS_LIMITS.maxReceiveMessages) ?? 1;
      const visibility = optInt(input, 'VisibilityTimeout', 0, SQS_LIMITS.maxVisibilityTimeout);
      const wait = optInt(input, 'WaitTimeSeconds', 0, SQS_LIMITS.maxWaitTimeSeconds, `Must be >= 0 and <= ${SQS_LIMITS.maxWaitTimeSeconds}, if provided.`);
      const attributeNames = [...(strList(input, 'AttributeNames') ?? []), ...(strList(input, 'MessageSystemAttributeNames') ?? [])];
      const messageAttributeNames = strList(input, 'MessageAttributeNames');
      // WaitTimeSeconds is a caller's (wall) duration; the queue's default is a queue attribute (virtual).
      const waitWallMs = wait !== undefined ? wait * 1000 : (Number(engine.getAttributes(url, ['ReceiveMessageWaitTimeSeconds']).ReceiveMessageWaitTimeSeconds ?? 0) * 1000) / clock.speed;
      const deadline = Date.now() + waitWallMs;
      for (;;) {
        engine.tick();
        const messages = engine.receive(url, {
          maxNumberOfMessages: max,
          ...(visibility !== undefined ? {visibilityTimeoutSeconds: wallToVirtual(visibility)} : {}),
          attributeNames,
          ...(messageAttributeNames ? {messageAttributeNames} : {}),
        });
        if (messages.length > 0) {
          return {
            Messages: messages.map((m) => ({
              MessageId: m.MessageId,
              ReceiptHandle: m.ReceiptHandle,
              MD5OfBody: m.MD5OfBody,
              Body: m.Body,
              ...(Object.keys(m.Attributes).length > 0 ? {Attributes: m.Attributes} : {}),
              ...(m.MD5OfMessageAttributes ? {MD5OfMessageAttributes: m.MD5OfMessageAttributes} : {}),
              ...(Object.keys(m.MessageAttributes).length > 0 ? {MessageAttributes: m.MessageAttributes} : {}),
            })),
          };
        }
        const left = deadline - Date.now();
        if (left <= 0) return {};
        await sleep(Math.min(LONG_POLL_STEP_MS, left));
      }
    },
    DeleteMessage(input) {
      engine.deleteMessage(str(input, 'QueueUrl'), str(input, 'ReceiptHandle'));
      return {};
    },
    DeleteMessageBatch(input) {
      const url = str(input, 'QueueUrl');
      const r = engine.deleteBatch(
        url,
        entries(input).map((e) => ({id: typeof e.Id === 'string' ? e.Id : '', receiptHandle: typeof e.ReceiptHandle === 'string' ? e.ReceiptHandle : ''})),
      );
      return {Successful: r.successful.map((Id) => ({Id})), Failed: r.failed};
    },
    ChangeMessageVisibility(input) {
      const url = str(input, 'QueueUrl');
      const handle = str(input, 'ReceiptHandle');
      const seconds = int(input, 'VisibilityTimeout', 0, SQS_LIMITS.maxVisibilityTimeout, `Must be between 0 and ${SQS_LIMITS.maxVisibilityTimeout}.`);
      engine.changeVisibility(url, handle, wallToVirtual(seconds));
      return {};
    },
    ChangeMessageVisibilityBatch(input) {
      const url = str(input, 'QueueUrl');
      const list = entries(input).map((e) => {
        const v = e.VisibilityTimeout;
        const valid = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= SQS_LIMITS.maxVisibilityTimeout;
        return {
          id: typeof e.Id === 'string' ? e.Id : '',
          receiptHandle: typeof e.ReceiptHandle === 'string' ? e.ReceiptHandle : '',
          // an invalid value fails that entry in the engine (a negative virtual duration)
          visibilityTimeoutSeconds: valid ? wallToVirtual(v) : Number.NaN,
        };
      });
      const r = engine.changeVisibilityBatch(url, list);
      return {Successful: r.successful.map((Id) => ({Id})), Failed: r.failed};
    },
    PurgeQueue(input) {
      engine.purge(str(input, 'QueueUrl'));
      return {};
    },
    ListDeadLetterSourceQueues(input) {
      const {page, nextToken} = paginate(engine.listDeadLetterSourceQueues(str(input, 'QueueUrl')), input);
      return {queueUrls: page, ...(nextToken ? {NextToken: nextToken} : {})};
    },
    TagQueue(input) {
      const url = str(input, 'QueueUrl');
      const tags = strMap(input, 'Tags');
      if (!tags) throw missing('Tags');
      engine.tagQueue(url, tags);
      return {};
    },
    UntagQueue(input) {
      const url = str(input, 'QueueUrl');
      const keys = strList(input, 'TagKeys');
      if (!keys) throw missing('TagKeys');
      engine.untagQueue(url, keys);
      return {};
    },
    ListQueueTags(input) {
      const tags = engine.listQueueTags(str(input, 'QueueUrl'));
      return Object.keys(tags).length > 0 ? {Tags: tags} : {};
    },
    StartMessageMoveTask(input) {
      const rate = optInt(input, 'MaxNumberOfMessagesPerSecond', 1, SQS_LIMITS.maxMoveRate);
      const destinationArn = optStr(input, 'DestinationArn');
      const r = engine.startMoveTask({
        sourceArn: str(input, 'SourceArn'),
        ...(destinationArn !== undefined ? {destinationArn} : {}),
        ...(rate !== undefined ? {maxNumberOfMessagesPerSecond: rate} : {}),
      });
      return {TaskHandle: r.taskHandle};
    },
    ListMessageMoveTasks(input) {
      const max = optInt(input, 'MaxResults', 1, 10);
      return {Results: engine.listMoveTasks(str(input, 'SourceArn'), max ?? 1)};
    },
    CancelMessageMoveTask(input) {
      const r = engine.cancelMoveTask(str(input, 'TaskHandle'));
      return {ApproximateNumberOfMessagesMoved: r.approximateNumberOfMessagesMoved};
    },
  };

  return async (request) => {
    const target = header(request, 'x-amz-target');
    if (!target || !target.startsWith(TARGET_PREFIX)) return undefined;
    const operation = target.slice(TARGET_PREFIX.length);
    if (request.method !== 'POST') return reply(404, {__type: 'com.amazon.coral.service#UnknownOperationException', message: `${request.method} is not supported.`});
    const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (!handler) return reply(400, {__type: 'com.amazon.coral.service#UnknownOperationException', message: `Operation ${operation} is not supported by the simulator's SQS.`});
    let input: unknown;
    try {
      const text = request.body.toString('utf8');
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return reply(400, {__type: 'com.amazon.coral.service#SerializationException', message: 'The request body is not valid JSON.'});
    }
    if (!input || typeof input !== 'object' || Array.isArray(input))
      return reply(400, {__type: 'com.amazon.coral.service#SerializationException', message: 'The request body must be a JSON object.'});
    try {
      engine.tick();
      return reply(200, await handler(input as Json));
    } catch (error) {
      if (error instanceof SqsError) return errorReply(error);
      return reply(500, {__type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error. Please try again.'}, {'x-amzn-query-error': 'InternalError;Receiver'});
    }
  };
}
