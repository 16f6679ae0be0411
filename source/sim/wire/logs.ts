// CloudWatch Logs over AWS JSON 1.1 (`X-Amz-Target: Logs_20140328.<Op>`), answered from the world's log store:
// FilterLogEvents, DescribeLogGroups, DescribeLogStreams, GetLogEvents, StartLiveTail (a streamed answer,
// source/sim/wire/live-tail.ts), and CreateLogStream / PutLogEvents (lines a caller writes: tests, benchmarks).
import {LambdaError, type LambdaWorld, type SimLogEvent, type WireRequest, type WireResponse} from '../ports.ts';
import {WireError, renderError, unknownOperation} from './errors.ts';
import {createLiveTail, type LiveTailOptions} from './live-tail.ts';

export const LOGS_TARGET = 'Logs_20140328';
export const LOGS_OPERATIONS = ['FilterLogEvents', 'DescribeLogGroups', 'DescribeLogStreams', 'GetLogEvents', 'StartLiveTail', 'CreateLogStream', 'PutLogEvents'] as const;

/** PutLogEvents' limits: 10,000 events and 1,048,576 bytes a batch (each event counts 26 bytes more). */
const PUT_MAX_EVENTS = 10_000;
const PUT_MAX_BYTES = 1_048_576;

type Json = Record<string, unknown>;

/** How many events GetLogEvents / DescribeLogStreams read from a group at most (they scan the group). */
const SCAN_LIMIT = 200_000;

/** How much log time one FilterLogEvents call searches (virtual ms). AWS searches a slice of the group per call
 * and answers what it found there, so a sparse filter (a quoted request id) over a long window gets pages that are
 * empty while a nextToken still comes back: callers must follow the token. */
export const FILTER_SCAN_SPAN_MS = 5 * 60_000;

function invalid(message: string): WireError {
  return new WireError('InvalidParameterException', message, 400);
}

function notFound(): WireError {
  return new WireError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
}

function optString(input: Json, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new WireError('SerializationException', `${name} must be a string`, 400);
  return v;
}

function optInt(input: Json, name: string, min: number, max: number): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new WireError('SerializationException', `${name} must be an integer`, 400);
  if (v < min || v > max) {
    throw invalid(`1 validation error detected: Value '${v}' at '${name}' failed to satisfy constraint: Member must have value ${v < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`);
  }
  return v;
}

function optStringList(input: Json, name: string): string[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new WireError('SerializationException', `${name} must be a list of strings`, 400);
  return v as string[];
}

/** logGroupName, or logGroupIdentifier (a name or an ARN, with or without the trailing ":*"). */
function groupName(input: Json, required = true): string | undefined {
  const name = optString(input, 'logGroupName');
  const identifier = optString(input, 'logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) throw invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (identifier !== undefined) {
    const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
    return m ? m[1] : identifier;
  }
  if (name === undefined && required) throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
  return name;
}

function requireGroup(world: LambdaWorld, name: string): {logGroupName: string; arn: string; creationTime: number; storedBytes: number} {
  const group = world.listLogGroups(name).find((g) => g.logGroupName === name);
  if (!group) throw notFound();
  return group;
}

/** Every event of a group in [start, end), oldest first (bounded). */
function scanGroup(world: LambdaWorld, logGroupName: string, startTime?: number, endTime?: number): SimLogEvent[] {
  const out: SimLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = world.filterLogEvents({logGroupName, ...(startTime !== undefined ? {startTime} : {}), ...(endTime !== undefined ? {endTime} : {}), limit: 10_000, ...(nextToken ? {nextToken} : {})});
    out.push(...page.events);
    nextToken = page.events.length ? page.nextToken : undefined;
  } while (nextToken && out.length < SCAN_LIMIT);
  return out;
}

