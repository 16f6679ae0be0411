// The simulator's CloudWatch Logs: one log group per function (/aws/lambda/<fn>), one stream per instance.
// Lines are kept as compact records and formatted when read. The store keeps a rolling window (bounded by
// virtual age and by count per group). Lines are kept sorted by timestamp; lines stamped in the (virtual)
// future, such as the START that follows a cold start's init, are hidden until their time comes.
import type {SimLogEvent} from '../ports.ts';

/** What every invocation of one function version writes alike (shared by all of them). */
export interface LogSource {
  version: string;
  runtime: string;
  memorySizeMb: number;
  timeoutSeconds: number;
  /** How the function logs: the runtime's own lines, or Powertools-style JSON lines (level, message, request id). */
  style?: LogStyle;
  /** The function's name (Powertools' "service"). */
  functionName?: string;
}

/** What one invocation wrote; shared by its lines (what is the same for every invocation is in `source`: the
 * store keeps one of these per invocation for hours of virtual time). */
export interface InvocationLog {
  requestId: string;
  stream: string;
  durationMs: number;
  maxMemoryUsedMb: number;
  initMs: number | null;
  /** Pre-rendered error line (runtime format) or null. */
  error: string | null;
  timedOut: boolean;
  source: LogSource;
}

export type LogStyle = 'runtime' | 'powertools';

/** What an error line is rendered from (the world's failure record). */
export interface ErrorLineInput {
  functionError: 'Handled' | 'Unhandled';
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
}

/** The error line a failed invocation writes, as its runtime (or Powertools) writes it at `t`:
 * - a runtime exit (errorType Runtime.*: Runtime.ExitError, Runtime.OutOfMemory): "RequestId: … Error: Runtime
 *   exited with error: <message>" then the type, as Lambda writes when the process dies;
 * - Powertools (style 'powertools'): one JSON line, level ERROR, with the error's name, message and stack;
 * - Python: "[ERROR] Type: message" and the traceback (no request id in the line, as in AWS);
 * - Node: a handled error as a console.error line, an unhandled one as "Invoke Error" with the JSON record. */
export function renderErrorLine(fn: {family: 'node' | 'python' | 'other'; style?: LogStyle; functionName?: string}, t: number, requestId: string, err: ErrorLineInput): string {
  const iso = new Date(t).toISOString();
  if (err.errorType.startsWith('Runtime.')) return `RequestId: ${requestId} Error: Runtime exited with error: ${err.errorMessage}\n${err.errorType}\n`;
  if (fn.style === 'powertools') {
    const stack = [`${err.errorType}: ${err.errorMessage}`, ...err.stackTrace.map((l) => `    ${l}`)].join('\n');
    return `${JSON.stringify({
      level: 'ERROR',
      message: 'request failed',
      timestamp: iso,
      service: fn.functionName ?? 'function',
      cold_start: false,
      function_request_id: requestId,
      error: {name: err.errorType, location: err.stackTrace[0] ?? '', message: err.errorMessage, stack},
    })}\n`;
  }
  if (fn.family === 'python') {
    const trace = err.stackTrace.map((l) => `  ${l}`).join('\n');
    return `[ERROR] ${err.errorType}: ${err.errorMessage}\nTraceback (most recent call last):\n${trace}\n`;
  }
  if (err.functionError === 'Handled') return `${iso}\t${requestId}\tERROR\t${err.errorType}: ${err.errorMessage}\n`;
  const body = JSON.stringify({errorType: err.errorType, errorMessage: err.errorMessage, stack: [`${err.errorType}: ${err.errorMessage}`, ...err.stackTrace.map((l) => `    ${l}`)]});
  return `${iso}\t${requestId}\tERROR\tInvoke Error \t${body}\n`;
}

/** Lines a group has room for before its columns first grow (they double, up to about its line limit). */
const INITIAL_CAPACITY = 1024;

export const enum LineKind {
  InitStart,
  Start,
  Error,
  Timeout,
  End,
  Report,
  /** An application line (Powertools style: INFO, the request id), written at the start. */
  App,
  /** A line a caller wrote with PutLogEvents: its text is kept as given. */
  Raw,
}

/** A line a caller wrote with PutLogEvents (LineKind.Raw): its stream and its text. */
interface RawText {
  inv: InvocationLog;
  text: string;
}

