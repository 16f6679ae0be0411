import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ResourceNotFoundException, TooManyRequestsException, LambdaServiceException} from '@aws-sdk/client-lambda';
import {QueueDoesNotExist} from '@aws-sdk/client-sqs';
import {classifyAwsError, toAwsCallError, isThrottleError, isAbortError, AwsCallError} from '../../../source/aws/errors.ts';

const meta = (httpStatusCode: number) => ({httpStatusCode, attempts: 1, totalRetryDelay: 0});

function serviceError(name: string, status: number, message = `${name} happened`, fault: 'client' | 'server' = 'client') {
  return new LambdaServiceException({name, $fault: fault, $metadata: meta(status), message});
}

test('access denied names the IAM action and resource', () => {
  const error = serviceError('AccessDeniedException', 403, 'User: arn:aws:sts::1:assumed-role/x is not authorized');
  const result = classifyAwsError(error, {action: 'lambda:GetFunctionEventInvokeConfig', resource: 'arn:aws:lambda:us-east-1:123456789012:function:f'});
  assert.equal(result.kind, 'access-denied');
  assert.equal(result.retryable, false);
  assert.equal(result.message, 'Access denied: your credentials may not call lambda:GetFunctionEventInvokeConfig on arn:aws:lambda:us-east-1:123456789012:function:f');
});

test('query-protocol AccessDenied and a bare 403 are access denied too', () => {
  assert.equal(classifyAwsError(serviceError('AccessDenied', 403), {action: 'sqs:GetQueueAttributes'}).kind, 'access-denied');
  assert.equal(classifyAwsError(serviceError('Unknown', 403), {action: 'cloudwatch:GetMetricData'}).kind, 'access-denied');
});

test('credentials missing, rejected, expired', () => {
  const missing = Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError', tryNextLink: false});
  const result = classifyAwsError(missing, {action: 'lambda:GetFunctionConfiguration'});
  assert.equal(result.kind, 'no-credentials');
  assert.match(result.message, /No AWS credentials found: set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/);
  assert.equal(classifyAwsError(serviceError('UnrecognizedClientException', 403), {action: 'x:Y'}).kind, 'no-credentials');
  const expired = classifyAwsError(serviceError('ExpiredTokenException', 400), {action: 'x:Y'});
  assert.equal(expired.kind, 'no-credentials');
  assert.match(expired.message, /expired/);
});

test('region missing', () => {
  const result = classifyAwsError(new Error('Region is missing'), {action: 'lambda:GetFunctionConfiguration'});
  assert.deepEqual(result, {kind: 'no-region', message: 'No region: pass --region or set AWS_REGION', retryable: false});
});

test('throttling, by name or by status 429, is retryable', () => {
  const tmr = new TooManyRequestsException({$metadata: meta(429), message: 'Rate exceeded'});
  const result = classifyAwsError(tmr, {action: 'lambda:ListEventSourceMappings'});
  assert.equal(result.kind, 'throttled');
  assert.equal(result.retryable, true);
  assert.equal(classifyAwsError(serviceError('Throttling', 400), {action: 'cloudwatch:GetMetricData'}).kind, 'throttled');
  assert.equal(classifyAwsError(serviceError('Whatever', 429), {action: 'x:Y'}).kind, 'throttled');
  assert.equal(isThrottleError(serviceError('ThrottlingException', 400)), true);
  assert.equal(isThrottleError(serviceError('ResourceNotFoundException', 404)), false);
});

test('a vanished queue says so, with its URL', () => {
  const error = new QueueDoesNotExist({$metadata: meta(400), message: 'The specified queue does not exist.'});
  const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq';
  const result = classifyAwsError(error, {action: 'sqs:GetQueueAttributes', resource: url});
  assert.equal(result.kind, 'not-found');
  assert.equal(result.message, `Queue ${url} no longer exists`);
});

test('query-compatible x-amzn-query-error code is recognised even when the name is generic', () => {
  const error = Object.assign(serviceError('Unknown', 400, 'gone'), {
    $response: {statusCode: 400, headers: {'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender'}},
  });
  assert.equal(classifyAwsError(error, {action: 'sqs:GetQueueUrl', resource: 'orders'}).kind, 'not-found');
});

test('unknown function names region', () => {
  const error = new ResourceNotFoundException({$metadata: meta(404), message: 'Function not found: arn:aws:lambda:eu-west-1:1:function:x'});
  const result = classifyAwsError(error, {action: 'lambda:GetFunctionConfiguration', resource: 'x', region: 'eu-west-1'});
  assert.equal(result.kind, 'not-found');
  assert.equal(result.message, 'Function x not found in eu-west-1');
});

