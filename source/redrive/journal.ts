// The redrive journal: JSON lines. The first line is a header that identifies the file (tool, version,
// queue, target); each run that opens it appends a `run` line (its id, source, target, visibility timeout),
// then one compact record per outcome: ids and hashes, never payloads.
//
// Each accepted send is written as soon as it is known (a kill -9 cannot lose a written line) and fdatasync'ed
// BEFORE its message is deleted (one fsync covers every acceptance written while the previous one was on its way:
// group commit), so after a crash at any instant the journal knows every event the target accepted whose message
// may still be in the queue. A
// resumed run reads it and never sends such an event to the same target again: it only deletes the leftover.
// A kill -9 can tear the last line; reading ignores a torn last line, and appending first ends it.
//
// Identity, never payload: an acceptance is looked up by the message id it came from, by the failed
// invocation's (original) request id (a DLQ message and its OnFailure twin share it), and by the NEW id the
// target gave it (Lambda's request id of the redriven invoke, or the new SQS message id): an event that
// comes back carrying that new id failed again after the redrive.
import {createHash, hash} from 'node:crypto';
import {constants} from 'node:fs';
import {lstat, open, readFile, type FileHandle} from 'node:fs/promises';
import {createInterface} from 'node:readline';
import {createReadStream, writeSync} from 'node:fs';
import {SPILL_AT, SpillingIdSet} from './id-spill.ts';

export const JOURNAL_KIND = 'lambda-top.redrive-journal';
export const JOURNAL_VERSION = 2;
declare const LAMBDA_TOP_VERSION: string | undefined;
/** The build defines LAMBDA_TOP_VERSION (as for --version); from source it is the dev version. */
export const TOOL_VERSION = typeof LAMBDA_TOP_VERSION === 'string' ? LAMBDA_TOP_VERSION : '0.0.0-dev';

export type JournalOutcome = 'accepted' | 'failed' | 'deleted';

/** One outcome, as the engine hands it to the writer. */
export interface JournalRecord {
  outcome: JournalOutcome;
  /** Clock ms the outcome was learned. */
  time: number;
  messageId: string;
  /** accepted: the id the target gave it (Lambda's request id for the invoke, the new SQS message id). */
  newId?: string | null;
  /** accepted: the failed invocation's request id the event carried (null when none). */
  originalRequestId?: string | null;
  /** accepted: sha256 of the exact payload sent, first 32 hex digits (an audit trail, not an identity). */
  payloadHash?: string;
  /** failed: why, in a few words. */
  detail?: string;
}

/** The first line of a journal. */
export interface JournalHeader {
  kind: typeof JOURNAL_KIND;
  version: number;
  tool: 'lambda-top';
  toolVersion: string;
  created: string;
  /** The queue (or file) the journal belongs to, and the target of its first run. */
  queue: string;
  target: string;
}

/** A run's line: every record after it with its `u` belongs to this run. */
export interface JournalRun {
  k: 'run';
  u: string;
  at: number;
  source: string;
  target: string;
  /** Visibility timeout the run's receives used: how long its messages stay hidden if it dies. */
  visibilitySeconds: number | null;
}

export function payloadHash(payload: string): string {
  return hash('sha256', payload, 'hex'); // one-shot: no Hash object per payload
}

export type RedriveTarget = {kind: 'lambda'; functionName: string; qualifier?: string} | {kind: 'queue'; queueUrl: string};

export function targetKey(target: RedriveTarget): string {
  return target.kind === 'lambda' ? `lambda:${target.functionName}${target.qualifier ? `:${target.qualifier}` : ''}` : `queue:${target.queueUrl}`;
}

export interface Acceptance {
  /** Clock ms of the acceptance. */
  time: number;
  messageId: string;
  newId: string | null;
  originalRequestId: string | null;
  /** First 32 hex digits of the sent payload's sha256 (absent in v1 journals). */
  payloadHash?: string | null;
  /** The run that journaled it. */
  run?: string;
  /** Made by the running redrive (addInRun): only its time and the id looked up are known here. */
  inRun?: true;
}

/** What became of a redriven event (outcomes.ts), journaled beside its acceptance by its new id: a `k:"out"`
 * line. A later line for the same new id replaces an earlier one (pending -> succeeded). */
