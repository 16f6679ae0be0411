// The functions of a region: ListFunctions, every page, as plain summaries (the fleet view and `doctor --all`).
import {GetAccountSettingsCommand, GetFunctionConcurrencyCommand, ListFunctionsCommand, type FunctionConfiguration} from './sdk/lambda.ts';
import type {AwsClients} from './clients.ts';
import {call} from './call.ts';

export interface FunctionSummary {
  name: string;
  arn: string | null;
  runtime: string | null;
  timeoutSeconds: number | null;
  memoryMb: number | null;
  /** The DLQ's ARN straight from the listing (ListFunctions returns DeadLetterConfig); null when none. */
  deadLetterTargetArn: string | null;
  logGroup: string | null;
  lastModified: string | null;
}

export function toFunctionSummary(f: FunctionConfiguration): FunctionSummary | null {
  if (!f.FunctionName) return null;
  return {
    name: f.FunctionName,
    arn: f.FunctionArn ?? null,
    runtime: f.Runtime ?? null,
    timeoutSeconds: typeof f.Timeout === 'number' ? f.Timeout : null,
    memoryMb: typeof f.MemorySize === 'number' ? f.MemorySize : null,
    deadLetterTargetArn: f.DeadLetterConfig?.TargetArn ?? null,
    logGroup: f.LoggingConfig?.LogGroup ?? null,
    lastModified: f.LastModified ?? null,
  };
}

export interface ListFunctionsOptions {
  signal?: AbortSignal;
  /** Stop after this many functions (default: all). */
  max?: number;
  /** Called after each page (progress for a long listing) with the count and the functions listed so far (the
   * same array, growing: copy what you keep). */
  onPage?: (soFar: number, functions: readonly FunctionSummary[]) => void;
  /** Wait between pages, ms (pacing under the Lambda API's control-plane rate limits; default 0). */
  pageDelayMs?: number;
}

/** Every function of the region (50 a page, the API's maximum), in the order the service lists them. */
export async function listFunctions(clients: AwsClients, options: ListFunctionsOptions = {}): Promise<FunctionSummary[]> {
  const out: FunctionSummary[] = [];
  let marker: string | undefined;
  const max = options.max ?? Infinity;
  do {
    const page = await call(clients, {action: 'lambda:ListFunctions', ...(options.signal ? {signal: options.signal} : {})}, (o) =>
      clients.lambda.send(new ListFunctionsCommand({MaxItems: 50, ...(marker ? {Marker: marker} : {})}), o),
    );
    for (const f of page.Functions ?? []) {
      const summary = toFunctionSummary(f);
      if (summary) out.push(summary);
      if (out.length >= max) return out;
    }
    options.onPage?.(out.length, out);
    marker = page.NextMarker || undefined;
    if (marker && options.pageDelayMs) await new Promise((resolve) => setTimeout(resolve, options.pageDelayMs));
  } while (marker);
  return out;
}

/** A function's reserved concurrency (GetFunctionConcurrency): null when unreserved. */
export async function getReservedConcurrency(clients: AwsClients, name: string, signal?: AbortSignal): Promise<number | null> {
  const answer = await call(clients, {action: 'lambda:GetFunctionConcurrency', resource: name, ...(signal ? {signal} : {})}, (o) =>
    clients.lambda.send(new GetFunctionConcurrencyCommand({FunctionName: name}), o),
  );
  return typeof answer.ReservedConcurrentExecutions === 'number' ? answer.ReservedConcurrentExecutions : null;
}

/** How many functions the region holds (GetAccountSettings' AccountUsage.FunctionCount): the "of ~N" of a listing
 * in progress. null when the answer has no count. */
export async function getFunctionCount(clients: AwsClients, signal?: AbortSignal): Promise<number | null> {
  const answer = await call(clients, {action: 'lambda:GetAccountSettings', ...(signal ? {signal} : {})}, (o) => clients.lambda.send(new GetAccountSettingsCommand({}), o));
  const count = answer.AccountUsage?.FunctionCount;
  return typeof count === 'number' ? count : null;
}
