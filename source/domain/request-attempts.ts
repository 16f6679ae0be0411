// Groups log lines into invocation attempts: START .. END/REPORT on one log stream (one instance runs one
// request at a time, so a stream's lines between a START and its REPORT belong to that attempt, whether or not
// they name the request: Python tracebacks and print() lines do not). An async event retried twice has three
// attempts, a minute or more apart. Pure; messages stay raw (sanitise before display).
import {isErrorLevel, readLogLine, type LogError, type ReadLogLine} from './log-events.ts';

export interface LogEventIn {
  timestamp: number;
  stream: string;
  message: string;
}

export type AttemptOutcome = 'timeout' | 'runtime-exit' | 'error' | 'ok' | 'unknown';

export interface Attempt {
  requestId: string;
  stream: string;
  /** The START line's time; null when the window began after it. */
  startedAt: number | null;
  /** The REPORT (or END) line's time; null while running or when the window ended first. */
  endedAt: number | null;
  version: string | null;
  durationMs: number | null;
  billedDurationMs: number | null;
  memorySizeMb: number | null;
  maxMemoryUsedMb: number | null;
  /** Init Duration: set on a cold start. */
  initDurationMs: number | null;
  /** true/false once the REPORT was read; null without it (unknown, not "warm"). */
  coldStart: boolean | null;
  /** "Task timed out after N seconds": N. */
  timedOutAfterSeconds: number | null;
  /** "Runtime exited with error: …". */
  runtimeExit: {reason: string; errorType: string | null} | null;
  errors: LogError[];
  /** REPORT Status (newer runtimes, JSON format): "timeout", "error"; null when not said. */
  reportStatus: string | null;
  /** Every line of the attempt, in order, raw. */
  lines: Array<{timestamp: number; message: string; read: ReadLogLine}>;
  outcome: AttemptOutcome;
}

function newAttempt(requestId: string, stream: string, startedAt: number | null, version: string | null): Attempt {
  return {
    requestId,
    stream,
    startedAt,
    endedAt: null,
    version,
    durationMs: null,
    billedDurationMs: null,
    memorySizeMb: null,
    maxMemoryUsedMb: null,
    initDurationMs: null,
    coldStart: null,
    timedOutAfterSeconds: null,
    runtimeExit: null,
    errors: [],
    reportStatus: null,
    lines: [],
    outcome: 'unknown',
  };
}

function outcomeOf(a: Attempt, reported: boolean): AttemptOutcome {
  if (a.timedOutAfterSeconds !== null || a.reportStatus === 'timeout') return 'timeout';
  if (a.runtimeExit) return 'runtime-exit';
  if (a.errors.length > 0 || (a.reportStatus !== null && a.reportStatus !== 'success')) return 'error';
  return reported ? 'ok' : 'unknown';
}

export interface AttemptTrackerOptions {
  /** Only this request's attempts (lines of other requests are ignored); all requests when absent. */
  requestId?: string;
  /** Keep each attempt's lines (default true). The tail's statistics need only the figures. */
  keepLines?: boolean;
  /** Most streams followed at once (default 2000; the least recently seen is dropped). */
  maxOpen?: number;
}

/** A state machine over lines in time order: `push` returns the attempt a REPORT finished, else null. */
export class AttemptTracker {
  private readonly open = new Map<string, Attempt>();
  private readonly keepLines: boolean;
  private readonly maxOpen: number;
  constructor(private readonly options: AttemptTrackerOptions = {}) {
    this.keepLines = options.keepLines ?? true;
    this.maxOpen = options.maxOpen ?? 2000;
  }

  private wanted(requestId: string | null): boolean {
    return this.options.requestId === undefined || requestId === this.options.requestId;
  }

  private setOpen(stream: string, attempt: Attempt): void {
    this.open.delete(stream);
    this.open.set(stream, attempt);
    if (this.open.size > this.maxOpen) this.open.delete(this.open.keys().next().value!);
  }

