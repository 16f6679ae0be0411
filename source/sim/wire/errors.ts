// Error responses in each AWS wire protocol's own shape, as the SDKs and botocore parse them:
// - REST-JSON (Lambda):          status + `x-amzn-errortype: <Type>` + JSON {Type, Message, message}
// - AWS JSON 1.0 / 1.1:          status + JSON {__type, message}; query-compatible services (SQS, CloudWatch)
//                                also send `x-amzn-query-error: <queryCode>;Sender|Receiver`
// - Smithy RPC v2 CBOR:          status + `smithy-protocol: rpc-v2-cbor` + CBOR {__type, message}
// - awsQuery (form/XML):         status + <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
import type {WireResponse} from '../ports.ts';
import {encodeCbor} from './cbor.ts';

export type WireProtocol = 'rest-json' | 'json-1.0' | 'json-1.1' | 'rpc-v2-cbor' | 'query';

/** An error a wire handler raises; `code` is the modeled error name, `queryCode` the awsQuery code. */
export class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly options: {
      /** awsQuery error code for query-compatible services (x-amzn-query-error), e.g. "InvalidParameterValue". */
      queryCode?: string;
      /** Extra members of the error shape (e.g. Lambda's Reason). */
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
      /** Shape id namespace for __type (e.g. "com.amazonaws.cloudwatch"). */
      namespace?: string;
    } = {},
  ) {
    super(message);
    this.name = code;
  }
}

function fault(status: number): 'Sender' | 'Receiver' {
  return status >= 500 ? 'Receiver' : 'Sender';
}

export function restJsonError(type: string, message: string, status: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): WireResponse {
  return {
    status,
    headers: {'content-type': 'application/json', 'x-amzn-errortype': type, ...headers},
    body: JSON.stringify({Type: status >= 500 ? 'Service' : 'User', Message: message, message, ...extra}),
  };
}

export function awsJsonError(
  version: '1.0' | '1.1',
  type: string,
  message: string,
  status: number,
  options: {queryCode?: string; namespace?: string; extra?: Record<string, unknown>; headers?: Record<string, string>} = {},
): WireResponse {
  const headers: Record<string, string> = {'content-type': `application/x-amz-json-${version}`, ...options.headers};
  if (options.queryCode) headers['x-amzn-query-error'] = `${options.queryCode};${fault(status)}`;
  const __type = options.namespace ? `${options.namespace}#${type}` : type;
  return {status, headers, body: JSON.stringify({__type, message, ...options.extra})};
}

export function cborError(type: string, message: string, status: number, options: {queryCode?: string; namespace?: string; extra?: Record<string, unknown>} = {}): WireResponse {
  const headers: Record<string, string> = {'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor'};
  if (options.queryCode) headers['x-amzn-query-error'] = `${options.queryCode};${fault(status)}`;
  const __type = options.namespace ? `${options.namespace}#${type}` : type;
  return {status, headers, body: encodeCbor({__type, message, ...options.extra})};
}

export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case "'":
        return '&apos;';
      case '"':
        return '&quot;';
      default:
        return `&#x${c.charCodeAt(0).toString(16)};`;
    }
  });
}

export function queryXmlError(code: string, message: string, status: number, requestId: string): WireResponse {
  return {
    status,
    headers: {'content-type': 'text/xml'},
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${fault(status)}</Type><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${xmlEscape(requestId)}</RequestId></ErrorResponse>`,
  };
}

/** Renders a WireError in the given protocol. */
export function renderError(protocol: WireProtocol, error: WireError, requestId: string): WireResponse {
  const {queryCode, extra, headers, namespace} = error.options;
  switch (protocol) {
    case 'rest-json':
      return restJsonError(error.code, error.message, error.status, extra, headers);
    case 'json-1.0':
    case 'json-1.1': {
      const opts: Parameters<typeof awsJsonError>[4] = {};
      if (queryCode) opts.queryCode = queryCode;
      if (namespace) opts.namespace = namespace;
      if (extra) opts.extra = extra;
      if (headers) opts.headers = headers;
      return awsJsonError(protocol === 'json-1.0' ? '1.0' : '1.1', error.code, error.message, error.status, opts);
    }
    case 'rpc-v2-cbor': {
      const opts: Parameters<typeof cborError>[3] = {};
      if (queryCode) opts.queryCode = queryCode;
      if (namespace) opts.namespace = namespace;
      if (extra) opts.extra = extra;
      const response = cborError(error.code, error.message, error.status, opts);
      return headers ? {...response, headers: {...response.headers, ...headers}} : response;
    }
    case 'query':
      return queryXmlError(queryCode ?? error.code, error.message, error.status, requestId);
  }
}

export type SimService = 'lambda' | 'sqs' | 'cloudwatch' | 'logs';

/** The error each service answers when a caller is throttled (each is one the SDK's retry strategy treats as a throttle). */
export function throttleError(service: SimService, operation: string): WireError {
  switch (service) {
    case 'lambda':
      return new WireError('TooManyRequestsException', 'Rate Exceeded.', 429, {
        extra: {Reason: 'CallerRateLimitExceeded'},
        headers: {'Retry-After': '1'},
      });
    case 'sqs':
      return new WireError('RequestThrottled', `Request is throttled (${operation}).`, 403, {queryCode: 'RequestThrottled', namespace: 'com.amazonaws.sqs'});
    case 'cloudwatch':
      return new WireError('Throttling', 'Rate exceeded', 400, {queryCode: 'Throttling'});
    case 'logs':
      return new WireError('ThrottlingException', 'Rate exceeded', 400);
  }
}

/** The error each service answers when the caller's policy does not allow the action. */
export function accessDeniedError(service: SimService, operation: string): WireError {
  const message = `User: arn:aws:sts::123456789012:assumed-role/on-call/engineer is not authorized to perform: ${service === 'cloudwatch' ? 'cloudwatch' : service}:${operation} because no identity-based policy allows the ${service}:${operation} action`;
  switch (service) {
    case 'lambda':
      return new WireError('AccessDeniedException', message, 403);
    case 'sqs':
      return new WireError('AccessDenied', message, 403, {queryCode: 'AccessDenied', namespace: 'com.amazonaws.sqs'});
    case 'cloudwatch':
      return new WireError('AccessDenied', message, 403, {queryCode: 'AccessDenied'});
    case 'logs':
      return new WireError('AccessDeniedException', message, 400);
  }
}

/** The error each service answers for an internal failure (500). */
export function internalError(service: SimService, message = 'We encountered an internal error. Please try again.'): WireError {
  switch (service) {
    case 'lambda':
      return new WireError('ServiceException', message, 500);
    case 'sqs':
      return new WireError('InternalError', message, 500, {queryCode: 'InternalError', namespace: 'com.amazonaws.sqs'});
    case 'cloudwatch':
      return new WireError('InternalServiceFault', message, 500, {queryCode: 'InternalServiceError', namespace: 'com.amazonaws.cloudwatch'});
    case 'logs':
      return new WireError('ServiceUnavailableException', message, 500);
  }
}

export function unknownOperation(operation: string): WireError {
  return new WireError('UnknownOperationException', operation ? `Unknown operation ${operation}` : 'Unknown operation', 400, {
    queryCode: 'InvalidAction',
    namespace: 'com.amazon.coral.service',
  });
}
