// SQS's errors, with both names AWS uses for each: the JSON protocol's shape name (`__type`,
// "com.amazonaws.sqs#<type>") and the query-compatible code (the `x-amzn-query-error` header,
// "<query>;Sender"), plus the HTTP status, as modelled in @aws-sdk/client-sqs (awsQueryError traits).
import {SqsError} from '../ports.ts';

interface ErrorKind {
  type: string;
  query: string;
  status: number;
}

const kinds = {
  QueueDoesNotExist: {type: 'QueueDoesNotExist', query: 'AWS.SimpleQueueService.NonExistentQueue', status: 400},
  QueueNameExists: {type: 'QueueNameExists', query: 'QueueAlreadyExists', status: 400},
  QueueDeletedRecently: {type: 'QueueDeletedRecently', query: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400},
  InvalidAttributeName: {type: 'InvalidAttributeName', query: 'InvalidAttributeName', status: 400},
  InvalidAttributeValue: {type: 'InvalidAttributeValue', query: 'InvalidAttributeValue', status: 400},
  // Not modelled as a shape in the SDK; AWS answers it for out-of-range request parameters.
  InvalidParameterValue: {type: 'InvalidParameterValue', query: 'InvalidParameterValue', status: 400},
  MissingParameter: {type: 'MissingParameter', query: 'MissingParameter', status: 400},
  ReceiptHandleIsInvalid: {type: 'ReceiptHandleIsInvalid', query: 'ReceiptHandleIsInvalid', status: 404},
  MessageNotInflight: {type: 'MessageNotInflight', query: 'AWS.SimpleQueueService.MessageNotInflight', status: 400},
  InvalidMessageContents: {type: 'InvalidMessageContents', query: 'InvalidMessageContents', status: 400},
  EmptyBatchRequest: {type: 'EmptyBatchRequest', query: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400},
  TooManyEntriesInBatchRequest: {type: 'TooManyEntriesInBatchRequest', query: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400},
  BatchEntryIdsNotDistinct: {type: 'BatchEntryIdsNotDistinct', query: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400},
  InvalidBatchEntryId: {type: 'InvalidBatchEntryId', query: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400},
  BatchRequestTooLong: {type: 'BatchRequestTooLong', query: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400},
  PurgeQueueInProgress: {type: 'PurgeQueueInProgress', query: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403},
  ResourceNotFoundException: {type: 'ResourceNotFoundException', query: 'ResourceNotFoundException', status: 404},
  UnsupportedOperation: {type: 'UnsupportedOperation', query: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400},
  OverLimit: {type: 'OverLimit', query: 'OverLimit', status: 403},
} satisfies Record<string, ErrorKind>;

export type SqsErrorKind = keyof typeof kinds;

const byQuery = new Map<string, ErrorKind>(Object.values(kinds).map((k) => [k.query, k]));

/** An SqsError whose `code` is the query-compatible code (as ports.ts documents). */
export function sqsError(kind: SqsErrorKind, message: string): SqsError {
  const k: ErrorKind = kinds[kind];
  return new SqsError(k.query, message, k.status, `${k.query};${k.status >= 500 ? 'Receiver' : 'Sender'}`);
}

/** The JSON protocol's `__type` for an engine error. */
export function jsonErrorType(error: SqsError): string {
  const kind = byQuery.get(error.code);
  return `com.amazonaws.sqs#${kind ? kind.type : error.code}`;
}

export function isSqsError(error: unknown): error is SqsError {
  return error instanceof SqsError;
}
