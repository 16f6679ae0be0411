// CloudWatch Logs reads: FilterLogEvents pages (paced: source/aws/logs-pacer.ts), one request's lines found by
// its quoted id and followed through nextToken, empty pages included, within a time budget; the lines of an
// attempt's stream between its START and its REPORT; and where a function logs (LoggingConfig.LogGroup).
// Messages are raw (sanitise before display).
import type {AwsClients} from './clients.ts';
import {readsFor} from './sdk-reads.ts';
import {call, errorContext} from './call.ts';
import {toAwsCallError} from './errors.ts';
import {FunctionNotFoundError} from './discovery.ts';
import {logsPacerFor, type LogsPacer} from './logs-pacer.ts';

export interface LogEvent {
  /** CloudWatch's id of the event (de-duplicates overlapping reads); null when the service gave none. */
  eventId: string | null;
  timestamp: number;
  stream: string;
  message: string;
}

/** Kept for the browser's `l` (source/app/controller.ts). */
export type RequestLogLine = Pick<LogEvent, 'timestamp' | 'stream' | 'message'>;

export interface LogPageQuery {
  logGroup: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  logStreamNames?: string[];
  limit?: number;
  nextToken?: string;
}

export interface LogPage {
  events: LogEvent[];
  nextToken: string | undefined;
}

export interface PageCallOptions {
  signal?: AbortSignal;
  /** Wall-clock epoch ms: a throttled call is not retried past it. */
  deadline?: number;
  /** Default: the process-wide pacer of these clients' account and region. */
  pacer?: LogsPacer;
}

/** One FilterLogEvents page, paced and retried on throttling. */
export async function filterLogEventsPage(clients: AwsClients, query: LogPageQuery, options: PageCallOptions = {}): Promise<LogPage> {
  const pacer = options.pacer ?? (await logsPacerFor(clients));
  const input = {
    logGroupName: query.logGroup,
    ...(query.startTime !== undefined ? {startTime: Math.max(0, Math.floor(query.startTime))} : {}),
    ...(query.endTime !== undefined ? {endTime: Math.ceil(query.endTime)} : {}),
    ...(query.filterPattern ? {filterPattern: query.filterPattern} : {}),
    ...(query.logStreamNames ? {logStreamNames: query.logStreamNames} : {}),
    ...(query.limit !== undefined ? {limit: Math.max(1, Math.min(10_000, query.limit))} : {}),
    ...(query.nextToken ? {nextToken: query.nextToken} : {}),
  };
  const response = await pacer.run(
    () =>
      call(clients, {action: 'logs:FilterLogEvents', resource: query.logGroup, ...(options.signal ? {signal: options.signal} : {})}, (o) =>
        // The lean reads with one custom endpoint (aws/lean-reads.ts), else the SDK's Logs client.
        readsFor(clients).filterLogEvents(input, o),
      ),
    {...(options.signal ? {signal: options.signal} : {}), ...(options.deadline !== undefined ? {deadline: options.deadline} : {})},
  );
  const events: LogEvent[] = [];
  for (const e of response.events ?? []) {
    if (typeof e.message !== 'string') continue;
    events.push({eventId: e.eventId ?? null, timestamp: e.timestamp ?? e.ingestionTime ?? 0, stream: e.logStreamName ?? '', message: e.message});
  }
  return {events, nextToken: response.nextToken || undefined};
}

export interface ReadAllResult {
  events: LogEvent[];
  pages: number;
  emptyPages: number;
  /** Why reading stopped before the service said "no more": the budget ran out, or the line limit was reached. */
  cutBy: 'budget' | 'limit' | null;
}

export interface ReadAllOptions extends PageCallOptions {
  /** Most events kept. */
  limit: number;
  /** Wall-clock epoch ms by which reading stops (pages can be empty while a nextToken still comes back). */
  deadline: number;
  /** Wall clock (tests inject one). */
  now?: () => number;
}

/** Follows nextToken, through empty pages, until the service says "no more", the limit, or the deadline. */
export async function readAllPages(clients: AwsClients, query: LogPageQuery, options: ReadAllOptions): Promise<ReadAllResult> {
  const now = options.now ?? Date.now;
  const events: LogEvent[] = [];
  let pages = 0;
  let emptyPages = 0;
  let nextToken = query.nextToken;
  for (;;) {
    if (now() >= options.deadline) return {events, pages, emptyPages, cutBy: 'budget'};
    let page: LogPage;
    try {
      page = await filterLogEventsPage(clients, {...query, limit: Math.min(10_000, options.limit - events.length), ...(nextToken ? {nextToken} : {})}, options);
    } catch (error) {
      // Throttled until the deadline, after some pages were read: what was read is the answer, cut by the budget.
      if (pages > 0 && (error as {kind?: string}).kind === 'throttled') return {events, pages, emptyPages, cutBy: 'budget'};
      throw error;
    }
    pages++;
    if (page.events.length === 0) emptyPages++;
    events.push(...page.events);
    if (events.length >= options.limit) return {events: events.slice(0, options.limit), pages, emptyPages, cutBy: page.nextToken || events.length > options.limit ? 'limit' : null};
    if (!page.nextToken) return {events, pages, emptyPages, cutBy: null};
    nextToken = page.nextToken;
  }
}

/** Request ids are UUID-like; anything else could escape the quoted filter pattern. */
export async function checkRequestId(clients: AwsClients, requestId: string, logGroup: string): Promise<string> {
  const id = requestId.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) {
    throw toAwsCallError(Object.assign(new Error(`not a request id: ${JSON.stringify(id.slice(0, 80))}`), {name: 'ValidationException'}), await errorContext(clients, 'logs:FilterLogEvents', logGroup));
  }
  return id;
}

