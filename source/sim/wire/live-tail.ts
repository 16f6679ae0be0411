// StartLiveTail (CloudWatch Logs, JSON 1.1 `Logs_20140328.StartLiveTail`): a streamed answer of AWS event stream
// frames (source/sim/wire/eventstream.ts): one `sessionStart`, then a `sessionUpdate` every second with the lines
// ingested since (at most 500 an update; beyond that a sample of 500, `sampled: true`), as AWS's service does.
// The session ends with a SessionTimeoutException after its limit (3 hours in AWS; `maxSessionMs` here, so tests
// can shorten it), or when the client closes the connection (which is how a client ends it: AWS bills per minute
// while it is open). `stats` counts sessions opened, open now, closed by the client and timed out.
import {randomUUID} from 'node:crypto';
import type {LambdaWorld, SimLogEvent, WireResponse} from '../ports.ts';
import {WireError} from './errors.ts';
import {jsonEvent, jsonException} from './eventstream.ts';

type Json = Record<string, unknown>;

export const LIVE_TAIL_MAX_SESSION_MS = 3 * 60 * 60_000;
export const LIVE_TAIL_UPDATE_MS = 1000;
export const LIVE_TAIL_MAX_EVENTS_PER_UPDATE = 500;

export interface LiveTailOptions {
  /** Wall ms a session lasts before the service ends it (default 3 hours). */
  maxSessionMs?: number;
  /** Wall ms between updates (default 1 s). */
  updateMs?: number;
  /** Events an update holds at most before it is sampled (default 500). */
  maxEventsPerUpdate?: number;
}

export interface LiveTailStats {
  opened: number;
  open: number;
  closedByClient: number;
  timedOut: number;
  /** Events sent in updates, and events left out of sampled updates. */
  sent: number;
  sampledOut: number;
}

function invalid(message: string): WireError {
  return new WireError('InvalidParameterException', message, 400);
}

function stringList(input: Json, name: string): string[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new WireError('SerializationException', `${name} must be a list of strings`, 400);
  return v as string[];
}

/** A log group ARN (with or without ":*") or name -> its name. */
function nameOf(identifier: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
  return m ? m[1]! : identifier;
}

/** A wall-clock wait that ends early (false) when the signal aborts. */
function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), Math.max(0, ms));
    timer.unref();
    signal.addEventListener('abort', onAbort, {once: true});
  });
}

/** Every `k`th of `events` so that `max` remain (AWS samples an update beyond 500 events). */
function sample<T>(events: T[], max: number): T[] {
  if (events.length <= max) return events;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(events[Math.floor((i * events.length) / max)]!);
  return out;
}