export interface OutcomeRecord {
  /** Clock ms the outcome was learned. */
  time: number;
  /** The acceptance's new id (the 202's request id) and source message id. */
  newId: string;
  messageId: string;
  state: 'succeeded' | 'failed-again' | 'retrying' | 'pending';
  errorType?: string | null;
  /** Failed again: the new failure (the record seen in a failure target), when seen. */
  newFailure?: {queue: string | null; messageId: string | null; requestId: string | null} | null;
  /** Pending: why; else how it was learned (logs, on-success, failure-target). */
  detail?: string | null;
}

/** What earlier runs achieved, per target, by identity. Memory: one entry per acceptance in the journal. */
export class JournalIndex {
  private readonly byMessage = new Map<string, Map<string, Acceptance>>();
  private readonly byRequest = new Map<string, Map<string, Acceptance>>();
  private readonly byNewId = new Map<string, Map<string, Acceptance>>();
  private readonly runs = new Map<string, {target: string; at: number; visibilitySeconds: number | null}>();
  /** The running redrive's own acceptances, per target (addInRun). */
  private readonly inRun = new Map<string, {requests: SpillingIdSet; newIds: SpillingIdSet}>();
  /** Outcomes of redriven events, by new id (the latest line wins). */
  readonly outcomes = new Map<string, OutcomeRecord>();
  /** Every acceptance in file order (for following outcomes later: `redrive --outcomes`). */
  readonly acceptanceLog: Array<Acceptance & {target: string}> = [];
  records = 0;
  /** Lines that could not be parsed (a torn last line after kill -9, or damage). */
  badLines = 0;
  header: JournalHeader | null = null;
  /** The latest run line: when it started, how long its receives hid messages, and whether it ended (an
   * `end` line: it released what it held). A run without one was killed: its messages may still be hidden. */
  lastRun: {id: string; at: number; visibilitySeconds: number | null; lastRecordAt: number; ended: boolean} | null = null;

  /** `inRunSpillAt`: in-run ids kept in memory before the older ones go to a temporary file (id-spill.ts). */
  constructor(private readonly inRunSpillAt = SPILL_AT) {}

  addRun(run: JournalRun): void {
    this.runs.set(run.u, {target: run.target, at: run.at, visibilitySeconds: run.visibilitySeconds});
    this.lastRun = {id: run.u, at: run.at, visibilitySeconds: run.visibilitySeconds, lastRecordAt: run.at, ended: false};
  }

  endRun(run: string): void {
    if (this.lastRun?.id === run) this.lastRun.ended = true;
  }

  /** Adds one outcome of `target`. */
  add(target: string, record: JournalRecord, run?: string): void {
    this.records++;
    if (this.lastRun && record.time > this.lastRun.lastRecordAt) this.lastRun.lastRecordAt = record.time;
    if (record.outcome !== 'accepted') return;
    const a: Acceptance = {
      time: record.time, messageId: record.messageId, newId: record.newId ?? null, originalRequestId: record.originalRequestId ?? null,
      ...(record.payloadHash ? {payloadHash: record.payloadHash} : {}), ...(run ? {run} : {}),
    };
    if (run) this.acceptanceLog.push({...a, target});
    put(this.byMessage, target, a.messageId, a);
    if (a.originalRequestId) put(this.byRequest, target, a.originalRequestId, a);
    if (a.newId) put(this.byNewId, target, a.newId, a);
  }

  /** An acceptance made by the running redrive (a Lambda one, by request id): only what the rest of the run looks
   * up, a twin by its request id and a failure of the redriven invoke by its new id, as 16-byte keys with their
   * time in typed arrays (id-set.ts), the older ones in a temporary file with a filter in memory (id-spill.ts): no
   * object, string or map entry per acceptance (that is all in the journal), and about 3 bytes of memory per
   * acceptance beyond the newest 5,460, so the run's memory stays flat. close() releases the file. */
  addInRun(target: string, record: {time: number; messageId: string; newId?: string | null; originalRequestId?: string | null}): void {
    let sets = this.inRun.get(target);
    if (!sets) this.inRun.set(target, (sets = {requests: new SpillingIdSet(this.inRunSpillAt), newIds: new SpillingIdSet(this.inRunSpillAt)}));
    if (record.originalRequestId) sets.requests.add(record.originalRequestId, record.time);
    if (record.newId) sets.newIds.add(record.newId, record.time);
  }