export interface RequestLogSearch extends ReadAllResult {
  requestId: string;
  startTime: number;
  endTime: number;
}

export interface SearchRequestOptions extends PageCallOptions {
  logGroup: string;
  requestId: string;
  startTime: number;
  endTime: number;
  /** Most lines (default 1000). */
  limit?: number;
  /** Wall ms the search may take (default 20 s). */
  budgetMs?: number;
  now?: () => number;
}

/** One request's lines: FilterLogEvents with the quoted id over [startTime, endTime], every page. */
export async function searchRequestLogs(clients: AwsClients, options: SearchRequestOptions): Promise<RequestLogSearch> {
  const requestId = await checkRequestId(clients, options.requestId, options.logGroup);
  const now = options.now ?? Date.now;
  const result = await readAllPages(
    clients,
    {logGroup: options.logGroup, filterPattern: `"${requestId}"`, startTime: options.startTime, endTime: options.endTime},
    {...options, limit: Math.max(1, options.limit ?? 1000), deadline: now() + (options.budgetMs ?? 20_000), now},
  );
  return {...result, events: sortByTime(result.events), requestId, startTime: options.startTime, endTime: options.endTime};
}

/** Every line of one stream in [startTime, endTime] (an attempt's span: its lines that do not name the request). */
export async function readStreamSpan(
  clients: AwsClients,
  span: {logGroup: string; stream: string; startTime: number; endTime: number},
  options: ReadAllOptions,
): Promise<ReadAllResult> {
  // endTime is inclusive here: the REPORT line sits at the span's end.
  return readAllPages(clients, {logGroup: span.logGroup, logStreamNames: [span.stream], startTime: span.startTime, endTime: span.endTime + 1}, options);
}

function sortByTime<T extends {timestamp: number}>(events: T[]): T[] {
  return events.map((e, i) => ({e, i})).sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i).map(({e}) => e);
}

/** Merges reads of the same group, each event once (by eventId, else by stream, time and text), oldest first. */
export function mergeEvents(...lists: LogEvent[][]): LogEvent[] {
  const seen = new Set<string>();
  const out: LogEvent[] = [];
  for (const list of lists) {
    for (const e of list) {
      const key = e.eventId ?? `${e.stream}\u0000${e.timestamp}\u0000${e.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  return sortByTime(out);
}

export interface FetchRequestLogsOptions {
  logGroup: string;
  requestId: string;
  /** When the request ran (or failed), epoch ms. */
  around: number;
  /** Half-width of the searched window (default 15 minutes each side). */
  spanMs?: number;
  /** Most lines returned (default 200). */
  limit?: number;
  /** Wall ms the search may take (default 10 s). */
  budgetMs?: number;
  signal?: AbortSignal;
}

/** The browser's `l`: one request's lines around a time, oldest first. */
export async function fetchRequestLogs(clients: AwsClients, options: FetchRequestLogsOptions): Promise<RequestLogLine[]> {
  const span = options.spanMs ?? 15 * 60_000;
  const result = await searchRequestLogs(clients, {
    logGroup: options.logGroup,
    requestId: options.requestId,
    startTime: options.around - span,
    endTime: options.around + span,
    limit: Math.max(1, options.limit ?? 200),
    budgetMs: options.budgetMs ?? 10_000,
    ...(options.signal ? {signal: options.signal} : {}),
  });
  return result.events.map(({timestamp, stream, message}) => ({timestamp, stream, message}));
}

export interface FunctionLogTarget {
  functionName: string;
  functionArn: string | null;
  /** LoggingConfig.LogGroup, else /aws/lambda/NAME. */
  logGroup: string;
  logFormat: string | null;
  timeoutSeconds: number | null;
  memoryMb: number | null;
}

/** Where a function logs, from GetFunctionConfiguration. Throws FunctionNotFoundError for an unknown function. */
export async function functionLogTarget(clients: AwsClients, functionName: string, options: {qualifier?: string; signal?: AbortSignal} = {}): Promise<FunctionLogTarget> {
  const name = functionName.startsWith('arn:') ? (functionName.split(':')[6] ?? functionName) : functionName;
  try {
    const config = await call(clients, {action: 'lambda:GetFunctionConfiguration', resource: functionName, ...(options.signal ? {signal: options.signal} : {})}, (o) =>
      readsFor(clients).getFunctionConfiguration({FunctionName: functionName, ...(options.qualifier ? {Qualifier: options.qualifier} : {})}, o),
    );
    return {
      functionName: config.FunctionName ?? name,
      functionArn: config.FunctionArn ?? null,
      logGroup: config.LoggingConfig?.LogGroup || `/aws/lambda/${config.FunctionName ?? name}`,
      logFormat: config.LoggingConfig?.LogFormat ?? null,
      timeoutSeconds: typeof config.Timeout === 'number' ? config.Timeout : null,
      memoryMb: typeof config.MemorySize === 'number' ? config.MemorySize : null,
    };
  } catch (error) {
    if ((error as {kind?: string}).kind === 'not-found') {
      throw new FunctionNotFoundError(name, await clients.region().catch(() => 'this region'), /:(\d{12}):/.exec(functionName)?.[1] ?? null, {cause: error});
    }
    throw error;
  }
}

/** The log group's ARN, for StartLiveTail (which takes ARNs): from the function's ARN (same account and region). */
export function logGroupArn(functionArn: string | null, logGroup: string): string | null {
  const m = functionArn ? /^arn:(aws[\w-]*):lambda:([\w-]+):(\d{12}):function:/.exec(functionArn) : null;
  return m ? `arn:${m[1]}:logs:${m[2]}:${m[3]}:log-group:${logGroup}` : null;
}
