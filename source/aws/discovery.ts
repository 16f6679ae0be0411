// Discovery: what a function's async failure topology is, from the Lambda and SQS APIs.
// Only GetFunctionConfiguration must succeed; every other call may be denied, throttled or not
// implemented by an emulator: its fields are then recorded in `unknown` (field -> reason) and discovery
// goes on. Calls that do not depend on each other run in parallel.
import type {
  EventSourceMappingConfiguration,
  FunctionConfiguration,
  FunctionEventInvokeConfig,
  ProvisionedConcurrencyConfigListItem,
} from '@aws-sdk/client-lambda';
import type {AwsClients} from './clients.ts';
import {readsFor} from './sdk-reads.ts';
import {call, errorContext} from './call.ts';
import {AwsCallError, toAwsCallError} from './errors.ts';
import {parseArn, parseFunctionArn, targetFromArn} from '../domain/arn.ts';
import type {EventSourceMapping, FunctionTopology, ProvisionedConcurrency} from '../domain/types.ts';

/** Lambda's documented defaults when PutFunctionEventInvokeConfig was never called. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

/** The function does not exist (in this region / account). Its message names all three. */
export class FunctionNotFoundError extends Error {
  readonly functionName: string;
  readonly region: string;
  readonly accountId: string | null;
  constructor(functionName: string, region: string, accountId: string | null, options?: {cause?: unknown}) {
    super(`Function ${functionName} not found in ${region} (account ${accountId ?? 'this account'}): check the name, --region and --profile`, options);
    this.name = 'FunctionNotFoundError';
    this.functionName = functionName;
    this.region = region;
    this.accountId = accountId;
  }
}

export interface DiscoverOptions {
  /** A function name, or a (possibly qualified) function ARN. */
  functionName: string;
  /** Version or alias. */
  qualifier?: string;
  now?: () => number;
  signal?: AbortSignal;
  /** What a recent read of an SQS source queue said (the dashboard reads every queue in turn): its URL, redrive policy
   * and visibility timeout are taken from it instead of GetQueueUrl + GetQueueAttributes. Absent: read them. */
  knownSource?: (sourceArn: string) => KnownSourceQueue | undefined;
}

/** A source queue's attributes discovery needs, as a recent GetQueueAttributes of it answered. */
export interface KnownSourceQueue {
  url: string;
  redrive: {deadLetterTargetArn: string; maxReceiveCount: number} | null;
  visibilityTimeoutSeconds: number | null;
}

type Settled<T> = {ok: true; value: T} | {ok: false; error: AwsCallError};

async function settle<T>(promise: Promise<T>, context: {action: string; resource?: string}): Promise<Settled<T>> {
  try {
    return {ok: true, value: await promise};
  } catch (error) {
    return {ok: false, error: toAwsCallError(error, {action: context.action, ...(context.resource ? {resource: context.resource} : {})})};
  }
}

function numberOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** Parses an SQS RedrivePolicy attribute ({"deadLetterTargetArn": ..., "maxReceiveCount": "5"|5}). */
export function parseRedrivePolicy(text: string | undefined | null): {deadLetterTargetArn: string; maxReceiveCount: number} | null {
  if (!text) return null;
  try {
    const policy = JSON.parse(text) as {deadLetterTargetArn?: unknown; maxReceiveCount?: unknown};
    const count = numberOrNull(policy.maxReceiveCount);
    if (typeof policy.deadLetterTargetArn !== 'string' || count === null) return null;
    return {deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: count};
  } catch {
    return null;
  }
}

/** The account id in a "Function not found: arn:aws:lambda:...:123456789012:function:x" message. */
function accountFromText(text: string | undefined): string | null {
  const match = /arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):/.exec(text ?? '');
  return match?.[1] ?? null;
}

