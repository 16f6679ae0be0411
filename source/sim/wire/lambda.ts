// Lambda's REST-JSON API (the routes @aws-sdk/client-lambda and botocore use), answered from the world.
// Errors: status + `x-amzn-errortype: <Type>` + JSON {Type, Message, message}; the SDK picks the exception
// class from the header (ResourceNotFoundException, TooManyRequestsException, ...).
import {LambdaError, type LambdaWorld, type WireRequest, type WireResponse} from '../ports.ts';
import {WireError, restJsonError} from './errors.ts';

/** Payload limits: 6 MB for synchronous invokes, 1 MB for asynchronous ones (since October 2025). */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
const LOG_TAIL_BYTES = 4096;
/** The 413 for an oversized Invoke payload. AWS's texts call it RequestEntityTooLargeException, but the
 * model @aws-sdk/client-lambda ships names it RequestTooLargeException (413): answering that name makes the
 * SDK raise its RequestTooLargeException class instead of a generic LambdaServiceException. */
export const PAYLOAD_TOO_LARGE = 'RequestTooLargeException';

interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
  /** a query parameter that must be present (ListProvisionedConcurrencyConfigs: List=ALL) */
  query?: [string, string];
}

// {name} = one path segment (URL-encoded: ARNs arrive as arn%3Aaws%3Alambda...)
const FN = '([^/]+)';
const ROUTES: Route[] = [
  {method: 'GET', pattern: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions'},
  {method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/?$`), operation: 'GetFunction'},
  {method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/configuration/?$`), operation: 'GetFunctionConfiguration'},
  {method: 'GET', pattern: new RegExp(`^/2019-09-25/functions/${FN}/event-invoke-config/?$`), operation: 'GetFunctionEventInvokeConfig'},
  {method: 'GET', pattern: new RegExp(`^/2019-09-30/functions/${FN}/concurrency/?$`), operation: 'GetFunctionConcurrency'},
  {method: 'GET', pattern: /^\/2016-08-19\/account-settings\/?$/, operation: 'GetAccountSettings'},
  {method: 'GET', pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency/?$`), operation: 'ListProvisionedConcurrencyConfigs', query: ['List', 'ALL']},
  {method: 'GET', pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency/?$`), operation: 'GetProvisionedConcurrencyConfig'},
  {method: 'GET', pattern: /^\/2015-03-31\/event-source-mappings\/?$/, operation: 'ListEventSourceMappings'},
  {method: 'GET', pattern: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/, operation: 'GetEventSourceMapping'},
  {method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/invocations/?$`), operation: 'Invoke'},
];

export interface LambdaRoute {
  operation: string;
  /** The decoded path parameter (function name/ARN, or ESM UUID). */
  param?: string;
}

/** Which Lambda operation a request is, from its method, path and query (undefined = not a Lambda route). */
export function matchLambdaRoute(method: string, path: string, query: URLSearchParams): LambdaRoute | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.query && query.get(route.query[0]) !== route.query[1]) continue;
    let param: string | undefined;
    if (m[1] !== undefined) {
      try {
        param = decodeURIComponent(m[1]);
      } catch {
        param = m[1];
      }
    }
    return param === undefined ? {operation: route.operation} : {operation: route.operation, param};
  }
  return undefined;
}

/** Looks like one of Lambda's REST paths (a dated API version prefix), for 404 UnknownOperation answers. */
export function isLambdaPath(path: string): boolean {
  return /^\/20\d\d-\d\d-\d\d\//.test(path);
}

function invalidParameter(message: string): WireError {
  return new WireError('InvalidParameterValueException', message, 400);
}

/** True when `name` already carries a qualifier: "fn:q", "acct:function:fn:q", "arn:aws:lambda:r:acct:function:fn:q". */
export function hasQualifier(name: string): boolean {
  const parts = name.split(':');
  if (name.startsWith('arn:')) return parts.length >= 8;
  if (parts.length >= 3 && parts[1] === 'function') return parts.length >= 4;
  return parts.length >= 2;
}

function qualified(name: string, qualifier: string | null): string {
  if (!qualifier) return name;
  if (hasQualifier(name)) {
    const own = name.slice(name.lastIndexOf(':') + 1);
    if (own !== qualifier) throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    return name;
  }
  return `${name}:${qualifier}`;
}

function encodeMarker(offset: number): string {
  return Buffer.from(`m1:${offset}`).toString('base64url');
}

function decodeMarker(marker: string | null): number {
  if (!marker) return 0;
  const m = /^m1:(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!m) throw invalidParameter('Invalid Marker: the value is not one this service returned.');
  return Number(m[1]);
}

function maxItems(query: URLSearchParams, max: number, fallback: number): number {
  const raw = query.get('MaxItems');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidParameter(`1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and ${max}`);
  return n;
}

function page<T>(items: T[], query: URLSearchParams, max: number, fallback: number): {items: T[]; next?: string} {
  const offset = decodeMarker(query.get('Marker'));
  const size = maxItems(query, max, fallback);
  const slice = items.slice(offset, offset + size);
  return offset + size < items.length ? {items: slice, next: encodeMarker(offset + size)} : {items: slice};
}

function json(status: number, body: unknown): WireResponse {
  return {status, headers: {'content-type': 'application/json'}, body: JSON.stringify(body)};
}

/** A function name as the world resolves it (used for GetFunction's Concurrency and the log tail). */
function functionNameOf(world: LambdaWorld, name: string): string {
  return world.getFunction(name).FunctionName;
}

function invoke(world: LambdaWorld, name: string, request: WireRequest): WireResponse {
  const typeHeader = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
  if (typeHeader !== 'Event' && typeHeader !== 'RequestResponse' && typeHeader !== 'DryRun') {
    throw invalidParameter(`1 validation error detected: Value '${typeHeader}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  const logType = request.headers['x-amz-log-type'];
  if (logType !== undefined && logType !== 'None' && logType !== 'Tail') {
    throw invalidParameter(`1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`);
  }
  const limit = typeHeader === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (request.body.length > limit) {
    throw new WireError(PAYLOAD_TOO_LARGE, `Request must be smaller than ${limit} bytes for the ${typeHeader === 'Event' ? 'InvokeAsync' : 'Invoke'} operation`, 413);
  }
  const payload = request.body.toString('utf8');
  if (payload.trim() !== '') {
    try {
      JSON.parse(payload);
    } catch {
      throw new WireError('InvalidRequestContentException', 'Could not parse request body into json: Could not parse payload into json', 400);
    }
  }
  const target = qualified(name, request.query.get('Qualifier'));
  const result = world.invoke(target, payload, typeHeader);
  const headers: Record<string, string> = {'x-amzn-RequestId': result.requestId};
  if (typeHeader === 'Event') return {status: 202, headers, body: ''};
  if (typeHeader === 'DryRun') return {status: 204, headers, body: ''};
  headers['content-type'] = 'application/json';
  headers['X-Amz-Executed-Version'] = result.executedVersion;
  if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
  if (logType === 'Tail') headers['X-Amz-Log-Result'] = logTail(world, target, result.requestId);
  return {status: result.statusCode, headers, body: result.payload ?? ''};
}

