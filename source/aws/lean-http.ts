// A lean HTTP path for the redrive's hot calls (receive, send, delete, Invoke): one signed request over a
// keep-alive agent, no middleware stack. The profile of a 5,000-message move showed most of the CPU per message in
// the SDK's serialisation, schema walking, logging filters and the garbage they make; this sends the same bytes
// the SDK would (the JSON protocol, REST-JSON Invoke), signed with SigV4 exactly as the SDK signs
// (aws/sigv4.ts, checked against the SDK's signer), to the endpoint the SDK client itself resolves (region,
// FIPS, dual-stack, or the custom endpoint), with the SDK client's credential provider (profiles, SSO, refresh).
// Retries: like the SDK's standard mode, for throttles, 5xx and transport errors, up to the client's maxAttempts,
// waiting what a retry-after / x-amz-retry-after header asks as the SDK does (aws/lean-retry-after.ts). The clock:
// corrected from each answer's Date header as the SDK's signer corrects it (aws/lean-clock.ts), in the config
// object of the service (shared by every LeanHttp of that service, as an SDK client's config is shared by its
// calls), and a request that failed on a skewed clock is retried signed with the corrected time.
import http from 'node:http';
import https from 'node:https';
import type {Socket} from 'node:net';
import {clockAfterError, clockAfterSuccess, type ClockSample} from './lean-clock.ts';
import {hintedDelayMs, retryAfterHint} from './lean-retry-after.ts';
import {signedHeaderList, type Credentials} from './sigv4.ts';

/** What the lean path reads from an SDK client's resolved config. */
export interface SdkClientLike {
  config: {
    region: string | (() => Promise<string>);
    credentials?: () => Promise<Credentials>;
    endpointProvider?: (params: Record<string, unknown>) => {url: URL};
    useFipsEndpoint?: () => Promise<boolean>;
    useDualstackEndpoint?: () => Promise<boolean>;
    maxAttempts?: number | (() => Promise<number>);
    /** The SDK's config.systemClockOffset (ms, server clock minus local): read to sign each attempt, set from each
     * answer's Date header (aws/lean-clock.ts). `|| 0` when first read, as the SDK's resolver does. */
    systemClockOffset?: number;
    /** The SDK's disableClockSkewCorrection (AWS_DISABLE_CLOCK_SKEW_CORRECTION, disable_clock_skew_correction). */
    disableClockSkewCorrection?: () => Promise<boolean>;
  };
}

export interface LeanHttpOptions {
  /** The SigV4 signing name ('monitoring' is CloudWatch's, 'logs' CloudWatch Logs'). */
  service: 'sqs' | 'lambda' | 'monitoring' | 'logs' | 'iam';
  /** The custom endpoint every client talks to (simulator, moto, LocalStack); undefined = AWS itself. */
  endpoint?: string | undefined;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  maxSockets?: number;
  /** How a retry waits (default: a timer, cut short by the request's signal with an AbortError, as the SDK's
   * race with its abortSignal). */
  wait?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

export interface LeanRequest {
  method: 'POST' | 'GET';
  path: string;
  query?: Record<string, string>;
  /** The request's own headers (lower-case names); the lean path adds content-length to this object. */
  headers: Record<string, string>;
  body: string;
  /** SHA-256 (hex) of `body`, when the caller already computed it. */
  bodySha256?: string;
  /** Aborts the request (and its retries) with an AbortError, as the SDK's abortSignal does. */
  signal?: AbortSignal;
  /** A long poll (SQS ReceiveMessage: the SDK's getLongPollPlugin): when the retry budget refuses a retry, the
   * backoff is still waited before the error is thrown (StandardRetryStrategy.refreshRetryTokenForRetry). */
  longPoll?: boolean;
}

export interface LeanResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** One header's value, read from the raw list (no headers object built). */
  header(name: string): string | undefined;
}