  /** Releases the in-run sets' temporary files (the end of the run). */
  close(): void {
    for (const sets of this.inRun.values()) {
      sets.requests.close();
      sets.newIds.close();
    }
    this.inRun.clear();
  }

  /** Acceptances of the running redrive remembered by addInRun. */
  inRunCount(target: string): number {
    return this.inRun.get(target)?.requests.size ?? 0;
  }

  /** An earlier acceptance of this very message by this target. */
  acceptedMessage(target: string, messageId: string): Acceptance | undefined {
    return this.byMessage.get(target)?.get(messageId);
  }

  /** An earlier acceptance of the failure with this (original) request id: the event or its twin was sent. */
  acceptedRequest(target: string, requestId: string): Acceptance | undefined {
    const found = this.byRequest.get(target)?.get(requestId);
    if (found) return found;
    const time = this.inRun.get(target)?.requests.get(requestId);
    return time === undefined ? undefined : {time, messageId: '', newId: null, originalRequestId: requestId, inRun: true};
  }

  /** The acceptance whose NEW id (request id of the redriven invoke / new message id) is this one. */
  acceptedAs(target: string, newId: string): Acceptance | undefined {
    const found = this.byNewId.get(target)?.get(newId);
    if (found) return found;
    const time = this.inRun.get(target)?.newIds.get(newId);
    return time === undefined ? undefined : {time, messageId: '', newId, originalRequestId: null, inRun: true};
  }

  acceptedCount(target?: string): number {
    if (target) return this.byMessage.get(target)?.size ?? 0;
    let n = 0;
    for (const m of this.byMessage.values()) n += m.size;
    return n;
  }

  targetOfRun(run: string): string | undefined {
    return this.runs.get(run)?.target;
  }
}

function put(maps: Map<string, Map<string, Acceptance>>, target: string, key: string, a: Acceptance): void {
  let m = maps.get(target);
  if (!m) maps.set(target, (m = new Map()));
  if (!m.has(key)) m.set(key, a);
}

export class JournalFormatError extends Error {
  override name = 'JournalFormatError';
}

const SHORT_OUTCOME: Record<string, JournalOutcome> = {a: 'accepted', f: 'failed', d: 'deleted'};

/** One line, v2 (compact) or v1 (the first format: one full record per line, target inline). */
function addLine(index: JournalIndex, value: unknown): boolean {
  const r = value as Record<string, unknown> | null;
  if (!r || typeof r !== 'object') return false;
  if (r.k === 'end' && typeof r.u === 'string') {
    index.endRun(r.u);
    return true;
  }
  if (r.k === 'out' && typeof r.n === 'string' && typeof r.s === 'string') {
    const f = r.f as Record<string, unknown> | undefined;
    index.outcomes.set(r.n, {
      time: Number(r.t) || 0, newId: r.n, messageId: String(r.m ?? ''), state: r.s as OutcomeRecord['state'],
      errorType: typeof r.e === 'string' ? r.e : null,
      newFailure: f && typeof f === 'object' ? {queue: typeof f.q === 'string' ? f.q : null, messageId: typeof f.m === 'string' ? f.m : null, requestId: typeof f.r === 'string' ? f.r : null} : null,
      detail: typeof r.why === 'string' ? r.why : null,
    });
    return true;
  }
  if (r.k === 'run' && typeof r.u === 'string' && typeof r.target === 'string') {
    index.addRun({k: 'run', u: r.u, at: Number(r.at) || 0, source: String(r.source ?? ''), target: r.target, visibilitySeconds: typeof r.visibilitySeconds === 'number' ? r.visibilitySeconds : null});
    return true;
  }
  if (typeof r.o === 'string' && SHORT_OUTCOME[r.o] && typeof r.m === 'string' && typeof r.u === 'string') {
    const target = index.targetOfRun(r.u);
    if (!target) return false;
    index.add(target, {
      outcome: SHORT_OUTCOME[r.o]!,
      time: Number(r.t) || 0,
      messageId: r.m,
      newId: typeof r.n === 'string' ? r.n : null,
      originalRequestId: typeof r.q === 'string' ? r.q : null,
      ...(typeof r.h === 'string' ? {payloadHash: r.h} : {}),
    }, r.u);
    return true;
  }
  // v1: {time, messageId, requestId, payloadHash, source, target, outcome, detail}
  if (typeof r.messageId === 'string' && typeof r.target === 'string' && typeof r.payloadHash === 'string' && typeof r.outcome === 'string') {
    if (r.outcome === 'skipped') {
      index.records++;
      return true;
    }
    if (r.outcome !== 'accepted' && r.outcome !== 'failed' && r.outcome !== 'deleted') return false;
    const time = Date.parse(String(r.time));
    index.add(r.target, {outcome: r.outcome, time: Number.isFinite(time) ? time : 0, messageId: r.messageId, newId: typeof r.requestId === 'string' ? r.requestId : null, originalRequestId: null});
    return true;
  }
  return false;
}