export async function discoverTopology(clients: AwsClients, options: DiscoverOptions): Promise<FunctionTopology> {
  const now = options.now ?? Date.now;
  const signal = options.signal;
  const fromArn = parseFunctionArn(options.functionName);
  const name = fromArn?.name ?? options.functionName;
  const qualifier = options.qualifier ?? fromArn?.qualifier ?? null;
  const arnAccount = parseArn(options.functionName)?.accountId || null;
  let region: string;
  try {
    region = await clients.region();
    if (!region || region === 'undefined') throw new Error('Region is missing');
  } catch (error) {
    throw toAwsCallError(error, {action: 'lambda:GetFunctionConfiguration', resource: name});
  }
  // Calls accept the name or the ARN the user gave; an ARN keeps cross-account access working.
  const functionId = fromArn ? options.functionName.split(':').slice(0, 7).join(':') : name;
  const ctx = (action: string, resource: string = functionId) => ({action, resource, ...(signal ? {signal} : {})});
  // The lean reads when the clients have them (one custom endpoint), else the SDK's (aws/sdk-reads.ts).
  const reads = readsFor(clients);

  // Everything below needs only the function's name, so it all starts at once.
  const configuration = settle(
    call(clients, ctx('lambda:GetFunctionConfiguration'), (o) =>
      reads.getFunctionConfiguration({FunctionName: functionId, ...(qualifier ? {Qualifier: qualifier} : {})}, o),
    ),
    {action: 'lambda:GetFunctionConfiguration'},
  );
  const invokeConfig = settle(
    call(clients, ctx('lambda:GetFunctionEventInvokeConfig'), (o) =>
      reads.getFunctionEventInvokeConfig({FunctionName: functionId, ...(qualifier ? {Qualifier: qualifier} : {})}, o),
    ),
    {action: 'lambda:GetFunctionEventInvokeConfig'},
  );
  const concurrency = settle(
    call(clients, ctx('lambda:GetFunctionConcurrency'), (o) => reads.getFunctionConcurrency({FunctionName: functionId}, o)),
    {action: 'lambda:GetFunctionConcurrency'},
  );
  const account = settle(
    call(clients, ctx('lambda:GetAccountSettings', '*'), (o) => reads.getAccountSettings(o)),
    {action: 'lambda:GetAccountSettings'},
  );
  const provisioned = settle(listProvisioned(clients, functionId, signal), {action: 'lambda:ListProvisionedConcurrencyConfigs'});
  // Mappings of a version/alias are listed by its qualified ARN, which GetFunctionConfiguration gives.
  const mappings = settle(
    qualifier
      ? configuration.then((c) => (c.ok ? listMappings(clients, `${(c.value.FunctionArn ?? functionId).split(':').slice(0, 7).join(':')}:${qualifier}`, signal) : Promise.reject(c.error)))
      : listMappings(clients, functionId, signal),
    {action: 'lambda:ListEventSourceMappings'},
  );
  const others = Promise.all([invokeConfig, concurrency, account, provisioned, mappings]);

  const config = await configuration;
  if (!config.ok) {
    await others; // settle the rest (never leave rejections behind)
    if (config.error.kind === 'not-found') {
      const accountId = arnAccount ?? accountFromText((config.error.cause as {message?: string} | undefined)?.message);
      throw new FunctionNotFoundError(qualifier ? `${name}:${qualifier}` : name, region, accountId, {cause: config.error});
    }
    throw config.error;
  }
  const fn: FunctionConfiguration = config.value;
  const functionArn = fn.FunctionArn ?? null;
  const accountId = parseArn(functionArn)?.accountId || arnAccount;

  // SQS event sources: read each source queue's redrive policy and visibility timeout (in parallel).
  const mappingsResult = await mappings;
  const eventSourcesPromise = mappingsResult.ok
    ? Promise.all(mappingsResult.value.map((mapping) => describeMapping(clients, mapping, signal, options.knownSource)))
    : Promise.resolve([] as Array<{mapping: EventSourceMapping; unknown: string | null}>);
  const [eic, conc, acct, pc] = await others;
  const eventSources = await eventSourcesPromise;

  const unknown: Record<string, string> = {};
  let maximumRetryAttempts: number | null = null;
  let maximumEventAgeSeconds: number | null = null;
  let onSuccess: FunctionTopology['onSuccess'] = null;
  let onFailure: FunctionTopology['onFailure'] = null;
  if (eic.ok) {
    const value: FunctionEventInvokeConfig = eic.value;
    maximumRetryAttempts = value.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
    maximumEventAgeSeconds = value.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS;
    const success = value.DestinationConfig?.OnSuccess?.Destination;
    const failure = value.DestinationConfig?.OnFailure?.Destination;
    onSuccess = success ? targetFromArn(success) : null;
    onFailure = failure ? targetFromArn(failure) : null;
  } else if (eic.error.kind === 'not-found') {
    // Never configured: Lambda's defaults apply and there are no destinations. That is known, not unknown.
    maximumRetryAttempts = DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
    maximumEventAgeSeconds = DEFAULT_MAXIMUM_EVENT_AGE_SECONDS;
  } else {
    for (const field of ['maximumRetryAttempts', 'maximumEventAgeSeconds', 'onSuccess', 'onFailure']) unknown[field] = eic.error.message;
  }

  let reservedConcurrency: number | null = null;
  if (conc.ok) reservedConcurrency = conc.value.ReservedConcurrentExecutions ?? null;
  else unknown['reservedConcurrency'] = conc.error.message;

  const accountSettings: FunctionTopology['account'] = {concurrentExecutions: null, unreservedConcurrentExecutions: null};
  if (acct.ok) {
    accountSettings.concurrentExecutions = acct.value.AccountLimit?.ConcurrentExecutions ?? null;
    accountSettings.unreservedConcurrentExecutions = acct.value.AccountLimit?.UnreservedConcurrentExecutions ?? null;
  } else {
    unknown['account'] = acct.error.message;
  }

  let provisionedList: ProvisionedConcurrency[] = [];
  if (pc.ok) {
    provisionedList = pc.value
      .map(toProvisioned)
      .filter((item) => !qualifier || item.qualifier === qualifier);
  } else {
    unknown['provisioned'] = pc.error.message;
  }

  if (!mappingsResult.ok) unknown['eventSources'] = mappingsResult.error.message;
  for (const source of eventSources) {
    if (source.unknown) unknown[`eventSources.${source.mapping.uuid}`] = source.unknown;
  }

  const deadLetterArn = fn.DeadLetterConfig?.TargetArn;
  return {
    name: fn.FunctionName ?? name,
    arn: functionArn,
    region,
    accountId: accountId || null,
    qualifier,
    runtime: fn.Runtime ?? null,
    timeoutSeconds: fn.Timeout ?? null,
    memoryMb: fn.MemorySize ?? null,
    logGroup: fn.LoggingConfig?.LogGroup || `/aws/lambda/${fn.FunctionName ?? name}`,
    reservedConcurrency,
    provisioned: provisionedList,
    account: accountSettings,
    maximumRetryAttempts,
    maximumEventAgeSeconds,
    deadLetterTarget: deadLetterArn ? targetFromArn(deadLetterArn) : null,
    onSuccess,
    onFailure,
    eventSources: eventSources.map((source) => source.mapping),
    unknown,
    discoveredAt: now(),
  };
}