/** A response: its headers object is built only when asked for (errors); header() reads the raw list. */
class Answer implements LeanResponse {
  readonly status: number;
  constructor(
    private readonly res: http.IncomingMessage,
    readonly text: string,
  ) {
    this.status = res.statusCode ?? 0;
  }
  get headers(): http.IncomingHttpHeaders {
    return this.res.headers;
  }
  header(name: string): string | undefined {
    const raw = this.res.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) if (sameName(raw[i]!, name)) return raw[i + 1];
    return undefined;
  }
}

/** Whether a raw header name is `lower` (a lower-case ASCII name) in any case, without a lower-cased copy. */
function sameName(raw: string, lower: string): boolean {
  if (raw.length !== lower.length) return false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** An error as the SDK would throw it: name = the service's error code, $metadata.httpStatusCode. */
export class LeanServiceError extends Error {
  $metadata: {httpStatusCode?: number; requestId?: string; clockSkewCorrected?: boolean};
  $fault: 'client' | 'server';
  /** The query-compatible error code (x-amzn-query-error), e.g. AWS.SimpleQueueService.NonExistentQueue. */
  Code?: string;
  /** The error body's ServerTime, when it has one (the SDK copies body fields onto its error; its signer reads
   * this one before the Date header to correct the clock). */
  ServerTime?: unknown;
  constructor(name: string, message: string, status: number | undefined, requestId?: string) {
    super(message);
    this.name = name;
    this.$metadata = {...(status !== undefined ? {httpStatusCode: status} : {}), ...(requestId ? {requestId} : {})};
    this.$fault = status !== undefined && status >= 500 ? 'server' : 'client';
  }
}

/** The endpoint parameters every command of the SQS, Lambda, CloudWatch and Logs clients declares (their commonParams):
 * none of the lean calls has a per-command one. */
const ENDPOINT_INSTRUCTIONS = {
  getEndpointParameterInstructions: () => ({
    UseFIPS: {type: 'builtInParams' as const, name: 'useFipsEndpoint'},
    Endpoint: {type: 'builtInParams' as const, name: 'endpoint'},
    Region: {type: 'builtInParams' as const, name: 'region'},
    UseDualStack: {type: 'builtInParams' as const, name: 'useDualstackEndpoint'},
  }),
};
const USER_AGENT = `lambda-top (lean redrive path) node/${process.versions.node}`;

// The SDK's retry classification (@smithy/core/retry: isThrottlingError, isTransientError), which its standard
// retry strategy retries (THROTTLING and TRANSIENT; a SERVER_ERROR such as a 501 it does not). The lists are
// theirs; test/unit/aws/lean-retry.test.ts holds retryKind() to the SDK's functions.
const THROTTLING_ERROR_CODES = new Set(['BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'TransactionInProgressException']);
const TRANSIENT_ERROR_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_ERROR_STATUS_CODES = new Set([500, 502, 503, 504]);
const NODEJS_TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

interface Classified {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $retryable?: {throttling?: boolean};
  $metadata?: {httpStatusCode?: number; clockSkewCorrected?: boolean};
}

function isTransient(e: Classified | undefined, depth: number): boolean {
  if (!e || typeof e !== 'object' || e.name === 'AbortError') return false;
  return (
    e.$retryable !== undefined ||
    e.$metadata?.clockSkewCorrected === true ||
    (e.name === 'InvalidSignatureException' && typeof e.message === 'string' && e.message.includes('Signature expired')) ||
    TRANSIENT_ERROR_CODES.has(e.name ?? '') ||
    NODEJS_TRANSIENT_CODES.has(e.code ?? '') ||
    TRANSIENT_ERROR_STATUS_CODES.has(e.$metadata?.httpStatusCode ?? 0) ||
    (e.code === 'ERR_HTTP2_STREAM_ERROR' && typeof e.message === 'string' && e.message.includes('NGHTTP2_REFUSED_STREAM')) ||
    (e.cause !== undefined && depth <= 10 && isTransient(e.cause as Classified, depth + 1))
  );
}

/** What the SDK's standard retry strategy makes of a failure: 'throttling' and 'transient' are retried. */
export function retryKind(error: unknown): 'throttling' | 'transient' | 'other' {
  const e = (error ?? {}) as Classified;
  if (e.$metadata?.httpStatusCode === 429 || THROTTLING_ERROR_CODES.has(e.name ?? '') || e.$retryable?.throttling == true) return 'throttling';
  return isTransient(e, 0) ? 'transient' : 'other';
}

export function isRetryable(error: unknown): boolean {
  return retryKind(error) !== 'other';
}

/** The SDK's standard (2026) retry budget, per client: 500 tokens, a retry costs 14 (5 after a throttle), a
 * success gives back what its retry took (1 when it took none). No tokens left: no retry. */
export class RetryBudget {
  private capacity = 500;
  /** The cost of the retry this call took last (null: it took none). */
  take(kind: 'throttling' | 'transient'): number | null {
    const cost = kind === 'throttling' ? 5 : 14;
    if (this.capacity < cost) return null;
    this.capacity -= cost;
    return cost;
  }
  success(cost: number | null): void {
    this.capacity = Math.min(500, this.capacity + (cost ?? 1));
  }
  get available(): number {
    return this.capacity;
  }
}

/** The SDK's backoff before retry number `retries + 1`: random * min(base * 2^retries, 20 s), base 50 ms, 1 s
 * after a throttle. */
export function retryDelayMs(kind: 'throttling' | 'transient', retries: number, random: number = Math.random()): number {
  return Math.floor(random * Math.min((kind === 'throttling' ? 1000 : 50) * 2 ** retries, 20_000));
}

export class LeanHttp {
  private base: Promise<{url: URL; region: string}> | null = null;
  /** The client (or the promise of its config: aws/lean-config.ts), taken once. */
  private clientReady: Promise<SdkClientLike> | null = null;
  private readonly budget = new RetryBudget();
  private resolved: {url: URL; region: string} | null = null;
  /** The client's config once read (its systemClockOffset is read and written by every attempt). */
  private clock: SdkClientLike['config'] | null = null;
  /** disableClockSkewCorrection, resolved on the first request (a memoized loader: it does not change). */
  private skewCorrectionOff: boolean | null = null;
  private held: (Credentials & {expiration?: Date}) | null = null;
  /** The client's maxAttempts, resolved on the first request. */
  private maxAttempts: number | null = null;
  private readonly requestTimeoutMs: number;
  /** Chosen for the endpoint once it is resolved (a configured endpoint can be plain http). */
  private agent: http.Agent;
  private transport: typeof http | typeof https;
  private readonly agentOptions: http.AgentOptions;
  /** The request's 'timeout' and 'socket' listeners, made once per endpoint (they read the request as `this`),
   * not as closures per request. */
  private listeners: {host: string; timeout: (this: http.ClientRequest) => void; socket: (this: http.ClientRequest, socket: Socket) => void} | null = null;

  constructor(
    private readonly client: SdkClientLike | (() => Promise<SdkClientLike>),
    private readonly options: LeanHttpOptions,
  ) {
    const secure = !options.endpoint || options.endpoint.startsWith('https:');
    this.transport = secure ? https : http;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    const agentOptions = (this.agentOptions = {keepAlive: true, maxSockets: options.maxSockets ?? 50, timeout: this.requestTimeoutMs});
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** The transport and agent for the resolved endpoint's scheme (before any request: attempts wait for resolve). */
  private useScheme(url: URL): void {
    const secure = url.protocol === 'https:';
    if (secure === (this.transport === https)) return;
    this.agent.destroy();
    this.transport = secure ? https : http;
    this.agent = secure ? new https.Agent(this.agentOptions) : new http.Agent(this.agentOptions);
  }

  /** The endpoint and signing region, resolved once the way the SDK client resolves them: through the SDK's own
   * getEndpointFromInstructions, so a configured endpoint (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, a
   * profile's endpoint_url or services section) is honoured as the SDK's own calls honour it, before the
   * region's endpoint (FIPS, dual-stack) from the client's rules. */
  private resolve(): Promise<{url: URL; region: string}> {
    return (this.base ??= (async () => {
      const config = await this.config();
      const region = typeof config.region === 'function' ? await config.region() : config.region;
      if (this.options.endpoint) return {url: new URL(this.options.endpoint), region};
      if (!config.endpointProvider) throw new Error(`no endpoint for ${this.options.service}`);
      // Loaded here: a custom endpoint (above) needs none of the endpoint resolvers.
      const {getEndpointFromInstructions} = await import('@smithy/core/endpoints');
      const endpoint = await getEndpointFromInstructions({}, ENDPOINT_INSTRUCTIONS, config as unknown as Parameters<typeof import('@smithy/core/endpoints').getEndpointFromInstructions>[2]);
      this.useScheme(endpoint.url);
      // A global service's rules name the region to sign for (IAM: us-east-1 in the aws partition).
      const scheme = (endpoint.properties as {authSchemes?: Array<{signingRegion?: string}>} | undefined)?.authSchemes?.[0];
      return {url: endpoint.url, region: scheme?.signingRegion ?? region};
    })());
  }

  private config(): Promise<SdkClientLike['config']> {
    const client = this.client;
    return (this.clientReady ??= typeof client === 'function' ? client() : Promise.resolve(client)).then((c) => c.config);
  }

  private async attempts(): Promise<number> {
    const m = (await this.config()).maxAttempts;
    const n = typeof m === 'function' ? await m() : m;
    return Math.max(1, Math.floor(n ?? 3));
  }

  /** The config, its clock offset made a number (`systemClockOffset || 0`, resolveAwsSdkSigV4Config), and whether
   * clock-skew correction is off: read on the first request. */
  private async readClock(): Promise<SdkClientLike['config']> {
    const config = await this.config();
    config.systemClockOffset ||= 0;
    this.skewCorrectionOff = (await config.disableClockSkewCorrection?.()) === true;
    return (this.clock = config);
  }

  /** One request, retried like the SDK's standard mode; a non-2xx answer becomes a LeanServiceError (via `toError`). */
  async send(request: LeanRequest, toError: (response: LeanResponse) => LeanServiceError): Promise<LeanResponse> {
    const max = this.maxAttempts ?? (this.maxAttempts = await this.attempts());
    const clock = this.clock ?? (await this.readClock());
    // The attempt's clock reading, taken when it is signed (none when correction is off, as the SDK's signer).
    const sample: ClockSample | null = this.skewCorrectionOff ? null : {pre: 0, sentAt: 0};
    let cost: number | null = null;
    for (let attempt = 1; ; attempt++) {
      let answer: LeanResponse | null = null;
      try {
        const response = await this.once(request, sample);
        if (response.status >= 200 && response.status < 300) {
          if (sample) clockAfterSuccess(clock, sample, response.header('date'), response.header('age'));
          this.budget.success(cost);
          return response;
        }
        answer = response;
        const error = toError(response);
        if (sample) clockAfterError(clock, sample, error, response.header('date'), response.header('age'));
        throw error;
      } catch (error) {
        const kind = retryKind(error);
        if (attempt >= max || request.signal?.aborted || kind === 'other') throw error;
        const taken = this.budget.take(kind);
        if (taken === null && !request.longPoll) throw error;
        // The backoff, or longer when the answer asked for it (retry-after, x-amz-retry-after).
        const hint = answer ? await retryAfterHint(answer) : undefined;
        await (this.options.wait ?? wait)(hintedDelayMs(retryDelayMs(kind, attempt - 1), hint), request.signal);
        if (taken === null) throw error; // a long poll refused by the budget: waited, not retried
        cost = taken;
      }
    }
  }

  /** The credentials to sign with: the provider's, reused until 5 minutes before they expire (as the SDK's
   * memoized providers do); static credentials have no expiry. */
  private usableCredentials(): Credentials | null {
    const held = this.held;
    return held && (held.expiration === undefined || held.expiration.getTime() - Date.now() > 300_000) ? held : null;
  }

  private async credentials(): Promise<Credentials> {
    const held = this.usableCredentials();
    if (held) return held;
    const provider = (await this.config()).credentials;
    this.held = provider ? await provider() : {accessKeyId: '', secretAccessKey: ''};
    return this.held;
  }

  /** One attempt. Not an async function: once the endpoint and credentials are known (every request but the first
   * few) the request's own promise is returned, without the extra promise and ticks of an async wrapper. */
  private once(request: LeanRequest, sample: ClockSample | null): Promise<LeanResponse> {
    if (request.signal?.aborted) return Promise.reject(abortError());
    const resolved = this.resolved;
    const credentials = this.usableCredentials();
    return resolved && credentials ? this.attempt(request, resolved, credentials, sample) : this.prepareThenAttempt(request, sample);
  }

  private async prepareThenAttempt(request: LeanRequest, sample: ClockSample | null): Promise<LeanResponse> {
    const resolved = this.resolved ?? (this.resolved = await this.resolve());
    return this.attempt(request, resolved, this.usableCredentials() ?? (await this.credentials()), sample);
  }

  /** The listeners every request to `host` gets: the agent's idle timeout (its `timeout`, set on each socket once)
   * heard as a TimeoutError, and a connect timeout on a socket still connecting. */
  private listenersFor(host: string): NonNullable<LeanHttp['listeners']> {
    if (this.listeners?.host === host) return this.listeners;
    const requestTimeoutMs = this.requestTimeoutMs;
    const connectionTimeoutMs = this.options.connectionTimeoutMs ?? 5000;
    return (this.listeners = {
      host,
      timeout(this: http.ClientRequest) {
        this.destroy(timeoutError(`no answer from ${host} within ${requestTimeoutMs} ms`));
      },
      socket(this: http.ClientRequest, socket: Socket) {
        if (!socket.connecting) return;
        const req = this;
        const timer = setTimeout(() => req.destroy(timeoutError(`could not connect to ${host} within ${connectionTimeoutMs} ms`)), connectionTimeoutMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      },
    });
  }

  private attempt(request: LeanRequest, {url, region}: {url: URL; region: string}, credentials: Credentials, sample: ClockSample | null): Promise<LeanResponse> {
    const signal = request.signal;
    // Signed at the skew-corrected time (AwsSdkSigV4Signer.sign: Date.now() + systemClockOffset), the offset and
    // the time recorded for the answer's correction; with correction off, at the local time.
    let date: Date | undefined;
    if (sample) {
      const offset = this.clock!.systemClockOffset!;
      sample.pre = offset;
      sample.sentAt = Date.now();
      if (offset !== 0) date = new Date(Date.now() + offset);
    }
    const path = url.pathname === '/' ? request.path : url.pathname.replace(/\/+$/, '') + request.path;
    const given = request.headers;
    given['content-length'] = String(Buffer.byteLength(request.body));
    // A flat [name, value, ...] list: node:http writes it as given (no per-header setHeader, no Host added: it is
    // signed, so it is in the list).
    const headers = signedHeaderList({
      method: request.method, host: url.host, path, query: request.query, headers: given, body: request.body, bodySha256: request.bodySha256,
      region, service: this.options.service, credentials, date,
    });
    headers.push('user-agent', USER_AGENT);
    const search = request.query ? '?' + new URLSearchParams(request.query).toString() : '';
    return new Promise<LeanResponse>((resolve, reject) => {
      const req = this.transport.request(
        {protocol: url.protocol, hostname: url.hostname, port: url.port || undefined, method: request.method, path: path + search, headers, agent: this.agent},
        (res) => {
          // Bytes until the end, decoded once (most answers are one chunk; an Invoke's 202 has none).
          let first: Buffer | null = null;
          let more: Buffer[] | null = null;
          res.on('data', (c: Buffer) => {
            if (!first) first = c;
            else (more ??= [first]).push(c);
          });
          res.on('end', () => resolve(new Answer(res, more ? Buffer.concat(more).toString('utf8') : first ? (first as Buffer).toString('utf8') : '')));
          res.on('error', reject);
        },
      );
      // Each is emitted once per request at most (a second timeout would destroy a destroyed request: nothing).
      const listeners = this.listenersFor(url.host);
      req.on('timeout', listeners.timeout);
      req.on('socket', listeners.socket);
      req.on('error', reject);
      if (signal) {
        const onAbort = () => req.destroy(abortError());
        signal.addEventListener('abort', onAbort, {once: true});
        req.once('close', () => signal.removeEventListener('abort', onAbort));
      }
      req.end(request.body);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }
}

/** The SDK's wait before a retry: a timer raced with the abort signal (an AbortError as soon as it aborts). */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, {once: true});
  });
}

function timeoutError(message: string): Error {
  return Object.assign(new Error(message), {name: 'TimeoutError'});
}

/** What the SDK throws for an aborted request (aws/errors.ts isAbortError knows it). */
function abortError(): Error {
  return Object.assign(new Error('Request aborted'), {name: 'AbortError'});
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

type Json = Record<string, unknown>;

function parseBody(text: string): {json: Json; parseError: null} | {json: null; parseError: string} {
  if (text.trim() === '') return {json: {}, parseError: null};
  try {
    const value = JSON.parse(text) as unknown;
    return {json: value && typeof value === 'object' ? (value as Json) : {}, parseError: null};
  } catch (error) {
    return {json: null, parseError: error instanceof Error ? error.message : String(error)};
  }
}

/** The one error decoder of the lean path's JSON protocols: the error the pinned SDK throws for this answer (held to
 * it for 18 kinds of failure in test/unit/aws/lean-reads.test.ts). Its code from the protocol's header or body
 * (REST-JSON: x-amzn-errortype, code, __type; JSON 1.0/1.1: x-amzn-errortype, __type, code; the part after '#'
 * and before ':'), 'Unknown' without one; a SyntaxError naming a deserialization error for a body that is not JSON
 * (moto's HTML 404 for a route it lacks); the message from message / Message, else 'UnknownError'; the
 * query-compatible code (x-amzn-query-error) as Code. */
export function sdkLikeError(response: LeanResponse, protocol: 'rest-json' | 'json-rpc'): LeanServiceError {
  const parsed = parseBody(response.text);
  const requestId = header(response.headers, 'x-amzn-requestid');
  if (parsed.json === null) {
    return new LeanServiceError('SyntaxError', `${parsed.parseError}\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`, response.status, requestId);
  }
  const body = parsed.json;
  const headerType = header(response.headers, 'x-amzn-errortype');
  const candidates = protocol === 'rest-json' ? [headerType, body['code'], body['__type']] : [headerType, body['__type'], body['code']];
  const raw = candidates.find((c): c is string => typeof c === 'string' && c.length > 0);
  const code = raw ? raw.split(':')[0]!.split('#').pop()! : 'Unknown';
  const message = typeof body['message'] === 'string' ? body['message'] : typeof body['Message'] === 'string' ? body['Message'] : 'UnknownError';
  const error = new LeanServiceError(code, message, response.status, requestId);
  if (body['ServerTime'] !== undefined) error.ServerTime = body['ServerTime'];
  const query = header(response.headers, 'x-amzn-query-error');
  if (query) error.Code = query.split(';')[0]!;
  return error;
}

/** An AWS JSON 1.0 / 1.1 error (SQS, CloudWatch, Logs): sdkLikeError's. */
export function jsonProtocolError(response: LeanResponse): LeanServiceError {
  return sdkLikeError(response, 'json-rpc');
}

/** A REST-JSON error (Lambda): sdkLikeError's. */
export function restJsonError(response: LeanResponse): LeanServiceError {
  return sdkLikeError(response, 'rest-json');
}

export {header as responseHeader};