function isHeader(value: unknown): value is JournalHeader {
  const h = value as Partial<JournalHeader> | null;
  return !!h && typeof h === 'object' && h.kind === JOURNAL_KIND && typeof h.version === 'number';
}

/** Adds one line of journal text to the index. The first line decides what the file is: a header, or a v1
 * record; anything else is not a journal (JournalFormatError). Unparseable later lines are counted. */
function addText(index: JournalIndex, line: string, first: boolean, path: string): void {
  if (line.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    if (first) throw new JournalFormatError(`${path} is not a lambda-top redrive journal (its first line is not JSON); refusing to use it`);
    index.badLines++;
    return;
  }
  if (first && isHeader(value)) {
    if (value.version > JOURNAL_VERSION) throw new JournalFormatError(`${path} is a journal of a newer lambda-top (format ${value.version}); refusing to use it`);
    index.header = value;
    return;
  }
  if (!addLine(index, value)) {
    if (first) throw new JournalFormatError(`${path} is not a lambda-top redrive journal (no journal header); refusing to use it`);
    index.badLines++;
  }
}

/** Parses journal text. Pure. */
export function parseJournal(text: string, index = new JournalIndex(), path = 'the journal'): JournalIndex {
  let first = true;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    addText(index, line, first, path);
    first = false;
  }
  return index;
}

/** Reads a journal file line by line (bounded memory beside the index); a missing file is an empty
 * journal. Refuses (JournalFormatError) what is not a regular file or not a journal. */
export async function readJournal(path: string, index = new JournalIndex()): Promise<JournalIndex> {
  try {
    const stat = await lstat(path);
    if (!stat.isFile()) throw new JournalFormatError(`${path} is not a regular file; a journal must be one`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return index;
    throw error;
  }
  let first = true;
  for await (const line of createInterface({input: createReadStream(path, 'utf8'), crlfDelay: Infinity})) {
    if (line.trim() === '') continue;
    addText(index, line, first, path);
    first = false;
  }
  return index;
}

/** The journal text a test or tool can read back: every record with its run's target. */
export async function readJournalEntries(path: string): Promise<Array<JournalRecord & {target: string}>> {
  const out: Array<JournalRecord & {target: string}> = [];
  const runs = new Map<string, string>();
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (r.k === 'run') runs.set(String(r.u), String(r.target));
    else if (typeof r.o === 'string' && SHORT_OUTCOME[r.o]) {
      out.push({
        outcome: SHORT_OUTCOME[r.o]!, time: Number(r.t), messageId: String(r.m), target: runs.get(String(r.u)) ?? '?',
        newId: (r.n as string | undefined) ?? null, originalRequestId: (r.q as string | undefined) ?? null,
        ...(typeof r.h === 'string' ? {payloadHash: r.h} : {}), ...(typeof r.why === 'string' ? {detail: r.why} : {}),
      });
    }
  }
  return out;
}

