// SQS server-side DLQ redrive (StartMessageMoveTask and friends). Works only for DLQs fed by an SQS
// redrive policy: AWS refuses DLQs whose source is Lambda or SNS. Emulators (fauxqs, moto) often do not
// implement these calls: that answer is reported as {supported: false} so the caller falls back to a
// client-side move, instead of as an error.
import {CancelMessageMoveTaskCommand, ListMessageMoveTasksCommand, StartMessageMoveTaskCommand} from './sdk/sqs.ts';
import type {AwsClients} from './clients.ts';
import type {MutationGate} from './mutation-gate.ts';

type SqsClients = Pick<AwsClients, 'sqs'>;

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED' | string;

export interface MoveTask {
  taskHandle: string | null;
  status: MoveTaskStatus;
  sourceArn: string;
  destinationArn: string | null;
  maxPerSecond: number | null;
  moved: number | null;
  toMove: number | null;
  failureReason: string | null;
  startedAt: number | null;
}

export type Unsupported = {supported: false; reason: string};

/** True when an error says "this endpoint does not implement the operation" (emulators), as opposed to a
 * real refusal (access denied, a Lambda-sourced DLQ, a task already running). */
export function isUnsupportedOperation(error: unknown): boolean {
  const e = error as {name?: string; message?: string; $metadata?: {httpStatusCode?: number}} | null;
  const name = e?.name ?? '';
  const message = (e?.message ?? '').toLowerCase();
  const status = e?.$metadata?.httpStatusCode;
  if (/^(UnknownOperation|InvalidAction|NotImplemented|UnsupportedOperation)/i.test(name)) return true;
  if (status === 501) return true;
  // moto answers unimplemented operations with an HTML 500 page the SDK cannot parse.
  if (name === 'SyntaxError' && /deserialization error/.test(message)) return true;
  if (/not (yet )?implemented|unknown operation|unsupported operation|is not supported|unknown action|invalid action|does not exist in this service/.test(message)) return true;
  return false;
}

function errorMessage(error: unknown): string {
  const e = error as {name?: string; message?: string} | null;
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}

/** Starts a server-side move. Gated ('move'). No destinationArn = back to the queues the DLQ serves. */
export async function startMoveTask(
  clients: SqsClients,
  gate: MutationGate,
  options: {sourceArn: string; destinationArn?: string; maxPerSecond?: number},
): Promise<{supported: true; taskHandle: string} | Unsupported> {
  gate.assertAllowed('move', `would start moving the messages of ${options.sourceArn} ${options.destinationArn ? `to ${options.destinationArn}` : 'back to their source queues'}`);
  try {
    const response = await clients.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: options.sourceArn,
        ...(options.destinationArn ? {DestinationArn: options.destinationArn} : {}),
        ...(options.maxPerSecond !== undefined ? {MaxNumberOfMessagesPerSecond: Math.max(1, Math.min(500, Math.floor(options.maxPerSecond)))} : {}),
      }),
    );
    if (!response.TaskHandle) return {supported: false, reason: 'the endpoint returned no task handle'};
    return {supported: true, taskHandle: response.TaskHandle};
  } catch (error) {
    if (isUnsupportedOperation(error)) return {supported: false, reason: errorMessage(error)};
    throw error;
  }
}

/** The most recent move tasks of a DLQ (up to 10), newest first. Read-only. */
export async function listMoveTasks(clients: SqsClients, sourceArn: string): Promise<{supported: true; tasks: MoveTask[]} | Unsupported> {
  try {
    const response = await clients.sqs.send(new ListMessageMoveTasksCommand({SourceArn: sourceArn, MaxResults: 10}));
    return {
      supported: true,
      tasks: (response.Results ?? []).map((r) => ({
        taskHandle: r.TaskHandle ?? null,
        status: r.Status ?? 'UNKNOWN',
        sourceArn: r.SourceArn ?? sourceArn,
        destinationArn: r.DestinationArn ?? null,
        maxPerSecond: r.MaxNumberOfMessagesPerSecond ?? null,
        moved: r.ApproximateNumberOfMessagesMoved ?? null,
        toMove: r.ApproximateNumberOfMessagesToMove ?? null,
        failureReason: r.FailureReason ?? null,
        startedAt: r.StartedTimestamp ?? null,
      })),
    };
  } catch (error) {
    if (isUnsupportedOperation(error)) return {supported: false, reason: errorMessage(error)};
    throw error;
  }
}

/** Cancels a running move task. Gated ('move'): cancelling changes what happens to messages. */
export async function cancelMoveTask(clients: SqsClients, gate: MutationGate, taskHandle: string): Promise<{supported: true; moved: number | null} | Unsupported> {
  gate.assertAllowed('move', `would cancel move task ${taskHandle}`);
  try {
    const response = await clients.sqs.send(new CancelMessageMoveTaskCommand({TaskHandle: taskHandle}));
    return {supported: true, moved: response.ApproximateNumberOfMessagesMoved ?? null};
  } catch (error) {
    if (isUnsupportedOperation(error)) return {supported: false, reason: errorMessage(error)};
    throw error;
  }
}
