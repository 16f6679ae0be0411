// Follows redriven events to their outcome (the I/O half of outcomes.ts):
//   - the function's log group (LoggingConfig.LogGroup, else /aws/lambda/NAME): FilterLogEvents for many new
//     ids at once (`?"id1" ?"id2" ...`, each pattern within CloudWatch's 1,024-character limit), every page
//     (empty ones too), through the process-wide FilterLogEvents pacer (5 requests/s, backoff on throttling);
//     an attempt that looks successful is read in full on its stream (START..REPORT), since error lines that
//     do not name the request (tracebacks, print) would otherwise be missed;
//   - the failure targets (DLQ, OnFailure queue) and an OnSuccess queue: PEEKED (received with a short
//     visibility timeout and released at once: never deleted), looking for records under the new ids or with
//     the payload that was sent.
// Bounded by the retry schedule (outcomes.ts followDeadline); the caller sees the remaining wait.
import type {AwsClients} from '../aws/clients.ts';
import {discoverTopology} from '../aws/discovery.ts';
import {getQueueUrl} from '../aws/discovery.ts';
import {groupAttempts, attemptSpans, type Attempt} from '../domain/request-attempts.ts';
import {mergeEvents, readAllPages, readStreamSpan, type LogEvent, type LogPageQuery, type ReadAllOptions, type ReadAllResult} from '../aws/logs.ts';
import {peekMessages} from '../aws/messages.ts';
import {parseFailedEvent} from '../domain/failed-event.ts';
import type {QueueRole, RawMessage} from '../domain/types.ts';
import {payloadHash} from './journal.ts';
import {sleep as defaultSleep} from './token-bucket.ts';
import {
  decideAll, followDeadline, isFinal,
  type DecidedOutcome, type FailureRecord, type FollowedSend, type OutcomeEvidence, type RetryPolicy, type SuccessRecord,
} from './outcomes.ts';

/** Where a function's outcomes show. */
export interface FollowTargets {
  functionName: string;
  /** null: the log group could not be learned (the reason is in logsUnknown). */
  logGroup: string | null;
  logsUnknown?: string | null;
  failureQueues: Array<{url: string; role: QueueRole}>;
  onSuccessQueue: string | null;
  policy: RetryPolicy;
}

/** CloudWatch Logs' limit on a filter pattern's length. */
export const FILTER_PATTERN_MAX = 1024;

/** OR-patterns of quoted ids, each within `max` characters. Ids must be plain (checked by the caller). */
export function idPatterns(ids: readonly string[], max = FILTER_PATTERN_MAX): string[] {
  const out: string[] = [];
  let current = '';
  for (const id of ids) {
    const term = `?"${id}"`;
    if (current !== '' && current.length + 1 + term.length > max) {
      out.push(current);
      current = '';
    }
    current = current === '' ? term : `${current} ${term}`;
  }
  if (current !== '') out.push(current);
  return out;
}

const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The I/O the follower needs (tests replace some). */
export interface FollowPorts {
  readLogs(query: LogPageQuery, options: ReadAllOptions): Promise<ReadAllResult>;
  readSpan(span: {logGroup: string; stream: string; startTime: number; endTime: number}, options: ReadAllOptions): Promise<ReadAllResult>;
  /** Every line of these streams in [startTime, endTime). */
  readStreams(query: {logGroup: string; streams: string[]; startTime: number; endTime: number}, options: ReadAllOptions): Promise<ReadAllResult>;
  peek(queueUrl: string, max: number): Promise<{messages: RawMessage[]; release: () => Promise<unknown>}>;
}

export function createFollowPorts(clients: AwsClients): FollowPorts {
  return {
    readLogs: (query, options) => readAllPages(clients, query, options),
    readSpan: (span, options) => readStreamSpan(clients, span, options),
    readStreams: (q, options) => readAllPages(clients, {logGroup: q.logGroup, logStreamNames: q.streams, startTime: q.startTime, endTime: q.endTime}, options),
    peek: (url, max) => peekMessages(clients, url, {max, visibilityTimeoutSeconds: 10}),
  };
}

export interface EvidenceOptions {
  /** Wall ms a pass over the logs may take (default 20 s). */
  budgetMs?: number;
  /** Receives per failure/success queue per pass (10 messages each; default 3). */
  peekReceives?: number;
  /** Log events searched from this long before the earliest acceptance (clock skew; default 60 s). */
  marginMs?: number;
  /** Peek the failure / success queues in this pass (default true). */
  peekTargets?: boolean;
  now?: () => number;
  signal?: AbortSignal;
}

