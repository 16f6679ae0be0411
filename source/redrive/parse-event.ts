// The engine's view of message parsing. TEMPORARY: source/domain/failed-event.ts (parseFailedEvent) is
// being written by another engineer; until it lands this module holds a minimal parser with the same
// contract (DLQ body = the original payload; invocation record -> requestPayload). Replace with a re-export.
import type {FailedEvent, MessageAttribute, QueueRole, RawMessage} from '../domain/types.ts';

function attr(attributes: Record<string, MessageAttribute>, name: string): string | null {
  return attributes[name]?.stringValue ?? null;
}

export function parseFailedEvent(message: RawMessage, source: QueueRole, queueUrl: string): FailedEvent {
  const base: FailedEvent = {
    shape: 'unparsed',
    source,
    queueUrl,
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    time: message.sentAt,
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
    sizeBytes: Buffer.byteLength(message.body, 'utf8'),
    receiveCount: message.receiveCount,
    sentAt: message.sentAt,
    messageAttributes: message.messageAttributes,
    note: null,
    body: message.body,
  };
  if (source === 'source' || source === 'source-dlq') return {...base, shape: 'source-message', payload: message.body};
  if (source === 'dlq') {
    const code = Number(attr(message.messageAttributes, 'ErrorCode'));
    return {
      ...base,
      shape: 'dlq-message',
      payload: message.body,
      requestId: attr(message.messageAttributes, 'RequestID'),
      errorMessage: attr(message.messageAttributes, 'ErrorMessage'),
      errorCode: Number.isFinite(code) && attr(message.messageAttributes, 'ErrorCode') !== null ? code : null,
    };
  }
  try {
    const record = JSON.parse(message.body) as {requestContext?: {requestId?: string; functionArn?: string; condition?: string; approximateInvokeCount?: number}; requestPayload?: unknown};
    if (record && typeof record === 'object' && record.requestContext && 'requestPayload' in record) {
      return {
        ...base,
        shape: 'invocation-record',
        payload: JSON.stringify(record.requestPayload),
        requestId: record.requestContext.requestId ?? null,
        functionArn: record.requestContext.functionArn ?? null,
        condition: record.requestContext.condition ?? null,
        attempts: record.requestContext.approximateInvokeCount ?? null,
      };
    }
    return {...base, note: 'not an invocation record (no requestContext/requestPayload)'};
  } catch {
    return {...base, note: 'body is not JSON'};
  }
}
