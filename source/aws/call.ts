// One place every adapter sends through: classifies failures with the IAM action and resource the
// call was about, so whatever reaches the screen says what to do ("Access denied: ... lambda:X on arn:...").
import type {AwsClients} from './clients.ts';
import {toAwsCallError, type AwsErrorContext} from './errors.ts';

export interface CallContext {
  /** IAM action, e.g. 'sqs:GetQueueAttributes'. */
  action: string;
  resource?: string;
  signal?: AbortSignal;
}

export async function errorContext(clients: AwsClients, action: string, resource?: string): Promise<AwsErrorContext> {
  let region: string | undefined;
  try {
    region = await clients.region();
  } catch {
    region = undefined;
  }
  return {action, ...(resource ? {resource} : {}), ...(region ? {region} : {}), ...(clients.endpoint ? {endpoint: clients.endpoint} : {})};
}

/** Runs one SDK send and rethrows any failure as an AwsCallError carrying a user-facing message.
 * `send` receives the SDK's per-call options (the abort signal). */
export async function call<R>(
  clients: AwsClients,
  context: CallContext,
  send: (options: {abortSignal?: AbortSignal}) => Promise<R>,
): Promise<R> {
  try {
    return await send(context.signal ? {abortSignal: context.signal} : {});
  } catch (error) {
    throw toAwsCallError(error, await errorContext(clients, context.action, context.resource));
  }
}
