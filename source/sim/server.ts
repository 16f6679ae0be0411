// The simulator's HTTP face: one node:http server that answers SQS (AWS JSON 1.0), CloudWatch (JSON 1.0,
// RPC v2 CBOR, awsQuery), CloudWatch Logs (JSON 1.1) and Lambda (REST-JSON) from a LambdaWorld, injects
// faults, and serves a small control API under /_lambda-top/. It never crashes on a request: unknown
// operations get AWS's UnknownOperationException, handler exceptions a 500 in the protocol's error shape.
import http from 'node:http';
import {randomUUID} from 'node:crypto';
import type {LambdaWorld, WireHandler, WireRequest, WireResponse} from './ports.ts';
import {BATCH_OPERATIONS, FaultInjector, parseFaultConfig} from './faults.ts';
import {createCloudWatchHandler, identifyCloudWatch} from './wire/cloudwatch.ts';
import {WireError, accessDeniedError, internalError, renderError, throttleError, unknownOperation, type SimService, type WireProtocol} from './wire/errors.ts';
import {PAYLOAD_TOO_LARGE, createLambdaHandler, isLambdaPath, matchLambdaRoute} from './wire/lambda.ts';
import {LOGS_TARGET, createLogsHandler} from './wire/logs.ts';
import type {LiveTailOptions} from './wire/live-tail.ts';

