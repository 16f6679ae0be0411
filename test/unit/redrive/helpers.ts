import type {FailedEvent} from '../../../source/domain/types.ts';

export function event(overrides: Partial<FailedEvent> = {}): FailedEvent {
  const body = overrides.body ?? overrides.payload ?? '{"order":1}';
  return {
    shape: 'dlq-message', source: 'dlq', queueUrl: 'http://q/dlq', messageId: 'm1', receiptHandle: 'r1', time: 1, requestId: 'req-1',
    functionArn: null, condition: null, attempts: 3, errorType: null, errorMessage: 'boom', stackTrace: [], errorCode: 500, functionError: null,
    payload: body, sizeBytes: Buffer.byteLength(body), receiveCount: 1, sentAt: 1, messageAttributes: {}, note: null, body,
    ...overrides,
  };
}
