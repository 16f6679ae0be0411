// Turns whatever an AWS SDK call threw into one sentence a user can act on, plus a kind and whether
// trying again later may help. Works on SDK v3 service exceptions (name / $metadata.httpStatusCode /
// $fault), credential and region resolution errors, Node socket errors, and the ways emulators say
// "I don't implement that" (moto answers an HTML 404 the SDK cannot parse, LocalStack a 501
// InternalFailure "not yet implemented", others UnknownOperation / InvalidAction / NotImplemented).

export type AwsErrorKind =
  | 'access-denied'
  | 'not-found'
  | 'throttled'
  | 'no-credentials'
  | 'no-region'
  | 'network'
  | 'unsupported'
  | 'invalid'
  | 'other';

export interface AwsErrorContext {
  /** The IAM action of the call, e.g. 'lambda:GetFunctionConfiguration'. */
  action: string;
  /** The resource the call was about (ARN, queue URL, function name, log group). */
  resource?: string;
  region?: string;
  /** The endpoint the clients talk to, when not AWS's own (moto, LocalStack, the simulator). */
  endpoint?: string;
}

export interface ClassifiedAwsError {
  kind: AwsErrorKind;
  message: string;
  retryable: boolean;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  Code?: unknown;
  __type?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  errors?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $metadata?: {httpStatusCode?: unknown};
  $response?: {headers?: Record<string, unknown>};
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
  'AuthorizationErrorException',
  'NotAuthorized',
  'Forbidden',
  'KMSAccessDeniedException',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'InvalidAccessKeyId',
  'AuthFailure',
]);
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const NOT_FOUND = new Set([
  'ResourceNotFoundException',
  'ResourceNotFound',
  'NotFoundException',
  'NoSuchEntity',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NonExistentQueue',
  'QueueDeletedRecently',
  'AWS.SimpleQueueService.QueueDeletedRecently',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'AWS.SimpleQueueService.RequestThrottled',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
  'BandwidthLimitExceeded',
]);
const UNSUPPORTED = new Set([
  'UnknownOperationException',
  'UnknownOperation',
  'InvalidAction',
  'NotImplemented',
  'NotImplementedException',
  'UnsupportedOperation',
  'UnsupportedOperationException',
  'AWS.SimpleQueueService.UnsupportedOperation',
  'OperationNotSupportedException',
]);
const INVALID = new Set([
  'ValidationException',
  'ValidationError',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidParameterException',
  'InvalidParameterCombination',
  'InvalidParameterCombinationException',
  'InvalidRequestContentException',
  'InvalidQueryParameter',
  'MissingParameter',
  'MissingRequiredParameterException',
  'InvalidAddress',
  'InvalidAttributeName',
  'InvalidAttributeValue',
  'InvalidNextToken',
  'InvalidNextTokenException',
  'InvalidParameterInput',
  'SerializationException',
  'RequestEntityTooLargeException',
  'AWS.SimpleQueueService.InvalidParameterValue',
]);
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ESOCKETTIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EPROTO: 'TLS/protocol error',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
};