function toProvisioned(item: ProvisionedConcurrencyConfigListItem): ProvisionedConcurrency {
  const arn = item.FunctionArn ?? '';
  return {
    qualifier: parseFunctionArn(arn)?.qualifier ?? arn.slice(arn.lastIndexOf(':') + 1),
    requested: item.RequestedProvisionedConcurrentExecutions ?? null,
    allocated: item.AllocatedProvisionedConcurrentExecutions ?? null,
    available: item.AvailableProvisionedConcurrentExecutions ?? null,
    status: item.Status ?? null,
  };
}

const MAX_PAGES = 50;

async function listProvisioned(clients: AwsClients, functionId: string, signal: AbortSignal | undefined): Promise<ProvisionedConcurrencyConfigListItem[]> {
  const items: ProvisionedConcurrencyConfigListItem[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await call(clients, {action: 'lambda:ListProvisionedConcurrencyConfigs', resource: functionId, ...(signal ? {signal} : {})}, (o) =>
      readsFor(clients).listProvisionedConcurrencyConfigs({FunctionName: functionId, ...(marker ? {Marker: marker} : {})}, o),
    );
    items.push(...(response.ProvisionedConcurrencyConfigs ?? []));
    marker = response.NextMarker || undefined;
    if (!marker) break;
  }
  return items;
}