function filterLogEvents(world: LambdaWorld, input: Json): Json {
  const logGroupName = groupName(input)!;
  requireGroup(world, logGroupName);
  const startTime = optInt(input, 'startTime', 0, Number.MAX_SAFE_INTEGER);
  const endTime = optInt(input, 'endTime', 0, Number.MAX_SAFE_INTEGER);
  const limit = optInt(input, 'limit', 1, 10_000) ?? 10_000;
  const filterPattern = optString(input, 'filterPattern');
  const streamNames = optStringList(input, 'logStreamNames');
  const streamPrefix = optString(input, 'logStreamNamePrefix');
  if (streamNames && streamPrefix !== undefined) throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  const nextToken = optString(input, 'nextToken');
  const wanted = (e: SimLogEvent) => (!streamNames || streamNames.includes(e.logStreamName)) && (streamPrefix === undefined || e.logStreamName.startsWith(streamPrefix));
  // One slice of the group per call (FILTER_SCAN_SPAN_MS); stream filters are applied to what the slice held,
  // so a page can be short or empty while a nextToken still comes back, as AWS's can.
  let page: {events: SimLogEvent[]; nextToken?: string};
  try {
    page = world.filterLogEvents({
      logGroupName,
      ...(startTime !== undefined ? {startTime} : {}),
      ...(endTime !== undefined ? {endTime} : {}),
      ...(filterPattern !== undefined ? {filterPattern} : {}),
      limit,
      ...(nextToken ? {nextToken} : {}),
      scanSpanMs: FILTER_SCAN_SPAN_MS,
    });
  } catch (error) {
    if (error instanceof RangeError) throw invalid(error.message || 'The specified nextToken is invalid.');
    throw error;
  }
  const events = page.events.filter(wanted);
  const more = page.nextToken;
  const streams = [...new Set(events.map((e) => e.logStreamName))];
  const out: Json = {
    events: events.map((e) => ({logStreamName: e.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId})),
    searchedLogStreams: streams.map((logStreamName) => ({logStreamName, searchedCompletely: !more})),
  };
  if (more) out.nextToken = more;
  return out;
}

function groupArns(arn: string): {arn: string; logGroupArn: string} {
  const base = arn.endsWith(':*') ? arn.slice(0, -2) : arn;
  return {arn: `${base}:*`, logGroupArn: base};
}

function pageToken(prefix: string, token: string | undefined): number {
  if (token === undefined) return 0;
  const m = new RegExp(`^${prefix}/(\\d+)$`).exec(token);
  if (!m) throw invalid('The specified nextToken is invalid.');
  return Number(m[1]);
}

function describeLogGroups(world: LambdaWorld, input: Json): Json {
  const prefix = optString(input, 'logGroupNamePrefix');
  const pattern = optString(input, 'logGroupNamePattern');
  if (prefix !== undefined && pattern !== undefined) throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  const limit = optInt(input, 'limit', 1, 50) ?? 50;
  const offset = pageToken('g', optString(input, 'nextToken'));
  const groups = world
    .listLogGroups(prefix)
    .filter((g) => (prefix === undefined || g.logGroupName.startsWith(prefix)) && (pattern === undefined || g.logGroupName.toLowerCase().includes(pattern.toLowerCase())))
    .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName));
  const page = groups.slice(offset, offset + limit);
  const out: Json = {
    logGroups: page.map((g) => ({
      logGroupName: g.logGroupName,
      creationTime: g.creationTime,
      metricFilterCount: 0,
      storedBytes: g.storedBytes,
      logGroupClass: 'STANDARD',
      ...groupArns(g.arn),
    })),
  };
  if (offset + limit < groups.length) out.nextToken = `g/${offset + limit}`;
  return out;
}