const SQS_TARGET = 'AmazonSQS';
const CONTROL_PREFIX = '/_lambda-top/';
/** How long an idle keep-alive connection stays open. Longer than the dashboard's refresh (10 s) and than its
 * client's own idle limit (the lean path's agent drops a free socket after 15 s), so the client closes first
 * and never races the server's close. At 5 s every refresh found its sockets closed and opened new ones: in
 * --demo, where both ends are one process, each connection's setup and teardown cost that process twice. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Bodies beyond this are refused (Lambda's sync payload limit is 6 MB; nothing else comes close). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface RequestInfo {
  service: SimService | 'control' | 'unknown';
  protocol: WireProtocol;
  operation: string;
}

/** Classifies a request by protocol and operation, without running it. */
export function identifyRequest(request: WireRequest): RequestInfo {
  if (request.path.startsWith(CONTROL_PREFIX)) return {service: 'control', protocol: 'rest-json', operation: request.path.slice(CONTROL_PREFIX.length)};
  const target = request.headers['x-amz-target'];
  if (target) {
    const dot = target.lastIndexOf('.');
    const prefix = dot >= 0 ? target.slice(0, dot) : target;
    const operation = dot >= 0 ? target.slice(dot + 1) : '';
    if (prefix === SQS_TARGET) return {service: 'sqs', protocol: 'json-1.0', operation};
    if (prefix === LOGS_TARGET) return {service: 'logs', protocol: 'json-1.1', operation};
  }
  const cw = identifyCloudWatch(request);
  if (cw) return {service: 'cloudwatch', ...cw};
  if (target) {
    const version = (request.headers['content-type'] ?? '').includes('1.1') ? 'json-1.1' : 'json-1.0';
    return {service: 'unknown', protocol: version, operation: target};
  }
  const route = matchLambdaRoute(request.method, request.path, request.query);
  if (route) return {service: 'lambda', protocol: 'rest-json', operation: route.operation};
  if (request.method === 'POST' && request.path.startsWith('/service/') && request.path.includes('/operation/')) {
    return {service: 'unknown', protocol: 'rpc-v2-cbor', operation: request.path.slice(request.path.lastIndexOf('/') + 1)};
  }
  if (request.method === 'POST' && (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    const action = new URLSearchParams(request.body.toString('utf8')).get('Action') ?? '';
    return {service: 'unknown', protocol: 'query', operation: action};
  }
  return {service: isLambdaPath(request.path) ? 'lambda' : 'unknown', protocol: 'rest-json', operation: `${request.method} ${request.path}`};
}

export interface SimServerOptions {
  world: LambdaWorld;
  faults: FaultInjector;
  /** The SQS protocol handler (createSqsWireHandler over world.sqs). */
  sqsHandler?: WireHandler;
  /** Log handler exceptions to stderr. Default: LAMBDA_TOP_SIM_DEBUG is set. */
  debug?: boolean;
  /** StartLiveTail sessions: their limit (3 hours) and update interval (1 s), shortened by tests. */
  liveTail?: LiveTailOptions;
}

export interface SimServer {
  server: http.Server;
  /** Answers one request as the HTTP server would (no faults that need a socket). For unit tests. */
  handle(request: WireRequest, requestId?: string): Promise<WireResponse>;
  /** Base URL once listening. */
  endpoint(): string;
}

function jsonResponse(status: number, body: unknown): WireResponse {
  return {status, headers: {'content-type': 'application/json'}, body: JSON.stringify(body)};
}

function setRequestId(response: WireResponse, requestId: string): WireResponse {
  const has = Object.keys(response.headers).some((k) => k.toLowerCase() === 'x-amzn-requestid');
  return has ? response : {...response, headers: {...response.headers, 'x-amzn-RequestId': requestId}};
}

export function createSimServer(options: SimServerOptions): SimServer {
  const {world, faults} = options;
  const debug = options.debug ?? Boolean(process.env.LAMBDA_TOP_SIM_DEBUG);
  let baseUrl = 'http://127.0.0.1';
  const endpoint = () => baseUrl;
  const lambda = createLambdaHandler(world, endpoint);
  const cloudwatch = createCloudWatchHandler(world);
  const logs = createLogsHandler(world, options.liveTail ? {liveTail: options.liveTail} : {});

  const control = (request: WireRequest): WireResponse => {
    const route = `${request.method} ${request.path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_lambda-top/sim':
        return jsonResponse(200, {
          now: world.clock.now(),
          speed: world.clock.speed,
          scenario: {name: world.scenario.name, title: world.scenario.title, story: world.scenario.story},
          region: world.region,
          accountId: world.accountId,
        });
      case 'GET /_lambda-top/faults':
        return jsonResponse(200, {seed: faults.seed, rules: faults.rules, injected: faults.injected});
      case 'POST /_lambda-top/faults':
      case 'PUT /_lambda-top/faults': {
        try {
          const text = request.body.toString('utf8').trim();
          faults.configure(parseFaultConfig(text ? JSON.parse(text) : {rules: []}));
        } catch (error) {
          return jsonResponse(400, {message: (error as Error).message});
        }
        return jsonResponse(200, {seed: faults.seed, rules: faults.rules, injected: faults.injected});
      }
      case 'DELETE /_lambda-top/faults':
        faults.clear();
        return jsonResponse(200, {seed: faults.seed, rules: faults.rules, injected: faults.injected});
      case 'GET /_lambda-top/mutations':
        return jsonResponse(200, {received: faults.received, world: world.mutations, injected: faults.injected});
      case 'GET /_lambda-top/live-tail':
        return jsonResponse(200, logs.liveTailStats);
      default:
        return jsonResponse(404, {message: `No control route ${route}. Try GET /_lambda-top/sim, GET|POST|DELETE /_lambda-top/faults, GET /_lambda-top/mutations, GET /_lambda-top/live-tail.`});
    }
  };

  /** SQS batch entries chosen to fail are removed from the request, so the engine never performs them,
   * and reported in the answer's Failed list. Only for well-formed batches (1-10 distinct ids), so that
   * removing entries cannot turn an invalid request into a valid one. */
  const sqsWithEntryFaults = async (handler: WireHandler, request: WireRequest, operation: string): Promise<WireResponse | undefined> => {
    if (!BATCH_OPERATIONS.has(operation) || !faults.ruleFor(operation)?.failEntries) return handler(request);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return handler(request);
    }
    const entries = input?.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) return handler(request);
    const ids = entries.map((e) => (e && typeof e === 'object' ? (e as {Id?: unknown}).Id : undefined));
    if (!ids.every((id) => typeof id === 'string' && id !== '') || new Set(ids).size !== ids.length) return handler(request);
    const failed: Array<{Id: string; SenderFault: boolean; Code: string; Message: string}> = [];
    const kept: unknown[] = [];
    for (const entry of entries as Array<{Id: string}>) {
      if (faults.failEntry(operation)) failed.push({Id: entry.Id, SenderFault: false, Code: 'InternalError', Message: 'We encountered an internal error. Please try again.'});
      else kept.push(entry);
    }
    if (failed.length === 0) return handler(request);
    if (kept.length === 0) {
      // Nothing left to perform; the queue must still exist for the call to succeed.
      const queueUrl = input.QueueUrl;
      try {
        if (typeof queueUrl !== 'string') throw new Error('no QueueUrl');
        world.sqs.resolve(queueUrl);
      } catch {
        return handler(request);
      }
      return {status: 200, headers: {'content-type': 'application/x-amz-json-1.0'}, body: JSON.stringify({Successful: [], Failed: failed})};
    }
    const response = await handler({...request, body: Buffer.from(JSON.stringify({...input, Entries: kept}))});
    if (!response || response.status !== 200) return response;
    const text = typeof response.body === 'string' ? response.body : response.body.toString('utf8');
    const output = JSON.parse(text) as {Successful?: unknown[]; Failed?: unknown[]};
    const body = JSON.stringify({...output, Successful: output.Successful ?? [], Failed: [...(output.Failed ?? []), ...failed]});
    const headers = {...response.headers};
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-length') delete headers[k];
    return {...response, headers, body};
  };

  /** Runs a classified request (no faults). */
  const dispatch = async (request: WireRequest, info: RequestInfo, requestId: string): Promise<WireResponse> => {
    try {
      if (info.service === 'control') return control(request);
      world.advance();
      let response: WireResponse | undefined;
      switch (info.service) {
        case 'sqs':
          response = options.sqsHandler ? await sqsWithEntryFaults(options.sqsHandler, request, info.operation) : undefined;
          break;
        case 'cloudwatch':
          response = cloudwatch(request, requestId);
          break;
        case 'logs':
          response = logs(request, requestId);
          break;
        case 'lambda':
          response = lambda(request);
          break;
        default:
          response = undefined;
      }
      if (response) return response;
      if (info.protocol === 'rest-json') {
        return renderError('rest-json', new WireError('UnknownOperationException', `Unknown operation ${info.operation}`, 404), requestId);
      }
      return renderError(info.protocol, unknownOperation(info.operation), requestId);
    } catch (error) {
      if (debug) process.stderr.write(`lambda-top simulator: ${info.service} ${info.operation} failed: ${(error as Error)?.stack ?? String(error)}\n`);
      const service: SimService = info.service === 'control' || info.service === 'unknown' ? 'lambda' : info.service;
      return renderError(info.protocol, internalError(service), requestId);
    }
  };

  const handle = async (request: WireRequest, requestId = randomUUID()): Promise<WireResponse> => {
    const info = identifyRequest(request);
    return setRequestId(await dispatch(request, info, requestId), requestId);
  };

  /** A streamed answer: the headers, then each chunk as it comes, until it ends or the client goes away. */
  const sendStream = async (res: http.ServerResponse, response: WireResponse, stream: NonNullable<WireResponse['stream']>): Promise<void> => {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) if (k.toLowerCase() !== 'content-length') headers[k] = v;
    res.writeHead(response.status, headers);
    res.flushHeaders();
    try {
      for await (const chunk of stream(gone.signal)) {
        if (gone.signal.aborted) break;
        res.write(chunk);
      }
    } finally {
      if (!res.destroyed) res.end();
    }
  };

  const send = (res: http.ServerResponse, response: WireResponse, partial = false): void => {
    if (response.stream && !partial) {
      sendStream(res, response, response.stream).catch((error: unknown) => {
        if (debug) process.stderr.write(`lambda-top simulator: stream failed: ${(error as Error)?.stack ?? String(error)}\n`);
        res.destroy();
      });
      return;
    }
    const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
    const headers: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(response.headers)) if (k.toLowerCase() !== 'content-length') headers[k] = v;
    headers['content-length'] = body.length;
    if (partial) {
      // Answer lost mid-flight: the headers promise the whole body, half of it arrives, then the socket dies.
      if (body.length < 2) {
        res.socket?.destroy();
        return;
      }
      res.writeHead(response.status, headers);
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.writeHead(response.status, headers);
    res.end(body);
  };

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const {chunks, tooLarge} = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const request: WireRequest = {method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body: Buffer.concat(chunks)};
    const info = identifyRequest(request);
    if (tooLarge) {
      const error = info.service === 'lambda' ? new WireError(PAYLOAD_TOO_LARGE, `Request must be smaller than ${MAX_BODY_BYTES} bytes`, 413) : new WireError('RequestEntityTooLarge', 'Request entity too large', 413);
      res.setHeader('connection', 'close');
      return send(res, setRequestId(renderError(info.protocol, error, requestId), requestId));
    }
    let dropAfter = false;
    if (info.service !== 'control') {
      faults.noteReceived(info.operation);
      if (info.service !== 'unknown') {
        const decision = faults.decide(info.operation);
        if (decision.delayMs > 0) {
          // unref'd: a slow answer pending when the simulator stops must not keep the process alive
          await new Promise((resolve) => setTimeout(resolve, decision.delayMs).unref());
          if (req.socket.destroyed) return;
        }
        switch (decision.action) {
          case 'drop':
            req.socket.destroy();
            return;
          case 'throttle':
            return send(res, setRequestId(renderError(info.protocol, throttleError(info.service, info.operation), requestId), requestId));
          case 'error':
            return send(res, setRequestId(renderError(info.protocol, internalError(info.service), requestId), requestId));
          case 'unsupported':
            return send(res, setRequestId(renderError(info.protocol, unknownOperation(info.operation), requestId), requestId));
          case 'accessDenied':
            return send(res, setRequestId(renderError(info.protocol, accessDeniedError(info.service, info.operation), requestId), requestId));
          case 'dropAfter':
            dropAfter = true;
            break;
          default:
            break;
        }
      }
    }
    const response = setRequestId(await dispatch(request, info, requestId), requestId);
    if (req.socket.destroyed) return;
    send(res, response, dropAfter);
  };

  /** The request's body, read whole (what is past MAX_BODY_BYTES is dropped, and said so). Listeners, not
   * `for await` over the request: an async iterator and its promises per request, on every call the dashboard
   * makes. Rejects as the iterator did when the request errors or closes before its end. */
  const readBody = (req: http.IncomingMessage): Promise<{chunks: Buffer[]; tooLarge: boolean}> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      let ended = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) tooLarge = true;
        else if (!tooLarge) chunks.push(chunk);
      });
      req.once('end', () => {
        ended = true;
        resolve({chunks, tooLarge});
      });
      req.once('error', reject);
      req.once('close', () => {
        if (!ended) reject(new Error('the request was closed before its end'));
      });
    });

  const server = http.createServer({keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS}, (req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      if (debug) process.stderr.write(`lambda-top simulator: request failed: ${(error as Error)?.stack ?? String(error)}\n`);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, {'content-type': 'application/json'});
        res.end(JSON.stringify({__type: 'InternalFailure', message: 'internal error'}));
      } else {
        res.destroy();
      }
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.on('listening', () => {
    const address = server.address();
    if (address && typeof address === 'object') baseUrl = `http://${address.address}:${address.port}`;
  });
  return {server, handle, endpoint};
}