/** One pass: the evidence for these sends, as the service shows it now. */
export async function collectEvidence(targets: FollowTargets, sends: readonly FollowedSend[], ports: FollowPorts, options: EvidenceOptions = {}): Promise<OutcomeEvidence> {
  const now = options.now ?? Date.now;
  const attempts = new Map<string, Attempt[]>();
  let logsUnreadable: string | null = targets.logGroup ? null : (targets.logsUnknown ?? 'the log group is not known');
  const ids = sends.map((s) => s.newId).filter((id) => PLAIN_ID.test(id));
  if (targets.logGroup && ids.length > 0) {
    try {
      const found = await readIdLogs(targets.logGroup, ids, Math.min(...sends.map((s) => s.acceptedAt)) - (options.marginMs ?? 60_000), ports, options, now);
      for (const [id, list] of found) attempts.set(id, list);
    } catch (error) {
      logsUnreadable = errorWords(error);
    }
  }
  const failures: FailureRecord[] = [];
  const successes: SuccessRecord[] = [];
  let targetsUnreadable: string | null = null;
  const wantIds = new Set(sends.map((s) => s.newId));
  const wantHashes = new Set(sends.map((s) => s.payloadHash?.slice(0, 32)).filter((h): h is string => !!h));
  const peekAll = async (url: string, role: QueueRole, into: (r: FailureRecord) => void) => {
    const seen = new Set<string>();
    for (let i = 0; i < (options.peekReceives ?? 3); i++) {
      const {messages, release} = await ports.peek(url, 10);
      try {
        if (messages.length === 0) break;
        let fresh = 0;
        for (const m of messages) {
          if (seen.has(m.messageId)) continue;
          seen.add(m.messageId);
          fresh++;
          const e = parseFailedEvent(m, role, url);
          const hash = e.payload !== null ? payloadHash(e.payload).slice(0, 32) : null;
          if ((e.requestId && wantIds.has(e.requestId)) || (hash && wantHashes.has(hash))) {
            into({queue: url, messageId: m.messageId, requestId: e.requestId, payloadHash: hash, errorType: e.errorType, errorMessage: e.errorMessage, condition: e.condition});
          }
        }
        if (fresh === 0) break;
      } finally {
        await release().catch(() => undefined);
      }
    }
  };
  const peek = options.peekTargets ?? true;
  for (const q of peek ? targets.failureQueues : []) {
    try {
      await peekAll(q.url, q.role, (r) => failures.push(r));
    } catch (error) {
      targetsUnreadable = errorWords(error);
    }
  }
  if (peek && targets.onSuccessQueue) {
    try {
      await peekAll(targets.onSuccessQueue, 'on-failure', (r) => {
        // An invocation record in the OnSuccess queue is a success whatever it says.
        successes.push({queue: r.queue, messageId: r.messageId, requestId: r.requestId, payloadHash: r.payloadHash});
      });
    } catch (error) {
      targetsUnreadable = errorWords(error);
    }
  }
  return {attempts, failures, successes, logsUnreadable, targetsUnreadable};
}

async function readIdLogs(logGroup: string, ids: readonly string[], startTime: number, ports: FollowPorts, options: EvidenceOptions, now: () => number): Promise<Map<string, Attempt[]>> {
  const deadline = now() + (options.budgetMs ?? 20_000);
  const base = {...(options.signal ? {signal: options.signal} : {}), now, deadline};
  const byId = new Map<string, LogEvent[]>();
  const idSet = new Set(ids);
  for (const filterPattern of idPatterns(ids)) {
    const result = await ports.readLogs({logGroup, filterPattern, startTime}, {...base, limit: 10_000});
    for (const e of result.events) {
      for (const id of idsIn(e.message, idSet)) byId.set(id, [...(byId.get(id) ?? []), e]);
    }
  }
  // A success by the id's own lines only: its whole span is read (an unnamed traceback would be there).
  // The spans' streams are read together (up to 100 streams a call, as FilterLogEvents allows), one call per
  // span only when that read was cut.
  const first = new Map<string, Attempt[]>();
  const spans: Array<{id: string; stream: string; startTime: number; endTime: number}> = [];
  for (const [id, events] of byId) {
    const attempts = groupAttempts(id, events);
    first.set(id, attempts);
    for (const span of attemptSpans(attempts.filter((a) => a.outcome === 'ok'))) spans.push({id, ...span});
  }
  const spanLines = new Map<string, LogEvent[]>();
  const cut = new Set<string>();
  const streams = [...new Set(spans.map((s) => s.stream))];
  for (let i = 0; i < streams.length; i += MAX_STREAMS_PER_CALL) {
    const chunk = new Set(streams.slice(i, i + MAX_STREAMS_PER_CALL));
    const mine = spans.filter((s) => chunk.has(s.stream));
    const startTime = Math.min(...mine.map((s) => s.startTime));
    const endTime = Math.max(...mine.map((s) => s.endTime)) + 1;
    const read = await ports.readStreams({logGroup, streams: [...chunk], startTime, endTime}, {...base, limit: 10_000});
    if (read.cutBy === null) {
      for (const span of mine) spanLines.set(span.id, [...(spanLines.get(span.id) ?? []), ...read.events.filter((e) => e.stream === span.stream && e.timestamp >= span.startTime && e.timestamp <= span.endTime)]);
      continue;
    }
    for (const span of mine) {
      const one = await ports.readSpan({logGroup, stream: span.stream, startTime: span.startTime, endTime: span.endTime}, {...base, limit: 1000});
      // A span not read to its end (the pass's budget ran out) proves nothing: no success from it this pass.
      if (one.cutBy !== null) cut.add(span.id);
      else spanLines.set(span.id, [...(spanLines.get(span.id) ?? []), ...one.events]);
    }
  }
  const out = new Map<string, Attempt[]>();
  for (const [id, events] of byId) {
    if (cut.has(id)) continue;
    const extra = spanLines.get(id);
    out.set(id, extra ? groupAttempts(id, mergeEvents(events, extra)) : first.get(id)!);
  }
  return out;
}

