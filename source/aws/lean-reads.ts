// The dashboard's reads over the lean HTTP path (aws/lean-http.ts) when every service is one custom endpoint
// (--endpoint-url, the demo's simulator, moto, LocalStack): discovery's Lambda calls, SQS GetQueueUrl /
// GetQueueAttributes, CloudWatch GetMetricData and CloudWatch Logs FilterLogEvents (the log sample, the logs
// panel), with no SDK client set-up and no middleware stack on the way to the first data or at each refresh. The
// requests are the ones the pinned SDK sends (checked side by side in test/unit/aws/lean-reads.test.ts): Lambda's
// REST-JSON routes, SQS and CloudWatch in AWS JSON 1.0 (query-compatible), Logs in AWS JSON 1.1, signed with SigV4 as the SDK signs. Answers come back in the SDK's output shapes (timestamps
// as Date), and failures as the SDK throws them (name = the error code, $metadata.httpStatusCode, the
// query-compatible Code), so aws/errors.ts classifies both the same way. Region, credentials (env, profile, SSO,
// process, IMDS...) and maxAttempts come from the Lambda SDK client's resolved config: the standard chain, with
// only the client object built (cheap), never its first send.
import type {
  FunctionConfiguration,
  FunctionEventInvokeConfig,
  GetAccountSettingsResponse,
  GetFunctionConcurrencyResponse,
  ListEventSourceMappingsResponse,
  ListProvisionedConcurrencyConfigsResponse,
} from '@aws-sdk/client-lambda';
import type {GetQueueAttributesResult, GetQueueUrlResult, QueueAttributeName} from '@aws-sdk/client-sqs';
import type {GetMetricDataInput, GetMetricDataOutput} from '@aws-sdk/client-cloudwatch';
import type {FilterLogEventsRequest, FilterLogEventsResponse} from '@aws-sdk/client-cloudwatch-logs';
import {LeanHttp, LeanServiceError, responseHeader, type LeanResponse, type SdkClientLike} from './lean-http.ts';
import {escapeUri} from './sigv4.ts';

/** The SDK's per-call options the adapters pass (call.ts). */
export interface ReadOptions {
  abortSignal?: AbortSignal;
}

/** The dashboard's reads; aws/sdk-reads.ts gives the same interface over the SDK clients, and readsFor() picks. */
export interface LeanReads {
  getFunctionConfiguration(input: {FunctionName: string; Qualifier?: string}, options?: ReadOptions): Promise<FunctionConfiguration>;
  getFunctionEventInvokeConfig(input: {FunctionName: string; Qualifier?: string}, options?: ReadOptions): Promise<FunctionEventInvokeConfig>;
  getFunctionConcurrency(input: {FunctionName: string}, options?: ReadOptions): Promise<GetFunctionConcurrencyResponse>;
  getAccountSettings(options?: ReadOptions): Promise<GetAccountSettingsResponse>;
  listProvisionedConcurrencyConfigs(input: {FunctionName: string; Marker?: string}, options?: ReadOptions): Promise<ListProvisionedConcurrencyConfigsResponse>;
  listEventSourceMappings(input: {FunctionName: string; Marker?: string}, options?: ReadOptions): Promise<ListEventSourceMappingsResponse>;
  getQueueUrl(input: {QueueName: string; QueueOwnerAWSAccountId?: string}, options?: ReadOptions): Promise<GetQueueUrlResult>;
  getQueueAttributes(input: {QueueUrl: string; AttributeNames: QueueAttributeName[]}, options?: ReadOptions): Promise<GetQueueAttributesResult>;
  getMetricData(input: GetMetricDataInput, options?: ReadOptions): Promise<GetMetricDataOutput>;
  filterLogEvents(input: FilterLogEventsRequest, options?: ReadOptions): Promise<FilterLogEventsResponse>;
  destroy(): void;
}

