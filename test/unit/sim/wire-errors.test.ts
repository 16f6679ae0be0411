import {test} from 'node:test';
import assert from 'node:assert/strict';
import {decodeCbor} from '../../../source/sim/wire/cbor.ts';
import {WireError, awsJsonError, cborError, internalError, queryXmlError, renderError, restJsonError, throttleError, unknownOperation} from '../../../source/sim/wire/errors.ts';
import {createSimServer, identifyRequest} from '../../../source/sim/server.ts';
import {FaultInjector} from '../../../source/sim/faults.ts';
import type {WireRequest, WireResponse} from '../../../source/sim/ports.ts';
import {createFixtureWorld} from '../../helpers/fixture-world.ts';

const text = (r: WireResponse) => (typeof r.body === 'string' ? r.body : r.body.toString('utf8'));
const json = (r: WireResponse) => JSON.parse(text(r)) as Record<string, unknown>;

function request(partial: Partial<WireRequest> & {json?: unknown}): WireRequest {
  const {json: body, ...rest} = partial;
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    ...rest,
  };
}

test('REST-JSON errors carry x-amzn-errortype and {Type, Message, message}', () => {
  const r = restJsonError('ResourceNotFoundException', 'Function not found: f', 404);
  assert.equal(r.status, 404);
  assert.equal(r.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  assert.deepEqual(json(r), {Type: 'User', Message: 'Function not found: f', message: 'Function not found: f'});
  const s = restJsonError('ServiceException', 'boom', 500);
  assert.equal(json(s).Type, 'Service');
});

test('AWS JSON errors carry __type, and the query-compatible header when asked', () => {
  const r = awsJsonError('1.0', 'ValidationException', 'too many', 400, {queryCode: 'ValidationError', namespace: 'com.amazonaws.cloudwatch'});
  assert.equal(r.headers['content-type'], 'application/x-amz-json-1.0');
  assert.equal(r.headers['x-amzn-query-error'], 'ValidationError;Sender');
  assert.deepEqual(json(r), {__type: 'com.amazonaws.cloudwatch#ValidationException', message: 'too many'});
  const s = awsJsonError('1.1', 'ResourceNotFoundException', 'nope', 400);
  assert.equal(s.headers['content-type'], 'application/x-amz-json-1.1');
  assert.equal(s.headers['x-amzn-query-error'], undefined);
  assert.equal(json(s).__type, 'ResourceNotFoundException');
  assert.equal(awsJsonError('1.0', 'InternalError', 'x', 500, {queryCode: 'InternalError'}).headers['x-amzn-query-error'], 'InternalError;Receiver');
});

test('CBOR errors are CBOR maps with __type and the smithy-protocol header', () => {
  const r = cborError('InvalidNextToken', 'bad token', 400, {queryCode: 'InvalidNextToken', namespace: 'com.amazonaws.cloudwatch'});
  assert.equal(r.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal(r.headers['content-type'], 'application/cbor');
  assert.equal(r.headers['x-amzn-query-error'], 'InvalidNextToken;Sender');
  assert.deepEqual(decodeCbor(r.body as Buffer), {__type: 'com.amazonaws.cloudwatch#InvalidNextToken', message: 'bad token'});
});

test('awsQuery errors are <ErrorResponse> XML with the query code, escaped', () => {
  const r = queryXmlError('InvalidParameterValue', 'bad <value> & "quotes"', 400, 'rid-1');
  assert.match(text(r), /<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidParameterValue<\/Code><Message>bad &lt;value&gt; &amp; &quot;quotes&quot;<\/Message><\/Error><RequestId>rid-1<\/RequestId><\/ErrorResponse>/);
  const viaRender = renderError('query', new WireError('ValidationException', 'm', 400, {queryCode: 'ValidationError'}), 'r');
  assert.match(text(viaRender), /<Code>ValidationError<\/Code>/);
});

test('each service throttles and fails with the error its SDK recognises', () => {
  const lambda = renderError('rest-json', throttleError('lambda', 'Invoke'), 'r');
  assert.equal(lambda.status, 429);
  assert.equal(lambda.headers['x-amzn-errortype'], 'TooManyRequestsException');
  assert.equal(json(lambda).Reason, 'CallerRateLimitExceeded');
  assert.equal(lambda.headers['Retry-After'], '1');
  const sqs = renderError('json-1.0', throttleError('sqs', 'SendMessage'), 'r');
  assert.equal(sqs.headers['x-amzn-query-error'], 'RequestThrottled;Sender');
  assert.equal(json(sqs).__type, 'com.amazonaws.sqs#RequestThrottled');
  const cw = renderError('json-1.0', throttleError('cloudwatch', 'GetMetricData'), 'r');
  assert.equal(cw.status, 400);
  assert.equal(cw.headers['x-amzn-query-error'], 'Throttling;Sender');
  const logs = renderError('json-1.1', throttleError('logs', 'FilterLogEvents'), 'r');
  assert.equal(json(logs).__type, 'ThrottlingException');
  for (const service of ['lambda', 'sqs', 'cloudwatch', 'logs'] as const) assert.equal(internalError(service).status, 500);
  assert.equal(renderError('rest-json', internalError('lambda'), 'r').headers['x-amzn-errortype'], 'ServiceException');
  assert.equal(unknownOperation('Foo').code, 'UnknownOperationException');
});

test('requests are classified by protocol and operation', () => {
  assert.deepEqual(identifyRequest(request({headers: {'x-amz-target': 'AmazonSQS.SendMessage'}})), {service: 'sqs', protocol: 'json-1.0', operation: 'SendMessage'});
  assert.deepEqual(identifyRequest(request({headers: {'x-amz-target': 'Logs_20140328.FilterLogEvents'}})), {service: 'logs', protocol: 'json-1.1', operation: 'FilterLogEvents'});
  assert.deepEqual(identifyRequest(request({headers: {'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData'}})), {service: 'cloudwatch', protocol: 'json-1.0', operation: 'GetMetricData'});
  assert.deepEqual(identifyRequest(request({path: '/service/GraniteServiceVersion20100801/operation/ListMetrics', headers: {'smithy-protocol': 'rpc-v2-cbor'}})), {service: 'cloudwatch', protocol: 'rpc-v2-cbor', operation: 'ListMetrics'});
  assert.deepEqual(identifyRequest(request({headers: {'content-type': 'application/x-www-form-urlencoded; charset=utf-8'}, body: Buffer.from('Action=GetMetricStatistics&Version=2010-08-01')})), {service: 'cloudwatch', protocol: 'query', operation: 'GetMetricStatistics'});
  assert.deepEqual(identifyRequest(request({method: 'GET', path: '/2019-09-25/functions/f/event-invoke-config'})), {service: 'lambda', protocol: 'rest-json', operation: 'GetFunctionEventInvokeConfig'});
  assert.deepEqual(identifyRequest(request({method: 'GET', path: '/2019-09-30/functions/f/provisioned-concurrency', query: new URLSearchParams('List=ALL')})).operation, 'ListProvisionedConcurrencyConfigs');
  assert.deepEqual(identifyRequest(request({method: 'POST', path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/invocations'})).operation, 'Invoke');
  assert.equal(identifyRequest(request({headers: {'x-amz-target': 'DynamoDB_20120810.GetItem', 'content-type': 'application/x-amz-json-1.0'}})).service, 'unknown');
  assert.equal(identifyRequest(request({method: 'GET', path: '/_lambda-top/sim'})).service, 'control');
});

test('the server answers unknown operations like AWS and turns handler exceptions into 500s', async () => {
  const world = createFixtureWorld();
  const {handle} = createSimServer({world, faults: new FaultInjector(), debug: false});
  const unknownJson = await handle(request({headers: {'x-amz-target': 'GraniteServiceVersion20100801.PutDashboard', 'content-type': 'application/x-amz-json-1.0'}, json: {}}));
  assert.equal(unknownJson.status, 400);
  assert.match(String(json(unknownJson).__type), /UnknownOperationException$/);
  assert.ok(unknownJson.headers['x-amzn-RequestId']);
  const unknownOther = await handle(request({headers: {'x-amz-target': 'Foo_2020.Bar', 'content-type': 'application/x-amz-json-1.1'}, json: {}}));
  assert.equal(unknownOther.status, 400);
  assert.match(String(json(unknownOther).__type), /UnknownOperationException$/);
  const unknownRest = await handle(request({method: 'DELETE', path: '/2015-03-31/functions/f'}));
  assert.equal(unknownRest.status, 404);
  assert.equal(unknownRest.headers['x-amzn-errortype'], 'UnknownOperationException');
  const unknownPath = await handle(request({method: 'GET', path: '/favicon.ico'}));
  assert.equal(unknownPath.status, 404);

  world.breakMethod('listFunctions');
  const broken = await handle(request({method: 'GET', path: '/2015-03-31/functions/'}));
  assert.equal(broken.status, 500);
  assert.equal(broken.headers['x-amzn-errortype'], 'ServiceException');
  world.breakMethod('queryMetric');
  const brokenCw = await handle(
    request({
      headers: {'x-amz-target': 'GraniteServiceVersion20100801.GetMetricStatistics'},
      json: {Namespace: 'AWS/Lambda', MetricName: 'Errors', StartTime: 1, EndTime: 61, Period: 60, Statistics: ['Sum']},
    }),
  );
  assert.equal(brokenCw.status, 500);
  assert.equal(brokenCw.headers['x-amzn-query-error'], 'InternalServiceError;Receiver');
  world.breakMethod('filterLogEvents');
  const brokenLogs = await handle(request({headers: {'x-amz-target': 'Logs_20140328.FilterLogEvents'}, json: {logGroupName: '/aws/lambda/order-processor'}}));
  assert.equal(brokenLogs.status, 500);
  assert.equal(json(brokenLogs).__type, 'ServiceUnavailableException');
  // every request advanced the world first (control routes aside)
  assert.ok(world.advanceCalls >= 6);
});

test('malformed bodies are client errors, not crashes', async () => {
  const world = createFixtureWorld();
  const {handle} = createSimServer({world, faults: new FaultInjector()});
  const badJson = await handle(request({headers: {'x-amz-target': 'Logs_20140328.FilterLogEvents'}, body: Buffer.from('{nope')}));
  assert.equal(badJson.status, 400);
  assert.equal(json(badJson).__type, 'SerializationException');
  const badCbor = await handle(request({path: '/service/GraniteServiceVersion20100801/operation/GetMetricData', headers: {'smithy-protocol': 'rpc-v2-cbor'}, body: Buffer.from([0x9f, 0x01])}));
  assert.equal(badCbor.status, 400);
  assert.match(String((decodeCbor(badCbor.body as Buffer) as {__type: string}).__type), /SerializationException/);
  const badPayload = await handle(request({path: '/2015-03-31/functions/order-processor/invocations', body: Buffer.from('not json')}));
  assert.equal(badPayload.status, 400);
  assert.equal(badPayload.headers['x-amzn-errortype'], 'InvalidRequestContentException');
});