export function formatLine(line: {ts: number; kind: LineKind; inv: InvocationLog; text?: string}): string {
  const inv = line.inv;
  switch (line.kind) {
    case LineKind.Raw:
      return line.text ?? '';
    case LineKind.InitStart:
      return `INIT_START Runtime Version: ${runtimeVersion(inv.source.runtime)}\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:${fakeArnHash(inv.source.runtime)}\n`;
    case LineKind.Start:
      return `START RequestId: ${inv.requestId} Version: ${inv.source.version}\n`;
    case LineKind.Error:
      return inv.error ?? '';
    case LineKind.Timeout:
      return `${new Date(line.ts).toISOString()} ${inv.requestId} Task timed out after ${inv.source.timeoutSeconds.toFixed(2)} seconds\n\n`;
    case LineKind.End:
      return `END RequestId: ${inv.requestId}\n`;
    case LineKind.App:
      return `${JSON.stringify({level: 'INFO', message: 'processing event', timestamp: new Date(line.ts).toISOString(), service: inv.source.functionName ?? 'function', cold_start: inv.initMs !== null, function_request_id: inv.requestId})}\n`;
    case LineKind.Report: {
      const init = inv.initMs === null ? '' : `\tInit Duration: ${inv.initMs.toFixed(2)} ms`;
      return `REPORT RequestId: ${inv.requestId}\tDuration: ${inv.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(inv.durationMs + (inv.initMs ?? 0))} ms\tMemory Size: ${inv.source.memorySizeMb} MB\tMax Memory Used: ${inv.maxMemoryUsedMb} MB${init}\t\n`;
    }
  }
}

function runtimeVersion(runtime: string): string {
  const m = /^([a-z]+)(\d+)/.exec(runtime);
  return m ? `${m[1]}:${m[2]}.v${(m[2]!.length * 17) % 40}` : runtime;
}

function fakeArnHash(runtime: string): string {
  let h = 0;
  for (let i = 0; i < runtime.length; i++) h = (Math.imul(h, 31) + runtime.charCodeAt(i)) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}

const RAW_SOURCE: LogSource = {version: '', runtime: '', memorySizeMb: 0, timeoutSeconds: 0};

/** The stream a PutLogEvents line belongs to, in the shape the model's lines carry (only `stream` is read). */
function rawStream(stream: string): InvocationLog {
  return {requestId: '', stream, durationMs: 0, maxMemoryUsedMb: 0, initMs: null, error: null, timedOut: false, source: RAW_SOURCE};
}

/** The lines of one group, kept in columns (a line is about 21 bytes: its time, its sequence number, its kind and
 * a reference to what its invocation wrote, shared by that invocation's lines) instead of an object each: the
 * demo keeps 60,000 lines in its primary group, and as objects they were some 70 bytes each (the time a boxed
 * number). Live lines are positions head..length-1, sorted by time; expired ones are dropped from the front. */
export class LogGroup {
  private ts = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private kinds = new Uint8Array(INITIAL_CAPACITY);
  private refs: Array<InvocationLog | RawText> = [];
  private length = 0;
  private head = 0;
  /** Streams made by CreateLogStream (PutLogEvents writes only to those). */
  private readonly created = new Map<string, InvocationLog>();
  constructor(
    readonly name: string,
    readonly arn: string,
    readonly creationTime: number,
    private readonly maxLines: number,
  ) {}

  get size(): number {
    return this.length - this.head;
  }

  /** An estimate (about 120 bytes a line). */
  get storedBytes(): number {
    return this.size * 120;
  }

  add(at: number, seq: number, kind: LineKind, inv: InvocationLog): void {
    // CloudWatch Logs stamps events in whole milliseconds; the model's instants are fractional
    this.insert(Math.floor(at), seq, kind, inv);
  }

  private insert(ts: number, seq: number, kind: LineKind, ref: InvocationLog | RawText): void {
    if (this.length === this.ts.length) this.makeRoom();
    const times = this.ts;
    let i = this.length;
    // Nearly always appended at the end; lines stamped slightly ahead of others are inserted in order.
    while (i > this.head && times[i - 1]! > ts) i--;
    if (i < this.length) {
      times.copyWithin(i + 1, i, this.length);
      this.seqs.copyWithin(i + 1, i, this.length);
      this.kinds.copyWithin(i + 1, i, this.length);
      this.refs.splice(i, 0, ref);
    } else this.refs[i] = ref;
    times[i] = ts;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
    this.length++;
    if (this.length - this.head > this.maxLines) this.dropHead();
  }

  /** The columns are full: move the live lines to the front when expired ones take room, else grow them. */
  private makeRoom(): void {
    // a move is one memmove of the columns; at the line limit (60,000 in 65,536) it happens every 4,096 lines
    if (this.head > 0 && this.head >= Math.min(4096, this.ts.length / 16)) {
      this.compact();
      return;
    }
    const grow = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.ts = grow(this.ts, (n) => new Float64Array(n));
    this.seqs = grow(this.seqs, (n) => new Float64Array(n));
    this.kinds = grow(this.kinds, (n) => new Uint8Array(n));
  }

  private compact(): void {
    const {head, length} = this;
    this.ts.copyWithin(0, head, length);
    this.seqs.copyWithin(0, head, length);
    this.kinds.copyWithin(0, head, length);
    this.refs.splice(0, head);
    this.length = length - head;
    this.head = 0;
  }

  private dropHead(): void {
    this.refs[this.head] = undefined as unknown as InvocationLog; // what only this line kept can be collected
    this.head++;
  }

  /** CreateLogStream: false when the stream exists already (made by a caller, or one of the model's). */
  createStream(name: string): boolean {
    if (this.created.has(name) || this.hasStream(name)) return false;
    this.created.set(name, rawStream(name));
    return true;
  }