export interface LeanReadsOptions {
  /** The SDK client whose resolved config gives the region, the credential provider and maxAttempts. */
  config: () => SdkClientLike;
  /** The one endpoint every service answers on. */
  endpoint: string;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

type Json = Record<string, unknown>;

function parseBody(response: LeanResponse): {json: Json; parseError: null} | {json: null; parseError: string} {
  if (response.text.trim() === '') return {json: {}, parseError: null};
  try {
    const value = JSON.parse(response.text) as unknown;
    return {json: value && typeof value === 'object' ? (value as Json) : {}, parseError: null};
  } catch (error) {
    return {json: null, parseError: error instanceof Error ? error.message : String(error)};
  }
}

/** The error the SDK throws for this answer: its code from the protocol's header or body (the part after '#'
 * and before ':'), 'Unknown' without one, a SyntaxError naming a deserialization error for a body that is not
 * JSON (moto's HTML 404 for a route it lacks); the message from message / Message, else 'UnknownError'. */
export function sdkLikeError(response: LeanResponse, protocol: 'rest-json' | 'json-rpc'): LeanServiceError {
  const parsed = parseBody(response);
  const requestId = responseHeader(response.headers, 'x-amzn-requestid');
  if (parsed.json === null) {
    return new LeanServiceError('SyntaxError', `${parsed.parseError}\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`, response.status, requestId);
  }
  const body = parsed.json;
  const headerType = responseHeader(response.headers, 'x-amzn-errortype');
  const candidates = protocol === 'rest-json' ? [headerType, body['code'], body['__type']] : [headerType, body['__type'], body['code']];
  const raw = candidates.find((c): c is string => typeof c === 'string' && c.length > 0);
  const code = raw ? raw.split(':')[0]!.split('#').pop()! : 'Unknown';
  const message = typeof body['message'] === 'string' ? body['message'] : typeof body['Message'] === 'string' ? body['Message'] : 'UnknownError';
  const error = new LeanServiceError(code, message, response.status, requestId);
  const query = responseHeader(response.headers, 'x-amzn-query-error');
  if (query) error.Code = query.split(';')[0]!;
  return error;
}

const restJsonError = (response: LeanResponse) => sdkLikeError(response, 'rest-json');
const jsonRpcError = (response: LeanResponse) => sdkLikeError(response, 'json-rpc');

/** An epoch-seconds (or date-time string) timestamp as the SDK gives it: a Date. */
function toDate(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(Math.round(value * 1000));
  if (typeof value === 'string' && value !== '') {
    const n = Number(value);
    return new Date(Number.isFinite(n) ? Math.round(n * 1000) : value);
  }
  return undefined;
}

function withDate<T extends Json>(item: T, field: string): T {
  if (item[field] === undefined || item[field] === null) return item;
  return {...item, [field]: toDate(item[field])};
}

/** The Lambda routes label escaping (the SDK's extendedEncodeURIComponent). */
const label = (value: string) => escapeUri(value);

export function createLeanReads(options: LeanReadsOptions): LeanReads {
  const timeouts = {
    ...(options.requestTimeoutMs !== undefined ? {requestTimeoutMs: options.requestTimeoutMs} : {}),
    ...(options.connectionTimeoutMs !== undefined ? {connectionTimeoutMs: options.connectionTimeoutMs} : {}),
  };
  // The config is read when the first request goes out (the client object is built then, not at start).
  const client: SdkClientLike = {
    get config() {
      return options.config().config;
    },
  };
  let lambdaHttp: LeanHttp | null = null;
  let sqsHttp: LeanHttp | null = null;
  let monitoringHttp: LeanHttp | null = null;
  let logsHttp: LeanHttp | null = null;
  const lambda = () => (lambdaHttp ??= new LeanHttp(client, {service: 'lambda', endpoint: options.endpoint, ...timeouts}));
  const sqs = () => (sqsHttp ??= new LeanHttp(client, {service: 'sqs', endpoint: options.endpoint, ...timeouts}));
  const monitoring = () => (monitoringHttp ??= new LeanHttp(client, {service: 'monitoring', endpoint: options.endpoint, ...timeouts}));
  const logs = () => (logsHttp ??= new LeanHttp(client, {service: 'logs', endpoint: options.endpoint, ...timeouts}));

  async function get(path: string, query: Record<string, string | undefined>, o: ReadOptions | undefined): Promise<Json> {
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q[k] = v;
    const response = await lambda().send(
      {method: 'GET', path, ...(Object.keys(q).length ? {query: q} : {}), headers: {}, body: '', ...(o?.abortSignal ? {signal: o.abortSignal} : {})},
      restJsonError,
    );
    const parsed = parseBody(response);
    if (parsed.json === null) throw restJsonError(response); // an answer that is not JSON fails as the SDK's does
    return parsed.json;
  }

  /** AWS JSON 1.0 query-compatible (SQS, CloudWatch), or AWS JSON 1.1 (CloudWatch Logs). */
  async function rpc(http: LeanHttp, target: string, input: Json, o: ReadOptions | undefined, protocol: '1.0-query' | '1.1' = '1.0-query'): Promise<Json> {
    const response = await http.send(
      {
        method: 'POST',
        path: '/',
        headers: protocol === '1.1' ? {'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target} : {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target, 'x-amzn-query-mode': 'true'},
        body: JSON.stringify(input),
        ...(o?.abortSignal ? {signal: o.abortSignal} : {}),
      },
      jsonRpcError,
    );
    const parsed = parseBody(response);
    if (parsed.json === null) throw jsonRpcError(response);
    return parsed.json;
  }

  return {
    async getFunctionConfiguration(input, o) {
      return (await get(`/2015-03-31/functions/${label(input.FunctionName)}/configuration`, {Qualifier: input.Qualifier}, o)) as FunctionConfiguration;
    },
    async getFunctionEventInvokeConfig(input, o) {
      const out = await get(`/2019-09-25/functions/${label(input.FunctionName)}/event-invoke-config`, {Qualifier: input.Qualifier}, o);
      return withDate(out, 'LastModified') as FunctionEventInvokeConfig;
    },
    async getFunctionConcurrency(input, o) {
      return (await get(`/2019-09-30/functions/${label(input.FunctionName)}/concurrency`, {}, o)) as GetFunctionConcurrencyResponse;
    },
    async getAccountSettings(o) {
      return (await get('/2016-08-19/account-settings', {}, o)) as GetAccountSettingsResponse;
    },
    async listProvisionedConcurrencyConfigs(input, o) {
      return (await get(`/2019-09-30/functions/${label(input.FunctionName)}/provisioned-concurrency`, {List: 'ALL', Marker: input.Marker}, o)) as ListProvisionedConcurrencyConfigsResponse;
    },
    async listEventSourceMappings(input, o) {
      const out = await get('/2015-03-31/event-source-mappings', {FunctionName: input.FunctionName, Marker: input.Marker}, o);
      const mappings = Array.isArray(out['EventSourceMappings']) ? (out['EventSourceMappings'] as Json[]).map((m) => withDate(m, 'LastModified')) : undefined;
      return {...out, ...(mappings ? {EventSourceMappings: mappings} : {})} as ListEventSourceMappingsResponse;
    },
    async getQueueUrl(input, o) {
      return (await rpc(sqs(), 'AmazonSQS.GetQueueUrl', {...input}, o)) as GetQueueUrlResult;
    },
    async getQueueAttributes(input, o) {
      return (await rpc(sqs(), 'AmazonSQS.GetQueueAttributes', {QueueUrl: input.QueueUrl, AttributeNames: input.AttributeNames}, o)) as GetQueueAttributesResult;
    },
    async getMetricData(input, o) {
      const body: Json = {
        ...input,
        ...(input.StartTime ? {StartTime: epochSeconds(input.StartTime)} : {}),
        ...(input.EndTime ? {EndTime: epochSeconds(input.EndTime)} : {}),
      };
      const out = await rpc(monitoring(), 'GraniteServiceVersion20100801.GetMetricData', body, o);
      const results = Array.isArray(out['MetricDataResults'])
        ? (out['MetricDataResults'] as Json[]).map((r) => (Array.isArray(r['Timestamps']) ? {...r, Timestamps: (r['Timestamps'] as unknown[]).map(toDate)} : r))
        : undefined;
      return {...out, ...(results ? {MetricDataResults: results} : {})} as GetMetricDataOutput;
    },
    async filterLogEvents(input, o) {
      return (await rpc(logs(), 'Logs_20140328.FilterLogEvents', {...input}, o, '1.1')) as FilterLogEventsResponse;
    },
    destroy() {
      logsHttp?.destroy();
      lambdaHttp?.destroy();
      sqsHttp?.destroy();
      monitoringHttp?.destroy();
    },
  };
}

/** A Date as AWS JSON protocols send it: epoch seconds (milliseconds as a fraction). */
function epochSeconds(date: Date): number {
  return Math.round(date.getTime()) / 1000;
}
