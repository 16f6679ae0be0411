// The Lambda call the redrive needs: the async Invoke (gated), with its errors classified. Where a
// function's failed events go (DLQ, OnFailure destination, event source DLQs) comes from discovery.ts.
import type {AwsClients} from './clients.ts';
import type {MutationGate} from './mutation-gate.ts';

type LambdaClients = Pick<AwsClients, 'lambda'>;

export type InvokeOutcome =
  | {outcome: 'accepted'; statusCode: 202; requestId: string}
  | {outcome: 'throttled' | 'too-large' | 'not-found' | 'denied' | 'failed'; message: string; retryable: boolean};

/** Lambda's documented limit for asynchronous invocation payloads is "1 MB". AWS's text does not say which
 * megabyte; we use 1 MiB (1,048,576 bytes), the same figure as SQS's message limit since August 2025, so a
 * payload that fits in a DLQ message is never refused locally. A payload AWS still finds too large comes
 * back as RequestEntityTooLargeException -> outcome 'too-large', and its message stays in the queue. */
export const ASYNC_PAYLOAD_LIMIT_BYTES = 1_048_576;

/** Invoke with InvocationType Event. Gated ('invoke'). 'accepted' ONLY when Lambda answered 202. A
 * transport error (timeout, dropped connection) is 'failed' + retryable: the event may or may not have been
 * queued, so the message must stay (a possible duplicate, never a loss). */
export async function invokeAsync(clients: LambdaClients, gate: MutationGate, functionName: string, payload: string, qualifier?: string): Promise<InvokeOutcome> {
  gate.assertAllowed('invoke', `redrive would invoke ${functionName}${qualifier ? `:${qualifier}` : ''}`);
  try {
    // The SDK's Lambda module with the first invoke: the dashboard imports this module (the redrive's plan reads
    // its limit) without sending one.
    const {InvokeCommand} = await import('./sdk/lambda.ts');
    const response = await clients.lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(payload, 'utf8'),
        ...(qualifier ? {Qualifier: qualifier} : {}),
      }),
    );
    if (response.StatusCode === 202) return {outcome: 'accepted', statusCode: 202, requestId: response.$metadata.requestId ?? ''};
    return {outcome: 'failed', message: `unexpected status ${String(response.StatusCode)} for an Event invocation (expected 202)`, retryable: false};
  } catch (error) {
    return classifyInvokeError(error);
  }
}

export function classifyInvokeError(error: unknown): Exclude<InvokeOutcome, {outcome: 'accepted'}> {
  const e = error as {name?: string; message?: string; $metadata?: {httpStatusCode?: number}; $retryable?: unknown} | null;
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const message = `${name}: ${e?.message ?? String(error)}`;
  if (name === 'TooManyRequestsException' || name === 'ThrottlingException' || status === 429) return {outcome: 'throttled', message, retryable: true};
  if (name === 'RequestTooLargeException' || name === 'RequestEntityTooLargeException' || status === 413) return {outcome: 'too-large', message, retryable: false};
  if (name === 'ResourceNotFoundException' || status === 404) return {outcome: 'not-found', message, retryable: false};
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnrecognizedClientException' || status === 403 || status === 401) {
    return {outcome: 'denied', message, retryable: false};
  }
  // 5xx, ResourceNotReady, ResourceConflict (function updating), and transport errors (no status): retry.
  const retryable = status === undefined || status >= 500 || name === 'ResourceNotReadyException' || name === 'ResourceConflictException';
  return {outcome: 'failed', message, retryable};
}
