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
  /** The text of a request id kept as a number (InvocationLog.requestId). */
  requestIdText?: (id: number) => string;
}

/** What one invocation wrote; shared by its lines (what is the same for every invocation is in `source`: the
 * store keeps one of these per invocation for hours of virtual time). */
export interface InvocationLog {
  /** The request id, or a number its source's requestIdText writes it from (the model's: the id's position in its
   * seeded stream, so that the text of an id nobody reads is never made: see sim/lambda/world.ts newRequestId). */
  requestId: string | number;
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


/** An invocation's request id as text. */
export function requestIdOf(inv: InvocationLog): string {
  const id = inv.requestId;
  return typeof id === 'string' ? id : inv.source.requestIdText!(id);
}

export function formatLine(line: {ts: number; kind: LineKind; inv: InvocationLog; text?: string}): string {
  const inv = line.inv;
  switch (line.kind) {
    case LineKind.Raw:
      return line.text ?? '';
    case LineKind.InitStart:
      return `INIT_START Runtime Version: ${runtimeVersion(inv.source.runtime)}\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:${fakeArnHash(inv.source.runtime)}\n`;
    case LineKind.Start:
      return `START RequestId: ${requestIdOf(inv)} Version: ${inv.source.version}\n`;
    case LineKind.Error:
      return inv.error ?? '';
    case LineKind.Timeout:
      return `${new Date(line.ts).toISOString()} ${requestIdOf(inv)} Task timed out after ${inv.source.timeoutSeconds.toFixed(2)} seconds\n\n`;
    case LineKind.End:
      return `END RequestId: ${requestIdOf(inv)}\n`;
    case LineKind.App:
      return `${JSON.stringify({level: 'INFO', message: 'processing event', timestamp: new Date(line.ts).toISOString(), service: inv.source.functionName ?? 'function', cold_start: inv.initMs !== null, function_request_id: requestIdOf(inv)})}\n`;
    case LineKind.Report: {
      const init = inv.initMs === null ? '' : `\tInit Duration: ${inv.initMs.toFixed(2)} ms`;
      return `REPORT RequestId: ${requestIdOf(inv)}\tDuration: ${inv.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(inv.durationMs + (inv.initMs ?? 0))} ms\tMemory Size: ${inv.source.memorySizeMb} MB\tMax Memory Used: ${inv.maxMemoryUsedMb} MB${init}\t\n`;
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

/** A line a caller wrote with PutLogEvents (LineKind.Raw): its stream and its text. */
interface RawText {
  stream: string;
  text: string;
}

/** `to` (a larger column) with `from`'s values at its start: a column grown. */
function copiedInto<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Invocations a group has room for before its invocation columns first grow (they double). */
const INITIAL_INVOCATIONS = 256;

/** The lines of one group, kept in columns (a line is 21 bytes: its time, its sequence number, its kind and the
 * slot of its invocation) instead of an object each: the demo keeps 60,000 lines in its primary group, and as
 * objects they were some 70 bytes each (the time a boxed number). Live lines are positions head..length-1, sorted
 * by time; expired ones are dropped from the front.
 *
 * What an invocation wrote (InvocationLog) is kept in columns too, one slot per invocation shared by its lines:
 * numbers in typed arrays (off the V8 heap, not traced by the collector), the stream and the source in two arrays
 * of references to strings and objects shared by many. As an object each (with its request id as a string and its
 * duration boxed) the store held some 20,000 of them, every one surviving two scavenges into the old generation
 * (about 1 MB of the 3.3 MB an idle demo retained in 3 minutes, sampled). A slot is freed when its last line goes
 * and its writer released it (release()), and reused. */
export class LogGroup {
  private ts = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private kinds = new Uint8Array(INITIAL_CAPACITY);
  /** per line: its invocation's slot, or for a Raw line its key in `raws` */
  private lineRefs = new Uint32Array(INITIAL_CAPACITY);
  private length = 0;
  private head = 0;
  private readonly raws = new Map<number, RawText>();
  private nextRaw = 0;
  // ---- invocation slots
  /** the model's request ids: their positions in its seeded stream, 32-bit (see requestIdText) */
  private requestIds = new Uint32Array(INITIAL_INVOCATIONS);
  private durations = new Float64Array(INITIAL_INVOCATIONS);
  private memories = new Float64Array(INITIAL_INVOCATIONS);
  /** NaN: no init (a warm start) */
  private inits = new Float64Array(INITIAL_INVOCATIONS);
  private timeouts = new Uint8Array(INITIAL_INVOCATIONS);
  /** lines referring to the slot, + 1 while its writer holds it */
  private holds = new Uint16Array(INITIAL_INVOCATIONS);
  private streams: string[] = [];
  private sources: LogSource[] = [];
  /** the few slots with an error line or a request id given as text (not the model's: tests, PutLogEvents) */
  private readonly errors = new Map<number, string>();
  private readonly idTexts = new Map<number, string>();
  private slots = 0;
  private readonly freeSlots: number[] = [];
  /** add() given an InvocationLog object: the slot it was put in last (its lines come one after the other) */
  private lastInv: InvocationLog | null = null;
  private lastSlot = -1;
  /** Streams made by CreateLogStream (PutLogEvents writes only to those). */
  private readonly created = new Set<string>();
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

  /** Keeps what an invocation wrote and returns its slot, for add(); held until release(slot). `requestId` as in
   * InvocationLog (a number: its source's requestIdText writes it). */
  invocation(requestId: string | number, stream: string, durationMs: number, maxMemoryUsedMb: number, initMs: number | null, error: string | null, timedOut: boolean, source: LogSource): number {
    if (typeof requestId === 'number' && requestId !== requestId >>> 0) throw new RangeError(`a request id kept as a number is a 32-bit stream position, got ${requestId}`);
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slots++;
      if (slot === this.durations.length) this.growSlots();
    }
    if (typeof requestId === 'string') this.idTexts.set(slot, requestId);
    else this.requestIds[slot] = requestId;
    this.durations[slot] = durationMs;
    this.memories[slot] = maxMemoryUsedMb;
    this.inits[slot] = initMs === null ? NaN : initMs;
    this.timeouts[slot] = timedOut ? 1 : 0;
    this.holds[slot] = 1;
    this.streams[slot] = stream;
    this.sources[slot] = source;
    if (error !== null) this.errors.set(slot, error);
    return slot;
  }

  /** The writer of slot's invocation is done with it: it goes with its last line. */
  release(slot: number): void {
    this.unhold(slot);
  }

  private unhold(slot: number): void {
    if (--this.holds[slot]! > 0) return;
    this.errors.delete(slot);
    this.idTexts.delete(slot);
    this.streams[slot] = '';
    if (slot === this.lastSlot) this.lastInv = null;
    this.freeSlots.push(slot);
  }

  private growSlots(): void {
    const n = this.durations.length * 2;
    this.requestIds = copiedInto(this.requestIds, new Uint32Array(n));
    this.durations = copiedInto(this.durations, new Float64Array(n));
    this.memories = copiedInto(this.memories, new Float64Array(n));
    this.inits = copiedInto(this.inits, new Float64Array(n));
    this.timeouts = copiedInto(this.timeouts, new Uint8Array(n));
    this.holds = copiedInto(this.holds, new Uint16Array(n));
  }

  /** What slot's invocation wrote, as an object (read when a line is formatted). */
  private invocationAt(slot: number): InvocationLog {
    const init = this.inits[slot]!;
    return {
      requestId: this.idTexts.get(slot) ?? this.requestIds[slot]!,
      stream: this.streams[slot]!,
      durationMs: this.durations[slot]!,
      maxMemoryUsedMb: this.memories[slot]!,
      initMs: Number.isNaN(init) ? null : init,
      error: this.errors.get(slot) ?? null,
      timedOut: this.timeouts[slot] === 1,
      source: this.sources[slot]!,
    };
  }

  /** A line of an invocation: its slot (invocation()), or what it wrote (kept in a slot of its own, shared with the
   * lines added right after it with the same object). */
  add(at: number, seq: number, kind: LineKind, inv: InvocationLog | number): void {
    let slot: number;
    if (typeof inv === 'number') slot = inv;
    else if (inv === this.lastInv) slot = this.lastSlot;
    else {
      slot = this.invocation(inv.requestId, inv.stream, inv.durationMs, inv.maxMemoryUsedMb, inv.initMs, inv.error, inv.timedOut, inv.source);
      this.holds[slot]!--; // held by its lines only
      this.lastInv = inv;
      this.lastSlot = slot;
    }
    this.holds[slot]!++;
    // CloudWatch Logs stamps events in whole milliseconds; the model's instants are fractional
    this.insert(Math.floor(at), seq, kind, slot);
  }

  private insert(ts: number, seq: number, kind: LineKind, ref: number): void {
    if (this.length === this.ts.length) this.makeRoom();
    const times = this.ts;
    let i = this.length;
    // Nearly always appended at the end; lines stamped slightly ahead of others are inserted in order.
    while (i > this.head && times[i - 1]! > ts) i--;
    if (i < this.length) {
      times.copyWithin(i + 1, i, this.length);
      this.seqs.copyWithin(i + 1, i, this.length);
      this.kinds.copyWithin(i + 1, i, this.length);
      this.lineRefs.copyWithin(i + 1, i, this.length);
    }
    times[i] = ts;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
    this.lineRefs[i] = ref;
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
    const n = this.ts.length * 2;
    this.ts = copiedInto(this.ts, new Float64Array(n));
    this.seqs = copiedInto(this.seqs, new Float64Array(n));
    this.kinds = copiedInto(this.kinds, new Uint8Array(n));
    this.lineRefs = copiedInto(this.lineRefs, new Uint32Array(n));
  }

  private compact(): void {
    const {head, length} = this;
    this.ts.copyWithin(0, head, length);
    this.seqs.copyWithin(0, head, length);
    this.kinds.copyWithin(0, head, length);
    this.lineRefs.copyWithin(0, head, length);
    this.length = length - head;
    this.head = 0;
  }

  private dropHead(): void {
    const i = this.head++;
    const ref = this.lineRefs[i]!;
    if (this.kinds[i] === LineKind.Raw) this.raws.delete(ref);
    else this.unhold(ref); // what only this line kept can be collected
  }

  /** CreateLogStream: false when the stream exists already (made by a caller, or one of the model's). */
  createStream(name: string): boolean {
    if (this.created.has(name) || this.hasStream(name)) return false;
    this.created.add(name);
    return true;
  }

  private hasStream(name: string): boolean {
    for (let i = this.head; i < this.length; i++) if (this.streamAt(i) === name) return true;
    return false;
  }

  private streamAt(i: number): string {
    const ref = this.lineRefs[i]!;
    return this.kinds[i] === LineKind.Raw ? this.raws.get(ref)!.stream : this.streams[ref]!;
  }

  /** PutLogEvents into a stream made by createStream; false when there is no such stream. */
  putRaw(stream: string, events: Array<{timestamp: number; message: string}>, nextSeq: () => number): boolean {
    if (!this.created.has(stream)) return false;
    for (const e of events) {
      const key = this.nextRaw++;
      this.raws.set(key, {stream, text: e.message});
      this.insert(Math.floor(e.timestamp), nextSeq(), LineKind.Raw, key);
    }
    return true;
  }

  /** Drops lines older than `before`. */
  expire(before: number): void {
    while (this.head < this.length && this.ts[this.head]! < before) this.dropHead();
  }

  private formatAt(i: number): string {
    const kind = this.kinds[i]! as LineKind;
    const ref = this.lineRefs[i]!;
    if (kind === LineKind.Raw) return this.raws.get(ref)!.text;
    return formatLine({ts: this.ts[i]!, kind, inv: this.invocationAt(ref)});
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
        logStreamName: this.streamAt(i),
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