/** FilterLogEvents takes at most 100 log stream names a call. */
const MAX_STREAMS_PER_CALL = 100;

function idsIn(message: string, ids: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const m of message.matchAll(/[0-9A-Za-z][0-9A-Za-z-]{7,}/g)) if (ids.has(m[0])) found.push(m[0]);
  return found;
}

function errorWords(error: unknown): string {
  const e = error as {message?: string; name?: string} | null;
  return e?.message ?? e?.name ?? String(error);
}

export interface FollowOptions extends EvidenceOptions {
  /** Wall ms between passes (default 5 s). */
  pollMs?: number;
  /** Longest wall wait whatever the schedule says (default: the retry schedule's). */
  maxWaitMs?: number;
  /** The queues are peeked on the first pass, every this many passes (default 6: ~30 s), when the logs could
   * not be read, and on the last pass: each peek raises the receive counts of the messages it sees (which
   * also skews the DLQ's ApproximateAgeOfOldestMessage), so not on every pass. */
  peekEveryPasses?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** After each pass: the outcomes so far and the wall ms still to wait at most. */
  onUpdate?: (decided: readonly DecidedOutcome[], remainingMs: number) => void;
}

/** Follows until every event's outcome is final, or the retry schedule (plus delivery lag) is over. */
export async function followOutcomes(targets: FollowTargets, sends: readonly FollowedSend[], ports: FollowPorts, options: FollowOptions = {}): Promise<DecidedOutcome[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const start = now();
  const scheduleEnd = sends.length === 0 ? start : Math.max(...sends.map((s) => followDeadline(s.acceptedAt, targets.policy)));
  const deadline = options.maxWaitMs !== undefined ? Math.min(scheduleEnd, start + options.maxWaitMs) : scheduleEnd;
  const done = new Map<string, DecidedOutcome>();
  const failures: FailureRecord[] = [];
  const successes: SuccessRecord[] = [];
  let decided: DecidedOutcome[] = sends.map((send) => ({send, outcome: {state: 'pending', reason: 'not looked up yet'}}));
  let logsFailed = false;
  for (let pass = 0; ; pass++) {
    const open = sends.filter((s) => !done.has(s.newId));
    const last = deadline - now() <= (options.pollMs ?? 5000);
    const peekTargets = pass % Math.max(1, options.peekEveryPasses ?? 6) === 0 || logsFailed || last;
    const evidence = await collectEvidence(targets, open, ports, {...options, peekTargets});
    logsFailed = evidence.logsUnreadable !== null;
    // Records seen in earlier passes stay evidence (a peek sees a sample of a queue each time).
    failures.push(...evidence.failures);
    successes.push(...evidence.successes);
    const fresh = decideAll(open, {...evidence, failures, successes}, targets.policy, now());
    for (const d of fresh) if (isFinal(d.outcome)) done.set(d.send.newId, d);
    const byId = new Map(fresh.map((d) => [d.send.newId, d]));
    decided = sends.map((s) => done.get(s.newId) ?? byId.get(s.newId)!);
    const remaining = Math.max(0, deadline - now());
    options.onUpdate?.(decided, remaining);
    if (done.size === sends.length || remaining <= 0 || options.signal?.aborted) return decided;
    await sleep(Math.min(options.pollMs ?? 5000, remaining), options.signal);
    if (options.signal?.aborted) return decided;
  }
}

/** The follow targets of a function: log group, failure queues, OnSuccess queue, retries and timeout. */
export async function resolveFollowTargets(clients: AwsClients, functionName: string, qualifier?: string): Promise<FollowTargets> {
  const topology = await discoverTopology(clients, {functionName, ...(qualifier ? {qualifier} : {})});
  const failureQueues: FollowTargets['failureQueues'] = [];
  for (const [target, role] of [[topology.deadLetterTarget, 'dlq'], [topology.onFailure, 'on-failure']] as const) {
    if (target?.kind === 'sqs') {
      const url = await getQueueUrl(clients, target.arn).catch(() => null);
      if (url && !failureQueues.some((q) => q.url === url)) failureQueues.push({url, role});
    }
  }
  const onSuccessQueue = topology.onSuccess?.kind === 'sqs' ? await getQueueUrl(clients, topology.onSuccess.arn).catch(() => null) : null;
  return {
    functionName: topology.name,
    logGroup: topology.logGroup ?? `/aws/lambda/${topology.name}`,
    failureQueues,
    onSuccessQueue,
    policy: {maximumRetryAttempts: topology.maximumRetryAttempts ?? 2, timeoutSeconds: topology.timeoutSeconds ?? 900},
  };
}