  private hasStream(name: string): boolean {
    for (let i = this.head; i < this.length; i++) if (this.invAt(i).stream === name) return true;
    return false;
  }

  private invAt(i: number): InvocationLog {
    const ref = this.refs[i]!;
    return this.kinds[i] === LineKind.Raw ? (ref as RawText).inv : (ref as InvocationLog);
  }

  /** PutLogEvents into a stream made by createStream; false when there is no such stream. */
  putRaw(stream: string, events: Array<{timestamp: number; message: string}>, nextSeq: () => number): boolean {
    const inv = this.created.get(stream);
    if (!inv) return false;
    for (const e of events) this.insert(Math.floor(e.timestamp), nextSeq(), LineKind.Raw, {inv, text: e.message});
    return true;
  }

  /** Drops lines older than `before`. */
  expire(before: number): void {
    while (this.head < this.length && this.ts[this.head]! < before) this.dropHead();
  }

  private formatAt(i: number): string {
    const kind = this.kinds[i]! as LineKind;
    const ref = this.refs[i]!;
    if (kind === LineKind.Raw) return (ref as RawText).text;
    return formatLine({ts: this.ts[i]!, kind, inv: ref as InvocationLog});
  }

  /** FilterLogEvents over this group as seen at `now`. With `scanSpanMs`, one call searches at most that much log
   * time from where it starts (as AWS searches a slice per call): a page can then be empty while a nextToken
   * still comes back. */
  filter(input: {startTime?: number; endTime?: number; filterPattern?: string; limit?: number; nextToken?: string; scanSpanMs?: number}, now: number): {events: SimLogEvent[]; nextToken?: string} {
    const limit = Math.max(1, Math.min(10_000, input.limit ?? 10_000));
    const startTime = input.startTime ?? 0;
    const endTime = Math.min(input.endTime ?? Infinity, now);
    const matcher = compileFilterPattern(input.filterPattern ?? '');
    const {ts: times, seqs, length} = this;
    let i: number;
    if (input.nextToken) {
      i = Math.max(this.lowerBoundSeq(decodeToken(input.nextToken)), this.lowerBoundTs(startTime));
    } else i = this.lowerBoundTs(startTime);
    const events: SimLogEvent[] = [];
    const scanEnd = input.scanSpanMs !== undefined && i < length ? times[i]! + Math.max(1, input.scanSpanMs) : Infinity;
    for (; i < length; i++) {
      const ts = times[i]!;
      if (ts > endTime) break;
      if (ts < startTime) continue;
      if (ts >= scanEnd) return {events, nextToken: encodeToken(String(seqs[i - 1]!))};
      const message = this.formatAt(i);
      if (!matcher(message)) continue;
      if (events.length === limit) return {events, nextToken: encodeToken(events[events.length - 1]!.eventId)};
      const seq = seqs[i]!;
      events.push({
        logStreamName: this.invAt(i).stream,
        timestamp: ts,
        ingestionTime: ts + 250 + (seq % 7) * 90,
        message,
        eventId: String(seq).padStart(20, '0'),
      });
    }
    return {events};
  }

  private lowerBoundTs(ts: number): number {
    let lo = this.head;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Seqs are not sorted by position (lines can be inserted), so resume at the token line's position. */
  private lowerBoundSeq(seq: number): number {
    for (let i = this.length - 1; i >= this.head; i--) if (this.seqs[i] === seq) return i + 1;
    return this.head;
  }
}

function encodeToken(eventId: string): string {
  return Buffer.from(`lt1:${Number(eventId)}`).toString('base64');
}

function decodeToken(token: string): number {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const m = /^lt1:(\d+)$/.exec(text);
  if (!m) throw new RangeError('The specified nextToken is invalid.');
  return Number(m[1]);
}

/** The CloudWatch Logs filter pattern subset: "" (everything), quoted phrases "…", bare terms; every term must
 * match (case-sensitive, as CloudWatch's are); a term prefixed with "-" must not match; terms prefixed with "?"
 * match when any of them does (`?ERROR ?"Task timed out"`). */
export function compileFilterPattern(pattern: string): (message: string) => boolean {
  const text = pattern.trim();
  if (text === '') return () => true;
  const include: string[] = [];
  const exclude: string[] = [];
  const anyOf: string[] = [];
  const re = /([-?]?)"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2] !== undefined) (m[1] === '-' ? exclude : m[1] === '?' ? anyOf : include).push(m[2].replace(/\\(.)/g, '$1'));
    else {
      const term = m[3]!;
      if (term.startsWith('-') && term.length > 1) exclude.push(term.slice(1));
      else if (term.startsWith('?') && term.length > 1) anyOf.push(term.slice(1));
      else include.push(term);
    }
  }
  return (message) =>
    include.every((t) => message.includes(t)) && !exclude.some((t) => message.includes(t)) && (anyOf.length === 0 || anyOf.some((t) => message.includes(t)));
}
