// The dashboard's reads over the lean HTTP path (aws/lean-http.ts), against AWS itself or one custom endpoint
// (--endpoint-url, the demo's simulator, moto, LocalStack): discovery's Lambda calls, SQS GetQueueUrl /
// GetQueueAttributes, CloudWatch GetMetricData, CloudWatch Logs FilterLogEvents (the log sample, the logs panel)
// and IAM ListAccountAliases (the header), with no SDK client module loaded and no middleware stack on the way to
// the first data or at each refresh. The requests are the ones the pinned SDK sends (checked side by side in
// test/unit/aws/lean-reads.test.ts, to a custom endpoint and to a configured one as against AWS): Lambda's
// REST-JSON routes, SQS and CloudWatch in AWS JSON 1.0 (query-compatible), Logs in AWS JSON 1.1, IAM in the AWS
// query protocol, signed with SigV4 as the SDK signs. Answers come back in the SDK's output shapes (timestamps
// as Date), and failures as the SDK throws them (name = the error code, $metadata.httpStatusCode, the
// query-compatible Code), so aws/errors.ts classifies both the same way. Region, credentials (env, profile, SSO,
// process, IMDS...), maxAttempts and each service's endpoint come from aws/lean-config.ts: resolved as the SDK
// clients resolve them, without building one.
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
import type {ListAccountAliasesResponse} from '@aws-sdk/client-iam';
import type {LeanService} from './lean-config.ts';
import {jsonProtocolError, LeanHttp, LeanServiceError, responseHeader, restJsonError, type LeanResponse, type SdkClientLike} from './lean-http.ts';
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
  listAccountAliases(options?: ReadOptions): Promise<ListAccountAliasesResponse>;
  destroy(): void;
}

export interface LeanReadsOptions {
  /** Each service's resolved config (region, credential provider, maxAttempts, endpoint rules): aws/lean-config.ts. */
  service: (name: LeanService) => Promise<SdkClientLike>;
  /** The one endpoint every service answers on; undefined = each service's own (AWS itself, or a configured one). */
  endpoint?: string | undefined;
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

const jsonRpcError = jsonProtocolError;

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
  // Each service's config is resolved when its first request goes out.
  const https = new Map<LeanService, LeanHttp>();
  const http = (service: LeanService) => {
    let h = https.get(service);
    if (!h) https.set(service, (h = new LeanHttp(() => options.service(service), {service, endpoint: options.endpoint, ...timeouts})));
    return h;
  };
  const lambda = () => http('lambda');
  const sqs = () => http('sqs');
  const monitoring = () => http('monitoring');
  const logs = () => http('logs');

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
  async function rpc(service: LeanHttp, target: string, input: Json, o: ReadOptions | undefined, protocol: '1.0-query' | '1.1' = '1.0-query'): Promise<Json> {
    const response = await service.send(
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
    async listAccountAliases(o) {
      const response = await http('iam').send(
        {method: 'POST', path: '/', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'Action=ListAccountAliases&Version=2010-05-08', ...(o?.abortSignal ? {signal: o.abortSignal} : {})},
        queryError,
      );
      return listAccountAliasesOutput(response.text, response.status);
    },
    destroy() {
      for (const h of https.values()) h.destroy();
      https.clear();
    },
  };
}

/** A Date as AWS JSON protocols send it: epoch seconds (milliseconds as a fraction). */
function epochSeconds(date: Date): number {
  return Math.round(date.getTime()) / 1000;
}

/** XML text as the SDK's parser gives it: the five named entities and numeric references decoded. */
function xmlText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return ({amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"} as Record<string, string>)[lower]!;
  });
}

function xmlElement(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? m[1] : undefined;
}

const DESERIALIZATION_HINT = 'Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';

/** Why the SDK's XML parser refuses this body before its root element (a JSON or plain-text answer), else null:
 * the two failures of its first step, with the hint it appends. */
function xmlBodyProblem(text: string): string | null {
  const rest = text.replace(/\r\n?/g, '\n').replace(/^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*/i, '');
  if (rest === '') return `@aws-sdk XML parse error: no root element.\n  ${DESERIALIZATION_HINT}`;
  return rest.startsWith('<') ? null : `@aws-sdk XML parse error: unexpected content.\n  ${DESERIALIZATION_HINT}`;
}