export interface JournalWriter {
  readonly path: string;
  /** Appends records; with `sync`, returns only after fdatasync (the data is on disk). Records appended
   * while a sync is under way are written and synced together by the next one (group commit). With `defer`
   * (records no resume depends on: deletes, failures), the records wait in memory for the next write (the next
   * sync, 64 KB of them, end or close) instead of a write of their own; a kill -9 can lose the deferred lines of
   * the last batches, which only costs a resumed run a delete that finds the message gone. */
  append(records: readonly JournalRecord[], options?: {sync?: boolean; defer?: boolean}): Promise<void>;
  /** Returns after an fdatasync that covers every record appended before the call (one sync serves every
   * caller waiting at the time: group commit). */
  sync(): Promise<void>;
  /** Writes the run's `end` line (it released everything it held) and closes. */
  end(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenJournalOptions {
  /** The source (queue URL, or file:path) and target key of this run, for the header and the run line. */
  source: string;
  target: string;
  visibilitySeconds: number | null;
  now?: () => number;
}

/** A JSON string literal: ids (UUIDs, hex, base64) need no escaping, and are quoted without JSON.stringify. */
function quote(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}
const PLAIN = /^[\w.:+/=@-]*$/;

/** One record's line: the same text as JSON.stringify of {o, t, m, n?, q?, h?, why?, u} (in that order), built
 * without the intermediate object. */
export function encode(record: JournalRecord, run: string): string {
  const short = record.outcome === 'accepted' ? 'a' : record.outcome === 'failed' ? 'f' : 'd';
  let line = `{"o":"${short}","t":${JSON.stringify(record.time)},"m":${quote(record.messageId)}`;
  if (record.newId) line += `,"n":${quote(record.newId)}`;
  if (record.originalRequestId) line += `,"q":${quote(record.originalRequestId)}`;
  if (record.payloadHash) line += `,"h":${quote(record.payloadHash.slice(0, 32))}`;
  if (record.detail) line += `,"why":${JSON.stringify(record.detail.slice(0, 200))}`;
  return line + `,"u":${quote(run)}}\n`;
}

/** Opens (creates, mode 0600) a journal for appending: writes the header to a new file, refuses a file that
 * is not a journal or not writable (JournalFormatError / the fs error) before anything is sent, ends a torn
 * last line, and appends this run's line. */
export async function openJournal(path: string, options: OpenJournalOptions): Promise<JournalWriter> {
  const now = options.now ?? Date.now;
  await readJournal(path); // validates an existing file: a regular file that is a journal
  // O_NOFOLLOW: never follow a symlink planted where the journal should be.
  const handle: FileHandle = await open(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    const {size} = await handle.stat();
    let head = '';
    if (size === 0) {
      const header: JournalHeader = {kind: JOURNAL_KIND, version: JOURNAL_VERSION, tool: 'lambda-top', toolVersion: TOOL_VERSION, created: new Date(now()).toISOString(), queue: options.source, target: options.target};
      head = JSON.stringify(header) + '\n';
    } else {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) head = '\n';
    }
    const runId = createHash('sha256').update(`${process.pid}:${now()}:${Math.random()}`).digest('hex').slice(0, 10);
    const run: JournalRun = {k: 'run', u: runId, at: now(), source: options.source, target: options.target, visibilitySeconds: options.visibilitySeconds};
    await handle.write(head + JSON.stringify(run) + '\n');
    await handle.datasync();
    return groupCommitWriter(path, handle, runId);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** Deferred records beyond this many characters are written without waiting for the next sync. */
const DEFER_LIMIT = 64 * 1024;
/** The shortest time between the end of one fdatasync and the start of the next (see datasync). */
const SYNC_GAP_MS = 2;

function groupCommitWriter(path: string, handle: FileHandle, runId: string): JournalWriter {
  // Writes are synchronous (writeSync of the text appended so far: a copy into the kernel's page cache, a few
  // microseconds, where an asynchronous write costs ~40 us of CPU in the thread pool hand-off per call), so lines
  // never interleave and an append resolves with its text in the kernel, which is all a kill -9 needs. fdatasyncs
  // stay asynchronous (they wait for the disk) and one at a time; each serves every sync() that asked for it before
  // it started. An append never waits for a sync under way: the lanes' next sends depend on appends, only deletes
  // depend on syncs. A sync first writes everything appended before it (deferred records included), so what it
  // covers is on disk when it resolves.
  let pendingText = '';
  let syncing: Promise<void> | null = null;
  let nextSync: Promise<void> | null = null;
  let closed = false;
  let broken: unknown = null;

  /** Writes everything appended so far (deferred text included); throws what the write threw (and from then on). */
  function flush(): void {
    if (broken) throw broken;
    if (pendingText === '') return;
    const bytes = Buffer.from(pendingText, 'utf8');
    pendingText = '';
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(handle.fd, bytes, off, bytes.length - off);
    } catch (error) {
      broken = error;
      throw error;
    }
  }

  /** Resolves once everything appended so far (deferred text included) was written. */
  function written(): Promise<void> {
    try {
      flush();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** One fdatasync that covers everything written before this call: the one pending, if it has not reached the
   * disk call yet (writes are synchronous, so it will cover this caller's), else the next one. A new one starts no
   * sooner than SYNC_GAP_MS after the previous one ended, so that on a fast disk the batches of a few milliseconds
   * share one (group commit) instead of one each; the lanes go on sending meanwhile (only deletes wait for it). */
  let started = false;
  let lastSyncEnded = -Infinity;
  function datasync(): Promise<void> {
    if (syncing && !started) return syncing;
    if (!syncing) {
      const wait = lastSyncEnded + SYNC_GAP_MS - performance.now();
      started = false;
      syncing = (async () => {
        try {
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          if (broken) throw broken;
          flush(); // text appended while it waited (deferred records) is covered too
          started = true;
          await handle.datasync();
        } catch (error) {
          broken ??= error;
          throw error;
        } finally {
          syncing = null;
          lastSyncEnded = performance.now();
        }
      })();
      return syncing;
    }
    return (nextSync ??= syncing.catch(() => undefined).then(() => {
      nextSync = null;
      return datasync();
    }));
  }

  const syncAll = async (): Promise<void> => {
    await written();
    await datasync();
  };

  return {
    path,
    append(records, options = {}) {
      if (closed) return Promise.reject(new Error(`journal ${path} is closed`));
      pendingText += records.map((r) => encode(r, runId)).join('');
      if (options.defer && !options.sync && pendingText.length < DEFER_LIMIT) return broken ? Promise.reject(broken) : Promise.resolve();
      return options.sync ? syncAll() : written();
    },
    sync() {
      if (closed) return Promise.reject(new Error(`journal ${path} is closed`));
      return syncAll();
    },
    async end() {
      if (closed) return;
      pendingText += JSON.stringify({k: 'end', u: runId, at: Date.now()}) + '\n';
      await syncAll().catch(() => undefined);
      await this.close();
    },
    async close() {
      if (closed) return;
      // Deferred records still in memory: written (not synced) before the file is closed.
      await written().catch(() => undefined);
      while (syncing || nextSync) await (nextSync ?? syncing)!.catch(() => undefined);
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

/** One outcome line (`k:"out"`): compact, ids and the error type only, never payloads or messages. */
export function encodeOutcome(record: OutcomeRecord): string {
  const out: Record<string, unknown> = {k: 'out', t: record.time, n: record.newId, m: record.messageId, s: record.state};
  if (record.errorType) out.e = record.errorType.slice(0, 120);
  if (record.newFailure) {
    const f: Record<string, string> = {};
    if (record.newFailure.queue) f.q = record.newFailure.queue;
    if (record.newFailure.messageId) f.m = record.newFailure.messageId;
    if (record.newFailure.requestId) f.r = record.newFailure.requestId;
    out.f = f;
  }
  if (record.detail) out.why = record.detail.slice(0, 200);
  return JSON.stringify(out) + '\n';
}

/** Appends outcome lines to an existing journal (fdatasync'ed): beside the acceptances they follow, written
 * by whoever followed them (the redrive that sent them, or a later `redrive --outcomes`). Outcomes are a
 * record, not a guarantee: nothing is deleted on their account, so they need no group commit. */
export async function appendOutcomes(path: string, records: readonly OutcomeRecord[]): Promise<void> {
  if (records.length === 0) return;
  await readJournal(path); // a journal (or refuse), never a file planted in its place
  const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
  try {
    const {size} = await handle.stat();
    let head = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      const fd = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        await fd.read(last, 0, 1, size - 1);
      } finally {
        await fd.close();
      }
      if (last[0] !== 0x0a) head = '\n';
    }
    await handle.write(head + records.map(encodeOutcome).join(''));
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