function describeLogStreams(world: LambdaWorld, input: Json): Json {
  const logGroupName = groupName(input)!;
  const group = requireGroup(world, logGroupName);
  const prefix = optString(input, 'logStreamNamePrefix');
  const orderBy = optString(input, 'orderBy') ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') throw invalid(`Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`);
  if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
  const descending = input.descending === true;
  const limit = optInt(input, 'limit', 1, 50) ?? 50;
  const offset = pageToken('s', optString(input, 'nextToken'));
  const streams = new Map<string, {first: number; last: number; lastIngestion: number; bytes: number}>();
  for (const e of scanGroup(world, logGroupName)) {
    if (prefix !== undefined && !e.logStreamName.startsWith(prefix)) continue;
    const s = streams.get(e.logStreamName) ?? {first: e.timestamp, last: e.timestamp, lastIngestion: e.ingestionTime, bytes: 0};
    s.first = Math.min(s.first, e.timestamp);
    s.last = Math.max(s.last, e.timestamp);
    s.lastIngestion = Math.max(s.lastIngestion, e.ingestionTime);
    s.bytes += Buffer.byteLength(e.message);
    streams.set(e.logStreamName, s);
  }
  const sorted = [...streams.entries()].sort((a, b) => (orderBy === 'LastEventTime' ? a[1].last - b[1].last : a[0].localeCompare(b[0])));
  if (descending) sorted.reverse();
  const page = sorted.slice(offset, offset + limit);
  const base = groupArns(group.arn).logGroupArn;
  const out: Json = {
    logStreams: page.map(([logStreamName, s]) => ({
      logStreamName,
      creationTime: s.first,
      firstEventTimestamp: s.first,
      lastEventTimestamp: s.last,
      lastIngestionTime: s.lastIngestion,
      uploadSequenceToken: '0',
      arn: `${base}:log-stream:${logStreamName}`,
      storedBytes: 0,
    })),
  };
  if (offset + limit < sorted.length) out.nextToken = `s/${offset + limit}`;
  return out;
}

function getLogEvents(world: LambdaWorld, input: Json): Json {
  const logGroupName = groupName(input)!;
  requireGroup(world, logGroupName);
  const logStreamName = optString(input, 'logStreamName');
  if (!logStreamName) throw invalid('1 validation error detected: Value null at \'logStreamName\' failed to satisfy constraint: Member must not be null');
  const startTime = optInt(input, 'startTime', 0, Number.MAX_SAFE_INTEGER);
  const endTime = optInt(input, 'endTime', 0, Number.MAX_SAFE_INTEGER);
  const limit = optInt(input, 'limit', 1, 10_000) ?? 10_000;
  const token = optString(input, 'nextToken');
  const events = scanGroup(world, logGroupName, startTime, endTime)
    .filter((e) => e.logStreamName === logStreamName)
    .sort((a, b) => a.timestamp - b.timestamp);
  if (events.length === 0 && !scanGroup(world, logGroupName).some((e) => e.logStreamName === logStreamName)) {
    throw new WireError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);
  }
  // Tokens: f/<index> reads forward from index, b/<index> reads backward ending before index.
  let from: number;
  let to: number;
  const m = token === undefined ? null : /^([fb])\/(\d+)$/.exec(token);
  if (token !== undefined && !m) throw invalid('The specified nextToken is invalid.');
  if (m && m[1] === 'f') {
    from = Math.min(Number(m[2]), events.length);
    to = Math.min(events.length, from + limit);
  } else if (m) {
    to = Math.min(Number(m[2]), events.length);
    from = Math.max(0, to - limit);
  } else if (input.startFromHead === true) {
    from = 0;
    to = Math.min(events.length, limit);
  } else {
    to = events.length;
    from = Math.max(0, to - limit);
  }
  return {
    events: events.slice(from, to).map((e) => ({timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime})),
    nextForwardToken: `f/${to}`,
    nextBackwardToken: `b/${from}`,
  };
}

/** The model's errors (a missing group or stream) as the Logs wire's. */
function fromModel<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof LambdaError) throw new WireError(error.type, error.message, error.status);
    throw error;
  }
}