async function listMappings(clients: AwsClients, functionId: string, signal: AbortSignal | undefined): Promise<EventSourceMappingConfiguration[]> {
  const items: EventSourceMappingConfiguration[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await call(clients, {action: 'lambda:ListEventSourceMappings', resource: functionId, ...(signal ? {signal} : {})}, (o) =>
      readsFor(clients).listEventSourceMappings({FunctionName: functionId, ...(marker ? {Marker: marker} : {})}, o),
    );
    items.push(...(response.EventSourceMappings ?? []));
    marker = response.NextMarker || undefined;
    if (!marker) break;
  }
  return items;
}

/** Resolves an SQS queue's URL by name and owner account (works against AWS and every emulator). */
export async function getQueueUrl(clients: AwsClients, queueArn: string, signal?: AbortSignal): Promise<string> {
  const parsed = parseArn(queueArn);
  if (!parsed || parsed.service !== 'sqs') {
    throw toAwsCallError(Object.assign(new Error(`not an SQS queue ARN: ${queueArn}`), {name: 'InvalidParameterValue'}), await errorContext(clients, 'sqs:GetQueueUrl', queueArn));
  }
  const response = await call(clients, {action: 'sqs:GetQueueUrl', resource: queueArn, ...(signal ? {signal} : {})}, (o) =>
    readsFor(clients).getQueueUrl({QueueName: parsed.resource, ...(parsed.accountId ? {QueueOwnerAWSAccountId: parsed.accountId} : {})}, o),
  );
  if (!response.QueueUrl) throw new Error(`GetQueueUrl returned no URL for ${queueArn}`);
  return response.QueueUrl;
}

async function describeMapping(
  clients: AwsClients,
  raw: EventSourceMappingConfiguration,
  signal: AbortSignal | undefined,
  knownSource: DiscoverOptions['knownSource'],
): Promise<{mapping: EventSourceMapping; unknown: string | null}> {
  const sourceArn = raw.EventSourceArn ?? '';
  const mapping: EventSourceMapping = {
    uuid: raw.UUID ?? sourceArn,
    sourceArn,
    queueUrl: null,
    state: raw.State ?? null,
    batchSize: raw.BatchSize ?? null,
    maximumConcurrency: raw.ScalingConfig?.MaximumConcurrency ?? null,
    redrive: null,
    visibilityTimeoutSeconds: null,
  };
  if (parseArn(sourceArn)?.service !== 'sqs') return {mapping, unknown: null};
  const known = knownSource?.(sourceArn);
  if (known) {
    mapping.queueUrl = known.url;
    mapping.redrive = known.redrive;
    mapping.visibilityTimeoutSeconds = known.visibilityTimeoutSeconds;
    return {mapping, unknown: null};
  }
  try {
    mapping.queueUrl = await getQueueUrl(clients, sourceArn, signal);
    const url = mapping.queueUrl;
    const response = await call(clients, {action: 'sqs:GetQueueAttributes', resource: url, ...(signal ? {signal} : {})}, (o) =>
      readsFor(clients).getQueueAttributes({QueueUrl: url, AttributeNames: ['RedrivePolicy', 'VisibilityTimeout']}, o),
    );
    const attributes = response.Attributes ?? {};
    mapping.redrive = parseRedrivePolicy(attributes['RedrivePolicy']);
    mapping.visibilityTimeoutSeconds = numberOrNull(attributes['VisibilityTimeout']);
    return {mapping, unknown: null};
  } catch (error) {
    const classified = toAwsCallError(error, {action: 'sqs:GetQueueAttributes', resource: sourceArn});
    return {mapping, unknown: classified.message};
  }
}