test('connection refused names the endpoint', () => {
  const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566, $metadata: {attempts: 1}});
  const result = classifyAwsError(error, {action: 'sqs:GetQueueAttributes', endpoint: 'http://127.0.0.1:4566'});
  assert.deepEqual(result, {kind: 'network', message: 'Cannot reach http://127.0.0.1:4566: connection refused', retryable: true});
  const noEndpoint = classifyAwsError(error, {action: 'sqs:GetQueueAttributes'});
  assert.equal(noEndpoint.message, 'Cannot reach 127.0.0.1:4566: connection refused');
  const aggregate = Object.assign(new AggregateError([error], ''), {code: 'ECONNREFUSED'});
  assert.equal(classifyAwsError(aggregate, {action: 'x:Y'}).kind, 'network');
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND lambda.xx-1.amazonaws.com'), {code: 'ENOTFOUND', hostname: 'lambda.xx-1.amazonaws.com'});
  assert.equal(classifyAwsError(dns, {action: 'x:Y'}).message, 'Cannot reach lambda.xx-1.amazonaws.com: host name not found');
});

test('emulator "not implemented" answers are unsupported, not failures', () => {
  // moto: HTML 404 the SDK cannot deserialize
  const moto = Object.assign(new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: ...'), {$metadata: meta(404)});
  assert.equal(classifyAwsError(moto, {action: 'lambda:GetAccountSettings'}).kind, 'unsupported');
  // LocalStack: 501 InternalFailure "not yet implemented"
  const localstack = serviceError('InternalFailure', 501, "API action 'GetAccountSettings' for service 'lambda' not yet implemented or pro feature", 'server');
  const result = classifyAwsError(localstack, {action: 'lambda:GetAccountSettings', endpoint: 'http://127.0.0.1:4566'});
  assert.equal(result.kind, 'unsupported');
  assert.equal(result.message, 'http://127.0.0.1:4566 does not support lambda:GetAccountSettings');
  assert.equal(result.retryable, false);
  for (const name of ['UnknownOperationException', 'InvalidAction', 'NotImplemented']) {
    assert.equal(classifyAwsError(serviceError(name, 400), {action: 'x:Y'}).kind, 'unsupported', name);
  }
  // a 404 with no error type at all
  assert.equal(classifyAwsError(serviceError('Unknown', 404, 'UnknownError'), {action: 'x:Y'}).kind, 'unsupported');
});

test('validation errors are invalid with the server text cleaned of control characters', () => {
  const error = serviceError('InvalidParameterValueException', 400, 'bad \u001b[31mvalue\u0007 here');
  const result = classifyAwsError(error, {action: 'lambda:Invoke', resource: 'f'});
  assert.equal(result.kind, 'invalid');
  assert.equal(result.message, 'lambda:Invoke rejected the request on f: bad [31mvalue here');
});

test('server faults are other and retryable; client oddities other and not', () => {
  const server = classifyAwsError(serviceError('ServiceException', 500, 'boom', 'server'), {action: 'lambda:GetFunctionConfiguration'});
  assert.equal(server.kind, 'other');
  assert.equal(server.retryable, true);
  assert.match(server.message, /lambda:GetFunctionConfiguration failed: ServiceException: boom/);
  const client = classifyAwsError(serviceError('KMSDisabledException', 400, 'kms off'), {action: 'lambda:Invoke'});
  assert.equal(client.kind, 'other');
  assert.equal(client.retryable, false);
  assert.equal(classifyAwsError('string thrown', {action: 'x:Y'}).kind, 'other');
  assert.equal(classifyAwsError(undefined, {action: 'x:Y'}).kind, 'other');
});

test('AwsCallError keeps the cause and is classified once; aborts are recognised', () => {
  const original = serviceError('AccessDeniedException', 403);
  const wrapped = toAwsCallError(original, {action: 'lambda:GetFunctionConcurrency'});
  assert.ok(wrapped instanceof AwsCallError);
  assert.equal(wrapped.cause, original);
  assert.equal(wrapped.kind, 'access-denied');
  assert.equal(toAwsCallError(wrapped, {action: 'other:Thing'}), wrapped);
  const abort = Object.assign(new Error('aborted'), {name: 'AbortError'});
  assert.equal(isAbortError(abort), true);
  assert.equal(isAbortError(toAwsCallError(abort, {action: 'x:Y'})), true);
  assert.equal(isAbortError(original), false);
});