function createLogStream(world: LambdaWorld, input: Json): Json {
  if (!world.createLogStream) throw unknownOperation('CreateLogStream');
  const logGroupName = groupName(input)!;
  const logStreamName = optString(input, 'logStreamName');
  if (!logStreamName) throw invalid("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
  if (/[:*]/.test(logStreamName) || logStreamName.length > 512) throw invalid(`Value '${logStreamName}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`);
  fromModel(() => world.createLogStream!(logGroupName, logStreamName));
  return {};
}

function putLogEvents(world: LambdaWorld, input: Json): Json {
  if (!world.putLogEvents) throw unknownOperation('PutLogEvents');
  const logGroupName = groupName(input)!;
  const logStreamName = optString(input, 'logStreamName');
  if (!logStreamName) throw invalid("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
  const raw = input.logEvents;
  if (!Array.isArray(raw) || raw.length === 0) throw invalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (raw.length > PUT_MAX_EVENTS) throw invalid(`1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to ${PUT_MAX_EVENTS}`);
  let bytes = 0;
  let last = -Infinity;
  const events = raw.map((e: unknown) => {
    const ev = e as {timestamp?: unknown; message?: unknown};
    if (!e || typeof e !== 'object' || typeof ev.timestamp !== 'number' || !Number.isInteger(ev.timestamp) || typeof ev.message !== 'string' || ev.message === '') {
      throw invalid('Each log event needs a whole-number timestamp and a non-empty message.');
    }
    if (ev.timestamp < last) throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
    last = ev.timestamp;
    bytes += Buffer.byteLength(ev.message) + 26;
    return {timestamp: ev.timestamp, message: ev.message};
  });
  if (bytes > PUT_MAX_BYTES) throw invalid(`Log events batch is ${bytes} bytes, more than the ${PUT_MAX_BYTES} allowed.`);
  fromModel(() => world.putLogEvents!({logGroupName, logStreamName, events}));
  world.mutations.PutLogEvents = (world.mutations.PutLogEvents ?? 0) + 1;
  return {};
}

export interface LogsHandlerOptions {
  liveTail?: LiveTailOptions;
}

export function createLogsHandler(world: LambdaWorld, options: LogsHandlerOptions = {}) {
  const liveTail = createLiveTail(world, options.liveTail);
  const handler = (request: WireRequest, requestId: string): WireResponse | undefined => {
    const target = request.headers['x-amz-target'];
    if (!target?.startsWith(`${LOGS_TARGET}.`)) return undefined;
    const operation = target.slice(LOGS_TARGET.length + 1);
    try {
      let input: unknown;
      try {
        const text = request.body.toString('utf8').trim();
        input = text ? JSON.parse(text) : {};
      } catch {
        throw new WireError('SerializationException', 'Could not parse the request body as JSON.', 400);
      }
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw new WireError('SerializationException', 'The request body must be a JSON object.', 400);
      let output: Json;
      switch (operation) {
        case 'FilterLogEvents':
          output = filterLogEvents(world, input as Json);
          break;
        case 'DescribeLogGroups':
          output = describeLogGroups(world, input as Json);
          break;
        case 'DescribeLogStreams':
          output = describeLogStreams(world, input as Json);
          break;
        case 'GetLogEvents':
          output = getLogEvents(world, input as Json);
          break;
        case 'StartLiveTail':
          return liveTail.start(input as Json, requestId);
        case 'CreateLogStream':
          output = createLogStream(world, input as Json);
          break;
        case 'PutLogEvents':
          output = putLogEvents(world, input as Json);
          break;
        default:
          throw unknownOperation(operation);
      }
      return {status: 200, headers: {'content-type': 'application/x-amz-json-1.1'}, body: JSON.stringify(output)};
    } catch (error) {
      if (error instanceof WireError) return renderError('json-1.1', error, requestId);
      throw error;
    }
  };
  return Object.assign(handler, {liveTailStats: liveTail.stats});
}
