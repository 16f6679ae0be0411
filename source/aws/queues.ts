// Queues where failed events sit: which ones (from the topology), their URLs, and their depth.
import type {QueueAttributeName} from '@aws-sdk/client-sqs';
import type {AwsClients} from './clients.ts';
import {readsFor} from './sdk-reads.ts';
import {call} from './call.ts';
import {getQueueUrl, parseRedrivePolicy} from './discovery.ts';
import {toAwsCallError, type AwsCallError} from './errors.ts';
import {queueNameFromArn, queueUrlFromArn} from '../domain/arn.ts';
import type {FunctionTopology, QueueRole, QueueStatus, Target} from '../domain/types.ts';

export interface QueueRef {
  role: QueueRole;
  /** The queue's URL; when it could not be resolved, AWS's default URL for the ARN and `unresolved` says why. */
  url: string;
  arn: string;
  name: string;
  /** Set when GetQueueUrl failed (queue gone, access denied): the queue is shown with this error and
   * resolution is tried again on the next refresh. */
  unresolved?: string;
}

/** QueueStatus plus the queue's own redrive policy (a DLQ can have a DLQ of its own). */
export interface QueueStatusDetail extends QueueStatus {
  redrive: {deadLetterTargetArn: string; maxReceiveCount: number} | null;
}

/** Exactly the attributes the dashboard reads. */
export const QUEUE_STATUS_ATTRIBUTES: QueueAttributeName[] = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'MessageRetentionPeriod',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'FifoQueue',
  'RedrivePolicy',
];

export const QUEUE_GONE_MESSAGE = 'queue no longer exists';

/** The roles a topology gives its SQS queues, in display order (pure). A queue with two roles appears twice. */
export function queueRolesOf(topology: FunctionTopology): Array<{role: QueueRole; arn: string; name: string; url: string | null}> {
  const out: Array<{role: QueueRole; arn: string; name: string; url: string | null}> = [];
  const seen = new Set<string>();
  const add = (role: QueueRole, arn: string, url: string | null) => {
    const name = queueNameFromArn(arn);
    if (!name || seen.has(`${role} ${arn}`)) return;
    seen.add(`${role} ${arn}`);
    out.push({role, arn, name, url});
  };
  const sqs = (target: Target | null) => (target && target.kind === 'sqs' ? target.arn : null);
  const dlq = sqs(topology.deadLetterTarget);
  if (dlq) add('dlq', dlq, null);
  const failure = sqs(topology.onFailure);
  if (failure) add('on-failure', failure, null);
  const success = sqs(topology.onSuccess);
  if (success) add('on-success', success, null);
  for (const source of topology.eventSources) {
    if (!queueNameFromArn(source.sourceArn)) continue;
    add('source', source.sourceArn, source.queueUrl);
    if (source.redrive) add('source-dlq', source.redrive.deadLetterTargetArn, null);
  }
  return out;
}

/** Resolves the URL of every queue the topology names (GetQueueUrl by name + owner account, once per queue). */
export async function resolveQueues(clients: AwsClients, topology: FunctionTopology, options: {signal?: AbortSignal} = {}): Promise<QueueRef[]> {
  const roles = queueRolesOf(topology);
  const known = new Map<string, string>();
  for (const r of roles) if (r.url) known.set(r.arn, r.url);
  const distinct = [...new Set(roles.map((r) => r.arn))];
  const resolved = new Map<string, {url: string} | {error: AwsCallError}>();
  await Promise.all(
    distinct.map(async (arn) => {
      const url = known.get(arn);
      if (url) {
        resolved.set(arn, {url});
        return;
      }
      try {
        resolved.set(arn, {url: await getQueueUrl(clients, arn, options.signal)});
      } catch (error) {
        resolved.set(arn, {error: toAwsCallError(error, {action: 'sqs:GetQueueUrl', resource: arn})});
      }
    }),
  );
  return roles.map((r) => {
    const result = resolved.get(r.arn);
    if (result && 'url' in result) return {role: r.role, url: result.url, arn: r.arn, name: r.name};
    const error = result && 'error' in result ? result.error : undefined;
    if (error?.kind === 'throttled' || error?.kind === 'network') throw error;
    return {
      role: r.role,
      url: queueUrlFromArn(r.arn) ?? r.arn,
      arn: r.arn,
      name: r.name,
      unresolved: error?.kind === 'not-found' ? QUEUE_GONE_MESSAGE : (error?.message ?? 'queue URL unknown'),
    };
  });
}