/** The last 4 KB of the invocation's log lines, base64 (X-Amz-Log-Result). */
function logTail(world: LambdaWorld, name: string, requestId: string): string {
  const config = world.getFunction(name);
  let text = '';
  try {
    const {events} = world.filterLogEvents({logGroupName: config.LoggingConfig.LogGroup, filterPattern: `"${requestId}"`, limit: 100});
    text = events.map((e) => e.message).join('');
  } catch {
    text = '';
  }
  const bytes = Buffer.from(text, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}

function run(world: LambdaWorld, route: LambdaRoute, request: WireRequest, endpoint: string): WireResponse {
  const q = request.query;
  const name = route.param ?? '';
  switch (route.operation) {
    case 'ListFunctions': {
      const {items, next} = page(world.listFunctions(), q, 10_000, 50);
      return json(200, {Functions: items, ...(next ? {NextMarker: next} : {})});
    }
    case 'GetFunction': {
      const target = qualified(name, q.get('Qualifier'));
      const Configuration = world.getFunction(target);
      const reserved = world.getReservedConcurrency(Configuration.FunctionName);
      return json(200, {
        Configuration,
        Code: {
          RepositoryType: 'S3',
          Location: `${endpoint}/_lambda-top/code/${encodeURIComponent(Configuration.FunctionName)}.zip`,
        },
        ...(reserved !== undefined ? {Concurrency: {ReservedConcurrentExecutions: reserved}} : {}),
      });
    }
    case 'GetFunctionConfiguration':
      return json(200, world.getFunction(qualified(name, q.get('Qualifier'))));
    case 'GetFunctionEventInvokeConfig': {
      const target = qualified(name, q.get('Qualifier'));
      const config = world.getEventInvokeConfig(target);
      if (!config) {
        const fn = world.getFunction(target);
        throw new WireError('ResourceNotFoundException', `The function ${fn.FunctionArn} doesn't have an EventInvokeConfig`, 404);
      }
      return json(200, config);
    }
    case 'GetFunctionConcurrency': {
      const reserved = world.getReservedConcurrency(functionNameOf(world, name));
      return json(200, reserved === undefined ? {} : {ReservedConcurrentExecutions: reserved});
    }
    case 'GetAccountSettings':
      return json(200, world.getAccountSettings());
    case 'ListProvisionedConcurrencyConfigs': {
      const {items, next} = page(world.listProvisionedConcurrencyConfigs(name), q, 50, 50);
      return json(200, {ProvisionedConcurrencyConfigs: items, ...(next ? {NextMarker: next} : {})});
    }
    case 'GetProvisionedConcurrencyConfig': {
      const qualifier = q.get('Qualifier');
      if (!qualifier) throw invalidParameter('1 validation error detected: Value null at \'qualifier\' failed to satisfy constraint: Member must not be null');
      const found = world.listProvisionedConcurrencyConfigs(name).find((c) => c.FunctionArn.endsWith(`:${qualifier}`));
      if (!found) throw new WireError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function', 404);
      const {FunctionArn: _arn, ...rest} = found;
      return json(200, rest);
    }
    case 'ListEventSourceMappings': {
      const functionName = q.get('FunctionName') ?? undefined;
      const eventSourceArn = q.get('EventSourceArn') ?? undefined;
      const all = world.listEventSourceMappings({...(functionName ? {functionName} : {}), ...(eventSourceArn ? {eventSourceArn} : {})});
      const {items, next} = page(all, q, 10_000, 100);
      return json(200, {EventSourceMappings: items, ...(next ? {NextMarker: next} : {})});
    }
    case 'GetEventSourceMapping': {
      const found = world.listEventSourceMappings({}).find((m) => m.UUID === name);
      if (!found) throw new WireError('ResourceNotFoundException', `The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${name})`, 404);
      return json(200, found);
    }
    case 'Invoke':
      return invoke(world, name, request);
    default:
      throw new WireError('UnknownOperationException', `Unknown operation ${route.operation}`, 404);
  }
}

/** The Reason of a throttle: the function's reserved concurrency, or the account's. */
function throttleReason(world: LambdaWorld, name: string | undefined): string {
  if (!name) return 'ConcurrentInvocationLimitExceeded';
  try {
    return world.getReservedConcurrency(name) !== undefined ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded';
  } catch {
    return 'ConcurrentInvocationLimitExceeded';
  }
}

/** Maps what the world throws to the REST-JSON error; other exceptions propagate (the server answers 500). */
export function lambdaErrorResponse(world: LambdaWorld, error: unknown, functionName?: string): WireResponse | undefined {
  if (error instanceof WireError) return restJsonError(error.code, error.message, error.status, error.options.extra, error.options.headers);
  if (error instanceof LambdaError) {
    if (error.type === 'TooManyRequestsException') {
      return restJsonError(error.type, error.message, error.status, {Reason: throttleReason(world, functionName)}, {'Retry-After': '1'});
    }
    const type = error.type === 'RequestEntityTooLargeException' ? PAYLOAD_TOO_LARGE : error.type;
    return restJsonError(type, error.message, error.status);
  }
  return undefined;
}

/** A handler for Lambda's REST routes; `endpoint` is the server's base URL (for GetFunction's Code.Location). */
export function createLambdaHandler(world: LambdaWorld, endpoint: () => string) {
  return (request: WireRequest): WireResponse | undefined => {
    const route = matchLambdaRoute(request.method, request.path, request.query);
    if (!route) return undefined;
    try {
      return run(world, route, request, endpoint());
    } catch (error) {
      const response = lambdaErrorResponse(world, error, route.param);
      if (response) return response;
      throw error;
    }
  };
}