/** Strips control characters and bounds the length of text that came from a server. */
function clean(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The error's AWS code: the exception name, or for query-compatible services the x-amzn-query-error code. */
function errorCodes(error: ErrorLike): string[] {
  const codes: string[] = [];
  const push = (value: unknown) => {
    const s = str(value);
    if (s) codes.push(s.includes('#') ? s.slice(s.lastIndexOf('#') + 1) : s);
  };
  push(error.name);
  push(error.Code);
  push(error.__type);
  const queryError = error.$response?.headers?.['x-amzn-query-error'];
  if (typeof queryError === 'string') push(queryError.split(';')[0]);
  const errorType = error.$response?.headers?.['x-amzn-errortype'];
  if (typeof errorType === 'string') push(errorType.split(':')[0]);
  return codes;
}

function networkCode(error: ErrorLike, depth = 0): {code: string; target: string | undefined} | undefined {
  if (depth > 3 || error === null || typeof error !== 'object') return undefined;
  const code = str(error.code);
  if (code && code in NETWORK_CODES) {
    const address = str(error.address);
    const port = typeof error.port === 'number' || typeof error.port === 'string' ? String(error.port) : undefined;
    const host = address ?? str(error.hostname);
    return {code, target: host ? (port ? `${host}:${port}` : host) : undefined};
  }
  if (Array.isArray(error.errors)) {
    for (const inner of error.errors) {
      const found = networkCode(inner as ErrorLike, depth + 1);
      if (found) return found;
    }
  }
  if (error.cause && typeof error.cause === 'object') return networkCode(error.cause as ErrorLike, depth + 1);
  return undefined;
}

function resourceWords(context: AwsErrorContext): string {
  return context.resource ? ` on ${context.resource}` : '';
}

function isQueueResource(context: AwsErrorContext): boolean {
  return context.action.startsWith('sqs:') || /^https?:\/\/.*\/\d{12}\/[^/]+$/.test(context.resource ?? '') || /^arn:aws[\w-]*:sqs:/.test(context.resource ?? '');
}

function notFoundMessage(context: AwsErrorContext, serverMessage: string | undefined): string {
  const resource = context.resource;
  if (isQueueResource(context)) return `Queue ${resource ?? '(unnamed)'} no longer exists`;
  if (context.action.startsWith('lambda:') && resource) {
    return `Function ${resource} not found${context.region ? ` in ${context.region}` : ''}`;
  }
  if (context.action.startsWith('logs:') && resource) return `Log group ${resource} does not exist (the function may never have run)`;
  return `Not found${resource ? `: ${resource}` : ''} (${context.action})${serverMessage ? `: ${clean(serverMessage)}` : ''}`;
}

export function classifyAwsError(error: unknown, context: AwsErrorContext): ClassifiedAwsError {
  if (error === null || error === undefined || typeof error !== 'object') {
    return {kind: 'other', message: `${context.action} failed: ${clean(String(error))}`, retryable: true};
  }
  const e = error as ErrorLike;
  const codes = errorCodes(e);
  const has = (set: Set<string>) => codes.some((code) => set.has(code));
  const name = str(e.name) ?? '';
  const serverMessage = str(e.message);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const where = context.endpoint ?? 'the endpoint';

  if (name === 'AbortError' || codes.includes('AbortError') || str(e.code) === 'ABORT_ERR') {
    return {kind: 'other', message: `${context.action} was cancelled`, retryable: false};
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(serverMessage ?? '')) {
    return {
      kind: 'no-credentials',
      message: 'No AWS credentials found: set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      retryable: false,
    };
  }
  if (name === 'TokenProviderError' || /sso session .*expired|token .*expired|refresh.*sso/i.test(serverMessage ?? '')) {
    return {kind: 'no-credentials', message: 'Your AWS SSO session has expired: run `aws sso login` and try again', retryable: false};
  }
  if (/region is missing|region.*not.*(set|configured)|missing region/i.test(serverMessage ?? '') && status === undefined) {
    return {kind: 'no-region', message: 'No region: pass --region or set AWS_REGION', retryable: false};
  }
  if (has(EXPIRED_CREDENTIALS)) {
    return {kind: 'no-credentials', message: 'Your AWS credentials have expired: refresh them (e.g. `aws sso login`) and try again', retryable: false};
  }
  if (has(BAD_CREDENTIALS)) {
    return {
      kind: 'no-credentials',
      message: `AWS rejected your credentials (${codes[0]}): check AWS_PROFILE / AWS_ACCESS_KEY_ID, the clock, and that they are valid in ${context.region ?? 'this region'}`,
      retryable: false,
    };
  }
  if (has(ACCESS_DENIED) || (status === 403 && !has(NOT_FOUND))) {
    return {kind: 'access-denied', message: `Access denied: your credentials may not call ${context.action}${resourceWords(context)}`, retryable: false};
  }
  if (has(THROTTLED) || status === 429) {
    return {kind: 'throttled', message: `Throttled by AWS on ${context.action}: slowing down`, retryable: true};
  }
  if (has(NOT_FOUND)) {
    return {kind: 'not-found', message: notFoundMessage(context, serverMessage), retryable: false};
  }
  const net = networkCode(e);
  if (net) {
    const target = context.endpoint ?? (net.target ? net.target : `AWS (${context.region ?? 'region unknown'})`);
    return {kind: 'network', message: `Cannot reach ${target}: ${NETWORK_CODES[net.code]}`, retryable: true};
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'RequestTimeoutException' || codes.includes('RequestTimeout')) {
    return {kind: 'network', message: `Cannot reach ${context.endpoint ?? 'AWS'}: ${context.action} timed out`, retryable: true};
  }
  const notImplementedText = /not (yet )?implemented|not supported|unsupported operation|unknown operation|pro feature/i.test(serverMessage ?? '');
  if (
    has(UNSUPPORTED) ||
    status === 501 ||
    ((status === 404 || status === 400 || status === 500) && notImplementedText) ||
    // moto and other emulators answer an unknown route with an HTML 404 the SDK cannot deserialize,
    // or a body without an error type (the SDK names it "Unknown").
    (status === 404 && (name === 'SyntaxError' || name === 'Unknown' || name === 'UnknownError' || /deserialization error/i.test(serverMessage ?? '')))
  ) {
    return {kind: 'unsupported', message: `${where === 'the endpoint' ? 'The endpoint' : where} does not support ${context.action}`, retryable: false};
  }
  if (has(INVALID)) {
    return {kind: 'invalid', message: `${context.action} rejected the request${resourceWords(context)}: ${clean(serverMessage ?? codes[0] ?? 'invalid request')}`, retryable: false};
  }
  const fault = e.$fault === 'server' || (status !== undefined && status >= 500);
  const label = codes[0] && codes[0] !== 'Error' ? `${codes[0]}: ` : '';
  return {
    kind: 'other',
    message: `${context.action} failed${resourceWords(context)}: ${label}${clean(serverMessage ?? 'unknown error')}`,
    retryable: fault || status === undefined,
  };
}

/** An SDK failure, classified at the call site that knows the IAM action and resource. */
export class AwsCallError extends Error {
  readonly kind: AwsErrorKind;
  readonly retryable: boolean;
  readonly action: string;
  constructor(classified: ClassifiedAwsError, action: string, cause: unknown) {
    super(classified.message, {cause});
    this.name = 'AwsCallError';
    this.kind = classified.kind;
    this.retryable = classified.retryable;
    this.action = action;
  }
}

/** Classifies `error` unless it already is an AwsCallError (classification happens once, where the context is). */
export function toAwsCallError(error: unknown, context: AwsErrorContext): AwsCallError {
  if (error instanceof AwsCallError) return error;
  return new AwsCallError(classifyAwsError(error, context), context.action, error);
}

/** True for errors the pollers should back off harder on. */
export function isThrottleError(error: unknown): boolean {
  if (error instanceof AwsCallError) return error.kind === 'throttled';
  return classifyAwsError(error, {action: 'call'}).kind === 'throttled';
}

/** True when the error is the result of an abort (stop() or a superseded request). */
export function isAbortError(error: unknown): boolean {
  const e = (error instanceof AwsCallError ? error.cause : error) as ErrorLike | null;
  if (!e || typeof e !== 'object') return false;
  return e.name === 'AbortError' || e.code === 'ABORT_ERR';
}