function count(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function emptyStatus(ref: QueueRef, error: string | null): QueueStatusDetail {
  return {
    role: ref.role,
    url: ref.url,
    arn: ref.arn,
    name: ref.name,
    visible: null,
    inFlight: null,
    delayed: null,
    oldestAgeSeconds: null,
    retentionSeconds: null,
    visibilityTimeoutSeconds: null,
    maximumMessageSizeBytes: null,
    fifo: ref.name.endsWith('.fifo'),
    error,
    redrive: null,
  };
}

/** Reads one queue (resolving its URL first when that failed before). Throws AwsCallError. */
async function readQueue(clients: AwsClients, ref: QueueRef, signal: AbortSignal | undefined): Promise<QueueStatusDetail> {
  let url = ref.url;
  if (ref.unresolved) url = await getQueueUrl(clients, ref.arn, signal);
  const response = await call(clients, {action: 'sqs:GetQueueAttributes', resource: url, ...(signal ? {signal} : {})}, (o) =>
    readsFor(clients).getQueueAttributes({QueueUrl: url, AttributeNames: QUEUE_STATUS_ATTRIBUTES}, o),
  );
  const a = response.Attributes ?? {};
  return {
    ...emptyStatus({...ref, url}, null),
    visible: count(a['ApproximateNumberOfMessages']),
    inFlight: count(a['ApproximateNumberOfMessagesNotVisible']),
    delayed: count(a['ApproximateNumberOfMessagesDelayed']),
    retentionSeconds: count(a['MessageRetentionPeriod']),
    visibilityTimeoutSeconds: count(a['VisibilityTimeout']),
    maximumMessageSizeBytes: count(a['MaximumMessageSize']),
    fifo: a['FifoQueue'] === 'true' || ref.name.endsWith('.fifo'),
    redrive: parseRedrivePolicy(a['RedrivePolicy']),
  };
}

function errorText(error: AwsCallError): string {
  return error.kind === 'not-found' ? QUEUE_GONE_MESSAGE : error.message;
}

/** One GetQueueAttributes; a vanished or unreadable queue gives a status carrying the error (never throws). */
export async function fetchQueueStatus(clients: AwsClients, ref: QueueRef, options: {signal?: AbortSignal} = {}): Promise<QueueStatusDetail> {
  try {
    return await readQueue(clients, ref, options.signal);
  } catch (error) {
    return emptyStatus(ref, errorText(toAwsCallError(error, {action: 'sqs:GetQueueAttributes', resource: ref.url})));
  }
}

/**
 * Every queue's status, one GetQueueAttributes per distinct queue (a queue with two roles is read once
 * and reported under both). Per-queue failures become that queue's `error`; when every queue failed
 * for a transient reason (network, throttling) the first such error is thrown instead, so the poller
 * backs off and keeps the last good statuses.
 */
export async function fetchQueueStatuses(clients: AwsClients, refs: readonly QueueRef[], options: {signal?: AbortSignal} = {}): Promise<QueueStatusDetail[]> {
  const byUrl = new Map<string, Promise<{status: QueueStatusDetail} | {error: AwsCallError}>>();
  for (const ref of refs) {
    const key = ref.arn || ref.url;
    if (byUrl.has(key)) continue;
    byUrl.set(
      key,
      readQueue(clients, ref, options.signal).then(
        (status) => ({status}),
        (error: unknown) => ({error: toAwsCallError(error, {action: 'sqs:GetQueueAttributes', resource: ref.url})}),
      ),
    );
  }
  const results = new Map<string, {status: QueueStatusDetail} | {error: AwsCallError}>();
  await Promise.all([...byUrl.entries()].map(async ([key, promise]) => results.set(key, await promise)));
  const failures = [...results.values()].filter((r): r is {error: AwsCallError} => 'error' in r);
  if (results.size > 0 && failures.length === results.size) {
    const transient = failures.find((f) => f.error.kind === 'network' || f.error.kind === 'throttled' || (f.error.retryable && f.error.kind === 'other'));
    if (transient) throw transient.error;
  }
  return refs.map((ref) => {
    const result = results.get(ref.arn || ref.url)!;
    if ('status' in result) return {...result.status, role: ref.role};
    return emptyStatus(ref, errorText(result.error));
  });
}