/** ListAccountAliases' answer (AWS query protocol, XML): the aliases, IsTruncated and Marker. */
export function listAccountAliasesOutput(xml: string, status = 200): ListAccountAliasesResponse {
  const problem = xml === '' ? null : xmlBodyProblem(xml);
  if (problem) throw new LeanServiceError('Error', problem, status);
  const result = xmlElement(xml, 'ListAccountAliasesResult') ?? '';
  const list = xmlElement(result, 'AccountAliases');
  const aliases = list === undefined ? undefined : [...list.matchAll(/<member>([\s\S]*?)<\/member>/g)].map((m) => xmlText(m[1]!));
  const truncated = xmlElement(result, 'IsTruncated');
  const marker = xmlElement(result, 'Marker');
  return {
    ...(aliases ? {AccountAliases: aliases} : {}),
    ...(truncated !== undefined ? {IsTruncated: truncated.trim() === 'true'} : {}),
    ...(marker !== undefined ? {Marker: xmlText(marker)} : {}),
  } as ListAccountAliasesResponse; // (the SDK's type says AccountAliases is always there; its parser leaves it out when the answer has none)
}

/** The IAM client's modeled errors by their query error code (the awsQueryError trait): the SDK names such an
 * error after its shape ("ServiceFailure" is thrown as ServiceFailureException), any other by its code. */
const IAM_QUERY_ERRORS: Record<string, string> = {ConcurrentModification: 'ConcurrentModificationException', ReportExpired: 'CredentialReportExpiredException', ReportNotPresent: 'CredentialReportNotPresentException', ReportInProgress: 'CredentialReportNotReadyException', DeleteConflict: 'DeleteConflictException', DuplicateCertificate: 'DuplicateCertificateException', DuplicateSSHPublicKey: 'DuplicateSSHPublicKeyException', EntityAlreadyExists: 'EntityAlreadyExistsException', EntityTemporarilyUnmodifiable: 'EntityTemporarilyUnmodifiableException', FeatureDisabled: 'FeatureDisabledException', FeatureEnabled: 'FeatureEnabledException', InvalidAuthenticationCode: 'InvalidAuthenticationCodeException', InvalidCertificate: 'InvalidCertificateException', InvalidInput: 'InvalidInputException', InvalidPublicKey: 'InvalidPublicKeyException', InvalidUserType: 'InvalidUserTypeException', KeyPairMismatch: 'KeyPairMismatchException', LimitExceeded: 'LimitExceededException', MalformedCertificate: 'MalformedCertificateException', MalformedPolicyDocument: 'MalformedPolicyDocumentException', NameConflict: 'NameConflictException', NoSuchEntity: 'NoSuchEntityException', OpenIdIdpCommunicationError: 'OpenIdIdpCommunicationErrorException', PasswordPolicyViolation: 'PasswordPolicyViolationException', PolicyEvaluation: 'PolicyEvaluationException', PolicyNotAttachable: 'PolicyNotAttachableException', ReportGenerationLimitExceeded: 'ReportGenerationLimitExceededException', RoleModified: 'RoleModifiedException', RoleTemplateDisabled: 'RoleTemplateDisabledException', ServiceFailure: 'ServiceFailureException', NotSupportedService: 'ServiceNotSupportedException', UnmodifiableEntity: 'UnmodifiableEntityException', UnrecognizedPublicKeyEncoding: 'UnrecognizedPublicKeyEncodingException'};

/** An AWS query protocol error (IAM) as the SDK's AwsQueryProtocol reads it: the code from <Error><Code> (else
 * NotFound for a 404, else Unknown), the message from the <Error>'s message or Message (else the answer's own,
 * else Unknown). */
export function queryError(response: LeanResponse): LeanServiceError {
  const problem = response.text === '' ? null : xmlBodyProblem(response.text);
  if (problem) return new LeanServiceError('Error', problem, response.status, responseHeader(response.headers, 'x-amzn-requestid'));
  const error = xmlElement(response.text, 'Error');
  const code = error === undefined ? undefined : xmlElement(error, 'Code');
  const message = (error === undefined ? undefined : (xmlElement(error, 'message') ?? xmlElement(error, 'Message'))) ?? xmlElement(response.text, 'message') ?? xmlElement(response.text, 'Message');
  const requestId = xmlElement(response.text, 'RequestId') ?? responseHeader(response.headers, 'x-amzn-requestid');
  const name = code !== undefined ? xmlText(code.trim()) : response.status === 404 ? 'NotFound' : 'Unknown';
  return new LeanServiceError(Object.hasOwn(IAM_QUERY_ERRORS, name) ? IAM_QUERY_ERRORS[name]! : name, message !== undefined ? xmlText(message) : 'Unknown', response.status, requestId);
}