export function createLiveTail(world: LambdaWorld, options: LiveTailOptions = {}) {
  const maxSessionMs = options.maxSessionMs ?? LIVE_TAIL_MAX_SESSION_MS;
  const updateMs = options.updateMs ?? LIVE_TAIL_UPDATE_MS;
  const maxEvents = options.maxEventsPerUpdate ?? LIVE_TAIL_MAX_EVENTS_PER_UPDATE;
  const stats: LiveTailStats = {opened: 0, open: 0, closedByClient: 0, timedOut: 0, sent: 0, sampledOut: 0};

  function start(input: Json, requestId: string): WireResponse {
    const identifiers = stringList(input, 'logGroupIdentifiers');
    if (!identifiers || identifiers.length === 0) throw invalid("1 validation error detected: Value null at 'logGroupIdentifiers' failed to satisfy constraint: Member must not be null");
    if (identifiers.length > 10) throw invalid("1 validation error detected: Value at 'logGroupIdentifiers' failed to satisfy constraint: Member must have length less than or equal to 10");
    const streamNames = stringList(input, 'logStreamNames');
    const streamPrefixes = stringList(input, 'logStreamNamePrefixes');
    if (streamNames && streamPrefixes) throw invalid('logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.');
    if ((streamNames || streamPrefixes) && identifiers.length !== 1) throw invalid('logStreamNames and logStreamNamePrefixes can be used with exactly one log group.');
    const pattern = input.logEventFilterPattern;
    if (pattern !== undefined && pattern !== null && typeof pattern !== 'string') throw new WireError('SerializationException', 'logEventFilterPattern must be a string', 400);
    if (typeof pattern === 'string' && pattern.length > 1024) throw invalid("1 validation error detected: Value at 'logEventFilterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024");
    const known = new Set(world.listLogGroups().map((g) => g.logGroupName));
    const groups = identifiers.map((id) => ({identifier: id, name: nameOf(id)}));
    for (const g of groups) if (!known.has(g.name)) throw new WireError('ResourceNotFoundException', `The specified log group does not exist: ${g.identifier}`, 400);
    const wanted = (stream: string) => (!streamNames || streamNames.includes(stream)) && (!streamPrefixes || streamPrefixes.some((p) => stream.startsWith(p)));
    const filterPattern = typeof pattern === 'string' && pattern !== '' ? pattern : undefined;
    const sessionId = randomUUID();

    async function* stream(signal: AbortSignal): AsyncGenerator<Buffer> {
      stats.opened++;
      stats.open++;
      const deadline = Date.now() + maxSessionMs;
      // Lines of the session are those stamped from its start on. Each update re-reads an overlap before the
      // newest line seen (lines stamped a little in the past can land after it) and drops what was sent.
      const overlapMs = 10_000 + 2 * updateMs * world.clock.speed;
      let cursor = world.clock.now();
      const from = cursor;
      const seen = new Map<string, number>();
      try {
        yield jsonEvent('sessionStart', {
          requestId,
          sessionId,
          logGroupIdentifiers: identifiers,
          ...(streamNames ? {logStreamNames: streamNames} : {}),
          ...(streamPrefixes ? {logStreamNamePrefixes: streamPrefixes} : {}),
          ...(filterPattern ? {logEventFilterPattern: filterPattern} : {}),
        });
        while (!signal.aborted) {
          if (!(await wait(Math.min(updateMs, deadline - Date.now()), signal))) break;
          if (Date.now() >= deadline) {
            stats.timedOut++;
            yield jsonException('SessionTimeoutException', `The session reached its limit of ${Math.round(maxSessionMs / 1000)} seconds.`);
            return;
          }
          world.advance();
          const now = world.clock.now();
          const fresh: Array<SimLogEvent & {group: string}> = [];
          for (const g of groups) {
            let nextToken: string | undefined;
            do {
              const page = world.filterLogEvents({logGroupName: g.name, startTime: Math.max(from, cursor - overlapMs), endTime: now, limit: 10_000, ...(filterPattern ? {filterPattern} : {}), ...(nextToken ? {nextToken} : {})});
              for (const e of page.events) {
                const key = `${g.name}\u0000${e.eventId}`;
                if (seen.has(key) || !wanted(e.logStreamName)) continue;
                seen.set(key, e.timestamp);
                fresh.push({...e, group: g.identifier});
              }
              nextToken = page.events.length > 0 ? page.nextToken : undefined;
            } while (nextToken);
          }
          for (const e of fresh) cursor = Math.max(cursor, e.timestamp);
          for (const [key, ts] of seen) if (ts < cursor - overlapMs - 1000) seen.delete(key);
          fresh.sort((a, b) => a.timestamp - b.timestamp);
          const results = sample(fresh, maxEvents);
          stats.sent += results.length;
          stats.sampledOut += fresh.length - results.length;
          yield jsonEvent('sessionUpdate', {
            sessionMetadata: {sampled: results.length < fresh.length},
            sessionResults: results.map((e) => ({logStreamName: e.logStreamName, logGroupIdentifier: e.group, message: e.message, timestamp: e.timestamp, ingestionTime: e.ingestionTime})),
          });
        }
      } finally {
        stats.open--;
        if (signal.aborted) stats.closedByClient++;
      }
    }

    return {status: 200, headers: {'content-type': 'application/vnd.amazon.eventstream'}, body: '', stream};
  }

  return {start, stats};
}