  push(event: LogEventIn, read: ReadLogLine = readLogLine(event.message)): Attempt | null {
    let attempt = this.open.get(event.stream);
    if (read.kind === 'start') {
      if (!this.wanted(read.requestId)) {
        this.open.delete(event.stream);
        return null;
      }
      attempt = newAttempt(read.requestId, event.stream, event.timestamp, read.version);
      this.setOpen(event.stream, attempt);
    } else if (attempt && read.requestId !== null && read.requestId !== attempt.requestId) {
      // A line of another request on this stream. Its END/REPORT means the open attempt lost its own end.
      if (read.kind !== 'end' && read.kind !== 'report') return null;
      attempt = undefined;
      this.open.delete(event.stream);
    }
    if (!attempt) {
      // A line of a request whose START is outside what was read.
      if (read.requestId === null || !this.wanted(read.requestId)) return null;
      attempt = newAttempt(read.requestId, event.stream, null, null);
      this.setOpen(event.stream, attempt);
    }
    if (this.keepLines) attempt.lines.push({timestamp: event.timestamp, message: event.message, read});
    switch (read.kind) {
      case 'end':
        attempt.endedAt ??= event.timestamp;
        break;
      case 'report':
        attempt.endedAt = event.timestamp;
        attempt.durationMs = read.durationMs;
        attempt.billedDurationMs = read.billedDurationMs;
        attempt.memorySizeMb = read.memorySizeMb;
        attempt.maxMemoryUsedMb = read.maxMemoryUsedMb;
        attempt.initDurationMs = read.initDurationMs;
        attempt.coldStart = read.initDurationMs !== null;
        attempt.reportStatus = read.status;
        attempt.outcome = outcomeOf(attempt, true);
        this.open.delete(event.stream);
        return attempt;
      case 'timeout':
        attempt.timedOutAfterSeconds = read.afterSeconds;
        break;
      case 'runtime-exit':
        attempt.runtimeExit = {reason: read.reason, errorType: read.errorType};
        break;
      case 'error':
        attempt.errors.push(read.error);
        break;
      case 'structured':
        if (read.error) attempt.errors.push(read.error);
        else if (isErrorLevel(read.level)) attempt.errors.push({type: null, message: read.message, stack: []});
        break;
      default:
        break;
    }
    attempt.outcome = outcomeOf(attempt, false);
    return null;
  }

  /** Attempts started (or seen) and not yet reported. */
  pending(): Attempt[] {
    return [...this.open.values()];
  }
}

/** Every attempt of one request in `events` (any order), oldest first. */
/** Events read and in time order; lines of one millisecond (a timeout, its END and REPORT) keep their natural
 * order whatever order they came in. */
function inLogOrder(events: readonly LogEventIn[]): Array<{e: LogEventIn; read: ReadLogLine}> {
  const rank = (read: ReadLogLine) => (read.kind === 'start' ? 0 : read.kind === 'end' ? 2 : read.kind === 'report' ? 3 : 1);
  return events.map((e, i) => ({e, i, read: readLogLine(e.message)})).sort((a, b) => a.e.timestamp - b.e.timestamp || rank(a.read) - rank(b.read) || a.i - b.i);
}

/** The attempts a REPORT finished in `events` (any order, every request), oldest first. */
export function finishedAttempts(events: readonly LogEventIn[]): Attempt[] {
  const tracker = new AttemptTracker({keepLines: false});
  const done: Attempt[] = [];
  for (const {e, read} of inLogOrder(events)) {
    const finished = tracker.push(e, read);
    if (finished) done.push(finished);
  }
  return done;
}

export function groupAttempts(requestId: string, events: readonly LogEventIn[]): Attempt[] {
  const tracker = new AttemptTracker({requestId});
  const done: Attempt[] = [];
  for (const {e, read} of inLogOrder(events)) {
    const finished = tracker.push(e, read);
    if (finished) done.push(finished);
  }
  return [...done, ...tracker.pending()].sort((a, b) => (a.startedAt ?? a.lines[0]?.timestamp ?? 0) - (b.startedAt ?? b.lines[0]?.timestamp ?? 0));
}

/** For each attempt whose lines may miss some (they were found by the request id), the stream and time span to
 * read in full: from its START to its REPORT. Attempts without both ends are read as found. */
export function attemptSpans(attempts: readonly Attempt[]): Array<{stream: string; startTime: number; endTime: number}> {
  return attempts.filter((a) => a.startedAt !== null && a.endedAt !== null).map((a) => ({stream: a.stream, startTime: a.startedAt!, endTime: a.endedAt!}));
}
